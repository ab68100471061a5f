/* fwr-spans-private.h: the one interval-set engine behind FwrAddrSet and FwrRangeSet.
 * Values are 128-bit so that IPv6 fits; a set is a sorted array of disjoint, non-adjacent spans. */
#pragma once

#include <glib.h>

__extension__ typedef unsigned __int128 fwr_u128;

#define FWR_U128_MAX (~(fwr_u128) 0)
#define FWR_IPV4_MAX ((fwr_u128) G_MAXUINT32)

typedef struct {
  fwr_u128 lo;
  fwr_u128 hi; /* inclusive */
} FwrSpan;

typedef struct {
  FwrSpan *spans;
  guint n;
  guint alloc;
} FwrSpans;

/* A set is either owned (alloc > 0, or empty) or borrowed (alloc == 0 with spans set): a
 * borrowed set shares another set's array, never frees it, and copies it before any change.
 * Borrow only from a set that outlives the borrower and does not change meanwhile. */
void     _fwr_spans_init       (FwrSpans *self);
void     _fwr_spans_borrow     (FwrSpans *dest, const FwrSpans *src);
gboolean _fwr_spans_is_borrowed (const FwrSpans *self);
void     _fwr_spans_clear      (FwrSpans *self);
void     _fwr_spans_copy_into  (FwrSpans *dest, const FwrSpans *src);
void     _fwr_spans_set_range  (FwrSpans *self, fwr_u128 lo, fwr_u128 hi);
/* Adds [lo, hi], merging overlapping and adjacent spans. Amortised O(1) when spans come
 * in ascending order (as set operations produce them); otherwise O(log n) plus moving the
 * spans above it, which makes n adds in random order quadratic: use _fwr_spans_add_many. */
void     _fwr_spans_add        (FwrSpans *self, fwr_u128 lo, fwr_u128 hi);
/* Adds every item (lo <= hi each, any order, overlaps allowed) in O(k log k + n). */
void     _fwr_spans_add_many   (FwrSpans *self, const FwrSpan *items, guint n);
void     _fwr_spans_union      (FwrSpans *self, const FwrSpans *other);
void     _fwr_spans_intersect  (FwrSpans *self, const FwrSpans *other);
void     _fwr_spans_subtract   (FwrSpans *self, const FwrSpans *other);
void     _fwr_spans_complement (FwrSpans *self, fwr_u128 max);
gboolean _fwr_spans_is_subset  (const FwrSpans *self, const FwrSpans *other);
/* The merge behind _fwr_spans_intersects, for sets of several spans whose hulls meet. */
gboolean _fwr_spans_intersects_merged (const FwrSpans *self, const FwrSpans *other);
gboolean _fwr_spans_equal      (const FwrSpans *self, const FwrSpans *other);
gboolean _fwr_spans_contains   (const FwrSpans *self, fwr_u128 value);
/* Does [lo, hi] share a value with the set? O(log n). */
gboolean _fwr_spans_meets_range (const FwrSpans *self, fwr_u128 lo, fwr_u128 hi);
/* The first index from `from` on of a span ending at or after v (self->n when none), found
 * by galloping: merging a long list with a short one costs the short one's length times the
 * logarithm of the long one's, not their sum. */
guint    _fwr_spans_skip_to (const FwrSpans *self, guint from, fwr_u128 v);

/* Do the sets share a value? Inline: the analysis asks it of every dimension of every piece it
 * meets, and most dimensions are one span, or sets whose extremes already keep them apart. */
static inline gboolean
_fwr_spans_intersects (const FwrSpans *self, const FwrSpans *other)
{
  if (self->n == 0 || other->n == 0)
    return FALSE;
  if (self->spans[0].lo > other->spans[other->n - 1].hi || other->spans[0].lo > self->spans[self->n - 1].hi)
    return FALSE;
  return (self->n == 1 && other->n == 1) || _fwr_spans_intersects_merged (self, other);
}
/* [0, max] exactly. */
gboolean _fwr_spans_is_full    (const FwrSpans *self, fwr_u128 max);
