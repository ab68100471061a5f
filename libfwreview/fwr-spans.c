/* fwr-spans.c: sorted disjoint interval sets over 128-bit values, the exact set algebra
 * behind addresses, ports and protocols. Every operation is a linear merge. */
#include "fwr-spans-private.h"

#include <stdlib.h>
#include <string.h>

void
_fwr_spans_init (FwrSpans *self)
{
  self->spans = NULL;
  self->n = 0;
  self->alloc = 0;
}

void
_fwr_spans_clear (FwrSpans *self)
{
  if (self->alloc > 0)
    g_free (self->spans);
  self->spans = NULL;
  self->n = 0;
  self->alloc = 0;
}

void
_fwr_spans_borrow (FwrSpans *dest, const FwrSpans *src)
{
  _fwr_spans_clear (dest);
  dest->spans = src->spans;
  dest->n = src->n;
}

gboolean
_fwr_spans_is_borrowed (const FwrSpans *self)
{
  return self->alloc == 0 && self->spans != NULL;
}

static void
spans_reserve (FwrSpans *self, guint n)
{
  if (n <= self->alloc)
    return;
  if (_fwr_spans_is_borrowed (self))
    {
      /* Copy on write: a borrowed array belongs to someone else. */
      guint alloc = MAX (n, self->n);
      FwrSpan *own = g_new (FwrSpan, alloc);
      memcpy (own, self->spans, sizeof (FwrSpan) * self->n);
      self->spans = own;
      self->alloc = alloc;
      return;
    }
  self->alloc = MAX (n, self->alloc * 2);
  self->spans = g_renew (FwrSpan, self->spans, self->alloc);
}

/* Before changing spans in place. */
static void
spans_own (FwrSpans *self)
{
  if (_fwr_spans_is_borrowed (self))
    spans_reserve (self, MAX (self->n, 1));
}

void
_fwr_spans_copy_into (FwrSpans *dest, const FwrSpans *src)
{
  /* Resetting dest first would empty src too when they are the same set. */
  if (dest == src)
    return;
  dest->n = 0;
  spans_reserve (dest, src->n);
  if (src->n > 0)
    memcpy (dest->spans, src->spans, sizeof (FwrSpan) * src->n);
  dest->n = src->n;
}

void
_fwr_spans_set_range (FwrSpans *self, fwr_u128 lo, fwr_u128 hi)
{
  self->n = 0;
  if (lo <= hi)
    _fwr_spans_add (self, lo, hi);
}

/* Appends [lo, hi] where lo is at or after the start of the last span. */
static void
spans_append (FwrSpans *self, fwr_u128 lo, fwr_u128 hi)
{
  if (self->n > 0)
    {
      FwrSpan *last = &self->spans[self->n - 1];
      if (last->hi == FWR_U128_MAX || lo <= last->hi + 1)
        {
          if (hi > last->hi)
            last->hi = hi;
          return;
        }
    }
  spans_reserve (self, self->n + 1);
  self->spans[self->n].lo = lo;
  self->spans[self->n].hi = hi;
  self->n++;
}

/* First span that overlaps or touches a span starting at lo. */
static guint
first_touching (const FwrSpans *self, fwr_u128 lo)
{
  guint a = 0, b = self->n;
  while (a < b)
    {
      guint mid = a + (b - a) / 2;
      if (lo > 0 && self->spans[mid].hi < lo - 1)
        a = mid + 1;
      else
        b = mid;
    }
  return a;
}

/* First span that starts after hi + 1, so neither overlaps nor touches [.., hi]. */
static guint
first_after (const FwrSpans *self, fwr_u128 hi)
{
  guint a = 0, b = self->n;
  while (a < b)
    {
      guint mid = a + (b - a) / 2;
      if (hi == FWR_U128_MAX || self->spans[mid].lo <= hi + 1)
        a = mid + 1;
      else
        b = mid;
    }
  return a;
}

