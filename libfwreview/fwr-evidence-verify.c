/* fwr-evidence-verify.c: checking an evidence bundle with no store at hand: the manifest and
 * its signature, every file, the audit records' chain and signatures, the signed decisions. */
#include <glib/gstdio.h>

#include "fwr-evidence-private.h"

void
fwr_evidence_check_free (FwrEvidenceCheck *check)
{
  if (check == NULL)
    return;
  g_ptr_array_unref (check->problems);
  g_free (check->device);
  g_free (check->period_from);
  g_free (check->period_to);
  g_free (check->exported_by);
  g_free (check->exported_at);
  g_free (check->head_sha256);
  g_free (check);
}

typedef struct {
  char *name;
  FwrRole role;
  gint64 registered_seq;
  gint64 revoked_seq;       /* 0 while valid */
} Key;

static void
key_free (Key *key)
{
  g_free (key->name);
  g_free (key);
}

typedef struct {
  const char *dir;
  FwrEvidenceCheck *check;
  GHashTable *keys;         /* public key -> Key, from the bundle's key records */
  GHashTable *subjects;     /* "type:id" -> subject_sha256, from the period's records */
} Verifier;

static void G_GNUC_PRINTF (2, 3)
problem (Verifier *v, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_ptr_array_add (v->check->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static const char *
get_string (json_t *object, const char *key)
{
  return json_string_value (json_object_get (object, key));
}

/* Files */

/* A relative path inside the bundle, never leaving it. */
static gboolean
path_is_safe (const char *path)
{
  if (path == NULL || *path == '\0' || g_path_is_absolute (path))
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

static void
list_files (const char *root, const char *relative, GHashTable *out)
{
  g_autofree char *path = relative ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = relative ? g_strdup_printf ("%s/%s", relative, name) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, child, NULL);
      if (g_file_test (full, G_FILE_TEST_IS_DIR) && !g_file_test (full, G_FILE_TEST_IS_SYMLINK))
        list_files (root, child, out);
      else
        g_hash_table_add (out, g_steal_pointer (&child));
    }
}

static void
check_files (Verifier *v, json_t *files)
{
  g_autoptr (GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list_files (v->dir, NULL, present);
  g_hash_table_remove (present, FWR_EVIDENCE_MANIFEST);
  size_t i;
  json_t *file;
  json_array_foreach (files, i, file)
    {
      const char *path = get_string (file, "path");
      const char *sha256 = get_string (file, "sha256");
      if (!path_is_safe (path) || sha256 == NULL)
        {
          problem (v, "manifest.json: file entry %zu is malformed", i + 1);
          continue;
        }
      v->check->n_files++;
      g_hash_table_remove (present, path);
      g_autofree char *full = g_build_filename (v->dir, path, NULL);
      g_autofree char *data = NULL;
      gsize length = 0;
      if (!g_file_get_contents (full, &data, &length, NULL))
        {
          problem (v, "%s: missing (the manifest lists it)", path);
          continue;
        }
      g_autofree char *actual = _fwr_sha256_hex (data, length);
      if (!g_str_equal (actual, sha256) ||
          (json_int_t) length != json_integer_value (json_object_get (file, "size")))
        problem (v, "%s: altered: its SHA-256 or size is not the one the manifest records", path);
    }
  GHashTableIter iter;
  gpointer extra;
  g_hash_table_iter_init (&iter, present);
  while (g_hash_table_iter_next (&iter, &extra, NULL))
    problem (v, "%s: added: the manifest does not list it", (const char *) extra);
}

/* Audit records */

FwrAuditRecord *
_fwr_evidence_record_from_json (json_t *json)
{
  const char *fields[] = { "time", "actor", "actor_key", "action", "subject_sha256", "details",
                           "prev_sha256", "sha256", "signature" };
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (get_string (json, fields[i]) == NULL)
      return NULL;
  if (!json_is_integer (json_object_get (json, "seq")) || !json_is_integer (json_object_get (json, "subject_id")))
    return NULL;
  FwrAuditRecord *record = g_new0 (FwrAuditRecord, 1);
  record->seq = json_integer_value (json_object_get (json, "seq"));
  record->time = g_strdup (get_string (json, "time"));
  record->actor = g_strdup (get_string (json, "actor"));
  record->actor_key = g_strdup (get_string (json, "actor_key"));
  record->action = g_strdup (get_string (json, "action"));
  record->subject_type = g_strdup (get_string (json, "subject_type"));
  record->subject_id = json_integer_value (json_object_get (json, "subject_id"));
  record->subject_sha256 = g_strdup (get_string (json, "subject_sha256"));
  record->details = g_strdup (get_string (json, "details"));
  record->prev_sha256 = g_strdup (get_string (json, "prev_sha256"));
  record->sha256 = g_strdup (get_string (json, "sha256"));
  record->signature = g_strdup (get_string (json, "signature"));
  return record;
}

/* The record's own integrity: its hash and its signature by the key it names. */
static gboolean
check_record_itself (Verifier *v, const char *where, const FwrAuditRecord *record)
{
  gsize length = 0;
  g_autofree char *signed_text = fwr_audit_record_dup_signed_text (record, &length);
  g_autofree char *hash = _fwr_audit_record_dup_sha256 (record);
  if (!fwr_signature_verify (record->actor_key, signed_text, length, record->signature))
    {
      problem (v, "records.json: %s record %" G_GINT64_FORMAT " (%s): altered: its signature does not match",
               where, record->seq, record->action);
      return FALSE;
    }
  if (!g_str_equal (hash, record->sha256))
    {
      problem (v, "records.json: %s record %" G_GINT64_FORMAT " (%s): altered: its hash does not match",
               where, record->seq, record->action);
      return FALSE;
    }
  return TRUE;
}

/* Registrations and revocations, in log order, build the keys the other records are checked
 * against; the first record registers the key that signs it. */
static void
check_key_records (Verifier *v, json_t *list)
{
  size_t i;
  json_t *item;
  json_array_foreach (list, i, item)
    {
      g_autoptr (FwrAuditRecord) record = _fwr_evidence_record_from_json (item);
      if (record == NULL)
        {
          problem (v, "records.json: key record %zu is malformed", i + 1);
          continue;
        }
      if (!check_record_itself (v, "key", record))
        continue;
      Key *signer = g_hash_table_lookup (v->keys, record->actor_key);
      gboolean genesis = record->seq == 1 && g_str_equal (record->action, "store.init");
      if (!genesis && (signer == NULL || signer->role != FWR_ROLE_ADMIN || signer->revoked_seq != 0))
        {
          problem (v, "records.json: key record %" G_GINT64_FORMAT " is not signed by a registered admin",
                   record->seq);
          continue;
        }
      g_autoptr (json_t) details = json_loads (record->details, 0, NULL);
      const char *key = get_string (details, "public_key");
      FwrRole role = FWR_ROLE_AUDITOR;
      if (key == NULL || !fwr_role_from_string (get_string (details, "role"), &role))
        {
          problem (v, "records.json: key record %" G_GINT64_FORMAT " names no key and role", record->seq);
          continue;
        }
      if (g_str_equal (record->action, "user.revoke"))
        {
          Key *revoked = g_hash_table_lookup (v->keys, key);
          if (revoked != NULL && revoked->revoked_seq == 0)
            revoked->revoked_seq = record->seq;
          continue;
        }
      Key *entry = g_new0 (Key, 1);
      entry->name = g_strdup (get_string (details, "name"));
      entry->role = role;
      entry->registered_seq = record->seq;
      g_hash_table_replace (v->keys, g_strdup (key), entry);
    }
}

static void
note_subject (Verifier *v, const FwrAuditRecord *record)
{
  if (record->subject_type != NULL)
    g_hash_table_replace (v->subjects, g_strdup_printf ("%s:%" G_GINT64_FORMAT, record->subject_type,
                                                        record->subject_id),
                          g_strdup (record->subject_sha256));
}

/* The period's records: consecutive, each linked to the one before, each signed by a key the
 * key records registered before it and had not revoked. */
static const FwrAuditRecord *
check_segment (Verifier *v, json_t *list, GPtrArray *records)
{
  size_t i;
  json_t *item;
  const FwrAuditRecord *previous = NULL;
  json_array_foreach (list, i, item)
    {
      FwrAuditRecord *record = _fwr_evidence_record_from_json (item);
      if (record == NULL)
        {
          problem (v, "records.json: record %zu of the period is malformed", i + 1);
          continue;
        }
      g_ptr_array_add (records, record);
      v->check->n_records++;
      if (previous != NULL && (record->seq != previous->seq + 1 ||
                               !g_str_equal (record->prev_sha256, previous->sha256)))
        problem (v, "records.json: record %" G_GINT64_FORMAT " does not follow record %" G_GINT64_FORMAT
                 " in the chain: records were removed, reordered or altered", record->seq, previous->seq);
      previous = record;
      if (!check_record_itself (v, "audit", record))
        continue;
      Key *key = g_hash_table_lookup (v->keys, record->actor_key);
      if (key == NULL || key->registered_seq > record->seq || !g_str_equal (key->name, record->actor))
        problem (v, "records.json: record %" G_GINT64_FORMAT " (%s) is signed by a key the bundle does "
                 "not register to %s", record->seq, record->action, record->actor);
      else if (key->revoked_seq != 0 && key->revoked_seq < record->seq)
        problem (v, "records.json: record %" G_GINT64_FORMAT " (%s) is signed by %s's key after its "
                 "revocation", record->seq, record->action, record->actor);
      note_subject (v, record);
    }
  return previous;
}

/* Signed objects: their own signature, and the hash the record that logged them holds. */
static void
check_signed (Verifier *v, const char *what, const char *type, gint64 id, const char *signer,
              const char *public_key, const char *signed_text, gsize length, const char *signature,
              const char *sha256)
{
  Key *key = public_key ? g_hash_table_lookup (v->keys, public_key) : NULL;
  g_autofree char *subject = g_strdup_printf ("%s:%" G_GINT64_FORMAT, type, id);
  const char *logged = g_hash_table_lookup (v->subjects, subject);
  if (public_key == NULL || signature == NULL ||
      !fwr_signature_verify (public_key, signed_text, length, signature))
    problem (v, "records.json: %s: altered: its signature does not match", what);
  else if (key == NULL || g_strcmp0 (key->name, signer) != 0)
    problem (v, "records.json: %s: signed by a key the bundle does not register to %s", what, signer);
  else if (logged != NULL && !g_str_equal (logged, sha256))
    problem (v, "records.json: %s: altered: it is not what the audit record logged", what);
}

static void
check_approvals (Verifier *v, json_t *list)
{
  size_t i;
  json_t *item;
  json_array_foreach (list, i, item)
    {
      FwrApproval approval = {
        .id = json_integer_value (json_object_get (item, "id")),
        .change_id = json_integer_value (json_object_get (item, "change")),
        .approved = g_strcmp0 (get_string (item, "decision"), "approve") == 0,
        .approver = (char *) get_string (item, "approver"),
        .public_key = (char *) get_string (item, "public_key"),
        .comment = (char *) get_string (item, "comment"),
        .decided_at = (char *) get_string (item, "decided_at"),
        .baseline_sha256 = (char *) get_string (item, "baseline_sha256"),
        .proposed_sha256 = (char *) get_string (item, "proposed_sha256"),
        .signature = (char *) get_string (item, "signature"),
      };
      g_autofree char *what = g_strdup_printf ("the decision on change %" G_GINT64_FORMAT " by %s",
                                               approval.change_id, approval.approver ? approval.approver : "?");
      gsize length = 0;
      g_autofree char *text = fwr_approval_dup_signed_text (&approval, &length);
      g_autofree char *hash = _fwr_approval_dup_sha256 (&approval);
      check_signed (v, what, "approval", approval.id, approval.approver, approval.public_key, text, length,
                    approval.signature, hash);
    }
}

static void
check_review_decisions (Verifier *v, json_t *list)
{
  size_t i;
  json_t *item;
  json_array_foreach (list, i, item)
    {
      FwrReviewDecisionKind kind = FWR_REVIEW_KEEP;
      fwr_review_decision_from_string (get_string (item, "decision"), &kind);
      FwrReviewDecision decision = {
        .id = json_integer_value (json_object_get (item, "id")),
        .review_id = json_integer_value (json_object_get (item, "review")),
        .rule_id = (char *) get_string (item, "rule"),
        .content_key = (char *) get_string (item, "content_key"),
        .decision = kind,
        .reason = (char *) get_string (item, "reason"),
        .change_id = json_integer_value (json_object_get (item, "change")),
        .decided_by = (char *) get_string (item, "decided_by"),
        .public_key = (char *) get_string (item, "public_key"),
        .decided_at = (char *) get_string (item, "decided_at"),
        .snapshot_sha256 = (char *) get_string (item, "snapshot_sha256"),
        .signature = (char *) get_string (item, "signature"),
      };
      g_autofree char *what = g_strdup_printf ("the decision on rule %s of review %" G_GINT64_FORMAT,
                                               decision.rule_id ? decision.rule_id : "?", decision.review_id);
      gsize length = 0;
      g_autofree char *text = fwr_review_decision_dup_signed_text (&decision, &length);
      g_autofree char *hash = _fwr_review_decision_dup_sha256 (&decision);
      check_signed (v, what, "review-decision", decision.id, decision.decided_by, decision.public_key,
                    text, length, decision.signature, hash);
    }
}

static void
check_review_signoffs (Verifier *v, json_t *list)
{
  size_t i;
  json_t *item;
  json_array_foreach (list, i, item)
    {
      FwrReviewSignoff signoff = {
        .id = json_integer_value (json_object_get (item, "id")),
        .review_id = json_integer_value (json_object_get (item, "review")),
        .signed_by = (char *) get_string (item, "signed_by"),
        .public_key = (char *) get_string (item, "public_key"),
        .comment = (char *) get_string (item, "comment"),
        .signed_at = (char *) get_string (item, "signed_at"),
        .review_sha256 = (char *) get_string (item, "review_sha256"),
        .decisions_sha256 = (char *) get_string (item, "decisions_sha256"),
        .signature = (char *) get_string (item, "signature"),
      };
      g_autofree char *what = g_strdup_printf ("the sign-off of review %" G_GINT64_FORMAT, signoff.review_id);
      gsize length = 0;
      g_autofree char *text = fwr_review_signoff_dup_signed_text (&signoff, &length);
      g_autofree char *hash = _fwr_review_signoff_dup_sha256 (&signoff);
      check_signed (v, what, "review-signoff", signoff.id, signoff.signed_by, signoff.public_key, text,
                    length, signoff.signature, hash);
    }
}

static void
check_snapshots (Verifier *v, json_t *list)
{
  size_t i;
  json_t *item;
  json_array_foreach (list, i, item)
    {
      const char *path = get_string (item, "path");
      const char *sha256 = get_string (item, "sha256");
      g_autofree char *full = path_is_safe (path) ? g_build_filename (v->dir, path, NULL) : NULL;
      g_autofree char *data = NULL;
      gsize length = 0;
      if (full == NULL || sha256 == NULL)
        problem (v, "records.json: snapshot entry %zu is malformed", i + 1);
      else if (!g_file_get_contents (full, &data, &length, NULL))
        problem (v, "%s: missing (records.json lists it)", path);
      else
        {
          g_autofree char *actual = _fwr_sha256_hex (data, length);
          if (!g_str_equal (actual, sha256))
            problem (v, "%s: altered: it is not the configuration records.json describes", path);
        }
    }
}

static json_t *
load_json (Verifier *v, const char *name, char **out_text)
{
  g_autofree char *path = g_build_filename (v->dir, name, NULL);
  g_autofree char *text = NULL;
  gsize length = 0;
  if (!g_file_get_contents (path, &text, &length, NULL))
    {
      problem (v, "%s: missing", name);
      return NULL;
    }
  json_error_t error;
  json_t *root = json_loadb (text, length, 0, &error);
  if (root == NULL || !json_is_object (root))
    {
      problem (v, "%s: altered: not JSON any more (line %d, column %d)", name, error.line, error.column);
      json_decref (root);
      return NULL;
    }
  if (out_text != NULL)
    *out_text = g_steal_pointer (&text);
  return root;
}

static void
check_records (Verifier *v, json_t *manifest)
{
  g_autoptr (json_t) root = load_json (v, FWR_EVIDENCE_RECORDS, NULL);
  if (root == NULL)
    return;
  if (g_strcmp0 (get_string (root, "schema"), FWR_EVIDENCE_RECORDS_SCHEMA) != 0)
    problem (v, "records.json: not a %s file", FWR_EVIDENCE_RECORDS_SCHEMA);
  check_key_records (v, json_object_get (root, "key_records"));
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_audit_record_free);
  const FwrAuditRecord *last = check_segment (v, json_object_get (root, "records"), records);
  json_t *segment = json_object_get (manifest, "segment");
  if (g_strcmp0 (last ? last->sha256 : NULL, get_string (segment, "last_sha256")) != 0 ||
      json_integer_value (json_object_get (segment, "last_seq")) != (last ? last->seq : 0) ||
      (records->len > 0 &&
       json_integer_value (json_object_get (segment, "first_seq")) !=
         ((FwrAuditRecord *) g_ptr_array_index (records, 0))->seq))
    problem (v, "records.json: the period's records are not the segment the manifest names");
  check_approvals (v, json_object_get (root, "approvals"));
  check_review_decisions (v, json_object_get (root, "review_decisions"));
  check_review_signoffs (v, json_object_get (root, "review_signoffs"));
  check_snapshots (v, json_object_get (root, "snapshots"));
}

/* The manifest: its exact form, its signature by a key the bundle registers. */
static json_t *
check_manifest (Verifier *v)
{
  g_autofree char *text = NULL;
  g_autoptr (json_t) manifest = load_json (v, FWR_EVIDENCE_MANIFEST, &text);
  if (manifest == NULL)
    return NULL;
  g_autofree char *canonical = _fwr_evidence_dup_json_text (manifest);
  if (!g_str_equal (canonical, text))
    problem (v, "manifest.json: altered: it is not in the form fwreview writes");
  if (g_strcmp0 (get_string (manifest, "schema"), FWR_EVIDENCE_MANIFEST_SCHEMA) != 0)
    problem (v, "manifest.json: not a %s manifest", FWR_EVIDENCE_MANIFEST_SCHEMA);
  json_t *exporter = json_object_get (manifest, "exported_by");
  const char *key = get_string (exporter, "public_key");
  const char *signature = get_string (manifest, "signature");
  gsize length = 0;
  g_autofree char *signed_text = _fwr_evidence_dup_manifest_signed_text (manifest, &length);
  if (key == NULL || signature == NULL || !fwr_signature_verify (key, signed_text, length, signature))
    problem (v, "manifest.json: altered: the exporter's signature does not match");
  FwrEvidenceCheck *check = v->check;
  check->device = g_strdup (get_string (manifest, "device"));
  check->period_from = g_strdup (get_string (json_object_get (manifest, "period"), "from"));
  check->period_to = g_strdup (get_string (json_object_get (manifest, "period"), "to"));
  check->exported_by = g_strdup (get_string (exporter, "name"));
  check->exported_at = g_strdup (get_string (manifest, "created_at"));
  check->head_seq = json_integer_value (json_object_get (json_object_get (manifest, "audit_head"), "seq"));
  check->head_sha256 = g_strdup (get_string (json_object_get (manifest, "audit_head"), "sha256"));
  return g_steal_pointer (&manifest);
}

/* The exporter must hold a key the bundle's own records register (checked once they are read). */
static void
check_exporter (Verifier *v, json_t *manifest)
{
  json_t *exporter = json_object_get (manifest, "exported_by");
  const char *key = get_string (exporter, "public_key");
  Key *entry = key ? g_hash_table_lookup (v->keys, key) : NULL;
  if (entry == NULL || g_strcmp0 (entry->name, get_string (exporter, "name")) != 0)
    problem (v, "manifest.json: signed by a key the bundle's records do not register to %s",
             get_string (exporter, "name") ? get_string (exporter, "name") : "anyone");
  else if (entry->revoked_seq != 0)
    problem (v, "manifest.json: signed by %s's revoked key", entry->name);
}

FwrEvidenceCheck *
fwr_evidence_verify (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_IO, "%s: no such folder", dir);
      return NULL;
    }
  FwrEvidenceCheck *check = g_new0 (FwrEvidenceCheck, 1);
  check->problems = g_ptr_array_new_with_free_func (g_free);
  Verifier v = {
    .dir = dir,
    .check = check,
    .keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) key_free),
    .subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
  };
  g_autoptr (json_t) manifest = check_manifest (&v);
  if (manifest != NULL)
    {
      check_files (&v, json_object_get (manifest, "files"));
      check_records (&v, manifest);
      check_exporter (&v, manifest);
    }
  check->intact = check->problems->len == 0;
  g_hash_table_unref (v.keys);
  g_hash_table_unref (v.subjects);
  return check;
}
