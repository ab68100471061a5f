/* test-diff.c: the semantic diff a supervisor approves and drift detection relies on:
 * handles and counters never count, order does, and findings compare by content. */
#include "fwr-analysis-private.h"
#include "fwr-test-ruleset.h"

static const char *base =
  "chain inet/edge/forward hook=forward policy=drop\n"
  "rule 1 accept ct=established\n"
  "rule 2 accept iif=lan oif=wan comment=outbound\n"
  "rule 3 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
  "rule 4 drop iif=wan saddr=198.51.100.0/24\n";

/* "added:inet/edge/forward/7 moved:inet/edge/forward/3 ..." for compact assertions. */
static char *
describe (const char *before_text, const char *after_text)
{
  g_autoptr (FwrRuleset) before = before_text ? fwr_test_ruleset_new (before_text) : NULL;
  g_autoptr (FwrRuleset) after = fwr_test_ruleset_new (after_text);
  g_autoptr (FwrDiff) diff = fwr_diff_new (before, after);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < fwr_diff_get_n_entries (diff); i++)
    {
      const FwrDiffEntry *entry = fwr_diff_get_entry (diff, i);
      FwrRule *rule = fwr_diff_entry_get_after (entry) ? fwr_diff_entry_get_after (entry)
                                                        : fwr_diff_entry_get_before (entry);
      FwrChain *chain = fwr_diff_entry_get_after_chain (entry) ? fwr_diff_entry_get_after_chain (entry)
                                                                : fwr_diff_entry_get_before_chain (entry);
      g_string_append_printf (out, "%s%s:%s", out->len ? " " : "",
                              fwr_diff_kind_to_string (fwr_diff_entry_get_kind (entry)),
                              rule ? fwr_rule_get_id (rule) : fwr_chain_get_id (chain));
      const char * const *changes = fwr_diff_entry_get_changes (entry);
      for (guint c = 0; changes[c] != NULL; c++)
        g_string_append_printf (out, "%s%s", c ? "," : "(", changes[c]);
      if (changes[0] != NULL)
        g_string_append_c (out, ')');
    }
  g_assert_true (fwr_diff_is_empty (diff) == (out->len == 0));
  return g_string_free (out, FALSE);
}

static void
test_handles_and_counters_ignored (void)
{
  g_autofree char *d = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 11 accept ct=established counter=99\n"
    "rule 12 accept iif=lan oif=wan comment=outbound counter=5\n"
    "rule 13 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 14 drop iif=wan saddr=198.51.100.0/24 counter=0\n");
  g_assert_cmpstr (d, ==, "");
}

static void
test_added_removed (void)
{
  g_autofree char *added = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 1 accept ct=established\n"
    "rule 2 accept iif=lan oif=wan comment=outbound\n"
    "rule 9 accept iif=wan daddr=203.0.113.11 proto=6 dport=25 comment=mail\n"
    "rule 3 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 4 drop iif=wan saddr=198.51.100.0/24\n");
  g_assert_cmpstr (added, ==, "added:inet/edge/forward/9");

  g_autofree char *removed = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 1 accept ct=established\n"
    "rule 3 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 4 drop iif=wan saddr=198.51.100.0/24\n");
  g_assert_cmpstr (removed, ==, "removed:inet/edge/forward/2");
}

static void
test_moved (void)
{
  /* The drop now comes first: it shadows part of the web rule, so order is semantic. */
  g_autofree char *d = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 4 drop iif=wan saddr=198.51.100.0/24\n"
    "rule 1 accept ct=established\n"
    "rule 2 accept iif=lan oif=wan comment=outbound\n"
    "rule 3 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n");
  g_assert_cmpstr (d, ==, "moved:inet/edge/forward/4");
}

