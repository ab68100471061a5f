/* test-change.c: change control end to end: baselines, submissions, supervisor decisions with
 * segregation of duties, signatures bound to the rulesets, implementation and drift. */
#include "fwr-test-store.h"

static gint64
submit (StoreFixture *fixture, FwrIdentity *who, const char *file, GError **error)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_read_data (file, &length);
  gint64 id = 0;
  fwr_store_submit_change (fixture->store, who, "edge", file, data, length, "open mail to the relay",
                           "CHG-42", &id, error);
  return id;
}

static gboolean
implement (StoreFixture *fixture, FwrIdentity *who, gint64 change, const char *file,
           FwrDiff **out_diff, GError **error)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_read_data (file, &length);
  return fwr_store_implement_change (fixture->store, who, change, file, data, length, out_diff, error);
}

static FwrDiff *
drift (StoreFixture *fixture, FwrIdentity *who, const char *file, FwrDriftCheck **out_check)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_read_data (file, &length);
  g_autoptr (GError) error = NULL;
  FwrDiff *diff = NULL;
  g_assert_true (fwr_store_check_drift (fixture->store, who, "edge", file, data, length,
                                        out_check, &diff, &error));
  g_assert_no_error (error);
  return diff;
}

static char *
describe_diff (FwrDiff *diff)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < fwr_diff_get_n_entries (diff); i++)
    {
      const FwrDiffEntry *entry = fwr_diff_get_entry (diff, i);
      FwrRule *rule = fwr_diff_entry_get_after (entry) ? fwr_diff_entry_get_after (entry)
                                                        : fwr_diff_entry_get_before (entry);
      g_autofree char *text = rule ? fwr_rule_dup_match_text (rule) : g_strdup ("chain");
      g_string_append_printf (out, "%s%s %s", i ? "; " : "",
                              fwr_diff_kind_to_string (fwr_diff_entry_get_kind (entry)), text);
    }
  return g_string_free (out, FALSE);
}