void
_fwr_spans_add (FwrSpans *self, fwr_u128 lo, fwr_u128 hi)
{
  spans_own (self);
  g_return_if_fail (lo <= hi);

  if (self->n == 0 || lo >= self->spans[self->n - 1].lo)
    {
      spans_append (self, lo, hi);
      return;
    }

  /* In place: the spans [i, j) merge with [lo, hi] into one, the tail moves. */
  guint i = first_touching (self, lo);
  guint j = first_after (self, hi);
  if (i == j)
    {
      spans_reserve (self, self->n + 1);
      memmove (&self->spans[i + 1], &self->spans[i], sizeof (FwrSpan) * (self->n - i));
      self->spans[i] = (FwrSpan) { lo, hi };
      self->n++;
      return;
    }
  self->spans[i].lo = MIN (lo, self->spans[i].lo);
  self->spans[i].hi = MAX (hi, self->spans[j - 1].hi);
  memmove (&self->spans[i + 1], &self->spans[j], sizeof (FwrSpan) * (self->n - j));
  self->n -= j - i - 1;
}

static int
cmp_span_lo (gconstpointer a, gconstpointer b)
{
  const FwrSpan *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void
_fwr_spans_add_many (FwrSpans *self, const FwrSpan *items, guint n)
{
  spans_own (self);
  for (guint i = 0; i < n; i++)
    g_return_if_fail (items[i].lo <= items[i].hi);
  if (n == 0)
    return;

  g_autofree FwrSpan *sorted = g_memdup2 (items, sizeof (FwrSpan) * n);
  qsort (sorted, n, sizeof (FwrSpan), cmp_span_lo);
  FwrSpans batch;
  _fwr_spans_init (&batch);
  spans_reserve (&batch, n);
  for (guint i = 0; i < n; i++)
    spans_append (&batch, sorted[i].lo, sorted[i].hi);
  _fwr_spans_union (self, &batch);
  _fwr_spans_clear (&batch);
}

void
_fwr_spans_union (FwrSpans *self, const FwrSpans *other)
{
  spans_own (self);
  if (other->n == 0 || other == self)
    return;
  if (self->n == 0)
    {
      _fwr_spans_copy_into (self, other);
      return;
    }

  /* In place, so that a set that keeps growing (the analysis accumulates unions) reuses its
   * buffer instead of allocating a fresh one per call: self's spans move to the top of a
   * buffer big enough for both and the result grows from the bottom. Each output span
   * consumes at least one input, so a write never reaches a span of self still unread. */
  guint n = self->n, m = other->n;
  spans_reserve (self, n + m);
  memmove (&self->spans[m], &self->spans[0], sizeof (FwrSpan) * n);
  const FwrSpan *mine = &self->spans[m];
  guint i = 0, j = 0;
  self->n = 0;
  while (i < n || j < m)
    {
      FwrSpan next;
      if (j >= m || (i < n && mine[i].lo <= other->spans[j].lo))
        next = mine[i++];
      else
        next = other->spans[j++];
      spans_append (self, next.lo, next.hi);
    }
}

void
_fwr_spans_intersect (FwrSpans *self, const FwrSpans *other)
{
  FwrSpans out;
  _fwr_spans_init (&out);
  guint i = 0, j = 0;
  while (i < self->n && j < other->n)
    {
      fwr_u128 lo = MAX (self->spans[i].lo, other->spans[j].lo);
      fwr_u128 hi = MIN (self->spans[i].hi, other->spans[j].hi);
      if (lo <= hi)
        spans_append (&out, lo, hi);
      if (self->spans[i].hi < other->spans[j].hi)
        i++;
      else
        j++;
    }
  _fwr_spans_clear (self);
  *self = out;
}

void
_fwr_spans_subtract (FwrSpans *self, const FwrSpans *other)
{
  if (self->n == 0 || other->n == 0)
    return;

  FwrSpans out;
  _fwr_spans_init (&out);
  guint j = 0;
  for (guint i = 0; i < self->n; i++)
    {
      fwr_u128 lo = self->spans[i].lo;
      fwr_u128 hi = self->spans[i].hi;
      gboolean alive = TRUE;

      while (j < other->n && other->spans[j].hi < lo)
        j++;
      for (guint k = j; alive && k < other->n && other->spans[k].lo <= hi; k++)
        {
          if (other->spans[k].lo > lo)
            spans_append (&out, lo, other->spans[k].lo - 1);
          if (other->spans[k].hi >= hi)
            alive = FALSE;
          else
            lo = other->spans[k].hi + 1;
        }
      if (alive)
        spans_append (&out, lo, hi);
    }
  _fwr_spans_clear (self);
  *self = out;
}

void
_fwr_spans_complement (FwrSpans *self, fwr_u128 max)
{
  FwrSpans full = { &(FwrSpan) { 0, max }, 1, 1 };
  FwrSpans out;
  _fwr_spans_init (&out);
  _fwr_spans_copy_into (&out, &full);
  _fwr_spans_subtract (&out, self);
  _fwr_spans_clear (self);
  *self = out;
}

gboolean
_fwr_spans_is_subset (const FwrSpans *self, const FwrSpans *other)
{
  guint j = 0;
  for (guint i = 0; i < self->n; i++)
    {
      /* Spans are non-adjacent, so a span of self fits inside exactly one span of other. */
      while (j < other->n && other->spans[j].hi < self->spans[i].lo)
        j++;
      if (j >= other->n || other->spans[j].lo > self->spans[i].lo ||
          other->spans[j].hi < self->spans[i].hi)
        return FALSE;
    }
  return TRUE;
}

gboolean
_fwr_spans_intersects_merged (const FwrSpans *self, const FwrSpans *other)
{
  guint i = 0, j = 0;
  while (i < self->n && j < other->n)
    {
      if (self->spans[i].hi < other->spans[j].lo)
        i = _fwr_spans_skip_to (self, i + 1, other->spans[j].lo);
      else if (other->spans[j].hi < self->spans[i].lo)
        j = _fwr_spans_skip_to (other, j + 1, self->spans[i].lo);
      else
        return TRUE;
    }
  return FALSE;
}

guint
_fwr_spans_skip_to (const FwrSpans *self, guint from, fwr_u128 v)
{
  if (from >= self->n || self->spans[from].hi >= v)
    return from;
  /* spans[lo] ends before v; double the step until spans[hi] does not (or the end). */
  guint lo = from, step = 1;
  while (lo + step < self->n && self->spans[lo + step].hi < v)
    lo += step, step *= 2;
  guint hi = MIN (lo + step, self->n);
  while (lo + 1 < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (self->spans[mid].hi < v)
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

gboolean
_fwr_spans_equal (const FwrSpans *self, const FwrSpans *other)
{
  return self->n == other->n &&
         (self->n == 0 || memcmp (self->spans, other->spans, sizeof (FwrSpan) * self->n) == 0);
}

gboolean
_fwr_spans_meets_range (const FwrSpans *self, fwr_u128 lo, fwr_u128 hi)
{
  /* The first span ending at or after lo is the only one that can start at or before hi. */
  guint a = 0, b = self->n;
  while (a < b)
    {
      guint mid = a + (b - a) / 2;
      if (self->spans[mid].hi < lo)
        a = mid + 1;
      else
        b = mid;
    }
  return a < self->n && self->spans[a].lo <= hi;
}

gboolean
_fwr_spans_contains (const FwrSpans *self, fwr_u128 value)
{
  return _fwr_spans_meets_range (self, value, value);
}

gboolean
_fwr_spans_is_full (const FwrSpans *self, fwr_u128 max)
{
  return self->n == 1 && self->spans[0].lo == 0 && self->spans[0].hi == max;
}
