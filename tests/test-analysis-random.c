/* test-analysis-random.c: the engine's shadowed, redundant and ineffective verdicts against
 * a plain packet-by-packet interpreter over small universes, on random rulesets. */
#include "analysis-builder.h"

#include <arpa/inet.h>

/* One representative per class of values the random rules can tell apart. */
static const char *v4_reps[] = { "10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.1.0.0", "11.0.0.0" };
static const char *v6_rep = "2001:db8::1";
static const guint protos[] = { 6, 17, 1 };
static const guint ports[] = { 0, 1, 2, 3, 100 };
static const char *ifaces[] = { "a", "b", "ppp0", "ppp1", "ppp9", "x" };

typedef struct {
  gboolean v6;
  guint32 src, dst;  /* IPv4 host order; ignored for IPv6 */
  guint proto;
  guint dport;
  const char *iif;
} Packet;

static guint32
v4 (const char *text)
{
  struct in_addr addr;
  g_assert_true (inet_pton (AF_INET, text, &addr) == 1);
  return ntohl (addr.s_addr);
}

static GArray *
all_packets (void)
{
  GArray *packets = g_array_new (FALSE, TRUE, sizeof (Packet));
  for (guint s = 0; s <= G_N_ELEMENTS (v4_reps); s++)
    for (guint d = 0; d <= G_N_ELEMENTS (v4_reps); d++)
      {
        gboolean v6 = s == G_N_ELEMENTS (v4_reps);
        if (v6 != (d == G_N_ELEMENTS (v4_reps)))
          continue;
        for (guint p = 0; p < G_N_ELEMENTS (protos); p++)
          for (guint o = 0; o < G_N_ELEMENTS (ports); o++)
            for (guint i = 0; i < G_N_ELEMENTS (ifaces); i++)
              {
                Packet packet = { v6, v6 ? 0 : v4 (v4_reps[s]), v6 ? 0 : v4 (v4_reps[d]),
                                  protos[p], protos[p] == 1 ? 0 : ports[o], ifaces[i] };
                if (protos[p] == 1 && o > 0)
                  continue;
                g_array_append_val (packets, packet);
              }
      }
  return packets;
}

static gboolean
addr_matches (const FwrAddrSet *set, const Packet *p, guint32 value)
{
  if (set == NULL)
    return TRUE;
  if (p->v6)
    {
      g_autoptr (FwrAddrSet) one = fwr_addr_set_new_parse (v6_rep, NULL);
      return fwr_addr_set_is_subset (one, set);
    }
  return _fwr_spans_contains (&set->v4, value);
}

static gboolean
packet_matches (const FwrMatch *m, const Packet *p)
{
  if (!(m->families & (p->v6 ? FWR_FAMILY_IPV6 : FWR_FAMILY_IPV4)))
    return FALSE;
  return addr_matches (m->src, p, p->src) && addr_matches (m->dst, p, p->dst) &&
         (m->protos == NULL || fwr_range_set_contains (m->protos, p->proto)) &&
         (m->dports == NULL || (p->proto != 1 && fwr_range_set_contains (m->dports, p->dport))) &&
         _fwr_name_match_matches (&m->iif, p->iif);
}

/* Random rules */

