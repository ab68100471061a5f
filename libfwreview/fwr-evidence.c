/* fwr-evidence.c: exporting a device's evidence for a period: everything read in one view of
 * the store, then written to a fresh folder that is renamed into place once complete. */
#include <errno.h>
#include <glib/gstdio.h>

#include "fwr-evidence-private.h"

G_DEFINE_QUARK (fwr-evidence-error-quark, fwr_evidence_error)

void
fwr_evidence_export_free (FwrEvidenceExport *result)
{
  if (result == NULL)
    return;
  g_free (result->dir);
  g_free (result->head_sha256);
  g_free (result);
}

static void
evidence_snapshot_free (FwrEvidenceSnapshot *item)
{
  fwr_snapshot_free (item->snapshot);
  g_clear_pointer (&item->data, g_bytes_unref);
  g_free (item->path);
  g_free (item);
}

void
_fwr_evidence_free (FwrEvidence *evidence)
{
  if (evidence == NULL)
    return;
  g_free (evidence->store_id);
  fwr_device_free (evidence->device);
  g_free (evidence->from);
  g_free (evidence->to);
  g_free (evidence->exported_at);
  fwr_user_free (evidence->exporter);
  g_clear_pointer (&evidence->changes, g_ptr_array_unref);
  g_clear_pointer (&evidence->approvals, g_ptr_array_unref);
  g_clear_pointer (&evidence->diffs, g_hash_table_unref);
  g_clear_pointer (&evidence->drift_checks, g_ptr_array_unref);
  g_clear_pointer (&evidence->reviews, g_ptr_array_unref);
  g_clear_pointer (&evidence->snapshots, g_ptr_array_unref);
  g_clear_pointer (&evidence->records, g_ptr_array_unref);
  g_clear_pointer (&evidence->key_records, g_ptr_array_unref);
  g_clear_pointer (&evidence->users, g_ptr_array_unref);
  g_free (evidence->head_sha256);
  g_free (evidence->oldest_record);
  g_free (evidence->oldest_snapshot);
  g_free (evidence->last_purge);
  fwr_snapshot_free (evidence->end_baseline);
  g_clear_pointer (&evidence->end_ruleset, fwr_ruleset_unref);
  g_clear_pointer (&evidence->report, fwr_report_free);
  g_free (evidence);
}

const FwrEvidenceSnapshot *
_fwr_evidence_find_snapshot (const FwrEvidence *evidence, gint64 id)
{
  for (guint i = 0; i < evidence->snapshots->len; i++)
    {
      const FwrEvidenceSnapshot *item = g_ptr_array_index (evidence->snapshots, i);
      if (item->snapshot->id == id)
        return item;
    }
  return NULL;
}

/* Reading the period */

static void
set_str (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
in_period (const FwrEvidence *ev, const char *time)
{
  return time != NULL && !_fwr_time_before (time, ev->from) && !_fwr_time_before (ev->to, time);
}

static gboolean
read_settings (FwrStore *self, FwrEvidence *ev, GError **error)
{
  g_autofree char *retention = NULL;
  guint64 months = 0;
  if ((ev->store_id = BACKEND (self)->get_setting (self->backend, FWR_SETTING_STORE_ID, error)) == NULL ||
      (retention = BACKEND (self)->get_setting (self->backend, FWR_SETTING_RETENTION, error)) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
                     "%s: the store's id or retention setting is missing", fwr_store_get_path (self));
      return FALSE;
    }
  g_ascii_string_to_unsigned (retention, 10, 0, G_MAXUINT, &months, NULL);
  ev->retention_months = (guint) months;
  return TRUE;
}

