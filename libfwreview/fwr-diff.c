/* fwr-diff.c: the semantic diff between two rulesets (rules paired per chain by content key,
 * order changes found as the complement of a longest increasing subsequence) and the change
 * in findings, compared by content rather than by rule id. */
#include "fwr-analysis-private.h"

#define MAX_CHANGES 6

struct _FwrDiffEntry {
  FwrDiffKind kind;
  FwrRule *before;
  FwrRule *after;
  FwrChain *before_chain;
  FwrChain *after_chain;
  const char *changes[MAX_CHANGES + 1];
  guint position;          /* for ordering within a chain */
};

struct _FwrDiff {
  FwrRuleset *before;      /* (nullable) */
  FwrRuleset *after;
  GPtrArray *entries;      /* (element-type FwrDiffEntry) */
};

const char *
fwr_diff_kind_to_string (FwrDiffKind kind)
{
  static const char *names[] = { "added", "removed", "modified", "moved", "chain-added",
                                 "chain-removed", "chain-modified" };
  return kind < G_N_ELEMENTS (names) ? names[kind] : "unknown";
}

static char *
dup_verdict_text (const FwrVerdict *verdict)
{
  if (verdict->target != NULL)
    return g_strdup_printf ("%s %s", fwr_action_to_string (verdict->action), verdict->target);
  return g_strdup (fwr_action_to_string (verdict->action));
}

char *
fwr_rule_dup_content_key (const FwrRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);
  g_autofree char *match = fwr_rule_dup_match_text (rule);
  g_autofree char *verdict = dup_verdict_text (&rule->verdict);
  return g_strdup_printf ("%s\x1f%s\x1f%s", rule->chain->id, match, verdict);
}

/* The content key plus everything a reviewer would call a modification of the same rule. */
static char *
dup_full_key (const FwrRule *rule, const char *content_key)
{
  return g_strdup_printf ("%s\x1f%s\x1f%d%d", content_key, rule->comment ? rule->comment : "",
                          rule->enabled, rule->log);
}

static FwrDiffEntry *
add_entry (GPtrArray *entries, FwrDiffKind kind, FwrRule *before, FwrRule *after, guint position)
{
  FwrDiffEntry *entry = g_new0 (FwrDiffEntry, 1);
  entry->kind = kind;
  entry->before = before;
  entry->after = after;
  entry->before_chain = before ? before->chain : NULL;
  entry->after_chain = after ? after->chain : NULL;
  entry->position = position;
  g_ptr_array_add (entries, entry);
  return entry;
}

static void
entry_add_change (FwrDiffEntry *entry, const char *what)
{
  guint n = 0;
  while (n < MAX_CHANGES && entry->changes[n] != NULL)
    n++;
  g_assert (n < MAX_CHANGES);
  entry->changes[n] = what;
}

static void
note_rule_changes (FwrDiffEntry *entry)
{
  const FwrRule *b = entry->before, *a = entry->after;
  g_autofree char *match_b = fwr_rule_dup_match_text (b);
  g_autofree char *match_a = fwr_rule_dup_match_text (a);
  g_autofree char *verdict_b = dup_verdict_text (&b->verdict);
  g_autofree char *verdict_a = dup_verdict_text (&a->verdict);

  if (!g_str_equal (match_b, match_a))
    entry_add_change (entry, "match");
  if (!g_str_equal (verdict_b, verdict_a))
    entry_add_change (entry, "verdict");
  if (g_strcmp0 (b->comment, a->comment) != 0)
    entry_add_change (entry, "comment");
  if (b->log != a->log)
    entry_add_change (entry, "log");
  if (b->enabled != a->enabled)
    entry_add_change (entry, "enabled");
}

/* One side of a chain's rules with their keys and partners. */
typedef struct {
  GPtrArray *rules;        /* borrowed FwrRule */
  GPtrArray *content;      /* (element-type utf8) content keys */
  GPtrArray *full;         /* (element-type utf8) full keys */
  int *partner;            /* index on the other side, or -1 */
} Side;

static void
side_init (Side *side, FwrChain *chain)
{
  side->rules = chain->rules;
  side->content = g_ptr_array_new_full (chain->rules->len, g_free);
  side->full = g_ptr_array_new_full (chain->rules->len, g_free);
  side->partner = g_new (int, chain->rules->len);
  for (guint i = 0; i < chain->rules->len; i++)
    {
      FwrRule *rule = g_ptr_array_index (chain->rules, i);
      char *content = fwr_rule_dup_content_key (rule);
      g_ptr_array_add (side->full, dup_full_key (rule, content));
      g_ptr_array_add (side->content, content);
      side->partner[i] = -1;
    }
}

