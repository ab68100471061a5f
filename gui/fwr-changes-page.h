/* fwr-changes-page.h: the Changes page: a device's change requests; the selected one's
 * semantic diff, the findings it introduces and resolves, its decisions, and the supervisor's
 * Approve and Reject buttons. */
#pragma once

#include <gtk/gtk.h>
#include <fwreview.h>

G_BEGIN_DECLS

#define FWR_TYPE_CHANGES_PAGE (fwr_changes_page_get_type ())
G_DECLARE_FINAL_TYPE (FwrChangesPage, fwr_changes_page, FWR, CHANGES_PAGE, GtkWidget)

/* store is borrowed (the window keeps it open); device_id 0 lists every device's changes. */
void        fwr_changes_page_set_store      (FwrChangesPage *self, FwrStore *store, gint64 device_id);
/* Reads the list again (after a decision), keeping the selection. */
void        fwr_changes_page_reload         (FwrChangesPage *self);
gboolean    fwr_changes_page_select_change  (FwrChangesPage *self, gint64 id);
/* 0 when none is selected. */
gint64      fwr_changes_page_get_change_id  (FwrChangesPage *self);
const char *fwr_changes_page_get_comment    (FwrChangesPage *self);
/* Why approving or rejecting is refused to the user, NULL when allowed: the buttons' tooltips. */
void        fwr_changes_page_set_decision_reasons (FwrChangesPage *self, const char *approve,
                                                   const char *reject);
/* For tests and screenshots. */
GtkWidget  *fwr_changes_page_get_approve_button (FwrChangesPage *self);
GtkWidget  *fwr_changes_page_get_reject_button  (FwrChangesPage *self);
GtkWidget  *fwr_changes_page_get_comment_entry  (FwrChangesPage *self);
gboolean    fwr_changes_page_is_loading     (FwrChangesPage *self);
/* The detail's text, one line per shown entry (tests read what a user reads). */
char       *fwr_changes_page_dup_detail_text (FwrChangesPage *self);

G_END_DECLS
