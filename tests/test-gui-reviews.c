/* test-gui-reviews.c: the Reviews page's calendar of due dates under Xvfb, on a store whose
 * device was added 400 days ago: every due date the library lists is marked, no other day is,
 * and a marked day names its reviews and highlights them in the due list, and back. */
#include "fwr-gui-test.h"
#include "fwr-reviews-page.h"

#include <string.h>

typedef struct {
  FwrGuiStore store;
  FwrAppWindow *window;
  GPtrArray *dues;    /* (element-type FwrReviewDue) edge's, from the library */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  /* Everything in the store happened 400 days ago: each scope's first review is overdue. */
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) then = g_date_time_add_days (now, -400);
  g_autofree char *when = g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
  g_setenv ("FWR_NOW", when, TRUE);
  fwr_gui_store_init (&fixture->store);
  g_unsetenv ("FWR_NOW");

  g_autoptr (GError) error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (fixture->store.store_path, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) all = fwr_store_list_reviews_due (store, NULL, &error);
  g_assert_no_error (error);
  fixture->dues = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_due_free);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (((FwrReviewDue *) g_ptr_array_index (all, i))->device, "edge"))
      g_ptr_array_add (fixture->dues, g_ptr_array_steal_index (all, i--));
  g_assert_cmpuint (fixture->dues->len, ==, FWR_REVIEW_N_SCOPES);

  fixture->window = fwr_gui_test_window_new ();
  fwr_gui_test_activate (fixture->window, "win.set-identity-file", "s", fixture->store.bob_key);
  fwr_gui_test_activate (fixture->window, "win.open-store-file", "s", fixture->store.store_path);
  fwr_gui_test_activate (fixture->window, "win.show-page", "s", "reviews");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (fixture->dues);
  fwr_gui_store_clear (&fixture->store);
}

static FwrReviewsPage *
reviews_page (Fixture *fixture)
{
  return FWR_REVIEWS_PAGE (fwr_app_window_get_page (fixture->window, "reviews"));
}

/* The day a due entry falls on, as the list prints it: the UTC date of next_due. */
static GDateTime *
dup_due_day (const FwrReviewDue *due)
{
  int year = 0, month = 0, day = 0;
  g_assert_cmpint (sscanf (due->next_due, "%4d-%2d-%2d", &year, &month, &day), ==, 3);
  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

static gboolean
same_day (GDateTime *a, GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

static void
select_day (FwrReviewsPage *page, GDateTime *day)
{
  gtk_calendar_select_day (fwr_reviews_page_get_calendar (page), day);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
count_marks (GtkCalendar *calendar)
{
  guint n = 0;
  for (guint day = 1; day <= 31; day++)
    n += gtk_calendar_get_day_is_marked (calendar, day);
  return n;
}

/* The distinct days of the library's due dates in day's month. */
static guint
count_due_days_in_month (Fixture *fixture, GDateTime *day)
{
  g_autoptr (GHashTable) days = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < fixture->dues->len; i++)
    {
      g_autoptr (GDateTime) due = dup_due_day (g_ptr_array_index (fixture->dues, i));
      if (g_date_time_get_year (due) == g_date_time_get_year (day) &&
          g_date_time_get_month (due) == g_date_time_get_month (day))
        g_hash_table_add (days, GINT_TO_POINTER (g_date_time_get_day_of_month (due)));
    }
  return g_hash_table_size (days);
}

static void
test_marks_due_days (Fixture *fixture, gconstpointer data)
{
  FwrReviewsPage *page = reviews_page (fixture);
  GtkCalendar *calendar = fwr_reviews_page_get_calendar (page);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (calendar)));
  for (guint i = 0; i < fixture->dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (fixture->dues, i);
      g_assert_cmpint (due->status, ==, FWR_REVIEW_DUE_OVERDUE);
      g_autoptr (GDateTime) day = dup_due_day (due);
      select_day (page, day);
      g_assert_true (gtk_calendar_get_day_is_marked (calendar, g_date_time_get_day_of_month (day)));
      g_assert_cmpuint (count_marks (calendar), ==, count_due_days_in_month (fixture, day));

      /* The label names every review due that day with its status; the list shows one. */
      const char *text = fwr_reviews_page_get_day_text (page);
      g_autofree char *head = g_date_time_format (day, "Due on %Y-%m-%d: ");
      g_assert_true (g_str_has_prefix (text, head));
      for (guint j = 0; j < fixture->dues->len; j++)
        {
          const FwrReviewDue *other = g_ptr_array_index (fixture->dues, j);
          g_autoptr (GDateTime) other_day = dup_due_day (other);
          g_autofree char *words = g_strdup_printf ("the %s review (%s", fwr_review_scope_to_string (other->scope),
                                                    fwr_review_due_status_to_string (other->status));
          g_assert_cmpint (strstr (text, words) != NULL, ==, same_day (day, other_day));
        }
      const FwrReviewDue *selected = fwr_reviews_page_get_selected_due (page);
      g_assert_nonnull (selected);
      g_autoptr (GDateTime) selected_day = dup_due_day (selected);
      g_assert_true (same_day (selected_day, day));
    }
}

