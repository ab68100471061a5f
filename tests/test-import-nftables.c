/* test-import-nftables.c: the nftables JSON importer, one case per expression kind (each
 * from a ruleset nft itself listed), the bad inputs, and the public nftables test dumps. */
#include "fwr-ruleset-private.h"
#include "fwr-import-private.h"

/* Fixtures */

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "nft", name, NULL);
}

static FwrRuleset *
import_ok (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  /* Through detection, as the CLI reads files. */
  FwrRuleset *ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ruleset);
  g_assert_cmpstr (fwr_ruleset_get_format (ruleset), ==, "nftables-json");
  return ruleset;
}

static FwrRuleset *
import_text_ok (const char *json)
{
  g_autoptr (GError) error = NULL;
  FwrRuleset *ruleset = fwr_import_data ("inline.json", json, strlen (json), FWR_FORMAT_NFTABLES_JSON, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ruleset);
  return ruleset;
}

static FwrRule *
get_rule (FwrRuleset *ruleset, const char *id)
{
  FwrRule *rule = fwr_ruleset_lookup_rule (ruleset, id);
  if (rule == NULL)
    g_error ("no rule %s", id);
  return rule;
}

/* What one term must hold. NULL strings mean "any"; families must always be given. */
typedef struct {
  FwrFamilyMask families;
  const char *src;
  const char *dst;
  const char *protos;
  const char *sports;
  const char *dports;
  const char *icmp;
  const char *iif;      /* "eth0,ppp*"; "!" first for a negated match */
  const char *oif;
  guint ct_states;
  const char *opaque;   /* texts joined by " | " */
  FwrAction action;
  const char *target;
} TermExpect;

static char *
addr_text (const FwrAddrSet *set)
{
  return set ? fwr_addr_set_to_string (set) : NULL;
}

static char *
range_text (const FwrRangeSet *set)
{
  return set ? fwr_range_set_to_string (set) : NULL;
}

static char *
names_text (const FwrNameMatch *names)
{
  if (names->patterns == NULL)
    return NULL;
  g_autofree char *joined = g_strjoinv (",", names->patterns);
  return g_strconcat (names->negate ? "!" : "", joined, NULL);
}

static char *
opaque_text (const FwrMatch *match)
{
  if (match->opaque == NULL)
    return NULL;
  g_ptr_array_add (match->opaque, NULL);
  char *text = g_strjoinv (" | ", (char **) match->opaque->pdata);
  g_ptr_array_set_size (match->opaque, match->opaque->len - 1);
  return text;
}

static void
assert_term (const FwrRule *rule, guint index, const TermExpect *want)
{
  g_assert_cmpuint (index, <, rule->n_terms);
  const FwrTerm *term = &rule->terms[index];
  const FwrMatch *m = &term->match;
  g_autofree char *src = addr_text (m->src);
  g_autofree char *dst = addr_text (m->dst);
  g_autofree char *protos = range_text (m->protos);
  g_autofree char *sports = range_text (m->sports);
  g_autofree char *dports = range_text (m->dports);
  g_autofree char *icmp = range_text (m->icmp);
  g_autofree char *iif = names_text (&m->iif);
  g_autofree char *oif = names_text (&m->oif);
  g_autofree char *opaque = opaque_text (m);

  g_test_message ("%s term %u", rule->id, index);
  g_assert_cmpuint (m->families, ==, want->families);
  g_assert_cmpstr (src, ==, want->src);
  g_assert_cmpstr (dst, ==, want->dst);
  g_assert_cmpstr (protos, ==, want->protos);
  g_assert_cmpstr (sports, ==, want->sports);
  g_assert_cmpstr (dports, ==, want->dports);
  g_assert_cmpstr (icmp, ==, want->icmp);
  g_assert_cmpstr (iif, ==, want->iif);
  g_assert_cmpstr (oif, ==, want->oif);
  g_assert_cmpuint (m->ct_states, ==, want->ct_states);
  g_assert_cmpstr (opaque, ==, want->opaque);
  g_assert_null (m->src_zones.patterns);
  g_assert_null (m->dst_zones.patterns);
  g_assert_cmpstr (fwr_action_to_string (term->verdict.action), ==, fwr_action_to_string (want->action));
  g_assert_cmpstr (term->verdict.target, ==, want->target);
}

/* A rule of one term: the term's verdict is the rule's. */
static void
assert_single (FwrRuleset *ruleset, const char *id, const TermExpect *want)
{
  FwrRule *rule = get_rule (ruleset, id);
  g_assert_cmpuint (rule->n_terms, ==, 1);
  assert_term (rule, 0, want);
  g_assert_cmpint (rule->verdict.action, ==, want->action);
  g_assert_cmpstr (rule->verdict.target, ==, want->target);
}

static void
assert_refs (FwrRule *rule, const char *joined)
{
  g_autofree char *refs = rule->refs ? g_strjoinv (",", rule->refs) : NULL;
  g_assert_cmpstr (refs, ==, joined);
}

static void
assert_object (FwrRuleset *ruleset, const char *id, FwrObjectKind kind, guint n_refs)
{
  FwrObject *object = _fwr_ruleset_lookup_object (ruleset, id);
  if (object == NULL)
    g_error ("no object %s", id);
  g_assert_cmpstr (fwr_object_kind_to_string (object->kind), ==, fwr_object_kind_to_string (kind));
  g_assert_cmpuint (object->n_refs, ==, n_refs);
}

static void
assert_warning (FwrRuleset *ruleset, const char *text)
{
  for (guint i = 0; i < ruleset->warnings->len; i++)
    if (g_str_equal (g_ptr_array_index (ruleset->warnings, i), text))
      return;
  for (guint i = 0; i < ruleset->warnings->len; i++)
    g_test_message ("warning: %s", (const char *) g_ptr_array_index (ruleset->warnings, i));
  g_error ("missing warning: %s", text);
}

/* The warning as the data file's path prefixes it. */
static void
assert_file_warning (FwrRuleset *ruleset, const char *file, const char *located_text)
{
  g_autofree char *path = data_path (file);
  g_autofree char *text = g_strdup_printf ("%s:%s", path, located_text);
  assert_warning (ruleset, text);
}

static void
assert_n_warnings (FwrRuleset *ruleset, guint n)
{
  for (guint i = 0; i < ruleset->warnings->len; i++)
    g_test_message ("warning: %s", (const char *) g_ptr_array_index (ruleset->warnings, i));
  g_assert_cmpuint (ruleset->warnings->len, ==, n);
}

#define IPV4 FWR_FAMILY_IPV4
#define IPV6 FWR_FAMILY_IPV6
#define ANY FWR_FAMILY_ANY
#define ACCEPT FWR_ACTION_ACCEPT
#define DROP FWR_ACTION_DROP
#define T(...) (&(TermExpect) { __VA_ARGS__ })

/* Expression kinds */

