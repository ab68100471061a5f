/* fwr-review.c: reviews' records, their canonical forms and signed texts, reading them, the
 * policy per device and scope, due dates and purge (start and decide have their own files). */
#include "fwr-store-private.h"
#include "fwr-enum-private.h"

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
  guint value;
  if (!_fwr_enum_from_name (scope_names, G_N_ELEMENTS (scope_names), text, &value))
    return FALSE;
  *out = (FwrReviewScope) value;
  return TRUE;
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
  guint value;
  if (!_fwr_enum_from_name (decision_names, G_N_ELEMENTS (decision_names), text, &value))
    return FALSE;
  *out = (FwrReviewDecisionKind) value;
  return TRUE;
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

char *
_fwr_review_dup_sha256 (const FwrReview *review)
{
  GString *out = _fwr_canon_new ("fwreview.review/1");
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
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_review_policy_dup_sha256 (const FwrReviewPolicy *policy)
{
  GString *out = _fwr_canon_new ("fwreview.review-policy/1");
  _fwr_canon_add_int (out, policy->id);
  _fwr_canon_add_int (out, policy->device_id);
  _fwr_canon_add_string (out, fwr_review_scope_to_string (policy->scope));
  _fwr_canon_add_int (out, policy->interval_months);
  _fwr_canon_add_int (out, policy->segregation);
  _fwr_canon_add_string (out, policy->justification);
  _fwr_canon_add_string (out, policy->set_by);
  _fwr_canon_add_string (out, policy->set_at);
  return _fwr_canon_finish_sha256 (out);
}

char *
fwr_review_decision_dup_signed_text (const FwrReviewDecision *decision, gsize *length)
{
  g_return_val_if_fail (decision != NULL, NULL);
  GString *out = _fwr_canon_new ("fwreview.review-decision-signature/1");
  _fwr_canon_add_int (out, decision->review_id);
  _fwr_canon_add_string (out, decision->rule_id);
  _fwr_canon_add_string (out, decision->content_key);
  _fwr_canon_add_string (out, decision->snapshot_sha256);
  _fwr_canon_add_string (out, fwr_review_decision_to_string (decision->decision));
  _fwr_canon_add_string (out, decision->reason);
  _fwr_canon_add_int (out, decision->change_id);
  _fwr_canon_add_string (out, decision->decided_by);
  _fwr_canon_add_string (out, decision->decided_at);
  return _fwr_canon_finish_text (out, length);
}

char *
fwr_review_signoff_dup_signed_text (const FwrReviewSignoff *signoff, gsize *length)
{
  g_return_val_if_fail (signoff != NULL, NULL);
  GString *out = _fwr_canon_new ("fwreview.review-signoff-signature/1");
  _fwr_canon_add_int (out, signoff->review_id);
  _fwr_canon_add_string (out, signoff->review_sha256);
  _fwr_canon_add_string (out, signoff->decisions_sha256);
  _fwr_canon_add_string (out, signoff->comment);
  _fwr_canon_add_string (out, signoff->signed_by);
  _fwr_canon_add_string (out, signoff->signed_at);
  return _fwr_canon_finish_text (out, length);
}

char *
_fwr_review_decision_dup_sha256 (const FwrReviewDecision *decision)
{
  GString *out = _fwr_canon_new ("fwreview.review-decision/1");
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_decision_dup_signed_text (decision, &length);
  _fwr_canon_add_int (out, decision->id);
  _fwr_canon_add_string (out, signed_text);
  _fwr_canon_add_string (out, decision->public_key);
  _fwr_canon_add_string (out, decision->signature);
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_review_signoff_dup_sha256 (const FwrReviewSignoff *signoff)
{
  GString *out = _fwr_canon_new ("fwreview.review-signoff/1");
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_signoff_dup_signed_text (signoff, &length);
  _fwr_canon_add_int (out, signoff->id);
  _fwr_canon_add_string (out, signed_text);
  _fwr_canon_add_string (out, signoff->public_key);
  _fwr_canon_add_string (out, signoff->signature);
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_review_dup_decisions_sha256 (GPtrArray *decisions)
{
  GString *out = _fwr_canon_new ("fwreview.review-decisions/1");
  for (guint i = 0; i < decisions->len; i++)
    {
      g_autofree char *hash = _fwr_review_decision_dup_sha256 (g_ptr_array_index (decisions, i));
      _fwr_canon_add_string (out, hash);
    }
  return _fwr_canon_finish_sha256 (out);
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

FwrReview *
_fwr_review_find (FwrStore *self, gint64 id, GError **error)
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

FwrReview *
fwr_store_get_review (FwrStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_id (self, (FwrStoreReadIdFunc) _fwr_review_find, id, error);
}

GPtrArray *
fwr_store_list_reviews (FwrStore *self, gint64 device_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_id (self, (FwrStoreReadIdFunc) load_reviews, device_id, error);
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
