/* fuzz-import.c: a libFuzzer target per input format (FUZZ_FORMAT): arbitrary bytes through the
 * importer and, when they import, through the whole analysis. Built with -Dfuzzing=true. */
#include <fwreview.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  FwrFormat format = fwr_format_from_string (FUZZ_FORMAT);
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_import_data ("fuzz", (const char *) data, size, format, &error);

  if (ruleset != NULL)
    {
      g_autoptr (FwrReport) report = fwr_analyze (ruleset, NULL);
      for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
        g_assert_nonnull (fwr_finding_get_message (fwr_report_get_finding (report, i)));
    }
  else
    {
      /* Every refusal must say what is wrong. */
      g_assert_nonnull (error);
      g_assert_true (error->message != NULL && error->message[0] != '\0');
    }
  return 0;
}
