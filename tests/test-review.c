/* test-review.c: periodic reviews over a simulated year: scopes from zone classes, policy,
 * frozen findings and usage, signed decisions, sign-off with segregation of duties, due dates,
 * tampering caught, migration and purge; and the fwreview review command's contracts. */
#include <sqlite3.h>
#include <jansson.h>
#include <gio/gio.h>

#include "fwr-test-year.h"

#define CLASS(k) FWR_ZONE_CLASS_BIT (FWR_ZONE_CLASS_##k)
/* Every class of tests/data/review/zones.json, and what no zone claims. */
#define EVERY_ZONE (CLASS (INTERNET) | CLASS (DMZ) | CLASS (OPERATING) | CLASS (MANAGEMENT) | \
                    FWR_ZONE_CLASSES_UNZONED)

static void
exec_sql (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_changes (db), >, 0);
  sqlite3_close (db);
}

static FwrReview *
get_review (StoreFixture *fixture, gint64 id)
{
  g_autoptr (GError) error = NULL;
  FwrReview *review = fwr_store_get_review (fixture->store, id, &error);
  g_assert_no_error (error);
  return review;
}

static const FwrReviewRule *
review_rule (const FwrReview *review, const char *id)
{
  for (guint i = 0; i < review->rules->len; i++)
    if (g_str_equal (((FwrReviewRule *) g_ptr_array_index (review->rules, i))->rule_id, id))
      return g_ptr_array_index (review->rules, i);
  return NULL;
}

static char *
rule_ids (const FwrReview *review)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < review->rules->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            ((FwrReviewRule *) g_ptr_array_index (review->rules, i))->rule_id);
  return g_string_free (out, FALSE);
}

static char *
finding_checks (const FwrReviewRule *rule)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < rule->findings->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            ((FwrReviewFinding *) g_ptr_array_index (rule->findings, i))->check);
  return g_string_free (out, FALSE);
}

/* Zone classes of each rule: what puts it in the dmz and external scopes. */
static void
test_rule_zones (void)
{
  g_autoptr (GError) error = NULL;
  gsize length = 0, zones_length = 0;
  g_autofree char *data = fwr_test_review_data ("edge-v1.json", &length);
  g_autofree char *zones_text = fwr_test_review_data ("zones.json", &zones_length);
  g_autoptr (FwrRuleset) ruleset = fwr_import_data ("edge-v1.json", data, length, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_autoptr (FwrZoneMap) zones = fwr_zone_map_new_from_data ("zones.json", zones_text, zones_length, &error);
  g_assert_no_error (error);
  g_autoptr (FwrRuleZones) classes = fwr_rule_zones_new (ruleset, zones);
  g_autoptr (FwrRuleZones) unknown = fwr_rule_zones_new (ruleset, NULL);

  static const struct {
    const char *rule;
    guint from, to;
  } expected[] = {
    { "inet/edge/forward/3", EVERY_ZONE, EVERY_ZONE },                       /* ct state: any */
    { "inet/edge/forward/4", CLASS (INTERNET), CLASS (DMZ) },                /* wan -> dmz web */
    { "inet/edge/forward/5", CLASS (INTERNET), CLASS (DMZ) },
    { "inet/edge/forward/6", CLASS (DMZ), CLASS (OPERATING) },               /* dmz -> lan db */
    { "inet/edge/forward/7", CLASS (OPERATING), CLASS (INTERNET) },
    { "inet/edge/forward/8", CLASS (OPERATING), CLASS (MANAGEMENT) },
    { "inet/edge/input/9", FWR_ZONE_CLASSES_UNZONED, 0 },                    /* lo, to the box */
    { "inet/edge/input/10", CLASS (MANAGEMENT), 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      FwrRule *rule = fwr_ruleset_lookup_rule (ruleset, expected[i].rule);
      guint from = 0, to = 0;
      g_assert_nonnull (rule);
      g_assert_true (fwr_rule_zones_lookup (classes, rule, &from, &to));
      g_test_message ("%s: from %x to %x", expected[i].rule, from, to);
      g_assert_cmpuint (from, ==, expected[i].from);
      g_assert_cmpuint (to, ==, expected[i].to);
      /* Without a zones file nothing can be ruled out, except the firewall itself. */
      g_assert_true (fwr_rule_zones_lookup (unknown, rule, &from, &to));
      g_assert_cmpuint (from, ==, FWR_ZONE_CLASSES_ALL);
      g_assert_cmpuint (to, ==, g_str_has_prefix (expected[i].rule, "inet/edge/input") ? 0 : FWR_ZONE_CLASSES_ALL);
    }
  g_assert_true (fwr_review_scope_contains (FWR_REVIEW_SCOPE_DMZ, CLASS (DMZ), CLASS (OPERATING)));
  g_assert_false (fwr_review_scope_contains (FWR_REVIEW_SCOPE_DMZ, CLASS (OPERATING), CLASS (INTERNET)));
  g_assert_true (fwr_review_scope_contains (FWR_REVIEW_SCOPE_EXTERNAL, CLASS (OPERATING), CLASS (INTERNET)));
  g_assert_false (fwr_review_scope_contains (FWR_REVIEW_SCOPE_EXTERNAL, CLASS (MANAGEMENT), 0));
  g_assert_true (fwr_review_scope_contains (FWR_REVIEW_SCOPE_ACCESS_CONTROL, FWR_ZONE_CLASSES_UNZONED, 0));

  /* A rule of another ruleset is not answered for. */
  g_autoptr (FwrRuleset) other = fwr_import_data ("edge-v1.json", data, length, FWR_FORMAT_UNKNOWN, &error);
  g_assert_false (fwr_rule_zones_lookup (classes, fwr_ruleset_lookup_rule (other, "inet/edge/forward/4"),
                                         NULL, NULL));
}

static void
setup_edge (StoreFixture *fixture)
{
  FwrTestYear year = { 0 };
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  g_autofree char *zones = fwr_test_review_data ("zones.json", &length);
  g_assert_true (fwr_store_add_device (fixture->store, fixture->alice, "edge", "alice", NULL, zones,
                                       NULL, &error));
  g_autofree char *v1 = fwr_test_review_data ("edge-v1.json", &length);
  g_assert_true (fwr_store_import (fixture->store, fixture->alice, "edge", "edge-v1.json", v1, length,
                                   NULL, &year.baseline_change, &error));
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, year.baseline_change, NULL, &error));
  g_assert_no_error (error);
}

