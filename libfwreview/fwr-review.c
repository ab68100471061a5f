/* fwr-review.c: review policy per device and scope, review campaigns that freeze the approved
 * baseline's rules in scope, signed per-rule decisions, the supervisor's sign-off, due dates. */
#include "fwr-store-private.h"

static const char *scope_names[] = { "dmz", "access-control", "external" };
static const guint scope_months[] = { 6, 12, 12 };
static const char *decision_names[] = { "keep", "tighten", "remove" };
static const char *due_names[] = { "ok", "due-soon", "overdue" };

#define MAX_INTERVAL_MONTHS 36

const char *
fwr_review_scope_to_string (FwrReviewScope scope)
{
  return scope < G_N_ELEMENTS (scope_names) ? scope_names[scope] : "unknown";
}

gboolean
fwr_review_scope_from_string (const char *text, FwrReviewScope *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (scope_names); i++)
    if (g_strcmp0 (text, scope_names[i]) == 0)
      {
        *out = (FwrReviewScope) i;
        return TRUE;
      }
  return FALSE;
}

guint
fwr_review_scope_get_default_months (FwrReviewScope scope)
{
  return scope < G_N_ELEMENTS (scope_months) ? scope_months[scope] : 6;
}

gboolean
fwr_review_scope_contains (FwrReviewScope scope, guint from, guint to)
{
  switch (scope)
    {
    case FWR_REVIEW_SCOPE_DMZ:
      return ((from | to) & FWR_ZONE_CLASS_BIT (FWR_ZONE_CLASS_DMZ)) != 0;
    case FWR_REVIEW_SCOPE_EXTERNAL:
      return ((from | to) & FWR_ZONE_CLASS_BIT (FWR_ZONE_CLASS_INTERNET)) != 0;
    case FWR_REVIEW_SCOPE_ACCESS_CONTROL:
    default:
      return TRUE;
    }
}

const char *
fwr_review_decision_to_string (FwrReviewDecisionKind decision)
{
  return decision < G_N_ELEMENTS (decision_names) ? decision_names[decision] : "unknown";
}

gboolean
fwr_review_decision_from_string (const char *text, FwrReviewDecisionKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (decision_names); i++)
    if (g_strcmp0 (text, decision_names[i]) == 0)
      {
        *out = (FwrReviewDecisionKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
fwr_review_due_status_to_string (FwrReviewDueStatus status)
{
  return status < G_N_ELEMENTS (due_names) ? due_names[status] : "unknown";
}

/* Records */

void
fwr_review_policy_free (FwrReviewPolicy *policy)
{
  if (policy == NULL)
    return;
  g_free (policy->justification);
  g_free (policy->set_by);
  g_free (policy->set_at);
  g_free (policy);
}

void
fwr_review_finding_free (FwrReviewFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->check);
  g_free (finding->message);
  g_free (finding);
}

void
fwr_review_rule_free (FwrReviewRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->rule_id);
  g_free (rule->chain);
  g_free (rule->content_key);
  g_free (rule->match);
  g_free (rule->verdict);
  g_free (rule->comment);
  g_clear_pointer (&rule->findings, g_ptr_array_unref);
  g_free (rule->observed_from);
  g_free (rule->observed_to);
  g_free (rule);
}

void
fwr_review_decision_free (FwrReviewDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->rule_id);
  g_free (decision->content_key);
  g_free (decision->reason);
  g_free (decision->decided_by);
  g_free (decision->public_key);
  g_free (decision->decided_at);
  g_free (decision->snapshot_sha256);
  g_free (decision->signature);
  g_free (decision);
}

void
fwr_review_signoff_free (FwrReviewSignoff *signoff)
{
  if (signoff == NULL)
    return;
  g_free (signoff->signed_by);
  g_free (signoff->public_key);
  g_free (signoff->comment);
  g_free (signoff->signed_at);
  g_free (signoff->review_sha256);
  g_free (signoff->decisions_sha256);
  g_free (signoff->signature);
  g_free (signoff);
}

