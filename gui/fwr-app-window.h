/* fwr-app-window.h: the main window of the fwreview desktop app.
 * One window per open review; its layout lives in fwr-app-window.ui. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FWR_TYPE_APP_WINDOW (fwr_app_window_get_type ())
G_DECLARE_FINAL_TYPE (FwrAppWindow, fwr_app_window, FWR, APP_WINDOW, GtkApplicationWindow)

FwrAppWindow *fwr_app_window_new (GtkApplication *application);

G_END_DECLS
