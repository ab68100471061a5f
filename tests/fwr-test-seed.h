/* fwr-test-seed.h: gives randomized tests a fixed default seed so every run checks the same
 * cases; `--seed=R02S...` on the command line still picks another one to reproduce or explore. */
#pragma once

#include <glib.h>
#include <string.h>

#define FWR_TEST_DEFAULT_SEED "R02S3f0c9e1b5a7d2e4c6b8a0f1e3d5c7b9a"

/* Call instead of g_test_init. GTest prints the seed in the TAP header ("# random seed: ...")
 * and reseeds g_test_rand_*() from it before every test case, so one case reruns alone
 * with `-p /path --seed=...`. */
static inline void
fwr_test_init (int *argc, char ***argv)
{
  gboolean has_seed = FALSE;
  for (int i = 1; i < *argc; i++)
    if (g_str_has_prefix ((*argv)[i], "--seed"))
      has_seed = TRUE;

  if (!has_seed)
    {
      /* argv must outlive the test run, so this array is never freed. */
      char **with_seed = g_new0 (char *, *argc + 2);
      memcpy (with_seed, *argv, sizeof (char *) * *argc);
      with_seed[*argc] = (char *) "--seed=" FWR_TEST_DEFAULT_SEED;
      *argc += 1;
      *argv = with_seed;
    }
  g_test_init (argc, argv, NULL);
}
