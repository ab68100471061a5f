/* fwr-cube.c: exact algebra on packet spaces. Subtracting one cube from another peels off at
 * most one piece per dimension, so a rule overlapped by k others costs O(k * dims) pieces. */
#include "fwr-cube-private.h"

#define FULL_MASK ((guint16) ((1u << FWR_DIM_N) - 1))

FwrCube *
_fwr_cube_new_full (guint8 family)
{
  FwrCube *cube = g_new0 (FwrCube, 1);
  cube->family = family;
  cube->full = FULL_MASK;
  return cube;
}

/* A copy of cube with dimension `except` left empty (FWR_DIM_N: none). */
static FwrCube *
cube_copy_except (const FwrCube *cube, guint except)
{
  FwrCube *copy = g_new0 (FwrCube, 1);
  copy->family = cube->family;
  copy->full = cube->full;
  for (guint d = 0; d < FWR_DIM_N; d++)
    if (d != except && !(cube->full & (1u << d)))
      _fwr_spans_copy_into (&copy->dims[d], &cube->dims[d]);
  return copy;
}

FwrCube *
_fwr_cube_copy (const FwrCube *cube)
{
  return cube_copy_except (cube, FWR_DIM_N);
}

void
_fwr_cube_free (FwrCube *cube)
{
  if (cube == NULL)
    return;
  for (guint d = 0; d < FWR_DIM_N; d++)
    _fwr_spans_clear (&cube->dims[d]);
  g_free (cube);
}

gboolean
_fwr_cube_restrict_borrowed (FwrCube *cube, const FwrDomain *domain, FwrDim d, const FwrSpans *spans)
{
  if (!_fwr_cube_is_full_dim (cube, d))
    return _fwr_cube_restrict (cube, domain, d, spans);
  if (_fwr_spans_is_full (spans, domain->max[d]))
    return TRUE;
  _fwr_spans_borrow (&cube->dims[d], spans);
  cube->full &= (guint16) ~(1u << d);
  return cube->dims[d].n > 0;
}

gboolean
_fwr_cube_is_full_dim (const FwrCube *cube, FwrDim d)
{
  return (cube->full & (1u << d)) != 0;
}

gboolean
_fwr_cube_restrict (FwrCube *cube, const FwrDomain *domain, FwrDim d, const FwrSpans *spans)
{
  if (_fwr_cube_is_full_dim (cube, d))
    {
      if (_fwr_spans_is_full (spans, domain->max[d]))
        return TRUE;
      _fwr_spans_copy_into (&cube->dims[d], spans);
      cube->full &= (guint16) ~(1u << d);
    }
  else
    _fwr_spans_intersect (&cube->dims[d], spans);
  return cube->dims[d].n > 0;
}

gboolean
_fwr_cube_intersects (const FwrCube *a, const FwrCube *b)
{
  if (a->family != b->family)
    return FALSE;
  guint16 both = (guint16) (~a->full & ~b->full & FULL_MASK);
  for (guint d = 0; d < FWR_DIM_N; d++)
    if ((both & (1u << d)) && !_fwr_spans_intersects (&a->dims[d], &b->dims[d]))
      return FALSE;
  return TRUE;
}

gboolean
_fwr_cube_is_subset (const FwrCube *a, const FwrCube *b)
{
  if (a->family != b->family)
    return FALSE;
  for (guint d = 0; d < FWR_DIM_N; d++)
    {
      if (b->full & (1u << d))
        continue;
      /* Full dimensions are normalized, so a full a-dimension is wider than any b-dimension. */
      if ((a->full & (1u << d)) || !_fwr_spans_is_subset (&a->dims[d], &b->dims[d]))
        return FALSE;
    }
  return TRUE;
}

FwrCube *
_fwr_cube_intersect (const FwrCube *a, const FwrCube *b)
{
  if (!_fwr_cube_intersects (a, b))
    return NULL;
  FwrCube *out = _fwr_cube_copy (a);
  for (guint d = 0; d < FWR_DIM_N; d++)
    {
      if (b->full & (1u << d))
        continue;
      if (out->full & (1u << d))
        {
          /* What b borrows (from the model) the result may borrow too; b's own arrays not. */
          if (_fwr_spans_is_borrowed (&b->dims[d]))
            _fwr_spans_borrow (&out->dims[d], &b->dims[d]);
          else
            _fwr_spans_copy_into (&out->dims[d], &b->dims[d]);
          out->full &= (guint16) ~(1u << d);
        }
      else
        _fwr_spans_intersect (&out->dims[d], &b->dims[d]);
    }
  return out;
}

