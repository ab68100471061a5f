/* fwr-store.h: the change-control store: devices, configuration snapshots, change requests
 * with signed supervisor approvals, drift checks, users and roles, all in one database. */
#pragma once

#include "fwr-macros.h"
#include "fwr-ruleset.h"
#include "fwr-zones.h"
#include "fwr-identity.h"
#include "fwr-diff.h"

G_BEGIN_DECLS

#define FWR_STORE_ERROR (fwr_store_error_quark ())
typedef enum {
  FWR_STORE_ERROR_IO,         /* the store file cannot be created, opened or written */
  FWR_STORE_ERROR_BUSY,       /* another process held the store longer than the busy timeout */
  FWR_STORE_ERROR_CORRUPT,    /* not an fwreview store, damaged, or a newer schema */
  FWR_STORE_ERROR_NOT_FOUND,  /* no such store, user, device, snapshot or change */
  FWR_STORE_ERROR_EXISTS,     /* the name or key is taken, or the store exists already */
  FWR_STORE_ERROR_INVALID,    /* a bad argument or input (the message says which) */
  FWR_STORE_ERROR_FORBIDDEN,  /* role, segregation of duties, revoked key, retention period */
  FWR_STORE_ERROR_STATE,      /* the change is not in a state that allows this */
  FWR_STORE_ERROR_MISMATCH,   /* the running ruleset is not the approved one */
} FwrStoreError;
FWR_PUBLIC GQuark fwr_store_error_quark (void);

typedef enum {
  FWR_ROLE_ADMIN,       /* manages users and devices, imports, submits and implements changes */
  FWR_ROLE_SUPERVISOR,  /* approves or rejects changes */
  FWR_ROLE_AUDITOR,     /* reads and verifies; may record drift checks */
} FwrRole;

typedef enum {
  FWR_CHANGE_SUBMITTED,
  FWR_CHANGE_APPROVED,
  FWR_CHANGE_REJECTED,
  FWR_CHANGE_IMPLEMENTED,
} FwrChangeState;

FWR_PUBLIC const char *fwr_role_to_string           (FwrRole role);
FWR_PUBLIC gboolean    fwr_role_from_string         (const char *text, FwrRole *out);
FWR_PUBLIC const char *fwr_change_state_to_string   (FwrChangeState state);

/* Records as read from the store; every string is owned by the record. Times are UTC ISO 8601
 * ("2025-01-31T12:00:00Z"); ids are 0 when absent. */
typedef struct {
  gint64 id;
  char *name;
  FwrRole role;
  char *public_key;
  char *created_at;
  char *created_by;     /* (nullable) NULL for the store's first admin */
  char *revoked_at;     /* (nullable) */
  char *revoked_by;     /* (nullable) */
} FwrUser;

typedef struct {
  gint64 id;
  char *name;
  char *owner;          /* (nullable) the appointed person who manages it (CC-17010) */
  char *kind;           /* "nftables", ... */
  char *zones;          /* (nullable) the zones file content */
  char *created_by;
  char *created_at;
  gint64 baseline_snapshot_id;  /* the approved configuration, 0 before the first approval */
  gint64 baseline_change_id;
} FwrDevice;

typedef struct {
  gint64 id;
  gint64 device_id;
  char *kind;           /* "import", "proposed", "implemented", "drift" */
  char *format;         /* "nftables-json", ... */
  char *file;           /* the name it was imported from */
  char *sha256;         /* of the original bytes */
  char *model_sha256;   /* of the normalized model (fwreview.model/1) */
  gint64 size;          /* of the original bytes */
  guint n_rules;
  char *imported_by;
  char *imported_at;
} FwrSnapshot;

typedef struct {
  gint64 id;
  gint64 device_id;
  gboolean is_baseline;           /* opened by a device's first snapshot */
  gint64 baseline_snapshot_id;    /* what it changes; 0 for a baseline */
  gint64 proposed_snapshot_id;
  char *reason;
  char *ticket;                   /* (nullable) */
  char *submitted_by;
  char *submitted_at;
  FwrChangeState state;
  char *decided_by;               /* (nullable) */
  char *decided_at;               /* (nullable) */
  gint64 implemented_snapshot_id;
  char *implemented_by;           /* (nullable) */
  char *implemented_at;           /* (nullable) */
} FwrChange;

typedef struct {
  gint64 id;
  gint64 change_id;
  gboolean approved;              /* FALSE: rejected */
  char *approver;
  char *public_key;
  char *comment;                  /* (nullable) */
  char *decided_at;
  char *baseline_sha256;          /* (nullable) NULL for a baseline change */
  char *proposed_sha256;
  char *signature;                /* over fwr_approval_dup_signed_text() */
} FwrApproval;

