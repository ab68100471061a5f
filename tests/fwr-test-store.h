/* fwr-test-store.h: a fixture for store tests: a fresh store in a temporary folder whose first
 * admin is alice, with bob (supervisor), carol (auditor) and dave (supervisor) registered, and
 * the nftables rulesets under tests/data/store. */
#pragma once

#include <glib/gstdio.h>

#include "fwr-store-private.h"

typedef struct {
  char *dir;
  char *path;
  FwrStore *store;
  FwrIdentity *alice;   /* admin */
  FwrIdentity *bob;     /* supervisor */
  FwrIdentity *carol;   /* auditor */
  FwrIdentity *dave;    /* supervisor */
} StoreFixture;

static inline char *
fwr_test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "store", name, NULL);
}

/* (transfer full) The contents of tests/data/store/name; length in *length. */
static inline char *
fwr_test_read_data (const char *name, gsize *length)
{
  g_autofree char *path = fwr_test_data_path (name);
  char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static inline void
fwr_test_rm_rf (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        fwr_test_rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static inline void
store_fixture_setup (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_unsetenv ("FWR_NOW");
  fixture->dir = g_dir_make_tmp ("fwr-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->alice = fwr_identity_generate ();
  fixture->bob = fwr_identity_generate ();
  fixture->carol = fwr_identity_generate ();
  fixture->dave = fwr_identity_generate ();
  fixture->store = fwr_store_create (fixture->path, fixture->alice, "alice", &error);
  g_assert_no_error (error);
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "bob", FWR_ROLE_SUPERVISOR,
                                     fwr_identity_get_public_key (fixture->bob), NULL, &error));
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "carol", FWR_ROLE_AUDITOR,
                                     fwr_identity_get_public_key (fixture->carol), NULL, &error));
  g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, "dave", FWR_ROLE_SUPERVISOR,
                                     fwr_identity_get_public_key (fixture->dave), NULL, &error));
  g_assert_no_error (error);
}

static inline void
store_fixture_teardown (StoreFixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->store, fwr_store_free);
  fwr_identity_free (fixture->alice);
  fwr_identity_free (fixture->bob);
  fwr_identity_free (fixture->carol);
  fwr_identity_free (fixture->dave);
  fwr_test_rm_rf (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
  g_unsetenv ("FWR_NOW");
}

/* Imports tests/data/store/name for device as alice; returns the snapshot id. */
static inline gint64
fwr_test_import (StoreFixture *fixture, const char *device, const char *name, gint64 *out_change)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_read_data (name, &length);
  g_autoptr (GError) error = NULL;
  gint64 snapshot = 0;
  g_assert_true (fwr_store_import (fixture->store, fixture->alice, device, name, data, length,
                                   &snapshot, out_change, &error));
  g_assert_no_error (error);
  return snapshot;
}

/* A device "edge" with zones and an approved baseline edge-v1.json; returns the snapshot. */
static inline gint64
fwr_test_setup_edge (StoreFixture *fixture)
{
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  g_autofree char *zones = fwr_test_read_data ("zones.json", &length);
  g_assert_true (fwr_store_add_device (fixture->store, fixture->alice, "edge", "alice", NULL,
                                       zones, NULL, &error));
  g_assert_no_error (error);
  gint64 change = 0;
  gint64 snapshot = fwr_test_import (fixture, "edge", "edge-v1.json", &change);
  g_assert_cmpint (change, >, 0);
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, change, "baseline", &error));
  g_assert_no_error (error);
  return snapshot;
}

static inline guint
fwr_test_count_audit (FwrStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = fwr_store_list_audit (store, &error);
  g_assert_no_error (error);
  return records->len;
}

static inline void
fwr_test_assert_intact (FwrStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrAuditReport) report = fwr_store_verify_audit (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("audit problem: %s", (const char *) g_ptr_array_index (report->problems, i));
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_true (report->intact);
  g_assert_cmpint (report->first_broken, ==, 0);
}
