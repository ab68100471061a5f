/* fwr-cli.c: the fwreview command: global options, the table of subcommands and the helpers
 * they share for options, errors and output. Each subcommand lives in fwr-cmd-<name>.c. */
#include "fwr-cli.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const FwrCliCommand commands[] = {
  { "analyze", "find risky rules in firewall configurations", fwr_cmd_analyze },
  { "key", "make or show your signing key (generate, show)", fwr_cmd_key },
  { "store", "create the store or purge old records (init, purge)", fwr_cmd_store },
  { "user", "register and revoke users' keys and roles (add, revoke, list)", fwr_cmd_user },
  { "device", "put firewalls under change control (add, list)", fwr_cmd_device },
  { "import", "store a snapshot of a device's configuration", fwr_cmd_import },
  { "change", "request, review, decide and implement changes (submit, show, approve, reject, implemented, list)", fwr_cmd_change },
  { "drift", "compare what a device runs with its approved baseline", fwr_cmd_drift },
  { "watch", "check every change to the running nftables ruleset as it happens", fwr_cmd_watch },
  { "audit", "verify or print the tamper-evident audit log (verify, log)", fwr_cmd_audit },
  { "review", "periodic rule reviews and sign-off (start, decide, complete, show, list, due, policy)", fwr_cmd_review },
  { "export", "evidence bundles for the inspector, and their check (evidence, verify)", fwr_cmd_export },
};

static const FwrCliCommand *
lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static void
print_help (FILE *out)
{
  fputs ("Usage: fwreview [--store PATH] [--identity FILE] COMMAND [OPTIONS] [ARGS...]\n"
         "\n"
         "Firewall rule review and change control: finds risky rules, keeps approved\n"
         "configurations and their history as evidence for the inspector.\n"
         "\n"
         "Commands:\n", out);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fputs ("  help COMMAND show the options of COMMAND (same as COMMAND --help)\n"
         "\n"
         "Global options (before COMMAND):\n"
         "  --store PATH     the store database (default $XDG_DATA_HOME/fwreview/store.db)\n"
         "  --identity FILE  the signing key (default $XDG_CONFIG_HOME/fwreview/identity.key)\n"
         "  -h, --help       show this help\n"
         "  --version        show the version\n"
         "\n"
         "Exit status:\n"
         "  0  success (whatever the findings, unless --fail-on says otherwise)\n"
         "  1  a check failed: a finding at or above --fail-on, drift from the approved\n"
         "     baseline, a running configuration that is not the approved change, a\n"
         "     broken audit log (audit verify), a review overdue (review due), an\n"
         "     altered evidence bundle (export verify)\n"
         "  2  usage error: unknown command or option, bad or missing argument\n"
         "  3  unreadable or malformed input (the message names file:line:column), or an\n"
         "     unknown user, device, change or store\n"
         "  4  forbidden: wrong role, segregation of duties (never your own change, never\n"
         "     the sign-off of a review you made most decisions in), a revoked key, a\n"
         "     decision already taken, a review with undecided rules, a policy looser\n"
         "     than the checklist without a justification, a purge inside the retention\n"
         "     period\n"
         "  5  store busy or damaged\n", out);
}

/* Accepts "--name VALUE" and "--name=VALUE"; returns 1 when argv[*i] was this option, 0 when
 * not, -1 when its value is missing. */
static int
take_global_value (const char *name, char **argv, int argc, int *i, char **out)
{
  const char *arg = argv[*i];
  gsize len = strlen (name);
  if (strncmp (arg, name, len) != 0)
    return 0;
  if (arg[len] == '=')
    {
      g_free (*out);
      *out = g_strdup (arg + len + 1);
      return 1;
    }
  if (arg[len] != '\0')
    return 0;
  if (*i + 1 >= argc)
    return -1;
  *i += 1;
  g_free (*out);
  *out = g_strdup (argv[*i]);
  return 1;
}

