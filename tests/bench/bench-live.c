/* bench-live.c: times reading a 10,000-rule ruleset live (netlink and libnftables), from its
 * JSON dump and from its nft text, in a private network namespace. `meson test --benchmark`. */
#include "fwr-import-private.h"
#include "fwr-nfnetlink-private.h"
#include "fwr-test-netns.h"

#include <stdio.h>
#include <stdlib.h>

#define N_RULES 10000
#define REPEATS 3

static char *
ruleset_text (guint n_rules)
{
  GString *text = g_string_new ("table inet bench {\n"
                                "  chain forward {\n"
                                "    type filter hook forward priority 0; policy drop;\n");
  for (guint i = 0; i < n_rules; i++)
    g_string_append_printf (text, "    ip saddr 10.%u.%u.0/24 tcp dport %u counter accept\n",
                            (i >> 8) & 255, i & 255, 1024 + i % 60000);
  g_string_append (text, "  }\n}\n");
  return g_string_free (text, FALSE);
}

typedef FwrRuleset *(*ReadFunc) (gconstpointer data);

static FwrRuleset *
read_live (gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrRuleset *ruleset = fwr_import_live (NULL, NULL, &error);
  g_assert_no_error (error);
  return ruleset;
}

static FwrRuleset *
read_json (gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrRuleset *ruleset = fwr_import_data ("dump.json", data, strlen (data), FWR_FORMAT_NFTABLES_JSON,
                                         &error);
  g_assert_no_error (error);
  return ruleset;
}

static FwrRuleset *
read_text (gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  FwrRuleset *ruleset = fwr_import_data ("bench.nft", data, strlen (data), FWR_FORMAT_NFTABLES_TEXT,
                                         &error);
  g_assert_no_error (error);
  return ruleset;
}

static void
time_reading (const char *what, ReadFunc read, gconstpointer data)
{
  double best = G_MAXDOUBLE;
  for (guint r = 0; r < REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (FwrRuleset) ruleset = read (data);
      double seconds = (g_get_monotonic_time () - start) / 1e6;
      g_assert_cmpuint (fwr_ruleset_get_n_rules (ruleset), ==, N_RULES);
      best = MIN (best, seconds);
    }
  printf ("# %-5s %u rules: %.3f s (best of %u)\n", what, N_RULES, best, REPEATS);
}

int
main (int argc, char **argv)
{
  g_autofree char *no_netns = fwr_test_enter_private_netns ();
  if (no_netns != NULL)
    {
      printf ("# skipped: %s\n", no_netns);
      return 77;
    }
  g_autofree char *text = ruleset_text (N_RULES);
  g_autoptr (FwrNftCtx) nft = nft_ctx_new (NFT_CTX_DEFAULT);
  gint64 start = g_get_monotonic_time ();
  g_assert_cmpint (nft_run_cmd_from_buffer (nft, text), ==, 0);
  printf ("# nft load %u rules: %.3f s\n", N_RULES, (g_get_monotonic_time () - start) / 1e6);

  char *error_text = NULL;
  char *json = _fwr_nft_list_json (nft, &error_text);
  g_assert_nonnull (json);

  time_reading ("live", read_live, NULL);
  time_reading ("json", read_json, json);
  time_reading ("text", read_text, text);
  free (json);
  return 0;
}