void
fwr_review_free (FwrReview *review)
{
  if (review == NULL)
    return;
  g_free (review->snapshot_sha256);
  g_free (review->period_from);
  g_free (review->period_to);
  g_free (review->started_by);
  g_free (review->started_at);
  g_clear_pointer (&review->rules, g_ptr_array_unref);
  g_clear_pointer (&review->decisions, g_ptr_array_unref);
  fwr_review_signoff_free (review->signoff);
  g_free (review);
}

void
fwr_review_due_free (FwrReviewDue *due)
{
  if (due == NULL)
    return;
  g_free (due->device);
  g_free (due->last_completed);
  g_free (due->next_due);
  g_free (due);
}

const FwrReviewDecision *
fwr_review_find_decision (const FwrReview *review, const char *rule_id)
{
  g_return_val_if_fail (review != NULL && rule_id != NULL, NULL);
  for (guint i = 0; i < review->decisions->len; i++)
    {
      const FwrReviewDecision *decision = g_ptr_array_index (review->decisions, i);
      if (g_str_equal (decision->rule_id, rule_id))
        return decision;
    }
  return NULL;
}

/* Findings and usage as stored */

static char *
dup_json_text (json_t *json)
{
  char *text = json_dumps (json, JSON_COMPACT | JSON_SORT_KEYS);
  char *copy = g_strdup (text);
  free (text);
  return copy;
}

char *
_fwr_review_rule_dup_findings_json (const FwrReviewRule *rule)
{
  g_autoptr (json_t) list = json_array ();
  for (guint i = 0; rule->findings != NULL && i < rule->findings->len; i++)
    {
      const FwrReviewFinding *finding = g_ptr_array_index (rule->findings, i);
      json_array_append_new (list, json_pack ("{s:s, s:s, s:s}", "check", finding->check,
                                              "severity", fwr_severity_to_string (finding->severity),
                                              "message", finding->message));
    }
  return dup_json_text (list);
}

char *
_fwr_review_rule_dup_usage_json (const FwrReviewRule *rule)
{
  g_autoptr (json_t) usage = json_pack ("{s:b, s:I, s:i, s:I, s:s?, s:s?, s:b}",
                                        "counted", rule->counted,
                                        "packets", (json_int_t) rule->packets,
                                        "observations", (int) rule->n_observations,
                                        "max_packets", (json_int_t) rule->max_packets,
                                        "observed_from", rule->observed_from,
                                        "observed_to", rule->observed_to,
                                        "zero_hits", rule->zero_hits);
  return dup_json_text (usage);
}

void
_fwr_review_rule_set_findings_json (FwrReviewRule *rule, const char *text)
{
  g_clear_pointer (&rule->findings, g_ptr_array_unref);
  rule->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_finding_free);
  g_autoptr (json_t) list = text ? json_loads (text, 0, NULL) : NULL;
  size_t i;
  json_t *item;
  json_array_foreach (list, i, item)
    {
      const char *check = json_string_value (json_object_get (item, "check"));
      const char *message = json_string_value (json_object_get (item, "message"));
      FwrSeverity severity = FWR_SEVERITY_INFO;
      if (check == NULL || message == NULL ||
          !fwr_severity_from_string (json_string_value (json_object_get (item, "severity")), &severity))
        continue;
      FwrReviewFinding *finding = g_new0 (FwrReviewFinding, 1);
      finding->check = g_strdup (check);
      finding->severity = severity;
      finding->message = g_strdup (message);
      g_ptr_array_add (rule->findings, finding);
    }
}

void
_fwr_review_rule_set_usage_json (FwrReviewRule *rule, const char *text)
{
  g_autoptr (json_t) usage = text ? json_loads (text, 0, NULL) : NULL;
  rule->counted = json_is_true (json_object_get (usage, "counted"));
  rule->packets = (guint64) json_integer_value (json_object_get (usage, "packets"));
  rule->n_observations = (guint) json_integer_value (json_object_get (usage, "observations"));
  rule->max_packets = (guint64) json_integer_value (json_object_get (usage, "max_packets"));
  rule->observed_from = g_strdup (json_string_value (json_object_get (usage, "observed_from")));
  rule->observed_to = g_strdup (json_string_value (json_object_get (usage, "observed_to")));
  rule->zero_hits = json_is_true (json_object_get (usage, "zero_hits"));
}

/* Canonical forms, hashes and signed texts */

