/* test-addrset.c: address parsing, printing and per-family set algebra, and randomized
 * properties inside 10.0.0.0/26 and 2001:db8::/122 checked against bitmaps. */
#include <gio/gio.h>
#include <math.h>

#include "fwr-ruleset-private.h"
#include "fwr-addrset-private.h"
#include "fwr-test-seed.h"

#define WIDTH 64
#define ROUNDS 300

static FwrAddrSet *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  FwrAddrSet *set = fwr_addr_set_new_parse (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (set);
  return set;
}

static void
assert_text (const FwrAddrSet *set, const char *want)
{
  g_autofree char *text = fwr_addr_set_to_string (set);
  g_assert_cmpstr (text, ==, want);
}

static void
assert_parses_to (const char *input, const char *want)
{
  g_autoptr (FwrAddrSet) set = parse_ok (input);
  assert_text (set, want);
}

static void
test_parse_host (void)
{
  static const struct {
    const char *input, *text;
    FwrFamilyMask families;
  } cases[] = {
    { "10.0.0.1", "10.0.0.1", FWR_FAMILY_IPV4 },
    { " 10.0.0.1\t", "10.0.0.1", FWR_FAMILY_IPV4 },
    { "0.0.0.0", "0.0.0.0", FWR_FAMILY_IPV4 },
    { "255.255.255.255", "255.255.255.255", FWR_FAMILY_IPV4 },
    { "::1", "::1", FWR_FAMILY_IPV6 },
    { "::", "::", FWR_FAMILY_IPV6 },
    { "2001:DB8::A", "2001:db8::a", FWR_FAMILY_IPV6 },
    { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", FWR_FAMILY_IPV6 },
    /* A mapped IPv4 address is an IPv6 packet's address, not an IPv4 one. */
    { "::ffff:10.0.0.1", "::ffff:10.0.0.1", FWR_FAMILY_IPV6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FwrAddrSet) set = parse_ok (cases[i].input);
      assert_text (set, cases[i].text);
      g_assert_cmpint (fwr_addr_set_get_families (set), ==, cases[i].families);
      g_assert_cmpuint (fwr_addr_set_get_n_intervals (set), ==, 1);
      g_assert_cmpfloat (fwr_addr_set_get_size_log2 (set, cases[i].families), ==, 0.0);
    }
}

static void
test_parse_prefix (void)
{
  /* Host bits below the prefix are dropped, as nft does. */
  assert_parses_to ("10.1.2.3/8", "10.0.0.0/8");
  assert_parses_to ("192.168.1.77/24", "192.168.1.0/24");
  assert_parses_to ("192.168.1.77/31", "192.168.1.76/31");
  assert_parses_to ("10.0.0.9/32", "10.0.0.9");
  assert_parses_to ("1.2.3.4/0", "any4");
  assert_parses_to ("0.0.0.0/1", "0.0.0.0/1");
  assert_parses_to ("2001:db8:1234::5/32", "2001:db8::/32");
  assert_parses_to ("2001:db8::1/128", "2001:db8::1");
  assert_parses_to ("fe80::1/10", "fe80::/10");
  assert_parses_to ("ffff::/0", "any6");
  assert_parses_to ("10.0.0.0/08", "10.0.0.0/8");

  g_autoptr (FwrAddrSet) set = parse_ok ("172.16.5.5/12");
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (set, FWR_FAMILY_IPV4), ==, 20.0);
  g_assert_true (fwr_addr_set_add_string (set, "172.15.255.255", NULL));
  g_assert_true (fwr_addr_set_add_string (set, "172.32.0.0", NULL));
  assert_text (set, "172.15.255.255,172.16.0.0/12,172.32.0.0");
  g_assert_cmpuint (fwr_addr_set_get_n_intervals (set), ==, 1);
}

