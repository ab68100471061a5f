/* fwr-audit.c: appending signed, hash-chained audit records, and verifying the whole log:
 * chain, signatures, the key registry the log builds for itself, and every table against it. */
#include "fwr-store-private.h"

#define GENESIS_PREV "0000000000000000000000000000000000000000000000000000000000000000"

void
fwr_audit_record_free (FwrAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->time);
  g_free (record->actor);
  g_free (record->actor_key);
  g_free (record->action);
  g_free (record->subject_type);
  g_free (record->subject_sha256);
  g_free (record->details);
  g_free (record->prev_sha256);
  g_free (record->sha256);
  g_free (record->signature);
  g_free (record);
}

void
fwr_audit_report_free (FwrAuditReport *report)
{
  if (report == NULL)
    return;
  g_free (report->head_sha256);
  g_ptr_array_unref (report->problems);
  g_free (report);
}

char *
fwr_audit_record_dup_signed_text (const FwrAuditRecord *record, gsize *length)
{
  g_return_val_if_fail (record != NULL, NULL);
  GString *out = _fwr_canon_new ("fwreview.audit/1");
  _fwr_canon_add_int (out, record->seq);
  _fwr_canon_add_string (out, record->time);
  _fwr_canon_add_string (out, record->actor);
  _fwr_canon_add_string (out, record->actor_key);
  _fwr_canon_add_string (out, record->action);
  _fwr_canon_add_string (out, record->subject_type);
  _fwr_canon_add_int (out, record->subject_id);
  _fwr_canon_add_string (out, record->subject_sha256);
  _fwr_canon_add_string (out, record->details);
  _fwr_canon_add_string (out, record->prev_sha256);
  return _fwr_canon_finish_text (out, length);
}

/* The record's own hash covers what it signs and the signature. */
char *
_fwr_audit_record_dup_sha256 (const FwrAuditRecord *record)
{
  gsize length = 0;
  g_autofree char *signed_text = fwr_audit_record_dup_signed_text (record, &length);
  g_autoptr (GString) out = g_string_new_len (signed_text, (gssize) length);
  _fwr_canon_add_string (out, record->signature);
  return _fwr_sha256_hex (out->str, out->len);
}

static char *
dup_json_text (json_t *json)
{
  char *text = json_dumps (json, JSON_COMPACT | JSON_SORT_KEYS);
  char *copy = g_strdup (text);
  free (text);
  return copy;
}

gboolean
_fwr_audit_append (FwrStore *self, const FwrIdentity *actor, const FwrUser *user,
                   const char *action, const char *subject_type, gint64 subject_id,
                   const char *subject_sha256, json_t *details, GError **error)
{
  g_autoptr (json_t) owned_details = details;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (FwrAuditRecord) last = BACKEND (self)->get_last_audit (self->backend, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_autoptr (FwrAuditRecord) record = g_new0 (FwrAuditRecord, 1);
  record->seq = last ? last->seq + 1 : 1;
  record->time = _fwr_now_iso ();
  record->actor = g_strdup (user->name);
  record->actor_key = g_strdup (fwr_identity_get_public_key (actor));
  record->action = g_strdup (action);
  record->subject_type = g_strdup (subject_type);
  record->subject_id = subject_id;
  record->details = dup_json_text (owned_details);
  record->subject_sha256 = subject_sha256 ? g_strdup (subject_sha256)
                                          : _fwr_sha256_hex (record->details, strlen (record->details));
  record->prev_sha256 = g_strdup (last ? last->sha256 : GENESIS_PREV);
  gsize length = 0;
  g_autofree char *signed_text = fwr_audit_record_dup_signed_text (record, &length);
  record->signature = fwr_identity_sign (actor, signed_text, length);
  record->sha256 = _fwr_audit_record_dup_sha256 (record);

  /* The head kept apart lets verification notice records cut from the end of the log. */
  g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", record->seq, record->sha256);
  return BACKEND (self)->append_audit (self->backend, record, error) &&
         BACKEND (self)->set_setting (self->backend, FWR_SETTING_AUDIT_HEAD, head, error);
}

static gboolean
collect_record (FwrAuditRecord *record, gpointer records, GError **error)
{
  g_ptr_array_add (records, record);
  return TRUE;
}

static gpointer
list_audit_func (FwrStore *self, gconstpointer arg, GError **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_audit_record_free);
  if (!BACKEND (self)->foreach_audit (self->backend, collect_record, records, error))
    return NULL;
  return g_steal_pointer (&records);
}