static char *
canon_finish (GString *out)
{
  char *hash = _fwr_sha256_hex (out->str, out->len);
  g_string_free (out, TRUE);
  return hash;
}

static GString *
canon_new (const char *type)
{
  GString *out = g_string_new (NULL);
  _fwr_canon_add_string (out, type);
  return out;
}

char *
_fwr_review_dup_sha256 (const FwrReview *review)
{
  GString *out = canon_new ("fwreview.review/1");
  _fwr_canon_add_int (out, review->id);
  _fwr_canon_add_int (out, review->device_id);
  _fwr_canon_add_string (out, fwr_review_scope_to_string (review->scope));
  _fwr_canon_add_int (out, review->snapshot_id);
  _fwr_canon_add_string (out, review->snapshot_sha256);
  _fwr_canon_add_string (out, review->period_from);
  _fwr_canon_add_string (out, review->period_to);
  _fwr_canon_add_string (out, review->started_by);
  _fwr_canon_add_string (out, review->started_at);
  _fwr_canon_add_int (out, review->rules->len);
  for (guint i = 0; i < review->rules->len; i++)
    {
      const FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      g_autofree char *findings = _fwr_review_rule_dup_findings_json (rule);
      g_autofree char *usage = _fwr_review_rule_dup_usage_json (rule);
      _fwr_canon_add_int (out, rule->id);
      _fwr_canon_add_int (out, rule->position);
      _fwr_canon_add_string (out, rule->rule_id);
      _fwr_canon_add_string (out, rule->chain);
      _fwr_canon_add_string (out, rule->content_key);
      _fwr_canon_add_string (out, rule->match);
      _fwr_canon_add_string (out, rule->verdict);
      _fwr_canon_add_string (out, rule->comment);
      _fwr_canon_add_int (out, rule->from_classes);
      _fwr_canon_add_int (out, rule->to_classes);
      _fwr_canon_add_string (out, findings);
      _fwr_canon_add_string (out, usage);
    }
  return canon_finish (out);
}

char *
_fwr_review_policy_dup_sha256 (const FwrReviewPolicy *policy)
{
  GString *out = canon_new ("fwreview.review-policy/1");
  _fwr_canon_add_int (out, policy->id);
  _fwr_canon_add_int (out, policy->device_id);
  _fwr_canon_add_string (out, fwr_review_scope_to_string (policy->scope));
  _fwr_canon_add_int (out, policy->interval_months);
  _fwr_canon_add_int (out, policy->segregation);
  _fwr_canon_add_string (out, policy->justification);
  _fwr_canon_add_string (out, policy->set_by);
  _fwr_canon_add_string (out, policy->set_at);
  return canon_finish (out);
}