static void
test_parse_range (void)
{
  /* At most four prefixes print as prefixes... */
  assert_parses_to ("10.0.0.1-10.0.0.9", "10.0.0.1,10.0.0.2/31,10.0.0.4/30,10.0.0.8/31");
  assert_parses_to ("fe80::1-fe80::9", "fe80::1,fe80::2/127,fe80::4/126,fe80::8/127");
  assert_parses_to ("10.0.0.0-10.0.0.255", "10.0.0.0/24");
  assert_parses_to ("10.0.0.0 - 10.0.1.255", "10.0.0.0/23");
  assert_parses_to ("10.0.0.5-10.0.0.5", "10.0.0.5");
  assert_parses_to ("0.0.0.0-255.255.255.255", "any4");
  assert_parses_to ("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "any6");
  /* ...five or more as the range itself. */
  assert_parses_to ("10.0.0.1-10.0.0.10", "10.0.0.1-10.0.0.10");
  assert_parses_to ("10.0.0.1-10.0.0.254", "10.0.0.1-10.0.0.254");
  assert_parses_to ("0.0.0.1-255.255.255.255", "0.0.0.1-255.255.255.255");
  assert_parses_to ("2001:db8::1-2001:db8::ffff", "2001:db8::1-2001:db8::ffff");

  g_autoptr (FwrAddrSet) set = parse_ok ("10.0.0.0-10.0.0.2");
  g_assert_cmpfloat_with_epsilon (fwr_addr_set_get_size_log2 (set, FWR_FAMILY_IPV4), log2 (3), 1e-12);
}

static void
test_parse_list (void)
{
  g_autoptr (FwrAddrSet) set = parse_ok ("2001:db8::/32, 10.0.0.0/8,192.168.1.1 ,10.1.0.0/16");
  /* IPv4 first, the /16 absorbed by the /8. */
  assert_text (set, "10.0.0.0/8,192.168.1.1,2001:db8::/32");
  g_assert_cmpint (fwr_addr_set_get_families (set), ==, FWR_FAMILY_ANY);
  g_assert_cmpuint (fwr_addr_set_get_n_intervals (set), ==, 3);

  /* Two halves make the whole. */
  g_autoptr (FwrAddrSet) halves = parse_ok ("0.0.0.0/1,128.0.0.0/1,::/1,8000::/1");
  assert_text (halves, "any");

  /* The empty list is the empty set (what to_string prints for it). */
  g_autoptr (FwrAddrSet) empty = parse_ok ("");
  g_assert_true (fwr_addr_set_is_empty (empty));
  g_assert_cmpint (fwr_addr_set_get_families (empty), ==, 0);
  assert_text (empty, "");
}

static void
assert_invalid (const char *input, const char *why)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrAddrSet) set = fwr_addr_set_new ();
  g_assert_true (fwr_addr_set_add_string (set, "192.0.2.1", NULL));

  g_test_message ("input “%s”", input);
  g_assert_false (fwr_addr_set_add_string (set, input, &error));
  g_assert_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID);
  g_autofree char *quoted = g_strdup_printf ("“%s”", input);
  g_assert_nonnull (strstr (error->message, quoted));
  if (strstr (error->message, why) == NULL)
    g_error ("error for “%s” is “%s”, want it to say “%s”", input, error->message, why);
  /* A failed add leaves the set as it was. */
  assert_text (set, "192.0.2.1");
}

