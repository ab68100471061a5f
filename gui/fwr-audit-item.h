/* fwr-audit-item.h: a row of the audit log table: one record and its signature's status. */
#pragma once

#include <gio/gio.h>
#include <fwreview.h>

G_BEGIN_DECLS

#define FWR_TYPE_AUDIT_ITEM (fwr_audit_item_get_type ())
G_DECLARE_FINAL_TYPE (FwrAuditItem, fwr_audit_item, FWR, AUDIT_ITEM, GObject)

/* Takes record. first_broken is the verification's first broken record, 0 when intact or
 * not verified yet. */
FwrAuditItem *fwr_audit_item_new (FwrAuditRecord *record, gint64 first_broken);
gboolean      fwr_audit_item_get_signature_valid (FwrAuditItem *self);

G_END_DECLS
