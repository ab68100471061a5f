/* fwr-flow.c: builds the evaluation sequences: name universes, each term's packet space, and
 * jump/goto inlining per hook with loop and depth limits (reported, never followed forever). */
#include "fwr-flow-private.h"

#define FWR_MAX_JUMP_DEPTH 16

/* Name universes */

static void
universe_init (FwrNameUniverse *u)
{
  u->ids = g_hash_table_new (g_str_hash, g_str_equal);
  u->names = g_ptr_array_new_with_free_func (g_free);
  u->prefixes = g_ptr_array_new_with_free_func (g_free);
  u->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  u->n = 1;
}

static void
free_cached_spans (gpointer key, gpointer value, gpointer data)
{
  _fwr_spans_clear (value);
  g_free (value);
}

static void
universe_clear (FwrNameUniverse *u)
{
  g_hash_table_foreach (u->cache, free_cached_spans, NULL);
  g_hash_table_unref (u->cache);
  g_hash_table_unref (u->ids);
  g_ptr_array_unref (u->names);
  g_ptr_array_unref (u->prefixes);
}

static gboolean
is_prefix_pattern (const char *pattern)
{
  gsize len = strlen (pattern);
  return len > 0 && pattern[len - 1] == '*';
}

static void
universe_add_pattern (FwrNameUniverse *u, const char *pattern)
{
  if (is_prefix_pattern (pattern))
    {
      g_autofree char *prefix = g_strndup (pattern, strlen (pattern) - 1);
      for (guint i = 0; i < u->prefixes->len; i++)
        if (g_str_equal (g_ptr_array_index (u->prefixes, i), prefix))
          return;
      g_ptr_array_add (u->prefixes, g_steal_pointer (&prefix));
    }
  else if (!g_hash_table_contains (u->ids, pattern))
    {
      char *name = g_strdup (pattern);
      g_ptr_array_add (u->names, name);
      g_hash_table_insert (u->ids, name, GUINT_TO_POINTER (u->names->len));
    }
}

static void
universe_add_names (FwrNameUniverse *u, const FwrNameMatch *names)
{
  for (guint i = 0; names->patterns != NULL && names->patterns[i] != NULL; i++)
    universe_add_pattern (u, names->patterns[i]);
}

static void
universe_seal (FwrNameUniverse *u)
{
  u->n = u->names->len + u->prefixes->len + 1;
}

/* The value of the class a name falls in: its own id, else its longest listed prefix, else other. */
guint
_fwr_name_universe_lookup (FwrNameUniverse *u, const char *name)
{
  gpointer id = g_hash_table_lookup (u->ids, name);
  if (id != NULL)
    return GPOINTER_TO_UINT (id) - 1;
  gsize best_len = 0;
  guint best = u->n - 1;
  for (guint i = 0; i < u->prefixes->len; i++)
    {
      const char *prefix = g_ptr_array_index (u->prefixes, i);
      gsize len = strlen (prefix);
      if (g_str_has_prefix (name, prefix) && (best == u->n - 1 || len > best_len))
        {
          best_len = len;
          best = u->names->len + i;
        }
    }
  return best;
}

const char *
_fwr_name_universe_sample (FwrNameUniverse *u, guint id, char **scratch)
{
  g_clear_pointer (scratch, g_free);
  if (id < u->names->len)
    return g_ptr_array_index (u->names, id);
  if (id < u->names->len + u->prefixes->len)
    {
      /* A name in this prefix's class that no longer prefix or concrete name claims. */
      *scratch = g_strconcat (g_ptr_array_index (u->prefixes, id - u->names->len), "\x7f~", NULL);
      return *scratch;
    }
  return "\x7f~";
}

