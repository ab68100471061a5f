/* fwr-rules-page.c: the Rules page. The table is a GtkColumnView over the lazy rule list,
 * sorted by the clicked column in .ui models; the rows a search text, finding and zone leave
 * are found in a worker (fwr-rule-filter.c) and shown in one step. */
#include "fwr-rules-page.h"
#include "fwr-gui-helpers.h"
#include "fwr-rule-filter.h"
#include "fwr-rule-item.h"
#include "fwr-rule-list.h"

struct _FwrRulesPage {
  GtkWidget parent_instance;

  GtkStack *state_stack;
  GtkLabel *empty_title;
  GtkLabel *empty_label;
  GtkSpinner *spinner;
  GtkLabel *loading_label;
  GtkSearchEntry *search_entry;
  GtkDropDown *finding_dropdown;
  GtkDropDown *zone_dropdown;
  GtkLabel *count_label;
  GtkColumnView *column_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *filter_model;
  GtkSortListModel *sort_model;
  FwrRuleFilter *rule_filter;
  GtkBox *detail_box;

  FwrReportIndex *index;
  GPtrArray *finding_choices;   /* (element-type utf8) "" then "*" then check names */
  char *finding_filter;         /* "" for none, "*" for any finding, else a check */
  int zone_filter;              /* FwrZoneClass, -1 for none */
  GArray *zone_choices;         /* (element-type FwrZoneClass) after "All zones" */
  int pending_jump;             /* row to select once filtering ends, -1 for none */
  FwrRuleQuery *query;          /* (nullable) what the table shows, or is being worked out */
  GCancellable *filter_cancellable;  /* (nullable) the worker working it out */
  gboolean filtering;
};

G_DEFINE_FINAL_TYPE (FwrRulesPage, fwr_rules_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_FILTERING, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
update_count (FwrRulesPage *self)
{
  guint total = self->index ? self->index->rules->len : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  g_autofree char *text = self->filtering ? g_strdup_printf ("Filtering %u rules…", total)
                          : shown == total ? g_strdup_printf ("%u rules", total)
                          : g_strdup_printf ("%u of %u rules", shown, total);
  gtk_label_set_label (self->count_label, text);
}

static void
on_filtered_changed (FwrRulesPage *self)
{
  update_count (self);
}

/* The window shows the work in its header bar while this is TRUE. */
static void
set_filtering (FwrRulesPage *self, gboolean filtering)
{
  if (self->filtering == filtering)
    return;
  self->filtering = filtering;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_STATE_BUSY, filtering, -1);
  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTERING]);
}

static void
stop_filtering (FwrRulesPage *self)
{
  g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);
  set_filtering (self, FALSE);
}

static gboolean select_row (FwrRulesPage *self, guint row);

/* A jump to a rule the filters hid waits for the cleared filters to be shown. */
static void
finish_pending_jump (FwrRulesPage *self)
{
  if (self->pending_jump < 0 || self->filtering)
    return;
  guint row = (guint) self->pending_jump;
  self->pending_jump = -1;
  select_row (self, row);
}

static void
on_rows_found (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FwrRulesPage) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkBitset) rows = fwr_rule_query_run_finish (result, &error);
  /* Cancelled: a newer query, another index or the page's end took over. */
  if (rows == NULL)
    return;
  g_clear_object (&self->filter_cancellable);
  fwr_rule_filter_set_rows (self->rule_filter, rows);
  set_filtering (self, FALSE);
  finish_pending_jump (self);
}

/* Shows the rows the search and filters leave: at once when nothing is filtered out, else
 * once a worker has found them; the table keeps the previous rows meanwhile. */
static void
refilter (FwrRulesPage *self)
{
  g_autoptr (FwrRuleQuery) query = fwr_rule_query_new (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                                       self->finding_filter, self->zone_filter);
  if (self->query != NULL && fwr_rule_query_equal (query, self->query))
    return;
  stop_filtering (self);
  g_clear_pointer (&self->query, fwr_rule_query_free);
  self->query = g_steal_pointer (&query);
  if (self->index == NULL || fwr_rule_query_matches_all (self->query))
    {
      fwr_rule_filter_set_rows (self->rule_filter, NULL);
      finish_pending_jump (self);
      return;
    }
  self->filter_cancellable = g_cancellable_new ();
  set_filtering (self, TRUE);
  fwr_rule_query_run_async (self->query, self->index, self->filter_cancellable, on_rows_found,
                            g_object_ref (self));
}

