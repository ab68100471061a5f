/* fwr-ruleset-json-private.h: the normalized model as stable JSON, so a snapshot keeps the
 * exact model it was imported as even when the importers change over the retention years. */
#pragma once

#include "fwr-ruleset-private.h"

#define FWR_MODEL_SCHEMA "fwreview.model/1"

/* (transfer full) Compact JSON with sorted keys: equal models give equal bytes. */
char       *_fwr_ruleset_to_json   (const FwrRuleset *ruleset, gsize *length);
/* (transfer full) (nullable) The inverse; name is what errors call the input. Fails with
 * FWR_IMPORT_ERROR_MALFORMED on anything but what _fwr_ruleset_to_json writes. */
FwrRuleset *_fwr_ruleset_from_json (const char *name, const char *data, gsize length,
                                    GError **error);
