/* fwr-application.h: the fwreview desktop application: command-line options, app-wide
 * actions (about, quit) and its windows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FWR_TYPE_APPLICATION (fwr_application_get_type ())
G_DECLARE_FINAL_TYPE (FwrApplication, fwr_application, FWR, APPLICATION, GtkApplication)

/* Not unique: an inspector's machine may have no session bus, and two stores in two
 * processes are fine. */
FwrApplication *fwr_application_new (void);

G_END_DECLS