static gboolean
read_changes (FwrStore *self, FwrEvidence *ev, GError **error)
{
  g_autoptr (GPtrArray) changes = _fwr_rows_keep (BACKEND (self)->list_changes (self->backend, error),
                                                  ev->device->id);
  g_autoptr (GPtrArray) approvals = changes ? BACKEND (self)->list_approvals (self->backend, error) : NULL;
  if (approvals == NULL)
    return FALSE;
  ev->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_change_free);
  ev->approvals = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_approval_free);
  g_autoptr (GHashTable) kept = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (changes, i);
      if (!in_period (ev, change->submitted_at) && !in_period (ev, change->decided_at) &&
          !in_period (ev, change->implemented_at))
        continue;
      g_ptr_array_add (ev->changes, g_steal_pointer (&changes->pdata[i]));
      g_hash_table_add (kept, &change->id);
    }
  for (guint i = 0; i < approvals->len; i++)
    if (g_hash_table_contains (kept, &((FwrApproval *) g_ptr_array_index (approvals, i))->change_id))
      g_ptr_array_add (ev->approvals, g_steal_pointer (&approvals->pdata[i]));
  return TRUE;
}

/* The approved configuration in force at the end of the period: the last baseline approval
 * or implementation on or before it. */
static gint64
end_baseline_id (FwrStore *self, FwrEvidence *ev, GError **error)
{
  g_autoptr (GPtrArray) changes = _fwr_rows_keep (BACKEND (self)->list_changes (self->backend, error),
                                                  ev->device->id);
  if (changes == NULL)
    return -1;
  gint64 id = 0;
  const char *latest = NULL;
  for (guint i = 0; i < changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (changes, i);
      const char *when = NULL;
      gint64 snapshot = 0;
      if (change->is_baseline && change->state == FWR_CHANGE_APPROVED)
        when = change->decided_at, snapshot = change->proposed_snapshot_id;
      else if (change->state == FWR_CHANGE_IMPLEMENTED)
        when = change->implemented_at, snapshot = change->implemented_snapshot_id;
      if (when == NULL || _fwr_time_before (ev->to, when) ||
          (latest != NULL && _fwr_time_before (when, latest)))
        continue;
      latest = when;
      id = snapshot;
    }
  return id;
}

static gboolean
read_reviews_and_drift (FwrStore *self, FwrEvidence *ev, GError **error)
{
  g_autoptr (GPtrArray) reviews = _fwr_review_load_all (self, ev->device->id, error);
  g_autoptr (GPtrArray) checks = reviews ? _fwr_rows_keep (BACKEND (self)->list_drift_checks (self->backend, error),
                                                           ev->device->id) : NULL;
  if (checks == NULL)
    return FALSE;
  ev->reviews = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_review_free);
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      if (in_period (ev, review->started_at) || (review->signoff && in_period (ev, review->signoff->signed_at)))
        g_ptr_array_add (ev->reviews, g_steal_pointer (&reviews->pdata[i]));
    }
  ev->drift_checks = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_drift_check_free);
  for (guint i = 0; i < checks->len; i++)
    if (in_period (ev, ((FwrDriftCheck *) g_ptr_array_index (checks, i))->checked_at))
      g_ptr_array_add (ev->drift_checks, g_steal_pointer (&checks->pdata[i]));
  return TRUE;
}

