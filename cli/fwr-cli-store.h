/* fwr-cli-store.h: what the change-control commands (key, store, user, device, import, change,
 * drift, audit) share: opening the store and the identity, exit codes, JSON and diff output. */
#pragma once

#include "fwr-cli.h"

/* Runs the subcommand argv[1] of group from subs; handles "GROUP --help" and a missing or
 * unknown subcommand (exit 2). The subcommand gets argv + 1 (its name first). */
int         fwr_cli_run_subcommand   (FwrCli *cli, const char *group, const FwrCliCommand *subs,
                                      guint n_subs, int argc, char **argv);

/* The exit code a library error calls for: 1 mismatch, 3 bad input or not found, 4 forbidden
 * or a state that forbids it, 5 store busy or damaged. Prints the message too. */
int         fwr_cli_fail             (const GError *error);

/* (transfer full) (nullable) The store (--store or the default); prints why and sets
 * *exit_code when it cannot be opened. */
FwrStore   *fwr_cli_open_store       (FwrCli *cli, int *exit_code);
/* (transfer full) (nullable) The identity (--identity or the default); a sealed key takes its
 * passphrase from FWR_PASSPHRASE or, on a terminal, a prompt. */
FwrIdentity *fwr_cli_load_identity   (FwrCli *cli, int *exit_code);
/* (transfer full) The identity file: --identity or the default. */
char       *fwr_cli_dup_identity_path (FwrCli *cli);
/* (transfer full) (nullable) A passphrase from FWR_PASSPHRASE, else asked on the terminal
 * (twice when confirm), else NULL. */
char       *fwr_cli_read_passphrase  (const char *prompt, gboolean confirm);

/* (transfer full) (nullable) The contents of path ("-": standard input); prints why and
 * returns NULL (exit 3) when unreadable. */
char       *fwr_cli_read_input       (const char *path, gsize *length);

/* --format text|json; FALSE (usage message printed) for anything else. */
gboolean    fwr_cli_parse_format     (const char *command, const char *name, gboolean *json,
                                      int *exit_code);
/* fwr_cli_parse_options with entries (nullable: no other option) followed by the --format
 * text|json every change-control command takes; *json says which was asked for. */
gboolean    fwr_cli_parse_options_json (const char *command, const char *parameters,
                                        const char *summary, const char *description,
                                        const GOptionEntry *entries, char ***argv,
                                        gboolean *json, int *exit_code);
/* The one ID operand of a command (args[1], a positive integer); FALSE with "expected one
 * <what> ID (a number)" printed (exit 2) otherwise. */
gboolean    fwr_cli_parse_id         (const char *command, const char *what, char **args,
                                      gint64 *id, int *exit_code);
/* The start of the commands that only read the store and have no operand (any is ignored): the
 * options (--format, and with device_help a --device NAME filter), then the store and the id of
 * the device asked for (0: every device; device_id may be NULL without device_help). FALSE with
 * *exit_code set when the command must stop: --help, a usage error, no store, no such device. */
gboolean    fwr_cli_begin_store_read (FwrCli *cli, const char *command, const char *summary,
                                      const char *description, const char *device_help,
                                      char **argv, gboolean *json, FwrStore **store,
                                      gint64 *device_id, int *exit_code);

/* (transfer full) A record's id, or null for 0 (no such record). */
json_t     *fwr_cli_json_nullable_id (gint64 id);
/* Prints root as indented JSON with its keys in insertion order (schema first). */
int         fwr_cli_print_json       (json_t *root);
int         fwr_cli_print_text       (GString *text);

/* The diff as JSON: {"added": [rule...], "removed", "modified", "moved", "chains"}; each rule
 * is {"id", "chain", "position", "match", "verdict", "comment", "line"}, modified and moved
 * ones with "before" (the rule as it was) and modified ones with "changes". */
json_t     *fwr_cli_diff_to_json     (FwrDiff *diff);
/* One line per difference, "+" added, "-" removed, "~" modified, ">" moved, indented. */
void        fwr_cli_diff_to_text     (GString *out, FwrDiff *diff);
