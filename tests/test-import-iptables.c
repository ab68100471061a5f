/* test-import-iptables.c: iptables-save, ip6tables-save and "iptables -L -n -v" exports read into
 * the model (ids, sets, verdicts, counters, opaque conditions), the findings they give, bad input. */
#include "fwr-ruleset-private.h"
#include "fwr-import-private.h"
#include "fwr-ruleset-json-private.h"
#include "fwr-test-seed.h"

/* Loading */

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "iptables", name, NULL);
}

static FwrRuleset *
load (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  FwrRuleset *rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rs);
  return rs;
}

static FwrRuleset *
load_text (const char *text, GError **error)
{
  return fwr_import_data ("inline.save", text, strlen (text), FWR_FORMAT_UNKNOWN, error);
}

static FwrRule *
rule (FwrRuleset *rs, const char *id)
{
  FwrRule *r = fwr_ruleset_lookup_rule (rs, id);
  if (r == NULL)
    g_error ("no rule %s", id);
  return r;
}

static gboolean
has_warning (FwrRuleset *rs, const char *needle)
{
  for (guint i = 0; i < fwr_ruleset_get_n_warnings (rs); i++)
    if (strstr (fwr_ruleset_get_warning (rs, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* The model of a term as one line, every set through the public to_string functions:
 * "iif=eth* src=10.0.0.0/8 proto=6 dport=22 ct=new [opaque text]". */

static void
append_names (GString *out, const char *key, const FwrNameMatch *names)
{
  if (names->patterns == NULL)
    return;
  g_autofree char *joined = g_strjoinv (",", names->patterns);
  g_string_append_printf (out, " %s=%s%s", key, names->negate ? "!" : "", joined);
}

static void
append_addr (GString *out, const char *key, const FwrAddrSet *set)
{
  if (set == NULL)
    return;
  g_autofree char *text = fwr_addr_set_to_string (set);
  g_string_append_printf (out, " %s=%s", key, text);
}

static void
append_range (GString *out, const char *key, const FwrRangeSet *set)
{
  if (set == NULL)
    return;
  g_autofree char *text = fwr_range_set_to_string (set);
  g_string_append_printf (out, " %s=%s", key, *text ? text : "{}");
}

static char *
match_text (const FwrMatch *m, gboolean with_opaque)
{
  static const char *ct_names[] = { "new", "established", "related", "invalid", "untracked" };
  GString *out = g_string_new (NULL);
  append_names (out, "iif", &m->iif);
  append_names (out, "oif", &m->oif);
  append_addr (out, "src", m->src);
  append_addr (out, "dst", m->dst);
  append_range (out, "proto", m->protos);
  append_range (out, "sport", m->sports);
  append_range (out, "dport", m->dports);
  append_range (out, "icmp", m->icmp);
  if (m->ct_states != 0)
    {
      g_string_append (out, " ct=");
      for (guint i = 0, first = 1; i < G_N_ELEMENTS (ct_names); i++)
        if (m->ct_states & (1u << i))
          g_string_append_printf (out, "%s%s", first ? "" : ",", ct_names[i]), first = 0;
    }
  for (guint i = 0; with_opaque && m->opaque != NULL && i < m->opaque->len; i++)
    g_string_append_printf (out, " [%s]", (const char *) g_ptr_array_index (m->opaque, i));
  if (out->len == 0)
    g_string_append (out, " any");
  return g_string_free (out, FALSE);
}

/* All terms, " | "-separated, without the leading blank. */
static char *
rule_text (FwrRule *r)
{
  GString *out = g_string_new (NULL);
  for (guint t = 0; t < r->n_terms; t++)
    {
      g_autofree char *text = match_text (&r->terms[t].match, TRUE);
      g_string_append_printf (out, "%s%s", t ? " |" : "", text);
    }
  return g_string_free (out, FALSE);
}

static void
assert_rule (FwrRuleset *rs, const char *id, FwrAction action, const char *target, const char *text)
{
  FwrRule *r = rule (rs, id);
  g_autofree char *actual = rule_text (r);
  if (g_strcmp0 (actual + 1, text) != 0)
    g_error ("%s: expected “%s”, got “%s”", id, text, actual + 1);
  g_assert_cmpstr (fwr_action_to_string (fwr_rule_get_action (r)), ==, fwr_action_to_string (action));
  g_assert_cmpstr (fwr_rule_get_target (r), ==, target);
  for (guint t = 0; t < r->n_terms; t++)
    g_assert_cmpint (r->terms[t].verdict.action, ==, action);
}

static void
assert_counter (FwrRuleset *rs, const char *id, guint64 packets, guint64 bytes)
{
  guint64 p = 0, b = 0;
  g_assert_true (fwr_rule_get_counter (rule (rs, id), &p, &b));
  g_assert_cmpuint (p, ==, packets);
  g_assert_cmpuint (b, ==, bytes);
}

static void
assert_chain (FwrRuleset *rs, const char *id, FwrHook hook, FwrChainType type, int priority,
              FwrAction policy, guint n_rules)
{
  FwrChain *chain = fwr_ruleset_lookup_chain (rs, id);
  if (chain == NULL)
    g_error ("no chain %s", id);
  g_assert_cmpstr (fwr_hook_to_string (fwr_chain_get_hook (chain)), ==, fwr_hook_to_string (hook));
  g_assert_cmpint (fwr_chain_get_chain_type (chain), ==, type);
  g_assert_cmpint (fwr_chain_get_priority (chain), ==, priority);
  g_assert_cmpstr (fwr_action_to_string (fwr_chain_get_policy (chain)), ==, fwr_action_to_string (policy));
  g_assert_cmpuint (fwr_chain_get_n_rules (chain), ==, n_rules);
}

/* Detection */

static void
test_detect (void)
{
  static const struct {
    const char *text;
    FwrFormat format;
  } cases[] = {
    { "# Generated by iptables-save v1.8.9 (nf_tables) on Sun Nov 22\n*filter\n", FWR_FORMAT_IPTABLES_SAVE },
    { "# Generated by ip6tables-legacy-save v1.8.9\n*raw\n", FWR_FORMAT_IPTABLES_SAVE },
    { "\xef\xbb\xbf\n\n*filter\n:INPUT ACCEPT [0:0]\n", FWR_FORMAT_IPTABLES_SAVE },
    { "# my own rules\n*nat\n", FWR_FORMAT_IPTABLES_SAVE },
    { "[12:840] -A INPUT -j ACCEPT\n", FWR_FORMAT_IPTABLES_SAVE },
    { "Chain INPUT (policy DROP 0 packets, 0 bytes)\n pkts bytes target\n", FWR_FORMAT_IPTABLES_LIST },
    { "Chain web (2 references)\n", FWR_FORMAT_IPTABLES_LIST },
    { "{\"nftables\": []}", FWR_FORMAT_NFTABLES_JSON },
    { "# only a comment\n", FWR_FORMAT_UNKNOWN },
    { "Chain of events\n", FWR_FORMAT_UNKNOWN },
    { "hostname fw1\n*filter\n", FWR_FORMAT_UNKNOWN },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (fwr_format_to_string (fwr_format_detect (cases[i].text, strlen (cases[i].text))), ==,
                     fwr_format_to_string (cases[i].format));
  g_assert_cmpint (fwr_format_from_string ("iptables-save"), ==, FWR_FORMAT_IPTABLES_SAVE);
  g_assert_cmpint (fwr_format_from_string ("iptables-list"), ==, FWR_FORMAT_IPTABLES_LIST);
}

/* iptables-save */

static void
test_save_tables (void)
{
  g_autoptr (FwrRuleset) rs = load ("constructs.save");
  g_assert_cmpstr (fwr_ruleset_get_format (rs), ==, "iptables-save");
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 0);
  /* grep -c -- ' -A ' constructs.save: raw 1, mangle 3, security 1, nat 4, filter 30. */
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 39);
  g_assert_cmpuint (fwr_ruleset_get_n_chains (rs), ==, 19);

  assert_chain (rs, "raw/PREROUTING", FWR_HOOK_PREROUTING, FWR_CHAIN_TYPE_ROUTE, -300, FWR_ACTION_ACCEPT, 1);
  assert_chain (rs, "raw/OUTPUT", FWR_HOOK_OUTPUT, FWR_CHAIN_TYPE_ROUTE, -300, FWR_ACTION_ACCEPT, 0);
  assert_chain (rs, "mangle/FORWARD", FWR_HOOK_FORWARD, FWR_CHAIN_TYPE_ROUTE, -150, FWR_ACTION_ACCEPT, 1);
  assert_chain (rs, "mangle/POSTROUTING", FWR_HOOK_POSTROUTING, FWR_CHAIN_TYPE_ROUTE, -150, FWR_ACTION_ACCEPT, 1);
  assert_chain (rs, "security/INPUT", FWR_HOOK_INPUT, FWR_CHAIN_TYPE_ROUTE, 50, FWR_ACTION_ACCEPT, 1);
  assert_chain (rs, "nat/PREROUTING", FWR_HOOK_PREROUTING, FWR_CHAIN_TYPE_NAT, -100, FWR_ACTION_ACCEPT, 2);
  assert_chain (rs, "nat/POSTROUTING", FWR_HOOK_POSTROUTING, FWR_CHAIN_TYPE_NAT, 100, FWR_ACTION_ACCEPT, 2);
  assert_chain (rs, "filter/INPUT", FWR_HOOK_INPUT, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_DROP, 21);
  assert_chain (rs, "filter/FORWARD", FWR_HOOK_FORWARD, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_DROP, 4);
  assert_chain (rs, "filter/OUTPUT", FWR_HOOK_OUTPUT, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_ACCEPT, 0);
  assert_chain (rs, "filter/web", FWR_HOOK_NONE, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_NONE, 3);
  assert_chain (rs, "filter/logdrop", FWR_HOOK_NONE, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_NONE, 2);

  FwrChain *web = fwr_ruleset_lookup_chain (rs, "filter/web");
  g_assert_cmpstr (fwr_chain_get_name (web), ==, "web");
  g_assert_cmpstr (fwr_chain_get_table (web), ==, "filter");
  g_assert_cmpint (fwr_chain_get_family (web), ==, FWR_TABLE_FAMILY_IP);
  /* Ids are positions: the third rule of web, on line 64 of the file. */
  FwrRule *reject = fwr_chain_get_rule (web, 2);
  g_assert_cmpstr (fwr_rule_get_id (reject), ==, "filter/web/3");
  g_assert_cmpuint (fwr_rule_get_position (reject), ==, 2);
  g_assert_cmpuint (fwr_rule_get_line (reject), ==, 64);
}

static void
test_save_matches (void)
{
  g_autoptr (FwrRuleset) rs = load ("constructs.save");
  const FwrAction A = FWR_ACTION_ACCEPT, D = FWR_ACTION_DROP, N = FWR_ACTION_NONE, Q = FWR_ACTION_QUEUE;

  assert_rule (rs, "filter/INPUT/1", A, NULL, "iif=lo");
  assert_rule (rs, "filter/INPUT/2", A, NULL, "ct=established,related");
  assert_rule (rs, "filter/INPUT/3", A, NULL, "src=10.0.0.0/8 proto=6 dport=22");
  assert_rule (rs, "filter/INPUT/4", D, NULL,
               "src=0.0.0.0-192.168.0.255,192.168.2.0-255.255.255.255 proto=6 dport=0-999,2001-65535");
  assert_rule (rs, "filter/INPUT/5", FWR_ACTION_JUMP, "filter/web", "proto=6 dport=80,443,8000-8080");
  /* --ports: the source or the destination port, a union of two terms. */
  assert_rule (rs, "filter/INPUT/6", A, NULL, "proto=17 sport=53,123 | proto=17 dport=53,123");
  assert_rule (rs, "filter/INPUT/7", A, NULL, "proto=17 sport=67-68");
  assert_rule (rs, "filter/INPUT/8", A, NULL,
               "proto=6 [--tcp-flags FIN,SYN,RST,ACK SYN] [-m limit --limit 5/sec --limit-burst 10]");
  assert_rule (rs, "filter/INPUT/9", A, NULL, "proto=1 icmp=2048-2303");
  assert_rule (rs, "filter/INPUT/10", A, NULL, "proto=1 icmp=772");
  assert_rule (rs, "filter/INPUT/11", D, NULL, "proto=1 icmp=0-2047,2304-65535");
  assert_rule (rs, "filter/INPUT/12", FWR_ACTION_REJECT, NULL,
               "src=10.1.1.1,10.1.1.2/31,10.1.1.4/30,10.1.1.8/31 dst=0.0.0.0-10.2.2.0,10.2.2.6-255.255.255.255");
  assert_rule (rs, "filter/INPUT/13", N, NULL, "ct=invalid");
  assert_rule (rs, "filter/INPUT/14", N, NULL, "ct=established,related,untracked");
  assert_rule (rs, "filter/INPUT/15", A, NULL, "[-m mac --mac-source 00:11:22:33:44:55]");
  assert_rule (rs, "filter/INPUT/16", A, NULL,
               "[-m time --timestart 08:00:00 --timestop 18:00:00 --weekdays Mon,Tue --datestop 2038-01-19T03:14:07]");
  assert_rule (rs, "filter/INPUT/17", Q, NULL, "proto=6 sport=1024-65535 dport=3306");
  assert_rule (rs, "filter/INPUT/18", Q, NULL, "proto=17 sport=0-52,54-65535");
  assert_rule (rs, "filter/INPUT/19", D, NULL, "[-f]");
  assert_rule (rs, "filter/INPUT/20", N, NULL, "any");
  assert_rule (rs, "filter/INPUT/21", FWR_ACTION_JUMP, "filter/logdrop", "any");
  assert_rule (rs, "filter/FORWARD/1", N, NULL, "iif=eth* oif=ppp0");
  assert_rule (rs, "filter/FORWARD/2", A, NULL, "iif=!wlan* proto=47");
  assert_rule (rs, "filter/FORWARD/3", FWR_ACTION_RETURN, NULL, "[-m physdev --physdev-in eth0]");
  assert_rule (rs, "filter/FORWARD/4", FWR_ACTION_GOTO, "filter/web", "any");
  assert_rule (rs, "filter/logdrop/1", N, NULL, "[-m limit --limit 3/min]");
  assert_rule (rs, "filter/logdrop/2", D, NULL, "any");
  assert_rule (rs, "filter/web/1", FWR_ACTION_RETURN, NULL, "proto=6 sport=1024-65535");
  assert_rule (rs, "filter/web/2", A, NULL, "dst=203.0.113.0/24");
  assert_rule (rs, "filter/web/3", FWR_ACTION_REJECT, NULL, "proto=6 dport=443");
  /* Address translation ends its nat chain; marks and conntrack helpers let evaluation go on. */
  assert_rule (rs, "nat/PREROUTING/1", A, NULL, "iif=eth0 proto=6 dport=80");
  assert_rule (rs, "nat/PREROUTING/2", A, NULL, "iif=eth0 proto=6 dport=81");
  assert_rule (rs, "nat/POSTROUTING/1", A, NULL, "oif=eth0");
  assert_rule (rs, "nat/POSTROUTING/2", A, NULL, "oif=eth1");
  assert_rule (rs, "mangle/PREROUTING/1", N, NULL, "any");
  assert_rule (rs, "mangle/FORWARD/1", N, NULL, "proto=6 [--tcp-flags SYN,RST SYN]");
  assert_rule (rs, "raw/PREROUTING/1", N, NULL, "proto=17 dport=53");
  assert_rule (rs, "security/INPUT/1", D, NULL, "src=192.0.2.66");

  g_assert_cmpstr (fwr_rule_get_comment (rule (rs, "filter/INPUT/3")), ==, "ssh from \"lan\" only");
  g_assert_null (fwr_rule_get_comment (rule (rs, "filter/INPUT/4")));
  g_assert_true (fwr_rule_get_log (rule (rs, "filter/INPUT/13")));
  g_assert_true (fwr_rule_get_log (rule (rs, "filter/INPUT/14")));
  g_assert_true (fwr_rule_get_log (rule (rs, "filter/logdrop/1")));
  g_assert_false (fwr_rule_get_log (rule (rs, "filter/INPUT/20")));
  g_assert_cmpuint (fwr_rule_get_n_opaque (rule (rs, "filter/INPUT/8")), ==, 2);
}

static void
test_save_counters (void)
{
  g_autoptr (FwrRuleset) with = load ("constructs.save");
  assert_counter (with, "filter/INPUT/1", 1200, 98000);
  assert_counter (with, "filter/INPUT/2", 5000000, 7000000000);
  assert_counter (with, "filter/INPUT/4", 0, 0);
  assert_counter (with, "filter/INPUT/20", 9, 540);
  assert_counter (with, "raw/PREROUTING/1", 5, 300);

  /* Without -c, usage is unknown: no counter at all rather than a zero. */
  g_autoptr (FwrRuleset) without = load ("findings.save");
  guint64 packets, bytes;
  g_assert_false (fwr_rule_get_counter (rule (without, "filter/FORWARD/1"), &packets, &bytes));
}

static void
test_save_handwritten (void)
{
  g_autoptr (FwrRuleset) rs = load ("handwritten.save");
  const FwrAction A = FWR_ACTION_ACCEPT, D = FWR_ACTION_DROP, N = FWR_ACTION_NONE;

  /* No header and no IPv6 address: an iptables (IPv4) file. -N and -P as restore files have them. */
  FwrChain *input = fwr_ruleset_lookup_chain (rs, "filter/INPUT");
  g_assert_cmpint (fwr_chain_get_family (input), ==, FWR_TABLE_FAMILY_IP);
  assert_chain (rs, "filter/FORWARD", FWR_HOOK_FORWARD, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_DROP, 0);
  assert_chain (rs, "filter/blocklist", FWR_HOOK_NONE, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_NONE, 2);
  assert_chain (rs, "filter/OUTPUT", FWR_HOOK_OUTPUT, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_ACCEPT, 1);

  /* "-s ! x" and "--dport ! 22": the form before iptables 1.4.3; -p tcp loads tcp's options. */
  assert_rule (rs, "filter/INPUT/1", D, NULL,
               "src=0.0.0.0/5,8.0.0.0/7,11.0.0.0-255.255.255.255 proto=6 dport=0-21,23-65535");
  assert_rule (rs, "filter/INPUT/2", A, NULL, "proto=6 dport=22");
  assert_rule (rs, "filter/INPUT/3", FWR_ACTION_JUMP, "filter/blocklist", "[-m set --match-set blocked src]");
  assert_rule (rs, "filter/INPUT/4", D, NULL,
               "[-m set ! --match-set allowed src,dst] [-m set --match-set blocked dst]");
  assert_rule (rs, "filter/INPUT/5", A, NULL, "[-m foo --bar 1]");
  assert_rule (rs, "filter/INPUT/6", A, NULL, "proto=17 dport=53 [--frobnicate]");
  assert_rule (rs, "filter/INPUT/7", N, NULL, "proto=6");
  assert_rule (rs, "filter/INPUT/10", A, NULL, "src=10.0.0.0/16");
  assert_rule (rs, "filter/INPUT/11", A, NULL, "[-s 10.0.0.0/255.0.255.0]");
  assert_rule (rs, "filter/INPUT/12", A, NULL, "src=192.0.2.1,192.0.2.7");
  assert_rule (rs, "filter/INPUT/13", A, NULL, "proto=1");
  assert_rule (rs, "filter/INPUT/14", A, NULL, "proto=1 icmp=769");
  assert_rule (rs, "filter/INPUT/15", A, NULL, "[--ctstate DNAT]");
  assert_rule (rs, "filter/INPUT/16", A, NULL,
               "ct=new [conntrack states that no packet has (the conditions contradict)]");
  assert_rule (rs, "filter/INPUT/17", FWR_ACTION_QUEUE, NULL, "any");
  /* "-6" rules are skipped by iptables-restore: the next rule is the 18th. */
  assert_rule (rs, "filter/INPUT/18", N, NULL, "any");
  g_assert_cmpuint (fwr_rule_get_line (rule (rs, "filter/INPUT/18")), ==, 24);
  g_assert_null (fwr_ruleset_lookup_rule (rs, "filter/INPUT/19"));
  assert_rule (rs, "filter/blocklist/1", N, NULL, "any");

  g_assert_cmpstr (fwr_rule_get_comment (rule (rs, "filter/INPUT/8")), ==, "single quoted");
  g_assert_cmpstr (fwr_rule_get_comment (rule (rs, "filter/INPUT/9")), ==, "back\\slash \"quoted\"");

  /* ipsets are named objects the rules refer to. */
  FwrObject *blocked = NULL, *allowed = NULL, *seen = NULL;
  for (guint i = 0; i < fwr_ruleset_get_n_objects (rs); i++)
    {
      FwrObject *o = fwr_ruleset_get_object (rs, i);
      if (g_str_equal (fwr_object_get_id (o), "ipset/blocked"))
        blocked = o;
      else if (g_str_equal (fwr_object_get_id (o), "ipset/allowed"))
        allowed = o;
      else if (g_str_equal (fwr_object_get_id (o), "ipset/seen"))
        seen = o;
    }
  g_assert_cmpuint (fwr_ruleset_get_n_objects (rs), ==, 3);
  g_assert_nonnull (blocked);
  g_assert_cmpint (fwr_object_get_kind (blocked), ==, FWR_OBJECT_SET);
  g_assert_cmpuint (fwr_object_get_n_refs (blocked), ==, 2);
  g_assert_cmpuint (fwr_object_get_line (blocked), ==, 8);
  g_assert_cmpuint (fwr_object_get_n_refs (allowed), ==, 1);
  g_assert_cmpuint (fwr_object_get_n_refs (seen), ==, 1);

  /* What is not understood is said, with the place. */
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, 5);
  g_assert_true (has_warning (rs, "handwritten.save:10:13: match “foo” is not known"));
  g_assert_true (has_warning (rs, "handwritten.save:11:42: option “--frobnicate” (after -m multiport) is not known"));
  g_assert_true (has_warning (rs, "handwritten.save:12:20: target “TPROXY” is neither a chain of table filter nor a known target"));
  g_assert_true (has_warning (rs, "handwritten.save:24:13: target DNAT works only in the nat table"));
  g_assert_true (has_warning (rs, "handwritten.save:25:4: built-in chain OUTPUT is used without a “:OUTPUT” line"));
}

static void
test_save_ipv6 (void)
{
  g_autoptr (FwrRuleset) rs = load ("v6.save");
  const FwrAction A = FWR_ACTION_ACCEPT;
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 11);
  g_assert_cmpint (fwr_chain_get_family (fwr_ruleset_lookup_chain (rs, "filter/INPUT")), ==, FWR_TABLE_FAMILY_IP6);
  assert_rule (rs, "filter/INPUT/1", A, NULL, "iif=lo");
  assert_rule (rs, "filter/INPUT/2", A, NULL, "src=fe80::/10 proto=58 icmp=34560-34815");
  assert_rule (rs, "filter/INPUT/3", A, NULL, "proto=58 icmp=32768-33023");
  assert_rule (rs, "filter/INPUT/4", A, NULL, "proto=58 icmp=259");
  assert_rule (rs, "filter/INPUT/5", FWR_ACTION_JUMP, "filter/icmp6", "proto=58 icmp=0-32767,33024-65535");
  assert_rule (rs, "filter/INPUT/6", A, NULL,
               "src=2001:db8::/32 dst=::-2001:db8:1::,2001:db8:1::2-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
               "proto=6 dport=22 ct=new");
  assert_rule (rs, "filter/INPUT/7", A, NULL, "proto=17 sport=547 dport=546");
  assert_rule (rs, "filter/icmp6/1", FWR_ACTION_RETURN, NULL, "proto=58 icmp=33024-33279");
  g_assert_cmpstr (fwr_rule_get_comment (rule (rs, "filter/INPUT/6")), ==, "admins");
  assert_counter (rs, "filter/INPUT/1", 40, 2400);

  /* ICMPv6 names, and type/code. */
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) named = load_text (
      "# Generated by ip6tables-save v1.8.9\n*filter\n:INPUT DROP [0:0]\n"
      "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation -j ACCEPT\n"
      "-A INPUT -p icmpv6 -m icmp6 --icmpv6-type port-unreachable -j ACCEPT\nCOMMIT\n", &error);
  g_assert_no_error (error);
  assert_rule (named, "filter/INPUT/1", A, NULL, "proto=58 icmp=34560-34815");
  assert_rule (named, "filter/INPUT/2", A, NULL, "proto=58 icmp=260");
}