static void
test_parse_invalid (void)
{
  static const char *not_address = "not an IPv4 or IPv6 address";
  assert_invalid ("", not_address);
  assert_invalid ("   ", not_address);
  assert_invalid ("foo", not_address);
  assert_invalid ("10.0.0", not_address);
  assert_invalid ("10.0.0.256", not_address);
  assert_invalid ("10.0.0.1.2", not_address);
  assert_invalid ("010.0.0.1", not_address);
  assert_invalid ("2001:db8:::1", not_address);
  assert_invalid ("2001:db8::1::2", not_address);
  assert_invalid ("fe80::1%eth0", not_address);
  assert_invalid ("10.0.0.0 /8", not_address);
  assert_invalid ("foo/8", not_address);

  assert_invalid ("10.0.0.0/33", "prefix length 33 is out of range for IPv4 (0-32)");
  assert_invalid ("::/129", "prefix length 129 is out of range for IPv6 (0-128)");
  assert_invalid ("10.0.0.0/4294967328", "prefix length 4294967328 is out of range");
  assert_invalid ("10.0.0.0/99999999999999999999999", "is out of range for IPv4");
  assert_invalid ("10.0.0.0/", "prefix length “” is not a number");
  assert_invalid ("10.0.0.0/abc", "prefix length “abc” is not a number");
  /* strtoull would read these as 0, 8 and 8: "/-0" must not mean the whole Internet. */
  assert_invalid ("10.0.0.0/-0", "prefix length “-0” is not a number");
  assert_invalid ("10.0.0.0/+8", "prefix length “+8” is not a number");
  assert_invalid ("10.0.0.0/ 8", "prefix length “ 8” is not a number");
  assert_invalid ("10.0.0.0/8/8", "prefix length “8/8” is not a number");
  assert_invalid ("10.0.0.0/8-10.0.0.9", "prefix length “8-10.0.0.9” is not a number");

  assert_invalid ("10.0.0.9-10.0.0.1", "range starts above its end");
  assert_invalid ("::2-::1", "range starts above its end");
  assert_invalid ("10.0.0.1-::1", "range mixes IPv4 and IPv6");
  assert_invalid ("::1-10.0.0.1", "range mixes IPv4 and IPv6");
  assert_invalid ("10.0.0.1-", not_address);
  assert_invalid ("-10.0.0.1", not_address);
  assert_invalid ("10.0.0.1-10.0.0.2-10.0.0.3", not_address);

  g_autoptr (GError) error = NULL;
  g_assert_null (fwr_addr_set_new_parse ("10.0.0.1,bogus,10.0.0.2", &error));
  g_assert_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“bogus”"));
  g_clear_error (&error);
  g_assert_null (fwr_addr_set_new_parse ("10.0.0.1,,10.0.0.2", &error));
  g_assert_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID);
}

static void
test_to_string (void)
{
  g_autoptr (FwrAddrSet) empty = fwr_addr_set_new ();
  assert_text (empty, "");
  g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (FWR_FAMILY_ANY);
  assert_text (any, "any");
  g_autoptr (FwrAddrSet) any4 = fwr_addr_set_new_any (FWR_FAMILY_IPV4);
  assert_text (any4, "any4");
  g_autoptr (FwrAddrSet) any6 = fwr_addr_set_new_any (FWR_FAMILY_IPV6);
  assert_text (any6, "any6");

  assert_parses_to ("0.0.0.0/0,2001:db8::/32", "any4,2001:db8::/32");
  assert_parses_to ("::/0,10.0.0.0/8", "10.0.0.0/8,any6");
  assert_parses_to ("2001:db8::1,10.0.0.1", "10.0.0.1,2001:db8::1");
  /* Everything but one address is not "any". */
  assert_parses_to ("0.0.0.0-255.255.255.254", "0.0.0.0-255.255.255.254");
  assert_parses_to ("0.0.0.0/1,128.0.0.0/2", "0.0.0.0/1,128.0.0.0/2");

  /* RFC 5952 text: lowercase, no leading zeros, the longest zero run compressed, a lone
   * zero group left alone. */
  assert_parses_to ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
  assert_parses_to ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
  assert_parses_to ("2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::");
  assert_parses_to ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1");
  assert_parses_to ("0:0:0:0:0:0:0:0", "::");
  assert_parses_to ("fe80:0:0:0:0:0:0:0/64", "fe80::/64");
  assert_parses_to ("1:0:0:0:0:0:0:0", "1::");
}

