/* fwr-finding-item.h: a row of the findings tree: a group (one check at one severity, with
 * its count) or one finding, which leads to its rule. */
#pragma once

#include <gio/gio.h>
#include "fwr-report-index.h"

G_BEGIN_DECLS

#define FWR_TYPE_FINDING_ITEM (fwr_finding_item_get_type ())
G_DECLARE_FINAL_TYPE (FwrFindingItem, fwr_finding_item, FWR, FINDING_ITEM, GObject)

/* (element-type FwrFindingItem) The groups of index's findings, worst severity first. */
GListStore *fwr_finding_item_new_groups     (FwrReportIndex *index);
/* (nullable) A group's findings. */
GListModel *fwr_finding_item_get_children   (FwrFindingItem *self);
/* (nullable) The rule a finding is about; NULL for groups and chain or object findings. */
const char *fwr_finding_item_get_rule_id    (FwrFindingItem *self);
const char *fwr_finding_item_get_check      (FwrFindingItem *self);
guint       fwr_finding_item_get_count      (FwrFindingItem *self);

G_END_DECLS
