/* fwr-addrset.h: exact sets of IPv4 and IPv6 addresses, kept as sorted disjoint intervals.
 * Set operations are linear in the number of intervals; nothing is approximated. */
#pragma once

#include "fwr-macros.h"

G_BEGIN_DECLS

typedef enum {
  FWR_FAMILY_IPV4 = 1 << 0,
  FWR_FAMILY_IPV6 = 1 << 1,
  FWR_FAMILY_ANY = FWR_FAMILY_IPV4 | FWR_FAMILY_IPV6,
} FwrFamilyMask;

/**
 * FwrAddrSet:
 *
 * A set of addresses in both families. The IPv4 and IPv6 parts are independent:
 * the "any" set holds every IPv4 and every IPv6 address.
 */
typedef struct _FwrAddrSet FwrAddrSet;

FWR_PUBLIC FwrAddrSet *fwr_addr_set_new        (void);
FWR_PUBLIC FwrAddrSet *fwr_addr_set_new_any    (FwrFamilyMask families);
FWR_PUBLIC FwrAddrSet *fwr_addr_set_copy       (const FwrAddrSet *self);
FWR_PUBLIC void        fwr_addr_set_free       (FwrAddrSet *self);

/* Parse one element: "10.0.0.1", "10.0.0.0/8", "10.0.0.1-10.0.0.9", "2001:db8::/32",
 * "::1", "fe80::1-fe80::9". Host bits below a prefix are ignored, as nft does. */
FWR_PUBLIC gboolean    fwr_addr_set_add_string (FwrAddrSet *self, const char *text, GError **error);
FWR_PUBLIC FwrAddrSet *fwr_addr_set_new_parse  (const char *text, GError **error);
/* Address bytes in network order: 4 bytes for IPv4, 16 for IPv6. */
FWR_PUBLIC void        fwr_addr_set_add_range  (FwrAddrSet *self, FwrFamilyMask family,
                                                const guint8 *lo, const guint8 *hi);
FWR_PUBLIC void        fwr_addr_set_add_prefix (FwrAddrSet *self, FwrFamilyMask family,
                                                const guint8 *addr, guint prefix_len);

/* In place: self = self op other. */
FWR_PUBLIC void        fwr_addr_set_union      (FwrAddrSet *self, const FwrAddrSet *other);
FWR_PUBLIC void        fwr_addr_set_intersect  (FwrAddrSet *self, const FwrAddrSet *other);
FWR_PUBLIC void        fwr_addr_set_subtract   (FwrAddrSet *self, const FwrAddrSet *other);
/* Complement within the families given (the other family's part becomes empty). */
FWR_PUBLIC void        fwr_addr_set_complement (FwrAddrSet *self, FwrFamilyMask families);

FWR_PUBLIC gboolean    fwr_addr_set_is_empty   (const FwrAddrSet *self);
FWR_PUBLIC gboolean    fwr_addr_set_is_any     (const FwrAddrSet *self, FwrFamilyMask families);
FWR_PUBLIC gboolean    fwr_addr_set_is_subset  (const FwrAddrSet *self, const FwrAddrSet *other);
FWR_PUBLIC gboolean    fwr_addr_set_intersects (const FwrAddrSet *self, const FwrAddrSet *other);
FWR_PUBLIC gboolean    fwr_addr_set_equal      (const FwrAddrSet *self, const FwrAddrSet *other);
/* Families whose part is not empty. */
FWR_PUBLIC FwrFamilyMask fwr_addr_set_get_families (const FwrAddrSet *self);
FWR_PUBLIC guint       fwr_addr_set_get_n_intervals (const FwrAddrSet *self);
/* log2 of the number of addresses in the parts of the families given (both for
 * FWR_FAMILY_ANY): 0 for one address, -1 if there are none. */
FWR_PUBLIC double      fwr_addr_set_get_size_log2 (const FwrAddrSet *self, FwrFamilyMask families);

/* Shortest exact text: prefixes where the interval is one, ranges otherwise, comma-separated,
 * IPv4 first; "any" for the full set of both families, "any4"/"any6" per family. */
FWR_PUBLIC char       *fwr_addr_set_to_string  (const FwrAddrSet *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrAddrSet, fwr_addr_set_free)

G_END_DECLS
