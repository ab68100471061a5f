/* fwr-coverage.c: runs each rule's packet space through the rules before it exactly as the
 * kernel would (accept ends only its base chain, drop is final, return skips the rest of its
 * chain), using only the rules the index says can overlap it. */
#include "fwr-coverage-private.h"

/* A rule whose remaining space breaks into more pieces than this is left undecided. */
#define MAX_PIECES 4096

typedef struct {
  FwrFlow *flow;
  FwrFlowGroup *group;
  FwrEntry *subject;       /* (nullable) the rule whose coverage is computed */
  GPtrArray *pending;      /* packets still being evaluated in the current base chain */
  GPtrArray *passed;       /* packets an earlier accept let out of the current base chain */
  GHashTable *returned;    /* frame index -> space that returned from it */
  gboolean overflow;
  gboolean other_verdict;
  GPtrArray *covering;     /* (element-type utf8) ids (borrowed) */
} Sim;

static void
sim_init (Sim *sim, FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GPtrArray *space)
{
  memset (sim, 0, sizeof *sim);
  sim->flow = flow;
  sim->group = group;
  sim->subject = subject;
  sim->pending = _fwr_space_new ();
  _fwr_space_append_copy (sim->pending, space);
  sim->passed = _fwr_space_new ();
  sim->returned = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  sim->covering = g_ptr_array_new ();
}

static void
sim_clear (Sim *sim)
{
  g_ptr_array_unref (sim->pending);
  g_ptr_array_unref (sim->passed);
  g_hash_table_unref (sim->returned);
  g_ptr_array_unref (sim->covering);
}

static gboolean
space_intersects_space (GPtrArray *a, GPtrArray *b)
{
  for (guint i = 0; i < b->len; i++)
    if (_fwr_space_intersects (a, g_ptr_array_index (b, i)))
      return TRUE;
  return FALSE;
}

static void
sim_subtract (Sim *sim, GPtrArray *space)
{
  for (guint i = 0; i < space->len && !sim->overflow; i++)
    if (!_fwr_space_subtract (sim->pending, g_ptr_array_index (space, i), &sim->flow->domains, MAX_PIECES))
      sim->overflow = TRUE;
}

static void
sim_move_overlap (Sim *sim, GPtrArray *space, GPtrArray *into)
{
  for (guint i = 0; i < space->len; i++)
    {
      g_autoptr (GPtrArray) part = _fwr_space_intersect (sim->pending, g_ptr_array_index (space, i));
      _fwr_space_append_copy (into, part);
    }
}

static void
sim_record (Sim *sim, const char *id, gboolean other_verdict)
{
  if (sim->covering->len == 0 || !g_str_equal (g_ptr_array_index (sim->covering, sim->covering->len - 1), id))
    g_ptr_array_add (sim->covering, (gpointer) id);
  sim->other_verdict |= other_verdict;
}

/* A deciding rule: the packets it matches never get past it. */
static void
sim_cover (Sim *sim, FwrEntry *by)
{
  if (!space_intersects_space (sim->pending, by->space))
    return;
  gboolean other = sim->subject == NULL || by->kind != sim->subject->kind || by->kind == FWR_ENTRY_RETURN;
  sim_record (sim, by->rule->id, other);
  sim_subtract (sim, by->space);
}

static void
sim_close_frames (Sim *sim, guint before_pos)
{
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, sim->returned);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FwrFrame *frame = &g_array_index (sim->group->frames, FwrFrame, GPOINTER_TO_UINT (key));
      if (frame->end <= before_pos)
        {
          _fwr_space_append_copy (sim->pending, value);
          g_hash_table_iter_remove (&iter);
        }
    }
}

static gboolean
frame_contains (Sim *sim, guint frame_index, const FwrEntry *entry)
{
  FwrFrame *frame = &g_array_index (sim->group->frames, FwrFrame, frame_index);
  return entry != NULL && entry->pos >= frame->start && entry->pos < frame->end;
}

/* Runs the candidates of base chain `base` (positions sorted) with pos < stop_pos. In the
 * subject's own chain (`own`) an accept decides; in any other it only lets packets through. */
static void
sim_run_base (Sim *sim, GArray *candidates, guint *ci, guint base, guint stop_pos, gboolean own)
{
  for (; *ci < candidates->len; (*ci)++)
    {
      FwrEntry *c = &g_array_index (sim->group->entries, FwrEntry, g_array_index (candidates, guint, *ci));
      if (c->base != base || c->pos >= stop_pos)
        break;
      if (sim->overflow)
        continue;
      sim_close_frames (sim, c->pos);

      if (c->opaque)
        {
          /* It may match less than its space: it may let packets out, but never decides. */
          if (!own && c->kind == FWR_ENTRY_ACCEPT)
            sim_move_overlap (sim, c->space, sim->passed);
          continue;
        }
      switch (c->kind)
        {
        case FWR_ENTRY_PASS:
          break;
        case FWR_ENTRY_ACCEPT:
          if (own)
            sim_cover (sim, c);
          else
            {
              sim_move_overlap (sim, c->space, sim->passed);
              sim_subtract (sim, c->space);
            }
          break;
        case FWR_ENTRY_DROP:
          sim_cover (sim, c);
          break;
        case FWR_ENTRY_RETURN:
          if (frame_contains (sim, c->frame, sim->subject))
            sim_cover (sim, c);
          else
            {
              GPtrArray *returned = g_hash_table_lookup (sim->returned, GUINT_TO_POINTER (c->frame));
              if (returned == NULL)
                {
                  returned = _fwr_space_new ();
                  g_hash_table_insert (sim->returned, GUINT_TO_POINTER (c->frame), returned);
                }
              sim_move_overlap (sim, c->space, returned);
              sim_subtract (sim, c->space);
            }
          break;
        }
    }
}

