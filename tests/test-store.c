/* test-store.c: the store file (mode, schema, errors), users and roles, devices and snapshots,
 * and that a bad input leaves nothing behind. */
#include <sys/stat.h>
#include <sqlite3.h>

#include "fwr-test-store.h"

static void
test_create_open (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GStatBuf st;
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_autoptr (FwrStore) again = fwr_store_create (fixture->path, fixture->bob, "bob", &error);
  g_assert_null (again);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_autoptr (FwrStore) reopened = fwr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) users = fwr_store_list_users (reopened, &error);
  g_assert_cmpuint (users->len, ==, 4);
  FwrUser *first = g_ptr_array_index (users, 0);
  g_assert_cmpstr (first->name, ==, "alice");
  g_assert_cmpint (first->role, ==, FWR_ROLE_ADMIN);
  g_assert_null (first->created_by);
  FwrUser *bob = g_ptr_array_index (users, 1);
  g_assert_cmpstr (bob->created_by, ==, "alice");
  g_assert_cmpstr (bob->public_key, ==, fwr_identity_get_public_key (fixture->bob));

  guint months = 0;
  g_assert_true (fwr_store_get_retention_months (reopened, &months, &error));
  g_assert_cmpuint (months, ==, 36);

  g_autofree char *missing = g_build_filename (fixture->dir, "none.db", NULL);
  g_autoptr (FwrStore) none = fwr_store_open (missing, &error);
  g_assert_null (none);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_autofree char *junk = g_build_filename (fixture->dir, "junk.db", NULL);
  g_assert_true (g_file_set_contents (junk, "this is not a database, just text\n", -1, NULL));
  g_autoptr (FwrStore) bad = fwr_store_open (junk, &error);
  g_assert_null (bad);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  fwr_test_assert_intact (fixture->store);
}

static void
exec_sql (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_schema_version (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_clear_pointer (&fixture->store, fwr_store_free);

  /* A store written by a newer fwreview is left alone. */
  exec_sql (fixture->path, "INSERT INTO migrations VALUES (999, 'from the future', '2030-01-01T00:00:00Z')");
  g_autoptr (FwrStore) newer = fwr_store_open (fixture->path, &error);
  g_assert_null (newer);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "schema version 999, newer than this fwreview knows ("));
  g_clear_error (&error);

  exec_sql (fixture->path, "DELETE FROM migrations WHERE version = 999");
  fixture->store = fwr_store_open (fixture->path, &error);
  g_assert_no_error (error);

  /* Another SQLite database is not a store. */
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  exec_sql (other, "CREATE TABLE t (x)");
  g_autoptr (FwrStore) foreign = fwr_store_open (other, &error);
  g_assert_null (foreign);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not an fwreview store"));
}

static void
test_default_path (void)
{
  g_autofree char *path = fwr_store_dup_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "fwreview", "store.db", NULL);
  g_assert_cmpstr (path, ==, expected);
}