static void
side_clear (Side *side)
{
  g_ptr_array_unref (side->content);
  g_ptr_array_unref (side->full);
  g_free (side->partner);
}

/* Pairs still-unpaired rules with equal keys, the k-th before with the k-th after, which
 * keeps duplicates in their relative order. */
static void
pair_by_key (Side *before, Side *after, GPtrArray *before_keys, GPtrArray *after_keys)
{
  g_autoptr (GHashTable) queues = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_queue_free);
  for (guint i = 0; i < before->rules->len; i++)
    {
      if (before->partner[i] >= 0)
        continue;
      const char *key = g_ptr_array_index (before_keys, i);
      GQueue *queue = g_hash_table_lookup (queues, key);
      if (queue == NULL)
        g_hash_table_insert (queues, (gpointer) key, queue = g_queue_new ());
      g_queue_push_tail (queue, GUINT_TO_POINTER (i));
    }
  for (guint j = 0; j < after->rules->len; j++)
    {
      if (after->partner[j] >= 0)
        continue;
      GQueue *queue = g_hash_table_lookup (queues, g_ptr_array_index (after_keys, j));
      if (queue == NULL || g_queue_is_empty (queue))
        continue;
      guint i = GPOINTER_TO_UINT (g_queue_pop_head (queue));
      before->partner[i] = (int) j;
      after->partner[j] = (int) i;
    }
}

/* Pairs unpaired rules whose non-empty comment is unique among the unpaired on both sides:
 * "allow ssh from office" with a new source is the same rule, modified. */
static void
pair_by_comment (Side *before, Side *after)
{
  g_autoptr (GHashTable) before_by_comment = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) after_count = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) before_count = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < before->rules->len; i++)
    {
      FwrRule *rule = g_ptr_array_index (before->rules, i);
      if (before->partner[i] >= 0 || rule->comment == NULL || *rule->comment == '\0')
        continue;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (before_count, rule->comment));
      g_hash_table_insert (before_count, rule->comment, GUINT_TO_POINTER (n + 1));
      g_hash_table_insert (before_by_comment, rule->comment, GUINT_TO_POINTER (i));
    }
  for (guint j = 0; j < after->rules->len; j++)
    {
      FwrRule *rule = g_ptr_array_index (after->rules, j);
      if (after->partner[j] >= 0 || rule->comment == NULL)
        continue;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (after_count, rule->comment));
      g_hash_table_insert (after_count, rule->comment, GUINT_TO_POINTER (n + 1));
    }
  for (guint j = 0; j < after->rules->len; j++)
    {
      FwrRule *rule = g_ptr_array_index (after->rules, j);
      if (after->partner[j] >= 0 || rule->comment == NULL ||
          GPOINTER_TO_UINT (g_hash_table_lookup (after_count, rule->comment)) != 1 ||
          GPOINTER_TO_UINT (g_hash_table_lookup (before_count, rule->comment)) != 1)
        continue;
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (before_by_comment, rule->comment));
      before->partner[i] = (int) j;
      after->partner[j] = (int) i;
    }
}

/* Marks in keep[] the after rules, among those with full-key partners, that form a longest
 * run whose before positions increase: those kept their order; the others moved. */
static void
mark_longest_in_order (Side *after, const gboolean *full_pair, gboolean *keep)
{
  guint m = after->rules->len;
  g_autofree guint *tails = g_new (guint, m + 1);  /* tails[k]: after index ending a run of k+1 */
  g_autofree int *prev = g_new (int, m);
  guint length = 0;

  for (guint j = 0; j < m; j++)
    {
      prev[j] = -1;
      if (!full_pair[j])
        continue;
      int value = after->partner[j];
      guint lo = 0, hi = length;
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;
          if (after->partner[tails[mid]] < value)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo > 0)
        prev[j] = (int) tails[lo - 1];
      tails[lo] = j;
      if (lo == length)
        length++;
    }
  for (int j = length > 0 ? (int) tails[length - 1] : -1; j >= 0; j = prev[j])
    keep[j] = TRUE;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const FwrDiffEntry *ea = *(FwrDiffEntry * const *) a;
  const FwrDiffEntry *eb = *(FwrDiffEntry * const *) b;
  if (ea->position != eb->position)
    return ea->position < eb->position ? -1 : 1;
  return ea->kind < eb->kind ? -1 : ea->kind > eb->kind;
}

