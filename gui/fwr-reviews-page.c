/* fwr-reviews-page.c: the Reviews page. It reads due dates and frozen reviews from the store
 * (no analysis: a review froze its rules and findings when it started); its buttons run the
 * window's review actions. */
#include "fwr-reviews-page.h"
#include "fwr-gui-helpers.h"
#include "fwr-rule-item.h"

struct _FwrReviewsPage {
  GtkWidget parent_instance;
  GtkListBox *due_list;
  GtkListBox *review_list;
  GtkStack *detail_stack;
  GtkLabel *none_label;
  GtkLabel *title_label;
  GtkLabel *info_label;
  GtkProgressBar *progress;
  GtkListBox *rules_list;
  GtkBox *signoff_box;
  GtkEntry *signoff_entry;
  GtkButton *signoff_button;
  GtkLabel *signoff_label;

  FwrStore *store;          /* (not owned) */
  gint64 device_id;
  GString *due_text;
};

G_DEFINE_FINAL_TYPE (FwrReviewsPage, fwr_reviews_page, GTK_TYPE_WIDGET)

enum { REVIEW_SELECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *due_colors[] = {
  [FWR_REVIEW_DUE_OK] = "#26a269",
  [FWR_REVIEW_DUE_SOON] = "#c64600",
  [FWR_REVIEW_DUE_OVERDUE] = "#c01c28",
};

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* Due dates */

static GtkWidget *
due_row_new (const FwrReviewDue *due)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (text, TRUE);
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  <span background=\"%s\" foreground=\"#ffffff\" weight=\"bold\" size=\"small\"> %s </span>",
                                                   fwr_review_scope_to_string (due->scope),
                                                   due_colors[due->status],
                                                   fwr_review_due_status_to_string (due->status));
  gtk_box_append (GTK_BOX (text), fwr_wrapped_label_new (head, NULL, TRUE, FALSE));
  g_autofree char *next = g_strndup (due->next_due, 10);
  g_autofree char *last = due->last_completed ? g_strndup (due->last_completed, 10) : NULL;
  g_autofree char *detail = g_markup_printf_escaped ("every %u months · last %s · due %s%s",
                                                     due->interval_months, last ? last : "never",
                                                     next, due->open_review_id ? " · under way" : "");
  gtk_box_append (GTK_BOX (text), fwr_wrapped_label_new (detail, "caption", TRUE, FALSE));
  gtk_box_append (GTK_BOX (box), text);
  if (due->open_review_id == 0)
    {
      GtkWidget *start = gtk_button_new_with_label ("Start");
      gtk_widget_set_valign (start, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (start), "win.start-review");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (start), "s", fwr_review_scope_to_string (due->scope));
      g_autofree char *tooltip = g_strdup_printf ("Start a %s review of the approved configuration",
                                                  fwr_review_scope_to_string (due->scope));
      gtk_widget_set_tooltip_text (start, tooltip);
      gtk_box_append (GTK_BOX (box), start);
    }
  return box;
}

static void
fill_due (FwrReviewsPage *self)
{
  clear_list (self->due_list);
  g_string_truncate (self->due_text, 0);
  g_autoptr (GPtrArray) dues = self->store ? fwr_store_list_reviews_due (self->store, NULL, NULL) : NULL;
  for (guint i = 0; dues != NULL && i < dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (dues, i);
      if (due->device_id != self->device_id)
        continue;
      gtk_list_box_append (self->due_list, due_row_new (due));
      g_string_append_printf (self->due_text, "%s %s\n", fwr_review_scope_to_string (due->scope),
                              fwr_review_due_status_to_string (due->status));
    }
}

/* The reviews */

static GtkWidget *
review_row_new (const FwrReview *review)
{
  GtkWidget *row = gtk_list_box_row_new ();
  g_autofree char *date = g_strndup (review->started_at, 10);
  g_autofree char *markup =
    g_markup_printf_escaped ("<b>Review %" G_GINT64_FORMAT "</b> · %s · %s\n<small>started by %s on %s, %u of %u rules decided</small>",
                             review->id, fwr_review_scope_to_string (review->scope),
                             review->signoff ? "completed" : "in progress", review->started_by, date,
                             review->decisions->len, review->rules->len);
  GtkWidget *label = fwr_wrapped_label_new (markup, NULL, TRUE, FALSE);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data (G_OBJECT (row), "review-id", GINT_TO_POINTER ((int) review->id));
  return row;
}

