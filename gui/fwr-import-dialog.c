/* fwr-import-dialog.c: the Import dialog. The file is read and checked by the library's
 * importer in a worker; with a store open it becomes a signed snapshot of the chosen device,
 * without one the window opens it for analysis. */
#include "fwr-import-dialog.h"
#include "fwr-app-window-private.h"
#include "fwr-device-row.h"
#include "fwr-gui-helpers.h"

struct _FwrImportDialog {
  GtkWindow parent_instance;
  GtkButton *import_button;
  GtkButton *cancel_button;
  GtkLabel *file_label;
  GtkLabel *format_label;
  GtkDropDown *device_dropdown;
  GtkLabel *hint_label;
  GtkLabel *error_label;
  GtkProgressBar *progress;

  FwrAppWindow *window;    /* (not owned) the dialog is destroyed with it */
  char *path;
  GPtrArray *devices;      /* (element-type utf8) */
  gboolean busy;
  guint pulse_source;
};

G_DEFINE_FINAL_TYPE (FwrImportDialog, fwr_import_dialog, GTK_TYPE_WINDOW)

static void
set_busy (FwrImportDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), !busy && self->path != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !busy);
  fwr_progress_bar_set_pulsing (self->progress, busy, &self->pulse_source);
}

static void
show_error (FwrImportDialog *self, const GError *error)
{
  const char *file = NULL;
  guint line = 0, column = 0;
  g_autofree char *text = NULL;
  if (fwr_import_error_get_location (error, &file, &line, &column) && line > 0)
    text = g_strdup_printf ("%s\n(%s, line %u, column %u)", error->message, file, line, column);
  else
    text = g_strdup (error->message);
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
clear_error (FwrImportDialog *self)
{
  gtk_label_set_label (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* Choosing */

void
fwr_import_dialog_set_file (FwrImportDialog *self, const char *path)
{
  g_free (self->path);
  self->path = g_strdup (path);
  gtk_label_set_label (self->file_label, path);
  clear_error (self);

  /* Detection reads the first bytes only, as the importer does. */
  char head[4096];
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) stream = g_file_read (file, NULL, &error);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &length, NULL, &error))
    {
      gtk_label_set_label (self->format_label, "—");
      show_error (self, error);
      set_busy (self, FALSE);
      return;
    }
  FwrFormat format = fwr_format_detect (head, length);
  gtk_label_set_label (self->format_label, format == FWR_FORMAT_UNKNOWN
                                           ? "not recognized"
                                           : fwr_format_to_string (format));
  set_busy (self, FALSE);
}

static void
file_chosen (gpointer self, const char *path)
{
  fwr_import_dialog_set_file (self, path);
}

static void
on_choose (FwrImportDialog *self)
{
  fwr_choose_path (GTK_WINDOW (self), "Choose a Configuration File", GTK_FILE_CHOOSER_ACTION_OPEN,
                   "_Choose", NULL, NULL, file_chosen, self);
}

/* Importing */

static void
on_imported (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrImportDialog) self = data;
  g_autoptr (GError) error = NULL;
  gint64 change = 0;
  gint64 snapshot = fwr_job_import_finish (result, &change, &error);
  set_busy (self, FALSE);
  fwr_app_window_end_work (self->window);
  if (snapshot <= 0)
    {
      show_error (self, error);
      return;
    }
  guint device = gtk_drop_down_get_selected (self->device_dropdown);
  g_free (self->window->pending_device);
  self->window->pending_device = g_strdup (g_ptr_array_index (self->devices, device));
  fwr_app_window_reload_devices (self->window);
  if (change != 0)
    fwr_changes_page_reload (self->window->changes_page);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
import_with (FwrAppWindow *window, FwrIdentity *identity, gpointer data)
{
  FwrImportDialog *self = data;
  guint device = gtk_drop_down_get_selected (self->device_dropdown);
  set_busy (self, TRUE);
  fwr_app_window_begin_work (window);
  fwr_job_import (window->store_path, identity, g_ptr_array_index (self->devices, device), self->path,
                  NULL, on_imported, g_object_ref (self));
}

void
fwr_import_dialog_run (FwrImportDialog *self)
{
  if (self->path == NULL || self->busy)
    return;
  clear_error (self);
  if (self->window->store_path == NULL)
    {
      g_autofree char *path = g_strdup (self->path);
      fwr_app_window_open_config (self->window, path, NULL);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (self->devices->len == 0 ||
      gtk_drop_down_get_selected (self->device_dropdown) >= self->devices->len)
    {
      g_autoptr (GError) error = g_error_new_literal (FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND,
                                                      "this store has no device: add one with “fwreview device add” first");
      show_error (self, error);
      return;
    }
  fwr_app_window_request_identity (self->window, import_with, g_object_ref (self), g_object_unref);
}

const char *
fwr_import_dialog_get_format (FwrImportDialog *self)
{
  return gtk_label_get_label (self->format_label);
}

const char *
fwr_import_dialog_get_error (FwrImportDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

gboolean
fwr_import_dialog_is_busy (FwrImportDialog *self)
{
  return self->busy;
}

static void
fill_devices (FwrImportDialog *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) devices = self->window->store ? fwr_store_list_devices (self->window->store, NULL) : NULL;
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      const FwrDevice *device = g_ptr_array_index (devices, i);
      g_ptr_array_add (self->devices, g_strdup (device->name));
      gtk_string_list_append (names, device->name);
    }
  if (self->window->store == NULL)
    gtk_string_list_append (names, "No store open: analyze only");
  gtk_drop_down_set_model (self->device_dropdown, G_LIST_MODEL (names));
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_dropdown), self->devices->len > 0);
  gtk_label_set_label (self->hint_label,
                       self->window->store
                         ? "The file is kept as a signed backup copy of the device's configuration. "
                           "A device's first import opens its baseline change for a supervisor."
                         : "Without a store the file is only analyzed; nothing is recorded.");
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->window->device_list);
  for (guint i = 0; row != NULL && i < self->devices->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->devices, i), fwr_device_row_get_name (FWR_DEVICE_ROW (row))) == 0)
      gtk_drop_down_set_selected (self->device_dropdown, i);
}

FwrImportDialog *
fwr_import_dialog_new (FwrAppWindow *window)
{
  FwrImportDialog *self = g_object_new (FWR_TYPE_IMPORT_DIALOG, "transient-for", window,
                                        "destroy-with-parent", TRUE, NULL);
  self->window = window;
  fill_devices (self);
  return self;
}

static void
fwr_import_dialog_dispose (GObject *object)
{
  FwrImportDialog *self = FWR_IMPORT_DIALOG (object);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FWR_TYPE_IMPORT_DIALOG);
  G_OBJECT_CLASS (fwr_import_dialog_parent_class)->dispose (object);
}

static void
fwr_import_dialog_finalize (GObject *object)
{
  FwrImportDialog *self = FWR_IMPORT_DIALOG (object);
  g_free (self->path);
  g_ptr_array_unref (self->devices);
  G_OBJECT_CLASS (fwr_import_dialog_parent_class)->finalize (object);
}

static gboolean
on_close_request (GtkWindow *window)
{
  return FWR_IMPORT_DIALOG (window)->busy;
}

static void
fwr_import_dialog_class_init (FwrImportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_import_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = fwr_import_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, format_label);
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, device_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, FwrImportDialog, progress);
  gtk_widget_class_bind_template_callback (widget_class, on_choose);
  gtk_widget_class_bind_template_callback (widget_class, fwr_import_dialog_run);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fwr_import_dialog_init (FwrImportDialog *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