GPtrArray *
fwr_store_list_audit (FwrStore *self, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read (self, list_audit_func, NULL, error);
}

/* Verification.
 * The log is read once, in order, rebuilding what it says (keys and roles, change states,
 * baselines, what was purged); then every table is compared with that. */

typedef struct {
  char *name;
  FwrRole role;
  gint64 user_id;
  gint64 registered_seq;
  gint64 revoked_seq;       /* 0 while valid */
  char *revoked_at;
} KeyEntry;

static void
key_entry_free (KeyEntry *entry)
{
  g_free (entry->name);
  g_free (entry->revoked_at);
  g_free (entry);
}

/* A problem in the log itself (a broken record) or in a table measured against the log; the
 * former come first: a table can look wrong only because a broken record was not trusted. */
typedef struct {
  gboolean in_log;
  gint64 seq;
  char *text;
} Problem;

static void
problem_free (Problem *problem)
{
  g_free (problem->text);
  g_free (problem);
}

/* What the log says about one subject row: which record wrote it and its hash then. */
typedef struct {
  gint64 seq;
  char *sha256;
} Subject;

static void
subject_free (Subject *subject)
{
  g_free (subject->sha256);
  g_free (subject);
}

typedef struct {
  gint64 change_id;         /* the key of Verifier.changes */
  gint64 submit_seq;
  char *submitter;
  gint64 device_id;
  gboolean is_baseline;
  gint64 proposed_snapshot;
  FwrChangeState state;
  gint64 state_seq;
} ChangeFacts;

static void
change_facts_free (ChangeFacts *facts)
{
  g_free (facts->submitter);
  g_free (facts);
}

typedef struct {
  FwrStore *store;
  GPtrArray *problems;      /* (element-type Problem) */
  GHashTable *keys;         /* public key -> KeyEntry */
  GHashTable *subjects;     /* "type:id" -> Subject */
  GHashTable *purged;       /* "type:id" -> sha256 */
  GHashTable *changes;      /* &change id -> ChangeFacts */
  GHashTable *devices;      /* device name -> gint64 id */
  GHashTable *baselines;    /* gint64 device id -> "snapshot:change" */
  GHashTable *segregation;  /* "device scope" -> "off", when a review policy turned it off */
  GHashTable *reviews;      /* &review id -> ReviewFacts */
  gint64 last_seq;
  char *last_sha256;
  guint retention_months;
  gint64 retention_seq;
} Verifier;

static void
add_problem_va (Verifier *v, gboolean in_log, gint64 seq, const char *format, va_list args)
{
  Problem *problem = g_new0 (Problem, 1);
  problem->in_log = in_log;
  problem->seq = seq > 0 ? seq : G_MAXINT64;
  problem->text = g_strdup_vprintf (format, args);
  g_ptr_array_add (v->problems, problem);
}

/* A record of the log is broken. */
static void G_GNUC_PRINTF (3, 4)
add_log_problem (Verifier *v, gint64 seq, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  add_problem_va (v, TRUE, seq, format, args);
  va_end (args);
}

/* A table disagrees with the record seq (0 when no record covers it). */
static void G_GNUC_PRINTF (3, 4)
add_problem (Verifier *v, gint64 seq, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  add_problem_va (v, FALSE, seq, format, args);
  va_end (args);
}

static char *
subject_key (const char *type, gint64 id)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, type, id);
}

/* The role each action needs; 0 when any registered role may act. */
static guint
roles_for_action (const char *action)
{
  static const struct {
    const char *action;
    guint roles;
  } table[] = {
    { "store.init", 1u << FWR_ROLE_ADMIN },
    { "user.add", 1u << FWR_ROLE_ADMIN },
    { "user.revoke", 1u << FWR_ROLE_ADMIN },
    { "device.add", 1u << FWR_ROLE_ADMIN },
    { "snapshot.import", 0 },
    { "change.submit", (1u << FWR_ROLE_ADMIN) | (1u << FWR_ROLE_SUPERVISOR) },
    { "change.approve", 1u << FWR_ROLE_SUPERVISOR },
    { "change.reject", 1u << FWR_ROLE_SUPERVISOR },
    { "change.implement", 1u << FWR_ROLE_ADMIN },
    { "drift.check", 0 },
    { "store.purge", 1u << FWR_ROLE_ADMIN },
    { "settings.retention", 1u << FWR_ROLE_ADMIN },
    { "review.policy", 1u << FWR_ROLE_SUPERVISOR },
    { "review.start", (1u << FWR_ROLE_ADMIN) | (1u << FWR_ROLE_SUPERVISOR) },
    { "review.decide", (1u << FWR_ROLE_ADMIN) | (1u << FWR_ROLE_SUPERVISOR) },
    { "review.complete", 1u << FWR_ROLE_SUPERVISOR },
  };
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (action, table[i].action) == 0)
      return table[i].roles;
  return G_MAXUINT;
}