static void
random_match (FwrRule *rule)
{
  static const char *nets[] = { "10.0.0.0/30", "10.0.0.0/31", "10.0.0.2/31", "10.0.0.1",
                                "10.0.0.3", "10.0.0.1-10.0.0.2", "10.0.0.0/8" };
  static const char *iif_patterns[] = { "a", "b", "ppp*", "ppp0", "a,ppp1" };
  FwrMatch *m = tb_match (rule);

  if (g_test_rand_int_range (0, 2))
    {
      tb_src (rule, nets[g_test_rand_int_range (0, G_N_ELEMENTS (nets))]);
      if (g_test_rand_int_range (0, 8) == 0)
        fwr_addr_set_complement (m->src, FWR_FAMILY_IPV4);
    }
  if (g_test_rand_int_range (0, 2))
    tb_dst (rule, nets[g_test_rand_int_range (0, G_N_ELEMENTS (nets))]);
  if (g_test_rand_int_range (0, 2))
    {
      guint which = g_test_rand_int_range (0, 3);
      m->protos = which == 2 ? fwr_range_set_new_range (6, 6) : fwr_range_set_new_range (protos[which], protos[which]);
      if (which == 2)
        fwr_range_set_add_range (m->protos, 17, 17);
      if (g_test_rand_int_range (0, 3))
        {
          guint lo = g_test_rand_int_range (0, 4);
          guint hi = g_test_rand_int_range (0, 3) == 0 ? 65535 : (guint) g_test_rand_int_range (lo, 4);
          m->dports = fwr_range_set_new_range (lo, hi);
          if (which == 1)
            {
              /* Ports go with TCP or UDP only. */
              fwr_range_set_free (m->protos);
              m->protos = fwr_range_set_new_range (6, 6);
            }
        }
    }
  if (g_test_rand_int_range (0, 5) < 2)
    tb_names (&m->iif, iif_patterns[g_test_rand_int_range (0, G_N_ELEMENTS (iif_patterns))],
              g_test_rand_int_range (0, 6) == 0);
  if (g_test_rand_int_range (0, 10) == 0)
    m->families = FWR_FAMILY_IPV4;
}

static FwrRule *
random_rule (FwrChain *chain, const FwrAction *actions, guint n_actions, const char *target)
{
  FwrAction action = actions[g_test_rand_int_range (0, n_actions)];
  FwrRule *rule = tb_rule (chain, action,
                           action == FWR_ACTION_JUMP || action == FWR_ACTION_GOTO ? target : NULL);
  random_match (rule);
  return rule;
}

/* The reference interpreter */

typedef enum { R_CONTINUE, R_ACCEPT, R_DROP } Result;

typedef struct {
  GHashTable *live;       /* rules some packet reached and matched */
  GHashTable *potential;  /* rules whose path conditions and match some packet satisfies */
  FwrRule *decider;       /* the rule that ended the current base chain */
} Trace;

static FwrChain *
target_chain (FwrRuleset *rs, const char *name)
{
  g_autofree char *id = g_strdup_printf ("inet/t/%s", name);
  return fwr_ruleset_lookup_chain (rs, id);
}

static Result
eval_chain (FwrRuleset *rs, FwrChain *chain, const Packet *p, Trace *trace)
{
  for (guint r = 0; r < chain->rules->len; r++)
    {
      FwrRule *rule = g_ptr_array_index (chain->rules, r);
      if (!packet_matches (tb_match (rule), p))
        continue;
      g_hash_table_add (trace->live, rule);
      Result result;
      switch (rule->verdict.action)
        {
        case FWR_ACTION_ACCEPT:
          trace->decider = rule;
          return R_ACCEPT;
        case FWR_ACTION_DROP:
          trace->decider = rule;
          return R_DROP;
        case FWR_ACTION_RETURN:
          return R_CONTINUE;
        case FWR_ACTION_JUMP:
          result = eval_chain (rs, target_chain (rs, rule->verdict.target), p, trace);
          if (result != R_CONTINUE)
            return result;
          break;
        case FWR_ACTION_GOTO:
          return eval_chain (rs, target_chain (rs, rule->verdict.target), p, trace);
        default:
          break;
        }
    }
  return R_CONTINUE;
}

static void
ghost_chain (FwrRuleset *rs, FwrChain *chain, const Packet *p, Trace *trace)
{
  for (guint r = 0; r < chain->rules->len; r++)
    {
      FwrRule *rule = g_ptr_array_index (chain->rules, r);
      if (!packet_matches (tb_match (rule), p))
        continue;
      g_hash_table_add (trace->potential, rule);
      if (rule->verdict.action == FWR_ACTION_JUMP || rule->verdict.action == FWR_ACTION_GOTO)
        ghost_chain (rs, target_chain (rs, rule->verdict.target), p, trace);
    }
}

/* Runs p through the base chains in order; records which accepts in an earlier base chain
 * let it through and whether it was finally dropped. */