static void
test_prefix (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("prefix.json");
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 3);
  assert_single (rs, "inet/t/c/2", T (.families = IPV4, .src = "10.0.0.0/8", .action = ACCEPT));
  assert_single (rs, "inet/t/c/3", T (.families = IPV6, .dst = "2001:db8::/32", .action = DROP));
  /* "!= 192.168.0.0/16" is complemented within IPv4, then intersected with nothing else. */
  assert_single (rs, "inet/t/c/4", T (.families = IPV4,
                                      .src = "0.0.0.0-192.167.255.255,192.169.0.0-255.255.255.255",
                                      .dst = "10.1.2.0/23", .action = ACCEPT));
  assert_n_warnings (rs, 0);
}

static void
test_range (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("range.json");
  /* An ip table: every term is IPv4 without any match saying so. */
  assert_single (rs, "ip/t/c/2", T (.families = IPV4, .src = "10.0.0.1,10.0.0.2/31,10.0.0.4/30,10.0.0.8/31", .action = ACCEPT));
  assert_single (rs, "ip/t/c/3", T (.families = IPV4, .protos = "6", .dports = "1000-2000", .action = ACCEPT));
  assert_single (rs, "ip/t/c/4", T (.families = IPV4, .protos = "6", .sports = "0-1023", .action = ACCEPT));
  assert_single (rs, "ip/t/c/5", T (.families = IPV4, .protos = "17", .dports = "33434-65535", .action = DROP));
  assert_single (rs, "ip/t/c/6", T (.families = IPV4, .protos = "6", .dports = "0-22", .action = ACCEPT));
  assert_single (rs, "ip/t/c/7", T (.families = IPV4, .protos = "6", .dports = "1024-65535", .action = ACCEPT));
}

static void
test_anon_set (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("anon-set.json");
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .protos = "6", .dports = "22,80,443", .action = ACCEPT));
  assert_single (rs, "inet/t/c/6", T (.families = IPV4, .dst = "10.0.0.1,10.0.1.0/24,10.0.2.1,10.0.2.2/31,10.0.2.4/31",
                                      .protos = "17", .dports = "53,67-68", .action = ACCEPT));
  assert_single (rs, "inet/t/c/8", T (.families = IPV6, .src = "2001:db8::1,2001:db8:1::/48", .action = ACCEPT));
}

static void
test_named_interval (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("named-interval.json");
  FwrRule *rule = get_rule (rs, "inet/t/c/5");
  assert_single (rs, "inet/t/c/5", T (.families = IPV4,
                                      .src = "10.0.0.0/8,172.16.0.0/12,192.168.1.10/31,192.168.1.12/30,192.168.1.16/30,192.168.1.20",
                                      .protos = "6", .dports = "22,8000-8080", .action = ACCEPT));
  assert_refs (rule, "inet/t/nets,inet/t/ports");
  /* "!= @nets": the complement of the whole named set. */
  assert_single (rs, "inet/t/c/6", T (.families = IPV4,
                                      .dst = "0.0.0.0/5,8.0.0.0/7,11.0.0.0-172.15.255.255,172.32.0.0-192.168.1.9,192.168.1.21-255.255.255.255",
                                      .action = DROP));
  assert_object (rs, "inet/t/nets", FWR_OBJECT_SET, 2);
  assert_object (rs, "inet/t/ports", FWR_OBJECT_SET, 1);
  assert_object (rs, "inet/t/unused", FWR_OBJECT_SET, 0);
  assert_n_warnings (rs, 0);
}

static void
test_concat (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("concat.json");
  FwrRule *rule = get_rule (rs, "inet/t/c/4");
  g_assert_cmpuint (rule->n_terms, ==, 2);
  assert_term (rule, 0, T (.families = IPV4, .src = "1.2.3.4", .protos = "6", .dports = "22", .action = ACCEPT));
  assert_term (rule, 1, T (.families = IPV4, .src = "5.6.7.0/24", .protos = "6", .dports = "80", .action = ACCEPT));
  g_assert_cmpint (rule->verdict.action, ==, ACCEPT);

  rule = get_rule (rs, "inet/t/c/5");
  g_assert_cmpuint (rule->n_terms, ==, 2);
  assert_term (rule, 0, T (.families = IPV4, .dst = "10.0.0.0/24", .protos = "6", .dports = "22", .action = ACCEPT));
  assert_term (rule, 1, T (.families = IPV4, .dst = "10.0.1.5", .protos = "6", .dports = "8000-8100", .action = ACCEPT));
  assert_refs (rule, "inet/t/pairs");
  assert_object (rs, "inet/t/pairs", FWR_OBJECT_SET, 1);

  assert_single (rs, "inet/t/c/7", T (.families = IPV6, .src = "2001:db8::1", .iif = "eth0", .action = DROP));
  /* A negated concatenation is no union of boxes: opaque, with its implied protocols. */
  assert_single (rs, "inet/t/c/9", T (.families = IPV4, .protos = "6",
                                      .opaque = "ip saddr . tcp dport != { 9.9.9.9 . 53 }", .action = DROP));
  assert_file_warning (rs, "concat.json", "1:1410: rule inet/t/c/9: “ip saddr . tcp dport != { 9.9.9.9 . 53 }” "
                       "kept as an opaque condition (negated or compared concatenation)");
}

static void
test_vmap (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("vmap.json");
  FwrRule *rule = get_rule (rs, "inet/t/c/6");
  g_assert_cmpint (rule->verdict.action, ==, FWR_ACTION_NONE);
  g_assert_cmpuint (rule->n_terms, ==, 3);
  assert_term (rule, 0, T (.families = ANY, .protos = "6", .dports = "22", .action = ACCEPT));
  assert_term (rule, 1, T (.families = ANY, .protos = "6", .dports = "23", .action = DROP));
  assert_term (rule, 2, T (.families = ANY, .protos = "6", .dports = "80", .action = FWR_ACTION_GOTO, .target = "ssh"));

  rule = get_rule (rs, "inet/t/c/7");
  g_assert_cmpint (rule->verdict.action, ==, FWR_ACTION_NONE);
  g_assert_cmpuint (rule->n_terms, ==, 2);
  assert_term (rule, 0, T (.families = IPV4, .dst = "10.0.0.0/24", .protos = "6", .dports = "22",
                           .action = FWR_ACTION_JUMP, .target = "ssh"));
  assert_term (rule, 1, T (.families = IPV4, .dst = "10.0.1.1", .protos = "6", .dports = "80-81", .action = DROP));
  assert_refs (rule, "inet/t/svc");
  assert_object (rs, "inet/t/svc", FWR_OBJECT_VERDICT_MAP, 1);

  /* The matches before the map hold for every element. */
  rule = get_rule (rs, "inet/t/c/9");
  g_assert_cmpuint (rule->n_terms, ==, 2);
  assert_term (rule, 0, T (.families = IPV4, .src = "10.0.0.1", .iif = "lan", .action = ACCEPT));
  assert_term (rule, 1, T (.families = IPV4, .src = "10.0.1.0/24", .iif = "lan", .action = DROP));
}

