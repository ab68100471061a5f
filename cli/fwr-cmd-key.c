/* fwr-cmd-key.c: `fwreview key generate` makes the caller's Ed25519 signing key and prints its
 * public half; `fwreview key show` prints the public key of an existing one. */
#include "fwr-cli-store.h"

#include <stdio.h>
#include <string.h>

static int
print_key (const char *path, FwrIdentity *identity, gboolean json)
{
  if (!json)
    {
      g_autoptr (GString) out = g_string_new (fwr_identity_get_public_key (identity));
      g_string_append_c (out, '\n');
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:s, s:s}", "schema", "fwreview.key/1",
                                       "public_key", fwr_identity_get_public_key (identity),
                                       "path", path);
  return fwr_cli_print_json (root);
}

static int
key_generate (FwrCli *cli, int argc, char **argv)
{
  gboolean sealed = FALSE;
  const GOptionEntry entries[] = {
    { "passphrase", 0, 0, G_OPTION_ARG_NONE, &sealed,
      "Protect the key with a passphrase (FWR_PASSPHRASE, or asked twice on the terminal)", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("key generate", NULL,
                                   "Make your Ed25519 signing key and print its public key.",
                                   "The key goes to --identity FILE or $XDG_CONFIG_HOME/fwreview/identity.key,\n"
                                   "mode 0600; an existing key is never overwritten. Give the printed public key\n"
                                   "to an admin, who registers it with “fwreview user add”.",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  if (args[1] != NULL)
    return fwr_cli_usage_error ("key generate", "unexpected argument “%s”", args[1]);

  g_autofree char *passphrase = NULL;
  if (sealed && (passphrase = fwr_cli_read_passphrase ("New passphrase: ", TRUE)) == NULL)
    {
      fwr_cli_error ("--passphrase needs FWR_PASSPHRASE or a terminal to ask on");
      return FWR_EXIT_USAGE;
    }
  g_autofree char *path = fwr_cli_dup_identity_path (cli);
  g_autoptr (FwrIdentity) identity = fwr_identity_generate ();
  g_autoptr (GError) error = NULL;
  gboolean saved = fwr_identity_save (identity, path, passphrase, &error);
  if (passphrase != NULL)
    memset (passphrase, 0, strlen (passphrase));
  if (!saved)
    return fwr_cli_fail (error);
  return print_key (path, identity, json);
}

static int
key_show (FwrCli *cli, int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("key show", NULL, "Print the public key of your signing key.",
                                   NULL, NULL, &args, &json, &exit_code))
    return exit_code;
  g_autoptr (FwrIdentity) identity = fwr_cli_load_identity (cli, &exit_code);
  if (identity == NULL)
    return exit_code;
  g_autofree char *path = fwr_cli_dup_identity_path (cli);
  return print_key (path, identity, json);
}

int
fwr_cmd_key (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "generate", "make your signing key and print its public key", key_generate },
    { "show", "print the public key of your signing key", key_show },
  };
  return fwr_cli_run_subcommand (cli, "key", subs, G_N_ELEMENTS (subs), argc, argv);
}
