/* fwr-rule-list.h: the rules of one analysis as a GListModel whose row objects are made only
 * when a view asks for them, so a ruleset of 100k rules opens at once. */
#pragma once

#include <gio/gio.h>
#include "fwr-report-index.h"

G_BEGIN_DECLS

#define FWR_TYPE_RULE_LIST (fwr_rule_list_get_type ())
G_DECLARE_FINAL_TYPE (FwrRuleList, fwr_rule_list, FWR, RULE_LIST, GObject)

/* (transfer full) index may be NULL: an empty list. */
FwrRuleList    *fwr_rule_list_new       (FwrReportIndex *index);
/* (nullable) */
FwrReportIndex *fwr_rule_list_get_index (FwrRuleList *self);

G_END_DECLS