static void
test_negation (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("negation.json");
  assert_single (rs, "inet/t/c/3", T (.families = IPV4,
                                      .src = "0.0.0.0/5,8.0.0.0/7,11.0.0.0-192.167.255.255,192.169.0.0-255.255.255.255",
                                      .action = ACCEPT));
  assert_single (rs, "inet/t/c/4", T (.families = ANY, .protos = "6", .dports = "0-21,23-65535", .action = ACCEPT));
  assert_single (rs, "inet/t/c/6", T (.families = ANY, .iif = "!lo", .oif = "!ppp*,wan", .action = ACCEPT));
  /* "meta l4proto != tcp ip protocol != icmp": IPv4, every protocol but those two. */
  assert_single (rs, "inet/t/c/7", T (.families = IPV4, .protos = "0,2-5,7-255", .action = ACCEPT));
  assert_single (rs, "inet/t/c/8", T (.families = IPV6, .dst = "::,::2-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", .action = DROP));
  /* Every (type, code) pair but those of echo-request (type 8). */
  assert_single (rs, "inet/t/c/9", T (.families = IPV4, .protos = "1", .icmp = "0-2047,2304-65535", .action = DROP));
  assert_n_warnings (rs, 0);
}

/* Rules that match exactly a named set borrow one kept copy of its addresses; negating or
 * narrowing one of them copies it and leaves the others as they were. */
static void
test_named_set_shared (void)
{
  static const char json[] =
    "{\"nftables\": ["
    "{\"table\": {\"family\": \"inet\", \"name\": \"t\", \"handle\": 1}},"
    "{\"set\": {\"family\": \"inet\", \"name\": \"s\", \"table\": \"t\", \"type\": \"ipv4_addr\","
    " \"handle\": 2, \"flags\": [\"interval\"], \"elem\": [{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 24}},"
    " {\"prefix\": {\"addr\": \"10.0.2.0\", \"len\": 24}}]}},"
    "{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", \"handle\": 3, \"type\": \"filter\","
    " \"hook\": \"input\", \"prio\": 0, \"policy\": \"drop\"}},"
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 4, \"expr\": ["
    " {\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"@s\"}},"
    " {\"accept\": null}]}},"
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 5, \"expr\": ["
    " {\"match\": {\"op\": \"!=\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"@s\"}},"
    " {\"drop\": null}]}},"
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 6, \"expr\": ["
    " {\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"@s\"}},"
    " {\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}},"
    " \"right\": {\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 23}}}},"
    " {\"accept\": null}]}},"
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 7, \"expr\": ["
    " {\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"daddr\"}}, \"right\": \"@s\"}},"
    " {\"accept\": null}]}}"
    "]}";
  g_autoptr (FwrRuleset) rs = import_text_ok (json);
  assert_single (rs, "inet/t/c/4", T (.families = IPV4, .src = "10.0.0.0/24,10.0.2.0/24", .action = ACCEPT));
  assert_single (rs, "inet/t/c/5", T (.families = IPV4, .src = "0.0.0.0/5,8.0.0.0/7,10.0.1.0/24,10.0.3.0-255.255.255.255",
                                      .action = DROP));
  assert_single (rs, "inet/t/c/6", T (.families = IPV4, .src = "10.0.0.0/24", .action = ACCEPT));
  assert_single (rs, "inet/t/c/7", T (.families = IPV4, .dst = "10.0.0.0/24,10.0.2.0/24", .action = ACCEPT));

  const FwrSpans *first = &get_rule (rs, "inet/t/c/4")->terms[0].match.src->v4;
  const FwrSpans *last = &get_rule (rs, "inet/t/c/7")->terms[0].match.dst->v4;
  g_assert_true (_fwr_spans_is_borrowed (first));
  g_assert_true (first->spans == last->spans);
  g_assert_false (_fwr_spans_is_borrowed (&get_rule (rs, "inet/t/c/5")->terms[0].match.src->v4));
  g_assert_false (_fwr_spans_is_borrowed (&get_rule (rs, "inet/t/c/6")->terms[0].match.src->v4));
}

static void
test_jump (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("jump.json");
  FwrChain *input = fwr_ruleset_lookup_chain (rs, "inet/t/input");
  g_assert_nonnull (input);
  g_assert_cmpuint (input->hook, ==, FWR_HOOK_INPUT);
  g_assert_cmpint (input->policy, ==, DROP);
  g_assert_cmpuint (input->rules->len, ==, 4);
  assert_single (rs, "inet/t/input/4", T (.families = ANY, .protos = "6", .dports = "22", .action = FWR_ACTION_JUMP, .target = "ssh"));
  assert_single (rs, "inet/t/input/5", T (.families = ANY, .protos = "17", .dports = "53", .action = FWR_ACTION_GOTO, .target = "dns"));
  assert_single (rs, "inet/t/input/6", T (.families = ANY, .action = FWR_ACTION_CONTINUE));
  assert_single (rs, "inet/t/input/7", T (.families = ANY, .action = ACCEPT));
  assert_single (rs, "inet/t/ssh/8", T (.families = IPV4, .src = "10.0.0.0/8", .action = FWR_ACTION_RETURN));

  FwrChain *ssh = fwr_ruleset_lookup_chain (rs, "inet/t/ssh");
  g_assert_cmpuint (ssh->hook, ==, FWR_HOOK_NONE);
  g_assert_cmpint (ssh->policy, ==, FWR_ACTION_NONE);
  g_assert_cmpuint (get_rule (rs, "inet/t/ssh/9")->position, ==, 1);
  assert_n_warnings (rs, 0);
}

static void
test_counter (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("counter.json");
  guint64 packets, bytes;
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "inet/t/c/5"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 12);
  g_assert_cmpuint (bytes, ==, 3400);
  /* A counter that never moved is not the same as no counter at all. */
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "inet/t/c/6"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 0);
  g_assert_false (fwr_rule_get_counter (get_rule (rs, "inet/t/c/7"), NULL, NULL));
  /* A named counter only this rule uses counts this rule. */
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "inet/t/c/8"), &packets, &bytes));
  g_assert_cmpuint (packets, ==, 7);
  g_assert_cmpuint (bytes, ==, 420);
  assert_refs (get_rule (rs, "inet/t/c/8"), "inet/t/mine");
  /* A shared counter at zero: none of its rules matched. */
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "inet/t/c/9"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 0);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "inet/t/c/10"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 0);
  assert_object (rs, "inet/t/shared", FWR_OBJECT_COUNTER, 2);
  assert_object (rs, "inet/t/mine", FWR_OBJECT_COUNTER, 1);
  assert_object (rs, "inet/t/idle", FWR_OBJECT_COUNTER, 0);
}

