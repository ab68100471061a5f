/* test-import-cisco-asa.c: the Cisco ASA importer: every construct of a running-config into the
 * model, the findings the engine draws from it, `show access-list` hit counts, bad input. */
#include "fwr-ruleset-private.h"
#include "fwr-import-private.h"

#include <gio/gio.h>

/* Helpers */

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "asa", name, NULL);
}

static FwrRuleset *
load (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  FwrRuleset *ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fwr_ruleset_get_format (ruleset), ==, "cisco-asa");
  return ruleset;
}

static FwrRuleset *
import_text (const char *text, GError **error)
{
  return fwr_import_data ("inline.cfg", text, strlen (text), FWR_FORMAT_CISCO_ASA, error);
}

static FwrRule *
get_rule (FwrRuleset *ruleset, const char *id)
{
  FwrRule *rule = fwr_ruleset_lookup_rule (ruleset, id);
  if (rule == NULL)
    g_error ("no rule %s", id);
  return rule;
}

static void
assert_rule (FwrRuleset *ruleset, const char *id, FwrAction action, const char *match)
{
  FwrRule *rule = get_rule (ruleset, id);
  g_autofree char *text = fwr_rule_dup_match_text (rule);
  g_assert_cmpstr (text, ==, match);
  g_assert_cmpstr (fwr_action_to_string (fwr_rule_get_action (rule)), ==, fwr_action_to_string (action));
}

static FwrObject *
get_object (FwrRuleset *ruleset, const char *id)
{
  for (guint i = 0; i < fwr_ruleset_get_n_objects (ruleset); i++)
    if (g_str_equal (fwr_object_get_id (fwr_ruleset_get_object (ruleset, i)), id))
      return fwr_ruleset_get_object (ruleset, i);
  g_error ("no object %s", id);
}

static gboolean
has_warning (FwrRuleset *ruleset, const char *suffix)
{
  for (guint i = 0; i < fwr_ruleset_get_n_warnings (ruleset); i++)
    if (g_str_has_suffix (fwr_ruleset_get_warning (ruleset, i), suffix))
      return TRUE;
  return FALSE;
}

/* The finding of check about subject, or NULL. */
static const FwrFinding *
find_finding (FwrReport *report, const char *check, const char *subject)
{
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    {
      const FwrFinding *finding = fwr_report_get_finding (report, i);
      if (g_str_equal (fwr_finding_get_check (finding), check) &&
          g_str_equal (fwr_finding_get_subject_id (finding), subject))
        return finding;
    }
  return NULL;
}

static gboolean
finding_relates (const FwrFinding *finding, const char *id)
{
  const char * const *related = fwr_finding_get_related (finding);
  return g_strv_contains (related, id);
}

/* Detection */

static void
test_detect (void)
{
  static const struct {
    const char *head;
    FwrFormat format;
  } cases[] = {
    { ": Saved\n:\nASA Version 9.8(4)\n", FWR_FORMAT_CISCO_ASA },
    { "hostname fw\nPIX Version 8.0(4)\n", FWR_FORMAT_CISCO_ASA },
    { "access-list outside_in extended permit tcp any any eq www\n", FWR_FORMAT_CISCO_ASA },
    { "access-list ACL01 standard permit host 10.0.0.1\n", FWR_FORMAT_CISCO_ASA },
    { "clear configure access-list asa_in\naccess-list asa_in remark x\n", FWR_FORMAT_CISCO_ASA },
    { "object-group network lan\n network-object host 10.0.0.1\n", FWR_FORMAT_CISCO_ASA },
    { "access-group INSIDE_acl in interface inside\n", FWR_FORMAT_CISCO_ASA },
    /* Cisco IOS numbered lists and iptables-save are other formats. */
    { "access-list 10 remark management\naccess-list 10 permit 10.0.0.0 0.0.0.255\n", FWR_FORMAT_UNKNOWN },
    { "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n", FWR_FORMAT_IPTABLES_SAVE },
    { "{\"nftables\": []}", FWR_FORMAT_NFTABLES_JSON },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (fwr_format_to_string (fwr_format_detect (cases[i].head, strlen (cases[i].head))), ==,
                     fwr_format_to_string (cases[i].format));
  g_assert_cmpint (fwr_format_from_string ("cisco-asa"), ==, FWR_FORMAT_CISCO_ASA);
}

/* Objects, groups nested through group-object, names */

static void
test_objects (void)
{
  g_autoptr (FwrRuleset) rs = load ("objects.cfg");

  /* top = level1 (host-db + level2 (10.2.0.0/24 + level3)) + fqdn + a name; the FQDN is the
   * opaque second term, the tcp port group nests ports-inner. */
  assert_rule (rs, "OBJ/1", FWR_ACTION_ACCEPT,
               "(ipv4 saddr 10.1.2.3,10.2.0.0/24,10.3.3.3,192.0.2.10 proto 6 dport 22,8000-8080) | "
               "(ipv4 proto 6 dport 22,8000-8080 [fqdn api.example.com])");
  /* The icmp6 member of svc-mixed has no IPv4 counterpart for an IPv4 source: no term. */
  assert_rule (rs, "OBJ/2", FWR_ACTION_ACCEPT,
               "(ipv4 saddr 10.1.0.0/16 proto 6 dport 80) | (ipv4 saddr 10.1.0.0/16 proto 17 dport 123) | "
               "(ipv4 saddr 10.1.0.0/16 proto 6,17 dport 5060)");
  assert_rule (rs, "OBJ/3", FWR_ACTION_ACCEPT,
               "ipv4 saddr 10.1.3.10/31,10.1.3.12/30,10.1.3.16/30,10.1.3.20 daddr 10.1.2.3,10.2.0.0/24,10.3.3.3 proto 47,50-51");
  /* echo-reply 0, unreachable 3, echo 8, every code. */
  assert_rule (rs, "OBJ/4", FWR_ACTION_ACCEPT,
               "ipv4 daddr 10.2.0.0/24,10.3.3.3 proto 1 icmp 0-255,768-1023,2048-2303");
  assert_rule (rs, "OBJ/5", FWR_ACTION_ACCEPT,
               "ipv4 saddr 192.0.2.10 daddr 192.0.2.10 proto 17 sport 1024-65535 dport 53");
  assert_rule (rs, "OBJ/6", FWR_ACTION_ACCEPT, "ipv4 proto 1 icmp 2048-2303");
  assert_rule (rs, "OBJ/7", FWR_ACTION_ACCEPT, "ipv4 proto 6 dport 0-1023");
  assert_rule (rs, "OBJ/8", FWR_ACTION_ACCEPT, "ipv6 proto 6 sport 1024-65535 dport 0-24,26-65535");
  assert_rule (rs, "OBJ/9", FWR_ACTION_ACCEPT, "ipv6 saddr 2001:db8::10 proto 17 sport 500");
  g_assert_cmpuint (fwr_rule_get_n_opaque (get_rule (rs, "OBJ/1")), ==, 1);

  /* A used group counts for every group and object inside it, however deep. */
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "object-group level3")), ==, 3);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "object-group level1")), ==, 2);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "object-group top")), ==, 1);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "object network host-db")), ==, 2);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "name web-server")), ==, 2);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "object-group ports-inner")), ==, 1);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "object-group icmp-basic")), ==, 1);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "object-group proto-ipsec")), ==, 1);
  g_assert_cmpint (fwr_object_get_kind (get_object (rs, "object-group top")), ==, FWR_OBJECT_ADDRESS_GROUP);
  g_assert_cmpint (fwr_object_get_kind (get_object (rs, "object service svc-web")), ==, FWR_OBJECT_SERVICE);
  g_assert_cmpuint (fwr_object_get_line (get_object (rs, "object-group unused-group")), ==, 78);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (find_finding (report, "unused-object", "object-group unused-group"));
  g_assert_nonnull (find_finding (report, "unused-object", "object network v6-net"));
  g_assert_nonnull (find_finding (report, "unused-object", "name never-used"));
  g_assert_null (find_finding (report, "unused-object", "object-group level3"));
  /* OBJ is bound nowhere: its chain never runs. */
  g_assert_nonnull (find_finding (report, "unused-object", "OBJ"));
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 0);
}

