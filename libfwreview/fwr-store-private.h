/* fwr-store-private.h: the storage interface behind FwrStore (one vtable per backend: SQLite
 * now, PostgreSQL later) and the helpers the store, change and audit code share. */
#pragma once

#include "fwr-ruleset-private.h"
#include "fwr-clock-private.h"
#include "fwr-identity-private.h"
#include "fwr-jansson-private.h"

typedef struct _FwrStoreBackend FwrStoreBackend;

/* Rows the store can delete (purge) or count. */
typedef enum {
  FWR_ROW_USER,
  FWR_ROW_DEVICE,
  FWR_ROW_SNAPSHOT,
  FWR_ROW_CHANGE,
  FWR_ROW_APPROVAL,
  FWR_ROW_DRIFT_CHECK,
  FWR_ROW_REVIEW,             /* with its rules */
  FWR_ROW_REVIEW_DECISION,
  FWR_ROW_REVIEW_SIGNOFF,
} FwrRowType;

typedef gboolean (*FwrAuditFunc) (FwrAuditRecord *record, gpointer user_data, GError **error);

/* What a backend implements. Every function reports failures as FWR_STORE_ERROR (BUSY when
 * the lock could not be had in time). Inserts fill in the new row's id. Lists return every
 * row in id order; the store filters. Writes happen only between begin_write and commit. */
typedef struct {
  const char *name;
  void       (*close)              (FwrStoreBackend *self);
  void       (*set_busy_timeout)   (FwrStoreBackend *self, guint milliseconds);
  /* An exclusive write transaction, taken at once (not on the first write), so two writers
   * serialize on the whole command and the audit chain can never fork. */
  gboolean   (*begin_write)        (FwrStoreBackend *self, GError **error);
  /* A read transaction: one consistent view for multi-query reads. */
  gboolean   (*begin_read)         (FwrStoreBackend *self, GError **error);
  gboolean   (*commit)             (FwrStoreBackend *self, GError **error);
  void       (*rollback)           (FwrStoreBackend *self);

  /* (nullable) NULL without error when key is unset. */
  char      *(*get_setting)        (FwrStoreBackend *self, const char *key, GError **error);
  gboolean   (*set_setting)        (FwrStoreBackend *self, const char *key, const char *value,
                                    GError **error);

  gboolean   (*insert_user)        (FwrStoreBackend *self, FwrUser *user, GError **error);
  gboolean   (*update_user_revoked) (FwrStoreBackend *self, const FwrUser *user, GError **error);
  GPtrArray *(*list_users)         (FwrStoreBackend *self, GError **error);

  gboolean   (*insert_device)      (FwrStoreBackend *self, FwrDevice *device, GError **error);
  gboolean   (*update_device_baseline) (FwrStoreBackend *self, const FwrDevice *device,
                                        GError **error);
  GPtrArray *(*list_devices)       (FwrStoreBackend *self, GError **error);

  /* Content-addressed: putting a blob that exists is a no-op. */
  gboolean   (*put_blob)           (FwrStoreBackend *self, const char *sha256, gint64 size,
                                    GBytes *compressed, GError **error);
  /* (nullable) The compressed bytes; NULL with NOT_FOUND when absent. */
  GBytes    *(*get_blob)           (FwrStoreBackend *self, const char *sha256, GError **error);
  /* Deletes blobs no snapshot refers to. */
  gboolean   (*delete_unused_blobs) (FwrStoreBackend *self, guint *n_deleted, GError **error);

  gboolean   (*insert_snapshot)    (FwrStoreBackend *self, FwrSnapshot *snapshot, GError **error);
  GPtrArray *(*list_snapshots)     (FwrStoreBackend *self, GError **error);
  /* (nullable) NULL without error when there is no such row. */
  FwrSnapshot *(*get_snapshot)     (FwrStoreBackend *self, gint64 id, GError **error);
  gboolean   (*insert_change)      (FwrStoreBackend *self, FwrChange *change, GError **error);
  /* Writes state, decided_*, implemented_*. */
  gboolean   (*update_change)      (FwrStoreBackend *self, const FwrChange *change, GError **error);
  GPtrArray *(*list_changes)       (FwrStoreBackend *self, GError **error);
  /* (nullable) NULL without error when there is no such row. */
  FwrChange *(*get_change)         (FwrStoreBackend *self, gint64 id, GError **error);
  gboolean   (*insert_approval)    (FwrStoreBackend *self, FwrApproval *approval, GError **error);
  GPtrArray *(*list_approvals)     (FwrStoreBackend *self, GError **error);
  gboolean   (*insert_drift_check) (FwrStoreBackend *self, FwrDriftCheck *check, GError **error);
  GPtrArray *(*list_drift_checks)  (FwrStoreBackend *self, GError **error);
  gboolean   (*delete_row)         (FwrStoreBackend *self, FwrRowType type, gint64 id,
                                    GError **error);

  /* Reviews (fwr-review.c). insert_review writes its rules too; list_reviews reads reviews
   * without rules, decisions or sign-off; list_review_rules reads one review's (0: all). */
  gboolean   (*insert_review_policy) (FwrStoreBackend *self, FwrReviewPolicy *policy,
                                      GError **error);
  GPtrArray *(*list_review_policies) (FwrStoreBackend *self, GError **error);
  gboolean   (*insert_review)        (FwrStoreBackend *self, FwrReview *review, GError **error);
  GPtrArray *(*list_reviews)         (FwrStoreBackend *self, GError **error);
  GPtrArray *(*list_review_rules)    (FwrStoreBackend *self, gint64 review_id, GError **error);
  gboolean   (*insert_review_decision) (FwrStoreBackend *self, FwrReviewDecision *decision,
                                        GError **error);
  GPtrArray *(*list_review_decisions) (FwrStoreBackend *self, GError **error);
  gboolean   (*insert_review_signoff) (FwrStoreBackend *self, FwrReviewSignoff *signoff,
                                       GError **error);
  GPtrArray *(*list_review_signoffs) (FwrStoreBackend *self, GError **error);

  gboolean   (*append_audit)       (FwrStoreBackend *self, const FwrAuditRecord *record,
                                    GError **error);
  /* (nullable) The last record; NULL without error for an empty log. */
  FwrAuditRecord *(*get_last_audit) (FwrStoreBackend *self, GError **error);
  /* Calls func for each record in seq order; stops at the first FALSE. */
  gboolean   (*foreach_audit)      (FwrStoreBackend *self, FwrAuditFunc func, gpointer user_data,
                                    GError **error);
} FwrStoreBackendClass;