static void
register_key (Verifier *v, const FwrAuditRecord *record, json_t *details)
{
  const char *key = json_string_value (json_object_get (details, "public_key"));
  const char *name = json_string_value (json_object_get (details, "name"));
  FwrRole role = FWR_ROLE_AUDITOR;
  if (key == NULL || name == NULL ||
      !fwr_role_from_string (json_string_value (json_object_get (details, "role")), &role))
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": a registration without name, "
                   "role and key", record->seq);
      return;
    }
  if (g_hash_table_contains (v->keys, key))
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": registers a key that is "
                   "registered already", record->seq);
      return;
    }
  KeyEntry *entry = g_new0 (KeyEntry, 1);
  entry->name = g_strdup (name);
  entry->role = role;
  entry->user_id = record->subject_id;
  entry->registered_seq = record->seq;
  g_hash_table_insert (v->keys, g_strdup (key), entry);
}

/* Checks that record was signed by a key the log registered before it, still valid, whose
 * role allows the action. */
static void
check_signer (Verifier *v, const FwrAuditRecord *record)
{
  KeyEntry *entry = g_hash_table_lookup (v->keys, record->actor_key);
  if (entry == NULL)
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " (%s by %s): signed by a key "
                   "this log never registered", record->seq, record->action, record->actor);
      return;
    }
  if (!g_str_equal (entry->name, record->actor))
    add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": says %s acted, but the key "
                 "belongs to %s", record->seq, record->actor, entry->name);
  if (entry->revoked_seq != 0 && entry->revoked_seq < record->seq)
    add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " (%s): signed with %s's key after "
                 "its revocation (record %" G_GINT64_FORMAT ")", record->seq, record->action,
                 entry->name, entry->revoked_seq);
  guint roles = roles_for_action (record->action);
  if (roles == G_MAXUINT)
    add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": unknown action “%s”",
                 record->seq, record->action);
  else if (roles != 0 && (roles & (1u << entry->role)) == 0)
    add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " (%s): %s's role %s does not "
                 "allow it", record->seq, record->action, entry->name,
                 fwr_role_to_string (entry->role));
}

/* Checks the record itself: place in the chain, signature, hash. FALSE when it is broken,
 * so its contents are not trusted further. */
static gboolean
check_record (Verifier *v, const FwrAuditRecord *record)
{
  gint64 expected = v->last_seq + 1;
  if (record->seq != expected)
    {
      if (record->seq > expected)
        add_log_problem (v, expected, "record%s %" G_GINT64_FORMAT "%s%s missing: deleted from the "
                     "log (record %" G_GINT64_FORMAT " follows record %" G_GINT64_FORMAT ")",
                     record->seq - expected > 1 ? "s" : "", expected,
                     record->seq - expected > 1 ? " and following" : "",
                     record->seq - expected > 1 ? " are" : " is", record->seq, v->last_seq);
      else
        add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " appears out of order",
                     record->seq);
    }
  else if (g_strcmp0 (record->prev_sha256, v->last_sha256) != 0)
    add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " does not follow record %"
                 G_GINT64_FORMAT ": its previous-record hash differs (a record was replaced, "
                 "edited or reordered)", record->seq, v->last_seq);

  gsize length = 0;
  g_autofree char *signed_text = fwr_audit_record_dup_signed_text (record, &length);
  if (!fwr_signature_verify (record->actor_key, signed_text, length, record->signature))
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " (%s by %s at %s): the "
                   "signature does not match the record: the record was edited or its signature "
                   "replaced", record->seq, record->action, record->actor, record->time);
      return FALSE;
    }
  g_autofree char *hash = _fwr_audit_record_dup_sha256 (record);
  if (g_strcmp0 (hash, record->sha256) != 0)
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": its stored hash does not "
                   "match its content", record->seq);
      return FALSE;
    }
  return TRUE;
}

static void
note_subject (Verifier *v, const FwrAuditRecord *record)
{
  if (record->subject_type == NULL)
    {
      g_autofree char *hash = _fwr_sha256_hex (record->details, strlen (record->details));
      if (!g_str_equal (hash, record->subject_sha256))
        add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": its subject hash does not "
                     "match its details", record->seq);
      return;
    }
  Subject *subject = g_new0 (Subject, 1);
  subject->seq = record->seq;
  subject->sha256 = g_strdup (record->subject_sha256);
  /* The latest record about a row is the one the row must match now. */
  g_hash_table_replace (v->subjects, subject_key (record->subject_type, record->subject_id), subject);
}

