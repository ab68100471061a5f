/* fwr-test-year.h: a year of one firewall's life under change control, with a settable clock:
 * baseline, backups, changes approved and rejected, drift found once, two DMZ reviews and a
 * yearly one. Shared by the review and evidence tests; data in tests/data/review. */
#pragma once

#include "fwr-test-store.h"

/* What the year left behind. */
typedef struct {
  gint64 baseline_change;   /* 2024-01-05, approved by bob */
  gint64 mail_change;       /* 2024-03-10 by alice, approved by bob, implemented 03-15 */
  gint64 rdp_change;        /* 2024-04-01 by alice, rejected by dave */
  gint64 drift_check;       /* 2024-05-10 by carol: drift */
  gint64 clean_check;       /* 2024-05-11 by carol: runs the baseline */
  gint64 dmz_review;        /* 2024-06-20 to 06-22: bob decided most, dave signed off */
  gint64 noftp_change;      /* 2024-06-21 from bob's remove decision; approved by dave, implemented */
  gint64 yearly_review;     /* 2024-11-15 access-control review, signed off by bob on 11-20 */
  gint64 dmz_review2;       /* 2024-12-10 to 12-12, signed off by dave */
} FwrTestYear;

static inline char *
fwr_test_review_data (const char *name, gsize *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "review", name, NULL);
  char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static inline void
fwr_test_at (const char *when)
{
  g_setenv ("FWR_NOW", when, TRUE);
}

/* The store fixture, created on 2024-01-02 rather than today, so the log's times run in order. */
static inline void
year_fixture_setup (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fwr_test_at ("2024-01-02T09:00:00Z");
  fixture->dir = g_dir_make_tmp ("fwr-review-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->alice = fwr_identity_generate ();
  fixture->bob = fwr_identity_generate ();
  fixture->carol = fwr_identity_generate ();
  fixture->dave = fwr_identity_generate ();
  fixture->store = fwr_store_create (fixture->path, fixture->alice, "alice", &error);
  g_assert_no_error (error);
  struct { const char *name; FwrRole role; FwrIdentity *key; } users[] = {
    { "bob", FWR_ROLE_SUPERVISOR, fixture->bob },
    { "carol", FWR_ROLE_AUDITOR, fixture->carol },
    { "dave", FWR_ROLE_SUPERVISOR, fixture->dave },
  };
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_assert_true (fwr_store_add_user (fixture->store, fixture->alice, users[i].name, users[i].role,
                                         fwr_identity_get_public_key (users[i].key), NULL, &error));
      g_assert_no_error (error);
    }
}

static inline gint64
year_import (StoreFixture *fixture, const char *when, const char *file)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_review_data (file, &length);
  g_autoptr (GError) error = NULL;
  gint64 snapshot = 0;
  fwr_test_at (when);
  g_assert_true (fwr_store_import (fixture->store, fixture->alice, "edge", file, data, length,
                                   &snapshot, NULL, &error));
  g_assert_no_error (error);
  return snapshot;
}

static inline gint64
year_submit (StoreFixture *fixture, const char *when, const char *file, const char *reason)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_review_data (file, &length);
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  fwr_test_at (when);
  g_assert_true (fwr_store_submit_change (fixture->store, fixture->alice, "edge", file, data, length,
                                          reason, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

static inline void
year_implement (StoreFixture *fixture, const char *when, gint64 change, const char *file)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_review_data (file, &length);
  g_autoptr (GError) error = NULL;
  fwr_test_at (when);
  g_assert_true (fwr_store_implement_change (fixture->store, fixture->alice, change, file, data, length,
                                             NULL, &error));
  g_assert_no_error (error);
}

static inline gint64
year_drift (StoreFixture *fixture, const char *when, const char *file, gboolean expect_drift)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_review_data (file, &length);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrDriftCheck) check = NULL;
  g_autoptr (FwrDiff) diff = NULL;
  fwr_test_at (when);
  g_assert_true (fwr_store_check_drift (fixture->store, fixture->carol, "edge", file, data, length,
                                        &check, &diff, &error));
  g_assert_no_error (error);
  g_assert_cmpint (check->drift, ==, expect_drift);
  return check->id;
}

