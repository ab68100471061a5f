/* fwr-evidence-report.c: the evidence report as blocks (summary, findings, reviews, changes,
 * approvals, drift checks, retention), each record tagged with its clause; and its HTML form. */
#include <glib/gi18n-lib.h>

#include "fwr-evidence-private.h"

/* The document model */

static void
block_free (FwrDocBlock *block)
{
  g_free (block->text);
  g_clear_pointer (&block->cells, g_ptr_array_unref);
  g_free (block);
}

FwrDoc *
_fwr_doc_new (const char *title, const char *lang)
{
  FwrDoc *doc = g_new0 (FwrDoc, 1);
  doc->title = g_strdup (title);
  doc->lang = g_strdup (lang);
  doc->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  return doc;
}

void
_fwr_doc_free (FwrDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->title);
  g_free (doc->lang);
  g_ptr_array_unref (doc->blocks);
  g_free (doc);
}

void
_fwr_doc_add (FwrDoc *doc, FwrDocKind kind, const char *format, ...)
{
  va_list args;
  FwrDocBlock *block = g_new0 (FwrDocBlock, 1);
  block->kind = kind;
  va_start (args, format);
  block->text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (doc->blocks, block);
}

FwrDocBlock *
_fwr_doc_add_table (FwrDoc *doc, const char * const *header)
{
  FwrDocBlock *block = g_new0 (FwrDocBlock, 1);
  block->kind = FWR_DOC_TABLE;
  block->n_columns = g_strv_length ((char **) header);
  block->cells = g_ptr_array_new_with_free_func (g_free);
  _fwr_doc_table_add_row (block, header);
  g_ptr_array_add (doc->blocks, block);
  return block;
}

void
_fwr_doc_table_add_row (FwrDocBlock *table, const char * const *cells)
{
  for (guint i = 0; i < table->n_columns; i++)
    g_ptr_array_add (table->cells, g_strdup (cells[i] ? cells[i] : ""));
}

/* HTML */

static const char html_style[] =
  "body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt;margin:2em;color:#111}"
  "h1{font-size:16pt}h2{font-size:13pt;border-bottom:1px solid #999;margin-top:1.6em}"
  "h3{font-size:11pt;margin-top:1.2em}"
  "p.clause{font-style:italic;color:#14508c;border-left:3px solid #14508c;padding-left:.5em}"
  "pre{font-family:'DejaVu Sans Mono',monospace;font-size:8.5pt;background:#f4f4f4;padding:.5em;"
  "white-space:pre-wrap}"
  "table{border-collapse:collapse;margin:.5em 0;width:100%}"
  "th,td{border:1px solid #bbb;padding:.2em .4em;text-align:left;vertical-align:top;font-size:9pt}"
  "th{background:#e8e8e8}";

static void
append_escaped (GString *out, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_string_append (out, escaped);
}

static void
append_element (GString *out, const char *tag, const char *attributes, const char *text)
{
  g_string_append_printf (out, "<%s%s>", tag, attributes);
  append_escaped (out, text);
  g_string_append_printf (out, "</%s>\n", tag);
}

static void
append_table (GString *out, const FwrDocBlock *table)
{
  guint n_rows = table->cells->len / table->n_columns;
  g_string_append (out, "<table>\n<thead><tr>");
  for (guint row = 0; row < n_rows; row++)
    {
      if (row == 1)
        g_string_append (out, "<tbody>\n");
      if (row > 0)
        g_string_append (out, "<tr>");
      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (out, row == 0 ? "<th>" : "<td>");
          append_escaped (out, g_ptr_array_index (table->cells, row * table->n_columns + c));
          g_string_append (out, row == 0 ? "</th>" : "</td>");
        }
      g_string_append (out, row == 0 ? "</tr></thead>\n" : "</tr>\n");
    }
  if (n_rows > 1)
    g_string_append (out, "</tbody>\n");
  g_string_append (out, "</table>\n");
}

