/* test-gui-app.c: the desktop app driven through its window actions under Xvfb: a file's
 * rules filtered, a store opened, a change approved by a supervisor, approval refused to its
 * submitter with the reason, the audit log verified, an import error shown inline. */
#include "fwr-gui-test.h"
#include "fwr-rules-page.h"
#include "fwr-findings-page.h"
#include "fwr-changes-page.h"
#include "fwr-audit-page.h"
#include "fwr-import-dialog.h"
#include "fwr-reviews-page.h"
#include "fwr-export-dialog.h"
#include "fwr-passphrase-dialog.h"

typedef struct {
  FwrGuiStore store;
  FwrAppWindow *window;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fwr_gui_store_init (&fixture->store);
  fixture->window = fwr_gui_test_window_new ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  fwr_gui_store_clear (&fixture->store);
}

static FwrRulesPage *
rules_page (Fixture *fixture)
{
  return FWR_RULES_PAGE (fwr_app_window_get_page (fixture->window, "rules"));
}

/* The library's own answer: rule ids with a finding of check, in rule order. */
static char *
dup_ids_with_check (const char *check)
{
  g_autofree char *path = fwr_gui_test_sample ("edge.json");
  g_autofree char *zones_path = fwr_gui_test_sample ("edge-zones.json");
  g_autoptr (FwrRuleset) ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, NULL);
  g_autoptr (FwrZoneMap) zones = fwr_zone_map_new_from_file (zones_path, NULL);
  g_autoptr (FwrReport) report = fwr_analyze (ruleset, zones);
  GString *out = g_string_new (NULL);
  for (guint c = 0; c < fwr_ruleset_get_n_chains (ruleset); c++)
    for (guint r = 0; r < fwr_chain_get_n_rules (fwr_ruleset_get_chain (ruleset, c)); r++)
      {
        FwrRule *rule = fwr_chain_get_rule (fwr_ruleset_get_chain (ruleset, c), r);
        gboolean has = FALSE;
        for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
          has |= fwr_finding_get_rule (fwr_report_get_finding (report, i)) == rule &&
                 g_str_equal (fwr_finding_get_check (fwr_report_get_finding (report, i)), check);
        if (has)
          g_string_append_printf (out, "%s%s", out->len ? " " : "", fwr_rule_get_id (rule));
      }
  return g_string_free (out, FALSE);
}

/* The library's own answer: rule ids whose packets may come from or go to class. */
static char *
dup_ids_in_class (FwrZoneClass klass)
{
  g_autofree char *path = fwr_gui_test_sample ("edge.json");
  g_autofree char *zones_path = fwr_gui_test_sample ("edge-zones.json");
  g_autoptr (FwrRuleset) ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, NULL);
  g_autoptr (FwrZoneMap) zones = fwr_zone_map_new_from_file (zones_path, NULL);
  g_autoptr (FwrRuleZones) classes = fwr_rule_zones_new (ruleset, zones);
  GString *out = g_string_new (NULL);
  for (guint c = 0; c < fwr_ruleset_get_n_chains (ruleset); c++)
    for (guint r = 0; r < fwr_chain_get_n_rules (fwr_ruleset_get_chain (ruleset, c)); r++)
      {
        FwrRule *rule = fwr_chain_get_rule (fwr_ruleset_get_chain (ruleset, c), r);
        guint from = 0, to = 0;
        g_assert_true (fwr_rule_zones_lookup (classes, rule, &from, &to));
        if ((from | to) & FWR_ZONE_CLASS_BIT (klass))
          g_string_append_printf (out, "%s%s", out->len ? " " : "", fwr_rule_get_id (rule));
      }
  return g_string_free (out, FALSE);
}

