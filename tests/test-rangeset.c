/* test-rangeset.c: port, protocol and ICMP value sets: text, size, complement within a
 * maximum, range access, and randomized checks against a bitmap at both ends of 32 bits. */
#include "fwr-ruleset-private.h"
#include "fwr-test-seed.h"

#define WIDTH 64
#define ROUNDS 300

static void
assert_text (const FwrRangeSet *set, const char *want)
{
  g_autofree char *text = fwr_range_set_to_string (set);
  g_assert_cmpstr (text, ==, want);
}

static FwrRangeSet *
services (void)
{
  FwrRangeSet *set = fwr_range_set_new ();
  fwr_range_set_add_range (set, 1000, 2000);
  fwr_range_set_add_range (set, 80, 80);
  fwr_range_set_add_range (set, 22, 22);
  return set;
}

static void
test_to_string (void)
{
  g_autoptr (FwrRangeSet) empty = fwr_range_set_new ();
  assert_text (empty, "");
  g_autoptr (FwrRangeSet) set = services ();
  assert_text (set, "22,80,1000-2000");

  /* Neighbours print as one range. */
  fwr_range_set_add_range (set, 23, 23);
  fwr_range_set_add_range (set, 2001, 2001);
  assert_text (set, "22-23,80,1000-2001");

  g_autoptr (FwrRangeSet) all = fwr_range_set_new_range (0, 65535);
  assert_text (all, "0-65535");
  g_autoptr (FwrRangeSet) top = fwr_range_set_new_range (G_MAXUINT32, G_MAXUINT32);
  assert_text (top, "4294967295");
  g_autoptr (FwrRangeSet) wide = fwr_range_set_new_range (0, G_MAXUINT32);
  assert_text (wide, "0-4294967295");
}

static void
test_get_size (void)
{
  g_autoptr (FwrRangeSet) empty = fwr_range_set_new ();
  g_assert_cmpuint (fwr_range_set_get_size (empty), ==, 0);
  g_autoptr (FwrRangeSet) set = services ();
  g_assert_cmpuint (fwr_range_set_get_size (set), ==, 1003);
  g_autoptr (FwrRangeSet) ports = fwr_range_set_new_range (0, 65535);
  g_assert_cmpuint (fwr_range_set_get_size (ports), ==, 65536);
  /* 2^32 values do not fit 32 bits; the count must not wrap to 0. */
  g_autoptr (FwrRangeSet) wide = fwr_range_set_new_range (0, G_MAXUINT32);
  g_assert_cmpuint (fwr_range_set_get_size (wide), ==, G_GUINT64_CONSTANT (4294967296));

  g_autoptr (FwrRangeSet) reversed = fwr_range_set_new_range (5, 4);
  g_assert_true (fwr_range_set_is_empty (reversed));
  g_assert_cmpuint (fwr_range_set_get_size (reversed), ==, 0);
  fwr_range_set_add_range (reversed, 9, 3);
  g_assert_true (fwr_range_set_is_empty (reversed));
}

static void
test_complement (void)
{
  g_autoptr (FwrRangeSet) set = services ();
  fwr_range_set_complement (set, 65535);
  assert_text (set, "0-21,23-79,81-999,2001-65535");
  g_assert_cmpuint (fwr_range_set_get_size (set), ==, 65536 - 1003);
  fwr_range_set_complement (set, 65535);
  assert_text (set, "22,80,1000-2000");

  /* A smaller universe cuts what lies above it. */
  fwr_range_set_complement (set, 255);
  assert_text (set, "0-21,23-79,81-255");
  fwr_range_set_complement (set, 255);
  assert_text (set, "22,80");

  g_autoptr (FwrRangeSet) protos = fwr_range_set_new_range (6, 6);
  fwr_range_set_add_range (protos, 17, 17);
  fwr_range_set_complement (protos, 255);
  assert_text (protos, "0-5,7-16,18-255");

  g_autoptr (FwrRangeSet) empty = fwr_range_set_new ();
  fwr_range_set_complement (empty, 65535);
  assert_text (empty, "0-65535");
  fwr_range_set_complement (empty, 65535);
  assert_text (empty, "");
  g_assert_true (fwr_range_set_is_empty (empty));

  g_autoptr (FwrRangeSet) above = fwr_range_set_new_range (70000, 70010);
  fwr_range_set_complement (above, 65535);
  assert_text (above, "0-65535");

  g_autoptr (FwrRangeSet) zero = fwr_range_set_new_range (0, 0);
  fwr_range_set_complement (zero, G_MAXUINT32);
  assert_text (zero, "1-4294967295");
  g_assert_cmpuint (fwr_range_set_get_size (zero), ==, G_MAXUINT32);
}

static void
test_get_range (void)
{
  g_autoptr (FwrRangeSet) set = services ();
  static const guint32 want[][2] = { { 22, 22 }, { 80, 80 }, { 1000, 2000 } };
  g_assert_cmpuint (fwr_range_set_get_n_ranges (set), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      guint32 lo = 1, hi = 1;
      fwr_range_set_get_range (set, i, &lo, &hi);
      g_assert_cmpuint (lo, ==, want[i][0]);
      g_assert_cmpuint (hi, ==, want[i][1]);
    }

  guint32 only_hi = 0;
  fwr_range_set_get_range (set, 2, NULL, &only_hi);
  g_assert_cmpuint (only_hi, ==, 2000);

  guint32 lo, hi;
  g_autoptr (FwrRangeSet) top = fwr_range_set_new_range (G_MAXUINT32 - 1, G_MAXUINT32);
  fwr_range_set_get_range (top, 0, &lo, &hi);
  g_assert_cmpuint (lo, ==, G_MAXUINT32 - 1);
  g_assert_cmpuint (hi, ==, G_MAXUINT32);
}

