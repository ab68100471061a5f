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
FwrRuleset *_fwr_import_cisco_asa     (const char *name, const char *data, gsize length,
                                       GError **error);
gboolean    _fwr_import_cisco_asa_detect (const char *data, gsize length);
/* Reads `show access-list` output (name is what errors call it) into the rules' counters. */
gboolean    _fwr_import_cisco_asa_apply_hits (FwrRuleset *ruleset, const char *name,
                                              const char *data, gsize length, GError **error);
/* FortiOS configurations; the hits file is /api/v2/monitor/firewall/policy JSON. */
FwrRuleset *_fwr_import_fortigate (const char *name, const char *data, gsize length, GError **error);
gboolean    _fwr_import_fortigate_detect (const char *data, gsize length);
gboolean    _fwr_import_fortigate_apply_hits (FwrRuleset *ruleset, const char *path, const char *data,
                                              gsize length, GError **error);
FwrRuleset *_fwr_import_nftables_live (const char *name, const char *data, gsize length,
                                       GError **error);
FwrRuleset *_fwr_import_nftables_text (const char *name, const char *data, gsize length,
                                       GError **error);
/* Whether data (white space skipped) starts like nft syntax. */
gboolean    _fwr_nftables_text_detect (const char *data, gsize length);
FwrRuleset *_fwr_import_iptables_save (const char *name, const char *data, gsize length,
                                       GError **error);
FwrRuleset *_fwr_import_iptables_list (const char *name, const char *data, gsize length,
                                       GError **error);
/* Which iptables format data (from its first non-space byte) is, or FWR_FORMAT_UNKNOWN. */
FwrFormat   _fwr_ipt_detect           (const char *data, gsize length);
