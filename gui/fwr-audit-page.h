/* fwr-audit-page.h: the Audit Log page: every record of the store's tamper-evident log with
 * its signature's status, and the result of the full verification. */
#pragma once

#include <gtk/gtk.h>
#include <fwreview.h>

G_BEGIN_DECLS

#define FWR_TYPE_AUDIT_PAGE (fwr_audit_page_get_type ())
G_DECLARE_FINAL_TYPE (FwrAuditPage, fwr_audit_page, FWR, AUDIT_PAGE, GtkWidget)

/* store is borrowed; NULL empties the page. The records show at once, the verification
 * result when fwr_audit_page_set_report() brings it. */
void   fwr_audit_page_set_store  (FwrAuditPage *self, FwrStore *store);
/* report NULL with error: the verification could not run. */
void   fwr_audit_page_set_report (FwrAuditPage *self, const FwrAuditReport *report,
                                  const GError *error);
guint  fwr_audit_page_get_n_records (FwrAuditPage *self);
/* The status line's text. */
const char *fwr_audit_page_get_status (FwrAuditPage *self);

G_END_DECLS
