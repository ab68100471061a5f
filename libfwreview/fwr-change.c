/* fwr-change.c: change requests against a device's approved baseline, the supervisor's signed
 * decision (segregation of duties), implementation checked semantically, and drift checks. */
#include "fwr-store-private.h"

char *
fwr_approval_dup_signed_text (const FwrApproval *approval, gsize *length)
{
  g_return_val_if_fail (approval != NULL, NULL);
  GString *out = _fwr_canon_new ("fwreview.approval-signature/1");
  _fwr_canon_add_int (out, approval->change_id);
  _fwr_canon_add_string (out, approval->approved ? "approve" : "reject");
  _fwr_canon_add_string (out, approval->approver);
  _fwr_canon_add_string (out, approval->comment);
  _fwr_canon_add_string (out, approval->decided_at);
  _fwr_canon_add_string (out, approval->baseline_sha256);
  _fwr_canon_add_string (out, approval->proposed_sha256);
  return _fwr_canon_finish_text (out, length);
}

FwrChange *
_fwr_store_find_change (FwrStore *self, gint64 id, GError **error)
{
  GError *local_error = NULL;
  FwrChange *change = BACKEND (self)->get_change (self->backend, id, &local_error);
  return _fwr_store_found_row (change, local_error, "change request", id, error);
}

FwrDevice *
_fwr_store_find_device_by_id (FwrStore *self, gint64 id, GError **error)
{
  g_autoptr (GPtrArray) devices = BACKEND (self)->list_devices (self->backend, error);
  if (devices == NULL)
    return NULL;
  for (guint i = 0; i < devices->len; i++)
    if (((FwrDevice *) g_ptr_array_index (devices, i))->id == id)
      return g_ptr_array_steal_index (devices, i);
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
               "%s: device %" G_GINT64_FORMAT " is missing", self->path, id);
  return NULL;
}

/* Submitting */

gboolean
_fwr_store_insert_change (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                          const FwrDevice *device, const FwrSnapshot *baseline,
                          const FwrSnapshot *proposed, const char *reason, const char *ticket,
                          gint64 *out_id, GError **error)
{
  g_autoptr (FwrChange) change = g_new0 (FwrChange, 1);
  change->device_id = device->id;
  change->baseline_snapshot_id = baseline->id;
  change->proposed_snapshot_id = proposed->id;
  change->reason = g_strdup (reason);
  change->ticket = g_strdup (ticket);
  change->submitted_by = g_strdup (user->name);
  change->submitted_at = _fwr_now_iso ();
  change->state = FWR_CHANGE_SUBMITTED;

  g_autofree char *hash = NULL;
  if (!BACKEND (self)->insert_change (self->backend, change, error) ||
      !_fwr_audit_append (self, actor, user, "change.submit", "change", change->id,
                          hash = _fwr_change_dup_sha256 (change),
                          json_pack ("{s:s, s:b, s:I, s:s, s:I, s:s, s:s, s:s?}",
                                     "device", device->name, "baseline", FALSE,
                                     "baseline_snapshot", (json_int_t) baseline->id,
                                     "baseline_sha256", baseline->sha256,
                                     "proposed_snapshot", (json_int_t) proposed->id,
                                     "proposed_sha256", proposed->sha256,
                                     "reason", reason, "ticket", ticket),
                          error))
    return FALSE;
  *out_id = change->id;
  return TRUE;
}