static char *
dup_snapshot_path (const FwrSnapshot *snapshot)
{
  g_autofree char *base = g_path_get_basename (snapshot->file);
  g_strcanon (base, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", '_');
  return g_strdup_printf ("snapshots/%" G_GINT64_FORMAT "-%s", snapshot->id, base);
}

/* The original bytes, checked against their SHA-256: a damaged store is never exported. */
static GBytes *
read_original (FwrStore *self, const FwrSnapshot *snapshot, GError **error)
{
  g_autoptr (GBytes) compressed = BACKEND (self)->get_blob (self->backend, snapshot->sha256, error);
  g_autoptr (GBytes) bytes = compressed ? _fwr_decompress (compressed, error) : NULL;
  if (bytes == NULL)
    return NULL;
  g_autofree char *actual = _fwr_sha256_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!g_str_equal (actual, snapshot->sha256))
    {
      g_set_error (error, FWR_STORE_ERROR, FWR_STORE_ERROR_CORRUPT,
                   "%s: the stored configuration of snapshot %" G_GINT64_FORMAT " does not match its "
                   "SHA-256", fwr_store_get_path (self), snapshot->id);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

static void
want (GHashTable *ids, gint64 id)
{
  if (id != 0)
    g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
}

/* Every configuration the period refers to: imported in it, or named by its changes, reviews
 * and drift checks, and the baseline in force at its end. */
static gboolean
read_snapshots (FwrStore *self, FwrEvidence *ev, gint64 end_id, GError **error)
{
  g_autoptr (GPtrArray) all = BACKEND (self)->list_snapshots (self->backend, error);
  if (all == NULL)
    return FALSE;
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  want (ids, end_id);
  for (guint i = 0; i < ev->changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (ev->changes, i);
      want (ids, change->baseline_snapshot_id);
      want (ids, change->proposed_snapshot_id);
      want (ids, change->implemented_snapshot_id);
    }
  for (guint i = 0; i < ev->reviews->len; i++)
    want (ids, ((FwrReview *) g_ptr_array_index (ev->reviews, i))->snapshot_id);
  for (guint i = 0; i < ev->drift_checks->len; i++)
    {
      FwrDriftCheck *check = g_ptr_array_index (ev->drift_checks, i);
      want (ids, check->snapshot_id);
      want (ids, check->baseline_snapshot_id);
    }
  ev->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) evidence_snapshot_free);
  for (guint i = 0; i < all->len; i++)
    {
      FwrSnapshot *snapshot = g_ptr_array_index (all, i);
      if (ev->oldest_snapshot == NULL || _fwr_time_before (snapshot->imported_at, ev->oldest_snapshot))
        set_str (&ev->oldest_snapshot, snapshot->imported_at);
      if (!g_hash_table_contains (ids, &snapshot->id) &&
          (snapshot->device_id != ev->device->id || !in_period (ev, snapshot->imported_at)))
        continue;
      FwrEvidenceSnapshot *item = g_new0 (FwrEvidenceSnapshot, 1);
      item->path = dup_snapshot_path (snapshot);
      item->snapshot = g_steal_pointer (&all->pdata[i]);
      g_ptr_array_add (ev->snapshots, item);
      if ((item->data = read_original (self, item->snapshot, error)) == NULL)
        return FALSE;
    }
  if (end_id != 0)
    {
      if ((ev->end_baseline = _fwr_store_find_snapshot (self, end_id, error)) == NULL ||
          (ev->end_ruleset = _fwr_store_read_ruleset (self, end_id, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_diffs (FwrStore *self, FwrEvidence *ev, GError **error)
{
  ev->diffs = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) fwr_diff_free);
  for (guint i = 0; i < ev->changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (ev->changes, i);
      g_autoptr (FwrRuleset) before = NULL;
      g_autoptr (FwrRuleset) after = _fwr_store_read_ruleset (self, change->proposed_snapshot_id, error);
      if (after == NULL ||
          (change->baseline_snapshot_id != 0 &&
           (before = _fwr_store_read_ruleset (self, change->baseline_snapshot_id, error)) == NULL))
        return FALSE;
      g_hash_table_insert (ev->diffs, &change->id, fwr_diff_new (before, after));
    }
  return TRUE;
}

typedef struct {
  FwrEvidence *ev;
  gint64 last_in_period;    /* index in records of the last record inside the period, -1 none */
} AuditRead;

static gboolean
collect_audit (FwrAuditRecord *record, gpointer data, GError **error)
{
  AuditRead *read = data;
  FwrEvidence *ev = read->ev;
  g_autoptr (FwrAuditRecord) owned = record;
  if (ev->oldest_record == NULL)
    ev->oldest_record = g_strdup (record->time);
  ev->head_seq = record->seq;
  set_str (&ev->head_sha256, record->sha256);
  if (g_str_equal (record->action, "store.purge"))
    {
      g_autoptr (json_t) details = json_loads (record->details, 0, NULL);
      ev->n_purges++;
      set_str (&ev->last_purge, json_string_value (json_object_get (details, "before")));
    }
  if (g_str_equal (record->action, "store.init") || g_str_equal (record->action, "user.add") ||
      g_str_equal (record->action, "user.revoke"))
    {
      FwrAuditRecord *copy = g_new0 (FwrAuditRecord, 1);
      *copy = *record;
      copy->time = g_strdup (record->time);
      copy->actor = g_strdup (record->actor);
      copy->actor_key = g_strdup (record->actor_key);
      copy->action = g_strdup (record->action);
      copy->subject_type = g_strdup (record->subject_type);
      copy->subject_sha256 = g_strdup (record->subject_sha256);
      copy->details = g_strdup (record->details);
      copy->prev_sha256 = g_strdup (record->prev_sha256);
      copy->sha256 = g_strdup (record->sha256);
      copy->signature = g_strdup (record->signature);
      g_ptr_array_add (ev->key_records, copy);
    }
  /* The segment is contiguous from the first record of the period to its last, so its chain
   * can be checked link by link. */
  if (ev->records->len == 0 && !in_period (ev, record->time))
    return TRUE;
  if (in_period (ev, record->time))
    read->last_in_period = ev->records->len;
  g_ptr_array_add (ev->records, g_steal_pointer (&owned));
  return TRUE;
}

static gboolean
read_audit (FwrStore *self, FwrEvidence *ev, GError **error)
{
  ev->records = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_audit_record_free);
  ev->key_records = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_audit_record_free);
  AuditRead read = { ev, -1 };
  if (!BACKEND (self)->foreach_audit (self->backend, collect_audit, &read, error))
    return FALSE;
  g_ptr_array_set_size (ev->records, (guint) (read.last_in_period + 1));
  return TRUE;
}

typedef struct {
  const FwrIdentity *actor;
  const char *device;
  FwrEvidence *ev;
} GatherArg;

static gpointer
gather_func (FwrStore *self, gconstpointer arg, GError **error)
{
  const GatherArg *gather = arg;
  FwrEvidence *ev = gather->ev;
  ev->exporter = _fwr_store_authorize (self, gather->actor,
                                       ROLE (FWR_ROLE_ADMIN) | ROLE (FWR_ROLE_SUPERVISOR) | ROLE (FWR_ROLE_AUDITOR),
                                       "exporting evidence", error);
  if (ev->exporter == NULL || !read_settings (self, ev, error) ||
      (ev->device = _fwr_store_find_device (self, gather->device, error)) == NULL ||
      (ev->users = BACKEND (self)->list_users (self->backend, error)) == NULL ||
      !read_changes (self, ev, error) || !read_reviews_and_drift (self, ev, error))
    return NULL;
  gint64 end_id = end_baseline_id (self, ev, error);
  if (end_id < 0 || !read_snapshots (self, ev, end_id, error) || !read_diffs (self, ev, error) ||
      !read_audit (self, ev, error))
    return NULL;
  return ev;
}

/* Writing the bundle */

static gboolean
write_file (const char *dir, const char *name, const void *data, gsize length, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr (GError) local_error = NULL;
  if (g_mkdir_with_parents (parent, 0755) != 0 ||
      !g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &local_error))
    {
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_IO, "%s: cannot write: %s", path,
                   local_error ? local_error->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* RFC 4180: fields quoted when they hold a comma, a quote or a line break; CRLF line ends. */
static void
csv_add_row (GString *out, const char * const *fields, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      const char *field = fields[i] ? fields[i] : "";
      if (i > 0)
        g_string_append_c (out, ',');
      if (strpbrk (field, ",\"\r\n") == NULL)
        {
          g_string_append (out, field);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = field; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}

static const char *
check_reason (const char *check)
{
  guint n = 0;
  const FwrCheckInfo *checks = fwr_check_get_all (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (checks[i].name, check))
      return checks[i].reason;
  return NULL;
}

static char *
dup_findings_csv (const FwrEvidence *ev)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "severity", "check", "rule_id", "chain", "rule", "message", "clause" };
  csv_add_row (out, header, G_N_ELEMENTS (header));
  guint n = ev->report ? fwr_report_get_n_findings (ev->report) : 0;
  for (int severity = FWR_SEVERITY_CRITICAL; severity >= FWR_SEVERITY_INFO; severity--)
    for (guint i = 0; i < n; i++)
      {
        const FwrFinding *finding = fwr_report_get_finding (ev->report, i);
        if ((int) fwr_finding_get_severity (finding) != severity)
          continue;
        FwrRule *rule = fwr_finding_get_rule (finding);
        g_autofree char *match = rule ? fwr_rule_dup_match_text (rule) : NULL;
        const char *row[] = { fwr_severity_to_string (fwr_finding_get_severity (finding)),
                              fwr_finding_get_check (finding), fwr_finding_get_subject_id (finding),
                              rule ? fwr_chain_get_id (fwr_rule_get_chain (rule)) : NULL, match,
                              fwr_finding_get_message (finding),
                              check_reason (fwr_finding_get_check (finding)) };
        csv_add_row (out, row, G_N_ELEMENTS (row));
      }
  return g_string_free (out, FALSE);
}

static char *
dup_decisions_csv (const FwrEvidence *ev)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "review_id", "scope", "rule_id", "rule", "comment", "findings", "decision",
                           "reason", "decided_by", "decided_at", "change_id", "signed_off_by",
                           "signed_off_at" };
  csv_add_row (out, header, G_N_ELEMENTS (header));
  for (guint r = 0; r < ev->reviews->len; r++)
    {
      const FwrReview *review = g_ptr_array_index (ev->reviews, r);
      g_autofree char *review_id = g_strdup_printf ("%" G_GINT64_FORMAT, review->id);
      for (guint i = 0; i < review->rules->len; i++)
        {
          const FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
          const FwrReviewDecision *decision = fwr_review_find_decision (review, rule->rule_id);
          g_autofree char *text = g_strdup_printf ("%s %s", rule->match, rule->verdict);
          g_autoptr (GString) checks = g_string_new (NULL);
          for (guint f = 0; f < rule->findings->len; f++)
            g_string_append_printf (checks, "%s%s", f ? " " : "",
                                    ((FwrReviewFinding *) g_ptr_array_index (rule->findings, f))->check);
          g_autofree char *change = decision && decision->change_id
                                    ? g_strdup_printf ("%" G_GINT64_FORMAT, decision->change_id) : NULL;
          const char *row[] = { review_id, fwr_review_scope_to_string (review->scope), rule->rule_id,
                                text, rule->comment, checks->str,
                                decision ? fwr_review_decision_to_string (decision->decision) : "undecided",
                                decision ? decision->reason : NULL, decision ? decision->decided_by : NULL,
                                decision ? decision->decided_at : NULL, change,
                                review->signoff ? review->signoff->signed_by : NULL,
                                review->signoff ? review->signoff->signed_at : NULL };
          csv_add_row (out, row, G_N_ELEMENTS (row));
        }
    }
  return g_string_free (out, FALSE);
}