static gint64
row_review_id (GtkListBoxRow *row)
{
  return row ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "review-id")) : 0;
}

/* A rule in scope */

static void
on_decide_clicked (GtkButton *button, gpointer data)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  GtkDropDown *choice = g_object_get_data (G_OBJECT (row), "decision");
  GtkEditable *reason = g_object_get_data (G_OBJECT (row), "reason");
  const char *decision = fwr_review_decision_to_string ((FwrReviewDecisionKind) gtk_drop_down_get_selected (choice));
  gtk_widget_activate_action (GTK_WIDGET (button), "win.decide-review", "(xsss)",
                              (gint64) GPOINTER_TO_INT (data),
                              g_object_get_data (G_OBJECT (row), "rule-id"), decision,
                              gtk_editable_get_text (reason));
}

static GtkWidget *
decision_controls (const FwrReview *review, const FwrReviewRule *rule, GtkWidget *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *choices[] = { "keep", "tighten", "remove", NULL };
  GtkWidget *choice = gtk_drop_down_new_from_strings (choices);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choice), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Decision", -1);
  GtkWidget *reason = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), "Reason (required)");
  gtk_widget_set_hexpand (reason, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Reason for the decision", -1);
  GtkWidget *decide = gtk_button_new_with_label ("Decide");
  g_signal_connect (decide, "clicked", G_CALLBACK (on_decide_clicked), GINT_TO_POINTER ((int) review->id));
  gtk_box_append (GTK_BOX (box), choice);
  gtk_box_append (GTK_BOX (box), reason);
  gtk_box_append (GTK_BOX (box), decide);
  g_object_set_data (G_OBJECT (row), "decision", choice);
  g_object_set_data (G_OBJECT (row), "reason", reason);
  g_object_set_data_full (G_OBJECT (row), "rule-id", g_strdup (rule->rule_id), g_free);
  return box;
}

static char *
dup_usage (const FwrReviewRule *rule)
{
  if (rule->zero_hits)
    return g_strdup_printf ("zero hits in all %u snapshots from %s to %s", rule->n_observations,
                            rule->observed_from, rule->observed_to);
  if (rule->counted)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " packets (highest of %u readings: %" G_GUINT64_FORMAT ")",
                            rule->packets, rule->n_observations, rule->max_packets);
  return g_strdup ("usage unknown: no counter");
}

static GtkWidget *
rule_row_new (const FwrReview *review, const FwrReviewRule *rule)
{
  GtkWidget *row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  <tt>%s → %s</tt>%s%s%s", rule->rule_id,
                                                   rule->match, rule->verdict,
                                                   rule->comment ? "  “" : "", rule->comment ? rule->comment : "",
                                                   rule->comment ? "”" : "");
  gtk_box_append (GTK_BOX (box), fwr_wrapped_label_new (head, NULL, TRUE, FALSE));

  g_autoptr (GString) findings = g_string_new (NULL);
  for (guint i = 0; i < rule->findings->len; i++)
    {
      const FwrReviewFinding *finding = g_ptr_array_index (rule->findings, i);
      g_autofree char *badge = fwr_severity_dup_badge_markup (finding->severity, finding->check);
      g_autofree char *message = g_markup_escape_text (finding->message, -1);
      g_string_append_printf (findings, "%s%s %s", findings->len ? "\n" : "", badge, message);
    }
  if (findings->len > 0)
    gtk_box_append (GTK_BOX (box), fwr_wrapped_label_new (findings->str, NULL, TRUE, FALSE));
  g_autofree char *usage = dup_usage (rule);
  g_autofree char *usage_markup = g_markup_escape_text (usage, -1);
  gtk_box_append (GTK_BOX (box), fwr_wrapped_label_new (usage_markup, "dim-label", TRUE, FALSE));

  const FwrReviewDecision *decision = fwr_review_find_decision (review, rule->rule_id);
  if (decision != NULL)
    {
      gsize length = 0;
      g_autofree char *signed_text = fwr_review_decision_dup_signed_text (decision, &length);
      gboolean valid = fwr_signature_verify (decision->public_key, signed_text, length, decision->signature);
      g_autofree char *markup =
        g_markup_printf_escaped ("<b>%s</b> by %s on %s: %s%s  <span foreground=\"%s\">%s</span>",
                                 fwr_review_decision_to_string (decision->decision), decision->decided_by,
                                 decision->decided_at, decision->reason,
                                 decision->change_id ? " (a change request was submitted)" : "",
                                 valid ? "#26a269" : "#c01c28", valid ? "signature valid" : "SIGNATURE INVALID");
      gtk_box_append (GTK_BOX (box), fwr_wrapped_label_new (markup, NULL, TRUE, FALSE));
    }
  else if (review->signoff == NULL)
    gtk_box_append (GTK_BOX (box), decision_controls (review, rule, row));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