static const FwrSpans *
universe_pattern_spans (FwrNameUniverse *u, const char *pattern)
{
  FwrSpans *spans = g_hash_table_lookup (u->cache, pattern);
  if (spans != NULL)
    return spans;

  spans = g_new0 (FwrSpans, 1);
  _fwr_spans_init (spans);
  if (!is_prefix_pattern (pattern))
    {
      guint id = _fwr_name_universe_lookup (u, pattern);
      _fwr_spans_add (spans, id, id);
    }
  else
    {
      g_autofree char *prefix = g_strndup (pattern, strlen (pattern) - 1);
      for (guint i = 0; i < u->names->len; i++)
        if (g_str_has_prefix (g_ptr_array_index (u->names, i), prefix))
          _fwr_spans_add (spans, i, i);
      for (guint i = 0; i < u->prefixes->len; i++)
        if (g_str_has_prefix (g_ptr_array_index (u->prefixes, i), prefix))
          _fwr_spans_add (spans, u->names->len + i, u->names->len + i);
      if (*prefix == '\0')
        _fwr_spans_add (spans, 0, u->n - 1);
    }
  g_hash_table_insert (u->cache, g_strdup (pattern), spans);
  return spans;
}

static void
universe_match_spans (FwrNameUniverse *u, const FwrNameMatch *names, FwrSpans *out)
{
  _fwr_spans_init (out);
  for (guint i = 0; names->patterns[i] != NULL; i++)
    _fwr_spans_union (out, universe_pattern_spans (u, names->patterns[i]));
  if (names->negate)
    _fwr_spans_complement (out, u->n - 1);
}

void
_fwr_flow_name_spans (FwrFlow *flow, FwrNameUniverse *universe, const FwrNameMatch *names, FwrSpans *out)
{
  universe_match_spans (universe, names, out);
}

/* Spaces */

const FwrDomain *
_fwr_flow_domain (FwrFlow *flow, guint8 family)
{
  return family == FWR_FAMILY_IPV4 ? &flow->domain4 : &flow->domain6;
}

static gboolean
restrict_names (FwrCube *cube, const FwrDomain *domain, FwrDim d, FwrNameUniverse *u,
                const FwrNameMatch *names)
{
  if (names->patterns == NULL)
    return TRUE;
  FwrSpans spans;
  universe_match_spans (u, names, &spans);
  gboolean alive = _fwr_cube_restrict (cube, domain, d, &spans);
  _fwr_spans_clear (&spans);
  return alive;
}

/* The model's sets outlive the flow: cubes borrow their arrays. */
static gboolean
restrict_range (FwrCube *cube, const FwrDomain *domain, FwrDim d, const FwrRangeSet *set)
{
  return set == NULL || _fwr_cube_restrict_borrowed (cube, domain, d, &set->spans);
}

GPtrArray *
_fwr_flow_match_space (FwrFlow *flow, const FwrMatch *match, FwrFamilyMask allowed)
{
  GPtrArray *space = _fwr_space_new ();
  static const guint8 families[] = { FWR_FAMILY_IPV4, FWR_FAMILY_IPV6 };

  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    {
      guint8 family = families[f];
      if (!(match->families & allowed & family))
        continue;
      const FwrDomain *domain = _fwr_flow_domain (flow, family);
      FwrCube *cube = _fwr_cube_new_full (family);
      gboolean alive = TRUE;

      if (match->src != NULL)
        alive = _fwr_cube_restrict_borrowed (cube, domain, FWR_DIM_SRC,
                                             family == FWR_FAMILY_IPV4 ? &match->src->v4 : &match->src->v6);
      if (alive && match->dst != NULL)
        alive = _fwr_cube_restrict_borrowed (cube, domain, FWR_DIM_DST,
                                             family == FWR_FAMILY_IPV4 ? &match->dst->v4 : &match->dst->v6);
      alive = alive && restrict_range (cube, domain, FWR_DIM_PROTO, match->protos);
      alive = alive && restrict_range (cube, domain, FWR_DIM_SPORT, match->sports);
      alive = alive && restrict_range (cube, domain, FWR_DIM_DPORT, match->dports);
      alive = alive && restrict_range (cube, domain, FWR_DIM_ICMP, match->icmp);
      if (alive && match->ct_states != 0)
        {
          FwrSpans ct;
          _fwr_spans_init (&ct);
          for (guint bit = 0; bit < 5; bit++)
            if (match->ct_states & (1u << bit))
              _fwr_spans_add (&ct, bit, bit);
          alive = _fwr_cube_restrict (cube, domain, FWR_DIM_CT, &ct);
          _fwr_spans_clear (&ct);
        }
      alive = alive && restrict_names (cube, domain, FWR_DIM_IIF, &flow->ifaces, &match->iif);
      alive = alive && restrict_names (cube, domain, FWR_DIM_OIF, &flow->ifaces, &match->oif);
      alive = alive && restrict_names (cube, domain, FWR_DIM_SZONE, &flow->zone_names, &match->src_zones);
      alive = alive && restrict_names (cube, domain, FWR_DIM_DZONE, &flow->zone_names, &match->dst_zones);

      if (alive)
        g_ptr_array_add (space, cube);
      else
        _fwr_cube_free (cube);
    }
  return space;
}