static gint64
details_int (json_t *details, const char *key)
{
  return json_integer_value (json_object_get (details, key));
}

static void
set_baseline (Verifier *v, gint64 device_id, gint64 snapshot_id, gint64 change_id)
{
  g_hash_table_replace (v->baselines, g_memdup2 (&device_id, sizeof device_id),
                        g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, snapshot_id, change_id));
}

static void
apply_change_record (Verifier *v, const FwrAuditRecord *record, json_t *details)
{
  gint64 change_id = g_str_equal (record->action, "change.submit") ? record->subject_id
                                                                   : details_int (details, "change");
  ChangeFacts *facts = g_hash_table_lookup (v->changes, &change_id);
  if (g_str_equal (record->action, "change.submit"))
    {
      facts = g_new0 (ChangeFacts, 1);
      facts->submit_seq = record->seq;
      facts->submitter = g_strdup (record->actor);
      const gint64 *device_id = g_hash_table_lookup (v->devices,
                                                     json_string_value (json_object_get (details, "device")));
      facts->change_id = change_id;
      facts->device_id = device_id ? *device_id : 0;
      facts->is_baseline = json_is_true (json_object_get (details, "baseline"));
      facts->proposed_snapshot = details_int (details, "proposed_snapshot");
      facts->state = FWR_CHANGE_SUBMITTED;
      facts->state_seq = record->seq;
      g_hash_table_replace (v->changes, &facts->change_id, facts);
      return;
    }
  if (facts == NULL)
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " (%s): about change %"
                   G_GINT64_FORMAT ", which was never submitted", record->seq, record->action,
                   change_id);
      return;
    }
  if (!g_str_equal (record->action, "change.implement") && g_str_equal (facts->submitter, record->actor))
    add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": %s decided on change %"
                 G_GINT64_FORMAT " they submitted (segregation of duties)", record->seq,
                 record->actor, change_id);
  facts->state_seq = record->seq;
  if (g_str_equal (record->action, "change.approve"))
    {
      facts->state = FWR_CHANGE_APPROVED;
      if (facts->is_baseline)
        set_baseline (v, facts->device_id, facts->proposed_snapshot, change_id);
    }
  else if (g_str_equal (record->action, "change.reject"))
    facts->state = FWR_CHANGE_REJECTED;
  else
    {
      facts->state = FWR_CHANGE_IMPLEMENTED;
      set_baseline (v, facts->device_id, details_int (details, "snapshot"), change_id);
    }
}

static void
apply_purge (Verifier *v, json_t *details)
{
  json_t *removed = json_object_get (details, "removed");
  size_t i;
  json_t *item;
  json_array_foreach (removed, i, item)
    {
      const char *type = json_string_value (json_object_get (item, "type"));
      const char *sha256 = json_string_value (json_object_get (item, "sha256"));
      if (type != NULL && sha256 != NULL)
        g_hash_table_replace (v->purged, subject_key (type, details_int (item, "id")),
                              g_strdup (sha256));
    }
}

/* Reviews: who decided how much, to check the sign-off's segregation of duties. */
typedef struct {
  gint64 review_id;         /* the key of Verifier.reviews */
  char *policy_key;         /* "device scope" */
  GHashTable *decisions;    /* actor -> count */
} ReviewFacts;

static void
review_facts_free (ReviewFacts *facts)
{
  g_free (facts->policy_key);
  g_hash_table_unref (facts->decisions);
  g_free (facts);
}

static char *
dup_policy_key (json_t *details)
{
  return g_strdup_printf ("%s %s", json_string_value (json_object_get (details, "device")),
                          json_string_value (json_object_get (details, "scope")));
}

