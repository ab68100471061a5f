/* fwr-coverage.c: runs each rule's packet space through the rules before it exactly as the
 * kernel would (accept ends only its base chain, drop is final, return skips the rest of its
 * chain), using only the rules the index says can overlap it. */
#include "fwr-coverage-private.h"


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
  GPtrArray *idioms;       /* (element-type utf8) covering conntrack idioms, listed only alone */
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
  sim->idioms = g_ptr_array_new ();
}

static void
sim_clear (Sim *sim)
{
  g_ptr_array_unref (sim->pending);
  g_ptr_array_unref (sim->passed);
  g_hash_table_unref (sim->returned);
  g_ptr_array_unref (sim->covering);
  g_ptr_array_unref (sim->idioms);
}

static gboolean
space_intersects_space (GPtrArray *a, GPtrArray *b)
{
  for (guint i = 0; i < b->len; i++)
    if (_fwr_space_intersects (a, g_ptr_array_index (b, i)))
      return TRUE;
  return FALSE;
}

/* Removes space from what is pending; TRUE when they shared packets. */
static gboolean
sim_subtract (Sim *sim, GPtrArray *space)
{
  gboolean met = FALSE;
  for (guint i = 0; i < space->len && !sim->overflow; i++)
    {
      gboolean touched = FALSE;
      if (!_fwr_space_subtract (sim->pending, g_ptr_array_index (space, i), &sim->flow->domains, FWR_MAX_PIECES,
                                &touched))
        sim->overflow = TRUE;
      met |= touched;
    }
  return met;
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
sim_record (Sim *sim, const char *id, gboolean other_verdict, gboolean idiom)
{
  GPtrArray *list = idiom ? sim->idioms : sim->covering;
  if (list->len == 0 || !g_str_equal (g_ptr_array_index (list, list->len - 1), id))
    g_ptr_array_add (list, (gpointer) id);
  sim->other_verdict |= other_verdict;
}

/* The rules to name for what was covered: the idioms only when nothing else covered. */
static GPtrArray *
sim_covering (Sim *sim)
{
  return sim->covering->len > 0 ? sim->covering : sim->idioms;
}

/* Rules that only see tracked traffic of old connections or broken packets (ct state
 * established,related accept; ct state invalid drop): every rule formally overlaps them, so
 * listing them as correlated would only be noise. */
static gboolean
rule_is_conntrack_idiom (const FwrRule *rule)
{
  for (guint t = 0; t < rule->n_terms; t++)
    {
      guint states = rule->terms[t].match.ct_states;
      if (states == 0 || (states & FWR_CT_NEW))
        return FALSE;
    }
  return TRUE;
}

/* A deciding rule: the packets it matches never get past it. */
static void
sim_cover (Sim *sim, FwrEntry *by)
{
  /* An overflow leaves the run undecided: what was recorded then no longer matters. */
  if (!sim_subtract (sim, by->space) && !sim->overflow)
    return;
  /* Connection-tracking idioms decide only old or broken traffic, by design: a duplicate of an
   * accept is redundant even though "ct state invalid drop" took the invalid packets first. */
  gboolean idiom = rule_is_conntrack_idiom (by->rule);
  gboolean other = sim->subject == NULL || by->kind == FWR_ENTRY_RETURN ||
                   (by->kind != sim->subject->kind && !idiom);
  sim_record (sim, by->rule->id, other, idiom);
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
        sim_record (sim, chain->id, sim->subject == NULL || sim->subject->kind != FWR_ENTRY_DROP, FALSE);
      g_ptr_array_set_size (sim->pending, 0);
    }
  _fwr_space_append_copy (sim->pending, sim->passed);
  g_ptr_array_set_size (sim->passed, 0);
}

/* Runs the candidates (in evaluation order) of every base chain from `from` on, each ended by
 * its policy: what is left pending is what the hook finally accepts. */
static void
sim_run_bases (Sim *sim, GArray *candidates, guint from)
{
  guint ci = 0;
  for (guint b = from; b < sim->group->bases->len && sim->pending->len > 0; b++)
    {
      sim_run_base (sim, candidates, &ci, b, G_MAXUINT, FALSE);
      sim_end_base (sim, b);
    }
}