static void
test_modified (void)
{
  g_autofree char *comment = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 1 accept ct=established\n"
    "rule 2 accept iif=lan oif=wan comment=outbound_nat\n"
    "rule 3 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 4 drop iif=wan saddr=198.51.100.0/24 log=1\n");
  g_assert_cmpstr (comment, ==, "modified:inet/edge/forward/2(comment) modified:inet/edge/forward/4(log)");

  /* Same unique comment, wider match: the same rule, modified. */
  g_autofree char *match = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 1 accept ct=established\n"
    "rule 2 accept iif=lan oif=wan comment=outbound\n"
    "rule 3 accept iif=wan daddr=203.0.113.0/24 proto=6 dport=443 comment=web\n"
    "rule 4 drop iif=wan saddr=198.51.100.0/24\n");
  g_assert_cmpstr (match, ==, "modified:inet/edge/forward/3(match)");

  /* Without a comment to tie them, a new match is another rule. */
  g_autofree char *replaced = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 1 accept ct=established\n"
    "rule 2 accept iif=lan oif=wan comment=outbound\n"
    "rule 3 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 5 drop iif=wan saddr=198.51.0.0/16\n");
  g_assert_cmpstr (replaced, ==, "added:inet/edge/forward/5 removed:inet/edge/forward/4");

  g_autofree char *verdict = describe (base,
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 1 accept ct=established\n"
    "rule 2 accept iif=lan oif=wan comment=outbound\n"
    "rule 3 drop iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 4 drop iif=wan saddr=198.51.100.0/24\n");
  g_assert_cmpstr (verdict, ==, "modified:inet/edge/forward/3(verdict)");
}

static void
test_duplicates (void)
{
  g_autofree char *d = describe (
    "chain inet/edge/input hook=input policy=drop\n"
    "rule 1 accept proto=6 dport=22\n"
    "rule 2 accept proto=6 dport=22\n"
    "rule 3 accept proto=6 dport=80\n",
    "chain inet/edge/input hook=input policy=drop\n"
    "rule 7 accept proto=6 dport=22\n"
    "rule 8 accept proto=6 dport=80\n");
  g_assert_cmpstr (d, ==, "removed:inet/edge/input/2");
}

static void
test_chains (void)
{
  g_autofree char *policy = describe (base,
    "chain inet/edge/forward hook=forward policy=accept\n"
    "rule 1 accept ct=established\n"
    "rule 2 accept iif=lan oif=wan comment=outbound\n"
    "rule 3 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 4 drop iif=wan saddr=198.51.100.0/24\n"
    "chain inet/edge/input hook=input policy=drop\n"
    "rule 5 accept iif=lo\n");
  g_assert_cmpstr (policy, ==, "chain-modified:inet/edge/forward(policy) "
                               "chain-added:inet/edge/input added:inet/edge/input/5");

  g_autofree char *gone = describe (base, "chain inet/edge/input hook=input policy=drop\n");
  g_assert_cmpstr (gone, ==, "chain-added:inet/edge/input chain-removed:inet/edge/forward "
                             "removed:inet/edge/forward/1 removed:inet/edge/forward/2 "
                             "removed:inet/edge/forward/3 removed:inet/edge/forward/4");

  g_autofree char *first = describe (NULL, "chain inet/edge/input hook=input policy=drop\n"
                                           "rule 5 accept iif=lo\n");
  g_assert_cmpstr (first, ==, "chain-added:inet/edge/input added:inet/edge/input/5");
}

static void
test_content_key (void)
{
  g_autoptr (FwrRuleset) a = fwr_test_ruleset_new (base);
  g_autofree char *key = fwr_rule_dup_content_key (fwr_ruleset_lookup_rule (a, "inet/edge/forward/3"));
  g_assert_cmpstr (key, ==, "inet/edge/forward\x1f" "iifname wan daddr 203.0.113.10 proto 6 dport 443\x1f" "accept");
}

static char *
describe_findings (FwrRiskDelta *delta)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < fwr_risk_delta_get_n_new (delta); i++)
    {
      const FwrFinding *f = fwr_risk_delta_get_new (delta, i);
      g_string_append_printf (out, "+%s:%s ", fwr_finding_get_check (f), fwr_finding_get_subject_id (f));
    }
  for (guint i = 0; i < fwr_risk_delta_get_n_resolved (delta); i++)
    {
      const FwrFinding *f = fwr_risk_delta_get_resolved (delta, i);
      g_string_append_printf (out, "-%s:%s ", fwr_finding_get_check (f), fwr_finding_get_subject_id (f));
    }
  return g_strchomp (g_string_free (out, FALSE));
}

