/* alerts/mqtt.c - the MQTT sink: one message per event change, QoS 1 (the broker's PUBACK is
 * the delivery), through libmosquitto. */
#include "alerts/alerts.h"

#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t mosq_once = PTHREAD_ONCE_INIT;
static void mosq_init(void)
{
    mosquitto_lib_init();
}

typedef struct pub_state {
    int mid, acked;
} pub_state;

static void on_publish(struct mosquitto *m, void *user, int mid)
{
    pub_state *p = user;
    (void)m;
    if (mid == p->mid)
        p->acked = 1;
}

void hy_mqtt_topic(const char *tmpl, const hy_event *ev, char *out, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return;
    for (const char *p = tmpl; *p && n + 1 < size;) {
        const char *v = NULL;
        size_t skip = 0;
        if (strncmp(p, "{county}", 8) == 0)
            v = ev->township_county[0] ? ev->township_county : "unknown", skip = 8;
        else if (strncmp(p, "{township}", 10) == 0)
            v = ev->township_code[0] ? ev->township_code : "unknown", skip = 10;
        else if (strncmp(p, "{township_name}", 15) == 0)
            v = ev->township_name[0] ? ev->township_name : "unknown", skip = 15;
        else if (strncmp(p, "{kind}", 6) == 0)
            v = hy_kind_name(ev->kind), skip = 6;
        if (v) {
            /* a value must not add levels or wildcards to the topic */
            for (; *v && n + 1 < size; v++)
                out[n++] = *v == '/' || *v == '+' || *v == '#' ? '_' : *v;
            p += skip;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

hy_status hy_mqtt_publish(const hy_mqtt *q, const char *topic, const char *payload, char *err,
                          size_t err_size)
{
    struct mosquitto *m;
    pub_state ps = {0, 0};
    int rc;
    int64_t deadline;
    hy_status s = HY_OK;
    if (!q || !q->host || !topic || !payload) {
        snprintf(err, err_size, "mqtt: missing host, topic or payload");
        return HY_EINVAL;
    }
    deadline = hy_time_now() + (int64_t)((q->timeout_s > 0 ? q->timeout_s : 10) * 1e6);
    pthread_once(&mosq_once, mosq_init);
    if (!(m = mosquitto_new(NULL, true, &ps))) {
        snprintf(err, err_size, "mqtt: cannot start libmosquitto");
        return HY_ENOMEM;
    }
    mosquitto_publish_callback_set(m, on_publish);
    if ((rc = mosquitto_connect(m, q->host, q->port > 0 ? q->port : 1883, 30)) !=
        MOSQ_ERR_SUCCESS) {
        snprintf(err, err_size, "mqtt %s:%d: %s", q->host, q->port,
                 rc == MOSQ_ERR_ERRNO ? "cannot connect" : mosquitto_strerror(rc));
        s = HY_EIO;
    } else if ((rc = mosquitto_publish(m, &ps.mid, topic, (int)strlen(payload), payload, 1,
                                       false)) != MOSQ_ERR_SUCCESS) {
        snprintf(err, err_size, "mqtt %s:%d: %s", q->host, q->port, mosquitto_strerror(rc));
        s = HY_EIO;
    } else {
        while (!ps.acked && hy_time_now() < deadline) {
            rc = mosquitto_loop(m, 100, 1);
            if (rc != MOSQ_ERR_SUCCESS) {
                snprintf(err, err_size, "mqtt %s:%d: %s", q->host, q->port, mosquitto_strerror(rc));
                s = HY_EIO;
                break;
            }
        }
        if (s == HY_OK && !ps.acked) {
            snprintf(err, err_size, "mqtt %s:%d: no PUBACK within the timeout", q->host, q->port);
            s = HY_ETIMEOUT;
        }
        mosquitto_disconnect(m);
    }
    mosquitto_destroy(m);
    return s;
}