typedef struct {
  gint64 id;
  gint64 device_id;
  gint64 snapshot_id;             /* what was running, kept only when it drifted; else 0 */
  char *running_sha256;           /* of what was running */
  gint64 baseline_snapshot_id;    /* what was approved */
  gboolean drift;
  guint n_differences;
  char *checked_by;
  char *checked_at;
} FwrDriftCheck;

typedef struct {
  guint snapshots;
  guint changes;
  guint approvals;
  guint drift_checks;
  guint reviews;        /* with their decisions and sign-off */
} FwrPurgeCounts;

FWR_PUBLIC void fwr_user_free        (FwrUser *user);
FWR_PUBLIC void fwr_device_free      (FwrDevice *device);
FWR_PUBLIC void fwr_snapshot_free    (FwrSnapshot *snapshot);
FWR_PUBLIC void fwr_change_free      (FwrChange *change);
FWR_PUBLIC void fwr_approval_free    (FwrApproval *approval);
FWR_PUBLIC void fwr_drift_check_free (FwrDriftCheck *check);

/* (transfer full) The exact bytes an approval signature covers: the change, the decision,
 * the comment, the time, and the SHA-256 of the baseline and of the proposed configuration. */
FWR_PUBLIC char *fwr_approval_dup_signed_text (const FwrApproval *approval, gsize *length);

/* Times as the store reads and writes them. parse takes "2025-01-31" (midnight UTC) or any
 * ISO 8601 time, UTC when no offset is given; NULL when text is neither. */
FWR_PUBLIC GDateTime *fwr_time_parse  (const char *text);
/* (transfer full) "2025-01-31T12:00:00Z" */
FWR_PUBLIC char      *fwr_time_format (GDateTime *time);

typedef struct _FwrStore FwrStore;

/* (transfer full) $XDG_DATA_HOME/fwreview/store.db */
FWR_PUBLIC char       *fwr_store_dup_default_path (void);
/* (transfer full) Creates a new store (mode 0600) whose first admin is admin, named admin_name.
 * Fails with EXISTS when path exists. */
FWR_PUBLIC FwrStore   *fwr_store_create          (const char *path, const FwrIdentity *admin,
                                                  const char *admin_name, GError **error);
/* (transfer full) Opens an existing store, migrating its schema when older. */
FWR_PUBLIC FwrStore   *fwr_store_open            (const char *path, GError **error);
FWR_PUBLIC void        fwr_store_free            (FwrStore *self);
FWR_PUBLIC const char *fwr_store_get_path        (const FwrStore *self);
/* (transfer full) The store's random id (a UUID), fixed at creation and in its first record. */
FWR_PUBLIC char       *fwr_store_dup_id          (FwrStore *self, GError **error);
/* How long a writer waits for another one, 5000 ms unless FWR_BUSY_TIMEOUT_MS says otherwise. */
FWR_PUBLIC void        fwr_store_set_busy_timeout (FwrStore *self, guint milliseconds);

/* Users and roles. Writers are identified by their key: actor must be a registered user
 * with a role that allows the action, and not revoked. */
FWR_PUBLIC gboolean    fwr_store_add_user        (FwrStore *self, const FwrIdentity *actor,
                                                  const char *name, FwrRole role,
                                                  const char *public_key, gint64 *out_id,
                                                  GError **error);
FWR_PUBLIC gboolean    fwr_store_revoke_user     (FwrStore *self, const FwrIdentity *actor,
                                                  const char *name, GError **error);
/* (transfer full) (element-type FwrUser) */
FWR_PUBLIC GPtrArray  *fwr_store_list_users      (FwrStore *self, GError **error);

/* Devices. zones is the zones file content (validated), or NULL. */
FWR_PUBLIC gboolean    fwr_store_add_device      (FwrStore *self, const FwrIdentity *actor,
                                                  const char *name, const char *owner,
                                                  const char *kind, const char *zones,
                                                  gint64 *out_id, GError **error);
/* (transfer full) */
FWR_PUBLIC FwrDevice  *fwr_store_get_device      (FwrStore *self, const char *name, GError **error);
/* (transfer full) */
FWR_PUBLIC FwrDevice  *fwr_store_get_device_by_id (FwrStore *self, gint64 id, GError **error);
/* (transfer full) (element-type FwrDevice) */
FWR_PUBLIC GPtrArray  *fwr_store_list_devices    (FwrStore *self, GError **error);
/* (transfer full) (nullable) The device's zones, or NULL without error when it has none. */
FWR_PUBLIC FwrZoneMap *fwr_store_dup_device_zones (FwrStore *self, const FwrDevice *device,
                                                  GError **error);

/* Snapshots. import stores a backup copy of a device's configuration; a device's first
 * snapshot also opens its baseline change request (*out_change, else 0). */
FWR_PUBLIC gboolean    fwr_store_import          (FwrStore *self, const FwrIdentity *actor,
                                                  const char *device, const char *file_name,
                                                  const char *data, gsize length,
                                                  gint64 *out_snapshot, gint64 *out_change,
                                                  GError **error);