static const char *
snapshot_sha256 (const FwrEvidence *ev, gint64 id)
{
  const FwrEvidenceSnapshot *item = id ? _fwr_evidence_find_snapshot (ev, id) : NULL;
  return item ? item->snapshot->sha256 : NULL;
}

static char *
dup_changes_csv (const FwrEvidence *ev)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "change_id", "baseline", "state", "reason", "ticket", "submitted_by",
                           "submitted_at", "decided_by", "decided_at", "implemented_by",
                           "implemented_at", "added", "removed", "modified", "moved",
                           "baseline_sha256", "proposed_sha256" };
  csv_add_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < ev->changes->len; i++)
    {
      const FwrChange *change = g_ptr_array_index (ev->changes, i);
      FwrDiff *diff = g_hash_table_lookup (ev->diffs, &change->id);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, change->id);
      char counts[4][16];
      for (guint k = 0; k < 4; k++)
        g_snprintf (counts[k], sizeof counts[k], "%u", fwr_diff_count (diff, (FwrDiffKind) k));
      const char *row[] = { id, change->is_baseline ? "yes" : "no",
                            fwr_change_state_to_string (change->state), change->reason, change->ticket,
                            change->submitted_by, change->submitted_at, change->decided_by,
                            change->decided_at, change->implemented_by, change->implemented_at,
                            counts[0], counts[1], counts[2], counts[3],
                            snapshot_sha256 (ev, change->baseline_snapshot_id),
                            snapshot_sha256 (ev, change->proposed_snapshot_id) };
      csv_add_row (out, row, G_N_ELEMENTS (row));
    }
  return g_string_free (out, FALSE);
}