static void
test_complement (void)
{
  g_autoptr (FwrAddrSet) set = parse_ok ("10.0.0.0/8,2001:db8::/32");

  g_autoptr (FwrAddrSet) not4 = fwr_addr_set_copy (set);
  fwr_addr_set_complement (not4, FWR_FAMILY_IPV4);
  assert_text (not4, "0.0.0.0/5,8.0.0.0/7,11.0.0.0-255.255.255.255");
  g_assert_cmpint (fwr_addr_set_get_families (not4), ==, FWR_FAMILY_IPV4);

  g_autoptr (FwrAddrSet) not6 = fwr_addr_set_copy (set);
  fwr_addr_set_complement (not6, FWR_FAMILY_IPV6);
  assert_text (not6, "::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff,"
                     "2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  g_assert_cmpint (fwr_addr_set_get_families (not6), ==, FWR_FAMILY_IPV6);

  g_autoptr (FwrAddrSet) not_both = fwr_addr_set_copy (set);
  fwr_addr_set_complement (not_both, FWR_FAMILY_ANY);
  g_autoptr (FwrAddrSet) both = fwr_addr_set_copy (not4);
  fwr_addr_set_union (both, not6);
  g_assert_true (fwr_addr_set_equal (not_both, both));
  g_assert_false (fwr_addr_set_intersects (not_both, set));
  fwr_addr_set_union (both, set);
  g_assert_true (fwr_addr_set_is_any (both, FWR_FAMILY_ANY));

  /* The printed complement reads back as the same set. */
  g_autofree char *text = fwr_addr_set_to_string (not_both);
  g_autoptr (FwrAddrSet) back = parse_ok (text);
  g_assert_true (fwr_addr_set_equal (back, not_both));

  g_autoptr (FwrAddrSet) half = parse_ok ("0.0.0.0/1");
  fwr_addr_set_complement (half, FWR_FAMILY_IPV4);
  assert_text (half, "128.0.0.0/1");

  g_autoptr (FwrAddrSet) nothing = fwr_addr_set_new ();
  fwr_addr_set_complement (nothing, FWR_FAMILY_ANY);
  assert_text (nothing, "any");
  fwr_addr_set_complement (nothing, FWR_FAMILY_ANY);
  assert_text (nothing, "");

  /* Complementing within IPv4 only drops the IPv6 part. */
  g_autoptr (FwrAddrSet) only6 = fwr_addr_set_new_any (FWR_FAMILY_IPV6);
  fwr_addr_set_complement (only6, FWR_FAMILY_IPV4);
  assert_text (only6, "any4");
}

static void
test_is_any (void)
{
  g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (FWR_FAMILY_ANY);
  g_assert_true (fwr_addr_set_is_any (any, FWR_FAMILY_IPV4));
  g_assert_true (fwr_addr_set_is_any (any, FWR_FAMILY_IPV6));
  g_assert_true (fwr_addr_set_is_any (any, FWR_FAMILY_ANY));

  g_autoptr (FwrAddrSet) any4 = fwr_addr_set_new_any (FWR_FAMILY_IPV4);
  g_assert_true (fwr_addr_set_is_any (any4, FWR_FAMILY_IPV4));
  g_assert_false (fwr_addr_set_is_any (any4, FWR_FAMILY_IPV6));
  g_assert_false (fwr_addr_set_is_any (any4, FWR_FAMILY_ANY));

  g_autoptr (FwrAddrSet) any6 = parse_ok ("::/0,10.0.0.0/8");
  g_assert_false (fwr_addr_set_is_any (any6, FWR_FAMILY_IPV4));
  g_assert_true (fwr_addr_set_is_any (any6, FWR_FAMILY_IPV6));
  g_assert_false (fwr_addr_set_is_any (any6, FWR_FAMILY_ANY));

  g_autoptr (FwrAddrSet) halves = parse_ok ("128.0.0.0/1,0.0.0.0/1");
  g_assert_true (fwr_addr_set_is_any (halves, FWR_FAMILY_IPV4));

  g_autoptr (FwrAddrSet) almost = parse_ok ("0.0.0.0-255.255.255.254,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
  g_assert_false (fwr_addr_set_is_any (almost, FWR_FAMILY_IPV4));
  g_assert_false (fwr_addr_set_is_any (almost, FWR_FAMILY_IPV6));

  g_autoptr (FwrAddrSet) empty = fwr_addr_set_new ();
  g_assert_false (fwr_addr_set_is_any (empty, FWR_FAMILY_IPV4));
  g_assert_false (fwr_addr_set_is_any (empty, FWR_FAMILY_IPV6));
  g_assert_false (fwr_addr_set_is_any (empty, FWR_FAMILY_ANY));
}

static void
test_size_log2 (void)
{
  g_autoptr (FwrAddrSet) set = parse_ok ("10.0.0.0/8");
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (set, FWR_FAMILY_IPV4), ==, 24.0);
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (set, FWR_FAMILY_IPV6), ==, -1.0);

  g_autoptr (FwrAddrSet) two = parse_ok ("10.0.0.0/25,10.0.1.0/25");
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (two, FWR_FAMILY_IPV4), ==, 8.0);

  g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (FWR_FAMILY_ANY);
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (any, FWR_FAMILY_IPV4), ==, 32.0);
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (any, FWR_FAMILY_IPV6), ==, 128.0);

  g_autoptr (FwrAddrSet) v6 = parse_ok ("2001:db8::/32,::1");
  g_assert_cmpfloat_with_epsilon (fwr_addr_set_get_size_log2 (v6, FWR_FAMILY_IPV6), 96.0, 1e-12);
  g_autoptr (FwrAddrSet) pair = parse_ok ("::1,::3");
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (pair, FWR_FAMILY_IPV6), ==, 1.0);

  /* Both families together count the addresses of both. */
  g_autoptr (FwrAddrSet) mixed = parse_ok ("10.0.0.0/24,2001:db8::/120");
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (mixed, FWR_FAMILY_ANY), ==, 9.0);
  g_autoptr (FwrAddrSet) only4 = parse_ok ("10.0.0.0/24");
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (only4, FWR_FAMILY_ANY), ==, 8.0);

  g_autoptr (FwrAddrSet) empty = fwr_addr_set_new ();
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (empty, FWR_FAMILY_IPV4), ==, -1.0);
  g_assert_cmpfloat (fwr_addr_set_get_size_log2 (empty, FWR_FAMILY_ANY), ==, -1.0);
}

