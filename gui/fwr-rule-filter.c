/* fwr-rule-filter.c: the Rules page's filtering, off the main thread. Row objects are made
 * lazily on the main thread, so the worker never sees one: it reads the index's search texts
 * and per-row check and zone numbers, and returns the matching rows as a GtkBitset. */
#include "fwr-rule-filter.h"
#include "fwr-rule-item.h"

#include <string.h>

/* Queries */

FwrRuleQuery *
fwr_rule_query_new (const char *search, const char *check, int zone_class)
{
  FwrRuleQuery *query = g_new0 (FwrRuleQuery, 1);
  /* The same folding as the rows' texts, done once here rather than per row. */
  g_autofree char *lower = g_utf8_strdown (search, -1);
  query->search = g_utf8_normalize (lower, -1, G_NORMALIZE_ALL);
  query->check_mask = check[0] ? fwr_report_index_check_mask (check) : 0;
  query->zone_mask = zone_class >= 0 ? FWR_ZONE_CLASS_BIT (zone_class) : 0;
  return query;
}

void
fwr_rule_query_free (FwrRuleQuery *query)
{
  g_free (query->search);
  g_free (query);
}

static FwrRuleQuery *
rule_query_copy (const FwrRuleQuery *query)
{
  FwrRuleQuery *copy = g_memdup2 (query, sizeof *query);
  copy->search = g_strdup (query->search);
  return copy;
}

gboolean
fwr_rule_query_equal (const FwrRuleQuery *a, const FwrRuleQuery *b)
{
  return g_str_equal (a->search, b->search) && a->check_mask == b->check_mask &&
         a->zone_mask == b->zone_mask;
}

gboolean
fwr_rule_query_matches_all (const FwrRuleQuery *query)
{
  return query->search[0] == '\0' && query->check_mask == 0 && query->zone_mask == 0;
}

static gboolean
row_matches (const FwrRuleQuery *query, FwrReportIndex *index, guint row)
{
  if (query->check_mask != 0 && (index->row_checks[row] & query->check_mask) == 0)
    return FALSE;
  if (query->zone_mask != 0 && (index->row_zone_classes[row] & query->zone_mask) == 0)
    return FALSE;
  return query->search[0] == '\0' || strstr (fwr_report_index_get_search_text (index, row), query->search) != NULL;
}

GtkBitset *
fwr_rule_query_run (const FwrRuleQuery *query, FwrReportIndex *index, GCancellable *cancellable)
{
  g_autoptr (GtkBitset) rows = gtk_bitset_new_empty ();
  for (guint row = 0; row < index->rules->len; row++)
    {
      /* A newer query makes this one useless: stop soon after it arrives. */
      if (row % 4096 == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;
      if (row_matches (query, index, row))
        gtk_bitset_add (rows, row);
    }
  return g_steal_pointer (&rows);
}

typedef struct {
  FwrRuleQuery *query;
  FwrReportIndex *index;
} QueryJob;

static void
query_job_free (QueryJob *job)
{
  fwr_rule_query_free (job->query);
  fwr_report_index_unref (job->index);
  g_free (job);
}

static void
run_in_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  QueryJob *job = data;
  GtkBitset *rows = fwr_rule_query_run (job->query, job->index, cancellable);
  if (rows == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the filter changed again");
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) gtk_bitset_unref);
}

void
fwr_rule_query_run_async (const FwrRuleQuery *query, FwrReportIndex *index, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  QueryJob *job = g_new0 (QueryJob, 1);
  job->query = rule_query_copy (query);
  job->index = fwr_report_index_ref (index);
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fwr_rule_query_run_async);
  /* Cancelled before its result is read, a run reports G_IO_ERROR_CANCELLED even when it had
   * finished: the answer to an older query is never applied. */
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, job, (GDestroyNotify) query_job_free);
  g_task_run_in_thread (task, run_in_worker);
}

GtkBitset *
fwr_rule_query_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The filter */

struct _FwrRuleFilter {
  GtkFilter parent_instance;
  GtkBitset *rows;      /* (nullable) NULL: every row */
};

G_DEFINE_FINAL_TYPE (FwrRuleFilter, fwr_rule_filter, GTK_TYPE_FILTER)

static gboolean
fwr_rule_filter_match (GtkFilter *filter, gpointer item)
{
  FwrRuleFilter *self = FWR_RULE_FILTER (filter);
  return self->rows == NULL || gtk_bitset_contains (self->rows, fwr_rule_item_get_row (item));
}

/* ALL and NONE let the filter list model skip asking row by row. */
static GtkFilterMatch
fwr_rule_filter_get_strictness (GtkFilter *filter)
{
  FwrRuleFilter *self = FWR_RULE_FILTER (filter);
  if (self->rows == NULL)
    return GTK_FILTER_MATCH_ALL;
  if (gtk_bitset_is_empty (self->rows))
    return GTK_FILTER_MATCH_NONE;
  return GTK_FILTER_MATCH_SOME;
}

static gboolean
bitset_is_subset (GtkBitset *part, GtkBitset *whole)
{
  g_autoptr (GtkBitset) rest = gtk_bitset_copy (part);
  gtk_bitset_subtract (rest, whole);
  return gtk_bitset_is_empty (rest);
}

static GtkFilterChange
change_between (GtkBitset *before, GtkBitset *after)
{
  if (after == NULL)
    return GTK_FILTER_CHANGE_LESS_STRICT;
  if (before == NULL || bitset_is_subset (after, before))
    return GTK_FILTER_CHANGE_MORE_STRICT;
  if (bitset_is_subset (before, after))
    return GTK_FILTER_CHANGE_LESS_STRICT;
  return GTK_FILTER_CHANGE_DIFFERENT;
}

void
fwr_rule_filter_set_rows (FwrRuleFilter *self, GtkBitset *rows)
{
  g_return_if_fail (FWR_IS_RULE_FILTER (self));
  if (rows == NULL && self->rows == NULL)
    return;
  GtkFilterChange change = change_between (self->rows, rows);
  g_clear_pointer (&self->rows, gtk_bitset_unref);
  self->rows = rows ? gtk_bitset_ref (rows) : NULL;
  gtk_filter_changed (GTK_FILTER (self), change);
}

FwrRuleFilter *
fwr_rule_filter_new (void)
{
  return g_object_new (FWR_TYPE_RULE_FILTER, NULL);
}

static void
fwr_rule_filter_finalize (GObject *object)
{
  g_clear_pointer (&FWR_RULE_FILTER (object)->rows, gtk_bitset_unref);
  G_OBJECT_CLASS (fwr_rule_filter_parent_class)->finalize (object);
}

static void
fwr_rule_filter_class_init (FwrRuleFilterClass *klass)
{
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = fwr_rule_filter_finalize;
  filter_class->match = fwr_rule_filter_match;
  filter_class->get_strictness = fwr_rule_filter_get_strictness;
}

static void
fwr_rule_filter_init (FwrRuleFilter *self)
{
}
