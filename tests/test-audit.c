/* test-audit.c: the audit log catches tampering done with the sqlite3 shell (edited, deleted,
 * swapped rows, replaced signatures, forged state), and survives a lawful purge. */
#include "fwr-test-store.h"

/* Runs the sqlite3 shell on the store, as someone with the file would. */
static void
tamper (StoreFixture *fixture, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "sqlite3", fixture->path, sql, NULL };
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static gboolean
have_sqlite3_shell (void)
{
  g_autofree char *path = g_find_program_in_path ("sqlite3");
  if (path == NULL)
    g_test_skip ("the sqlite3 shell is not installed (Debian package sqlite3)");
  return path != NULL;
}

/* A store with a little history: baseline, a change submitted, approved and implemented, a
 * rejected change, a drift check. */
static void
make_history (StoreFixture *fixture)
{
  g_autoptr (GError) error = NULL;
  fwr_test_setup_edge (fixture);
  gsize length = 0;
  g_autofree char *v2 = fwr_test_read_data ("edge-v2.json", &length);
  gint64 change = 0;
  g_assert_true (fwr_store_submit_change (fixture->store, fixture->alice, "edge", "edge-v2.json",
                                          v2, length, "mail relay", "CHG-42", &change, &error));
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, change, "ok", &error));
  g_autofree char *running = fwr_test_read_data ("edge-v2-running.json", &length);
  g_assert_true (fwr_store_implement_change (fixture->store, fixture->alice, change,
                                             "edge-v2-running.json", running, length, NULL, &error));
  g_autofree char *telnet = fwr_test_read_data ("edge-drift.json", &length);
  g_assert_true (fwr_store_submit_change (fixture->store, fixture->alice, "edge", "edge-drift.json",
                                          telnet, length, "telnet for the old switch", NULL, &change, &error));
  g_assert_true (fwr_store_reject_change (fixture->store, fixture->dave, change, "cleartext", &error));
  g_autoptr (FwrDriftCheck) check = NULL;
  g_autoptr (FwrDiff) diff = NULL;
  g_assert_true (fwr_store_check_drift (fixture->store, fixture->carol, "edge", "edge-drift.json",
                                        telnet, length, &check, &diff, &error));
  g_assert_no_error (error);
  fwr_test_assert_intact (fixture->store);
}

/* The seq of the first record with this action. */
static gint64
find_record (StoreFixture *fixture, const char *action)
{
  g_autoptr (GPtrArray) records = fwr_store_list_audit (fixture->store, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      FwrAuditRecord *record = g_ptr_array_index (records, i);
      if (g_str_equal (record->action, action))
        return record->seq;
    }
  g_assert_not_reached ();
}

/* Verifies; asserts the log is broken first at record seq with a message containing text. */
static void
assert_broken (StoreFixture *fixture, gint64 seq, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrAuditReport) report = fwr_store_verify_audit (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_false (report->intact);
  g_assert_cmpuint (report->problems->len, >, 0);
  const char *first = g_ptr_array_index (report->problems, 0);
  g_test_message ("first problem: %s", first);
  g_assert_cmpint (report->first_broken, ==, seq);
  g_assert_nonnull (strstr (first, text));
}

static void
test_intact (StoreFixture *fixture, gconstpointer data)
{
  make_history (fixture);
  g_autoptr (GPtrArray) records = fwr_store_list_audit (fixture->store, NULL);
  g_autoptr (FwrAuditReport) report = fwr_store_verify_audit (fixture->store, NULL);
  g_assert_cmpuint (report->n_records, ==, records->len);
  FwrAuditRecord *last = g_ptr_array_index (records, records->len - 1);
  g_assert_cmpstr (report->head_sha256, ==, last->sha256);
  g_assert_cmpstr (last->action, ==, "drift.check");
  g_assert_cmpstr (last->actor, ==, "carol");
  FwrAuditRecord *first = g_ptr_array_index (records, 0);
  g_assert_cmpstr (first->action, ==, "store.init");
  g_assert_cmpstr (first->prev_sha256, ==, "0000000000000000000000000000000000000000000000000000000000000000");
  for (guint i = 1; i < records->len; i++)
    g_assert_cmpstr (((FwrAuditRecord *) g_ptr_array_index (records, i))->prev_sha256, ==,
                     ((FwrAuditRecord *) g_ptr_array_index (records, i - 1))->sha256);
}

