/* fwr-cli-live.c: reading the running nftables ruleset for a snapshot: the listing the model
 * comes from, named after the network namespace and the generation it belongs to. */
#include "fwr-cli-live.h"

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
