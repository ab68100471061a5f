/* fwr-audit-page.c: the Audit Log page. Records are read on the main thread (one query);
 * the whole-log verification, which rehashes every snapshot, comes from a worker. */
#include "fwr-audit-page.h"
#include "fwr-gui-helpers.h"
#include "fwr-audit-item.h"

struct _FwrAuditPage {
  GtkWidget parent_instance;
  GtkImage *status_icon;
  GtkLabel *status_label;
  GtkColumnView *column_view;
  GListStore *records;
  FwrStore *store;         /* (not owned) */
  gint64 first_broken;
};

G_DEFINE_FINAL_TYPE (FwrAuditPage, fwr_audit_page, GTK_TYPE_WIDGET)

static void
load_records (FwrAuditPage *self)
{
  g_list_store_remove_all (self->records);
  if (self->store == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = fwr_store_list_audit (self->store, &error);
  if (records == NULL)
    {
      g_autofree char *text = g_markup_printf_escaped ("The audit log cannot be read: %s", error->message);
      gtk_label_set_markup (self->status_label, text);
      return;
    }
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (items, fwr_audit_item_new (g_ptr_array_steal_index (records, i--), self->first_broken));
  g_list_store_splice (self->records, 0, 0, items->pdata, items->len);
}

void
fwr_audit_page_set_store (FwrAuditPage *self, FwrStore *store)
{
  self->store = store;
  self->first_broken = 0;
  gtk_image_set_from_icon_name (self->status_icon, "content-loading-symbolic");
  gtk_label_set_markup (self->status_label, store ? "Verifying the audit log…"
                                                  : "Open a store to see its audit log.");
  load_records (self);
}

void
fwr_audit_page_set_report (FwrAuditPage *self, const FwrAuditReport *report, const GError *error)
{
  g_autofree char *markup = NULL;
  if (report == NULL)
    {
      markup = g_markup_printf_escaped ("<b>The audit log cannot be verified</b>: %s", error->message);
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
    }
  else if (report->intact)
    {
      markup = g_markup_printf_escaped ("<b>Intact</b>: %" G_GUINT64_FORMAT " records, every signature, "
                                        "the hash chain and every stored row check out. Head hash "
                                        "<tt>%s</tt>: keep it elsewhere to detect a rewrite of the whole log.",
                                        report->n_records, report->head_sha256 ? report->head_sha256 : "none");
      gtk_image_set_from_icon_name (self->status_icon, "emblem-ok-symbolic");
    }
  else
    {
      g_autoptr (GString) problems = g_string_new (NULL);
      for (guint i = 0; i < report->problems->len; i++)
        g_string_append_printf (problems, "\n• %s", (const char *) g_ptr_array_index (report->problems, i));
      markup = g_markup_printf_escaped ("<b>Verification failed</b> at record %" G_GINT64_FORMAT ":%s",
                                        report->first_broken, problems->str);
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
    }
  gtk_label_set_markup (self->status_label, markup);
  gint64 first_broken = report ? report->first_broken : 0;
  if (first_broken != self->first_broken)
    {
      self->first_broken = first_broken;
      load_records (self);
    }
}

guint
fwr_audit_page_get_n_records (FwrAuditPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->records));
}

const char *
fwr_audit_page_get_status (FwrAuditPage *self)
{
  return gtk_label_get_text (self->status_label);
}

static void
fwr_audit_page_dispose (GObject *object)
{
  fwr_page_dispose_template (GTK_WIDGET (object), FWR_TYPE_AUDIT_PAGE);
  G_OBJECT_CLASS (fwr_audit_page_parent_class)->dispose (object);
}

static void
fwr_audit_page_class_init (FwrAuditPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_audit_page_dispose;
  g_type_ensure (FWR_TYPE_AUDIT_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-audit-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, FwrAuditPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FwrAuditPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, FwrAuditPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, FwrAuditPage, records);
}

static void
fwr_audit_page_init (FwrAuditPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fwr_audit_page_set_store (self, NULL);
}