static void
test_add_bytes (void)
{
  g_autoptr (FwrAddrSet) set = fwr_addr_set_new ();
  const guint8 a[4] = { 192, 168, 1, 77 }, b[4] = { 192, 168, 1, 80 };
  const guint8 v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };

  fwr_addr_set_add_prefix (set, FWR_FAMILY_IPV4, a, 30);
  assert_text (set, "192.168.1.76/30");
  fwr_addr_set_add_range (set, FWR_FAMILY_IPV4, a, b);
  assert_text (set, "192.168.1.76/30,192.168.1.80");
  /* A reversed range is empty. */
  fwr_addr_set_add_range (set, FWR_FAMILY_IPV4, b, a);
  g_assert_cmpuint (fwr_addr_set_get_n_intervals (set), ==, 1);
  fwr_addr_set_add_prefix (set, FWR_FAMILY_IPV6, v6, 48);
  fwr_addr_set_add_prefix (set, FWR_FAMILY_IPV6, v6, 128);
  assert_text (set, "192.168.1.76/30,192.168.1.80,2001:db8::/48");
  fwr_addr_set_add_prefix (set, FWR_FAMILY_IPV4, a, 0);
  assert_text (set, "any4,2001:db8::/48");

  guint8 bytes[16];
  fwr_u128 value = _fwr_addr_from_bytes (FWR_FAMILY_IPV6, v6);
  _fwr_addr_to_bytes (FWR_FAMILY_IPV6, value, bytes);
  g_assert_cmpmem (bytes, 16, v6, 16);
  g_assert_true (_fwr_addr_from_bytes (FWR_FAMILY_IPV4, b) == 0xc0a80150u);
}

/* --- randomized properties inside one 64-address window per family ------------------------ */

typedef struct {
  guint64 v4, v6; /* bit i: address base + i of that family */
} Ref;

static const fwr_u128 base4 = 0x0a000000u; /* 10.0.0.0/26 */
#define BASE6 ((fwr_u128) 0x20010db8u << 96) /* 2001:db8::/122 */

static guint64
bits_range (guint lo, guint hi)
{
  guint64 upto_hi = hi == WIDTH - 1 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (hi + 1)) - 1;
  return upto_hi & ~((G_GUINT64_CONSTANT (1) << lo) - 1);
}

