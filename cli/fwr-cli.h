/* fwr-cli.h: what the fwreview command's parts share: the exit codes, the global options and
 * the table entry every subcommand (cli/fwr-cmd-<name>.c) provides. Private to cli/. */
#pragma once

#include <fwreview.h>
#include <jansson.h>

/* The exit codes are a contract scripts rely on; every command uses the same ones. */
typedef enum {
  FWR_EXIT_OK = 0,
  FWR_EXIT_CHECK_FAILED = 1, /* a finding at or above --fail-on, drift, a broken audit chain */
  FWR_EXIT_USAGE = 2,        /* unknown option, bad value, missing argument */
  FWR_EXIT_BAD_INPUT = 3,    /* unreadable or malformed input */
  FWR_EXIT_FORBIDDEN = 4,
  FWR_EXIT_STORE = 5,        /* store busy or damaged */
} FwrExit;

/* The global options, which come before the command name. */
typedef struct {
  char *store_path;    /* (nullable) --store; NULL means the default place */
  char *identity_path; /* (nullable) --identity */
} FwrCli;

typedef int (*FwrCliCommandFunc) (FwrCli *cli, int argc, char **argv);

typedef struct {
  const char *name;
  const char *summary;
  FwrCliCommandFunc run; /* argv[0] is the command name */
} FwrCliCommand;

/* The subcommands, one per cli/fwr-cmd-<name>.c. */
int fwr_cmd_analyze (FwrCli *cli, int argc, char **argv);
int fwr_cmd_key     (FwrCli *cli, int argc, char **argv);
int fwr_cmd_store   (FwrCli *cli, int argc, char **argv);
int fwr_cmd_user    (FwrCli *cli, int argc, char **argv);
int fwr_cmd_device  (FwrCli *cli, int argc, char **argv);
int fwr_cmd_import  (FwrCli *cli, int argc, char **argv);
int fwr_cmd_change  (FwrCli *cli, int argc, char **argv);
int fwr_cmd_drift   (FwrCli *cli, int argc, char **argv);
int fwr_cmd_watch   (FwrCli *cli, int argc, char **argv);
int fwr_cmd_audit   (FwrCli *cli, int argc, char **argv);
int fwr_cmd_review  (FwrCli *cli, int argc, char **argv);
int fwr_cmd_export  (FwrCli *cli, int argc, char **argv);

/* Parses a subcommand's options with GOptionContext, leaving the operands in *argv.
 * parameters (nullable) follows [OPTION…] in the usage line. Handles --help itself. Returns FALSE when the command must stop, with *exit_code set:
 * FWR_EXIT_OK after --help, FWR_EXIT_USAGE (message printed) on a bad option. */
gboolean fwr_cli_parse_options (const char *command, const char *parameters, const char *summary,
                                const char *description, const GOptionEntry *entries,
                                char ***argv, int *exit_code);

/* Output to stdout in blocks: a writer appends to text and calls fwr_cli_output_flush at
 * natural breaks, so an output of any size never sits in memory whole. */
typedef struct {
  GString *text;
  gboolean failed;        /* a write failed (message printed): nothing more is written */
} FwrCliOutput;

void     fwr_cli_output_init   (FwrCliOutput *output);
/* Writes what was appended once it is large (or always, with force). */
void     fwr_cli_output_flush  (FwrCliOutput *output, gboolean force);
/* Writes the rest and frees the buffer; FALSE when some write failed. */
gboolean fwr_cli_output_finish (FwrCliOutput *output);

/* Reports (fwr-cli-report.c). reports holds one report per input, in command-line order. */
void    fwr_cli_render_text (FwrCliOutput *output, FwrReport * const *reports, guint n_reports, gboolean colour);
/* The fwreview.analysis/1 contract. */
void    fwr_cli_render_json (FwrCliOutput *output, FwrReport * const *reports, guint n_reports);
/* RFC 4180, header file,check,severity,rule_id,line,comment,related,message. */
void    fwr_cli_render_csv  (FwrCliOutput *output, FwrReport * const *reports, guint n_reports);
/* (transfer full) One element of the contract's "findings" list. */
json_t *fwr_cli_finding_to_json (const FwrReport *report, const FwrFinding *finding);
/* (transfer full) Strings, numbers, booleans, arrays and dictionaries (keys sorted). */
json_t *fwr_cli_variant_to_json (GVariant *value);

/* Prints "fwreview COMMAND: message" and a hint to --help on stderr; returns FWR_EXIT_USAGE. */
int      fwr_cli_usage_error (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Prints "fwreview: message" on stderr. */
void     fwr_cli_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Writes all of text to stdout and flushes it. FALSE (message printed) when stdout cannot take
 * it: the command then fails, so a cut output never goes with a success code. */
gboolean fwr_cli_write_stdout (const char *text, gsize length);

/* (transfer full) (nullable) All of standard input, with a NUL after its length bytes; NULL
 * with FWR_IMPORT_ERROR_IO when it cannot be read. */
char    *fwr_cli_read_stdin (gsize *length, GError **error);

/* Whether stdout is a terminal that may show colour (https://no-color.org). */
gboolean fwr_cli_stdout_wants_colour (void);

static inline void
fwr_cli_json_decref (json_t *json)
{
  json_decref (json);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, fwr_cli_json_decref)
