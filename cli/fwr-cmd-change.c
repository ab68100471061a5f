/* fwr-cmd-change.c: `fwreview change submit|show|approve|reject|implemented|list`: change
 * requests against a device's approved baseline, decided by a supervisor who did not submit. */
#include "fwr-cli-store.h"

#include <stdlib.h>

/* Submit */

static int
change_submit (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *device = NULL, *proposed = NULL, *reason = NULL, *ticket = NULL;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "The device to change", "NAME" },
    { "proposed", 0, 0, G_OPTION_ARG_FILENAME, &proposed, "The configuration after the change", "FILE" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why the change is needed", "TEXT" },
    { "ticket", 0, 0, G_OPTION_ARG_STRING, &ticket, "The change ticket it belongs to", "ID" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("change submit", NULL,
                                   "Request a change against the device's approved baseline.",
                                   "Admins and supervisors submit; a supervisor other than the submitter decides.",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  if (device == NULL || proposed == NULL || reason == NULL)
    return fwr_cli_usage_error ("change submit", "--device, --proposed and --reason are required");
  if (args[1] != NULL)
    return fwr_cli_usage_error ("change submit", "unexpected argument “%s”", args[1]);

  gsize length = 0;
  g_autofree char *data = fwr_cli_read_input (proposed, &length);
  if (data == NULL)
    return FWR_EXIT_BAD_INPUT;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  if (!fwr_store_submit_change (store, identity, device, proposed, data, length, reason, ticket,
                                &id, &error))
    return fwr_cli_fail (error);
  if (!json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, "change %" G_GINT64_FORMAT " submitted for %s; review it with "
                              "“fwreview change show %" G_GINT64_FORMAT "”\n", id, device, id);
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:s, s:s}", "schema", "fwreview.change/1",
                                       "id", (json_int_t) id, "device", device, "state", "submitted");
  return fwr_cli_print_json (root);
}

/* Show */

typedef struct {
  FwrChange *change;
  FwrDevice *device;
  GPtrArray *approvals;
  FwrSnapshot *baseline;      /* (nullable) */
  FwrSnapshot *proposed;
  FwrSnapshot *implemented;   /* (nullable) */
  FwrRuleset *before;         /* (nullable) */
  FwrRuleset *after;
  FwrDiff *diff;
  FwrRiskDelta *risk;
  FwrTrafficDelta *traffic;
} ChangeView;

