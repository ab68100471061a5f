/* fwr-store.c: opening and creating the store, users and roles, devices, snapshots and
 * retention; the canonical forms and hashes every audit record refers to. */
#include <gio/gio.h>
#include "fwr-enum-private.h"
#include <glib/gstdio.h>
#include <sodium.h>

#include "fwr-store-private.h"
#include "fwr-ruleset-json-private.h"

G_DEFINE_QUARK (fwr-store-error-quark, fwr_store_error)

static const char *role_names[] = { "admin", "supervisor", "auditor" };
static const char *state_names[] = { "submitted", "approved", "rejected", "implemented" };

const char *
fwr_role_to_string (FwrRole role)
{
  return role < G_N_ELEMENTS (role_names) ? role_names[role] : "unknown";
}

gboolean
fwr_role_from_string (const char *text, FwrRole *out)
{
  guint value;
  if (!_fwr_enum_from_name (role_names, G_N_ELEMENTS (role_names), text, &value))
    return FALSE;
  *out = (FwrRole) value;
  return TRUE;
}

const char *
fwr_change_state_to_string (FwrChangeState state)
{
  return state < G_N_ELEMENTS (state_names) ? state_names[state] : "unknown";
}

/* Records */

void
fwr_user_free (FwrUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->public_key);
  g_free (user->created_at);
  g_free (user->created_by);
  g_free (user->revoked_at);
  g_free (user->revoked_by);
  g_free (user);
}

void
fwr_device_free (FwrDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->owner);
  g_free (device->kind);
  g_free (device->zones);
  g_free (device->created_by);
  g_free (device->created_at);
  g_free (device);
}

void
fwr_snapshot_free (FwrSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_free (snapshot->kind);
  g_free (snapshot->format);
  g_free (snapshot->file);
  g_free (snapshot->sha256);
  g_free (snapshot->model_sha256);
  g_free (snapshot->imported_by);
  g_free (snapshot->imported_at);
  g_free (snapshot);
}

void
fwr_change_free (FwrChange *change)
{
  if (change == NULL)
    return;
  g_free (change->reason);
  g_free (change->ticket);
  g_free (change->submitted_by);
  g_free (change->submitted_at);
  g_free (change->decided_by);
  g_free (change->decided_at);
  g_free (change->implemented_by);
  g_free (change->implemented_at);
  g_free (change);
}

void
fwr_approval_free (FwrApproval *approval)
{
  if (approval == NULL)
    return;
  g_free (approval->approver);
  g_free (approval->public_key);
  g_free (approval->comment);
  g_free (approval->decided_at);
  g_free (approval->baseline_sha256);
  g_free (approval->proposed_sha256);
  g_free (approval->signature);
  g_free (approval);
}

void
fwr_drift_check_free (FwrDriftCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->running_sha256);
  g_free (check->checked_by);
  g_free (check->checked_at);
  g_free (check);
}

/* Canonical forms and hashes */

void
_fwr_canon_add_string (GString *out, const char *value)
{
  if (value == NULL)
    g_string_append (out, "~\n");
  else
    g_string_append_printf (out, "%zu:%s\n", strlen (value), value);
}

void
_fwr_canon_add_int (GString *out, gint64 value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  _fwr_canon_add_string (out, text);
}

/* libsodium's SHA-256 runs about three times as fast as GChecksum's, which counts for
 * configurations of tens of megabytes hashed on every import and verification. */
char *
_fwr_sha256_hex (const void *data, gsize length)
{
  unsigned char hash[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  _fwr_sodium_init ();
  crypto_hash_sha256 (hash, data, length);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, hash, sizeof hash));
}

GString *
_fwr_canon_new (const char *type)
{
  GString *out = g_string_new (NULL);
  _fwr_canon_add_string (out, type);
  return out;
}