static void
test_shared_counter_moved (void)
{
  /* A shared counter that moved says nothing about each rule. */
  g_autoptr (FwrRuleset) rs = import_text_ok (
    "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\"}},"
    " {\"counter\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"n\", \"packets\": 5, \"bytes\": 9}},"
    " {\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"c\"}},"
    " {\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 3, \"expr\": [{\"counter\": \"n\"}, {\"accept\": null}]}},"
    " {\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 4, \"expr\": [{\"counter\": \"n\"}, {\"drop\": null}]}}]}");
  g_assert_false (fwr_rule_get_counter (get_rule (rs, "ip/t/c/3"), NULL, NULL));
  g_assert_false (fwr_rule_get_counter (get_rule (rs, "ip/t/c/4"), NULL, NULL));
  assert_object (rs, "ip/t/n", FWR_OBJECT_COUNTER, 2);
}

static void
test_comment (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("comment.json");
  g_assert_cmpstr (fwr_rule_get_comment (get_rule (rs, "inet/t/c/2")), ==, "ssh from the admin LAN");
  g_assert_cmpstr (fwr_rule_get_comment (get_rule (rs, "inet/t/c/3")), ==, "臨時除錯 temp debug");
  g_assert_null (fwr_rule_get_comment (get_rule (rs, "inet/t/c/4")));
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .protos = "6", .dports = "80", .action = ACCEPT));

  /* nft 1.0.6 does not list chain comments; later versions do. */
  g_autoptr (FwrRuleset) inline_rs = import_text_ok (
    "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"t\"}},"
    " {\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", \"comment\": \"edge filter\"}}]}");
  g_assert_cmpstr (fwr_ruleset_lookup_chain (inline_rs, "inet/t/c")->comment, ==, "edge filter");
}

static void
test_log (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("log.json");
  g_assert_true (fwr_rule_get_log (get_rule (rs, "inet/t/c/2")));
  assert_single (rs, "inet/t/c/2", T (.families = ANY, .protos = "6", .dports = "23", .action = DROP));
  /* "log" alone: no verdict, evaluation goes on. */
  g_assert_true (fwr_rule_get_log (get_rule (rs, "inet/t/c/3")));
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .action = FWR_ACTION_NONE));
  g_assert_true (fwr_rule_get_log (get_rule (rs, "inet/t/c/4")));
}

static void
test_reject (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("reject.json");
  /* "reject with tcp reset" lists its implied "meta l4proto tcp" as a match. */
  assert_single (rs, "inet/t/c/2", T (.families = ANY, .protos = "6", .dports = "113", .action = FWR_ACTION_REJECT));
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .protos = "17", .dports = "137", .action = FWR_ACTION_REJECT));
  assert_single (rs, "inet/t/c/4", T (.families = IPV4, .src = "10.0.0.0/8", .action = FWR_ACTION_REJECT));
  assert_single (rs, "inet/t/c/5", T (.families = ANY, .action = FWR_ACTION_REJECT));
}

static void
test_ct_state (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("ct-state.json");
  assert_single (rs, "inet/t/c/2", T (.families = ANY, .ct_states = FWR_CT_ESTABLISHED | FWR_CT_RELATED, .action = ACCEPT));
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .ct_states = FWR_CT_INVALID, .action = DROP));
  assert_single (rs, "inet/t/c/4", T (.families = ANY, .ct_states = FWR_CT_NEW, .protos = "6", .dports = "22", .action = ACCEPT));
  assert_single (rs, "inet/t/c/5", T (.families = ANY, .ct_states = FWR_CT_ALL & ~FWR_CT_ESTABLISHED, .action = ACCEPT));
  /* "!= established | related | new" compares with a value no packet's state has. */
  assert_single (rs, "inet/t/c/6", T (.families = ANY, .action = ACCEPT));
  /* "ct state new ct state established": no packet, kept with the reason. */
  assert_single (rs, "inet/t/c/7", T (.families = 0, .action = ACCEPT));
  assert_file_warning (rs, "ct-state.json", "1:1283: rule inet/t/c/7: no packet can match this rule "
                       "(contradictory conditions or an empty set)");
  assert_n_warnings (rs, 1);
}

static void
test_fib (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("fib.json");
  FwrChain *chain = fwr_ruleset_lookup_chain (rs, "inet/t/c");
  g_assert_cmpuint (chain->hook, ==, FWR_HOOK_PREROUTING);
  g_assert_cmpint (chain->priority, ==, -300);
  assert_single (rs, "inet/t/c/2", T (.families = ANY, .opaque = "fib saddr . iif oif missing", .action = DROP));
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .protos = "6", .dports = "22",
                                      .opaque = "fib daddr type local", .action = ACCEPT));
  assert_file_warning (rs, "fib.json", "1:314: “fib saddr . iif oif” is kept as an opaque condition (the rule "
                       "may match less than its other conditions say) in 1 rule, first inet/t/c/2");
}

static void
test_limit (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("limit.json");
  assert_single (rs, "inet/t/c/4", T (.families = ANY, .protos = "6", .dports = "22",
                                      .opaque = "limit rate 10/second burst 5 packets", .action = ACCEPT));
  assert_single (rs, "inet/t/c/5", T (.families = ANY, .opaque = "limit rate over 100/second burst 5 packets", .action = DROP));
  assert_single (rs, "inet/t/c/6", T (.families = ANY, .opaque = "limit name \"lim\"", .action = ACCEPT));
  assert_single (rs, "inet/t/c/7", T (.families = ANY, .opaque = "quota name \"q\"", .action = ACCEPT));
  assert_single (rs, "inet/t/c/8", T (.families = ANY, .opaque = "quota over 10 mbytes", .action = DROP));
  assert_single (rs, "inet/t/c/9", T (.families = ANY, .protos = "6", .dports = "80",
                                      .opaque = "ct count over 20", .action = FWR_ACTION_REJECT));
  assert_object (rs, "inet/t/lim", FWR_OBJECT_LIMIT, 1);
  assert_object (rs, "inet/t/q", FWR_OBJECT_QUOTA, 1);
  assert_file_warning (rs, "limit.json", "1:468: “limit” is kept as an opaque condition (the rule may match "
                       "less than its other conditions say) in 3 rules, first inet/t/c/4");
}

static void
test_icmp (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("icmp.json");
  /* Types 3 and 8 with every code; nft makes icmp IPv4-only in an inet table. */
  assert_single (rs, "inet/t/c/3", T (.families = IPV4, .protos = "1", .icmp = "768-1023,2048-2303", .action = ACCEPT));
  /* echo-request 128, nd-router-advert 134, nd-neighbor-solicit 135. */
  assert_single (rs, "inet/t/c/5", T (.families = IPV6, .protos = "58", .icmp = "32768-33023,34304-34815", .action = ACCEPT));
  /* destination-unreachable (3) with port-unreachable (3): (3 << 8) | 3. */
  assert_single (rs, "inet/t/c/6", T (.families = IPV4, .protos = "1", .icmp = "771", .action = ACCEPT));
  /* frag-needed (4) under every type: 256 pairs. */
  FwrRule *rule = get_rule (rs, "inet/t/c/7");
  g_assert_cmpuint (fwr_range_set_get_n_ranges (rule->terms[0].match.icmp), ==, 256);
  g_assert_true (fwr_range_set_contains (rule->terms[0].match.icmp, (3 << 8) | 4));
  g_assert_false (fwr_range_set_contains (rule->terms[0].match.icmp, (3 << 8) | 3));
  assert_single (rs, "inet/t/c/8", T (.families = ANY, .protos = "58", .action = ACCEPT));
}