static void
change_view_clear (ChangeView *view)
{
  g_clear_pointer (&view->change, fwr_change_free);
  g_clear_pointer (&view->device, fwr_device_free);
  g_clear_pointer (&view->approvals, g_ptr_array_unref);
  g_clear_pointer (&view->baseline, fwr_snapshot_free);
  g_clear_pointer (&view->proposed, fwr_snapshot_free);
  g_clear_pointer (&view->implemented, fwr_snapshot_free);
  g_clear_pointer (&view->before, fwr_ruleset_unref);
  g_clear_pointer (&view->after, fwr_ruleset_unref);
  g_clear_pointer (&view->diff, fwr_diff_free);
  g_clear_pointer (&view->risk, fwr_risk_delta_free);
  g_clear_pointer (&view->traffic, fwr_traffic_delta_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ChangeView, change_view_clear)

/* Loads everything change show prints: records, both rulesets, the diff and the risk. */
static gboolean
change_view_load (ChangeView *view, FwrStore *store, gint64 id, GError **error)
{
  if ((view->change = fwr_store_get_change (store, id, error)) == NULL ||
      (view->device = fwr_store_get_device_by_id (store, view->change->device_id, error)) == NULL ||
      (view->approvals = fwr_store_list_approvals (store, id, error)) == NULL ||
      (view->proposed = fwr_store_get_snapshot (store, view->change->proposed_snapshot_id, error)) == NULL ||
      (view->after = fwr_store_load_ruleset (store, view->change->proposed_snapshot_id, error)) == NULL)
    return FALSE;
  if (view->change->baseline_snapshot_id != 0 &&
      ((view->baseline = fwr_store_get_snapshot (store, view->change->baseline_snapshot_id, error)) == NULL ||
       (view->before = fwr_store_load_ruleset (store, view->change->baseline_snapshot_id, error)) == NULL))
    return FALSE;
  if (view->change->implemented_snapshot_id != 0 &&
      (view->implemented = fwr_store_get_snapshot (store, view->change->implemented_snapshot_id, error)) == NULL)
    return FALSE;
  g_autoptr (FwrZoneMap) zones = fwr_store_dup_device_zones (store, view->device, error);
  if (zones == NULL && view->device->zones != NULL)
    return FALSE;
  view->diff = fwr_diff_new (view->before, view->after);
  view->risk = fwr_risk_delta_new (view->before, view->after, zones);
  view->traffic = fwr_traffic_delta_new (view->before, view->after, zones);
  return TRUE;
}

static json_t *
snapshot_to_json (const FwrSnapshot *snapshot)
{
  if (snapshot == NULL)
    return json_null ();
  return json_pack ("{s:I, s:s, s:s, s:i, s:s, s:s}", "id", (json_int_t) snapshot->id,
                    "file", snapshot->file, "sha256", snapshot->sha256, "rules", (int) snapshot->n_rules,
                    "imported_by", snapshot->imported_by, "imported_at", snapshot->imported_at);
}

static json_t *
approvals_to_json (GPtrArray *approvals)
{
  json_t *list = json_array ();
  for (guint i = 0; i < approvals->len; i++)
    {
      FwrApproval *approval = g_ptr_array_index (approvals, i);
      gsize length = 0;
      g_autofree char *signed_text = fwr_approval_dup_signed_text (approval, &length);
      gboolean valid = fwr_signature_verify (approval->public_key, signed_text, length, approval->signature);
      json_array_append_new (list, json_pack ("{s:s, s:s, s:s?, s:s, s:s?, s:s, s:s, s:s, s:b}",
                                              "decision", approval->approved ? "approve" : "reject",
                                              "by", approval->approver, "comment", approval->comment,
                                              "at", approval->decided_at,
                                              "baseline_sha256", approval->baseline_sha256,
                                              "proposed_sha256", approval->proposed_sha256,
                                              "public_key", approval->public_key,
                                              "signature", approval->signature,
                                              "signature_valid", valid));
    }
  return list;
}

static json_t *
findings_to_json (const FwrRiskDelta *risk, gboolean resolved)
{
  json_t *list = json_array ();
  const FwrReport *report = resolved ? fwr_risk_delta_get_before_report (risk)
                                     : fwr_risk_delta_get_after_report (risk);
  guint n = resolved ? fwr_risk_delta_get_n_resolved (risk) : fwr_risk_delta_get_n_new (risk);
  for (guint i = 0; i < n; i++)
    json_array_append_new (list, fwr_cli_finding_to_json (report, resolved
                                                          ? fwr_risk_delta_get_resolved (risk, i)
                                                          : fwr_risk_delta_get_new (risk, i)));
  return list;
}

/* NULL (any) or the set's text. */
static json_t *
range_set_to_json (const FwrRangeSet *set)
{
  if (set == NULL)
    return json_null ();
  g_autofree char *text = fwr_range_set_to_string (set);
  return json_string (text);
}

static json_t *
addr_set_to_json (const FwrAddrSet *set)
{
  g_autofree char *text = fwr_addr_set_to_string (set);
  return json_string (text);
}

static json_t *
traffic_to_json (const FwrTrafficDelta *traffic)
{
  json_t *flows = json_array ();
  for (guint i = 0; i < fwr_traffic_delta_get_n_flows (traffic); i++)
    json_array_append_new (flows, json_pack ("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
      "change", fwr_traffic_change_to_string (fwr_traffic_delta_get_change (traffic, i)),
      "hook", fwr_hook_to_string (fwr_traffic_delta_get_hook (traffic, i)),
      "from_zone", fwr_traffic_delta_get_from_zone (traffic, i),
      "to_zone", fwr_traffic_delta_get_to_zone (traffic, i),
      "sources", addr_set_to_json (fwr_traffic_delta_get_sources (traffic, i)),
      "destinations", addr_set_to_json (fwr_traffic_delta_get_destinations (traffic, i)),
      "protocols", range_set_to_json (fwr_traffic_delta_get_protocols (traffic, i)),
      "ports", range_set_to_json (fwr_traffic_delta_get_ports (traffic, i))));
  return json_pack ("{s:b, s:o}", "complete", fwr_traffic_delta_is_complete (traffic), "flows", flows);
}

static void
append_traffic_text (GString *out, const FwrTrafficDelta *traffic)
{
  guint n = fwr_traffic_delta_get_n_flows (traffic);
  g_string_append_printf (out, "Traffic (%u flow%s)%s:\n", n, n == 1 ? "" : "s",
                          fwr_traffic_delta_is_complete (traffic) ? "" : " (incomplete: too fragmented to compute all)");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *src = fwr_addr_set_to_string (fwr_traffic_delta_get_sources (traffic, i));
      g_autofree char *dst = fwr_addr_set_to_string (fwr_traffic_delta_get_destinations (traffic, i));
      const FwrRangeSet *protos = fwr_traffic_delta_get_protocols (traffic, i);
      const FwrRangeSet *ports = fwr_traffic_delta_get_ports (traffic, i);
      g_autofree char *proto_text = protos ? fwr_range_set_to_string (protos) : g_strdup ("any");
      g_autofree char *port_text = ports ? fwr_range_set_to_string (ports) : g_strdup ("any");
      g_string_append_printf (out, "  newly %-9s %-8s %s -> %s: from %s to %s, protocol %s, port %s\n",
                              fwr_traffic_change_to_string (fwr_traffic_delta_get_change (traffic, i)),
                              fwr_hook_to_string (fwr_traffic_delta_get_hook (traffic, i)),
                              fwr_traffic_delta_get_from_zone (traffic, i), fwr_traffic_delta_get_to_zone (traffic, i),
                              src, dst, proto_text, port_text);
    }
}