gboolean
fwr_store_submit_change (FwrStore *self, const FwrIdentity *actor, const char *device_name,
                         const char *file_name, const char *data, gsize length,
                         const char *reason, const char *ticket, gint64 *out_id, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && device_name != NULL, FALSE);
  g_return_val_if_fail (file_name != NULL && (data != NULL || length == 0), FALSE);

  if (_fwr_text_is_blank (reason))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "a change request needs a reason");
      return FALSE;
    }
  g_autoptr (FwrPreparedSnapshot) prepared = _fwr_prepared_snapshot_new (file_name, data, length, error);
  if (prepared == NULL)
    return FALSE;
  _fwr_prepared_snapshot_seal (prepared);
  if (!_fwr_store_begin (self, error))
    return FALSE;

  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor,
                                                   ROLE (FWR_ROLE_ADMIN) | ROLE (FWR_ROLE_SUPERVISOR),
                                                   "submitting a change", error);
  g_autoptr (FwrDevice) device = user ? _fwr_store_find_device (self, device_name, error) : NULL;
  if (device != NULL && device->baseline_snapshot_id == 0)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "%s has no approved baseline yet: a supervisor approves its baseline change "
                   "first (the one its first import opened)", device_name);
      g_clear_pointer (&device, fwr_device_free);
    }
  g_autoptr (FwrSnapshot) baseline = device ? _fwr_store_find_snapshot (self, device->baseline_snapshot_id, error) : NULL;
  g_autoptr (FwrSnapshot) proposed = NULL;
  gint64 id = 0;
  if (baseline == NULL ||
      !_fwr_store_insert_snapshot (self, actor, user, device, "proposed", prepared, &proposed, error) ||
      !_fwr_store_insert_change (self, actor, user, device, baseline, proposed, reason, ticket,
                                 &id, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

/* Deciding */

/* FALSE with the reason when user may not decide on change: state, and the checklist's
 * segregation of duties (never the submitter). */
static gboolean
check_may_decide (const FwrUser *user, const FwrChange *change, const FwrDevice *device,
                  gboolean approve, GError **error)
{
  if (change->state != FWR_CHANGE_SUBMITTED)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "change %" G_GINT64_FORMAT " is %s already (by %s on %s): decisions are final",
                   change->id, fwr_change_state_to_string (change->state), change->decided_by,
                   change->decided_at);
      return FALSE;
    }
  if (g_str_equal (change->submitted_by, user->name))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                   "segregation of duties: %s submitted change %" G_GINT64_FORMAT " and may not "
                   "%s it; another supervisor must decide", user->name, change->id,
                   approve ? "approve" : "reject");
      return FALSE;
    }
  if (approve && !change->is_baseline && device->baseline_snapshot_id != change->baseline_snapshot_id)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "change %" G_GINT64_FORMAT " was made against snapshot %" G_GINT64_FORMAT
                   ", but %s's approved baseline is now snapshot %" G_GINT64_FORMAT
                   ": the change must be submitted again", change->id,
                   change->baseline_snapshot_id, device->name, device->baseline_snapshot_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
record_decision (FwrStore *self, const FwrIdentity *actor, const FwrUser *user, FwrChange *change,
                 FwrDevice *device, gboolean approve, const char *comment, GError **error)
{
  g_autoptr (FwrSnapshot) proposed = _fwr_store_find_snapshot (self, change->proposed_snapshot_id, error);
  g_autoptr (FwrSnapshot) baseline = NULL;
  if (proposed == NULL ||
      (change->baseline_snapshot_id != 0 &&
       (baseline = _fwr_store_find_snapshot (self, change->baseline_snapshot_id, error)) == NULL))
    return FALSE;

  g_autoptr (FwrApproval) approval = g_new0 (FwrApproval, 1);
  approval->change_id = change->id;
  approval->approved = approve;
  approval->approver = g_strdup (user->name);
  approval->public_key = g_strdup (user->public_key);
  approval->comment = g_strdup (comment);
  approval->decided_at = _fwr_now_iso ();
  approval->baseline_sha256 = baseline ? g_strdup (baseline->sha256) : NULL;
  approval->proposed_sha256 = g_strdup (proposed->sha256);
  gsize length = 0;
  g_autofree char *signed_text = fwr_approval_dup_signed_text (approval, &length);
  approval->signature = fwr_identity_sign (actor, signed_text, length);

  change->state = approve ? FWR_CHANGE_APPROVED : FWR_CHANGE_REJECTED;
  change->decided_by = g_strdup (user->name);
  change->decided_at = g_strdup (approval->decided_at);
  /* A baseline describes what already runs: once approved it is in force. */
  if (approve && change->is_baseline)
    {
      device->baseline_snapshot_id = change->proposed_snapshot_id;
      device->baseline_change_id = change->id;
    }

  g_autofree char *hash = NULL;
  return BACKEND (self)->insert_approval (self->backend, approval, error) &&
         BACKEND (self)->update_change (self->backend, change, error) &&
         (!approve || !change->is_baseline ||
          BACKEND (self)->update_device_baseline (self->backend, device, error)) &&
         _fwr_audit_append (self, actor, user, approve ? "change.approve" : "change.reject",
                            "approval", approval->id, hash = _fwr_approval_dup_sha256 (approval),
                            json_pack ("{s:I, s:s, s:s?, s:s, s:s?}",
                                       "change", (json_int_t) change->id, "device", device->name,
                                       "baseline_sha256", approval->baseline_sha256,
                                       "proposed_sha256", approval->proposed_sha256,
                                       "comment", comment),
                            error);
}