char *
_fwr_evidence_dup_json_text (json_t *root)
{
  char *text = json_dumps (root, JSON_INDENT (2));
  char *copy = g_strconcat (text, "\n", NULL);
  free (text);
  return copy;
}

json_t *
_fwr_evidence_record_to_json (const FwrAuditRecord *record)
{
  return json_pack ("{s:I, s:s, s:s, s:s, s:s, s:s?, s:I, s:s, s:s, s:s, s:s, s:s}",
                    "seq", (json_int_t) record->seq, "time", record->time, "actor", record->actor,
                    "actor_key", record->actor_key, "action", record->action,
                    "subject_type", record->subject_type, "subject_id", (json_int_t) record->subject_id,
                    "subject_sha256", record->subject_sha256, "details", record->details,
                    "prev_sha256", record->prev_sha256, "sha256", record->sha256,
                    "signature", record->signature);
}

static json_t *
records_to_json (GPtrArray *records)
{
  json_t *list = json_array ();
  for (guint i = 0; i < records->len; i++)
    json_array_append_new (list, _fwr_evidence_record_to_json (g_ptr_array_index (records, i)));
  return list;
}

static json_t *
signed_objects_to_json (const FwrEvidence *ev, json_t **out_decisions, json_t **out_signoffs)
{
  json_t *approvals = json_array ();
  for (guint i = 0; i < ev->approvals->len; i++)
    {
      const FwrApproval *a = g_ptr_array_index (ev->approvals, i);
      json_array_append_new (approvals, json_pack ("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s, s:s}",
          "id", (json_int_t) a->id, "change", (json_int_t) a->change_id,
          "decision", a->approved ? "approve" : "reject", "approver", a->approver,
          "public_key", a->public_key, "comment", a->comment, "decided_at", a->decided_at,
          "baseline_sha256", a->baseline_sha256, "proposed_sha256", a->proposed_sha256,
          "signature", a->signature));
    }
  *out_decisions = json_array ();
  *out_signoffs = json_array ();
  for (guint r = 0; r < ev->reviews->len; r++)
    {
      const FwrReview *review = g_ptr_array_index (ev->reviews, r);
      for (guint i = 0; i < review->decisions->len; i++)
        {
          const FwrReviewDecision *d = g_ptr_array_index (review->decisions, i);
          json_array_append_new (*out_decisions, json_pack ("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s}",
              "id", (json_int_t) d->id, "review", (json_int_t) d->review_id, "rule", d->rule_id,
              "content_key", d->content_key, "decision", fwr_review_decision_to_string (d->decision),
              "reason", d->reason, "change", (json_int_t) d->change_id, "decided_by", d->decided_by,
              "public_key", d->public_key, "decided_at", d->decided_at,
              "snapshot_sha256", d->snapshot_sha256, "signature", d->signature));
        }
      const FwrReviewSignoff *s = review->signoff;
      if (s != NULL)
        json_array_append_new (*out_signoffs, json_pack ("{s:I, s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:s}",
            "id", (json_int_t) s->id, "review", (json_int_t) s->review_id, "signed_by", s->signed_by,
            "public_key", s->public_key, "comment", s->comment, "signed_at", s->signed_at,
            "review_sha256", s->review_sha256, "decisions_sha256", s->decisions_sha256,
            "signature", s->signature));
    }
  return approvals;
}

