/* fwr-store-sqlite.c: the embedded store backend: one SQLite file in WAL mode with foreign
 * keys, a busy timeout, FULL sync, and a migrations table that versions the schema. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "fwr-store-private.h"

/* "FWRv": tells an fwreview store from any other SQLite file. */
#define APPLICATION_ID 0x46575276
#define DEFAULT_BUSY_TIMEOUT_MS 5000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct {
  FwrStoreBackend parent;
  sqlite3 *db;
  char *path;
  guint busy_timeout;
} SqliteBackend;

typedef struct {
  int version;
  const char *description;
  const char *sql;
} Migration;

/* Append-only: a released migration never changes; later schema changes add entries. */
static const Migration migrations[] = {
  { 1, "change control: users, devices, snapshots, changes, approvals, drift checks, audit log",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'auditor')),"
    "  public_key TEXT NOT NULL UNIQUE,"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT,"
    "  revoked_at TEXT,"
    "  revoked_by TEXT);"
    "CREATE TABLE devices ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL UNIQUE,"
    "  owner TEXT,"
    "  kind TEXT NOT NULL,"
    "  zones TEXT,"
    "  created_by TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  baseline_snapshot_id INTEGER REFERENCES snapshots (id),"
    "  baseline_change_id INTEGER REFERENCES change_requests (id));"
    "CREATE TABLE blobs ("
    "  sha256 TEXT PRIMARY KEY,"
    "  size INTEGER NOT NULL,"
    "  encoding TEXT NOT NULL,"
    "  data BLOB NOT NULL);"
    "CREATE TABLE snapshots ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  device_id INTEGER NOT NULL REFERENCES devices (id),"
    "  kind TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL REFERENCES blobs (sha256),"
    "  model_sha256 TEXT NOT NULL REFERENCES blobs (sha256),"
    "  size INTEGER NOT NULL,"
    "  n_rules INTEGER NOT NULL,"
    "  imported_by TEXT NOT NULL,"
    "  imported_at TEXT NOT NULL);"
    "CREATE INDEX snapshots_device ON snapshots (device_id);"
    "CREATE TABLE change_requests ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  device_id INTEGER NOT NULL REFERENCES devices (id),"
    "  is_baseline INTEGER NOT NULL,"
    "  baseline_snapshot_id INTEGER REFERENCES snapshots (id),"
    "  proposed_snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),"
    "  reason TEXT NOT NULL,"
    "  ticket TEXT,"
    "  submitted_by TEXT NOT NULL,"
    "  submitted_at TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected', 'implemented')),"
    "  decided_by TEXT,"
    "  decided_at TEXT,"
    "  implemented_snapshot_id INTEGER REFERENCES snapshots (id),"
    "  implemented_by TEXT,"
    "  implemented_at TEXT);"
    "CREATE INDEX change_requests_device ON change_requests (device_id);"
    "CREATE TABLE approvals ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  change_id INTEGER NOT NULL REFERENCES change_requests (id),"
    "  decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),"
    "  approver TEXT NOT NULL,"
    "  public_key TEXT NOT NULL,"
    "  comment TEXT,"
    "  decided_at TEXT NOT NULL,"
    "  baseline_sha256 TEXT,"
    "  proposed_sha256 TEXT NOT NULL,"
    "  signature TEXT NOT NULL);"
    "CREATE INDEX approvals_change ON approvals (change_id);"
    "CREATE TABLE drift_checks ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  device_id INTEGER NOT NULL REFERENCES devices (id),"
    "  running_sha256 TEXT NOT NULL,"
    "  snapshot_id INTEGER REFERENCES snapshots (id),"
    "  baseline_snapshot_id INTEGER REFERENCES snapshots (id),"
    "  drift INTEGER NOT NULL,"
    "  n_differences INTEGER NOT NULL,"
    "  checked_by TEXT NOT NULL,"
    "  checked_at TEXT NOT NULL);"
    "CREATE TABLE audit_log ("
    "  seq INTEGER PRIMARY KEY,"
    "  time TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  actor_key TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  subject_type TEXT,"
    "  subject_id INTEGER,"
    "  subject_sha256 TEXT NOT NULL,"
    "  details TEXT NOT NULL,"
    "  prev_sha256 TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  signature TEXT NOT NULL);" },
  { 2, "reviews: policies, campaigns with their rules, signed decisions and sign-offs",
    "CREATE TABLE review_policies ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  device_id INTEGER NOT NULL REFERENCES devices (id),"
    "  scope TEXT NOT NULL CHECK (scope IN ('dmz', 'access-control', 'external')),"
    "  interval_months INTEGER NOT NULL CHECK (interval_months BETWEEN 1 AND 36),"
    "  segregation INTEGER NOT NULL,"
    "  justification TEXT,"
    "  set_by TEXT NOT NULL,"
    "  set_at TEXT NOT NULL);"
    "CREATE TABLE reviews ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  device_id INTEGER NOT NULL REFERENCES devices (id),"
    "  scope TEXT NOT NULL CHECK (scope IN ('dmz', 'access-control', 'external')),"
    "  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),"
    "  snapshot_sha256 TEXT NOT NULL,"
    "  period_from TEXT NOT NULL,"
    "  period_to TEXT NOT NULL,"
    "  started_by TEXT NOT NULL,"
    "  started_at TEXT NOT NULL);"
    "CREATE INDEX reviews_device ON reviews (device_id);"
    "CREATE TABLE review_rules ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  review_id INTEGER NOT NULL REFERENCES reviews (id),"
    "  position INTEGER NOT NULL,"
    "  rule_id TEXT NOT NULL,"
    "  chain TEXT NOT NULL,"
    "  content_key TEXT NOT NULL,"
    "  match_text TEXT NOT NULL,"
    "  verdict_text TEXT NOT NULL,"
    "  comment TEXT,"
    "  from_classes INTEGER NOT NULL,"
    "  to_classes INTEGER NOT NULL,"
    "  findings TEXT NOT NULL,"
    "  usage TEXT NOT NULL,"
    "  UNIQUE (review_id, rule_id));"
    "CREATE TABLE review_decisions ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  review_id INTEGER NOT NULL REFERENCES reviews (id),"
    "  rule_id TEXT NOT NULL,"
    "  content_key TEXT NOT NULL,"
    "  decision TEXT NOT NULL CHECK (decision IN ('keep', 'tighten', 'remove')),"
    "  reason TEXT NOT NULL,"
    "  change_id INTEGER REFERENCES change_requests (id),"
    "  decided_by TEXT NOT NULL,"
    "  public_key TEXT NOT NULL,"
    "  decided_at TEXT NOT NULL,"
    "  snapshot_sha256 TEXT NOT NULL,"
    "  signature TEXT NOT NULL,"
    "  UNIQUE (review_id, rule_id));"
    "CREATE TABLE review_signoffs ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  review_id INTEGER NOT NULL UNIQUE REFERENCES reviews (id),"
    "  signed_by TEXT NOT NULL,"
    "  public_key TEXT NOT NULL,"
    "  comment TEXT,"
    "  signed_at TEXT NOT NULL,"
    "  review_sha256 TEXT NOT NULL,"
    "  decisions_sha256 TEXT NOT NULL,"
    "  signature TEXT NOT NULL);" },
};