static void
eval_hook (FwrRuleset *rs, GPtrArray *bases, const Packet *p, Trace *trace, GHashTable *accepted_kept)
{
  g_autoptr (GPtrArray) accepted_by = g_ptr_array_new ();
  gboolean dropped = FALSE;
  for (guint b = 0; b < bases->len; b++)
    ghost_chain (rs, g_ptr_array_index (bases, b), p, trace);
  for (guint b = 0; b < bases->len && !dropped; b++)
    {
      FwrChain *base = g_ptr_array_index (bases, b);
      trace->decider = NULL;
      Result result = eval_chain (rs, base, p, trace);
      if (result == R_CONTINUE)
        result = base->policy == FWR_ACTION_DROP ? R_DROP : R_ACCEPT;
      if (result == R_ACCEPT && trace->decider != NULL)
        g_ptr_array_add (accepted_by, trace->decider);
      dropped = result == R_DROP;
    }
  for (guint i = 0; i < accepted_by->len && !dropped; i++)
    g_hash_table_add (accepted_kept, g_ptr_array_index (accepted_by, i));
}

static gboolean
has_coverage_finding (FwrReport *report, FwrRule *rule)
{
  const FwrFinding *shadowed = tb_find (report, "shadowed", rule->id);
  gboolean later = FALSE;
  if (shadowed != NULL)
    g_variant_lookup (fwr_finding_get_details (shadowed), "by_later_base_chain", "b", &later);
  return (shadowed != NULL && !later) || tb_find (report, "redundant", rule->id) != NULL;
}

static gboolean
has_ineffective_finding (FwrReport *report, FwrRule *rule)
{
  const FwrFinding *shadowed = tb_find (report, "shadowed", rule->id);
  gboolean later = FALSE;
  return shadowed != NULL &&
         g_variant_lookup (fwr_finding_get_details (shadowed), "by_later_base_chain", "b", &later) && later;
}

static char *
describe (FwrRuleset *rs)
{
  GString *out = g_string_new (NULL);
  for (guint c = 0; c < rs->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (rs->chains, c);
      g_string_append_printf (out, "chain %s hook %s policy %s\n", chain->id,
                              fwr_hook_to_string (chain->hook), fwr_action_to_string (chain->policy));
      for (guint r = 0; r < chain->rules->len; r++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, r);
          g_autofree char *text = fwr_rule_dup_match_text (rule);
          g_string_append_printf (out, "  %s: %s %s %s\n", rule->id, text,
                                  fwr_action_to_string (rule->verdict.action),
                                  rule->verdict.target ? rule->verdict.target : "");
        }
    }
  return g_string_free (out, FALSE);
}

/* A flat chain of accepts and drops: the first earlier match decides, so shadowed and
 * redundant can be told apart packet by packet. */
static void
test_flat (void)
{
  g_autoptr (GArray) packets = all_packets ();
  static const FwrAction actions[] = { FWR_ACTION_ACCEPT, FWR_ACTION_DROP };

  for (guint round = 0; round < 400; round++)
    {
      g_autoptr (FwrRuleset) rs = _fwr_ruleset_new ("test", "random.json");
      FwrChain *in = tb_chain (rs, "input", FWR_HOOK_INPUT, 0, FWR_ACTION_DROP);
      guint n = g_test_rand_int_range (3, 12);
      for (guint i = 0; i < n; i++)
        random_rule (in, actions, G_N_ELEMENTS (actions), NULL);

      g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
      for (guint r = 0; r < n; r++)
        {
          FwrRule *rule = g_ptr_array_index (in->rules, r);
          gboolean matched = FALSE, live = FALSE, other = FALSE;
          for (guint k = 0; k < packets->len; k++)
            {
              const Packet *p = &g_array_index (packets, Packet, k);
              if (!packet_matches (tb_match (rule), p))
                continue;
              matched = TRUE;
              FwrRule *first = NULL;
              for (guint e = 0; e < r && first == NULL; e++)
                if (packet_matches (tb_match (g_ptr_array_index (in->rules, e)), p))
                  first = g_ptr_array_index (in->rules, e);
              if (first == NULL)
                live = TRUE;
              else
                other |= first->verdict.action != rule->verdict.action;
            }
          gboolean want_shadowed = matched && !live && other;
          gboolean want_redundant = matched && !live && !other;
          gboolean got_shadowed = tb_find (report, "shadowed", rule->id) != NULL;
          gboolean got_redundant = tb_find (report, "redundant", rule->id) != NULL;
          if (want_shadowed != got_shadowed || want_redundant != got_redundant)
            {
              g_autofree char *text = describe (rs);
              g_test_message ("round %u, rule %s: want shadowed %d redundant %d, got %d %d\n%s",
                              round, rule->id, want_shadowed, want_redundant, got_shadowed,
                              got_redundant, text);
              g_test_fail ();
              return;
            }
        }
    }
}