char *
_fwr_canon_finish_text (GString *out, gsize *length)
{
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

char *
_fwr_canon_finish_sha256 (GString *out)
{
  char *hash = _fwr_sha256_hex (out->str, out->len);
  g_string_free (out, TRUE);
  return hash;
}

/* The hashes cover what never changes after a row is written; the mutable columns
 * (revocation, change state, baseline) are checked against the log's own records instead. */
char *
_fwr_user_dup_sha256 (const FwrUser *user)
{
  GString *out = _fwr_canon_new ("fwreview.user/1");
  _fwr_canon_add_int (out, user->id);
  _fwr_canon_add_string (out, user->name);
  _fwr_canon_add_string (out, fwr_role_to_string (user->role));
  _fwr_canon_add_string (out, user->public_key);
  _fwr_canon_add_string (out, user->created_at);
  _fwr_canon_add_string (out, user->created_by);
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_device_dup_sha256 (const FwrDevice *device)
{
  GString *out = _fwr_canon_new ("fwreview.device/1");
  _fwr_canon_add_int (out, device->id);
  _fwr_canon_add_string (out, device->name);
  _fwr_canon_add_string (out, device->owner);
  _fwr_canon_add_string (out, device->kind);
  _fwr_canon_add_string (out, device->zones);
  _fwr_canon_add_string (out, device->created_by);
  _fwr_canon_add_string (out, device->created_at);
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_snapshot_dup_sha256 (const FwrSnapshot *snapshot)
{
  GString *out = _fwr_canon_new ("fwreview.snapshot/1");
  _fwr_canon_add_int (out, snapshot->id);
  _fwr_canon_add_int (out, snapshot->device_id);
  _fwr_canon_add_string (out, snapshot->kind);
  _fwr_canon_add_string (out, snapshot->format);
  _fwr_canon_add_string (out, snapshot->file);
  _fwr_canon_add_string (out, snapshot->sha256);
  _fwr_canon_add_string (out, snapshot->model_sha256);
  _fwr_canon_add_int (out, snapshot->size);
  _fwr_canon_add_int (out, snapshot->n_rules);
  _fwr_canon_add_string (out, snapshot->imported_by);
  _fwr_canon_add_string (out, snapshot->imported_at);
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_change_dup_sha256 (const FwrChange *change)
{
  GString *out = _fwr_canon_new ("fwreview.change/1");
  _fwr_canon_add_int (out, change->id);
  _fwr_canon_add_int (out, change->device_id);
  _fwr_canon_add_int (out, change->is_baseline);
  _fwr_canon_add_int (out, change->baseline_snapshot_id);
  _fwr_canon_add_int (out, change->proposed_snapshot_id);
  _fwr_canon_add_string (out, change->reason);
  _fwr_canon_add_string (out, change->ticket);
  _fwr_canon_add_string (out, change->submitted_by);
  _fwr_canon_add_string (out, change->submitted_at);
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_approval_dup_sha256 (const FwrApproval *approval)
{
  GString *out = _fwr_canon_new ("fwreview.approval/1");
  _fwr_canon_add_int (out, approval->id);
  gsize length = 0;
  g_autofree char *signed_text = fwr_approval_dup_signed_text (approval, &length);
  _fwr_canon_add_string (out, signed_text);
  _fwr_canon_add_string (out, approval->public_key);
  _fwr_canon_add_string (out, approval->signature);
  return _fwr_canon_finish_sha256 (out);
}

char *
_fwr_drift_check_dup_sha256 (const FwrDriftCheck *check)
{
  GString *out = _fwr_canon_new ("fwreview.drift-check/1");
  _fwr_canon_add_int (out, check->id);
  _fwr_canon_add_int (out, check->device_id);
  _fwr_canon_add_int (out, check->snapshot_id);
  _fwr_canon_add_string (out, check->running_sha256);
  _fwr_canon_add_int (out, check->baseline_snapshot_id);
  _fwr_canon_add_int (out, check->drift);
  _fwr_canon_add_int (out, check->n_differences);
  _fwr_canon_add_string (out, check->checked_by);
  _fwr_canon_add_string (out, check->checked_at);
  return _fwr_canon_finish_sha256 (out);
}

gboolean
_fwr_time_before (const char *a, const char *b)
{
  return g_strcmp0 (a, b) < 0;
}

/* Compression */

static GBytes *
convert (GConverter *converter, const void *data, gsize length, GError **error)
{
  g_autoptr (GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) stream = g_converter_output_stream_new (memory, converter);
  if (!g_output_stream_write_all (stream, data, length, NULL, NULL, error) ||
      !g_output_stream_close (stream, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

GBytes *
_fwr_compress (const void *data, gsize length)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  g_autoptr (GError) error = NULL;
  GBytes *bytes = convert (G_CONVERTER (compressor), data, length, &error);
  /* Compressing into memory fails only when memory does, which GLib aborts on anyway. */
  g_assert_no_error (error);
  return bytes;
}

GBytes *
_fwr_decompress (GBytes *compressed, GError **error)
{
  g_autoptr (GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  gsize length = 0;
  const void *data = g_bytes_get_data (compressed, &length);
  g_autoptr (GError) local_error = NULL;
  GBytes *bytes = convert (G_CONVERTER (decompressor), data, length, &local_error);
  if (bytes == NULL)
    g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
                 "stored content is damaged: %s", local_error->message);
  return bytes;
}

/* Transactions */

gboolean
_fwr_store_begin (FwrStore *self, GError **error)
{
  return BACKEND (self)->begin_write (self->backend, error);
}

gboolean
_fwr_store_commit (FwrStore *self, GError **error)
{
  const char *hold = g_getenv ("FWR_TEST_HOLD_TRANSACTION_MS");
  guint64 ms = 0;
  if (hold != NULL && g_ascii_string_to_unsigned (hold, 10, 0, 600000, &ms, NULL) && ms > 0)
    g_usleep (ms * 1000);
  return BACKEND (self)->commit (self->backend, error);
}

void
_fwr_store_rollback (FwrStore *self)
{
  BACKEND (self)->rollback (self->backend);
}

gpointer
_fwr_store_read (FwrStore *self, FwrStoreReadFunc func, gconstpointer arg, GError **error)
{
  if (!BACKEND (self)->begin_read (self->backend, error))
    return NULL;
  gpointer result = func (self, arg, error);
  BACKEND (self)->rollback (self->backend);
  return result;
}

typedef struct {
  FwrStoreReadIdFunc func;
  gint64 id;
} IdRead;

static gpointer
read_id_func (FwrStore *self, gconstpointer arg, GError **error)
{
  const IdRead *read = arg;
  return read->func (self, read->id, error);
}

gpointer
_fwr_store_read_id (FwrStore *self, FwrStoreReadIdFunc func, gint64 id, GError **error)
{
  IdRead read = { func, id };
  return _fwr_store_read (self, read_id_func, &read, error);
}

typedef struct {
  FwrStoreListFunc list;
  gint64 key;
} RowsRead;

static gpointer
read_rows_func (FwrStore *self, gconstpointer arg, GError **error)
{
  const RowsRead *read = arg;
  return _fwr_rows_keep (read->list (self->backend, error), read->key);
}

GPtrArray *
_fwr_store_read_rows (FwrStore *self, FwrStoreListFunc list, gint64 key, GError **error)
{
  RowsRead read = { list, key };
  return _fwr_store_read (self, read_rows_func, &read, error);
}

/* Opening */

char *
fwr_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "fwreview", "store.db", NULL);
}

static gboolean
name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64 || !g_ascii_isalnum (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._@-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
check_name (const char *what, const char *name, GError **error)
{
  if (name_is_valid (name))
    return TRUE;
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
               "“%s” is not a valid %s name: use 1 to 64 letters, digits, “.”, “_”, “@” or “-”, "
               "starting with a letter or digit", name ? name : "", what);
  return FALSE;
}

static FwrStore *
store_new (const char *path, FwrStoreBackend *backend)
{
  FwrStore *self = g_new0 (FwrStore, 1);
  self->path = g_strdup (path);
  self->backend = backend;
  return self;
}

static gboolean
init_store (FwrStore *self, const FwrIdentity *admin, const char *admin_name, GError **error)
{
  g_autofree char *now = _fwr_now_iso ();
  g_autofree char *store_id = g_uuid_string_random ();
  g_autofree char *retention = g_strdup_printf ("%d", FWR_STORE_MIN_RETENTION_MONTHS);
  g_autoptr (FwrUser) user = g_new0 (FwrUser, 1);
  user->name = g_strdup (admin_name);
  user->role = FWR_ROLE_ADMIN;
  user->public_key = g_strdup (fwr_identity_get_public_key (admin));
  user->created_at = g_strdup (now);

  if (!_fwr_store_begin (self, error))
    return FALSE;
  g_autofree char *hash = NULL;
  if (!BACKEND (self)->set_setting (self->backend, FWR_SETTING_STORE_ID, store_id, error) ||
      !BACKEND (self)->set_setting (self->backend, FWR_SETTING_RETENTION, retention, error) ||
      !BACKEND (self)->insert_user (self->backend, user, error) ||
      !_fwr_audit_append (self, admin, user, "store.init", "user", user->id,
                          hash = _fwr_user_dup_sha256 (user),
                          json_pack ("{s:s, s:s, s:s, s:s, s:i}", "store_id", store_id,
                                     "name", user->name, "role", "admin",
                                     "public_key", user->public_key,
                                     "retention_months", FWR_STORE_MIN_RETENTION_MONTHS),
                          error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

FwrStore *
fwr_store_create (const char *path, const FwrIdentity *admin, const char *admin_name, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if (!check_name ("user", admin_name, error))
    return NULL;
  FwrStoreBackend *backend = _fwr_store_sqlite_open (path, TRUE, error);
  if (backend == NULL)
    return NULL;
  g_autoptr (FwrStore) self = store_new (path, backend);
  if (!init_store (self, admin, admin_name, error))
    {
      /* A store without its first admin is no store: leave nothing behind. */
      g_clear_pointer (&self, fwr_store_free);
      const char *suffixes[] = { "", "-wal", "-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
          g_unlink (file);
        }
      return NULL;
    }
  return g_steal_pointer (&self);
}

FwrStore *
fwr_store_open (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  FwrStoreBackend *backend = _fwr_store_sqlite_open (path, FALSE, error);
  return backend ? store_new (path, backend) : NULL;
}

void
fwr_store_free (FwrStore *self)
{
  if (self == NULL)
    return;
  self->backend->klass->close (self->backend);
  g_clear_pointer (&self->drift_baseline, fwr_ruleset_unref);
  g_clear_pointer (&self->drift_baseline_snapshot, fwr_snapshot_free);
  g_free (self->path);
  g_free (self);
}

const char *
fwr_store_get_path (const FwrStore *self)
{
  return self->path;
}

static gpointer
dup_id_func (FwrStore *self, gconstpointer arg, GError **error)
{
  return BACKEND (self)->get_setting (self->backend, FWR_SETTING_STORE_ID, error);
}

char *
fwr_store_dup_id (FwrStore *self, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read (self, dup_id_func, NULL, error);
}

void
fwr_store_set_busy_timeout (FwrStore *self, guint milliseconds)
{
  BACKEND (self)->set_busy_timeout (self->backend, milliseconds);
}

/* Users */

static char *
dup_roles_text (guint allowed)
{
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (allowed & (1u << i))
      g_string_append_printf (out, "%s%s", out->len ? " or " : "", role_names[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

FwrUser *
_fwr_store_authorize (FwrStore *self, const FwrIdentity *actor, guint allowed,
                      const char *what_for, GError **error)
{
  return _fwr_store_authorize_key (self, fwr_identity_get_public_key (actor), allowed, what_for,
                                   error);
}

FwrUser *
_fwr_store_authorize_key (FwrStore *self, const char *key, guint allowed, const char *what_for,
                          GError **error)
{
  g_autoptr (GPtrArray) users = BACKEND (self)->list_users (self->backend, error);
  if (users == NULL)
    return NULL;
  for (guint i = 0; i < users->len; i++)
    {
      FwrUser *user = g_ptr_array_index (users, i);
      if (!g_str_equal (user->public_key, key))
        continue;
      if (user->revoked_at != NULL)
        {
          g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                       "%s's key was revoked on %s by %s: it may not be used for %s",
                       user->name, user->revoked_at, user->revoked_by, what_for);
          return NULL;
        }
      if ((allowed & (1u << user->role)) == 0)
        {
          g_autofree char *roles = dup_roles_text (allowed);
          g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                       "%s is %s %s: %s needs the role %s", user->name,
                       user->role == FWR_ROLE_ADMIN || user->role == FWR_ROLE_AUDITOR ? "an" : "a",
                       fwr_role_to_string (user->role), what_for, roles);
          return NULL;
        }
      return g_ptr_array_steal_index (users, i);
    }
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
               "the key %s is not registered in this store: %s needs a registered user "
               "(an admin adds it with “fwreview user add”)", key, what_for);
  return NULL;
}

gboolean
fwr_store_add_user (FwrStore *self, const FwrIdentity *actor, const char *name, FwrRole role,
                    const char *public_key, gint64 *out_id, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL, FALSE);

  if (!check_name ("user", name, error))
    return FALSE;
  if (role > FWR_ROLE_AUDITOR)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID, "unknown role");
      return FALSE;
    }
  if (!fwr_public_key_is_valid (public_key))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID,
                   "“%s” is not a public key (the base64 text “fwreview key generate” prints)",
                   public_key ? public_key : "");
      return FALSE;
    }
  if (!_fwr_store_begin (self, error))
    return FALSE;

  g_autoptr (FwrUser) admin = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_ADMIN),
                                                    "adding a user", error);
  g_autoptr (FwrUser) user = g_new0 (FwrUser, 1);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *hash = NULL;
  user->name = g_strdup (name);
  user->role = role;
  user->public_key = g_strdup (public_key);
  user->created_at = _fwr_now_iso ();
  user->created_by = admin ? g_strdup (admin->name) : NULL;
  if (admin == NULL ||
      !BACKEND (self)->insert_user (self->backend, user, &local_error) ||
      !_fwr_audit_append (self, actor, admin, "user.add", "user", user->id,
                          hash = _fwr_user_dup_sha256 (user),
                          json_pack ("{s:s, s:s, s:s}", "name", name, "role",
                                     fwr_role_to_string (role), "public_key", public_key),
                          &local_error) ||
      !_fwr_store_commit (self, &local_error))
    {
      _fwr_store_rollback (self);
      if (local_error != NULL && g_error_matches (local_error, FWR_STORE_ERROR, FWR_STORE_ERROR_EXISTS))
        g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_EXISTS,
                     "a user named “%s” or with this key exists already; names and keys are "
                     "never reused, roles never edited: revoke and add a new user", name);
      else if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = user->id;
  return TRUE;
}

static FwrUser *
find_user (GPtrArray *users, const char *name)
{
  for (guint i = 0; i < users->len; i++)
    {
      FwrUser *user = g_ptr_array_index (users, i);
      if (g_str_equal (user->name, name))
        return user;
    }
  return NULL;
}

gboolean
fwr_store_revoke_user (FwrStore *self, const FwrIdentity *actor, const char *name, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && name != NULL, FALSE);

  if (!_fwr_store_begin (self, error))
    return FALSE;
  g_autoptr (FwrUser) admin = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_ADMIN),
                                                    "revoking a user", error);
  g_autoptr (GPtrArray) users = admin ? BACKEND (self)->list_users (self->backend, error) : NULL;
  FwrUser *user = users ? find_user (users, name) : NULL;
  if (users != NULL && user == NULL)
    g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND, "no user named “%s”", name);
  else if (user != NULL && user->revoked_at != NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_STATE,
                   "%s was revoked already, on %s by %s", name, user->revoked_at, user->revoked_by);
      user = NULL;
    }
  else if (user != NULL && user->id == admin->id)
    {
      /* The store must keep an admin able to act; another admin revokes this one. */
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                   "%s may not revoke their own key: another admin must do it", name);
      user = NULL;
    }

  g_autofree char *hash = NULL;
  if (user != NULL)
    {
      user->revoked_at = _fwr_now_iso ();
      user->revoked_by = g_strdup (admin->name);
    }
  if (user == NULL ||
      !BACKEND (self)->update_user_revoked (self->backend, user, error) ||
      !_fwr_audit_append (self, actor, admin, "user.revoke", "user", user->id,
                          hash = _fwr_user_dup_sha256 (user),
                          json_pack ("{s:s, s:s, s:s}", "name", name, "role",
                                     fwr_role_to_string (user->role), "public_key", user->public_key),
                          error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gpointer
list_users_func (FwrStore *self, gconstpointer arg, GError **error)
{
  return BACKEND (self)->list_users (self->backend, error);
}

GPtrArray *
fwr_store_list_users (FwrStore *self, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read (self, list_users_func, NULL, error);
}

/* Devices */

FwrDevice *
_fwr_store_find_device (FwrStore *self, const char *name, GError **error)
{
  g_autoptr (GPtrArray) devices = BACKEND (self)->list_devices (self->backend, error);
  if (devices == NULL)
    return NULL;
  for (guint i = 0; i < devices->len; i++)
    if (g_str_equal (((FwrDevice *) g_ptr_array_index (devices, i))->name, name))
      return g_ptr_array_steal_index (devices, i);
  g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND,
               "no device named “%s” (add it with “fwreview device add %s”)", name, name);
  return NULL;
}

gboolean
fwr_store_add_device (FwrStore *self, const FwrIdentity *actor, const char *name,
                      const char *owner, const char *kind, const char *zones,
                      gint64 *out_id, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL, FALSE);

  if (!check_name ("device", name, error))
    return FALSE;
  if (zones != NULL)
    {
      g_autoptr (GError) zones_error = NULL;
      g_autoptr (FwrZoneMap) map = fwr_zone_map_new_from_data ("zones file", zones, strlen (zones),
                                                               &zones_error);
      if (map == NULL)
        {
          g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID, "%s", zones_error->message);
          return FALSE;
        }
    }
  if (!_fwr_store_begin (self, error))
    return FALSE;

  g_autoptr (FwrUser) admin = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_ADMIN),
                                                    "adding a device", error);
  g_autoptr (FwrDevice) device = g_new0 (FwrDevice, 1);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *hash = NULL;
  device->name = g_strdup (name);
  device->owner = g_strdup (owner);
  device->kind = g_strdup (kind ? kind : "nftables");
  device->zones = g_strdup (zones);
  device->created_at = _fwr_now_iso ();
  device->created_by = admin ? g_strdup (admin->name) : NULL;
  if (admin == NULL ||
      !BACKEND (self)->insert_device (self->backend, device, &local_error) ||
      !_fwr_audit_append (self, actor, admin, "device.add", "device", device->id,
                          hash = _fwr_device_dup_sha256 (device),
                          json_pack ("{s:s, s:s?, s:s, s:b}", "name", name, "owner", owner,
                                     "kind", device->kind, "zones", zones != NULL),
                          &local_error) ||
      !_fwr_store_commit (self, &local_error))
    {
      _fwr_store_rollback (self);
      if (local_error != NULL && g_error_matches (local_error, FWR_STORE_ERROR, FWR_STORE_ERROR_EXISTS))
        g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_EXISTS,
                     "a device named “%s” exists already", name);
      else if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = device->id;
  return TRUE;
}