/* The end of a base chain that is not the subject's: its policy decides what is left. */
static void
sim_end_base (Sim *sim, guint base)
{
  FwrChain *chain = g_ptr_array_index (sim->group->bases, base);
  sim_close_frames (sim, G_MAXUINT);
  if (chain->policy == FWR_ACTION_DROP || chain->policy == FWR_ACTION_REJECT)
    {
      if (sim->pending->len > 0)
        sim_record (sim, chain->id, sim->subject == NULL || sim->subject->kind != FWR_ENTRY_DROP);
      g_ptr_array_set_size (sim->pending, 0);
    }
  _fwr_space_append_copy (sim->pending, sim->passed);
  g_ptr_array_set_size (sim->passed, 0);
}

static long double
cube_volume (FwrFlow *flow, const FwrCube *cube)
{
  const FwrDomain *domain = _fwr_flow_domain (flow, cube->family);
  long double volume = 1.0L;
  for (guint d = 0; d < FWR_DIM_N; d++)
    {
      long double size = 0;
      if (_fwr_cube_is_full_dim (cube, (FwrDim) d))
        size = (long double) domain->max[d] + 1.0L;
      else
        for (guint i = 0; i < cube->dims[d].n; i++)
          size += (long double) (cube->dims[d].spans[i].hi - cube->dims[d].spans[i].lo) + 1.0L;
      volume *= size;
    }
  return volume;
}

/* A quick necessary condition: the candidates together must be at least as large as the
 * subject, or no union of them covers it. Saves the exact run for broad rules. */
static gboolean
may_be_covered (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GArray *candidates)
{
  for (guint b = 0; b < subject->base; b++)
    {
      FwrChain *chain = g_ptr_array_index (group->bases, b);
      if (chain->policy == FWR_ACTION_DROP || chain->policy == FWR_ACTION_REJECT)
        return TRUE;
    }
  long double need = 0, have = 0;
  for (guint i = 0; i < subject->space->len; i++)
    need += cube_volume (flow, g_ptr_array_index (subject->space, i));
  for (guint i = 0; i < candidates->len && have < need; i++)
    {
      FwrEntry *c = &g_array_index (group->entries, FwrEntry, g_array_index (candidates, guint, i));
      if (c->opaque || c->kind == FWR_ENTRY_PASS || (c->kind == FWR_ENTRY_ACCEPT && c->base != subject->base))
        continue;
      for (guint a = 0; a < subject->space->len; a++)
        for (guint k = 0; k < c->space->len; k++)
          {
            g_autoptr (FwrCube) part = _fwr_cube_intersect (g_ptr_array_index (subject->space, a),
                                                             g_ptr_array_index (c->space, k));
            if (part != NULL)
              have += cube_volume (flow, part);
          }
    }
  return have >= need * (1.0L - 1e-12L);
}

static int
compare_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : (x > y);
}

/* Entries that really overlap subject, earlier ones first, then later ones, without repeats. */
static void
find_overlapping (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GArray *earlier, GArray *later)
{
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < subject->space->len; i++)
    _fwr_box_index_query (group->index, flow, g_ptr_array_index (subject->space, i), hits);
  g_array_sort (hits, compare_guint);

  guint last = G_MAXUINT;
  for (guint i = 0; i < hits->len; i++)
    {
      guint pos = g_array_index (hits, guint, i);
      if (pos == last || pos == subject->pos)
        continue;
      last = pos;
      FwrEntry *other = &g_array_index (group->entries, FwrEntry, pos);
      if (!space_intersects_space (subject->space, other->space))
        continue;
      if (pos < subject->pos)
        g_array_append_val (earlier, pos);
      else if (later != NULL && other->base > subject->base)
        g_array_append_val (later, pos);
    }
}

static void
add_unique (GPtrArray **list, const char *id)
{
  if (*list == NULL)
    *list = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < (*list)->len; i++)
    if (g_str_equal (g_ptr_array_index (*list, i), id))
      return;
  g_ptr_array_add (*list, g_strdup (id));
}

/* Earlier rules with another verdict that share packets with subject: informational, so
 * the list is capped and only the count of distinct rules grows. */