char *
_fwr_doc_to_html (const FwrDoc *doc)
{
  GString *out = g_string_new ("<!DOCTYPE html>\n<html lang=\"");
  append_escaped (out, doc->lang);
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  append_escaped (out, doc->title);
  g_string_append_printf (out, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_style);
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const FwrDocBlock *block = g_ptr_array_index (doc->blocks, i);
      switch (block->kind)
        {
        case FWR_DOC_TITLE:
          append_element (out, "h1", "", block->text);
          break;
        case FWR_DOC_HEADING:
          append_element (out, "h2", "", block->text);
          break;
        case FWR_DOC_SUBHEADING:
          append_element (out, "h3", "", block->text);
          break;
        case FWR_DOC_TEXT:
          append_element (out, "p", "", block->text);
          break;
        case FWR_DOC_CLAUSE:
          append_element (out, "p", " class=\"clause\"", block->text);
          break;
        case FWR_DOC_CODE:
          append_element (out, "pre", "", block->text);
          break;
        case FWR_DOC_TABLE:
          append_table (out, block);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

/* Clauses: the short tag each record carries, and the sentence each section opens with. */

typedef enum {
  CLAUSE_APPROVAL,
  CLAUSE_DMZ_REVIEW,
  CLAUSE_YEARLY_REVIEW,
  CLAUSE_RETENTION,
  CLAUSE_POSITIVE_LIST,
  CLAUSE_SERVICES,
  CLAUSE_SEPARATION,
  CLAUSE_REMOTE,
  CLAUSE_RULE_RECORDS,
} Clause;

static const char *
clause_tag (Clause clause)
{
  static const char *tags[] = {
    N_("CC-17010 approval by supervisor"),
    N_("CC-17010 semi-annual DMZ review"),
    N_("CC-17010 yearly review"),
    N_("CC-17010 3-year retention"),
    N_("CC-17010 positive list"),
    N_("CC-17010 necessary services only"),
    N_("CC-17010 network separation"),
    N_("CC-17010 remote connections"),
    N_("CC-17010 records of firewall rules"),
  };
  return _(tags[clause]);
}

/* The sentence for the five clauses a section can open with. */
static const char *
clause_text (Clause clause)
{
  static const char *texts[] = {
    N_("CC-17010 approval by supervisor: the firewall configuration and every change to it are "
       "approved by the proper supervisor, never by the person who asked for the change "
       "(CC-17020); each decision is signed."),
    N_("CC-17010 semi-annual DMZ review: the rules for the DMZ are examined at least every six "
       "months, rule by rule, and the records are kept."),
    N_("CC-17010 yearly review: access-control settings and the rules of external network "
       "equipment are reviewed at least once a year, and the records are kept."),
    N_("CC-17010 3-year retention: records of firewall entries, exits and backup copies of the "
       "configuration are kept at least three years."),
    N_("CC-17010 positive list: rules follow minimum authorization and list the services allowed "
       "explicitly; any-any, overly-permissive and default-allow findings show where they do not."),
  };
  g_return_val_if_fail (clause < G_N_ELEMENTS (texts), "");
  return _(texts[clause]);
}

static Clause
check_clause (const char *check)
{
  if (g_str_equal (check, "any-any") || g_str_equal (check, "overly-permissive") ||
      g_str_equal (check, "default-allow"))
    return CLAUSE_POSITIVE_LIST;
  if (g_str_equal (check, "unused") || g_str_equal (check, "unused-object") ||
      g_str_equal (check, "cleartext-service") || g_str_equal (check, "zero-hits"))
    return CLAUSE_SERVICES;
  if (g_str_equal (check, "zone-isolation"))
    return CLAUSE_SEPARATION;
  if (g_str_equal (check, "remote-admin-exposure"))
    return CLAUSE_REMOTE;
  return CLAUSE_RULE_RECORDS;
}

static Clause
scope_clause (FwrReviewScope scope)
{
  return scope == FWR_REVIEW_SCOPE_DMZ ? CLAUSE_DMZ_REVIEW : CLAUSE_YEARLY_REVIEW;
}

static const char *
scope_name (FwrReviewScope scope)
{
  static const char *names[] = { N_("DMZ"), N_("access-control"), N_("external") };
  return _(names[scope]);
}

static const char *
severity_name (FwrSeverity severity)
{
  static const char *names[] = { N_("info"), N_("low"), N_("medium"), N_("high"), N_("critical") };
  return _(names[severity]);
}

static const char *
decision_name (FwrReviewDecisionKind decision)
{
  static const char *names[] = { N_("keep"), N_("tighten"), N_("remove") };
  return _(names[decision]);
}

static const char *
state_name (FwrChangeState state)
{
  static const char *names[] = { N_("submitted"), N_("approved"), N_("rejected"), N_("implemented") };
  return _(names[state]);
}

static char *
dup_id (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* Summary */

static char *
dup_zones_text (const FwrDevice *device)
{
  g_autoptr (FwrZoneMap) zones = device->zones
    ? fwr_zone_map_new_from_data ("zones", device->zones, strlen (device->zones), NULL) : NULL;
  if (zones == NULL)
    return g_strdup (_("none: every rule counts as touching every zone"));
  GString *out = g_string_new (NULL);
  for (guint z = 0; z < fwr_zone_map_get_n_zones (zones); z++)
    g_string_append_printf (out, "%s%s (%s)", z ? ", " : "", fwr_zone_map_get_name (zones, z),
                            fwr_zone_class_to_string (fwr_zone_map_get_class (zones, z)));
  return g_string_free (out, FALSE);
}

static guint
count_severity (const FwrReport *report, FwrSeverity severity)
{
  guint n = 0;
  for (guint i = 0; report != NULL && i < fwr_report_get_n_findings (report); i++)
    n += fwr_finding_get_severity (fwr_report_get_finding (report, i)) == severity;
  return n;
}

static void
add_summary (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Summary"));
  const char *header[] = { _("Item"), _("Value"), NULL };
  FwrDocBlock *table = _fwr_doc_add_table (doc, header);
  g_autofree char *zones = dup_zones_text (ev->device);
  g_autofree char *end_id = ev->end_baseline ? dup_id (ev->end_baseline->id) : NULL;
  g_autofree char *baseline = ev->end_baseline
    ? g_strdup_printf (_("snapshot %s (%s, imported on %s by %s)"), end_id,
                       ev->end_baseline->file, ev->end_baseline->imported_at, ev->end_baseline->imported_by)
    : g_strdup (_("none approved by the end of the period"));
  g_autofree char *findings = g_strdup_printf (_("%u critical, %u high, %u medium, %u low, %u info"),
                                               count_severity (ev->report, FWR_SEVERITY_CRITICAL),
                                               count_severity (ev->report, FWR_SEVERITY_HIGH),
                                               count_severity (ev->report, FWR_SEVERITY_MEDIUM),
                                               count_severity (ev->report, FWR_SEVERITY_LOW),
                                               count_severity (ev->report, FWR_SEVERITY_INFO));
  g_autofree char *reviews = g_strdup_printf ("%u", ev->reviews->len);
  g_autofree char *changes = g_strdup_printf ("%u", ev->changes->len);
  g_autofree char *drift = g_strdup_printf ("%u", ev->drift_checks->len);
  g_autofree char *records = g_strdup_printf ("%u", ev->records->len);
  const char *rows[][2] = {
    { _("Device"), ev->device->name },
    { _("Appointed owner"), ev->device->owner ? ev->device->owner : _("none named") },
    { _("Kind"), ev->device->kind },
    { _("Zones"), zones },
    { _("Approved configuration at the end of the period"), baseline },
    { _("Findings in it"), findings },
    { _("Reviews in the period"), reviews },
    { _("Change requests in the period"), changes },
    { _("Drift checks in the period"), drift },
    { _("Audit records in the period"), records },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    _fwr_doc_table_add_row (table, rows[i]);
}

/* Findings */

static void
add_findings (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Findings by severity"));
  _fwr_doc_add (doc, FWR_DOC_CLAUSE, "%s", clause_text (CLAUSE_POSITIVE_LIST));
  if (ev->report == NULL)
    {
      _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("No configuration was approved by the end of the "
                                               "period: there is nothing to analyze."));
      return;
    }
  g_autofree char *end_id = dup_id (ev->end_baseline->id);
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("The analysis of the approved configuration in force at the end "
                                     "of the period (snapshot %s)."), end_id);
  guint n = fwr_report_get_n_findings (ev->report);
  if (n == 0)
    _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("No findings."));
  for (int severity = FWR_SEVERITY_CRITICAL; severity >= FWR_SEVERITY_INFO; severity--)
    {
      guint count = count_severity (ev->report, (FwrSeverity) severity);
      if (count == 0)
        continue;
      _fwr_doc_add (doc, FWR_DOC_SUBHEADING, "%s (%u)", severity_name ((FwrSeverity) severity), count);
      const char *header[] = { _("Check"), _("Rule or object"), _("Finding"), _("Clause"), NULL };
      FwrDocBlock *table = _fwr_doc_add_table (doc, header);
      for (guint i = 0; i < n; i++)
        {
          const FwrFinding *finding = fwr_report_get_finding (ev->report, i);
          if ((int) fwr_finding_get_severity (finding) != severity)
            continue;
          const char *row[] = { fwr_finding_get_check (finding), fwr_finding_get_subject_id (finding),
                                fwr_finding_get_message (finding),
                                clause_tag (check_clause (fwr_finding_get_check (finding))) };
          _fwr_doc_table_add_row (table, row);
        }
    }
}

/* Reviews */

static char *
dup_rule_findings (const FwrReviewRule *rule)
{
  if (rule->findings->len == 0)
    return g_strdup (_("none"));
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < rule->findings->len; i++)
    {
      const FwrReviewFinding *finding = g_ptr_array_index (rule->findings, i);
      g_string_append_printf (out, "%s%s (%s)", i ? "; " : "", finding->check,
                              severity_name (finding->severity));
    }
  return g_string_free (out, FALSE);
}

