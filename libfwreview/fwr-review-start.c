/* fwr-review-start.c: starting a review: the device's approved baseline frozen with the rules
 * in scope, each with its findings and its usage as the period's snapshots show it. */
#include "fwr-store-private.h"

/* What one snapshot of what ran (imported, implemented, caught drifting) says about usage: content key -> packets, for the rules
 * that have a counter (several rules with one content key add up). */
typedef struct {
  char *imported_at;
  GHashTable *packets;    /* content key -> guint64* */
} Observation;

static void
observation_free (Observation *observation)
{
  g_free (observation->imported_at);
  g_hash_table_unref (observation->packets);
  g_free (observation);
}

static Observation *
observation_new (const FwrSnapshot *snapshot, FwrRuleset *ruleset)
{
  Observation *observation = g_new0 (Observation, 1);
  observation->imported_at = g_strdup (snapshot->imported_at);
  observation->packets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint c = 0; c < fwr_ruleset_get_n_chains (ruleset); c++)
    {
      FwrChain *chain = fwr_ruleset_get_chain (ruleset, c);
      for (guint r = 0; r < fwr_chain_get_n_rules (chain); r++)
        {
          FwrRule *rule = fwr_chain_get_rule (chain, r);
          guint64 packets = 0;
          if (!fwr_rule_get_counter (rule, &packets, NULL))
            continue;
          char *key = fwr_rule_dup_content_key (rule);
          guint64 *sum = g_hash_table_lookup (observation->packets, key);
          if (sum != NULL)
            {
              *sum += packets;
              g_free (key);
            }
          else
            g_hash_table_insert (observation->packets, key, g_memdup2 (&packets, sizeof packets));
        }
    }
  return observation;
}

typedef struct {
  const char *device_name;
  FwrReviewScope scope;
  const FwrIdentity *actor;
  FwrDevice *device;
  FwrSnapshot *baseline;
  FwrRuleset *ruleset;
  FwrZoneMap *zones;          /* (nullable) */
  char *period_from;
  char *period_to;
  GPtrArray *observations;    /* (element-type Observation) oldest first */
} StartRead;

static void
start_read_clear (StartRead *read)
{
  g_clear_pointer (&read->device, fwr_device_free);
  g_clear_pointer (&read->baseline, fwr_snapshot_free);
  g_clear_pointer (&read->ruleset, fwr_ruleset_unref);
  g_clear_pointer (&read->zones, fwr_zone_map_unref);
  g_clear_pointer (&read->period_from, g_free);
  g_clear_pointer (&read->period_to, g_free);
  g_clear_pointer (&read->observations, g_ptr_array_unref);
}

/* The usage period runs from the last sign-off of this scope, or one interval back. */
static gboolean
read_period (FwrStore *self, StartRead *read, GError **error)
{
  g_autoptr (FwrReviewPolicy) policy = _fwr_review_read_policy (self, read->device->id, read->scope, error);
  g_autoptr (GPtrArray) reviews = policy ? _fwr_review_load_all (self, read->device->id, error) : NULL;
  if (reviews == NULL)
    return FALSE;
  g_autoptr (GDateTime) now = _fwr_now ();
  read->period_to = _fwr_time_format (now);
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      if (review->scope != read->scope || review->signoff == NULL ||
          (read->period_from != NULL && !_fwr_time_before (read->period_from, review->signoff->signed_at)))
        continue;
      g_free (read->period_from);
      read->period_from = g_strdup (review->signoff->signed_at);
    }
  if (read->period_from == NULL)
    {
      g_autoptr (GDateTime) from = g_date_time_add_months (now, -(gint) policy->interval_months);
      read->period_from = _fwr_time_format (from);
    }
  return TRUE;
}

static gboolean
read_observations (FwrStore *self, StartRead *read, GError **error)
{
  g_autoptr (GPtrArray) snapshots = _fwr_rows_keep (BACKEND (self)->list_snapshots (self->backend, error),
                                                    read->device->id);
  if (snapshots == NULL)
    return FALSE;
  read->observations = g_ptr_array_new_with_free_func ((GDestroyNotify) observation_free);
  for (guint i = 0; i < snapshots->len; i++)
    {
      FwrSnapshot *snapshot = g_ptr_array_index (snapshots, i);
      /* A proposal never ran: its counters say nothing about usage. */
      if (g_str_equal (snapshot->kind, "proposed") ||
          _fwr_time_before (snapshot->imported_at, read->period_from) ||
          _fwr_time_before (read->period_to, snapshot->imported_at))
        continue;
      g_autoptr (FwrRuleset) ruleset = _fwr_store_read_ruleset (self, snapshot->id, error);
      if (ruleset == NULL)
        return FALSE;
      g_ptr_array_add (read->observations, observation_new (snapshot, ruleset));
    }
  return TRUE;
}

