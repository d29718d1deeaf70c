/* core/status.c - names and messages of hy_status, generated from HY_STATUS_LIST. */
#include "core.h"

static const char *const status_names[] = {
#define HY_X_NAME(name, msg) "HY_" #name,
    HY_STATUS_LIST(HY_X_NAME)
#undef HY_X_NAME
};

static const char *const status_msgs[] = {
#define HY_X_MSG(name, msg) msg,
    HY_STATUS_LIST(HY_X_MSG)
#undef HY_X_MSG
};

const char *hy_status_name(hy_status s)
{
    if ((unsigned)s >= HY_STATUS_COUNT)
        return "HY_UNKNOWN";
    return status_names[s];
}

const char *hy_status_str(hy_status s)
{
    if ((unsigned)s >= HY_STATUS_COUNT)
        return "unknown status";
    return status_msgs[s];
}