static void
test_edit_row (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  gint64 seq = find_record (fixture, "change.submit") + 1;
  g_autofree char *sql = g_strdup_printf ("UPDATE audit_log SET actor = 'dave' WHERE seq = %" G_GINT64_FORMAT, seq);
  tamper (fixture, sql);
  g_autofree char *text = g_strdup_printf ("record %" G_GINT64_FORMAT " ", seq);
  assert_broken (fixture, seq, text);
  assert_broken (fixture, seq, "the signature does not match the record");
}

static void
test_delete_row (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  gint64 seq = find_record (fixture, "change.approve");
  g_autofree char *sql = g_strdup_printf ("DELETE FROM audit_log WHERE seq = %" G_GINT64_FORMAT, seq);
  tamper (fixture, sql);
  g_autofree char *text = g_strdup_printf ("record %" G_GINT64_FORMAT " is missing", seq);
  assert_broken (fixture, seq, text);
}

static void
test_delete_last_row (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  tamper (fixture, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);"
                   "DELETE FROM drift_checks");
  g_autoptr (GPtrArray) records = fwr_store_list_audit (fixture->store, NULL);
  assert_broken (fixture, records->len + 1, "records were removed from the end");
}

static void
test_swap_rows (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  gint64 seq = find_record (fixture, "change.approve");
  g_autofree char *sql = g_strdup_printf (
    "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (%1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ");"
    "UPDATE audit_log SET (time, actor, actor_key, action, subject_type, subject_id, subject_sha256,"
    " details, prev_sha256, sha256, signature) = (SELECT time, actor, actor_key, action, subject_type,"
    " subject_id, subject_sha256, details, prev_sha256, sha256, signature FROM t WHERE t.seq ="
    " CASE audit_log.seq WHEN %1$" G_GINT64_FORMAT " THEN %2$" G_GINT64_FORMAT " ELSE %1$" G_GINT64_FORMAT " END)"
    " WHERE seq IN (%1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ");", seq, seq + 1);
  tamper (fixture, sql);
  g_autoptr (GPtrArray) records = fwr_store_list_audit (fixture->store, NULL);
  FwrAuditRecord *swapped = g_ptr_array_index (records, seq - 1);
  g_assert_cmpstr (swapped->action, !=, "change.approve");
  g_autofree char *text = g_strdup_printf ("record %" G_GINT64_FORMAT " ", seq);
  assert_broken (fixture, seq, text);
}

static void
test_replace_signature (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  /* bob's approval, re-signed with a valid signature of bob's from another record. */
  gint64 seq = find_record (fixture, "change.approve");
  g_autofree char *sql = g_strdup_printf (
    "UPDATE audit_log SET signature = (SELECT signature FROM audit_log WHERE actor = 'bob' AND seq <> %1$"
    G_GINT64_FORMAT " ORDER BY seq LIMIT 1) WHERE seq = %1$" G_GINT64_FORMAT, seq);
  tamper (fixture, sql);
  g_autofree char *text = g_strdup_printf ("record %" G_GINT64_FORMAT " (change.approve by bob", seq);
  assert_broken (fixture, seq, text);
}