struct _FwrStoreBackend {
  const FwrStoreBackendClass *klass;
};

/* The SQLite backend (fwr-store-sqlite.c). create makes a new file with mode 0600. */
FwrStoreBackend *_fwr_store_sqlite_open (const char *path, gboolean create, GError **error);

struct _FwrStore {
  char *path;
  FwrStoreBackend *backend;
  /* The baseline model the last drift check compared with, and the snapshot row it was read
   * for: `watch` compares every change with the same one (fwr-change.c). */
  FwrRuleset *drift_baseline;
  FwrSnapshot *drift_baseline_snapshot;
};

#define BACKEND(store) ((store)->backend->klass)
/* A mask of roles for _fwr_store_authorize(). */
#define ROLE(role) (1u << (role))

#define FWR_SETTING_RETENTION "retention_months"
#define FWR_SETTING_STORE_ID "store_id"
#define FWR_SETTING_AUDIT_HEAD "audit_head"

/* One write command = one transaction. commit honours FWR_TEST_HOLD_TRANSACTION_MS (tests
 * only: holds the lock that long before committing, to test crashes and concurrent writers). */
gboolean   _fwr_store_begin         (FwrStore *self, GError **error);
gboolean   _fwr_store_commit        (FwrStore *self, GError **error);
void       _fwr_store_rollback      (FwrStore *self);

/* Runs func (which may only read) inside one read transaction: one consistent view. */
typedef gpointer (*FwrStoreReadFunc) (FwrStore *self, gconstpointer arg, GError **error);
gpointer   _fwr_store_read          (FwrStore *self, FwrStoreReadFunc func, gconstpointer arg,
                                     GError **error);
/* The same for the public functions that read by one id: runs func (self, id, error). */
typedef gpointer (*FwrStoreReadIdFunc) (FwrStore *self, gint64 id, GError **error);
gpointer   _fwr_store_read_id       (FwrStore *self, FwrStoreReadIdFunc func, gint64 id,
                                     GError **error);