static void
apply_review_record (Verifier *v, const FwrAuditRecord *record, json_t *details)
{
  if (g_str_equal (record->action, "review.policy"))
    {
      g_autofree char *key = dup_policy_key (details);
      if (json_is_false (json_object_get (details, "segregation")))
        g_hash_table_replace (v->segregation, g_steal_pointer (&key), g_strdup ("off"));
      else
        g_hash_table_remove (v->segregation, key);
      return;
    }
  if (g_str_equal (record->action, "review.start"))
    {
      ReviewFacts *facts = g_new0 (ReviewFacts, 1);
      facts->review_id = record->subject_id;
      facts->policy_key = dup_policy_key (details);
      facts->decisions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_replace (v->reviews, &facts->review_id, facts);
      return;
    }
  gint64 review_id = details_int (details, "review");
  ReviewFacts *facts = g_hash_table_lookup (v->reviews, &review_id);
  if (facts == NULL)
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT " (%s): about review %" G_GINT64_FORMAT
                       ", which was never started", record->seq, record->action, review_id);
      return;
    }
  guint mine = GPOINTER_TO_UINT (g_hash_table_lookup (facts->decisions, record->actor));
  if (g_str_equal (record->action, "review.decide"))
    {
      g_hash_table_replace (facts->decisions, g_strdup (record->actor), GUINT_TO_POINTER (mine + 1));
      return;
    }
  guint most = 0;
  GHashTableIter iter;
  gpointer count;
  g_hash_table_iter_init (&iter, facts->decisions);
  while (g_hash_table_iter_next (&iter, NULL, &count))
    most = MAX (most, GPOINTER_TO_UINT (count));
  if (most > 0 && mine == most && !g_hash_table_contains (v->segregation, facts->policy_key))
    add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": %s signed off review %" G_GINT64_FORMAT
                     " after making the most of its decisions (segregation of duties)", record->seq,
                     record->actor, review_id);
}

/* Applies what a trusted record says to the state the log describes. */
static void
apply_record (Verifier *v, const FwrAuditRecord *record)
{
  g_autoptr (json_t) details = json_loads (record->details, 0, NULL);
  const char *action = record->action;
  if (details == NULL)
    {
      add_log_problem (v, record->seq, "record %" G_GINT64_FORMAT ": details are not JSON", record->seq);
      return;
    }
  if (g_str_equal (action, "store.init") || g_str_equal (action, "user.add"))
    register_key (v, record, details);
  if (g_str_equal (action, "store.init"))
    v->retention_months = (guint) details_int (details, "retention_months");
  else if (g_str_equal (action, "settings.retention"))
    v->retention_months = (guint) details_int (details, "retention_months");
  else if (g_str_equal (action, "user.revoke"))
    {
      KeyEntry *entry = g_hash_table_lookup (v->keys,
                                             json_string_value (json_object_get (details, "public_key")));
      if (entry != NULL && entry->revoked_seq == 0)
        {
          entry->revoked_seq = record->seq;
          entry->revoked_at = g_strdup (record->time);
        }
    }
  else if (g_str_equal (action, "device.add"))
    g_hash_table_replace (v->devices, g_strdup (json_string_value (json_object_get (details, "name"))),
                          g_memdup2 (&record->subject_id, sizeof record->subject_id));
  else if (g_str_has_prefix (action, "change."))
    apply_change_record (v, record, details);
  else if (g_str_equal (action, "store.purge"))
    apply_purge (v, details);
  else if (g_str_has_prefix (action, "review."))
    apply_review_record (v, record, details);
  if (g_str_equal (action, "settings.retention") || g_str_equal (action, "store.init"))
    v->retention_seq = record->seq;
}

static gboolean
verify_record (FwrAuditRecord *taken, gpointer data, GError **error)
{
  g_autoptr (FwrAuditRecord) record = taken;
  Verifier *v = data;

  gboolean trusted = check_record (v, record);
  if (trusted)
    {
      /* The first record registers the key that signs it; every later one needs a key
       * registered before. */
      if (record->seq == 1 && g_str_equal (record->action, "store.init"))
        apply_record (v, record);
      check_signer (v, record);
      if (record->seq != 1 || !g_str_equal (record->action, "store.init"))
        apply_record (v, record);
      note_subject (v, record);
    }
  v->last_seq = record->seq;
  g_free (v->last_sha256);
  v->last_sha256 = g_strdup (record->sha256);
  return TRUE;
}

/* Table checks */

/* Checks one row against the record that wrote it; "what" names the row for people. */
static void
check_row (Verifier *v, const char *type, gint64 id, const char *what, const char *actual_sha256)
{
  g_autofree char *key = subject_key (type, id);
  Subject *subject = g_hash_table_lookup (v->subjects, key);
  if (subject == NULL)
    add_problem (v, 0, "%s has no audit record: it was added outside fwreview", what);
  else if (!g_str_equal (subject->sha256, actual_sha256))
    add_problem (v, subject->seq, "%s was altered after record %" G_GINT64_FORMAT " wrote it",
                 what, subject->seq);
  if (subject != NULL)
    g_hash_table_remove (v->subjects, key);
}