/* Every address and port form of an extended entry */

static void
test_address_forms (void)
{
  g_autoptr (FwrRuleset) rs = load ("forms.cfg");

  assert_rule (rs, "FORMS/2", FWR_ACTION_ACCEPT, "any");
  assert_rule (rs, "FORMS/3", FWR_ACTION_ACCEPT, "ipv4");
  assert_rule (rs, "FORMS/4", FWR_ACTION_ACCEPT, "ipv6");
  assert_rule (rs, "FORMS/5", FWR_ACTION_ACCEPT, "ipv4 saddr 10.0.0.5 daddr 192.0.2.1");
  /* "host NAME" and "NAME MASK" read the name. */
  assert_rule (rs, "FORMS/6", FWR_ACTION_ACCEPT, "ipv4 saddr 10.0.0.5 daddr 192.0.2.0/24");
  assert_rule (rs, "FORMS/7", FWR_ACTION_ACCEPT, "ipv4 saddr 10.0.0.5");
  assert_rule (rs, "FORMS/8", FWR_ACTION_ACCEPT, "ipv6 saddr 2001:db8::/32 daddr 2001:db8:a::1");
  /* "interface X" is the interface's own address (not the standby one)... */
  assert_rule (rs, "FORMS/9", FWR_ACTION_ACCEPT, "ipv4 daddr 203.0.113.1 proto 6 dport 443");
  assert_rule (rs, "FORMS/10", FWR_ACTION_ACCEPT, "daddr 10.0.0.1,2001:db8:a::1 proto 6 dport 22");
  /* ...or, when DHCP gives it, a condition the model cannot know. */
  assert_rule (rs, "FORMS/11", FWR_ACTION_ACCEPT, "proto 6 dport 22 [interface wan2 address]");
  assert_rule (rs, "FORMS-STD/1", FWR_ACTION_ACCEPT, "ipv4 daddr 10.0.0.5");
  assert_rule (rs, "FORMS-STD/2", FWR_ACTION_DROP, "ipv4");

  /* Before 9.0 an extended list filtered IPv4 only: "any" was any4. */
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) old = import_text ("ASA Version 8.4(7)\naccess-list X extended permit ip any any\n", &error);
  g_assert_no_error (error);
  assert_rule (old, "X/1", FWR_ACTION_ACCEPT, "ipv4");
}

static void
test_port_forms (void)
{
  g_autoptr (FwrRuleset) rs = load ("forms.cfg");

  assert_rule (rs, "FORMS/13", FWR_ACTION_ACCEPT, "proto 6 dport 80");
  assert_rule (rs, "FORMS/14", FWR_ACTION_ACCEPT, "proto 6 dport 0-1023");
  assert_rule (rs, "FORMS/15", FWR_ACTION_ACCEPT, "proto 6 dport 1024-65535");
  assert_rule (rs, "FORMS/16", FWR_ACTION_ACCEPT, "proto 6 dport 0-22,24-65535");
  assert_rule (rs, "FORMS/17", FWR_ACTION_ACCEPT, "proto 17 sport 1024-65535 dport 161-162");
  assert_rule (rs, "FORMS/18", FWR_ACTION_ACCEPT, "proto 6 sport 20");
  assert_rule (rs, "FORMS/19", FWR_ACTION_DROP, "proto 17 dport 31337");
  assert_rule (rs, "FORMS/22", FWR_ACTION_ACCEPT, "ipv4 proto 1 icmp 2048-2303");
  /* Type 3 code 4: (3 << 8) | 4. */
  assert_rule (rs, "FORMS/23", FWR_ACTION_ACCEPT, "ipv4 proto 1 icmp 772");
  assert_rule (rs, "FORMS/24", FWR_ACTION_ACCEPT, "ipv6 proto 58 icmp 512-767");
  assert_rule (rs, "FORMS/25", FWR_ACTION_ACCEPT, "proto 47");
  assert_rule (rs, "FORMS/26", FWR_ACTION_ACCEPT, "proto 132 dport 9899");
  /* An unknown port name keeps the rule, as a condition the model cannot read. */
  assert_rule (rs, "FORMS/29", FWR_ACTION_ACCEPT, "ipv4 daddr 198.51.100.7 proto 6 [eq no-such-port]");
  g_assert_true (has_warning (rs, "forms.cfg:53:64: port name “no-such-port” is unknown: the rule keeps it as a condition it cannot model"));
}

