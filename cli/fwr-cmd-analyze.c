/* fwr-cmd-analyze.c: `fwreview analyze`, which reads firewall configurations, runs every check
 * and prints the findings as text, JSON (fwreview.analysis/1) or CSV. */
#include "fwr-cli.h"

#include <stdio.h>
#include <string.h>

typedef enum {
  OUTPUT_TEXT,
  OUTPUT_JSON,
  OUTPUT_CSV,
} OutputFormat;

static char *
dup_description (void)
{
  GString *text = g_string_new (
    "Each FILE is a firewall configuration; its format is detected from the content\n"
    "(nftables JSON, as printed by “nft -j list ruleset”; nft text: “nft list ruleset”,\n"
    "/etc/nftables.conf; iptables-save and ip6tables-save, with or without -c;\n"
    "“iptables -L -n -v”; a Cisco ASA running-config; a FortiGate “show” or “show\n"
    "full-configuration”). “-” reads standard input.\n"
    "--live reads the nftables ruleset running in this network namespace, with its\n"
    "counters (this needs CAP_NET_ADMIN). All of them go into one report.\n"
    "\n"
    "--hits FILE reads per-rule hit counts exported beside a configuration (the output\n"
    "of the ASA's “show access-list”, or FortiGate policy statistics JSON) into the\n"
    "rules' counters, for the “unused”\n"
    "check; it needs exactly one configuration FILE, from which the counts must come.\n"
    "\n"
    "Output formats:\n"
    "  text  for people: a header per input, findings grouped by severity (critical\n"
    "        first), a summary line; colour only on a terminal and without NO_COLOR\n"
    "  json  the stable contract fwreview.analysis/1:\n"
    "        {\"schema\": \"fwreview.analysis/1\",\n"
    "         \"inputs\": [{\"file\", \"format\", \"rules\", \"warnings\": [...]}],\n"
    "         \"findings\": [{\"check\", \"severity\",\n"
    "                       \"rule\": {\"id\", \"file\", \"line\", \"comment\"},\n"
    "                       \"related\": [{\"id\"}], \"message\", \"details\": {...}}]}\n"
    "        \"line\" and \"comment\" are null when unknown; a finding about a chain or\n"
    "        a named object has that chain's or object's id in \"rule\"\n"
    "  csv   RFC 4180 (CRLF line ends), header\n"
    "        file,check,severity,rule_id,line,comment,related,message\n"
    "        related rule ids are separated by “;”\n"
    "Import warnings (conditions read but not modelled exactly) go to standard error,\n"
    "and in JSON into each input's \"warnings\" list.\n"
    "\n"
    "Zones file (JSON):\n"
    "  {\"zones\": [\n"
    "    {\"name\": \"internet\", \"class\": \"internet\", \"interfaces\": [\"wan\", \"ppp*\"]},\n"
    "    {\"name\": \"dmz\", \"class\": \"dmz\", \"interfaces\": [\"dmz\"],\n"
    "     \"networks\": [\"203.0.113.0/24\", \"2001:db8:1::/48\"]}]}\n"
    "  class is internet, dmz, operating, testing, management or other; an interface\n"
    "  pattern may end in “*”; networks are IPv4 or IPv6 addresses or prefixes.\n"
    "\n"
    "Exit status:\n"
    "  0  the analysis ran, whatever the findings (without --fail-on)\n"
    "  1  a finding at or above the --fail-on severity exists\n"
    "  2  usage error: unknown option, bad --format or --fail-on, no FILE\n"
    "  3  a FILE, the hits file or the zones file is unreadable or malformed (or the\n"
    "     hits do not match the configuration), or --live cannot read the running\n"
    "     ruleset (no CAP_NET_ADMIN); the message names\n"
    "     file:line:column where known, and nothing is printed on standard output\n"
    "\n"
    "Checks:\n");
  guint n_checks;
  const FwrCheckInfo *checks = fwr_check_get_all (&n_checks);
  for (guint i = 0; i < n_checks; i++)
    g_string_append_printf (text, "  %-22s %-8s %s\n", checks[i].name,
                            fwr_severity_to_string (checks[i].severity), checks[i].summary);
  return g_string_free (text, FALSE);
}

static gboolean
parse_output_format (const char *name, OutputFormat *out)
{
  static const char *names[] = { "text", "json", "csv" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *out = (OutputFormat) i;
        return TRUE;
      }
  return FALSE;
}

static FwrRuleset *
import_stdin (GError **error)
{
  gsize length = 0;
  g_autofree char *data = fwr_cli_read_stdin (&length, error);
  return data ? fwr_import_data ("<stdin>", data, length, FWR_FORMAT_UNKNOWN, error) : NULL;
}

static gboolean
analyze_live (FwrZoneMap *zones, GPtrArray *reports)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_import_live (NULL, NULL, &error);
  if (ruleset == NULL)
    {
      fwr_cli_error ("%s", error->message);
      return FALSE;
    }
  g_ptr_array_add (reports, fwr_analyze (ruleset, zones));
  return TRUE;
}

/* Imports and analyzes every file; on a bad one goes on, so one run names every bad input.
 * hits_path, when given, holds the hit counts of the one file. */