static void
diff_chain_rules (GPtrArray *entries, FwrChain *before_chain, FwrChain *after_chain)
{
  Side before, after;
  side_init (&before, before_chain);
  side_init (&after, after_chain);
  guint m = after.rules->len;
  g_autofree gboolean *full_pair = g_new0 (gboolean, m);
  g_autofree gboolean *keep = g_new0 (gboolean, m);

  pair_by_key (&before, &after, before.full, after.full);
  for (guint j = 0; j < m; j++)
    full_pair[j] = after.partner[j] >= 0;
  pair_by_key (&before, &after, before.content, after.content);
  pair_by_comment (&before, &after);
  mark_longest_in_order (&after, full_pair, keep);

  g_autoptr (GPtrArray) chain_entries = g_ptr_array_new ();
  for (guint j = 0; j < m; j++)
    {
      FwrRule *rule = g_ptr_array_index (after.rules, j);
      if (after.partner[j] < 0)
        add_entry (chain_entries, FWR_DIFF_ADDED, NULL, rule, j);
      else if (!full_pair[j])
        note_rule_changes (add_entry (chain_entries, FWR_DIFF_MODIFIED,
                                      g_ptr_array_index (before.rules, after.partner[j]), rule, j));
      else if (!keep[j])
        add_entry (chain_entries, FWR_DIFF_MOVED,
                   g_ptr_array_index (before.rules, after.partner[j]), rule, j);
    }
  for (guint i = 0; i < before.rules->len; i++)
    if (before.partner[i] < 0)
      add_entry (chain_entries, FWR_DIFF_REMOVED, g_ptr_array_index (before.rules, i), NULL, i);
  g_ptr_array_sort (chain_entries, compare_entries);
  g_ptr_array_extend_and_steal (entries, g_steal_pointer (&chain_entries));

  side_clear (&before);
  side_clear (&after);
}

static void
diff_chain (GPtrArray *entries, FwrChain *before, FwrChain *after)
{
  FwrDiffKind kind = before == NULL ? FWR_DIFF_CHAIN_ADDED : FWR_DIFF_CHAIN_REMOVED;
  FwrChain *only = before == NULL ? after : before;

  if (before != NULL && after != NULL)
    {
      FwrDiffEntry probe = { .kind = FWR_DIFF_CHAIN_MODIFIED };
      if (before->type != after->type)
        entry_add_change (&probe, "type");
      if (before->hook != after->hook)
        entry_add_change (&probe, "hook");
      if (before->priority != after->priority)
        entry_add_change (&probe, "priority");
      if (before->policy != after->policy)
        entry_add_change (&probe, "policy");
      if (g_strcmp0 (before->comment, after->comment) != 0)
        entry_add_change (&probe, "comment");
      if (probe.changes[0] != NULL)
        {
          FwrDiffEntry *entry = add_entry (entries, FWR_DIFF_CHAIN_MODIFIED, NULL, NULL, 0);
          memcpy (entry->changes, probe.changes, sizeof probe.changes);
          entry->before_chain = before;
          entry->after_chain = after;
        }
      diff_chain_rules (entries, before, after);
      return;
    }

  FwrDiffEntry *entry = add_entry (entries, kind, NULL, NULL, 0);
  entry->before_chain = before;
  entry->after_chain = after;
  for (guint i = 0; i < only->rules->len; i++)
    {
      FwrRule *rule = g_ptr_array_index (only->rules, i);
      add_entry (entries, before == NULL ? FWR_DIFF_ADDED : FWR_DIFF_REMOVED,
                 before == NULL ? NULL : rule, before == NULL ? rule : NULL, i);
    }
}

FwrDiff *
fwr_diff_new (FwrRuleset *before, FwrRuleset *after)
{
  g_return_val_if_fail (after != NULL, NULL);

  FwrDiff *self = g_new0 (FwrDiff, 1);
  self->before = before ? fwr_ruleset_ref (before) : NULL;
  self->after = fwr_ruleset_ref (after);
  self->entries = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < after->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (after->chains, c);
      diff_chain (self->entries, before ? fwr_ruleset_lookup_chain (before, chain->id) : NULL, chain);
    }
  for (guint c = 0; before != NULL && c < before->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (before->chains, c);
      if (fwr_ruleset_lookup_chain (after, chain->id) == NULL)
        diff_chain (self->entries, chain, NULL);
    }
  return self;
}

void
fwr_diff_free (FwrDiff *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->entries);
  g_clear_pointer (&self->before, fwr_ruleset_unref);
  fwr_ruleset_unref (self->after);
  g_free (self);
}

