/* alerts/webhook.c - the webhook sink: a JSON POST with an idempotency key and an
 * HMAC-SHA256 signature of the body (libcurl, OpenSSL). */
#include "alerts/alerts.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

void hy_hmac_sha256_hex(const char *key, const void *data, size_t len, char out[65])
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key, (int)strlen(key), data, len, mac, &n);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", mac[i]);
    out[64] = '\0';
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The answer's body is not needed: drop it. */
static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

hy_status hy_webhook_post(const hy_ctx *ctx, const hy_webhook *w, const char *key, const char *body,
                          char *err, size_t err_size)
{
    CURL *c;
    CURLcode cc;
    struct curl_slist *h = NULL, *h2;
    char line[160], cerr[CURL_ERROR_SIZE] = "";
    long code = 0;
    hy_status s = HY_OK;
    (void)ctx;
    if (!w || !w->url || !key || !body) {
        snprintf(err, err_size, "webhook: missing url, key or body");
        return HY_EINVAL;
    }
    pthread_once(&curl_once, curl_init);
    if (!(c = curl_easy_init())) {
        snprintf(err, err_size, "cannot start libcurl");
        return HY_ENOMEM;
    }
    snprintf(line, sizeof(line), "Content-Type: %s",
             w->content_type ? w->content_type : "application/json; charset=utf-8");
    h = curl_slist_append(h, line);
    snprintf(line, sizeof(line), "Idempotency-Key: %s", key);
    h = (h2 = curl_slist_append(h, line)) ? h2 : h;
    if (w->secret && *w->secret) {
        char hex[65];
        hy_hmac_sha256_hex(w->secret, body, strlen(body), hex);
        snprintf(line, sizeof(line), "X-Huoyan-Signature: sha256=%s", hex);
        h = (h2 = curl_slist_append(h, line)) ? h2 : h;
    }
    h = (h2 = curl_slist_append(h, "User-Agent: huoyan/" HY_VERSION)) ? h2 : h;
    curl_easy_setopt(c, CURLOPT_URL, w->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)((w->timeout_s > 0 ? w->timeout_s : 10) * 1000));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        snprintf(err, err_size, "%s", cerr[0] ? cerr : curl_easy_strerror(cc));
        s = cc == CURLE_OPERATION_TIMEDOUT ? HY_ETIMEOUT : HY_EIO;
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        if (code < 200 || code > 299) {
            snprintf(err, err_size, "HTTP %ld", code);
            s = HY_EIO;
        }
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return s;
}
