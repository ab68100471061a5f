/* fwr-review-decide.c: deciding on the rules of an open review (signed, final, optionally with
 * the change request it calls for) and the supervisor's signed sign-off. */
#include "fwr-store-private.h"

/* Deciding */

static const FwrReviewRule *
find_rule (const FwrReview *review, const char *rule_id)
{
  for (guint i = 0; i < review->rules->len; i++)
    {
      const FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      if (g_str_equal (rule->rule_id, rule_id))
        return rule;
    }
  return NULL;
}

static gboolean
check_may_decide (const FwrReview *review, const FwrDevice *device, const char *rule_id,
                  GError **error)
{
  if (review->signoff != NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "review %" G_GINT64_FORMAT " was completed on %s by %s: its decisions are final",
                   review->id, review->signoff->signed_at, review->signoff->signed_by);
      return FALSE;
    }
  if (find_rule (review, rule_id) == NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "rule %s is not in review %" G_GINT64_FORMAT " (the %s rules of %s); "
                   "“fwreview review show %" G_GINT64_FORMAT "” lists them", rule_id, review->id,
                   fwr_review_scope_to_string (review->scope), device->name, review->id);
      return FALSE;
    }
  const FwrReviewDecision *taken = fwr_review_find_decision (review, rule_id);
  if (taken != NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "rule %s of review %" G_GINT64_FORMAT " was decided already (%s, by %s on %s): "
                   "decisions are final", rule_id, review->id, fwr_review_decision_to_string (taken->decision),
                   taken->decided_by, taken->decided_at);
      return FALSE;
    }
  return TRUE;
}

static guint
count_content (FwrRuleset *ruleset, const char *content_key)
{
  guint n = 0;
  for (guint c = 0; c < fwr_ruleset_get_n_chains (ruleset); c++)
    {
      FwrChain *chain = fwr_ruleset_get_chain (ruleset, c);
      for (guint r = 0; r < fwr_chain_get_n_rules (chain); r++)
        {
          g_autofree char *key = fwr_rule_dup_content_key (fwr_chain_get_rule (chain, r));
          n += g_str_equal (key, content_key);
        }
    }
  return n;
}

/* Submits the change a tighten or remove decision asks for, after checking that the proposal
 * does change the rule in the device's current baseline. */
static gboolean
submit_review_change (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                      const FwrReview *review, const FwrDevice *device, const FwrReviewRule *rule,
                      FwrReviewDecisionKind decision, const char *reason, const char *ticket,
                      FwrPreparedSnapshot *prepared, gint64 *out_change, GError **error)
{
  if (device->baseline_snapshot_id == 0)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "%s has no approved baseline to change", device->name);
      return FALSE;
    }
  g_autoptr (FwrSnapshot) baseline = _fwr_store_find_snapshot (self, device->baseline_snapshot_id, error);
  g_autoptr (FwrRuleset) running = baseline ? _fwr_store_read_ruleset (self, baseline->id, error) : NULL;
  if (running == NULL)
    return FALSE;
  guint before = count_content (running, rule->content_key);
  if (before == 0)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "rule %s (%s %s) is no longer in %s's approved baseline (snapshot %" G_GINT64_FORMAT
                   "): there is nothing left to change", rule->rule_id, rule->match, rule->verdict,
                   device->name, baseline->id);
      return FALSE;
    }
  if (count_content (prepared->ruleset, rule->content_key) >= before)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "%s: the proposed configuration still has rule %s as it is (%s %s): a “%s” "
                   "decision's change must change or remove it", prepared->file, rule->rule_id,
                   rule->match, rule->verdict, fwr_review_decision_to_string (decision));
      return FALSE;
    }
  g_autofree char *change_reason = g_strdup_printf ("review %" G_GINT64_FORMAT " (%s): %s rule %s: %s",
                                                    review->id, fwr_review_scope_to_string (review->scope),
                                                    fwr_review_decision_to_string (decision), rule->rule_id, reason);
  g_autoptr (FwrSnapshot) proposed = NULL;
  return _fwr_store_insert_snapshot (self, actor, user, device, "proposed", prepared, &proposed, error) &&
         _fwr_store_insert_change (self, actor, user, device, baseline, proposed, change_reason,
                                   ticket, out_change, error);
}