/* Errors */

static void
set_error (SqliteBackend *self, int rc, const char *what, GError **error)
{
  int primary = rc & 0xff;
  FwrStoreError code;

  switch (primary)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_BUSY,
                   "%s: the store is busy: another fwreview process kept it locked for more than "
                   "%u ms; nothing was written, try again", self->path, self->busy_timeout);
      return;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_SCHEMA:
    case SQLITE_ERROR:
      code = FWR_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_CONSTRAINT:
      code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
             ? FWR_STORE_ERROR_EXISTS : FWR_STORE_ERROR_INVALID;
      break;
    default:
      code = FWR_STORE_ERROR_IO;
      break;
    }
  g_set_error (error, FWR_STORE_ERROR, code, "%s: %s: %s", self->path, what,
               self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
}

static sqlite3_stmt *
prepare (SqliteBackend *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, rc, "cannot read the store", error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt, int index, const char *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* Ids of 0 mean "none" in the records and NULL in the database. */
static void
bind_id (sqlite3_stmt *stmt, int index, gint64 id)
{
  if (id == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, id);
}

static char *
column_text (sqlite3_stmt *stmt, int index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

static gboolean
step_done (SqliteBackend *self, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, rc == SQLITE_ROW ? SQLITE_ERROR : rc, what, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec (SqliteBackend *self, const char *sql, const char *what, GError **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, rc, what, error);
      return FALSE;
    }
  return TRUE;
}

/* Runs a SELECT and turns each row into a record with read_row. */
static GPtrArray *
select_all (SqliteBackend *self, const char *sql, gpointer (*read_row) (sqlite3_stmt *),
            GDestroyNotify free_row, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, "cannot read the store", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
insert (SqliteBackend *self, sqlite3_stmt *stmt, gint64 *out_id, const char *what, GError **error)
{
  if (!step_done (self, stmt, what, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

#define SELF SqliteBackend *self = (SqliteBackend *) backend

/* Transactions */

static gboolean
sqlite_begin_write (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return exec (self, "BEGIN IMMEDIATE", "cannot start writing", error);
}

static gboolean
sqlite_begin_read (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return exec (self, "BEGIN DEFERRED", "cannot start reading", error);
}

static gboolean
sqlite_commit (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return exec (self, "COMMIT", "cannot commit", error);
}

static void
sqlite_rollback (FwrStoreBackend *backend)
{
  SELF;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
sqlite_set_busy_timeout (FwrStoreBackend *backend, guint milliseconds)
{
  SELF;
  self->busy_timeout = milliseconds;
  sqlite3_busy_timeout (self->db, (int) MIN (milliseconds, (guint) G_MAXINT));
}

/* Settings */

static char *
sqlite_get_setting (FwrStoreBackend *backend, const char *key, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "SELECT value FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return column_text (stmt, 0);
  if (rc != SQLITE_DONE)
    set_error (self, rc, "cannot read the settings", error);
  return NULL;
}

static gboolean
sqlite_set_setting (FwrStoreBackend *backend, const char *key, const char *value, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "INSERT INTO settings (key, value) VALUES (?, ?) "
                                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  return step_done (self, stmt, "cannot write the settings", error);
}

/* Users */

static gpointer
read_user (sqlite3_stmt *stmt)
{
  FwrUser *user = g_new0 (FwrUser, 1);
  user->id = sqlite3_column_int64 (stmt, 0);
  user->name = column_text (stmt, 1);
  g_autofree char *role = column_text (stmt, 2);
  fwr_role_from_string (role, &user->role);
  user->public_key = column_text (stmt, 3);
  user->created_at = column_text (stmt, 4);
  user->created_by = column_text (stmt, 5);
  user->revoked_at = column_text (stmt, 6);
  user->revoked_by = column_text (stmt, 7);
  return user;
}

static gboolean
sqlite_insert_user (FwrStoreBackend *backend, FwrUser *user, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO users (name, role, public_key, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user->name);
  bind_text (stmt, 2, fwr_role_to_string (user->role));
  bind_text (stmt, 3, user->public_key);
  bind_text (stmt, 4, user->created_at);
  bind_text (stmt, 5, user->created_by);
  return insert (self, stmt, &user->id, "cannot add the user", error);
}

static gboolean
sqlite_update_user_revoked (FwrStoreBackend *backend, const FwrUser *user, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "UPDATE users SET revoked_at = ?, revoked_by = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user->revoked_at);
  bind_text (stmt, 2, user->revoked_by);
  sqlite3_bind_int64 (stmt, 3, user->id);
  return step_done (self, stmt, "cannot revoke the user", error);
}

static GPtrArray *
sqlite_list_users (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, name, role, public_key, created_at, created_by, revoked_at, "
                           "revoked_by FROM users ORDER BY id",
                     read_user, (GDestroyNotify) fwr_user_free, error);
}

/* Devices */

static gpointer
read_device (sqlite3_stmt *stmt)
{
  FwrDevice *device = g_new0 (FwrDevice, 1);
  device->id = sqlite3_column_int64 (stmt, 0);
  device->name = column_text (stmt, 1);
  device->owner = column_text (stmt, 2);
  device->kind = column_text (stmt, 3);
  device->zones = column_text (stmt, 4);
  device->created_by = column_text (stmt, 5);
  device->created_at = column_text (stmt, 6);
  device->baseline_snapshot_id = sqlite3_column_int64 (stmt, 7);
  device->baseline_change_id = sqlite3_column_int64 (stmt, 8);
  return device;
}

static gboolean
sqlite_insert_device (FwrStoreBackend *backend, FwrDevice *device, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO devices (name, owner, kind, zones, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, device->name);
  bind_text (stmt, 2, device->owner);
  bind_text (stmt, 3, device->kind);
  bind_text (stmt, 4, device->zones);
  bind_text (stmt, 5, device->created_by);
  bind_text (stmt, 6, device->created_at);
  return insert (self, stmt, &device->id, "cannot add the device", error);
}

static gboolean
sqlite_update_device_baseline (FwrStoreBackend *backend, const FwrDevice *device, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "UPDATE devices SET baseline_snapshot_id = ?, baseline_change_id = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_id (stmt, 1, device->baseline_snapshot_id);
  bind_id (stmt, 2, device->baseline_change_id);
  sqlite3_bind_int64 (stmt, 3, device->id);
  return step_done (self, stmt, "cannot set the device's baseline", error);
}

static GPtrArray *
sqlite_list_devices (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, name, owner, kind, zones, created_by, created_at, "
                           "baseline_snapshot_id, baseline_change_id FROM devices ORDER BY id",
                     read_device, (GDestroyNotify) fwr_device_free, error);
}

/* Blobs */

static gboolean
sqlite_put_blob (FwrStoreBackend *backend, const char *sha256, gint64 size, GBytes *compressed,
                 GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO blobs (sha256, size, encoding, data) VALUES (?, ?, 'zlib', ?) "
      "ON CONFLICT (sha256) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  gsize length = 0;
  const void *data = g_bytes_get_data (compressed, &length);
  bind_text (stmt, 1, sha256);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_blob64 (stmt, 3, data, length, SQLITE_STATIC);
  return step_done (self, stmt, "cannot store the configuration", error);
}

static GBytes *
sqlite_get_blob (FwrStoreBackend *backend, const char *sha256, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "SELECT data FROM blobs WHERE sha256 = ? AND encoding = 'zlib'", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, sha256);
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND,
                 "%s: no stored content with SHA-256 %s", self->path, sha256);
  else
    set_error (self, rc, "cannot read a stored configuration", error);
  return NULL;
}

static gboolean
sqlite_delete_unused_blobs (FwrStoreBackend *backend, guint *n_deleted, GError **error)
{
  SELF;
  if (!exec (self, "DELETE FROM blobs WHERE sha256 NOT IN "
                   "(SELECT sha256 FROM snapshots UNION SELECT model_sha256 FROM snapshots)",
             "cannot delete unused content", error))
    return FALSE;
  if (n_deleted != NULL)
    *n_deleted = (guint) sqlite3_changes (self->db);
  return TRUE;
}

/* Snapshots */

static gpointer
read_snapshot (sqlite3_stmt *stmt)
{
  FwrSnapshot *snapshot = g_new0 (FwrSnapshot, 1);
  snapshot->id = sqlite3_column_int64 (stmt, 0);
  snapshot->device_id = sqlite3_column_int64 (stmt, 1);
  snapshot->kind = column_text (stmt, 2);
  snapshot->format = column_text (stmt, 3);
  snapshot->file = column_text (stmt, 4);
  snapshot->sha256 = column_text (stmt, 5);
  snapshot->model_sha256 = column_text (stmt, 6);
  snapshot->size = sqlite3_column_int64 (stmt, 7);
  snapshot->n_rules = (guint) sqlite3_column_int64 (stmt, 8);
  snapshot->imported_by = column_text (stmt, 9);
  snapshot->imported_at = column_text (stmt, 10);
  return snapshot;
}

static gboolean
sqlite_insert_snapshot (FwrStoreBackend *backend, FwrSnapshot *snapshot, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO snapshots (device_id, kind, format, file, sha256, model_sha256, size, n_rules, "
      "imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, snapshot->device_id);
  bind_text (stmt, 2, snapshot->kind);
  bind_text (stmt, 3, snapshot->format);
  bind_text (stmt, 4, snapshot->file);
  bind_text (stmt, 5, snapshot->sha256);
  bind_text (stmt, 6, snapshot->model_sha256);
  sqlite3_bind_int64 (stmt, 7, snapshot->size);
  sqlite3_bind_int64 (stmt, 8, snapshot->n_rules);
  bind_text (stmt, 9, snapshot->imported_by);
  bind_text (stmt, 10, snapshot->imported_at);
  return insert (self, stmt, &snapshot->id, "cannot store the snapshot", error);
}

#define SNAPSHOT_COLUMNS "id, device_id, kind, format, file, sha256, model_sha256, size, " \
                         "n_rules, imported_by, imported_at"

static GPtrArray *
sqlite_list_snapshots (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT " SNAPSHOT_COLUMNS " FROM snapshots ORDER BY id",
                     read_snapshot, (GDestroyNotify) fwr_snapshot_free, error);
}

/* The one row of sql (bound to id) read with read_row, or NULL. */
static gpointer
select_one (SqliteBackend *self, const char *sql, gint64 id, gpointer (*read_row) (sqlite3_stmt *),
            GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_row (stmt);
  if (rc != SQLITE_DONE)
    set_error (self, rc, "cannot read the store", error);
  return NULL;
}

static FwrSnapshot *
sqlite_get_snapshot (FwrStoreBackend *backend, gint64 id, GError **error)
{
  SELF;
  return select_one (self, "SELECT " SNAPSHOT_COLUMNS " FROM snapshots WHERE id = ?", id,
                     read_snapshot, error);
}

/* Changes */

static const char *state_names[] = { "submitted", "approved", "rejected", "implemented" };

static gpointer
read_change (sqlite3_stmt *stmt)
{
  FwrChange *change = g_new0 (FwrChange, 1);
  change->id = sqlite3_column_int64 (stmt, 0);
  change->device_id = sqlite3_column_int64 (stmt, 1);
  change->is_baseline = sqlite3_column_int (stmt, 2) != 0;
  change->baseline_snapshot_id = sqlite3_column_int64 (stmt, 3);
  change->proposed_snapshot_id = sqlite3_column_int64 (stmt, 4);
  change->reason = column_text (stmt, 5);
  change->ticket = column_text (stmt, 6);
  change->submitted_by = column_text (stmt, 7);
  change->submitted_at = column_text (stmt, 8);
  const char *state = (const char *) sqlite3_column_text (stmt, 9);
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (state, state_names[i]) == 0)
      change->state = (FwrChangeState) i;
  change->decided_by = column_text (stmt, 10);
  change->decided_at = column_text (stmt, 11);
  change->implemented_snapshot_id = sqlite3_column_int64 (stmt, 12);
  change->implemented_by = column_text (stmt, 13);
  change->implemented_at = column_text (stmt, 14);
  return change;
}

static gboolean
sqlite_insert_change (FwrStoreBackend *backend, FwrChange *change, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO change_requests (device_id, is_baseline, baseline_snapshot_id, "
      "proposed_snapshot_id, reason, ticket, submitted_by, submitted_at, state) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change->device_id);
  sqlite3_bind_int (stmt, 2, change->is_baseline);
  bind_id (stmt, 3, change->baseline_snapshot_id);
  sqlite3_bind_int64 (stmt, 4, change->proposed_snapshot_id);
  bind_text (stmt, 5, change->reason);
  bind_text (stmt, 6, change->ticket);
  bind_text (stmt, 7, change->submitted_by);
  bind_text (stmt, 8, change->submitted_at);
  bind_text (stmt, 9, state_names[change->state]);
  return insert (self, stmt, &change->id, "cannot store the change request", error);
}

static gboolean
sqlite_update_change (FwrStoreBackend *backend, const FwrChange *change, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "UPDATE change_requests SET state = ?, decided_by = ?, decided_at = ?, "
      "implemented_snapshot_id = ?, implemented_by = ?, implemented_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, state_names[change->state]);
  bind_text (stmt, 2, change->decided_by);
  bind_text (stmt, 3, change->decided_at);
  bind_id (stmt, 4, change->implemented_snapshot_id);
  bind_text (stmt, 5, change->implemented_by);
  bind_text (stmt, 6, change->implemented_at);
  sqlite3_bind_int64 (stmt, 7, change->id);
  return step_done (self, stmt, "cannot update the change request", error);
}

#define CHANGE_COLUMNS "id, device_id, is_baseline, baseline_snapshot_id, proposed_snapshot_id, " \
                       "reason, ticket, submitted_by, submitted_at, state, decided_by, decided_at, " \
                       "implemented_snapshot_id, implemented_by, implemented_at"

static GPtrArray *
sqlite_list_changes (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT " CHANGE_COLUMNS " FROM change_requests ORDER BY id",
                     read_change, (GDestroyNotify) fwr_change_free, error);
}

static FwrChange *
sqlite_get_change (FwrStoreBackend *backend, gint64 id, GError **error)
{
  SELF;
  return select_one (self, "SELECT " CHANGE_COLUMNS " FROM change_requests WHERE id = ?", id,
                     read_change, error);
}

/* Approvals */

static gpointer
read_approval (sqlite3_stmt *stmt)
{
  FwrApproval *approval = g_new0 (FwrApproval, 1);
  approval->id = sqlite3_column_int64 (stmt, 0);
  approval->change_id = sqlite3_column_int64 (stmt, 1);
  approval->approved = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "approve") == 0;
  approval->approver = column_text (stmt, 3);
  approval->public_key = column_text (stmt, 4);
  approval->comment = column_text (stmt, 5);
  approval->decided_at = column_text (stmt, 6);
  approval->baseline_sha256 = column_text (stmt, 7);
  approval->proposed_sha256 = column_text (stmt, 8);
  approval->signature = column_text (stmt, 9);
  return approval;
}

