/* fwr-reviews-page.c: the Reviews page. It reads due dates (the calls of `fwreview review
 * due`) and frozen reviews from the store (no analysis: a review froze its rules and findings
 * when it started); its buttons run the window's review actions. */
#include "fwr-reviews-page.h"
#include "fwr-gui-helpers.h"
#include "fwr-rule-item.h"

struct _FwrReviewsPage {
  GtkWidget parent_instance;
  GtkCalendar *calendar;
  GtkLabel *day_label;
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
  GPtrArray *dues;          /* (element-type FwrReviewDue) the device's scopes, as listed */
  gboolean syncing;         /* the calendar and the due list are following each other */
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
due_row_new (const FwrReviewDue *due, guint index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  g_object_set_data (G_OBJECT (row), "due-index", GUINT_TO_POINTER (index + 1));
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
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/* -1 for none. */
static int
row_due_index (GtkListBoxRow *row)
{
  return row ? (int) GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "due-index")) - 1 : -1;
}

/* The device's entries of the library's "what is due", in its order. */
static void
take_device_dues (FwrReviewsPage *self, GPtrArray *all)
{
  g_ptr_array_set_size (self->dues, 0);
  if (all == NULL)
    return;
  gsize n = 0;
  FwrReviewDue **dues = (FwrReviewDue **) g_ptr_array_steal (all, &n);
  for (gsize i = 0; i < n; i++)
    if (dues[i]->device_id == self->device_id)
      g_ptr_array_add (self->dues, dues[i]);
    else
      fwr_review_due_free (dues[i]);
  g_free (dues);
}

static void
fill_due (FwrReviewsPage *self)
{
  clear_list (self->due_list);
  g_string_truncate (self->due_text, 0);
  g_autoptr (GPtrArray) all = self->store ? fwr_store_list_reviews_due (self->store, NULL, NULL) : NULL;
  take_device_dues (self, all);
  for (guint i = 0; i < self->dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (self->dues, i);
      gtk_list_box_append (self->due_list, due_row_new (due, i));
      g_string_append_printf (self->due_text, "%s %s\n", fwr_review_scope_to_string (due->scope),
                              fwr_review_due_status_to_string (due->status));
    }
}

/* The calendar of due dates */

/* The calendar's day of a due date: the UTC date the list shows. */
static gboolean
get_due_day (const FwrReviewDue *due, int *year, int *month, int *day)
{
  g_autoptr (GDateTime) time = fwr_time_parse (due->next_due);
  if (time == NULL)
    return FALSE;
  g_date_time_get_ymd (time, year, month, day);
  return TRUE;
}

static gboolean
due_is_on (const FwrReviewDue *due, GDateTime *date)
{
  int year, month, day;
  return get_due_day (due, &year, &month, &day) && year == g_date_time_get_year (date) &&
         month == g_date_time_get_month (date) && day == g_date_time_get_day_of_month (date);
}

/* GtkCalendar marks day numbers, not dates: the marks are redone for each month shown. */
static void
mark_month (FwrReviewsPage *self, GDateTime *shown)
{
  gtk_calendar_clear_marks (self->calendar);
  for (guint i = 0; i < self->dues->len; i++)
    {
      int year, month, day;
      if (get_due_day (g_ptr_array_index (self->dues, i), &year, &month, &day) &&
          year == g_date_time_get_year (shown) && month == g_date_time_get_month (shown))
        gtk_calendar_mark_day (self->calendar, (guint) day);
    }
}

static char *
dup_due_markup (const FwrReviewDue *due)
{
  const char *status = fwr_review_due_status_to_string (due->status);
  return g_markup_printf_escaped ("the <b>%s</b> review (<span foreground=\"%s\" weight=\"bold\">%s</span>%s)",
                                  fwr_review_scope_to_string (due->scope), due_colors[due->status],
                                  status, due->open_review_id ? ", under way" : "");
}

static void
select_due_row (FwrReviewsPage *self, int index)
{
  self->syncing = TRUE;
  GtkListBoxRow *row = index >= 0 ? gtk_list_box_get_row_at_index (self->due_list, index) : NULL;
  if (row != NULL)
    gtk_list_box_select_row (self->due_list, row);
  else
    gtk_list_box_unselect_all (self->due_list);
  self->syncing = FALSE;
}

/* What is due on the selected day, in words (the calendar can only mark it), and that entry
 * highlighted in the list; a selected entry of that day stays selected. */