/* Remarks, line numbers, log, inactive, time-range, skipped list types */

static void
test_entry_options (void)
{
  g_autoptr (FwrRuleset) rs = load ("forms.cfg");

  /* ASA numbers every entry, remarks included: line 1 is a remark, so no rule FORMS/1. */
  g_assert_null (fwr_ruleset_lookup_rule (rs, "FORMS/1"));
  g_assert_null (fwr_ruleset_lookup_rule (rs, "FORMS/12"));
  g_assert_cmpstr (fwr_rule_get_comment (get_rule (rs, "FORMS/2")), ==, "every address form");
  g_assert_null (fwr_rule_get_comment (get_rule (rs, "FORMS/3")));
  g_assert_cmpstr (fwr_rule_get_comment (get_rule (rs, "FORMS/13")), ==, "every port form");
  g_assert_cmpuint (fwr_rule_get_line (get_rule (rs, "FORMS/2")), ==, 26);
  g_assert_cmpuint (fwr_rule_get_line (get_rule (rs, "FORMS-STD/2")), ==, 55);

  g_assert_true (fwr_rule_get_log (get_rule (rs, "FORMS/19")));
  g_assert_true (fwr_rule_get_log (get_rule (rs, "FORMS/27")));
  g_assert_false (fwr_rule_get_log (get_rule (rs, "FORMS/28")));
  g_assert_false (fwr_rule_get_log (get_rule (rs, "FORMS/13")));
  g_assert_false (fwr_rule_get_enabled (get_rule (rs, "FORMS/20")));
  g_assert_true (fwr_rule_get_enabled (get_rule (rs, "FORMS/21")));
  assert_rule (rs, "FORMS/21", FWR_ACTION_ACCEPT, "proto 6 dport 143 [time-range work-hours]");
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (rs, "time-range work-hours")), ==, 1);
  g_assert_cmpint (fwr_object_get_kind (get_object (rs, "time-range work-hours")), ==, FWR_OBJECT_SCHEDULE);

  /* Every list ends with the ASA's implicit deny. */
  FwrChain *chain = fwr_ruleset_lookup_chain (rs, "FORMS");
  FwrRule *last = fwr_chain_get_rule (chain, fwr_chain_get_n_rules (chain) - 1);
  g_assert_cmpstr (fwr_rule_get_id (last), ==, "FORMS/implicit-deny");
  g_assert_cmpint (fwr_rule_get_action (last), ==, FWR_ACTION_DROP);
  g_autofree char *all = fwr_rule_dup_match_text (last);
  g_assert_cmpstr (all, ==, "any");
  /* 29 entries of which 2 remarks, and the implicit deny. */
  g_assert_cmpuint (fwr_chain_get_n_rules (chain), ==, 28);

  /* webtype and ethertype lists filter nothing the model describes: skipped, with a warning. */
  g_assert_null (fwr_ruleset_lookup_chain (rs, "WEB"));
  g_assert_null (fwr_ruleset_lookup_chain (rs, "ETH"));
  g_assert_true (has_warning (rs, "forms.cfg:56:17: access-list WEB has webtype entries, which filter no IP traffic the analysis models: they are skipped"));
  g_assert_true (has_warning (rs, "forms.cfg:57:17: access-list ETH has ethertype entries, which filter no IP traffic the analysis models: they are skipped"));
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 3);

  /* "line N" inserts where the ASA would; "clear configure access-list" starts a list anew. */
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) edited = import_text (
      "access-list X extended permit tcp any any eq 1\n"
      "access-list X extended permit tcp any any eq 3\n"
      "access-list X line 2 extended permit tcp any any eq 2\n"
      "access-list Y extended permit ip any any\n"
      "clear configure access-list Y\n"
      "access-list Y extended deny tcp any any\n", &error);
  g_assert_no_error (error);
  assert_rule (edited, "X/2", FWR_ACTION_ACCEPT, "proto 6 dport 2");
  g_assert_cmpuint (fwr_rule_get_line (get_rule (edited, "X/2")), ==, 3);
  assert_rule (edited, "X/3", FWR_ACTION_ACCEPT, "proto 6 dport 3");
  assert_rule (edited, "Y/1", FWR_ACTION_DROP, "proto 6");
  g_assert_cmpuint (fwr_chain_get_n_rules (fwr_ruleset_lookup_chain (edited, "Y")), ==, 2);
}

/* access-group in/out, security levels */

