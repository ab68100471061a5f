/* fwr-cli-live.c: reading the running nftables ruleset for a snapshot (the listing the model
 * comes from, named after its network namespace and generation), or else the file given. */
#include "fwr-cli-live.h"
#include "fwr-cli-store.h"

char *
fwr_cli_read_live (char **name, gsize *length, guint32 *generation)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *netns = NULL;
  guint32 read_generation = 0;
  /* The store makes the model when it imports the listing: making one here too would double
   * the work on a large ruleset. */
  g_autoptr (GBytes) listing = fwr_import_live_listing (&netns, &read_generation, &error);
  if (listing == NULL)
    {
      fwr_cli_error ("%s", error->message);
      return NULL;
    }
  *name = g_strdup_printf ("%s (generation %u)", netns, read_generation);
  if (generation != NULL)
    *generation = read_generation;
  gsize size = 0;
  const char *data = g_bytes_get_data (listing, &size);
  *length = size;
  return g_strndup (data, size);
}

char *
fwr_cli_read_device_config (const char *command, const char *device, gboolean live, char **args,
                            char **name, gsize *length, int *exit_code)
{
  const char *usage = device == NULL ? "--device NAME is required"
                      : live && args[1] != NULL ? "--live takes no FILE"
                      : !live && (args[1] == NULL || args[2] != NULL) ? "expected one FILE (or --live)"
                      : NULL;
  if (usage != NULL)
    {
      *exit_code = fwr_cli_usage_error (command, "%s", usage);
      return NULL;
    }
  char *data = live ? fwr_cli_read_live (name, length, NULL) : fwr_cli_read_input (args[1], length);
  if (data == NULL)
    *exit_code = FWR_EXIT_BAD_INPUT;
  else if (!live)
    *name = g_strdup (g_strcmp0 (args[1], "-") == 0 ? "<stdin>" : args[1]);
  return data;
}
