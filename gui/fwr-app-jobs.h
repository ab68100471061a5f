/* fwr-app-jobs.h: the app's long work (imports, analyses, audit verification, evidence bundles,
 * signing with a sealed key) run in worker threads with GTask, each opening its own store handle. */
#pragma once

#include <gio/gio.h>
#include "fwr-report-index.h"

G_BEGIN_DECLS

/* What the sidebar says about a device at a glance. */
typedef struct {
  FwrDevice *device;
  guint findings[FWR_SEVERITY_CRITICAL + 1];  /* open findings of its current configuration */
  guint pending_changes;
  gboolean has_snapshot;
  char *last_drift_at;                        /* (nullable) */
  gboolean last_drift;
  char *error;                                /* (nullable) why the status is incomplete */
  GPtrArray *dues;                            /* (element-type FwrReviewDue) its scopes */
} FwrDeviceStatus;

void fwr_device_status_free (FwrDeviceStatus *status);

/* What the changes page shows of one change. */
typedef struct {
  FwrChange *change;
  FwrDevice *device;
  GPtrArray *approvals;       /* (element-type FwrApproval) */
  FwrDiff *diff;
  FwrRiskDelta *risk;
  FwrTrafficDelta *traffic;
} FwrChangeDetail;

void fwr_change_detail_free (FwrChangeDetail *detail);

/* A configuration file, analyzed with an optional zones file. */
void            fwr_job_open_file          (const char *path, const char *zones_path,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
FwrReportIndex *fwr_job_open_file_finish   (GAsyncResult *result, GError **error);

/* A device's current configuration (its approved baseline, else its latest snapshot). */
void            fwr_job_load_device        (const char *store_path, gint64 device_id,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
FwrReportIndex *fwr_job_load_device_finish (GAsyncResult *result, GError **error);

/* (element-type FwrDeviceStatus) Every device of the store. */
void            fwr_job_device_statuses    (const char *store_path, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
GPtrArray      *fwr_job_device_statuses_finish (GAsyncResult *result, GError **error);

void            fwr_job_load_change        (const char *store_path, gint64 change_id,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
FwrChangeDetail *fwr_job_load_change_finish (GAsyncResult *result, GError **error);

void            fwr_job_verify_audit       (const char *store_path, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
FwrAuditReport *fwr_job_verify_audit_finish (GAsyncResult *result, GError **error);

/* Argon2id takes a moment: unlocking a sealed key never runs on the main thread. */
void            fwr_job_unlock_identity    (const char *path, const char *passphrase,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
FwrIdentity    *fwr_job_unlock_identity_finish (GAsyncResult *result, GError **error);

/* Starts a review of device (freezing its rules and findings takes an analysis); returns its id. */
void            fwr_job_start_review       (const char *store_path, FwrIdentity *identity,
                                            const char *device, FwrReviewScope scope,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gint64          fwr_job_start_review_finish (GAsyncResult *result, GError **error);

/* Imports path as a snapshot of device; returns the snapshot id (and the baseline change a
 * first import opens in *out_change, else 0). */
void            fwr_job_import             (const char *store_path, FwrIdentity *identity,
                                            const char *device, const char *path,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gint64          fwr_job_import_finish      (GAsyncResult *result, gint64 *out_change,
                                            GError **error);

/* Writes device's evidence bundle for the period from..to into dir, which must not exist. */
void            fwr_job_export_evidence    (const char *store_path, FwrIdentity *identity,
                                            const char *device, GDateTime *from, GDateTime *to,
                                            const char *dir, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
FwrEvidenceExport *fwr_job_export_evidence_finish (GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrDeviceStatus, fwr_device_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrChangeDetail, fwr_change_detail_free)

G_END_DECLS