static void
add_review_rules (FwrDoc *doc, const FwrReview *review)
{
  const char *header[] = { _("Rule"), _("Findings"), _("Decision"), _("Reason"), _("By"), _("At"),
                           _("Clause"), NULL };
  FwrDocBlock *table = _fwr_doc_add_table (doc, header);
  for (guint i = 0; i < review->rules->len; i++)
    {
      const FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      const FwrReviewDecision *decision = fwr_review_find_decision (review, rule->rule_id);
      g_autofree char *text = g_strdup_printf ("%s: %s %s%s%s%s", rule->rule_id, rule->match, rule->verdict,
                                               rule->comment ? " “" : "", rule->comment ? rule->comment : "",
                                               rule->comment ? "”" : "");
      g_autofree char *findings = dup_rule_findings (rule);
      g_autofree char *change_id = decision && decision->change_id ? dup_id (decision->change_id) : NULL;
      g_autofree char *what = decision == NULL ? g_strdup (_("undecided"))
        : change_id ? g_strdup_printf (_("%s (change %s)"), decision_name (decision->decision), change_id)
        : g_strdup (decision_name (decision->decision));
      const char *row[] = { text, findings, what, decision ? decision->reason : NULL,
                            decision ? decision->decided_by : NULL, decision ? decision->decided_at : NULL,
                            clause_tag (scope_clause (review->scope)) };
      _fwr_doc_table_add_row (table, row);
    }
}

