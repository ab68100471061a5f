/* fwr-cli-store.c: helpers of the change-control commands: subcommand dispatch, error to exit
 * code, the store and identity from the global options, passphrases, and diff rendering. */
#include "fwr-cli-store.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int
fwr_cli_run_subcommand (FwrCli *cli, const char *group, const FwrCliCommand *subs, guint n_subs,
                        int argc, char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      FILE *out = argc < 2 ? stderr : stdout;
      fprintf (out, "Usage: fwreview %s COMMAND [OPTION…]\n\nCommands:\n", group);
      for (guint i = 0; i < n_subs; i++)
        fprintf (out, "  %-12s %s\n", subs[i].name, subs[i].summary);
      fprintf (out, "\n“fwreview %s COMMAND --help” shows the options of COMMAND.\n", group);
      return argc < 2 ? FWR_EXIT_USAGE : FWR_EXIT_OK;
    }
  for (guint i = 0; i < n_subs; i++)
    if (strcmp (subs[i].name, argv[1]) == 0)
      return subs[i].run (cli, argc - 1, argv + 1);
  return fwr_cli_usage_error (group, "unknown command “%s %s”", group, argv[1]);
}

int
fwr_cli_fail (const GError *error)
{
  fwr_cli_error ("%s", error->message);
  if (error->domain == FWR_STORE_ERROR)
    switch ((FwrStoreError) error->code)
      {
      case FWR_STORE_ERROR_MISMATCH:
        return FWR_EXIT_CHECK_FAILED;
      case FWR_STORE_ERROR_NOT_FOUND:
      case FWR_STORE_ERROR_EXISTS:
      case FWR_STORE_ERROR_INVALID:
        return FWR_EXIT_BAD_INPUT;
      case FWR_STORE_ERROR_FORBIDDEN:
      case FWR_STORE_ERROR_STATE:
        return FWR_EXIT_FORBIDDEN;
      case FWR_STORE_ERROR_BUSY:
      case FWR_STORE_ERROR_CORRUPT:
      case FWR_STORE_ERROR_IO:
      default:
        return FWR_EXIT_STORE;
      }
  if (error->domain == FWR_IDENTITY_ERROR &&
      (error->code == FWR_IDENTITY_ERROR_BAD_PASSPHRASE ||
       error->code == FWR_IDENTITY_ERROR_NEEDS_PASSPHRASE))
    return FWR_EXIT_FORBIDDEN;
  return FWR_EXIT_BAD_INPUT;
}

FwrStore *
fwr_cli_open_store (FwrCli *cli, int *exit_code)
{
  g_autofree char *path = cli->store_path ? g_strdup (cli->store_path) : fwr_store_dup_default_path ();
  g_autoptr (GError) error = NULL;
  FwrStore *store = fwr_store_open (path, &error);
  if (store == NULL)
    *exit_code = fwr_cli_fail (error);
  return store;
}

char *
fwr_cli_dup_identity_path (FwrCli *cli)
{
  return cli->identity_path ? g_strdup (cli->identity_path) : fwr_identity_dup_default_path ();
}

/* Reads one line from the terminal without echo; NULL when there is no terminal. */
static char *
prompt_terminal (const char *prompt)
{
  FILE *tty = fopen ("/dev/tty", "r+");
  if (tty == NULL)
    return NULL;
  struct termios saved, quiet;
  gboolean have_termios = tcgetattr (fileno (tty), &saved) == 0;
  if (have_termios)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
    }
  fprintf (tty, "%s", prompt);
  fflush (tty);
  char line[1024];
  char *got = fgets (line, sizeof line, tty);
  if (have_termios)
    tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fputc ('\n', tty);
  fclose (tty);
  if (got == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  char *result = g_strdup (line);
  memset (line, 0, sizeof line);
  return result;
}

char *
fwr_cli_read_passphrase (const char *prompt, gboolean confirm)
{
  const char *env = g_getenv ("FWR_PASSPHRASE");
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  g_autofree char *first = prompt_terminal (prompt);
  if (first == NULL || !confirm)
    return g_steal_pointer (&first);
  g_autofree char *second = prompt_terminal ("Repeat the passphrase: ");
  if (g_strcmp0 (first, second) != 0)
    {
      fwr_cli_error ("the passphrases differ");
      return NULL;
    }
  return g_steal_pointer (&first);
}