static gpointer
get_device_func (FwrStore *self, gconstpointer name, GError **error)
{
  return _fwr_store_find_device (self, name, error);
}

FwrDevice *
fwr_store_get_device (FwrStore *self, const char *name, GError **error)
{
  g_return_val_if_fail (self != NULL && name != NULL, NULL);
  return _fwr_store_read (self, get_device_func, name, error);
}

FwrDevice *
fwr_store_get_device_by_id (FwrStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_id (self, (FwrStoreReadIdFunc) _fwr_store_find_device_by_id, id, error);
}

static gpointer
list_devices_func (FwrStore *self, gconstpointer arg, GError **error)
{
  return BACKEND (self)->list_devices (self->backend, error);
}

GPtrArray *
fwr_store_list_devices (FwrStore *self, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read (self, list_devices_func, NULL, error);
}

FwrZoneMap *
fwr_store_dup_device_zones (FwrStore *self, const FwrDevice *device, GError **error)
{
  g_return_val_if_fail (device != NULL, NULL);
  if (device->zones == NULL)
    return NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *name = g_strdup_printf ("zones of device %s", device->name);
  FwrZoneMap *map = fwr_zone_map_new_from_data (name, device->zones, strlen (device->zones),
                                                &local_error);
  if (map == NULL)
    g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT, "%s", local_error->message);
  return map;
}

