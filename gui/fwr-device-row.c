/* fwr-device-row.c: a sidebar row. Every number it shows was computed by the library in a
 * worker (fwr-app-jobs.c); the row only words them. */
#include "fwr-device-row.h"
#include "fwr-rule-item.h"

struct _FwrDeviceRow {
  GtkListBoxRow parent_instance;

  GtkImage *icon;
  GtkLabel *name_label;
  GtkLabel *subtitle_label;
  GtkLabel *findings_label;
  GtkLabel *status_label;
  GtkLabel *review_label;

  FwrDeviceStatus *status;   /* (nullable) */
  char *path;                /* (nullable) */
};

G_DEFINE_FINAL_TYPE (FwrDeviceRow, fwr_device_row, GTK_TYPE_LIST_BOX_ROW)

static void
set_counts (FwrDeviceRow *self, const guint *counts)
{
  g_autoptr (GString) markup = g_string_new (NULL);
  g_autoptr (GString) spoken = g_string_new (NULL);
  for (int severity = FWR_SEVERITY_CRITICAL; severity >= FWR_SEVERITY_INFO; severity--)
    {
      if (counts[severity] == 0)
        continue;
      g_autofree char *text = g_strdup_printf ("%u %s", counts[severity],
                                               fwr_severity_to_string (severity));
      g_autofree char *badge = fwr_severity_dup_badge_markup (severity, text);
      g_string_append_printf (markup, "%s%s", markup->len ? " " : "", badge);
      g_string_append_printf (spoken, "%s%s", spoken->len ? ", " : "", text);
    }
  if (markup->len == 0)
    g_string_append (markup, "<span alpha=\"60%\">no findings</span>");
  gtk_label_set_markup (self->findings_label, markup->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->findings_label),
                               spoken->len ? spoken->str : "no findings");
}

static char *
dup_status_markup (const FwrDeviceStatus *status)
{
  GString *out = g_string_new (NULL);
  if (status->error != NULL)
    {
      g_autofree char *error = g_markup_escape_text (status->error, -1);
      g_string_append_printf (out, "<span foreground=\"#c01c28\">%s</span>\n", error);
    }
  else if (!status->has_snapshot)
    g_string_append (out, "no configuration imported yet\n");
  if (status->pending_changes > 0)
    g_string_append_printf (out, "<b>%u pending change%s</b>\n", status->pending_changes,
                            status->pending_changes == 1 ? "" : "s");
  if (status->last_drift_at == NULL)
    g_string_append (out, "drift never checked");
  else
    {
      g_autofree char *date = g_strndup (status->last_drift_at, 10);
      g_string_append_printf (out, status->last_drift
                                   ? "<span foreground=\"#c01c28\">drift found %s</span>"
                                   : "no drift on %s", date);
    }
  return g_string_free (out, FALSE);
}

/* A line per scope that needs attention; a calm device says when its next review is due. */
static char *
dup_reviews_markup (GPtrArray *dues)
{
  GString *out = g_string_new (NULL);
  const FwrReviewDue *next = NULL;
  for (guint i = 0; dues != NULL && i < dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (dues, i);
      g_autofree char *date = g_strndup (due->next_due, 10);
      if (due->status == FWR_REVIEW_DUE_OVERDUE)
        g_string_append_printf (out, "%s<span foreground=\"#c01c28\"><b>%s review overdue</b> since %s</span>",
                                out->len ? "\n" : "", fwr_review_scope_to_string (due->scope), date);
      else if (due->status == FWR_REVIEW_DUE_SOON)
        g_string_append_printf (out, "%s<span foreground=\"#c64600\">%s review due %s</span>",
                                out->len ? "\n" : "", fwr_review_scope_to_string (due->scope), date);
      else if (next == NULL || g_strcmp0 (due->next_due, next->next_due) < 0)
        next = due;
      if (due->open_review_id != 0)
        g_string_append_printf (out, "%s%s review in progress", out->len ? "\n" : "",
                                fwr_review_scope_to_string (due->scope));
    }
  if (out->len == 0 && next != NULL)
    {
      g_autofree char *date = g_strndup (next->next_due, 10);
      g_string_append_printf (out, "next review: %s on %s", fwr_review_scope_to_string (next->scope), date);
    }
  return g_string_free (out, FALSE);
}

FwrDeviceRow *
fwr_device_row_new_for_device (FwrDeviceStatus *status)
{
  FwrDeviceRow *self = g_object_new (FWR_TYPE_DEVICE_ROW, NULL);
  self->status = status;
  gtk_label_set_label (self->name_label, status->device->name);
  g_autofree char *subtitle = g_strdup_printf ("%s · owner %s", status->device->kind,
                                               status->device->owner ? status->device->owner : "not named");
  gtk_label_set_label (self->subtitle_label, subtitle);
  set_counts (self, status->findings);
  g_autofree char *markup = dup_status_markup (status);
  gtk_label_set_markup (self->status_label, markup);
  g_autofree char *reviews = dup_reviews_markup (status->dues);
  fwr_device_row_set_review_text (self, reviews);
  return self;
}

FwrDeviceRow *
fwr_device_row_new_for_file (const char *path)
{
  FwrDeviceRow *self = g_object_new (FWR_TYPE_DEVICE_ROW, NULL);
  self->path = g_strdup (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *folder = g_path_get_dirname (path);
  gtk_image_set_from_icon_name (self->icon, "text-x-generic-symbolic");
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->subtitle_label, folder);
  gtk_label_set_markup (self->findings_label, "<span alpha=\"60%\">analyzing…</span>");
  gtk_label_set_markup (self->status_label, "opened without a store: no changes or reviews");
  return self;
}

void
fwr_device_row_set_findings (FwrDeviceRow *self, FwrReport *report)
{
  guint counts[FWR_SEVERITY_CRITICAL + 1] = { 0 };
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    counts[fwr_finding_get_severity (fwr_report_get_finding (report, i))]++;
  set_counts (self, counts);
}

void
fwr_device_row_set_review_text (FwrDeviceRow *self, const char *markup)
{
  gtk_label_set_markup (self->review_label, markup ? markup : "");
  gtk_widget_set_visible (GTK_WIDGET (self->review_label), markup != NULL && *markup != '\0');
}

const char *
fwr_device_row_get_name (FwrDeviceRow *self)
{
  return self->status ? self->status->device->name : NULL;
}

gint64
fwr_device_row_get_device_id (FwrDeviceRow *self)
{
  return self->status ? self->status->device->id : 0;
}

const char *
fwr_device_row_get_path (FwrDeviceRow *self)
{
  return self->path;
}

static void
fwr_device_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FWR_TYPE_DEVICE_ROW);
  G_OBJECT_CLASS (fwr_device_row_parent_class)->dispose (object);
}

static void
fwr_device_row_finalize (GObject *object)
{
  FwrDeviceRow *self = FWR_DEVICE_ROW (object);
  g_clear_pointer (&self->status, fwr_device_status_free);
  g_free (self->path);
  G_OBJECT_CLASS (fwr_device_row_parent_class)->finalize (object);
}

static void
fwr_device_row_class_init (FwrDeviceRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_device_row_dispose;
  G_OBJECT_CLASS (klass)->finalize = fwr_device_row_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-device-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FwrDeviceRow, icon);
  gtk_widget_class_bind_template_child (widget_class, FwrDeviceRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FwrDeviceRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, FwrDeviceRow, findings_label);
  gtk_widget_class_bind_template_child (widget_class, FwrDeviceRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FwrDeviceRow, review_label);
}

static void
fwr_device_row_init (FwrDeviceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
