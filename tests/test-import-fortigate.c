/* test-import-fortigate.c: FortiOS configurations to the model and the findings they give:
 * objects, defaults, VDOMs, negation, CLI scripts, hit counts, bad inputs, public samples. */
#include "analysis-builder.h"
#include "fwr-fortios-values-private.h"

#include <glib/gstdio.h>

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "fortigate", name, NULL);
}

static FwrRuleset *
load (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  FwrRuleset *rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fwr_ruleset_get_format (rs), ==, "fortigate");
  return rs;
}

static FwrRule *
rule (FwrRuleset *rs, const char *id)
{
  FwrRule *found = fwr_ruleset_lookup_rule (rs, id);
  if (found == NULL)
    g_error ("no rule %s", id);
  return found;
}

static void
assert_match (FwrRuleset *rs, const char *id, const char *expected)
{
  g_autofree char *text = fwr_rule_dup_match_text (rule (rs, id));
  g_assert_cmpstr (text, ==, expected);
}

/* The rule ids of the chain in evaluation order, comma-separated. */
static char *
chain_order (FwrChain *chain)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < fwr_chain_get_n_rules (chain); i++)
    g_string_append_printf (out, "%s%s", i ? "," : "", fwr_rule_get_id (fwr_chain_get_rule (chain, i)));
  return g_string_free (out, FALSE);
}

static FwrObject *
object (FwrRuleset *rs, const char *id)
{
  for (guint i = 0; i < fwr_ruleset_get_n_objects (rs); i++)
    if (g_str_equal (fwr_object_get_id (fwr_ruleset_get_object (rs, i)), id))
      return fwr_ruleset_get_object (rs, i);
  return NULL;
}

