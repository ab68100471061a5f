/* test-effective.c: what a rule matches after the jumps that reach it, as the GUI shows it
 * beside the rule, on the edge sample whose DMZ chains are reached by jumps. */
#include "fwreview.h"

typedef struct {
  FwrRuleset *ruleset;
  FwrEffective *effective;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (g_getenv ("FWR_SAMPLES_DIR"), "edge.json", NULL);
  g_autofree char *zones_path = g_build_filename (g_getenv ("FWR_SAMPLES_DIR"), "edge-zones.json", NULL);
  g_autoptr (GError) error = NULL;
  fixture->ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_autoptr (FwrZoneMap) zones = fwr_zone_map_new_from_file (zones_path, &error);
  g_assert_no_error (error);
  fixture->effective = fwr_effective_new (fixture->ruleset, zones);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->effective, fwr_effective_free);
  g_clear_pointer (&fixture->ruleset, fwr_ruleset_unref);
}

static char *
text_of (Fixture *fixture, const char *id, guint max_pieces)
{
  FwrRule *rule = fwr_ruleset_lookup_rule (fixture->ruleset, id);
  g_assert_nonnull (rule);
  return fwr_effective_dup_rule_text (fixture->effective, rule, max_pieces);
}

/* The rule says only "daddr 203.0.113.25 tcp dport 25"; the jump into its chain adds where
 * the packets come from and go. */
static void
test_jump_conditions (Fixture *fixture, gconstpointer data)
{
  g_autofree char *text = text_of (fixture, "inet/edge/wan_to_dmz/38", 4);
  g_assert_cmpstr (text, ==, "forward from inet/edge/forward into inet/edge/wan_to_dmz: ipv4 daddr "
                             "203.0.113.25 proto 6 dport 25 iif {wan,ppp*} oif {dmz}");
}

/* A set of address and port pairs: one line per element, both through the same jump. */
static void
test_terms (Fixture *fixture, gconstpointer data)
{
  g_autofree char *text = text_of (fixture, "inet/edge/lan_to_dmz/43", 4);
  g_assert_cmpstr (text, ==,
                   "forward from inet/edge/forward into inet/edge/lan_to_dmz: ipv4 daddr 203.0.113.10 proto 6 dport 8080 iif {lan} oif {dmz}\n"
                   "forward from inet/edge/forward into inet/edge/lan_to_dmz: ipv4 daddr 203.0.113.11 proto 6 dport 8443 iif {lan} oif {dmz}");
}

static void
test_base_chain (Fixture *fixture, gconstpointer data)
{
  g_autofree char *text = text_of (fixture, "inet/edge/input/15", 4);
  g_assert_cmpstr (text, ==, "input: ipv4 saddr 192.168.100.0/28,192.168.100.20 proto 6 dport 22,443 iif {mgmt}");
  /* Matches everything: one piece per address family; cut to one piece, the rest is counted. */
  g_autofree char *all = text_of (fixture, "inet/edge/forward/35", 4);
  g_assert_cmpstr (all, ==, "forward: ipv4 | ipv6");
  g_autofree char *cut = text_of (fixture, "inet/edge/forward/35", 1);
  g_assert_cmpstr (cut, ==, "forward: ipv4 | … 1 more piece");
}

static void
test_opaque (Fixture *fixture, gconstpointer data)
{
  g_autofree char *text = text_of (fixture, "inet/edge/input/19", 4);
  g_assert_true (g_str_has_suffix (text, "(and conditions fwreview cannot model: it may match less)"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/fwr/effective/jump-conditions", test_jump_conditions);
  ADD ("/fwr/effective/terms", test_terms);
  ADD ("/fwr/effective/base-chain", test_base_chain);
  ADD ("/fwr/effective/opaque", test_opaque);
#undef ADD
  return g_test_run ();
}