static void
test_bindings (void)
{
  g_autoptr (FwrRuleset) rs = load ("bindings.cfg");

  FwrChain *in = fwr_ruleset_lookup_chain (rs, "access-group in");
  g_assert_cmpint (fwr_chain_get_hook (in), ==, FWR_HOOK_FORWARD);
  g_assert_cmpint (fwr_chain_get_chain_type (in), ==, FWR_CHAIN_TYPE_FILTER);
  g_assert_cmpint (fwr_chain_get_policy (in), ==, FWR_ACTION_DROP);
  g_assert_cmpint (fwr_chain_get_family (in), ==, FWR_TABLE_FAMILY_INET);
  g_assert_cmpuint (fwr_chain_get_n_rules (in), ==, 4);

  assert_rule (rs, "access-group in/outside", FWR_ACTION_JUMP, "from-zone outside");
  g_assert_cmpstr (fwr_rule_get_target (get_rule (rs, "access-group in/outside")), ==, "OUTSIDE_IN");
  /* No list in on inside, dmz, mgmt: the security levels decide; inter-interface adds the
   * equal level; the interface without nameif passes nothing. */
  assert_rule (rs, "access-group in/security-level/inside", FWR_ACTION_ACCEPT,
               "from-zone inside to-zone {outside,dmz,mgmt}");
  assert_rule (rs, "access-group in/security-level/dmz", FWR_ACTION_ACCEPT, "from-zone dmz to-zone outside");
  assert_rule (rs, "access-group in/security-level/mgmt", FWR_ACTION_ACCEPT,
               "from-zone mgmt to-zone {outside,inside,dmz}");
  g_assert_nonnull (fwr_rule_get_comment (get_rule (rs, "access-group in/security-level/dmz")));

  /* Outbound lists come after the inbound ones and cannot open anything themselves. */
  FwrChain *out = fwr_ruleset_lookup_chain (rs, "access-group out");
  g_assert_cmpint (fwr_chain_get_hook (out), ==, FWR_HOOK_FORWARD);
  g_assert_cmpint (fwr_chain_get_chain_type (out), ==, FWR_CHAIN_TYPE_ROUTE);
  g_assert_cmpint (fwr_chain_get_priority (out), >, fwr_chain_get_priority (in));
  g_assert_cmpint (fwr_chain_get_policy (out), ==, FWR_ACTION_ACCEPT);
  assert_rule (rs, "access-group out/dmz", FWR_ACTION_JUMP, "to-zone dmz");
  g_assert_cmpstr (fwr_rule_get_target (get_rule (rs, "access-group out/dmz")), ==, "DMZ_OUT");

  FwrChain *acl = fwr_ruleset_lookup_chain (rs, "OUTSIDE_IN");
  g_assert_cmpint (fwr_chain_get_hook (acl), ==, FWR_HOOK_NONE);
  g_assert_nonnull (fwr_ruleset_lookup_rule (rs, "OUTSIDE_IN/implicit-deny"));

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  /* Unbound lists are still imported: a chain that never runs. */
  g_assert_nonnull (find_finding (report, "unused-object", "NOT_BOUND"));
  g_assert_null (find_finding (report, "unused-object", "DMZ_OUT"));
  /* The outbound chain's accept policy is no default-allow: the inbound side decides first. */
  g_assert_null (find_finding (report, "default-allow", "access-group out"));
  g_assert_null (find_finding (report, "default-allow", "access-group in"));
  /* What the security levels let through is as wide as it gets. */
  g_assert_nonnull (find_finding (report, "any-any", "access-group in/security-level/inside"));
}

/* access-group global: interface lists fall through to it, and it ends with the implicit deny */

static void
test_global (void)
{
  g_autoptr (FwrRuleset) rs = load ("global.cfg");

  g_assert_null (fwr_ruleset_lookup_rule (rs, "OUTSIDE_IN/implicit-deny"));
  g_assert_null (fwr_ruleset_lookup_rule (rs, "INSIDE_IN/implicit-deny"));
  g_assert_nonnull (fwr_ruleset_lookup_rule (rs, "GLOBAL/implicit-deny"));
  g_assert_null (fwr_ruleset_lookup_rule (rs, "access-group in/security-level/inside"));
  assert_rule (rs, "access-group in/global", FWR_ACTION_JUMP, "from-zone {outside,inside}");
  FwrChain *in = fwr_ruleset_lookup_chain (rs, "access-group in");
  g_assert_cmpstr (fwr_rule_get_id (fwr_chain_get_rule (in, 2)), ==, "access-group in/global");

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  /* Web is decided by both interface lists (permit on outside, deny on inside)... */
  const FwrFinding *shadowed = find_finding (report, "shadowed", "GLOBAL/2");
  g_assert_nonnull (shadowed);
  g_assert_true (finding_relates (shadowed, "OUTSIDE_IN/2"));
  g_assert_true (finding_relates (shadowed, "INSIDE_IN/2"));
  /* ...while 8080 falls through both to the global list. */
  g_assert_null (find_finding (report, "shadowed", "GLOBAL/4"));
  g_assert_null (find_finding (report, "redundant", "GLOBAL/4"));
}

/* Findings on an ASA policy with a zones file */

