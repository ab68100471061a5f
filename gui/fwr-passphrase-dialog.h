/* fwr-passphrase-dialog.h: asks for the passphrase of a sealed signing key before the app
 * signs an approval or an import. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FWR_TYPE_PASSPHRASE_DIALOG (fwr_passphrase_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FwrPassphraseDialog, fwr_passphrase_dialog, FWR, PASSPHRASE_DIALOG, GtkWindow)

/* Emits "submitted" (const char *passphrase) when the user unlocks. */
FwrPassphraseDialog *fwr_passphrase_dialog_new        (GtkWindow *parent, const char *key_path);
void                 fwr_passphrase_dialog_show_error (FwrPassphraseDialog *self, const char *message);
/* While busy nothing can be typed, submitted or closed. */
void                 fwr_passphrase_dialog_set_busy   (FwrPassphraseDialog *self, gboolean busy);
/* (nullable) The error shown, NULL when none. */
const char          *fwr_passphrase_dialog_get_error  (FwrPassphraseDialog *self);
gboolean             fwr_passphrase_dialog_is_busy    (FwrPassphraseDialog *self);
/* For tests: types text and presses Unlock. */
void                 fwr_passphrase_dialog_submit     (FwrPassphraseDialog *self, const char *text);

G_END_DECLS