/* (transfer full) */
FWR_PUBLIC FwrSnapshot *fwr_store_get_snapshot   (FwrStore *self, gint64 id, GError **error);
/* (transfer full) (element-type FwrSnapshot) device_id 0 lists all. */
FWR_PUBLIC GPtrArray  *fwr_store_list_snapshots  (FwrStore *self, gint64 device_id, GError **error);
/* (transfer full) The normalized model kept with the snapshot. */
FWR_PUBLIC FwrRuleset *fwr_store_load_ruleset    (FwrStore *self, gint64 snapshot_id, GError **error);
/* (transfer full) The original bytes, checked against their SHA-256. */
FWR_PUBLIC GBytes     *fwr_store_dup_snapshot_data (FwrStore *self, gint64 snapshot_id,
                                                    GError **error);

/* Changes. submit needs an approved baseline; approve and reject need a supervisor who did
 * not submit the change; implemented needs an admin and a running ruleset semantically equal
 * to the proposal (else MISMATCH with *out_diff, nothing stored), and makes it the baseline. */
FWR_PUBLIC gboolean    fwr_store_submit_change   (FwrStore *self, const FwrIdentity *actor,
                                                  const char *device, const char *file_name,
                                                  const char *data, gsize length,
                                                  const char *reason, const char *ticket,
                                                  gint64 *out_id, GError **error);
FWR_PUBLIC gboolean    fwr_store_approve_change  (FwrStore *self, const FwrIdentity *actor,
                                                  gint64 id, const char *comment, GError **error);
FWR_PUBLIC gboolean    fwr_store_reject_change   (FwrStore *self, const FwrIdentity *actor,
                                                  gint64 id, const char *comment, GError **error);
FWR_PUBLIC gboolean    fwr_store_implement_change (FwrStore *self, const FwrIdentity *actor,
                                                   gint64 id, const char *file_name,
                                                   const char *data, gsize length,
                                                   FwrDiff **out_diff, GError **error);
/* Whether the holder of public_key may approve (or reject) change id now, without signing
 * anything: FALSE with the reason approve or reject would give (role, segregation of duties,
 * revoked key, a decision already taken, a stale change), so a screen can say why before
 * anyone tries. */
FWR_PUBLIC gboolean    fwr_store_check_may_decide (FwrStore *self, const char *public_key,
                                                   gint64 id, gboolean approve, GError **error);
/* (transfer full) */
FWR_PUBLIC FwrChange  *fwr_store_get_change      (FwrStore *self, gint64 id, GError **error);
/* (transfer full) (element-type FwrChange) device_id 0 lists all. */
FWR_PUBLIC GPtrArray  *fwr_store_list_changes    (FwrStore *self, gint64 device_id, GError **error);
/* (transfer full) (element-type FwrApproval) */
FWR_PUBLIC GPtrArray  *fwr_store_list_approvals  (FwrStore *self, gint64 change_id, GError **error);

/* Compares a running ruleset with the device's approved baseline and records the check, with
 * a snapshot of what runs when it drifted (a clean check keeps its SHA-256 only, so a timer
 * every few minutes does not fill the store). *out_diff holds the unapproved differences,
 * empty when none. The comparison runs outside the write lock. */
FWR_PUBLIC gboolean    fwr_store_check_drift     (FwrStore *self, const FwrIdentity *actor,
                                                  const char *device, const char *file_name,
                                                  const char *data, gsize length,
                                                  FwrDriftCheck **out_check, FwrDiff **out_diff,
                                                  GError **error);
/* (transfer full) (element-type FwrDriftCheck) */
FWR_PUBLIC GPtrArray  *fwr_store_list_drift_checks (FwrStore *self, gint64 device_id,
                                                    GError **error);

/* Retention: at least 36 months, never less. */
#define FWR_STORE_MIN_RETENTION_MONTHS 36
FWR_PUBLIC gboolean    fwr_store_get_retention_months (FwrStore *self, guint *out_months,
                                                       GError **error);
FWR_PUBLIC gboolean    fwr_store_set_retention_months (FwrStore *self, const FwrIdentity *actor,
                                                       guint months, GError **error);
/* Removes closed changes, their approvals, drift checks, completed reviews and snapshots older
 * than before, keeping every device's baseline, what open changes and kept reviews need, and
 * the last completed review of each device and scope. Refuses (FORBIDDEN) a date inside the
 * retention period. The audit log is never purged: it records the hashes of what went. */
FWR_PUBLIC gboolean    fwr_store_purge           (FwrStore *self, const FwrIdentity *actor,
                                                  GDateTime *before, FwrPurgeCounts *out_counts,
                                                  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrStore, fwr_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrUser, fwr_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrDevice, fwr_device_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrSnapshot, fwr_snapshot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrChange, fwr_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrApproval, fwr_approval_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrDriftCheck, fwr_drift_check_free)

G_END_DECLS
