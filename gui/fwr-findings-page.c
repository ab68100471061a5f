/* fwr-findings-page.c: the Findings page: a GtkTreeListModel of groups over their findings;
 * activating a finding runs win.jump-to-rule, expanding a group shows its findings. */
#include "fwr-findings-page.h"
#include "fwr-gui-helpers.h"
#include "fwr-finding-item.h"

struct _FwrFindingsPage {
  GtkWidget parent_instance;
  GtkStack *state_stack;
  GtkLabel *empty_title;
  GtkLabel *empty_label;
  GtkLabel *summary_label;
  GtkListView *list_view;
  GtkSingleSelection *selection;
  GListStore *groups;
};

G_DEFINE_FINAL_TYPE (FwrFindingsPage, fwr_findings_page, GTK_TYPE_WIDGET)

static GListModel *
create_children (gpointer item, gpointer user_data)
{
  GListModel *children = fwr_finding_item_get_children (item);
  return children ? g_object_ref (children) : NULL;
}

static void
activate_item (FwrFindingsPage *self, FwrFindingItem *item, GtkTreeListRow *row)
{
  const char *rule_id = fwr_finding_item_get_rule_id (item);
  if (rule_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.jump-to-rule", "s", rule_id);
  else if (row != NULL && gtk_tree_list_row_is_expandable (row))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
}

static void
on_activate (FwrFindingsPage *self, guint position)
{
  g_autoptr (GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (row != NULL)
    activate_item (self, gtk_tree_list_row_get_item (row), row);
}

void
fwr_findings_page_set_index (FwrFindingsPage *self, FwrReportIndex *index)
{
  g_clear_object (&self->groups);
  self->groups = fwr_finding_item_new_groups (index);
  /* Autoexpand: an inspector reads the whole list; groups fold for a summary. */
  g_autoptr (GtkTreeListModel) tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->groups)),
                                                               FALSE, TRUE, create_children, NULL, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (tree));
  if (index == NULL)
    {
      gtk_label_set_label (self->empty_title, "No Findings");
      gtk_label_set_label (self->empty_label, "Open a store or a configuration file to see its findings.");
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      return;
    }
  guint n = fwr_report_get_n_findings (index->report);
  if (n == 0)
    {
      gtk_label_set_label (self->empty_title, "No Findings");
      gtk_label_set_label (self->empty_label, "Every check passed on this configuration.");
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      return;
    }
  guint counts[FWR_SEVERITY_CRITICAL + 1] = { 0 };
  for (guint i = 0; i < n; i++)
    counts[fwr_finding_get_severity (fwr_report_get_finding (index->report, i))]++;
  g_autoptr (GString) summary = g_string_new (NULL);
  g_autofree char *title = g_markup_escape_text (index->title, -1);
  g_string_append_printf (summary, "<b>%u finding%s</b> in %s:", n, n == 1 ? "" : "s", title);
  for (int s = FWR_SEVERITY_CRITICAL; s >= FWR_SEVERITY_INFO; s--)
    if (counts[s] > 0)
      g_string_append_printf (summary, " %u %s,", counts[s], fwr_severity_to_string (s));
  g_string_truncate (summary, summary->len - 1);
  g_string_append_printf (summary, " in %u groups. Activate a finding to see its rule.",
                          g_list_model_get_n_items (G_LIST_MODEL (self->groups)));
  gtk_label_set_markup (self->summary_label, summary->str);
  gtk_stack_set_visible_child_name (self->state_stack, "findings");
}

char *
fwr_findings_page_dup_summary (FwrFindingsPage *self)
{
  GString *out = g_string_new (NULL);
  guint n = self->groups ? g_list_model_get_n_items (G_LIST_MODEL (self->groups)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (FwrFindingItem) group = g_list_model_get_item (G_LIST_MODEL (self->groups), i);
      g_string_append_printf (out, "%s %u\n", fwr_finding_item_get_check (group),
                              fwr_finding_item_get_count (group));
    }
  return g_string_free (out, FALSE);
}

gboolean
fwr_findings_page_activate_first (FwrFindingsPage *self, const char *check)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkTreeListRow) row = g_list_model_get_item (model, i);
      FwrFindingItem *item = gtk_tree_list_row_get_item (row);
      if (fwr_finding_item_get_rule_id (item) != NULL &&
          g_str_equal (fwr_finding_item_get_check (item), check))
        {
          on_activate (self, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
fwr_findings_page_dispose (GObject *object)
{
  FwrFindingsPage *self = FWR_FINDINGS_PAGE (object);
  fwr_page_dispose_template (GTK_WIDGET (self), FWR_TYPE_FINDINGS_PAGE);
  g_clear_object (&self->groups);
  G_OBJECT_CLASS (fwr_findings_page_parent_class)->dispose (object);
}

static void
fwr_findings_page_class_init (FwrFindingsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_findings_page_dispose;
  g_type_ensure (FWR_TYPE_FINDING_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-findings-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, FwrFindingsPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, FwrFindingsPage, empty_title);
  gtk_widget_class_bind_template_child (widget_class, FwrFindingsPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, FwrFindingsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, FwrFindingsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, FwrFindingsPage, selection);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
fwr_findings_page_init (FwrFindingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fwr_findings_page_set_index (self, NULL);
}
