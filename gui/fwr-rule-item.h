/* fwr-rule-item.h: one row of the rules table, made when the table asks for it; its texts
 * come from the library's rule and finding calls. */
#pragma once

#include <gtk/gtk.h>
#include "fwr-report-index.h"

G_BEGIN_DECLS

#define FWR_TYPE_RULE_ITEM (fwr_rule_item_get_type ())
G_DECLARE_FINAL_TYPE (FwrRuleItem, fwr_rule_item, FWR, RULE_ITEM, GObject)

FwrRuleItem *fwr_rule_item_new           (FwrReportIndex *index, guint row);
FwrRule     *fwr_rule_item_get_rule      (FwrRuleItem *self);
guint        fwr_rule_item_get_row       (FwrRuleItem *self);
/* (nullable) (element-type FwrFinding) */
GPtrArray   *fwr_rule_item_get_findings  (FwrRuleItem *self);
/* Pango markup of a severity badge, shared by every view that shows one. */
char        *fwr_severity_dup_badge_markup (FwrSeverity severity, const char *text);

G_END_DECLS