char *
fwr_review_decision_dup_signed_text (const FwrReviewDecision *decision, gsize *length)
{
  g_return_val_if_fail (decision != NULL, NULL);
  GString *out = canon_new ("fwreview.review-decision-signature/1");
  _fwr_canon_add_int (out, decision->review_id);
  _fwr_canon_add_string (out, decision->rule_id);
  _fwr_canon_add_string (out, decision->content_key);
  _fwr_canon_add_string (out, decision->snapshot_sha256);
  _fwr_canon_add_string (out, fwr_review_decision_to_string (decision->decision));
  _fwr_canon_add_string (out, decision->reason);
  _fwr_canon_add_int (out, decision->change_id);
  _fwr_canon_add_string (out, decision->decided_by);
  _fwr_canon_add_string (out, decision->decided_at);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

char *
fwr_review_signoff_dup_signed_text (const FwrReviewSignoff *signoff, gsize *length)
{
  g_return_val_if_fail (signoff != NULL, NULL);
  GString *out = canon_new ("fwreview.review-signoff-signature/1");
  _fwr_canon_add_int (out, signoff->review_id);
  _fwr_canon_add_string (out, signoff->review_sha256);
  _fwr_canon_add_string (out, signoff->decisions_sha256);
  _fwr_canon_add_string (out, signoff->comment);
  _fwr_canon_add_string (out, signoff->signed_by);
  _fwr_canon_add_string (out, signoff->signed_at);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

char *
_fwr_review_decision_dup_sha256 (const FwrReviewDecision *decision)
{
  GString *out = canon_new ("fwreview.review-decision/1");
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_decision_dup_signed_text (decision, &length);
  _fwr_canon_add_int (out, decision->id);
  _fwr_canon_add_string (out, signed_text);
  _fwr_canon_add_string (out, decision->public_key);
  _fwr_canon_add_string (out, decision->signature);
  return canon_finish (out);
}

char *
_fwr_review_signoff_dup_sha256 (const FwrReviewSignoff *signoff)
{
  GString *out = canon_new ("fwreview.review-signoff/1");
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_signoff_dup_signed_text (signoff, &length);
  _fwr_canon_add_int (out, signoff->id);
  _fwr_canon_add_string (out, signed_text);
  _fwr_canon_add_string (out, signoff->public_key);
  _fwr_canon_add_string (out, signoff->signature);
  return canon_finish (out);
}

char *
_fwr_review_dup_decisions_sha256 (GPtrArray *decisions)
{
  GString *out = canon_new ("fwreview.review-decisions/1");
  for (guint i = 0; i < decisions->len; i++)
    {
      g_autofree char *hash = _fwr_review_decision_dup_sha256 (g_ptr_array_index (decisions, i));
      _fwr_canon_add_string (out, hash);
    }
  return canon_finish (out);
}

/* Reading reviews inside a transaction */

/* Attaches rules, decisions and sign-offs to the reviews they belong to. */
static gboolean
attach_parts (FwrStore *self, GPtrArray *reviews, gint64 review_id, GError **error)
{
  g_autoptr (GPtrArray) rules = BACKEND (self)->list_review_rules (self->backend, review_id, error);
  g_autoptr (GPtrArray) decisions = rules ? BACKEND (self)->list_review_decisions (self->backend, error) : NULL;
  g_autoptr (GPtrArray) signoffs = decisions ? BACKEND (self)->list_review_signoffs (self->backend, error) : NULL;
  if (signoffs == NULL)
    return FALSE;
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      g_hash_table_insert (by_id, &review->id, review);
    }
  /* Each part moves to its review; the lists then free only what belonged to none. */
  for (guint i = 0; i < rules->len; i++)
    {
      FwrReviewRule *rule = g_ptr_array_index (rules, i);
      FwrReview *review = g_hash_table_lookup (by_id, &rule->review_id);
      if (review != NULL)
        g_ptr_array_add (review->rules, g_steal_pointer (&rules->pdata[i]));
    }
  for (guint i = 0; i < decisions->len; i++)
    {
      FwrReviewDecision *decision = g_ptr_array_index (decisions, i);
      FwrReview *review = g_hash_table_lookup (by_id, &decision->review_id);
      if (review != NULL)
        g_ptr_array_add (review->decisions, g_steal_pointer (&decisions->pdata[i]));
    }
  for (guint i = 0; i < signoffs->len; i++)
    {
      FwrReviewSignoff *signoff = g_ptr_array_index (signoffs, i);
      FwrReview *review = g_hash_table_lookup (by_id, &signoff->review_id);
      if (review != NULL && review->signoff == NULL)
        review->signoff = g_steal_pointer (&signoffs->pdata[i]);
    }
  return TRUE;
}

static GPtrArray *
load_reviews (FwrStore *self, gint64 device_id, GError **error)
{
  g_autoptr (GPtrArray) reviews = _fwr_rows_keep (BACKEND (self)->list_reviews (self->backend, error),
                                                  device_id);
  if (reviews == NULL || !attach_parts (self, reviews, 0, error))
    return NULL;
  return g_steal_pointer (&reviews);
}

static FwrReview *
find_review (FwrStore *self, gint64 id, GError **error)
{
  g_autoptr (GPtrArray) reviews = BACKEND (self)->list_reviews (self->backend, error);
  if (reviews == NULL)
    return NULL;
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      if (review->id != id)
        continue;
      g_autoptr (GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_free);
      g_ptr_array_add (one, g_ptr_array_steal_index (reviews, i));
      if (!attach_parts (self, one, id, error))
        return NULL;
      return g_ptr_array_steal_index (one, 0);
    }
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND, "no review %" G_GINT64_FORMAT, id);
  return NULL;
}

