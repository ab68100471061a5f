/* test-analysis.c: each check's positive and negative cases, and the kernel semantics the
 * engine follows (jumps, goto, return, several base chains, families, opaque conditions). */
#include "analysis-builder.h"

static FwrRuleset *
new_ruleset (void)
{
  return _fwr_ruleset_new ("test", "test.json");
}

static FwrZoneMap *
test_zones (void)
{
  static const char text[] =
    "{\"zones\": ["
    " {\"name\": \"internet\", \"class\": \"internet\", \"interfaces\": [\"wan\", \"ppp*\"]},"
    " {\"name\": \"dmz\", \"class\": \"dmz\", \"interfaces\": [\"dmz\"], \"networks\": [\"203.0.113.0/24\"]},"
    " {\"name\": \"lan\", \"class\": \"operating\", \"interfaces\": [\"lan\"], \"networks\": [\"10.0.0.0/8\"]},"
    " {\"name\": \"lab\", \"class\": \"testing\", \"interfaces\": [\"lab\"], \"networks\": [\"172.16.0.0/12\"]}"
    "]}";
  g_autoptr (GError) error = NULL;
  FwrZoneMap *zones = fwr_zone_map_new_from_data ("zones.json", text, strlen (text), &error);
  g_assert_no_error (error);
  return zones;
}

static void
test_any_any (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *fwd = tb_chain (rs, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_DROP);
  FwrRule *est = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_match (est)->ct_states = FWR_CT_ESTABLISHED | FWR_CT_RELATED;
  FwrRule *ssh = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_dport (ssh, 6, 22, 22);
  tb_rule (fwd, FWR_ACTION_JUMP, "from_wan");
  tb_iif (g_ptr_array_index (fwd->rules, 2), "wan");
  FwrChain *from_wan = tb_chain (rs, "from_wan", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);
  tb_rule (from_wan, FWR_ACTION_ACCEPT, NULL);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  /* The unconditional accept inside from_wan is an any-any from wan, after the jump. */
  const FwrFinding *finding = tb_find (report, "any-any", "inet/t/from_wan/1");
  g_assert_nonnull (finding);
  g_assert_cmpint (fwr_finding_get_severity (finding), ==, FWR_SEVERITY_HIGH);
  g_autofree char *iif = NULL;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "iifname", "s", &iif));
  g_assert_cmpstr (iif, ==, "wan");
  g_assert_null (tb_find (report, "any-any", "inet/t/forward/1"));
  g_assert_null (tb_find (report, "any-any", "inet/t/forward/2"));
  g_assert_cmpuint (tb_count (report, "any-any"), ==, 1);
}

static void
test_default_allow (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  tb_chain (rs, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_ACCEPT);
  tb_chain (rs, "output", FWR_HOOK_OUTPUT, 0, FWR_ACTION_ACCEPT);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "default-allow", "inet/t/forward"));
  g_assert_null (tb_find (report, "default-allow", "inet/t/input"));
  g_assert_null (tb_find (report, "default-allow", "inet/t/output"));
}

static void
test_shadowed (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  tb_src (tb_rule (in, FWR_ACTION_DROP, NULL), "10.0.0.0/8");
  tb_src (tb_rule (in, FWR_ACTION_ACCEPT, NULL), "10.1.0.0/16");
  tb_src (tb_rule (in, FWR_ACTION_ACCEPT, NULL), "11.0.0.0/8");
  /* A deny behind an accept that covers it: the worse kind of shadowing. */
  FwrRule *web = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_dport (web, 6, 80, 443);
  FwrRule *deny = tb_rule (in, FWR_ACTION_DROP, NULL);
  tb_dport (deny, 6, 100, 200);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  const FwrFinding *finding = tb_find (report, "shadowed", "inet/t/input/2");
  g_assert_nonnull (finding);
  g_assert_true (tb_related_has (finding, "inet/t/input/1"));
  g_assert_cmpint (fwr_finding_get_severity (finding), ==, FWR_SEVERITY_MEDIUM);
  g_assert_null (tb_find (report, "shadowed", "inet/t/input/3"));
  finding = tb_find (report, "shadowed", "inet/t/input/5");
  g_assert_nonnull (finding);
  g_assert_cmpint (fwr_finding_get_severity (finding), ==, FWR_SEVERITY_HIGH);
}

