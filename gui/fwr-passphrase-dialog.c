/* fwr-passphrase-dialog.c: the passphrase prompt. It never keeps the passphrase: it hands it
 * to the window's unlock job and clears the entry. */
#include "fwr-passphrase-dialog.h"

struct _FwrPassphraseDialog {
  GtkWindow parent_instance;
  GtkLabel *message_label;
  GtkPasswordEntry *entry;
  GtkLabel *error_label;
  GtkButton *unlock_button;
  GtkButton *cancel_button;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (FwrPassphraseDialog, fwr_passphrase_dialog, GTK_TYPE_WINDOW)

enum { SUBMITTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_unlock (FwrPassphraseDialog *self)
{
  if (self->busy)
    return;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  g_signal_emit (self, signals[SUBMITTED], 0, text);
}

static gboolean
on_close_request (GtkWindow *window)
{
  /* Closing while the key is being unlocked would lose the answer. */
  return FWR_PASSPHRASE_DIALOG (window)->busy;
}

void
fwr_passphrase_dialog_show_error (FwrPassphraseDialog *self, const char *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

void
fwr_passphrase_dialog_set_busy (FwrPassphraseDialog *self, gboolean busy)
{
  self->busy = busy;
  /* An entry made insensitive while focused keeps blinking its cursor without focus. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !busy);
}

const char *
fwr_passphrase_dialog_get_error (FwrPassphraseDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

gboolean
fwr_passphrase_dialog_is_busy (FwrPassphraseDialog *self)
{
  return self->busy;
}

void
fwr_passphrase_dialog_submit (FwrPassphraseDialog *self, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  on_unlock (self);
}

FwrPassphraseDialog *
fwr_passphrase_dialog_new (GtkWindow *parent, const char *key_path)
{
  FwrPassphraseDialog *self = g_object_new (FWR_TYPE_PASSPHRASE_DIALOG, "transient-for", parent,
                                            "destroy-with-parent", TRUE, NULL);
  g_autofree char *text = g_strdup_printf ("Your signing key %s is sealed with a passphrase. "
                                           "Type it to sign.", key_path);
  gtk_label_set_label (self->message_label, text);
  return self;
}

static void
fwr_passphrase_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FWR_TYPE_PASSPHRASE_DIALOG);
  G_OBJECT_CLASS (fwr_passphrase_dialog_parent_class)->dispose (object);
}

static void
fwr_passphrase_dialog_class_init (FwrPassphraseDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_passphrase_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;

  signals[SUBMITTED] = g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-passphrase-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FwrPassphraseDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, FwrPassphraseDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, FwrPassphraseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, FwrPassphraseDialog, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, FwrPassphraseDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fwr_passphrase_dialog_init (FwrPassphraseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
