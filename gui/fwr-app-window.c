/* fwr-app-window.c: the main window: opens a store or a file, fills the device sidebar and
 * hands each page what the library computed in a worker. Its commands are in -actions.c. */
#include "fwr-app-window-private.h"
#include "fwr-device-row.h"
#include "fwr-passphrase-dialog.h"
#include "fwr-gui-helpers.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (FwrAppWindow, fwr_app_window, GTK_TYPE_APPLICATION_WINDOW)

/* Work in progress */

void
fwr_app_window_begin_work (FwrAppWindow *self)
{
  if (self->n_jobs++ == 0)
    fwr_progress_bar_set_pulsing (self->work_bar, TRUE, &self->pulse_source);
}

void
fwr_app_window_end_work (FwrAppWindow *self)
{
  g_return_if_fail (self->n_jobs > 0);
  if (--self->n_jobs == 0)
    fwr_progress_bar_set_pulsing (self->work_bar, FALSE, &self->pulse_source);
}

/* The rules page filters in a worker: the header bar shows it like any other work. */
static void
on_rules_filtering (FwrAppWindow *self)
{
  gboolean filtering = FALSE;
  g_object_get (self->rules_page, "filtering", &filtering, NULL);
  if (filtering)
    fwr_app_window_begin_work (self);
  else
    fwr_app_window_end_work (self);
}

gboolean
fwr_app_window_is_busy (FwrAppWindow *self)
{
  return self->n_jobs > 0 || fwr_rules_page_is_filtering (self->rules_page);
}

void
fwr_app_window_show_error (FwrAppWindow *self, const char *title, const GError *error)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", title);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A window callback must not outlive the window: jobs hold a weak pointer. */
static GWeakRef *
weak_self (FwrAppWindow *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  return ref;
}

static FwrAppWindow *
take_weak_self (GWeakRef *ref)
{
  FwrAppWindow *self = g_weak_ref_get (ref);
  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

/* What the pages show */

static void
set_index (FwrAppWindow *self, FwrReportIndex *index)
{
  g_clear_pointer (&self->index, fwr_report_index_unref);
  self->index = index ? fwr_report_index_ref (index) : NULL;
  fwr_rules_page_set_index (self->rules_page, index);
  fwr_findings_page_set_index (self->findings_page, index);
  gtk_window_set_title (GTK_WINDOW (self), index ? index->title : "fwreview");
}

static void
reset_load (FwrAppWindow *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
}

static void
clear_sidebar (FwrAppWindow *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->device_list))) != NULL)
    gtk_list_box_remove (self->device_list, child);
}

/* Identity */

static void
update_identity_label (FwrAppWindow *self)
{
  g_autofree char *markup = NULL;
  if (self->public_key == NULL)
    markup = g_strdup ("No signing key: choose one to approve or import.");
  else if (self->store == NULL)
    markup = g_strdup ("Signing key ready. Open a store to work with it.");
  else if (self->user == NULL)
    markup = g_strdup ("<b>Your key is not registered in this store</b>: you can read, not sign.");
  else
    markup = g_markup_printf_escaped ("Signed in as <b>%s</b> (%s)%s", self->user->name,
                                      fwr_role_to_string (self->user->role),
                                      self->user->revoked_at ? ", <b>revoked</b>" : "");
  gtk_label_set_markup (self->identity_label, markup);
}

static void
lookup_user (FwrAppWindow *self)
{
  g_clear_pointer (&self->user, fwr_user_free);
  if (self->store == NULL || self->public_key == NULL)
    return;
  g_autoptr (GPtrArray) users = fwr_store_list_users (self->store, NULL);
  for (guint i = 0; users != NULL && i < users->len; i++)
    if (g_str_equal (((FwrUser *) g_ptr_array_index (users, i))->public_key, self->public_key))
      self->user = g_ptr_array_steal_index (users, i);
}