static void
test_redundant_union (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  tb_dport (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 6, 0, 1000);
  tb_dport (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 6, 1001, 65535);
  tb_proto (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 6);
  tb_proto (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 17);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  const FwrFinding *finding = tb_find (report, "redundant", "inet/t/input/3");
  g_assert_nonnull (finding);
  g_assert_true (tb_related_has (finding, "inet/t/input/1"));
  g_assert_true (tb_related_has (finding, "inet/t/input/2"));
  g_assert_null (tb_find (report, "shadowed", "inet/t/input/3"));
  g_assert_null (tb_find (report, "redundant", "inet/t/input/4"));
  g_assert_cmpuint (tb_count (report, "redundant"), ==, 1);
}

static void
test_redundant_after_conntrack_idioms (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  tb_match (tb_rule (in, FWR_ACTION_DROP, NULL))->ct_states = FWR_CT_INVALID;
  tb_match (tb_rule (in, FWR_ACTION_ACCEPT, NULL))->ct_states = FWR_CT_ESTABLISHED | FWR_CT_RELATED;
  tb_dport (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 6, 443, 443);
  tb_dport (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 6, 443, 443);
  tb_dport (tb_rule (in, FWR_ACTION_DROP, NULL), 6, 443, 443);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  /* The duplicate is redundant, though the invalid-state drop decided part of its packets. */
  g_assert_nonnull (tb_find (report, "redundant", "inet/t/input/4"));
  g_assert_null (tb_find (report, "shadowed", "inet/t/input/4"));
  g_assert_nonnull (tb_find (report, "shadowed", "inet/t/input/5"));
}

static void
test_opaque_never_covers (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  FwrRule *limited = tb_rule (in, FWR_ACTION_DROP, NULL);
  tb_src (limited, "10.0.0.0/8");
  _fwr_match_add_opaque (tb_match (limited), "limit rate 10/second");
  tb_src (tb_rule (in, FWR_ACTION_ACCEPT, NULL), "10.1.0.0/16");
  /* A rule with an opaque condition may still be covered by one without. */
  FwrRule *limited2 = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_src (limited2, "10.1.2.0/24");
  _fwr_match_add_opaque (tb_match (limited2), "meta mark 0x1");

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_null (tb_find (report, "shadowed", "inet/t/input/2"));
  g_assert_null (tb_find (report, "redundant", "inet/t/input/2"));
  g_assert_nonnull (tb_find (report, "redundant", "inet/t/input/3"));
}

static void
test_families (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  /* ip saddr 0.0.0.0/0 covers IPv4 only: the accept after it still sees IPv6. */
  tb_src (tb_rule (in, FWR_ACTION_DROP, NULL), "0.0.0.0/0");
  FwrRule *v6 = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_dport (v6, 6, 22, 22);
  FwrRule *v4 = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_dport (v4, 6, 22, 22);
  tb_match (v4)->families = FWR_FAMILY_IPV4;

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_null (tb_find (report, "shadowed", "inet/t/input/2"));
  g_assert_nonnull (tb_find (report, "shadowed", "inet/t/input/3"));
}

static void
test_base_chains (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *first = tb_chain (rs, "fw1", FWR_HOOK_FORWARD, 0, FWR_ACTION_ACCEPT);
  FwrChain *second = tb_chain (rs, "fw2", FWR_HOOK_FORWARD, 10, FWR_ACTION_ACCEPT);
  /* Accepted in the first base chain, dropped in the later one: ineffective. */
  tb_dport (tb_rule (first, FWR_ACTION_ACCEPT, NULL), 6, 22, 22);
  tb_dport (tb_rule (first, FWR_ACTION_DROP, NULL), 6, 23, 23);
  tb_dport (tb_rule (first, FWR_ACTION_ACCEPT, NULL), 6, 80, 80);
  tb_dport (tb_rule (second, FWR_ACTION_DROP, NULL), 6, 22, 22);
  /* A drop in the first base chain is final: the later accept never sees telnet. */
  tb_dport (tb_rule (second, FWR_ACTION_ACCEPT, NULL), 6, 23, 23);
  /* An accept only ends its own base chain: port 80 still reaches the second. */
  tb_dport (tb_rule (second, FWR_ACTION_DROP, NULL), 6, 80, 80);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  const FwrFinding *ineffective = tb_find (report, "shadowed", "inet/t/fw1/1");
  g_assert_nonnull (ineffective);
  gboolean later = FALSE;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (ineffective), "by_later_base_chain", "b", &later));
  g_assert_true (later);
  g_assert_true (tb_related_has (ineffective, "inet/t/fw2/1"));
  g_assert_nonnull (tb_find (report, "shadowed", "inet/t/fw2/2"));
  g_assert_null (tb_find (report, "shadowed", "inet/t/fw2/3"));
  g_assert_nonnull (tb_find (report, "shadowed", "inet/t/fw1/3"));
}

