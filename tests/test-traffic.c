/* test-traffic.c: the traffic a change newly permits or denies, exact and per zone pair. */
#include "analysis-builder.h"

static FwrZoneMap *
zones (void)
{
  static const char text[] =
    "{\"zones\": ["
    " {\"name\": \"internet\", \"class\": \"internet\", \"interfaces\": [\"wan\"]},"
    " {\"name\": \"lan\", \"class\": \"operating\", \"interfaces\": [\"lan\"], \"networks\": [\"10.0.0.0/8\"]}"
    "]}";
  g_autoptr (GError) error = NULL;
  FwrZoneMap *map = fwr_zone_map_new_from_data ("zones.json", text, strlen (text), &error);
  g_assert_no_error (error);
  return map;
}

/* The common part of both sides: forward policy drop, web to one host allowed. */
static FwrRuleset *
base_ruleset (FwrChain **forward)
{
  FwrRuleset *rs = _fwr_ruleset_new ("test", "test.json");
  *forward = tb_chain (rs, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_DROP);
  FwrRule *web = tb_rule (*forward, FWR_ACTION_ACCEPT, NULL);
  tb_iif (web, "wan");
  tb_dst (web, "10.5.5.5");
  tb_dport (web, 6, 443, 443);
  return rs;
}

static int
find_flow (FwrTrafficDelta *delta, FwrTrafficChange change, const char *from, const char *to)
{
  for (guint i = 0; i < fwr_traffic_delta_get_n_flows (delta); i++)
    if (fwr_traffic_delta_get_change (delta, i) == change &&
        g_str_equal (fwr_traffic_delta_get_from_zone (delta, i), from) &&
        g_str_equal (fwr_traffic_delta_get_to_zone (delta, i), to))
      return (int) i;
  return -1;
}

static void
assert_sets (FwrTrafficDelta *delta, int i, const char *dst, guint proto, const char *ports)
{
  g_assert_cmpint (i, >=, 0);
  g_autofree char *dst_text = fwr_addr_set_to_string (fwr_traffic_delta_get_destinations (delta, i));
  g_assert_cmpstr (dst_text, ==, dst);
  const FwrRangeSet *protos = fwr_traffic_delta_get_protocols (delta, i);
  g_assert_nonnull (protos);
  g_assert_true (fwr_range_set_contains (protos, proto));
  g_assert_cmpuint (fwr_range_set_get_size (protos), ==, 1);
  g_autofree char *port_text = fwr_range_set_to_string (fwr_traffic_delta_get_ports (delta, i));
  g_assert_cmpstr (port_text, ==, ports);
}

static void
test_added_rule_permits (void)
{
  FwrChain *fb, *fa;
  g_autoptr (FwrRuleset) before = base_ruleset (&fb);
  g_autoptr (FwrRuleset) after = base_ruleset (&fa);
  FwrRule *ssh = tb_rule (fa, FWR_ACTION_ACCEPT, NULL);
  tb_iif (ssh, "wan");
  tb_dst (ssh, "10.1.2.3");
  tb_dport (ssh, 6, 22, 22);
  g_autoptr (FwrZoneMap) map = zones ();

  g_autoptr (FwrTrafficDelta) delta = fwr_traffic_delta_new (before, after, map);
  g_assert_true (fwr_traffic_delta_is_complete (delta));
  g_assert_cmpuint (fwr_traffic_delta_get_n_flows (delta), ==, 1);
  int i = find_flow (delta, FWR_TRAFFIC_PERMITTED, "internet", "lan");
  assert_sets (delta, i, "10.1.2.3", 6, "22");
  g_assert_cmpint (fwr_traffic_delta_get_hook (delta, i), ==, FWR_HOOK_FORWARD);
}