static char *
dup_records_json (const FwrEvidence *ev)
{
  json_t *decisions = NULL, *signoffs = NULL;
  json_t *approvals = signed_objects_to_json (ev, &decisions, &signoffs);
  json_t *snapshots = json_array ();
  for (guint i = 0; i < ev->snapshots->len; i++)
    {
      const FwrEvidenceSnapshot *item = g_ptr_array_index (ev->snapshots, i);
      const FwrSnapshot *s = item->snapshot;
      json_array_append_new (snapshots, json_pack ("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}",
          "id", (json_int_t) s->id, "device_id", (json_int_t) s->device_id, "kind", s->kind,
          "format", s->format, "file", s->file, "sha256", s->sha256, "size", (json_int_t) s->size,
          "imported_by", s->imported_by, "imported_at", s->imported_at, "path", item->path));
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:o, s:o}",
                                       "schema", FWR_EVIDENCE_RECORDS_SCHEMA, "store_id", ev->store_id,
                                       "device", ev->device->name, "period", "from", ev->from, "to", ev->to,
                                       "key_records", records_to_json (ev->key_records),
                                       "records", records_to_json (ev->records),
                                       "approvals", approvals, "review_decisions", decisions,
                                       "review_signoffs", signoffs, "snapshots", snapshots);
  return _fwr_evidence_dup_json_text (root);
}

