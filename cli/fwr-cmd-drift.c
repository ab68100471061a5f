/* fwr-cmd-drift.c: `fwreview drift --device NAME FILE`: is what runs the approved baseline?
 * Every check is recorded; --notify also tells syslog (the journal), for alerting timers. */
#include "fwr-cli-store.h"
#include "fwr-cli-live.h"

#include <syslog.h>

/* One line to syslog, which the systemd journal collects: a warning on drift, so an alert
 * rule can match on priority and the FWREVIEW tag. */
static void
notify (const char *device, const FwrDriftCheck *check)
{
  openlog ("fwreview", LOG_PID, LOG_AUTHPRIV);
  if (check->drift)
    syslog (LOG_WARNING, "drift: %s does not run its approved baseline (snapshot %" G_GINT64_FORMAT
            "): %u unapproved difference%s; drift check %" G_GINT64_FORMAT ", what runs kept as "
            "snapshot %" G_GINT64_FORMAT, device, check->baseline_snapshot_id, check->n_differences,
            check->n_differences == 1 ? "" : "s", check->id, check->snapshot_id);
  else
    syslog (LOG_INFO, "drift: %s runs its approved baseline (snapshot %" G_GINT64_FORMAT
            "); drift check %" G_GINT64_FORMAT, device, check->baseline_snapshot_id, check->id);
  closelog ();
}

int
fwr_cmd_drift (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *device = NULL;
  gboolean send = FALSE, live = FALSE;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "The device FILE comes from", "NAME" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live,
      "Instead of FILE, the nftables ruleset running here (needs CAP_NET_ADMIN)", NULL },
    { "notify", 0, 0, G_OPTION_ARG_NONE, &send, "Also send the result to syslog / the journal", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("drift", "FILE", "Compare what a device runs with its approved baseline.",
                                   "FILE is the running configuration (nft -j list ruleset; “-” reads standard\n"
                                   "input), or with --live the ruleset running in this network namespace.\n"
                                   "The comparison is semantic: handles and counters do not matter.\n"
                                   "Every check is recorded in the store and the audit log (any registered role\n"
                                   "may check), with a snapshot of what runs when it drifted (JSON \"snapshot\";\n"
                                   "null for a clean check, which keeps \"running_sha256\" only). With --notify the result also goes to syslog (facility authpriv,\n"
                                   "tag fwreview): priority warning on drift, info otherwise.\n"
                                   "Exit status: 0 no drift, 1 drift (the differences are printed).",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  gsize length = 0;
  g_autofree char *name = NULL;
  g_autofree char *data = fwr_cli_read_device_config ("drift", device, live, args, &name, &length,
                                                      &exit_code);
  if (data == NULL)
    return exit_code;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrDriftCheck) check = NULL;
  g_autoptr (FwrDiff) diff = NULL;
  if (!fwr_store_check_drift (store, identity, device, name, data, length, &check, &diff, &error))
    return fwr_cli_fail (error);
  if (send)
    notify (device, check);

  int status = check->drift ? FWR_EXIT_CHECK_FAILED : FWR_EXIT_OK;
  if (json)
    {
      g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:s, s:b, s:i, s:s, s:o, s:I, s:s, s:o}",
                                           "schema", "fwreview.drift/1", "id", (json_int_t) check->id,
                                           "device", device, "drift", check->drift,
                                           "differences", (int) check->n_differences,
                                           "running_sha256", check->running_sha256,
                                           "snapshot", fwr_cli_json_nullable_id (check->snapshot_id),
                                           "baseline_snapshot", (json_int_t) check->baseline_snapshot_id,
                                           "checked_at", check->checked_at,
                                           "diff", fwr_cli_diff_to_json (diff));
      return fwr_cli_print_json (root) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
    }
  g_autoptr (GString) out = g_string_new (NULL);
  if (check->drift)
    {
      g_string_append_printf (out, "DRIFT: %s does not run its approved baseline (snapshot %"
                              G_GINT64_FORMAT "): %u unapproved difference%s\n", device,
                              check->baseline_snapshot_id, check->n_differences,
                              check->n_differences == 1 ? "" : "s");
      fwr_cli_diff_to_text (out, diff);
    }
  else
    g_string_append_printf (out, "%s runs its approved baseline (snapshot %" G_GINT64_FORMAT ")\n",
                            device, check->baseline_snapshot_id);
  return fwr_cli_print_text (out) == FWR_EXIT_OK ? status : FWR_EXIT_BAD_INPUT;
}