static void
test_save_family (void)
{
  g_autofree char *path = data_path ("v6.save");
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));

  /* Without the "# Generated by ip6tables-save" header, the IPv6 addresses tell. */
  const char *body = strchr (contents, '\n') + 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) bare = load_text (body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fwr_chain_get_family (fwr_ruleset_lookup_chain (bare, "filter/INPUT")), ==, FWR_TABLE_FAMILY_IP6);

  /* ICMPv6 alone tells too. */
  g_autoptr (FwrRuleset) icmp6 = load_text ("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p ipv6-icmp -j ACCEPT\nCOMMIT\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fwr_chain_get_family (fwr_ruleset_lookup_chain (icmp6, "filter/INPUT")), ==, FWR_TABLE_FAMILY_IP6);

  /* The header wins: "-p icmpv6" in an iptables-save file is protocol 58 over IPv4. */
  g_autoptr (FwrRuleset) v4 = load_text ("# Generated by iptables-save v1.4.21\n*filter\n:INPUT ACCEPT [0:0]\n"
                                         "-A INPUT -p icmpv6 -s 127.0.0.0/8 -j ACCEPT\nCOMMIT\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fwr_chain_get_family (fwr_ruleset_lookup_chain (v4, "filter/INPUT")), ==, FWR_TABLE_FAMILY_IP);
  assert_rule (v4, "filter/INPUT/1", FWR_ACTION_ACCEPT, NULL, "src=127.0.0.0/8 proto=58");
}

/* iptables -L -n -v */

/* Reads the same kernel ruleset as its iptables-save: the same ids, verdicts, counters and
 * sets; only the text of opaque conditions differs between the two outputs. */
static void
assert_same_model (FwrRuleset *save, FwrRuleset *list, const char *table)
{
  guint n_compared = 0;
  for (guint c = 0; c < fwr_ruleset_get_n_chains (list); c++)
    {
      FwrChain *lc = fwr_ruleset_get_chain (list, c);
      FwrChain *sc = fwr_ruleset_lookup_chain (save, fwr_chain_get_id (lc));
      g_assert_nonnull (sc);
      g_assert_cmpstr (fwr_chain_get_table (lc), ==, table);
      g_assert_cmpint (fwr_chain_get_family (lc), ==, fwr_chain_get_family (sc));
      g_assert_cmpint (fwr_chain_get_hook (lc), ==, fwr_chain_get_hook (sc));
      g_assert_cmpint (fwr_chain_get_policy (lc), ==, fwr_chain_get_policy (sc));
      g_assert_cmpuint (fwr_chain_get_n_rules (lc), ==, fwr_chain_get_n_rules (sc));
      for (guint r = 0; r < fwr_chain_get_n_rules (lc); r++)
        {
          FwrRule *lr = fwr_chain_get_rule (lc, r), *sr = fwr_chain_get_rule (sc, r);
          g_assert_cmpstr (fwr_rule_get_id (lr), ==, fwr_rule_get_id (sr));
          g_assert_cmpint (fwr_rule_get_action (lr), ==, fwr_rule_get_action (sr));
          g_assert_cmpstr (fwr_rule_get_target (lr), ==, fwr_rule_get_target (sr));
          g_assert_cmpstr (fwr_rule_get_comment (lr), ==, fwr_rule_get_comment (sr));
          g_assert_cmpint (fwr_rule_get_log (lr), ==, fwr_rule_get_log (sr));
          g_assert_cmpuint (fwr_rule_get_n_opaque (lr), ==, fwr_rule_get_n_opaque (sr));
          guint64 lp, lb, sp, sb;
          g_assert_true (fwr_rule_get_counter (lr, &lp, &lb));
          g_assert_true (fwr_rule_get_counter (sr, &sp, &sb));
          g_assert_cmpuint (lp, ==, sp);
          g_assert_cmpuint (lb, ==, sb);
          g_assert_cmpuint (lr->n_terms, ==, sr->n_terms);
          for (guint t = 0; t < lr->n_terms; t++)
            {
              g_autofree char *lt = match_text (&lr->terms[t].match, FALSE);
              g_autofree char *st = match_text (&sr->terms[t].match, FALSE);
              if (!g_str_equal (lt, st))
                g_error ("%s: the listing reads “%s”, the save “%s”", fwr_rule_get_id (lr), lt, st);
            }
          n_compared++;
        }
    }
  g_assert_cmpuint (n_compared, ==, fwr_ruleset_get_n_rules (list));
}

static void
test_list_same_model (void)
{
  g_autoptr (FwrRuleset) save = load ("constructs.save");
  g_autoptr (FwrRuleset) list = load ("constructs.list");
  g_assert_cmpstr (fwr_ruleset_get_format (list), ==, "iptables-list");
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (list), ==, 0);
  g_assert_cmpuint (fwr_ruleset_get_n_rules (list), ==, 30);
  assert_same_model (save, list, "filter");
  assert_rule (list, "filter/INPUT/8", FWR_ACTION_ACCEPT, NULL, "proto=6 [tcp flags:0x17/0x02] [limit: avg 5/sec burst 10]");
  assert_rule (list, "filter/FORWARD/4", FWR_ACTION_GOTO, "filter/web", "any");

  g_autoptr (FwrRuleset) save6 = load ("v6.save");
  g_autoptr (FwrRuleset) list6 = load ("v6.list");
  g_assert_cmpint (fwr_chain_get_family (fwr_ruleset_lookup_chain (list6, "filter/INPUT")), ==, FWR_TABLE_FAMILY_IP6);
  assert_same_model (save6, list6, "filter");
}