static void
on_search_changed (FwrRulesPage *self)
{
  refilter (self);
}

/* Replacing the entry's text empties it for a moment, which it reports at once: that is no
 * search of its own, and would show (then hide) every row. */
static void
set_search_text (FwrRulesPage *self, const char *text)
{
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
}

/* A cell's whole text when it does not fit, asked for on hover: filling the table then sets
 * no tooltip per cell (each costs GTK 4.8 a pointer query to the display server). */
static gboolean
on_table_query_tooltip (GtkWidget *table, int x, int y, gboolean keyboard_mode, GtkTooltip *tooltip,
                        gpointer data)
{
  if (keyboard_mode)
    return FALSE;
  GtkWidget *picked = gtk_widget_pick (table, x, y, GTK_PICK_DEFAULT);
  if (!GTK_IS_LABEL (picked) || !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (picked))))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (GTK_LABEL (picked)));
  return TRUE;
}

static void
on_filter_changed (FwrRulesPage *self)
{
  guint finding = gtk_drop_down_get_selected (self->finding_dropdown);
  guint zone = gtk_drop_down_get_selected (self->zone_dropdown);
  g_free (self->finding_filter);
  self->finding_filter = g_strdup (self->finding_choices && finding < self->finding_choices->len
                                   ? g_ptr_array_index (self->finding_choices, finding) : "");
  self->zone_filter = zone == GTK_INVALID_LIST_POSITION || zone == 0 || zone > self->zone_choices->len
                      ? -1 : g_array_index (self->zone_choices, int, zone - 1);
  refilter (self);
}

/* Details of the selected rule */

static void
clear_details (FwrRulesPage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
}

static GtkWidget *
related_button (const char *rule_id)
{
  g_autofree char *text = g_strdup_printf ("Go to %s", rule_id);
  GtkWidget *button = gtk_button_new_with_label (text);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.jump-to-rule");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", rule_id);
  return button;
}

static void
add_finding (FwrRulesPage *self, const FwrFinding *finding)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (box, 6);
  g_autofree char *badge = fwr_severity_dup_badge_markup (fwr_finding_get_severity (finding),
                                                         fwr_severity_to_string (fwr_finding_get_severity (finding)));
  g_autofree char *check = g_markup_escape_text (fwr_finding_get_check (finding), -1);
  g_autofree char *message = g_markup_escape_text (fwr_finding_get_message (finding), -1);
  g_autofree char *head = g_strdup_printf ("%s <b>%s</b>: %s", badge, check, message);
  gtk_box_append (GTK_BOX (box), fwr_wrapped_label_new (head, NULL, TRUE, TRUE));
  const FwrCheckInfo *info = fwr_report_index_lookup_check (fwr_finding_get_check (finding));
  if (info != NULL)
    gtk_box_append (GTK_BOX (box), fwr_wrapped_label_new (info->reason, "dim-label", FALSE, TRUE));
  const char * const *related = fwr_finding_get_related (finding);
  for (guint i = 0; related != NULL && related[i] != NULL; i++)
    gtk_box_append (GTK_BOX (box), related_button (related[i]));
  gtk_box_append (self->detail_box, box);
}

static char *
dup_classes_text (guint mask)
{
  if ((mask & FWR_ZONE_CLASSES_ALL) == FWR_ZONE_CLASSES_ALL)
    return g_strdup ("any zone");
  if (mask == 0)
    return g_strdup ("the firewall itself");
  GString *out = g_string_new (NULL);
  for (FwrZoneClass klass = FWR_ZONE_CLASS_INTERNET; klass <= FWR_ZONE_CLASS_OTHER; klass++)
    if (mask & FWR_ZONE_CLASS_BIT (klass))
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", fwr_zone_class_to_string (klass));
  if (mask & FWR_ZONE_CLASSES_UNZONED)
    g_string_append_printf (out, "%sunzoned", out->len ? ", " : "");
  return g_string_free (out, FALSE);
}

/* Where the rule's packets may come from and go to, after the jumps that reach it. */
static void
add_zone_classes (FwrRulesPage *self, FwrRule *rule)
{
  guint from = 0, to = 0;
  if (self->index->rule_zones == NULL ||
      !fwr_rule_zones_lookup (self->index->rule_zones, rule, &from, &to))
    return;
  g_autofree char *from_text = dup_classes_text (from);
  g_autofree char *to_text = dup_classes_text (to);
  g_autofree char *text = g_strdup_printf ("After jumps, from %s to %s.", from_text, to_text);
  gtk_box_append (self->detail_box, fwr_wrapped_label_new (text, NULL, FALSE, TRUE));
}

