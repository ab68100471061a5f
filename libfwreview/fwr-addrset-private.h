/* fwr-addrset-private.h: address helpers shared by importers and the analysis. */
#pragma once

#include "fwr-spans-private.h"
#include "fwr-addrset.h"

#define FWR_ADDR_ERROR (fwr_addr_error_quark ())
GQuark   fwr_addr_error_quark (void);

typedef enum {
  FWR_ADDR_ERROR_INVALID, /* not an address, prefix or range of either family */
} FwrAddrError;

fwr_u128 _fwr_addr_from_bytes (FwrFamilyMask family, const guint8 *bytes);
void     _fwr_addr_to_bytes   (FwrFamilyMask family, fwr_u128 value, guint8 *bytes);
/* Parses one address of either family, no prefix. */
gboolean _fwr_addr_parse_one  (const char *text, FwrFamilyMask *family, fwr_u128 *value);
void     _fwr_prefix_bounds   (FwrFamilyMask family, fwr_u128 addr, guint prefix_len,
                               fwr_u128 *lo, fwr_u128 *hi);
double   _fwr_spans_size_log2 (const FwrSpans *spans);
/* (transfer full) A set whose arrays are lender's (copy on write): lender must outlive it and
 * every set it is copied into in place. */
FwrAddrSet *_fwr_addr_set_new_borrowed (const FwrAddrSet *lender);