static void
show_day (FwrReviewsPage *self, GDateTime *date)
{
  g_autofree char *day = g_date_time_format (date, "%Y-%m-%d");
  g_autoptr (GString) dues = g_string_new (NULL);
  int selected = row_due_index (gtk_list_box_get_selected_row (self->due_list));
  int highlight = -1;
  for (guint i = 0; i < self->dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (self->dues, i);
      if (!due_is_on (due, date))
        continue;
      g_autofree char *markup = dup_due_markup (due);
      g_string_append_printf (dues, "%s%s", dues->len ? ", " : "", markup);
      if (highlight < 0 || (int) i == selected)
        highlight = (int) i;
    }
  g_autofree char *text = NULL;
  if (self->dues->len == 0)
    text = g_strdup ("Open a store and select a device to see when its reviews are due.");
  else if (highlight < 0)
    text = g_markup_printf_escaped ("No review of %s is due on %s. Marked days are due dates.",
                                    ((FwrReviewDue *) g_ptr_array_index (self->dues, 0))->device, day);
  else
    text = g_strdup_printf ("Due on %s: %s.", day, dues->str);
  gtk_label_set_markup (self->day_label, text);
  select_due_row (self, highlight);
}

static void
on_date_changed (FwrReviewsPage *self)
{
  g_autoptr (GDateTime) date = gtk_calendar_get_date (self->calendar);
  mark_month (self, date);
  show_day (self, date);
}

/* Choosing an entry in the list shows its due date in the calendar. */
static void
on_due_selected (FwrReviewsPage *self, GtkListBoxRow *row)
{
  int index = row_due_index (row);
  if (self->syncing || index < 0)
    return;
  int year, month, day;
  if (!get_due_day (g_ptr_array_index (self->dues, index), &year, &month, &day))
    return;
  g_autoptr (GDateTime) date = g_date_time_new_local (year, month, day, 0, 0, 0);
  gtk_calendar_select_day (self->calendar, date);
}

/* A device's calendar opens on its most pressing due date: the earliest. */
static void
show_earliest_due (FwrReviewsPage *self)
{
  const FwrReviewDue *earliest = NULL;
  for (guint i = 0; i < self->dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (self->dues, i);
      if (earliest == NULL || g_strcmp0 (due->next_due, earliest->next_due) < 0)
        earliest = due;
    }
  int year, month, day;
  if (earliest != NULL && get_due_day (earliest, &year, &month, &day))
    {
      g_autoptr (GDateTime) date = g_date_time_new_local (year, month, day, 0, 0, 0);
      gtk_calendar_select_day (self->calendar, date);
    }
  /* The same date selects nothing new: show it all the same. */
  on_date_changed (self);
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
  gboolean other = store != self->store || device_id != self->device_id;
  if (other)
    gtk_list_box_unselect_all (self->review_list);
  self->store = store;
  self->device_id = device_id;
  fwr_reviews_page_reload (self);
  if (other)
    show_earliest_due (self);
}

void
fwr_reviews_page_reload (FwrReviewsPage *self)
{
  gint64 selected = fwr_reviews_page_get_review_id (self);
  fill_due (self);
  on_date_changed (self);
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

gboolean
fwr_reviews_page_select_due (FwrReviewsPage *self, FwrReviewScope scope)
{
  for (guint i = 0; i < self->dues->len; i++)
    if (((FwrReviewDue *) g_ptr_array_index (self->dues, i))->scope == scope)
      {
        gtk_list_box_select_row (self->due_list, gtk_list_box_get_row_at_index (self->due_list, (int) i));
        return TRUE;
      }
  return FALSE;
}

GtkCalendar *
fwr_reviews_page_get_calendar (FwrReviewsPage *self)
{
  return self->calendar;
}

const char *
fwr_reviews_page_get_day_text (FwrReviewsPage *self)
{
  return gtk_label_get_text (self->day_label);
}

const FwrReviewDue *
fwr_reviews_page_get_selected_due (FwrReviewsPage *self)
{
  int index = row_due_index (gtk_list_box_get_selected_row (self->due_list));
  return index >= 0 ? g_ptr_array_index (self->dues, index) : NULL;
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
  g_ptr_array_unref (FWR_REVIEWS_PAGE (object)->dues);
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
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, FwrReviewsPage, day_label);
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
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_due_selected);
}

static void
fwr_reviews_page_init (FwrReviewsPage *self)
{
  self->due_text = g_string_new (NULL);
  self->dues = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_due_free);
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
