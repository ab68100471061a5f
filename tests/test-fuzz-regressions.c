/* test-fuzz-regressions.c: every input a fuzzer ever crashed on, kept under
 * tests/fuzz/regressions/<format>/, imported and analyzed again in the normal suite (which CI
 * also runs under AddressSanitizer and UBSan). */
#include <fwreview.h>

static void
replay_format_dir (const char *format)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "regressions", format, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) ruleset = fwr_import_file (path, fwr_format_from_string (format), &error);
      if (ruleset != NULL)
        {
          g_autoptr (FwrReport) report = fwr_analyze (ruleset, NULL);
          g_assert_nonnull (report);
        }
      else
        g_assert_true (error != NULL && error->message[0] != '\0');
      g_test_message ("replayed %s/%s", format, name);
    }
}

static void
test_replay (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "fuzz", "regressions", NULL);
  g_autoptr (GDir) dir = g_dir_open (root, 0, NULL);
  g_assert_nonnull (dir);
  const char *format;
  guint n_formats = 0;
  while ((format = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpint (fwr_format_from_string (format), !=, FWR_FORMAT_UNKNOWN);
      replay_format_dir (format);
      n_formats++;
    }
  g_test_message ("%u formats with regression inputs", n_formats);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/fuzz-regressions/replay", test_replay);
  return g_test_run ();
}