static void
check_users (Verifier *v, GPtrArray *users)
{
  for (guint i = 0; i < users->len; i++)
    {
      FwrUser *user = g_ptr_array_index (users, i);
      g_autofree char *what = g_strdup_printf ("user %s (id %" G_GINT64_FORMAT ")", user->name, user->id);
      g_autofree char *hash = _fwr_user_dup_sha256 (user);
      check_row (v, "user", user->id, what, hash);
      KeyEntry *entry = g_hash_table_lookup (v->keys, user->public_key);
      if (entry != NULL && g_strcmp0 (entry->revoked_at, user->revoked_at) != 0)
        add_problem (v, entry->revoked_seq ? entry->revoked_seq : entry->registered_seq,
                     "%s: its revocation (%s) is not what the log says (%s)", what,
                     user->revoked_at ? user->revoked_at : "none",
                     entry->revoked_at ? entry->revoked_at : "none");
    }
}

static void
check_devices (Verifier *v, GPtrArray *devices)
{
  for (guint i = 0; i < devices->len; i++)
    {
      FwrDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *what = g_strdup_printf ("device %s (id %" G_GINT64_FORMAT ")", device->name, device->id);
      g_autofree char *hash = _fwr_device_dup_sha256 (device);
      check_row (v, "device", device->id, what, hash);
      const char *expected = g_hash_table_lookup (v->baselines, &device->id);
      g_autofree char *actual = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                                 device->baseline_snapshot_id, device->baseline_change_id);
      if (g_strcmp0 (expected ? expected : "0:0", actual) != 0)
        add_problem (v, 0, "%s: its baseline (snapshot:change %s) is not the one the log "
                     "approved (%s)", what, actual, expected ? expected : "none");
    }
}

static void
check_blob (Verifier *v, const FwrSnapshot *snapshot, const char *sha256, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) compressed = BACKEND (v->store)->get_blob (v->store->backend, sha256, &error);
  g_autoptr (GBytes) bytes = compressed ? _fwr_decompress (compressed, &error) : NULL;
  g_autofree char *actual = bytes ? _fwr_sha256_hex (g_bytes_get_data (bytes, NULL),
                                                     g_bytes_get_size (bytes)) : NULL;
  if (bytes == NULL || !g_str_equal (actual, sha256))
    add_problem (v, 0, "snapshot %" G_GINT64_FORMAT ": the stored %s %s", snapshot->id, what,
                 bytes == NULL ? "cannot be read" : "does not match its SHA-256");
}

static void
check_snapshots (Verifier *v, GPtrArray *snapshots)
{
  for (guint i = 0; i < snapshots->len; i++)
    {
      FwrSnapshot *snapshot = g_ptr_array_index (snapshots, i);
      g_autofree char *what = g_strdup_printf ("snapshot %" G_GINT64_FORMAT, snapshot->id);
      g_autofree char *hash = _fwr_snapshot_dup_sha256 (snapshot);
      check_row (v, "snapshot", snapshot->id, what, hash);
      check_blob (v, snapshot, snapshot->sha256, "configuration");
      check_blob (v, snapshot, snapshot->model_sha256, "model");
    }
}

static void
check_changes (Verifier *v, GPtrArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (changes, i);
      g_autofree char *what = g_strdup_printf ("change %" G_GINT64_FORMAT, change->id);
      g_autofree char *hash = _fwr_change_dup_sha256 (change);
      check_row (v, "change", change->id, what, hash);
      ChangeFacts *facts = g_hash_table_lookup (v->changes, &change->id);
      if (facts != NULL && facts->state != change->state)
        add_problem (v, facts->state_seq, "%s: its state “%s” is not what the log says (“%s”, "
                     "record %" G_GINT64_FORMAT ")", what, fwr_change_state_to_string (change->state),
                     fwr_change_state_to_string (facts->state), facts->state_seq);
    }
}

/* An approval, a review decision or a sign-off carries its own signature, by a key the log gives to its signer. */
static void
check_signed (Verifier *v, const char *what, const char *signer, const char *public_key,
              const char *signed_text, gsize length, const char *signature)
{
  KeyEntry *entry = g_hash_table_lookup (v->keys, public_key);
  if (!fwr_signature_verify (public_key, signed_text, length, signature))
    add_problem (v, 0, "%s: the signature does not match", what);
  else if (entry == NULL || !g_str_equal (entry->name, signer))
    add_problem (v, 0, "%s: signed by a key the log does not give to %s", what, signer);
}