static void
test_ifname_sets (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("ifname-sets.json");
  assert_single (rs, "inet/t/c/4", T (.families = ANY, .iif = "eth0,ppp*", .action = ACCEPT));
  assert_single (rs, "inet/t/c/5", T (.families = ANY, .iif = "ppp*,wan", .oif = "lan", .action = ACCEPT));
  assert_refs (get_rule (rs, "inet/t/c/5"), "inet/t/uplinks");
  assert_single (rs, "inet/t/c/7", T (.families = ANY, .oif = "!lo,wg*", .action = ACCEPT));
  /* "eth*" but not "eth1": patterns cannot say it, so the exclusion stays opaque. */
  assert_single (rs, "inet/t/c/8", T (.families = ANY, .iif = "eth*", .opaque = "iifname != eth1", .action = ACCEPT));
  assert_single (rs, "inet/t/c/9", T (.families = ANY, .iif = "eth*", .opaque = "iifname != eth1* | iifname != eth2",
                                      .action = ACCEPT));
  assert_single (rs, "inet/t/c/10", T (.families = ANY, .iif = "lo", .action = ACCEPT));
  assert_single (rs, "inet/t/c/11", T (.families = 0, .iif = "", .action = DROP));
  g_assert_true (_fwr_name_match_matches (&get_rule (rs, "inet/t/c/4")->terms[0].match.iif, "ppp0"));
}

static void
test_l4proto (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("l4proto.json");
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .protos = "6,17", .dports = "53", .action = ACCEPT));
  /* "th dport 53" alone: the port of every protocol that has ports, and for the others an
   * opaque look at bytes 2-3 of their header. */
  FwrRule *rule = get_rule (rs, "inet/t/c/4");
  g_assert_cmpuint (rule->n_terms, ==, 2);
  assert_term (rule, 0, T (.families = ANY, .protos = "6,17,33,132,136", .dports = "53", .action = ACCEPT));
  assert_term (rule, 1, T (.families = ANY, .protos = "0-5,7-16,18-32,34-131,133-135,137-255",
                           .opaque = "th dport 53", .action = ACCEPT));
  assert_single (rs, "inet/t/c/5", T (.families = IPV4, .protos = "17", .dports = "67", .action = ACCEPT));
  assert_single (rs, "inet/t/c/6", T (.families = IPV4, .protos = "6", .action = ACCEPT));
  /* An extension header may come before udp: "ip6 nexthdr udp" matches less than proto 17. */
  assert_single (rs, "inet/t/c/7", T (.families = IPV6, .protos = "17", .opaque = "ip6 nexthdr udp", .action = ACCEPT));
  assert_single (rs, "inet/t/c/8", T (.families = ANY, .protos = "47", .action = ACCEPT));
}

static void
test_families (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("families.json");
  assert_single (rs, "ip/v4/c/2", T (.families = IPV4, .protos = "6", .dports = "22", .action = ACCEPT));
  assert_single (rs, "ip/v4/c/3", T (.families = 0, .action = ACCEPT)); /* meta protocol ip6 in an ip table */
  assert_single (rs, "ip6/v6/c/2", T (.families = IPV6, .src = "2001:db8::/32", .action = ACCEPT));
  assert_single (rs, "bridge/br/c/2", T (.families = IPV4, .protos = "17", .dports = "67", .action = ACCEPT));
  /* ARP frames are outside the model's IP packets: the match stays, opaque. */
  assert_single (rs, "bridge/br/c/3", T (.families = ANY, .opaque = "ether type arp", .action = ACCEPT));
  assert_single (rs, "bridge/br/c/4", T (.families = IPV4, .action = DROP));
  FwrChain *ingress = fwr_ruleset_lookup_chain (rs, "netdev/nd/ingress");
  g_assert_cmpuint (ingress->family, ==, FWR_TABLE_FAMILY_NETDEV);
  g_assert_cmpuint (ingress->hook, ==, FWR_HOOK_INGRESS);
  g_assert_cmpint (ingress->priority, ==, -500);
  assert_single (rs, "netdev/nd/ingress/2", T (.families = IPV6, .action = DROP));
  assert_single (rs, "inet/mix/c/2", T (.families = 0, .src = "10.0.0.1", .action = ACCEPT));
  assert_single (rs, "inet/mix/c/3", T (.families = IPV6, .protos = "58", .icmp = "32768-33023", .action = ACCEPT));
  g_assert_cmpuint (fwr_ruleset_lookup_chain (rs, "bridge/br/c")->family, ==, FWR_TABLE_FAMILY_BRIDGE);
}

static void
test_objects (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("objects.json");
  assert_single (rs, "inet/t/c/5", T (.families = ANY, .protos = "6", .dports = "21", .action = FWR_ACTION_NONE));
  assert_refs (get_rule (rs, "inet/t/c/5"), "inet/t/ftp-std");
  /* "meta mark set" changes the packet and is no condition. */
  assert_single (rs, "inet/t/c/6", T (.families = ANY, .protos = "6", .dports = "22", .action = ACCEPT));
  assert_object (rs, "inet/t/ftp-std", FWR_OBJECT_CT_HELPER, 1);
  assert_object (rs, "inet/t/sip-std", FWR_OBJECT_CT_HELPER, 0);
  assert_object (rs, "inet/t/c1", FWR_OBJECT_COUNTER, 0);
  g_assert_cmpuint (fwr_ruleset_get_n_objects (rs), ==, 3);

  /* "flow add @ft" names a flowtable, not a set (no flowtable module here to list one). */
  g_autoptr (FwrRuleset) flows = import_text_ok (
    "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"t\"}},"
    " {\"flowtable\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"ft\", \"hook\": \"ingress\", \"prio\": 0, \"dev\": \"lo\"}},"
    " {\"flowtable\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"spare\", \"hook\": \"ingress\", \"prio\": 0, \"dev\": \"lo\"}},"
    " {\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"f\", \"type\": \"filter\", \"hook\": \"forward\", \"prio\": 0}},"
    " {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"f\", \"handle\": 5, \"expr\": ["
    "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"l4proto\"}}, \"right\": \"tcp\"}},"
    " {\"flow\": {\"op\": \"add\", \"flowtable\": \"@ft\"}}]}}]}");
  assert_single (flows, "inet/t/f/5", T (.families = ANY, .protos = "6", .action = FWR_ACTION_NONE));
  assert_object (flows, "inet/t/ft", FWR_OBJECT_OTHER, 1);
  assert_object (flows, "inet/t/spare", FWR_OBJECT_OTHER, 0);
}