static void
test_findings (void)
{
  g_autoptr (FwrRuleset) rs = load ("findings.cfg");
  g_autofree char *zones_path = data_path ("zones.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrZoneMap) zones = fwr_zone_map_new_from_file (zones_path, &error);
  g_assert_no_error (error);
  g_autoptr (FwrReport) report = fwr_analyze (rs, zones);

  const FwrFinding *redundant = find_finding (report, "redundant", "OUTSIDE_IN/4");
  g_assert_nonnull (redundant);
  g_assert_true (finding_relates (redundant, "OUTSIDE_IN/2"));
  const FwrFinding *shadowed = find_finding (report, "shadowed", "OUTSIDE_IN/6");
  g_assert_nonnull (shadowed);
  g_assert_cmpint (fwr_finding_get_severity (shadowed), ==, FWR_SEVERITY_HIGH);
  g_assert_true (finding_relates (shadowed, "OUTSIDE_IN/2"));
  g_assert_null (find_finding (report, "shadowed", "OUTSIDE_IN/2"));
  g_assert_null (find_finding (report, "redundant", "OUTSIDE_IN/2"));

  const FwrFinding *any_any = find_finding (report, "any-any", "INSIDE_IN/2");
  g_assert_nonnull (any_any);
  g_assert_cmpstr (fwr_rule_get_id (fwr_finding_get_rule (any_any)), ==, "INSIDE_IN/2");

  /* Telnet from the outside interface, which the zones file calls internet. */
  g_assert_nonnull (find_finding (report, "remote-admin-exposure", "OUTSIDE_IN/8"));
  g_assert_nonnull (find_finding (report, "cleartext-service", "OUTSIDE_IN/8"));
  const FwrFinding *isolation = find_finding (report, "zone-isolation", "OUTSIDE_IN/8");
  g_assert_nonnull (isolation);
  g_assert_cmpint (fwr_finding_get_severity (isolation), ==, FWR_SEVERITY_CRITICAL);
  GVariant *details = fwr_finding_get_details (isolation);
  const char *from_zone = NULL, *from_class = NULL;
  g_assert_true (g_variant_lookup (details, "from_zone", "&s", &from_zone));
  g_assert_true (g_variant_lookup (details, "from_class", "&s", &from_class));
  g_assert_cmpstr (from_zone, ==, "outside");
  g_assert_cmpstr (from_class, ==, "internet");

  /* Remarks document the rules. */
  g_assert_null (find_finding (report, "undocumented", "OUTSIDE_IN/8"));

  /* After "permit ip any any" no packet is left for the implicit deny: there is none to report
   * as shadowed. OUTSIDE_IN leaves packets to it. */
  g_assert_null (fwr_ruleset_lookup_rule (rs, "INSIDE_IN/implicit-deny"));
  g_assert_nonnull (fwr_ruleset_lookup_rule (rs, "OUTSIDE_IN/implicit-deny"));
  g_assert_null (find_finding (report, "shadowed", "OUTSIDE_IN/implicit-deny"));
}

/* Hit counts */

static void
test_hits (void)
{
  g_autoptr (FwrRuleset) rs = load ("hits.cfg");
  g_autofree char *hits = data_path ("hits.txt");
  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_import_apply_hits (rs, hits, &error));
  g_assert_no_error (error);

  guint64 packets;
  /* The line's own count, not the sum of its expanded entries (here both 1500). */
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "OUTSIDE_IN/2"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 1500);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "OUTSIDE_IN/3"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 42);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "OUTSIDE_IN/5"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 0);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "OUTSIDE_IN/6"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 77);
  /* A list the output does not show has no counter: usage unknown. */
  g_assert_false (fwr_rule_get_counter (get_rule (rs, "INSIDE_IN/1"), NULL, NULL));
  g_assert_true (has_warning (rs, "hits.txt:13:1: access-list MANAGEMENT is not in the configuration: its hit counts are ignored"));

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (find_finding (report, "unused", "OUTSIDE_IN/5"));
  g_assert_null (find_finding (report, "unused", "OUTSIDE_IN/3"));
  g_assert_null (find_finding (report, "unused", "INSIDE_IN/1"));
}

static void
test_hits_stale (void)
{
  g_autoptr (FwrRuleset) rs = load ("hits.cfg");
  g_autofree char *hits = data_path ("hits-stale.txt");
  g_autoptr (GError) error = NULL;
  g_assert_false (fwr_import_apply_hits (rs, hits, &error));
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_true (g_str_has_suffix (error->message, "hits-stale.txt:4:1: line 3 of access-list OUTSIDE_IN is “extended deny” here but an entry with the other action in the configuration: these hit counts come from another configuration"));
  guint line = 0;
  g_assert_true (fwr_import_error_get_location (error, NULL, &line, NULL));
  g_assert_cmpuint (line, ==, 4);
  /* Nothing half-written: line 2 matched, yet received no count. */
  g_assert_false (fwr_rule_get_counter (get_rule (rs, "OUTSIDE_IN/2"), NULL, NULL));
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 0);

  g_clear_error (&error);
  g_autofree char *config = data_path ("hits.cfg");
  g_assert_false (fwr_import_apply_hits (rs, config, &error));
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_true (g_str_has_suffix (error->message, "no `show access-list` entry (“access-list NAME line N ... (hitcnt=N)”) found"));
}