static void
test_jump_return_goto (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  FwrChain *x = tb_chain (rs, "x", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);
  FwrChain *y = tb_chain (rs, "y", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);
  tb_rule (in, FWR_ACTION_JUMP, "x");
  tb_src (tb_rule (in, FWR_ACTION_ACCEPT, NULL), "10.1.0.0/16");   /* after return: reached */
  tb_iif (tb_rule (in, FWR_ACTION_GOTO, "y"), "lan");
  tb_iif (tb_rule (in, FWR_ACTION_ACCEPT, NULL), "lan");            /* after goto: never */
  tb_src (tb_rule (x, FWR_ACTION_RETURN, NULL), "10.0.0.0/8");
  tb_src (tb_rule (x, FWR_ACTION_ACCEPT, NULL), "10.1.0.0/16");    /* behind the return */
  tb_dport (tb_rule (y, FWR_ACTION_ACCEPT, NULL), 6, 22, 22);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  const FwrFinding *behind = tb_find (report, "shadowed", "inet/t/x/2");
  g_assert_nonnull (behind);
  g_assert_true (tb_related_has (behind, "inet/t/x/1"));
  g_assert_null (tb_find (report, "shadowed", "inet/t/input/2"));
  g_assert_null (tb_find (report, "redundant", "inet/t/input/2"));
  g_assert_nonnull (tb_find (report, "shadowed", "inet/t/input/4"));
}

static void
test_chain_loop (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  FwrChain *a = tb_chain (rs, "a", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);
  FwrChain *b = tb_chain (rs, "b", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);
  tb_rule (in, FWR_ACTION_JUMP, "a");
  tb_rule (a, FWR_ACTION_JUMP, "b");
  tb_rule (b, FWR_ACTION_JUMP, "a");

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "chain-loop", "inet/t/b/1"));
  g_assert_cmpuint (tb_count (report, "chain-loop"), ==, 1);
}

static void
test_correlated (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  FwrRule *ssh = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_src (ssh, "10.0.0.0/8");
  tb_dport (ssh, 6, 22, 22);
  tb_src (tb_rule (in, FWR_ACTION_DROP, NULL), "10.1.0.0/16");
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *net = g_strdup_printf ("192.168.%u.0/24", i);
      FwrRule *rule = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
      tb_src (rule, net);
      tb_dport (rule, 6, 20, 30);
    }
  tb_dport (tb_rule (in, FWR_ACTION_DROP, NULL), 6, 25, 25);
  /* A catch-all after specific accepts is the usual shape of a policy, not a correlation. */
  tb_rule (in, FWR_ACTION_DROP, NULL);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  const FwrFinding *finding = tb_find (report, "correlated", "inet/t/input/2");
  g_assert_nonnull (finding);
  g_assert_true (tb_related_has (finding, "inet/t/input/1"));
  finding = tb_find (report, "correlated", "inet/t/input/15");
  g_assert_nonnull (finding);
  guint32 total = 0;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "overlapping_rules", "u", &total));
  g_assert_cmpuint (total, ==, 12);
  g_assert_cmpuint (g_strv_length ((char **) fwr_finding_get_related (finding)), ==, FWR_CORRELATED_CAP);
  g_assert_null (tb_find (report, "correlated", "inet/t/input/16"));
}

static void
test_unused (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  FwrRule *zero = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_dport (zero, 6, 22, 22);
  zero->has_counter = TRUE;
  FwrRule *used = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_dport (used, 6, 80, 80);
  used->has_counter = TRUE;
  used->packets = 17;
  tb_dport (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 6, 443, 443);
  FwrObject *set = _fwr_ruleset_add_object (rs, "inet/t/admins", "t", "admins", FWR_TABLE_FAMILY_INET, FWR_OBJECT_SET);
  FwrObject *used_set = _fwr_ruleset_add_object (rs, "inet/t/web", "t", "web", FWR_TABLE_FAMILY_INET, FWR_OBJECT_SET);
  _fwr_rule_add_ref (used, used_set);
  tb_chain (rs, "orphan", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "unused", "inet/t/input/1"));
  g_assert_null (tb_find (report, "unused", "inet/t/input/2"));
  g_assert_null (tb_find (report, "unused", "inet/t/input/3"));
  g_assert_nonnull (tb_find (report, "unused-object", set->id));
  g_assert_null (tb_find (report, "unused-object", used_set->id));
  g_assert_nonnull (tb_find (report, "unused-object", "inet/t/orphan"));
}