static gboolean
has_warning (FwrRuleset *rs, const char *text)
{
  for (guint i = 0; i < fwr_ruleset_get_n_warnings (rs); i++)
    if (strstr (fwr_ruleset_get_warning (rs, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_detect (void)
{
  static const struct {
    const char *text;
    FwrFormat format;
  } cases[] = {
    { "#config-version=FGVM64-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin\n", FWR_FORMAT_FORTIGATE },
    { "config system global\n    set hostname fw\nend\n", FWR_FORMAT_FORTIGATE },
    { "\n# pasted\r\nconfig firewall policy\r\nend\r\n", FWR_FORMAT_FORTIGATE },
    { "config vdom\nedit root\nnext\nend\n", FWR_FORMAT_FORTIGATE },
    { "\xef\xbb\xbf" "config firewall address\nend\n", FWR_FORMAT_FORTIGATE },
    { "configure terminal\nhostname asa\n", FWR_FORMAT_UNKNOWN },
    { "config unrelated-thing\n", FWR_FORMAT_UNKNOWN },
    { "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", FWR_FORMAT_IPTABLES_SAVE },
    { "set security policies from-zone a to-zone b policy p match source-address any\n", FWR_FORMAT_UNKNOWN },
    { "{\"nftables\": []}", FWR_FORMAT_NFTABLES_JSON },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (fwr_format_detect (cases[i].text, strlen (cases[i].text)), ==, cases[i].format);
  g_assert_cmpint (fwr_format_from_string ("fortigate"), ==, FWR_FORMAT_FORTIGATE);
  g_assert_cmpstr (fwr_format_to_string (FWR_FORMAT_FORTIGATE), ==, "fortigate");
}

/* objects.conf: every kind of address and service object, in policies listed out of id order. */
static void
test_objects (void)
{
  g_autoptr (FwrRuleset) rs = load ("objects.conf");
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 0);
  g_assert_cmpuint (fwr_ruleset_get_n_chains (rs), ==, 1);
  FwrChain *chain = fwr_ruleset_get_chain (rs, 0);
  g_assert_cmpstr (fwr_chain_get_id (chain), ==, "root/policy");
  g_assert_cmpint (fwr_chain_get_hook (chain), ==, FWR_HOOK_FORWARD);
  g_assert_cmpint (fwr_chain_get_policy (chain), ==, FWR_ACTION_DROP);
  g_assert_cmpint (fwr_chain_get_family (chain), ==, FWR_TABLE_FAMILY_INET);
  g_assert_null (chain->section);
  g_autofree char *order = chain_order (chain);
  g_assert_cmpstr (order, ==, "root/10,root/3,root/7,root/8,root/9,root/intrazone/dmz");

  /* An exclusion group: 10.1.0.0/16 without 10.1.9.10-10.1.9.20; a nested service group. */
  FwrRule *web = rule (rs, "root/10");
  g_assert_cmpint (fwr_rule_get_action (web), ==, FWR_ACTION_ACCEPT);
  g_assert_cmpstr (fwr_rule_get_comment (web), ==, "lan-web: staff browsing");
  g_assert_true (fwr_rule_get_log (web));
  g_assert_cmpuint (fwr_rule_get_line (web), ==, 163);
  assert_match (rs, "root/10", "ipv4 from-zone port2 to-zone port1 "
                "saddr 10.1.0.0/21,10.1.8.0/24,10.1.9.0/29,10.1.9.8/31,10.1.9.21-10.1.255.255 "
                "proto 6 dport 80,443,8080-8081,8443");
  /* A predefined service the file does not define (MYSQL), a schedule that is not always. */
  assert_match (rs, "root/3", "ipv4 from-zone dmz to-zone port2 saddr 192.0.2.10 daddr 10.1.5.20 "
                "proto 6 dport 3306 [schedule “office-hours” (recurring 08:00-18:00)]");
  g_assert_false (fwr_rule_get_log (rule (rs, "root/3")));

  /* Several services: one term per protocol and source port range; an FQDN and a wildcard
   * address are only what they may be, under an opaque condition. */
  FwrRule *ops = rule (rs, "root/7");
  g_assert_cmpuint (ops->n_terms, ==, 24);
  g_autofree char *first = _fwr_match_to_string (&ops->terms[0].match);
  g_assert_cmpstr (first, ==, "ipv4 from-zone port2 to-zone {dmz,port1} "
                   "saddr 10.1.0.0/21,10.1.8.0/24,10.1.9.0/29,10.1.9.8/31,10.1.9.21-10.1.255.255,192.0.2.10 "
                   "daddr 192.0.2.10 proto 6 dport 22,80,443,8080-8081,8443");
  g_autofree char *mixed = _fwr_match_to_string (&ops->terms[1].match);
  g_assert_true (g_str_has_suffix (mixed, "daddr 192.0.2.10 proto 6 sport 1024-65535 dport 5000"));
  g_autofree char *icmp = _fwr_match_to_string (&ops->terms[5].match);
  g_assert_true (g_str_has_suffix (icmp, "proto 1 icmp 768-1023,2048"));
  g_autofree char *gre = _fwr_match_to_string (&ops->terms[4].match);
  g_assert_true (g_str_has_suffix (gre, "proto 47"));
  g_autofree char *fqdn = _fwr_match_to_string (&ops->terms[6].match);
  g_assert_true (g_str_has_suffix (fqdn, "daddr 0.0.0.0-192.0.2.9,192.0.2.11-255.255.255.255 "
                                   "proto 6 dport 22,80,443,8080-8081,8443 "
                                   "[destination in “vendor-updates” (fqdn updates.vendor.example)]"));
  g_autofree char *wildcard = _fwr_match_to_string (&ops->terms[12].match);
  g_assert_true (g_str_has_prefix (wildcard, "ipv4 from-zone port2 to-zone {dmz,port1} "
                                   "saddr 10.1.9.10/31,10.1.9.12/30,10.1.9.16/30,10.1.9.20 daddr 192.0.2.10"));
  g_assert_true (g_str_has_suffix (wildcard, "[source in “odd-hosts” (wildcard 10.1.0.5 255.255.0.255)]"));

  /* IPv4 and IPv6 addresses in one policy: both families, each with its own part. */
  assert_match (rs, "root/8", "from-zone port2 to-zone port1 saddr 10.1.0.0/16,2001:db8:1::/48 "
                "daddr any4,2001:db8:2::10/124 proto 6,17 dport 53");
  /* No action: FortiOS denies. Host bits under the mask do not count; excluding an FQDN
   * leaves only a possibility. */
  FwrRule *deny = rule (rs, "root/9");
  g_assert_cmpint (fwr_rule_get_action (deny), ==, FWR_ACTION_DROP);
  assert_match (rs, "root/9", "(ipv4 from-zone port1 to-zone port2 saddr 10.2.3.0/24 daddr 10.1.0.0/16 "
                "[destination in except “vendor-updates” (fqdn updates.vendor.example)]) | "
                "(ipv4 from-zone port1 to-zone port2 saddr 0.0.0.0-10.2.2.255,10.2.4.0-255.255.255.255 "
                "daddr 10.1.0.0/16 [source in “geo-aq” (geography AQ)] "
                "[destination in except “vendor-updates” (fqdn updates.vendor.example)])");

  /* Objects: group members count as used with the group; factory objects are not listed. */
  g_assert_cmpuint (fwr_object_get_n_refs (object (rs, "root/address/lan-net")), ==, 4);
  g_assert_cmpuint (fwr_object_get_n_refs (object (rs, "root/address/mgmt-range")), ==, 2);
  g_assert_cmpuint (fwr_object_get_n_refs (object (rs, "root/service/web-alt")), ==, 2);
  g_assert_cmpuint (fwr_object_get_n_refs (object (rs, "root/address6/web6")), ==, 1);
  g_assert_cmpint (fwr_object_get_kind (object (rs, "root/addrgrp/nested")), ==, FWR_OBJECT_ADDRESS_GROUP);
  g_assert_cmpint (fwr_object_get_kind (object (rs, "root/service-group/ops")), ==, FWR_OBJECT_SERVICE_GROUP);
  g_assert_cmpint (fwr_object_get_kind (object (rs, "root/schedule/office-hours")), ==, FWR_OBJECT_SCHEDULE);
  g_assert_cmpuint (fwr_object_get_line (object (rs, "root/address/unused-host")), ==, 78);
  g_assert_null (object (rs, "root/address/all"));
  g_assert_null (object (rs, "root/schedule/always"));

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "unused-object", "root/address/unused-host"));
  g_assert_nonnull (tb_find (report, "unused-object", "root/service/proxy-only"));
  g_assert_cmpuint (tb_count (report, "unused-object"), ==, 2);
  /* Zone dmz lets everything pass between its interfaces; zone lan-zone does not. */
  g_assert_nonnull (tb_find (report, "any-any", "root/intrazone/dmz"));
  g_assert_cmpuint (tb_count (report, "any-any"), ==, 1);
  assert_match (rs, "root/intrazone/dmz", "from-zone dmz to-zone dmz");
  g_assert_null (fwr_ruleset_lookup_rule (rs, "root/intrazone/lan-zone"));
}

/* show.conf: a plain "show" leaves defaults out and relies on predefined objects. */
static void
test_defaults (void)
{
  g_autoptr (FwrRuleset) rs = load ("show.conf");
  /* Schedule "always" and the "all" address need no definition. */
  assert_match (rs, "root/1", "ipv4 from-zone port1 to-zone port2 daddr 203.0.113.20 proto 6 dport 443");
  g_assert_cmpint (fwr_rule_get_action (rule (rs, "root/1")), ==, FWR_ACTION_ACCEPT);
  /* Without "set action" a policy denies; a port-forwarding virtual IP only narrows. */
  g_assert_cmpint (fwr_rule_get_action (rule (rs, "root/2")), ==, FWR_ACTION_DROP);
  assert_match (rs, "root/2", "(ipv4 from-zone port1 to-zone port2 daddr 203.0.113.20 proto 6 dport 443) | "
                "(ipv4 from-zone port1 to-zone port2 daddr 203.0.113.30 proto 6 dport 443 "
                "[destination in virtual IP “forwarded” (port forwarding tcp 8443)])");
  assert_match (rs, "root/3", "ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/16 "
                "[destination in internet service Microsoft-Office365] [groups staff]");
  g_assert_cmpint (fwr_rule_get_action (rule (rs, "root/4")), ==, FWR_ACTION_REJECT);
  FwrRule *disabled = rule (rs, "root/5");
  g_assert_false (fwr_rule_get_enabled (disabled));
  g_assert_cmpuint (fwr_rule_get_n_opaque (disabled), >, 0);
  /* Names the export does not define, where it has no table to define them in. */
  g_assert_true (has_warning (rs, "show.conf:71:27: service “CUSTOM-SYNC” is not defined in this file"));
  g_assert_true (has_warning (rs, "show.conf:70:22: schedule “backup-window” is not defined in this file"));
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 2);
  g_assert_cmpuint (fwr_object_get_n_refs (object (rs, "root/vip/forwarded")), ==, 1);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "unused-object", "root/vip/wan-only"));
}