/* Keeps the rows whose second gint64 field is key (all when key is 0): FwrSnapshot, FwrChange
 * and FwrDriftCheck start with id, device_id; FwrApproval with id, change_id. */
GPtrArray *_fwr_rows_keep           (GPtrArray *rows, gint64 key);
/* In one read transaction, the rows list (a backend's list_ function) returns, kept as
 * _fwr_rows_keep keeps them. */
typedef GPtrArray *(*FwrStoreListFunc) (FwrStoreBackend *backend, GError **error);
GPtrArray *_fwr_store_read_rows     (FwrStore *self, FwrStoreListFunc list, gint64 key,
                                     GError **error);
gboolean   _fwr_text_is_blank       (const char *text);

/* (transfer full) The user behind actor's key, when its role is in allowed (a mask of
 * 1 << FwrRole) and it is not revoked; FORBIDDEN naming what_for otherwise. */
FwrUser   *_fwr_store_authorize     (FwrStore *self, const FwrIdentity *actor, guint allowed,
                                     const char *what_for, GError **error);
/* The same, for a public key (base64) whose secret half is not at hand. */
FwrUser   *_fwr_store_authorize_key (FwrStore *self, const char *key, guint allowed,
                                     const char *what_for, GError **error);
/* Row lookups inside a transaction; NOT_FOUND when absent. */
FwrDevice   *_fwr_store_find_device   (FwrStore *self, const char *name, GError **error);
FwrSnapshot *_fwr_store_find_snapshot (FwrStore *self, gint64 id, GError **error);
FwrChange   *_fwr_store_find_change   (FwrStore *self, gint64 id, GError **error);
FwrDevice   *_fwr_store_find_device_by_id (FwrStore *self, gint64 id, GError **error);
/* What a lookup returns for the row a backend's get_ function read by id: NOT_FOUND ("no
 * <what> <id>") when there was none (NULL without error), else the backend's error, which it
 * steals. */
gpointer     _fwr_store_found_row     (gpointer row, GError *lookup_error, const char *what,
                                       gint64 id, GError **error);
/* The snapshot's model, inside the caller's transaction. */
FwrRuleset  *_fwr_store_read_ruleset  (FwrStore *self, gint64 snapshot_id, GError **error);

/* A configuration on its way into the store, parsed and hashed outside any lock; sealed
 * (model serialized and hashed, both compressed) only when it is to be stored. */
typedef struct {
  FwrRuleset *ruleset;
  char *file;
  char *sha256;
  gint64 size;
  const char *data;         /* (not owned) the original bytes, until sealed */
  char *model_sha256;       /* the rest is set by _fwr_prepared_snapshot_seal() */
  GBytes *original_z;
  GBytes *model_z;
  gint64 model_size;
} FwrPreparedSnapshot;

/* (transfer full) Imports data (format detected); INVALID on bad input with the importer's
 * message (file, line, column). data must outlive it until it is sealed. */
FwrPreparedSnapshot *_fwr_prepared_snapshot_new  (const char *file_name, const char *data,
                                                  gsize length, GError **error);
void                 _fwr_prepared_snapshot_seal (FwrPreparedSnapshot *prepared);
void                 _fwr_prepared_snapshot_free (FwrPreparedSnapshot *prepared);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrPreparedSnapshot, _fwr_prepared_snapshot_free)
/* Inside a write transaction: stores the blobs and the snapshot row of a sealed prepared
 * snapshot, and logs snapshot.import. *out is the new row. */
gboolean   _fwr_store_insert_snapshot (FwrStore *self, const FwrIdentity *actor,
                                       const FwrUser *user, const FwrDevice *device,
                                       const char *kind, FwrPreparedSnapshot *prepared,
                                       FwrSnapshot **out, GError **error);

/* Appends a signed audit record inside the current write transaction. details is stolen.
 * A record with no subject_type is its own subject: subject_sha256 NULL hashes the details. */
gboolean   _fwr_audit_append        (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                                     const char *action, const char *subject_type,
                                     gint64 subject_id, const char *subject_sha256,
                                     json_t *details, GError **error);

/* (transfer full) An audit record's own hash: its signed text and its signature. */
char      *_fwr_audit_record_dup_sha256 (const FwrAuditRecord *record);

