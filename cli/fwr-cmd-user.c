/* fwr-cmd-user.c: `fwreview user add|revoke|list`: registering people's keys with a role
 * (admin, supervisor, auditor) and revoking them; both are signed, logged events. */
#include "fwr-cli-store.h"

static json_t *
user_to_json (const FwrUser *user)
{
  return json_pack ("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}",
                    "id", (json_int_t) user->id, "name", user->name,
                    "role", fwr_role_to_string (user->role), "public_key", user->public_key,
                    "created_at", user->created_at, "created_by", user->created_by,
                    "revoked_at", user->revoked_at, "revoked_by", user->revoked_by);
}

static int
user_add (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *role_name = NULL;
  g_autofree char *key = NULL;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, "admin, supervisor or auditor", "ROLE" },
    { "pubkey", 0, 0, G_OPTION_ARG_STRING, &key, "The public key “fwreview key generate” printed", "KEY" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("user add", "NAME", "Register a user's key with a role (admins only).",
                                   "Roles: admin (users, devices, imports, changes), supervisor (approves or\n"
                                   "rejects changes, never their own), auditor (reads, verifies, checks drift).\n"
                                   "Names and keys are never reused; a role is never edited: revoke and add anew.",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  FwrRole role;
  if (args[1] == NULL || args[2] != NULL)
    return fwr_cli_usage_error ("user add", "expected one NAME");
  if (role_name == NULL || !fwr_role_from_string (role_name, &role))
    return fwr_cli_usage_error ("user add", "--role must be admin, supervisor or auditor");
  if (key == NULL)
    return fwr_cli_usage_error ("user add", "--pubkey KEY is required");

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  if (!fwr_store_add_user (store, identity, args[1], role, key, &id, &error))
    return fwr_cli_fail (error);
  if (!json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, "added user %s (%s), id %" G_GINT64_FORMAT "\n", args[1],
                              role_name, id);
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:s, s:s, s:s}", "schema", "fwreview.user/1",
                                       "id", (json_int_t) id, "name", args[1], "role", role_name,
                                       "public_key", key);
  return fwr_cli_print_json (root);
}

static int
user_revoke (FwrCli *cli, int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("user revoke", "NAME", "Revoke a user's key (admins only).",
                                   "A revoked key signs nothing more; what it signed before stays valid.",
                                   NULL, &args, &json, &exit_code))
    return exit_code;
  if (args[1] == NULL || args[2] != NULL)
    return fwr_cli_usage_error ("user revoke", "expected one NAME");

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  if (!fwr_store_revoke_user (store, identity, args[1], &error))
    return fwr_cli_fail (error);
  if (!json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, "revoked %s\n", args[1]);
      return fwr_cli_print_text (out);
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:s, s:b}", "schema", "fwreview.user/1",
                                       "name", args[1], "revoked", TRUE);
  return fwr_cli_print_json (root);
}

static int
user_list (FwrCli *cli, int argc, char **argv)
{
  g_autoptr (FwrStore) store = NULL;
  int exit_code;
  gboolean json;
  if (!fwr_cli_begin_store_read (cli, "user list", "List the users, their roles and keys.", NULL,
                                 NULL, argv, &json, &store, NULL, &exit_code))
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) users = fwr_store_list_users (store, &error);
  if (users == NULL)
    return fwr_cli_fail (error);

  if (json)
    {
      json_t *list = json_array ();
      for (guint i = 0; i < users->len; i++)
        json_array_append_new (list, user_to_json (g_ptr_array_index (users, i)));
      g_autoptr (json_t) root = json_pack ("{s:s, s:o}", "schema", "fwreview.users/1", "users", list);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < users->len; i++)
    {
      FwrUser *user = g_ptr_array_index (users, i);
      g_string_append_printf (out, "%-16s %-10s %s%s%s\n", user->name, fwr_role_to_string (user->role),
                              user->public_key, user->revoked_at ? "  revoked " : "",
                              user->revoked_at ? user->revoked_at : "");
    }
  return fwr_cli_print_text (out);
}

int
fwr_cmd_user (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "add", "register a user's key with a role", user_add },
    { "revoke", "revoke a user's key", user_revoke },
    { "list", "list users, roles and keys", user_list },
  };
  return fwr_cli_run_subcommand (cli, "user", subs, G_N_ELEMENTS (subs), argc, argv);
}
