/* analysis-builder.h: builds small rulesets for analysis tests straight into the model,
 * so each case states its rules in a few readable lines. */
#pragma once

#include "fwr-analysis-private.h"

static inline FwrChain *
tb_chain (FwrRuleset *rs, const char *name, FwrHook hook, int priority, FwrAction policy)
{
  g_autofree char *id = g_strdup_printf ("inet/t/%s", name);
  FwrChain *chain = _fwr_ruleset_add_chain (rs, id, "t", name, FWR_TABLE_FAMILY_INET);
  chain->hook = hook;
  chain->priority = priority;
  chain->policy = hook == FWR_HOOK_NONE ? FWR_ACTION_NONE : policy;
  return chain;
}

static inline FwrRule *
tb_rule (FwrChain *chain, FwrAction action, const char *target)
{
  g_autofree char *id = g_strdup_printf ("%s/%u", chain->id, chain->rules->len + 1);
  FwrRule *rule = _fwr_chain_add_rule (chain, id);
  _fwr_rule_set_verdict (rule, action, target);
  rule->comment = g_strdup ("test rule");
  return rule;
}

static inline FwrMatch *
tb_match (FwrRule *rule)
{
  return &rule->terms[0].match;
}

static inline void
tb_src (FwrRule *rule, const char *text)
{
  tb_match (rule)->src = fwr_addr_set_new_parse (text, NULL);
  g_assert_nonnull (tb_match (rule)->src);
}

static inline void
tb_dst (FwrRule *rule, const char *text)
{
  tb_match (rule)->dst = fwr_addr_set_new_parse (text, NULL);
  g_assert_nonnull (tb_match (rule)->dst);
}

static inline void
tb_proto (FwrRule *rule, guint proto)
{
  tb_match (rule)->protos = fwr_range_set_new_range (proto, proto);
}

static inline void
tb_dport (FwrRule *rule, guint proto, guint lo, guint hi)
{
  tb_proto (rule, proto);
  tb_match (rule)->dports = fwr_range_set_new_range (lo, hi);
}

static inline void
tb_names (FwrNameMatch *names, const char *pattern, gboolean negate)
{
  g_strfreev (names->patterns);
  names->patterns = g_strsplit (pattern, ",", -1);
  names->negate = negate;
}

static inline void
tb_iif (FwrRule *rule, const char *pattern)
{
  tb_names (&tb_match (rule)->iif, pattern, FALSE);
}

static inline void
tb_oif (FwrRule *rule, const char *pattern)
{
  tb_names (&tb_match (rule)->oif, pattern, FALSE);
}

static inline const FwrFinding *
tb_find (const FwrReport *report, const char *check, const char *subject)
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

static inline guint
tb_count (const FwrReport *report, const char *check)
{
  guint n = 0;
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    n += g_str_equal (fwr_finding_get_check (fwr_report_get_finding (report, i)), check);
  return n;
}

static inline gboolean
tb_related_has (const FwrFinding *finding, const char *id)
{
  return g_strv_contains ((const char * const *) fwr_finding_get_related (finding), id);
}