static gboolean
decide (FwrStore *self, const FwrIdentity *actor, gint64 id, gboolean approve,
        const char *comment, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL, FALSE);

  if (!approve && _fwr_text_is_blank (comment))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "a rejection needs a comment saying why");
      return FALSE;
    }
  if (!_fwr_store_begin (self, error))
    return FALSE;

  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_SUPERVISOR),
                                                   approve ? "approving a change" : "rejecting a change",
                                                   error);
  g_autoptr (FwrChange) change = user ? _fwr_store_find_change (self, id, error) : NULL;
  g_autoptr (FwrDevice) device = change ? _fwr_store_find_device_by_id (self, change->device_id, error) : NULL;
  if (device == NULL ||
      !check_may_decide (user, change, device, approve, error) ||
      !record_decision (self, actor, user, change, device, approve, comment, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  const char *public_key;
  gint64 id;
  gboolean approve;
} MayDecideArgs;

static gpointer
may_decide_func (FwrStore *self, gconstpointer arg, GError **error)
{
  const MayDecideArgs *args = arg;
  g_autoptr (FwrUser) user = _fwr_store_authorize_key (self, args->public_key,
                                                       ROLE (FWR_ROLE_SUPERVISOR),
                                                       args->approve ? "approving a change"
                                                                     : "rejecting a change",
                                                       error);
  g_autoptr (FwrChange) change = user ? _fwr_store_find_change (self, args->id, error) : NULL;
  g_autoptr (FwrDevice) device = change ? _fwr_store_find_device_by_id (self, change->device_id, error) : NULL;
  if (device == NULL || !check_may_decide (user, change, device, args->approve, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

gboolean
fwr_store_check_may_decide (FwrStore *self, const char *public_key, gint64 id, gboolean approve,
                            GError **error)
{
  g_return_val_if_fail (self != NULL && public_key != NULL, FALSE);
  MayDecideArgs args = { public_key, id, approve };
  return _fwr_store_read (self, may_decide_func, &args, error) != NULL;
}

gboolean
fwr_store_approve_change (FwrStore *self, const FwrIdentity *actor, gint64 id,
                          const char *comment, GError **error)
{
  return decide (self, actor, id, TRUE, comment, error);
}

gboolean
fwr_store_reject_change (FwrStore *self, const FwrIdentity *actor, gint64 id,
                         const char *comment, GError **error)
{
  return decide (self, actor, id, FALSE, comment, error);
}

/* Implementing */

static gboolean
check_may_implement (const FwrChange *change, const FwrDevice *device, GError **error)
{
  if (change->is_baseline)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "change %" G_GINT64_FORMAT " is a baseline: it is in force once approved",
                   change->id);
      return FALSE;
    }
  if (change->state != FWR_CHANGE_APPROVED)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "change %" G_GINT64_FORMAT " is %s: only an approved change can be implemented",
                   change->id, fwr_change_state_to_string (change->state));
      return FALSE;
    }
  if (device->baseline_snapshot_id != change->baseline_snapshot_id)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "change %" G_GINT64_FORMAT " was approved against snapshot %" G_GINT64_FORMAT
                   ", but %s's baseline is now snapshot %" G_GINT64_FORMAT
                   ": it must be submitted and approved again", change->id,
                   change->baseline_snapshot_id, device->name, device->baseline_snapshot_id);
      return FALSE;
    }
  return TRUE;
}

/* Compares what runs with the approved proposal; MISMATCH with the diff when they differ. */
static gboolean
check_running_is_proposal (FwrStore *self, const FwrChange *change, FwrRuleset *running,
                           FwrDiff **out_diff, GError **error)
{
  g_autoptr (FwrRuleset) proposed = _fwr_store_read_ruleset (self, change->proposed_snapshot_id, error);
  if (proposed == NULL)
    return FALSE;
  g_autoptr (FwrDiff) diff = fwr_diff_new (proposed, running);
  if (fwr_diff_is_empty (diff))
    return TRUE;
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_MISMATCH,
               "the running configuration is not the approved proposal of change %" G_GINT64_FORMAT
               ": %u difference%s; nothing was recorded", change->id,
               fwr_diff_get_n_entries (diff), fwr_diff_get_n_entries (diff) == 1 ? "" : "s");
  if (out_diff != NULL)
    *out_diff = g_steal_pointer (&diff);
  return FALSE;
}