static gpointer
start_read_func (FwrStore *self, gconstpointer arg, GError **error)
{
  StartRead *read = (StartRead *) arg;
  g_autoptr (FwrUser) user = _fwr_store_authorize (self, read->actor,
                                                   ROLE (FWR_ROLE_ADMIN) | ROLE (FWR_ROLE_SUPERVISOR),
                                                   "starting a review", error);
  if (user == NULL || (read->device = _fwr_store_find_device (self, read->device_name, error)) == NULL)
    return NULL;
  if (read->device->baseline_snapshot_id == 0)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "%s has no approved baseline to review yet: a supervisor approves its baseline "
                   "change first", read->device_name);
      return NULL;
    }
  g_autoptr (GError) zones_error = NULL;
  read->zones = fwr_store_dup_device_zones (self, read->device, &zones_error);
  if (zones_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&zones_error));
      return NULL;
    }
  if ((read->baseline = _fwr_store_find_snapshot (self, read->device->baseline_snapshot_id, error)) == NULL ||
      (read->ruleset = _fwr_store_read_ruleset (self, read->baseline->id, error)) == NULL ||
      !read_period (self, read, error) ||
      !read_observations (self, read, error))
    return NULL;
  return read;
}

/* Freezing */

static char *
dup_verdict (FwrRule *rule)
{
  const char *target = fwr_rule_get_target (rule);
  const char *action = fwr_action_to_string (fwr_rule_get_action (rule));
  return target ? g_strdup_printf ("%s %s", action, target) : g_strdup (action);
}

static void
add_finding (FwrReviewRule *rule, const char *check, FwrSeverity severity, const char *message)
{
  FwrReviewFinding *finding = g_new0 (FwrReviewFinding, 1);
  finding->check = g_strdup (check);
  finding->severity = severity;
  finding->message = g_strdup (message);
  g_ptr_array_add (rule->findings, finding);
}

/* Counters reset when a ruleset is reloaded, so hits between two snapshots across a reload go
 * unseen: "zero hits" means zero in every snapshot of the period, and needs two of them. */
static void
set_usage (FwrReviewRule *frozen, FwrRule *rule, const StartRead *read)
{
  frozen->counted = fwr_rule_get_counter (rule, &frozen->packets, NULL);
  for (guint i = 0; i < read->observations->len; i++)
    {
      const Observation *observation = g_ptr_array_index (read->observations, i);
      const guint64 *packets = g_hash_table_lookup (observation->packets, frozen->content_key);
      if (packets == NULL)
        continue;
      frozen->n_observations++;
      frozen->max_packets = MAX (frozen->max_packets, *packets);
      if (frozen->observed_from == NULL)
        frozen->observed_from = g_strdup (observation->imported_at);
      g_free (frozen->observed_to);
      frozen->observed_to = g_strdup (observation->imported_at);
    }
  frozen->zero_hits = frozen->n_observations >= 2 && frozen->max_packets == 0;
  if (frozen->zero_hits)
    {
      g_autofree char *message = g_strdup_printf ("no packet matched it in the %u snapshots from %s "
                                                  "to %s", frozen->n_observations,
                                                  frozen->observed_from, frozen->observed_to);
      add_finding (frozen, "zero-hits", FWR_SEVERITY_LOW, message);
    }
}

static FwrReviewRule *
freeze_rule (FwrRule *rule, guint position, guint from, guint to, GPtrArray *findings,
             const StartRead *read)
{
  FwrReviewRule *frozen = g_new0 (FwrReviewRule, 1);
  frozen->position = position;
  frozen->rule_id = g_strdup (fwr_rule_get_id (rule));
  frozen->chain = g_strdup (fwr_chain_get_id (fwr_rule_get_chain (rule)));
  frozen->content_key = fwr_rule_dup_content_key (rule);
  frozen->match = fwr_rule_dup_match_text (rule);
  frozen->verdict = dup_verdict (rule);
  frozen->comment = g_strdup (fwr_rule_get_comment (rule));
  frozen->from_classes = from;
  frozen->to_classes = to;
  frozen->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_finding_free);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const FwrFinding *finding = g_ptr_array_index (findings, i);
      add_finding (frozen, fwr_finding_get_check (finding), fwr_finding_get_severity (finding),
                   fwr_finding_get_message (finding));
    }
  set_usage (frozen, rule, read);
  return frozen;
}