/* Intervals: shorter freely, longer only with a justification, which the log keeps. */
static void
test_policy (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  setup_edge (fixture);
  for (guint s = 0; s < FWR_REVIEW_N_SCOPES; s++)
    {
      g_autoptr (FwrReviewPolicy) policy = fwr_store_get_review_policy (fixture->store, "edge", s, &error);
      g_assert_no_error (error);
      g_assert_cmpint (policy->id, ==, 0);
      g_assert_cmpuint (policy->interval_months, ==, s == FWR_REVIEW_SCOPE_DMZ ? 6 : 12);
      g_assert_true (policy->segregation);
    }

  g_assert_true (fwr_store_set_review_policy (fixture->store, fixture->bob, "edge", FWR_REVIEW_SCOPE_DMZ,
                                              3, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (fwr_store_set_review_policy (fixture->store, fixture->bob, "edge", FWR_REVIEW_SCOPE_DMZ,
                                               9, TRUE, "  ", NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "9 months is longer than the checklist's 6 months for dmz reviews: "
                   "it needs a justification, which is logged");
  g_clear_error (&error);
  g_assert_false (fwr_store_set_review_policy (fixture->store, fixture->bob, "edge", FWR_REVIEW_SCOPE_EXTERNAL,
                                               12, FALSE, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (fwr_store_set_review_policy (fixture->store, fixture->alice, "edge", FWR_REVIEW_SCOPE_DMZ,
                                               3, TRUE, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (fwr_store_set_review_policy (fixture->store, fixture->bob, "edge", FWR_REVIEW_SCOPE_DMZ,
                                               37, TRUE, "really", NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  guint records = fwr_test_count_audit (fixture->store);
  g_assert_true (fwr_store_set_review_policy (fixture->store, fixture->dave, "edge",
                                              FWR_REVIEW_SCOPE_ACCESS_CONTROL, 18, FALSE,
                                              "one admin only until March", NULL, &error));
  g_assert_no_error (error);
  g_autoptr (FwrReviewPolicy) policy = fwr_store_get_review_policy (fixture->store, "edge",
                                                                    FWR_REVIEW_SCOPE_ACCESS_CONTROL, &error);
  g_assert_cmpuint (policy->interval_months, ==, 18);
  g_assert_false (policy->segregation);
  g_assert_cmpstr (policy->set_by, ==, "dave");
  g_assert_cmpstr (policy->justification, ==, "one admin only until March");
  g_autoptr (FwrReviewPolicy) dmz = fwr_store_get_review_policy (fixture->store, "edge", FWR_REVIEW_SCOPE_DMZ, &error);
  g_assert_cmpuint (dmz->interval_months, ==, 3);

  g_autoptr (GPtrArray) log = fwr_store_list_audit (fixture->store, &error);
  g_assert_cmpuint (log->len, ==, records + 1);
  FwrAuditRecord *last = g_ptr_array_index (log, log->len - 1);
  g_assert_cmpstr (last->action, ==, "review.policy");
  g_assert_cmpstr (last->actor, ==, "dave");
  g_assert_cmpstr (last->details, ==, "{\"checklist_months\":12,\"device\":\"edge\",\"interval_months\":18,"
                   "\"justification\":\"one admin only until March\",\"scope\":\"access-control\","
                   "\"segregation\":false}");
  fwr_test_assert_intact (fixture->store);
}

static void
assert_due (StoreFixture *fixture, const char *at, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) when = fwr_time_parse (at);
  g_autoptr (GPtrArray) dues = fwr_store_list_reviews_due (fixture->store, when, &error);
  g_assert_no_error (error);
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint i = 0; i < dues->len; i++)
    {
      FwrReviewDue *due = g_ptr_array_index (dues, i);
      g_string_append_printf (text, "%s%s %s %s next %s last %s", i ? "; " : "",
                              due->device, fwr_review_scope_to_string (due->scope),
                              fwr_review_due_status_to_string (due->status), due->next_due,
                              due->last_completed ? due->last_completed : "never");
    }
  g_assert_cmpstr (text->str, ==, expected);
}

/* The first DMZ review as frozen: the rules in scope, their findings and their usage. */
static void
check_dmz_review (StoreFixture *fixture, const FwrTestYear *year)
{
  g_autoptr (FwrReview) review = get_review (fixture, year->dmz_review);
  g_autoptr (FwrDevice) device = fwr_store_get_device (fixture->store, "edge", NULL);
  g_autoptr (FwrSnapshot) baseline = fwr_store_get_snapshot (fixture->store, device->baseline_snapshot_id, NULL);
  g_autofree char *ids = rule_ids (review);
  g_assert_cmpstr (ids, ==, "inet/edge/forward/3 inet/edge/forward/4 inet/edge/forward/5 inet/edge/forward/6 "
                   "inet/edge/forward/9");
  g_assert_cmpint (review->snapshot_id, ==, baseline->id);
  g_assert_cmpstr (review->snapshot_sha256, ==, baseline->sha256);
  g_assert_cmpstr (review->period_from, ==, "2023-12-20T09:00:00Z");
  g_assert_cmpstr (review->period_to, ==, "2024-06-20T09:00:00Z");
  g_assert_cmpstr (review->started_by, ==, "alice");
  g_assert_null (review->signoff);

  /* ftp: clear text, zero in the baseline, zero in all six snapshots of what ran. */
  const FwrReviewRule *ftp = review_rule (review, "inet/edge/forward/5");
  g_autofree char *checks = finding_checks (ftp);
  g_assert_cmpstr (checks, ==, "cleartext-service unused zero-hits");
  g_assert_cmpstr (ftp->comment, ==, "old ftp");
  g_assert_true (ftp->counted);
  g_assert_cmpuint (ftp->packets, ==, 0);
  g_assert_cmpuint (ftp->n_observations, ==, 6);
  g_assert_cmpstr (ftp->observed_from, ==, "2024-01-05T10:00:00Z");
  g_assert_cmpstr (ftp->observed_to, ==, "2024-06-15T08:00:00Z");
  g_assert_true (ftp->zero_hits);
  const FwrReviewFinding *zero = g_ptr_array_index (ftp->findings, 2);
  g_assert_cmpstr (zero->message, ==, "no packet matched it in the 6 snapshots from 2024-01-05T10:00:00Z "
                   "to 2024-06-15T08:00:00Z");
  g_assert_cmpint (zero->severity, ==, FWR_SEVERITY_LOW);

  const FwrReviewRule *web = review_rule (review, "inet/edge/forward/4");
  g_assert_cmpuint (web->packets, ==, 10);
  g_assert_cmpuint (web->max_packets, ==, 9000);
  g_assert_false (web->zero_hits);
  g_assert_cmpuint (web->from_classes, ==, CLASS (INTERNET));
  g_assert_cmpuint (web->to_classes, ==, CLASS (DMZ));
  /* The mail relay came with the March change: three snapshots show it, one with hits. */
  const FwrReviewRule *mail = review_rule (review, "inet/edge/forward/9");
  g_assert_cmpuint (mail->n_observations, ==, 3);
  g_assert_cmpuint (mail->max_packets, ==, 40);
  g_assert_false (mail->zero_hits);
  g_assert_cmpuint (review->decisions->len, ==, 0);
}

/* bob made three of five decisions: he may not sign off; alice, an admin, may not either. */
static void
check_dmz_signoff (StoreFixture *fixture, const FwrTestYear *year)
{
  g_autoptr (GError) error = NULL;
  fwr_test_at ("2024-06-22T08:00:00Z");
  g_assert_false (fwr_store_complete_review (fixture->store, fixture->bob, year->dmz_review, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_autofree char *expected = g_strdup_printf ("segregation of duties: bob made 3 of the 5 decisions of "
                                               "review %" G_GINT64_FORMAT ", the most of anyone, and may not "
                                               "sign them off; another supervisor must complete it",
                                               year->dmz_review);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_false (fwr_store_complete_review (fixture->store, fixture->alice, year->dmz_review, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_autoptr (FwrReview) review = get_review (fixture, year->dmz_review);
  g_assert_cmpuint (review->decisions->len, ==, 5);
  const FwrReviewDecision *removal = fwr_review_find_decision (review, "inet/edge/forward/5");
  g_assert_cmpint (removal->decision, ==, FWR_REVIEW_REMOVE);
  g_assert_cmpint (removal->change_id, ==, year->noftp_change);
  g_assert_cmpstr (removal->snapshot_sha256, ==, review->snapshot_sha256);
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_decision_dup_signed_text (removal, &length);
  g_assert_true (fwr_signature_verify (fwr_identity_get_public_key (fixture->bob), signed_text, length,
                                       removal->signature));
  g_autoptr (FwrChange) change = fwr_store_get_change (fixture->store, year->noftp_change, &error);
  g_assert_cmpint (change->state, ==, FWR_CHANGE_SUBMITTED);
  g_assert_cmpstr (change->submitted_by, ==, "bob");
  g_assert_cmpstr (change->ticket, ==, "CHG-12");
  g_autofree char *reason = g_strdup_printf ("review %" G_GINT64_FORMAT " (dmz): remove rule inet/edge/forward/5: "
                                             "ftp retired, no hits all year", year->dmz_review);
  g_assert_cmpstr (change->reason, ==, reason);
}

static void
check_year_end (StoreFixture *fixture, const FwrTestYear *year)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReview) first = get_review (fixture, year->dmz_review);
  g_assert_cmpstr (first->signoff->signed_by, ==, "dave");
  g_assert_cmpstr (first->signoff->signed_at, ==, "2024-06-22T09:00:00Z");
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_signoff_dup_signed_text (first->signoff, &length);
  g_assert_true (fwr_signature_verify (fwr_identity_get_public_key (fixture->dave), signed_text, length,
                                       first->signoff->signature));

  /* The yearly review covers every rule of the configuration without ftp. */
  g_autoptr (FwrReview) yearly = get_review (fixture, year->yearly_review);
  g_autofree char *all = rule_ids (yearly);
  g_assert_cmpstr (all, ==, "inet/edge/forward/3 inet/edge/forward/4 inet/edge/forward/5 inet/edge/forward/6 "
                   "inet/edge/forward/7 inet/edge/forward/8 inet/edge/input/9 inet/edge/input/10");
  g_assert_cmpstr (yearly->signoff->signed_by, ==, "bob");
  g_assert_cmpint (fwr_review_find_decision (yearly, "inet/edge/forward/7")->decision, ==, FWR_REVIEW_TIGHTEN);

  /* The second DMZ review counts usage from the first one's sign-off: one snapshot is no proof
   * of zero hits. */
  g_autoptr (FwrReview) second = get_review (fixture, year->dmz_review2);
  g_autofree char *dmz = rule_ids (second);
  g_assert_cmpstr (dmz, ==, "inet/edge/forward/3 inet/edge/forward/4 inet/edge/forward/5 inet/edge/forward/8");
  g_assert_cmpstr (second->period_from, ==, "2024-06-22T09:00:00Z");
  const FwrReviewRule *web = review_rule (second, "inet/edge/forward/4");
  g_assert_cmpuint (web->n_observations, ==, 1);
  g_assert_false (web->zero_hits);

  g_autoptr (GPtrArray) reviews = fwr_store_list_reviews (fixture->store, 0, &error);
  g_assert_cmpuint (reviews->len, ==, 3);
  fwr_test_assert_intact (fixture->store);
}

static void
test_year (StoreFixture *fixture, gconstpointer data)
{
  FwrTestYear year = { 0 };
  assert_due (fixture, "2024-01-03", "");
  fwr_test_year_first_half (fixture, &year);
  check_dmz_review (fixture, &year);
  assert_due (fixture, "2024-06-10",
              "edge dmz due-soon next 2024-07-05T10:00:00Z last never; "
              "edge access-control ok next 2025-01-05T10:00:00Z last never; "
              "edge external ok next 2025-01-05T10:00:00Z last never");
  assert_due (fixture, "2024-07-06",
              "edge dmz overdue next 2024-07-05T10:00:00Z last never; "
              "edge access-control ok next 2025-01-05T10:00:00Z last never; "
              "edge external ok next 2025-01-05T10:00:00Z last never");
  fwr_test_year_decide_dmz (fixture, &year);
  check_dmz_signoff (fixture, &year);
  fwr_test_year_second_half (fixture, &year);
  /* Asked about a past date, the answer is what it was then. */
  assert_due (fixture, "2024-08-01",
              "edge dmz ok next 2024-12-22T09:00:00Z last 2024-06-22T09:00:00Z; "
              "edge access-control ok next 2025-01-05T10:00:00Z last never; "
              "edge external ok next 2025-01-05T10:00:00Z last never");
  assert_due (fixture, "2024-12-01",
              "edge dmz due-soon next 2024-12-22T09:00:00Z last 2024-06-22T09:00:00Z; "
              "edge access-control ok next 2025-11-20T09:00:00Z last 2024-11-20T09:00:00Z; "
              "edge external ok next 2025-01-05T10:00:00Z last never");
  assert_due (fixture, "2024-12-31",
              "edge dmz ok next 2025-06-12T09:00:00Z last 2024-12-12T09:00:00Z; "
              "edge access-control ok next 2025-11-20T09:00:00Z last 2024-11-20T09:00:00Z; "
              "edge external due-soon next 2025-01-05T10:00:00Z last never");
  assert_due (fixture, "2025-01-10",
              "edge dmz ok next 2025-06-12T09:00:00Z last 2024-12-12T09:00:00Z; "
              "edge access-control ok next 2025-11-20T09:00:00Z last 2024-11-20T09:00:00Z; "
              "edge external overdue next 2025-01-05T10:00:00Z last never");
  check_year_end (fixture, &year);
}

/* A shorter interval moves the due date; the policy in force when asked counts. */
static void
test_due_policy (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrTestYear year = { 0 };
  fwr_test_year_build (fixture, &year);
  fwr_test_at ("2025-01-02T09:00:00Z");
  g_assert_true (fwr_store_set_review_policy (fixture->store, fixture->bob, "edge", FWR_REVIEW_SCOPE_DMZ,
                                              1, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (GDateTime) at = fwr_time_parse ("2025-01-03");
  g_autoptr (GPtrArray) dues = fwr_store_list_reviews_due (fixture->store, at, &error);
  FwrReviewDue *dmz = g_ptr_array_index (dues, FWR_REVIEW_SCOPE_DMZ);
  g_assert_cmpuint (dmz->interval_months, ==, 1);
  g_assert_cmpstr (dmz->next_due, ==, "2025-01-12T09:00:00Z");
  g_assert_cmpint (dmz->status, ==, FWR_REVIEW_DUE_SOON);
  g_assert_cmpint (dmz->last_review_id, ==, year.dmz_review2);
}

/* Completion is refused while a rule is undecided, naming the rules. */
static void
test_undecided (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrTestYear year = { 0 };
  fwr_test_year_first_half (fixture, &year);
  fwr_test_at ("2024-06-21T10:00:00Z");
  year_decide (fixture, fixture->alice, year.dmz_review, "inet/edge/forward/4", FWR_REVIEW_KEEP, "web");
  guint records = fwr_test_count_audit (fixture->store);
  g_assert_false (fwr_store_complete_review (fixture->store, fixture->dave, year.dmz_review, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_autofree char *expected = g_strdup_printf ("review %" G_GINT64_FORMAT " cannot be completed: 4 of its 5 "
                                               "rules are undecided (inet/edge/forward/3, inet/edge/forward/5, "
                                               "inet/edge/forward/6, inet/edge/forward/9)", year.dmz_review);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (fwr_test_count_audit (fixture->store), ==, records);
  g_autoptr (FwrReview) review = get_review (fixture, year.dmz_review);
  g_assert_null (review->signoff);
}

/* Decisions: by admins and supervisors, on rules in scope, once, and a proposal must act. */
static void
test_decisions (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrTestYear year = { 0 };
  fwr_test_year_first_half (fixture, &year);
  gint64 id = year.dmz_review;
  gsize length = 0;
  g_autofree char *unchanged = fwr_test_review_data ("edge-v2-running.json", &length);
  guint records = fwr_test_count_audit (fixture->store);

  g_assert_false (fwr_store_decide_review (fixture->store, fixture->carol, id, "inet/edge/forward/4",
                                           FWR_REVIEW_KEEP, "fine", NULL, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (fwr_store_decide_review (fixture->store, fixture->bob, id, "inet/edge/forward/7",
                                           FWR_REVIEW_KEEP, "fine", NULL, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fwr_store_decide_review (fixture->store, fixture->bob, id, "inet/edge/forward/4",
                                           FWR_REVIEW_KEEP, " ", NULL, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fwr_store_decide_review (fixture->store, fixture->bob, id, "inet/edge/forward/4",
                                           FWR_REVIEW_KEEP, "fine", "edge-v2-running.json", unchanged,
                                           length, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* A removal whose proposal still has the rule is refused, and nothing is written. */
  g_assert_false (fwr_store_decide_review (fixture->store, fixture->bob, id, "inet/edge/forward/5",
                                           FWR_REVIEW_REMOVE, "ftp retired", "edge-v2-running.json",
                                           unchanged, length, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "the proposed configuration still has rule inet/edge/forward/5 "
                            "as it is"));
  g_clear_error (&error);
  g_assert_cmpuint (fwr_test_count_audit (fixture->store), ==, records);
  g_autoptr (GPtrArray) changes = fwr_store_list_changes (fixture->store, 0, &error);
  g_assert_cmpuint (changes->len, ==, 3);

  year_decide (fixture, fixture->bob, id, "inet/edge/forward/4", FWR_REVIEW_KEEP, "fine");
  g_assert_false (fwr_store_decide_review (fixture->store, fixture->dave, id, "inet/edge/forward/4",
                                           FWR_REVIEW_REMOVE, "on second thought", NULL, NULL, 0, NULL,
                                           NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "was decided already (keep, by bob on "));
  g_clear_error (&error);
  g_assert_false (fwr_store_decide_review (fixture->store, fixture->bob, 999, "inet/edge/forward/4",
                                           FWR_REVIEW_KEEP, "fine", NULL, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Once signed off, a review takes no more decisions. */
  const char *rest[] = { "inet/edge/forward/3", "inet/edge/forward/5", "inet/edge/forward/6", "inet/edge/forward/9" };
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    year_decide (fixture, fixture->alice, id, rest[i], FWR_REVIEW_KEEP, "fine");
  year_complete (fixture, fixture->bob, "2024-06-23T09:00:00Z", id);
  g_assert_false (fwr_store_complete_review (fixture->store, fixture->dave, id, NULL, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);
  fwr_test_assert_intact (fixture->store);
}

/* One open review per device and scope; none before an approved baseline. */
static void
test_start_rules (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  g_autofree char *zones = fwr_test_review_data ("zones.json", &length);
  g_assert_true (fwr_store_add_device (fixture->store, fixture->alice, "edge", NULL, NULL, zones, NULL, &error));
  g_autofree char *v1 = fwr_test_review_data ("edge-v1.json", &length);
  gint64 change = 0, id = 0;
  g_assert_true (fwr_store_import (fixture->store, fixture->alice, "edge", "edge-v1.json", v1, length,
                                   NULL, &change, &error));
  g_assert_false (fwr_store_start_review (fixture->store, fixture->alice, "edge", FWR_REVIEW_SCOPE_DMZ, &id, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (fwr_store_approve_change (fixture->store, fixture->bob, change, NULL, &error));
  g_assert_false (fwr_store_start_review (fixture->store, fixture->carol, "edge", FWR_REVIEW_SCOPE_DMZ, &id, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (fwr_store_start_review (fixture->store, fixture->alice, "edge", FWR_REVIEW_SCOPE_DMZ, &id, &error));
  g_assert_no_error (error);
  gint64 other = 0;
  g_assert_false (fwr_store_start_review (fixture->store, fixture->bob, "edge", FWR_REVIEW_SCOPE_DMZ, &other, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (fwr_store_start_review (fixture->store, fixture->bob, "edge", FWR_REVIEW_SCOPE_EXTERNAL, &other, &error));
  g_autoptr (FwrReview) external = get_review (fixture, other);
  g_autofree char *ids = rule_ids (external);
  g_assert_cmpstr (ids, ==, "inet/edge/forward/3 inet/edge/forward/4 inet/edge/forward/5 inet/edge/forward/7");
  g_assert_false (fwr_store_start_review (fixture->store, fixture->bob, "core", FWR_REVIEW_SCOPE_DMZ, &other, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND);
}

/* With segregation off (justified), the person who decided most may sign off. */
static void
test_segregation_off (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrTestYear year = { 0 };
  fwr_test_year_first_half (fixture, &year);
  fwr_test_year_decide_dmz (fixture, &year);
  g_assert_true (fwr_store_set_review_policy (fixture->store, fixture->dave, "edge", FWR_REVIEW_SCOPE_DMZ,
                                              6, FALSE, "bob is the only supervisor this month", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fwr_store_complete_review (fixture->store, fixture->bob, year.dmz_review, NULL, &error));
  g_assert_no_error (error);
  fwr_test_assert_intact (fixture->store);
}

static void
assert_broken (StoreFixture *fixture, const char *part)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrAuditReport) report = fwr_store_verify_audit (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_false (report->intact);
  for (guint i = 0; i < report->problems->len; i++)
    if (strstr (g_ptr_array_index (report->problems, i), part) != NULL)
      return;
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (report->problems, i));
  g_error ("no problem mentions “%s”", part);
}

/* Decisions are signed and logged: editing them behind fwreview's back is caught. */
static void
test_tamper (StoreFixture *fixture, gconstpointer data)
{
  FwrTestYear year = { 0 };
  fwr_test_year_build (fixture, &year);
  fwr_test_assert_intact (fixture->store);
  g_clear_pointer (&fixture->store, fwr_store_free);
  g_autofree char *original = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (fixture->path, &original, &length, NULL));

  static const struct {
    const char *sql;
    const char *problem;
  } cases[] = {
    { "UPDATE review_decisions SET decision = 'keep' WHERE decision = 'remove'",
      "the decision on rule inet/edge/forward/5 of review 1 by bob was altered" },
    { "UPDATE review_decisions SET reason = 'nobody asked' WHERE id = 4",
      "was altered after record" },
    { "UPDATE review_decisions SET signature = (SELECT signature FROM review_decisions WHERE id = 1) WHERE id = 2",
      "the signature does not match" },
    { "DELETE FROM review_decisions WHERE id = 5",
      "the review-decision 5 it recorded is missing, deleted without a purge" },
    { "UPDATE review_rules SET findings = '[]' WHERE rule_id = 'inet/edge/forward/5' AND review_id = 1",
      "review 1 (with its 5 rules) was altered" },
    { "UPDATE review_signoffs SET signed_by = 'bob' WHERE review_id = 1",
      "the sign-off of review 1 by bob" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (g_file_set_contents (fixture->path, original, (gssize) length, NULL));
      exec_sql (fixture->path, cases[i].sql);
      fixture->store = fwr_store_open (fixture->path, &error);
      g_assert_no_error (error);
      assert_broken (fixture, cases[i].problem);
      g_clear_pointer (&fixture->store, fwr_store_free);
    }
  /* The untouched copy is intact: the problems came from the edits. */
  g_assert_true (g_file_set_contents (fixture->path, original, (gssize) length, NULL));
  fixture->store = fwr_store_open (fixture->path, NULL);
  fwr_test_assert_intact (fixture->store);
}

/* A store made before reviews existed gains their tables when opened. */
static void
test_migration (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  setup_edge (fixture);
  g_clear_pointer (&fixture->store, fwr_store_free);
  exec_sql (fixture->path, "DROP TABLE review_signoffs; DROP TABLE review_decisions; DROP TABLE review_rules; "
                           "DROP TABLE reviews; DROP TABLE review_policies; DELETE FROM migrations WHERE version = 2");
  fixture->store = fwr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  gint64 id = 0;
  g_assert_true (fwr_store_start_review (fixture->store, fixture->alice, "edge", FWR_REVIEW_SCOPE_DMZ, &id, &error));
  g_assert_no_error (error);
  g_autoptr (FwrReview) review = get_review (fixture, id);
  g_assert_cmpuint (review->rules->len, ==, 4);
  fwr_test_assert_intact (fixture->store);
}

/* Past the retention period, old completed reviews go (the last of each scope stays), with
 * their hashes in the log; the changes their decisions opened stay while referred to. */
static void
test_purge (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrTestYear year = { 0 };
  fwr_test_year_build (fixture, &year);
  fwr_test_at ("2028-01-01T00:00:00Z");
  g_autoptr (GDateTime) before = fwr_time_parse ("2024-12-31");
  FwrPurgeCounts counts = { 0 };
  g_assert_true (fwr_store_purge (fixture->store, fixture->alice, before, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.reviews, ==, 1);
  g_autoptr (GPtrArray) reviews = fwr_store_list_reviews (fixture->store, 0, &error);
  g_assert_cmpuint (reviews->len, ==, 2);
  g_assert_cmpint (((FwrReview *) g_ptr_array_index (reviews, 0))->id, ==, year.yearly_review);
  g_assert_cmpint (((FwrReview *) g_ptr_array_index (reviews, 1))->id, ==, year.dmz_review2);
  g_autoptr (GPtrArray) records = fwr_store_list_audit (fixture->store, &error);
  FwrAuditRecord *purge = g_ptr_array_index (records, records->len - 1);
  g_assert_cmpstr (purge->action, ==, "store.purge");
  g_autofree char *removed = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"sha256\":", year.dmz_review);
  g_assert_nonnull (strstr (purge->details, removed));
  g_assert_nonnull (strstr (purge->details, "\"type\":\"review-decision\""));
  g_assert_nonnull (strstr (purge->details, "\"type\":\"review-signoff\""));
  g_autoptr (GPtrArray) dues = fwr_store_list_reviews_due (fixture->store, before, &error);
  g_assert_cmpint (((FwrReviewDue *) g_ptr_array_index (dues, FWR_REVIEW_SCOPE_DMZ))->last_review_id, ==,
                   year.dmz_review2);
  fwr_test_assert_intact (fixture->store);
}

/* The fwreview review command: contracts and exit codes. */

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Run *
run_v (StoreFixture *fixture, const char *who, const char * const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (g_getenv ("FWREVIEW_BIN")));
  g_ptr_array_add (argv, g_strdup_printf ("--store=%s", fixture->path));
  g_ptr_array_add (argv, g_strdup_printf ("--identity=%s/%s.key", fixture->dir, who));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  Run *run = g_new0 (Run, 1);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  return run;
}

#define run(fixture, who, ...) run_v (fixture, who, (const char *[]) { __VA_ARGS__, NULL })

static json_t *
expect_json (Run *run, int status)
{
  if (run->status != status)
    g_error ("exit %d, expected %d\nstdout: %s\nstderr: %s", run->status, status, run->out, run->err);
  json_error_t error;
  json_t *root = json_loads (run->out, 0, &error);
  if (root == NULL)
    g_error ("not JSON: %s\n%s", error.text, run->out);
  return root;
}

static void
save_keys (StoreFixture *fixture)
{
  struct { const char *name; FwrIdentity *key; } keys[] = {
    { "alice", fixture->alice }, { "bob", fixture->bob }, { "carol", fixture->carol }, { "dave", fixture->dave },
  };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.key", fixture->dir, keys[i].name);
      g_autoptr (GError) error = NULL;
      g_assert_true (fwr_identity_save (keys[i].key, path, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_cli (StoreFixture *fixture, gconstpointer data)
{
  FwrTestYear year = { 0 };
  fwr_test_year_first_half (fixture, &year);
  g_clear_pointer (&fixture->store, fwr_store_free);
  save_keys (fixture);
  g_autofree char *review = g_strdup_printf ("%" G_GINT64_FORMAT, year.dmz_review);

  g_autoptr (Run) shown = run (fixture, "carol", "review", "show", review, "--format", "json");
  g_autoptr (json_t) root = expect_json (shown, 0);
  g_assert_cmpstr (json_string_value (json_object_get (root, "schema")), ==, "fwreview.review/1");
  g_assert_cmpint (json_integer_value (json_object_get (root, "id")), ==, year.dmz_review);
  g_assert_cmpstr (json_string_value (json_object_get (root, "state")), ==, "open");
  json_t *rules = json_object_get (root, "rules");
  g_assert_cmpuint (json_array_size (rules), ==, 5);
  json_t *ftp = json_array_get (rules, 2);
  g_assert_cmpstr (json_string_value (json_object_get (ftp, "id")), ==, "inet/edge/forward/5");
  json_t *findings = json_object_get (ftp, "findings");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (findings, 0), "check")), ==, "cleartext-service");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (findings, 2), "check")), ==, "zero-hits");
  g_assert_true (json_is_true (json_object_get (json_object_get (ftp, "usage"), "zero_hits")));
  g_assert_cmpstr (json_string_value (json_array_get (json_object_get (ftp, "from_classes"), 0)), ==, "internet");
  g_assert_cmpstr (json_string_value (json_array_get (json_object_get (ftp, "to_classes"), 0)), ==, "dmz");
  g_assert_true (json_is_null (json_object_get (ftp, "decision")));

  g_autoptr (Run) decided = run (fixture, "bob", "review", "decide", review, "--rule", "inet/edge/forward/4",
                                 "--decision", "keep", "--reason", "the web shop", "--format", "json");
  g_autoptr (json_t) decision = expect_json (decided, 0);
  g_assert_cmpstr (json_string_value (json_object_get (decision, "schema")), ==, "fwreview.review-decision/1");
  g_assert_cmpstr (json_string_value (json_object_get (decision, "decision")), ==, "keep");
  g_assert_true (json_is_null (json_object_get (decision, "change")));

  g_autoptr (Run) undecided = run (fixture, "dave", "review", "complete", review);
  g_assert_cmpint (undecided->status, ==, 4);
  g_assert_nonnull (strstr (undecided->err, "4 of its 5 rules are undecided"));
  g_autoptr (Run) auditor = run (fixture, "carol", "review", "decide", review, "--rule", "inet/edge/forward/3",
                                 "--decision", "keep", "--reason", "x");
  g_assert_cmpint (auditor->status, ==, 4);
  g_autoptr (Run) bad_scope = run (fixture, "alice", "review", "start", "--device", "edge", "--scope", "lan");
  g_assert_cmpint (bad_scope->status, ==, 2);
  g_autoptr (Run) bad_decision = run (fixture, "alice", "review", "decide", review, "--rule", "inet/edge/forward/3",
                                      "--decision", "maybe", "--reason", "x");
  g_assert_cmpint (bad_decision->status, ==, 2);
  g_autoptr (Run) unknown = run (fixture, "alice", "review", "show", "99");
  g_assert_cmpint (unknown->status, ==, 3);
  g_autoptr (Run) open_again = run (fixture, "alice", "review", "start", "--device", "edge", "--scope", "dmz");
  g_assert_cmpint (open_again->status, ==, 4);
  g_autoptr (Run) longer = run (fixture, "bob", "review", "policy", "--device", "edge", "--scope", "dmz",
                                "--interval-months", "8");
  g_assert_cmpint (longer->status, ==, 4);
  g_assert_nonnull (strstr (longer->err, "it needs a justification"));

  g_autoptr (Run) started = run (fixture, "alice", "review", "start", "--device", "edge", "--scope",
                                 "access-control", "--format", "json");
  g_autoptr (json_t) ac = expect_json (started, 0);
  g_assert_cmpint (json_integer_value (json_object_get (ac, "id")), >, year.dmz_review);
  g_assert_cmpuint (json_array_size (json_object_get (ac, "rules")), ==, 9);

  /* Overdue (the DMZ review is due 2024-07-05) exits 1 for timers. */
  g_autoptr (Run) due = run (fixture, "carol", "review", "due", "--at", "2024-07-06", "--format", "json");
  g_autoptr (json_t) dues = expect_json (due, 1);
  g_assert_cmpstr (json_string_value (json_object_get (dues, "schema")), ==, "fwreview.review-due/1");
  json_t *dmz = json_array_get (json_object_get (dues, "reviews"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (dmz, "device")), ==, "edge");
  g_assert_cmpstr (json_string_value (json_object_get (dmz, "scope")), ==, "dmz");
  g_assert_cmpstr (json_string_value (json_object_get (dmz, "status")), ==, "overdue");
  g_assert_cmpstr (json_string_value (json_object_get (dmz, "next_due")), ==, "2024-07-05T10:00:00Z");
  g_assert_true (json_is_null (json_object_get (dmz, "last_completed")));
  g_assert_cmpint (json_integer_value (json_object_get (dmz, "open_review")), ==, year.dmz_review);
  g_autoptr (Run) fine = run (fixture, "carol", "review", "due", "--at", "2024-02-01");
  g_assert_cmpint (fine->status, ==, 0);
  g_assert_nonnull (strstr (fine->out, "ok        next due 2024-07-05T10:00:00Z, last completed never\n"));
  g_autoptr (Run) bad_date = run (fixture, "carol", "review", "due", "--at", "soon");
  g_assert_cmpint (bad_date->status, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/fwr/review/" path, StoreFixture, NULL, year_fixture_setup, func, store_fixture_teardown)
  g_test_add_func ("/fwr/review/rule-zones", test_rule_zones);
  ADD ("policy", test_policy);
  ADD ("year", test_year);
  ADD ("due-policy", test_due_policy);
  ADD ("undecided", test_undecided);
  ADD ("decisions", test_decisions);
  ADD ("start", test_start_rules);
  ADD ("segregation-off", test_segregation_off);
  ADD ("tamper", test_tamper);
  ADD ("migration", test_migration);
  ADD ("purge", test_purge);
  ADD ("cli", test_cli);
#undef ADD
  return g_test_run ();
}