static long double
space_volume (FwrFlow *flow, GPtrArray *space)
{
  long double volume = 0;
  for (guint i = 0; i < space->len; i++)
    {
      FwrCube *cube = g_ptr_array_index (space, i);
      volume += _fwr_cube_volume (cube, _fwr_flow_domain (flow, cube->family));
    }
  return volume;
}

/* A quick necessary condition: the candidates together must be at least as large as the
 * subject, or no union of them covers it. Saves the exact run for broad rules. */
static gboolean
may_be_covered (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GPtrArray *space, GArray *candidates)
{
  for (guint b = 0; b < subject->base; b++)
    {
      FwrChain *chain = g_ptr_array_index (group->bases, b);
      if (chain->policy == FWR_ACTION_DROP || chain->policy == FWR_ACTION_REJECT)
        return TRUE;
    }
  long double need = space_volume (flow, space), bound = 0, have = 0;
  /* The candidates' own sizes bound what they can cover: most broad rules stop here. */
  for (guint i = 0; i < candidates->len && bound < need; i++)
    bound += g_array_index (group->entries, FwrEntry, g_array_index (candidates, guint, i)).volume;
  if (bound < need * (1.0L - 1e-12L))
    return FALSE;
  for (guint i = 0; i < candidates->len && have < need; i++)
    {
      FwrEntry *c = &g_array_index (group->entries, FwrEntry, g_array_index (candidates, guint, i));
      if (c->opaque || c->kind == FWR_ENTRY_PASS || (c->kind == FWR_ENTRY_ACCEPT && c->base != subject->base))
        continue;
      for (guint a = 0; a < space->len; a++)
        for (guint k = 0; k < c->space->len; k++)
          {
            FwrCube *mine = g_ptr_array_index (space, a);
            have += _fwr_cube_overlap_volume (mine, g_ptr_array_index (c->space, k),
                                              _fwr_flow_domain (flow, mine->family));
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

/* Appends to out, in evaluation order and once each, the entries before `before` and from
 * `from` on whose space really shares packets with space (the index proposes, the exact test
 * decides). */
static void
overlapping_entries (FwrFlow *flow, FwrFlowGroup *group, GPtrArray *space, guint before, guint from,
                     GArray *out)
{
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < space->len; i++)
    _fwr_box_index_query (group->index, flow, g_ptr_array_index (space, i), before, from, hits);
  g_array_sort (hits, compare_guint);

  for (guint i = 0; i < hits->len; i++)
    {
      guint pos = g_array_index (hits, guint, i);
      if ((i == 0 || pos != g_array_index (hits, guint, i - 1)) &&
          space_intersects_space (space, g_array_index (group->entries, FwrEntry, pos).space))
        g_array_append_val (out, pos);
    }
}

/* The position of the first entry of a later base chain than subject's (the entries' length
 * when there is none). */
static guint
later_chains_start (FwrFlowGroup *group, FwrEntry *subject)
{
  guint lo = subject->pos, hi = group->entries->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (group->entries, FwrEntry, mid).base > subject->base)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* Entries that overlap subject: the earlier ones, and (when later is set) those of later base
 * chains. */
static void
find_overlapping (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GArray *earlier, GArray *later)
{
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));
  overlapping_entries (flow, group, subject->space, subject->pos,
                       later != NULL ? later_chains_start (group, subject) : G_MAXUINT, all);
  for (guint i = 0; i < all->len; i++)
    {
      /* The window asked for nothing else: past subject means a later base chain. */
      guint pos = g_array_index (all, guint, i);
      g_array_append_val (pos < subject->pos ? earlier : later, pos);
    }
}

/* Ids are the model's own strings (rules and chains outlive the coverage): borrowed. */
static void
add_unique (GPtrArray **list, const char *id)
{
  if (*list == NULL)
    *list = g_ptr_array_new ();
  for (guint i = 0; i < (*list)->len; i++)
    if (g_str_equal (g_ptr_array_index (*list, i), id))
      return;
  g_ptr_array_add (*list, (gpointer) id);
}