char *
_fwr_evidence_dup_manifest_signed_text (json_t *manifest, gsize *length)
{
  g_autoptr (json_t) copy = json_deep_copy (manifest);
  json_object_del (copy, "signature");
  char *text = json_dumps (copy, JSON_COMPACT | JSON_SORT_KEYS);
  char *signed_text = g_strconcat ("fwreview.evidence-manifest-signature/1\n", text ? text : "", NULL);
  free (text);
  if (length != NULL)
    *length = strlen (signed_text);
  return signed_text;
}

typedef struct {
  const char *dir;
  json_t *files;
} Bundle;

static gboolean
bundle_add (Bundle *bundle, const char *name, const void *data, gsize length, GError **error)
{
  if (!write_file (bundle->dir, name, data, length, error))
    return FALSE;
  g_autofree char *sha256 = _fwr_sha256_hex (data, length);
  json_array_append_new (bundle->files, json_pack ("{s:s, s:I, s:s}", "path", name,
                                                   "size", (json_int_t) length, "sha256", sha256));
  return TRUE;
}

static gboolean
bundle_add_text (Bundle *bundle, const char *name, char *text, GError **error)
{
  g_autofree char *owned = text;
  return bundle_add (bundle, name, owned, strlen (owned), error);
}

static gboolean
bundle_add_pdf (Bundle *bundle, const FwrDoc *doc, GError **error)
{
  g_autofree char *path = g_build_filename (bundle->dir, "report.pdf", NULL);
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr (GError) local_error = NULL;
  if (!_fwr_doc_write_pdf (doc, path, error))
    return FALSE;
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  g_autofree char *sha256 = _fwr_sha256_hex (data, length);
  json_array_append_new (bundle->files, json_pack ("{s:s, s:I, s:s}", "path", "report.pdf",
                                                   "size", (json_int_t) length, "sha256", sha256));
  return TRUE;
}

static json_t *
manifest_new (const FwrEvidence *ev, const FwrIdentity *actor, json_t *files)
{
  const FwrAuditRecord *first = ev->records->len ? g_ptr_array_index (ev->records, 0) : NULL;
  const FwrAuditRecord *last = ev->records->len ? g_ptr_array_index (ev->records, ev->records->len - 1) : NULL;
  json_t *manifest = json_pack ("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s, s:s}, s:{s:I, s:s}, "
                                "s:{s:o, s:o, s:o}, s:o}",
      "schema", FWR_EVIDENCE_MANIFEST_SCHEMA, "created_at", ev->exported_at,
      "device", ev->device->name, "period", "from", ev->from, "to", ev->to,
      "store_id", ev->store_id,
      "exported_by", "name", ev->exporter->name, "role", fwr_role_to_string (ev->exporter->role),
      "public_key", fwr_identity_get_public_key (actor),
      "audit_head", "seq", (json_int_t) ev->head_seq, "sha256", ev->head_sha256 ? ev->head_sha256 : "",
      "segment", "first_seq", first ? json_integer (first->seq) : json_null (),
      "last_seq", last ? json_integer (last->seq) : json_null (),
      "last_sha256", last ? json_string (last->sha256) : json_null (),
      "files", json_incref (files));
  gsize length = 0;
  g_autofree char *signed_text = _fwr_evidence_dup_manifest_signed_text (manifest, &length);
  g_autofree char *signature = fwr_identity_sign (actor, signed_text, length);
  json_object_set_new (manifest, "signature", json_string (signature));
  return manifest;
}