static void
test_list_rounded (void)
{
  g_autoptr (FwrRuleset) rs = load ("constructs-rounded.list");
  /* --line-numbers adds a column; without -x, 5000K and 7000M are rounded counts. */
  assert_counter (rs, "filter/INPUT/1", 1200, 98000);
  assert_counter (rs, "filter/INPUT/2", 5000000, 7000000000);
  g_assert_true (has_warning (rs, "counters with K, M or G are rounded"));
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 30);
}

static void
test_list_other_tables (void)
{
  static const char nat[] =
    "Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               destination\n"
    "    0     0 DNAT       tcp  --  eth0   *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 to:10.0.0.5:8080\n"
    "\n"
    "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               destination\n"
    "\n"
    "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               destination\n"
    "\n"
    "Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
    " pkts bytes target     prot opt in     out     source               destination\n"
    "  12M 1024M MASQUERADE  all  --  *      ppp0    0.0.0.0/0            0.0.0.0/0\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = load_text (nat, &error);
  g_assert_no_error (error);
  g_assert_true (has_warning (rs, "its built-in chains make it the nat table"));
  assert_chain (rs, "nat/POSTROUTING", FWR_HOOK_POSTROUTING, FWR_CHAIN_TYPE_NAT, 100, FWR_ACTION_ACCEPT, 1);
  assert_rule (rs, "nat/PREROUTING/1", FWR_ACTION_ACCEPT, NULL, "iif=eth0 proto=6 dport=80");
  /* Old iptables printed protocol names; a target too long for its column pushes the rest. */
  assert_rule (rs, "nat/POSTROUTING/1", FWR_ACTION_ACCEPT, NULL, "oif=ppp0");
  assert_counter (rs, "nat/POSTROUTING/1", 12000000, 1024000000);

  /* Legacy ip6tables printed no opt column. */
  static const char v6[] =
    "Chain INPUT (policy DROP 3 packets, 180 bytes)\n"
    " pkts bytes target     prot opt in     out     source               destination\n"
    "    5   300 ACCEPT     tcp      eth0   *       2001:db8::/32        ::/0                 tcp dpt:22\n"
    "    0     0            all      *      *       ::/0                 ::/0\n";
  g_autoptr (FwrRuleset) rs6 = load_text (v6, &error);
  g_assert_no_error (error);
  assert_rule (rs6, "filter/INPUT/1", FWR_ACTION_ACCEPT, NULL, "iif=eth0 src=2001:db8::/32 proto=6 dport=22");
  assert_rule (rs6, "filter/INPUT/2", FWR_ACTION_NONE, NULL, "any");
  assert_counter (rs6, "filter/INPUT/1", 5, 300);
}