gboolean fwr_diff_is_empty (const FwrDiff *self) { return self->entries->len == 0; }
guint fwr_diff_get_n_entries (const FwrDiff *self) { return self->entries->len; }

const FwrDiffEntry *
fwr_diff_get_entry (const FwrDiff *self, guint index)
{
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_ptr_array_index (self->entries, index);
}

guint
fwr_diff_count (const FwrDiff *self, FwrDiffKind kind)
{
  guint n = 0;
  for (guint i = 0; i < self->entries->len; i++)
    n += ((FwrDiffEntry *) g_ptr_array_index (self->entries, i))->kind == kind;
  return n;
}

FwrDiffKind fwr_diff_entry_get_kind (const FwrDiffEntry *self) { return self->kind; }
FwrRule *fwr_diff_entry_get_before (const FwrDiffEntry *self) { return self->before; }
FwrRule *fwr_diff_entry_get_after (const FwrDiffEntry *self) { return self->after; }
FwrChain *fwr_diff_entry_get_before_chain (const FwrDiffEntry *self) { return self->before_chain; }
FwrChain *fwr_diff_entry_get_after_chain (const FwrDiffEntry *self) { return self->after_chain; }
const char * const *fwr_diff_entry_get_changes (const FwrDiffEntry *self) { return self->changes; }

/* Risk delta */

struct _FwrRiskDelta {
  FwrReport *before;       /* (nullable) */
  FwrReport *after;
  GPtrArray *new_findings; /* borrowed from after */
  GPtrArray *resolved;     /* borrowed from before */
};

static char *
dup_finding_key (const FwrFinding *finding)
{
  g_autofree char *subject = finding->rule ? fwr_rule_dup_content_key (finding->rule)
                                           : g_strdup (finding->subject_id);
  return g_strdup_printf ("%s\x1e%s", finding->check->name, subject);
}

/* Appends to out the findings of report whose key the other report lacks, as multisets:
 * two identical findings before and one after leave one resolved. */
static void
collect_unmatched (const FwrReport *report, const FwrReport *other, GPtrArray *out)
{
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; other != NULL && i < fwr_report_get_n_findings (other); i++)
    {
      char *key = dup_finding_key (fwr_report_get_finding (other, i));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
      g_hash_table_replace (counts, key, GUINT_TO_POINTER (n + 1));
    }
  for (guint i = 0; report != NULL && i < fwr_report_get_n_findings (report); i++)
    {
      const FwrFinding *finding = fwr_report_get_finding (report, i);
      g_autofree char *key = dup_finding_key (finding);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
      if (n > 0)
        g_hash_table_replace (counts, g_steal_pointer (&key), GUINT_TO_POINTER (n - 1));
      else
        g_ptr_array_add (out, (gpointer) finding);
    }
}

FwrRiskDelta *
fwr_risk_delta_new (FwrRuleset *before, FwrRuleset *after, FwrZoneMap *zones)
{
  g_return_val_if_fail (after != NULL, NULL);

  FwrRiskDelta *self = g_new0 (FwrRiskDelta, 1);
  self->before = before ? fwr_analyze (before, zones) : NULL;
  self->after = fwr_analyze (after, zones);
  self->new_findings = g_ptr_array_new ();
  self->resolved = g_ptr_array_new ();
  collect_unmatched (self->after, self->before, self->new_findings);
  collect_unmatched (self->before, self->after, self->resolved);
  return self;
}

void
fwr_risk_delta_free (FwrRiskDelta *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->new_findings);
  g_ptr_array_unref (self->resolved);
  g_clear_pointer (&self->before, fwr_report_free);
  fwr_report_free (self->after);
  g_free (self);
}

const FwrReport *fwr_risk_delta_get_before_report (const FwrRiskDelta *self) { return self->before; }
const FwrReport *fwr_risk_delta_get_after_report (const FwrRiskDelta *self) { return self->after; }
guint fwr_risk_delta_get_n_new (const FwrRiskDelta *self) { return self->new_findings->len; }
guint fwr_risk_delta_get_n_resolved (const FwrRiskDelta *self) { return self->resolved->len; }

const FwrFinding *
fwr_risk_delta_get_new (const FwrRiskDelta *self, guint index)
{
  g_return_val_if_fail (index < self->new_findings->len, NULL);
  return g_ptr_array_index (self->new_findings, index);
}

const FwrFinding *
fwr_risk_delta_get_resolved (const FwrRiskDelta *self, guint index)
{
  g_return_val_if_fail (index < self->resolved->len, NULL);
  return g_ptr_array_index (self->resolved, index);
}