static gboolean
write_bundle (const FwrEvidence *ev, const FwrIdentity *actor, const char *dir, guint *n_files,
              GError **error)
{
  g_autoptr (FwrDoc) doc = _fwr_evidence_build_report (ev);
  g_autoptr (json_t) files = json_array ();
  Bundle bundle = { dir, files };
  if (!bundle_add_text (&bundle, "report.html", _fwr_doc_to_html (doc), error) ||
      !bundle_add_pdf (&bundle, doc, error) ||
      !bundle_add_text (&bundle, "findings.csv", dup_findings_csv (ev), error) ||
      !bundle_add_text (&bundle, "decisions.csv", dup_decisions_csv (ev), error) ||
      !bundle_add_text (&bundle, "changes.csv", dup_changes_csv (ev), error) ||
      !bundle_add_text (&bundle, FWR_EVIDENCE_RECORDS, dup_records_json (ev), error))
    return FALSE;
  for (guint i = 0; i < ev->snapshots->len; i++)
    {
      const FwrEvidenceSnapshot *item = g_ptr_array_index (ev->snapshots, i);
      gsize length = 0;
      const void *data = g_bytes_get_data (item->data, &length);
      if (!bundle_add (&bundle, item->path, data, length, error))
        return FALSE;
    }
  g_autoptr (json_t) manifest = manifest_new (ev, actor, files);
  *n_files = (guint) json_array_size (files);
  return bundle_add_text (&bundle, FWR_EVIDENCE_MANIFEST, _fwr_evidence_dup_json_text (manifest), error);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Writes into a hidden folder beside dir and renames it into place: the bundle is there
 * whole or not at all. */
static gboolean
write_bundle_atomically (const FwrEvidence *ev, const FwrIdentity *actor, const char *dir,
                         guint *n_files, GError **error)
{
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_EXISTS,
                   "%s exists already: evidence goes into a new folder", dir);
      return FALSE;
    }
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *template = g_strdup_printf ("%s/.%s.XXXXXX", parent, base);
  if (g_mkdtemp_full (template, 0755) == NULL)
    {
      int saved = errno;
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_IO, "%s: cannot create a folder: %s",
                   parent, g_strerror (saved));
      return FALSE;
    }
  if (!write_bundle (ev, actor, template, n_files, error))
    {
      remove_tree (template);
      return FALSE;
    }
  if (g_rename (template, dir) != 0)
    {
      int saved = errno;
      remove_tree (template);
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_IO, "%s: cannot create: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

FwrEvidenceExport *
fwr_store_export_evidence (FwrStore *self, const FwrIdentity *actor, const char *device,
                           GDateTime *from, GDateTime *to, const char *dir, GError **error)
{
  g_return_val_if_fail (self != NULL && actor != NULL && device != NULL, NULL);
  g_return_val_if_fail (from != NULL && to != NULL && dir != NULL, NULL);

  if (g_date_time_compare (from, to) > 0)
    {
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_INVALID,
                   "the period ends before it starts");
      return NULL;
    }
  g_autoptr (FwrEvidence) ev = g_new0 (FwrEvidence, 1);
  ev->from = _fwr_time_format (from);
  ev->to = _fwr_time_format (to);
  ev->exported_at = _fwr_now_iso ();
  GatherArg gather = { actor, device, ev };
  if (_fwr_store_read (self, gather_func, &gather, error) == NULL)
    return NULL;
  if (ev->end_ruleset != NULL)
    {
      g_autoptr (FwrZoneMap) zones = fwr_store_dup_device_zones (self, ev->device, error);
      if (zones == NULL && ev->device->zones != NULL)
        return NULL;
      ev->report = fwr_analyze (ev->end_ruleset, zones);
    }

  FwrEvidenceExport *result = g_new0 (FwrEvidenceExport, 1);
  if (!write_bundle_atomically (ev, actor, dir, &result->n_files, error))
    {
      fwr_evidence_export_free (result);
      return NULL;
    }
  result->dir = g_strdup (dir);
  result->n_records = ev->records->len;
  result->n_snapshots = ev->snapshots->len;
  result->n_findings = ev->report ? fwr_report_get_n_findings (ev->report) : 0;
  result->n_reviews = ev->reviews->len;
  result->n_changes = ev->changes->len;
  result->head_seq = ev->head_seq;
  result->head_sha256 = g_strdup (ev->head_sha256);
  return result;
}