static void
show_details (FwrRulesPage *self, FwrRuleItem *item)
{
  clear_details (self);
  if (item == NULL)
    {
      gtk_box_append (self->detail_box,
                      fwr_wrapped_label_new ("Select a rule to see what it matches and its findings.",
                                             "dim-label", FALSE, TRUE));
      return;
    }
  FwrRule *rule = fwr_rule_item_get_rule (item);
  g_autofree char *id = g_markup_escape_text (fwr_rule_get_id (rule), -1);
  g_autofree char *where = fwr_rule_get_line (rule)
    ? g_strdup_printf ("%s, line %u", fwr_rule_get_file (rule), fwr_rule_get_line (rule))
    : g_strdup (fwr_rule_get_file (rule) ? fwr_rule_get_file (rule) : "");
  g_autofree char *where_escaped = g_markup_escape_text (where, -1);
  g_autofree char *title = g_strdup_printf ("<b>%s</b>  <span alpha=\"60%%\">%s</span>", id, where_escaped);
  gtk_box_append (self->detail_box, fwr_wrapped_label_new (title, "heading", TRUE, TRUE));

  g_autofree char *match = fwr_rule_dup_match_text (rule);
  g_autofree char *action = NULL;
  g_object_get (item, "action", &action, NULL);
  g_autofree char *matches = g_strdup_printf ("%s → %s", match, action);
  gtk_box_append (self->detail_box, fwr_wrapped_label_new (matches, "monospace", FALSE, TRUE));
  if (!fwr_rule_get_enabled (rule))
    gtk_box_append (self->detail_box, fwr_wrapped_label_new ("Disabled: the firewall skips this rule.", "dim-label", FALSE, TRUE));

  g_autofree char *effective = fwr_effective_dup_rule_text (self->index->effective, rule, 6);
  gtk_box_append (self->detail_box, fwr_wrapped_label_new ("Effective match after jumps:", "dim-label", FALSE, TRUE));
  gtk_box_append (self->detail_box,
                  fwr_wrapped_label_new (effective ? effective : "no base chain reaches this rule: it never sees a packet",
                                         "monospace", FALSE, TRUE));
  add_zone_classes (self, rule);

  GPtrArray *findings = fwr_rule_item_get_findings (item);
  if (findings == NULL || findings->len == 0)
    gtk_box_append (self->detail_box, fwr_wrapped_label_new ("No findings.", "dim-label", FALSE, TRUE));
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    add_finding (self, g_ptr_array_index (findings, i));
}

static void
on_selection_changed (FwrRulesPage *self)
{
  show_details (self, gtk_single_selection_get_selected_item (self->selection));
}

/* Filters */

static void
fill_finding_choices (FwrRulesPage *self)
{
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  g_clear_pointer (&self->finding_choices, g_ptr_array_unref);
  self->finding_choices = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->finding_choices, g_strdup (""));
  gtk_string_list_append (labels, "All rules");
  g_ptr_array_add (self->finding_choices, g_strdup ("*"));
  gtk_string_list_append (labels, "Rules with findings");

  guint n_checks = 0;
  const FwrCheckInfo *checks = fwr_check_get_all (&n_checks);
  for (guint c = 0; self->index != NULL && c < n_checks; c++)
    {
      guint count = 0;
      for (guint i = 0; i < fwr_report_get_n_findings (self->index->report); i++)
        {
          const FwrFinding *finding = fwr_report_get_finding (self->index->report, i);
          if (fwr_finding_get_rule (finding) != NULL &&
              g_str_equal (fwr_finding_get_check (finding), checks[c].name))
            count++;
        }
      if (count == 0)
        continue;
      g_autofree char *label = g_strdup_printf ("%s (%u)", checks[c].name, count);
      g_ptr_array_add (self->finding_choices, g_strdup (checks[c].name));
      gtk_string_list_append (labels, label);
    }
  gtk_drop_down_set_model (self->finding_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->finding_dropdown, 0);
}