static gboolean
record_decision (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                 const FwrReview *review, const FwrDevice *device, const FwrReviewRule *rule,
                 FwrReviewDecisionKind kind, const char *reason, gint64 change_id,
                 FwrReviewDecision **out, GError **error)
{
  g_autoptr (FwrReviewDecision) decision = g_new0 (FwrReviewDecision, 1);
  decision->review_id = review->id;
  decision->rule_id = g_strdup (rule->rule_id);
  decision->content_key = g_strdup (rule->content_key);
  decision->decision = kind;
  decision->reason = g_strdup (reason);
  decision->change_id = change_id;
  decision->decided_by = g_strdup (user->name);
  decision->public_key = g_strdup (user->public_key);
  decision->decided_at = _fwr_now_iso ();
  decision->snapshot_sha256 = g_strdup (review->snapshot_sha256);
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_decision_dup_signed_text (decision, &length);
  decision->signature = fwr_identity_sign (actor, signed_text, length);

  g_autofree char *hash = NULL;
  if (!BACKEND (self)->insert_review_decision (self->backend, decision, error) ||
      !_fwr_audit_append (self, actor, user, "review.decide", "review-decision", decision->id,
                          hash = _fwr_review_decision_dup_sha256 (decision),
                          json_pack ("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}",
                                     "review", (json_int_t) review->id, "device", device->name,
                                     "scope", fwr_review_scope_to_string (review->scope), "rule", rule->rule_id,
                                     "decision", fwr_review_decision_to_string (kind), "reason", reason,
                                     "change", change_id ? json_integer (change_id) : json_null ()),
                          error))
    return FALSE;
  if (out != NULL)
    *out = g_steal_pointer (&decision);
  return TRUE;
}

static gboolean
check_decision_input (FwrReviewDecisionKind decision, const char *reason, gboolean proposes,
                      GError **error)
{
  if (decision > FWR_REVIEW_REMOVE)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID, "unknown decision");
      return FALSE;
    }
  if (_fwr_text_is_blank (reason))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "a review decision needs a reason");
      return FALSE;
    }
  if (proposes && decision == FWR_REVIEW_KEEP)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "a “keep” decision changes nothing: only tighten and remove propose a change");
      return FALSE;
    }
  return TRUE;
}

gboolean
fwr_store_decide_review (FwrStore *self, const FwrIdentity *actor, gint64 review_id,
                         const char *rule_id, FwrReviewDecisionKind decision, const char *reason,
                         const char *proposed_file, const char *proposed_data, gsize proposed_length,
                         const char *ticket, FwrReviewDecision **out_decision, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && rule_id != NULL, FALSE);
  g_return_val_if_fail (proposed_data == NULL || proposed_file != NULL, FALSE);

  if (!check_decision_input (decision, reason, proposed_data != NULL, error))
    return FALSE;
  g_autoptr (FwrPreparedSnapshot) prepared = NULL;
  if (proposed_data != NULL)
    {
      prepared = _fwr_prepared_snapshot_new (proposed_file, proposed_data, proposed_length, error);
      if (prepared == NULL)
        return FALSE;
      _fwr_prepared_snapshot_seal (prepared);
    }
  if (!_fwr_store_begin (self, error))
    return FALSE;

  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor,
                                                   ROLE (FWR_ROLE_ADMIN) | ROLE (FWR_ROLE_SUPERVISOR),
                                                   "deciding on a reviewed rule", error);
  g_autoptr (FwrReview) review = user ? _fwr_review_find (self, review_id, error) : NULL;
  g_autoptr (FwrDevice) device = review ? _fwr_store_find_device_by_id (self, review->device_id, error) : NULL;
  gint64 change_id = 0;
  if (device == NULL ||
      !check_may_decide (review, device, rule_id, error) ||
      (prepared != NULL &&
       !submit_review_change (self, actor, user, review, device, find_rule (review, rule_id),
                              decision, reason, ticket, prepared, &change_id, error)) ||
      !record_decision (self, actor, user, review, device, find_rule (review, rule_id), decision,
                        reason, change_id, out_decision, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Completing */

static gboolean
check_all_decided (const FwrReview *review, GError **error)
{
  g_autoptr (GString) undecided = g_string_new (NULL);
  guint n = 0;
  for (guint i = 0; i < review->rules->len; i++)
    {
      const FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      if (fwr_review_find_decision (review, rule->rule_id) != NULL)
        continue;
      if (n < 5)
        g_string_append_printf (undecided, "%s%s", n ? ", " : "", rule->rule_id);
      n++;
    }
  if (n == 0)
    return TRUE;
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
               "review %" G_GINT64_FORMAT " cannot be completed: %u of its %u rules %s undecided (%s%s)",
               review->id, n, review->rules->len, n == 1 ? "is" : "are", undecided->str,
               n > 5 ? ", ..." : "");
  return FALSE;
}

/* Segregation of duties: the person who made the most decisions (every one of them, on a tie)
 * may not be the one who signs them off. */
static gboolean
check_segregation (const FwrReview *review, const FwrReviewPolicy *policy, const FwrUser *user,
                   GError **error)
{
  if (!policy->segregation || review->decisions->len == 0)
    return TRUE;
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  guint most = 0;
  for (guint i = 0; i < review->decisions->len; i++)
    {
      const FwrReviewDecision *decision = g_ptr_array_index (review->decisions, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, decision->decided_by)) + 1;
      g_hash_table_insert (counts, decision->decided_by, GUINT_TO_POINTER (n));
      most = MAX (most, n);
    }
  guint mine = GPOINTER_TO_UINT (g_hash_table_lookup (counts, user->name));
  if (mine < most)
    return TRUE;
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
               "segregation of duties: %s made %u of the %u decisions of review %" G_GINT64_FORMAT
               ", the most of anyone, and may not sign them off; another supervisor must complete it",
               user->name, mine, review->decisions->len, review->id);
  return FALSE;
}

