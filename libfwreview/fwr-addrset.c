/* fwr-addrset.c: FwrAddrSet, IPv4 and IPv6 address sets over the shared span engine.
 * IPv4 values live in [0, 2^32-1], IPv6 values in the full 128-bit range. */
#include "fwr-ruleset-private.h"
#include "fwr-addrset-private.h"

#include <arpa/inet.h>
#include <math.h>

G_DEFINE_QUARK (fwr-addr-error-quark, fwr_addr_error)

FwrAddrSet *
fwr_addr_set_new (void)
{
  FwrAddrSet *self = g_new0 (FwrAddrSet, 1);
  _fwr_spans_init (&self->v4);
  _fwr_spans_init (&self->v6);
  return self;
}

FwrAddrSet *
fwr_addr_set_new_any (FwrFamilyMask families)
{
  FwrAddrSet *self = fwr_addr_set_new ();
  if (families & FWR_FAMILY_IPV4)
    _fwr_spans_add (&self->v4, 0, FWR_IPV4_MAX);
  if (families & FWR_FAMILY_IPV6)
    _fwr_spans_add (&self->v6, 0, FWR_U128_MAX);
  return self;
}

FwrAddrSet *
fwr_addr_set_copy (const FwrAddrSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  FwrAddrSet *copy = fwr_addr_set_new ();
  _fwr_spans_copy_into (&copy->v4, &self->v4);
  _fwr_spans_copy_into (&copy->v6, &self->v6);
  return copy;
}

FwrAddrSet *
_fwr_addr_set_new_borrowed (const FwrAddrSet *lender)
{
  FwrAddrSet *set = fwr_addr_set_new ();
  _fwr_spans_borrow (&set->v4, &lender->v4);
  _fwr_spans_borrow (&set->v6, &lender->v6);
  return set;
}

void
fwr_addr_set_free (FwrAddrSet *self)
{
  if (self == NULL)
    return;
  _fwr_spans_clear (&self->v4);
  _fwr_spans_clear (&self->v6);
  g_free (self);
}

fwr_u128
_fwr_addr_from_bytes (FwrFamilyMask family, const guint8 *bytes)
{
  guint len = family == FWR_FAMILY_IPV4 ? 4 : 16;
  fwr_u128 value = 0;
  for (guint i = 0; i < len; i++)
    value = (value << 8) | bytes[i];
  return value;
}

void
_fwr_addr_to_bytes (FwrFamilyMask family, fwr_u128 value, guint8 *bytes)
{
  guint len = family == FWR_FAMILY_IPV4 ? 4 : 16;
  for (guint i = len; i > 0; i--)
    {
      bytes[i - 1] = (guint8) (value & 0xff);
      value >>= 8;
    }
}

static FwrSpans *
part_for (FwrAddrSet *self, FwrFamilyMask family)
{
  return family == FWR_FAMILY_IPV4 ? &self->v4 : &self->v6;
}

void
_fwr_prefix_bounds (FwrFamilyMask family, fwr_u128 addr, guint prefix_len,
                    fwr_u128 *lo, fwr_u128 *hi)
{
  guint bits = family == FWR_FAMILY_IPV4 ? 32 : 128;
  guint host = bits - MIN (prefix_len, bits);
  fwr_u128 host_mask = host == 128 ? FWR_U128_MAX : (((fwr_u128) 1 << host) - 1);
  *lo = addr & ~host_mask;
  *hi = *lo | host_mask;
  if (family == FWR_FAMILY_IPV4)
    *hi &= FWR_IPV4_MAX, *lo &= FWR_IPV4_MAX;
}

void
fwr_addr_set_add_range (FwrAddrSet *self, FwrFamilyMask family, const guint8 *lo, const guint8 *hi)
{
  g_return_if_fail (self != NULL && lo != NULL && hi != NULL);
  g_return_if_fail (family == FWR_FAMILY_IPV4 || family == FWR_FAMILY_IPV6);
  fwr_u128 a = _fwr_addr_from_bytes (family, lo);
  fwr_u128 b = _fwr_addr_from_bytes (family, hi);
  if (a <= b)
    _fwr_spans_add (part_for (self, family), a, b);
}

void
fwr_addr_set_add_prefix (FwrAddrSet *self, FwrFamilyMask family, const guint8 *addr, guint prefix_len)
{
  g_return_if_fail (self != NULL && addr != NULL);
  g_return_if_fail (family == FWR_FAMILY_IPV4 || family == FWR_FAMILY_IPV6);
  fwr_u128 lo, hi;
  _fwr_prefix_bounds (family, _fwr_addr_from_bytes (family, addr), prefix_len, &lo, &hi);
  _fwr_spans_add (part_for (self, family), lo, hi);
}

gboolean
_fwr_addr_parse_one (const char *text, FwrFamilyMask *family, fwr_u128 *value)
{
  guint8 bytes[16];
  if (inet_pton (AF_INET, text, bytes) == 1)
    *family = FWR_FAMILY_IPV4;
  else if (inet_pton (AF_INET6, text, bytes) == 1)
    *family = FWR_FAMILY_IPV6;
  else
    return FALSE;
  *value = _fwr_addr_from_bytes (*family, bytes);
  return TRUE;
}