static void
fwr_cli_clear (FwrCli *cli)
{
  g_clear_pointer (&cli->store_path, g_free);
  g_clear_pointer (&cli->identity_path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FwrCli, fwr_cli_clear)

int
main (int argc, char **argv)
{
  g_auto (FwrCli) cli = { 0 };
  int i;

  g_set_prgname ("fwreview");
  /* Messages only: report text follows the user's language, numbers and JSON stay as they are. */
  setlocale (LC_MESSAGES, "");

  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char *arg = argv[i];
      int taken;

      if (strcmp (arg, "-h") == 0 || strcmp (arg, "--help") == 0)
        {
          print_help (stdout);
          return FWR_EXIT_OK;
        }
      if (strcmp (arg, "--version") == 0)
        {
          printf ("fwreview %s\n", FWR_VERSION);
          return FWR_EXIT_OK;
        }
      if ((taken = take_global_value ("--store", argv, argc, &i, &cli.store_path)) == 0)
        taken = take_global_value ("--identity", argv, argc, &i, &cli.identity_path);
      if (taken < 0)
        return fwr_cli_usage_error (NULL, "option %s needs a value", arg);
      if (taken == 0)
        return fwr_cli_usage_error (NULL, "unknown option %s (global options come before the "
                                    "command; see fwreview --help)", arg);
    }

  if (i >= argc)
    {
      print_help (stderr);
      return FWR_EXIT_USAGE;
    }

  if (strcmp (argv[i], "help") == 0)
    {
      if (i + 1 >= argc)
        {
          print_help (stdout);
          return FWR_EXIT_OK;
        }
      const FwrCliCommand *command = lookup_command (argv[i + 1]);
      if (command == NULL)
        return fwr_cli_usage_error (NULL, "unknown command “%s”", argv[i + 1]);
      char *help_argv[] = { argv[i + 1], (char *) "--help", NULL };
      return command->run (&cli, 2, help_argv);
    }

  const FwrCliCommand *command = lookup_command (argv[i]);
  if (command == NULL)
    return fwr_cli_usage_error (NULL, "unknown command “%s”", argv[i]);
  return command->run (&cli, argc - i, argv + i);
}

/* Shared helpers */

gboolean
fwr_cli_parse_options (const char *command, const char *parameters, const char *summary,
                       const char *description, const GOptionEntry *entries,
                       char ***argv, int *exit_code)
{
  gboolean help = FALSE;
  const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autofree char *program = g_strdup_printf ("fwreview %s", command);
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;

  /* The usage line reads "<prgname> [OPTION…] <parameters>". */
  g_set_prgname (program);
  context = g_option_context_new (parameters);

  /* GOptionContext's own --help exits the process; ours returns so the caller cleans up. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, help_entries, NULL);
  g_option_context_set_strict_posix (context, FALSE);

  if (!g_option_context_parse_strv (context, argv, &error))
    {
      *exit_code = fwr_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);
      fputs (text, stdout);
      *exit_code = FWR_EXIT_OK;
      return FALSE;
    }
  return TRUE;
}

int
fwr_cli_usage_error (const char *command, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    fprintf (stderr, "fwreview %s: %s\nTry “fwreview %s --help”.\n", command, text, command);
  else
    fprintf (stderr, "fwreview: %s\nTry “fwreview --help”.\n", text);
  return FWR_EXIT_USAGE;
}

void
fwr_cli_error (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "fwreview: %s\n", text);
}

/* Large enough that writing costs nothing next to rendering. */
#define OUTPUT_BLOCK (64 * 1024)

gboolean
fwr_cli_write_stdout (const char *text, gsize length)
{
  if (fwrite (text, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      fwr_cli_error ("cannot write the output: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

void
fwr_cli_output_init (FwrCliOutput *output)
{
  output->text = g_string_sized_new (OUTPUT_BLOCK + OUTPUT_BLOCK / 4);
  output->failed = FALSE;
}

void
fwr_cli_output_flush (FwrCliOutput *output, gboolean force)
{
  if (!force && output->text->len < OUTPUT_BLOCK)
    return;
  if (!output->failed && !fwr_cli_write_stdout (output->text->str, output->text->len))
    output->failed = TRUE;
  g_string_truncate (output->text, 0);
}

gboolean
fwr_cli_output_finish (FwrCliOutput *output)
{
  fwr_cli_output_flush (output, TRUE);
  g_string_free (g_steal_pointer (&output->text), TRUE);
  return !output->failed;
}

char *
fwr_cli_read_stdin (gsize *length, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[65536];
  size_t n;
  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_byte_array_append (bytes, buffer, (guint) n);
  if (ferror (stdin))
    {
      g_set_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_IO, "<stdin>: cannot read standard input");
      return NULL;
    }
  *length = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

gboolean
fwr_cli_stdout_wants_colour (void)
{
  const char *no_colour = g_getenv ("NO_COLOR");
  if (no_colour != NULL && *no_colour != '\0')
    return FALSE;
  return isatty (STDOUT_FILENO);
}
