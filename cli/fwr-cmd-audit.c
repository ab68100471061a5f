/* fwr-cmd-audit.c: `fwreview audit verify` checks the hash chain, every signature and every
 * table against the log; `fwreview audit log` prints the records. */
#include "fwr-cli-store.h"

static int
audit_verify (FwrCli *cli, int argc, char **argv)
{
  g_autoptr (FwrStore) store = NULL;
  int exit_code;
  gboolean json;
  if (!fwr_cli_begin_store_read (cli, "audit verify", "Check that the store's records are intact.",
                                 "Checks the hash chain of the audit log, every record's Ed25519 signature\n"
                                 "against the keys the log itself registered (roles, revocations), and every\n"
                                 "user, device, snapshot (with its stored bytes), change, decision and drift\n"
                                 "check against the record that wrote it.\n"
                                 "Exit status: 0 intact; 1 broken, naming the first broken record.\n"
                                 "Keep the printed head hash elsewhere: a log rewritten from its first record\n"
                                 "on with new keys can only be told from the original by its head.",
                                 NULL, argv, &json, &store, NULL, &exit_code))
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrAuditReport) report = fwr_store_verify_audit (store, &error);
  if (report == NULL)
    return fwr_cli_fail (error);

  int status = report->intact ? FWR_EXIT_OK : FWR_EXIT_CHECK_FAILED;
  if (json)
    {
      json_t *problems = json_array ();
      for (guint i = 0; i < report->problems->len; i++)
        json_array_append_new (problems, json_string (g_ptr_array_index (report->problems, i)));
      g_autoptr (json_t) root = json_pack ("{s:s, s:b, s:I, s:s?, s:o, s:o}", "schema", "fwreview.audit/1",
                                           "intact", report->intact,
                                           "records", (json_int_t) report->n_records,
                                           "head_sha256", report->head_sha256,
                                           "first_broken", fwr_cli_json_nullable_id (report->first_broken),
                                           "problems", problems);
      return fwr_cli_print_json (root) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
    }
  g_autoptr (GString) out = g_string_new (NULL);
  if (report->intact)
    g_string_append_printf (out, "audit log intact: %" G_GUINT64_FORMAT " records, head %s\n",
                            report->n_records, report->head_sha256);
  else
    {
      if (report->first_broken != 0)
        g_string_append_printf (out, "audit log BROKEN at record %" G_GINT64_FORMAT "\n", report->first_broken);
      else
        g_string_append (out, "audit log BROKEN: the tables disagree with the log\n");
      for (guint i = 0; i < report->problems->len; i++)
        g_string_append_printf (out, "  %s\n", (const char *) g_ptr_array_index (report->problems, i));
    }
  return fwr_cli_print_text (out) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
}

static int
audit_log (FwrCli *cli, int argc, char **argv)
{
  g_autoptr (FwrStore) store = NULL;
  int exit_code;
  gboolean json;
  if (!fwr_cli_begin_store_read (cli, "audit log", "Print the audit records, oldest first.", NULL,
                                 NULL, argv, &json, &store, NULL, &exit_code))
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = fwr_store_list_audit (store, &error);
  if (records == NULL)
    return fwr_cli_fail (error);

  json_t *list = json_array ();
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < records->len; i++)
    {
      FwrAuditRecord *r = g_ptr_array_index (records, i);
      json_t *details = json_loads (r->details, 0, NULL);
      json_array_append_new (list, json_pack ("{s:I, s:s, s:s, s:s, s:s, s:s?, s:o, s:s, s:o, s:s, s:s, s:s}",
                                              "seq", (json_int_t) r->seq, "time", r->time,
                                              "actor", r->actor, "actor_key", r->actor_key,
                                              "action", r->action, "subject_type", r->subject_type,
                                              "subject_id", fwr_cli_json_nullable_id (r->subject_id),
                                              "subject_sha256", r->subject_sha256,
                                              "details", details ? details : json_string (r->details),
                                              "prev_sha256", r->prev_sha256, "sha256", r->sha256,
                                              "signature", r->signature));
      g_string_append_printf (out, "%6" G_GINT64_FORMAT "  %s  %-10s %-18s %s\n", r->seq, r->time,
                              r->actor, r->action, r->details);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:o}", "schema", "fwreview.audit/1", "records", list);
  return json ? fwr_cli_print_json (root) : fwr_cli_print_text (out);
}

int
fwr_cmd_audit (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "verify", "check the audit chain, signatures and tables", audit_verify },
    { "log", "print the audit records", audit_log },
  };
  return fwr_cli_run_subcommand (cli, "audit", subs, G_N_ELEMENTS (subs), argc, argv);
}
