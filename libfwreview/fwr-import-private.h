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
FwrRuleset *_fwr_import_iptables_save (const char *name, const char *data, gsize length,
                                       GError **error);
FwrRuleset *_fwr_import_iptables_list (const char *name, const char *data, gsize length,
                                       GError **error);
/* Which iptables format data (from its first non-space byte) is, or FWR_FORMAT_UNKNOWN. */
FwrFormat   _fwr_ipt_detect           (const char *data, gsize length);
