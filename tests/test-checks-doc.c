/* test-checks-doc.c: docs/checks.md lists every check the engine runs, with its default
 * severity, so the table an auditor reads cannot drift from the code. */
#include <fwreview.h>

static void
test_every_check_documented (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "docs", "checks.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);

  guint n;
  const FwrCheckInfo *checks = fwr_check_get_all (&n);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *row = g_strdup_printf ("| `%s` | %s", checks[i].name,
                                              fwr_severity_to_string (checks[i].severity));
      if (strstr (text, row) == NULL)
        g_error ("docs/checks.md has no row starting “%s”", row);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/checks-doc/every-check", test_every_check_documented);
  return g_test_run ();
}