static void
add_review (FwrDoc *doc, const FwrReview *review)
{
  g_autofree char *id = dup_id (review->id);
  g_autofree char *snapshot = dup_id (review->snapshot_id);
  _fwr_doc_add (doc, FWR_DOC_SUBHEADING, _("Review %s: %s rules"), id, scope_name (review->scope));
  _fwr_doc_add (doc, FWR_DOC_CLAUSE, "%s", clause_text (scope_clause (review->scope)));
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("Started on %s by %s, on the approved configuration snapshot %s; "
                                     "usage counted from %s to %s."),
                review->started_at, review->started_by, snapshot, review->period_from, review->period_to);
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("Configuration SHA-256: %s"), review->snapshot_sha256);
  if (review->signoff != NULL)
    _fwr_doc_add (doc, FWR_DOC_TEXT, _("Signed off on %s by %s%s%s: %u rules, every one decided."),
                  review->signoff->signed_at, review->signoff->signed_by,
                  review->signoff->comment ? " — " : "", review->signoff->comment ? review->signoff->comment : "",
                  review->rules->len);
  else
    _fwr_doc_add (doc, FWR_DOC_TEXT, _("Not signed off yet: %u of %u rules decided."),
                  review->decisions->len, review->rules->len);
  if (review->rules->len == 0)
    _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("No rule was in scope."));
  else
    add_review_rules (doc, review);
}

static void
add_reviews (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Reviews"));
  if (ev->reviews->len == 0)
    _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("No review was started or signed off in the period."));
  for (guint i = 0; i < ev->reviews->len; i++)
    add_review (doc, g_ptr_array_index (ev->reviews, i));
}

/* Changes and approvals */