/* Snapshots */

void
_fwr_prepared_snapshot_free (FwrPreparedSnapshot *prepared)
{
  if (prepared == NULL)
    return;
  g_clear_pointer (&prepared->ruleset, fwr_ruleset_unref);
  g_free (prepared->file);
  g_free (prepared->sha256);
  g_free (prepared->model_sha256);
  g_clear_pointer (&prepared->original_z, g_bytes_unref);
  g_clear_pointer (&prepared->model_z, g_bytes_unref);
  g_free (prepared);
}

FwrPreparedSnapshot *
_fwr_prepared_snapshot_new (const char *file_name, const char *data, gsize length, GError **error)
{
  g_autoptr (GError) import_error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_import_data (file_name, data, length, FWR_FORMAT_UNKNOWN,
                                                    &import_error);
  if (ruleset == NULL)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_INVALID, "%s", import_error->message);
      return NULL;
    }
  g_autoptr (FwrPreparedSnapshot) prepared = g_new0 (FwrPreparedSnapshot, 1);
  prepared->ruleset = g_steal_pointer (&ruleset);
  prepared->file = g_path_get_basename (file_name);
  prepared->sha256 = _fwr_sha256_hex (data, length);
  prepared->size = (gint64) length;
  prepared->data = data;
  return g_steal_pointer (&prepared);
}