/* findings.conf: shadowed, redundant and any-any policies, and a disabled one ignored. */
static void
test_findings (void)
{
  g_autoptr (FwrRuleset) rs = load ("findings.conf");
  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);

  const FwrFinding *shadowed = tb_find (report, "shadowed", "root/3");
  g_assert_nonnull (shadowed);
  g_assert_true (tb_related_has (shadowed, "root/1"));
  const FwrFinding *redundant = tb_find (report, "redundant", "root/2");
  g_assert_nonnull (redundant);
  g_assert_true (tb_related_has (redundant, "root/1"));
  redundant = tb_find (report, "redundant", "root/6");
  g_assert_nonnull (redundant);
  g_assert_true (tb_related_has (redundant, "root/5"));
  g_assert_cmpuint (tb_count (report, "shadowed"), ==, 1);
  g_assert_cmpuint (tb_count (report, "redundant"), ==, 2);

  /* The disabled allow-everything policy 4 neither counts as any-any nor hides 5. */
  g_assert_false (fwr_rule_get_enabled (rule (rs, "root/4")));
  g_assert_nonnull (tb_find (report, "any-any", "root/7"));
  g_assert_cmpuint (tb_count (report, "any-any"), ==, 1);
  g_assert_null (tb_find (report, "shadowed", "root/5"));
  g_assert_null (tb_find (report, "redundant", "root/5"));
}