/* Is every packet of a also in b? Undecidable within the piece limit counts as no. */
static gboolean
space_is_subset (FwrFlow *flow, GPtrArray *a, GPtrArray *b)
{
  /* Most often each cube of a fits in one cube of b, or a cube of a is larger than b in total:
   * both are decided without building anything. */
  gboolean each_in_one = TRUE;
  for (guint i = 0; i < a->len && each_in_one; i++)
    {
      FwrCube *cube = g_ptr_array_index (a, i);
      gboolean inside = FALSE;
      for (guint j = 0; j < b->len && !inside; j++)
        inside = _fwr_cube_is_subset (cube, g_ptr_array_index (b, j));
      each_in_one = inside;
    }
  if (each_in_one)
    return TRUE;
  if (b->len == 1)
    return FALSE;

  g_autoptr (GPtrArray) rest = _fwr_space_new ();
  _fwr_space_append_copy (rest, a);
  for (guint i = 0; i < b->len && rest->len > 0; i++)
    if (!_fwr_space_subtract (rest, g_ptr_array_index (b, i), &flow->domains, FWR_MAX_PIECES, NULL))
      return FALSE;
  return rest->len == 0;
}

/* Earlier rules with another verdict that share some packets with subject but not all of
 * theirs: informational, so the list is capped and only the count of distinct rules grows.
 * An earlier rule wholly inside subject is the usual shape of a policy (specific exceptions,
 * then a broader rule) and not listed. */
static void
note_correlated (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GArray *earlier, FwrRuleCoverage *rc)
{
  if (subject->kind != FWR_ENTRY_ACCEPT && subject->kind != FWR_ENTRY_DROP)
    return;
  g_autoptr (GHashTable) distinct = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < earlier->len; i++)
    {
      FwrEntry *c = &g_array_index (group->entries, FwrEntry, g_array_index (earlier, guint, i));
      if (c->kind == FWR_ENTRY_PASS || c->kind == subject->kind || c->rule == subject->rule)
        continue;
      if ((c->kind == FWR_ENTRY_ACCEPT && c->base != subject->base) || rule_is_conntrack_idiom (c->rule) ||
          space_is_subset (flow, c->space, subject->space))
        continue;
      g_hash_table_add (distinct, c->rule);
      if (rc->correlated == NULL || rc->correlated->len < FWR_CORRELATED_CAP)
        add_unique (&rc->correlated, c->rule->id);
    }
  rc->n_correlated = MAX (rc->n_correlated, g_hash_table_size (distinct));
}

/* Packets of space that later base chains of the hook let through (accept or no verdict). */
static GPtrArray *
survive_later_chains (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GPtrArray *space,
                      GArray *later, GPtrArray **dropped_by, gboolean *overflow)
{
  Sim after;
  sim_init (&after, flow, group, NULL, space);
  sim_run_bases (&after, later, subject->base + 1);
  *overflow = after.overflow;
  GPtrArray *covering = sim_covering (&after);
  for (guint i = 0; i < covering->len; i++)
    add_unique (dropped_by, g_ptr_array_index (covering, i));
  GPtrArray *survivors = g_steal_pointer (&after.pending);
  after.pending = _fwr_space_new ();
  sim_clear (&after);
  return survivors;
}

/* Runs space through the rules before subject: TRUE when no packet of it reaches subject.
 * Sets *overflow when the pieces grew past the limit (then the answer is FALSE). */
static gboolean
space_never_reaches (FwrFlow *flow, FwrFlowGroup *group, FwrEntry *subject, GPtrArray *space,
                     GArray *earlier, Sim *sim, gboolean *overflow)
{
  sim_init (sim, flow, group, subject, space);
  guint ci = 0;
  for (guint b = 0; b < subject->base; b++)
    {
      sim_run_base (sim, earlier, &ci, b, G_MAXUINT, FALSE);
      sim_end_base (sim, b);
    }
  sim_run_base (sim, earlier, &ci, subject->base, subject->pos, TRUE);
  /* Packets that returned from a chain finished before the subject come back to it. */
  sim_close_frames (sim, subject->pos);
  *overflow = sim->overflow;
  return !sim->overflow && sim->pending->len == 0;
}

/* Could the later base chains drop any of subject's packets at all? Only a drop policy or an
 * overlapping drop that is not opaque can (opaque rules never decide in the simulation). */