/* Flattening */

static FwrFamilyMask
table_families (FwrTableFamily family)
{
  switch (family)
    {
    case FWR_TABLE_FAMILY_IP:
      return FWR_FAMILY_IPV4;
    case FWR_TABLE_FAMILY_IP6:
      return FWR_FAMILY_IPV6;
    case FWR_TABLE_FAMILY_INET:
      return FWR_FAMILY_ANY;
    default:
      return 0;
    }
}

static FwrEntryKind
entry_kind (FwrAction action)
{
  switch (action)
    {
    case FWR_ACTION_ACCEPT:
      return FWR_ENTRY_ACCEPT;
    case FWR_ACTION_DROP:
    case FWR_ACTION_REJECT:
    case FWR_ACTION_QUEUE:
      return FWR_ENTRY_DROP;
    case FWR_ACTION_RETURN:
      return FWR_ENTRY_RETURN;
    default:
      return FWR_ENTRY_PASS;
    }
}

static FwrChain *
lookup_target (FwrFlow *flow, FwrChain *from, const char *target)
{
  if (target == NULL)
    return NULL;
  g_autofree char *id = g_strdup_printf ("%s/%s/%s", fwr_table_family_to_string (from->family),
                                         from->table, target);
  FwrChain *chain = fwr_ruleset_lookup_chain (flow->ruleset, id);
  /* Vendor containers are not named by family/table: fall back to the bare name. */
  return chain ? chain : fwr_ruleset_lookup_chain (flow->ruleset, target);
}

static GPtrArray *
space_product (GPtrArray *a, GPtrArray *b)
{
  GPtrArray *out = _fwr_space_new ();
  for (guint i = 0; i < a->len; i++)
    for (guint j = 0; j < b->len; j++)
      {
        FwrCube *cube = _fwr_cube_intersect (g_ptr_array_index (a, i), g_ptr_array_index (b, j));
        if (cube != NULL)
          g_ptr_array_add (out, cube);
      }
  return out;
}

static void
add_loop (FwrFlow *flow, FwrRule *rule, const char *why)
{
  for (guint i = 0; i < flow->loops->len; i++)
    if (g_str_equal (g_ptr_array_index (flow->loops, i), rule->id))
      return;
  g_ptr_array_add (flow->loops, g_strdup (rule->id));
  g_ptr_array_add (flow->loop_texts, g_strdup (why));
}

/* context_opaque: the jump that led here has a condition the model cannot state exactly, so
 * every rule of the chain may see fewer packets than its space says. */