static gboolean
analyze_files (char **files, const char *hits_path, FwrZoneMap *zones, GPtrArray *reports)
{
  gboolean ok = TRUE;

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) ruleset = strcmp (files[i], "-") == 0
                                         ? import_stdin (&error)
                                         : fwr_import_file (files[i], FWR_FORMAT_UNKNOWN, &error);
      if (ruleset == NULL || (hits_path != NULL && !fwr_import_apply_hits (ruleset, hits_path, &error)))
        {
          fwr_cli_error ("%s", error->message);
          ok = FALSE;
          continue;
        }
      g_ptr_array_add (reports, fwr_analyze (ruleset, zones));
    }
  return ok;
}

static void
print_warnings (GPtrArray *reports)
{
  for (guint r = 0; r < reports->len; r++)
    {
      FwrRuleset *ruleset = fwr_report_get_ruleset (g_ptr_array_index (reports, r));
      const char *file = fwr_ruleset_get_file (ruleset);
      g_autofree char *prefix = g_strconcat (file, ":", NULL);
      for (guint i = 0; i < fwr_ruleset_get_n_warnings (ruleset); i++)
        {
          /* Warnings normally start with "file:line:column:"; name the file when not. */
          const char *warning = fwr_ruleset_get_warning (ruleset, i);
          if (g_str_has_prefix (warning, prefix))
            fprintf (stderr, "fwreview: warning: %s\n", warning);
          else
            fprintf (stderr, "fwreview: warning: %s: %s\n", file, warning);
        }
    }
}

static gboolean
reports_reach (GPtrArray *reports, FwrSeverity threshold)
{
  for (guint r = 0; r < reports->len; r++)
    {
      FwrReport *report = g_ptr_array_index (reports, r);
      for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
        if (fwr_finding_get_severity (fwr_report_get_finding (report, i)) >= threshold)
          return TRUE;
    }
  return FALSE;
}

int
fwr_cmd_analyze (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *zones_path = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *fail_on_name = NULL;
  g_autofree char *hits_path = NULL;
  g_auto (GStrv) files = NULL;
  gboolean live = FALSE;
  const GOptionEntry entries[] = {
    { "live", 0, 0, G_OPTION_ARG_NONE, &live,
      "Analyze the nftables ruleset running in this network namespace (needs CAP_NET_ADMIN)",
      NULL },
    { "zones", 0, 0, G_OPTION_ARG_FILENAME, &zones_path,
      "Map interfaces and networks to zones (see below)", "FILE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      "text (default), json or csv", "FORMAT" },
    { "fail-on", 0, 0, G_OPTION_ARG_STRING, &fail_on_name,
      "Exit 1 when a finding is at or above SEVERITY: info, low, medium, high or critical",
      "SEVERITY" },
    { "hits", 0, 0, G_OPTION_ARG_FILENAME, &hits_path,
      "Read hit counts (Cisco ASA “show access-list”, FortiGate policy statistics JSON) for the one FILE", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  g_autofree char *description = dup_description ();
  int exit_code;

  if (!fwr_cli_parse_options ("analyze", NULL, "Find risky rules in firewall configurations.",
                              description, entries, &args, &exit_code))
    return exit_code;

  OutputFormat output = OUTPUT_TEXT;
  if (format_name != NULL && !parse_output_format (format_name, &output))
    return fwr_cli_usage_error ("analyze", "unknown --format “%s” (expected text, json or csv)",
                                format_name);
  FwrSeverity fail_on = FWR_SEVERITY_INFO;
  if (fail_on_name != NULL && !fwr_severity_from_string (fail_on_name, &fail_on))
    return fwr_cli_usage_error ("analyze", "unknown --fail-on severity “%s” (expected info, "
                                "low, medium, high or critical)", fail_on_name);
  if (!live && (files == NULL || files[0] == NULL))
    return fwr_cli_usage_error ("analyze", "no FILE given (nor --live)");
  if (hits_path != NULL && (live || files[1] != NULL))
    return fwr_cli_usage_error ("analyze", "--hits belongs to one configuration: give exactly one FILE");

  g_autoptr (FwrZoneMap) zones = NULL;
  if (zones_path != NULL)
    {
      g_autoptr (GError) error = NULL;
      zones = fwr_zone_map_new_from_file (zones_path, &error);
      if (zones == NULL)
        {
          fwr_cli_error ("%s", error->message);
          return FWR_EXIT_BAD_INPUT;
        }
    }

  g_autoptr (GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_report_free);
  gboolean live_ok = !live || analyze_live (zones, reports);
  if (!analyze_files (files, hits_path, zones, reports) || !live_ok)
    return FWR_EXIT_BAD_INPUT;

  FwrReport * const *list = (FwrReport * const *) reports->pdata;
  FwrCliOutput out;
  fwr_cli_output_init (&out);
  switch (output)
    {
    case OUTPUT_JSON:
      fwr_cli_render_json (&out, list, reports->len);
      break;
    case OUTPUT_CSV:
      print_warnings (reports);
      fwr_cli_render_csv (&out, list, reports->len);
      break;
    case OUTPUT_TEXT:
    default:
      print_warnings (reports);
      fwr_cli_render_text (&out, list, reports->len, fwr_cli_stdout_wants_colour ());
      break;
    }
  if (!fwr_cli_output_finish (&out))
    return FWR_EXIT_BAD_INPUT;

  if (fail_on_name != NULL && reports_reach (reports, fail_on))
    return FWR_EXIT_CHECK_FAILED;
  return FWR_EXIT_OK;
}
