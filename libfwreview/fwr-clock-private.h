/* fwr-clock-private.h: the one place libfwreview reads the time, so tests can set it.
 * FWR_NOW=<ISO 8601> in the environment replaces the system clock everywhere. */
#pragma once

#include <glib.h>

/* (transfer full) Now, in UTC: FWR_NOW when set and valid, else the system clock. */
GDateTime *_fwr_now       (void);
/* (transfer full) Now as the store writes times: "2025-01-31T12:00:00Z". */
char      *_fwr_now_iso   (void);
/* (transfer full) UTC text with second precision, the form every stored time has. */
char      *_fwr_time_format (GDateTime *time);
/* (transfer full) (nullable) Reads "2025-01-31", "2025-01-31T12:00:00Z" or any ISO 8601 time
 * with an offset; times without an offset are UTC. NULL when text is none of these. */
GDateTime *_fwr_time_parse (const char *text);
