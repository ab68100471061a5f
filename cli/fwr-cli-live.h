/* fwr-cli-live.h: the running nftables ruleset for the commands that take --live (analyze,
 * import, drift) and for watch. Private to cli/. */
#pragma once

#include "fwr-cli.h"

/* (transfer full) (nullable) The JSON listing of the ruleset running in this network namespace,
 * counters included, to store as a snapshot's original; *name becomes "live:NETNS (generation
 * N)". NULL with the reason printed when it cannot be read (no CAP_NET_ADMIN): exit 3. */
char *fwr_cli_read_live (char **name, gsize *length, guint32 *generation);