/* alice operates, bob supervises: nobody else takes part. */
static void
test_flow_two_identities (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 baseline = fwr_test_setup_edge (fixture);

  g_autoptr (FwrDevice) device = fwr_store_get_device (fixture->store, "edge", &error);
  g_assert_cmpint (device->baseline_snapshot_id, ==, baseline);
  g_autoptr (FwrChange) first = fwr_store_get_change (fixture->store, device->baseline_change_id, &error);
  g_assert_true (first->is_baseline);
  g_assert_cmpint (first->state, ==, FWR_CHANGE_APPROVED);
  g_assert_cmpstr (first->decided_by, ==, "bob");

  gint64 id = submit (fixture, fixture->alice, "edge-v2.json", &error);
  g_assert_no_error (error);
  g_autoptr (FwrChange) change = fwr_store_get_change (fixture->store, id, &error);
  g_assert_cmpint (change->state, ==, FWR_CHANGE_SUBMITTED);
  g_assert_cmpint (change->baseline_snapshot_id, ==, baseline);
  g_assert_cmpstr (change->reason, ==, "open mail to the relay");
  g_assert_cmpstr (change->ticket, ==, "CHG-42");
  g_assert_cmpstr (change->submitted_by, ==, "alice");

  /* An admin is no supervisor. */
  g_assert_false (fwr_store_approve_change (fixture->store, fixture->alice, id, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "alice is an admin: approving a change needs the role supervisor");
  g_clear_error (&error);

  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, id, "checked with the mail team", &error));
  g_assert_no_error (error);

  /* The signature binds bob's decision to exactly these two configurations. */
  g_autoptr (GPtrArray) approvals = fwr_store_list_approvals (fixture->store, id, &error);
  g_assert_cmpuint (approvals->len, ==, 1);
  FwrApproval *approval = g_ptr_array_index (approvals, 0);
  g_autoptr (FwrSnapshot) base_snap = fwr_store_get_snapshot (fixture->store, baseline, &error);
  g_autoptr (FwrSnapshot) proposed = fwr_store_get_snapshot (fixture->store, change->proposed_snapshot_id, &error);
  g_assert_cmpstr (approval->baseline_sha256, ==, base_snap->sha256);
  g_assert_cmpstr (approval->proposed_sha256, ==, proposed->sha256);
  g_assert_cmpstr (approval->public_key, ==, fwr_identity_get_public_key (fixture->bob));
  gsize length = 0;
  g_autofree char *signed_text = fwr_approval_dup_signed_text (approval, &length);
  g_assert_true (fwr_signature_verify (approval->public_key, signed_text, length, approval->signature));
  g_free (approval->proposed_sha256);
  approval->proposed_sha256 = g_strdup (base_snap->sha256);
  g_autofree char *moved_text = fwr_approval_dup_signed_text (approval, &length);
  g_assert_false (fwr_signature_verify (approval->public_key, moved_text, length, approval->signature));

  /* What runs must be what was approved; a mismatch records nothing. */
  guint records = fwr_test_count_audit (fixture->store);
  g_autoptr (FwrDiff) mismatch = NULL;
  g_assert_false (implement (fixture, fixture->alice, id, "edge-v1.json", &mismatch, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_MISMATCH);
  g_clear_error (&error);
  g_autofree char *missing = describe_diff (mismatch);
  g_assert_cmpstr (missing, ==, "removed ipv4 iifname wan daddr 203.0.113.11 proto 6 dport 25");
  g_assert_cmpuint (fwr_test_count_audit (fixture->store), ==, records);

  /* The running box has other handles than the proposal: still the same ruleset. */
  g_assert_true (implement (fixture, fixture->alice, id, "edge-v2-running.json", NULL, &error));
  g_assert_no_error (error);
  g_autoptr (FwrChange) done = fwr_store_get_change (fixture->store, id, &error);
  g_assert_cmpint (done->state, ==, FWR_CHANGE_IMPLEMENTED);
  g_assert_cmpstr (done->implemented_by, ==, "alice");
  g_autoptr (FwrDevice) after = fwr_store_get_device (fixture->store, "edge", &error);
  g_assert_cmpint (after->baseline_snapshot_id, ==, done->implemented_snapshot_id);
  g_assert_cmpint (after->baseline_change_id, ==, id);

  g_autoptr (FwrDriftCheck) clean_check = NULL;
  g_autoptr (FwrDiff) clean = drift (fixture, fixture->bob, "edge-v2.json", &clean_check);
  g_assert_true (fwr_diff_is_empty (clean));
  g_assert_false (clean_check->drift);
  /* A clean check keeps the hash of what runs, not another copy of it. */
  g_assert_cmpint (clean_check->snapshot_id, ==, 0);
  gsize v2_length = 0;
  g_autofree char *v2 = fwr_test_read_data ("edge-v2.json", &v2_length);
  g_autofree char *v2_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) v2, v2_length);
  g_assert_cmpstr (clean_check->running_sha256, ==, v2_sha256);

  fwr_test_assert_intact (fixture->store);
}

static void
test_drift (StoreFixture *fixture, gconstpointer data)
{
  gint64 baseline = fwr_test_setup_edge (fixture);
  g_autoptr (FwrDriftCheck) check = NULL;
  g_autoptr (FwrDiff) diff = drift (fixture, fixture->carol, "edge-drift.json", &check);
  g_autofree char *text = describe_diff (diff);
  g_assert_cmpstr (text, ==, "added proto 6 dport 23");
  g_assert_true (check->drift);
  g_assert_cmpuint (check->n_differences, ==, 1);
  g_assert_cmpint (check->baseline_snapshot_id, ==, baseline);
  g_assert_cmpstr (check->checked_by, ==, "carol");

  g_autoptr (GPtrArray) checks = fwr_store_list_drift_checks (fixture->store, 0, NULL);
  g_assert_cmpuint (checks->len, ==, 1);
  g_autoptr (FwrSnapshot) running = fwr_store_get_snapshot (fixture->store, check->snapshot_id, NULL);
  g_assert_cmpstr (running->kind, ==, "drift");
  fwr_test_assert_intact (fixture->store);
}

