/* fwr-findings-page.h: the Findings page: the analysis's findings grouped by check and
 * severity with counts; activating one shows its rule. */
#pragma once

#include <gtk/gtk.h>
#include "fwr-report-index.h"

G_BEGIN_DECLS

#define FWR_TYPE_FINDINGS_PAGE (fwr_findings_page_get_type ())
G_DECLARE_FINAL_TYPE (FwrFindingsPage, fwr_findings_page, FWR, FINDINGS_PAGE, GtkWidget)

void        fwr_findings_page_set_index    (FwrFindingsPage *self, FwrReportIndex *index);
/* For tests: the groups shown ("check severity count" per line). */
char       *fwr_findings_page_dup_summary  (FwrFindingsPage *self);
/* Activates the first finding of check, as a click would. FALSE when there is none. */
gboolean    fwr_findings_page_activate_first (FwrFindingsPage *self, const char *check);

G_END_DECLS