/* (transfer full) (element-type FwrReviewRule) The rules in scope, in ruleset order. */
static GPtrArray *
freeze_rules (const StartRead *read, FwrReviewScope scope)
{
  g_autoptr (FwrReport) report = fwr_analyze (read->ruleset, read->zones);
  g_autoptr (FwrRuleZones) zones = fwr_rule_zones_new (read->ruleset, read->zones);
  g_autoptr (GHashTable) by_rule = g_hash_table_new_full (NULL, NULL, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    {
      const FwrFinding *finding = fwr_report_get_finding (report, i);
      FwrRule *rule = fwr_finding_get_rule (finding);
      if (rule == NULL)
        continue;
      GPtrArray *list = g_hash_table_lookup (by_rule, rule);
      if (list == NULL)
        g_hash_table_insert (by_rule, rule, list = g_ptr_array_new ());
      g_ptr_array_add (list, (gpointer) finding);
    }

  GPtrArray *rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_rule_free);
  for (guint c = 0; c < fwr_ruleset_get_n_chains (read->ruleset); c++)
    {
      FwrChain *chain = fwr_ruleset_get_chain (read->ruleset, c);
      for (guint r = 0; r < fwr_chain_get_n_rules (chain); r++)
        {
          FwrRule *rule = fwr_chain_get_rule (chain, r);
          guint from = 0, to = 0;
          fwr_rule_zones_lookup (zones, rule, &from, &to);
          if (fwr_review_scope_contains (scope, from, to))
            g_ptr_array_add (rules, freeze_rule (rule, rules->len, from, to,
                                                 g_hash_table_lookup (by_rule, rule), read));
        }
    }
  return rules;
}

/* Writing */

static gboolean
check_none_open (FwrStore *self, const FwrDevice *device, FwrReviewScope scope, GError **error)
{
  g_autoptr (GPtrArray) reviews = _fwr_review_load_all (self, device->id, error);
  if (reviews == NULL)
    return FALSE;
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      if (review->scope == scope && review->signoff == NULL)
        {
          g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                       "review %" G_GINT64_FORMAT " of %s's %s rules, started on %s by %s, is still "
                       "open: complete it first", review->id, device->name,
                       fwr_review_scope_to_string (scope), review->started_at, review->started_by);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
insert_review (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
               const StartRead *read, FwrReview *review, GError **error)
{
  g_autofree char *hash = NULL;
  return BACKEND (self)->insert_review (self->backend, review, error) &&
         _fwr_audit_append (self, actor, user, "review.start", "review", review->id,
                            hash = _fwr_review_dup_sha256 (review),
                            json_pack ("{s:s, s:s, s:I, s:s, s:i, s:s, s:s}",
                                       "device", read->device->name,
                                       "scope", fwr_review_scope_to_string (review->scope),
                                       "snapshot", (json_int_t) review->snapshot_id,
                                       "snapshot_sha256", review->snapshot_sha256,
                                       "rules", (int) review->rules->len,
                                       "period_from", review->period_from,
                                       "period_to", review->period_to),
                            error);
}

/* Records the review unless the baseline changed since it was read (*stale then). */
static gboolean
write_review (FwrStore *self, const StartRead *read, GPtrArray *rules, gboolean *stale,
              gint64 *out_id, GError **error)
{
  if (!_fwr_store_begin (self, error))
    return FALSE;
  g_autoptr (FwrUser) user = _fwr_store_authorize (self, read->actor,
                                                   ROLE (FWR_ROLE_ADMIN) | ROLE (FWR_ROLE_SUPERVISOR),
                                                   "starting a review", error);
  g_autoptr (FwrDevice) device = user ? _fwr_store_find_device (self, read->device_name, error) : NULL;
  *stale = device != NULL && device->baseline_snapshot_id != read->baseline->id;
  g_autoptr (FwrReview) review = g_new0 (FwrReview, 1);
  review->device_id = read->device->id;
  review->scope = read->scope;
  review->snapshot_id = read->baseline->id;
  review->snapshot_sha256 = g_strdup (read->baseline->sha256);
  review->period_from = g_strdup (read->period_from);
  review->period_to = g_strdup (read->period_to);
  review->started_by = user ? g_strdup (user->name) : NULL;
  review->started_at = _fwr_now_iso ();
  review->rules = g_ptr_array_ref (rules);
  review->decisions = g_ptr_array_new ();
  if (device == NULL || *stale ||
      !check_none_open (self, device, read->scope, error) ||
      !insert_review (self, read->actor, user, read, review, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  *out_id = review->id;
  return TRUE;
}

gboolean
fwr_store_start_review (FwrStore *self, const FwrIdentity *actor, const char *device,
                        FwrReviewScope scope, gint64 *out_id, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && device != NULL, FALSE);
  if (scope >= FWR_REVIEW_N_SCOPES)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID, "unknown review scope");
      return FALSE;
    }
  /* The analysis runs outside the write lock; an approval in between means starting over. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      StartRead read = { .device_name = device, .scope = scope, .actor = actor };
      gboolean have = _fwr_store_read (self, start_read_func, &read, error) != NULL;
      g_autoptr (GPtrArray) rules = have ? freeze_rules (&read, scope) : NULL;
      gboolean stale = FALSE;
      gint64 id = 0;
      gboolean done = have && write_review (self, &read, rules, &stale, &id, error);
      start_read_clear (&read);
      if (done)
        {
          if (out_id != NULL)
            *out_id = id;
          return TRUE;
        }
      if (!stale)
        return FALSE;
    }
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_BUSY,
               "%s: the baseline of %s changed three times while the review was being prepared; "
               "try again", fwr_store_get_path (self), device);
  return FALSE;
}