static gboolean
approval_signature_valid (const FwrApproval *approval)
{
  gsize length = 0;
  g_autofree char *text = fwr_approval_dup_signed_text (approval, &length);
  return fwr_signature_verify (approval->public_key, text, length, approval->signature);
}

static void
add_diff (FwrDoc *doc, FwrDiff *diff)
{
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("Diff: %u added, %u removed, %u modified, %u moved."),
                fwr_diff_count (diff, FWR_DIFF_ADDED), fwr_diff_count (diff, FWR_DIFF_REMOVED),
                fwr_diff_count (diff, FWR_DIFF_MODIFIED), fwr_diff_count (diff, FWR_DIFF_MOVED));
  if (fwr_diff_get_n_entries (diff) == 0)
    return;
  g_autoptr (GString) lines = g_string_new (NULL);
  static const char marks[] = { '+', '-', '~', '>' };
  for (guint i = 0; i < fwr_diff_get_n_entries (diff); i++)
    {
      const FwrDiffEntry *entry = fwr_diff_get_entry (diff, i);
      FwrDiffKind kind = fwr_diff_entry_get_kind (entry);
      FwrRule *rule = fwr_diff_entry_get_after (entry) ? fwr_diff_entry_get_after (entry)
                                                        : fwr_diff_entry_get_before (entry);
      if (kind >= FWR_DIFF_CHAIN_ADDED || rule == NULL)
        {
          FwrChain *chain = fwr_diff_entry_get_after_chain (entry) ? fwr_diff_entry_get_after_chain (entry)
                                                                    : fwr_diff_entry_get_before_chain (entry);
          g_string_append_printf (lines, "%s%s chain %s", lines->len ? "\n" : "",
                                  fwr_diff_kind_to_string (kind), fwr_chain_get_id (chain));
          continue;
        }
      g_autofree char *match = fwr_rule_dup_match_text (rule);
      const char *target = fwr_rule_get_target (rule);
      g_string_append_printf (lines, "%s%c %s: %s %s%s%s", lines->len ? "\n" : "", marks[kind],
                              fwr_rule_get_id (rule), match, fwr_action_to_string (fwr_rule_get_action (rule)),
                              target ? " " : "", target ? target : "");
    }
  _fwr_doc_add (doc, FWR_DOC_CODE, "%s", lines->str);
}

static void
add_change (FwrDoc *doc, const FwrEvidence *ev, const FwrChange *change)
{
  g_autofree char *id = dup_id (change->id);
  _fwr_doc_add (doc, FWR_DOC_SUBHEADING, change->is_baseline ? _("Change %s (baseline): %s")
                                                             : _("Change %s: %s"),
                id, state_name (change->state));
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("Requested on %s by %s: %s%s%s"), change->submitted_at,
                change->submitted_by, change->reason, change->ticket ? " — " : "",
                change->ticket ? change->ticket : "");
  const FwrEvidenceSnapshot *baseline = change->baseline_snapshot_id
                                        ? _fwr_evidence_find_snapshot (ev, change->baseline_snapshot_id) : NULL;
  const FwrEvidenceSnapshot *proposed = _fwr_evidence_find_snapshot (ev, change->proposed_snapshot_id);
  g_autofree char *baseline_id = baseline ? dup_id (baseline->snapshot->id) : NULL;
  g_autofree char *proposed_id = proposed ? dup_id (proposed->snapshot->id) : NULL;
  g_autofree char *implemented_id = dup_id (change->implemented_snapshot_id);
  if (baseline != NULL)
    _fwr_doc_add (doc, FWR_DOC_TEXT, _("Before: snapshot %s, SHA-256 %s"), baseline_id,
                  baseline->snapshot->sha256);
  if (proposed != NULL)
    _fwr_doc_add (doc, FWR_DOC_TEXT, _("Proposed: snapshot %s, SHA-256 %s"), proposed_id,
                  proposed->snapshot->sha256);
  if (change->implemented_at != NULL)
    _fwr_doc_add (doc, FWR_DOC_TEXT, _("Implemented on %s by %s: the running configuration (snapshot %s) "
                                       "was checked equal to the approved proposal."),
                  change->implemented_at, change->implemented_by, implemented_id);
  for (guint i = 0; i < ev->approvals->len; i++)
    {
      const FwrApproval *approval = g_ptr_array_index (ev->approvals, i);
      if (approval->change_id != change->id)
        continue;
      _fwr_doc_add (doc, FWR_DOC_TEXT, approval->approved ? _("Approved on %s by %s%s%s (%s).")
                                                          : _("Rejected on %s by %s%s%s (%s)."),
                    approval->decided_at, approval->approver, approval->comment ? ": " : "",
                    approval->comment ? approval->comment : "",
                    approval_signature_valid (approval) ? _("signature valid") : _("SIGNATURE INVALID"));
    }
  add_diff (doc, g_hash_table_lookup (ev->diffs, &change->id));
}

