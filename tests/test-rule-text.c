/* test-rule-text.c: the source, destination and service columns of a rule, as the GUI's rule
 * table and reports show them, on the edge sample whose rules cover every kind of condition. */
#include "fwreview.h"

typedef struct {
  FwrRuleset *ruleset;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (g_getenv ("FWR_SAMPLES_DIR"), "edge.json", NULL);
  g_autoptr (GError) error = NULL;
  fixture->ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->ruleset, fwr_ruleset_unref);
}

static void
assert_columns (Fixture *fixture, const char *id, const char *source, const char *destination,
                const char *service)
{
  FwrRule *rule = fwr_ruleset_lookup_rule (fixture->ruleset, id);
  g_assert_nonnull (rule);
  g_autofree char *got_source = fwr_rule_dup_source_text (rule);
  g_autofree char *got_destination = fwr_rule_dup_destination_text (rule);
  g_autofree char *got_service = fwr_rule_dup_service_text (rule);
  g_assert_cmpstr (got_source, ==, source);
  g_assert_cmpstr (got_destination, ==, destination);
  g_assert_cmpstr (got_service, ==, service);
}

static void
test_interfaces_and_sets (Fixture *fixture, gconstpointer data)
{
  assert_columns (fixture, "inet/edge/input/15", "iif mgmt 192.168.100.0/28,192.168.100.20",
                  "any", "tcp dport 22,443");
  assert_columns (fixture, "inet/edge/forward/31", "iif {ppp*,wan}", "oif lan 10.1.2.3",
                  "tcp dport 23");
}

static void
test_states_and_opaque (Fixture *fixture, gconstpointer data)
{
  /* Without the state, this rule would read as an any-any accept. */
  assert_columns (fixture, "inet/edge/forward/22", "any", "any", "ct established,related");
  assert_columns (fixture, "inet/edge/input/19", "any", "any",
                  "icmp,icmpv6 [limit rate 10/second burst 5 packets]");
}

static void
test_terms_joined (Fixture *fixture, gconstpointer data)
{
  /* A concatenation set: one term per element, the shared source said once. */
  assert_columns (fixture, "inet/edge/lan_to_dmz/43", "any", "203.0.113.10 | 203.0.113.11",
                  "tcp dport 8080 | tcp dport 8443");
}

static void
test_match_all (Fixture *fixture, gconstpointer data)
{
  assert_columns (fixture, "inet/edge/lan_to_dmz/46", "any", "any", "any");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/fwr/rule-text/interfaces-and-sets", Fixture, NULL, fixture_set_up,
              test_interfaces_and_sets, fixture_tear_down);
  g_test_add ("/fwr/rule-text/states-and-opaque", Fixture, NULL, fixture_set_up,
              test_states_and_opaque, fixture_tear_down);
  g_test_add ("/fwr/rule-text/terms-joined", Fixture, NULL, fixture_set_up, test_terms_joined,
              fixture_tear_down);
  g_test_add ("/fwr/rule-text/match-all", Fixture, NULL, fixture_set_up, test_match_all,
              fixture_tear_down);
  return g_test_run ();
}