static json_t *
change_view_to_json (const ChangeView *view)
{
  const FwrChange *change = view->change;
  return json_pack ("{s:s, s:I, s:s, s:s, s:b, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s?, "
                    "s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o}, s:o}",
                    "schema", "fwreview.change/1",
                    "id", (json_int_t) change->id,
                    "device", view->device->name,
                    "state", fwr_change_state_to_string (change->state),
                    "baseline", change->is_baseline,
                    "reason", change->reason,
                    "ticket", change->ticket,
                    "submitted_by", change->submitted_by,
                    "submitted_at", change->submitted_at,
                    "decided_by", change->decided_by,
                    "decided_at", change->decided_at,
                    "implemented_by", change->implemented_by,
                    "implemented_at", change->implemented_at,
                    "baseline_snapshot", snapshot_to_json (view->baseline),
                    "proposed_snapshot", snapshot_to_json (view->proposed),
                    "implemented_snapshot", snapshot_to_json (view->implemented),
                    "approvals", approvals_to_json (view->approvals),
                    "diff", fwr_cli_diff_to_json (view->diff),
                    "risk", "new_findings", findings_to_json (view->risk, FALSE),
                    "resolved_findings", findings_to_json (view->risk, TRUE),
                    "traffic", traffic_to_json (view->traffic));
}

static void
append_findings_text (GString *out, const FwrRiskDelta *risk, gboolean resolved)
{
  guint n = resolved ? fwr_risk_delta_get_n_resolved (risk) : fwr_risk_delta_get_n_new (risk);
  g_string_append_printf (out, "%s findings (%u):\n", resolved ? "Resolved" : "New", n);
  for (guint i = 0; i < n; i++)
    {
      const FwrFinding *finding = resolved ? fwr_risk_delta_get_resolved (risk, i)
                                           : fwr_risk_delta_get_new (risk, i);
      g_string_append_printf (out, "  %-8s %-20s %s: %s\n",
                              fwr_severity_to_string (fwr_finding_get_severity (finding)),
                              fwr_finding_get_check (finding), fwr_finding_get_subject_id (finding),
                              fwr_finding_get_message (finding));
    }
}