static FwrDiff *
drift_in (FwrStore *store, FwrIdentity *who, const char *file, FwrDriftCheck **out_check)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_read_data (file, &length);
  g_autoptr (GError) error = NULL;
  FwrDiff *diff = NULL;
  g_assert_true (fwr_store_check_drift (store, who, "edge", file, data, length, out_check, &diff,
                                        &error));
  g_assert_no_error (error);
  return diff;
}

/* A watcher keeps the store open while others change the baseline: every check compares with
 * the baseline in force when it runs, whether or not the previous check read the same one. */
static void
test_drift_watcher (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 first = fwr_test_setup_edge (fixture);
  g_autoptr (FwrStore) watcher = fwr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (FwrDriftCheck) check = NULL;
      g_autoptr (FwrDiff) diff = drift_in (watcher, fixture->carol, "edge-drift.json", &check);
      g_autofree char *text = describe_diff (diff);
      g_assert_cmpstr (text, ==, "added proto 6 dport 23");
      g_assert_cmpint (check->baseline_snapshot_id, ==, first);
    }

  gint64 id = submit (fixture, fixture->alice, "edge-drift.json", &error);
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, id, NULL, &error));
  g_assert_true (implement (fixture, fixture->alice, id, "edge-drift.json", NULL, &error));
  g_assert_no_error (error);
  g_autoptr (FwrDevice) device = fwr_store_get_device (fixture->store, "edge", &error);
  g_assert_cmpint (device->baseline_snapshot_id, !=, first);

  g_autoptr (FwrDriftCheck) clean_check = NULL;
  g_autoptr (FwrDiff) clean = drift_in (watcher, fixture->carol, "edge-drift.json", &clean_check);
  g_assert_true (fwr_diff_is_empty (clean));
  g_assert_cmpint (clean_check->baseline_snapshot_id, ==, device->baseline_snapshot_id);
  g_autoptr (FwrDriftCheck) back_check = NULL;
  g_autoptr (FwrDiff) back = drift_in (watcher, fixture->carol, "edge-v1.json", &back_check);
  g_autofree char *text = describe_diff (back);
  g_assert_cmpstr (text, ==, "removed proto 6 dport 23");
  g_assert_true (back_check->drift);
  fwr_test_assert_intact (fixture->store);
}