static gboolean
record_implemented (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                    FwrChange *change, FwrDevice *device, FwrPreparedSnapshot *prepared,
                    GError **error)
{
  g_autoptr (FwrSnapshot) snapshot = NULL;
  if (!_fwr_store_insert_snapshot (self, actor, user, device, "implemented", prepared, &snapshot, error))
    return FALSE;

  change->state = FWR_CHANGE_IMPLEMENTED;
  change->implemented_snapshot_id = snapshot->id;
  change->implemented_by = g_strdup (user->name);
  change->implemented_at = _fwr_now_iso ();
  device->baseline_snapshot_id = snapshot->id;
  device->baseline_change_id = change->id;
  g_autofree char *hash = NULL;
  return BACKEND (self)->update_change (self->backend, change, error) &&
         BACKEND (self)->update_device_baseline (self->backend, device, error) &&
         _fwr_audit_append (self, actor, user, "change.implement", "change", change->id,
                            hash = _fwr_change_dup_sha256 (change),
                            json_pack ("{s:I, s:s, s:I, s:s}", "change", (json_int_t) change->id,
                                       "device", device->name,
                                       "snapshot", (json_int_t) snapshot->id,
                                       "sha256", snapshot->sha256),
                            error);
}

gboolean
fwr_store_implement_change (FwrStore *self, const FwrIdentity *actor, gint64 id,
                            const char *file_name, const char *data, gsize length,
                            FwrDiff **out_diff, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && file_name != NULL, FALSE);

  g_autoptr (FwrPreparedSnapshot) prepared = _fwr_prepared_snapshot_new (file_name, data, length, error);
  if (prepared == NULL)
    return FALSE;
  _fwr_prepared_snapshot_seal (prepared);
  if (!_fwr_store_begin (self, error))
    return FALSE;

  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_ADMIN),
                                                   "recording an implemented change", error);
  g_autoptr (FwrChange) change = user ? _fwr_store_find_change (self, id, error) : NULL;
  g_autoptr (FwrDevice) device = change ? _fwr_store_find_device_by_id (self, change->device_id, error) : NULL;
  if (device == NULL ||
      !check_may_implement (change, device, error) ||
      !check_running_is_proposal (self, change, prepared->ruleset, out_diff, error) ||
      !record_implemented (self, actor, user, change, device, prepared, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Drift */

static gboolean
record_drift_check (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                    const FwrDevice *device, FwrPreparedSnapshot *prepared, FwrDiff *diff,
                    FwrDriftCheck **out_check, GError **error)
{
  g_autoptr (FwrSnapshot) snapshot = NULL;
  gboolean drift = !fwr_diff_is_empty (diff);
  if (drift && !_fwr_store_insert_snapshot (self, actor, user, device, "drift", prepared, &snapshot, error))
    return FALSE;

  g_autoptr (FwrDriftCheck) check = g_new0 (FwrDriftCheck, 1);
  check->device_id = device->id;
  check->snapshot_id = snapshot ? snapshot->id : 0;
  check->running_sha256 = g_strdup (prepared->sha256);
  check->baseline_snapshot_id = device->baseline_snapshot_id;
  check->drift = drift;
  check->n_differences = fwr_diff_get_n_entries (diff);
  check->checked_by = g_strdup (user->name);
  check->checked_at = _fwr_now_iso ();
  g_autofree char *hash = NULL;
  if (!BACKEND (self)->insert_drift_check (self->backend, check, error) ||
      !_fwr_audit_append (self, actor, user, "drift.check", "drift-check", check->id,
                          hash = _fwr_drift_check_dup_sha256 (check),
                          json_pack ("{s:s, s:b, s:i, s:s, s:I}", "device", device->name,
                                     "drift", check->drift, "differences", (int) check->n_differences,
                                     "running_sha256", check->running_sha256,
                                     "baseline_snapshot", (json_int_t) check->baseline_snapshot_id),
                          error))
    return FALSE;
  if (out_check != NULL)
    *out_check = g_steal_pointer (&check);
  return TRUE;
}

typedef struct {
  const char *device;
  gint64 baseline_id;
  FwrRuleset *baseline;
} BaselineRead;

static gboolean
same_snapshot_model (const FwrSnapshot *a, const FwrSnapshot *b)
{
  return a->id == b->id && g_str_equal (a->model_sha256, b->model_sha256)
         && g_str_equal (a->file, b->file);
}

/* The model of a baseline snapshot. Reading a large one takes longer than comparing it, and a
 * watch compares every change with the same baseline: the model last read is kept and used
 * again while the snapshot row names the same model (its bytes were checked against that
 * SHA-256 when read, and a model is a function of its bytes and the file name). */
static FwrRuleset *
read_baseline_model (FwrStore *self, gint64 snapshot_id, GError **error)
{
  g_autoptr (FwrSnapshot) snapshot = _fwr_store_find_snapshot (self, snapshot_id, error);
  if (snapshot == NULL)
    return NULL;
  if (self->drift_baseline != NULL && same_snapshot_model (self->drift_baseline_snapshot, snapshot))
    return fwr_ruleset_ref (self->drift_baseline);

  FwrRuleset *model = _fwr_store_read_ruleset (self, snapshot_id, error);
  if (model == NULL)
    return NULL;
  g_clear_pointer (&self->drift_baseline, fwr_ruleset_unref);
  g_clear_pointer (&self->drift_baseline_snapshot, fwr_snapshot_free);
  self->drift_baseline = fwr_ruleset_ref (model);
  self->drift_baseline_snapshot = g_steal_pointer (&snapshot);
  return model;
}

static gpointer
read_baseline_func (FwrStore *self, gconstpointer arg, GError **error)
{
  BaselineRead *read = (BaselineRead *) arg;
  g_autoptr (FwrDevice) device = _fwr_store_find_device (self, read->device, error);
  if (device == NULL)
    return NULL;
  if (device->baseline_snapshot_id == 0)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "%s has no approved baseline to compare with yet", read->device);
      return NULL;
    }
  read->baseline_id = device->baseline_snapshot_id;
  read->baseline = read_baseline_model (self, device->baseline_snapshot_id, error);
  return read->baseline;
}

