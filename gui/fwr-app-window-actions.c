/* fwr-app-window-actions.c: every command of the main window, installed on its class with
 * gtk_widget_class_install_action, with its keyboard shortcut. Tests drive the app here. */
#include "fwr-app-window-private.h"
#include "fwr-import-dialog.h"
#include "fwr-export-dialog.h"
#include "fwr-gui-helpers.h"

/* Choosing files */

static void
store_chosen (gpointer self, const char *path)
{
  fwr_app_window_open_store (self, path);
}

static void
config_chosen (gpointer self, const char *path)
{
  fwr_app_window_open_config (self, path, NULL);
}

static void
identity_chosen (gpointer self, const char *path)
{
  fwr_app_window_set_identity (self, path);
}

static void
open_store (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_choose_path (GTK_WINDOW (widget), "Open Store", GTK_FILE_CHOOSER_ACTION_OPEN, "_Open",
                   "*.db", "fwreview stores", store_chosen, widget);
}

static void
open_store_file (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_app_window_open_store (FWR_APP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
open_config (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_choose_path (GTK_WINDOW (widget), "Open Configuration File", GTK_FILE_CHOOSER_ACTION_OPEN,
                   "_Open", NULL, NULL, config_chosen, widget);
}

static void
open_config_file (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_app_window_open_config (FWR_APP_WINDOW (widget), g_variant_get_string (parameter, NULL), NULL);
}

static void
choose_identity (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_choose_path (GTK_WINDOW (widget), "Choose Signing Key", GTK_FILE_CHOOSER_ACTION_OPEN, "_Open",
                   "*.key", "fwreview keys", identity_chosen, widget);
}

static void
set_identity_file (GtkWidget *widget, const char *name, GVariant *parameter)
{
  identity_chosen (FWR_APP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Navigation */

static void
select_device (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_app_window_select_device (FWR_APP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_page (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_app_window_show_page (FWR_APP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
focus_search (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  fwr_app_window_show_page (self, "rules");
  fwr_rules_page_focus_search (self->rules_page);
}

static void
filter_rules (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  fwr_app_window_show_page (self, "rules");
  fwr_rules_page_set_search (self->rules_page, g_variant_get_string (parameter, NULL));
}

static void
filter_finding (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  fwr_app_window_show_page (self, "rules");
  fwr_rules_page_set_finding_filter (self->rules_page, g_variant_get_string (parameter, NULL));
}

static void
filter_zone (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  fwr_app_window_show_page (self, "rules");
  fwr_rules_page_set_zone_filter (self->rules_page, g_variant_get_string (parameter, NULL));
}

static void
jump_to_rule (GtkWidget *widget, const char *name, GVariant *parameter)
{
  fwr_app_window_jump_to_rule (FWR_APP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
open_change (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  fwr_app_window_show_page (self, "changes");
  fwr_changes_page_select_change (self->changes_page, g_variant_get_int64 (parameter));
}

static void
refresh (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  if (self->store_path != NULL)
    {
      g_autofree char *path = g_strdup (self->store_path);
      fwr_app_window_open_store (self, path);
    }
}

/* Decisions */

typedef struct {
  gint64 id;
  gboolean approve;
  char *comment;
} Decision;

static void
decision_free (Decision *decision)
{
  g_free (decision->comment);
  g_free (decision);
}

static void
decide_with (FwrAppWindow *self, FwrIdentity *identity, gpointer data)
{
  Decision *decision = data;
  g_autoptr (GError) error = NULL;
  const char *comment = decision->comment[0] ? decision->comment : NULL;
  gboolean done = decision->approve
                  ? fwr_store_approve_change (self->store, identity, decision->id, comment, &error)
                  : fwr_store_reject_change (self->store, identity, decision->id, comment, &error);
  if (!done)
    {
      fwr_app_window_show_error (self, decision->approve ? "The change was not approved"
                                                         : "The change was not rejected", error);
      return;
    }
  fwr_changes_page_reload (self->changes_page);
  fwr_app_window_reload_devices (self);
}

static void
decide (FwrAppWindow *self, gboolean approve)
{
  gint64 id = fwr_changes_page_get_change_id (self->changes_page);
  if (self->store == NULL || id == 0)
    return;
  Decision *decision = g_new0 (Decision, 1);
  decision->id = id;
  decision->approve = approve;
  decision->comment = g_strstrip (g_strdup (fwr_changes_page_get_comment (self->changes_page)));
  fwr_app_window_request_identity (self, decide_with, decision, (GDestroyNotify) decision_free);
}

static void
approve_change (GtkWidget *widget, const char *name, GVariant *parameter)
{
  decide (FWR_APP_WINDOW (widget), TRUE);
}

static void
reject_change (GtkWidget *widget, const char *name, GVariant *parameter)
{
  decide (FWR_APP_WINDOW (widget), FALSE);
}

/* Why the user may not take the decision, or NULL. */
static char *
dup_refusal (FwrAppWindow *self, gint64 id, gboolean approve)
{
  if (self->public_key == NULL)
    return g_strdup ("choose your signing key first (Open menu, Choose Signing Key)");
  g_autoptr (GError) error = NULL;
  if (fwr_store_check_may_decide (self->store, self->public_key, id, approve, &error))
    return NULL;
  return g_strdup (error->message);
}

void
fwr_app_window_refresh_change_decision (FwrAppWindow *self)
{
  gint64 id = fwr_changes_page_get_change_id (self->changes_page);
  g_autofree char *approve = NULL;
  g_autofree char *reject = NULL;
  if (self->store != NULL && id != 0)
    {
      approve = dup_refusal (self, id, TRUE);
      reject = dup_refusal (self, id, FALSE);
    }
  gboolean selected = self->store != NULL && id != 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.approve-change", selected && approve == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reject-change", selected && reject == NULL);
  fwr_changes_page_set_decision_reasons (self->changes_page, approve, reject);
}

/* Reviews */

static void
on_review_started (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrAppWindow) self = data;
  g_autoptr (GError) error = NULL;
  gint64 id = fwr_job_start_review_finish (result, &error);
  fwr_app_window_end_work (self);
  if (id <= 0)
    {
      fwr_app_window_show_error (self, "The review was not started", error);
      return;
    }
  fwr_reviews_page_reload (self->reviews_page);
  fwr_reviews_page_select_review (self->reviews_page, id);
  fwr_app_window_reload_devices (self);
}

static void
start_review_with (FwrAppWindow *self, FwrIdentity *identity, gpointer data)
{
  FwrReviewScope scope;
  const char *device = fwr_app_window_get_device_name (self);
  if (device == NULL || !fwr_review_scope_from_string (data, &scope))
    return;
  fwr_app_window_begin_work (self);
  fwr_job_start_review (self->store_path, identity, device, scope, NULL, on_review_started,
                        g_object_ref (self));
}

static void
start_review (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  if (self->store == NULL)
    return;
  fwr_app_window_show_page (self, "reviews");
  fwr_app_window_request_identity (self, start_review_with,
                                   g_strdup (g_variant_get_string (parameter, NULL)), g_free);
}

static void
decide_review_with (FwrAppWindow *self, FwrIdentity *identity, gpointer data)
{
  GVariant *parameter = data;
  gint64 review;
  const char *rule, *decision_text, *reason;
  g_variant_get (parameter, "(x&s&s&s)", &review, &rule, &decision_text, &reason);
  FwrReviewDecisionKind decision;
  g_autoptr (GError) error = NULL;
  if (!fwr_review_decision_from_string (decision_text, &decision))
    g_set_error (&error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID, "no decision “%s”: keep, tighten or remove",
                 decision_text);
  else
    fwr_store_decide_review (self->store, identity, review, rule, decision, reason, NULL, NULL, 0,
                             NULL, NULL, &error);
  if (error != NULL)
    {
      fwr_app_window_show_error (self, "The decision was not recorded", error);
      return;
    }
  fwr_reviews_page_reload (self->reviews_page);
}

static void
decide_review (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  if (self->store == NULL)
    return;
  fwr_app_window_request_identity (self, decide_review_with, g_variant_ref (parameter),
                                   (GDestroyNotify) g_variant_unref);
}

static void
complete_review_with (FwrAppWindow *self, FwrIdentity *identity, gpointer data)
{
  gint64 id = fwr_reviews_page_get_review_id (self->reviews_page);
  g_autofree char *comment = g_strstrip (g_strdup (fwr_reviews_page_get_signoff_comment (self->reviews_page)));
  g_autoptr (GError) error = NULL;
  if (!fwr_store_complete_review (self->store, identity, id, comment[0] ? comment : NULL, &error))
    {
      fwr_app_window_show_error (self, "The review was not signed off", error);
      return;
    }
  fwr_reviews_page_reload (self->reviews_page);
  fwr_app_window_reload_devices (self);
}

static void
complete_review (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  if (self->store == NULL || fwr_reviews_page_get_review_id (self->reviews_page) == 0)
    return;
  fwr_app_window_request_identity (self, complete_review_with, NULL, NULL);
}

void
fwr_app_window_refresh_review_signoff (FwrAppWindow *self)
{
  gint64 id = fwr_reviews_page_get_review_id (self->reviews_page);
  g_autofree char *reason = NULL;
  if (self->store != NULL && id != 0)
    {
      g_autoptr (GError) error = NULL;
      if (self->public_key == NULL)
        reason = g_strdup ("choose your signing key first (Open menu, Choose Signing Key)");
      else if (!fwr_store_check_may_complete_review (self->store, self->public_key, id, &error))
        reason = g_strdup (error->message);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.complete-review",
                                 self->store != NULL && id != 0 && reason == NULL);
  fwr_reviews_page_set_signoff_reason (self->reviews_page, reason);
}

/* Import and export */

static void
import (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrAppWindow *self = FWR_APP_WINDOW (widget);
  FwrImportDialog *dialog = fwr_import_dialog_new (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_evidence (GtkWidget *widget, const char *name, GVariant *parameter)
{
  FwrExportDialog *dialog = fwr_export_dialog_new (FWR_APP_WINDOW (widget));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
fwr_app_window_update_actions (FwrAppWindow *self)
{
  gboolean store = self->store != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-review", store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-evidence", store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.decide-review", store);
  fwr_app_window_refresh_change_decision (self);
  fwr_app_window_refresh_review_signoff (self);
}

void
fwr_app_window_install_actions (GtkWidgetClass *klass)
{
  gtk_widget_class_install_action (klass, "win.open-store", NULL, open_store);
  gtk_widget_class_install_action (klass, "win.open-store-file", "s", open_store_file);
  gtk_widget_class_install_action (klass, "win.open-config", NULL, open_config);
  gtk_widget_class_install_action (klass, "win.open-config-file", "s", open_config_file);
  gtk_widget_class_install_action (klass, "win.choose-identity", NULL, choose_identity);
  gtk_widget_class_install_action (klass, "win.set-identity-file", "s", set_identity_file);
  gtk_widget_class_install_action (klass, "win.select-device", "s", select_device);
  gtk_widget_class_install_action (klass, "win.show-page", "s", show_page);
  gtk_widget_class_install_action (klass, "win.focus-search", NULL, focus_search);
  gtk_widget_class_install_action (klass, "win.filter-rules", "s", filter_rules);
  gtk_widget_class_install_action (klass, "win.filter-finding", "s", filter_finding);
  gtk_widget_class_install_action (klass, "win.filter-zone", "s", filter_zone);
  gtk_widget_class_install_action (klass, "win.jump-to-rule", "s", jump_to_rule);
  gtk_widget_class_install_action (klass, "win.open-change", "x", open_change);
  gtk_widget_class_install_action (klass, "win.approve-change", NULL, approve_change);
  gtk_widget_class_install_action (klass, "win.reject-change", NULL, reject_change);
  gtk_widget_class_install_action (klass, "win.refresh", NULL, refresh);
  gtk_widget_class_install_action (klass, "win.start-review", "s", start_review);
  gtk_widget_class_install_action (klass, "win.decide-review", "(xsss)", decide_review);
  gtk_widget_class_install_action (klass, "win.complete-review", NULL, complete_review);
  gtk_widget_class_install_action (klass, "win.import", NULL, import);
  gtk_widget_class_install_action (klass, "win.export-evidence", NULL, export_evidence);

  gtk_widget_class_add_binding_action (klass, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-store", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.open-config", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_k, GDK_CONTROL_MASK, "win.choose-identity", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-evidence", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_f, GDK_CONTROL_MASK, "win.focus-search", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_Return, GDK_CONTROL_MASK, "win.approve-change", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_Return, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.reject-change", NULL);
  gtk_widget_class_add_binding_action (klass, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  static const char *pages[] = { "rules", "findings", "changes", "reviews", "audit" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (klass, GDK_KEY_1 + i, GDK_ALT_MASK, "win.show-page", "s", pages[i]);
}