static void
test_file_rules (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = fwr_gui_test_sample ("edge.json");
  fwr_gui_test_activate (fixture->window, "win.open-config-file", "s", path);
  FwrRulesPage *page = rules_page (fixture);
  g_assert_cmpuint (fwr_rules_page_get_n_shown (page), ==, 26);

  fwr_gui_test_activate (fixture->window, "win.filter-rules", "s", "ssh");
  g_autofree char *ssh = fwr_rules_page_dup_shown_ids (page);
  g_assert_cmpstr (ssh, ==, "inet/edge/input/17 inet/edge/lan_to_dmz/44");

  fwr_gui_test_activate (fixture->window, "win.filter-rules", "s", "");
  fwr_gui_test_activate (fixture->window, "win.filter-finding", "s", "any-any");
  g_autofree char *any_any = fwr_rules_page_dup_shown_ids (page);
  g_autofree char *expected = dup_ids_with_check ("any-any");
  g_assert_cmpstr (expected, !=, "");
  g_assert_cmpstr (any_any, ==, expected);

  /* Jumping to a rule the filter hides clears the filter and selects it. */
  fwr_gui_test_activate (fixture->window, "win.jump-to-rule", "s", "inet/edge/input/13");
  g_assert_cmpstr (fwr_rules_page_get_selected_rule (page), ==, "inet/edge/input/13");
  g_autofree char *details = fwr_rules_page_dup_detail_text (page);
  g_assert_nonnull (strstr (details, "Effective match after jumps:\ninput: ipv4 iif {lo} | ipv6 iif {lo}\n"));
  g_assert_cmpuint (fwr_rules_page_get_n_shown (page), ==, 26);

  fwr_gui_test_activate (fixture->window, "win.filter-zone", "s", "management");
  g_autofree char *management = fwr_rules_page_dup_shown_ids (page);
  g_autofree char *expected_management = dup_ids_in_class (FWR_ZONE_CLASS_MANAGEMENT);
  g_assert_cmpstr (management, ==, expected_management);
  /* Internet to the order host only: neither side can be the management LAN. */
  g_assert_null (strstr (management, "inet/edge/forward/31"));
  g_assert_nonnull (strstr (management, "inet/edge/forward/33"));
}

static void
test_findings_lead_to_rules (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = fwr_gui_test_sample ("edge.json");
  fwr_gui_test_activate (fixture->window, "win.open-config-file", "s", path);
  FwrFindingsPage *findings = FWR_FINDINGS_PAGE (fwr_app_window_get_page (fixture->window, "findings"));
  g_autofree char *summary = fwr_findings_page_dup_summary (findings);
  g_autofree char *any_any = dup_ids_with_check ("any-any");
  g_auto (GStrv) ids = g_strsplit (any_any, " ", -1);
  g_autofree char *line = g_strdup_printf ("any-any %u\n", g_strv_length (ids));
  g_assert_nonnull (strstr (summary, line));

  fwr_gui_test_activate (fixture->window, "win.show-page", "s", "findings");
  g_assert_true (fwr_findings_page_activate_first (findings, "any-any"));
  fwr_gui_test_wait_idle (fixture->window);
  g_assert_cmpstr (fwr_rules_page_get_selected_rule (rules_page (fixture)), ==, ids[0]);
}

static gboolean
change_loaded (gpointer data)
{
  fwr_gui_test_window_idle (data);
  FwrChangesPage *page = FWR_CHANGES_PAGE (fwr_app_window_get_page (FWR_APP_WINDOW (data), "changes"));
  return !fwr_changes_page_is_loading (page);
}

static FwrChangesPage *
open_change (Fixture *fixture, const char *key, gint64 id)
{
  fwr_gui_test_activate (fixture->window, "win.set-identity-file", "s", key);
  fwr_gui_test_activate (fixture->window, "win.open-store-file", "s", fixture->store.store_path);
  fwr_gui_test_activate (fixture->window, "win.open-change", "x", id);
  fwr_gui_test_wait_for (change_loaded, fixture->window);
  return FWR_CHANGES_PAGE (fwr_app_window_get_page (fixture->window, "changes"));
}

static void
test_supervisor_approves (Fixture *fixture, gconstpointer data)
{
  FwrChangesPage *page = open_change (fixture, fixture->store.dave_key, fixture->store.pending_change);
  g_assert_cmpstr (fwr_app_window_get_user (fixture->window)->name, ==, "dave");
  g_assert_cmpint (fwr_changes_page_get_change_id (page), ==, fixture->store.pending_change);
  g_autofree char *detail = fwr_changes_page_dup_detail_text (page);
  /* What dave reads before signing: the new rule, the removed debug rule, its findings. */
  g_assert_nonnull (strstr (detail, "Differences: 1 added, 1 removed, 1 modified, 0 moved"));
  g_assert_nonnull (strstr (detail, "db replica for partner"));
  g_assert_nonnull (strstr (detail, "removed  inet/edge/forward/34"));
  /* Without the "temp debug" accept-all, the internet no longer reaches the LAN; the replica's
   * port was open before through that same rule, so nothing is newly permitted. */
  g_assert_nonnull (strstr (detail, "Traffic newly permitted or denied"));
  g_assert_nonnull (strstr (detail, "newly denied  internet → lan (forward): from "));
  g_assert_null (strstr (detail, "newly permitted  "));

  GtkWidget *approve = fwr_changes_page_get_approve_button (page);
  g_assert_true (gtk_widget_is_sensitive (approve));
  gtk_editable_set_text (GTK_EDITABLE (fwr_changes_page_get_comment_entry (page)), "checked with the partner");
  fwr_gui_test_activate (fixture->window, "win.approve-change", NULL);

  g_autoptr (GError) error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (fixture->store.store_path, &error);
  g_autoptr (FwrChange) change = fwr_store_get_change (store, fixture->store.pending_change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->state, ==, FWR_CHANGE_APPROVED);
  g_assert_cmpstr (change->decided_by, ==, "dave");
  g_autoptr (GPtrArray) approvals = fwr_store_list_approvals (store, change->id, &error);
  g_assert_cmpuint (approvals->len, ==, 1);
  FwrApproval *approval = g_ptr_array_index (approvals, 0);
  g_assert_cmpstr (approval->comment, ==, "checked with the partner");
  g_autoptr (FwrAuditReport) report = fwr_store_verify_audit (store, &error);
  g_assert_true (report->intact);

  /* Decided: the page shows the signed decision and no buttons. */
  fwr_gui_test_wait_for (change_loaded, fixture->window);
  g_autofree char *after = fwr_changes_page_dup_detail_text (page);
  g_assert_nonnull (strstr (after, "Approved by dave on "));
  g_assert_nonnull (strstr (after, "signature valid"));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_parent (approve))));
}

