/* fwr-cmd-export.c: `fwreview export evidence|verify`: the evidence bundle of a device for a
 * period, and its verification with no store at hand. */
#include "fwr-cli-store.h"

/* A bare date as --to means the whole of that day. */
static GDateTime *
parse_period_end (const char *text)
{
  g_autoptr (GDateTime) time = fwr_time_parse (text);
  if (time == NULL || strchr (text, 'T') != NULL)
    return g_steal_pointer (&time);
  g_autoptr (GDateTime) next_day = g_date_time_add_days (time, 1);
  return g_date_time_add_seconds (next_day, -1);
}

static int
export_evidence (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *device = NULL, *from_text = NULL, *to_text = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "The device", "NAME" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "First day of the period", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "Last day of the period (included)", "DATE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The folder to create", "DIR" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("export evidence", NULL,
                                   "Write the evidence bundle of a device for a period (any role).",
                                   "DIR must not exist; it appears complete or not at all:\n"
                                   "  report.html     summary, findings by severity, reviews with every decision,\n"
                                   "                  changes with their diff, approvals, drift checks, retention;\n"
                                   "                  each record tagged with the CC-17010 clause it answers\n"
                                   "  report.pdf      the same content\n"
                                   "  findings.csv, decisions.csv, changes.csv   (UTF-8, RFC 4180, a header row)\n"
                                   "  records.json    the audit records of the period with their signatures, the\n"
                                   "                  records registering the keys that check them, the signed\n"
                                   "                  approvals, review decisions and sign-offs\n"
                                   "  snapshots/      the original configurations the period refers to\n"
                                   "  manifest.json   SHA-256 of every file, the audit chain head, your signature\n"
                                   "The report's language follows the locale (English by default).\n"
                                   "JSON (fwreview.evidence/1): \"dir\", \"files\", \"records\", \"audit_head\".",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  if (device == NULL || from_text == NULL || to_text == NULL || out == NULL)
    return fwr_cli_usage_error ("export evidence", "--device, --from, --to and --out are required");
  if (args[1] != NULL)
    return fwr_cli_usage_error ("export evidence", "unexpected argument “%s”", args[1]);
  g_autoptr (GDateTime) from = fwr_time_parse (from_text);
  g_autoptr (GDateTime) to = parse_period_end (to_text);
  if (from == NULL || to == NULL)
    return fwr_cli_usage_error ("export evidence", "“%s” is not a date (2025-01-31) or an ISO 8601 time",
                                from == NULL ? from_text : to_text);

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrEvidenceExport) result = fwr_store_export_evidence (store, identity, device, from, to,
                                                                    out, &error);
  if (result == NULL)
    {
      if (error->domain != FWR_EVIDENCE_ERROR)
        return fwr_cli_fail (error);
      fwr_cli_error ("%s", error->message);
      return error->code == FWR_EVIDENCE_ERROR_IO ? FWR_EXIT_STORE : FWR_EXIT_BAD_INPUT;
    }
  if (json)
    {
      g_autoptr (json_t) root = json_pack ("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:{s:I, s:s?}}",
                                           "schema", "fwreview.evidence/1", "dir", result->dir,
                                           "files", (int) result->n_files, "records", (int) result->n_records,
                                           "snapshots", (int) result->n_snapshots,
                                           "findings", (int) result->n_findings,
                                           "reviews", (int) result->n_reviews,
                                           "changes", (int) result->n_changes,
                                           "audit_head", "seq", (json_int_t) result->head_seq,
                                           "sha256", result->head_sha256);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) text = g_string_new (NULL);
  g_string_append_printf (text, "evidence of %s written to %s: %u files, %u audit records, %u "
                          "configurations, %u reviews, %u changes; audit head record %" G_GINT64_FORMAT
                          " %s\n", device, result->dir, result->n_files, result->n_records,
                          result->n_snapshots, result->n_reviews, result->n_changes, result->head_seq,
                          result->head_sha256 ? result->head_sha256 : "-");
  return fwr_cli_print_text (text);
}

static int
export_verify (FwrCli *cli, int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("export verify", "DIR", "Check an evidence bundle, with no store.",
                                   "Checks manifest.json (its form and the exporter's signature), the SHA-256 and\n"
                                   "size of every file and that none was added, the chain, hashes and signatures\n"
                                   "of the audit records, every approval, review decision and sign-off signature\n"
                                   "against the record that logged it, and every configuration's SHA-256.\n"
                                   "Compare the audit head it prints with “fwreview audit verify” on the store.\n"
                                   "Exit status: 0 intact; 1 altered (each problem named); 3 no such folder.",
                                   NULL, &args, &json, &exit_code))
    return exit_code;
  if (args[1] == NULL || args[2] != NULL)
    return fwr_cli_usage_error ("export verify", "expected one DIR");
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrEvidenceCheck) check = fwr_evidence_verify (args[1], &error);
  if (check == NULL)
    {
      fwr_cli_error ("%s", error->message);
      return FWR_EXIT_BAD_INPUT;
    }
  int status = check->intact ? FWR_EXIT_OK : FWR_EXIT_CHECK_FAILED;
  if (json)
    {
      json_t *problems = json_array ();
      for (guint i = 0; i < check->problems->len; i++)
        json_array_append_new (problems, json_string (g_ptr_array_index (check->problems, i)));
      g_autoptr (json_t) root = json_pack ("{s:s, s:b, s:s?, s:{s:s?, s:s?}, s:s?, s:s?, s:{s:I, s:s?}, "
                                           "s:i, s:i, s:o}",
                                           "schema", "fwreview.evidence-verify/1", "intact", check->intact,
                                           "device", check->device, "period", "from", check->period_from,
                                           "to", check->period_to, "exported_by", check->exported_by,
                                           "exported_at", check->exported_at,
                                           "audit_head", "seq", (json_int_t) check->head_seq,
                                           "sha256", check->head_sha256,
                                           "files", (int) check->n_files, "records", (int) check->n_records,
                                           "problems", problems);
      return fwr_cli_print_json (root) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
    }
  g_autoptr (GString) out = g_string_new (NULL);
  if (check->intact)
    g_string_append_printf (out, "evidence intact: %s, %s to %s, exported by %s on %s; %u files, %u "
                            "audit records; audit head record %" G_GINT64_FORMAT " %s\n",
                            check->device, check->period_from, check->period_to, check->exported_by,
                            check->exported_at, check->n_files, check->n_records, check->head_seq,
                            check->head_sha256);
  else
    {
      g_string_append_printf (out, "evidence ALTERED: %u problem%s\n", check->problems->len,
                              check->problems->len == 1 ? "" : "s");
      for (guint i = 0; i < check->problems->len; i++)
        g_string_append_printf (out, "  %s\n", (const char *) g_ptr_array_index (check->problems, i));
    }
  return fwr_cli_print_text (out) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
}

int
fwr_cmd_export (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "evidence", "write a device's evidence bundle for a period", export_evidence },
    { "verify", "check a bundle without the store (exit 1 when altered)", export_verify },
  };
  return fwr_cli_run_subcommand (cli, "export", subs, G_N_ELEMENTS (subs), argc, argv);
}