static gboolean
later_chains_can_drop (FwrFlowGroup *group, FwrEntry *subject, GArray *later)
{
  for (guint b = subject->base + 1; b < group->bases->len; b++)
    {
      FwrChain *chain = g_ptr_array_index (group->bases, b);
      if (chain->policy == FWR_ACTION_DROP || chain->policy == FWR_ACTION_REJECT)
        return TRUE;
    }
  for (guint i = 0; i < later->len; i++)
    {
      FwrEntry *c = &g_array_index (group->entries, FwrEntry, g_array_index (later, guint, i));
      if (c->kind == FWR_ENTRY_DROP && !c->opaque)
        return TRUE;
    }
  return FALSE;
}

/* A group's entries grouped by rule (each rule's in evaluation order), taken by the workers
 * in chunks: all entries of a rule are analyzed by one thread, in order, so each rule's
 * coverage is written as one thread alone would write it, whatever the number of threads. */
typedef struct {
  guint32 *positions;
  guint n;
  gint next;              /* (atomic) start of the next chunk */
} Schedule;

#define CHUNK 64

typedef struct {
  FwrFlow *flow;
  FwrFlowGroup *group;
  FwrCoverage *coverage;
  Schedule *schedule;
  guint n_undecided;
} Worker;

static void
analyze_entry (Worker *worker, FwrEntry *subject)
{
  FwrFlow *flow = worker->flow;
  FwrFlowGroup *group = worker->group;
  FwrRuleCoverage *rc = &worker->coverage->rules[subject->rule->ordinal];
  g_autoptr (GArray) earlier = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) later = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean check_later = subject->kind == FWR_ENTRY_ACCEPT && !subject->opaque &&
                         subject->base + 1 < group->bases->len;

  rc->n_entries++;
  find_overlapping (flow, group, subject, earlier, check_later ? later : NULL);

  Sim sim;
  gboolean covered = FALSE, overflow = FALSE;
  if (may_be_covered (flow, group, subject, subject->space, earlier))
    covered = space_never_reaches (flow, group, subject, subject->space, earlier, &sim, &overflow);
  else
    sim_init (&sim, flow, group, subject, subject->space);

  if (overflow)
    {
      rc->n_undecided++;
      worker->n_undecided++;
    }
  else if (covered)
    {
      rc->n_covered++;
      rc->other_verdict |= sim.other_verdict;
      GPtrArray *covering = sim_covering (&sim);
      for (guint i = 0; i < covering->len; i++)
        add_unique (&rc->covering, g_ptr_array_index (covering, i));
    }
  else
    note_correlated (flow, group, subject, earlier, rc);
  sim_clear (&sim);

  if (subject->kind != FWR_ENTRY_ACCEPT || subject->opaque || covered || overflow)
    return;
  rc->n_accepts++;
  if (!check_later || !later_chains_can_drop (group, subject, later))
    return;

  /* Ineffective when no packet both reaches this accept and survives the later base chains:
   * run the later chains first, then ask whether the survivors ever reach it. The survivors
   * are usually few, so the exact run over the earlier rules stays small. */
  g_autoptr (GPtrArray) dropped_by = NULL;
  gboolean later_overflow = FALSE;
  g_autoptr (GPtrArray) survivors = survive_later_chains (flow, group, subject, subject->space, later,
                                                          &dropped_by, &later_overflow);
  if (later_overflow)
    return;
  gboolean ineffective = survivors->len == 0;
  if (!ineffective && may_be_covered (flow, group, subject, survivors, earlier))
    {
      Sim reach;
      gboolean reach_overflow = FALSE;
      ineffective = space_never_reaches (flow, group, subject, survivors, earlier, &reach, &reach_overflow);
      sim_clear (&reach);
    }
  if (ineffective)
    {
      rc->n_ineffective++;
      for (guint i = 0; dropped_by != NULL && i < dropped_by->len; i++)
        add_unique (&rc->dropped_by, g_ptr_array_index (dropped_by, i));
    }
}

GPtrArray *
_fwr_coverage_accepted (FwrFlow *flow, FwrFlowGroup *group, GPtrArray *space, gboolean *overflow)
{
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint));
  overlapping_entries (flow, group, space, G_MAXUINT, 0, candidates);

  Sim sim;
  sim_init (&sim, flow, group, NULL, space);
  sim_run_bases (&sim, candidates, 0);
  *overflow = sim.overflow;
  GPtrArray *accepted = g_steal_pointer (&sim.pending);
  sim.pending = _fwr_space_new ();
  sim_clear (&sim);
  return accepted;
}

