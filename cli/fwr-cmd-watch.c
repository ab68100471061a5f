/* fwr-cmd-watch.c: `fwreview watch --device NAME`: checks the running nftables ruleset against
 * the device's approved baseline at start and after every change the kernel announces. */
#include "fwr-cli-store.h"
#include "fwr-cli-live.h"

#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

/* A script of `nft` calls is one change: wait until the ruleset has been still this long... */
#define SETTLE_MS 100
/* ...but never hold a report back longer than this, so the alert comes within a second. */
#define MAX_DELAY_MS 400
/* After a store that stayed busy, or a reading that kept being overtaken, try again after. */
#define RETRY_SECONDS 1

static volatile sig_atomic_t stop_signal;

static void
on_stop_signal (int signal_number)
{
  stop_signal = signal_number;
}

/* Without SA_RESTART, so that the wait for events returns on SIGTERM and we stop cleanly. */
static void
catch_stop_signals (void)
{
  struct sigaction action = { .sa_handler = on_stop_signal };
  sigemptyset (&action.sa_mask);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGINT, &action, NULL);
}

typedef struct {
  FwrStore *store;
  FwrIdentity *identity;
  FwrLiveMonitor *monitor;
  const char *device;
  gboolean json;
  guint32 checked;          /* the generation last checked; every later one is still to do */
  gboolean started;
} Watch;

/* What one check covered: at start the generation found, later every generation since the
 * previous check, each counted once. */
typedef struct {
  guint32 first;
  guint32 last;
  guint changes;
  const char *process;
} Covered;

static void
report_syslog (const Watch *w, const Covered *covered, const FwrDriftCheck *check)
{
  g_autofree char *what = covered->changes == 0
    ? g_strdup_printf ("at start (generation %u)", covered->last)
    : g_strdup_printf ("changed to generation %u by %s (%u change%s since generation %u)",
                       covered->last, covered->process ? covered->process : "an unknown process",
                       covered->changes, covered->changes == 1 ? "" : "s", covered->first - 1);
  if (check->drift)
    syslog (LOG_WARNING, "watch: %s %s: UNAPPROVED, not its approved baseline (snapshot %"
            G_GINT64_FORMAT "): %u difference%s; drift check %" G_GINT64_FORMAT ", what runs kept as "
            "snapshot %" G_GINT64_FORMAT, w->device, what, check->baseline_snapshot_id,
            check->n_differences, check->n_differences == 1 ? "" : "s", check->id, check->snapshot_id);
  else
    syslog (LOG_INFO, "watch: %s %s: runs its approved baseline (snapshot %" G_GINT64_FORMAT
            "); drift check %" G_GINT64_FORMAT, w->device, what, check->baseline_snapshot_id,
            check->id);
}

/* One line per check on standard output: JSON (fwreview.watch/1) or text with the diff. */
static gboolean
report_stdout (const Watch *w, const Covered *covered, const FwrDriftCheck *check, FwrDiff *diff)
{
  g_autoptr (GString) out = g_string_new (NULL);
  if (w->json)
    {
      g_autoptr (json_t) root = json_pack ("{s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:o, s:b, s:i, s:I, s:o, s:I, s:s, s:o}",
                                           "schema", "fwreview.watch/1", "event",
                                           covered->changes == 0 ? "start" : "change",
                                           "device", w->device,
                                           "generation", (json_int_t) covered->last,
                                           "first_generation", (json_int_t) covered->first,
                                           "last_generation", (json_int_t) covered->last,
                                           "changes", (int) covered->changes,
                                           "process", covered->process ? json_string (covered->process)
                                                                       : json_null (),
                                           "drift", check->drift,
                                           "differences", (int) check->n_differences,
                                           "check", (json_int_t) check->id,
                                           "snapshot", fwr_cli_json_nullable_id (check->snapshot_id),
                                           "baseline_snapshot", (json_int_t) check->baseline_snapshot_id,
                                           "checked_at", check->checked_at,
                                           "diff", fwr_cli_diff_to_json (diff));
      char *text = json_dumps (root, JSON_COMPACT | JSON_PRESERVE_ORDER);
      g_string_append (out, text);
      g_string_append_c (out, '\n');
      free (text);
    }
  else
    {
      g_string_append_printf (out, "%s %s generation %u", check->checked_at, w->device, covered->last);
      if (covered->changes > 0)
        g_string_append_printf (out, " (%u change%s, %s)", covered->changes,
                                covered->changes == 1 ? "" : "s",
                                covered->process ? covered->process : "unknown process");
      if (check->drift)
        g_string_append_printf (out, ": DRIFT, %u unapproved difference%s (drift check %" G_GINT64_FORMAT ")\n",
                                check->n_differences, check->n_differences == 1 ? "" : "s", check->id);
      else
        g_string_append_printf (out, ": runs its approved baseline (drift check %" G_GINT64_FORMAT ")\n",
                                check->id);
      fwr_cli_diff_to_text (out, diff);
    }
  return fwr_cli_write_stdout (out->str, out->len);
}