void
_fwr_prepared_snapshot_seal (FwrPreparedSnapshot *prepared)
{
  if (prepared->original_z != NULL)
    return;
  gsize model_length = 0;
  g_autofree char *model = _fwr_ruleset_to_json (prepared->ruleset, &model_length);
  prepared->model_sha256 = _fwr_sha256_hex (model, model_length);
  prepared->model_size = (gint64) model_length;
  prepared->original_z = _fwr_compress (prepared->data, (gsize) prepared->size);
  prepared->model_z = _fwr_compress (model, model_length);
  prepared->data = NULL;
}

gboolean
_fwr_store_insert_snapshot (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                            const FwrDevice *device, const char *kind,
                            FwrPreparedSnapshot *prepared, FwrSnapshot **out, GError **error)
{
  g_return_val_if_fail (prepared->original_z != NULL, FALSE);
  g_autoptr (FwrSnapshot) snapshot = g_new0 (FwrSnapshot, 1);
  snapshot->device_id = device->id;
  snapshot->kind = g_strdup (kind);
  snapshot->format = g_strdup (fwr_ruleset_get_format (prepared->ruleset));
  snapshot->file = g_strdup (prepared->file);
  snapshot->sha256 = g_strdup (prepared->sha256);
  snapshot->model_sha256 = g_strdup (prepared->model_sha256);
  snapshot->size = prepared->size;
  snapshot->n_rules = fwr_ruleset_get_n_rules (prepared->ruleset);
  snapshot->imported_by = g_strdup (user->name);
  snapshot->imported_at = _fwr_now_iso ();

  g_autofree char *hash = NULL;
  if (!BACKEND (self)->put_blob (self->backend, prepared->sha256, prepared->size,
                                 prepared->original_z, error) ||
      !BACKEND (self)->put_blob (self->backend, prepared->model_sha256, prepared->model_size,
                                 prepared->model_z, error) ||
      !BACKEND (self)->insert_snapshot (self->backend, snapshot, error) ||
      !_fwr_audit_append (self, actor, user, "snapshot.import", "snapshot", snapshot->id,
                          hash = _fwr_snapshot_dup_sha256 (snapshot),
                          json_pack ("{s:s, s:s, s:s, s:s, s:i}", "device", device->name,
                                     "kind", kind, "file", snapshot->file, "sha256", snapshot->sha256,
                                     "rules", (int) snapshot->n_rules),
                          error))
    return FALSE;
  if (out != NULL)
    *out = g_steal_pointer (&snapshot);
  return TRUE;
}

/* A device needs a baseline change when it has no approved baseline and none is pending. */
static gboolean
needs_baseline_change (FwrStore *self, const FwrDevice *device, gboolean *out, GError **error)
{
  *out = FALSE;
  if (device->baseline_snapshot_id != 0)
    return TRUE;
  g_autoptr (GPtrArray) changes = BACKEND (self)->list_changes (self->backend, error);
  if (changes == NULL)
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (changes, i);
      if (change->device_id == device->id && change->is_baseline &&
          change->state == FWR_CHANGE_SUBMITTED)
        return TRUE;
    }
  *out = TRUE;
  return TRUE;
}

