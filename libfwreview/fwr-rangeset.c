/* fwr-rangeset.c: FwrRangeSet, ports and protocol numbers over the shared span engine. */
#include "fwr-ruleset-private.h"

FwrRangeSet *
fwr_range_set_new (void)
{
  FwrRangeSet *self = g_new0 (FwrRangeSet, 1);
  _fwr_spans_init (&self->spans);
  return self;
}

FwrRangeSet *
fwr_range_set_new_range (guint32 lo, guint32 hi)
{
  FwrRangeSet *self = fwr_range_set_new ();
  if (lo <= hi)
    _fwr_spans_add (&self->spans, lo, hi);
  return self;
}

FwrRangeSet *
fwr_range_set_copy (const FwrRangeSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  FwrRangeSet *copy = fwr_range_set_new ();
  _fwr_spans_copy_into (&copy->spans, &self->spans);
  return copy;
}

void
fwr_range_set_free (FwrRangeSet *self)
{
  if (self == NULL)
    return;
  _fwr_spans_clear (&self->spans);
  g_free (self);
}

void
fwr_range_set_add_range (FwrRangeSet *self, guint32 lo, guint32 hi)
{
  g_return_if_fail (self != NULL);
  if (lo <= hi)
    _fwr_spans_add (&self->spans, lo, hi);
}

void
fwr_range_set_union (FwrRangeSet *self, const FwrRangeSet *other)
{
  g_return_if_fail (self != NULL && other != NULL);
  _fwr_spans_union (&self->spans, &other->spans);
}

void
fwr_range_set_intersect (FwrRangeSet *self, const FwrRangeSet *other)
{
  g_return_if_fail (self != NULL && other != NULL);
  _fwr_spans_intersect (&self->spans, &other->spans);
}

void
fwr_range_set_subtract (FwrRangeSet *self, const FwrRangeSet *other)
{
  g_return_if_fail (self != NULL && other != NULL);
  _fwr_spans_subtract (&self->spans, &other->spans);
}

void
fwr_range_set_complement (FwrRangeSet *self, guint32 max)
{
  g_return_if_fail (self != NULL);
  _fwr_spans_complement (&self->spans, max);
}

gboolean
fwr_range_set_is_empty (const FwrRangeSet *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->spans.n == 0;
}

gboolean
fwr_range_set_contains (const FwrRangeSet *self, guint32 value)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return _fwr_spans_contains (&self->spans, value);
}

gboolean
fwr_range_set_is_subset (const FwrRangeSet *self, const FwrRangeSet *other)
{
  g_return_val_if_fail (self != NULL && other != NULL, FALSE);
  return _fwr_spans_is_subset (&self->spans, &other->spans);
}

gboolean
fwr_range_set_intersects (const FwrRangeSet *self, const FwrRangeSet *other)
{
  g_return_val_if_fail (self != NULL && other != NULL, FALSE);
  return _fwr_spans_intersects (&self->spans, &other->spans);
}

gboolean
fwr_range_set_equal (const FwrRangeSet *self, const FwrRangeSet *other)
{
  g_return_val_if_fail (self != NULL && other != NULL, FALSE);
  return _fwr_spans_equal (&self->spans, &other->spans);
}

guint
fwr_range_set_get_n_ranges (const FwrRangeSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->spans.n;
}

void
fwr_range_set_get_range (const FwrRangeSet *self, guint index, guint32 *lo, guint32 *hi)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->spans.n);
  if (lo)
    *lo = (guint32) self->spans.spans[index].lo;
  if (hi)
    *hi = (guint32) self->spans.spans[index].hi;
}

guint64
fwr_range_set_get_size (const FwrRangeSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  guint64 size = 0;
  for (guint i = 0; i < self->spans.n; i++)
    size += (guint64) (self->spans.spans[i].hi - self->spans.spans[i].lo) + 1;
  return size;
}

char *
fwr_range_set_to_string (const FwrRangeSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < self->spans.n; i++)
    {
      guint32 lo = (guint32) self->spans.spans[i].lo;
      guint32 hi = (guint32) self->spans.spans[i].hi;
      if (i > 0)
        g_string_append_c (out, ',');
      if (lo == hi)
        g_string_append_printf (out, "%u", lo);
      else
        g_string_append_printf (out, "%u-%u", lo, hi);
    }
  return g_string_free (out, FALSE);
}