static void
add_changes (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Changes"));
  _fwr_doc_add (doc, FWR_DOC_CLAUSE, "%s", clause_text (CLAUSE_APPROVAL));
  if (ev->changes->len == 0)
    _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("No change was requested, decided or implemented in the period."));
  for (guint i = 0; i < ev->changes->len; i++)
    add_change (doc, ev, g_ptr_array_index (ev->changes, i));
}

static void
add_approvals (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Approvals"));
  _fwr_doc_add (doc, FWR_DOC_CLAUSE, "%s", clause_text (CLAUSE_APPROVAL));
  if (ev->approvals->len == 0)
    {
      _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("No supervisor decision in the period."));
      return;
    }
  const char *header[] = { _("Change"), _("Decision"), _("Supervisor"), _("Requested by"), _("At"),
                           _("Comment"), _("Signature"), _("Clause"), NULL };
  FwrDocBlock *table = _fwr_doc_add_table (doc, header);
  for (guint i = 0; i < ev->approvals->len; i++)
    {
      const FwrApproval *approval = g_ptr_array_index (ev->approvals, i);
      const FwrChange *change = NULL;
      for (guint c = 0; c < ev->changes->len; c++)
        if (((FwrChange *) g_ptr_array_index (ev->changes, c))->id == approval->change_id)
          change = g_ptr_array_index (ev->changes, c);
      g_autofree char *id = dup_id (approval->change_id);
      const char *row[] = { id, approval->approved ? _("approved") : _("rejected"), approval->approver,
                            change ? change->submitted_by : NULL, approval->decided_at, approval->comment,
                            approval_signature_valid (approval) ? _("valid") : _("INVALID"),
                            clause_tag (CLAUSE_APPROVAL) };
      _fwr_doc_table_add_row (table, row);
    }
}

/* Drift checks */

static void
add_drift_checks (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Drift checks"));
  _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("Each check compares what the device runs with the "
                                           "approved configuration; a drift is a change nobody approved."));
  if (ev->drift_checks->len == 0)
    {
      _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("No drift check in the period."));
      return;
    }
  const char *header[] = { _("Check"), _("At"), _("By"), _("Approved snapshot"), _("Result"), _("Clause"), NULL };
  FwrDocBlock *table = _fwr_doc_add_table (doc, header);
  for (guint i = 0; i < ev->drift_checks->len; i++)
    {
      const FwrDriftCheck *check = g_ptr_array_index (ev->drift_checks, i);
      g_autofree char *id = dup_id (check->id);
      g_autofree char *baseline = dup_id (check->baseline_snapshot_id);
      g_autofree char *kept = dup_id (check->snapshot_id);
      g_autofree char *result = check->drift
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "DRIFT: %u unapproved difference; what ran is snapshot %s",
                                        "DRIFT: %u unapproved differences; what ran is snapshot %s",
                                        check->n_differences),
                           check->n_differences, kept)
        : g_strdup (_("runs the approved configuration"));
      const char *row[] = { id, check->checked_at, check->checked_by, baseline, result,
                            clause_tag (CLAUSE_APPROVAL) };
      _fwr_doc_table_add_row (table, row);
    }
}

/* Retention and configurations */