/* fwreview analyze --hits: the counts reach the "unused" check; a mismatch is bad input (3). */
static int
run_analyze (const char * const *args, char **out, char **err)
{
  const char *bin = g_getenv ("FWREVIEW_BIN");
  g_assert_nonnull (bin);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) bin);
  g_ptr_array_add (argv, "analyze");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = g_subprocess_newv ((const char * const *) argv->pdata,
                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                       &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static void
test_cli_hits (void)
{
  g_autofree char *config = data_path ("hits.cfg");
  g_autofree char *hits = data_path ("hits.txt");
  g_autofree char *stale = data_path ("hits-stale.txt");
  g_autofree char *out = NULL, *err = NULL;

  const char *good[] = { "--format", "csv", "--hits", hits, config, NULL };
  g_assert_cmpint (run_analyze (good, &out, &err), ==, 0);
  g_autofree char *unused = g_strdup_printf ("%s,unused,low,OUTSIDE_IN/5,16,nobody uses this,,", config);
  g_assert_nonnull (strstr (out, unused));
  g_assert_null (strstr (out, ",unused,low,OUTSIDE_IN/3,"));
  g_assert_nonnull (strstr (err, "access-list MANAGEMENT is not in the configuration"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  const char *mismatch[] = { "--hits", stale, config, NULL };
  g_assert_cmpint (run_analyze (mismatch, &out, &err), ==, 3);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "hits-stale.txt:4:1: line 3 of access-list OUTSIDE_IN"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  const char *two[] = { "--hits", hits, config, config, NULL };
  g_assert_cmpint (run_analyze (two, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--hits belongs to one configuration: give exactly one FILE"));
}

/* Bad input: errors with their place, or warnings that keep the rule */

static void
assert_import_error (const char *text, guint line, guint column, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = import_text (text, &error);
  g_assert_null (rs);
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_autofree char *expected = g_strdup_printf ("inline.cfg:%u:%u: %s", line, column, message);
  g_assert_cmpstr (error->message, ==, expected);
  guint got_line = 0, got_column = 0;
  const char *file = NULL;
  g_assert_true (fwr_import_error_get_location (error, &file, &got_line, &got_column));
  g_assert_cmpstr (file, ==, "inline.cfg");
  g_assert_cmpuint (got_line, ==, line);
  g_assert_cmpuint (got_column, ==, column);
}

static void
test_nesting (void)
{
  g_autofree char *path = data_path ("cycle.cfg");
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_null (rs);
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_true (g_str_has_suffix (error->message, "cycle.cfg:9:15: object-group a contains itself: a → b → c → a"));

  /* Deeper nesting than any configuration needs is refused before it could exhaust a stack. */
  GString *deep = g_string_new ("ASA Version 9.8(4)\n");
  for (guint i = 0; i < 70; i++)
    g_string_append_printf (deep, "object-group network g%u\n group-object g%u\n", i, i + 1);
  g_string_append (deep, "object-group network g70\n network-object host 10.0.0.1\n");
  g_autoptr (GError) deep_error = NULL;
  g_autoptr (FwrRuleset) deep_rs = import_text (deep->str, &deep_error);
  g_string_free (deep, TRUE);
  g_assert_null (deep_rs);
  g_assert_error (deep_error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_true (g_str_has_suffix (deep_error->message, "object-groups nest deeper than 64 levels"));

  /* Each level holds the one below twice, by two paths: 2^60 paths, one member. */
  GString *diamond = g_string_new ("\xef\xbb\xbf" "object-group network d0\n network-object host 10.0.0.1\n");
  for (guint i = 1; i <= 60; i++)
    g_string_append_printf (diamond, "object-group network d%u\n group-object d%u\n group-object d%u\n", i, i - 1, i - 1);
  g_string_append (diamond, "access-list X extended permit ip object-group d60 any\n");
  g_autoptr (GError) diamond_error = NULL;
  g_autoptr (FwrRuleset) diamond_rs = import_text (diamond->str, &diamond_error);
  g_string_free (diamond, TRUE);
  g_assert_no_error (diamond_error);
  assert_rule (diamond_rs, "X/1", FWR_ACTION_ACCEPT, "ipv4 saddr 10.0.0.1");
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (diamond_rs, "object-group d0")), ==, 1);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (diamond_rs, "object-group d60")), ==, 1);
}

static void
test_bad_syntax (void)
{
  assert_import_error ("access-list X extended permit ip 10.0.0.0 255.0.255.0 any\n", 1, 43,
                       "bad network mask 255.0.255.0: its one bits are not contiguous");
  assert_import_error ("ASA Version 9.8(4)\naccess-list X extended permit tcp any\n", 2, 38,
                       "the line ends where the destination address is expected");
  assert_import_error ("access-list X extended permit tcp any any eq\n", 1, 45, "“eq” needs a port");
  assert_import_error ("access-list X extended permit tcp any any range 90 80\n", 1, 52,
                       "the port range ends before it starts");
  assert_import_error ("access-list X extended permit tcp any any eq 70000\n", 1, 46, "port 70000 is not in 0-65535");
  assert_import_error ("access-list X extended permit tcp host 10.0.0.300 any\n", 1, 40, "“10.0.0.300” is not a valid address");
  assert_import_error ("access-list X extended allow tcp any any\n", 1, 24, "expected permit or deny");
  assert_import_error ("access-list X extended permit tcp any any eq www bogus\n", 1, 50, "unexpected “bogus”");
  assert_import_error ("access-list X frobnicate permit ip any any\n", 1, 15,
                       "unknown access-list entry type “frobnicate” (expected extended, standard, remark, webtype or ethertype)");
  assert_import_error ("access-group X sideways interface inside\n", 1, 16,
                       "expected “in interface NAME”, “out interface NAME” or “global”");
  assert_import_error ("object-group network a\nobject-group service a\n", 2, 22,
                       "object-group a is already a network group (line 1)");
  assert_import_error ("object network r\n range 10.0.0.9 10.0.0.1\naccess-list X extended permit ip object r any\n",
                       2, 17, "the range ends before it starts");
  assert_import_error ("access-list X line 3 extended permit ip any any\naccess-list test line 1 extended permit ip any any (hitcnt=0) 0x1\n",
                       2, 1, "this is `show access-list` output (hit counts), not a configuration: give it with --hits beside the running-config");

  static const char nul[] = "access-list X extended permit ip any any\nacc\0ess-list Y\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = fwr_import_data ("inline.cfg", nul, sizeof nul - 1, FWR_FORMAT_CISCO_ASA, &error);
  g_assert_null (rs);
  g_assert_cmpstr (error->message, ==, "inline.cfg:2:1: the line holds a NUL byte: this is not a text configuration");

  g_clear_error (&error);
  g_autoptr (FwrRuleset) nothing = import_text ("hostname fw\nntp server 10.0.0.1\n", &error);
  g_assert_null (nothing);
  g_assert_cmpstr (error->message, ==, "inline.cfg: no access list, object or interface found: not a Cisco ASA configuration");
}

/* The ASA refuses undefined references, so only edited or partial files hold them: the rule is
 * kept, the unknown part becomes an opaque condition, and a warning names the place. */
static void
test_undefined_reference (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = import_text (
      "object-group network known\n"
      " network-object host 10.0.0.1\n"
      " group-object missing-inner\n"
      "access-list X extended permit tcp object-group known object-group missing eq ssh\n"
      "access-group X in interface outside\n"
      "access-group Y in interface inside\n", &error);
  g_assert_no_error (error);
  g_assert_true (has_warning (rs, "inline.cfg:3:15: object-group missing-inner is not defined"));
  g_assert_true (has_warning (rs, "inline.cfg:4:67: object-group missing is not defined"));
  g_assert_true (has_warning (rs, "inline.cfg:6:14: access-group binds access-list Y, which is not defined"));
  assert_rule (rs, "X/1", FWR_ACTION_ACCEPT,
               "(ipv4 saddr 10.0.0.1 proto 6 dport 22 [object-group missing (undefined)]) | "
               "(proto 6 dport 22 [object-group missing-inner (undefined)] [object-group missing (undefined)])");
  /* A binding of a list that does not exist: may drop, the model cannot say what. */
  assert_rule (rs, "access-group in/inside", FWR_ACTION_DROP,
               "from-zone inside [access-list Y (undefined)]");
}

/* Any bytes: a ruleset or a located import error, never a crash */

static void
test_arbitrary_bytes (void)
{
  g_autofree char *path = data_path ("forms.cfg");
  g_autofree char *sample = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (path, &sample, &length, NULL));
  GRand *rand = g_rand_new_with_seed (20240917);
  guint n_ok = 0, n_failed = 0;
  for (guint round = 0; round < 300; round++)
    {
      g_autofree char *data = g_memdup2 (sample, length);
      guint flips = g_rand_int_range (rand, 1, 40);
      for (guint k = 0; k < flips; k++)
        data[g_rand_int_range (rand, 0, (gint32) length)] = (char) g_rand_int_range (rand, 0, 256);
      gsize cut = g_rand_int_range (rand, 1, (gint32) length);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) rs = fwr_import_data ("fuzz.cfg", data, cut, FWR_FORMAT_CISCO_ASA, &error);
      if (rs != NULL)
        {
          g_assert_no_error (error);
          for (guint i = 0; i < fwr_ruleset_get_n_warnings (rs); i++)
            g_assert_true (g_utf8_validate (fwr_ruleset_get_warning (rs, i), -1, NULL));
          g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
          g_assert_nonnull (report);
          n_ok++;
        }
      else
        {
          g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
          g_assert_true (g_str_has_prefix (error->message, "fuzz.cfg"));
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          n_failed++;
        }
    }
  g_rand_free (rand);
  /* Both outcomes occur, or the mutations did not exercise the parser. */
  g_assert_cmpuint (n_ok, >, 0);
  g_assert_cmpuint (n_failed, >, 0);
}