/* The device opens on its earliest due date, that entry highlighted. */
static void
test_opens_on_earliest (Fixture *fixture, gconstpointer data)
{
  FwrReviewsPage *page = reviews_page (fixture);
  const FwrReviewDue *earliest = NULL;
  for (guint i = 0; i < fixture->dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (fixture->dues, i);
      if (earliest == NULL || strcmp (due->next_due, earliest->next_due) < 0)
        earliest = due;
    }
  /* dmz's interval is the shortest. */
  g_assert_cmpint (earliest->scope, ==, FWR_REVIEW_SCOPE_DMZ);
  g_autoptr (GDateTime) shown = gtk_calendar_get_date (fwr_reviews_page_get_calendar (page));
  g_autoptr (GDateTime) day = dup_due_day (earliest);
  g_assert_true (same_day (shown, day));
  g_assert_true (fwr_reviews_page_get_selected_due (page) != NULL);
  g_assert_cmpint (fwr_reviews_page_get_selected_due (page)->scope, ==, FWR_REVIEW_SCOPE_DMZ);
  g_assert_nonnull (strstr (fwr_reviews_page_get_day_text (page), "the dmz review (overdue)"));
}

/* A day with nothing due says so and highlights nothing; a month without due dates has no mark. */
static void
test_day_without_review (Fixture *fixture, gconstpointer data)
{
  FwrReviewsPage *page = reviews_page (fixture);
  GtkCalendar *calendar = fwr_reviews_page_get_calendar (page);
  g_autoptr (GDateTime) due = dup_due_day (g_ptr_array_index (fixture->dues, 0));
  /* The day before the due date, or the one after at the start of a month. */
  g_autoptr (GDateTime) other = g_date_time_add_days (due, g_date_time_get_day_of_month (due) > 1 ? -1 : 1);
  select_day (page, other);
  g_autofree char *expected = g_date_time_format (other, "No review of edge is due on %Y-%m-%d.");
  g_assert_true (g_str_has_prefix (fwr_reviews_page_get_day_text (page), expected));
  g_assert_null (fwr_reviews_page_get_selected_due (page));
  g_assert_true (gtk_calendar_get_day_is_marked (calendar, g_date_time_get_day_of_month (due)));

  /* Every scope is due within a year of the store's start: two years on, nothing. */
  g_autoptr (GDateTime) later = g_date_time_add_years (due, 2);
  select_day (page, later);
  g_assert_cmpuint (count_marks (calendar), ==, 0);
}

/* Choosing an entry in the due list shows its date in the calendar. */
static void
test_list_moves_calendar (Fixture *fixture, gconstpointer data)
{
  FwrReviewsPage *page = reviews_page (fixture);
  for (guint i = 0; i < fixture->dues->len; i++)
    {
      const FwrReviewDue *due = g_ptr_array_index (fixture->dues, i);
      g_assert_true (fwr_reviews_page_select_due (page, due->scope));
      g_autoptr (GDateTime) shown = gtk_calendar_get_date (fwr_reviews_page_get_calendar (page));
      g_autoptr (GDateTime) day = dup_due_day (due);
      g_assert_true (same_day (shown, day));
      /* Two scopes due the same day: the one chosen stays highlighted. */
      g_assert_cmpint (fwr_reviews_page_get_selected_due (page)->scope, ==, due->scope);
    }
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/fwr/gui/reviews/marks-due-days", test_marks_due_days);
  ADD ("/fwr/gui/reviews/opens-on-earliest", test_opens_on_earliest);
  ADD ("/fwr/gui/reviews/day-without-review", test_day_without_review);
  ADD ("/fwr/gui/reviews/list-moves-calendar", test_list_moves_calendar);
#undef ADD
  return g_test_run ();
}