static gboolean
open_baseline_change (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                      const FwrDevice *device, const FwrSnapshot *snapshot, gint64 *out_change,
                      GError **error)
{
  g_autoptr (FwrChange) change = g_new0 (FwrChange, 1);
  change->device_id = device->id;
  change->is_baseline = TRUE;
  change->proposed_snapshot_id = snapshot->id;
  change->reason = g_strdup_printf ("baseline: the first configuration of %s on record", device->name);
  change->submitted_by = g_strdup (user->name);
  change->submitted_at = _fwr_now_iso ();
  change->state = FWR_CHANGE_SUBMITTED;

  g_autofree char *hash = NULL;
  if (!BACKEND (self)->insert_change (self->backend, change, error) ||
      !_fwr_audit_append (self, actor, user, "change.submit", "change", change->id,
                          hash = _fwr_change_dup_sha256 (change),
                          json_pack ("{s:s, s:b, s:I, s:s}", "device", device->name,
                                     "baseline", TRUE, "proposed_snapshot",
                                     (json_int_t) snapshot->id, "proposed_sha256", snapshot->sha256),
                          error))
    return FALSE;
  *out_change = change->id;
  return TRUE;
}

gboolean
fwr_store_import (FwrStore *self, const FwrIdentity *actor, const char *device_name,
                  const char *file_name, const char *data, gsize length,
                  gint64 *out_snapshot, gint64 *out_change, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && device_name != NULL, FALSE);
  g_return_val_if_fail (file_name != NULL && (data != NULL || length == 0), FALSE);

  /* The slow part (parsing, compressing) happens before the lock is taken. */
  g_autoptr (FwrPreparedSnapshot) prepared = _fwr_prepared_snapshot_new (file_name, data, length, error);
  if (prepared == NULL)
    return FALSE;
  _fwr_prepared_snapshot_seal (prepared);
  if (!_fwr_store_begin (self, error))
    return FALSE;

  g_autoptr (FwrUser) user = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_ADMIN),
                                                   "importing a configuration", error);
  g_autoptr (FwrDevice) device = user ? _fwr_store_find_device (self, device_name, error) : NULL;
  g_autoptr (FwrSnapshot) snapshot = NULL;
  gboolean needs_baseline = FALSE;
  gint64 change_id = 0;
  if (device == NULL ||
      !needs_baseline_change (self, device, &needs_baseline, error) ||
      !_fwr_store_insert_snapshot (self, actor, user, device, "import", prepared, &snapshot, error) ||
      (needs_baseline &&
       !open_baseline_change (self, actor, user, device, snapshot, &change_id, error)) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  if (out_snapshot != NULL)
    *out_snapshot = snapshot->id;
  if (out_change != NULL)
    *out_change = change_id;
  return TRUE;
}

gpointer
_fwr_store_found_row (gpointer row, GError *lookup_error, const char *what, gint64 id, GError **error)
{
  if (row == NULL && lookup_error == NULL)
    g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_NOT_FOUND, "no %s %" G_GINT64_FORMAT, what, id);
  else if (row == NULL)
    g_propagate_error (error, lookup_error);
  else
    g_clear_error (&lookup_error);
  return row;
}

FwrSnapshot *
_fwr_store_find_snapshot (FwrStore *self, gint64 id, GError **error)
{
  GError *local_error = NULL;
  FwrSnapshot *snapshot = BACKEND (self)->get_snapshot (self->backend, id, &local_error);
  return _fwr_store_found_row (snapshot, local_error, "snapshot", id, error);
}

FwrSnapshot *
fwr_store_get_snapshot (FwrStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_id (self, (FwrStoreReadIdFunc) _fwr_store_find_snapshot, id, error);
}

GPtrArray *
_fwr_rows_keep (GPtrArray *rows, gint64 key)
{
  for (guint i = rows ? rows->len : 0; key != 0 && i > 0; i--)
    if (((const gint64 *) g_ptr_array_index (rows, i - 1))[1] != key)
      g_ptr_array_remove_index (rows, i - 1);
  return rows;
}

gboolean
_fwr_text_is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

GPtrArray *
fwr_store_list_snapshots (FwrStore *self, gint64 device_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_rows (self, BACKEND (self)->list_snapshots, device_id, error);
}

/* The decompressed blob, checked against its hash: a damaged store is never read silently. */
static GBytes *
load_blob (FwrStore *self, const char *sha256, const char *what, GError **error)
{
  g_autoptr (GBytes) compressed = BACKEND (self)->get_blob (self->backend, sha256, error);
  if (compressed == NULL)
    return NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GBytes) bytes = _fwr_decompress (compressed, &local_error);
  g_autofree char *actual = bytes ? _fwr_sha256_hex (g_bytes_get_data (bytes, NULL),
                                                     g_bytes_get_size (bytes)) : NULL;
  if (bytes == NULL || !g_str_equal (actual, sha256))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
                   "%s: the stored %s is damaged (%s)", self->path, what,
                   bytes ? "its SHA-256 does not match" : local_error->message);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

FwrRuleset *
_fwr_store_read_ruleset (FwrStore *self, gint64 snapshot_id, GError **error)
{
  g_autoptr (FwrSnapshot) snapshot = _fwr_store_find_snapshot (self, snapshot_id, error);
  if (snapshot == NULL)
    return NULL;
  g_autofree char *what = g_strdup_printf ("model of snapshot %" G_GINT64_FORMAT, snapshot->id);
  g_autoptr (GBytes) model = load_blob (self, snapshot->model_sha256, what, error);
  if (model == NULL)
    return NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (model, &length);
  FwrRuleset *ruleset = _fwr_ruleset_from_json (snapshot->file, data, length, &local_error);
  if (ruleset == NULL)
    g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT, "%s", local_error->message);
  return ruleset;
}

FwrRuleset *
fwr_store_load_ruleset (FwrStore *self, gint64 snapshot_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_id (self, (FwrStoreReadIdFunc) _fwr_store_read_ruleset, snapshot_id, error);
}