static void
test_submitter_refused (Fixture *fixture, gconstpointer data)
{
  FwrChangesPage *page = open_change (fixture, fixture->store.bob_key, fixture->store.bob_change);
  GtkWidget *approve = fwr_changes_page_get_approve_button (page);
  GtkWidget *reject = fwr_changes_page_get_reject_button (page);
  g_assert_false (gtk_widget_is_sensitive (approve));
  g_assert_false (gtk_widget_is_sensitive (reject));
  g_autofree char *reason = g_strdup_printf ("segregation of duties: bob submitted change %" G_GINT64_FORMAT
                                             " and may not approve it; another supervisor must decide",
                                             fixture->store.bob_change);
  const char *tooltip = gtk_widget_get_tooltip_text (approve);
  g_assert_cmpstr (tooltip, ==, reason);

  /* The same key may approve alice's change. */
  fwr_gui_test_activate (fixture->window, "win.open-change", "x", fixture->store.pending_change);
  fwr_gui_test_wait_for (change_loaded, fixture->window);
  g_assert_true (gtk_widget_is_sensitive (approve));
}

static void
test_audit_log (Fixture *fixture, gconstpointer data)
{
  fwr_gui_test_activate (fixture->window, "win.open-store-file", "s", fixture->store.store_path);
  FwrAuditPage *page = FWR_AUDIT_PAGE (fwr_app_window_get_page (fixture->window, "audit"));
  g_autoptr (FwrStore) store = fwr_store_open (fixture->store.store_path, NULL);
  g_autoptr (GPtrArray) records = fwr_store_list_audit (store, NULL);
  g_assert_cmpuint (fwr_audit_page_get_n_records (page), ==, records->len);
  g_assert_true (g_str_has_prefix (fwr_audit_page_get_status (page), "Intact: "));
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (fwr_app_window_get_audit_banner (fixture->window))));
}

/* Someone with the file changes who approved the baseline: the window says so on every page. */
static void
test_audit_banner (Fixture *fixture, gconstpointer data)
{
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  if (sqlite3 == NULL)
    {
      g_test_skip ("the sqlite3 shell is not installed (Debian package sqlite3)");
      return;
    }
  const char *argv[] = { "sqlite3", fixture->store.store_path,
                         "UPDATE audit_log SET actor = 'dave' WHERE action = 'change.approve'", NULL };
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  fwr_gui_test_activate (fixture->window, "win.open-store-file", "s", fixture->store.store_path);
  GtkWidget *banner = fwr_app_window_get_audit_banner (fixture->window);
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (banner)));
  FwrAuditPage *page = FWR_AUDIT_PAGE (fwr_app_window_get_page (fixture->window, "audit"));
  g_autoptr (FwrStore) store = fwr_store_open (fixture->store.store_path, NULL);
  g_autoptr (FwrAuditReport) report = fwr_store_verify_audit (store, NULL);
  g_assert_false (report->intact);
  g_autofree char *expected = g_strdup_printf ("Verification failed at record %" G_GINT64_FORMAT ":",
                                               report->first_broken);
  g_assert_true (g_str_has_prefix (fwr_audit_page_get_status (page), expected));
}

static FwrPassphraseDialog *
find_passphrase_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);
      if (FWR_IS_PASSPHRASE_DIALOG (window))
        return FWR_PASSPHRASE_DIALOG (window);
    }
  return NULL;
}

