/* fwr-app-jobs.c: worker-thread bodies of the app's long work. Each opens the store by path:
 * a store handle is never shared between threads, and readers never wait for a writer. */
#include "fwr-app-jobs.h"

#include <string.h>

void
fwr_device_status_free (FwrDeviceStatus *status)
{
  g_clear_pointer (&status->device, fwr_device_free);
  g_free (status->last_drift_at);
  g_free (status->error);
  g_clear_pointer (&status->dues, g_ptr_array_unref);
  g_free (status);
}

void
fwr_change_detail_free (FwrChangeDetail *detail)
{
  g_clear_pointer (&detail->change, fwr_change_free);
  g_clear_pointer (&detail->device, fwr_device_free);
  g_clear_pointer (&detail->approvals, g_ptr_array_unref);
  g_clear_pointer (&detail->diff, fwr_diff_free);
  g_clear_pointer (&detail->risk, fwr_risk_delta_free);
  g_clear_pointer (&detail->traffic, fwr_traffic_delta_free);
  g_free (detail);
}

/* Opening a file */

typedef struct {
  char *path;
  char *zones_path;
  char *store_path;
  char *device;
  gint64 id;
  char *passphrase;
  FwrIdentity *identity;      /* (not owned) */
  GDateTime *from;
  GDateTime *to;
} JobArgs;

static void
job_args_free (JobArgs *args)
{
  g_free (args->path);
  g_free (args->zones_path);
  g_free (args->store_path);
  g_free (args->device);
  if (args->passphrase != NULL)
    memset (args->passphrase, 0, strlen (args->passphrase));
  g_free (args->passphrase);
  g_clear_pointer (&args->from, g_date_time_unref);
  g_clear_pointer (&args->to, g_date_time_unref);
  g_free (args);
}

/* Runs thread in a worker with args (which it takes) as the task's data. */
static void
job_run (gpointer source_tag, JobArgs *args, GTaskThreadFunc thread, GCancellable *cancellable,
         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, args, (GDestroyNotify) job_args_free);
  g_task_run_in_thread (task, thread);
}

