/* fwr-changes-page.c: the Changes page. The list reads the store on the main thread (one
 * query); a change's diff and risk are computed by a worker (fwr_job_load_change). */
#include "fwr-changes-page.h"
#include "fwr-gui-helpers.h"
#include "fwr-app-jobs.h"
#include "fwr-rule-item.h"

struct _FwrChangesPage {
  GtkWidget parent_instance;
  GtkListBox *change_list;
  GtkStack *detail_stack;
  GtkLabel *none_label;
  GtkSpinner *spinner;
  GtkBox *detail_box;
  GtkBox *decision_box;
  GtkEntry *comment_entry;
  GtkButton *approve_button;
  GtkButton *reject_button;
  GtkLabel *decision_label;

  FwrStore *store;             /* (not owned) */
  gint64 device_id;
  GCancellable *cancellable;
  gboolean loading;
  GString *detail_text;
};

G_DEFINE_FINAL_TYPE (FwrChangesPage, fwr_changes_page, GTK_TYPE_WIDGET)

enum { CHANGE_SELECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *state_colors[] = {
  [FWR_CHANGE_SUBMITTED] = "#1c71d8",
  [FWR_CHANGE_APPROVED] = "#26a269",
  [FWR_CHANGE_REJECTED] = "#c01c28",
  [FWR_CHANGE_IMPLEMENTED] = "#613583",
};

static char *
dup_state_markup (FwrChangeState state)
{
  return g_strdup_printf ("<span background=\"%s\" foreground=\"#ffffff\" weight=\"bold\" size=\"small\"> %s </span>",
                          state_colors[state], fwr_change_state_to_string (state));
}

/* The list */

static GtkWidget *
change_row_new (const FwrChange *change)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  g_autofree char *state = dup_state_markup (change->state);
  g_autofree char *title = g_markup_printf_escaped ("<b>Change %" G_GINT64_FORMAT "</b>%s",
                                                    change->id, change->is_baseline ? " · baseline" : "");
  g_autofree char *head = g_strdup_printf ("%s  %s", title, state);
  GtkWidget *head_label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (head_label), head);
  gtk_label_set_xalign (GTK_LABEL (head_label), 0);
  gtk_box_append (GTK_BOX (box), head_label);

  GtkWidget *reason = gtk_label_new (change->reason);
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_label_set_ellipsize (GTK_LABEL (reason), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), reason);

  g_autofree char *date = g_strndup (change->submitted_at, 10);
  g_autofree char *by = g_strdup_printf ("by %s on %s%s%s", change->submitted_by, date,
                                         change->ticket ? " · " : "", change->ticket ? change->ticket : "");
  GtkWidget *by_label = gtk_label_new (by);
  gtk_label_set_xalign (GTK_LABEL (by_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (by_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (by_label, "caption");
  gtk_widget_add_css_class (by_label, "dim-label");
  gtk_box_append (GTK_BOX (box), by_label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "change-id", GINT_TO_POINTER ((int) change->id));
  return row;
}

static gint64
row_change_id (GtkListBoxRow *row)
{
  return row ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "change-id")) : 0;
}

