/* fwr-app-window.h: the main window of the fwreview desktop app: a sidebar of devices and
 * pages for rules, findings, changes, reviews and the audit log. */
#pragma once

#include <gtk/gtk.h>
#include <fwreview.h>

G_BEGIN_DECLS

#define FWR_TYPE_APP_WINDOW (fwr_app_window_get_type ())
G_DECLARE_FINAL_TYPE (FwrAppWindow, fwr_app_window, FWR, APP_WINDOW, GtkApplicationWindow)

FwrAppWindow *fwr_app_window_new            (GtkApplication *application);

/* What the window works on; the window actions (fwr-app-window-actions.c) call these. */
gboolean      fwr_app_window_open_store     (FwrAppWindow *self, const char *path);
void          fwr_app_window_open_config    (FwrAppWindow *self, const char *path,
                                             const char *zones_path);
void          fwr_app_window_set_identity   (FwrAppWindow *self, const char *path);
gboolean      fwr_app_window_select_device  (FwrAppWindow *self, const char *name);
gboolean      fwr_app_window_jump_to_rule   (FwrAppWindow *self, const char *rule_id);
gboolean      fwr_app_window_show_page      (FwrAppWindow *self, const char *name);

/* For tests and screenshots: true while a worker thread runs for the window. */
gboolean      fwr_app_window_is_busy        (FwrAppWindow *self);
/* (nullable) The page widgets. */
GtkWidget    *fwr_app_window_get_page       (FwrAppWindow *self, const char *name);
/* (nullable) (transfer none) The signed-in user of the open store. */
const FwrUser *fwr_app_window_get_user      (FwrAppWindow *self);
GtkWidget    *fwr_app_window_get_audit_banner (FwrAppWindow *self);

G_END_DECLS