static gboolean
sqlite_insert_approval (FwrStoreBackend *backend, FwrApproval *approval, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO approvals (change_id, decision, approver, public_key, comment, decided_at, "
      "baseline_sha256, proposed_sha256, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, approval->change_id);
  bind_text (stmt, 2, approval->approved ? "approve" : "reject");
  bind_text (stmt, 3, approval->approver);
  bind_text (stmt, 4, approval->public_key);
  bind_text (stmt, 5, approval->comment);
  bind_text (stmt, 6, approval->decided_at);
  bind_text (stmt, 7, approval->baseline_sha256);
  bind_text (stmt, 8, approval->proposed_sha256);
  bind_text (stmt, 9, approval->signature);
  return insert (self, stmt, &approval->id, "cannot store the decision", error);
}

static GPtrArray *
sqlite_list_approvals (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, change_id, decision, approver, public_key, comment, "
                           "decided_at, baseline_sha256, proposed_sha256, signature "
                           "FROM approvals ORDER BY id",
                     read_approval, (GDestroyNotify) fwr_approval_free, error);
}

/* Drift checks */

static gpointer
read_drift_check (sqlite3_stmt *stmt)
{
  FwrDriftCheck *check = g_new0 (FwrDriftCheck, 1);
  check->id = sqlite3_column_int64 (stmt, 0);
  check->device_id = sqlite3_column_int64 (stmt, 1);
  check->snapshot_id = sqlite3_column_int64 (stmt, 2);
  check->baseline_snapshot_id = sqlite3_column_int64 (stmt, 3);
  check->drift = sqlite3_column_int (stmt, 4) != 0;
  check->n_differences = (guint) sqlite3_column_int64 (stmt, 5);
  check->checked_by = column_text (stmt, 6);
  check->checked_at = column_text (stmt, 7);
  check->running_sha256 = column_text (stmt, 8);
  return check;
}