static void
open_file_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autoptr (FwrZoneMap) zones = NULL;
  if (args->zones_path != NULL && (zones = fwr_zone_map_new_from_file (args->zones_path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_autoptr (FwrRuleset) ruleset = fwr_import_file (args->path, FWR_FORMAT_UNKNOWN, &error);
  if (ruleset == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_autofree char *title = g_path_get_basename (args->path);
  g_task_return_pointer (task, fwr_report_index_new (fwr_analyze (ruleset, zones), zones, title),
                         (GDestroyNotify) fwr_report_index_unref);
}

void
fwr_job_open_file (const char *path, const char *zones_path, GCancellable *cancellable,
                   GAsyncReadyCallback callback, gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->path = g_strdup (path);
  args->zones_path = g_strdup (zones_path);
  job_run (fwr_job_open_file, args, open_file_thread, cancellable, callback, user_data);
}

FwrReportIndex *
fwr_job_open_file_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Loading a device */

/* The configuration a device's views show: what was approved, or before any approval the
 * latest backup copy. 0 when the device has none. */
static gint64
current_snapshot (FwrStore *store, const FwrDevice *device, GError **error)
{
  if (device->baseline_snapshot_id != 0)
    return device->baseline_snapshot_id;
  g_autoptr (GPtrArray) snapshots = fwr_store_list_snapshots (store, device->id, error);
  if (snapshots == NULL || snapshots->len == 0)
    return 0;
  FwrSnapshot *last = g_ptr_array_index (snapshots, snapshots->len - 1);
  return last->id;
}

static FwrReportIndex *
analyze_device (FwrStore *store, const FwrDevice *device, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gint64 snapshot = current_snapshot (store, device, &local_error);
  if (snapshot == 0)
    {
      if (local_error == NULL)
        g_set_error (&local_error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND,
                     "%s has no configuration yet: import one", device->name);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_autoptr (FwrZoneMap) zones = fwr_store_dup_device_zones (store, device, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_autoptr (FwrRuleset) ruleset = fwr_store_load_ruleset (store, snapshot, error);
  if (ruleset == NULL)
    return NULL;
  g_autofree char *title = g_strdup_printf ("%s, snapshot %" G_GINT64_FORMAT "%s", device->name,
                                            snapshot,
                                            snapshot == device->baseline_snapshot_id ? " (approved)" : " (not approved yet)");
  return fwr_report_index_new (fwr_analyze (ruleset, zones), zones, title);
}

static void
load_device_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (args->store_path, &error);
  g_autoptr (FwrDevice) device = store ? fwr_store_get_device_by_id (store, args->id, &error) : NULL;
  FwrReportIndex *index = device ? analyze_device (store, device, &error) : NULL;
  if (index == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, index, (GDestroyNotify) fwr_report_index_unref);
}

void
fwr_job_load_device (const char *store_path, gint64 device_id, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->store_path = g_strdup (store_path);
  args->id = device_id;
  job_run (fwr_job_load_device, args, load_device_thread, cancellable, callback, user_data);
}

FwrReportIndex *
fwr_job_load_device_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Device statuses */

static void
fill_status (FwrStore *store, FwrDeviceStatus *status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReportIndex) index = analyze_device (store, status->device, &error);
  status->has_snapshot = index != NULL;
  if (index != NULL)
    for (guint i = 0; i < fwr_report_get_n_findings (index->report); i++)
      status->findings[fwr_finding_get_severity (fwr_report_get_finding (index->report, i))]++;
  else if (!g_error_matches (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND))
    status->error = g_strdup (error->message);

  g_autoptr (GPtrArray) changes = fwr_store_list_changes (store, status->device->id, NULL);
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    if (((FwrChange *) g_ptr_array_index (changes, i))->state == FWR_CHANGE_SUBMITTED)
      status->pending_changes++;

  g_autoptr (GPtrArray) checks = fwr_store_list_drift_checks (store, status->device->id, NULL);
  if (checks != NULL && checks->len > 0)
    {
      FwrDriftCheck *last = g_ptr_array_index (checks, checks->len - 1);
      status->last_drift_at = g_strdup (last->checked_at);
      status->last_drift = last->drift;
    }
}

static void
device_statuses_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (args->store_path, &error);
  g_autoptr (GPtrArray) devices = store ? fwr_store_list_devices (store, &error) : NULL;
  if (devices == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_autoptr (GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_device_status_free);
  g_autoptr (GPtrArray) dues = fwr_store_list_reviews_due (store, NULL, NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      FwrDeviceStatus *status = g_new0 (FwrDeviceStatus, 1);
      status->device = g_ptr_array_steal_index (devices, i--);
      fill_status (store, status);
      status->dues = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_due_free);
      for (guint d = 0; dues != NULL && d < dues->len; d++)
        if (((FwrReviewDue *) g_ptr_array_index (dues, d))->device_id == status->device->id)
          g_ptr_array_add (status->dues, g_ptr_array_steal_index (dues, d--));
      g_ptr_array_add (statuses, status);
    }
  g_task_return_pointer (task, g_steal_pointer (&statuses), (GDestroyNotify) g_ptr_array_unref);
}

void
fwr_job_device_statuses (const char *store_path, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->store_path = g_strdup (store_path);
  job_run (fwr_job_device_statuses, args, device_statuses_thread, cancellable, callback, user_data);
}

GPtrArray *
fwr_job_device_statuses_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A change */

static void
load_change_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autoptr (FwrChangeDetail) detail = g_new0 (FwrChangeDetail, 1);
  g_autoptr (FwrStore) store = fwr_store_open (args->store_path, &error);
  g_autoptr (FwrRuleset) before = NULL;
  g_autoptr (FwrRuleset) after = NULL;
  g_autoptr (FwrZoneMap) zones = NULL;
  if (store == NULL ||
      (detail->change = fwr_store_get_change (store, args->id, &error)) == NULL ||
      (detail->device = fwr_store_get_device_by_id (store, detail->change->device_id, &error)) == NULL ||
      (detail->approvals = fwr_store_list_approvals (store, args->id, &error)) == NULL ||
      (detail->change->baseline_snapshot_id != 0 &&
       (before = fwr_store_load_ruleset (store, detail->change->baseline_snapshot_id, &error)) == NULL) ||
      (after = fwr_store_load_ruleset (store, detail->change->proposed_snapshot_id, &error)) == NULL ||
      ((zones = fwr_store_dup_device_zones (store, detail->device, &error)) == NULL && error != NULL))
    {
      g_task_return_error (task, error);
      return;
    }
  detail->diff = fwr_diff_new (before, after);
  detail->risk = fwr_risk_delta_new (before, after, zones);
  /* A baseline is what already runs: there is no "before" to compare traffic with. */
  if (!detail->change->is_baseline)
    detail->traffic = fwr_traffic_delta_new (before, after, zones);
  g_task_return_pointer (task, g_steal_pointer (&detail), (GDestroyNotify) fwr_change_detail_free);
}

void
fwr_job_load_change (const char *store_path, gint64 change_id, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->store_path = g_strdup (store_path);
  args->id = change_id;
  job_run (fwr_job_load_change, args, load_change_thread, cancellable, callback, user_data);
}

FwrChangeDetail *
fwr_job_load_change_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Audit */

static void
verify_audit_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (args->store_path, &error);
  FwrAuditReport *report = store ? fwr_store_verify_audit (store, &error) : NULL;
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) fwr_audit_report_free);
}

