/* fwr-nft-live-private.h: what the live nftables importer shares with the pass that writes the
 * kernel's counters into libnftables' listing (fwr-nft-live-listing.c). */
#pragma once

#include <glib.h>
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint64 packets;
  guint64 bytes;
} FwrLiveCounter;

/* Counters as the kernel holds them, keyed like the listing names their owners. */
typedef struct {
  GHashTable *rules;    /* _fwr_live_rule_key() -> GArray of FwrLiveCounter, in rule order */
  GHashTable *objects;  /* _fwr_live_object_key() -> FwrLiveCounter, named counters */
} FwrLiveCounters;

/* (transfer full) "family\ntable\nchain\nhandle" and "family\ntable\nname". */
char *_fwr_live_rule_key   (const char *family, const char *table, const char *chain,
                            guint64 handle);
char *_fwr_live_object_key (const char *family, const char *table, const char *name);

/* (transfer full) The listing as it is kept: byte for byte what json_dumps (JSON_COMPACT)
 * writes of the tree json_loads makes of text, once the counter statements of each rule (in
 * order) and each named counter carry the kernel's values. G_IO_ERROR_BUSY when the counters
 * and the listing are not of the same ruleset, G_IO_ERROR_INVALID_DATA when text is not JSON. */
char *_fwr_live_listing_with_counters (const char *text, gsize length,
                                       const FwrLiveCounters *counters, GError **error);

G_END_DECLS