static void
note_correlated (FwrFlowGroup *group, FwrEntry *subject, GArray *earlier, FwrRuleCoverage *rc)
{
  g_autoptr (GHashTable) distinct = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < earlier->len; i++)
    {
      FwrEntry *c = &g_array_index (group->entries, FwrEntry, g_array_index (earlier, guint, i));
      if (c->kind == FWR_ENTRY_PASS || c->kind == subject->kind || c->rule == subject->rule)
        continue;
      if (c->kind == FWR_ENTRY_ACCEPT && c->base != subject->base)
        continue;
      g_hash_table_add (distinct, c->rule);
      if (rc->correlated == NULL || rc->correlated->len < FWR_CORRELATED_CAP)
        add_unique (&rc->correlated, c->rule->id);
    }
  rc->n_correlated = MAX (rc->n_correlated, g_hash_table_size (distinct));
}

/* Runs what reaches an accept in an earlier base chain through the later ones: TRUE when
 * they drop all of it. */
static gboolean
accepted_then_dropped (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GPtrArray *reaching,
                       GArray *later, FwrRuleCoverage *rc)
{
  Sim after;
  sim_init (&after, flow, group, NULL, reaching);
  guint ci = 0;
  for (guint b = subject->base + 1; b < group->bases->len && after.pending->len > 0; b++)
    {
      while (ci < later->len &&
             g_array_index (group->entries, FwrEntry, g_array_index (later, guint, ci)).base < b)
        ci++;
      sim_run_base (&after, later, &ci, b, G_MAXUINT, FALSE);
      sim_end_base (&after, b);
    }
  gboolean dropped = !after.overflow && after.pending->len == 0;
  if (dropped)
    for (guint i = 0; i < after.covering->len; i++)
      add_unique (&rc->dropped_by, g_ptr_array_index (after.covering, i));
  sim_clear (&after);
  return dropped;
}

static void
analyze_entry (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, FwrCoverage *coverage)
{
  FwrRuleCoverage *rc = &coverage->rules[subject->rule->ordinal];
  g_autoptr (GArray) earlier = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) later = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean check_later = subject->kind == FWR_ENTRY_ACCEPT && !subject->opaque &&
                         subject->base + 1 < group->bases->len;

  rc->n_entries++;
  find_overlapping (flow, group, subject, earlier, check_later ? later : NULL);

  Sim sim;
  sim_init (&sim, flow, group, subject, subject->space);
  gboolean covered = FALSE;
  /* The later-chain check needs exactly what reaches the subject, so it always runs. */
  if (check_later || may_be_covered (flow, group, subject, earlier))
    {
      guint ci = 0;
      for (guint b = 0; b < subject->base; b++)
        {
          sim_run_base (&sim, earlier, &ci, b, G_MAXUINT, FALSE);
          sim_end_base (&sim, b);
        }
      sim_run_base (&sim, earlier, &ci, subject->base, subject->pos, TRUE);
      /* Packets that returned from a chain finished before the subject come back to it. */
      sim_close_frames (&sim, subject->pos);
      covered = !sim.overflow && sim.pending->len == 0;
    }

  if (sim.overflow)
    {
      rc->n_undecided++;
      coverage->n_undecided++;
    }
  else if (covered)
    {
      rc->n_covered++;
      rc->other_verdict |= sim.other_verdict;
      for (guint i = 0; i < sim.covering->len; i++)
        add_unique (&rc->covering, g_ptr_array_index (sim.covering, i));
    }
  else
    note_correlated (group, subject, earlier, rc);

  if (subject->kind == FWR_ENTRY_ACCEPT && !subject->opaque && !covered && !sim.overflow)
    {
      rc->n_accepts++;
      if (check_later && accepted_then_dropped (flow, group, subject, sim.pending, later, rc))
        rc->n_ineffective++;
    }
  sim_clear (&sim);
}

FwrCoverage *
_fwr_coverage_new (FwrFlow *flow)
{
  FwrCoverage *coverage = g_new0 (FwrCoverage, 1);
  coverage->n_rules = flow->ruleset->n_rules;
  coverage->rules = g_new0 (FwrRuleCoverage, MAX (coverage->n_rules, 1));

  for (guint g = 0; g < flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (flow->groups, g);
      for (guint e = 0; e < group->entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
          if (!entry->synthetic)
            analyze_entry (flow, group, entry, coverage);
        }
    }
  return coverage;
}

void
_fwr_coverage_free (FwrCoverage *coverage)
{
  if (coverage == NULL)
    return;
  for (guint i = 0; i < coverage->n_rules; i++)
    {
      FwrRuleCoverage *rc = &coverage->rules[i];
      g_clear_pointer (&rc->covering, g_ptr_array_unref);
      g_clear_pointer (&rc->dropped_by, g_ptr_array_unref);
      g_clear_pointer (&rc->correlated, g_ptr_array_unref);
    }
  g_free (coverage->rules);
  g_free (coverage);
}
