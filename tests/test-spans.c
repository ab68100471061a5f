/* test-spans.c: the interval engine checked against a 64-bit bitmap on small windows of the
 * 128-bit value space (at 0, across 2^32, across 2^64 and at the very top), plus edge cases. */
#include "fwr-spans-private.h"
#include "fwr-test-seed.h"

#define WIDTH 64
#define ROUNDS 400

typedef struct {
  const char *name;
  fwr_u128 base; /* the window is [base, base + 63] */
} Window;

static const Window windows[] = {
  { "low", 0 },
  { "ipv4-top", FWR_IPV4_MAX - 31 },
  { "u64-edge", ((fwr_u128) 1 << 64) - 32 },
  { "top", FWR_U128_MAX - (WIDTH - 1) },
};

/* Bits lo..hi of a window bitmap. */
static guint64
bits_range (guint lo, guint hi)
{
  g_assert_cmpuint (lo, <=, hi);
  g_assert_cmpuint (hi, <, WIDTH);
  guint64 upto_hi = hi == WIDTH - 1 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (hi + 1)) - 1;
  return upto_hi & ~((G_GUINT64_CONSTANT (1) << lo) - 1);
}

/* The representation every operation must leave behind: sorted, disjoint, non-adjacent. */
static void
assert_invariants (const FwrSpans *s)
{
  g_assert_cmpuint (s->n, <=, s->alloc);
  if (s->n > 0)
    g_assert_nonnull (s->spans);
  for (guint i = 0; i < s->n; i++)
    {
      g_assert_true (s->spans[i].lo <= s->spans[i].hi);
      if (i > 0)
        {
          g_assert_true (s->spans[i - 1].hi < s->spans[i].lo);
          /* A gap of at least one value, else the two spans should have been merged. */
          g_assert_true (s->spans[i].lo - s->spans[i - 1].hi >= 2);
        }
    }
}

static guint64
to_bits (const FwrSpans *s, fwr_u128 base)
{
  assert_invariants (s);
  guint64 bits = 0;
  for (guint i = 0; i < s->n; i++)
    {
      g_assert_true (s->spans[i].lo >= base);
      g_assert_true (s->spans[i].hi - base < WIDTH);
      bits |= bits_range ((guint) (s->spans[i].lo - base), (guint) (s->spans[i].hi - base));
    }
  return bits;
}

/* The canonical spans for a bitmap, built run by run without the engine's merging. */
static void
from_bits (FwrSpans *out, guint64 bits, fwr_u128 base)
{
  _fwr_spans_clear (out);
  FwrSpan runs[WIDTH];
  guint n = 0;
  for (guint v = 0; v < WIDTH; v++)
    {
      if (!(bits & (G_GUINT64_CONSTANT (1) << v)))
        continue;
      if (n > 0 && runs[n - 1].hi == base + v - 1)
        runs[n - 1].hi = base + v;
      else
        runs[n++] = (FwrSpan) { base + v, base + v };
    }
  out->spans = g_memdup2 (runs, sizeof (FwrSpan) * n);
  out->n = out->alloc = n;
}

static void
shuffle (FwrSpan *items, guint n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) g_test_rand_int_range (0, (gint32) i);
      FwrSpan tmp = items[i - 1];
      items[i - 1] = items[j];
      items[j] = tmp;
    }
}