/* The detail */

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
add_label (FwrChangesPage *self, const char *markup, const char *css_class)
{
  GtkWidget *label = fwr_wrapped_label_new (markup, css_class, TRUE, TRUE);
  gtk_box_append (self->detail_box, label);
  g_string_append_printf (self->detail_text, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
  return label;
}

static void
add_heading (FwrChangesPage *self, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  GtkWidget *label = add_label (self, escaped, "heading");
  gtk_widget_set_margin_top (label, 12);
}

static const char *
diff_color (FwrDiffKind kind)
{
  switch (kind)
    {
    case FWR_DIFF_ADDED:
    case FWR_DIFF_CHAIN_ADDED:
      return "#26a269";
    case FWR_DIFF_REMOVED:
    case FWR_DIFF_CHAIN_REMOVED:
      return "#c01c28";
    case FWR_DIFF_MOVED:
      return "#1c71d8";
    case FWR_DIFF_MODIFIED:
    case FWR_DIFF_CHAIN_MODIFIED:
    default:
      return "#c64600";
    }
}

static char *
dup_rule_line (FwrRule *rule)
{
  g_autofree char *match = fwr_rule_dup_match_text (rule);
  const char *target = fwr_rule_get_target (rule);
  const char *comment = fwr_rule_get_comment (rule);
  return g_strdup_printf ("%s  %s → %s%s%s%s%s", fwr_rule_get_id (rule), match,
                          fwr_action_to_string (fwr_rule_get_action (rule)),
                          target ? " " : "", target ? target : "",
                          comment ? "  # " : "", comment ? comment : "");
}

static void
add_diff_entry (FwrChangesPage *self, const FwrDiffEntry *entry)
{
  FwrDiffKind kind = fwr_diff_entry_get_kind (entry);
  FwrRule *before = fwr_diff_entry_get_before (entry);
  FwrRule *after = fwr_diff_entry_get_after (entry);
  g_autofree char *text = NULL;
  if (after != NULL || before != NULL)
    text = dup_rule_line (after ? after : before);
  else
    {
      FwrChain *chain = fwr_diff_entry_get_after_chain (entry) ? fwr_diff_entry_get_after_chain (entry)
                                                               : fwr_diff_entry_get_before_chain (entry);
      text = g_strdup_printf ("chain %s", fwr_chain_get_id (chain));
    }
  const char * const *changes = fwr_diff_entry_get_changes (entry);
  g_autofree char *what = changes && changes[0] ? g_strjoinv (", ", (char **) changes) : NULL;
  g_autofree char *markup = g_markup_printf_escaped ("<span foreground=\"%s\" weight=\"bold\">%s</span>  %s%s%s%s",
                                                     diff_color (kind), fwr_diff_kind_to_string (kind), text,
                                                     what ? "  (" : "", what ? what : "", what ? ")" : "");
  add_label (self, markup, "monospace");
  if (kind == FWR_DIFF_MODIFIED && before != NULL)
    {
      g_autofree char *was = dup_rule_line (before);
      g_autofree char *was_markup = g_markup_printf_escaped ("<span alpha=\"60%%\">    was  %s</span>", was);
      add_label (self, was_markup, "monospace");
    }
}

static void
add_finding (FwrChangesPage *self, const FwrFinding *finding)
{
  g_autofree char *badge = fwr_severity_dup_badge_markup (fwr_finding_get_severity (finding),
                                                         fwr_finding_get_check (finding));
  g_autofree char *rest = g_markup_printf_escaped ("%s  %s", fwr_finding_get_subject_id (finding),
                                                   fwr_finding_get_message (finding));
  g_autofree char *markup = g_strdup_printf ("%s  %s", badge, rest);
  add_label (self, markup, NULL);
}

/* The traffic the change newly permits or denies, per hook and zone pair, exactly as the
 * library's engine computes it. */
static void
add_traffic (FwrChangesPage *self, const FwrTrafficDelta *traffic)
{
  guint n = fwr_traffic_delta_get_n_flows (traffic);
  if (n == 0)
    add_label (self, "The change permits and denies exactly what the baseline did.", "dim-label");
  for (guint i = 0; i < n; i++)
    {
      FwrTrafficChange change = fwr_traffic_delta_get_change (traffic, i);
      g_autofree char *sources = fwr_addr_set_to_string (fwr_traffic_delta_get_sources (traffic, i));
      g_autofree char *destinations = fwr_addr_set_to_string (fwr_traffic_delta_get_destinations (traffic, i));
      const FwrRangeSet *protos = fwr_traffic_delta_get_protocols (traffic, i);
      const FwrRangeSet *ports = fwr_traffic_delta_get_ports (traffic, i);
      g_autofree char *proto_text = protos ? fwr_range_set_to_string (protos) : g_strdup ("any");
      g_autofree char *port_text = ports ? fwr_range_set_to_string (ports) : g_strdup ("any");
      g_autofree char *markup =
        g_markup_printf_escaped ("<span foreground=\"%s\" weight=\"bold\">newly %s</span>  %s → %s (%s): "
                                 "from %s to %s, protocol %s, port %s",
                                 change == FWR_TRAFFIC_PERMITTED ? "#26a269" : "#c01c28",
                                 fwr_traffic_change_to_string (change),
                                 fwr_traffic_delta_get_from_zone (traffic, i),
                                 fwr_traffic_delta_get_to_zone (traffic, i),
                                 fwr_hook_to_string (fwr_traffic_delta_get_hook (traffic, i)),
                                 sources, destinations, proto_text, port_text);
      add_label (self, markup, NULL);
    }
  if (!fwr_traffic_delta_is_complete (traffic))
    add_label (self, "Part of the change was too fragmented to compute: the flows above are a lower bound.",
               "error");
}

static void
add_approval (FwrChangesPage *self, const FwrApproval *approval)
{
  gsize length = 0;
  g_autofree char *signed_text = fwr_approval_dup_signed_text (approval, &length);
  gboolean valid = fwr_signature_verify (approval->public_key, signed_text, length, approval->signature);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b> by %s on %s%s%s%s  <span foreground=\"%s\">%s</span>",
                                                     approval->approved ? "Approved" : "Rejected",
                                                     approval->approver, approval->decided_at,
                                                     approval->comment ? ": “" : "",
                                                     approval->comment ? approval->comment : "",
                                                     approval->comment ? "”" : "",
                                                     valid ? "#26a269" : "#c01c28",
                                                     valid ? "signature valid" : "SIGNATURE INVALID");
  add_label (self, markup, NULL);
}