static GBytes *
read_snapshot_data (FwrStore *self, gint64 snapshot_id, GError **error)
{
  g_autoptr (FwrSnapshot) snapshot = _fwr_store_find_snapshot (self, snapshot_id, error);
  if (snapshot == NULL)
    return NULL;
  g_autofree char *what = g_strdup_printf ("configuration of snapshot %" G_GINT64_FORMAT, snapshot->id);
  return load_blob (self, snapshot->sha256, what, error);
}

GBytes *
fwr_store_dup_snapshot_data (FwrStore *self, gint64 snapshot_id, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read_id (self, (FwrStoreReadIdFunc) read_snapshot_data, snapshot_id, error);
}

/* Retention */

static gboolean
read_retention (FwrStore *self, guint *out_months, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = BACKEND (self)->get_setting (self->backend, FWR_SETTING_RETENTION,
                                                       &local_error);
  guint64 months = 0;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, FWR_STORE_MIN_RETENTION_MONTHS,
                                                   1200, &months, NULL))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
                     "%s: the retention setting is missing or below %d months", self->path,
                     FWR_STORE_MIN_RETENTION_MONTHS);
      return FALSE;
    }
  *out_months = (guint) months;
  return TRUE;
}

static gpointer
retention_func (FwrStore *self, gconstpointer out, GError **error)
{
  return read_retention (self, (guint *) out, error) ? GUINT_TO_POINTER (1) : NULL;
}

gboolean
fwr_store_get_retention_months (FwrStore *self, guint *out_months, GError **error)
{
  g_return_val_if_fail (self != NULL && out_months != NULL, FALSE);
  return _fwr_store_read (self, retention_func, out_months, error) != NULL;
}

gboolean
fwr_store_set_retention_months (FwrStore *self, const FwrIdentity *actor, guint months,
                                GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL, FALSE);
  if (months < FWR_STORE_MIN_RETENTION_MONTHS || months > 1200)
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                   "retention must be between %d months (the checklist's three years) and 1200",
                   FWR_STORE_MIN_RETENTION_MONTHS);
      return FALSE;
    }
  if (!_fwr_store_begin (self, error))
    return FALSE;
  g_autoptr (FwrUser) admin = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_ADMIN),
                                                    "changing the retention period", error);
  g_autofree char *text = g_strdup_printf ("%u", months);
  if (admin == NULL ||
      !BACKEND (self)->set_setting (self->backend, FWR_SETTING_RETENTION, text, error) ||
      !_fwr_audit_append (self, actor, admin, "settings.retention", NULL, 0, NULL,
                          json_pack ("{s:i}", "retention_months", (int) months), error) ||
      !_fwr_store_commit (self, error))
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Purge */

typedef struct {
  GPtrArray *devices;
  GPtrArray *snapshots;
  GPtrArray *changes;
  GPtrArray *approvals;
  GPtrArray *drift_checks;
  GPtrArray *reviews;
} Tables;

static void
tables_clear (Tables *tables)
{
  g_clear_pointer (&tables->devices, g_ptr_array_unref);
  g_clear_pointer (&tables->snapshots, g_ptr_array_unref);
  g_clear_pointer (&tables->changes, g_ptr_array_unref);
  g_clear_pointer (&tables->approvals, g_ptr_array_unref);
  g_clear_pointer (&tables->drift_checks, g_ptr_array_unref);
  g_clear_pointer (&tables->reviews, g_ptr_array_unref);
}

static gboolean
tables_load (FwrStore *self, Tables *tables, GError **error)
{
  const FwrStoreBackendClass *klass = BACKEND (self);
  return (tables->devices = klass->list_devices (self->backend, error)) != NULL &&
         (tables->snapshots = klass->list_snapshots (self->backend, error)) != NULL &&
         (tables->changes = klass->list_changes (self->backend, error)) != NULL &&
         (tables->approvals = klass->list_approvals (self->backend, error)) != NULL &&
         (tables->drift_checks = klass->list_drift_checks (self->backend, error)) != NULL &&
         (tables->reviews = _fwr_review_load_all (self, 0, error)) != NULL;
}

static const FwrDevice *
device_of (const Tables *tables, gint64 id)
{
  for (guint i = 0; i < tables->devices->len; i++)
    if (((FwrDevice *) g_ptr_array_index (tables->devices, i))->id == id)
      return g_ptr_array_index (tables->devices, i);
  return NULL;
}

/* A change may go when it is closed and old: rejected, implemented, or an approval that can no
 * longer be implemented, and not what a device's baseline rests on. */
static gboolean
change_is_purgeable (const Tables *tables, const FwrChange *change, const char *before)
{
  const FwrDevice *device = device_of (tables, change->device_id);
  const char *last = change->implemented_at ? change->implemented_at
                     : change->decided_at ? change->decided_at : change->submitted_at;
  if (!_fwr_time_before (last, before) || change->state == FWR_CHANGE_SUBMITTED ||
      (device != NULL && device->baseline_change_id == change->id))
    return FALSE;
  if (change->state == FWR_CHANGE_APPROVED && !change->is_baseline && device != NULL &&
      device->baseline_snapshot_id == change->baseline_snapshot_id)
    return FALSE;
  return TRUE;
}

static void
add_removed (json_t *removed, const char *type, gint64 id, const char *sha256)
{
  json_array_append_new (removed, json_pack ("{s:s, s:I, s:s}", "type", type,
                                             "id", (json_int_t) id, "sha256", sha256));
}