static void
test_zone_isolation (void)
{
  g_autoptr (FwrZoneMap) zones = test_zones ();
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *fwd = tb_chain (rs, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_DROP);
  FwrRule *inbound = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_iif (inbound, "ppp*");
  tb_dst (inbound, "10.1.2.3");
  tb_dport (inbound, 6, 443, 443);
  FwrRule *outbound = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_iif (outbound, "lan");
  tb_oif (outbound, "wan");
  FwrRule *to_dmz = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_iif (to_dmz, "wan");
  tb_dst (to_dmz, "203.0.113.10");
  tb_dport (to_dmz, 6, 443, 443);
  FwrRule *lab = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_src (lab, "172.16.5.0/24");
  tb_dst (lab, "10.0.0.0/24");
  tb_dport (lab, 6, 5432, 5432);

  g_autoptr (FwrReport) report = fwr_analyze (rs, zones);
  const FwrFinding *finding = tb_find (report, "zone-isolation", "inet/t/forward/1");
  g_assert_nonnull (finding);
  g_assert_cmpint (fwr_finding_get_severity (finding), ==, FWR_SEVERITY_CRITICAL);
  g_autofree char *from = NULL, *to = NULL;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "from_zone", "s", &from));
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "to_zone", "s", &to));
  g_assert_cmpstr (from, ==, "internet");
  g_assert_cmpstr (to, ==, "lan");
  g_assert_null (tb_find (report, "zone-isolation", "inet/t/forward/2"));
  g_assert_null (tb_find (report, "zone-isolation", "inet/t/forward/3"));
  finding = tb_find (report, "zone-isolation", "inet/t/forward/4");
  g_assert_nonnull (finding);
  g_assert_cmpint (fwr_finding_get_severity (finding), ==, FWR_SEVERITY_HIGH);

  /* Without a zones file nothing is known of zones. */
  g_autoptr (FwrReport) plain = fwr_analyze (rs, NULL);
  g_assert_cmpuint (tb_count (plain, "zone-isolation"), ==, 0);
}

static void
test_remote_admin_cleartext (void)
{
  g_autoptr (FwrZoneMap) zones = test_zones ();
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  tb_dport (tb_rule (in, FWR_ACTION_ACCEPT, NULL), 6, 22, 22);
  FwrRule *mgmt = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_src (mgmt, "10.9.9.0/24");
  tb_iif (mgmt, "lan");
  tb_dport (mgmt, 6, 3389, 3389);
  FwrRule *telnet = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_iif (telnet, "wan");
  tb_src (telnet, "198.51.100.7");
  tb_dport (telnet, 6, 23, 23);
  FwrRule *ftp = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_src (ftp, "10.0.0.0/24");
  tb_dport (ftp, 6, 21, 21);

  g_autoptr (FwrReport) report = fwr_analyze (rs, zones);
  const FwrFinding *finding = tb_find (report, "remote-admin-exposure", "inet/t/input/1");
  g_assert_nonnull (finding);
  g_autofree char *source = NULL;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "source", "s", &source));
  g_assert_cmpstr (source, ==, "any");
  g_assert_null (tb_find (report, "remote-admin-exposure", "inet/t/input/2"));
  finding = tb_find (report, "remote-admin-exposure", "inet/t/input/3");
  g_assert_nonnull (finding);
  g_assert_nonnull (tb_find (report, "cleartext-service", "inet/t/input/3"));
  g_assert_nonnull (tb_find (report, "cleartext-service", "inet/t/input/4"));
  g_assert_null (tb_find (report, "cleartext-service", "inet/t/input/1"));
}

static void
test_undocumented_and_idioms (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
  FwrRule *est = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_match (est)->ct_states = FWR_CT_ESTABLISHED | FWR_CT_RELATED;
  FwrRule *lo = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_iif (lo, "lo");
  FwrRule *ping = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_proto (ping, 1);
  tb_match (ping)->icmp = fwr_range_set_new_range (8 << 8, (8 << 8) | 0xff);
  FwrRule *bare = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_dport (bare, 6, 8080, 8080);
  FwrRule *documented = tb_rule (in, FWR_ACTION_ACCEPT, NULL);
  tb_dport (documented, 6, 8443, 8443);
  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&((FwrRule *) g_ptr_array_index (in->rules, i))->comment, g_free);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_null (tb_find (report, "undocumented", "inet/t/input/1"));
  g_assert_null (tb_find (report, "undocumented", "inet/t/input/2"));
  g_assert_null (tb_find (report, "undocumented", "inet/t/input/3"));
  g_assert_nonnull (tb_find (report, "undocumented", "inet/t/input/4"));
  g_assert_null (tb_find (report, "undocumented", "inet/t/input/5"));
  /* Idioms are neither any-any nor overly permissive. */
  g_assert_cmpuint (tb_count (report, "any-any"), ==, 0);
  g_assert_cmpuint (tb_count (report, "overly-permissive"), ==, 0);
}

