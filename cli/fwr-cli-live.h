/* fwr-cli-live.h: the running nftables ruleset for the commands that take --live (analyze,
 * import, drift) and for watch. Private to cli/. */
#pragma once

#include "fwr-cli.h"

/* (transfer full) (nullable) The JSON listing of the ruleset running in this network namespace,
 * counters included, to store as a snapshot's original; *name becomes "live:NETNS (generation
 * N)". NULL with the reason printed when it cannot be read (no CAP_NET_ADMIN): exit 3. */
char *fwr_cli_read_live (char **name, gsize *length, guint32 *generation);

/* The configuration a `--device NAME [--live] FILE` command (import, drift) reads: checks the
 * operands (usage error otherwise), then reads the ruleset running here or FILE ("-": standard
 * input). (transfer full) (nullable) Its bytes, and in *name what the store calls it. NULL with
 * *exit_code set (the reason printed) when the command must stop. */
char *fwr_cli_read_device_config (const char *command, const char *device, gboolean live,
                                  char **args, char **name, gsize *length, int *exit_code);
