/* bench-gui-filter.c: how long the Rules page keeps the main loop from running while it filters
 * a large ruleset, per search and filter, measured from a real window (run under Xvfb). */
#include "fwr-gui-test.h"
#include "fwr-rules-page.h"

/* A high-priority tick every millisecond: the longest gap between two ticks is the longest
 * time the main loop could not run anything, input and drawing included. */
typedef struct {
  gint64 last;
  gint64 max_gap;
} Watch;

static gboolean
tick (gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time ();
  watch->max_gap = MAX (watch->max_gap, now - watch->last);
  watch->last = now;
  return G_SOURCE_CONTINUE;
}

typedef enum { SEARCH, FINDING, ZONE } Kind;

typedef struct {
  Kind kind;
  const char *value;
} Query;

static void
apply (FwrRulesPage *page, const Query *query)
{
  switch (query->kind)
    {
    case SEARCH:
      fwr_rules_page_set_search (page, query->value);
      break;
    case FINDING:
      fwr_rules_page_set_finding_filter (page, query->value);
      break;
    case ZONE:
      fwr_rules_page_set_zone_filter (page, query->value);
      break;
    }
}

/* Runs the main loop for ms milliseconds. */
static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static void
measure (FwrAppWindow *window, FwrRulesPage *page, const Query *query)
{
  static const char *kinds[] = { "search", "finding", "zone" };
  settle (300);
  Watch watch = { g_get_monotonic_time (), 0 };
  guint source = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick, &watch, NULL);
  gint64 start = g_get_monotonic_time ();
  apply (page, query);
  gint64 returned = g_get_monotonic_time ();
  watch.max_gap = MAX (watch.max_gap, returned - watch.last);
  watch.last = returned;
  while (fwr_app_window_is_busy (window))
    g_main_context_iteration (NULL, TRUE);
  gint64 done = g_get_monotonic_time ();
  /* The table lays out and draws the new rows on the next frames: that counts too. */
  gint64 end = done + 200 * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (source);
  g_print ("| %-7s | %-16s | %7u | %8.1f | %9.1f | %8.1f |\n", kinds[query->kind],
           query->value[0] ? query->value : "(cleared)", fwr_rules_page_get_n_shown (page),
           (returned - start) / 1000.0, (done - start) / 1000.0, watch.max_gap / 1000.0);
}

int
main (int argc, char **argv)
{
  gtk_init ();
  if (argc < 2 || argc > 3)
    {
      g_printerr ("usage: bench-gui-filter RULESET [ZONES]\n");
      return 2;
    }
  FwrAppWindow *window = fwr_gui_test_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gint64 start = g_get_monotonic_time ();
  fwr_app_window_open_config (window, argv[1], argc == 3 ? argv[2] : NULL);
  fwr_gui_test_wait_idle (window);
  FwrRulesPage *page = FWR_RULES_PAGE (fwr_app_window_get_page (window, "rules"));
  g_print ("%u rules opened in %.1f s\n\n", fwr_rules_page_get_n_shown (page),
           (g_get_monotonic_time () - start) / 1e6);

  static const Query queries[] = {
    { SEARCH, "ssh" },
    { SEARCH, "10.64" },
    { SEARCH, "no such text" },
    { SEARCH, "" },
    { FINDING, "*" },
    { FINDING, "shadowed" },
    { FINDING, "" },
    { ZONE, "dmz" },
    { SEARCH, "tcp" },
    { ZONE, "" },
    { SEARCH, "" },
  };
  g_print ("| filter  | value            |   shown | call, ms | result, ms | longest main-loop stall, ms |\n");
  g_print ("| --- | --- | ---: | ---: | ---: | ---: |\n");
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    measure (window, page, &queries[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