static gboolean
record_signoff (FwrStore *self, const FwrIdentity *actor, const FwrUser *user, FwrReview *review,
                const FwrDevice *device, const char *comment, GError **error)
{
  g_autoptr (FwrReviewSignoff) signoff = g_new0 (FwrReviewSignoff, 1);
  signoff->review_id = review->id;
  signoff->signed_by = g_strdup (user->name);
  signoff->public_key = g_strdup (user->public_key);
  signoff->comment = _fwr_text_is_blank (comment) ? NULL : g_strdup (comment);
  signoff->signed_at = _fwr_now_iso ();
  signoff->review_sha256 = _fwr_review_dup_sha256 (review);
  signoff->decisions_sha256 = _fwr_review_dup_decisions_sha256 (review->decisions);
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_signoff_dup_signed_text (signoff, &length);
  signoff->signature = fwr_identity_sign (actor, signed_text, length);

  guint counts[FWR_REVIEW_REMOVE + 1] = { 0 };
  for (guint i = 0; i < review->decisions->len; i++)
    counts[((FwrReviewDecision *) g_ptr_array_index (review->decisions, i))->decision]++;
  g_autofree char *hash = NULL;
  return BACKEND (self)->insert_review_signoff (self->backend, signoff, error) &&
         _fwr_audit_append (self, actor, user, "review.complete", "review-signoff", signoff->id,
                            hash = _fwr_review_signoff_dup_sha256 (signoff),
                            json_pack ("{s:I, s:s, s:s, s:i, s:{s:i, s:i, s:i}, s:s, s:s, s:s?}",
                                       "review", (json_int_t) review->id, "device", device->name,
                                       "scope", fwr_review_scope_to_string (review->scope),
                                       "rules", (int) review->rules->len,
                                       "decisions", "keep", (int) counts[FWR_REVIEW_KEEP],
                                       "tighten", (int) counts[FWR_REVIEW_TIGHTEN],
                                       "remove", (int) counts[FWR_REVIEW_REMOVE],
                                       "review_sha256", signoff->review_sha256,
                                       "decisions_sha256", signoff->decisions_sha256,
                                       "comment", signoff->comment),
                            error);
}

/* What a sign-off needs besides the role: a review still open, every rule in scope decided,
 * and the segregation of duties its policy asks for. */
static gboolean
check_may_complete (const FwrReview *review, const FwrReviewPolicy *policy, const FwrUser *user,
                    GError **error)
{
  if (review->signoff != NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "review %" G_GINT64_FORMAT " was completed already, on %s by %s", review->id,
                   review->signoff->signed_at, review->signoff->signed_by);
      return FALSE;
    }
  return check_all_decided (review, error) && check_segregation (review, policy, user, error);
}

typedef struct {
  const char *public_key;
  gint64 review_id;
} MayCompleteArgs;

/* The sign-off checks of fwr_store_complete_review, read-only, for a key rather than an
 * identity: a window asks them to say why its button is disabled before anyone signs. */
static gpointer
may_complete_func (FwrStore *self, gconstpointer arg, GError **error)
{
  const MayCompleteArgs *args = arg;
  g_autoptr (FwrUser) user = _fwr_store_authorize_key (self, args->public_key, ROLE (FWR_ROLE_SUPERVISOR),
                                                       "signing off a review", error);
  g_autoptr (FwrReview) review = user ? _fwr_review_find (self, args->review_id, error) : NULL;
  g_autoptr (FwrDevice) device = review ? _fwr_store_find_device_by_id (self, review->device_id, error) : NULL;
  g_autoptr (FwrReviewPolicy) policy = device ? _fwr_review_read_policy (self, device->id, review->scope, error) : NULL;
  if (policy == NULL || !check_may_complete (review, policy, user, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

gboolean
fwr_store_check_may_complete_review (FwrStore *self, const char *public_key, gint64 review_id,
                                     GError **error)
{
  g_return_val_if_fail (self != NULL && public_key != NULL, FALSE);
  MayCompleteArgs args = { public_key, review_id };
  return _fwr_store_read (self, may_complete_func, &args, error) != NULL;
}

gboolean
fwr_store_complete_review (FwrStore *self, const FwrIdentity *actor, gint64 review_id,
                           const char *comment, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL, FALSE);

  if (!_fwr_store_begin (self, error))
    return FALSE;
  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_SUPERVISOR),
                                                   "signing off a review", error);
  g_autoptr (FwrReview) review = user ? _fwr_review_find (self, review_id, error) : NULL;
  g_autoptr (FwrDevice) device = review ? _fwr_store_find_device_by_id (self, review->device_id, error) : NULL;
  g_autoptr (FwrReviewPolicy) policy = device ? _fwr_review_read_policy (self, device->id, review->scope, error) : NULL;
  if (policy == NULL ||
      !check_may_complete (review, policy, user, error) ||
      !record_signoff (self, actor, user, review, device, comment, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}
