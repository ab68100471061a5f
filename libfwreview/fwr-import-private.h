/* fwr-import-private.h: what the importers share: the located error and their entry points. */
#pragma once

#include "fwr-ruleset-private.h"

/* Sets an FWR_IMPORT_ERROR whose message starts "file:line:column: " and whose location
 * fwr_import_error_get_location() returns. line 0 means the place is unknown. */
void _fwr_import_set_error (GError **error, FwrImportErrorCode code, const char *file,
                            guint line, guint column, const char *format, ...) G_GNUC_PRINTF (6, 7);

/* One function per format, in importers/fwr-import-<format>.c. */
FwrRuleset *_fwr_import_nftables_json (const char *name, const char *data, gsize length,
                                       GError **error);
FwrRuleset *_fwr_import_nftables_live (const char *name, const char *data, gsize length,
                                       GError **error);
FwrRuleset *_fwr_import_nftables_text (const char *name, const char *data, gsize length,
                                       GError **error);
/* Whether data (white space skipped) starts like nft syntax. */
gboolean    _fwr_nftables_text_detect (const char *data, gsize length);