/* Two base chains b1, b2 on one hook and two regular chains x, y with jump, goto and return;
 * scale multiplies the number of rules in each. */
static FwrRuleset *
random_chains_ruleset (guint scale, FwrChain **b1_out, FwrChain **b2_out)
{
  static const FwrAction base_actions[] = { FWR_ACTION_ACCEPT, FWR_ACTION_DROP, FWR_ACTION_JUMP,
                                            FWR_ACTION_GOTO, FWR_ACTION_NONE };
  static const FwrAction x_actions[] = { FWR_ACTION_ACCEPT, FWR_ACTION_DROP, FWR_ACTION_RETURN,
                                         FWR_ACTION_JUMP };
  static const FwrAction y_actions[] = { FWR_ACTION_ACCEPT, FWR_ACTION_DROP, FWR_ACTION_RETURN };
  static const FwrAction b2_actions[] = { FWR_ACTION_ACCEPT, FWR_ACTION_DROP };

  FwrRuleset *rs = _fwr_ruleset_new ("test", "random.json");
  FwrAction policy1 = g_test_rand_int_range (0, 2) ? FWR_ACTION_ACCEPT : FWR_ACTION_DROP;
  FwrAction policy2 = g_test_rand_int_range (0, 2) ? FWR_ACTION_ACCEPT : FWR_ACTION_DROP;
  FwrChain *b1 = tb_chain (rs, "b1", FWR_HOOK_INPUT, 0, policy1);
  FwrChain *b2 = tb_chain (rs, "b2", FWR_HOOK_INPUT, 10, policy2);
  FwrChain *x = tb_chain (rs, "x", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);
  FwrChain *y = tb_chain (rs, "y", FWR_HOOK_NONE, 0, FWR_ACTION_NONE);
  for (guint i = g_test_rand_int_range (2, 7) * scale; i > 0; i--)
    random_rule (b1, base_actions, G_N_ELEMENTS (base_actions), "x");
  for (guint i = g_test_rand_int_range (1, 5) * scale; i > 0; i--)
    random_rule (x, x_actions, G_N_ELEMENTS (x_actions), "y");
  for (guint i = g_test_rand_int_range (1, 4) * scale; i > 0; i--)
    random_rule (y, y_actions, G_N_ELEMENTS (y_actions), NULL);
  for (guint i = g_test_rand_int_range (0, 4) * scale; i > 0; i--)
    random_rule (b2, b2_actions, G_N_ELEMENTS (b2_actions), NULL);
  if (b1_out != NULL)
    *b1_out = b1;
  if (b2_out != NULL)
    *b2_out = b2;
  return rs;
}

/* Two base chains on one hook and two regular chains with jump, goto and return: a rule is
 * covered exactly when packets satisfy its conditions but none ever reaches it. */