/* Findings */

static const FwrFinding *
find (FwrReport *report, const char *check, const char *id)
{
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    {
      const FwrFinding *f = fwr_report_get_finding (report, i);
      if (g_str_equal (fwr_finding_get_check (f), check) && g_str_equal (fwr_finding_get_subject_id (f), id))
        return f;
    }
  return NULL;
}

static void
assert_related (const FwrFinding *finding, const char * const *expected)
{
  const char * const *related = fwr_finding_get_related (finding);
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_strv_contains (related, expected[i]));
}

static void
test_findings (void)
{
  g_autoptr (FwrRuleset) rs = load ("findings.save");
  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);

  /* 4 is covered by the union of 2 and 3, neither of which covers it alone. */
  const FwrFinding *redundant = find (report, "redundant", "filter/FORWARD/4");
  g_assert_nonnull (redundant);
  assert_related (redundant, (const char *[]) { "filter/FORWARD/2", "filter/FORWARD/3", NULL });

  /* A drop that never applies: 2 accepts all of its packets first. */
  const FwrFinding *shadowed = find (report, "shadowed", "filter/FORWARD/5");
  g_assert_nonnull (shadowed);
  g_assert_cmpint (fwr_finding_get_severity (shadowed), ==, FWR_SEVERITY_HIGH);
  assert_related (shadowed, (const char *[]) { "filter/FORWARD/2", NULL });

  /* admin decides every ssh packet from eth1 (accept or drop) and returns the rest: the ssh rule
   * after the jump is shadowed, the rdp one is not. */
  const FwrFinding *ssh = find (report, "shadowed", "filter/FORWARD/8");
  g_assert_nonnull (ssh);
  assert_related (ssh, (const char *[]) { "filter/admin/1", "filter/admin/2", NULL });
  g_assert_null (find (report, "shadowed", "filter/FORWARD/7"));
  g_assert_null (find (report, "redundant", "filter/FORWARD/7"));

  /* The jump to "limited" depends on -m recent: its unconditional drop decides nothing for sure. */
  g_assert_null (find (report, "shadowed", "filter/FORWARD/10"));
  g_assert_null (find (report, "shadowed", "filter/FORWARD/11"));

  g_assert_nonnull (find (report, "any-any", "filter/FORWARD/11"));
  g_assert_null (find (report, "any-any", "filter/FORWARD/1"));
  g_assert_nonnull (find (report, "remote-admin-exposure", "filter/FORWARD/7"));
  g_assert_nonnull (find (report, "undocumented", "filter/FORWARD/11"));
  g_assert_null (find (report, "undocumented", "filter/FORWARD/2"));
  g_assert_null (find (report, "default-allow", "filter/FORWARD"));
}