void
fwr_job_verify_audit (const char *store_path, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->store_path = g_strdup (store_path);
  job_run (fwr_job_verify_audit, args, verify_audit_thread, cancellable, callback, user_data);
}

FwrAuditReport *
fwr_job_verify_audit_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Identity */

static void
unlock_identity_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  FwrIdentity *identity = fwr_identity_load (args->path, args->passphrase, &error);
  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, (GDestroyNotify) fwr_identity_free);
}

void
fwr_job_unlock_identity (const char *path, const char *passphrase, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->path = g_strdup (path);
  args->passphrase = g_strdup (passphrase);
  job_run (fwr_job_unlock_identity, args, unlock_identity_thread, cancellable, callback, user_data);
}

FwrIdentity *
fwr_job_unlock_identity_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reviews */

static void
start_review_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (args->store_path, &error);
  gint64 id = 0;
  if (store == NULL ||
      !fwr_store_start_review (store, args->identity, args->device, (FwrReviewScope) args->id, &id, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

void
fwr_job_start_review (const char *store_path, FwrIdentity *identity, const char *device,
                      FwrReviewScope scope, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->store_path = g_strdup (store_path);
  args->identity = identity;
  args->device = g_strdup (device);
  args->id = scope;
  job_run (fwr_job_start_review, args, start_review_thread, cancellable, callback, user_data);
}

gint64
fwr_job_start_review_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

/* Import */

static void
import_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents (args->path, &contents, &length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_autoptr (FwrStore) store = fwr_store_open (args->store_path, &error);
  g_autofree char *name = g_path_get_basename (args->path);
  gint64 snapshot = 0;
  gint64 *change = g_new0 (gint64, 1);
  if (store == NULL ||
      !fwr_store_import (store, args->identity, args->device, name, contents, length, &snapshot,
                         change, &error))
    {
      g_free (change);
      g_task_return_error (task, error);
      return;
    }
  /* The snapshot id travels as the task's value, the change beside it. */
  g_object_set_data_full (G_OBJECT (task), "change", change, g_free);
  g_task_return_int (task, snapshot);
}

void
fwr_job_import (const char *store_path, FwrIdentity *identity, const char *device,
                const char *path, GCancellable *cancellable, GAsyncReadyCallback callback,
                gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->store_path = g_strdup (store_path);
  args->identity = identity;
  args->device = g_strdup (device);
  args->path = g_strdup (path);
  job_run (fwr_job_import, args, import_thread, cancellable, callback, user_data);
}

gint64
fwr_job_import_finish (GAsyncResult *result, gint64 *out_change, GError **error)
{
  gint64 snapshot = g_task_propagate_int (G_TASK (result), error);
  gint64 *change = g_object_get_data (G_OBJECT (result), "change");
  if (out_change != NULL)
    *out_change = change ? *change : 0;
  return snapshot;
}

/* Evidence */

static void
export_evidence_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  JobArgs *args = data;
  GError *error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (args->store_path, &error);
  FwrEvidenceExport *result = store ? fwr_store_export_evidence (store, args->identity, args->device,
                                                                 args->from, args->to, args->path, &error)
                                    : NULL;
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) fwr_evidence_export_free);
}

void
fwr_job_export_evidence (const char *store_path, FwrIdentity *identity, const char *device,
                         GDateTime *from, GDateTime *to, const char *dir,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  JobArgs *args = g_new0 (JobArgs, 1);
  args->store_path = g_strdup (store_path);
  args->identity = identity;
  args->device = g_strdup (device);
  args->from = g_date_time_ref (from);
  args->to = g_date_time_ref (to);
  args->path = g_strdup (dir);
  job_run (fwr_job_export_evidence, args, export_evidence_thread, cancellable, callback, user_data);
}

FwrEvidenceExport *
fwr_job_export_evidence_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