static void
test_chains (void)
{
  g_autoptr (GArray) packets = all_packets ();

  for (guint round = 0; round < 300; round++)
    {
      FwrChain *b1, *b2;
      g_autoptr (FwrRuleset) rs = random_chains_ruleset (1, &b1, &b2);

      g_autoptr (GPtrArray) bases = g_ptr_array_new ();
      g_ptr_array_add (bases, b1);
      g_ptr_array_add (bases, b2);
      Trace trace = { g_hash_table_new (NULL, NULL), g_hash_table_new (NULL, NULL), NULL };
      g_autoptr (GHashTable) accepted_kept = g_hash_table_new (NULL, NULL);
      for (guint k = 0; k < packets->len; k++)
        eval_hook (rs, bases, &g_array_index (packets, Packet, k), &trace, accepted_kept);

      g_autoptr (FwrReport) report = fwr_analyze (rs, NULL);
      gboolean failed = FALSE;
      for (guint c = 0; c < rs->chains->len && !failed; c++)
        {
          FwrChain *chain = g_ptr_array_index (rs->chains, c);
          for (guint r = 0; r < chain->rules->len && !failed; r++)
            {
              FwrRule *rule = g_ptr_array_index (chain->rules, r);
              gboolean potential = g_hash_table_contains (trace.potential, rule);
              gboolean live = g_hash_table_contains (trace.live, rule);
              gboolean want = potential && !live;
              gboolean got = has_coverage_finding (report, rule);
              /* An accept of the first base chain that let packets through, all dropped later. */
              gboolean want_ineffective = FALSE;
              if (live && rule->verdict.action == FWR_ACTION_ACCEPT && chain != b2)
                want_ineffective = !g_hash_table_contains (accepted_kept, rule);
              gboolean got_ineffective = has_ineffective_finding (report, rule);
              if (want != got || want_ineffective != got_ineffective)
                {
                  g_autofree char *text = describe (rs);
                  g_test_message ("round %u, rule %s: want covered %d ineffective %d, got %d %d\n%s",
                                  round, rule->id, want, want_ineffective, got, got_ineffective, text);
                  failed = TRUE;
                }
            }
        }
      g_hash_table_unref (trace.live);
      g_hash_table_unref (trace.potential);
      if (failed)
        {
          g_test_fail ();
          return;
        }
    }
}

static gboolean
same_ids (GPtrArray *a, GPtrArray *b)
{
  if ((a != NULL ? a->len : 0) != (b != NULL ? b->len : 0))
    return FALSE;
  for (guint i = 0; a != NULL && i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

static gboolean
same_rule_coverage (const FwrRuleCoverage *a, const FwrRuleCoverage *b)
{
  return a->n_entries == b->n_entries && a->n_covered == b->n_covered &&
         a->n_undecided == b->n_undecided && a->other_verdict == b->other_verdict &&
         a->n_accepts == b->n_accepts && a->n_ineffective == b->n_ineffective &&
         a->n_correlated == b->n_correlated && same_ids (a->covering, b->covering) &&
         same_ids (a->dropped_by, b->dropped_by) && same_ids (a->correlated, b->correlated);
}

/* The coverage is shared out among threads by rule: the result must be the same for one
 * thread and for several, down to the order of every list. */
static void
test_workers (void)
{
  guint n_repeated = 0, n_covered = 0, n_correlated = 0;
  for (guint round = 0; round < 40; round++)
    {
      g_autoptr (FwrRuleset) rs = random_chains_ruleset (6, NULL, NULL);
      FwrFlow *flow_one = _fwr_flow_new (rs, NULL), *flow_three = _fwr_flow_new (rs, NULL);
      FwrCoverage *one = _fwr_coverage_new_full (flow_one, 1, 1);
      FwrCoverage *three = _fwr_coverage_new_full (flow_three, 3, 1);

      g_assert_cmpuint (one->n_undecided, ==, three->n_undecided);
      for (guint i = 0; i < one->n_rules; i++)
        {
          const FwrRuleCoverage *a = &one->rules[i];
          if (!same_rule_coverage (a, &three->rules[i]))
            {
              g_autofree char *text = describe (rs);
              g_test_message ("round %u: rule ordinal %u differs with three workers\n%s", round, i, text);
              g_test_fail ();
            }
          n_repeated += a->n_entries > 1;
          n_covered += a->covering != NULL && a->covering->len > 0;
          n_correlated += a->correlated != NULL && a->correlated->len > 0;
        }
      _fwr_coverage_free (one);
      _fwr_coverage_free (three);
      _fwr_flow_free (flow_one);
      _fwr_flow_free (flow_three);
    }
  /* The rulesets must exercise what is shared out: rules reached on several paths, covering
   * and correlated lists. */
  g_assert_cmpuint (n_repeated, >, 0);
  g_assert_cmpuint (n_covered, >, 0);
  g_assert_cmpuint (n_correlated, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/analysis-random/flat", test_flat);
  g_test_add_func ("/fwr/analysis-random/chains", test_chains);
  g_test_add_func ("/fwr/analysis-random/workers", test_workers);
  return g_test_run ();
}