void
_fwr_cube_subtract_into (const FwrCube *a, const FwrCube *b, const FwrDomain *domain, GPtrArray *out)
{
  if (!_fwr_cube_intersects (a, b))
    {
      g_ptr_array_add (out, _fwr_cube_copy (a));
      return;
    }

  /* Peel: piece d keeps a's values outside b in dimension d and a ∩ b in the dimensions
   * before it, so the pieces are disjoint and their union is a \ b. */
  FwrCube *cur = _fwr_cube_copy (a);
  for (guint d = 0; d < FWR_DIM_N; d++)
    {
      if (b->full & (1u << d))
        continue;

      FwrSpans outside;
      _fwr_spans_init (&outside);
      if (cur->full & (1u << d))
        _fwr_spans_set_range (&outside, 0, domain->max[d]);
      else
        _fwr_spans_copy_into (&outside, &cur->dims[d]);
      _fwr_spans_subtract (&outside, &b->dims[d]);

      if (outside.n > 0)
        {
          FwrCube *piece = cube_copy_except (cur, d);
          piece->dims[d] = outside;
          piece->full &= (guint16) ~(1u << d);
          g_ptr_array_add (out, piece);
        }
      else
        _fwr_spans_clear (&outside);

      if (cur->full & (1u << d))
        {
          _fwr_spans_copy_into (&cur->dims[d], &b->dims[d]);
          cur->full &= (guint16) ~(1u << d);
        }
      else
        _fwr_spans_intersect (&cur->dims[d], &b->dims[d]);
    }
  _fwr_cube_free (cur);
}

void
_fwr_cube_hull (const FwrCube *cube, const FwrDomain *domain, FwrDim d, fwr_u128 *lo, fwr_u128 *hi)
{
  if (cube->full & (1u << d))
    {
      *lo = 0;
      *hi = domain->max[d];
      return;
    }
  *lo = cube->dims[d].spans[0].lo;
  *hi = cube->dims[d].spans[cube->dims[d].n - 1].hi;
}

GPtrArray *
_fwr_space_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) _fwr_cube_free);
}

gboolean
_fwr_space_subtract (GPtrArray *space, const FwrCube *cube, const FwrDomains *domains, guint max_cubes,
                     gboolean *touched_any)
{
  const FwrDomain *domain = cube->family == FWR_FAMILY_IPV4 ? domains->domain4 : domains->domain6;

  /* Only the pieces cube touches change; in a fragmented space most do not, and copying them
   * all on every subtraction made the cost quadratic. The result is checked against the
   * limit before anything changes, so an overflow leaves the space as it was. */
  g_autoptr (GPtrArray) added = NULL;
  g_autoptr (GArray) touched = NULL;
  for (guint i = 0; i < space->len; i++)
    {
      FwrCube *piece = g_ptr_array_index (space, i);
      if (!_fwr_cube_intersects (piece, cube))
        continue;
      if (touched == NULL)
        touched = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (touched, i);
      if (_fwr_cube_is_subset (piece, cube))
        continue;
      if (added == NULL)
        added = _fwr_space_new ();
      _fwr_cube_subtract_into (piece, cube, domain, added);
      if (space->len - touched->len + added->len > max_cubes)
        return FALSE;
    }
  if (touched_any != NULL)
    *touched_any = touched != NULL;
  if (touched == NULL)
    return TRUE;

  guint kept = 0, next = 0;
  for (guint i = 0; i < space->len; i++)
    {
      FwrCube *piece = g_ptr_array_index (space, i);
      if (next < touched->len && g_array_index (touched, guint, next) == i)
        {
          _fwr_cube_free (piece);
          next++;
        }
      else
        space->pdata[kept++] = piece;
    }
  /* The dropped pieces are freed above: shrink without freeing again. */
  g_ptr_array_set_free_func (space, NULL);
  g_ptr_array_set_size (space, kept);
  g_ptr_array_set_free_func (space, (GDestroyNotify) _fwr_cube_free);
  if (added != NULL)
    {
      for (guint i = 0; i < added->len; i++)
        g_ptr_array_add (space, g_ptr_array_index (added, i));
      g_ptr_array_set_free_func (added, NULL);
    }
  return TRUE;
}