static gpointer
get_review_func (FwrStore *self, gconstpointer id, GError **error)
{
  return find_review (self, *(const gint64 *) id, error);
}

FwrReview *
fwr_store_get_review (FwrStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read (self, get_review_func, &id, error);
}

static gpointer
list_reviews_func (FwrStore *self, gconstpointer device_id, GError **error)
{
  return load_reviews (self, *(const gint64 *) device_id, error);
}

GPtrArray *
fwr_store_list_reviews (FwrStore *self, gint64 device_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read (self, list_reviews_func, &device_id, error);
}

/* Policy */

static FwrReviewPolicy *
default_policy (gint64 device_id, FwrReviewScope scope)
{
  FwrReviewPolicy *policy = g_new0 (FwrReviewPolicy, 1);
  policy->device_id = device_id;
  policy->scope = scope;
  policy->interval_months = fwr_review_scope_get_default_months (scope);
  policy->segregation = TRUE;
  return policy;
}

/* (transfer full) The last policy set for the device and scope among policies (set on or
 * before at, when at is given), else the defaults. */
static FwrReviewPolicy *
effective_policy (GPtrArray *policies, gint64 device_id, FwrReviewScope scope, const char *at)
{
  for (guint i = policies->len; i > 0; i--)
    {
      const FwrReviewPolicy *set = g_ptr_array_index (policies, i - 1);
      if (set->device_id != device_id || set->scope != scope ||
          (at != NULL && _fwr_time_before (at, set->set_at)))
        continue;
      FwrReviewPolicy *policy = g_memdup2 (set, sizeof *set);
      policy->justification = g_strdup (set->justification);
      policy->set_by = g_strdup (set->set_by);
      policy->set_at = g_strdup (set->set_at);
      return policy;
    }
  return default_policy (device_id, scope);
}

static FwrReviewPolicy *
read_policy (FwrStore *self, gint64 device_id, FwrReviewScope scope, GError **error)
{
  g_autoptr (GPtrArray) policies = BACKEND (self)->list_review_policies (self->backend, error);
  return policies ? effective_policy (policies, device_id, scope, NULL) : NULL;
}

typedef struct {
  const char *device;
  FwrReviewScope scope;
} PolicyRead;

static gpointer
get_policy_func (FwrStore *self, gconstpointer arg, GError **error)
{
  const PolicyRead *read = arg;
  g_autoptr (FwrDevice) device = _fwr_store_find_device (self, read->device, error);
  return device ? read_policy (self, device->id, read->scope, error) : NULL;
}

FwrReviewPolicy *
fwr_store_get_review_policy (FwrStore *self, const char *device, FwrReviewScope scope,
                             GError **error)
{
  g_return_val_if_fail (self != NULL && device != NULL, NULL);
  PolicyRead read = { device, scope };
  return _fwr_store_read (self, get_policy_func, &read, error);
}

static gboolean
check_policy (FwrReviewScope scope, guint months, gboolean segregation, const char *justification,
              GError **error)
{
  guint checklist = fwr_review_scope_get_default_months (scope);
  if (scope >= FWR_REVIEW_N_SCOPES)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID, "unknown review scope");
      return FALSE;
    }
  if (months < 1 || months > MAX_INTERVAL_MONTHS)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "a review interval runs from 1 to %d months, not %u", MAX_INTERVAL_MONTHS, months);
      return FALSE;
    }
  if (_fwr_text_is_blank (justification) && months > checklist)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                   "%u months is longer than the checklist's %u months for %s reviews: it needs a "
                   "justification, which is logged", months, checklist, scope_names[scope]);
      return FALSE;
    }
  if (_fwr_text_is_blank (justification) && !segregation)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                   "turning off segregation of duties for %s reviews needs a justification, "
                   "which is logged", scope_names[scope]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_policy (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
               const FwrDevice *device, FwrReviewPolicy *policy, GError **error)
{
  g_autofree char *hash = NULL;
  return BACKEND (self)->insert_review_policy (self->backend, policy, error) &&
         _fwr_audit_append (self, actor, user, "review.policy", "review-policy", policy->id,
                            hash = _fwr_review_policy_dup_sha256 (policy),
                            json_pack ("{s:s, s:s, s:i, s:i, s:b, s:s?}", "device", device->name,
                                       "scope", scope_names[policy->scope],
                                       "interval_months", (int) policy->interval_months,
                                       "checklist_months",
                                       (int) fwr_review_scope_get_default_months (policy->scope),
                                       "segregation", policy->segregation,
                                       "justification", policy->justification),
                            error);
}