static gboolean
sqlite_insert_drift_check (FwrStoreBackend *backend, FwrDriftCheck *check, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO drift_checks (device_id, snapshot_id, baseline_snapshot_id, drift, "
      "n_differences, checked_by, checked_at, running_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, check->device_id);
  bind_id (stmt, 2, check->snapshot_id);
  bind_id (stmt, 3, check->baseline_snapshot_id);
  sqlite3_bind_int (stmt, 4, check->drift);
  sqlite3_bind_int64 (stmt, 5, check->n_differences);
  bind_text (stmt, 6, check->checked_by);
  bind_text (stmt, 7, check->checked_at);
  bind_text (stmt, 8, check->running_sha256);
  return insert (self, stmt, &check->id, "cannot store the drift check", error);
}

static GPtrArray *
sqlite_list_drift_checks (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, device_id, snapshot_id, baseline_snapshot_id, drift, "
                           "n_differences, checked_by, checked_at, running_sha256 FROM drift_checks ORDER BY id",
                     read_drift_check, (GDestroyNotify) fwr_drift_check_free, error);
}

static gboolean
sqlite_delete_row (FwrStoreBackend *backend, FwrRowType type, gint64 id, GError **error)
{
  SELF;
  static const char *sql[] = {
    [FWR_ROW_USER] = "DELETE FROM users WHERE id = ?",
    [FWR_ROW_DEVICE] = "DELETE FROM devices WHERE id = ?",
    [FWR_ROW_SNAPSHOT] = "DELETE FROM snapshots WHERE id = ?",
    [FWR_ROW_CHANGE] = "DELETE FROM change_requests WHERE id = ?",
    [FWR_ROW_APPROVAL] = "DELETE FROM approvals WHERE id = ?",
    [FWR_ROW_DRIFT_CHECK] = "DELETE FROM drift_checks WHERE id = ?",
    [FWR_ROW_REVIEW] = "DELETE FROM reviews WHERE id = ?",
    [FWR_ROW_REVIEW_DECISION] = "DELETE FROM review_decisions WHERE id = ?",
    [FWR_ROW_REVIEW_SIGNOFF] = "DELETE FROM review_signoffs WHERE id = ?",
  };
  if (type == FWR_ROW_REVIEW)
    {
      g_autoptr (sqlite3_stmt) rules = prepare (self, "DELETE FROM review_rules WHERE review_id = ?", error);
      if (rules == NULL)
        return FALSE;
      sqlite3_bind_int64 (rules, 1, id);
      if (!step_done (self, rules, "cannot delete", error))
        return FALSE;
    }
  g_autoptr (sqlite3_stmt) stmt = prepare (self, sql[type], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_done (self, stmt, "cannot delete", error);
}

/* Reviews */

static const char *scope_names[] = { "dmz", "access-control", "external" };
static const char *decision_names[] = { "keep", "tighten", "remove" };

static int
column_enum (sqlite3_stmt *stmt, int index, const char * const *names, guint n_names)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      return (int) i;
  return 0;
}