static void
test_forged_content (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  gint64 submit = find_record (fixture, "change.submit");

  /* The rejected change is made to look approved. */
  tamper (fixture, "UPDATE change_requests SET state = 'approved' WHERE state = 'rejected'");
  assert_broken (fixture, find_record (fixture, "change.reject"), "its state “approved” is not what the log says");
  tamper (fixture, "UPDATE change_requests SET state = 'rejected' WHERE state = 'approved' AND is_baseline = 0");

  /* The baseline change's reason rewritten: the row no longer matches its record. */
  tamper (fixture, "UPDATE change_requests SET reason = 'routine' WHERE id = 1");
  assert_broken (fixture, submit, "change 1 was altered after record");
}

static void
test_forged_rows (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  g_autoptr (FwrIdentity) mallory = fwr_identity_generate ();
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO users (name, role, public_key, created_at, created_by) VALUES "
    "('mallory', 'supervisor', '%s', '2020-01-01T00:00:00Z', 'alice')",
    fwr_identity_get_public_key (mallory));
  tamper (fixture, sql);
  assert_broken (fixture, 0, "user mallory (id 5) has no audit record: it was added outside fwreview");

  /* Even through the library, a key the log never registered cannot sign a valid record. */
  g_autoptr (GError) error = NULL;
  FwrUser fake = { .name = (char *) "bob" };
  g_assert_true (_fwr_store_begin (fixture->store, &error));
  g_assert_true (_fwr_audit_append (fixture->store, mallory, &fake, "change.approve", NULL, 0, NULL,
                                    json_pack ("{s:i}", "change", 2), &error));
  g_assert_true (_fwr_store_commit (fixture->store, &error));
  g_autoptr (GPtrArray) records = fwr_store_list_audit (fixture->store, NULL);
  assert_broken (fixture, records->len, "signed by a key this log never registered");
}

static void
test_tampered_backup (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  g_autoptr (FwrSnapshot) snapshot = fwr_store_get_snapshot (fixture->store, 1, NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE blobs SET data = zeroblob(64) WHERE sha256 = '%s'",
                                          snapshot->sha256);
  tamper (fixture, sql);
  assert_broken (fixture, 0, "snapshot 1: the stored configuration cannot be read");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = fwr_store_dup_snapshot_data (fixture->store, 1, &error);
  g_assert_null (bytes);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT);
}

/* Purge */

static void
at (const char *time)
{
  g_setenv ("FWR_NOW", time, TRUE);
}