void
fwr_app_window_set_identity (FwrAppWindow *self, const char *path)
{
  g_return_if_fail (FWR_IS_APP_WINDOW (self));
  g_free (self->identity_path);
  self->identity_path = g_strdup (path);
  g_clear_pointer (&self->public_key, g_free);
  if (self->identity != NULL)
    g_ptr_array_add (self->old_identities, g_steal_pointer (&self->identity));
  self->public_key = fwr_identity_dup_public_key_from_file (path, NULL);
  lookup_user (self);
  update_identity_label (self);
  fwr_app_window_update_actions (self);
}

const FwrUser *
fwr_app_window_get_user (FwrAppWindow *self)
{
  return self->user;
}

typedef struct {
  FwrIdentityReady ready;
  gpointer data;
  GDestroyNotify destroy;
  FwrAppWindow *window;
  FwrPassphraseDialog *dialog;
} IdentityRequest;

static void
identity_request_free (IdentityRequest *request)
{
  if (request->destroy != NULL)
    request->destroy (request->data);
  g_clear_object (&request->window);
  g_free (request);
}

static void
on_unlocked (GObject *source, GAsyncResult *result, gpointer data)
{
  IdentityRequest *request = data;
  g_autoptr (GError) error = NULL;
  FwrIdentity *identity = fwr_job_unlock_identity_finish (result, &error);
  FwrAppWindow *self = request->window;
  fwr_app_window_end_work (self);
  fwr_passphrase_dialog_set_busy (request->dialog, FALSE);
  if (identity == NULL)
    {
      fwr_passphrase_dialog_show_error (request->dialog, error->message);
      return;
    }
  self->identity = identity;
  gtk_window_destroy (GTK_WINDOW (request->dialog));
}

static void
on_passphrase (FwrPassphraseDialog *dialog, const char *passphrase, IdentityRequest *request)
{
  FwrAppWindow *self = request->window;
  /* The dialog stays open, and cannot be closed, until the worker answers. */
  fwr_passphrase_dialog_set_busy (dialog, TRUE);
  fwr_app_window_begin_work (self);
  fwr_job_unlock_identity (self->identity_path, passphrase, NULL, on_unlocked, request);
}

static void
on_passphrase_dialog_closed (FwrPassphraseDialog *dialog, IdentityRequest *request)
{
  FwrAppWindow *self = request->window;
  if (self->identity != NULL)
    request->ready (self, self->identity, request->data);
  identity_request_free (request);
}

void
fwr_app_window_request_identity (FwrAppWindow *self, FwrIdentityReady ready, gpointer data,
                                 GDestroyNotify destroy)
{
  g_autoptr (GError) error = NULL;
  if (self->identity == NULL && self->identity_path != NULL)
    self->identity = fwr_identity_load (self->identity_path, NULL, &error);
  if (self->identity != NULL)
    {
      ready (self, self->identity, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }
  if (!g_error_matches (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_NEEDS_PASSPHRASE))
    {
      if (error == NULL)
        g_set_error (&error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO,
                     "no signing key chosen: choose one in the Open menu");
      fwr_app_window_show_error (self, "Your signing key cannot be used", error);
      if (destroy != NULL)
        destroy (data);
      return;
    }
  IdentityRequest *request = g_new0 (IdentityRequest, 1);
  request->ready = ready;
  request->data = data;
  request->destroy = destroy;
  /* The dialog is modal to this window: the window outlives it. */
  request->window = g_object_ref (self);
  request->dialog = fwr_passphrase_dialog_new (GTK_WINDOW (self), self->identity_path);
  g_signal_connect (request->dialog, "submitted", G_CALLBACK (on_passphrase), request);
  g_signal_connect (request->dialog, "destroy", G_CALLBACK (on_passphrase_dialog_closed), request);
  gtk_window_present (GTK_WINDOW (request->dialog));
}

/* Devices */

static void
on_statuses (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrAppWindow) self = take_weak_self (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) statuses = fwr_job_device_statuses_finish (result, &error);
  if (self == NULL)
    return;
  fwr_app_window_end_work (self);
  if (statuses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fwr_rules_page_show_message (self->rules_page, "The Store Cannot Be Read", error->message);
      return;
    }
  clear_sidebar (self);
  for (guint i = 0; i < statuses->len; i++)
    {
      FwrDeviceRow *row = fwr_device_row_new_for_device (g_ptr_array_steal_index (statuses, i--));
      gtk_list_box_append (self->device_list, GTK_WIDGET (row));
    }
  if (gtk_widget_get_first_child (GTK_WIDGET (self->device_list)) == NULL)
    {
      fwr_rules_page_show_message (self->rules_page, "No Devices",
                                   "This store has no device yet: add one with “fwreview device add”, then import its configuration.");
      return;
    }
  g_autofree char *wanted = g_steal_pointer (&self->pending_device);
  if (wanted == NULL || !fwr_app_window_select_device (self, wanted))
    gtk_list_box_select_row (self->device_list, gtk_list_box_get_row_at_index (self->device_list, 0));
}