static void
fill_zone_choices (FwrRulesPage *self)
{
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  gtk_string_list_append (labels, "All zones");
  g_array_set_size (self->zone_choices, 0);
  FwrZoneMap *zones = self->index ? self->index->zones : NULL;
  for (FwrZoneClass klass = FWR_ZONE_CLASS_INTERNET; zones != NULL && klass <= FWR_ZONE_CLASS_OTHER; klass++)
    {
      g_autoptr (GString) names = g_string_new (NULL);
      for (guint i = 0; i < fwr_zone_map_get_n_zones (zones); i++)
        if (fwr_zone_map_get_class (zones, i) == klass)
          g_string_append_printf (names, "%s%s", names->len ? ", " : "", fwr_zone_map_get_name (zones, i));
      if (names->len == 0)
        continue;
      g_autofree char *label = g_strdup_printf ("%s (%s)", fwr_zone_class_to_string (klass), names->str);
      gtk_string_list_append (labels, label);
      g_array_append_val (self->zone_choices, klass);
    }
  gtk_drop_down_set_model (self->zone_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->zone_dropdown, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->zone_dropdown), zones != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->zone_dropdown),
                               zones ? "Show only rules whose packets may come from or go to this class of zone, after jumps"
                                     : "No zones file: zones are unknown");
}

/* Both lists anew, then one refilter: a refilter per list would filter the new rules by the
 * other list's old choice. */
static void
fill_choices (FwrRulesPage *self)
{
  g_signal_handlers_block_by_func (self->finding_dropdown, on_filter_changed, self);
  g_signal_handlers_block_by_func (self->zone_dropdown, on_filter_changed, self);
  fill_finding_choices (self);
  fill_zone_choices (self);
  g_signal_handlers_unblock_by_func (self->finding_dropdown, on_filter_changed, self);
  g_signal_handlers_unblock_by_func (self->zone_dropdown, on_filter_changed, self);
  on_filter_changed (self);
}

/* Public */

void
fwr_rules_page_set_index (FwrRulesPage *self, FwrReportIndex *index)
{
  g_return_if_fail (FWR_IS_RULES_PAGE (self));
  gtk_spinner_stop (self->spinner);
  if (index != self->index)
    {
      /* The filter's rows are rows of the old index: let them go before the new rows come. */
      stop_filtering (self);
      g_clear_pointer (&self->query, fwr_rule_query_free);
      fwr_rule_filter_set_rows (self->rule_filter, NULL);
      g_clear_pointer (&self->index, fwr_report_index_unref);
      self->index = index ? fwr_report_index_ref (index) : NULL;
      self->pending_jump = -1;
      g_autoptr (FwrRuleList) list = fwr_rule_list_new (index);
      gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (list));
      set_search_text (self, "");
      fill_choices (self);
    }
  if (index == NULL)
    {
      gtk_label_set_label (self->empty_title, "No Rules");
      gtk_label_set_label (self->empty_label, "Open a store or a configuration file to review its rules.");
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      return;
    }
  update_count (self);
  show_details (self, gtk_single_selection_get_selected_item (self->selection));
  gtk_stack_set_visible_child_name (self->state_stack, "rules");
}

void
fwr_rules_page_show_loading (FwrRulesPage *self, const char *text)
{
  gtk_label_set_label (self->loading_label, text);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
}

void
fwr_rules_page_show_message (FwrRulesPage *self, const char *title, const char *text)
{
  fwr_rules_page_set_index (self, NULL);
  gtk_label_set_label (self->empty_title, title);
  gtk_label_set_label (self->empty_label, text);
}

void
fwr_rules_page_set_search (FwrRulesPage *self, const char *text)
{
  set_search_text (self, text);
  /* The entry waits a moment before it tells; a command means now. */
  refilter (self);
}

