/* fwr-rules-page.h: the Rules page: every rule of the current configuration in a sortable,
 * searchable table, and the selected rule's match and findings. Searching and filtering run in
 * a worker thread; the table shows the result in one step. */
#pragma once

#include <gtk/gtk.h>
#include "fwr-report-index.h"

G_BEGIN_DECLS

#define FWR_TYPE_RULES_PAGE (fwr_rules_page_get_type ())
G_DECLARE_FINAL_TYPE (FwrRulesPage, fwr_rules_page, FWR, RULES_PAGE, GtkWidget)

/* index NULL shows the empty state. */
void        fwr_rules_page_set_index          (FwrRulesPage *self, FwrReportIndex *index);
void        fwr_rules_page_show_loading       (FwrRulesPage *self, const char *text);
void        fwr_rules_page_show_message       (FwrRulesPage *self, const char *title,
                                               const char *text);
void        fwr_rules_page_set_search         (FwrRulesPage *self, const char *text);
/* "" for every rule, "*" for rules with any finding, else a check name. */
gboolean    fwr_rules_page_set_finding_filter (FwrRulesPage *self, const char *check);
/* "" for every zone, else a zone class ("dmz", "internet", ...) the zones file has. */
gboolean    fwr_rules_page_set_zone_filter    (FwrRulesPage *self, const char *zone_class);
/* Shows and selects rule_id, clearing filters that hide it. FALSE when there is no such rule. */
gboolean    fwr_rules_page_select_rule        (FwrRulesPage *self, const char *rule_id);
/* (nullable) */
const char *fwr_rules_page_get_selected_rule  (FwrRulesPage *self);
/* Rows shown once the filters have finished. */
guint       fwr_rules_page_get_n_shown        (FwrRulesPage *self);
/* (transfer full) The selected rule's details as text, a line per label. */
char       *fwr_rules_page_dup_detail_text    (FwrRulesPage *self);
/* (transfer full) The ids of the rows shown, in order, separated by spaces. */
char       *fwr_rules_page_dup_shown_ids      (FwrRulesPage *self);
/* TRUE while a worker works out the rows a search or filter leaves (the "filtering" property)
 * or the table sorts. */
gboolean    fwr_rules_page_is_filtering       (FwrRulesPage *self);
void        fwr_rules_page_focus_search       (FwrRulesPage *self);

G_END_DECLS