static gboolean
unlocked (gpointer data)
{
  return !fwr_passphrase_dialog_is_busy (data);
}

static void
test_sealed_key_asks_passphrase (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrIdentity) dave = fwr_identity_load (fixture->store.dave_key, NULL, &error);
  g_autofree char *sealed = g_build_filename (fixture->store.dir, "dave-sealed.key", NULL);
  g_assert_true (fwr_identity_save (dave, sealed, "correct horse", &error));
  FwrChangesPage *page = open_change (fixture, sealed, fixture->store.pending_change);
  /* Who dave is shows before any passphrase: the button already knows he may approve. */
  g_assert_true (gtk_widget_is_sensitive (fwr_changes_page_get_approve_button (page)));

  fwr_gui_test_activate (fixture->window, "win.approve-change", NULL);
  FwrPassphraseDialog *dialog = find_passphrase_dialog ();
  g_assert_nonnull (dialog);
  fwr_passphrase_dialog_submit (dialog, "wrong horse");
  fwr_gui_test_wait_for (unlocked, dialog);
  g_assert_nonnull (strstr (fwr_passphrase_dialog_get_error (dialog), "wrong passphrase"));
  g_autoptr (FwrStore) store = fwr_store_open (fixture->store.store_path, NULL);
  g_autoptr (FwrChange) still = fwr_store_get_change (store, fixture->store.pending_change, NULL);
  g_assert_cmpint (still->state, ==, FWR_CHANGE_SUBMITTED);

  fwr_passphrase_dialog_submit (dialog, "correct horse");
  fwr_gui_test_wait_idle (fixture->window);
  g_assert_null (find_passphrase_dialog ());
  g_autoptr (FwrChange) approved = fwr_store_get_change (store, fixture->store.pending_change, NULL);
  g_assert_cmpint (approved->state, ==, FWR_CHANGE_APPROVED);
  g_assert_cmpstr (approved->decided_by, ==, "dave");
}

static void
test_review_completed (Fixture *fixture, gconstpointer data)
{
  fwr_gui_test_activate (fixture->window, "win.set-identity-file", "s", fixture->store.bob_key);
  fwr_gui_test_activate (fixture->window, "win.open-store-file", "s", fixture->store.store_path);
  FwrReviewsPage *page = FWR_REVIEWS_PAGE (fwr_app_window_get_page (fixture->window, "reviews"));
  /* edge was never reviewed: every scope is due from its creation, which is today. */
  g_autofree char *due = fwr_reviews_page_dup_due_text (page);
  g_assert_cmpstr (due, ==, "dmz ok\naccess-control ok\nexternal ok\n");

  fwr_gui_test_activate (fixture->window, "win.start-review", "s", "dmz");
  gint64 id = fwr_reviews_page_get_review_id (page);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpfloat (fwr_reviews_page_get_progress (page), ==, 0.0);

  g_autoptr (FwrStore) store = fwr_store_open (fixture->store.store_path, NULL);
  g_autoptr (FwrReview) started = fwr_store_get_review (store, id, NULL);
  g_assert_cmpint (started->scope, ==, FWR_REVIEW_SCOPE_DMZ);
  g_assert_cmpuint (started->rules->len, >, 1);
  GtkWidget *signoff = fwr_reviews_page_get_signoff_button (page);
  g_assert_false (gtk_widget_is_sensitive (signoff));
  for (guint i = 0; i < started->rules->len; i++)
    {
      FwrReviewRule *rule = g_ptr_array_index (started->rules, i);
      fwr_gui_test_activate (fixture->window, "win.decide-review", "(xsss)", id, rule->rule_id,
                             i == 0 ? "tighten" : "keep", "checked with the DMZ owner");
    }
  g_assert_cmpfloat (fwr_reviews_page_get_progress (page), ==, 1.0);
  /* bob decided everything: he may not sign off his own review. */
  g_assert_false (gtk_widget_is_sensitive (signoff));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (signoff), "segregation of duties"));

  fwr_gui_test_activate (fixture->window, "win.set-identity-file", "s", fixture->store.dave_key);
  g_assert_true (gtk_widget_is_sensitive (signoff));
  fwr_gui_test_activate (fixture->window, "win.complete-review", NULL);
  g_autoptr (FwrReview) done = fwr_store_get_review (store, id, NULL);
  g_assert_nonnull (done->signoff);
  g_assert_cmpstr (done->signoff->signed_by, ==, "dave");
  g_assert_cmpuint (done->decisions->len, ==, started->rules->len);
  const FwrReviewDecision *first = fwr_review_find_decision (done, ((FwrReviewRule *) g_ptr_array_index (started->rules, 0))->rule_id);
  g_assert_cmpint (first->decision, ==, FWR_REVIEW_TIGHTEN);
  g_assert_cmpstr (first->decided_by, ==, "bob");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_parent (signoff))));
}