/* Only plain decimal digits: strtoull alone would also take " 8", "+8" and "-0" (which it
 * reads as 0, turning a typo into the whole address space). */
static gboolean
parse_prefix_len (const char *whole, const char *digits, FwrFamilyMask family, guint *len,
                  GError **error)
{
  guint bits = family == FWR_FAMILY_IPV4 ? 32 : 128;
  const char *p = digits;

  while (g_ascii_isdigit (*p))
    p++;
  if (p == digits || *p != '\0')
    {
      g_set_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID,
                   "“%s”: prefix length “%s” is not a number", whole, digits);
      return FALSE;
    }
  guint64 value = g_ascii_strtoull (digits, NULL, 10);
  if (value > bits)
    {
      g_set_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID,
                   "“%s”: prefix length %s is out of range for %s (0-%u)", whole, digits,
                   family == FWR_FAMILY_IPV4 ? "IPv4" : "IPv6", bits);
      return FALSE;
    }
  *len = (guint) value;
  return TRUE;
}

gboolean
fwr_addr_set_add_string (FwrAddrSet *self, const char *text, GError **error)
{
  g_return_val_if_fail (self != NULL && text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *slash = strchr (copy, '/');
  char *dash = strchr (copy, '-');
  FwrFamilyMask family, family2;
  fwr_u128 lo, hi;

  if (slash != NULL)
    {
      guint len;
      *slash = '\0';
      if (!_fwr_addr_parse_one (copy, &family, &lo))
        goto invalid;
      if (!parse_prefix_len (text, slash + 1, family, &len, error))
        return FALSE;
      _fwr_prefix_bounds (family, lo, len, &lo, &hi);
    }
  else if (dash != NULL)
    {
      *dash = '\0';
      if (!_fwr_addr_parse_one (g_strstrip (copy), &family, &lo) ||
          !_fwr_addr_parse_one (g_strstrip (dash + 1), &family2, &hi))
        goto invalid;
      if (family != family2)
        {
          g_set_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID,
                       "“%s”: range mixes IPv4 and IPv6", text);
          return FALSE;
        }
      if (lo > hi)
        {
          g_set_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID,
                       "“%s”: range starts above its end", text);
          return FALSE;
        }
    }
  else
    {
      if (!_fwr_addr_parse_one (copy, &family, &lo))
        goto invalid;
      hi = lo;
    }

  _fwr_spans_add (part_for (self, family), lo, hi);
  return TRUE;

invalid:
  g_set_error (error, FWR_ADDR_ERROR, FWR_ADDR_ERROR_INVALID,
               "“%s” is not an IPv4 or IPv6 address, prefix or range", text);
  return FALSE;
}

FwrAddrSet *
fwr_addr_set_new_parse (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_autoptr (FwrAddrSet) self = fwr_addr_set_new ();
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!fwr_addr_set_add_string (self, parts[i], error))
      return NULL;
  return g_steal_pointer (&self);
}

void
fwr_addr_set_union (FwrAddrSet *self, const FwrAddrSet *other)
{
  g_return_if_fail (self != NULL && other != NULL);
  _fwr_spans_union (&self->v4, &other->v4);
  _fwr_spans_union (&self->v6, &other->v6);
}

void
fwr_addr_set_intersect (FwrAddrSet *self, const FwrAddrSet *other)
{
  g_return_if_fail (self != NULL && other != NULL);
  _fwr_spans_intersect (&self->v4, &other->v4);
  _fwr_spans_intersect (&self->v6, &other->v6);
}

void
fwr_addr_set_subtract (FwrAddrSet *self, const FwrAddrSet *other)
{
  g_return_if_fail (self != NULL && other != NULL);
  _fwr_spans_subtract (&self->v4, &other->v4);
  _fwr_spans_subtract (&self->v6, &other->v6);
}

void
fwr_addr_set_complement (FwrAddrSet *self, FwrFamilyMask families)
{
  g_return_if_fail (self != NULL);
  if (families & FWR_FAMILY_IPV4)
    _fwr_spans_complement (&self->v4, FWR_IPV4_MAX);
  else
    self->v4.n = 0;
  if (families & FWR_FAMILY_IPV6)
    _fwr_spans_complement (&self->v6, FWR_U128_MAX);
  else
    self->v6.n = 0;
}

gboolean
fwr_addr_set_is_empty (const FwrAddrSet *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->v4.n == 0 && self->v6.n == 0;
}

gboolean
fwr_addr_set_is_any (const FwrAddrSet *self, FwrFamilyMask families)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if ((families & FWR_FAMILY_IPV4) && !_fwr_spans_is_full (&self->v4, FWR_IPV4_MAX))
    return FALSE;
  if ((families & FWR_FAMILY_IPV6) && !_fwr_spans_is_full (&self->v6, FWR_U128_MAX))
    return FALSE;
  return TRUE;
}