static void
check_approvals (Verifier *v, GPtrArray *approvals)
{
  for (guint i = 0; i < approvals->len; i++)
    {
      FwrApproval *approval = g_ptr_array_index (approvals, i);
      g_autofree char *what = g_strdup_printf ("the %s of change %" G_GINT64_FORMAT " by %s",
                                               approval->approved ? "approval" : "rejection",
                                               approval->change_id, approval->approver);
      g_autofree char *hash = _fwr_approval_dup_sha256 (approval);
      check_row (v, "approval", approval->id, what, hash);
      gsize length = 0;
      g_autofree char *signed_text = fwr_approval_dup_signed_text (approval, &length);
      check_signed (v, what, approval->approver, approval->public_key, signed_text, length,
                    approval->signature);
    }
}

static void
check_drift_checks (Verifier *v, GPtrArray *checks)
{
  for (guint i = 0; i < checks->len; i++)
    {
      FwrDriftCheck *check = g_ptr_array_index (checks, i);
      g_autofree char *what = g_strdup_printf ("drift check %" G_GINT64_FORMAT, check->id);
      g_autofree char *hash = _fwr_drift_check_dup_sha256 (check);
      check_row (v, "drift-check", check->id, what, hash);
    }
}

static void
check_review_policies (Verifier *v, GPtrArray *policies)
{
  for (guint i = 0; i < policies->len; i++)
    {
      FwrReviewPolicy *policy = g_ptr_array_index (policies, i);
      g_autofree char *what = g_strdup_printf ("review policy %" G_GINT64_FORMAT, policy->id);
      g_autofree char *hash = _fwr_review_policy_dup_sha256 (policy);
      check_row (v, "review-policy", policy->id, what, hash);
    }
}

static void
check_review_parts (Verifier *v, const FwrReview *review)
{
  for (guint i = 0; i < review->decisions->len; i++)
    {
      FwrReviewDecision *decision = g_ptr_array_index (review->decisions, i);
      g_autofree char *what = g_strdup_printf ("the decision on rule %s of review %" G_GINT64_FORMAT
                                               " by %s", decision->rule_id, review->id, decision->decided_by);
      g_autofree char *hash = _fwr_review_decision_dup_sha256 (decision);
      gsize length = 0;
      g_autofree char *signed_text = fwr_review_decision_dup_signed_text (decision, &length);
      check_row (v, "review-decision", decision->id, what, hash);
      check_signed (v, what, decision->decided_by, decision->public_key, signed_text, length,
                    decision->signature);
    }
  if (review->signoff != NULL)
    {
      FwrReviewSignoff *signoff = review->signoff;
      g_autofree char *what = g_strdup_printf ("the sign-off of review %" G_GINT64_FORMAT " by %s",
                                               review->id, signoff->signed_by);
      g_autofree char *hash = _fwr_review_signoff_dup_sha256 (signoff);
      gsize length = 0;
      g_autofree char *signed_text = fwr_review_signoff_dup_signed_text (signoff, &length);
      check_row (v, "review-signoff", signoff->id, what, hash);
      check_signed (v, what, signoff->signed_by, signoff->public_key, signed_text, length,
                    signoff->signature);
    }
}

static gboolean
check_reviews (Verifier *v, GError **error)
{
  g_autoptr (GPtrArray) reviews = _fwr_review_load_all (v->store, 0, error);
  if (reviews == NULL)
    return FALSE;
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      g_autofree char *what = g_strdup_printf ("review %" G_GINT64_FORMAT " (with its %u rules)",
                                               review->id, review->rules->len);
      g_autofree char *hash = _fwr_review_dup_sha256 (review);
      check_row (v, "review", review->id, what, hash);
      check_review_parts (v, review);
    }
  return TRUE;
}

/* Rows the log recorded that are gone: fine only when a purge recorded their hashes. */
static void
check_missing_rows (Verifier *v)
{
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, v->subjects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Subject *subject = value;
      const char *purged = g_hash_table_lookup (v->purged, key);
      g_autofree char *what = g_strdelimit (g_strdup (key), ":", ' ');
      if (purged == NULL)
        add_problem (v, subject->seq, "record %" G_GINT64_FORMAT ": the %s it recorded is "
                     "missing, deleted without a purge", subject->seq, what);
      else if (!g_str_equal (purged, subject->sha256))
        add_problem (v, subject->seq, "record %" G_GINT64_FORMAT ": the %s a purge removed "
                     "is not the one recorded", subject->seq, what);
    }
}

