/* fwr-export-dialog.c: the Export Evidence dialog. The library writes the bundle in a worker
 * (fwr_store_export_evidence, atomically); the dialog pulses meanwhile and reports the result. */
#include "fwr-export-dialog.h"
#include "fwr-app-window-private.h"
#include "fwr-gui-helpers.h"

struct _FwrExportDialog {
  GtkWindow parent_instance;
  GtkButton *export_button;
  GtkButton *cancel_button;
  GtkLabel *device_label;
  GtkEntry *from_entry;
  GtkEntry *to_entry;
  GtkLabel *folder_label;
  GtkProgressBar *progress;
  GtkLabel *status_label;

  FwrAppWindow *window;      /* (not owned) the dialog is destroyed with it */
  char *device;
  char *folder;
  char *bundle;
  gboolean busy;
  gboolean open_when_done;
  guint pulse_source;
};

G_DEFINE_FINAL_TYPE (FwrExportDialog, fwr_export_dialog, GTK_TYPE_WINDOW)

static void
set_busy (FwrExportDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !busy);
  fwr_progress_bar_set_pulsing (self->progress, busy, &self->pulse_source);
}

static void
on_exported (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrExportDialog) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrEvidenceExport) exported = fwr_job_export_evidence_finish (result, &error);
  set_busy (self, FALSE);
  fwr_app_window_end_work (self->window);
  if (exported == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      return;
    }
  g_free (self->bundle);
  self->bundle = g_strdup (exported->dir);
  g_autofree char *text = g_strdup_printf ("Wrote %u files to %s: %u audit records, %u configurations, "
                                           "%u findings, %u reviews, %u changes. Audit head %" G_GINT64_FORMAT ".",
                                           exported->n_files, exported->dir, exported->n_records,
                                           exported->n_snapshots, exported->n_findings, exported->n_reviews,
                                           exported->n_changes, exported->head_seq);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_label_set_label (self->status_label, text);
  gtk_button_set_label (self->cancel_button, "_Close");
  if (self->open_when_done)
    {
      g_autoptr (GFile) folder = g_file_new_for_path (exported->dir);
      g_autofree char *uri = g_file_get_uri (folder);
      gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
    }
}

static GDateTime *
parse_date (GtkEntry *entry, const char *what, GError **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  GDateTime *time = fwr_time_parse (text);
  if (time == NULL)
    g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_INVALID,
                 "the %s date “%s” is not a date like 2025-01-31", what, text);
  return time;
}

static void
export_with (FwrAppWindow *window, FwrIdentity *identity, gpointer data)
{
  FwrExportDialog *self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) from = parse_date (self->from_entry, "first", &error);
  g_autoptr (GDateTime) to = from ? parse_date (self->to_entry, "last", &error) : NULL;
  if (to == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      return;
    }
  /* The day named "to" is part of the period. */
  g_autoptr (GDateTime) to_end = g_date_time_add_seconds (to, 86399);
  g_autofree char *from_text = g_date_time_format (from, "%Y%m%d");
  g_autofree char *to_text = g_date_time_format (to, "%Y%m%d");
  g_autofree char *name = g_strdup_printf ("%s-evidence-%s-%s", self->device, from_text, to_text);
  g_autofree char *dir = g_build_filename (self->folder, name, NULL);
  gtk_label_set_label (self->status_label, "");
  set_busy (self, TRUE);
  fwr_app_window_begin_work (window);
  fwr_job_export_evidence (window->store_path, identity, self->device, from, to_end, dir, NULL,
                           on_exported, g_object_ref (self));
}

void
fwr_export_dialog_run (FwrExportDialog *self)
{
  if (self->busy || self->device == NULL)
    return;
  fwr_app_window_request_identity (self->window, export_with, g_object_ref (self), g_object_unref);
}

static void
folder_chosen (gpointer self, const char *path)
{
  fwr_export_dialog_set_folder (self, path);
}

static void
on_choose_folder (FwrExportDialog *self)
{
  fwr_choose_path (GTK_WINDOW (self), "Choose a Folder for the Bundle",
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "_Choose", NULL, NULL, folder_chosen, self);
}

void
fwr_export_dialog_set_period (FwrExportDialog *self, const char *from, const char *to)
{
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
}

void
fwr_export_dialog_set_folder (FwrExportDialog *self, const char *folder)
{
  g_free (self->folder);
  self->folder = g_strdup (folder);
  gtk_label_set_label (self->folder_label, folder);
}

void
fwr_export_dialog_set_open_when_done (FwrExportDialog *self, gboolean open)
{
  self->open_when_done = open;
}

gboolean
fwr_export_dialog_is_busy (FwrExportDialog *self)
{
  return self->busy;
}

const char *
fwr_export_dialog_get_bundle (FwrExportDialog *self)
{
  return self->bundle;
}

const char *
fwr_export_dialog_get_status (FwrExportDialog *self)
{
  return gtk_label_get_label (self->status_label);
}

FwrExportDialog *
fwr_export_dialog_new (FwrAppWindow *window)
{
  FwrExportDialog *self = g_object_new (FWR_TYPE_EXPORT_DIALOG, "transient-for", window,
                                        "destroy-with-parent", TRUE, NULL);
  self->window = window;
  self->device = g_strdup (fwr_app_window_get_device_name (window));
  gtk_label_set_label (self->device_label, self->device ? self->device : "no device selected");
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->device != NULL);
  /* The checklist's yearly rhythm: the last twelve months by default. */
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) year_ago = g_date_time_add_years (now, -1);
  g_autofree char *to = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *from = g_date_time_format (year_ago, "%Y-%m-%d");
  fwr_export_dialog_set_period (self, from, to);
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  fwr_export_dialog_set_folder (self, documents ? documents : g_get_home_dir ());
  return self;
}

static gboolean
on_close_request (GtkWindow *window)
{
  return FWR_EXPORT_DIALOG (window)->busy;
}

static void
fwr_export_dialog_dispose (GObject *object)
{
  FwrExportDialog *self = FWR_EXPORT_DIALOG (object);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FWR_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (fwr_export_dialog_parent_class)->dispose (object);
}

static void
fwr_export_dialog_finalize (GObject *object)
{
  FwrExportDialog *self = FWR_EXPORT_DIALOG (object);
  g_free (self->device);
  g_free (self->folder);
  g_free (self->bundle);
  G_OBJECT_CLASS (fwr_export_dialog_parent_class)->finalize (object);
}

static void
fwr_export_dialog_class_init (FwrExportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_export_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = fwr_export_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, device_label);
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, from_entry);
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, to_entry);
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, folder_label);
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, FwrExportDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_folder);
  gtk_widget_class_bind_template_callback (widget_class, fwr_export_dialog_run);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fwr_export_dialog_init (FwrExportDialog *self)
{
  self->open_when_done = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}