static char *
addr_text (FwrFamilyMask family, fwr_u128 value)
{
  guint8 bytes[16];
  _fwr_addr_to_bytes (family, value, bytes);
  g_autoptr (GInetAddress) address =
    g_inet_address_new_from_bytes (bytes, family == FWR_FAMILY_IPV4 ? G_SOCKET_FAMILY_IPV4
                                                                    : G_SOCKET_FAMILY_IPV6);
  return g_inet_address_to_string (address);
}

/* One random element inside a window: a host, a prefix written with random host bits, or a
 * range; added as text, or as bytes through the binary API. */
static void
add_random_element (FwrAddrSet *set, Ref *ref, FwrFamilyMask family)
{
  fwr_u128 base = family == FWR_FAMILY_IPV4 ? base4 : BASE6;
  guint bits = family == FWR_FAMILY_IPV4 ? 32 : 128;
  guint64 *ref_bits = family == FWR_FAMILY_IPV4 ? &ref->v4 : &ref->v6;
  guint a = (guint) g_test_rand_int_range (0, WIDTH);
  g_autofree char *text = NULL;
  g_autofree char *a_text = addr_text (family, base + a);

  switch (g_test_rand_int_range (0, 4))
    {
    case 0:
      text = g_strdup (a_text);
      *ref_bits |= bits_range (a, a);
      break;
    case 1:
      {
        guint host = (guint) g_test_rand_int_range (0, 7);
        guint lo = a & ~((1u << host) - 1);
        text = g_strdup_printf ("%s/%u", a_text, bits - host);
        *ref_bits |= bits_range (lo, lo + (1u << host) - 1);
        break;
      }
    case 2:
      {
        guint b = (guint) g_test_rand_int_range ((gint32) a, WIDTH);
        g_autofree char *b_text = addr_text (family, base + b);
        text = g_strdup_printf ("%s-%s", a_text, b_text);
        *ref_bits |= bits_range (a, b);
        break;
      }
    default:
      {
        guint b = (guint) g_test_rand_int_range ((gint32) a, WIDTH);
        guint8 lo[16], hi[16];
        _fwr_addr_to_bytes (family, base + a, lo);
        _fwr_addr_to_bytes (family, base + b, hi);
        fwr_addr_set_add_range (set, family, lo, hi);
        *ref_bits |= bits_range (a, b);
        return;
      }
    }

  g_autoptr (GError) error = NULL;
  g_assert_true (fwr_addr_set_add_string (set, text, &error));
  g_assert_no_error (error);
}

static FwrAddrSet *
random_set (Ref *ref, FwrFamilyMask families)
{
  FwrAddrSet *set = fwr_addr_set_new ();
  *ref = (Ref) { 0, 0 };
  guint n = (guint) g_test_rand_int_range (0, 10);
  for (guint i = 0; i < n; i++)
    {
      FwrFamilyMask family = families;
      if (family == FWR_FAMILY_ANY)
        family = g_test_rand_bit () ? FWR_FAMILY_IPV4 : FWR_FAMILY_IPV6;
      add_random_element (set, ref, family);
    }
  return set;
}

static guint64
spans_bits (const FwrSpans *spans, fwr_u128 base)
{
  guint64 bits = 0;
  for (guint i = 0; i < spans->n; i++)
    {
      const FwrSpan *s = &spans->spans[i];
      g_assert_true (s->lo >= base && s->hi - base < WIDTH);
      if (i > 0)
        g_assert_true (s->lo > spans->spans[i - 1].hi + 1);
      bits |= bits_range ((guint) (s->lo - base), (guint) (s->hi - base));
    }
  return bits;
}

static void
assert_ref (const FwrAddrSet *set, const Ref *ref, const char *what, guint round)
{
  guint64 v4 = spans_bits (&set->v4, base4);
  guint64 v6 = spans_bits (&set->v6, BASE6);
  if (v4 != ref->v4 || v6 != ref->v6)
    g_error ("%s, round %u: got v4 %016" G_GINT64_MODIFIER "x v6 %016" G_GINT64_MODIFIER "x, "
             "want v4 %016" G_GINT64_MODIFIER "x v6 %016" G_GINT64_MODIFIER "x",
             what, round, v4, v6, ref->v4, ref->v6);
}