void
fwr_app_window_reload_devices (FwrAppWindow *self)
{
  if (self->store_path == NULL)
    return;
  FwrDeviceRow *row = FWR_DEVICE_ROW (gtk_list_box_get_selected_row (self->device_list));
  if (self->pending_device == NULL && row != NULL && fwr_device_row_get_name (row) != NULL)
    self->pending_device = g_strdup (fwr_device_row_get_name (row));
  reset_load (self);
  fwr_app_window_begin_work (self);
  fwr_job_device_statuses (self->store_path, self->load_cancellable, on_statuses, weak_self (self));
}

static void
on_audit_verified (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrAppWindow) self = take_weak_self (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrAuditReport) report = fwr_job_verify_audit_finish (result, &error);
  if (self == NULL)
    return;
  fwr_app_window_end_work (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  fwr_audit_page_set_report (self->audit_page, report, error);
  g_autofree char *text = NULL;
  if (report == NULL)
    text = g_strdup_printf ("The audit log cannot be verified: %s", error->message);
  else if (!report->intact)
    text = g_strdup_printf ("The audit log failed verification: record %" G_GINT64_FORMAT
                            " is the first broken one (%s). These records cannot be trusted as evidence.",
                            report->first_broken,
                            report->problems->len ? (const char *) g_ptr_array_index (report->problems, 0) : "");
  gtk_label_set_label (self->audit_banner_label, text ? text : "");
  gtk_info_bar_set_revealed (self->audit_banner, text != NULL);
}

static void
verify_audit (FwrAppWindow *self)
{
  fwr_app_window_begin_work (self);
  g_cancellable_cancel (self->store_cancellable);
  g_clear_object (&self->store_cancellable);
  self->store_cancellable = g_cancellable_new ();
  fwr_job_verify_audit (self->store_path, self->store_cancellable, on_audit_verified, weak_self (self));
}

gboolean
fwr_app_window_open_store (FwrAppWindow *self, const char *path)
{
  g_return_val_if_fail (FWR_IS_APP_WINDOW (self), FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (path, &error);
  if (store == NULL)
    {
      fwr_app_window_show_error (self, "The store cannot be opened", error);
      return FALSE;
    }
  g_clear_pointer (&self->store, fwr_store_free);
  self->store = g_steal_pointer (&store);
  g_free (self->store_path);
  self->store_path = g_strdup (path);
  lookup_user (self);
  update_identity_label (self);
  clear_sidebar (self);
  set_index (self, NULL);
  fwr_rules_page_show_loading (self->rules_page, "Reading the store…");
  fwr_changes_page_set_store (self->changes_page, self->store, 0);
  fwr_reviews_page_set_store (self->reviews_page, self->store, 0);
  fwr_audit_page_set_store (self->audit_page, self->store);
  fwr_app_window_reload_devices (self);
  verify_audit (self);
  fwr_app_window_update_actions (self);
  return TRUE;
}

static void
on_device_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrAppWindow) self = take_weak_self (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReportIndex) index = fwr_job_load_device_finish (result, &error);
  if (self == NULL)
    return;
  fwr_app_window_end_work (self);
  if (index == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_index (self, NULL);
          fwr_rules_page_show_message (self->rules_page, "Nothing to Show", error->message);
        }
      return;
    }
  set_index (self, index);
}