/* bob submits, carol audits, dave supervises. */
static void
test_segregation_of_duties (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fwr_test_setup_edge (fixture);

  gint64 id = submit (fixture, fixture->bob, "edge-v2.json", &error);
  g_assert_no_error (error);

  g_assert_false (fwr_store_approve_change (fixture->store, fixture->bob, id, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "segregation of duties: bob submitted change 2 and may not "
                                       "approve it; another supervisor must decide");
  g_clear_error (&error);

  g_assert_false (fwr_store_approve_change (fixture->store, fixture->carol, id, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "carol is an auditor: approving a change needs the role supervisor");
  g_clear_error (&error);

  g_assert_true (fwr_store_revoke_user (fixture->store, fixture->alice, "dave", &error));
  g_assert_false (fwr_store_approve_change (fixture->store, fixture->dave, id, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_true (g_str_has_prefix (error->message, "dave's key was revoked on "));
  g_clear_error (&error);

  g_autoptr (FwrChange) still = fwr_store_get_change (fixture->store, id, &error);
  g_assert_cmpint (still->state, ==, FWR_CHANGE_SUBMITTED);
  g_autoptr (GPtrArray) approvals = fwr_store_list_approvals (fixture->store, id, &error);
  g_assert_cmpuint (approvals->len, ==, 0);

  g_autoptr (FwrIdentity) erin = fwr_identity_generate ();
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "erin", FWR_ROLE_SUPERVISOR,
                                     fwr_identity_get_public_key (erin), NULL, &error));
  g_assert_true (fwr_store_approve_change (fixture->store, erin, id, NULL, &error));
  g_assert_no_error (error);
  fwr_test_assert_intact (fixture->store);
}

static void
test_reject (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fwr_test_setup_edge (fixture);
  gint64 id = submit (fixture, fixture->alice, "edge-drift.json", &error);

  g_assert_false (fwr_store_reject_change (fixture->store, fixture->bob, id, "  ", &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (fwr_store_reject_change (fixture->store, fixture->bob, id, "telnet is cleartext", &error));
  g_assert_no_error (error);

  g_assert_false (fwr_store_approve_change (fixture->store, fixture->dave, id, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (implement (fixture, fixture->alice, id, "edge-drift.json", NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);

  g_autoptr (FwrChange) change = fwr_store_get_change (fixture->store, id, &error);
  g_assert_cmpint (change->state, ==, FWR_CHANGE_REJECTED);
  g_autoptr (GPtrArray) approvals = fwr_store_list_approvals (fixture->store, id, &error);
  FwrApproval *rejection = g_ptr_array_index (approvals, 0);
  g_assert_false (rejection->approved);
  g_assert_cmpstr (rejection->comment, ==, "telnet is cleartext");
  fwr_test_assert_intact (fixture->store);
}

static void
test_stale_change (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fwr_test_setup_edge (fixture);
  gint64 mail = submit (fixture, fixture->alice, "edge-v2.json", &error);
  gint64 other = submit (fixture, fixture->alice, "edge-drift.json", &error);
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, mail, NULL, &error));
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, other, NULL, &error));
  g_assert_true (implement (fixture, fixture->alice, mail, "edge-v2-running.json", NULL, &error));
  g_assert_no_error (error);

  /* Approved against a baseline that is no longer in force. */
  g_assert_false (implement (fixture, fixture->alice, other, "edge-drift.json", NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "must be submitted and approved again"));
  g_clear_error (&error);

  gint64 late = submit (fixture, fixture->alice, "edge-drift.json", &error);
  g_autoptr (FwrChange) change = fwr_store_get_change (fixture->store, late, &error);
  g_autoptr (FwrDevice) device = fwr_store_get_device (fixture->store, "edge", &error);
  g_assert_cmpint (change->baseline_snapshot_id, ==, device->baseline_snapshot_id);
  fwr_test_assert_intact (fixture->store);
}

static void
test_baseline_rules (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_store_add_device (fixture->store, fixture->alice, "edge", NULL, NULL, NULL, NULL, &error));

  /* Nothing can change before a baseline is approved. */
  g_assert_cmpint (submit (fixture, fixture->alice, "edge-v2.json", &error), ==, 0);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);

  gint64 first = 0, second = 0;
  fwr_test_import (fixture, "edge", "edge-drift.json", &first);
  g_assert_true (fwr_store_reject_change (fixture->store, fixture->bob, first, "telnet open", &error));
  /* A rejected baseline leaves the device without one: the next import opens another. */
  gint64 snapshot = fwr_test_import (fixture, "edge", "edge-v1.json", &second);
  g_assert_cmpint (second, >, first);
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->dave, second, NULL, &error));
  g_autoptr (FwrDevice) device = fwr_store_get_device (fixture->store, "edge", &error);
  g_assert_cmpint (device->baseline_snapshot_id, ==, snapshot);

  g_assert_false (implement (fixture, fixture->alice, second, "edge-v1.json", NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);
  fwr_test_assert_intact (fixture->store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/fwr/change/flow-two-identities", test_flow_two_identities);
  ADD ("/fwr/change/drift", test_drift);
  ADD ("/fwr/change/drift-watcher", test_drift_watcher);
  ADD ("/fwr/change/segregation-of-duties", test_segregation_of_duties);
  ADD ("/fwr/change/reject", test_reject);
  ADD ("/fwr/change/stale", test_stale_change);
  ADD ("/fwr/change/baseline", test_baseline_rules);
#undef ADD
  return g_test_run ();
}