gboolean
fwr_store_set_review_policy (FwrStore *self, const FwrIdentity *actor, const char *device_name,
                             FwrReviewScope scope, guint interval_months, gboolean segregation,
                             const char *justification, gint64 *out_id, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && device_name != NULL, FALSE);

  if (!check_policy (scope, interval_months, segregation, justification, error) ||
      !_fwr_store_begin (self, error))
    return FALSE;
  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_SUPERVISOR),
                                                   "setting a review policy", error);
  g_autoptr (FwrDevice) device = user ? _fwr_store_find_device (self, device_name, error) : NULL;
  g_autoptr (FwrReviewPolicy) policy = g_new0 (FwrReviewPolicy, 1);
  policy->device_id = device ? device->id : 0;
  policy->scope = scope;
  policy->interval_months = interval_months;
  policy->segregation = segregation;
  policy->justification = _fwr_text_is_blank (justification) ? NULL : g_strdup (justification);
  policy->set_by = user ? g_strdup (user->name) : NULL;
  policy->set_at = _fwr_now_iso ();
  if (device == NULL ||
      !insert_policy (self, actor, user, device, policy, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = policy->id;
  return TRUE;
}

FwrReviewPolicy *
_fwr_review_read_policy (FwrStore *self, gint64 device_id, FwrReviewScope scope, GError **error)
{
  return read_policy (self, device_id, scope, error);
}

GPtrArray *
_fwr_review_load_all (FwrStore *self, gint64 device_id, GError **error)
{
  return load_reviews (self, device_id, error);
}

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
                   scope_names[review->scope], device->name, review->id);
      return FALSE;
    }
  const FwrReviewDecision *taken = fwr_review_find_decision (review, rule_id);
  if (taken != NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "rule %s of review %" G_GINT64_FORMAT " was decided already (%s, by %s on %s): "
                   "decisions are final", rule_id, review->id, decision_names[taken->decision],
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
                   rule->match, rule->verdict, decision_names[decision]);
      return FALSE;
    }
  g_autofree char *change_reason = g_strdup_printf ("review %" G_GINT64_FORMAT " (%s): %s rule %s: %s",
                                                    review->id, scope_names[review->scope],
                                                    decision_names[decision], rule->rule_id, reason);
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
                                     "scope", scope_names[review->scope], "rule", rule->rule_id,
                                     "decision", decision_names[kind], "reason", reason,
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
  g_autoptr (FwrReview) review = user ? find_review (self, review_id, error) : NULL;
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

  guint counts[G_N_ELEMENTS (decision_names)] = { 0 };
  for (guint i = 0; i < review->decisions->len; i++)
    counts[((FwrReviewDecision *) g_ptr_array_index (review->decisions, i))->decision]++;
  g_autofree char *hash = NULL;
  return BACKEND (self)->insert_review_signoff (self->backend, signoff, error) &&
         _fwr_audit_append (self, actor, user, "review.complete", "review-signoff", signoff->id,
                            hash = _fwr_review_signoff_dup_sha256 (signoff),
                            json_pack ("{s:I, s:s, s:s, s:i, s:{s:i, s:i, s:i}, s:s, s:s, s:s?}",
                                       "review", (json_int_t) review->id, "device", device->name,
                                       "scope", scope_names[review->scope],
                                       "rules", (int) review->rules->len,
                                       "decisions", "keep", (int) counts[FWR_REVIEW_KEEP],
                                       "tighten", (int) counts[FWR_REVIEW_TIGHTEN],
                                       "remove", (int) counts[FWR_REVIEW_REMOVE],
                                       "review_sha256", signoff->review_sha256,
                                       "decisions_sha256", signoff->decisions_sha256,
                                       "comment", signoff->comment),
                            error);
}

typedef struct {
  const char *public_key;
  gint64 review_id;
} MayCompleteArgs;

