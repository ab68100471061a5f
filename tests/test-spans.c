/* test-spans.c: placeholder until the property tests land. */
#include "fwr-ruleset-private.h"

static void
test_spans_basic (void)
{
  g_autoptr (FwrRangeSet) a = fwr_range_set_new_range (0, 1000);
  g_autoptr (FwrRangeSet) b = fwr_range_set_new_range (1001, 65535);
  fwr_range_set_union (a, b);
  g_assert_cmpuint (fwr_range_set_get_n_ranges (a), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/spans/basic", test_spans_basic);
  return g_test_run ();
}