static inline void
year_decide (StoreFixture *fixture, FwrIdentity *who, gint64 review, const char *rule,
             FwrReviewDecisionKind decision, const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_store_decide_review (fixture->store, who, review, rule, decision, reason,
                                          NULL, NULL, 0, NULL, NULL, &error));
  g_assert_no_error (error);
}

static inline void
year_approve (StoreFixture *fixture, FwrIdentity *who, const char *when, gint64 change)
{
  g_autoptr (GError) error = NULL;
  fwr_test_at (when);
  g_assert_true (fwr_store_approve_change (fixture->store, who, change, NULL, &error));
  g_assert_no_error (error);
}

static inline gint64
year_start (StoreFixture *fixture, FwrIdentity *who, const char *when, FwrReviewScope scope)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  fwr_test_at (when);
  g_assert_true (fwr_store_start_review (fixture->store, who, "edge", scope, &id, &error));
  g_assert_no_error (error);
  return id;
}

static inline void
year_complete (StoreFixture *fixture, FwrIdentity *who, const char *when, gint64 review)
{
  g_autoptr (GError) error = NULL;
  fwr_test_at (when);
  g_assert_true (fwr_store_complete_review (fixture->store, who, review, "checked with the owners", &error));
  g_assert_no_error (error);
}

/* The first half: control, changes, drift, up to the first DMZ review being started. */
static inline void
fwr_test_year_first_half (StoreFixture *fixture, FwrTestYear *year)
{
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  g_autofree char *zones = fwr_test_review_data ("zones.json", &length);
  fwr_test_at ("2024-01-05T10:00:00Z");
  g_assert_true (fwr_store_add_device (fixture->store, fixture->alice, "edge", "alice", NULL, zones,
                                       NULL, &error));
  g_assert_no_error (error);
  gsize v1_length = 0;
  g_autofree char *v1 = fwr_test_review_data ("edge-v1.json", &v1_length);
  g_assert_true (fwr_store_import (fixture->store, fixture->alice, "edge", "edge-v1.json", v1, v1_length,
                                   NULL, &year->baseline_change, &error));
  g_assert_no_error (error);
  year_approve (fixture, fixture->bob, "2024-01-05T15:00:00Z", year->baseline_change);

  year_import (fixture, "2024-02-01T08:00:00Z", "edge-feb.json");
  year_import (fixture, "2024-03-01T08:00:00Z", "edge-mar.json");
  year->mail_change = year_submit (fixture, "2024-03-10T09:00:00Z", "edge-v2.json", "mail relay in the DMZ");
  year_approve (fixture, fixture->bob, "2024-03-12T09:00:00Z", year->mail_change);
  year_implement (fixture, "2024-03-15T20:00:00Z", year->mail_change, "edge-v2-running.json");

  year->rdp_change = year_submit (fixture, "2024-04-01T09:00:00Z", "edge-v3-rejected.json",
                                  "vendor wants rdp");
  fwr_test_at ("2024-04-02T09:00:00Z");
  g_assert_true (fwr_store_reject_change (fixture->store, fixture->dave, year->rdp_change,
                                          "no rdp from the internet into operating", &error));
  g_assert_no_error (error);

  year->drift_check = year_drift (fixture, "2024-05-10T06:00:00Z", "edge-drift.json", TRUE);
  year->clean_check = year_drift (fixture, "2024-05-11T06:00:00Z", "edge-v2-running.json", FALSE);
  year_import (fixture, "2024-06-15T08:00:00Z", "edge-jun.json");
  year->dmz_review = year_start (fixture, fixture->alice, "2024-06-20T09:00:00Z", FWR_REVIEW_SCOPE_DMZ);
}

