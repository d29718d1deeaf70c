#include "tests/testutil.h"
static void t(void)
{
}
int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"x", t}, {NULL, NULL}};
    return hy_test_main("x", tests, argc, argv);
}
