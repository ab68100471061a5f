/* fwr-cmd-store.c: `fwreview store init` creates the change-control store with the caller as
 * its first admin; `fwreview store purge` removes records older than the retention period. */
#include "fwr-cli-store.h"

#include <string.h>

static int
store_init (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *admin = NULL;
  const GOptionEntry entries[] = {
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, "Your user name, the store's first admin", "NAME" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("store init", NULL,
                                   "Create the store, with your key as its first admin.",
                                   "The store goes to --store PATH or $XDG_DATA_HOME/fwreview/store.db, mode 0600.\n"
                                   "Records are kept at least 36 months (the checklist's three years).",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  if (admin == NULL)
    return fwr_cli_usage_error ("store init", "--admin NAME is required");
  if (args[1] != NULL)
    return fwr_cli_usage_error ("store init", "unexpected argument “%s”", args[1]);

  g_autoptr (FwrIdentity) identity = fwr_cli_load_identity (cli, &exit_code);
  if (identity == NULL)
    return exit_code;
  g_autofree char *path = cli->store_path ? g_strdup (cli->store_path) : fwr_store_dup_default_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrStore) store = fwr_store_create (path, identity, admin, &error);
  g_autofree char *id = store ? fwr_store_dup_id (store, &error) : NULL;
  if (id == NULL)
    return fwr_cli_fail (error);

  if (!json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, "created store %s (id %s) with admin %s\n", path, id, admin);
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:i}", "schema", "fwreview.store/1",
                                       "id", id, "path", path, "admin", admin,
                                       "public_key", fwr_identity_get_public_key (identity),
                                       "retention_months", FWR_STORE_MIN_RETENTION_MONTHS);
  return fwr_cli_print_json (root);
}

static int
store_purge (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *before_text = NULL;
  const GOptionEntry entries[] = {
    { "before", 0, 0, G_OPTION_ARG_STRING, &before_text,
      "Remove what is older than DATE (ISO 8601: 2021-01-31 or 2021-01-31T12:00:00Z)", "DATE" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("store purge", NULL, "Remove old records (admins only).",
                                   "Removes closed changes with their decisions, drift checks and snapshots older\n"
                                   "than DATE, keeping every device's baseline and what open changes need. A DATE\n"
                                   "inside the retention period (at least 36 months) is refused (exit 4). The\n"
                                   "audit log is kept whole and records the hashes of what was removed, so\n"
                                   "“fwreview audit verify” still passes.",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  if (before_text == NULL)
    return fwr_cli_usage_error ("store purge", "--before DATE is required");
  g_autoptr (GDateTime) before = fwr_time_parse (before_text);
  if (before == NULL)
    return fwr_cli_usage_error ("store purge", "“%s” is not a date (expected ISO 8601, e.g. "
                                "2021-01-31)", before_text);

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  FwrPurgeCounts counts = { 0 };
  if (!fwr_store_purge (store, identity, before, &counts, &error))
    return fwr_cli_fail (error);

  g_autofree char *before_iso = fwr_time_format (before);
  if (!json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, "purged before %s: %u snapshots, %u changes, %u decisions, "
                              "%u drift checks, %u reviews\n", before_iso, counts.snapshots,
                              counts.changes, counts.approvals, counts.drift_checks, counts.reviews);
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:s, s:{s:i, s:i, s:i, s:i, s:i}}",
                                       "schema", "fwreview.purge/1", "before", before_iso,
                                       "removed", "snapshots", (int) counts.snapshots,
                                       "changes", (int) counts.changes,
                                       "approvals", (int) counts.approvals,
                                       "drift_checks", (int) counts.drift_checks,
                                       "reviews", (int) counts.reviews);
  return fwr_cli_print_json (root);
}

int
fwr_cmd_store (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "init", "create the store with you as its first admin", store_init },
    { "purge", "remove records older than the retention period", store_purge },
  };
  return fwr_cli_run_subcommand (cli, "store", subs, G_N_ELEMENTS (subs), argc, argv);
}
