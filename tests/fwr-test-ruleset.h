/* fwr-test-ruleset.h: builds small rulesets for tests from a line-based text, through the
 * model's private builder API, so store and diff tests do not depend on an importer. */
#pragma once

#include "fwr-ruleset-private.h"

/* One line per chain or rule:
 *   chain inet/edge/forward hook=forward policy=drop
 *   rule 6 accept iif=wan saddr=10.0.0.0/8 proto=6 dport=22,80 ct=new counter=5 comment=ssh_in
 *   rule 7 jump:from_wan iif=wan opaque=limit_rate_10/second
 * Rules go into the chain above them; ids are "<chain id>/<handle>". Underscores in comment
 * and opaque values stand for spaces. The verdict "vmap" makes one term per dport value,
 * alternating accept and drop. */
static inline void
fwr_test_set_names (FwrNameMatch *names, const char *value)
{
  names->negate = value[0] == '!';
  names->patterns = g_strsplit (value + (names->negate ? 1 : 0), ",", -1);
}

static inline FwrRangeSet *
fwr_test_range_set (const char *value)
{
  FwrRangeSet *set = fwr_range_set_new ();
  g_auto (GStrv) parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *dash = strchr (parts[i], '-');
      guint32 lo = (guint32) g_ascii_strtoull (parts[i], NULL, 10);
      guint32 hi = dash ? (guint32) g_ascii_strtoull (dash + 1, NULL, 10) : lo;
      fwr_range_set_add_range (set, lo, hi);
    }
  return set;
}

static inline void
fwr_test_apply_condition (FwrRule *rule, FwrMatch *match, const char *key, const char *value)
{
  g_autoptr (GError) error = NULL;
  if (g_str_equal (key, "iif"))
    fwr_test_set_names (&match->iif, value);
  else if (g_str_equal (key, "oif"))
    fwr_test_set_names (&match->oif, value);
  else if (g_str_equal (key, "saddr"))
    match->src = fwr_addr_set_new_parse (value, &error);
  else if (g_str_equal (key, "daddr"))
    match->dst = fwr_addr_set_new_parse (value, &error);
  else if (g_str_equal (key, "proto"))
    match->protos = fwr_test_range_set (value);
  else if (g_str_equal (key, "sport"))
    match->sports = fwr_test_range_set (value);
  else if (g_str_equal (key, "dport"))
    match->dports = fwr_test_range_set (value);
  else if (g_str_equal (key, "ct"))
    match->ct_states = g_str_equal (value, "new") ? FWR_CT_NEW : FWR_CT_ESTABLISHED | FWR_CT_RELATED;
  else if (g_str_equal (key, "family"))
    match->families = g_str_equal (value, "ipv4") ? FWR_FAMILY_IPV4 : FWR_FAMILY_IPV6;
  else if (g_str_equal (key, "opaque"))
    {
      g_autofree char *text = g_strdelimit (g_strdup (value), "_", ' ');
      _fwr_match_add_opaque (match, text);
    }
  else if (g_str_equal (key, "comment"))
    rule->comment = g_strdelimit (g_strdup (value), "_", ' ');
  else if (g_str_equal (key, "counter"))
    {
      rule->has_counter = TRUE;
      rule->packets = g_ascii_strtoull (value, NULL, 10);
      rule->bytes = rule->packets * 100;
    }
  else if (g_str_equal (key, "log"))
    rule->log = TRUE;
  else
    g_error ("fwr-test-ruleset: unknown key %s", key);
  g_assert_no_error (error);
}

static inline void
fwr_test_add_rule (FwrChain *chain, char **words, guint line)
{
  g_autofree char *id = g_strdup_printf ("%s/%s", chain->id, words[1]);
  FwrRule *rule = _fwr_chain_add_rule (chain, id);
  rule->handle = g_ascii_strtoull (words[1], NULL, 10);
  rule->line = line;
  for (guint i = 3; words[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (words[i], "=", 2);
      fwr_test_apply_condition (rule, &rule->terms[0].match, kv[0], kv[1] ? kv[1] : "");
    }

  if (g_str_equal (words[2], "vmap"))
    {
      /* One term per port, each with its own verdict. */
      FwrMatch base;
      _fwr_match_init (&base);
      _fwr_match_copy_into (&base, &rule->terms[0].match);
      guint n = fwr_range_set_get_n_ranges (base.dports);
      for (guint i = 0; i < n; i++)
        {
          guint32 lo, hi;
          fwr_range_set_get_range (base.dports, i, &lo, &hi);
          FwrTerm *term = i == 0 ? &rule->terms[0] : _fwr_rule_add_term (rule);
          _fwr_match_clear (&term->match);
          _fwr_match_copy_into (&term->match, &base);
          fwr_range_set_free (term->match.dports);
          term->match.dports = fwr_range_set_new_range (lo, hi);
          term->verdict.action = i % 2 == 0 ? FWR_ACTION_ACCEPT : FWR_ACTION_DROP;
        }
      _fwr_match_clear (&base);
      rule->verdict.action = FWR_ACTION_NONE;
      return;
    }

  g_auto (GStrv) verdict = g_strsplit (words[2], ":", 2);
  static const char *actions[] = { "none", "accept", "drop", "reject", "jump", "goto", "return" };
  for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
    if (g_str_equal (verdict[0], actions[a]))
      _fwr_rule_set_verdict (rule, (FwrAction) a, verdict[1]);
}

static inline void
fwr_test_add_chain (FwrRuleset *ruleset, char **words)
{
  g_auto (GStrv) parts = g_strsplit (words[1], "/", 3);
  FwrTableFamily family = g_str_equal (parts[0], "ip") ? FWR_TABLE_FAMILY_IP : FWR_TABLE_FAMILY_INET;
  FwrChain *chain = _fwr_ruleset_add_chain (ruleset, words[1], parts[1], parts[2], family);
  for (guint i = 2; words[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (words[i], "=", 2);
      if (g_str_equal (kv[0], "hook"))
        chain->hook = g_str_equal (kv[1], "input") ? FWR_HOOK_INPUT
                      : g_str_equal (kv[1], "output") ? FWR_HOOK_OUTPUT : FWR_HOOK_FORWARD;
      else if (g_str_equal (kv[0], "policy"))
        chain->policy = g_str_equal (kv[1], "accept") ? FWR_ACTION_ACCEPT : FWR_ACTION_DROP;
      else if (g_str_equal (kv[0], "priority"))
        chain->priority = atoi (kv[1]);
    }
}

static inline FwrRuleset *
fwr_test_ruleset_new (const char *text)
{
  FwrRuleset *ruleset = _fwr_ruleset_new ("nftables-json", "test.json");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  FwrChain *chain = NULL;
  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (lines[n]), " ", -1);
      if (words[0] == NULL || words[0][0] == '\0' || words[0][0] == '#')
        continue;
      if (g_str_equal (words[0], "chain"))
        {
          fwr_test_add_chain (ruleset, words);
          chain = g_ptr_array_index (ruleset->chains, ruleset->chains->len - 1);
        }
      else if (g_str_equal (words[0], "object"))
        _fwr_ruleset_add_object (ruleset, words[1], "edge", words[2], FWR_TABLE_FAMILY_INET,
                                 FWR_OBJECT_SET);
      else if (g_str_equal (words[0], "ref"))
        _fwr_rule_add_ref (g_ptr_array_index (chain->rules, chain->rules->len - 1),
                           _fwr_ruleset_lookup_object (ruleset, words[1]));
      else
        fwr_test_add_rule (chain, words, n + 1);
    }
  return ruleset;
}