FwrIdentity *
fwr_cli_load_identity (FwrCli *cli, int *exit_code)
{
  g_autofree char *path = fwr_cli_dup_identity_path (cli);
  g_autoptr (GError) error = NULL;
  FwrIdentity *identity = fwr_identity_load (path, NULL, &error);
  if (identity == NULL && g_error_matches (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_NEEDS_PASSPHRASE))
    {
      g_autofree char *passphrase = fwr_cli_read_passphrase ("Passphrase of your fwreview key: ", FALSE);
      if (passphrase != NULL)
        {
          g_clear_error (&error);
          identity = fwr_identity_load (path, passphrase, &error);
          memset (passphrase, 0, strlen (passphrase));
        }
      else
        g_prefix_error (&error, "no terminal to ask for it and FWR_PASSPHRASE is unset: ");
    }
  if (identity == NULL)
    {
      if (g_error_matches (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO))
        g_prefix_error (&error, "cannot read your signing key (make one with “fwreview key "
                        "generate”, or pick one with --identity): ");
      *exit_code = fwr_cli_fail (error);
    }
  return identity;
}

char *
fwr_cli_read_input (const char *path, gsize *length)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gboolean read = strcmp (path, "-") == 0 ? (contents = fwr_cli_read_stdin (length, &error)) != NULL
                                          : g_file_get_contents (path, &contents, length, &error);
  if (!read)
    fwr_cli_error ("%s", error->message);
  return contents;
}

gboolean
fwr_cli_parse_format (const char *command, const char *name, gboolean *json, int *exit_code)
{
  *json = g_strcmp0 (name, "json") == 0;
  if (name == NULL || *json || strcmp (name, "text") == 0)
    return TRUE;
  *exit_code = fwr_cli_usage_error (command, "unknown --format “%s” (expected text or json)", name);
  return FALSE;
}

gboolean
fwr_cli_parse_options_json (const char *command, const char *parameters, const char *summary,
                            const char *description, const GOptionEntry *entries, char ***argv,
                            gboolean *json, int *exit_code)
{
  g_autofree char *format = NULL;
  const GOptionEntry format_entry =
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default) or json", "FORMAT" };
  g_autoptr (GArray) all = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  for (const GOptionEntry *entry = entries; entry != NULL && entry->long_name != NULL; entry++)
    g_array_append_val (all, *entry);
  g_array_append_val (all, format_entry);
  return fwr_cli_parse_options (command, parameters, summary, description,
                                (const GOptionEntry *) all->data, argv, exit_code) &&
         fwr_cli_parse_format (command, format, json, exit_code);
}