/* --- randomized, in [0, 63] and [2^32 - 64, 2^32 - 1] -------------------------------------- */

static guint64
bits_range (guint lo, guint hi)
{
  guint64 upto_hi = hi == WIDTH - 1 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (hi + 1)) - 1;
  return upto_hi & ~((G_GUINT64_CONSTANT (1) << lo) - 1);
}

static FwrRangeSet *
random_set (guint32 base, guint64 *bits)
{
  FwrRangeSet *set = fwr_range_set_new ();
  guint n = (guint) g_test_rand_int_range (0, 8);
  *bits = 0;
  for (guint i = 0; i < n; i++)
    {
      guint lo = (guint) g_test_rand_int_range (0, WIDTH);
      guint hi = g_test_rand_bit () ? lo : (guint) g_test_rand_int_range ((gint32) lo, WIDTH);
      fwr_range_set_add_range (set, base + lo, base + hi);
      *bits |= bits_range (lo, hi);
    }
  return set;
}

/* Reads the set back through the public accessors only. */
static guint64
set_bits (const FwrRangeSet *set, guint32 base)
{
  guint64 bits = 0;
  guint32 prev_hi = 0;
  for (guint i = 0; i < fwr_range_set_get_n_ranges (set); i++)
    {
      guint32 lo, hi;
      fwr_range_set_get_range (set, i, &lo, &hi);
      g_assert_cmpuint (lo, >=, base);
      g_assert_cmpuint (lo, <=, hi);
      g_assert_cmpuint (hi - base, <, WIDTH);
      if (i > 0)
        g_assert_cmpuint (lo, >, prev_hi + 1);
      prev_hi = hi;
      bits |= bits_range (lo - base, hi - base);
    }
  return bits;
}

static char *
bits_text (guint64 bits, guint32 base)
{
  GString *out = g_string_new (NULL);
  guint v = 0;
  while (v < WIDTH)
    {
      if (!(bits & bits_range (v, v)))
        {
          v++;
          continue;
        }
      guint end = v;
      while (end + 1 < WIDTH && (bits & bits_range (end + 1, end + 1)))
        end++;
      g_string_append_printf (out, "%s%u", out->len > 0 ? "," : "", base + v);
      if (end > v)
        g_string_append_printf (out, "-%u", base + end);
      v = end + 1;
    }
  return g_string_free (out, FALSE);
}

static void
test_random (gconstpointer data)
{
  guint32 base = GPOINTER_TO_UINT (data);
  for (guint round = 0; round < ROUNDS; round++)
    {
      guint64 abits, bbits;
      g_autoptr (FwrRangeSet) a = random_set (base, &abits);
      g_autoptr (FwrRangeSet) b = random_set (base, &bbits);

      g_assert_cmphex (set_bits (a, base), ==, abits);
      g_autofree char *want = bits_text (abits, base);
      assert_text (a, want);
      g_assert_cmpuint (fwr_range_set_get_size (a), ==, (guint) __builtin_popcountll (abits));

      g_autoptr (FwrRangeSet) u = fwr_range_set_copy (a);
      fwr_range_set_union (u, b);
      g_assert_cmphex (set_bits (u, base), ==, abits | bbits);
      g_autoptr (FwrRangeSet) i = fwr_range_set_copy (a);
      fwr_range_set_intersect (i, b);
      g_assert_cmphex (set_bits (i, base), ==, abits & bbits);
      g_autoptr (FwrRangeSet) d = fwr_range_set_copy (a);
      fwr_range_set_subtract (d, b);
      g_assert_cmphex (set_bits (d, base), ==, abits & ~bbits);

      g_assert_cmpint (fwr_range_set_is_subset (a, b), ==, (abits & ~bbits) == 0);
      g_assert_cmpint (fwr_range_set_intersects (a, b), ==, (abits & bbits) != 0);
      g_assert_cmpint (fwr_range_set_equal (a, b), ==, abits == bbits);
      g_assert_cmpint (fwr_range_set_is_empty (a), ==, abits == 0);
      for (guint v = 0; v < WIDTH; v++)
        g_assert_cmpint (fwr_range_set_contains (a, base + v), ==, (abits >> v) & 1);

      if (base == 0)
        {
          guint k = (guint) g_test_rand_int_range (0, WIDTH);
          g_autoptr (FwrRangeSet) c = fwr_range_set_copy (a);
          fwr_range_set_complement (c, k);
          g_assert_cmphex (set_bits (c, base), ==, ~abits & bits_range (0, k));
        }
    }
}

int
main (int argc, char **argv)
{
  fwr_test_init (&argc, &argv);

  g_test_add_func ("/fwr/rangeset/to-string", test_to_string);
  g_test_add_func ("/fwr/rangeset/get-size", test_get_size);
  g_test_add_func ("/fwr/rangeset/complement", test_complement);
  g_test_add_func ("/fwr/rangeset/get-range", test_get_range);
  g_test_add_data_func ("/fwr/rangeset/random/low", GUINT_TO_POINTER (0), test_random);
  g_test_add_data_func ("/fwr/rangeset/random/top", GUINT_TO_POINTER (G_MAXUINT32 - (WIDTH - 1)),
                        test_random);
  return g_test_run ();
}
