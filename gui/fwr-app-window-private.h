/* fwr-app-window-private.h: the window's state, shared by fwr-app-window.c (loading and
 * showing) and fwr-app-window-actions.c (the commands). Nothing else includes it. */
#pragma once

#include "fwr-app-window.h"
#include "fwr-app-jobs.h"
#include "fwr-rules-page.h"
#include "fwr-findings-page.h"
#include "fwr-changes-page.h"
#include "fwr-audit-page.h"
#include "fwr-reviews-page.h"

G_BEGIN_DECLS

/* Called once the user's key is unlocked; identity is borrowed (the window keeps it). */
typedef void (*FwrIdentityReady) (FwrAppWindow *self, FwrIdentity *identity, gpointer data);

struct _FwrAppWindow {
  GtkApplicationWindow parent_instance;

  GtkStack *view_stack;
  GtkListBox *device_list;
  GtkLabel *identity_label;
  GtkInfoBar *audit_banner;
  GtkLabel *audit_banner_label;
  GtkProgressBar *work_bar;
  FwrRulesPage *rules_page;
  FwrFindingsPage *findings_page;
  FwrChangesPage *changes_page;
  FwrAuditPage *audit_page;
  FwrReviewsPage *reviews_page;

  char *store_path;           /* (nullable) */
  FwrStore *store;            /* (nullable) quick reads on the main thread */
  char *identity_path;
  char *public_key;           /* (nullable) who the key file says we are */
  FwrUser *user;              /* (nullable) that key's user in the store */
  FwrIdentity *identity;      /* (nullable) unlocked, kept for the window's life */
  GPtrArray *old_identities;  /* unlocked keys replaced while a job might still sign */
  FwrReportIndex *index;      /* (nullable) what the rules and findings pages show */
  char *pending_device;       /* (nullable) device to select once the sidebar is filled */
  GCancellable *load_cancellable;   /* the device or file being analyzed */
  GCancellable *store_cancellable;  /* work on the whole store: audit verification */
  guint n_jobs;
  guint pulse_source;
};

void     fwr_app_window_install_actions      (GtkWidgetClass *widget_class);
void     fwr_app_window_update_actions       (FwrAppWindow *self);
/* Unlocks the user's key (asking for its passphrase when sealed), then calls ready. */
void     fwr_app_window_request_identity     (FwrAppWindow *self, FwrIdentityReady ready,
                                              gpointer data, GDestroyNotify destroy);
void     fwr_app_window_reload_devices       (FwrAppWindow *self);
/* Shows a worker is busy in the header bar; every begin has one end. */
void     fwr_app_window_begin_work           (FwrAppWindow *self);
void     fwr_app_window_end_work             (FwrAppWindow *self);
void     fwr_app_window_show_error           (FwrAppWindow *self, const char *title,
                                              const GError *error);
void     fwr_app_window_refresh_change_decision (FwrAppWindow *self);
void     fwr_app_window_refresh_review_signoff  (FwrAppWindow *self);
/* (nullable) The selected device's name. */
const char *fwr_app_window_get_device_name     (FwrAppWindow *self);

G_END_DECLS