static int
cmp_span_lo (gconstpointer a, gconstpointer b)
{
  const FwrSpan *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* A random subset of the window, built through _fwr_spans_add in one of several orders and
 * shapes (overlapping intervals, single points, ascending or shuffled) so that merging of
 * overlapping and adjacent pieces gets exercised; *bits receives the reference. */
static void
random_set (FwrSpans *out, guint64 *bits, fwr_u128 base)
{
  FwrSpan pieces[WIDTH];
  guint n = 0;
  guint mode = (guint) g_test_rand_int_range (0, 6);

  *bits = 0;
  if (mode <= 1)
    {
      guint k = (guint) g_test_rand_int_range (0, 7);
      for (guint i = 0; i < k; i++)
        {
          guint lo = (guint) g_test_rand_int_range (0, WIDTH);
          guint len = g_test_rand_bit () ? (guint) g_test_rand_int_range (0, 4)
                                         : (guint) g_test_rand_int_range (0, WIDTH - (gint32) lo);
          guint hi = MIN (lo + len, WIDTH - 1);
          pieces[n++] = (FwrSpan) { base + lo, base + hi };
          *bits |= bits_range (lo, hi);
        }
    }
  else if (mode <= 3)
    {
      /* Dense single points: most neighbours are adjacent and must merge. */
      gint32 percent = g_test_rand_int_range (5, 95);
      for (guint v = 0; v < WIDTH; v++)
        if (g_test_rand_int_range (0, 100) < percent)
          {
            pieces[n++] = (FwrSpan) { base + v, base + v };
            *bits |= bits_range (v, v);
          }
    }
  else if (mode == 4)
    {
      if (g_test_rand_bit ())
        {
          pieces[n++] = (FwrSpan) { base, base + WIDTH - 1 };
          *bits = G_MAXUINT64;
        }
    }
  else
    {
      /* Runs laid out back to back, so neighbours touch exactly. */
      guint v = 0;
      while (v < WIDTH)
        {
          guint len = (guint) g_test_rand_int_range (1, 9);
          guint hi = MIN (v + len - 1, WIDTH - 1);
          if (g_test_rand_bit ())
            {
              pieces[n++] = (FwrSpan) { base + v, base + hi };
              *bits |= bits_range (v, hi);
            }
          v = hi + 1;
        }
    }

  if (mode % 2 == 0)
    shuffle (pieces, n);
  else
    qsort (pieces, n, sizeof (FwrSpan), cmp_span_lo);

  _fwr_spans_init (out);
  for (guint i = 0; i < n; i++)
    {
      _fwr_spans_add (out, pieces[i].lo, pieces[i].hi);
      assert_invariants (out);
    }
}

static void
assert_bits_eq (guint64 got, guint64 want, const char *what, guint round)
{
  if (got != want)
    g_error ("%s, round %u: got %016" G_GINT64_MODIFIER "x, want %016" G_GINT64_MODIFIER "x",
             what, round, got, want);
}

static void
test_add (gconstpointer data)
{
  const Window *w = data;
  for (guint round = 0; round < ROUNDS; round++)
    {
      FwrSpans a, canonical;
      guint64 bits;
      random_set (&a, &bits, w->base);
      assert_bits_eq (to_bits (&a, w->base), bits, "add", round);

      _fwr_spans_init (&canonical);
      from_bits (&canonical, bits, w->base);
      g_assert_true (_fwr_spans_equal (&a, &canonical));
      g_assert_cmpuint (a.n, ==, canonical.n);
      _fwr_spans_clear (&a);
      _fwr_spans_clear (&canonical);
    }
}

/* A batch in any order, with overlaps and repeats, into a set that may already hold spans. */
static void
test_add_many (gconstpointer data)
{
  const Window *w = data;
  for (guint round = 0; round < ROUNDS; round++)
    {
      FwrSpans a;
      guint64 abits, want;
      random_set (&a, &abits, w->base);
      want = abits;

      FwrSpan items[2 * WIDTH];
      guint n = (guint) g_test_rand_int_range (0, G_N_ELEMENTS (items));
      for (guint i = 0; i < n; i++)
        {
          guint lo = (guint) g_test_rand_int_range (0, WIDTH);
          guint hi = g_test_rand_bit () ? lo : (guint) g_test_rand_int_range ((gint32) lo, WIDTH);
          items[i] = (FwrSpan) { w->base + lo, w->base + hi };
          want |= bits_range (lo, hi);
        }
      _fwr_spans_add_many (&a, items, n);
      assert_bits_eq (to_bits (&a, w->base), want, "add_many", round);
      _fwr_spans_clear (&a);
    }
}

typedef enum { OP_UNION, OP_INTERSECT, OP_SUBTRACT } BinaryOp;

static void
check_binary (const Window *w, BinaryOp op)
{
  static const char *names[] = { "union", "intersect", "subtract" };
  for (guint round = 0; round < ROUNDS; round++)
    {
      FwrSpans a, b, c;
      guint64 abits, bbits, want;
      random_set (&a, &abits, w->base);
      random_set (&b, &bbits, w->base);
      _fwr_spans_init (&c);
      _fwr_spans_copy_into (&c, &a);
      switch (op)
        {
        case OP_UNION:
          _fwr_spans_union (&c, &b);
          want = abits | bbits;
          break;
        case OP_INTERSECT:
          _fwr_spans_intersect (&c, &b);
          want = abits & bbits;
          break;
        case OP_SUBTRACT:
          _fwr_spans_subtract (&c, &b);
          want = abits & ~bbits;
          break;
        default:
          g_assert_not_reached ();
        }
      assert_bits_eq (to_bits (&c, w->base), want, names[op], round);
      /* The operand is read only. */
      assert_bits_eq (to_bits (&b, w->base), bbits, "operand", round);
      _fwr_spans_clear (&a);
      _fwr_spans_clear (&b);
      _fwr_spans_clear (&c);
    }
}

static void
test_union (gconstpointer data)
{
  check_binary (data, OP_UNION);
}

static void
test_intersect (gconstpointer data)
{
  check_binary (data, OP_INTERSECT);
}

static void
test_subtract (gconstpointer data)
{
  check_binary (data, OP_SUBTRACT);
}

/* Everything in [0, base - 1] lies outside the window; a complement must hold it whole.
 * Returns the window part of s. */
static guint64
window_bits_after_complement (const FwrSpans *s, fwr_u128 base)
{
  FwrSpans inside;
  _fwr_spans_init (&inside);
  _fwr_spans_copy_into (&inside, s);
  if (base > 0)
    {
      g_assert_cmpuint (inside.n, >, 0);
      g_assert_true (inside.spans[0].lo == 0);
      g_assert_true (inside.spans[0].hi >= base - 1);
      if (inside.spans[0].hi == base - 1)
        {
          memmove (inside.spans, inside.spans + 1, sizeof (FwrSpan) * (inside.n - 1));
          inside.n--;
        }
      else
        inside.spans[0].lo = base;
    }
  guint64 bits = to_bits (&inside, base);
  _fwr_spans_clear (&inside);
  return bits;
}

static void
test_complement (gconstpointer data)
{
  const Window *w = data;
  for (guint round = 0; round < ROUNDS; round++)
    {
      FwrSpans a, c;
      guint64 abits;
      guint k = (guint) g_test_rand_int_range (0, WIDTH);
      fwr_u128 max = w->base + k;
      random_set (&a, &abits, w->base);

      _fwr_spans_init (&c);
      _fwr_spans_copy_into (&c, &a);
      _fwr_spans_complement (&c, max);
      assert_invariants (&c);
      assert_bits_eq (window_bits_after_complement (&c, w->base), ~abits & bits_range (0, k),
                      "complement", round);
      g_assert_false (_fwr_spans_intersects (&c, &a));

      /* Twice gives back the part of a within [0, max]. */
      _fwr_spans_complement (&c, max);
      assert_bits_eq (to_bits (&c, w->base), abits & bits_range (0, k), "complement twice", round);
      _fwr_spans_clear (&a);
      _fwr_spans_clear (&c);
    }
}

/* b drawn independently, or as a superset or subset of a, so every predicate is exercised
 * on both answers. */
static void
random_related_set (FwrSpans *b, guint64 *bbits, const FwrSpans *a, guint64 abits, fwr_u128 base)
{
  guint64 r;
  random_set (b, &r, base);
  switch (g_test_rand_int_range (0, 4))
    {
    case 0:
      *bbits = r;
      break;
    case 1:
      _fwr_spans_union (b, a);
      *bbits = r | abits;
      break;
    case 2:
      _fwr_spans_intersect (b, a);
      *bbits = r & abits;
      break;
    default:
      _fwr_spans_copy_into (b, a);
      *bbits = abits;
      break;
    }
}

static void
test_predicates (gconstpointer data)
{
  const Window *w = data;
  for (guint round = 0; round < ROUNDS; round++)
    {
      FwrSpans a, b;
      guint64 abits, bbits;
      random_set (&a, &abits, w->base);
      random_related_set (&b, &bbits, &a, abits, w->base);

      g_assert_cmpint (_fwr_spans_is_subset (&a, &b), ==, (abits & ~bbits) == 0);
      g_assert_cmpint (_fwr_spans_is_subset (&b, &a), ==, (bbits & ~abits) == 0);
      g_assert_cmpint (_fwr_spans_intersects (&a, &b), ==, (abits & bbits) != 0);
      g_assert_cmpint (_fwr_spans_intersects (&b, &a), ==, (abits & bbits) != 0);
      g_assert_cmpint (_fwr_spans_equal (&a, &b), ==, abits == bbits);

      for (guint v = 0; v < WIDTH; v++)
        g_assert_cmpint (_fwr_spans_contains (&a, w->base + v), ==, (abits >> v) & 1);
      if (w->base > 0)
        g_assert_false (_fwr_spans_contains (&a, w->base - 1));
      if (w->base + WIDTH - 1 < FWR_U128_MAX)
        g_assert_false (_fwr_spans_contains (&a, w->base + WIDTH));

      guint k = (guint) g_test_rand_int_range (0, WIDTH);
      gboolean full = w->base == 0 && abits == bits_range (0, k);
      g_assert_cmpint (_fwr_spans_is_full (&a, w->base + k), ==, full);

      _fwr_spans_clear (&a);
      _fwr_spans_clear (&b);
    }
}

/* Identities that must hold between the operations themselves. */
static void
test_laws (gconstpointer data)
{
  const Window *w = data;
  for (guint round = 0; round < ROUNDS; round++)
    {
      FwrSpans a, b, x, y;
      guint64 abits, bbits;
      random_set (&a, &abits, w->base);
      random_set (&b, &bbits, w->base);
      _fwr_spans_init (&x);
      _fwr_spans_init (&y);

      /* a ∪ b = b ∪ a */
      _fwr_spans_copy_into (&x, &a);
      _fwr_spans_union (&x, &b);
      _fwr_spans_copy_into (&y, &b);
      _fwr_spans_union (&y, &a);
      g_assert_true (_fwr_spans_equal (&x, &y));

      /* a ∖ b = a ∩ ¬b */
      _fwr_spans_copy_into (&x, &a);
      _fwr_spans_subtract (&x, &b);
      _fwr_spans_copy_into (&y, &b);
      _fwr_spans_complement (&y, FWR_U128_MAX);
      _fwr_spans_intersect (&y, &a);
      g_assert_true (_fwr_spans_equal (&x, &y));

      /* (a ∖ b) ∪ (a ∩ b) = a */
      _fwr_spans_copy_into (&y, &a);
      _fwr_spans_intersect (&y, &b);
      _fwr_spans_union (&x, &y);
      g_assert_true (_fwr_spans_equal (&x, &a));

      _fwr_spans_clear (&a);
      _fwr_spans_clear (&b);
      _fwr_spans_clear (&x);
      _fwr_spans_clear (&y);
    }
}

/* self and other may be the same set (a ∪ a in the analysis). */
static void
test_aliasing (gconstpointer data)
{
  const Window *w = data;
  for (guint round = 0; round < ROUNDS / 4; round++)
    {
      FwrSpans a;
      guint64 abits;
      random_set (&a, &abits, w->base);

      _fwr_spans_union (&a, &a);
      assert_bits_eq (to_bits (&a, w->base), abits, "a ∪ a", round);
      _fwr_spans_intersect (&a, &a);
      assert_bits_eq (to_bits (&a, w->base), abits, "a ∩ a", round);
      _fwr_spans_copy_into (&a, &a);
      assert_bits_eq (to_bits (&a, w->base), abits, "copy onto itself", round);
      g_assert_true (_fwr_spans_is_subset (&a, &a));
      g_assert_true (_fwr_spans_equal (&a, &a));
      g_assert_cmpint (_fwr_spans_intersects (&a, &a), ==, abits != 0);
      _fwr_spans_subtract (&a, &a);
      g_assert_cmpuint (a.n, ==, 0);
      _fwr_spans_clear (&a);
    }
}

static void
test_set_range (gconstpointer data)
{
  const Window *w = data;
  for (guint round = 0; round < ROUNDS; round++)
    {
      FwrSpans a;
      guint64 abits;
      random_set (&a, &abits, w->base);
      guint lo = (guint) g_test_rand_int_range (0, WIDTH);
      guint hi = (guint) g_test_rand_int_range (0, WIDTH);
      _fwr_spans_set_range (&a, w->base + lo, w->base + hi);
      assert_bits_eq (to_bits (&a, w->base), lo <= hi ? bits_range (lo, hi) : 0, "set_range", round);
      _fwr_spans_clear (&a);
    }
}

static void
assert_spans (const FwrSpans *s, guint n, const FwrSpan *want)
{
  assert_invariants (s);
  g_assert_cmpuint (s->n, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (s->spans[i].lo == want[i].lo);
      g_assert_true (s->spans[i].hi == want[i].hi);
    }
}

#define ASSERT_SPANS(s, ...)                                                                   \
  do                                                                                           \
    {                                                                                          \
      const FwrSpan want_[] = { __VA_ARGS__ };                                                 \
      assert_spans ((s), G_N_ELEMENTS (want_), want_);                                         \
    }                                                                                          \
  while (0)

#define TOP FWR_U128_MAX

static void
test_adjacency (void)
{
  FwrSpans s;
  _fwr_spans_init (&s);

  _fwr_spans_add (&s, 0, 3);
  _fwr_spans_add (&s, 4, 7);
  ASSERT_SPANS (&s, { 0, 7 });
  _fwr_spans_add (&s, 9, 9);
  ASSERT_SPANS (&s, { 0, 7 }, { 9, 9 });
  /* Out of order, closing the one-value gap. */
  _fwr_spans_add (&s, 8, 8);
  ASSERT_SPANS (&s, { 0, 9 });
  _fwr_spans_add (&s, 20, 30);
  _fwr_spans_add (&s, 12, 14);
  ASSERT_SPANS (&s, { 0, 9 }, { 12, 14 }, { 20, 30 });
  /* One add swallowing several spans and touching the next. */
  _fwr_spans_add (&s, 5, 19);
  ASSERT_SPANS (&s, { 0, 30 });
  _fwr_spans_clear (&s);
}

static void
test_edge_full_range (void)
{
  FwrSpans s, t;
  _fwr_spans_init (&s);
  _fwr_spans_init (&t);

  _fwr_spans_add (&s, 0, TOP);
  ASSERT_SPANS (&s, { 0, TOP });
  g_assert_true (_fwr_spans_is_full (&s, TOP));
  g_assert_false (_fwr_spans_is_full (&s, TOP - 1));
  g_assert_true (_fwr_spans_contains (&s, 0));
  g_assert_true (_fwr_spans_contains (&s, TOP));

  /* The complement of everything is nothing, and back. */
  _fwr_spans_complement (&s, TOP);
  ASSERT_SPANS (&s);
  g_assert_false (_fwr_spans_contains (&s, TOP));
  g_assert_false (_fwr_spans_is_full (&s, TOP));
  _fwr_spans_complement (&s, TOP);
  ASSERT_SPANS (&s, { 0, TOP });

  /* Full within a smaller universe: complement there is empty too. */
  _fwr_spans_complement (&s, FWR_IPV4_MAX);
  ASSERT_SPANS (&s);
  _fwr_spans_complement (&s, 0);
  ASSERT_SPANS (&s, { 0, 0 });
  g_assert_true (_fwr_spans_is_full (&s, 0));
  _fwr_spans_complement (&s, 0);
  ASSERT_SPANS (&s);

  /* Built from pieces, at the top first. */
  _fwr_spans_add (&s, TOP, TOP);
  _fwr_spans_add (&s, 0, TOP - 1);
  ASSERT_SPANS (&s, { 0, TOP });
  _fwr_spans_set_range (&s, 0, TOP - 1);
  _fwr_spans_add (&s, TOP, TOP);
  ASSERT_SPANS (&s, { 0, TOP });

  /* Appending inside a span that already reaches the top changes nothing. */
  _fwr_spans_set_range (&s, 5, TOP);
  _fwr_spans_add (&s, 7, 9);
  _fwr_spans_add (&s, TOP, TOP);
  ASSERT_SPANS (&s, { 5, TOP });
  _fwr_spans_add (&s, 0, 3);
  ASSERT_SPANS (&s, { 0, 3 }, { 5, TOP });
  _fwr_spans_add (&s, 4, 4);
  ASSERT_SPANS (&s, { 0, TOP });

  /* Union and intersection meeting at the top. */
  _fwr_spans_set_range (&s, 0, TOP - 1);
  _fwr_spans_set_range (&t, TOP, TOP);
  _fwr_spans_union (&s, &t);
  ASSERT_SPANS (&s, { 0, TOP });
  _fwr_spans_intersect (&s, &t);
  ASSERT_SPANS (&s, { TOP, TOP });
  g_assert_true (_fwr_spans_is_subset (&s, &t));

  _fwr_spans_clear (&s);
  _fwr_spans_clear (&t);
}

static void
test_edge_subtract_max (void)
{
  FwrSpans s, t;
  _fwr_spans_init (&s);
  _fwr_spans_init (&t);

  _fwr_spans_set_range (&s, 0, TOP);
  _fwr_spans_set_range (&t, TOP, TOP);
  _fwr_spans_subtract (&s, &t);
  ASSERT_SPANS (&s, { 0, TOP - 1 });
  _fwr_spans_set_range (&t, 0, 0);
  _fwr_spans_subtract (&s, &t);
  ASSERT_SPANS (&s, { 1, TOP - 1 });

  _fwr_spans_set_range (&s, TOP - 5, TOP);
  _fwr_spans_set_range (&t, TOP - 2, TOP);
  _fwr_spans_subtract (&s, &t);
  ASSERT_SPANS (&s, { TOP - 5, TOP - 3 });

  _fwr_spans_set_range (&s, TOP - 5, TOP);
  _fwr_spans_set_range (&t, TOP - 5, TOP - 3);
  _fwr_spans_subtract (&s, &t);
  ASSERT_SPANS (&s, { TOP - 2, TOP });

  _fwr_spans_set_range (&s, 0, TOP);
  _fwr_spans_set_range (&t, 5, TOP);
  _fwr_spans_subtract (&s, &t);
  ASSERT_SPANS (&s, { 0, 4 });

  /* Holes next to both ends. */
  _fwr_spans_set_range (&s, 0, TOP);
  _fwr_spans_set_range (&t, 1, 1);
  _fwr_spans_add (&t, TOP - 1, TOP - 1);
  _fwr_spans_subtract (&s, &t);
  ASSERT_SPANS (&s, { 0, 0 }, { 2, TOP - 2 }, { TOP, TOP });
  _fwr_spans_complement (&s, TOP);
  ASSERT_SPANS (&s, { 1, 1 }, { TOP - 1, TOP - 1 });

  /* Everything minus everything. */
  _fwr_spans_set_range (&s, 0, TOP);
  _fwr_spans_set_range (&t, 0, TOP);
  _fwr_spans_subtract (&s, &t);
  ASSERT_SPANS (&s);

  _fwr_spans_clear (&s);
  _fwr_spans_clear (&t);
}

static void
test_edge_empty (void)
{
  FwrSpans e, s;
  _fwr_spans_init (&e);
  _fwr_spans_init (&s);
  _fwr_spans_set_range (&s, 10, 20);

  g_assert_false (_fwr_spans_contains (&e, 0));
  g_assert_false (_fwr_spans_is_full (&e, 0));
  g_assert_true (_fwr_spans_is_subset (&e, &s));
  g_assert_false (_fwr_spans_is_subset (&s, &e));
  g_assert_false (_fwr_spans_intersects (&e, &s));
  g_assert_false (_fwr_spans_equal (&e, &s));
  g_assert_true (_fwr_spans_equal (&e, &e));

  _fwr_spans_union (&e, &s);
  ASSERT_SPANS (&e, { 10, 20 });
  _fwr_spans_set_range (&e, 1, 0);
  ASSERT_SPANS (&e);
  _fwr_spans_intersect (&s, &e);
  ASSERT_SPANS (&s);

  _fwr_spans_complement (&e, TOP);
  ASSERT_SPANS (&e, { 0, TOP });

  _fwr_spans_clear (&e);
  _fwr_spans_clear (&s);
}

int
main (int argc, char **argv)
{
  static const struct {
    const char *name;
    GTestDataFunc func;
  } cases[] = {
    { "add", test_add },
    { "add-many", test_add_many },
    { "union", test_union },
    { "intersect", test_intersect },
    { "subtract", test_subtract },
    { "complement", test_complement },
    { "predicates", test_predicates },
    { "laws", test_laws },
    { "aliasing", test_aliasing },
    { "set-range", test_set_range },
  };

  fwr_test_init (&argc, &argv);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
      {
        g_autofree char *path = g_strdup_printf ("/fwr/spans/%s/%s", cases[c].name, windows[w].name);
        g_test_add_data_func (path, &windows[w], cases[c].func);
      }
  g_test_add_func ("/fwr/spans/adjacency", test_adjacency);
  g_test_add_func ("/fwr/spans/edge/full-range", test_edge_full_range);
  g_test_add_func ("/fwr/spans/edge/subtract-max", test_edge_subtract_max);
  g_test_add_func ("/fwr/spans/edge/empty", test_edge_empty);
  return g_test_run ();
}