static void
test_risk_delta (void)
{
  g_autoptr (FwrRuleset) before = fwr_test_ruleset_new (base);
  /* Renumbered handles and new counters: the same findings, neither resolved nor new. */
  g_autoptr (FwrRuleset) renumbered = fwr_test_ruleset_new (
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 21 accept ct=established counter=7\n"
    "rule 22 accept iif=lan oif=wan comment=outbound\n"
    "rule 23 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 24 drop iif=wan saddr=198.51.100.0/24\n");
  g_autoptr (FwrReport) report = fwr_analyze (before, NULL);
  g_assert_cmpuint (fwr_report_get_n_findings (report), >, 0);
  g_autoptr (FwrRiskDelta) same = fwr_risk_delta_new (before, renumbered, NULL);
  g_autofree char *same_text = describe_findings (same);
  g_assert_cmpstr (same_text, ==, "");

  g_autoptr (FwrRuleset) after = fwr_test_ruleset_new (
    "chain inet/edge/forward hook=forward policy=drop\n"
    "rule 21 accept ct=established\n"
    "rule 22 accept iif=lan oif=wan comment=outbound\n"
    "rule 23 accept iif=wan daddr=203.0.113.10 proto=6 dport=443 comment=web\n"
    "rule 29 accept comment=temp_debug\n"
    "rule 24 drop iif=wan saddr=198.51.100.0/24\n");
  g_autoptr (FwrRiskDelta) delta = fwr_risk_delta_new (before, after, NULL);
  g_autofree char *text = describe_findings (delta);
  g_assert_nonnull (strstr (text, "+any-any:inet/edge/forward/29"));
  g_assert_null (strstr (text, "-any-any"));

  /* Back again, what the change introduced is what the reverse change resolves. */
  g_autoptr (FwrRiskDelta) back = fwr_risk_delta_new (after, before, NULL);
  g_autofree char *back_text = describe_findings (back);
  g_auto (GStrv) expected = g_strsplit (text, " ", -1);
  for (guint i = 0; expected[i] != NULL; i++)
    expected[i][0] = expected[i][0] == '+' ? '-' : '+';
  g_auto (GStrv) actual = g_strsplit (back_text, " ", -1);
  g_assert_cmpuint (g_strv_length (actual), ==, g_strv_length (expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) actual, expected[i]));

  g_autoptr (FwrRuleset) open = fwr_test_ruleset_new ("chain inet/edge/input hook=input policy=accept\n");
  g_autoptr (FwrRuleset) closed = fwr_test_ruleset_new ("chain inet/edge/input hook=input policy=drop\n");
  g_autoptr (FwrRiskDelta) fix = fwr_risk_delta_new (open, closed, NULL);
  g_autofree char *fix_text = describe_findings (fix);
  g_assert_cmpstr (fix_text, ==, "-default-allow:inet/edge/input");

  g_autoptr (FwrRiskDelta) baseline = fwr_risk_delta_new (NULL, open, NULL);
  g_autofree char *baseline_text = describe_findings (baseline);
  g_assert_cmpstr (baseline_text, ==, "+default-allow:inet/edge/input");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/diff/handles-and-counters-ignored", test_handles_and_counters_ignored);
  g_test_add_func ("/fwr/diff/added-removed", test_added_removed);
  g_test_add_func ("/fwr/diff/moved", test_moved);
  g_test_add_func ("/fwr/diff/modified", test_modified);
  g_test_add_func ("/fwr/diff/duplicates", test_duplicates);
  g_test_add_func ("/fwr/diff/chains", test_chains);
  g_test_add_func ("/fwr/diff/content-key", test_content_key);
  g_test_add_func ("/fwr/diff/risk-delta", test_risk_delta);
  return g_test_run ();
}