static void
test_overly_permissive (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *fwd = tb_chain (rs, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_DROP);
  tb_src (tb_rule (fwd, FWR_ACTION_ACCEPT, NULL), "10.0.0.0/8");
  FwrRule *web = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_dst (web, "203.0.113.10");
  tb_dport (web, 6, 443, 443);
  FwrRule *hosts = tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_src (hosts, "10.0.0.5");
  tb_dst (hosts, "10.0.1.5");
  tb_proto (hosts, 6);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  const FwrFinding *finding = tb_find (report, "overly-permissive", "inet/t/forward/1");
  g_assert_nonnull (finding);
  guint32 score = 0;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "score", "u", &score));
  g_assert_cmpuint (score, ==, 6);
  g_assert_cmpint (fwr_finding_get_severity (finding), ==, FWR_SEVERITY_HIGH);
  g_autofree const char **dims = NULL;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "dimensions", "^a&s", &dims));
  g_assert_true (g_strv_contains (dims, "service"));
  g_assert_true (g_strv_contains (dims, "destination"));
  g_assert_true (g_strv_contains (dims, "large-source-network"));
  g_assert_null (tb_find (report, "overly-permissive", "inet/t/forward/2"));
  finding = tb_find (report, "overly-permissive", "inet/t/forward/3");
  g_assert_nonnull (finding);
  g_assert_cmpint (fwr_finding_get_severity (finding), ==, FWR_SEVERITY_MEDIUM);
}

static void
test_report_order (void)
{
  g_autoptr (FwrRuleset) rs = new_ruleset ();
  FwrChain *fwd = tb_chain (rs, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_ACCEPT);
  tb_rule (fwd, FWR_ACTION_ACCEPT, NULL);
  tb_dport (tb_rule (fwd, FWR_ACTION_ACCEPT, NULL), 6, 22, 22);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  for (guint i = 1; i < fwr_report_get_n_findings (report); i++)
    g_assert_cmpint (fwr_finding_get_severity (fwr_report_get_finding (report, i - 1)), >=,
                     fwr_finding_get_severity (fwr_report_get_finding (report, i)));
  guint n_checks;
  const FwrCheckInfo *checks = fwr_check_get_all (&n_checks);
  g_assert_cmpuint (n_checks, ==, 13);
  g_assert_cmpstr (checks[0].name, ==, "any-any");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/analysis/any-any", test_any_any);
  g_test_add_func ("/fwr/analysis/default-allow", test_default_allow);
  g_test_add_func ("/fwr/analysis/shadowed", test_shadowed);
  g_test_add_func ("/fwr/analysis/redundant-union", test_redundant_union);
  g_test_add_func ("/fwr/analysis/redundant-after-conntrack-idioms", test_redundant_after_conntrack_idioms);
  g_test_add_func ("/fwr/analysis/opaque-never-covers", test_opaque_never_covers);
  g_test_add_func ("/fwr/analysis/families", test_families);
  g_test_add_func ("/fwr/analysis/base-chains", test_base_chains);
  g_test_add_func ("/fwr/analysis/jump-return-goto", test_jump_return_goto);
  g_test_add_func ("/fwr/analysis/chain-loop", test_chain_loop);
  g_test_add_func ("/fwr/analysis/correlated", test_correlated);
  g_test_add_func ("/fwr/analysis/unused", test_unused);
  g_test_add_func ("/fwr/analysis/zone-isolation", test_zone_isolation);
  g_test_add_func ("/fwr/analysis/remote-admin-cleartext", test_remote_admin_cleartext);
  g_test_add_func ("/fwr/analysis/undocumented-idioms", test_undocumented_and_idioms);
  g_test_add_func ("/fwr/analysis/overly-permissive", test_overly_permissive);
  g_test_add_func ("/fwr/analysis/report-order", test_report_order);
  return g_test_run ();
}