/* The fewest prefixes covering exactly [lo, hi] of a window, by dynamic programming over
 * every aligned block (a different method from the greedy walk in to_string). */
static guint
min_prefixes (guint lo, guint hi, guint *first_block_len)
{
  guint best[WIDTH + 1], choice[WIDTH + 1];
  best[hi + 1] = 0;
  for (guint x = hi + 1; x-- > lo;)
    {
      best[x] = G_MAXUINT;
      for (guint len = 1; len <= WIDTH && x % len == 0 && x + len - 1 <= hi; len *= 2)
        if (1 + best[x + len] < best[x])
          {
            best[x] = 1 + best[x + len];
            choice[x] = len;
          }
    }
  for (guint x = lo; x <= hi; x += choice[x])
    first_block_len[x - lo] = choice[x];
  return best[lo];
}

/* The text to_string must produce for one family's window bits. */
static void
expected_family_text (GString *out, FwrFamilyMask family, guint64 bits)
{
  fwr_u128 base = family == FWR_FAMILY_IPV4 ? base4 : BASE6;
  guint width_bits = family == FWR_FAMILY_IPV4 ? 32 : 128;
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

      guint blocks[WIDTH];
      guint n = min_prefixes (v, end, blocks);
      if (out->len > 0)
        g_string_append_c (out, ',');
      if (n > 4)
        {
          g_autofree char *lo = addr_text (family, base + v);
          g_autofree char *hi = addr_text (family, base + end);
          g_string_append_printf (out, "%s-%s", lo, hi);
        }
      else
        for (guint x = v, i = 0; x <= end; x += blocks[x - v], i++)
          {
            g_autofree char *start = addr_text (family, base + x);
            guint len = width_bits - (guint) log2 (blocks[x - v]);
            if (i > 0)
              g_string_append_c (out, ',');
            if (len == width_bits)
              g_string_append (out, start);
            else
              g_string_append_printf (out, "%s/%u", start, len);
          }
      v = end + 1;
    }
}

static void
test_random_text (gconstpointer data)
{
  FwrFamilyMask families = GPOINTER_TO_UINT (data);
  for (guint round = 0; round < ROUNDS; round++)
    {
      Ref ref;
      g_autoptr (FwrAddrSet) set = random_set (&ref, families);
      assert_ref (set, &ref, "parse", round);

      GString *want = g_string_new (NULL);
      expected_family_text (want, FWR_FAMILY_IPV4, ref.v4);
      expected_family_text (want, FWR_FAMILY_IPV6, ref.v6);
      g_autofree char *want_text = g_string_free (want, FALSE);
      assert_text (set, want_text);

      g_autoptr (FwrAddrSet) back = parse_ok (want_text);
      g_assert_true (fwr_addr_set_equal (back, set));
    }
}

