/* test-may-decide.c: asking whether a key may approve or reject a change before signing, as
 * the GUI does to explain a disabled button: the same reasons as the decision itself. */
#include "fwr-test-store.h"

static gint64
submit_v2 (StoreFixture *fixture, FwrIdentity *who)
{
  gsize length = 0;
  g_autofree char *data = fwr_test_read_data ("edge-v2.json", &length);
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  g_assert_true (fwr_store_submit_change (fixture->store, who, "edge", "edge-v2.json", data,
                                          length, "mail relay", NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

/* Asks for key, and checks the answer is the one approving would have given. */
static void
assert_refused (StoreFixture *fixture, FwrIdentity *who, gint64 id, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_assert_false (fwr_store_check_may_decide (fixture->store, fwr_identity_get_public_key (who),
                                              id, TRUE, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  g_autoptr (GError) real_error = NULL;
  g_assert_false (fwr_store_approve_change (fixture->store, who, id, NULL, &real_error));
  g_assert_cmpstr (real_error->message, ==, message);
  g_assert_true (error->domain == real_error->domain && error->code == real_error->code);
}

static void
test_reasons (StoreFixture *fixture, gconstpointer data)
{
  fwr_test_setup_edge (fixture);
  gint64 id = submit_v2 (fixture, fixture->bob);
  guint records = fwr_test_count_audit (fixture->store);

  assert_refused (fixture, fixture->bob, id,
                  "segregation of duties: bob submitted change 2 and may not approve it; "
                  "another supervisor must decide");
  assert_refused (fixture, fixture->carol, id,
                  "carol is an auditor: approving a change needs the role supervisor");
  assert_refused (fixture, fixture->alice, id,
                  "alice is an admin: approving a change needs the role supervisor");

  g_autoptr (GError) error = NULL;
  const char *dave = fwr_identity_get_public_key (fixture->dave);
  g_assert_true (fwr_store_check_may_decide (fixture->store, dave, id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fwr_store_check_may_decide (fixture->store, dave, id, FALSE, &error));
  g_assert_no_error (error);
  /* Asking signs and records nothing. */
  g_assert_cmpuint (fwr_test_count_audit (fixture->store), ==, records);
  g_autoptr (FwrChange) change = fwr_store_get_change (fixture->store, id, &error);
  g_assert_cmpint (change->state, ==, FWR_CHANGE_SUBMITTED);

  g_assert_true (fwr_store_approve_change (fixture->store, fixture->dave, id, "ok", &error));
  g_assert_false (fwr_store_check_may_decide (fixture->store, dave, id, FALSE, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE);
  g_assert_true (g_str_has_prefix (error->message, "change 2 is approved already (by dave on "));
}

static void
test_unknown_key (StoreFixture *fixture, gconstpointer data)
{
  fwr_test_setup_edge (fixture);
  gint64 id = submit_v2 (fixture, fixture->bob);
  g_autoptr (FwrIdentity) stranger = fwr_identity_generate ();
  g_autoptr (GError) error = NULL;
  g_assert_false (fwr_store_check_may_decide (fixture->store, fwr_identity_get_public_key (stranger),
                                              id, TRUE, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN);
  g_assert_true (strstr (error->message, "is not registered in this store") != NULL);
  g_clear_error (&error);
  g_assert_false (fwr_store_check_may_decide (fixture->store, fwr_identity_get_public_key (fixture->dave),
                                              id + 1, TRUE, &error));
  g_assert_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND);
}

/* Asks whether who may sign off, and checks it is what signing off would answer. */
static void
assert_signoff_refused (StoreFixture *fixture, FwrIdentity *who, gint64 review, FwrStoreError code)
{
  g_autoptr (GError) error = NULL;
  g_assert_false (fwr_store_check_may_complete_review (fixture->store, fwr_identity_get_public_key (who),
                                                       review, &error));
  g_assert_error (error, FWR_STORE_ERROR, (int) code);
  g_autoptr (GError) real_error = NULL;
  g_assert_false (fwr_store_complete_review (fixture->store, who, review, NULL, &real_error));
  g_assert_cmpstr (error->message, ==, real_error->message);
}

static void
test_review_signoff (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fwr_test_setup_edge (fixture);
  gint64 id = 0;
  g_assert_true (fwr_store_start_review (fixture->store, fixture->alice, "edge",
                                         FWR_REVIEW_SCOPE_ACCESS_CONTROL, &id, &error));
  g_assert_no_error (error);
  assert_signoff_refused (fixture, fixture->dave, id, FWR_STORE_ERROR_STATE);
  assert_signoff_refused (fixture, fixture->alice, id, FWR_STORE_ERROR_FORBIDDEN);

  g_autoptr (FwrReview) review = fwr_store_get_review (fixture->store, id, &error);
  g_assert_cmpuint (review->rules->len, >, 0);
  for (guint i = 0; i < review->rules->len; i++)
    {
      FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      g_assert_true (fwr_store_decide_review (fixture->store, fixture->bob, id, rule->rule_id,
                                              FWR_REVIEW_KEEP, "still needed", NULL, NULL, 0,
                                              NULL, NULL, &error));
      g_assert_no_error (error);
    }
  /* bob decided every rule: segregation of duties keeps him from signing off. */
  assert_signoff_refused (fixture, fixture->bob, id, FWR_STORE_ERROR_FORBIDDEN);
  const char *dave = fwr_identity_get_public_key (fixture->dave);
  g_assert_true (fwr_store_check_may_complete_review (fixture->store, dave, id, &error));
  g_assert_no_error (error);
  g_assert_true (fwr_store_complete_review (fixture->store, fixture->dave, id, "ok", &error));
  assert_signoff_refused (fixture, fixture->dave, id, FWR_STORE_ERROR_STATE);
}

/* The GUI knows who its user is before asking for the passphrase. */
static void
test_public_key_from_sealed_file (StoreFixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "sealed.key", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_identity_save (fixture->bob, path, "correct horse", &error));
  g_autofree char *key = fwr_identity_dup_public_key_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, fwr_identity_get_public_key (fixture->bob));

  g_autofree char *missing = g_build_filename (fixture->dir, "missing.key", NULL);
  g_assert_null (fwr_identity_dup_public_key_from_file (missing, &error));
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO);
  g_clear_error (&error);
  g_assert_null (fwr_identity_dup_public_key_from_file (fixture->path, &error));
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/fwr/may-decide/reasons", test_reasons);
  ADD ("/fwr/may-decide/unknown-key", test_unknown_key);
  ADD ("/fwr/may-decide/public-key-from-sealed-file", test_public_key_from_sealed_file);
  ADD ("/fwr/may-decide/review-signoff", test_review_signoff);
#undef ADD
  return g_test_run ();
}