static void
on_device_selected (FwrAppWindow *self, GtkListBoxRow *row)
{
  if (row == NULL || self->rules_page == NULL || fwr_device_row_get_name (FWR_DEVICE_ROW (row)) == NULL)
    return;
  gint64 id = fwr_device_row_get_device_id (FWR_DEVICE_ROW (row));
  g_autofree char *text = g_strdup_printf ("Analyzing %s…", fwr_device_row_get_name (FWR_DEVICE_ROW (row)));
  fwr_rules_page_show_loading (self->rules_page, text);
  fwr_findings_page_set_index (self->findings_page, NULL);
  fwr_changes_page_set_store (self->changes_page, self->store, id);
  fwr_reviews_page_set_store (self->reviews_page, self->store, id);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  fwr_app_window_begin_work (self);
  fwr_job_load_device (self->store_path, id, self->load_cancellable, on_device_loaded, weak_self (self));
}

gboolean
fwr_app_window_select_device (FwrAppWindow *self, const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->device_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (fwr_device_row_get_name (FWR_DEVICE_ROW (child)), name) == 0)
      {
        if (gtk_list_box_get_selected_row (self->device_list) == GTK_LIST_BOX_ROW (child))
          on_device_selected (self, GTK_LIST_BOX_ROW (child));
        else
          gtk_list_box_select_row (self->device_list, GTK_LIST_BOX_ROW (child));
        return TRUE;
      }
  return FALSE;
}

/* Files */

static void
on_file_analyzed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrAppWindow) self = take_weak_self (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReportIndex) index = fwr_job_open_file_finish (result, &error);
  if (self == NULL)
    return;
  fwr_app_window_end_work (self);
  if (index == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_index (self, NULL);
      fwr_rules_page_show_message (self->rules_page, "The File Cannot Be Read", error->message);
      return;
    }
  set_index (self, index);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->device_list, 0);
  if (row != NULL)
    fwr_device_row_set_findings (FWR_DEVICE_ROW (row), index->report);
}

/* The samples' convention: X-zones.json beside X.json. */
static char *
dup_zones_beside (const char *path)
{
  const char *dot = strrchr (path, '.');
  g_autofree char *stem = dot && !strchr (dot, '/') ? g_strndup (path, (gsize) (dot - path)) : g_strdup (path);
  char *zones = g_strconcat (stem, "-zones.json", NULL);
  if (g_file_test (zones, G_FILE_TEST_IS_REGULAR))
    return zones;
  g_free (zones);
  return NULL;
}

void
fwr_app_window_open_config (FwrAppWindow *self, const char *path, const char *zones_path)
{
  g_return_if_fail (FWR_IS_APP_WINDOW (self));
  g_autofree char *zones = zones_path ? g_strdup (zones_path) : dup_zones_beside (path);
  g_clear_pointer (&self->store, fwr_store_free);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->user, fwr_user_free);
  update_identity_label (self);
  fwr_changes_page_set_store (self->changes_page, NULL, 0);
  fwr_reviews_page_set_store (self->reviews_page, NULL, 0);
  fwr_audit_page_set_store (self->audit_page, NULL);
  g_cancellable_cancel (self->store_cancellable);
  gtk_info_bar_set_revealed (self->audit_banner, FALSE);
  clear_sidebar (self);
  FwrDeviceRow *row = fwr_device_row_new_for_file (path);
  gtk_list_box_append (self->device_list, GTK_WIDGET (row));
  gtk_list_box_select_row (self->device_list, GTK_LIST_BOX_ROW (row));
  set_index (self, NULL);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *text = g_strdup_printf ("Reading and analyzing %s…", base);
  fwr_rules_page_show_loading (self->rules_page, text);
  reset_load (self);
  fwr_app_window_begin_work (self);
  fwr_job_open_file (path, zones, self->load_cancellable, on_file_analyzed, weak_self (self));
  fwr_app_window_update_actions (self);
}

