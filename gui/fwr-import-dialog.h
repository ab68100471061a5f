/* fwr-import-dialog.h: imports a configuration file: pick it, see its detected format, pick
 * the device it is a backup of, and read any error inline with its file, line and column. */
#pragma once

#include <gtk/gtk.h>
#include "fwr-app-window.h"

G_BEGIN_DECLS

#define FWR_TYPE_IMPORT_DIALOG (fwr_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FwrImportDialog, fwr_import_dialog, FWR, IMPORT_DIALOG, GtkWindow)

FwrImportDialog *fwr_import_dialog_new      (FwrAppWindow *window);
/* As if chosen in the file chooser: detects the format. */
void             fwr_import_dialog_set_file (FwrImportDialog *self, const char *path);
/* Presses Import. */
void             fwr_import_dialog_run      (FwrImportDialog *self);
/* For tests: the detected format's name, the inline error (NULL when none), busy. */
const char      *fwr_import_dialog_get_format (FwrImportDialog *self);
const char      *fwr_import_dialog_get_error  (FwrImportDialog *self);
gboolean         fwr_import_dialog_is_busy    (FwrImportDialog *self);

G_END_DECLS