static void
test_findings_tables_and_counters (void)
{
  g_autoptr (FwrRuleset) rs = load ("constructs.list");
  g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
  /* Per-rule counters of the listing: zero means unused, a count means used. */
  g_assert_nonnull (find (report, "unused", "filter/INPUT/4"));
  g_assert_null (find (report, "unused", "filter/INPUT/3"));
  g_assert_null (find (report, "unused", "filter/INPUT/1"));

  /* Accept-all policies of mangle, raw and security are no default-allow of the filter. */
  g_autoptr (FwrRuleset) all = load ("constructs.save");
  g_autoptr (FwrReport) all_report = fwr_analyze (all, NULL);
  for (guint i = 0; i < fwr_report_get_n_findings (all_report); i++)
    {
      const FwrFinding *f = fwr_report_get_finding (all_report, i);
      if (g_str_equal (fwr_finding_get_check (f), "default-allow"))
        g_error ("unexpected default-allow on %s", fwr_finding_get_subject_id (f));
    }
  /* The web chain is reached by a jump and a goto: no unused-object finding for it. */
  g_assert_null (find (all_report, "unused-object", "filter/web"));
}

/* Snapshots keep what was imported: the model JSON of an iptables ruleset reads back to the
 * same bytes (ipset objects, route-type tables, per-rule counters, two-term rules included). */