static void
show_detail (FwrChangesPage *self, FwrChangeDetail *detail)
{
  clear_box (self->detail_box);
  g_string_truncate (self->detail_text, 0);
  const FwrChange *change = detail->change;
  g_autofree char *state = dup_state_markup (change->state);
  g_autofree char *title = g_markup_printf_escaped ("Change %" G_GINT64_FORMAT " on %s",
                                                    change->id, detail->device->name);
  g_autofree char *head = g_strdup_printf ("%s  %s", title, state);
  add_label (self, head, "title-2");
  g_autofree char *who = g_markup_printf_escaped ("Submitted by <b>%s</b> on %s%s%s. Reason: %s",
                                                  change->submitted_by, change->submitted_at,
                                                  change->ticket ? ", ticket " : "",
                                                  change->ticket ? change->ticket : "", change->reason);
  add_label (self, who, NULL);
  if (change->is_baseline)
    add_label (self, "A baseline: the configuration that already runs, approved once to start change control.", "dim-label");
  if (change->implemented_at != NULL)
    {
      g_autofree char *implemented = g_markup_printf_escaped ("Implemented by %s on %s.", change->implemented_by,
                                                              change->implemented_at);
      add_label (self, implemented, NULL);
    }

  add_heading (self, "Decisions");
  if (detail->approvals->len == 0)
    add_label (self, "Waiting for a supervisor who did not submit it.", "dim-label");
  for (guint i = 0; i < detail->approvals->len; i++)
    add_approval (self, g_ptr_array_index (detail->approvals, i));

  g_autofree char *counts = g_strdup_printf ("Differences: %u added, %u removed, %u modified, %u moved",
                                             fwr_diff_count (detail->diff, FWR_DIFF_ADDED),
                                             fwr_diff_count (detail->diff, FWR_DIFF_REMOVED),
                                             fwr_diff_count (detail->diff, FWR_DIFF_MODIFIED),
                                             fwr_diff_count (detail->diff, FWR_DIFF_MOVED));
  add_heading (self, counts);
  if (fwr_diff_is_empty (detail->diff))
    add_label (self, "No semantic difference.", "dim-label");
  /* A baseline adds every rule: the list would be the whole configuration. */
  for (guint i = 0; !change->is_baseline && i < fwr_diff_get_n_entries (detail->diff); i++)
    add_diff_entry (self, fwr_diff_get_entry (detail->diff, i));


  guint n_new = fwr_risk_delta_get_n_new (detail->risk);
  g_autofree char *introduced = g_strdup_printf ("Findings introduced: %u", n_new);
  add_heading (self, introduced);
  for (guint i = 0; i < n_new; i++)
    add_finding (self, fwr_risk_delta_get_new (detail->risk, i));
  guint n_resolved = fwr_risk_delta_get_n_resolved (detail->risk);
  g_autofree char *resolved = g_strdup_printf ("Findings resolved: %u", n_resolved);
  add_heading (self, resolved);
  for (guint i = 0; i < n_resolved; i++)
    add_finding (self, fwr_risk_delta_get_resolved (detail->risk, i));

  if (detail->traffic != NULL)
    {
      add_heading (self, "Traffic newly permitted or denied");
      add_traffic (self, detail->traffic);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->decision_box), change->state == FWR_CHANGE_SUBMITTED);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

static void
on_change_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrChangeDetail) detail = fwr_job_load_change_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  FwrChangesPage *self = data;
  self->loading = FALSE;
  gtk_spinner_stop (self->spinner);
  if (detail == NULL)
    {
      gtk_label_set_label (self->none_label, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }
  show_detail (self, detail);
}