/* Does the i-th scheduled entry belong to the same rule as the one before it? */
static gboolean
continues_rule (FwrFlowGroup *group, const Schedule *schedule, guint i)
{
  if (i == 0 || i >= schedule->n)
    return FALSE;
  return g_array_index (group->entries, FwrEntry, schedule->positions[i]).rule ==
         g_array_index (group->entries, FwrEntry, schedule->positions[i - 1]).rule;
}

/* Entries other than the synthetic ones, grouped by rule ordinal with a counting sort. */
static void
schedule_init (Schedule *schedule, FwrFlowGroup *group, guint n_rules)
{
  g_autofree guint32 *starts = g_new0 (guint32, n_rules + 1);
  guint n = 0;
  for (guint e = 0; e < group->entries->len; e++)
    {
      FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
      if (!entry->synthetic)
        starts[entry->rule->ordinal + 1]++, n++;
    }
  for (guint r = 0; r < n_rules; r++)
    starts[r + 1] += starts[r];
  schedule->positions = g_new (guint32, MAX (n, 1));
  schedule->n = n;
  schedule->next = 0;
  for (guint e = 0; e < group->entries->len; e++)
    {
      FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
      if (!entry->synthetic)
        schedule->positions[starts[entry->rule->ordinal]++] = e;
    }
}

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  FwrFlowGroup *group = worker->group;
  Schedule *schedule = worker->schedule;
  for (;;)
    {
      guint start = (guint) g_atomic_int_add (&schedule->next, CHUNK);
      if (start >= schedule->n)
        return NULL;
      guint end = MIN (start + CHUNK, schedule->n);
      /* A rule belongs to the chunk it starts in. */
      while (start < end && continues_rule (group, schedule, start))
        start++;
      if (start == end)
        continue;
      while (continues_rule (group, schedule, end))
        end++;
      for (guint i = start; i < end; i++)
        analyze_entry (worker, &g_array_index (group->entries, FwrEntry, schedule->positions[i]));
    }
}

static void
analyze_group (FwrFlow *flow, FwrFlowGroup *group, FwrCoverage *coverage, guint n_workers)
{
  /* Written before the workers start: they only read the entries. */
  for (guint e = 0; e < group->entries->len; e++)
    {
      FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
      entry->volume = space_volume (flow, entry->space);
    }

  Schedule schedule;
  schedule_init (&schedule, group, coverage->n_rules);
  Worker *workers = g_newa (Worker, n_workers);
  GThread **threads = g_newa (GThread *, n_workers);
  for (guint w = 0; w < n_workers; w++)
    {
      workers[w] = (Worker) { .flow = flow, .group = group, .coverage = coverage, .schedule = &schedule };
      /* The calling thread is worker 0; a thread that cannot start leaves its share to it. */
      threads[w] = w == 0 ? NULL : g_thread_try_new ("fwr-coverage", worker_run, &workers[w], NULL);
    }
  worker_run (&workers[0]);
  for (guint w = 0; w < n_workers; w++)
    {
      if (threads[w] != NULL)
        g_thread_join (threads[w]);
      coverage->n_undecided += workers[w].n_undecided;
    }
  g_free (schedule.positions);
}

FwrCoverage *
_fwr_coverage_new_full (FwrFlow *flow, guint max_workers, guint min_entries_per_worker)
{
  FwrCoverage *coverage = g_new0 (FwrCoverage, 1);
  coverage->n_rules = flow->ruleset->n_rules;
  coverage->rules = g_new0 (FwrRuleCoverage, MAX (coverage->n_rules, 1));

  for (guint g = 0; g < flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (flow->groups, g);
      guint n_workers = CLAMP (group->entries->len / MAX (min_entries_per_worker, 1), 1, MAX (max_workers, 1));
      analyze_group (flow, group, coverage, n_workers);
      /* Only the coverage needs the index: the checks that follow do not. */
      g_clear_pointer (&group->index, _fwr_box_index_free);
    }
  return coverage;
}

FwrCoverage *
_fwr_coverage_new (FwrFlow *flow)
{
  /* Below a few thousand entries a thread costs more than it saves. */
  return _fwr_coverage_new_full (flow, MIN (g_get_num_processors (), FWR_COVERAGE_MAX_WORKERS), 2048);
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