static void
test_removed_rule_denies (void)
{
  FwrChain *fb;
  g_autoptr (FwrRuleset) before = base_ruleset (&fb);
  g_autoptr (FwrRuleset) after = _fwr_ruleset_new ("test", "test.json");
  tb_chain (after, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_DROP);

  g_autoptr (FwrTrafficDelta) delta = fwr_traffic_delta_new (before, after, NULL);
  g_assert_cmpuint (fwr_traffic_delta_get_n_flows (delta), ==, 1);
  int i = find_flow (delta, FWR_TRAFFIC_DENIED, "any", "any");
  assert_sets (delta, i, "10.5.5.5", 6, "443");
}

static void
test_shadowed_addition_changes_nothing (void)
{
  FwrChain *fb, *fa;
  g_autoptr (FwrRuleset) before = base_ruleset (&fb);
  g_autoptr (FwrRuleset) after = base_ruleset (&fa);
  FwrRule *dup = tb_rule (fa, FWR_ACTION_ACCEPT, NULL);
  tb_iif (dup, "wan");
  tb_dst (dup, "10.5.5.5");
  tb_dport (dup, 6, 443, 443);

  g_autoptr (FwrTrafficDelta) delta = fwr_traffic_delta_new (before, after, NULL);
  g_assert_true (fwr_traffic_delta_is_complete (delta));
  g_assert_cmpuint (fwr_traffic_delta_get_n_flows (delta), ==, 0);
}

static void
test_reorder (void)
{
  g_autoptr (FwrRuleset) before = _fwr_ruleset_new ("test", "test.json");
  FwrChain *in = tb_chain (before, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  tb_src (tb_rule (in, FWR_ACTION_DROP, NULL), "10.0.0.0/8");
  tb_src (tb_rule (in, FWR_ACTION_ACCEPT, NULL), "10.1.0.0/16");
  g_autoptr (FwrRuleset) after = _fwr_ruleset_new ("test", "test.json");
  FwrChain *in2 = tb_chain (after, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  tb_src (tb_rule (in2, FWR_ACTION_ACCEPT, NULL), "10.1.0.0/16");
  tb_src (tb_rule (in2, FWR_ACTION_DROP, NULL), "10.0.0.0/8");

  g_autoptr (FwrTrafficDelta) delta = fwr_traffic_delta_new (before, after, NULL);
  g_assert_cmpuint (fwr_traffic_delta_get_n_flows (delta), ==, 1);
  int i = find_flow (delta, FWR_TRAFFIC_PERMITTED, "any", "firewall");
  g_assert_cmpint (i, >=, 0);
  g_autofree char *src = fwr_addr_set_to_string (fwr_traffic_delta_get_sources (delta, i));
  g_assert_cmpstr (src, ==, "10.1.0.0/16");
  g_assert_null (fwr_traffic_delta_get_ports (delta, i));
}

static void
test_policy_change (void)
{
  FwrChain *fb, *fa;
  g_autoptr (FwrRuleset) before = base_ruleset (&fb);
  fb->policy = FWR_ACTION_ACCEPT;
  g_autoptr (FwrRuleset) after = base_ruleset (&fa);

  g_autoptr (FwrTrafficDelta) delta = fwr_traffic_delta_new (before, after, NULL);
  int i = find_flow (delta, FWR_TRAFFIC_DENIED, "any", "any");
  g_assert_cmpint (i, >=, 0);
  /* Everything but the allowed web flow is denied now; nothing newly permitted. */
  g_assert_cmpint (find_flow (delta, FWR_TRAFFIC_PERMITTED, "any", "any"), <, 0);
  g_autofree char *dst = fwr_addr_set_to_string (fwr_traffic_delta_get_destinations (delta, i));
  g_assert_cmpstr (dst, ==, "any");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/traffic/added-rule-permits", test_added_rule_permits);
  g_test_add_func ("/fwr/traffic/removed-rule-denies", test_removed_rule_denies);
  g_test_add_func ("/fwr/traffic/shadowed-addition-changes-nothing", test_shadowed_addition_changes_nothing);
  g_test_add_func ("/fwr/traffic/reorder", test_reorder);
  g_test_add_func ("/fwr/traffic/policy-change", test_policy_change);
  return g_test_run ();
}