static gpointer
read_review_policy (sqlite3_stmt *stmt)
{
  FwrReviewPolicy *policy = g_new0 (FwrReviewPolicy, 1);
  policy->id = sqlite3_column_int64 (stmt, 0);
  policy->device_id = sqlite3_column_int64 (stmt, 1);
  policy->scope = (FwrReviewScope) column_enum (stmt, 2, scope_names, G_N_ELEMENTS (scope_names));
  policy->interval_months = (guint) sqlite3_column_int (stmt, 3);
  policy->segregation = sqlite3_column_int (stmt, 4) != 0;
  policy->justification = column_text (stmt, 5);
  policy->set_by = column_text (stmt, 6);
  policy->set_at = column_text (stmt, 7);
  return policy;
}

static gboolean
sqlite_insert_review_policy (FwrStoreBackend *backend, FwrReviewPolicy *policy, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO review_policies (device_id, scope, interval_months, segregation, justification, "
      "set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, policy->device_id);
  bind_text (stmt, 2, scope_names[policy->scope]);
  sqlite3_bind_int (stmt, 3, (int) policy->interval_months);
  sqlite3_bind_int (stmt, 4, policy->segregation);
  bind_text (stmt, 5, policy->justification);
  bind_text (stmt, 6, policy->set_by);
  bind_text (stmt, 7, policy->set_at);
  return insert (self, stmt, &policy->id, "cannot store the review policy", error);
}

static GPtrArray *
sqlite_list_review_policies (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, device_id, scope, interval_months, segregation, justification, "
                           "set_by, set_at FROM review_policies ORDER BY id",
                     read_review_policy, (GDestroyNotify) fwr_review_policy_free, error);
}

static gpointer
read_review (sqlite3_stmt *stmt)
{
  FwrReview *review = g_new0 (FwrReview, 1);
  review->id = sqlite3_column_int64 (stmt, 0);
  review->device_id = sqlite3_column_int64 (stmt, 1);
  review->scope = (FwrReviewScope) column_enum (stmt, 2, scope_names, G_N_ELEMENTS (scope_names));
  review->snapshot_id = sqlite3_column_int64 (stmt, 3);
  review->snapshot_sha256 = column_text (stmt, 4);
  review->period_from = column_text (stmt, 5);
  review->period_to = column_text (stmt, 6);
  review->started_by = column_text (stmt, 7);
  review->started_at = column_text (stmt, 8);
  review->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_rule_free);
  review->decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_decision_free);
  return review;
}

