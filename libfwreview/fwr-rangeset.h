/* fwr-rangeset.h: exact sets of small unsigned integers (ports, protocol numbers, ICMP
 * type/code pairs) as sorted disjoint intervals, sharing the address sets' algorithms. */
#pragma once

#include "fwr-macros.h"

G_BEGIN_DECLS

typedef struct _FwrRangeSet FwrRangeSet;

FWR_PUBLIC FwrRangeSet *fwr_range_set_new        (void);
/* The interval [lo, hi]; lo > hi gives the empty set. */
FWR_PUBLIC FwrRangeSet *fwr_range_set_new_range  (guint32 lo, guint32 hi);
FWR_PUBLIC FwrRangeSet *fwr_range_set_copy       (const FwrRangeSet *self);
FWR_PUBLIC void         fwr_range_set_free       (FwrRangeSet *self);

FWR_PUBLIC void         fwr_range_set_add_range  (FwrRangeSet *self, guint32 lo, guint32 hi);
FWR_PUBLIC void         fwr_range_set_union      (FwrRangeSet *self, const FwrRangeSet *other);
FWR_PUBLIC void         fwr_range_set_intersect  (FwrRangeSet *self, const FwrRangeSet *other);
FWR_PUBLIC void         fwr_range_set_subtract   (FwrRangeSet *self, const FwrRangeSet *other);
/* Complement within [0, max]. */
FWR_PUBLIC void         fwr_range_set_complement (FwrRangeSet *self, guint32 max);

FWR_PUBLIC gboolean     fwr_range_set_is_empty   (const FwrRangeSet *self);
FWR_PUBLIC gboolean     fwr_range_set_contains   (const FwrRangeSet *self, guint32 value);
FWR_PUBLIC gboolean     fwr_range_set_is_subset  (const FwrRangeSet *self, const FwrRangeSet *other);
FWR_PUBLIC gboolean     fwr_range_set_intersects (const FwrRangeSet *self, const FwrRangeSet *other);
FWR_PUBLIC gboolean     fwr_range_set_equal      (const FwrRangeSet *self, const FwrRangeSet *other);
FWR_PUBLIC guint        fwr_range_set_get_n_ranges (const FwrRangeSet *self);
FWR_PUBLIC void         fwr_range_set_get_range  (const FwrRangeSet *self, guint index,
                                                  guint32 *lo, guint32 *hi);
/* Number of values in the set (fits: values are at most 32 bits). */
FWR_PUBLIC guint64      fwr_range_set_get_size   (const FwrRangeSet *self);
/* "22,80,1000-2000". */
FWR_PUBLIC char        *fwr_range_set_to_string  (const FwrRangeSet *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrRangeSet, fwr_range_set_free)

G_END_DECLS