/* The public samples under ../shared */

static const char *
shared_dir (void)
{
  const char *dir = g_getenv ("FWR_SHARED_DIR");
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return dir;
}

/* Rule counts checked by hand: entries that are not remarks (wc -l on the access-list lines,
 * minus remarks), plus one implicit deny per list that does not end with an "ip any any" entry,
 * plus the rules of the base chains: one per access-group, one per interface without an inbound
 * list whose security level is above another's. */
static const struct {
  const char *file;
  guint rules;
  guint warnings;
} shared_configs[] = {
  /* asa_in 43 + asa_out 21 entries; no implicit deny: they end with "deny ip any any" and
   * "permit ip any any"; no interface, no binding. */
  { "aerleon_sample_multitarget.asa.txt", 64, 0 },
  /* acl1 1 + acl2 1 (osfake, onfake1, onfake2 undefined: 3 warnings) + 2 implicit denies. */
  { "batfish_asa-acl-object.cfg", 4, 3 },
  /* 4 lists of 1 + 3 implicit denies (FILTER_IN is "permit ip any any"); in: name1, name4,
   * security level of name3 (50 > 0); out: name1, name5, name2 (FILTER_UNDEF undefined). */
  { "batfish_asa-filters.cfg", 13, 1 },
  { "batfish_asa-nested-icmp-type-object-group.cfg", 0, 3 },
  { "batfish_asa-nested-network-object-group.cfg", 0, 2 },
  { "batfish_asa-nested-protocol-object-group.cfg", 0, 3 },
  { "batfish_asa-nested-service-object-group.cfg", 0, 3 },
  /* No list: all-trust 100 and inside 100 (implicit) reach some-trust 45 and outside 1;
   * some-trust reaches outside; outside reaches nothing. */
  { "batfish_asa-security-level.cfg", 3, 0 },
  { "batfish_asa-service-object.cfg", 0, 2 },
  /* outside_in 1, Local_LAN_Access 1, outside 1 (after a remark), inline_specifiers 20, + 4. */
  { "batfish_unit_asa_acl.cfg", 27, 1 },
  { "batfish_unit_asa_object_groups.cfg", 2, 0 },
  /* SPLIT_TUNNEL_NETS 1, NO_SSLVPN_NAT 1, INSIDE_in 13, ANY 2, VOIP 2, MAINTENANCE 1,
   * OUTSIDE_in 4, + 7 implicit denies, + 2 access-groups (both interfaces have a list). */
  { "ciscoconfparse_sample_01.asa", 33, 2 },
  /* ACL01 2, ACL02 4, ACL03 2, ACL04 3, ACL05 4, + 5. */
  { "joelob99_flatAsaAcl_sample_config.txt", 20, 0 },
  { "ntc_cisco_asa_show_object-group_network.txt", 0, 4 },
  { "ntc_cisco_asa_show_running-config_object_network.txt", 0, 0 },
  { "ntc_cisco_asa_show_running-config_object_service.txt", 0, 0 },
  /* 7 access-groups of lists this partial file does not hold. */
  { "ntc_show_running-config_access-group.txt", 7, 8 },
  { "ntc_show_running-config_object-group_service.txt", 0, 3 },
};