gboolean
_fwr_space_intersects (GPtrArray *space, const FwrCube *cube)
{
  for (guint i = 0; i < space->len; i++)
    if (_fwr_cube_intersects (g_ptr_array_index (space, i), cube))
      return TRUE;
  return FALSE;
}

GPtrArray *
_fwr_space_intersect (GPtrArray *space, const FwrCube *cube)
{
  GPtrArray *out = _fwr_space_new ();
  for (guint i = 0; i < space->len; i++)
    {
      FwrCube *piece = _fwr_cube_intersect (g_ptr_array_index (space, i), cube);
      if (piece != NULL)
        g_ptr_array_add (out, piece);
    }
  return out;
}

void
_fwr_space_append_copy (GPtrArray *space, GPtrArray *other)
{
  for (guint i = 0; i < other->len; i++)
    g_ptr_array_add (space, _fwr_cube_copy (g_ptr_array_index (other, i)));
}

/* A 128-bit integer converts in a library call, a 64-bit one in one instruction: most sizes
 * (ports, IPv4 addresses, interface classes) fit in 64 bits. */
static inline long double
u128_to_long_double (fwr_u128 value)
{
  return (value >> 64) == 0 ? (long double) (guint64) value : (long double) value;
}

/* Sizes are summed as integers and converted once: sum(hi - lo) over disjoint spans of at most
 * 2^128 values cannot overflow, and the count of spans is added after the conversion. */
static long double
size_from_sum (fwr_u128 sum_of_widths, guint n_spans)
{
  return n_spans == 0 ? 0 : u128_to_long_double (sum_of_widths) + (long double) n_spans;
}

/* Number of values two span sets share, without building their intersection. */
static long double
spans_overlap_size (const FwrSpans *a, const FwrSpans *b)
{
  fwr_u128 widths = 0;
  guint n = 0, i = 0, j = 0;
  while (i < a->n && j < b->n)
    {
      if (a->spans[i].hi < b->spans[j].lo)
        {
          i = _fwr_spans_skip_to (a, i + 1, b->spans[j].lo);
          continue;
        }
      if (b->spans[j].hi < a->spans[i].lo)
        {
          j = _fwr_spans_skip_to (b, j + 1, a->spans[i].lo);
          continue;
        }
      fwr_u128 lo = MAX (a->spans[i].lo, b->spans[j].lo);
      fwr_u128 hi = MIN (a->spans[i].hi, b->spans[j].hi);
      widths += hi - lo, n++;
      if (a->spans[i].hi < b->spans[j].hi)
        i++;
      else
        j++;
    }
  return size_from_sum (widths, n);
}

static long double
spans_size (const FwrSpans *spans)
{
  fwr_u128 widths = 0;
  for (guint i = 0; i < spans->n; i++)
    widths += spans->spans[i].hi - spans->spans[i].lo;
  return size_from_sum (widths, spans->n);
}

long double
_fwr_cube_overlap_volume (const FwrCube *a, const FwrCube *b, const FwrDomain *domain)
{
  if (a->family != b->family)
    return 0;
  long double volume = 1.0L;
  for (guint d = 0; d < FWR_DIM_N && volume > 0; d++)
    {
      gboolean a_full = (a->full & (1u << d)) != 0, b_full = (b->full & (1u << d)) != 0;
      if (a_full && b_full)
        volume *= u128_to_long_double (domain->max[d]) + 1.0L;
      else if (a_full)
        volume *= spans_size (&b->dims[d]);
      else if (b_full)
        volume *= spans_size (&a->dims[d]);
      else
        volume *= spans_overlap_size (&a->dims[d], &b->dims[d]);
    }
  return volume;
}

long double
_fwr_cube_volume (const FwrCube *cube, const FwrDomain *domain)
{
  return _fwr_cube_overlap_volume (cube, cube, domain);
}