/* vdoms.conf: each VDOM is its own policy set: nothing in one shadows the other. */
static void
test_vdoms (void)
{
  g_autoptr (FwrRuleset) rs = load ("vdoms.conf");
  g_assert_cmpuint (fwr_ruleset_get_n_chains (rs), ==, 2);
  FwrChain *root = fwr_ruleset_get_chain (rs, 0);
  FwrChain *dmz = fwr_ruleset_get_chain (rs, 1);
  g_assert_cmpstr (fwr_chain_get_id (root), ==, "root/policy");
  g_assert_cmpstr (root->section, ==, "root");
  g_assert_cmpstr (fwr_chain_get_id (dmz), ==, "dmz-vdom/policy");
  g_assert_cmpstr (dmz->section, ==, "dmz-vdom");
  g_assert_cmpint (fwr_chain_get_hook (dmz), ==, FWR_HOOK_FORWARD);
  g_autofree char *order = chain_order (dmz);
  g_assert_cmpstr (order, ==, "dmz-vdom/1,dmz-vdom/2");
  /* The same object name means different addresses in each VDOM. */
  assert_match (rs, "root/2", "ipv4 from-zone port1 to-zone port2 daddr 10.10.0.0/16 proto 6 dport 443");
  assert_match (rs, "dmz-vdom/1", "ipv4 from-zone port3 to-zone port4 daddr 172.16.0.0/16 proto 6 dport 443");
  g_assert_cmpuint (fwr_object_get_n_refs (object (rs, "dmz-vdom/address/servers")), ==, 2);
  g_assert_cmpuint (fwr_object_get_n_refs (object (rs, "root/address/servers")), ==, 1);

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "any-any", "root/1"));
  g_assert_nonnull (tb_find (report, "redundant", "root/2"));
  g_assert_null (tb_find (report, "shadowed", "dmz-vdom/1"));
  g_assert_null (tb_find (report, "redundant", "dmz-vdom/1"));
  const FwrFinding *shadowed = tb_find (report, "shadowed", "dmz-vdom/2");
  g_assert_nonnull (shadowed);
  g_assert_true (tb_related_has (shadowed, "dmz-vdom/1"));
  g_assert_false (tb_related_has (shadowed, "root/1"));
}

/* negate.conf: negated addresses and services are complemented exactly. */
static void
test_negate (void)
{
  g_autoptr (FwrRuleset) rs = load ("negate.conf");
  assert_match (rs, "root/1", "ipv4 from-zone port1 to-zone port2 saddr 0.0.0.0/5,8.0.0.0/7,11.0.0.0-255.255.255.255 "
                "daddr 192.0.2.10 proto 6 dport 443");
  assert_match (rs, "root/2", "ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/8 "
                "daddr 0.0.0.0/5,8.0.0.0/7,11.0.0.0-255.255.255.255 proto 6 dport 443");
  assert_match (rs, "root/3", "(ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/8 daddr 192.0.2.10 proto 0-5,7-255) | "
                "(ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/8 daddr 192.0.2.10 proto 6 dport 0-79,81-65535)");
  assert_match (rs, "root/4", "ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/8 "
                "[destination in not (“vendor” (fqdn vendor.example))]");
  assert_match (rs, "root/5", "(ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/8 daddr 192.0.2.10 proto 0,2-5,7-255) | "
                "(ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/8 daddr 192.0.2.10 proto 1 icmp 0-2047,2304-65535) | "
                "(ipv4 from-zone port2 to-zone port1 saddr 10.0.0.0/8 daddr 192.0.2.10 proto 6 dport 0-21,23-65535)");
}