static void
test_nat (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("nat.json");
  FwrChain *pre = fwr_ruleset_lookup_chain (rs, "ip/nat/pre");
  g_assert_cmpint (pre->type, ==, FWR_CHAIN_TYPE_NAT);
  g_assert_cmpint (pre->priority, ==, -100);
  g_assert_cmpint (fwr_ruleset_lookup_chain (rs, "ip/nat/post")->priority, ==, 100);
  /* NAT statements end the chain with the kernel's accept. */
  assert_single (rs, "ip/nat/pre/4", T (.families = IPV4, .iif = "wan", .protos = "6", .dports = "80", .action = ACCEPT));
  assert_single (rs, "ip/nat/pre/5", T (.families = IPV4, .iif = "wan", .action = ACCEPT));
  assert_refs (get_rule (rs, "ip/nat/pre/5"), "ip/nat/portfwd");
  assert_object (rs, "ip/nat/portfwd", FWR_OBJECT_MAP, 1);
  assert_single (rs, "ip/nat/post/6", T (.families = IPV4, .oif = "wan", .action = ACCEPT));
}

static void
test_dynamic (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("dynamic.json");
  /* Adding to the set is no condition; matching against it depends on past packets. */
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .protos = "6", .dports = "22", .ct_states = FWR_CT_NEW,
                                      .action = FWR_ACTION_NONE));
  assert_single (rs, "inet/t/c/4", T (.families = IPV4, .protos = "6", .dports = "22", .opaque = "ip saddr @seen",
                                      .action = ACCEPT));
  assert_object (rs, "inet/t/seen", FWR_OBJECT_SET, 2);
  assert_file_warning (rs, "dynamic.json", "1:805: rule inet/t/c/4: set @seen changes at run time (flags dynamic "
                       "or timeout): matches against it are kept as opaque conditions");
}

static void
test_unknown_expression (void)
{
  g_autoptr (FwrRuleset) rs = import_ok ("unknown-expression.json");
  assert_single (rs, "inet/t/c/2", T (.families = ANY,
                                      .opaque = "frobnicate {\"key\":\"x\"} 1 | payload-check {\"ok\":true}",
                                      .action = ACCEPT));
  assert_file_warning (rs, "unknown-expression.json", "29:5: rule inet/t/c/2: unknown expression in "
                       "“frobnicate {\"key\":\"x\"} 1” kept as an opaque condition");
  assert_file_warning (rs, "unknown-expression.json", "29:5: rule inet/t/c/2: unknown statement "
                       "“payload-check” kept as an opaque condition");
}

static void
test_out_of_order (void)
{
  /* Rules before their table, chain and set: all resolved at the end, order kept. */
  g_autoptr (FwrRuleset) rs = import_ok ("out-of-order.json");
  FwrChain *chain = fwr_ruleset_lookup_chain (rs, "inet/t/c");
  g_assert_cmpuint (chain->rules->len, ==, 2);
  g_assert_cmpstr (((FwrRule *) g_ptr_array_index (chain->rules, 0))->id, ==, "inet/t/c/2");
  g_assert_cmpstr (((FwrRule *) g_ptr_array_index (chain->rules, 1))->id, ==, "inet/t/c/3");
  g_assert_cmpuint (chain->hook, ==, FWR_HOOK_INPUT);
  assert_single (rs, "inet/t/c/2", T (.families = IPV4, .src = "10.0.0.0/8", .action = ACCEPT));
  assert_single (rs, "inet/t/c/3", T (.families = ANY, .action = FWR_ACTION_JUMP, .target = "later"));
  assert_single (rs, "inet/t/later/5", T (.families = IPV4, .dst = "10.0.0.0/8", .action = DROP));
  g_assert_cmpuint (get_rule (rs, "inet/t/c/2")->line, ==, 10);
  g_assert_cmpuint (get_rule (rs, "inet/t/c/2")->column, ==, 5);
  assert_object (rs, "inet/t/late", FWR_OBJECT_SET, 2);
  assert_n_warnings (rs, 0);
}

static void
test_chain_properties (void)
{
  g_autoptr (FwrRuleset) rs = import_text_ok (
    "{\"nftables\": [\n"
    " {\"table\": {\"family\": \"bridge\", \"name\": \"b\"}},\n"
    " {\"chain\": {\"family\": \"bridge\", \"table\": \"b\", \"name\": \"f\", \"type\": \"filter\", \"hook\": \"forward\", \"prio\": \"filter - 10\"}},\n"
    " {\"table\": {\"family\": \"ip\", \"name\": \"r\", \"flags\": [\"dormant\"]}},\n"
    " {\"chain\": {\"family\": \"ip\", \"table\": \"r\", \"name\": \"o\", \"type\": \"route\", \"hook\": \"output\", \"prio\": \"mangle\", \"policy\": \"drop\"}},\n"
    " {\"rule\": {\"family\": \"ip\", \"table\": \"r\", \"chain\": \"o\", \"handle\": 2, \"expr\": [{\"accept\": null}]}}\n"
    "]}\n");
  FwrChain *f = fwr_ruleset_lookup_chain (rs, "bridge/b/f");
  g_assert_cmpint (f->priority, ==, -210);           /* bridge "filter" is -200 */
  g_assert_cmpint (f->policy, ==, ACCEPT);           /* a base chain without policy accepts */
  g_assert_cmpint (f->type, ==, FWR_CHAIN_TYPE_FILTER);
  FwrChain *o = fwr_ruleset_lookup_chain (rs, "ip/r/o");
  g_assert_cmpint (o->priority, ==, -150);
  g_assert_cmpint (o->type, ==, FWR_CHAIN_TYPE_ROUTE);
  g_assert_cmpint (o->policy, ==, DROP);
  g_assert_cmpuint (o->line, ==, 5);
  /* A dormant table filters nothing. */
  g_assert_false (fwr_rule_get_enabled (get_rule (rs, "ip/r/o/2")));
  assert_warning (rs, "inline.json: table ip/r is dormant (flags dormant): its rules are disabled");
}

static void
test_positional_ids (void)
{
  /* Normalized dumps carry handle 0: ids say the place in the chain. */
  g_autoptr (FwrRuleset) rs = import_text_ok (
    "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"t\", \"handle\": 0}},"
    " {\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", \"handle\": 0}},"
    " {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 0, \"expr\": [{\"accept\": null}]}},"
    " {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 0, \"expr\": [{\"drop\": null}]}}]}");
  g_assert_cmpint (get_rule (rs, "inet/t/c/#1")->verdict.action, ==, ACCEPT);
  g_assert_cmpint (get_rule (rs, "inet/t/c/#2")->verdict.action, ==, DROP);
  assert_warning (rs, "inline.json: some rules carry no handle (handle 0): their ids give their place in the "
                      "chain instead, e.g. inet/filter/input/#3");
}