static void
on_row_selected (FwrChangesPage *self, GtkListBoxRow *row)
{
  /* The list empties itself while the page is disposed. */
  if (self->detail_stack == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gint64 id = row_change_id (row);
  if (id == 0 || self->store == NULL)
    {
      self->loading = FALSE;
      gtk_label_set_label (self->none_label, self->store ? "Select a change request to see what it changes."
                                                         : "Open a store to see its change requests.");
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
  else
    {
      self->cancellable = g_cancellable_new ();
      self->loading = TRUE;
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->detail_stack, "loading");
      gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
      /* The page outlives the job: dispose cancels it first. */
      fwr_job_load_change (fwr_store_get_path (self->store), id, self->cancellable, on_change_loaded, self);
    }
  g_signal_emit (self, signals[CHANGE_SELECTED], 0);
}

/* Public */

void
fwr_changes_page_set_store (FwrChangesPage *self, FwrStore *store, gint64 device_id)
{
  self->store = store;
  self->device_id = device_id;
  fwr_changes_page_reload (self);
}

void
fwr_changes_page_reload (FwrChangesPage *self)
{
  gint64 selected = fwr_changes_page_get_change_id (self);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->change_list))) != NULL)
    gtk_list_box_remove (self->change_list, child);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = self->store ? fwr_store_list_changes (self->store, self->device_id, &error) : NULL;
  /* Newest first: the pending ones are what a supervisor came for. */
  for (guint i = changes ? changes->len : 0; i > 0; i--)
    gtk_list_box_append (self->change_list, change_row_new (g_ptr_array_index (changes, i - 1)));
  if (error != NULL)
    gtk_label_set_label (self->none_label, error->message);
  if (selected == 0 || !fwr_changes_page_select_change (self, selected))
    on_row_selected (self, NULL);
}

gboolean
fwr_changes_page_select_change (FwrChangesPage *self, gint64 id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->change_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (row_change_id (GTK_LIST_BOX_ROW (child)) == id)
      {
        if (gtk_list_box_get_selected_row (self->change_list) == GTK_LIST_BOX_ROW (child))
          on_row_selected (self, GTK_LIST_BOX_ROW (child));
        else
          gtk_list_box_select_row (self->change_list, GTK_LIST_BOX_ROW (child));
        return TRUE;
      }
  return FALSE;
}

gint64
fwr_changes_page_get_change_id (FwrChangesPage *self)
{
  return row_change_id (gtk_list_box_get_selected_row (self->change_list));
}

const char *
fwr_changes_page_get_comment (FwrChangesPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->comment_entry));
}

void
fwr_changes_page_set_decision_reasons (FwrChangesPage *self, const char *approve, const char *reject)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->approve_button),
                               approve ? approve : "Approve and sign this change (Ctrl+Return)");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reject_button),
                               reject ? reject : "Reject this change, with a comment saying why");
  g_autofree char *text = NULL;
  if (approve != NULL && g_strcmp0 (approve, reject) == 0)
    text = g_strdup_printf ("You cannot decide on this change: %s", approve);
  else if (approve != NULL)
    text = g_strdup_printf ("You cannot approve: %s", approve);
  else if (reject != NULL)
    text = g_strdup_printf ("You cannot reject: %s", reject);
  else
    text = g_strdup ("Your decision is signed with your key and recorded in the audit log.");
  gtk_label_set_label (self->decision_label, text);
}

GtkWidget *
fwr_changes_page_get_approve_button (FwrChangesPage *self)
{
  return GTK_WIDGET (self->approve_button);
}

GtkWidget *
fwr_changes_page_get_reject_button (FwrChangesPage *self)
{
  return GTK_WIDGET (self->reject_button);
}

GtkWidget *
fwr_changes_page_get_comment_entry (FwrChangesPage *self)
{
  return GTK_WIDGET (self->comment_entry);
}

gboolean
fwr_changes_page_is_loading (FwrChangesPage *self)
{
  return self->loading;
}

char *
fwr_changes_page_dup_detail_text (FwrChangesPage *self)
{
  return g_strdup (self->detail_text->str);
}

/* GObject */

static void
fwr_changes_page_dispose (GObject *object)
{
  FwrChangesPage *self = FWR_CHANGES_PAGE (object);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  fwr_page_dispose_template (GTK_WIDGET (self), FWR_TYPE_CHANGES_PAGE);
  G_OBJECT_CLASS (fwr_changes_page_parent_class)->dispose (object);
}

static void
fwr_changes_page_finalize (GObject *object)
{
  FwrChangesPage *self = FWR_CHANGES_PAGE (object);
  g_string_free (self->detail_text, TRUE);
  G_OBJECT_CLASS (fwr_changes_page_parent_class)->finalize (object);
}

static void
fwr_changes_page_class_init (FwrChangesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_changes_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = fwr_changes_page_finalize;

  signals[CHANGE_SELECTED] = g_signal_new ("change-selected", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-changes-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, change_list);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, none_label);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, decision_box);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, comment_entry);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, approve_button);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, reject_button);
  gtk_widget_class_bind_template_child (widget_class, FwrChangesPage, decision_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
}

static void
fwr_changes_page_init (FwrChangesPage *self)
{
  self->detail_text = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  GtkWidget *placeholder = gtk_label_new ("No change requests");
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_list_box_set_placeholder (self->change_list, placeholder);
  fwr_changes_page_set_decision_reasons (self, NULL, NULL);
}