/* The DMZ review decided: bob makes three decisions (one a removal with its change), alice two. */
static inline void
fwr_test_year_decide_dmz (StoreFixture *fixture, FwrTestYear *year)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReviewDecision) removal = NULL;
  gsize length = 0;
  g_autofree char *proposal = fwr_test_review_data ("edge-v4-noftp.json", &length);
  fwr_test_at ("2024-06-21T10:00:00Z");
  year_decide (fixture, fixture->bob, year->dmz_review, "inet/edge/forward/3", FWR_REVIEW_KEEP, "return traffic");
  year_decide (fixture, fixture->bob, year->dmz_review, "inet/edge/forward/4", FWR_REVIEW_KEEP, "the web shop");
  g_assert_true (fwr_store_decide_review (fixture->store, fixture->bob, year->dmz_review, "inet/edge/forward/5",
                                          FWR_REVIEW_REMOVE, "ftp retired, no hits all year",
                                          "edge-v4-noftp.json", proposal, length, "CHG-12", &removal, &error));
  g_assert_no_error (error);
  year->noftp_change = removal->change_id;
  year_decide (fixture, fixture->alice, year->dmz_review, "inet/edge/forward/6", FWR_REVIEW_KEEP, "database of the shop");
  year_decide (fixture, fixture->alice, year->dmz_review, "inet/edge/forward/9", FWR_REVIEW_KEEP, "mail relay");
}

/* The rest of the year: sign-off, the removal implemented, the yearly review, DMZ review 2. */
static inline void
fwr_test_year_second_half (StoreFixture *fixture, FwrTestYear *year)
{
  year_complete (fixture, fixture->dave, "2024-06-22T09:00:00Z", year->dmz_review);
  year_approve (fixture, fixture->dave, "2024-07-01T09:00:00Z", year->noftp_change);
  year_implement (fixture, "2024-07-02T21:00:00Z", year->noftp_change, "edge-v4-noftp.json");

  year->yearly_review = year_start (fixture, fixture->bob, "2024-11-15T09:00:00Z",
                                    FWR_REVIEW_SCOPE_ACCESS_CONTROL);
  fwr_test_at ("2024-11-18T09:00:00Z");
  const char *alice_rules[] = { "inet/edge/forward/3", "inet/edge/forward/4", "inet/edge/forward/5",
                                "inet/edge/forward/6" };
  for (guint i = 0; i < G_N_ELEMENTS (alice_rules); i++)
    year_decide (fixture, fixture->alice, year->yearly_review, alice_rules[i], FWR_REVIEW_KEEP, "still needed");
  year_decide (fixture, fixture->dave, year->yearly_review, "inet/edge/forward/7", FWR_REVIEW_TIGHTEN,
               "admin only from the admin subnet");
  year_decide (fixture, fixture->dave, year->yearly_review, "inet/edge/forward/8", FWR_REVIEW_KEEP, "mail relay");
  year_decide (fixture, fixture->bob, year->yearly_review, "inet/edge/input/9", FWR_REVIEW_KEEP, "loopback");
  year_decide (fixture, fixture->bob, year->yearly_review, "inet/edge/input/10", FWR_REVIEW_KEEP, "management ssh");
  year_complete (fixture, fixture->bob, "2024-11-20T09:00:00Z", year->yearly_review);

  year->dmz_review2 = year_start (fixture, fixture->alice, "2024-12-10T09:00:00Z", FWR_REVIEW_SCOPE_DMZ);
  fwr_test_at ("2024-12-11T09:00:00Z");
  const char *dmz_rules[] = { "inet/edge/forward/3", "inet/edge/forward/4", "inet/edge/forward/5",
                              "inet/edge/forward/8" };
  for (guint i = 0; i < G_N_ELEMENTS (dmz_rules); i++)
    year_decide (fixture, fixture->alice, year->dmz_review2, dmz_rules[i], FWR_REVIEW_KEEP, "still needed");
  year_complete (fixture, fixture->dave, "2024-12-12T09:00:00Z", year->dmz_review2);
}

static inline void
fwr_test_year_build (StoreFixture *fixture, FwrTestYear *year)
{
  fwr_test_year_first_half (fixture, year);
  fwr_test_year_decide_dmz (fixture, year);
  fwr_test_year_second_half (fixture, year);
}