/* The complement of a service with source ports and ICMP types, checked point by point. */
static void
test_service_complement (void)
{
  g_autoptr (GPtrArray) svc = _fwr_fos_svc_new ();
  FwrFosSvcTerm *rlogin = _fwr_fos_svc_term_new ();
  rlogin->protos = fwr_range_set_new_range (6, 6);
  rlogin->dports = fwr_range_set_new_range (513, 513);
  rlogin->sports = fwr_range_set_new_range (512, 1023);
  g_ptr_array_add (svc, rlogin);
  FwrFosSvcTerm *ssh = _fwr_fos_svc_term_new ();
  ssh->protos = fwr_range_set_new_range (6, 6);
  ssh->dports = fwr_range_set_new_range (22, 22);
  g_ptr_array_add (svc, ssh);
  g_autoptr (GPtrArray) rest = _fwr_fos_svc_new_complement (svc);

  /* (proto, sport, dport): in the service exactly when not in its complement. */
  static const guint probes[][4] = {
    { 6, 600, 513, 1 }, { 6, 511, 513, 0 }, { 6, 1024, 513, 0 }, { 6, 40000, 22, 1 },
    { 6, 0, 22, 1 }, { 6, 600, 514, 0 }, { 17, 600, 513, 0 }, { 1, 0, 0, 0 },
  };
  for (guint p = 0; p < G_N_ELEMENTS (probes); p++)
    {
      guint hits = 0;
      for (guint t = 0; t < rest->len; t++)
        {
          FwrFosSvcTerm *term = g_ptr_array_index (rest, t);
          gboolean ports = probes[p][0] == 6 || probes[p][0] == 17;
          hits += (term->protos == NULL || fwr_range_set_contains (term->protos, probes[p][0])) &&
                  (!ports || term->sports == NULL || fwr_range_set_contains (term->sports, probes[p][1])) &&
                  (!ports || term->dports == NULL || fwr_range_set_contains (term->dports, probes[p][2]));
        }
      g_assert_cmpuint (hits, ==, probes[p][3] ? 0 : 1);
    }
}

/* syntax.conf: quoting, multi-line strings, append/unselect, rename, delete, clone, move, edit 0. */
static void
test_cli_script (void)
{
  g_autoptr (FwrRuleset) rs = load ("syntax.conf");
  g_autofree char *order = chain_order (fwr_ruleset_get_chain (rs, 0));
  g_assert_cmpstr (order, ==, "root/9,root/5,root/6");
  g_assert_null (fwr_ruleset_lookup_rule (rs, "root/10"));
  assert_match (rs, "root/5", "ipv4 from-zone port1 to-zone port2 saddr 10.9.0.0/16 proto 6 dport 80,443");
  assert_match (rs, "root/9", "ipv4 from-zone port1 to-zone port2 saddr 10.9.0.0/16 proto 6 dport 80,443");
  g_assert_cmpstr (fwr_rule_get_comment (rule (rs, "root/9")), ==, "copy of 5");
  g_assert_cmpuint (fwr_rule_get_line (rule (rs, "root/9")), ==, 41);
  /* "edit 0" took the next free id; the renamed address is found under its new name. */
  assert_match (rs, "root/6", "ipv4 from-zone port1 to-zone port2 saddr 10.8.0.0/16 daddr 10.6.0.0/16 proto 6 dport 25");
  g_assert_nonnull (object (rs, "root/address/quoted \"name\""));
  g_assert_nonnull (object (rs, "root/address/new-name"));
  g_assert_null (object (rs, "root/address/old-name"));
  g_assert_null (object (rs, "root/address/to-delete"));
  g_assert_true (has_warning (rs, "syntax.conf:56:1: unknown command “get”: ignored"));
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 1);
}

/* Windows line ends and a pager's "--More--" pasted into the export change nothing. */
static void
test_crlf_and_pager (void)
{
  g_autofree char *path = data_path ("findings.conf");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *pasted = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (pasted, "%s%s\r\n", i % 7 == 3 ? "--More-- \r         \r" : "", lines[i]);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = fwr_import_data ("pasted.conf", pasted->str, pasted->len, FWR_FORMAT_UNKNOWN, &error);
  g_string_free (pasted, TRUE);
  g_assert_no_error (error);
  g_autoptr (FwrRuleset) reference = load ("findings.conf");
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, fwr_ruleset_get_n_rules (reference));
  FwrChain *chain = fwr_ruleset_get_chain (reference, 0);
  for (guint r = 0; r < fwr_chain_get_n_rules (chain); r++)
    {
      FwrRule *expected = fwr_chain_get_rule (chain, r);
      FwrRule *got = rule (rs, fwr_rule_get_id (expected));
      g_autofree char *a = fwr_rule_dup_match_text (expected);
      g_autofree char *b = fwr_rule_dup_match_text (got);
      g_assert_cmpstr (a, ==, b);
      g_assert_cmpstr (fwr_rule_get_comment (expected), ==, fwr_rule_get_comment (got));
      g_assert_cmpuint (fwr_rule_get_line (expected), ==, fwr_rule_get_line (got));
    }
}