static gpointer
may_complete_func (FwrStore *self, gconstpointer arg, GError **error)
{
  const MayCompleteArgs *args = arg;
  g_autoptr (FwrUser) user = _fwr_store_authorize_key (self, args->public_key, ROLE (FWR_ROLE_SUPERVISOR),
                                                       "signing off a review", error);
  g_autoptr (FwrReview) review = user ? find_review (self, args->review_id, error) : NULL;
  g_autoptr (FwrDevice) device = review ? _fwr_store_find_device_by_id (self, review->device_id, error) : NULL;
  g_autoptr (FwrReviewPolicy) policy = device ? read_policy (self, device->id, review->scope, error) : NULL;
  if (policy != NULL && review->signoff != NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "review %" G_GINT64_FORMAT " was completed already, on %s by %s", review->id,
                   review->signoff->signed_at, review->signoff->signed_by);
      return NULL;
    }
  if (policy == NULL || !check_all_decided (review, error) || !check_segregation (review, policy, user, error))
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
  g_autoptr (FwrReview) review = user ? find_review (self, review_id, error) : NULL;
  g_autoptr (FwrDevice) device = review ? _fwr_store_find_device_by_id (self, review->device_id, error) : NULL;
  g_autoptr (FwrReviewPolicy) policy = device ? read_policy (self, device->id, review->scope, error) : NULL;
  if (policy != NULL && review->signoff != NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "review %" G_GINT64_FORMAT " was completed already, on %s by %s", review->id,
                   review->signoff->signed_at, review->signoff->signed_by);
      g_clear_pointer (&policy, fwr_review_policy_free);
    }
  if (policy == NULL ||
      !check_all_decided (review, error) ||
      !check_segregation (review, policy, user, error) ||
      !record_signoff (self, actor, user, review, device, comment, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Due dates */

typedef struct {
  GPtrArray *devices;
  GPtrArray *policies;
  GPtrArray *reviews;
} DueTables;

static void
due_tables_clear (DueTables *tables)
{
  g_clear_pointer (&tables->devices, g_ptr_array_unref);
  g_clear_pointer (&tables->policies, g_ptr_array_unref);
  g_clear_pointer (&tables->reviews, g_ptr_array_unref);
}

static gpointer
read_due_tables_func (FwrStore *self, gconstpointer arg, GError **error)
{
  DueTables *tables = (DueTables *) arg;
  if ((tables->devices = BACKEND (self)->list_devices (self->backend, error)) == NULL ||
      (tables->policies = BACKEND (self)->list_review_policies (self->backend, error)) == NULL ||
      (tables->reviews = load_reviews (self, 0, error)) == NULL)
    return NULL;
  return tables;
}

static FwrReviewDueStatus
due_status (GDateTime *at, GDateTime *next_due)
{
  if (g_date_time_compare (at, next_due) > 0)
    return FWR_REVIEW_DUE_OVERDUE;
  GTimeSpan left = g_date_time_difference (next_due, at);
  return left <= (GTimeSpan) FWR_REVIEW_DUE_SOON_DAYS * G_TIME_SPAN_DAY ? FWR_REVIEW_DUE_SOON
                                                                        : FWR_REVIEW_DUE_OK;
}

/* As things stood at: what was signed off or started later does not count yet. */
static FwrReviewDue *
due_new (const DueTables *tables, const FwrDevice *device, FwrReviewScope scope, GDateTime *at)
{
  g_autofree char *at_text = _fwr_time_format (at);
  g_autoptr (FwrReviewPolicy) policy = effective_policy (tables->policies, device->id, scope, at_text);
  FwrReviewDue *due = g_new0 (FwrReviewDue, 1);
  due->device_id = device->id;
  due->device = g_strdup (device->name);
  due->scope = scope;
  due->interval_months = policy->interval_months;
  for (guint i = 0; i < tables->reviews->len; i++)
    {
      const FwrReview *review = g_ptr_array_index (tables->reviews, i);
      if (review->device_id != device->id || review->scope != scope ||
          _fwr_time_before (at_text, review->started_at))
        continue;
      if (review->signoff == NULL || _fwr_time_before (at_text, review->signoff->signed_at))
        due->open_review_id = review->id;
      else if (due->last_completed == NULL ||
               _fwr_time_before (due->last_completed, review->signoff->signed_at))
        {
          due->last_review_id = review->id;
          g_free (due->last_completed);
          due->last_completed = g_strdup (review->signoff->signed_at);
        }
    }
  /* A device never reviewed is due one interval after it came under control. */
  g_autoptr (GDateTime) from = _fwr_time_parse (due->last_completed ? due->last_completed
                                                                    : device->created_at);
  g_autoptr (GDateTime) next = from ? g_date_time_add_months (from, (gint) due->interval_months) : NULL;
  if (next == NULL)
    next = g_date_time_ref (at);
  due->next_due = _fwr_time_format (next);
  due->status = due_status (at, next);
  return due;
}

GPtrArray *
fwr_store_list_reviews_due (FwrStore *self, GDateTime *at, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  DueTables tables = { 0 };
  if (_fwr_store_read (self, read_due_tables_func, &tables, error) == NULL)
    {
      due_tables_clear (&tables);
      return NULL;
    }
  g_autoptr (GDateTime) now = at ? g_date_time_ref (at) : _fwr_now ();
  GPtrArray *dues = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_due_free);
  g_autofree char *now_text = _fwr_time_format (now);
  for (guint d = 0; d < tables.devices->len; d++)
    {
      const FwrDevice *device = g_ptr_array_index (tables.devices, d);
      if (_fwr_time_before (now_text, device->created_at))
        continue;
      for (guint s = 0; s < FWR_REVIEW_N_SCOPES; s++)
        g_ptr_array_add (dues, due_new (&tables, device, (FwrReviewScope) s, now));
    }
  due_tables_clear (&tables);
  return dues;
}

/* Purge */

static void
add_removed (json_t *removed, const char *type, gint64 id, char *sha256)
{
  json_array_append_new (removed, json_pack ("{s:s, s:I, s:s}", "type", type, "id", (json_int_t) id,
                                             "sha256", sha256));
  g_free (sha256);
}

static void
doom (GArray *doomed, FwrRowType type, gint64 id)
{
  g_array_append_vals (doomed, (gint64[]) { type, id }, 2);
}

/* The last sign-off of each device and scope stays: the due dates are counted from it. */
static gboolean
is_last_completed (GPtrArray *reviews, const FwrReview *review)
{
  for (guint i = 0; i < reviews->len; i++)
    {
      const FwrReview *other = g_ptr_array_index (reviews, i);
      if (other != review && other->device_id == review->device_id && other->scope == review->scope &&
          other->signoff != NULL && _fwr_time_before (review->signoff->signed_at, other->signoff->signed_at))
        return FALSE;
    }
  return TRUE;
}

guint
_fwr_review_select_purge (GPtrArray *reviews, const char *before, GHashTable *keep_snapshots,
                          GHashTable *keep_changes, GArray *doomed, json_t *removed)
{
  guint n = 0;
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      if (review->signoff == NULL || !_fwr_time_before (review->signoff->signed_at, before) ||
          is_last_completed (reviews, review))
        {
          g_hash_table_add (keep_snapshots, &review->snapshot_id);
          for (guint d = 0; d < review->decisions->len; d++)
            {
              FwrReviewDecision *decision = g_ptr_array_index (review->decisions, d);
              if (decision->change_id != 0)
                g_hash_table_add (keep_changes, &decision->change_id);
            }
          continue;
        }
      for (guint d = 0; d < review->decisions->len; d++)
        {
          FwrReviewDecision *decision = g_ptr_array_index (review->decisions, d);
          add_removed (removed, "review-decision", decision->id, _fwr_review_decision_dup_sha256 (decision));
          doom (doomed, FWR_ROW_REVIEW_DECISION, decision->id);
        }
      add_removed (removed, "review-signoff", review->signoff->id, _fwr_review_signoff_dup_sha256 (review->signoff));
      doom (doomed, FWR_ROW_REVIEW_SIGNOFF, review->signoff->id);
      add_removed (removed, "review", review->id, _fwr_review_dup_sha256 (review));
      doom (doomed, FWR_ROW_REVIEW, review->id);
      n++;
    }
  return n;
}
