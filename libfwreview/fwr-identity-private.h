/* fwr-identity-private.h: what the store and the audit log need of libsodium beyond the
 * public identity API. */
#pragma once

#include "fwreview.h"

/* Idempotent and thread-safe; every entry point that touches libsodium calls it. */
void _fwr_sodium_init (void);
