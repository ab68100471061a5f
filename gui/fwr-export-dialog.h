/* fwr-export-dialog.h: exports a device's evidence bundle for a period into a folder, with a
 * progress bar while the library writes it, and opens the folder when done. */
#pragma once

#include <gtk/gtk.h>
#include "fwr-app-window.h"

G_BEGIN_DECLS

#define FWR_TYPE_EXPORT_DIALOG (fwr_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FwrExportDialog, fwr_export_dialog, FWR, EXPORT_DIALOG, GtkWindow)

FwrExportDialog *fwr_export_dialog_new        (FwrAppWindow *window);
/* Dates as "2025-01-31"; the folder the bundle's own folder is made in. */
void             fwr_export_dialog_set_period (FwrExportDialog *self, const char *from, const char *to);
void             fwr_export_dialog_set_folder (FwrExportDialog *self, const char *folder);
/* Whether to show the folder in the file manager when done (tests say no). */
void             fwr_export_dialog_set_open_when_done (FwrExportDialog *self, gboolean open);
/* Presses Export. */
void             fwr_export_dialog_run        (FwrExportDialog *self);
gboolean         fwr_export_dialog_is_busy    (FwrExportDialog *self);
/* (nullable) The bundle's folder once written. */
const char      *fwr_export_dialog_get_bundle (FwrExportDialog *self);
/* The status line: the error, or what was written. */
const char      *fwr_export_dialog_get_status (FwrExportDialog *self);

G_END_DECLS