static gboolean
import_done (gpointer data)
{
  return !fwr_import_dialog_is_busy (FWR_IMPORT_DIALOG (data));
}

static void
test_import_errors_inline (Fixture *fixture, gconstpointer data)
{
  fwr_gui_test_activate (fixture->window, "win.set-identity-file", "s", fixture->store.alice_key);
  fwr_gui_test_activate (fixture->window, "win.open-store-file", "s", fixture->store.store_path);
  g_autoptr (FwrImportDialog) dialog = g_object_ref_sink (fwr_import_dialog_new (fixture->window));
  gtk_window_present (GTK_WINDOW (dialog));
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "nft", "bad-truncated.json", NULL);
  fwr_import_dialog_set_file (dialog, bad);
  g_assert_cmpstr (fwr_import_dialog_get_format (dialog), ==, "nftables-json");
  fwr_import_dialog_run (dialog);
  fwr_gui_test_wait_for (import_done, dialog);
  const char *error = fwr_import_dialog_get_error (dialog);
  g_assert_nonnull (error);
  /* Where nft's output was cut: the file, line 59, column 13. */
  g_assert_nonnull (strstr (error, "bad-truncated.json:59:13: the file ends too early"));

  g_autoptr (FwrStore) store = fwr_store_open (fixture->store.store_path, NULL);
  g_autoptr (GPtrArray) snapshots = fwr_store_list_snapshots (store, 0, NULL);
  g_assert_cmpuint (snapshots->len, ==, 3);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
export_done (gpointer data)
{
  return !fwr_export_dialog_is_busy (FWR_EXPORT_DIALOG (data));
}

static void
test_export_evidence (Fixture *fixture, gconstpointer data)
{
  fwr_gui_test_activate (fixture->window, "win.set-identity-file", "s", fixture->store.dave_key);
  fwr_gui_test_activate (fixture->window, "win.open-store-file", "s", fixture->store.store_path);
  g_autoptr (FwrExportDialog) dialog = g_object_ref_sink (fwr_export_dialog_new (fixture->window));
  gtk_window_present (GTK_WINDOW (dialog));
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  fwr_export_dialog_set_period (dialog, "2000-01-01", today);
  fwr_export_dialog_set_folder (dialog, fixture->store.dir);
  fwr_export_dialog_set_open_when_done (dialog, FALSE);
  fwr_export_dialog_run (dialog);
  g_assert_true (fwr_export_dialog_is_busy (dialog));
  fwr_gui_test_wait_for (export_done, dialog);

  const char *bundle = fwr_export_dialog_get_bundle (dialog);
  g_assert_nonnull (bundle);
  g_autofree char *name = g_path_get_basename (bundle);
  g_autofree char *expected = g_strdup_printf ("edge-evidence-20000101-%.4s%.2s%.2s", today, today + 5, today + 8);
  g_assert_cmpstr (name, ==, expected);
  g_assert_true (g_str_has_prefix (fwr_export_dialog_get_status (dialog), "Wrote "));
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrEvidenceCheck) check = fwr_evidence_verify (bundle, &error);
  g_assert_no_error (error);
  g_assert_true (check->intact);
  g_assert_cmpstr (check->device, ==, "edge");
  g_assert_cmpstr (check->exported_by, ==, "dave");

  /* The same period again: the folder exists, the library refuses, the dialog says so. */
  fwr_export_dialog_run (dialog);
  fwr_gui_test_wait_for (export_done, dialog);
  g_assert_false (g_str_has_prefix (fwr_export_dialog_get_status (dialog), "Wrote "));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/fwr/gui/app/file-rules", test_file_rules);
  ADD ("/fwr/gui/app/findings-lead-to-rules", test_findings_lead_to_rules);
  ADD ("/fwr/gui/app/supervisor-approves", test_supervisor_approves);
  ADD ("/fwr/gui/app/submitter-refused", test_submitter_refused);
  ADD ("/fwr/gui/app/audit-log", test_audit_log);
  ADD ("/fwr/gui/app/audit-banner", test_audit_banner);
  ADD ("/fwr/gui/app/sealed-key-asks-passphrase", test_sealed_key_asks_passphrase);
  ADD ("/fwr/gui/app/review-completed", test_review_completed);
  ADD ("/fwr/gui/app/export-evidence", test_export_evidence);
  ADD ("/fwr/gui/app/import-errors-inline", test_import_errors_inline);
#undef ADD
  return g_test_run ();
}