static void
change_view_to_text (GString *out, const ChangeView *view)
{
  const FwrChange *change = view->change;
  g_string_append_printf (out, "Change %" G_GINT64_FORMAT " on %s: %s%s\n", change->id,
                          view->device->name, fwr_change_state_to_string (change->state),
                          change->is_baseline ? " (baseline)" : "");
  g_string_append_printf (out, "  reason:      %s%s%s%s\n", change->reason,
                          change->ticket ? " (ticket " : "", change->ticket ? change->ticket : "",
                          change->ticket ? ")" : "");
  g_string_append_printf (out, "  submitted:   %s at %s\n", change->submitted_by, change->submitted_at);
  if (view->baseline != NULL)
    g_string_append_printf (out, "  baseline:    snapshot %" G_GINT64_FORMAT ", sha256 %s\n",
                            view->baseline->id, view->baseline->sha256);
  g_string_append_printf (out, "  proposed:    snapshot %" G_GINT64_FORMAT ", sha256 %s\n",
                          view->proposed->id, view->proposed->sha256);
  for (guint i = 0; i < view->approvals->len; i++)
    {
      FwrApproval *approval = g_ptr_array_index (view->approvals, i);
      g_string_append_printf (out, "  %-12s %s at %s%s%s%s\n", approval->approved ? "approved:" : "rejected:",
                              approval->approver, approval->decided_at,
                              approval->comment ? ": “" : "", approval->comment ? approval->comment : "",
                              approval->comment ? "”" : "");
    }
  if (view->implemented != NULL)
    g_string_append_printf (out, "  implemented: %s at %s, snapshot %" G_GINT64_FORMAT "\n",
                            change->implemented_by, change->implemented_at, view->implemented->id);
  g_string_append_printf (out, "\nDiff: %u added, %u removed, %u modified, %u moved\n",
                          fwr_diff_count (view->diff, FWR_DIFF_ADDED), fwr_diff_count (view->diff, FWR_DIFF_REMOVED),
                          fwr_diff_count (view->diff, FWR_DIFF_MODIFIED), fwr_diff_count (view->diff, FWR_DIFF_MOVED));
  fwr_cli_diff_to_text (out, view->diff);
  g_string_append_c (out, '\n');
  append_findings_text (out, view->risk, FALSE);
  append_findings_text (out, view->risk, TRUE);
  g_string_append_c (out, '\n');
  append_traffic_text (out, view->traffic);
}

static int
change_show (FwrCli *cli, int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  gint64 id = 0;
  if (!fwr_cli_parse_options_json ("change show", "ID", "Show a change: state, decisions, diff and risk.",
                                   "The diff pairs rules by content and position, never by handle; counters are\n"
                                   "ignored. The risk lists the findings the change introduces and resolves.\n"
                                   "JSON (fwreview.change/1): \"state\", \"diff\" {\"added\", \"removed\", \"modified\",\n"
                                   "\"moved\", \"chains\"}, \"risk\" {\"new_findings\", \"resolved_findings\"} in the\n"
                                   "shape of fwreview.analysis/1 findings, \"approvals\" with their signatures.",
                                   NULL, &args, &json, &exit_code) ||
      !fwr_cli_parse_id ("change show", "change", args, &id, &exit_code))
    return exit_code;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  g_auto (ChangeView) view = { 0 };
  g_autoptr (GError) error = NULL;
  if (!change_view_load (&view, store, id, &error))
    return fwr_cli_fail (error);
  if (json)
    {
      g_autoptr (json_t) root = change_view_to_json (&view);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  change_view_to_text (out, &view);
  return fwr_cli_print_text (out);
}

/* Decide */

static int
change_decide (FwrCli *cli, int argc, char **argv, gboolean approve)
{
  const char *command = approve ? "change approve" : "change reject";
  g_autofree char *comment = NULL;
  const GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment,
      approve ? "What you checked (optional)" : "Why (required)", "TEXT" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  gint64 id = 0;
  if (!fwr_cli_parse_options_json (command, "ID", approve ? "Approve a change (supervisors only)."
                                                          : "Reject a change (supervisors only).",
                                   "Never the submitter, never a revoked key: a refusal exits 4 with the reason.\n"
                                   "The signature covers the SHA-256 of the baseline and of the proposed\n"
                                   "configuration, so it cannot be moved to another ruleset.",
                                   entries, &args, &json, &exit_code) ||
      !fwr_cli_parse_id (command, "change", args, &id, &exit_code))
    return exit_code;
  if (!approve && comment == NULL)
    return fwr_cli_usage_error (command, "--comment TEXT is required");

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  gboolean done = approve ? fwr_store_approve_change (store, identity, id, comment, &error)
                          : fwr_store_reject_change (store, identity, id, comment, &error);
  g_autoptr (FwrChange) change = done ? fwr_store_get_change (store, id, &error) : NULL;
  if (change == NULL)
    return fwr_cli_fail (error);
  if (!json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, "change %" G_GINT64_FORMAT " %s by %s\n", id,
                              fwr_change_state_to_string (change->state), change->decided_by);
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:s, s:s, s:s}", "schema", "fwreview.change/1",
                                       "id", (json_int_t) id,
                                       "state", fwr_change_state_to_string (change->state),
                                       "decided_by", change->decided_by, "decided_at", change->decided_at);
  return fwr_cli_print_json (root);
}

static int
change_approve (FwrCli *cli, int argc, char **argv)
{
  return change_decide (cli, argc, argv, TRUE);
}

static int
change_reject (FwrCli *cli, int argc, char **argv)
{
  return change_decide (cli, argc, argv, FALSE);
}