/* Chooses what goes, fills removed and counts, and marks snapshots still in use. */
static void
select_purge (const Tables *tables, const char *before, GHashTable *keep_snapshots,
              GArray *doomed, json_t *removed, FwrPurgeCounts *counts)
{
  g_autoptr (GHashTable) doomed_changes = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) keep_changes = g_hash_table_new (g_int64_hash, g_int64_equal);

  /* Reviews go first: their decisions refer to changes, the reviews to snapshots. */
  counts->reviews = _fwr_review_select_purge (tables->reviews, before, keep_snapshots, keep_changes,
                                              doomed, removed);

  for (guint i = 0; i < tables->devices->len; i++)
    {
      FwrDevice *device = g_ptr_array_index (tables->devices, i);
      g_hash_table_add (keep_snapshots, &device->baseline_snapshot_id);
    }
  for (guint i = 0; i < tables->changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (tables->changes, i);
      if (!change_is_purgeable (tables, change, before) ||
          g_hash_table_contains (keep_changes, &change->id))
        {
          g_hash_table_add (keep_snapshots, &change->baseline_snapshot_id);
          g_hash_table_add (keep_snapshots, &change->proposed_snapshot_id);
          g_hash_table_add (keep_snapshots, &change->implemented_snapshot_id);
          continue;
        }
      g_hash_table_add (doomed_changes, &change->id);
      g_autofree char *hash = _fwr_change_dup_sha256 (change);
      add_removed (removed, "change", change->id, hash);
      counts->changes++;
    }
  /* Approvals go before their change (foreign keys), changes before their snapshots. */
  for (guint i = 0; i < tables->approvals->len; i++)
    {
      FwrApproval *approval = g_ptr_array_index (tables->approvals, i);
      if (!g_hash_table_contains (doomed_changes, &approval->change_id))
        continue;
      g_autofree char *hash = _fwr_approval_dup_sha256 (approval);
      add_removed (removed, "approval", approval->id, hash);
      g_array_append_vals (doomed, (gint64[]) { FWR_ROW_APPROVAL, approval->id }, 2);
      counts->approvals++;
    }
  for (guint i = 0; i < tables->changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (tables->changes, i);
      if (g_hash_table_contains (doomed_changes, &change->id))
        g_array_append_vals (doomed, (gint64[]) { FWR_ROW_CHANGE, change->id }, 2);
    }
  for (guint i = 0; i < tables->drift_checks->len; i++)
    {
      FwrDriftCheck *check = g_ptr_array_index (tables->drift_checks, i);
      if (!_fwr_time_before (check->checked_at, before))
        {
          g_hash_table_add (keep_snapshots, &check->snapshot_id);
          g_hash_table_add (keep_snapshots, &check->baseline_snapshot_id);
          continue;
        }
      g_autofree char *hash = _fwr_drift_check_dup_sha256 (check);
      add_removed (removed, "drift-check", check->id, hash);
      g_array_append_vals (doomed, (gint64[]) { FWR_ROW_DRIFT_CHECK, check->id }, 2);
      counts->drift_checks++;
    }
  for (guint i = 0; i < tables->snapshots->len; i++)
    {
      FwrSnapshot *snapshot = g_ptr_array_index (tables->snapshots, i);
      if (!_fwr_time_before (snapshot->imported_at, before) ||
          g_hash_table_contains (keep_snapshots, &snapshot->id))
        continue;
      g_autofree char *hash = _fwr_snapshot_dup_sha256 (snapshot);
      add_removed (removed, "snapshot", snapshot->id, hash);
      g_array_append_vals (doomed, (gint64[]) { FWR_ROW_SNAPSHOT, snapshot->id }, 2);
      counts->snapshots++;
    }
}

static gboolean
check_retention (FwrStore *self, GDateTime *before, guint *out_months, GError **error)
{
  if (!read_retention (self, out_months, error))
    return FALSE;
  g_autoptr (GDateTime) now = _fwr_now ();
  g_autoptr (GDateTime) limit = g_date_time_add_months (now, -(gint) *out_months);
  if (g_date_time_compare (before, limit) > 0)
    {
      g_autofree char *before_text = _fwr_time_format (before);
      g_autofree char *limit_text = _fwr_time_format (limit);
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_FORBIDDEN,
                   "refusing to purge up to %s: records are kept %u months, so nothing after "
                   "%s may go yet", before_text, *out_months, limit_text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
delete_rows (FwrStore *self, GArray *doomed, GError **error)
{
  for (guint i = 0; i + 1 < doomed->len; i += 2)
    if (!BACKEND (self)->delete_row (self->backend, (FwrRowType) g_array_index (doomed, gint64, i),
                                     g_array_index (doomed, gint64, i + 1), error))
      return FALSE;
  return BACKEND (self)->delete_unused_blobs (self->backend, NULL, error);
}

gboolean
fwr_store_purge (FwrStore *self, const FwrIdentity *actor, GDateTime *before,
                 FwrPurgeCounts *out_counts, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && before != NULL, FALSE);

  if (!_fwr_store_begin (self, error))
    return FALSE;
  Tables tables = { 0 };
  FwrPurgeCounts counts = { 0 };
  guint months = 0;
  g_autofree char *before_text = _fwr_time_format (before);
  g_autoptr (GHashTable) keep = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (json_t) removed = json_array ();
  g_autoptr (FwrUser) admin = _fwr_store_authorize (self, actor, ROLE (FWR_ROLE_ADMIN),
                                                    "purging old records", error);
  gboolean ok = admin != NULL && check_retention (self, before, &months, error) &&
                tables_load (self, &tables, error);
  if (ok)
    select_purge (&tables, before_text, keep, doomed, removed, &counts);
  ok = ok && delete_rows (self, doomed, error) &&
       _fwr_audit_append (self, actor, admin, "store.purge", NULL, 0, NULL,
                          json_pack ("{s:s, s:i, s:O}", "before", before_text,
                                     "retention_months", (int) months, "removed", removed),
                          error) &&
       _fwr_store_commit (self, error);
  tables_clear (&tables);
  if (!ok)
    {
      _fwr_store_rollback (self);
      return FALSE;
    }
  if (out_counts != NULL)
    *out_counts = counts;
  return TRUE;
}