static void
test_newer_schema (void)
{
  g_autoptr (FwrRuleset) rs = import_text_ok (
    "{\"nftables\": [{\"metainfo\": {\"version\": \"9.9\", \"json_schema_version\": 2}}]}");
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 0);
  assert_warning (rs, "inline.json:1:15: JSON schema version 2 is newer than the version 1 fwreview knows: "
                      "elements it does not know are reported");
}

/* The demo ruleset in samples/ */

static void
test_edge_sample (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("FWR_SAMPLES_DIR"), "edge.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 26);
  g_assert_cmpuint (fwr_ruleset_get_n_chains (rs), ==, 5);

  FwrChain *forward = fwr_ruleset_lookup_chain (rs, "inet/edge/forward");
  g_assert_cmpint (forward->policy, ==, ACCEPT);
  g_assert_cmpuint (forward->hook, ==, FWR_HOOK_FORWARD);
  g_assert_cmpint (fwr_ruleset_lookup_chain (rs, "inet/edge/input")->policy, ==, DROP);

  FwrRule *debug = get_rule (rs, "inet/edge/forward/34");
  g_assert_cmpstr (debug->comment, ==, "temp debug");
  assert_single (rs, "inet/edge/forward/34", T (.families = ANY, .action = ACCEPT));
  guint64 packets;
  g_assert_true (fwr_rule_get_counter (debug, &packets, NULL));
  g_assert_cmpuint (packets, ==, 77);

  assert_single (rs, "inet/edge/forward/31", T (.families = IPV4, .iif = "ppp*,wan", .oif = "lan", .dst = "10.1.2.3",
                                               .protos = "6", .dports = "23", .action = ACCEPT));
  assert_single (rs, "inet/edge/input/17", T (.families = ANY, .iif = "ppp*,wan", .protos = "6", .dports = "22", .action = ACCEPT));
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "inet/edge/input/17"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 48211);
  g_assert_true (fwr_rule_get_counter (get_rule (rs, "inet/edge/wan_to_dmz/39"), &packets, NULL));
  g_assert_cmpuint (packets, ==, 0);
  g_assert_cmpuint (get_rule (rs, "inet/edge/lan_to_dmz/43")->n_terms, ==, 2);

  assert_object (rs, "inet/edge/legacy_partners", FWR_OBJECT_SET, 0);
  assert_object (rs, "inet/edge/blocklist", FWR_OBJECT_SET, 2);
  assert_object (rs, "inet/edge/wan_ssh", FWR_OBJECT_COUNTER, 1);
}

/* Public dumps from the nftables test suite */

static void
test_samples_public (void)
{
  const char *shared = g_getenv ("FWR_SHARED_DIR");
  g_autofree char *dir_path = shared ? g_build_filename (shared, "samples-public", "nftables-json", NULL) : NULL;
  if (dir_path == NULL || !g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no samples-public/nftables-json under FWR_SHARED_DIR");
      return;
    }

  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  guint n_files = 0;
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
      g_test_message ("%s", name);
      g_assert_no_error (error);
      n_files++;

      /* Counted by hand in the .nft next to each file. */
      if (g_str_equal (name, "parsing__large_rule_pipe.json"))
        {
          g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 148);
          g_assert_cmpuint (fwr_ruleset_get_n_chains (rs), ==, 134);
        }
      else if (g_str_equal (name, "sets__sets_with_ifnames.json"))
        {
          g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 11);
          FwrRule *rule = get_rule (rs, "inet/testifsets/v4icmpc/#2");
          g_assert_cmpuint (rule->n_terms, ==, 4);
          assert_term (rule, 3, T (.families = IPV4, .src = "12.2.2.0/24", .iif = "abcdef*"));
          assert_object (rs, "inet/testifsets/map_wild", FWR_OBJECT_VERDICT_MAP, 1);
        }
      else if (g_str_equal (name, "nft-f__0032pknock_0.json"))
        {
          g_assert_cmpuint (fwr_ruleset_get_n_rules (rs), ==, 8);
          assert_single (rs, "inet/portknock/input/#6", T (.families = IPV4, .protos = "6", .dports = "22",
                                                          .opaque = "ip saddr @clients_ipv4", .action = ACCEPT));
        }
    }
  g_assert_cmpuint (n_files, >=, 3);
}

/* Bad input */

typedef struct {
  const char *file;
  FwrImportErrorCode code;
  guint line;
  guint column;
  const char *message;
} BadInput;

