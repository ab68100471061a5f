/* fwr-rule-filter.h: which rows the Rules page shows. A query (search text, finding, zone class)
 * is answered in a worker thread from the index's plain per-row data, and the answer, a set of
 * rows, is handed to the table's filter in one step on the main thread. */
#pragma once

#include <gtk/gtk.h>
#include "fwr-report-index.h"

G_BEGIN_DECLS

/* What the user asked for, copied so a worker can keep it. */
typedef struct {
  char *search;         /* lower case, NFKD; "" matches every row */
  guint32 check_mask;   /* FWR_ROW_CHECK_ANY or a check's bit; 0 matches every row */
  guint zone_mask;      /* FWR_ZONE_CLASS_BIT of a class; 0 matches every row */
} FwrRuleQuery;

/* (transfer full) search as typed (folded here), check "" "*" or a check name, zone_class -1
 * for none. */
FwrRuleQuery *fwr_rule_query_new          (const char *search, const char *check, int zone_class);
void          fwr_rule_query_free         (FwrRuleQuery *query);
gboolean      fwr_rule_query_equal        (const FwrRuleQuery *a, const FwrRuleQuery *b);
/* Whether the query filters nothing out: no worker needed. */
gboolean      fwr_rule_query_matches_all  (const FwrRuleQuery *query);
/* (transfer full) (nullable) The rows of index that match, NULL when cancelled. Any thread: it
 * reads only what the index never changes. */
GtkBitset    *fwr_rule_query_run          (const FwrRuleQuery *query, FwrReportIndex *index,
                                           GCancellable *cancellable);
/* Runs it in a worker; query is copied, index referenced. */
void          fwr_rule_query_run_async    (const FwrRuleQuery *query, FwrReportIndex *index,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
/* (transfer full) */
GtkBitset    *fwr_rule_query_run_finish   (GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrRuleQuery, fwr_rule_query_free)

/* A GtkFilter over FwrRuleItem rows that passes the rows of a set (all rows while unset). */
#define FWR_TYPE_RULE_FILTER (fwr_rule_filter_get_type ())
G_DECLARE_FINAL_TYPE (FwrRuleFilter, fwr_rule_filter, FWR, RULE_FILTER, GtkFilter)

FwrRuleFilter *fwr_rule_filter_new      (void);
/* rows (nullable, referenced): NULL passes every row. Tells the filter list model how the set
 * changed, so it re-tests only the rows that may have changed. */
void           fwr_rule_filter_set_rows (FwrRuleFilter *self, GtkBitset *rows);

G_END_DECLS