/* Pages */

gboolean
fwr_app_window_show_page (FwrAppWindow *self, const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->view_stack, name);
  if (page == NULL)
    return FALSE;
  gtk_stack_set_visible_child (self->view_stack, page);
  return TRUE;
}

GtkWidget *
fwr_app_window_get_page (FwrAppWindow *self, const char *name)
{
  return gtk_stack_get_child_by_name (self->view_stack, name);
}

GtkWidget *
fwr_app_window_get_audit_banner (FwrAppWindow *self)
{
  return GTK_WIDGET (self->audit_banner);
}

gboolean
fwr_app_window_jump_to_rule (FwrAppWindow *self, const char *rule_id)
{
  if (!fwr_rules_page_select_rule (self->rules_page, rule_id))
    return FALSE;
  fwr_app_window_show_page (self, "rules");
  return TRUE;
}

const char *
fwr_app_window_get_device_name (FwrAppWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->device_list);
  return row ? fwr_device_row_get_name (FWR_DEVICE_ROW (row)) : NULL;
}

static void
on_change_selected (FwrAppWindow *self)
{
  fwr_app_window_refresh_change_decision (self);
}

/* GObject */

static void
fwr_app_window_dispose (GObject *object)
{
  FwrAppWindow *self = FWR_APP_WINDOW (object);
  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->store_cancellable);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FWR_TYPE_APP_WINDOW);
  G_OBJECT_CLASS (fwr_app_window_parent_class)->dispose (object);
}

static void
fwr_app_window_finalize (GObject *object)
{
  FwrAppWindow *self = FWR_APP_WINDOW (object);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->store_cancellable);
  g_clear_pointer (&self->index, fwr_report_index_unref);
  g_clear_pointer (&self->store, fwr_store_free);
  g_clear_pointer (&self->user, fwr_user_free);
  g_clear_pointer (&self->identity, fwr_identity_free);
  g_ptr_array_unref (self->old_identities);
  g_free (self->store_path);
  g_free (self->identity_path);
  g_free (self->public_key);
  g_free (self->pending_device);
  G_OBJECT_CLASS (fwr_app_window_parent_class)->finalize (object);
}

static void
fwr_app_window_class_init (FwrAppWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fwr_app_window_dispose;
  object_class->finalize = fwr_app_window_finalize;

  g_type_ensure (FWR_TYPE_RULES_PAGE);
  g_type_ensure (FWR_TYPE_FINDINGS_PAGE);
  g_type_ensure (FWR_TYPE_CHANGES_PAGE);
  g_type_ensure (FWR_TYPE_AUDIT_PAGE);
  g_type_ensure (FWR_TYPE_REVIEWS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-app-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, device_list);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, identity_label);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, audit_banner);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, audit_banner_label);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, work_bar);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, rules_page);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, findings_page);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, changes_page);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, audit_page);
  gtk_widget_class_bind_template_child (widget_class, FwrAppWindow, reviews_page);
  gtk_widget_class_bind_template_callback (widget_class, on_device_selected);
  fwr_app_window_install_actions (widget_class);
}

static void
fwr_app_window_init (FwrAppWindow *self)
{
  self->old_identities = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_identity_free);
  self->load_cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->changes_page, "change-selected", G_CALLBACK (on_change_selected), self);
  g_signal_connect_swapped (self->reviews_page, "review-selected", G_CALLBACK (fwr_app_window_refresh_review_signoff), self);
  g_signal_connect_swapped (self->rules_page, "notify::filtering", G_CALLBACK (on_rules_filtering), self);
  GtkWidget *placeholder = gtk_label_new ("Open a store or a configuration file");
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->device_list, placeholder);
  g_autofree char *identity = fwr_identity_dup_default_path ();
  fwr_app_window_set_identity (self, identity);
}

FwrAppWindow *
fwr_app_window_new (GtkApplication *application)
{
  return g_object_new (FWR_TYPE_APP_WINDOW, "application", application, NULL);
}