static void
add_retention (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Retention"));
  _fwr_doc_add (doc, FWR_DOC_CLAUSE, "%s", clause_text (CLAUSE_RETENTION));
  _fwr_doc_add (doc, FWR_DOC_TEXT, ev->retention_months >= FWR_STORE_MIN_RETENTION_MONTHS
                ? _("Records are kept %u months: the checklist asks for at least %d.")
                : _("Records are kept %u months only: the checklist asks for at least %d!"),
                ev->retention_months, FWR_STORE_MIN_RETENTION_MONTHS);
  g_autofree char *n_records = dup_id (ev->head_seq);
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("The audit log starts on %s and holds %s records; none is ever "
                                     "purged."), ev->oldest_record ? ev->oldest_record : "-", n_records);
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("The oldest configuration kept dates from %s."),
                ev->oldest_snapshot ? ev->oldest_snapshot : "-");
  if (ev->n_purges == 0)
    _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("Nothing was ever purged."));
  else
    _fwr_doc_add (doc, FWR_DOC_TEXT, _("Purges: %u, the last removing records older than %s; each "
                                       "is logged with the hashes of what it removed."),
                  ev->n_purges, ev->last_purge ? ev->last_purge : "-");
}

static void
add_configurations (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Configurations"));
  _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("The original configurations the period refers to are in "
                                           "the bundle, byte for byte, under snapshots/."));
  const char *header[] = { _("Snapshot"), _("Kind"), _("File"), _("Rules"), _("Imported"), _("By"),
                           _("Clause"), NULL };
  FwrDocBlock *table = _fwr_doc_add_table (doc, header);
  for (guint i = 0; i < ev->snapshots->len; i++)
    {
      const FwrSnapshot *snapshot = ((FwrEvidenceSnapshot *) g_ptr_array_index (ev->snapshots, i))->snapshot;
      g_autofree char *id = dup_id (snapshot->id);
      g_autofree char *rules = g_strdup_printf ("%u", snapshot->n_rules);
      const char *row[] = { id, snapshot->kind, snapshot->file, rules, snapshot->imported_at,
                            snapshot->imported_by, clause_tag (CLAUSE_RETENTION) };
      _fwr_doc_table_add_row (table, row);
    }
  for (guint i = 0; i < ev->snapshots->len; i++)
    {
      const FwrEvidenceSnapshot *item = g_ptr_array_index (ev->snapshots, i);
      g_autofree char *id = dup_id (item->snapshot->id);
      _fwr_doc_add (doc, FWR_DOC_TEXT, _("Snapshot %s: %s, SHA-256 %s"), id, item->path,
                    item->snapshot->sha256);
    }
}

static void
add_verification (FwrDoc *doc, const FwrEvidence *ev)
{
  _fwr_doc_add (doc, FWR_DOC_HEADING, "%s", _("Checking this bundle"));
  _fwr_doc_add (doc, FWR_DOC_TEXT, "%s", _("“fwreview export verify” checks, without the store, the "
                                           "SHA-256 of every file against manifest.json, the exporter's "
                                           "signature, the hash chain and every signature of the audit "
                                           "records in records.json, and every configuration."));
  g_autofree char *head = dup_id (ev->head_seq);
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("Audit chain head when exported: record %s, SHA-256 %s. Compare "
                                     "it with “fwreview audit verify” on the store."),
                head, ev->head_sha256 ? ev->head_sha256 : "-");
}

static void
fwr_evidence_init_gettext (void)
{
  static gsize done = 0;
  if (g_once_init_enter (&done))
    {
      /* FWREVIEW_LOCALEDIR points at translations not installed yet (the build tree's po/). */
      const char *dir = g_getenv ("FWREVIEW_LOCALEDIR");
      bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : FWR_LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&done, 1);
    }
}

FwrDoc *
_fwr_evidence_build_report (const FwrEvidence *ev)
{
  fwr_evidence_init_gettext ();
  g_autofree char *title = g_strdup_printf (_("Firewall evidence: %s"), ev->device->name);
  /* TRANSLATORS: the language tag of the report, e.g. zh-TW */
  FwrDoc *doc = _fwr_doc_new (title, C_("report language", "en"));
  _fwr_doc_add (doc, FWR_DOC_TITLE, "%s", title);
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("Period: %s to %s."), ev->from, ev->to);
  _fwr_doc_add (doc, FWR_DOC_TEXT, _("Exported on %s by %s (%s) from store %s."), ev->exported_at,
                ev->exporter->name, fwr_role_to_string (ev->exporter->role), ev->store_id);
  add_summary (doc, ev);
  add_findings (doc, ev);
  add_reviews (doc, ev);
  add_changes (doc, ev);
  add_approvals (doc, ev);
  add_drift_checks (doc, ev);
  add_retention (doc, ev);
  add_configurations (doc, ev);
  add_verification (doc, ev);
  return doc;
}
