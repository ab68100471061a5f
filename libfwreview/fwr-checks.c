/* fwr-checks.c: the table of checks and the checks that read single rules and chains.
 * Checks that need the packet flow (shadowing, redundancy) live in fwr-check-flow.c. */
#include "fwr-analysis-private.h"

static gboolean
chain_is_filter_gate (const FwrChain *chain)
{
  return chain->type == FWR_CHAIN_TYPE_FILTER &&
         (chain->hook == FWR_HOOK_INPUT || chain->hook == FWR_HOOK_FORWARD);
}

static void
check_default_allow (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for (guint i = 0; i < analysis->ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (analysis->ruleset->chains, i);
      if (!chain_is_filter_gate (chain) || chain->policy != FWR_ACTION_ACCEPT)
        continue;
      FwrFinding *finding = _fwr_analysis_add_finding (
          analysis, info, chain->id, NULL,
          "base chain %s (hook %s) accepts every packet no rule decides: policy accept, "
          "not the default deny of a positive list", chain->id, fwr_hook_to_string (chain->hook));
      _fwr_finding_set_detail (finding, "hook", g_variant_new_string (fwr_hook_to_string (chain->hook)));
      _fwr_finding_set_detail (finding, "policy", g_variant_new_string ("accept"));
    }
}

static gboolean
match_is_any_any (const FwrMatch *match)
{
  return (match->src == NULL || fwr_addr_set_is_any (match->src, match->families)) &&
         (match->dst == NULL || fwr_addr_set_is_any (match->dst, match->families)) &&
         match->protos == NULL && match->sports == NULL && match->dports == NULL &&
         match->icmp == NULL && (match->ct_states == 0 || (match->ct_states & FWR_CT_NEW)) &&
         match->opaque == NULL;
}

static void
check_any_any (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for (guint i = 0; i < analysis->ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (analysis->ruleset->chains, i);
      if (chain->type != FWR_CHAIN_TYPE_FILTER)
        continue;
      for (guint r = 0; r < chain->rules->len; r++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, r);
          if (!rule->enabled)
            continue;
          for (guint t = 0; t < rule->n_terms; t++)
            if (rule->terms[t].verdict.action == FWR_ACTION_ACCEPT &&
                match_is_any_any (&rule->terms[t].match))
              {
                g_autofree char *text = fwr_rule_dup_match_text (rule);
                _fwr_analysis_add_finding (analysis, info, rule->id, rule,
                                           "accepts any source, any destination and any service (%s)",
                                           text);
                break;
              }
        }
    }
}

static const FwrCheck checks[] = {
  { { "any-any", FWR_SEVERITY_HIGH,
      "accepts any source to any destination for any service",
      "CC-17010 minimum authorization and positive list: an any-any accept opens everything the "
      "interface or zone restriction leaves" }, check_any_any },
  { { "default-allow", FWR_SEVERITY_HIGH,
      "an input or forward filter base chain whose policy is accept",
      "CC-17010 positive list: what no rule allows explicitly must be denied by default" },
    check_default_allow },
};

const FwrCheck *
_fwr_checks_get (guint *n_checks)
{
  *n_checks = G_N_ELEMENTS (checks);
  return checks;
}