show_review (FwrReviewsPage *self, const FwrReview *review)
{
  clear_list (self->rules_list);
  g_autofree char *title = g_markup_printf_escaped ("Review %" G_GINT64_FORMAT ": %s", review->id,
                                                    fwr_review_scope_to_string (review->scope));
  gtk_label_set_markup (self->title_label, title);
  g_autofree char *period_from = g_strndup (review->period_from, 10);
  g_autofree char *period_to = g_strndup (review->period_to, 10);
  g_autofree char *signoff = review->signoff
    ? g_markup_printf_escaped ("<b>Signed off</b> by %s on %s%s%s.", review->signoff->signed_by,
                               review->signoff->signed_at, review->signoff->comment ? ": " : "",
                               review->signoff->comment ? review->signoff->comment : "")
    : g_strdup ("Waiting for every decision, then a supervisor's sign-off.");
  g_autofree char *info = g_markup_printf_escaped ("Started by <b>%s</b> on %s on snapshot %" G_GINT64_FORMAT
                                                   " (the approved configuration, frozen); usage from %s to %s. ",
                                                   review->started_by, review->started_at, review->snapshot_id,
                                                   period_from, period_to);
  g_autofree char *full = g_strconcat (info, signoff, NULL);
  gtk_label_set_markup (self->info_label, full);
  guint total = review->rules->len;
  guint decided = review->decisions->len;
  gtk_progress_bar_set_fraction (self->progress, total ? (double) decided / total : 1.0);
  g_autofree char *progress = g_strdup_printf ("%u of %u rules decided", decided, total);
  gtk_progress_bar_set_text (self->progress, progress);
  for (guint i = 0; i < total; i++)
    gtk_list_box_append (self->rules_list, rule_row_new (review, g_ptr_array_index (review->rules, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->signoff_box), review->signoff == NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

static void
on_review_selected (FwrReviewsPage *self, GtkListBoxRow *row)
{
  if (self->detail_stack == NULL)
    return;
  gint64 id = row_review_id (row);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReview) review = id && self->store ? fwr_store_get_review (self->store, id, &error) : NULL;
  if (review == NULL)
    {
      gtk_label_set_label (self->none_label, error ? error->message
                                                   : "Select a review, or start one for a scope that is due.");
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
  else
    show_review (self, review);
  g_signal_emit (self, signals[REVIEW_SELECTED], 0);
}

/* Public */

void
fwr_reviews_page_set_store (FwrReviewsPage *self, FwrStore *store, gint64 device_id)
{
  /* The sidebar reselects the same device after every write: keep the review in view. */
  if (store != self->store || device_id != self->device_id)
    gtk_list_box_unselect_all (self->review_list);
  self->store = store;
  self->device_id = device_id;
  fwr_reviews_page_reload (self);
}

void
fwr_reviews_page_reload (FwrReviewsPage *self)
{
  gint64 selected = fwr_reviews_page_get_review_id (self);
  fill_due (self);
  clear_list (self->review_list);
  g_autoptr (GPtrArray) reviews = self->store && self->device_id
                                  ? fwr_store_list_reviews (self->store, self->device_id, NULL) : NULL;
  for (guint i = reviews ? reviews->len : 0; i > 0; i--)
    gtk_list_box_append (self->review_list, review_row_new (g_ptr_array_index (reviews, i - 1)));
  if (selected == 0 || !fwr_reviews_page_select_review (self, selected))
    on_review_selected (self, NULL);
}

gboolean
fwr_reviews_page_select_review (FwrReviewsPage *self, gint64 id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->review_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (row_review_id (GTK_LIST_BOX_ROW (child)) == id)
      {
        if (gtk_list_box_get_selected_row (self->review_list) == GTK_LIST_BOX_ROW (child))
          on_review_selected (self, GTK_LIST_BOX_ROW (child));
        else
          gtk_list_box_select_row (self->review_list, GTK_LIST_BOX_ROW (child));
        return TRUE;
      }
  return FALSE;
}

gint64
fwr_reviews_page_get_review_id (FwrReviewsPage *self)
{
  return row_review_id (gtk_list_box_get_selected_row (self->review_list));
}

const char *
fwr_reviews_page_get_signoff_comment (FwrReviewsPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->signoff_entry));
}

void
fwr_reviews_page_set_signoff_reason (FwrReviewsPage *self, const char *reason)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->signoff_button),
                               reason ? reason : "Sign off this review with your key");
  g_autofree char *text = reason ? g_strdup_printf ("You cannot sign off: %s", reason)
                                 : g_strdup ("Your sign-off is signed with your key and recorded in the audit log.");
  gtk_label_set_label (self->signoff_label, text);
}