static void
test_random_algebra (gconstpointer data)
{
  FwrFamilyMask families = GPOINTER_TO_UINT (data);
  for (guint round = 0; round < ROUNDS; round++)
    {
      Ref ra, rb;
      g_autoptr (FwrAddrSet) a = random_set (&ra, families);
      g_autoptr (FwrAddrSet) b = random_set (&rb, families);

      g_autoptr (FwrAddrSet) u = fwr_addr_set_copy (a);
      fwr_addr_set_union (u, b);
      assert_ref (u, &(Ref) { ra.v4 | rb.v4, ra.v6 | rb.v6 }, "union", round);

      g_autoptr (FwrAddrSet) i = fwr_addr_set_copy (a);
      fwr_addr_set_intersect (i, b);
      assert_ref (i, &(Ref) { ra.v4 & rb.v4, ra.v6 & rb.v6 }, "intersect", round);

      g_autoptr (FwrAddrSet) d = fwr_addr_set_copy (a);
      fwr_addr_set_subtract (d, b);
      assert_ref (d, &(Ref) { ra.v4 & ~rb.v4, ra.v6 & ~rb.v6 }, "subtract", round);

      /* Complement within one family, cut back to the window to compare. */
      FwrFamilyMask fam = g_test_rand_bit () ? FWR_FAMILY_IPV4 : FWR_FAMILY_IPV6;
      g_autoptr (FwrAddrSet) c = fwr_addr_set_copy (a);
      fwr_addr_set_complement (c, fam);
      g_assert_false (fwr_addr_set_intersects (c, a));
      g_autoptr (FwrAddrSet) window = parse_ok ("10.0.0.0/26,2001:db8::/122");
      fwr_addr_set_intersect (c, window);
      Ref rc = { fam == FWR_FAMILY_IPV4 ? ~ra.v4 : 0, fam == FWR_FAMILY_IPV6 ? ~ra.v6 : 0 };
      assert_ref (c, &rc, "complement", round);

      g_assert_cmpint (fwr_addr_set_is_subset (a, b), ==,
                       (ra.v4 & ~rb.v4) == 0 && (ra.v6 & ~rb.v6) == 0);
      g_assert_true (fwr_addr_set_is_subset (i, a));
      g_assert_true (fwr_addr_set_is_subset (a, u));
      g_assert_cmpint (fwr_addr_set_intersects (a, b), ==,
                       (ra.v4 & rb.v4) != 0 || (ra.v6 & rb.v6) != 0);
      g_assert_cmpint (fwr_addr_set_equal (a, b), ==, ra.v4 == rb.v4 && ra.v6 == rb.v6);
      g_assert_cmpint (fwr_addr_set_is_empty (a), ==, ra.v4 == 0 && ra.v6 == 0);
      g_assert_cmpint (fwr_addr_set_get_families (a), ==,
                       (ra.v4 ? FWR_FAMILY_IPV4 : 0) | (ra.v6 ? FWR_FAMILY_IPV6 : 0));
      g_assert_false (fwr_addr_set_is_any (a, FWR_FAMILY_IPV4));
      g_assert_false (fwr_addr_set_is_any (a, FWR_FAMILY_IPV6));

      double want_log2 = ra.v4 ? log2 ((double) __builtin_popcountll (ra.v4)) : -1;
      g_assert_cmpfloat_with_epsilon (fwr_addr_set_get_size_log2 (a, FWR_FAMILY_IPV4), want_log2, 1e-12);
    }
}

int
main (int argc, char **argv)
{
  fwr_test_init (&argc, &argv);

  g_test_add_func ("/fwr/addrset/parse/host", test_parse_host);
  g_test_add_func ("/fwr/addrset/parse/prefix", test_parse_prefix);
  g_test_add_func ("/fwr/addrset/parse/range", test_parse_range);
  g_test_add_func ("/fwr/addrset/parse/list", test_parse_list);
  g_test_add_func ("/fwr/addrset/parse/invalid", test_parse_invalid);
  g_test_add_func ("/fwr/addrset/to-string", test_to_string);
  g_test_add_func ("/fwr/addrset/complement", test_complement);
  g_test_add_func ("/fwr/addrset/is-any", test_is_any);
  g_test_add_func ("/fwr/addrset/size-log2", test_size_log2);
  g_test_add_func ("/fwr/addrset/add-bytes", test_add_bytes);
  g_test_add_data_func ("/fwr/addrset/random/text/ipv4", GUINT_TO_POINTER (FWR_FAMILY_IPV4), test_random_text);
  g_test_add_data_func ("/fwr/addrset/random/text/ipv6", GUINT_TO_POINTER (FWR_FAMILY_IPV6), test_random_text);
  g_test_add_data_func ("/fwr/addrset/random/text/mixed", GUINT_TO_POINTER (FWR_FAMILY_ANY), test_random_text);
  g_test_add_data_func ("/fwr/addrset/random/algebra/ipv4", GUINT_TO_POINTER (FWR_FAMILY_IPV4), test_random_algebra);
  g_test_add_data_func ("/fwr/addrset/random/algebra/ipv6", GUINT_TO_POINTER (FWR_FAMILY_IPV6), test_random_algebra);
  g_test_add_data_func ("/fwr/addrset/random/algebra/mixed", GUINT_TO_POINTER (FWR_FAMILY_ANY), test_random_algebra);
  return g_test_run ();
}