/* Records the check unless the baseline changed since it was read (*stale then). */
static gboolean
write_drift_check (FwrStore *self, const FwrIdentity *actor, const char *device_name,
                   gint64 baseline_id, FwrPreparedSnapshot *prepared, FwrDiff *diff,
                   gboolean *stale, FwrDriftCheck **out_check, GError **error)
{
  if (!_fwr_store_begin (self, error))
    return FALSE;
  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor,
                                                   ROLE (FWR_ROLE_ADMIN) | ROLE (FWR_ROLE_SUPERVISOR) |
                                                   ROLE (FWR_ROLE_AUDITOR),
                                                   "recording a drift check", error);
  g_autoptr (FwrDevice) device = user ? _fwr_store_find_device (self, device_name, error) : NULL;
  *stale = device != NULL && device->baseline_snapshot_id != baseline_id;
  if (device == NULL || *stale ||
      !record_drift_check (self, actor, user, device, prepared, diff, out_check, error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
fwr_store_check_drift (FwrStore *self, const FwrIdentity *actor, const char *device_name,
                       const char *file_name, const char *data, gsize length,
                       FwrDriftCheck **out_check, FwrDiff **out_diff, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && device_name != NULL, FALSE);
  g_return_val_if_fail (file_name != NULL, FALSE);

  g_autoptr (FwrPreparedSnapshot) prepared = _fwr_prepared_snapshot_new (file_name, data, length, error);
  if (prepared == NULL)
    return FALSE;
  /* Reading the baseline and comparing take long on a large ruleset: they happen before the
   * write lock, which is taken only to record, after checking the baseline is still the same
   * (an approval in between means comparing again). */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      BaselineRead read = { .device = device_name };
      if (_fwr_store_read (self, read_baseline_func, &read, error) == NULL)
        return FALSE;
      g_autoptr (FwrRuleset) baseline = read.baseline;
      g_autoptr (FwrDiff) diff = fwr_diff_new (baseline, prepared->ruleset);
      if (!fwr_diff_is_empty (diff))
        _fwr_prepared_snapshot_seal (prepared);
      gboolean stale = FALSE;
      if (write_drift_check (self, actor, device_name, read.baseline_id, prepared, diff, &stale,
                             out_check, error))
        {
          if (out_diff != NULL)
            *out_diff = g_steal_pointer (&diff);
          return TRUE;
        }
      if (!stale)
        return FALSE;
    }
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_BUSY,
               "%s: the baseline of %s changed three times while it was being compared; try again",
               self->path, device_name);
  return FALSE;
}

/* Reading */

FwrChange *
fwr_store_get_change (FwrStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_id (self, (FwrStoreReadIdFunc) _fwr_store_find_change, id, error);
}

GPtrArray *
fwr_store_list_changes (FwrStore *self, gint64 device_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_rows (self, BACKEND (self)->list_changes, device_id, error);
}

GPtrArray *
fwr_store_list_approvals (FwrStore *self, gint64 change_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_rows (self, BACKEND (self)->list_approvals, change_id, error);
}

GPtrArray *
fwr_store_list_drift_checks (FwrStore *self, gint64 device_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_rows (self, BACKEND (self)->list_drift_checks, device_id, error);
}