GtkWidget *
fwr_reviews_page_get_signoff_button (FwrReviewsPage *self)
{
  return GTK_WIDGET (self->signoff_button);
}

double
fwr_reviews_page_get_progress (FwrReviewsPage *self)
{
  return gtk_progress_bar_get_fraction (self->progress);
}

char *
fwr_reviews_page_dup_due_text (FwrReviewsPage *self)
{
  return g_strdup (self->due_text->str);
}

/* GObject */

static void
fwr_reviews_page_dispose (GObject *object)
{
  FwrReviewsPage *self = FWR_REVIEWS_PAGE (object);
  fwr_page_dispose_template (GTK_WIDGET (self), FWR_TYPE_REVIEWS_PAGE);
  G_OBJECT_CLASS (fwr_reviews_page_parent_class)->dispose (object);
}

static void
fwr_reviews_page_finalize (GObject *object)
{
  g_string_free (FWR_REVIEWS_PAGE (object)->due_text, TRUE);
  G_OBJECT_CLASS (fwr_reviews_page_parent_class)->finalize (object);
}

static void
fwr_reviews_page_class_init (FwrReviewsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = fwr_reviews_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = fwr_reviews_page_finalize;
  signals[REVIEW_SELECTED] = g_signal_new ("review-selected", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/fwreview/Fwreview/fwr-reviews-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, due_list);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, review_list);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, none_label);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, info_label);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, progress);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, rules_list);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, signoff_box);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, signoff_entry);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, signoff_button);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, signoff_label);
  gtk_widget_class_bind_template_callback (widget_class, on_review_selected);
}

static void
fwr_reviews_page_init (FwrReviewsPage *self)
{
  self->due_text = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  GtkWidget *placeholder = gtk_label_new ("No reviews yet");
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->review_list, placeholder);
  GtkWidget *due_placeholder = gtk_label_new ("Open a store and select a device");
  gtk_widget_add_css_class (due_placeholder, "dim-label");
  gtk_widget_set_margin_top (due_placeholder, 12);
  gtk_widget_set_margin_bottom (due_placeholder, 12);
  gtk_list_box_set_placeholder (self->due_list, due_placeholder);
  fwr_reviews_page_set_signoff_reason (self, NULL);
}