static gboolean
insert_review_rule (SqliteBackend *self, FwrReviewRule *rule, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO review_rules (review_id, position, rule_id, chain, content_key, match_text, "
      "verdict_text, comment, from_classes, to_classes, findings, usage) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *findings = _fwr_review_rule_dup_findings_json (rule);
  g_autofree char *usage = _fwr_review_rule_dup_usage_json (rule);
  sqlite3_bind_int64 (stmt, 1, rule->review_id);
  sqlite3_bind_int (stmt, 2, (int) rule->position);
  bind_text (stmt, 3, rule->rule_id);
  bind_text (stmt, 4, rule->chain);
  bind_text (stmt, 5, rule->content_key);
  bind_text (stmt, 6, rule->match);
  bind_text (stmt, 7, rule->verdict);
  bind_text (stmt, 8, rule->comment);
  sqlite3_bind_int64 (stmt, 9, rule->from_classes);
  sqlite3_bind_int64 (stmt, 10, rule->to_classes);
  bind_text (stmt, 11, findings);
  bind_text (stmt, 12, usage);
  return insert (self, stmt, &rule->id, "cannot store the review's rules", error);
}

static gboolean
sqlite_insert_review (FwrStoreBackend *backend, FwrReview *review, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO reviews (device_id, scope, snapshot_id, snapshot_sha256, period_from, period_to, "
      "started_by, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, review->device_id);
  bind_text (stmt, 2, scope_names[review->scope]);
  sqlite3_bind_int64 (stmt, 3, review->snapshot_id);
  bind_text (stmt, 4, review->snapshot_sha256);
  bind_text (stmt, 5, review->period_from);
  bind_text (stmt, 6, review->period_to);
  bind_text (stmt, 7, review->started_by);
  bind_text (stmt, 8, review->started_at);
  if (!insert (self, stmt, &review->id, "cannot store the review", error))
    return FALSE;
  for (guint i = 0; i < review->rules->len; i++)
    {
      FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      rule->review_id = review->id;
      if (!insert_review_rule (self, rule, error))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
sqlite_list_reviews (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, device_id, scope, snapshot_id, snapshot_sha256, period_from, "
                           "period_to, started_by, started_at FROM reviews ORDER BY id",
                     read_review, (GDestroyNotify) fwr_review_free, error);
}

static gpointer
read_review_rule (sqlite3_stmt *stmt)
{
  FwrReviewRule *rule = g_new0 (FwrReviewRule, 1);
  rule->id = sqlite3_column_int64 (stmt, 0);
  rule->review_id = sqlite3_column_int64 (stmt, 1);
  rule->position = (guint) sqlite3_column_int (stmt, 2);
  rule->rule_id = column_text (stmt, 3);
  rule->chain = column_text (stmt, 4);
  rule->content_key = column_text (stmt, 5);
  rule->match = column_text (stmt, 6);
  rule->verdict = column_text (stmt, 7);
  rule->comment = column_text (stmt, 8);
  rule->from_classes = (guint) sqlite3_column_int64 (stmt, 9);
  rule->to_classes = (guint) sqlite3_column_int64 (stmt, 10);
  _fwr_review_rule_set_findings_json (rule, (const char *) sqlite3_column_text (stmt, 11));
  _fwr_review_rule_set_usage_json (rule, (const char *) sqlite3_column_text (stmt, 12));
  return rule;
}

static GPtrArray *
sqlite_list_review_rules (FwrStoreBackend *backend, gint64 review_id, GError **error)
{
  SELF;
  const char *sql = review_id != 0
    ? "SELECT id, review_id, position, rule_id, chain, content_key, match_text, verdict_text, "
      "comment, from_classes, to_classes, findings, usage FROM review_rules "
      "WHERE review_id = ?1 ORDER BY position, id"
    : "SELECT id, review_id, position, rule_id, chain, content_key, match_text, verdict_text, "
      "comment, from_classes, to_classes, findings, usage FROM review_rules "
      "WHERE ?1 = 0 ORDER BY review_id, position, id";
  g_autoptr (sqlite3_stmt) stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, review_id);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_rule_free);
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_review_rule (stmt));
  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, "cannot read the store", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gpointer
read_review_decision (sqlite3_stmt *stmt)
{
  FwrReviewDecision *decision = g_new0 (FwrReviewDecision, 1);
  decision->id = sqlite3_column_int64 (stmt, 0);
  decision->review_id = sqlite3_column_int64 (stmt, 1);
  decision->rule_id = column_text (stmt, 2);
  decision->content_key = column_text (stmt, 3);
  decision->decision = (FwrReviewDecisionKind) column_enum (stmt, 4, decision_names,
                                                            G_N_ELEMENTS (decision_names));
  decision->reason = column_text (stmt, 5);
  decision->change_id = sqlite3_column_int64 (stmt, 6);
  decision->decided_by = column_text (stmt, 7);
  decision->public_key = column_text (stmt, 8);
  decision->decided_at = column_text (stmt, 9);
  decision->snapshot_sha256 = column_text (stmt, 10);
  decision->signature = column_text (stmt, 11);
  return decision;
}

static gboolean
sqlite_insert_review_decision (FwrStoreBackend *backend, FwrReviewDecision *decision, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO review_decisions (review_id, rule_id, content_key, decision, reason, change_id, "
      "decided_by, public_key, decided_at, snapshot_sha256, signature) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, decision->review_id);
  bind_text (stmt, 2, decision->rule_id);
  bind_text (stmt, 3, decision->content_key);
  bind_text (stmt, 4, decision_names[decision->decision]);
  bind_text (stmt, 5, decision->reason);
  bind_id (stmt, 6, decision->change_id);
  bind_text (stmt, 7, decision->decided_by);
  bind_text (stmt, 8, decision->public_key);
  bind_text (stmt, 9, decision->decided_at);
  bind_text (stmt, 10, decision->snapshot_sha256);
  bind_text (stmt, 11, decision->signature);
  return insert (self, stmt, &decision->id, "cannot store the decision", error);
}

static GPtrArray *
sqlite_list_review_decisions (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, review_id, rule_id, content_key, decision, reason, change_id, "
                           "decided_by, public_key, decided_at, snapshot_sha256, signature "
                           "FROM review_decisions ORDER BY id",
                     read_review_decision, (GDestroyNotify) fwr_review_decision_free, error);
}

static gpointer
read_review_signoff (sqlite3_stmt *stmt)
{
  FwrReviewSignoff *signoff = g_new0 (FwrReviewSignoff, 1);
  signoff->id = sqlite3_column_int64 (stmt, 0);
  signoff->review_id = sqlite3_column_int64 (stmt, 1);
  signoff->signed_by = column_text (stmt, 2);
  signoff->public_key = column_text (stmt, 3);
  signoff->comment = column_text (stmt, 4);
  signoff->signed_at = column_text (stmt, 5);
  signoff->review_sha256 = column_text (stmt, 6);
  signoff->decisions_sha256 = column_text (stmt, 7);
  signoff->signature = column_text (stmt, 8);
  return signoff;
}

static gboolean
sqlite_insert_review_signoff (FwrStoreBackend *backend, FwrReviewSignoff *signoff, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO review_signoffs (review_id, signed_by, public_key, comment, signed_at, "
      "review_sha256, decisions_sha256, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, signoff->review_id);
  bind_text (stmt, 2, signoff->signed_by);
  bind_text (stmt, 3, signoff->public_key);
  bind_text (stmt, 4, signoff->comment);
  bind_text (stmt, 5, signoff->signed_at);
  bind_text (stmt, 6, signoff->review_sha256);
  bind_text (stmt, 7, signoff->decisions_sha256);
  bind_text (stmt, 8, signoff->signature);
  return insert (self, stmt, &signoff->id, "cannot store the sign-off", error);
}

static GPtrArray *
sqlite_list_review_signoffs (FwrStoreBackend *backend, GError **error)
{
  SELF;
  return select_all (self, "SELECT id, review_id, signed_by, public_key, comment, signed_at, "
                           "review_sha256, decisions_sha256, signature FROM review_signoffs ORDER BY id",
                     read_review_signoff, (GDestroyNotify) fwr_review_signoff_free, error);
}

/* Audit log */

static FwrAuditRecord *
read_audit (sqlite3_stmt *stmt)
{
  FwrAuditRecord *record = g_new0 (FwrAuditRecord, 1);
  record->seq = sqlite3_column_int64 (stmt, 0);
  record->time = column_text (stmt, 1);
  record->actor = column_text (stmt, 2);
  record->actor_key = column_text (stmt, 3);
  record->action = column_text (stmt, 4);
  record->subject_type = column_text (stmt, 5);
  record->subject_id = sqlite3_column_int64 (stmt, 6);
  record->subject_sha256 = column_text (stmt, 7);
  record->details = column_text (stmt, 8);
  record->prev_sha256 = column_text (stmt, 9);
  record->sha256 = column_text (stmt, 10);
  record->signature = column_text (stmt, 11);
  return record;
}

#define AUDIT_COLUMNS "seq, time, actor, actor_key, action, subject_type, subject_id, " \
                      "subject_sha256, details, prev_sha256, sha256, signature"

static gboolean
sqlite_append_audit (FwrStoreBackend *backend, const FwrAuditRecord *record, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "INSERT INTO audit_log (" AUDIT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->seq);
  bind_text (stmt, 2, record->time);
  bind_text (stmt, 3, record->actor);
  bind_text (stmt, 4, record->actor_key);
  bind_text (stmt, 5, record->action);
  bind_text (stmt, 6, record->subject_type);
  bind_id (stmt, 7, record->subject_id);
  bind_text (stmt, 8, record->subject_sha256);
  bind_text (stmt, 9, record->details);
  bind_text (stmt, 10, record->prev_sha256);
  bind_text (stmt, 11, record->sha256);
  bind_text (stmt, 12, record->signature);
  return insert (self, stmt, NULL, "cannot write the audit log", error);
}

static FwrAuditRecord *
sqlite_get_last_audit (FwrStoreBackend *backend, GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_audit (stmt);
  if (rc != SQLITE_DONE)
    set_error (self, rc, "cannot read the audit log", error);
  return NULL;
}

static gboolean
sqlite_foreach_audit (FwrStoreBackend *backend, FwrAuditFunc func, gpointer user_data,
                      GError **error)
{
  SELF;
  g_autoptr (sqlite3_stmt) stmt = prepare (self,
      "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func (read_audit (stmt), user_data, error))
      return FALSE;
  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, "cannot read the audit log", error);
      return FALSE;
    }
  return TRUE;
}

