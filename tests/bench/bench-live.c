/* bench-live.c: times reading a 10,000-rule ruleset live (netlink and libnftables), from its
 * JSON dump and from its nft text, in a private network namespace. `meson test --benchmark`. */
#include "fwr-import-private.h"
#include "fwr-nfnetlink-private.h"
#include "fwr-test-netns.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

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

/* CPU seconds of this process and its children (the text importer parses in a child): on a
 * shared machine the wall clock also counts other people's work. */
static double
cpu_seconds (void)
{
  struct rusage self, children;
  getrusage (RUSAGE_SELF, &self);
  getrusage (RUSAGE_CHILDREN, &children);
  return self.ru_utime.tv_sec + self.ru_stime.tv_sec + children.ru_utime.tv_sec
         + children.ru_stime.tv_sec
         + (self.ru_utime.tv_usec + self.ru_stime.tv_usec + children.ru_utime.tv_usec
            + children.ru_stime.tv_usec) / 1e6;
}

static void
time_reading (const char *what, ReadFunc read, gconstpointer data)
{
  double best_wall = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;
  for (guint r = 0; r < REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds ();
      g_autoptr (FwrRuleset) ruleset = read (data);
      best_wall = MIN (best_wall, (g_get_monotonic_time () - start) / 1e6);
      best_cpu = MIN (best_cpu, cpu_seconds () - cpu_start);
      g_assert_cmpuint (fwr_ruleset_get_n_rules (ruleset), ==, N_RULES);
    }
  printf ("# %-5s %u rules: %.3f s wall, %.3f s CPU (best of %u)\n", what, N_RULES, best_wall,
          best_cpu, REPEATS);
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