static void
test_hits (void)
{
  g_autoptr (FwrRuleset) rs = load ("objects.conf");
  g_autofree char *hits = data_path ("objects-hits.json");
  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_import_apply_hits (rs, hits, &error));
  g_assert_no_error (error);
  guint64 packets, bytes;
  g_assert_true (fwr_rule_get_counter (rule (rs, "root/10"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 6120334);
  g_assert_cmpuint (bytes, ==, 5823041197);
  g_assert_true (fwr_rule_get_counter (rule (rs, "root/3"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 0);
  /* A deny policy counts hits but no packets: each hit was a packet. */
  g_assert_true (fwr_rule_get_counter (rule (rs, "root/9"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 12);
  g_assert_false (fwr_rule_get_counter (rule (rs, "root/8"), &packets, &bytes));
  g_assert_true (has_warning (rs, "statistics of policy root/99 ignored"));
  g_assert_true (has_warning (rs, "1 policy has no statistics"));

  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "unused", "root/3"));
  g_assert_null (tb_find (report, "unused", "root/8"));
  g_assert_cmpuint (tb_count (report, "unused"), ==, 1);
}

static void
test_hits_vdoms (void)
{
  g_autoptr (FwrRuleset) rs = load ("vdoms.conf");
  g_autofree char *hits = data_path ("vdoms-hits.json");
  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_import_apply_hits (rs, hits, &error));
  g_assert_no_error (error);
  guint64 packets, bytes;
  g_assert_true (fwr_rule_get_counter (rule (rs, "root/1"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 2048);
  g_assert_true (fwr_rule_get_counter (rule (rs, "dmz-vdom/1"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 96);
  g_assert_cmpuint (bytes, ==, 65536);
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 0);
  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  g_assert_nonnull (tb_find (report, "unused", "root/2"));
  g_assert_nonnull (tb_find (report, "unused", "dmz-vdom/2"));
  g_assert_null (tb_find (report, "unused", "dmz-vdom/1"));
}

static void
test_hits_bad (void)
{
  static const struct {
    const char *json;
    guint line;
    const char *message;
  } cases[] = {
    { "{\"results\": [\n  {\"policyid\": 10, \"packets\": 5},\n  {\"policyid\": 3 \"packets\": 1}\n]}", 3, "not FortiOS policy statistics JSON" },
    { "{\"http_method\": \"GET\", \"status\": \"success\"}", 0, "no “results” list" },
    { "{\"results\": [{\"policyid\": 10, \"packets\": 5}, {\"packets\": 1}]}", 0, "result 2 has no integer “policyid”" },
    { "{\"results\": [{\"policyid\": 10, \"packets\": 5}, {\"policyid\": 3, \"bytes\": -1}]}", 0, "“bytes” of a policy is not" },
    { "[{\"results\": [{\"policyid\": 10, \"packets\": 5}]}, 42]", 0, "no “results” list" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FwrRuleset) rs = load ("objects.conf");
      g_autofree char *dir = g_dir_make_tmp ("fwr-hits-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "hits.json", NULL);
      g_assert_true (g_file_set_contents (path, cases[i].json, -1, NULL));
      g_autoptr (GError) error = NULL;
      g_assert_false (fwr_import_apply_hits (rs, path, &error));
      g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      guint line = 0;
      g_assert_true (fwr_import_error_get_location (error, NULL, &line, NULL));
      g_assert_cmpuint (line, ==, cases[i].line);
      /* Nothing half-applied: the first policy of each file kept no counter. */
      g_assert_false (fwr_rule_get_counter (rule (rs, "root/10"), NULL, NULL));
      g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 0);
      g_unlink (path);
      g_rmdir (dir);
    }
}

static void
test_bad_inputs (void)
{
  static const struct {
    const char *file;
    guint line;
    guint column;
    const char *message;
  } cases[] = {
    { "bad-unclosed.conf", 6, 1, "“config firewall policy” opened here is never closed" },
    { "bad-end.conf", 6, 1, "“end” without a matching “config”" },
    { "bad-next.conf", 3, 5, "“next” without an open “edit”" },
    { "bad-quote.conf", 3, 21, "the quoted string starting here is never closed" },
    { "bad-unknown-address.conf", 11, 21, "unknown address “lan-servers”" },
    { "bad-subnet.conf", 3, 20, "bad subnet “10.0.0.300”: not an IPv4 address" },
    { "bad-mask.conf", 3, 29, "bad subnet “255.0.255.0”: the netmask is not contiguous" },
    { "bad-port.conf", 3, 30, "bad tcp-portrange “90-70”" },
    { "bad-cycle.conf", 11, 20, "“group-a” contains itself through its members" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = data_path (cases[i].file);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_FORTIGATE, &error);
      g_assert_null (rs);
      g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
      g_autofree char *place = g_strdup_printf ("%s:%u:%u: ", path, cases[i].line, cases[i].column);
      g_assert_true (g_str_has_prefix (error->message, place));
      g_assert_nonnull (strstr (error->message, cases[i].message));
      const char *file = NULL;
      guint line = 0, column = 0;
      g_assert_true (fwr_import_error_get_location (error, &file, &line, &column));
      g_assert_cmpstr (file, ==, path);
      g_assert_cmpuint (line, ==, cases[i].line);
      g_assert_cmpuint (column, ==, cases[i].column);
    }
}

static FwrRuleset *
import_text (const char *text, gsize length, GError **error)
{
  return fwr_import_data ("input.conf", text, length, FWR_FORMAT_FORTIGATE, error);
}

/* Bytes that are no configuration at all fail cleanly, or are kept with a warning. */
static void
test_bad_bytes (void)
{
  static const char nul[] = "config firewall address\n    edit \"a\0b\"\n    next\nend\n";
  g_autoptr (GError) error = NULL;
  g_assert_null (import_text (nul, sizeof nul - 1, &error));
  g_assert_nonnull (strstr (error->message, "input.conf:2:12: a NUL byte"));
  g_clear_error (&error);

  GString *deep = g_string_new (NULL);
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (deep, "config level%u\n", i);
  g_assert_null (import_text (deep->str, deep->len, &error));
  g_string_free (deep, TRUE);
  g_assert_nonnull (strstr (error->message, "input.conf:33:1: blocks nested more than 32 deep"));
  g_clear_error (&error);

  static const char global_only[] = "config global\nconfig system global\nset hostname fw\nend\nend\n";
  g_assert_null (import_text (global_only, sizeof global_only - 1, &error));
  g_assert_nonnull (strstr (error->message, "no VDOM configuration"));
  g_clear_error (&error);

  static const char no_port[] = "config firewall service custom\n edit dns\n set udp-portrange :53\n next\nend\n";
  g_assert_null (import_text (no_port, sizeof no_port - 1, &error));
  g_assert_nonnull (strstr (error->message, "input.conf:3:20: firewall service custom “dns”: bad udp-portrange “:53”"));
  g_clear_error (&error);

  static const char latin1[] = "config firewall address\n edit \"caf\xe9\"\n set subnet 10.0.0.0/8\n next\nend\n";
  g_autoptr (FwrRuleset) rs = import_text (latin1, sizeof latin1 - 1, &error);
  g_assert_no_error (error);
  g_assert_true (has_warning (rs, "input.conf:2:7: text that is not UTF-8"));
  g_assert_nonnull (object (rs, "root/address/caf\xef\xbf\xbd"));
}

/* Tables that decide traffic but are not modelled are reported with their place. */
static void
test_unread_tables (void)
{
  static const char text[] =
    "config vdom\nedit root\nnext\nend\n"
    "config global\nconfig firewall policy\nedit 1\nset action accept\nnext\nend\nend\n"
    "config vdom\nedit root\n"
    "config firewall local-in-policy\n"
    "edit 1\nset intf port1\nset srcaddr all\nset dstaddr all\nset service ALL\nset schedule always\nnext\n"
    "edit 2\nset intf port2\nnext\n"
    "end\n"
    "end\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = import_text (text, sizeof text - 1, &error);
  g_assert_no_error (error);
  g_assert_true (has_warning (rs, "input.conf:6:1: “config firewall policy” inside “config global” belongs to no VDOM"));
  g_assert_true (has_warning (rs, "input.conf:14:1: VDOM root: the 2 entries of “config firewall local-in-policy” are not analysed"));
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 0);
}

/* The predefined services used when an export leaves them out match what FortiOS 5.2
 * wrote out in a full backup (acidjunk_vdom.conf), service by service. */
static void
test_predefined_services (void)
{
  const char *shared = g_getenv ("FWR_SHARED_DIR");
  g_autofree char *path = shared ? g_build_filename (shared, "samples-public", "fortigate", "acidjunk_vdom.conf", NULL) : NULL;
  g_autofree char *text = NULL;
  if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    {
      g_test_skip ("../shared/samples-public is absent");
      return;
    }
  const char *start = strstr (text, "config firewall service custom\n");
  g_assert_nonnull (start);
  const char *end = strstr (start, "\nend\n");
  g_autofree char *block = g_strndup (start, (gsize) (end - start) + 5);

  /* One policy per service the backup defines, once against its definitions and once
   * against ours. */
  GString *policies = g_string_new ("config firewall policy\n");
  guint n = 0;
  for (const char *edit = strstr (block, "edit \""); edit != NULL; edit = strstr (edit + 1, "edit \""))
    {
      g_autofree char *name = g_strndup (edit + 6, strcspn (edit + 6, "\""));
      g_string_append_printf (policies, "edit %u\nset srcintf any\nset dstintf any\nset srcaddr all\n"
                              "set dstaddr all\nset action accept\nset service \"%s\"\nset comments \"%s\"\nnext\n",
                              ++n, name, name);
    }
  g_string_append (policies, "end\n");
  g_assert_cmpuint (n, ==, 87);
  g_autofree char *theirs = g_strconcat (block, policies->str, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) with_backup = import_text (theirs, strlen (theirs), &error);
  g_assert_no_error (error);
  g_autoptr (FwrRuleset) with_ours = import_text (policies->str, policies->len, &error);
  g_assert_no_error (error);
  g_string_free (policies, TRUE);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *id = g_strdup_printf ("root/%u", i);
      g_autofree char *a = fwr_rule_dup_match_text (rule (with_backup, id));
      g_autofree char *b = fwr_rule_dup_match_text (rule (with_ours, id));
      if (g_strcmp0 (a, b) != 0)
        g_error ("service %s: the backup says “%s”, the predefined table “%s”",
                 fwr_rule_get_comment (rule (with_ours, id)), a, b);
    }
}

/* The public exports: zero errors, and the policy count read off each file by hand (the
 * edit lines of its "config firewall policy" blocks, replayed as the CLI would). */
static void
test_shared_samples (void)
{
  static const struct {
    const char *file;
    const char *order;        /* rule ids in evaluation order */
    const char *section;      /* NULL: a single-VDOM file */
  } cases[] = {
    /* Multi-VDOM full backup (FortiOS 5.2): VDOM root has policies 1 and 2; policy6,
     * policy64 and policy46 are empty. */
    { "acidjunk_global.conf", "root/1,root/2", "root" },
    /* The same VDOM as a per-VDOM backup ("#global_vdom=0:vd_name=root"). */
    { "acidjunk_vdom.conf", "root/1,root/2", NULL },
    { "batfish_address.conf", "", NULL },
    { "batfish_addrgrp.conf", "", NULL },
    /* edit 0 takes the next free id, 1, so the later "edit 1" edits that same policy:
     * 4 policies, 1 first. */
    { "batfish_firewall_policy.conf", "root/1,root/4294967294,root/2,root/3", NULL },
    /* edit 1; delete 2 (no such policy); clone 1 to 2; clone 3 to 4 (no 3); edit 5 is
     * deleted again: policies 1 and 2. */
    { "batfish_policy_defs_refs.conf", "root/1,root/2", NULL },
    { "batfish_service_custom.conf", "", NULL },
    /* edit 0 becomes policy 1, which "edit 1" then changes: one policy. */
    { "batfish_service_group_rename.conf", "root/1", NULL },
    /* No policy; zone "longest possible valid name for zon" allows intrazone traffic. */
    { "batfish_zone.conf", "root/intrazone/longest possible valid name for zon", NULL },
    /* A FortiOS 7.4 snippet: policies 1 and 2, their addresses defined elsewhere. */
    { "ftnt-dspille_sample_config_7.4.txt", "root/1,root/2", NULL },
  };
  const char *shared = g_getenv ("FWR_SHARED_DIR");
  g_autofree char *dir = shared ? g_build_filename (shared, "samples-public", "fortigate", NULL) : NULL;
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/samples-public is absent");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fwr_ruleset_get_format (rs), ==, "fortigate");
      g_assert_cmpuint (fwr_ruleset_get_n_chains (rs), ==, 1);
      FwrChain *chain = fwr_ruleset_get_chain (rs, 0);
      g_autofree char *order = chain_order (chain);
      g_assert_cmpstr (order, ==, cases[i].order);
      g_assert_cmpstr (chain->section, ==, cases[i].section);
      g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
      g_assert_nonnull (report);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/import-fortigate/detect", test_detect);
  g_test_add_func ("/fwr/import-fortigate/objects", test_objects);
  g_test_add_func ("/fwr/import-fortigate/defaults", test_defaults);
  g_test_add_func ("/fwr/import-fortigate/findings", test_findings);
  g_test_add_func ("/fwr/import-fortigate/vdoms", test_vdoms);
  g_test_add_func ("/fwr/import-fortigate/negate", test_negate);
  g_test_add_func ("/fwr/import-fortigate/service-complement", test_service_complement);
  g_test_add_func ("/fwr/import-fortigate/cli-script", test_cli_script);
  g_test_add_func ("/fwr/import-fortigate/crlf-and-pager", test_crlf_and_pager);
  g_test_add_func ("/fwr/import-fortigate/hits", test_hits);
  g_test_add_func ("/fwr/import-fortigate/hits-vdoms", test_hits_vdoms);
  g_test_add_func ("/fwr/import-fortigate/hits-bad", test_hits_bad);
  g_test_add_func ("/fwr/import-fortigate/bad-inputs", test_bad_inputs);
  g_test_add_func ("/fwr/import-fortigate/bad-bytes", test_bad_bytes);
  g_test_add_func ("/fwr/import-fortigate/unread-tables", test_unread_tables);
  g_test_add_func ("/fwr/import-fortigate/predefined-services", test_predefined_services);
  g_test_add_func ("/fwr/import-fortigate/shared-samples", test_shared_samples);
  return g_test_run ();
}