static void
test_purge (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_clear_pointer (&fixture->store, fwr_store_free);
  g_autofree char *path = g_build_filename (fixture->dir, "history.db", NULL);
  at ("2020-01-06T09:00:00Z");
  fixture->store = fwr_store_create (path, fixture->alice, "alice", &error);
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "bob", FWR_ROLE_SUPERVISOR,
                                     fwr_identity_get_public_key (fixture->bob), NULL, &error));
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "dave", FWR_ROLE_SUPERVISOR,
                                     fwr_identity_get_public_key (fixture->dave), NULL, &error));
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "carol", FWR_ROLE_AUDITOR,
                                     fwr_identity_get_public_key (fixture->carol), NULL, &error));
  g_assert_no_error (error);
  at ("2020-02-03T10:00:00Z");
  make_history (fixture);
  at ("2024-03-01T10:00:00Z");
  gsize length = 0;
  g_autofree char *v1 = fwr_test_read_data ("edge-v1.json", &length);
  gint64 recent = 0;
  g_assert_true (fwr_store_import (fixture->store, fixture->alice, "edge", "edge-v1.json", v1,
                                   length, &recent, NULL, &error));

  /* Inside three years: refused, nothing removed. */
  at ("2022-06-01T00:00:00Z");
  g_autoptr (GDateTime) early = _fwr_time_parse ("2021-01-01");
  FwrPurgeCounts counts = { 0 };
  g_assert_false (fwr_store_purge (fixture->store, fixture->alice, early, &counts, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "refusing to purge up to 2021-01-01T00:00:00Z: records are "
                                       "kept 36 months, so nothing after 2019-06-01T00:00:00Z may go yet");
  g_clear_error (&error);

  /* Only admins purge; the retention can be longer, never shorter. */
  at ("2024-06-01T00:00:00Z");
  g_assert_false (fwr_store_purge (fixture->store, fixture->bob, early, &counts, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (fwr_store_set_retention_months (fixture->store, fixture->alice, 24, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_autoptr (GPtrArray) snapshots_before = fwr_store_list_snapshots (fixture->store, 0, NULL);
  g_assert_true (fwr_store_purge (fixture->store, fixture->alice, early, &counts, &error));
  g_assert_no_error (error);
  /* The superseded baseline change and the rejected change go with their decisions, the drift
   * check and the snapshots nothing kept needs; the baseline in force stays. */
  g_assert_cmpuint (counts.changes, ==, 2);
  g_assert_cmpuint (counts.approvals, ==, 2);
  g_assert_cmpuint (counts.drift_checks, ==, 1);
  g_assert_cmpuint (counts.snapshots, ==, 2);
  g_autoptr (GPtrArray) snapshots_after = fwr_store_list_snapshots (fixture->store, 0, NULL);
  g_assert_cmpuint (snapshots_after->len, ==, snapshots_before->len - 2);
  g_autoptr (FwrDevice) device = fwr_store_get_device (fixture->store, "edge", &error);
  g_autoptr (FwrRuleset) baseline = fwr_store_load_ruleset (fixture->store, device->baseline_snapshot_id, &error);
  g_assert_no_error (error);
  g_autoptr (FwrChange) kept = fwr_store_get_change (fixture->store, device->baseline_change_id, &error);
  g_assert_cmpint (kept->state, ==, FWR_CHANGE_IMPLEMENTED);
  g_autoptr (FwrSnapshot) still = fwr_store_get_snapshot (fixture->store, recent, &error);
  g_assert_no_error (error);

  fwr_test_assert_intact (fixture->store);
  g_autoptr (GPtrArray) records = fwr_store_list_audit (fixture->store, NULL);
  FwrAuditRecord *purge = g_ptr_array_index (records, records->len - 1);
  g_assert_cmpstr (purge->action, ==, "store.purge");
  g_assert_nonnull (strstr (purge->details, "\"before\":\"2021-01-01T00:00:00Z\""));
  g_assert_nonnull (strstr (purge->details, "\"type\":\"drift-check\""));

  /* A longer retention is allowed, logged, and enforced. */
  g_assert_true (fwr_store_set_retention_months (fixture->store, fixture->alice, 60, &error));
  g_autoptr (GDateTime) later = _fwr_time_parse ("2020-06-01");
  g_assert_false (fwr_store_purge (fixture->store, fixture->alice, later, &counts, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  fwr_test_assert_intact (fixture->store);
}

static void
test_purge_forgery_caught (StoreFixture *fixture, gconstpointer data)
{
  if (!have_sqlite3_shell ())
    return;
  make_history (fixture);
  /* Deleting a decision by hand is no purge. */
  tamper (fixture, "DELETE FROM approvals WHERE decision = 'reject'");
  assert_broken (fixture, find_record (fixture, "change.reject"), "deleted without a purge");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/fwr/audit/intact", test_intact);
  ADD ("/fwr/audit/edit-row", test_edit_row);
  ADD ("/fwr/audit/delete-row", test_delete_row);
  ADD ("/fwr/audit/delete-last-row", test_delete_last_row);
  ADD ("/fwr/audit/swap-rows", test_swap_rows);
  ADD ("/fwr/audit/replace-signature", test_replace_signature);
  ADD ("/fwr/audit/forged-content", test_forged_content);
  ADD ("/fwr/audit/forged-rows", test_forged_rows);
  ADD ("/fwr/audit/tampered-backup", test_tampered_backup);
  ADD ("/fwr/audit/purge", test_purge);
  ADD ("/fwr/audit/purge-forgery-caught", test_purge_forgery_caught);
#undef ADD
  return g_test_run ();
}