static void
test_shared_samples (void)
{
  const char *shared = shared_dir ();
  if (shared == NULL)
    {
      g_test_skip ("FWR_SHARED_DIR (../shared) is absent");
      return;
    }
  g_autofree char *dir = g_build_filename (shared, "samples-public", "cisco-asa", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (shared_configs); i++)
    {
      g_autofree char *path = g_build_filename (dir, shared_configs[i].file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
      if (error != NULL)
        g_error ("%s: %s", shared_configs[i].file, error->message);
      g_assert_cmpstr (fwr_ruleset_get_format (rs), ==, "cisco-asa");
      if (fwr_ruleset_get_n_rules (rs) != shared_configs[i].rules ||
          fwr_ruleset_get_n_warnings (rs) != shared_configs[i].warnings)
        g_error ("%s: %u rules and %u warnings, expected %u and %u", shared_configs[i].file,
                 fwr_ruleset_get_n_rules (rs), fwr_ruleset_get_n_warnings (rs),
                 shared_configs[i].rules, shared_configs[i].warnings);
      g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
      g_assert_nonnull (report);
    }

  /* Spot checks against the text of the files. */
  g_autofree char *aerleon = g_build_filename (dir, "aerleon_sample_multitarget.asa.txt", NULL);
  g_autoptr (FwrRuleset) rs = fwr_import_file (aerleon, FWR_FORMAT_UNKNOWN, NULL);
  /* Nine remarks come first, so the first entry is line 10; its comment joins them all. */
  FwrRule *first = get_rule (rs, "asa_in/10");
  g_assert_true (g_str_has_prefix (fwr_rule_get_comment (first), "$Id:$\n$Date:$\n"));
  g_assert_true (g_str_has_suffix (fwr_rule_get_comment (first), "\nalso has multiple entries."));
  assert_rule (rs, "asa_in/10", FWR_ACTION_DROP, "ipv4 saddr 0.0.0.0/8");
  assert_rule (rs, "asa_in/53", FWR_ACTION_ACCEPT, "ipv4 daddr 200.1.1.1 proto 17 sport 1024-65535");
  assert_rule (rs, "asa_out/27", FWR_ACTION_ACCEPT, "any");

  g_autofree char *ccp = g_build_filename (dir, "ciscoconfparse_sample_01.asa", NULL);
  g_autoptr (FwrRuleset) ccp_rs = fwr_import_file (ccp, FWR_FORMAT_UNKNOWN, NULL);
  /* Names used by logging, DNS and SNMP settings are in use; the NAT object too. */
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (ccp_rs, "name Machine01")), ==, 4);
  g_assert_cmpuint (fwr_object_get_n_refs (get_object (ccp_rs, "object network obj_any")), ==, 1);
  g_assert_false (fwr_rule_get_log (get_rule (ccp_rs, "INSIDE_in/1")));
  g_assert_true (fwr_rule_get_log (get_rule (ccp_rs, "INSIDE_in/2")));
  g_autoptr (FwrReport) report = fwr_analyze (ccp_rs, NULL);
  /* ANDROID_svc (tcp 5228) is inside GOOGLE_svc for the same addresses, one line above. */
  g_assert_nonnull (find_finding (report, "redundant", "INSIDE_in/3"));
}

/* The `show access-list` samples, against the configuration rebuilt from them. */
static void
test_shared_hits (void)
{
  const char *shared = shared_dir ();
  if (shared == NULL)
    {
      g_test_skip ("FWR_SHARED_DIR (../shared) is absent");
      return;
    }
  g_autofree char *dir = g_build_filename (shared, "samples-public", "cisco-asa", NULL);
  g_autofree char *update = g_build_filename (dir, "ntc_cisco_asa_show_access-list_update.txt", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = load ("ntc-test.cfg");
  g_assert_true (fwr_import_apply_hits (rs, update, &error));
  g_assert_no_error (error);
  guint64 packets;
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "test/18"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 31778);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "test/20"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 1902659);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "test/35"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 3);
  /* The line says 55, its one expanded entry 40: the line's own count is what the ASA shows. */
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "test/39"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 55);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "test/2"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 0);

  /* The older output stops at line 35: the four later lines have no counter. */
  g_autoptr (FwrRuleset) older = load ("ntc-test.cfg");
  g_autofree char *first = g_build_filename (dir, "ntc_cisco_asa_show_access-list.txt", NULL);
  g_assert_true (fwr_import_apply_hits (older, first, &error));
  g_assert_no_error (error);
  g_assert_true (fwr_rule_get_counter (get_rule (older, "test/35"), NULL, NULL));
  g_assert_false (fwr_rule_get_counter (get_rule (older, "test/36"), NULL, NULL));
  g_assert_true (has_warning (older, "ntc_cisco_asa_show_access-list.txt: 4 entries of access-list test have no hit count here: usage unknown"));

  /* Outputs of lists this configuration lacks read fine and count nothing. */
  static const char *others[] = { "ntc_cisco_asa_show_access-list_4.txt",
                                  "ntc_cisco_asa_show_access-list_update2.txt" };
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr (FwrRuleset) other = load ("ntc-test.cfg");
      g_autofree char *path = g_build_filename (dir, others[i], NULL);
      g_assert_true (fwr_import_apply_hits (other, path, &error));
      g_assert_no_error (error);
      g_assert_false (fwr_rule_get_counter (get_rule (other, "test/2"), NULL, NULL));
      g_assert_cmpuint (fwr_ruleset_get_n_warnings (other), ==, 1);
    }

  /* A `show access-list` output is no configuration: importing it says what to do instead. */
  g_autoptr (FwrRuleset) wrong = fwr_import_file (update, FWR_FORMAT_UNKNOWN, &error);
  g_assert_null (wrong);
  g_assert_true (g_str_has_suffix (error->message, ":1:1: this is `show access-list` output (hit counts), not a configuration: give it with --hits beside the running-config"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/import-cisco-asa/detect", test_detect);
  g_test_add_func ("/fwr/import-cisco-asa/objects", test_objects);
  g_test_add_func ("/fwr/import-cisco-asa/address-forms", test_address_forms);
  g_test_add_func ("/fwr/import-cisco-asa/port-forms", test_port_forms);
  g_test_add_func ("/fwr/import-cisco-asa/entry-options", test_entry_options);
  g_test_add_func ("/fwr/import-cisco-asa/bindings", test_bindings);
  g_test_add_func ("/fwr/import-cisco-asa/global", test_global);
  g_test_add_func ("/fwr/import-cisco-asa/findings", test_findings);
  g_test_add_func ("/fwr/import-cisco-asa/hits", test_hits);
  g_test_add_func ("/fwr/import-cisco-asa/hits-stale", test_hits_stale);
  g_test_add_func ("/fwr/import-cisco-asa/cli-hits", test_cli_hits);
  g_test_add_func ("/fwr/import-cisco-asa/nesting", test_nesting);
  g_test_add_func ("/fwr/import-cisco-asa/bad-syntax", test_bad_syntax);
  g_test_add_func ("/fwr/import-cisco-asa/undefined-reference", test_undefined_reference);
  g_test_add_func ("/fwr/import-cisco-asa/arbitrary-bytes", test_arbitrary_bytes);
  g_test_add_func ("/fwr/import-cisco-asa/shared-samples", test_shared_samples);
  g_test_add_func ("/fwr/import-cisco-asa/shared-hits", test_shared_hits);
  return g_test_run ();
}
