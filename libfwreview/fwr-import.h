/* fwr-import.h: turning configuration bytes into an FwrRuleset. The format is detected from
 * the content; each format has its own importer under importers/. */
#pragma once

#include "fwr-macros.h"
#include "fwr-ruleset.h"

G_BEGIN_DECLS

#define FWR_IMPORT_ERROR (fwr_import_error_quark ())
typedef enum {
  FWR_IMPORT_ERROR_IO,             /* missing or unreadable file */
  FWR_IMPORT_ERROR_UNKNOWN_FORMAT, /* the content is no format we read */
  FWR_IMPORT_ERROR_MALFORMED,      /* syntax error, truncation, wrong types */
  FWR_IMPORT_ERROR_UNSUPPORTED,    /* well-formed, but uses something we cannot read */
  FWR_IMPORT_ERROR_PERMISSION,     /* a privilege is missing (CAP_NET_ADMIN for a live ruleset) */
} FwrImportErrorCode;
FWR_PUBLIC GQuark fwr_import_error_quark (void);

typedef enum {
  FWR_FORMAT_UNKNOWN = 0,
  FWR_FORMAT_NFTABLES_JSON,
  FWR_FORMAT_CISCO_ASA,
  FWR_FORMAT_FORTIGATE,
  FWR_FORMAT_NFTABLES_LIVE,        /* the JSON listing fwr_import_live() read, with netlink counters */
  FWR_FORMAT_NFTABLES_TEXT,        /* nft syntax: `nft list ruleset`, /etc/nftables.conf */
  FWR_FORMAT_IPTABLES_SAVE,        /* iptables-save and ip6tables-save, with or without -c */
  FWR_FORMAT_IPTABLES_LIST,        /* iptables -L -n -v (and ip6tables) */
} FwrFormat;

FWR_PUBLIC const char *fwr_format_to_string   (FwrFormat format);
FWR_PUBLIC FwrFormat   fwr_format_from_string (const char *text);
/* Looks at the first bytes only. */
FWR_PUBLIC FwrFormat   fwr_format_detect      (const char *data, gsize length);

/* (transfer full) Reads path; FWR_FORMAT_UNKNOWN detects the format. */
FWR_PUBLIC FwrRuleset *fwr_import_file        (const char *path, FwrFormat format, GError **error);
/* (transfer full) name is what errors and rule origins call the input. */
FWR_PUBLIC FwrRuleset *fwr_import_data        (const char *name, const char *data, gsize length,
                                               FwrFormat format, GError **error);

/* (transfer full) Reads the nftables ruleset running in the current network namespace, with its
 * counters; format "nftables-live", file "live:<netns>" ("live:init" for the host's).
 * generation (optional) receives the ruleset generation id the whole reading belongs to;
 * listing (optional, transfer full) the JSON listing the model was read from, counters
 * included, which fwr_import_data() reads back as FWR_FORMAT_NFTABLES_LIVE (keep it as the
 * snapshot's original). Without CAP_NET_ADMIN: FWR_IMPORT_ERROR_PERMISSION. */
FWR_PUBLIC FwrRuleset *fwr_import_live        (guint32 *generation, GBytes **listing, GError **error);
/* (transfer full) The listing fwr_import_live() reads, without making a model of it: for callers
 * that only hand it on (the store imports what it keeps). name (optional, transfer full)
 * receives "live:<netns>", generation (optional) the generation id. Same errors. */
FWR_PUBLIC GBytes     *fwr_import_live_listing (char **name, guint32 *generation, GError **error);

/* Reads per-rule hit counts exported beside a configuration (a Cisco ASA "show access-list",
 * FortiGate policy statistics JSON, ...) into the ruleset's counters. The format of the hits
 * file follows from the ruleset's format. */
FWR_PUBLIC gboolean    fwr_import_apply_hits  (FwrRuleset *ruleset, const char *path, GError **error);

/* Where an import error happened, when it has a place: file (borrowed), line and column
 * (1-based, 0 when unknown). FALSE when error carries no location. */
FWR_PUBLIC gboolean    fwr_import_error_get_location (const GError *error, const char **file,
                                                      guint *line, guint *column);

G_END_DECLS