static void
test_snapshot_round_trip (void)
{
  static const char *files[] = { "constructs.save", "handwritten.save", "v6.save", "constructs.list" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (FwrRuleset) rs = load (files[i]);
      gsize length;
      g_autofree char *json = _fwr_ruleset_to_json (rs, &length);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) back = _fwr_ruleset_from_json (files[i], json, length, &error);
      g_assert_no_error (error);
      gsize back_length;
      g_autofree char *again = _fwr_ruleset_to_json (back, &back_length);
      g_assert_cmpstr (again, ==, json);
      g_assert_cmpuint (fwr_ruleset_get_n_rules (back), ==, fwr_ruleset_get_n_rules (rs));
    }
}

/* Bad input */

typedef struct {
  const char *name;
  const char *data;
  gsize length;                   /* 0: strlen (data) */
  FwrImportErrorCode code;
  guint line, column;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "unknown-table", "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n*filtr\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 4, 2, "unknown table “filtr” (expected filter, nat, mangle, raw or security)" },
  { "undeclared-chain", "*filter\n:INPUT ACCEPT [0:0]\n-A nowhere -j ACCEPT\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 4, "chain “nowhere” is not declared in table filter" },
  { "missing-commit", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 1, "table filter (line 1) ends without COMMIT" },
  { "commit-missing-before-table", "*filter\n:INPUT ACCEPT [0:0]\n*nat\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 1, "table filter (line 1) has no COMMIT before this table starts" },
  { "bad-address", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.300 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 13, "“10.0.0.300” is not an IPv4 address" },
  { "bad-prefix", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ! -d 10.0.0.0/33 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 15, "“10.0.0.0/33”: “33” is not a prefix length (0-32)" },
  { "v6-in-v4", "# Generated by iptables-save v1.8.9\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8::1 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 4, 13, "“2001:db8::1” is an IPv6 address in an IPv4 ruleset" },
  { "bad-range", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m iprange --src-range 10.0.0.9-10.0.0.1 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 33, "address range “10.0.0.9-10.0.0.1” starts above its end" },
  { "bad-port", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 70000 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 32, "“70000” is not a port (0-65535 or a service name)" },
  { "bad-port-range", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp --sport 2000:1000 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 25, "port range “2000:1000” starts above its end" },
  { "bad-multiport", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m multiport --dports 80,,443 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 39, "“” is not a port" },
  { "bad-protocol", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tpc -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 13, "unknown protocol “tpc”" },
  { "bad-ct-state", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate NEW,OLD -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 33, "unknown conntrack state “OLD”" },
  { "bad-icmp", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m icmp --icmp-type 3/300 -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 38, "“3/300” is not an ICMP type" },
  { "open-quote", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment \"open -j ACCEPT\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 31, "the quote (\") opened here is not closed" },
  { "user-chain-policy", "*filter\n:web ACCEPT [0:0]\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 2, 6, "“web” is no built-in chain of table filter, so it cannot have a policy (ACCEPT)" },
  { "bad-policy", "*filter\n:INPUT REJECT [0:0]\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 2, 8, "a built-in chain's policy is ACCEPT or DROP" },
  { "bad-chain-counters", "*filter\n:INPUT ACCEPT [x:0]\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 2, 15, "“[x:0]” is not a [packets:bytes] counter" },
  { "duplicate-chain", "*filter\n:web - [0:0]\n:web - [0:0]\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 2, "chain “web” is declared twice in table filter (first at line 2)" },
  { "duplicate-table", "*filter\nCOMMIT\n*filter\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 2, "table filter appears a second time (first at line 1)" },
  { "rule-outside-table", "-A INPUT -j ACCEPT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 1, 1, "“-A” outside a table" },
  { "dangling-negation", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT !\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 20, "“!” with nothing after it" },
  { "goto-verdict", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -g ACCEPT\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 13, "-g needs a user-defined chain of table filter; “ACCEPT” is none" },
  { "jump-builtin", "*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j OUTPUT\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 4, 13, "cannot jump to the built-in chain OUTPUT" },
  { "missing-argument", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 10, "-s needs an argument" },
  { "two-targets", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT -j DROP\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 20, "a second target" },
  { "stray-word", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp 22 -j ACCEPT\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 17, "“22” is not an option" },
  { "delete-command", "*filter\n:INPUT ACCEPT [0:0]\n-D INPUT 1\nCOMMIT\n", 0,
    FWR_IMPORT_ERROR_UNSUPPORTED, 3, 1, "“-D”: only -A (and -N, -P) lines are read" },
  { "nul-byte", "*filter\n:INPUT ACCEPT [0:0]\n-A IN\0PUT\nCOMMIT\n", 40,
    FWR_IMPORT_ERROR_MALFORMED, 3, 6, "NUL byte" },
  { "list-without-v", "Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\n", 0,
    FWR_IMPORT_ERROR_UNSUPPORTED, 2, 1, "iptables -L without -v has no interface columns" },
  { "list-bad-row", "Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n pkts bytes target prot opt in out source destination\n"
    "    0     0 ACCEPT  all  --  *  *  garbage\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 5, "not a rule row of iptables -L -n -v" },
  { "list-bad-policy", "Chain INPUT (policy MAYBE 0 packets, 0 bytes)\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 1, 21, "policy “MAYBE”" },
  { "list-bad-counter", "Chain INPUT (policy DROP 0 packets, 0 bytes)\n pkts bytes target\n"
    "   1x     0 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0\n", 0,
    FWR_IMPORT_ERROR_MALFORMED, 3, 4, "“1x 0” are not packet and byte counts" },
};

static void
test_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr (GError) error = NULL;
      gsize length = c->length ? c->length : strlen (c->data);
      g_autoptr (FwrRuleset) rs = fwr_import_data ("bad.save", c->data, length, FWR_FORMAT_UNKNOWN, &error);
      if (rs != NULL)
        g_error ("%s: imported without an error", c->name);
      g_assert_error (error, FWR_IMPORT_ERROR, (int) c->code);
      const char *file;
      guint line, column;
      g_assert_true (fwr_import_error_get_location (error, &file, &line, &column));
      g_assert_cmpstr (file, ==, "bad.save");
      if (line != c->line || column != c->column || strstr (error->message, c->message) == NULL)
        g_error ("%s: expected %u:%u “%s”, got “%s”", c->name, c->line, c->column, c->message, error->message);
      g_autofree char *prefix = g_strdup_printf ("bad.save:%u:%u: ", c->line, c->column);
      g_assert_true (g_str_has_prefix (error->message, prefix));
    }
}

/* The public samples */

typedef struct {
  const char *file;
  const char *format;
  guint rules;                    /* counted by hand, see below */
  guint chains;
  guint warnings;
} PublicSample;

/* rules: `grep -c '^-A' FILE` for the iptables-save files (none has [p:b] prefixes); for the
 * listing, `grep -cE '^ +[0-9]+[KMG]? +[0-9]+[KMG]? '` (rule rows), 56. chains: `grep -c '^:'`,
 * and `grep -c '^Chain'` for the listing. Warnings: the edge-case file's unknown multiport option
 * "--something-else", and the listing's rounded "198K" counters. */
static const PublicSample public_samples[] = {
  { "medium-sized-company_iptables-save", "iptables-save", 598, 21, 0 },
  { "parser_test_edgecases_iptables-save", "iptables-save", 43, 7, 1 },
  { "sqrl_shorewall_iptables-save", "iptables-save", 404, 82, 0 },
  { "synology_ds414_ip6tables-save", "iptables-save", 47, 6, 0 },
  { "tum_net_iptables-save-2015-09-03", "iptables-save", 4973, 98, 0 },
  { "typical_home_user_iptables-save", "iptables-save", 218, 42, 0 },
  { "ugent_iptables-save", "iptables-save", 232, 6, 0 },
  { "sns_ias_iptables-L-n-v.txt", "iptables-list", 56, 4, 1 },
};

static char *
public_dir (void)
{
  const char *shared = g_getenv ("FWR_SHARED_DIR");
  if (shared == NULL)
    return NULL;
  char *dir = g_build_filename (shared, "samples-public", "iptables-save", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_free (dir);
      return NULL;
    }
  return dir;
}

static void
test_public_samples (void)
{
  g_autofree char *dir = public_dir ();
  if (dir == NULL)
    {
      g_test_skip ("../shared/samples-public/iptables-save is absent");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (public_samples); i++)
    {
      const PublicSample *s = &public_samples[i];
      g_autofree char *path = g_build_filename (dir, s->file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fwr_ruleset_get_format (rs), ==, s->format);
      if (fwr_ruleset_get_n_rules (rs) != s->rules || fwr_ruleset_get_n_chains (rs) != s->chains)
        g_error ("%s: %u rules in %u chains, expected %u in %u", s->file, fwr_ruleset_get_n_rules (rs),
                 fwr_ruleset_get_n_chains (rs), s->rules, s->chains);
      g_assert_cmpuint (fwr_ruleset_get_n_warnings (rs), ==, s->warnings);
    }

  g_autofree char *synology = g_build_filename (dir, "synology_ds414_ip6tables-save", NULL);
  g_autoptr (FwrRuleset) v6 = fwr_import_file (synology, FWR_FORMAT_UNKNOWN, NULL);
  g_assert_cmpint (fwr_chain_get_family (fwr_ruleset_lookup_chain (v6, "filter/INPUT")), ==, FWR_TABLE_FAMILY_IP6);
  assert_rule (v6, "filter/DOS_PROTECT/1", FWR_ACTION_RETURN, NULL,
               "iif=eth1 proto=6 [--tcp-flags FIN,SYN,RST,ACK RST] [-m limit --limit 1/sec]");

  g_autofree char *edge = g_build_filename (dir, "parser_test_edgecases_iptables-save", NULL);
  g_autoptr (FwrRuleset) e = fwr_import_file (edge, FWR_FORMAT_UNKNOWN, NULL);
  assert_rule (e, "filter/FORWARD/3", FWR_ACTION_ACCEPT, NULL,
               "proto=17 sport=8080-8082 [--something-else] | proto=17 dport=8080-8082 [--something-else]");
  assert_rule (e, "filter/DOS~Pro-t_ect/10", FWR_ACTION_NONE, NULL, "proto=0,2-255");
  assert_rule (e, "filter/DOS~Pro-t_ect/11", FWR_ACTION_NONE, NULL,
               "src=0.0.0.0-131.158.255.255,131.160.0.0-255.255.255.255 proto=0-5,7-255");
  g_assert_cmpstr (fwr_rule_get_comment (rule (e, "filter/DOS~Pro-t_ect/9")), ==, "\"");
  assert_rule (e, "filter/FORWARD/22", FWR_ACTION_GOTO, "filter/Terminal", "any");

  g_autofree char *sns = g_build_filename (dir, "sns_ias_iptables-L-n-v.txt", NULL);
  g_autoptr (FwrRuleset) l = fwr_import_file (sns, FWR_FORMAT_UNKNOWN, NULL);
  assert_counter (l, "filter/INPUT/26", 1418, 198000);
  assert_rule (l, "filter/INPUT/2", FWR_ACTION_JUMP, "filter/syn-flood", "iif=wlan0 proto=6 [tcp flags:0x17/0x02]");
  assert_rule (l, "filter/INPUT/22", FWR_ACTION_ACCEPT, NULL, "iif=wlan0 proto=6 sport=1024-65535 dport=1024-65535 ct=established");
}

/* Arbitrary bytes: every cut and many corruptions of the samples give a ruleset or a located
 * import error, never a crash (the sanitizer build checks memory too). */
static void
import_must_not_crash (const char *data, gsize length, FwrFormat format)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = fwr_import_data ("cut.save", data, length, format, &error);
  g_assert_true ((rs == NULL) != (error == NULL));
  if (error != NULL)
    {
      g_assert_true (error->domain == FWR_IMPORT_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "cut.save:"));
    }
}

static void
test_robust (void)
{
  static const struct {
    const char *file;
    FwrFormat format;
  } seeds[] = {
    { "constructs.save", FWR_FORMAT_IPTABLES_SAVE }, { "handwritten.save", FWR_FORMAT_IPTABLES_SAVE },
    { "constructs.list", FWR_FORMAT_IPTABLES_LIST }, { "v6.list", FWR_FORMAT_IPTABLES_LIST },
  };
  for (guint s = 0; s < G_N_ELEMENTS (seeds); s++)
    {
      g_autofree char *path = data_path (seeds[s].file);
      g_autofree char *data = NULL;
      gsize length;
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      for (gsize cut = 1; cut < length; cut += 3)
        import_must_not_crash (data, cut, seeds[s].format);
      for (guint round = 0; round < 400; round++)
        {
          g_autofree char *copy = g_memdup2 (data, length);
          guint n_flips = (guint) g_test_rand_int_range (1, 8);
          for (guint k = 0; k < n_flips; k++)
            {
              static const char bytes[] = { '\0', '\n', '"', '\'', '!', ' ', '-', ':', '/', '[', '\xff', '\\' };
              gsize at = (gsize) g_test_rand_int_range (0, (gint32) length);
              copy[at] = g_test_rand_bit () ? bytes[g_test_rand_int_range (0, sizeof bytes)]
                                            : (char) g_test_rand_int_range (0, 256);
            }
          import_must_not_crash (copy, length, seeds[s].format);
        }
    }
}

int
main (int argc, char **argv)
{
  fwr_test_init (&argc, &argv);
  g_test_add_func ("/fwr/import-iptables/detect", test_detect);
  g_test_add_func ("/fwr/import-iptables/save/tables", test_save_tables);
  g_test_add_func ("/fwr/import-iptables/save/matches", test_save_matches);
  g_test_add_func ("/fwr/import-iptables/save/counters", test_save_counters);
  g_test_add_func ("/fwr/import-iptables/save/handwritten", test_save_handwritten);
  g_test_add_func ("/fwr/import-iptables/save/ipv6", test_save_ipv6);
  g_test_add_func ("/fwr/import-iptables/save/family", test_save_family);
  g_test_add_func ("/fwr/import-iptables/list/same-model", test_list_same_model);
  g_test_add_func ("/fwr/import-iptables/list/rounded", test_list_rounded);
  g_test_add_func ("/fwr/import-iptables/list/other-tables", test_list_other_tables);
  g_test_add_func ("/fwr/import-iptables/findings/save", test_findings);
  g_test_add_func ("/fwr/import-iptables/findings/tables-and-counters", test_findings_tables_and_counters);
  g_test_add_func ("/fwr/import-iptables/snapshot-round-trip", test_snapshot_round_trip);
  g_test_add_func ("/fwr/import-iptables/bad", test_bad);
  g_test_add_func ("/fwr/import-iptables/public-samples", test_public_samples);
  g_test_add_func ("/fwr/import-iptables/robust", test_robust);
  return g_test_run ();
}