/* Reads what runs now and records the drift check, unless the generation was checked already
 * (a change announced while the previous check was reading it). */
static gboolean
watch_check (Watch *w, GError **error)
{
  guint32 generation = 0;
  g_autofree char *netns = NULL;
  g_autoptr (GBytes) listing = fwr_import_live_listing (&netns, &generation, error);
  if (listing == NULL)
    return FALSE;
  if (w->started && generation == w->checked)
    return TRUE;

  Covered covered = {
    .first = w->started ? w->checked + 1 : generation,
    .last = generation,
    .changes = w->started ? generation - w->checked : 0,
    .process = w->started ? fwr_live_monitor_get_last_process (w->monitor) : NULL,
  };
  g_autofree char *name = g_strdup_printf ("%s (generation %u)", netns, generation);
  gsize length = 0;
  const char *data = g_bytes_get_data (listing, &length);
  g_autoptr (FwrDriftCheck) check = NULL;
  g_autoptr (FwrDiff) diff = NULL;
  if (!fwr_store_check_drift (w->store, w->identity, w->device, name, data, length, &check, &diff,
                              error))
    return FALSE;

  w->checked = generation;
  w->started = TRUE;
  report_syslog (w, &covered, check);
  if (!report_stdout (w, &covered, check, diff))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "cannot write the report");
      return FALSE;
    }
  return TRUE;
}

/* A store another writer kept busy, or a ruleset that kept changing while read, is tried
 * again: the generations it covers stay to do. Anything else ends the watch. */
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, FWR_STORE_ERROR, FWR_STORE_ERROR_BUSY)
         || g_error_matches (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_IO);
}

static int
watch_loop (Watch *w)
{
  while (stop_signal == 0)
    {
      g_autoptr (GError) error = NULL;
      guint32 now = 0;
      gboolean due = !w->started
                     || fwr_live_monitor_wait (w->monitor, w->checked, SETTLE_MS, MAX_DELAY_MS, -1,
                                               &now, &error);
      if (due && watch_check (w, &error))
        continue;
      if (error == NULL)
        continue;
      syslog (is_transient (error) ? LOG_ERR : LOG_CRIT, "watch: %s: %s", w->device, error->message);
      if (!is_transient (error))
        return fwr_cli_fail (error);
      fwr_cli_error ("%s (trying again)", error->message);
      sleep (RETRY_SECONDS);
    }
  syslog (LOG_NOTICE, "watch: %s: stopped by signal %d after generation %u", w->device,
          (int) stop_signal, w->checked);
  return FWR_EXIT_OK;
}

int
fwr_cmd_watch (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *device = NULL, *format = NULL;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "The device whose ruleset runs here", "NAME" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default) or json (one object a line)", "FORMAT" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options ("watch", NULL, "Check every change to the running nftables ruleset against the approved baseline.",
                              "Subscribes to the kernel's nftables events in this network namespace (needs\n"
                              "CAP_NET_ADMIN). At start, and whenever the ruleset generation moves and then\n"
                              "stays still for a moment, the running ruleset is read and checked against the\n"
                              "device's approved baseline like “fwreview drift --live”: the check (with a\n"
                              "snapshot of what runs, when that drifted) is recorded in the store and the\n"
                              "audit log, and the result goes to syslog / the journal (facility authpriv,\n"
                              "tag fwreview): priority warning for an unapproved ruleset, info otherwise.\n"
                              "Each check covers every generation since\n"
                              "the previous one, so a burst of changes is one check of its final state.\n"
                              "JSON lines: {\"schema\": \"fwreview.watch/1\", \"event\" (start or change),\n"
                              "\"device\", \"generation\", \"first_generation\", \"last_generation\", \"changes\",\n"
                              "\"process\", \"drift\", \"differences\", \"check\", \"snapshot\" (null when no\n"
                              "drift), \"baseline_snapshot\", \"checked_at\", \"diff\"}.\n"
                              "Runs until SIGTERM or SIGINT (exit 0). Exit 3 without CAP_NET_ADMIN; see\n"
                              "fwreview --help for the others. data/fwreview-watch@.service runs it.",
                              entries, &args, &exit_code) ||
      !fwr_cli_parse_format ("watch", format, &json, &exit_code))
    return exit_code;
  if (device == NULL)
    return fwr_cli_usage_error ("watch", "--device NAME is required");
  if (args[1] != NULL)
    return fwr_cli_usage_error ("watch", "unexpected argument “%s”", args[1]);

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrDevice) known = fwr_store_get_device (store, device, &error);
  if (known == NULL)
    return fwr_cli_fail (error);
  /* Subscribe before the first reading, so no change falls between the two. */
  g_autoptr (FwrLiveMonitor) monitor = fwr_live_monitor_new (&error);
  if (monitor == NULL)
    return fwr_cli_fail (error);

  catch_stop_signals ();
  openlog ("fwreview", LOG_PID, LOG_AUTHPRIV);
  Watch w = { .store = store, .identity = identity, .monitor = monitor, .device = device, .json = json };
  int status = watch_loop (&w);
  closelog ();
  return status;
}