/* Implemented */

static int
change_implemented (FwrCli *cli, int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  guint64 id = 0;
  if (!fwr_cli_parse_options_json ("change implemented", "ID FILE",
                                   "Record that the device now runs an approved change (admins only).",
                                   "FILE is what the device runs now (nft -j list ruleset). It must be\n"
                                   "semantically equal to the approved proposal (handles and counters do not\n"
                                   "matter); it then becomes the device's baseline. When it is not, nothing is\n"
                                   "recorded, the differences are printed and the exit status is 1.",
                                   NULL, &args, &json, &exit_code))
    return exit_code;
  if (args[1] == NULL || args[2] == NULL || args[3] != NULL ||
      !g_ascii_string_to_unsigned (args[1], 10, 1, G_MAXINT64, &id, NULL))
    return fwr_cli_usage_error ("change implemented", "expected a change ID and a FILE");

  gsize length = 0;
  g_autofree char *data = fwr_cli_read_input (args[2], &length);
  if (data == NULL)
    return FWR_EXIT_BAD_INPUT;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrDiff) diff = NULL;
  gboolean done = fwr_store_implement_change (store, identity, (gint64) id, args[2], data, length,
                                              &diff, &error);
  g_autoptr (FwrChange) change = done ? fwr_store_get_change (store, (gint64) id, &error) : NULL;
  if (change == NULL && diff == NULL)
    return fwr_cli_fail (error);

  int status = change ? FWR_EXIT_OK : fwr_cli_fail (error);
  if (json)
    {
      g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:s, s:b, s:o, s:o}", "schema", "fwreview.change/1",
                                           "id", (json_int_t) id,
                                           "state", change ? "implemented" : "approved",
                                           "implemented", change != NULL,
                                           "snapshot", fwr_cli_json_nullable_id (change ? change->implemented_snapshot_id : 0),
                                           "differences", diff ? fwr_cli_diff_to_json (diff) : json_null ());
      return fwr_cli_print_json (root) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
    }
  g_autoptr (GString) out = g_string_new (NULL);
  if (change != NULL)
    g_string_append_printf (out, "change %" G_GINT64_FORMAT " implemented: snapshot %" G_GINT64_FORMAT
                            " is the new baseline\n", (gint64) id, change->implemented_snapshot_id);
  else
    {
      g_string_append (out, "Differences from the approved proposal:\n");
      fwr_cli_diff_to_text (out, diff);
    }
  return fwr_cli_print_text (out) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
}

/* List */

static int
change_list (FwrCli *cli, int argc, char **argv)
{
  g_autoptr (FwrStore) store = NULL;
  gint64 device_id = 0;
  int exit_code;
  gboolean json;
  if (!fwr_cli_begin_store_read (cli, "change list", "List change requests.", NULL, "Only this device's changes",
                                 argv, &json, &store, &device_id, &exit_code))
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = fwr_store_list_changes (store, device_id, &error);
  if (changes == NULL)
    return fwr_cli_fail (error);
  json_t *list = json_array ();
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < changes->len; i++)
    {
      FwrChange *change = g_ptr_array_index (changes, i);
      json_array_append_new (list, json_pack ("{s:I, s:I, s:s, s:b, s:s, s:s, s:s}",
                                              "id", (json_int_t) change->id,
                                              "device_id", (json_int_t) change->device_id,
                                              "state", fwr_change_state_to_string (change->state),
                                              "baseline", change->is_baseline, "reason", change->reason,
                                              "submitted_by", change->submitted_by,
                                              "submitted_at", change->submitted_at));
      g_string_append_printf (out, "%5" G_GINT64_FORMAT "  %-11s %s  %s: %s\n", change->id,
                              fwr_change_state_to_string (change->state), change->submitted_at,
                              change->submitted_by, change->reason);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:o}", "schema", "fwreview.changes/1", "changes", list);
  return json ? fwr_cli_print_json (root) : fwr_cli_print_text (out);
}

int
fwr_cmd_change (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "submit", "request a change against the approved baseline", change_submit },
    { "show", "show a change: decisions, diff, findings it adds and resolves", change_show },
    { "approve", "approve a change (supervisors, never the submitter)", change_approve },
    { "reject", "reject a change (supervisors, never the submitter)", change_reject },
    { "implemented", "record that the device runs the approved change", change_implemented },
    { "list", "list change requests", change_list },
  };
  return fwr_cli_run_subcommand (cli, "change", subs, G_N_ELEMENTS (subs), argc, argv);
}