/* Canonical forms: "fwreview.<type>/1" then each field as "<length>:<bytes>\n", NULL as "~\n".
 * _fwr_canon_new starts one with its type; a form ends either as the text a signature covers
 * (its length in *length when not NULL) or as the hex SHA-256 of that text; both take out. */
GString   *_fwr_canon_new           (const char *type);
void       _fwr_canon_add_string    (GString *out, const char *value);
void       _fwr_canon_add_int       (GString *out, gint64 value);
char      *_fwr_canon_finish_text   (GString *out, gsize *length);
char      *_fwr_canon_finish_sha256 (GString *out);
/* (transfer full) Hex SHA-256. */
char      *_fwr_sha256_hex          (const void *data, gsize length);
char      *_fwr_user_dup_sha256         (const FwrUser *user);
char      *_fwr_device_dup_sha256       (const FwrDevice *device);
char      *_fwr_snapshot_dup_sha256     (const FwrSnapshot *snapshot);
char      *_fwr_change_dup_sha256       (const FwrChange *change);
char      *_fwr_approval_dup_sha256     (const FwrApproval *approval);
char      *_fwr_drift_check_dup_sha256  (const FwrDriftCheck *check);

/* zlib through GIO's GZlibCompressor: no new dependency. */
GBytes    *_fwr_compress            (const void *data, gsize length);
GBytes    *_fwr_decompress          (GBytes *compressed, GError **error);

/* Reviews (fwr-review.c): a review rule's findings and usage travel as JSON text in the
 * backend; the hashes cover the review with its rules, and each decision and sign-off. */
char      *_fwr_review_rule_dup_findings_json (const FwrReviewRule *rule);
char      *_fwr_review_rule_dup_usage_json    (const FwrReviewRule *rule);
/* Fill rule's findings and usage from the stored text; unreadable text leaves them empty,
 * and audit verification then reports the row as altered. */
void       _fwr_review_rule_set_findings_json (FwrReviewRule *rule, const char *text);
void       _fwr_review_rule_set_usage_json    (FwrReviewRule *rule, const char *text);
char      *_fwr_review_dup_sha256             (const FwrReview *review);
char      *_fwr_review_policy_dup_sha256      (const FwrReviewPolicy *policy);
char      *_fwr_review_decision_dup_sha256    (const FwrReviewDecision *decision);
char      *_fwr_review_signoff_dup_sha256     (const FwrReviewSignoff *signoff);
/* (transfer full) SHA-256 over the hashes of decisions (element-type FwrReviewDecision). */
char      *_fwr_review_dup_decisions_sha256   (GPtrArray *decisions);

/* Inside a transaction (fwr-review.c): the policy in force for a device and scope, and the
 * device's reviews (device_id 0: all) with their rules, decisions and sign-offs. */
FwrReviewPolicy *_fwr_review_read_policy (FwrStore *self, gint64 device_id, FwrReviewScope scope,
                                          GError **error);
GPtrArray *_fwr_review_load_all       (FwrStore *self, gint64 device_id, GError **error);
/* One review with its parts; NOT_FOUND when absent. */
FwrReview *_fwr_review_find           (FwrStore *self, gint64 id, GError **error);
/* Purge (fwr-store.c): chooses the completed reviews signed off before before, except the last
 * of each device and scope; appends their rows to doomed (row type, id pairs) and their hashes
 * to removed; marks in keep_snapshots and keep_changes (gint64* keys into reviews) what the
 * reviews that stay refer to. Returns how many reviews go. */
guint      _fwr_review_select_purge   (GPtrArray *reviews, const char *before,
                                       GHashTable *keep_snapshots, GHashTable *keep_changes,
                                       GArray *doomed, json_t *removed);

/* Inside a write transaction (fwr-change.c): records a change request of proposed against
 * baseline and logs change.submit. */
gboolean   _fwr_store_insert_change  (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                                      const FwrDevice *device, const FwrSnapshot *baseline,
                                      const FwrSnapshot *proposed, const char *reason,
                                      const char *ticket, gint64 *out_id, GError **error);

/* Time comparisons on the stored ISO 8601 text (fixed width, UTC): a < b. */
gboolean   _fwr_time_before         (const char *a, const char *b);
