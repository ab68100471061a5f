/* fwr-import-nftables-json.c: placeholder until the importer lands. */
#include "fwr-import-private.h"

FwrRuleset *
_fwr_import_nftables_json (const char *name, const char *data, gsize length, GError **error)
{
  _fwr_import_set_error (error, FWR_IMPORT_ERROR_UNSUPPORTED, name, 0, 0, "not implemented yet");
  return NULL;
}