static void
test_users (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrIdentity) erin = fwr_identity_generate ();
  const char *erin_key = fwr_identity_get_public_key (erin);

  /* Only admins add users. */
  g_assert_false (fwr_store_add_user (fixture->store, fixture->bob, "erin", FWR_ROLE_ADMIN,
                                      erin_key, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "bob is a supervisor: adding a user needs the role admin");
  g_clear_error (&error);

  g_assert_false (fwr_store_add_user (fixture->store, erin, "erin", FWR_ROLE_ADMIN, erin_key,
                                      NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "is not registered in this store"));
  g_clear_error (&error);

  /* Names and keys are never reused. */
  g_assert_false (fwr_store_add_user (fixture->store, fixture->alice, "bob", FWR_ROLE_ADMIN,
                                      erin_key, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (fwr_store_add_user (fixture->store, fixture->alice, "bob2", FWR_ROLE_ADMIN,
                                      fwr_identity_get_public_key (fixture->bob), NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (fwr_store_add_user (fixture->store, fixture->alice, "erin", FWR_ROLE_ADMIN,
                                      "not-a-key", NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fwr_store_add_user (fixture->store, fixture->alice, "erin smith", FWR_ROLE_ADMIN,
                                      erin_key, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  gint64 id = 0;
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "erin", FWR_ROLE_ADMIN,
                                     erin_key, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 5);

  /* Nobody revokes themselves; another admin does, and then the key is dead. */
  g_assert_false (fwr_store_revoke_user (fixture->store, fixture->alice, "alice", &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (fwr_store_revoke_user (fixture->store, erin, "alice", &error));
  g_assert_no_error (error);
  g_autoptr (FwrIdentity) frank = fwr_identity_generate ();
  g_assert_false (fwr_store_add_user (fixture->store, fixture->alice, "frank", FWR_ROLE_AUDITOR,
                                      fwr_identity_get_public_key (frank), NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_true (g_str_has_prefix (error->message, "alice's key was revoked on "));
  g_clear_error (&error);
  g_assert_false (fwr_store_revoke_user (fixture->store, erin, "alice", &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);

  g_autoptr (GPtrArray) users = fwr_store_list_users (fixture->store, &error);
  FwrUser *alice = g_ptr_array_index (users, 0);
  g_assert_nonnull (alice->revoked_at);
  g_assert_cmpstr (alice->revoked_by, ==, "erin");
  fwr_test_assert_intact (fixture->store);
}

static void
test_devices_and_snapshots (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (fwr_store_add_device (fixture->store, fixture->alice, "edge", NULL, NULL,
                                        "{\"zones\": 3}", NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fwr_store_add_device (fixture->store, fixture->carol, "edge", NULL, NULL, NULL,
                                        NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  gint64 first_change = 0, second_change = -1;
  gint64 snapshot = 0;
  g_assert_true (fwr_store_add_device (fixture->store, fixture->alice, "edge", "alice", NULL, NULL,
                                       NULL, &error));
  snapshot = fwr_test_import (fixture, "edge", "edge-v1.json", &first_change);
  g_assert_cmpint (first_change, >, 0);
  /* The baseline is pending: a second import opens no second baseline change. */
  gint64 again = fwr_test_import (fixture, "edge", "edge-v1.json", &second_change);
  g_assert_cmpint (second_change, ==, 0);
  g_assert_cmpint (again, ==, snapshot + 1);

  g_autoptr (FwrSnapshot) info = fwr_store_get_snapshot (fixture->store, snapshot, &error);
  g_assert_no_error (error);
  gsize length = 0;
  g_autofree char *original = fwr_test_read_data ("edge-v1.json", &length);
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) original, length);
  g_assert_cmpstr (info->sha256, ==, sha256);
  g_assert_cmpstr (info->format, ==, "nftables-json");
  g_assert_cmpstr (info->file, ==, "edge-v1.json");
  g_assert_cmpstr (info->kind, ==, "import");
  g_assert_cmpstr (info->imported_by, ==, "alice");
  g_assert_cmpuint (info->n_rules, ==, 7);

  g_autoptr (GBytes) bytes = fwr_store_dup_snapshot_data (fixture->store, snapshot, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), original, length);

  g_autoptr (FwrRuleset) stored = fwr_store_load_ruleset (fixture->store, snapshot, &error);
  g_assert_no_error (error);
  g_autoptr (FwrRuleset) direct = fwr_import_data ("edge-v1.json", original, length, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_autoptr (FwrDiff) diff = fwr_diff_new (direct, stored);
  g_assert_true (fwr_diff_is_empty (diff));
  g_assert_nonnull (fwr_ruleset_lookup_rule (stored, "inet/edge/forward/5"));

  g_autoptr (FwrChange) change = fwr_store_get_change (fixture->store, first_change, &error);
  g_assert_no_error (error);
  g_assert_true (change->is_baseline);
  g_assert_cmpint (change->state, ==, FWR_CHANGE_SUBMITTED);
  g_assert_cmpint (change->proposed_snapshot_id, ==, snapshot);

  g_autoptr (FwrSnapshot) none = fwr_store_get_snapshot (fixture->store, 99, &error);
  g_assert_null (none);
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  fwr_test_assert_intact (fixture->store);
}

static void
test_bad_input_writes_nothing (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_store_add_device (fixture->store, fixture->alice, "edge", NULL, NULL, NULL,
                                       NULL, &error));
  guint records = fwr_test_count_audit (fixture->store);

  gsize length = 0;
  g_autofree char *truncated = fwr_test_read_data ("edge-truncated.json", &length);
  gint64 snapshot = -1;
  g_assert_false (fwr_store_import (fixture->store, fixture->alice, "edge", "edge-truncated.json",
                                    truncated, length, &snapshot, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "edge-truncated.json:"));
  g_clear_error (&error);

  g_autofree char *good = fwr_test_read_data ("edge-v1.json", &length);
  g_assert_false (fwr_store_import (fixture->store, fixture->alice, "router", "edge-v1.json",
                                    good, length, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpuint (fwr_test_count_audit (fixture->store), ==, records);
  g_autoptr (GPtrArray) snapshots = fwr_store_list_snapshots (fixture->store, 0, &error);
  g_assert_cmpuint (snapshots->len, ==, 0);
  g_autoptr (GPtrArray) changes = fwr_store_list_changes (fixture->store, 0, &error);
  g_assert_cmpuint (changes->len, ==, 0);
  fwr_test_assert_intact (fixture->store);
}

static void
test_busy (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrStore) other = fwr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fwr_store_set_busy_timeout (other, 100);

  /* While one connection holds the write lock, the other waits, then gives up cleanly. */
  g_assert_true (_fwr_store_begin (fixture->store, &error));
  g_assert_false (fwr_store_add_device (other, fixture->alice, "edge", NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "nothing was written"));
  g_clear_error (&error);
  _fwr_store_rollback (fixture->store);

  g_assert_true (fwr_store_add_device (other, fixture->alice, "edge", NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fwr_test_assert_intact (fixture->store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/store/default-path", test_default_path);
#define ADD(path, func) g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/fwr/store/create-open", test_create_open);
  ADD ("/fwr/store/schema-version", test_schema_version);
  ADD ("/fwr/store/users", test_users);
  ADD ("/fwr/store/devices-and-snapshots", test_devices_and_snapshots);
  ADD ("/fwr/store/bad-input-writes-nothing", test_bad_input_writes_nothing);
  ADD ("/fwr/store/busy", test_busy);
#undef ADD
  return g_test_run ();
}