gboolean
fwr_rules_page_set_finding_filter (FwrRulesPage *self, const char *check)
{
  for (guint i = 0; self->finding_choices != NULL && i < self->finding_choices->len; i++)
    if (g_str_equal (g_ptr_array_index (self->finding_choices, i), check))
      {
        gtk_drop_down_set_selected (self->finding_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
fwr_rules_page_set_zone_filter (FwrRulesPage *self, const char *zone_class)
{
  if (zone_class[0] == '\0')
    {
      gtk_drop_down_set_selected (self->zone_dropdown, 0);
      return TRUE;
    }
  FwrZoneClass klass;
  if (!fwr_zone_class_from_string (zone_class, &klass))
    return FALSE;
  for (guint i = 0; i < self->zone_choices->len; i++)
    if (g_array_index (self->zone_choices, int, i) == (int) klass)
      {
        gtk_drop_down_set_selected (self->zone_dropdown, i + 1);
        return TRUE;
      }
  return FALSE;
}

/* GTK 4.8 has no gtk_column_view_scroll_to(): its inner list view's action does it. */
static void
scroll_to (FwrRulesPage *self, guint position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static guint
find_row (GListModel *model, guint row)
{
  guint n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (FwrRuleItem) item = g_list_model_get_item (model, i);
      if (fwr_rule_item_get_row (item) == row)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
select_row (FwrRulesPage *self, guint row)
{
  guint position = find_row (G_LIST_MODEL (self->filter_model), row);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
  return TRUE;
}

gboolean
fwr_rules_page_select_rule (FwrRulesPage *self, const char *rule_id)
{
  int row = self->index ? fwr_report_index_lookup_row (self->index, rule_id) : -1;
  if (row < 0)
    return FALSE;
  if (!self->filtering && select_row (self, (guint) row))
    return TRUE;
  /* Set only once every filter is cleared: each clearing refilters on its own. */
  self->pending_jump = -1;
  set_search_text (self, "");
  gtk_drop_down_set_selected (self->finding_dropdown, 0);
  gtk_drop_down_set_selected (self->zone_dropdown, 0);
  self->pending_jump = row;
  refilter (self);
  finish_pending_jump (self);
  return TRUE;
}

const char *
fwr_rules_page_get_selected_rule (FwrRulesPage *self)
{
  FwrRuleItem *item = gtk_single_selection_get_selected_item (self->selection);
  return item ? fwr_rule_get_id (fwr_rule_item_get_rule (item)) : NULL;
}

guint
fwr_rules_page_get_n_shown (FwrRulesPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
}

char *
fwr_rules_page_dup_detail_text (FwrRulesPage *self)
{
  GString *out = g_string_new (NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (child)));
  return g_string_free (out, FALSE);
}

char *
fwr_rules_page_dup_shown_ids (FwrRulesPage *self)
{
  GListModel *shown = G_LIST_MODEL (self->filter_model);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (FwrRuleItem) item = g_list_model_get_item (shown, i);
      g_string_append_printf (out, "%s%s", i ? " " : "", fwr_rule_get_id (fwr_rule_item_get_rule (item)));
    }
  return g_string_free (out, FALSE);
}

gboolean
fwr_rules_page_is_filtering (FwrRulesPage *self)
{
  return self->filtering || gtk_sort_list_model_get_pending (self->sort_model) > 0;
}

void
fwr_rules_page_focus_search (FwrRulesPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* GObject */

static void
fwr_rules_page_dispose (GObject *object)
{
  FwrRulesPage *self = FWR_RULES_PAGE (object);
  g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);
  g_clear_pointer (&self->query, fwr_rule_query_free);
  fwr_page_dispose_template (GTK_WIDGET (self), FWR_TYPE_RULES_PAGE);
  g_clear_pointer (&self->index, fwr_report_index_unref);
  g_clear_pointer (&self->finding_choices, g_ptr_array_unref);
  G_OBJECT_CLASS (fwr_rules_page_parent_class)->dispose (object);
}

static void
fwr_rules_page_finalize (GObject *object)
{
  FwrRulesPage *self = FWR_RULES_PAGE (object);
  g_free (self->finding_filter);
  g_array_unref (self->zone_choices);
  G_OBJECT_CLASS (fwr_rules_page_parent_class)->finalize (object);
}

static void
fwr_rules_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_FILTERING:
      g_value_set_boolean (value, FWR_RULES_PAGE (object)->filtering);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fwr_rules_page_class_init (FwrRulesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fwr_rules_page_dispose;
  object_class->finalize = fwr_rules_page_finalize;
  object_class->get_property = fwr_rules_page_get_property;
  properties[PROP_FILTERING] = g_param_spec_boolean ("filtering", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FWR_TYPE_RULE_ITEM);
  g_type_ensure (FWR_TYPE_RULE_FILTER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-rules-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, empty_title);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, finding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, zone_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, selection);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, filter_model);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, sort_model);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, rule_filter);
  gtk_widget_class_bind_template_child (widget_class, FwrRulesPage, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filtered_changed);
}

static void
fwr_rules_page_init (FwrRulesPage *self)
{
  self->finding_filter = g_strdup ("");
  self->zone_filter = -1;
  self->zone_choices = g_array_new (FALSE, FALSE, sizeof (int));
  self->pending_jump = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->column_view), TRUE);
  g_signal_connect (self->column_view, "query-tooltip", G_CALLBACK (on_table_query_tooltip), NULL);
  fill_choices (self);
  fwr_rules_page_set_index (self, NULL);
}