static void
check_settings (Verifier *v)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *head = BACKEND (v->store)->get_setting (v->store->backend,
                                                           FWR_SETTING_AUDIT_HEAD, &error);
  g_autofree char *expected = v->last_seq > 0
                              ? g_strdup_printf ("%" G_GINT64_FORMAT ":%s", v->last_seq, v->last_sha256)
                              : NULL;
  if (g_strcmp0 (head, expected) != 0)
    add_log_problem (v, v->last_seq + 1, "the log ends at record %" G_GINT64_FORMAT " but the store "
                 "wrote up to %s: records were removed from the end", v->last_seq,
                 head ? head : "nothing");
  g_autofree char *retention = BACKEND (v->store)->get_setting (v->store->backend,
                                                                FWR_SETTING_RETENTION, &error);
  g_autofree char *logged = g_strdup_printf ("%u", v->retention_months);
  if (g_strcmp0 (retention, logged) != 0)
    add_problem (v, v->retention_seq, "the retention setting (%s months) is not the %u months "
                 "the log set (record %" G_GINT64_FORMAT ")", retention ? retention : "no",
                 v->retention_months, v->retention_seq);
}

typedef GPtrArray *(*ListFunc) (FwrStoreBackend *backend, GError **error);

static gboolean
check_table (Verifier *v, ListFunc list, void (*check) (Verifier *, GPtrArray *), GError **error)
{
  g_autoptr (GPtrArray) rows = list (v->store->backend, error);
  if (rows == NULL)
    return FALSE;
  check (v, rows);
  return TRUE;
}

static int
compare_problems (gconstpointer a, gconstpointer b)
{
  const Problem *pa = *(Problem * const *) a;
  const Problem *pb = *(Problem * const *) b;
  if (pa->in_log != pb->in_log)
    return pa->in_log ? -1 : 1;
  return pa->seq < pb->seq ? -1 : pa->seq > pb->seq;
}

static FwrAuditReport *
finish_report (Verifier *v)
{
  g_ptr_array_sort (v->problems, compare_problems);
  FwrAuditReport *report = g_new0 (FwrAuditReport, 1);
  report->intact = v->problems->len == 0;
  report->n_records = (guint64) MAX (v->last_seq, 0);
  report->head_sha256 = g_strdup (v->last_sha256);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < v->problems->len; i++)
    {
      Problem *problem = g_ptr_array_index (v->problems, i);
      if (i == 0 && problem->seq != G_MAXINT64)
        report->first_broken = problem->seq;
      g_ptr_array_add (report->problems, g_strdup (problem->text));
    }
  return report;
}

static gpointer
verify_func (FwrStore *self, gconstpointer arg, GError **error)
{
  Verifier v = {
    .store = self,
    .problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free),
    .keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) key_entry_free),
    .subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) subject_free),
    .purged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .changes = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                      (GDestroyNotify) change_facts_free),
    .devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .baselines = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free),
    .segregation = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .reviews = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                      (GDestroyNotify) review_facts_free),
    .last_sha256 = g_strdup (GENESIS_PREV),
  };
  const FwrStoreBackendClass *klass = BACKEND (self);
  FwrAuditReport *report = NULL;

  if (klass->foreach_audit (self->backend, verify_record, &v, error) &&
      check_table (&v, klass->list_users, check_users, error) &&
      check_table (&v, klass->list_devices, check_devices, error) &&
      check_table (&v, klass->list_snapshots, check_snapshots, error) &&
      check_table (&v, klass->list_changes, check_changes, error) &&
      check_table (&v, klass->list_approvals, check_approvals, error) &&
      check_table (&v, klass->list_drift_checks, check_drift_checks, error) &&
      check_table (&v, klass->list_review_policies, check_review_policies, error) &&
      check_reviews (&v, error))
    {
      check_missing_rows (&v);
      check_settings (&v);
      if (v.last_seq == 0)
        add_log_problem (&v, 1, "the audit log is empty: record 1 (store.init) is missing");
      report = finish_report (&v);
    }

  g_ptr_array_unref (v.problems);
  g_hash_table_unref (v.keys);
  g_hash_table_unref (v.subjects);
  g_hash_table_unref (v.purged);
  g_hash_table_unref (v.changes);
  g_hash_table_unref (v.devices);
  g_hash_table_unref (v.baselines);
  g_hash_table_unref (v.segregation);
  g_hash_table_unref (v.reviews);
  g_free (v.last_sha256);
  return report;
}

FwrAuditReport *
fwr_store_verify_audit (FwrStore *self, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _fwr_store_read (self, verify_func, NULL, error);
}