static const BadInput bad_inputs[] = {
  { "bad-truncated.json", FWR_IMPORT_ERROR_MALFORMED, 59, 13,
    "the file ends too early (truncated?): premature end of input near '\"hand'" },
  { "bad-truncated-array.json", FWR_IMPORT_ERROR_MALFORMED, 54, 5,
    "the file ends inside the “nftables” array (truncated?)" },
  { "bad-syntax.json", FWR_IMPORT_ERROR_MALFORMED, 35, 14, "JSON syntax error: '}' expected near '\"expr\"'" },
  { "bad-blank.json", FWR_IMPORT_ERROR_MALFORMED, 3, 1, "the file holds no JSON (it is empty or only white space)" },
  { "bad-empty-object.json", FWR_IMPORT_ERROR_MALFORMED, 1, 2, "the JSON object is empty: there is no “nftables” array" },
  { "bad-top-level.json", FWR_IMPORT_ERROR_MALFORMED, 68, 3,
    "unknown top-level entry “nftables_version” (only “nftables” is expected)" },
  { "bad-nftables-type.json", FWR_IMPORT_ERROR_MALFORMED, 2, 15, "“nftables” must be an array" },
  { "bad-element-type.json", FWR_IMPORT_ERROR_MALFORMED, 10, 5,
    "an element of “nftables” must be an object such as {\"rule\": {...}}, not an integer" },
  { "bad-unknown-entry.json", FWR_IMPORT_ERROR_MALFORMED, 17, 5, "unknown entry “frobnicate” in the “nftables” array" },
  { "bad-command.json", FWR_IMPORT_ERROR_UNSUPPORTED, 3, 5,
    "“add” is an nft command: this is nft input, not a ruleset listing (import what “nft -j list ruleset” prints)" },
  { "bad-expr-type.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5,
    "rule inet/t/c/2: “expr” must be an array of statements, not a string" },
  { "bad-match-type.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5,
    "rule inet/t/c/2: statement 1 (match): “match” must be an object, not a string" },
  { "bad-handle-type.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5, "rule: “handle” must be an integer, not a string" },
  { "bad-negative-handle.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5,
    "rule: “handle” -1 is out of range (0-9223372036854775807)" },
  { "bad-huge-handle.json", FWR_IMPORT_ERROR_MALFORMED, 34, 48, "JSON syntax error: too big integer" },
  { "bad-huge-port.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5,
    "rule inet/t/c/2: statement 1 (match): port 70000 is out of range (0-65535)" },
  { "bad-huge-prio.json", FWR_IMPORT_ERROR_MALFORMED, 17, 5, "chain inet/t/c: priority 99999999999 is out of range" },
  { "bad-prefix-len.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5,
    "rule inet/t/c/2: statement 1 (match): prefix length 33 is out of range (0-32)" },
  { "bad-address.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5,
    "rule inet/t/c/2: statement 1 (match): “10.0.0.300” is not an IPv4 address" },
  { "bad-family.json", FWR_IMPORT_ERROR_MALFORMED, 10, 5,
    "table: unknown family “ipx” (expected ip, ip6, inet, arp, bridge or netdev)" },
  { "bad-undefined-set.json", FWR_IMPORT_ERROR_MALFORMED, 29, 5,
    "rule inet/t/c/2 uses set @nosuch, which table inet/t does not define" },
  { "bad-undeclared-chain.json", FWR_IMPORT_ERROR_MALFORMED, 54, 5,
    "rules are added to chain inet/t/ghost, which the file never declares" },
  { "bad-duplicate-handle.json", FWR_IMPORT_ERROR_MALFORMED, 54, 5, "rule handle 2 appears twice in chain inet/t/c" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autofree char *path = data_path (bad->file);
  g_autoptr (GError) error = NULL;
  /* The format is given: detection would refuse some of these before the importer. */
  g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_NFTABLES_JSON, &error);
  g_assert_null (rs);
  g_assert_error (error, FWR_IMPORT_ERROR, (gint) bad->code);
  g_autofree char *expected = g_strdup_printf ("%s:%u:%u: %s", path, bad->line, bad->column, bad->message);
  g_assert_cmpstr (error->message, ==, expected);

  const char *file;
  guint line, column;
  g_assert_true (fwr_import_error_get_location (error, &file, &line, &column));
  g_assert_cmpstr (file, ==, path);
  g_assert_cmpuint (line, ==, bad->line);
  g_assert_cmpuint (column, ==, bad->column);
}

static void
test_bad_empty_file (void)
{
  g_autofree char *path = data_path ("bad-empty.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) rs = fwr_import_file (path, FWR_FORMAT_NFTABLES_JSON, &error);
  g_assert_null (rs);
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_autofree char *expected = g_strdup_printf ("%s: the file is empty", path);
  g_assert_cmpstr (error->message, ==, expected);

  /* Called directly, the importer says the same thing in its words. */
  g_clear_error (&error);
  g_assert_null (_fwr_import_nftables_json ("empty.json", "", 0, &error));
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "empty.json:1:1: the file holds no JSON (it is empty or only white space)");
}

static void
test_bad_trailing_text (void)
{
  const char *json = "{\"nftables\": []}\n]";
  g_autoptr (GError) error = NULL;
  g_assert_null (fwr_import_data ("x.json", json, strlen (json), FWR_FORMAT_NFTABLES_JSON, &error));
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "x.json:2:1: unexpected text after the end of the JSON object");
}

static void
test_bad_element_entry (void)
{
  const char *json = "{\"nftables\": [\n  {\"element\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"s\", \"elem\": [1]}}]}";
  g_autoptr (GError) error = NULL;
  g_assert_null (fwr_import_data ("x.json", json, strlen (json), FWR_FORMAT_NFTABLES_JSON, &error));
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, "x.json:2:3: “element” entries add to a set after the fact: this is nft "
                                       "input, not a ruleset listing (import what “nft -j list ruleset” prints)");
}

static void
test_bad_verdict_map (void)
{
  const char *json =
    "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"t\"}},\n"
    "{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\"}},\n"
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 4, \"expr\": [{\"vmap\": {\"key\": "
    "{\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"data\": {\"set\": [[22, \"accept\"]]}}}]}}]}";
  g_autoptr (GError) error = NULL;
  g_assert_null (fwr_import_data ("x.json", json, strlen (json), FWR_FORMAT_NFTABLES_JSON, &error));
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "x.json:3:1: rule inet/t/c/4: statement 1 (vmap): “accept” is not a verdict");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fwr/import-nftables/prefix", test_prefix);
  g_test_add_func ("/fwr/import-nftables/range", test_range);
  g_test_add_func ("/fwr/import-nftables/anon-set", test_anon_set);
  g_test_add_func ("/fwr/import-nftables/named-interval", test_named_interval);
  g_test_add_func ("/fwr/import-nftables/concat", test_concat);
  g_test_add_func ("/fwr/import-nftables/vmap", test_vmap);
  g_test_add_func ("/fwr/import-nftables/negation", test_negation);
  g_test_add_func ("/fwr/import-nftables/named-set-shared", test_named_set_shared);
  g_test_add_func ("/fwr/import-nftables/jump", test_jump);
  g_test_add_func ("/fwr/import-nftables/counter", test_counter);
  g_test_add_func ("/fwr/import-nftables/shared-counter-moved", test_shared_counter_moved);
  g_test_add_func ("/fwr/import-nftables/comment", test_comment);
  g_test_add_func ("/fwr/import-nftables/log", test_log);
  g_test_add_func ("/fwr/import-nftables/reject", test_reject);
  g_test_add_func ("/fwr/import-nftables/ct-state", test_ct_state);
  g_test_add_func ("/fwr/import-nftables/fib", test_fib);
  g_test_add_func ("/fwr/import-nftables/limit", test_limit);
  g_test_add_func ("/fwr/import-nftables/icmp", test_icmp);
  g_test_add_func ("/fwr/import-nftables/ifname-sets", test_ifname_sets);
  g_test_add_func ("/fwr/import-nftables/l4proto", test_l4proto);
  g_test_add_func ("/fwr/import-nftables/families", test_families);
  g_test_add_func ("/fwr/import-nftables/objects", test_objects);
  g_test_add_func ("/fwr/import-nftables/nat", test_nat);
  g_test_add_func ("/fwr/import-nftables/dynamic", test_dynamic);
  g_test_add_func ("/fwr/import-nftables/unknown-expression", test_unknown_expression);
  g_test_add_func ("/fwr/import-nftables/out-of-order", test_out_of_order);
  g_test_add_func ("/fwr/import-nftables/chain-properties", test_chain_properties);
  g_test_add_func ("/fwr/import-nftables/positional-ids", test_positional_ids);
  g_test_add_func ("/fwr/import-nftables/newer-schema", test_newer_schema);
  g_test_add_func ("/fwr/import-nftables/edge-sample", test_edge_sample);
  g_test_add_func ("/fwr/import-nftables/samples-public", test_samples_public);
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/fwr/import-nftables/bad/%s", bad_inputs[i].file);
      g_test_add_data_func (test_path, &bad_inputs[i], test_bad_input);
    }
  g_test_add_func ("/fwr/import-nftables/bad/empty-file", test_bad_empty_file);
  g_test_add_func ("/fwr/import-nftables/bad/trailing-text", test_bad_trailing_text);
  g_test_add_func ("/fwr/import-nftables/bad/verdict-map", test_bad_verdict_map);
  g_test_add_func ("/fwr/import-nftables/bad/element-entry", test_bad_element_entry);

  return g_test_run ();
}