gboolean
fwr_addr_set_is_subset (const FwrAddrSet *self, const FwrAddrSet *other)
{
  g_return_val_if_fail (self != NULL && other != NULL, FALSE);
  return _fwr_spans_is_subset (&self->v4, &other->v4) && _fwr_spans_is_subset (&self->v6, &other->v6);
}

gboolean
fwr_addr_set_intersects (const FwrAddrSet *self, const FwrAddrSet *other)
{
  g_return_val_if_fail (self != NULL && other != NULL, FALSE);
  return _fwr_spans_intersects (&self->v4, &other->v4) || _fwr_spans_intersects (&self->v6, &other->v6);
}

gboolean
fwr_addr_set_equal (const FwrAddrSet *self, const FwrAddrSet *other)
{
  g_return_val_if_fail (self != NULL && other != NULL, FALSE);
  return _fwr_spans_equal (&self->v4, &other->v4) && _fwr_spans_equal (&self->v6, &other->v6);
}

FwrFamilyMask
fwr_addr_set_get_families (const FwrAddrSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return (self->v4.n > 0 ? FWR_FAMILY_IPV4 : 0) | (self->v6.n > 0 ? FWR_FAMILY_IPV6 : 0);
}

guint
fwr_addr_set_get_n_intervals (const FwrAddrSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->v4.n + self->v6.n;
}

/* long double reaches 2^128 with a 64-bit mantissa (x86-64): IPv4 counts are exact, IPv6
 * counts round to 64 significant bits, far finer than a log2 needs. */
static long double
spans_count (const FwrSpans *spans)
{
  long double total = 0;
  for (guint i = 0; i < spans->n; i++)
    total += (long double) (spans->spans[i].hi - spans->spans[i].lo) + 1.0L;
  return total;
}

double
_fwr_spans_size_log2 (const FwrSpans *spans)
{
  if (spans->n == 0)
    return -1;
  return (double) log2l (spans_count (spans));
}

double
fwr_addr_set_get_size_log2 (const FwrAddrSet *self, FwrFamilyMask families)
{
  g_return_val_if_fail (self != NULL, -1);
  long double total = 0;
  if (families & FWR_FAMILY_IPV4)
    total += spans_count (&self->v4);
  if (families & FWR_FAMILY_IPV6)
    total += spans_count (&self->v6);
  return total > 0 ? (double) log2l (total) : -1;
}

static void
append_address (GString *out, FwrFamilyMask family, fwr_u128 value)
{
  guint8 bytes[16];
  char buf[INET6_ADDRSTRLEN];
  _fwr_addr_to_bytes (family, value, bytes);
  inet_ntop (family == FWR_FAMILY_IPV4 ? AF_INET : AF_INET6, bytes, buf, sizeof buf);
  g_string_append (out, buf);
}

/* Writes [lo, hi] as the fewest CIDR prefixes when that takes at most four, else as a range. */
static void
append_span (GString *out, FwrFamilyMask family, fwr_u128 lo, fwr_u128 hi)
{
  guint bits = family == FWR_FAMILY_IPV4 ? 32 : 128;
  fwr_u128 prefix_lo[4];
  guint prefix_len[4];
  guint n = 0;
  fwr_u128 cur = lo;
  gboolean done = FALSE;

  while (!done && n < 4)
    {
      guint host = 0;
      while (host < bits)
        {
          fwr_u128 size_mask = host + 1 == 128 ? FWR_U128_MAX : (((fwr_u128) 1 << (host + 1)) - 1);
          if ((cur & size_mask) != 0 || (cur | size_mask) > hi)
            break;
          host++;
        }
      fwr_u128 mask = host == 128 ? FWR_U128_MAX : (((fwr_u128) 1 << host) - 1);
      prefix_lo[n] = cur;
      prefix_len[n] = bits - host;
      n++;
      if ((cur | mask) >= hi)
        done = TRUE;
      else
        cur = (cur | mask) + 1;
    }

  if (!done)
    {
      append_address (out, family, lo);
      g_string_append_c (out, '-');
      append_address (out, family, hi);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_address (out, family, prefix_lo[i]);
      if (prefix_len[i] != bits)
        g_string_append_printf (out, "/%u", prefix_len[i]);
    }
}

char *
fwr_addr_set_to_string (const FwrAddrSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  gboolean any4 = _fwr_spans_is_full (&self->v4, FWR_IPV4_MAX);
  gboolean any6 = _fwr_spans_is_full (&self->v6, FWR_U128_MAX);
  if (any4 && any6)
    return g_strdup ("any");

  GString *out = g_string_new (NULL);
  if (any4)
    g_string_append (out, "any4");
  else
    for (guint i = 0; i < self->v4.n; i++)
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        append_span (out, FWR_FAMILY_IPV4, self->v4.spans[i].lo, self->v4.spans[i].hi);
      }
  if (any6)
    g_string_append_printf (out, "%sany6", out->len > 0 ? "," : "");
  else
    for (guint i = 0; i < self->v6.n; i++)
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        append_span (out, FWR_FAMILY_IPV6, self->v6.spans[i].lo, self->v6.spans[i].hi);
      }
  return g_string_free (out, FALSE);
}