gboolean
fwr_cli_parse_id (const char *command, const char *what, char **args, gint64 *id, int *exit_code)
{
  guint64 value = 0;
  if (args[1] == NULL || args[2] != NULL ||
      !g_ascii_string_to_unsigned (args[1], 10, 1, G_MAXINT64, &value, NULL))
    {
      *exit_code = fwr_cli_usage_error (command, "expected one %s ID (a number)", what);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

gboolean
fwr_cli_begin_store_read (FwrCli *cli, const char *command, const char *summary,
                          const char *description, const char *device_help, char **argv,
                          gboolean *json, FwrStore **store, gint64 *device_id, int *exit_code)
{
  g_autofree char *device = NULL;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, device_help, "NAME" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  if (!fwr_cli_parse_options_json (command, NULL, summary, description,
                                   device_help ? entries : NULL, &args, json, exit_code))
    return FALSE;
  g_autoptr (FwrStore) opened = fwr_cli_open_store (cli, exit_code);
  if (opened == NULL)
    return FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrDevice) only = device ? fwr_store_get_device (opened, device, &error) : NULL;
  if (device != NULL && only == NULL)
    {
      *exit_code = fwr_cli_fail (error);
      return FALSE;
    }
  if (device_id != NULL)
    *device_id = only ? only->id : 0;
  *store = g_steal_pointer (&opened);
  return TRUE;
}

json_t *
fwr_cli_json_nullable_id (gint64 id)
{
  return id ? json_integer (id) : json_null ();
}

int
fwr_cli_print_json (json_t *root)
{
  char *text = json_dumps (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER);
  g_autoptr (GString) out = g_string_new (text);
  free (text);
  g_string_append_c (out, '\n');
  return fwr_cli_write_stdout (out->str, out->len) ? FWR_EXIT_OK : FWR_EXIT_BAD_INPUT;
}

int
fwr_cli_print_text (GString *text)
{
  return fwr_cli_write_stdout (text->str, text->len) ? FWR_EXIT_OK : FWR_EXIT_BAD_INPUT;
}

/* Diff rendering */

static char *
dup_verdict (FwrRule *rule)
{
  const char *target = fwr_rule_get_target (rule);
  const char *action = fwr_action_to_string (fwr_rule_get_action (rule));
  return target ? g_strdup_printf ("%s %s", action, target) : g_strdup (action);
}

static json_t *
rule_to_json (FwrRule *rule)
{
  g_autofree char *match = fwr_rule_dup_match_text (rule);
  g_autofree char *verdict = dup_verdict (rule);
  guint line = fwr_rule_get_line (rule);
  return json_pack ("{s:s, s:s, s:i, s:s, s:s, s:s?, s:o}",
                    "id", fwr_rule_get_id (rule),
                    "chain", fwr_chain_get_id (fwr_rule_get_chain (rule)),
                    "position", (int) fwr_rule_get_position (rule),
                    "match", match, "verdict", verdict,
                    "comment", fwr_rule_get_comment (rule),
                    "line", line ? json_integer (line) : json_null ());
}

static json_t *
changes_to_json (const FwrDiffEntry *entry)
{
  json_t *changes = json_array ();
  for (const char * const *c = fwr_diff_entry_get_changes (entry); *c != NULL; c++)
    json_array_append_new (changes, json_string (*c));
  return changes;
}

/* The chain a chain-level difference is about: as it is after, or as it was when removed. */
static FwrChain *
diff_entry_chain (const FwrDiffEntry *entry)
{
  FwrChain *after = fwr_diff_entry_get_after_chain (entry);
  return after ? after : fwr_diff_entry_get_before_chain (entry);
}

json_t *
fwr_cli_diff_to_json (FwrDiff *diff)
{
  json_t *lists[4] = { json_array (), json_array (), json_array (), json_array () };
  json_t *chains = json_array ();
  for (guint i = 0; i < fwr_diff_get_n_entries (diff); i++)
    {
      const FwrDiffEntry *entry = fwr_diff_get_entry (diff, i);
      FwrDiffKind kind = fwr_diff_entry_get_kind (entry);
      FwrRule *before = fwr_diff_entry_get_before (entry);
      FwrRule *after = fwr_diff_entry_get_after (entry);
      if (kind >= FWR_DIFF_CHAIN_ADDED)
        {
          FwrChain *chain = diff_entry_chain (entry);
          json_array_append_new (chains, json_pack ("{s:s, s:s, s:o}", "id", fwr_chain_get_id (chain),
                                                    "kind", fwr_diff_kind_to_string (kind),
                                                    "changes", changes_to_json (entry)));
          continue;
        }
      json_t *rule = rule_to_json (after ? after : before);
      if (before != NULL && after != NULL)
        json_object_set_new (rule, "before", rule_to_json (before));
      if (kind == FWR_DIFF_MODIFIED)
        json_object_set_new (rule, "changes", changes_to_json (entry));
      json_array_append_new (lists[kind], rule);
    }
  return json_pack ("{s:o, s:o, s:o, s:o, s:o}", "added", lists[FWR_DIFF_ADDED],
                    "removed", lists[FWR_DIFF_REMOVED], "modified", lists[FWR_DIFF_MODIFIED],
                    "moved", lists[FWR_DIFF_MOVED], "chains", chains);
}

static void
append_rule_line (GString *out, char mark, FwrRule *rule)
{
  g_autofree char *match = fwr_rule_dup_match_text (rule);
  g_autofree char *verdict = dup_verdict (rule);
  const char *comment = fwr_rule_get_comment (rule);
  g_string_append_printf (out, "  %c %s (position %u): %s %s%s%s%s\n", mark, fwr_rule_get_id (rule),
                          fwr_rule_get_position (rule) + 1, match, verdict,
                          comment ? "  “" : "", comment ? comment : "", comment ? "”" : "");
}

void
fwr_cli_diff_to_text (GString *out, FwrDiff *diff)
{
  static const char marks[] = { '+', '-', '~', '>' };
  for (guint i = 0; i < fwr_diff_get_n_entries (diff); i++)
    {
      const FwrDiffEntry *entry = fwr_diff_get_entry (diff, i);
      FwrDiffKind kind = fwr_diff_entry_get_kind (entry);
      FwrRule *before = fwr_diff_entry_get_before (entry);
      FwrRule *after = fwr_diff_entry_get_after (entry);
      if (kind >= FWR_DIFF_CHAIN_ADDED)
        {
          FwrChain *chain = diff_entry_chain (entry);
          g_autofree char *changes = g_strjoinv (", ", (char **) fwr_diff_entry_get_changes (entry));
          g_string_append_printf (out, "  %s chain %s%s%s\n", fwr_diff_kind_to_string (kind),
                                  fwr_chain_get_id (chain), *changes ? ": " : "", changes);
          continue;
        }
      if (kind == FWR_DIFF_MODIFIED || kind == FWR_DIFF_MOVED)
        append_rule_line (out, kind == FWR_DIFF_MOVED ? '<' : '-', before);
      append_rule_line (out, marks[kind], after ? after : before);
    }
}