static void
flatten_chain (FwrFlow *flow, FwrFlowGroup *group, FwrChain *chain, GPtrArray *context,
               gboolean context_opaque, guint base, GPtrArray *stack)
{
  guint frame_index = group->frames->len;
  FwrFrame frame = { group->entries->len, 0, chain };
  g_array_append_val (group->frames, frame);
  g_ptr_array_add (stack, chain);

  for (guint r = 0; r < chain->rules->len; r++)
    {
      FwrRule *rule = g_ptr_array_index (chain->rules, r);
      if (!rule->enabled)
        continue;
      for (guint t = 0; t < rule->n_terms; t++)
        {
          FwrTerm *term = &rule->terms[t];
          g_autoptr (GPtrArray) term_space = _fwr_flow_match_space (flow, &term->match, FWR_FAMILY_ANY);
          GPtrArray *space = space_product (context, term_space);
          if (space->len == 0)
            {
              g_ptr_array_unref (space);
              continue;
            }

          FwrEntry entry = {
            .rule = rule, .term = t, .kind = entry_kind (term->verdict.action),
            .opaque = context_opaque || (term->match.opaque != NULL && term->match.opaque->len > 0),
            .base = base, .frame = frame_index, .pos = group->entries->len, .space = space,
          };
          g_array_append_val (group->entries, entry);

          FwrAction action = term->verdict.action;
          if (action != FWR_ACTION_JUMP && action != FWR_ACTION_GOTO)
            continue;

          FwrChain *target = lookup_target (flow, chain, term->verdict.target);
          if (target == NULL)
            continue;
          g_hash_table_add (flow->reached, target);
          if (g_ptr_array_find (stack, target, NULL))
            add_loop (flow, rule, "the jump leads back into a chain it comes from: the kernel refuses such a ruleset");
          else if (stack->len >= FWR_MAX_JUMP_DEPTH)
            add_loop (flow, rule, "jumps nest deeper than the kernel's limit of 16 chains");
          else
            {
              flatten_chain (flow, group, target, space, entry.opaque, base, stack);
              if (action == FWR_ACTION_GOTO)
                {
                  /* Packets the goto'd chain does not decide leave this chain as by return. */
                  FwrEntry end = entry;
                  end.kind = FWR_ENTRY_RETURN;
                  end.synthetic = TRUE;
                  end.pos = group->entries->len;
                  end.space = _fwr_space_new ();
                  _fwr_space_append_copy (end.space, space);
                  g_array_append_val (group->entries, end);
                }
            }
        }
    }

  g_ptr_array_remove_index (stack, stack->len - 1);
  g_array_index (group->frames, FwrFrame, frame_index).end = group->entries->len;
}

static int
compare_bases (gconstpointer a, gconstpointer b)
{
  const FwrChain *ca = *(FwrChain * const *) a, *cb = *(FwrChain * const *) b;
  if (ca->priority != cb->priority)
    return ca->priority < cb->priority ? -1 : 1;
  return ca->ordinal < cb->ordinal ? -1 : (ca->ordinal > cb->ordinal);
}

static gboolean
chain_is_analyzed_base (const FwrChain *chain)
{
  return chain->hook != FWR_HOOK_NONE && table_families (chain->family) != 0 &&
         (chain->type == FWR_CHAIN_TYPE_FILTER || chain->type == FWR_CHAIN_TYPE_ROUTE);
}

static void
build_group (FwrFlow *flow, FwrHook hook, const char *section)
{
  FwrFlowGroup *group = g_new0 (FwrFlowGroup, 1);
  group->hook = hook;
  group->section = section;
  group->bases = g_ptr_array_new ();
  for (guint i = 0; i < flow->ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (flow->ruleset->chains, i);
      if (chain->hook == hook && chain_is_analyzed_base (chain) && g_strcmp0 (chain->section, section) == 0)
        g_ptr_array_add (group->bases, chain);
    }
  if (group->bases->len == 0)
    {
      g_ptr_array_unref (group->bases);
      g_free (group);
      return;
    }
  g_ptr_array_sort (group->bases, compare_bases);

  group->entries = g_array_new (FALSE, FALSE, sizeof (FwrEntry));
  group->frames = g_array_new (FALSE, FALSE, sizeof (FwrFrame));
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  for (guint b = 0; b < group->bases->len; b++)
    {
      FwrChain *chain = g_ptr_array_index (group->bases, b);
      g_autoptr (GPtrArray) context = _fwr_space_new ();
      static const guint8 families[] = { FWR_FAMILY_IPV4, FWR_FAMILY_IPV6 };
      for (guint f = 0; f < G_N_ELEMENTS (families); f++)
        if (table_families (chain->family) & families[f])
          g_ptr_array_add (context, _fwr_cube_new_full (families[f]));
      flatten_chain (flow, group, chain, context, FALSE, b, stack);
    }
  group->index = _fwr_box_index_new (flow, group->entries);
  g_ptr_array_add (flow->groups, group);
}

static void
group_free (FwrFlowGroup *group)
{
  for (guint i = 0; i < group->entries->len; i++)
    g_ptr_array_unref (g_array_index (group->entries, FwrEntry, i).space);
  g_array_unref (group->entries);
  g_array_unref (group->frames);
  g_ptr_array_unref (group->bases);
  _fwr_box_index_free (group->index);
  g_free (group);
}

