/* fwr-cmd-import.c: `fwreview import --device NAME FILE` keeps a backup copy of a device's
 * configuration; the first one opens the device's baseline change request. */
#include "fwr-cli-store.h"
#include "fwr-cli-live.h"

int
fwr_cmd_import (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *device = NULL;
  gboolean live = FALSE;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "The device the configuration is from", "NAME" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live,
      "Instead of FILE, the nftables ruleset running here (needs CAP_NET_ADMIN)", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("import", "FILE", "Store a snapshot of a device's configuration (admins only).",
                                   "The original bytes (compressed), their SHA-256 and the normalized model are\n"
                                   "kept with who imported them and when. With --live, the ruleset running in\n"
                                   "this network namespace is read (with its counters) and its JSON listing kept,\n"
                                   "named live:NETNS (generation N). The device's first snapshot opens a\n"
                                   "baseline change request, which a supervisor approves like any change.\n"
                                   "JSON: {\"schema\": \"fwreview.snapshot/1\", \"id\", \"snapshot\", \"change\" (the\n"
                                   "baseline change id, or null), \"device\", \"sha256\", \"rules\"}.",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  gsize length = 0;
  g_autofree char *name = NULL;
  g_autofree char *data = fwr_cli_read_device_config ("import", device, live, args, &name, &length,
                                                      &exit_code);
  if (data == NULL)
    return exit_code;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  gint64 snapshot_id = 0, change_id = 0;
  if (!fwr_store_import (store, identity, device, name, data, length, &snapshot_id, &change_id, &error))
    return fwr_cli_fail (error);
  g_autoptr (FwrSnapshot) snapshot = fwr_store_get_snapshot (store, snapshot_id, &error);
  if (snapshot == NULL)
    return fwr_cli_fail (error);

  if (json)
    {
      g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:I, s:o, s:s, s:s, s:i}",
                                           "schema", "fwreview.snapshot/1",
                                           "id", (json_int_t) snapshot_id,
                                           "snapshot", (json_int_t) snapshot_id,
                                           "change", fwr_cli_json_nullable_id (change_id),
                                           "device", device, "sha256", snapshot->sha256,
                                           "rules", (int) snapshot->n_rules);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  g_string_append_printf (out, "snapshot %" G_GINT64_FORMAT " of %s: %u rules, sha256 %s\n",
                          snapshot_id, device, snapshot->n_rules, snapshot->sha256);
  if (change_id != 0)
    g_string_append_printf (out, "baseline change %" G_GINT64_FORMAT " opened: a supervisor approves "
                            "it with “fwreview change approve %" G_GINT64_FORMAT "”\n", change_id, change_id);
  return fwr_cli_print_text (out);
}