static void
sqlite_close (FwrStoreBackend *backend)
{
  SELF;
  sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self);
}

static const FwrStoreBackendClass sqlite_class = {
  .name = "sqlite",
  .close = sqlite_close,
  .set_busy_timeout = sqlite_set_busy_timeout,
  .begin_write = sqlite_begin_write,
  .begin_read = sqlite_begin_read,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .get_setting = sqlite_get_setting,
  .set_setting = sqlite_set_setting,
  .insert_user = sqlite_insert_user,
  .update_user_revoked = sqlite_update_user_revoked,
  .list_users = sqlite_list_users,
  .insert_device = sqlite_insert_device,
  .update_device_baseline = sqlite_update_device_baseline,
  .list_devices = sqlite_list_devices,
  .put_blob = sqlite_put_blob,
  .get_blob = sqlite_get_blob,
  .delete_unused_blobs = sqlite_delete_unused_blobs,
  .insert_snapshot = sqlite_insert_snapshot,
  .list_snapshots = sqlite_list_snapshots,
  .get_snapshot = sqlite_get_snapshot,
  .insert_change = sqlite_insert_change,
  .update_change = sqlite_update_change,
  .list_changes = sqlite_list_changes,
  .get_change = sqlite_get_change,
  .insert_approval = sqlite_insert_approval,
  .list_approvals = sqlite_list_approvals,
  .insert_drift_check = sqlite_insert_drift_check,
  .list_drift_checks = sqlite_list_drift_checks,
  .delete_row = sqlite_delete_row,
  .insert_review_policy = sqlite_insert_review_policy,
  .list_review_policies = sqlite_list_review_policies,
  .insert_review = sqlite_insert_review,
  .list_reviews = sqlite_list_reviews,
  .list_review_rules = sqlite_list_review_rules,
  .insert_review_decision = sqlite_insert_review_decision,
  .list_review_decisions = sqlite_list_review_decisions,
  .insert_review_signoff = sqlite_insert_review_signoff,
  .list_review_signoffs = sqlite_list_review_signoffs,
  .append_audit = sqlite_append_audit,
  .get_last_audit = sqlite_get_last_audit,
  .foreach_audit = sqlite_foreach_audit,
};