static void
collect_names (FwrFlow *flow)
{
  for (guint c = 0; c < flow->ruleset->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (flow->ruleset->chains, c);
      for (guint r = 0; r < chain->rules->len; r++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, r);
          for (guint t = 0; t < rule->n_terms; t++)
            {
              universe_add_names (&flow->ifaces, &rule->terms[t].match.iif);
              universe_add_names (&flow->ifaces, &rule->terms[t].match.oif);
              universe_add_names (&flow->zone_names, &rule->terms[t].match.src_zones);
              universe_add_names (&flow->zone_names, &rule->terms[t].match.dst_zones);
            }
        }
    }
  for (guint z = 0; flow->zones != NULL && z < fwr_zone_map_get_n_zones (flow->zones); z++)
    {
      const char * const *patterns = fwr_zone_map_get_interfaces (flow->zones, z);
      for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
        universe_add_pattern (&flow->ifaces, patterns[i]);
      universe_add_pattern (&flow->zone_names, fwr_zone_map_get_name (flow->zones, z));
    }
  universe_seal (&flow->ifaces);
  universe_seal (&flow->zone_names);
}

static void
domain_init (FwrDomain *domain, FwrFlow *flow, fwr_u128 addr_max)
{
  domain->max[FWR_DIM_SRC] = addr_max;
  domain->max[FWR_DIM_DST] = addr_max;
  domain->max[FWR_DIM_PROTO] = 255;
  domain->max[FWR_DIM_SPORT] = 65535;
  domain->max[FWR_DIM_DPORT] = 65535;
  domain->max[FWR_DIM_ICMP] = 65535;
  domain->max[FWR_DIM_CT] = 4;
  domain->max[FWR_DIM_IIF] = flow->ifaces.n - 1;
  domain->max[FWR_DIM_OIF] = flow->ifaces.n - 1;
  domain->max[FWR_DIM_SZONE] = flow->zone_names.n - 1;
  domain->max[FWR_DIM_DZONE] = flow->zone_names.n - 1;
}

/* The list of sections starts with NULL (nftables, no section). */
static gboolean
section_equal (const char *a, const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

FwrFlow *
_fwr_flow_new (FwrRuleset *ruleset, FwrZoneMap *zones)
{
  FwrFlow *flow = g_new0 (FwrFlow, 1);
  flow->ruleset = ruleset;
  flow->zones = zones;
  universe_init (&flow->ifaces);
  universe_init (&flow->zone_names);
  collect_names (flow);
  domain_init (&flow->domain4, flow, FWR_IPV4_MAX);
  domain_init (&flow->domain6, flow, FWR_U128_MAX);
  flow->domains.domain4 = &flow->domain4;
  flow->domains.domain6 = &flow->domain6;
  flow->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  flow->reached = g_hash_table_new (NULL, NULL);
  flow->loops = g_ptr_array_new_with_free_func (g_free);
  flow->loop_texts = g_ptr_array_new_with_free_func (g_free);

  static const FwrHook hooks[] = { FWR_HOOK_PREROUTING, FWR_HOOK_INPUT, FWR_HOOK_FORWARD,
                                   FWR_HOOK_OUTPUT, FWR_HOOK_POSTROUTING };
  g_autoptr (GPtrArray) sections = g_ptr_array_new ();
  g_ptr_array_add (sections, NULL);
  for (guint i = 0; i < ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (ruleset->chains, i);
      if (chain->section != NULL &&
          !g_ptr_array_find_with_equal_func (sections, chain->section, (GEqualFunc) section_equal, NULL))
        g_ptr_array_add (sections, chain->section);
    }
  for (guint s = 0; s < sections->len; s++)
    for (guint h = 0; h < G_N_ELEMENTS (hooks); h++)
      build_group (flow, hooks[h], g_ptr_array_index (sections, s));
  return flow;
}

void
_fwr_flow_free (FwrFlow *flow)
{
  if (flow == NULL)
    return;
  g_ptr_array_unref (flow->groups);
  g_hash_table_unref (flow->reached);
  g_ptr_array_unref (flow->loops);
  g_ptr_array_unref (flow->loop_texts);
  universe_clear (&flow->ifaces);
  universe_clear (&flow->zone_names);
  g_free (flow);
}
