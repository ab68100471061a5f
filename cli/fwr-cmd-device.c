/* fwr-cmd-device.c: `fwreview device add|list`: the firewalls under change control, each with
 * the person appointed to manage it and its zones file. */
#include "fwr-cli-store.h"

static int
device_add (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *owner = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *zones_path = NULL;
  const GOptionEntry entries[] = {
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, "The person appointed to manage it", "NAME" },
    { "zones", 0, 0, G_OPTION_ARG_FILENAME, &zones_path, "Its zones file (see fwreview analyze --help)", "FILE" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "What it is (default nftables)", "KIND" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("device add", "NAME", "Put a firewall under change control (admins only).",
                                   NULL, entries, &args, &json, &exit_code))
    return exit_code;
  if (args[1] == NULL || args[2] != NULL)
    return fwr_cli_usage_error ("device add", "expected one NAME");

  gsize length = 0;
  g_autofree char *zones = NULL;
  if (zones_path != NULL && (zones = fwr_cli_read_input (zones_path, &length)) == NULL)
    return FWR_EXIT_BAD_INPUT;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  if (!fwr_store_add_device (store, identity, args[1], owner, kind, zones, &id, &error))
    return fwr_cli_fail (error);
  if (!json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, "added device %s, id %" G_GINT64_FORMAT "\n", args[1], id);
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:s, s:s?, s:s, s:b}", "schema", "fwreview.device/1",
                                       "id", (json_int_t) id, "name", args[1], "owner", owner,
                                       "kind", kind ? kind : "nftables", "zones", zones != NULL);
  return fwr_cli_print_json (root);
}

static int
device_list (FwrCli *cli, int argc, char **argv)
{
  g_autoptr (FwrStore) store = NULL;
  int exit_code;
  gboolean json;
  if (!fwr_cli_begin_store_read (cli, "device list", "List the devices and their baselines.", NULL,
                                 NULL, argv, &json, &store, NULL, &exit_code))
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = fwr_store_list_devices (store, &error);
  if (devices == NULL)
    return fwr_cli_fail (error);
  json_t *list = json_array ();
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      FwrDevice *device = g_ptr_array_index (devices, i);
      json_array_append_new (list, json_pack ("{s:I, s:s, s:s?, s:s, s:b, s:o, s:o}",
                                              "id", (json_int_t) device->id, "name", device->name,
                                              "owner", device->owner, "kind", device->kind,
                                              "zones", device->zones != NULL,
                                              "baseline_snapshot", fwr_cli_json_nullable_id (device->baseline_snapshot_id),
                                              "baseline_change", fwr_cli_json_nullable_id (device->baseline_change_id)));
      g_string_append_printf (out, "%-20s owner %-12s baseline %s\n", device->name,
                              device->owner ? device->owner : "-",
                              device->baseline_snapshot_id ? "approved" : "none yet");
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:o}", "schema", "fwreview.devices/1", "devices", list);
  return json ? fwr_cli_print_json (root) : fwr_cli_print_text (out);
}

int
fwr_cmd_device (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "add", "put a firewall under change control", device_add },
    { "list", "list devices and their baselines", device_list },
  };
  return fwr_cli_run_subcommand (cli, "device", subs, G_N_ELEMENTS (subs), argc, argv);
}