/* Opening */

static gboolean
query_int (SqliteBackend *self, const char *sql, gint64 *out, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_error (self, rc == SQLITE_DONE ? SQLITE_ERROR : rc, "cannot read the store", error);
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The application id and schema version; 0 when there is none. */
static gboolean
read_version (SqliteBackend *self, gint64 *app_id, gint64 *version, GError **error)
{
  *version = 0;
  if (!query_int (self, "PRAGMA application_id", app_id, error))
    return FALSE;
  return *app_id != APPLICATION_ID ||
         query_int (self, "SELECT coalesce(max(version), 0) FROM migrations", version, error);
}

static gboolean
check_version (SqliteBackend *self, gint64 app_id, gint64 version, GError **error)
{
  int newest = migrations[G_N_ELEMENTS (migrations) - 1].version;
  if (app_id != APPLICATION_ID)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
                   "%s: not an fwreview store (a SQLite database of something else)", self->path);
      return FALSE;
    }
  if (version > newest)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
                   "%s: the store has schema version %" G_GINT64_FORMAT ", newer than this "
                   "fwreview knows (%d): upgrade fwreview", self->path, version, newest);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_migrations (SqliteBackend *self, gint64 current, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      if (migrations[i].version <= current)
        continue;
      g_autofree char *now = _fwr_now_iso ();
      g_autoptr (sqlite3_stmt) stmt = NULL;
      if (!exec (self, migrations[i].sql, "cannot migrate the store", error) ||
          (stmt = prepare (self, "INSERT INTO migrations (version, description, applied_at) "
                                 "VALUES (?, ?, ?)", error)) == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, migrations[i].version);
      bind_text (stmt, 2, migrations[i].description);
      bind_text (stmt, 3, now);
      if (!step_done (self, stmt, "cannot migrate the store", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
create_schema (SqliteBackend *self, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d", APPLICATION_ID);
  return exec (self, sql, "cannot create the store", error) &&
         exec (self, "CREATE TABLE migrations (version INTEGER PRIMARY KEY, "
                     "description TEXT NOT NULL, applied_at TEXT NOT NULL)",
               "cannot create the store", error);
}

/* Brings the schema to the newest version. An up-to-date store is only read, so opening one
 * that another process is writing never waits for the write lock. */
static gboolean
open_schema (SqliteBackend *self, gboolean create, GError **error)
{
  gint64 app_id = 0, current = 0;
  int newest = migrations[G_N_ELEMENTS (migrations) - 1].version;

  if (!create && (!read_version (self, &app_id, &current, error) ||
                  !check_version (self, app_id, current, error)))
    return FALSE;
  if (!create && current == newest)
    return TRUE;

  /* Another process may have migrated between the read and the lock: read again under it. */
  if (!exec (self, "BEGIN IMMEDIATE", "cannot open the store", error))
    return FALSE;
  gboolean ok = create ? create_schema (self, error)
                       : read_version (self, &app_id, &current, error) &&
                         check_version (self, app_id, current, error);
  if (ok && apply_migrations (self, current, error) &&
      exec (self, "COMMIT", "cannot open the store", error))
    return TRUE;
  sqlite_rollback (&self->parent);
  return FALSE;
}

/* Creates path with mode 0600 (its folder 0700) so the database never exists readable by
 * others, not even for a moment. */
static gboolean
create_private_file (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_IO, "%s: cannot create the folder: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, FWR_STORE_ERROR,
                   saved == EEXIST ? FWR_STORE_ERROR_EXISTS : FWR_STORE_ERROR_IO, "%s: %s", path,
                   saved == EEXIST ? "a store already exists here" : g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static guint
default_busy_timeout (void)
{
  const char *text = g_getenv ("FWR_BUSY_TIMEOUT_MS");
  guint64 value = 0;
  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &value, NULL))
    return (guint) value;
  return DEFAULT_BUSY_TIMEOUT_MS;
}

FwrStoreBackend *
_fwr_store_sqlite_open (const char *path, gboolean create, GError **error)
{
  if (create && !create_private_file (path, error))
    return NULL;
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND,
                   "%s: no store here (create one with “fwreview store init --admin NAME”)", path);
      return NULL;
    }

  SqliteBackend *self = g_new0 (SqliteBackend, 1);
  self->parent.klass = &sqlite_class;
  self->path = g_strdup (path);
  int rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, rc, "cannot open", error);
      sqlite_close (&self->parent);
      if (create)
        g_unlink (path);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite_set_busy_timeout (&self->parent, default_busy_timeout ());

  /* WAL lets readers go on while one writer writes; FULL sync makes a committed record
   * survive a power cut; the journal mode persists in the file. */
  if (!exec (self, "PRAGMA foreign_keys = ON", "cannot open", error) ||
      !exec (self, "PRAGMA synchronous = FULL", "cannot open", error) ||
      !exec (self, "PRAGMA journal_mode = WAL", "cannot open", error) ||
      !open_schema (self, create, error))
    {
      sqlite_close (&self->parent);
      if (create)
        {
          g_unlink (path);
          g_autofree char *wal = g_strconcat (path, "-wal", NULL);
          g_autofree char *shm = g_strconcat (path, "-shm", NULL);
          g_unlink (wal);
          g_unlink (shm);
        }
      return NULL;
    }
  return &self->parent;
}
