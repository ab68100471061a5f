/* test-gui-rules.c: the Rules page's search and filters under Xvfb: the rows shown are the
 * library's answer for each search, finding and zone class, worked out while the window's main
 * loop keeps running, and the selection stays on a rule the filter keeps. */
#include "fwr-gui-test.h"
#include "fwr-rules-page.h"

#include <string.h>

typedef struct {
  FwrAppWindow *window;
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fixture->dir = g_dir_make_tmp ("fwr-gui-rules-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->window = fwr_gui_test_window_new ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  fwr_gui_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static FwrRulesPage *
rules_page (Fixture *fixture)
{
  return FWR_RULES_PAGE (fwr_app_window_get_page (fixture->window, "rules"));
}

/* What a search looks in, from the library's own texts of the rule. */
static gboolean
rule_has_text (FwrRule *rule, const char *needle)
{
  g_autofree char *source = fwr_rule_dup_source_text (rule);
  g_autofree char *destination = fwr_rule_dup_destination_text (rule);
  g_autofree char *service = fwr_rule_dup_service_text (rule);
  const char *texts[] = { fwr_rule_get_id (rule), source, destination, service,
                          fwr_action_to_string (fwr_rule_get_action (rule)), fwr_rule_get_target (rule),
                          fwr_rule_get_comment (rule) };
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *lower = texts[i] ? g_utf8_strdown (texts[i], -1) : NULL;
      if (lower != NULL && strstr (lower, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
rule_has_check (FwrReport *report, FwrRule *rule, const char *check)
{
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    {
      const FwrFinding *finding = fwr_report_get_finding (report, i);
      if (fwr_finding_get_rule (finding) == rule &&
          (g_str_equal (check, "*") || g_str_equal (fwr_finding_get_check (finding), check)))
        return TRUE;
    }
  return FALSE;
}

/* The library's answer, in rule order: ids of the rules of path that contain needle (lower
 * case, "" for any), have a finding of check ("" any rule, "*" any finding) and may see
 * packets from or to zone_class (-1 any). */
static char *
dup_expected_ids (const char *path, const char *zones_path, const char *needle, const char *check,
                  int zone_class)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_autoptr (FwrZoneMap) zones = fwr_zone_map_new_from_file (zones_path, &error);
  g_assert_no_error (error);
  g_autoptr (FwrReport) report = check[0] ? fwr_analyze (ruleset, zones) : NULL;
  g_autoptr (FwrRuleZones) classes = fwr_rule_zones_new (ruleset, zones);
  GString *out = g_string_new (NULL);
  for (guint c = 0; c < fwr_ruleset_get_n_chains (ruleset); c++)
    for (guint r = 0; r < fwr_chain_get_n_rules (fwr_ruleset_get_chain (ruleset, c)); r++)
      {
        FwrRule *rule = fwr_chain_get_rule (fwr_ruleset_get_chain (ruleset, c), r);
        guint from = 0, to = 0;
        if (needle[0] && !rule_has_text (rule, needle))
          continue;
        if (check[0] && !rule_has_check (report, rule, check))
          continue;
        if (zone_class >= 0 && (!fwr_rule_zones_lookup (classes, rule, &from, &to) ||
                                ((from | to) & FWR_ZONE_CLASS_BIT (zone_class)) == 0))
          continue;
        g_string_append_printf (out, "%s%s", out->len ? " " : "", fwr_rule_get_id (rule));
      }
  return g_string_free (out, FALSE);
}

static void
filter (Fixture *fixture, const char *search, const char *check, const char *zone_class)
{
  fwr_gui_test_activate (fixture->window, "win.filter-rules", "s", search);
  fwr_gui_test_activate (fixture->window, "win.filter-finding", "s", check);
  fwr_gui_test_activate (fixture->window, "win.filter-zone", "s", zone_class);
}

static void
assert_shows_library_rows (Fixture *fixture, const char *path, const char *zones_path, const char *search,
                           const char *check, const char *zone_class)
{
  FwrZoneClass klass = 0;
  g_assert_true (zone_class[0] == '\0' || fwr_zone_class_from_string (zone_class, &klass));
  g_autofree char *needle = g_utf8_strdown (search, -1);
  g_autofree char *expected = dup_expected_ids (path, zones_path, needle, check,
                                                zone_class[0] ? (int) klass : -1);
  g_autofree char *shown = fwr_rules_page_dup_shown_ids (rules_page (fixture));
  g_test_message ("search \"%s\", finding \"%s\", zone \"%s\": %u rules", search, check, zone_class,
                  fwr_rules_page_get_n_shown (rules_page (fixture)));
  g_assert_cmpstr (shown, ==, expected);
}

static void
test_same_rows_as_library (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = fwr_gui_test_sample ("edge.json");
  g_autofree char *zones = fwr_gui_test_sample ("edge-zones.json");
  fwr_gui_test_activate (fixture->window, "win.open-config-file", "s", path);
  static const char *cases[][3] = {
    { "ssh", "", "" },
    { "SSH", "", "" },
    { "203.0.113.", "", "" },
    { "accept", "", "" },
    { "", "*", "" },
    { "", "any-any", "" },
    { "", "", "dmz" },
    { "", "", "internet" },
    { "tcp", "*", "dmz" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      filter (fixture, cases[i][0], cases[i][1], cases[i][2]);
      assert_shows_library_rows (fixture, path, zones, cases[i][0], cases[i][1], cases[i][2]);
      /* Each case leaves some rules and hides others: a wrong filter shows. */
      guint shown = fwr_rules_page_get_n_shown (rules_page (fixture));
      g_assert_cmpuint (shown, >, 0);
      g_assert_cmpuint (shown, <, 26);
    }
  filter (fixture, "no such text", "", "");
  g_assert_cmpuint (fwr_rules_page_get_n_shown (rules_page (fixture)), ==, 0);
  filter (fixture, "", "", "");
  g_assert_cmpuint (fwr_rules_page_get_n_shown (rules_page (fixture)), ==, 26);
}

/* A newer search replaces one still being worked out: only the newer one is ever shown. */
static void
test_newer_search_wins (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = fwr_gui_test_sample ("edge.json");
  g_autofree char *zones = fwr_gui_test_sample ("edge-zones.json");
  fwr_gui_test_activate (fixture->window, "win.open-config-file", "s", path);
  FwrRulesPage *page = rules_page (fixture);
  fwr_rules_page_set_search (page, "a");
  g_assert_true (fwr_rules_page_is_filtering (page));
  fwr_rules_page_set_search (page, "ssh");
  fwr_gui_test_wait_idle (fixture->window);
  assert_shows_library_rows (fixture, path, zones, "ssh", "", "");
}

/* The selected rule stays selected while a filter keeps it, and is let go when one hides it. */
static void
test_selection_follows_filter (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = fwr_gui_test_sample ("edge.json");
  fwr_gui_test_activate (fixture->window, "win.open-config-file", "s", path);
  FwrRulesPage *page = rules_page (fixture);
  fwr_gui_test_activate (fixture->window, "win.jump-to-rule", "s", "inet/edge/lan_to_dmz/44");
  g_assert_cmpstr (fwr_rules_page_get_selected_rule (page), ==, "inet/edge/lan_to_dmz/44");

  fwr_gui_test_activate (fixture->window, "win.filter-rules", "s", "ssh");
  g_assert_cmpuint (fwr_rules_page_get_n_shown (page), ==, 2);
  g_assert_cmpstr (fwr_rules_page_get_selected_rule (page), ==, "inet/edge/lan_to_dmz/44");
  g_autofree char *details = fwr_rules_page_dup_detail_text (page);
  g_assert_true (g_str_has_prefix (details, "inet/edge/lan_to_dmz/44"));

  fwr_gui_test_activate (fixture->window, "win.filter-rules", "s", "no such text");
  g_assert_cmpuint (fwr_rules_page_get_n_shown (page), ==, 0);
  g_assert_null (fwr_rules_page_get_selected_rule (page));
  g_autofree char *none = fwr_rules_page_dup_detail_text (page);
  g_assert_cmpstr (none, ==, "Select a rule to see what it matches and its findings.\n");

  /* A jump to a hidden rule clears the search and selects it. */
  fwr_gui_test_activate (fixture->window, "win.jump-to-rule", "s", "inet/edge/input/17");
  g_assert_cmpstr (fwr_rules_page_get_selected_rule (page), ==, "inet/edge/input/17");
  g_assert_cmpuint (fwr_rules_page_get_n_shown (page), ==, 26);
}

typedef struct {
  FwrRulesPage *page;
  guint while_filtering;
  guint after;
} Ticks;

static gboolean
tick (gpointer data)
{
  Ticks *ticks = data;
  if (fwr_rules_page_is_filtering (ticks->page))
    ticks->while_filtering++;
  else
    ticks->after++;
  return G_SOURCE_CONTINUE;
}

static gboolean
tick_once (gpointer data)
{
  tick (data);
  return G_SOURCE_REMOVE;
}

static char *
generate_ruleset (Fixture *fixture, guint n_rules, char **out_zones)
{
  g_autofree char *generator = g_test_build_filename (G_TEST_BUILT, "bench", "gen-ruleset", NULL);
  char *path = g_build_filename (fixture->dir, "large.json", NULL);
  *out_zones = g_build_filename (fixture->dir, "large-zones.json", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n_rules);
  const char *argv[] = { generator, "--zones", *out_zones, "-o", path, count, NULL };
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return path;
}

/* While a worker filters a large device the main loop runs on: other sources fire, then the
 * rows shown are the library's. */
static void
test_main_loop_runs_while_filtering (Fixture *fixture, gconstpointer data)
{
  g_autofree char *zones = NULL;
  g_autofree char *path = generate_ruleset (fixture, 20000, &zones);
  fwr_gui_test_activate (fixture->window, "win.open-config-file", "s", path);
  FwrRulesPage *page = rules_page (fixture);
  g_assert_cmpuint (fwr_rules_page_get_n_shown (page), ==, 20000);

  static const char *searches[] = { "tcp", "10.64.", "no such text" };
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      Ticks ticks = { page, 0, 0 };
      guint shown_before = fwr_rules_page_get_n_shown (page);
      fwr_rules_page_set_search (page, searches[i]);
      /* Nothing was worked out on the way: the table still shows the previous rows. */
      g_assert_true (fwr_rules_page_is_filtering (page));
      g_assert_true (fwr_app_window_is_busy (fixture->window));
      g_assert_cmpuint (fwr_rules_page_get_n_shown (page), ==, shown_before);
      /* Above the default priority the worker's answer comes back at: when both are ready
       * these run first, so they see the filtering under way however fast it was. */
      g_idle_add_full (G_PRIORITY_HIGH, tick_once, &ticks, NULL);
      guint source = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick, &ticks, NULL);
      fwr_gui_test_wait_idle (fixture->window);
      g_source_remove (source);
      g_test_message ("\"%s\": %u ticks while filtering", searches[i], ticks.while_filtering);
      g_assert_cmpuint (ticks.while_filtering, >=, 1);
      assert_shows_library_rows (fixture, path, zones, searches[i], "", "");
    }
  fwr_gui_test_activate (fixture->window, "win.filter-rules", "s", "");
  filter (fixture, "", "*", "dmz");
  assert_shows_library_rows (fixture, path, zones, "", "*", "dmz");
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/fwr/gui/rules/same-rows-as-library", test_same_rows_as_library);
  ADD ("/fwr/gui/rules/newer-search-wins", test_newer_search_wins);
  ADD ("/fwr/gui/rules/selection-follows-filter", test_selection_follows_filter);
  ADD ("/fwr/gui/rules/main-loop-runs-while-filtering", test_main_loop_runs_while_filtering);
#undef ADD
  return g_test_run ();
}
