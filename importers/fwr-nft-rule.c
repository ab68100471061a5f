/* fwr-nft-rule.c: one nftables rule's statements turned into the model's terms: matches on
 * payload, meta and ct fields, sets, concatenations, verdict maps, verdicts and the rest. */
#include "fwr-nft-private.h"
#include "fwr-addrset-private.h"

/* Where a match lands in FwrMatch. */
typedef enum {
  TARGET_OPAQUE,
  TARGET_SRC,
  TARGET_DST,
  TARGET_SPORT,
  TARGET_DPORT,
  TARGET_PROTO,
  TARGET_ICMP,
  TARGET_IIF,
  TARGET_OIF,
  TARGET_CT_STATE,
  TARGET_FAMILY,
} Target;

enum {
  FIELD_TH = 1 << 0,       /* th sport/dport: no protocol implied */
  FIELD_NEXTHDR = 1 << 1,  /* ip6 nexthdr: the first header, not the transport protocol */
  FIELD_UNKNOWN = 1 << 2,  /* an expression fwreview does not know at all */
};

typedef struct {
  Target target;
  FwrNftDomain domain;
  FwrFamilyMask families;  /* the field exists only in packets of these families... */
  int proto;               /* ...and of this IP protocol (-1: any) */
  guint flags;
} Field;

typedef enum {
  OP_EQ,     /* "==", "in" or none: membership */
  OP_NE,
  OP_LT,
  OP_GT,
  OP_LE,
  OP_GE,
  OP_OTHER,
} Op;

struct _FwrNftValue {
  FwrNftDomain domain;
  GArray *spans;           /* (element-type FwrSpan) while reading; sorted into the sets */
  FwrAddrSet *addrs;       /* ADDR4, ADDR6 */
  FwrRangeSet *ranges;     /* PORT, PROTO, ICMP*: ICMP values are (type << 8) | code */
  GPtrArray *names;        /* IFNAME (element-type utf8) */
  guint mask;              /* CT_STATE: FwrCtState bits; NFPROTO, ETHERTYPE: FwrFamilyMask */
  gboolean non_ip;         /* NFPROTO, ETHERTYPE: a protocol other than IPv4 and IPv6 */
  gboolean combined;       /* CT_STATE: "a | b", one value with several bits */
  gboolean opaque;         /* an element could not be evaluated */
  const FwrAddrSet *lender; /* ADDR4, ADDR6: the kept addresses of the named set the value was
                             * read from, when nothing else was (see FwrNftSet.lent) */
};

struct _FwrNftRule {
  FwrNftContext *ctx;
  FwrTableFamily family;
  char *family_name;
  char *table;
  GArray *terms;           /* (element-type FwrTerm) */
  FwrVerdict verdict;
  gboolean ended;          /* a verdict was read: later statements are never reached */
  gboolean log;
  gboolean has_counter;
  guint64 packets;
  guint64 bytes;
  GPtrArray *refs;         /* (element-type FwrObject) (not owned) */
  GPtrArray *counters;     /* (element-type FwrObject) named counters (not owned) */
  GPtrArray *runtime_sets; /* (element-type FwrNftSet) (not owned) */
  GPtrArray *warnings;     /* (element-type utf8) */
  GPtrArray *opaque_kinds; /* (element-type utf8) */
  GPtrArray *th_texts;     /* (element-type utf8) th port matches, see split_th_terms() */
  char *missing;           /* what was not found, on FWR_NFT_DEFER */
};

#define PORT_MAX 65535u
#define PROTO_MAX 255u
#define ICMP_MAX 65535u

static FwrNftStatus
fail (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static FwrNftStatus
fail (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED, text);
  return FWR_NFT_FAILED;
}

static void
warn (FwrNftRule *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
warn (FwrNftRule *self, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static char *
expr_text (json_t *expr)
{
  GString *out = g_string_new (NULL);
  _fwr_nft_append_expr (out, expr);
  return g_string_free (out, FALSE);
}

static gboolean
json_key_value (json_t *object, const char **key, json_t **value)
{
  if (!json_is_object (object) || json_object_size (object) != 1)
    return FALSE;
  void *iter = json_object_iter (object);
  *key = json_object_iter_key (iter);
  *value = json_object_iter_value (iter);
  return TRUE;
}

/* Values */

static FwrNftValue *
value_new (FwrNftDomain domain)
{
  FwrNftValue *value = g_new0 (FwrNftValue, 1);
  value->domain = domain;
  return value;
}

void
_fwr_nft_value_free (FwrNftValue *value)
{
  if (value == NULL)
    return;
  if (value->spans)
    g_array_unref (value->spans);
  fwr_addr_set_free (value->addrs);
  fwr_range_set_free (value->ranges);
  if (value->names)
    g_ptr_array_unref (value->names);
  g_free (value);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrNftValue, _fwr_nft_value_free)

static void
value_add_span (FwrNftValue *value, fwr_u128 lo, fwr_u128 hi)
{
  if (value->spans == NULL)
    value->spans = g_array_new (FALSE, FALSE, sizeof (FwrSpan));
  FwrSpan span = { lo, hi };
  g_array_append_val (value->spans, span);
}

static void
value_add_name (FwrNftValue *value, const char *name)
{
  if (value->names == NULL)
    value->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (value->names, g_strdup (name));
}

static int
compare_spans (gconstpointer a, gconstpointer b)
{
  const FwrSpan *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static gboolean
domain_is_address (FwrNftDomain domain)
{
  return domain == FWR_NFT_DOMAIN_ADDR4 || domain == FWR_NFT_DOMAIN_ADDR6;
}

static gboolean
domain_is_numeric (FwrNftDomain domain)
{
  return domain == FWR_NFT_DOMAIN_PORT || domain == FWR_NFT_DOMAIN_PROTO ||
         domain == FWR_NFT_DOMAIN_ICMP_TYPE || domain == FWR_NFT_DOMAIN_ICMP_CODE ||
         domain == FWR_NFT_DOMAIN_ICMPV6_TYPE || domain == FWR_NFT_DOMAIN_ICMPV6_CODE;
}

/* Sorting first keeps building linear: elements of hashed sets come in any order. */
static void
value_finish (FwrNftValue *value)
{
  FwrSpans *target = NULL;
  if (domain_is_address (value->domain))
    {
      value->addrs = fwr_addr_set_new ();
      target = value->domain == FWR_NFT_DOMAIN_ADDR4 ? &value->addrs->v4 : &value->addrs->v6;
    }
  else if (domain_is_numeric (value->domain))
    {
      value->ranges = fwr_range_set_new ();
      target = &value->ranges->spans;
    }
  if (target == NULL || value->spans == NULL)
    return;
  g_array_sort (value->spans, compare_spans);
  for (guint i = 0; i < value->spans->len; i++)
    {
      FwrSpan *span = &g_array_index (value->spans, FwrSpan, i);
      _fwr_spans_add (target, span->lo, span->hi);
    }
  g_clear_pointer (&value->spans, g_array_unref);
}

static void
value_merge (FwrNftValue *value, const FwrNftValue *other)
{
  const FwrSpans *spans = NULL;
  if (other->addrs)
    spans = other->domain == FWR_NFT_DOMAIN_ADDR4 ? &other->addrs->v4 : &other->addrs->v6;
  else if (other->ranges)
    spans = &other->ranges->spans;
  for (guint i = 0; spans && i < spans->n; i++)
    value_add_span (value, spans->spans[i].lo, spans->spans[i].hi);
  for (guint i = 0; other->names && i < other->names->len; i++)
    value_add_name (value, g_ptr_array_index (other->names, i));
  value->mask |= other->mask;
  value->non_ip |= other->non_ip;
  value->opaque |= other->opaque;
}

static const char *
domain_noun (FwrNftDomain domain)
{
  static const char *nouns[] = { "IPv4 address", "IPv6 address", "port", "protocol",
                                 "ICMP type", "ICMP code", "ICMPv6 type", "ICMPv6 code",
                                 "interface name", "ct state", "nfproto", "ether type" };
  return domain < G_N_ELEMENTS (nouns) ? nouns[domain] : "value";
}

static guint32
domain_max (FwrNftDomain domain)
{
  return domain == FWR_NFT_DOMAIN_PORT ? PORT_MAX : PROTO_MAX;
}

/* Adds [lo, hi] in the domain's own units. ICMP types and codes live in one (type, code)
 * space so that "icmp type X icmp code Y" intersects exactly. */
static void
value_add_interval (FwrNftValue *value, guint32 lo, guint32 hi)
{
  switch (value->domain)
    {
    case FWR_NFT_DOMAIN_ICMP_TYPE:
    case FWR_NFT_DOMAIN_ICMPV6_TYPE:
      value_add_span (value, (fwr_u128) lo << 8, ((fwr_u128) hi << 8) | 0xff);
      break;
    case FWR_NFT_DOMAIN_ICMP_CODE:
    case FWR_NFT_DOMAIN_ICMPV6_CODE:
      for (guint32 type = 0; type <= 0xff; type++)
        value_add_span (value, (type << 8) | lo, (type << 8) | hi);
      break;
    default:
      value_add_span (value, lo, hi);
      break;
    }
}

static FwrNftStatus
parse_number (FwrNftRule *self, FwrNftDomain domain, json_t *json, guint32 *out,
              gboolean *known, GError **error)
{
  guint32 max = domain_max (domain);
  *known = TRUE;
  if (json_is_integer (json))
    {
      json_int_t n = json_integer_value (json);
      if (n < 0 || n > max)
        return fail (error, "%s %" JSON_INTEGER_FORMAT " is out of range (0-%u)",
                     domain_noun (domain), n, max);
      *out = (guint32) n;
      return FWR_NFT_DONE;
    }
  if (!json_is_string (json))
    return fail (error, "a %s must be a number or a name, not %s", domain_noun (domain),
                 _fwr_nft_json_type_name (json));

  const char *text = json_string_value (json);
  char *end = NULL;
  if (g_ascii_isdigit (text[0]))
    {
      gboolean hex = g_str_has_prefix (text, "0x");
      guint64 n = g_ascii_strtoull (hex ? text + 2 : text, &end, hex ? 16 : 10);
      if (*end != '\0' || n > max)
        return fail (error, "“%s” is not a %s (0-%u)", text, domain_noun (domain), max);
      *out = (guint32) n;
      return FWR_NFT_DONE;
    }
  if (_fwr_nft_lookup_name (domain, text, out))
    return FWR_NFT_DONE;
  warn (self, "unknown %s name “%s”: the match is kept as an opaque condition",
        domain_noun (domain), text);
  *known = FALSE;
  return FWR_NFT_DONE;
}

static FwrNftStatus
parse_address (FwrNftDomain domain, const char *text, fwr_u128 *lo, fwr_u128 *hi, GError **error)
{
  FwrFamilyMask want = domain == FWR_NFT_DOMAIN_ADDR4 ? FWR_FAMILY_IPV4 : FWR_FAMILY_IPV6;
  FwrFamilyMask family;
  if (!_fwr_addr_parse_one (text, &family, lo))
    return fail (error, "“%s” is not an %s", text, domain_noun (domain));
  if (family != want)
    return fail (error, "“%s” is not an %s", text, domain_noun (domain));
  *hi = *lo;
  return FWR_NFT_DONE;
}

static FwrNftStatus
parse_prefix (FwrNftValue *value, json_t *prefix, GError **error)
{
  json_t *addr = json_object_get (prefix, "addr");
  json_t *len = json_object_get (prefix, "len");
  if (!domain_is_address (value->domain))
    return fail (error, "a prefix where a %s is expected", domain_noun (value->domain));
  if (!json_is_string (addr) || !json_is_integer (len))
    return fail (error, "a prefix needs a string “addr” and an integer “len”");
  fwr_u128 lo, hi;
  if (parse_address (value->domain, json_string_value (addr), &lo, &hi, error) != FWR_NFT_DONE)
    return FWR_NFT_FAILED;
  FwrFamilyMask family = value->domain == FWR_NFT_DOMAIN_ADDR4 ? FWR_FAMILY_IPV4 : FWR_FAMILY_IPV6;
  json_int_t bits = json_integer_value (len);
  json_int_t max_bits = family == FWR_FAMILY_IPV4 ? 32 : 128;
  if (bits < 0 || bits > max_bits)
    return fail (error, "prefix length %" JSON_INTEGER_FORMAT " is out of range (0-%" JSON_INTEGER_FORMAT ")",
                 bits, max_bits);
  _fwr_prefix_bounds (family, lo, (guint) bits, &lo, &hi);
  value_add_span (value, lo, hi);
  return FWR_NFT_DONE;
}

static FwrNftStatus
parse_range (FwrNftRule *self, FwrNftValue *value, json_t *range, GError **error)
{
  if (!json_is_array (range) || json_array_size (range) != 2)
    return fail (error, "a range must be an array of two values");
  json_t *a = json_array_get (range, 0), *b = json_array_get (range, 1);
  if (domain_is_address (value->domain))
    {
      fwr_u128 lo, hi, ignored;
      if (!json_is_string (a) || !json_is_string (b))
        return fail (error, "an address range needs two strings");
      if (parse_address (value->domain, json_string_value (a), &lo, &ignored, error) != FWR_NFT_DONE ||
          parse_address (value->domain, json_string_value (b), &hi, &ignored, error) != FWR_NFT_DONE)
        return FWR_NFT_FAILED;
      if (lo > hi)
        return fail (error, "the range %s-%s is empty", json_string_value (a), json_string_value (b));
      value_add_span (value, lo, hi);
      return FWR_NFT_DONE;
    }
  if (!domain_is_numeric (value->domain))
    return fail (error, "a range where a single %s is expected", domain_noun (value->domain));

  guint32 lo, hi;
  gboolean known_lo, known_hi;
  if (parse_number (self, value->domain, a, &lo, &known_lo, error) != FWR_NFT_DONE ||
      parse_number (self, value->domain, b, &hi, &known_hi, error) != FWR_NFT_DONE)
    return FWR_NFT_FAILED;
  if (!known_lo || !known_hi)
    value->opaque = TRUE;
  else if (lo > hi)
    return fail (error, "the range %u-%u is empty", lo, hi);
  else
    value_add_interval (value, lo, hi);
  return FWR_NFT_DONE;
}

static void
parse_flag_value (FwrNftValue *value, json_int_t n)
{
  if (value->domain == FWR_NFT_DOMAIN_CT_STATE)
    {
      /* The kernel's bits: invalid 1, established 2, related 4, new 8, untracked 64. */
      static const struct { guint bit; guint state; } bits[] = {
        { 1, FWR_CT_INVALID }, { 2, FWR_CT_ESTABLISHED }, { 4, FWR_CT_RELATED },
        { 8, FWR_CT_NEW }, { 64, FWR_CT_UNTRACKED },
      };
      for (guint i = 0; i < G_N_ELEMENTS (bits); i++)
        if (n & bits[i].bit)
          value->mask |= bits[i].state;
    }
  else if (value->domain == FWR_NFT_DOMAIN_NFPROTO)
    {
      if (n == 2)
        value->mask |= FWR_FAMILY_IPV4;
      else if (n == 10)
        value->mask |= FWR_FAMILY_IPV6;
      else
        value->non_ip = TRUE;
    }
  else
    {
      if (n == 0x0800)
        value->mask |= FWR_FAMILY_IPV4;
      else if (n == 0x86dd)
        value->mask |= FWR_FAMILY_IPV6;
      else
        value->non_ip = TRUE;
    }
}

static FwrNftStatus
parse_scalar (FwrNftRule *self, FwrNftValue *value, json_t *json, GError **error)
{
  FwrNftDomain domain = value->domain;
  const char *text = json_string_value (json);

  if (domain_is_address (domain))
    {
      fwr_u128 lo, hi;
      if (text == NULL)
        return fail (error, "an %s must be a string, not %s", domain_noun (domain), _fwr_nft_json_type_name (json));
      if (parse_address (domain, text, &lo, &hi, error) != FWR_NFT_DONE)
        return FWR_NFT_FAILED;
      value_add_span (value, lo, hi);
      return FWR_NFT_DONE;
    }
  if (domain_is_numeric (domain))
    {
      guint32 n;
      gboolean known;
      if (parse_number (self, domain, json, &n, &known, error) != FWR_NFT_DONE)
        return FWR_NFT_FAILED;
      if (known)
        value_add_interval (value, n, n);
      else
        value->opaque = TRUE;
      return FWR_NFT_DONE;
    }
  if (domain == FWR_NFT_DOMAIN_IFNAME)
    {
      /* A number is an interface index nft could not name; "\*" is a literal star, which
       * the model's patterns cannot tell from a wildcard. */
      if (json_is_integer (json) || (text && g_str_has_suffix (text, "\\*")))
        value->opaque = TRUE;
      else if (text != NULL)
        value_add_name (value, text);
      else
        return fail (error, "an interface name must be a string, not %s", _fwr_nft_json_type_name (json));
      return FWR_NFT_DONE;
    }

  if (json_is_integer (json))
    {
      parse_flag_value (value, json_integer_value (json));
      return FWR_NFT_DONE;
    }
  if (text == NULL)
    return fail (error, "a %s must be a name or a number, not %s", domain_noun (domain), _fwr_nft_json_type_name (json));
  guint32 bits;
  if (!_fwr_nft_lookup_name (domain, text, &bits))
    {
      warn (self, "unknown %s “%s”: the match is kept as an opaque condition", domain_noun (domain), text);
      value->opaque = TRUE;
    }
  else if (bits == 0)
    value->non_ip = TRUE;
  else
    value->mask |= bits;
  return FWR_NFT_DONE;
}

static void
add_ref (FwrNftRule *self, FwrObject *object)
{
  if (!g_ptr_array_find (self->refs, object, NULL))
    g_ptr_array_add (self->refs, object);
}

static FwrNftStatus
defer (FwrNftRule *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static FwrNftStatus
defer (FwrNftRule *self, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_free (self->missing);
  self->missing = g_strdup_vprintf (format, args);
  va_end (args);
  return FWR_NFT_DEFER;
}

/* The set named "@name", which this rule uses; FWR_NFT_DEFER when it is not known yet.
 * matching: the rule matches packets against it (rather than adding to it). */
static FwrNftStatus
use_set (FwrNftRule *self, const char *ref, gboolean matching, FwrNftSet **out)
{
  FwrNftSet *set = _fwr_nft_context_lookup_set (self->ctx, self->family_name, self->table, ref + 1);
  if (set == NULL)
    return defer (self, "set %s", ref);
  add_ref (self, set->object);
  if (matching && set->runtime && !g_ptr_array_find (self->runtime_sets, set, NULL))
    g_ptr_array_add (self->runtime_sets, set);
  *out = set;
  return FWR_NFT_DONE;
}

static FwrNftStatus parse_value (FwrNftRule *self, FwrNftValue *value, json_t *json, GError **error);

/* Map elements are [key, value] pairs; a set's are the keys themselves. */
static json_t *
element_key (json_t *element)
{
  if (json_is_array (element) && json_array_size (element) == 2)
    return json_array_get (element, 0);
  return element;
}

static FwrNftStatus
convert_set (FwrNftRule *self, FwrNftSet *set, FwrNftDomain domain, GError **error)
{
  g_autoptr (FwrNftValue) converted = value_new (domain);
  g_autoptr (GError) local_error = NULL;
  json_t *elements = set->elem;
  FwrNftStatus status = FWR_NFT_DONE;

  if (json_is_array (elements))
    {
      size_t i;
      json_t *element;
      json_array_foreach (elements, i, element)
        if ((status = parse_value (self, converted, element_key (element), &local_error)) != FWR_NFT_DONE)
          break;
    }
  else if (elements != NULL)
    status = parse_value (self, converted, element_key (elements), &local_error);

  if (status == FWR_NFT_FAILED)
    return fail (error, "set @%s: %s", set->object->name, local_error->message);
  if (status == FWR_NFT_DEFER)
    return fail (error, "set @%s refers to another set, which nft does not allow", set->object->name);
  value_finish (converted);
  set->cache[domain] = g_steal_pointer (&converted);
  return FWR_NFT_DONE;
}

/* (nullable) The set's addresses for the domain, kept by the ruleset so that every rule that
 * matches the whole set borrows one array instead of holding a copy: at 100k rules the copies
 * of a few hundred named sets were a seventh of the model. */
static const FwrAddrSet *
lent_addrs (FwrNftRule *self, FwrNftSet *set, FwrNftDomain domain)
{
  const FwrNftValue *cache = set->cache[domain];
  gboolean addresses = domain == FWR_NFT_DOMAIN_ADDR4 || domain == FWR_NFT_DOMAIN_ADDR6;
  if (!addresses || cache->addrs == NULL || cache->opaque)
    return NULL;
  guint slot = domain == FWR_NFT_DOMAIN_ADDR6;
  if (set->lent[slot] == NULL)
    {
      set->lent[slot] = fwr_addr_set_copy (cache->addrs);
      _fwr_ruleset_keep_lent_set (self->ctx->ruleset, set->lent[slot]);
    }
  return set->lent[slot];
}

static FwrNftStatus
parse_named_set (FwrNftRule *self, FwrNftValue *value, const char *ref, GError **error)
{
  FwrNftSet *set = NULL;
  FwrNftStatus status = use_set (self, ref, TRUE, &set);
  if (status != FWR_NFT_DONE)
    return status;
  if (set->runtime)
    {
      value->opaque = TRUE;
      return FWR_NFT_DONE;
    }
  if (set->cache[value->domain] == NULL &&
      (status = convert_set (self, set, value->domain, error)) != FWR_NFT_DONE)
    return status;
  gboolean nothing_before = value->spans == NULL && value->addrs == NULL;
  value_merge (value, set->cache[value->domain]);
  if (nothing_before)
    value->lender = lent_addrs (self, set, value->domain);
  return FWR_NFT_DONE;
}

static gboolean
is_known_expression (const char *key)
{
  static const char *known[] = { "payload", "meta", "ct", "fib", "rt", "socket", "osf", "numgen",
                                 "jhash", "symhash", "exthdr", "tcp option", "sctp chunk",
                                 "dccp option", "ipsec", "&", "|", "^", "<<", ">>", "map",
                                 "set", "elem", "prefix", "range", "concat" };
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (key, known[i]))
      return TRUE;
  return FALSE;
}

/* Reads one right-hand side into value: a value, a prefix, a range, an anonymous set, a
 * list of flags, or a named set. */
static FwrNftStatus
parse_value (FwrNftRule *self, FwrNftValue *value, json_t *json, GError **error)
{
  const char *key;
  json_t *inner;

  if (json_is_string (json) && json_string_value (json)[0] == '@')
    return parse_named_set (self, value, json_string_value (json), error);
  if (json_is_string (json) || json_is_integer (json))
    return parse_scalar (self, value, json, error);
  if (json_is_array (json))
    {
      size_t i;
      json_t *item;
      json_array_foreach (json, i, item)
        {
          FwrNftStatus status = parse_value (self, value, item, error);
          if (status != FWR_NFT_DONE)
            return status;
        }
      return FWR_NFT_DONE;
    }
  if (!json_key_value (json, &key, &inner))
    return fail (error, "a %s cannot be %s", domain_noun (value->domain), _fwr_nft_json_type_name (json));

  if (g_str_equal (key, "set"))
    return parse_value (self, value, inner, error);
  if (g_str_equal (key, "elem"))
    {
      if (!json_is_object (inner) || json_object_get (inner, "val") == NULL)
        return fail (error, "“elem” needs a “val”");
      return parse_value (self, value, json_object_get (inner, "val"), error);
    }
  if (g_str_equal (key, "prefix"))
    return parse_prefix (value, inner, error);
  if (g_str_equal (key, "range"))
    return parse_range (self, value, inner, error);
  if (g_str_equal (key, "concat"))
    return fail (error, "a concatenation where a single %s is expected", domain_noun (value->domain));
  if (g_str_equal (key, "|") && value->domain == FWR_NFT_DOMAIN_CT_STATE &&
      json_is_array (inner) && json_array_size (inner) == 2)
    {
      FwrNftStatus status = parse_value (self, value, json_array_get (inner, 0), error);
      if (status == FWR_NFT_DONE)
        status = parse_value (self, value, json_array_get (inner, 1), error);
      value->combined = TRUE;
      return status;
    }

  /* Another expression (a packet field, a hash, a bitwise operation): nothing to evaluate
   * at import time. */
  if (!is_known_expression (key))
    warn (self, "unknown expression “%s” kept as an opaque condition", key);
  value->opaque = TRUE;
  return FWR_NFT_DONE;
}

/* Fields */

static const struct {
  const char *name;
  FwrFamilyMask families;
  int proto;
} payload_protocols[] = {
  { "ip", FWR_FAMILY_IPV4, -1 }, { "ip6", FWR_FAMILY_IPV6, -1 },
  { "tcp", FWR_FAMILY_ANY, 6 }, { "udp", FWR_FAMILY_ANY, 17 }, { "udplite", FWR_FAMILY_ANY, 136 },
  { "sctp", FWR_FAMILY_ANY, 132 }, { "dccp", FWR_FAMILY_ANY, 33 },
  /* nft adds "meta nfproto" to icmp and icmpv6 in inet tables (see --debug=netlink). */
  { "icmp", FWR_FAMILY_IPV4, 1 }, { "icmpv6", FWR_FAMILY_IPV6, 58 }, { "igmp", FWR_FAMILY_IPV4, 2 },
  { "ah", FWR_FAMILY_ANY, 51 }, { "esp", FWR_FAMILY_ANY, 50 }, { "comp", FWR_FAMILY_ANY, 108 },
  { "gre", FWR_FAMILY_ANY, 47 }, { "th", FWR_FAMILY_ANY, -1 }, { "ether", FWR_FAMILY_ANY, -1 },
  { "vlan", FWR_FAMILY_ANY, -1 }, { "arp", FWR_FAMILY_ANY, -1 }, { "vxlan", FWR_FAMILY_ANY, -1 },
  { "geneve", FWR_FAMILY_ANY, -1 }, { "gretap", FWR_FAMILY_ANY, -1 },
};

static void
field_init (Field *field)
{
  field->target = TARGET_OPAQUE;
  field->domain = FWR_NFT_N_DOMAINS;
  field->families = FWR_FAMILY_ANY;
  field->proto = -1;
  field->flags = 0;
}

static void
field_set (Field *field, Target target, FwrNftDomain domain)
{
  field->target = target;
  field->domain = domain;
}

static gboolean
is_port_protocol (const char *protocol)
{
  return g_str_equal (protocol, "tcp") || g_str_equal (protocol, "udp") ||
         g_str_equal (protocol, "udplite") || g_str_equal (protocol, "sctp") ||
         g_str_equal (protocol, "dccp") || g_str_equal (protocol, "th");
}

static FwrNftStatus
classify_payload (json_t *payload, Field *field, GError **error)
{
  if (!json_is_object (payload))
    return fail (error, "“payload” must be an object, not %s", _fwr_nft_json_type_name (payload));
  const char *protocol = json_string_value (json_object_get (payload, "protocol"));
  const char *name = json_string_value (json_object_get (payload, "field"));
  if (protocol == NULL || name == NULL)
    {
      if (json_object_get (payload, "base") != NULL)
        return FWR_NFT_DONE; /* raw payload: opaque */
      return fail (error, "“payload” needs a string “protocol” and “field” (or “base”)");
    }

  guint i;
  for (i = 0; i < G_N_ELEMENTS (payload_protocols); i++)
    if (g_str_equal (payload_protocols[i].name, protocol))
      break;
  if (i == G_N_ELEMENTS (payload_protocols))
    {
      field->flags |= FIELD_UNKNOWN;
      return FWR_NFT_DONE;
    }
  field->families = payload_protocols[i].families;
  field->proto = payload_protocols[i].proto;

  gboolean ip = g_str_equal (protocol, "ip"), ip6 = g_str_equal (protocol, "ip6");
  FwrNftDomain addr = ip ? FWR_NFT_DOMAIN_ADDR4 : FWR_NFT_DOMAIN_ADDR6;
  if ((ip || ip6) && g_str_equal (name, "saddr"))
    field_set (field, TARGET_SRC, addr);
  else if ((ip || ip6) && g_str_equal (name, "daddr"))
    field_set (field, TARGET_DST, addr);
  else if (ip && g_str_equal (name, "protocol"))
    field_set (field, TARGET_PROTO, FWR_NFT_DOMAIN_PROTO);
  else if (ip6 && g_str_equal (name, "nexthdr"))
    {
      field_set (field, TARGET_PROTO, FWR_NFT_DOMAIN_PROTO);
      field->flags |= FIELD_NEXTHDR;
    }
  else if (is_port_protocol (protocol) && g_str_equal (name, "sport"))
    field_set (field, TARGET_SPORT, FWR_NFT_DOMAIN_PORT);
  else if (is_port_protocol (protocol) && g_str_equal (name, "dport"))
    field_set (field, TARGET_DPORT, FWR_NFT_DOMAIN_PORT);
  else if (g_str_equal (protocol, "icmp") && g_str_equal (name, "type"))
    field_set (field, TARGET_ICMP, FWR_NFT_DOMAIN_ICMP_TYPE);
  else if (g_str_equal (protocol, "icmp") && g_str_equal (name, "code"))
    field_set (field, TARGET_ICMP, FWR_NFT_DOMAIN_ICMP_CODE);
  else if (g_str_equal (protocol, "icmpv6") && g_str_equal (name, "type"))
    field_set (field, TARGET_ICMP, FWR_NFT_DOMAIN_ICMPV6_TYPE);
  else if (g_str_equal (protocol, "icmpv6") && g_str_equal (name, "code"))
    field_set (field, TARGET_ICMP, FWR_NFT_DOMAIN_ICMPV6_CODE);
  else if (g_str_equal (protocol, "ether") && g_str_equal (name, "type"))
    field_set (field, TARGET_FAMILY, FWR_NFT_DOMAIN_ETHERTYPE);

  if (g_str_equal (protocol, "th") && (field->target == TARGET_SPORT || field->target == TARGET_DPORT))
    field->flags |= FIELD_TH;
  return FWR_NFT_DONE;
}

static FwrNftStatus
classify_meta (json_t *meta, Field *field, GError **error)
{
  const char *key = json_string_value (json_object_get (meta, "key"));
  if (key == NULL)
    return fail (error, "“meta” needs a string “key”");
  if (g_str_equal (key, "iifname") || g_str_equal (key, "iif"))
    field_set (field, TARGET_IIF, FWR_NFT_DOMAIN_IFNAME);
  else if (g_str_equal (key, "oifname") || g_str_equal (key, "oif"))
    field_set (field, TARGET_OIF, FWR_NFT_DOMAIN_IFNAME);
  else if (g_str_equal (key, "l4proto"))
    field_set (field, TARGET_PROTO, FWR_NFT_DOMAIN_PROTO);
  else if (g_str_equal (key, "nfproto"))
    field_set (field, TARGET_FAMILY, FWR_NFT_DOMAIN_NFPROTO);
  else if (g_str_equal (key, "protocol"))
    field_set (field, TARGET_FAMILY, FWR_NFT_DOMAIN_ETHERTYPE);
  return FWR_NFT_DONE;
}

/* What a match's left side is. Whatever is not modeled stays TARGET_OPAQUE, but keeps the
 * protocol it implies (a "tcp flags" match still needs TCP). */
static FwrNftStatus
classify (json_t *left, Field *field, GError **error)
{
  const char *key;
  json_t *inner;

  field_init (field);
  if (!json_key_value (left, &key, &inner))
    return fail (error, "the left side of a match must be an expression object, not %s",
                 _fwr_nft_json_type_name (left));

  if (g_str_equal (key, "payload"))
    return classify_payload (inner, field, error);
  if (g_str_equal (key, "meta"))
    {
      if (!json_is_object (inner))
        return fail (error, "“meta” must be an object, not %s", _fwr_nft_json_type_name (inner));
      return classify_meta (inner, field, error);
    }
  if (g_str_equal (key, "ct"))
    {
      if (!json_is_object (inner))
        return fail (error, "“ct” must be an object, not %s", _fwr_nft_json_type_name (inner));
      const char *ct_key = json_string_value (json_object_get (inner, "key"));
      if (ct_key == NULL)
        return fail (error, "“ct” needs a string “key”");
      if (g_str_equal (ct_key, "state") && json_object_get (inner, "dir") == NULL)
        field_set (field, TARGET_CT_STATE, FWR_NFT_DOMAIN_CT_STATE);
      return FWR_NFT_DONE;
    }
  if (g_str_equal (key, "tcp option"))
    field->proto = 6;
  else if (g_str_equal (key, "sctp chunk"))
    field->proto = 132;
  else if (g_str_equal (key, "dccp option"))
    field->proto = 33;
  else if (g_str_equal (key, "exthdr"))
    field->families = FWR_FAMILY_IPV6;
  else if ((g_str_equal (key, "&") || g_str_equal (key, "|") || g_str_equal (key, "^") ||
            g_str_equal (key, "<<") || g_str_equal (key, ">>")) &&
           json_is_array (inner) && json_array_size (inner) == 2)
    {
      /* "tcp flags & (syn | ack) == syn": opaque, with the operand's protocol. */
      Field operand;
      if (classify (json_array_get (inner, 0), &operand, error) != FWR_NFT_DONE)
        return FWR_NFT_FAILED;
      field->families = operand.families;
      field->proto = operand.proto;
      field->flags = operand.flags & FIELD_UNKNOWN;
    }
  else if (!is_known_expression (key) || g_str_equal (key, "set") || g_str_equal (key, "elem") ||
           g_str_equal (key, "prefix") || g_str_equal (key, "range"))
    field->flags |= FIELD_UNKNOWN;
  return FWR_NFT_DONE;
}

static Op
parse_op (const char *op)
{
  static const struct { const char *text; Op op; } ops[] = {
    { "==", OP_EQ }, { "in", OP_EQ }, { "!=", OP_NE }, { "<", OP_LT }, { ">", OP_GT },
    { "<=", OP_LE }, { ">=", OP_GE },
  };
  if (op == NULL)
    return OP_EQ;
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_equal (ops[i].text, op))
      return ops[i].op;
  return OP_OTHER;
}

/* Terms */

static FwrTerm *
term_at (FwrNftRule *self, guint i)
{
  return &g_array_index (self->terms, FwrTerm, i);
}

static void
term_clear (FwrTerm *term)
{
  _fwr_match_clear (&term->match);
  g_clear_pointer (&term->verdict.target, g_free);
}

static void
term_copy_into (FwrTerm *dest, const FwrTerm *src)
{
  _fwr_match_copy_into (&dest->match, &src->match);
  dest->verdict.action = src->verdict.action;
  dest->verdict.target = g_strdup (src->verdict.target);
}

static GArray *
terms_new (void)
{
  GArray *terms = g_array_new (FALSE, TRUE, sizeof (FwrTerm));
  g_array_set_clear_func (terms, (GDestroyNotify) term_clear);
  return terms;
}

static void
note_opaque_kind (FwrNftRule *self, const char *kind)
{
  for (guint i = 0; i < self->opaque_kinds->len; i++)
    if (g_str_equal (g_ptr_array_index (self->opaque_kinds, i), kind))
      return;
  g_ptr_array_add (self->opaque_kinds, g_strdup (kind));
}

static void
add_opaque_everywhere (FwrNftRule *self, const char *text)
{
  for (guint i = 0; i < self->terms->len; i++)
    _fwr_match_add_opaque (&term_at (self, i)->match, text);
}

static void
apply_dependencies (FwrMatch *match, const Field *field)
{
  match->families &= field->families;
  if (field->proto >= 0)
    {
      if (match->protos == NULL)
        match->protos = fwr_range_set_new_range (field->proto, field->proto);
      else
        {
          g_autoptr (FwrRangeSet) one = fwr_range_set_new_range (field->proto, field->proto);
          fwr_range_set_intersect (match->protos, one);
        }
    }
}

static void
intersect_addrs (FwrAddrSet **slot, FwrAddrSet *owned)
{
  if (*slot == NULL)
    *slot = owned;
  else
    {
      fwr_addr_set_intersect (*slot, owned);
      fwr_addr_set_free (owned);
    }
}

static void
intersect_ranges (FwrRangeSet **slot, FwrRangeSet *owned)
{
  if (*slot == NULL)
    *slot = owned;
  else
    {
      fwr_range_set_intersect (*slot, owned);
      fwr_range_set_free (owned);
    }
}

/* Interface patterns: exact names, or prefixes ending in '*'. */

static gboolean
pattern_is_wild (const char *p)
{
  return g_str_has_suffix (p, "*");
}

static gsize
pattern_stem (const char *p)
{
  gsize len = strlen (p);
  return pattern_is_wild (p) ? len - 1 : len;
}

/* (nullable) The pattern matching exactly the names both a and b match, if there is one. */
static const char *
pattern_intersect (const char *a, const char *b)
{
  gboolean wa = pattern_is_wild (a), wb = pattern_is_wild (b);
  if (!wa && !wb)
    return g_str_equal (a, b) ? a : NULL;
  if (!wa)
    return strncmp (a, b, pattern_stem (b)) == 0 ? a : NULL;
  if (!wb)
    return strncmp (b, a, pattern_stem (a)) == 0 ? b : NULL;
  gsize la = pattern_stem (a), lb = pattern_stem (b);
  if (strncmp (a, b, MIN (la, lb)) != 0)
    return NULL;
  return la >= lb ? a : b;
}

/* Does every name that a matches match b too? */
static gboolean
pattern_covers (const char *b, const char *a)
{
  const char *both = pattern_intersect (a, b);
  return both != NULL && (both == a || g_str_equal (both, a));
}

static GStrv
strv_from_names (GPtrArray *names)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  for (guint i = 0; names && i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  GStrv result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/* Keeps the positive patterns of pos that neg's patterns do not exclude. A wildcard that is
 * only partly excluded cannot be written as patterns: *partial is set and it stays. */
static GStrv
names_minus (GStrv pos, GStrv neg, gboolean *partial)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  for (guint i = 0; pos[i] != NULL; i++)
    {
      gboolean covered = FALSE, overlaps = FALSE;
      for (guint j = 0; neg[j] != NULL; j++)
        {
          covered |= pattern_covers (neg[j], pos[i]);
          overlaps |= pattern_intersect (pos[i], neg[j]) != NULL;
        }
      if (covered)
        continue;
      if (overlaps)
        *partial = TRUE;
      g_strv_builder_add (builder, pos[i]);
    }
  GStrv result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

static void
apply_names (FwrMatch *match, FwrNameMatch *names, GPtrArray *values, gboolean negate, const char *text)
{
  g_auto (GStrv) patterns = strv_from_names (values);
  if (names->patterns == NULL)
    {
      names->patterns = g_steal_pointer (&patterns);
      names->negate = negate;
      return;
    }

  gboolean partial = FALSE;
  GStrv result;
  if (!names->negate && !negate)
    {
      GStrvBuilder *builder = g_strv_builder_new ();
      for (guint i = 0; names->patterns[i]; i++)
        for (guint j = 0; patterns[j]; j++)
          {
            const char *both = pattern_intersect (names->patterns[i], patterns[j]);
            if (both != NULL)
              g_strv_builder_add (builder, both);
          }
      result = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  else if (names->negate && negate)
    {
      GStrvBuilder *builder = g_strv_builder_new ();
      g_strv_builder_addv (builder, (const char **) names->patterns);
      g_strv_builder_addv (builder, (const char **) patterns);
      result = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  else if (!names->negate)
    result = names_minus (names->patterns, patterns, &partial);
  else
    result = names_minus (patterns, names->patterns, &partial);

  g_strfreev (names->patterns);
  names->patterns = result;
  names->negate = names->negate && negate;
  if (partial)
    _fwr_match_add_opaque (match, text);
}

/* IPv6 extension headers: "ip6 nexthdr" sees them before the transport protocol. */
static gboolean
has_extension_header (const FwrRangeSet *protos)
{
  static const guint8 headers[] = { 0, 43, 44, 51, 59, 60, 135, 139, 140, 253, 254 };
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    if (fwr_range_set_contains (protos, headers[i]))
      return TRUE;
  return FALSE;
}

/* Applies "field value" (or "field != value") to one match. text is the match in nft words,
 * for the parts the model cannot hold. */
static void
apply_value (FwrMatch *match, const Field *field, const FwrNftValue *value,
             gboolean negate, const char *text)
{
  if (value->opaque)
    {
      _fwr_match_add_opaque (match, text);
      return;
    }
  switch (field->target)
    {
    case TARGET_SRC:
    case TARGET_DST:
      {
        FwrFamilyMask family = field->domain == FWR_NFT_DOMAIN_ADDR4 ? FWR_FAMILY_IPV4 : FWR_FAMILY_IPV6;
        /* Exactly a named set: borrow the ruleset's copy (negating or narrowing copies it). */
        gboolean whole_set = value->lender != NULL && value->addrs != NULL &&
                             fwr_addr_set_equal (value->lender, value->addrs);
        FwrAddrSet *set = whole_set ? _fwr_addr_set_new_borrowed (value->lender) : fwr_addr_set_copy (value->addrs);
        if (negate)
          fwr_addr_set_complement (set, family);
        match->families &= family;
        intersect_addrs (field->target == TARGET_SRC ? &match->src : &match->dst, set);
        break;
      }
    case TARGET_SPORT:
    case TARGET_DPORT:
      {
        FwrRangeSet *set = fwr_range_set_copy (value->ranges);
        if (negate)
          fwr_range_set_complement (set, PORT_MAX);
        intersect_ranges (field->target == TARGET_SPORT ? &match->sports : &match->dports, set);
        break;
      }
    case TARGET_PROTO:
      /* "ip6 nexthdr X" matches only packets without extension headers before X, and
       * "ip6 nexthdr != X" matches some X packets: restrict only where that is exact. */
      if (field->flags & FIELD_NEXTHDR)
        {
          _fwr_match_add_opaque (match, text);
          if (negate || has_extension_header (value->ranges))
            break;
        }
      {
        FwrRangeSet *set = fwr_range_set_copy (value->ranges);
        if (negate)
          fwr_range_set_complement (set, PROTO_MAX);
        intersect_ranges (&match->protos, set);
      }
      break;
    case TARGET_ICMP:
      {
        FwrRangeSet *set = fwr_range_set_copy (value->ranges);
        if (negate)
          fwr_range_set_complement (set, ICMP_MAX);
        intersect_ranges (&match->icmp, set);
        break;
      }
    case TARGET_IIF:
    case TARGET_OIF:
      apply_names (match, field->target == TARGET_IIF ? &match->iif : &match->oif, value->names, negate, text);
      break;
    case TARGET_CT_STATE:
      {
        guint mask = negate ? (FWR_CT_ALL & ~value->mask) : value->mask;
        guint states = match->ct_states ? match->ct_states & mask : mask;
        if (states == 0)
          match->families = 0;   /* no packet is in none of the states */
        match->ct_states = states == FWR_CT_ALL ? 0 : states;
        break;
      }
    case TARGET_FAMILY:
      /* The model speaks of IP packets only: a protocol that is not IP (arp, vlan) is an
       * opaque condition when required, and no restriction when excluded. */
      if (negate)
        match->families &= ~value->mask;
      else if (value->mask == 0)
        _fwr_match_add_opaque (match, text);
      else
        match->families &= value->mask;
      break;
    case TARGET_OPAQUE:
    default:
      _fwr_match_add_opaque (match, text);
      break;
    }
}

static void
note_th (FwrNftRule *self, const Field *field, const char *text)
{
  if (!(field->flags & FIELD_TH))
    return;
  for (guint i = 0; i < self->th_texts->len; i++)
    if (g_str_equal (g_ptr_array_index (self->th_texts, i), text))
      return;
  g_ptr_array_add (self->th_texts, g_strdup (text));
}

/* Every string "@name" inside expr is a set this rule uses. */
static FwrNftStatus
collect_set_refs (FwrNftRule *self, json_t *expr)
{
  if (json_is_string (expr) && json_string_value (expr)[0] == '@')
    {
      FwrNftSet *set = NULL;
      return use_set (self, json_string_value (expr), FALSE, &set);
    }
  size_t i;
  const char *key;
  json_t *item;
  if (json_is_array (expr))
    json_array_foreach (expr, i, item)
      {
        FwrNftStatus status = collect_set_refs (self, item);
        if (status != FWR_NFT_DONE)
          return status;
      }
  else if (json_is_object (expr))
    json_object_foreach (expr, key, item)
      {
        FwrNftStatus status = collect_set_refs (self, item);
        if (status != FWR_NFT_DONE)
          return status;
      }
  return FWR_NFT_DONE;
}

/* A match kept whole as an opaque condition; what the field implies still holds. */
static FwrNftStatus
opaque_match (FwrNftRule *self, const Field *fields, guint n_fields, json_t *left, json_t *right,
              const char *text)
{
  FwrNftStatus status = collect_set_refs (self, right);
  if (status == FWR_NFT_DONE)
    status = collect_set_refs (self, left);
  if (status != FWR_NFT_DONE)
    return status;
  for (guint t = 0; t < self->terms->len; t++)
    for (guint f = 0; f < n_fields; f++)
      apply_dependencies (&term_at (self, t)->match, &fields[f]);
  add_opaque_everywhere (self, text);
  g_autofree char *kind = expr_text (left);
  note_opaque_kind (self, kind);
  return FWR_NFT_DONE;
}

static FwrNftStatus
read_relational (FwrNftRule *self, const Field *field, Op op, json_t *right, FwrNftValue *value,
                 GError **error)
{
  guint32 n;
  gboolean known;
  if (parse_number (self, field->domain, right, &n, &known, error) != FWR_NFT_DONE)
    return FWR_NFT_FAILED;
  guint32 max = domain_max (field->domain);
  if (!known)
    value->opaque = TRUE;
  else if (op == OP_LT && n > 0)
    value_add_interval (value, 0, n - 1);
  else if (op == OP_LE)
    value_add_interval (value, 0, n);
  else if (op == OP_GT && n < max)
    value_add_interval (value, n + 1, max);
  else if (op == OP_GE)
    value_add_interval (value, n, max);
  return FWR_NFT_DONE;
}

static FwrNftStatus read_concat_match (FwrNftRule *self, json_t *left, Op op, json_t *right,
                                       const char *text, GError **error);

static FwrNftStatus
read_match (FwrNftRule *self, json_t *match, GError **error)
{
  if (!json_is_object (match))
    return fail (error, "“match” must be an object, not %s", _fwr_nft_json_type_name (match));
  json_t *left = json_object_get (match, "left");
  json_t *right = json_object_get (match, "right");
  json_t *op_json = json_object_get (match, "op");
  if (left == NULL || right == NULL)
    return fail (error, "“match” needs a “left” and a “right”");
  if (op_json != NULL && !json_is_string (op_json))
    return fail (error, "the “op” of a match must be a string, not %s", _fwr_nft_json_type_name (op_json));
  const char *op_text = json_string_value (op_json);
  Op op = parse_op (op_text);

  GString *buffer = g_string_new (NULL);
  _fwr_nft_append_match (buffer, left, op_text, right);
  g_autofree char *text = g_string_free (buffer, FALSE);

  const char *key;
  json_t *inner;
  if (json_key_value (left, &key, &inner) && g_str_equal (key, "concat"))
    return read_concat_match (self, inner, op, right, text, error);

  Field field;
  if (classify (left, &field, error) != FWR_NFT_DONE)
    return FWR_NFT_FAILED;
  if (field.flags & FIELD_UNKNOWN)
    warn (self, "unknown expression in “%s” kept as an opaque condition", text);
  if (op == OP_OTHER)
    warn (self, "operator “%s” in “%s” kept as an opaque condition", op_text, text);
  if (field.target == TARGET_OPAQUE || op == OP_OTHER ||
      (op != OP_EQ && op != OP_NE && !domain_is_numeric (field.domain)))
    return opaque_match (self, &field, 1, left, right, text);

  g_autoptr (FwrNftValue) value = value_new (field.domain);
  FwrNftStatus status = op == OP_EQ || op == OP_NE
                          ? parse_value (self, value, right, error)
                          : read_relational (self, &field, op, right, value, error);
  if (status != FWR_NFT_DONE)
    return status;
  value_finish (value);

  /* A packet is in exactly one ct state: "ct state == a | b" compares with a value no
   * packet has, "!= a | b" holds for every packet. Only "in" (and no op) tests the bits. */
  if (value->combined && op_text != NULL && !g_str_equal (op_text, "in") &&
      g_bit_nth_lsf (value->mask, g_bit_nth_lsf (value->mask, -1)) != -1)
    {
      if (op == OP_NE)
        return FWR_NFT_DONE;
      value->mask = 0;
    }

  for (guint t = 0; t < self->terms->len; t++)
    {
      FwrMatch *m = &term_at (self, t)->match;
      apply_dependencies (m, &field);
      apply_value (m, &field, value, op == OP_NE, text);
    }
  note_th (self, &field, text);
  if (value->opaque && json_is_string (right) && json_string_value (right)[0] == '@')
    note_opaque_kind (self, text); /* a set that changes at run time */
  else if (value->opaque || (field.flags & FIELD_NEXTHDR))
    {
      g_autofree char *kind = expr_text (left);
      note_opaque_kind (self, kind);
    }
  return FWR_NFT_DONE;
}

/* Concatenations and verdict maps: one term per element. */

static FwrNftStatus
classify_parts (FwrNftRule *self, json_t *parts, Field **fields, GError **error)
{
  if (!json_is_array (parts) || json_array_size (parts) == 0)
    return fail (error, "“concat” must be a non-empty array");
  *fields = g_new0 (Field, json_array_size (parts));
  for (guint i = 0; i < json_array_size (parts); i++)
    {
      if (classify (json_array_get (parts, i), &(*fields)[i], error) != FWR_NFT_DONE)
        return FWR_NFT_FAILED;
      if ((*fields)[i].flags & FIELD_UNKNOWN)
        {
          g_autofree char *part = expr_text (json_array_get (parts, i));
          warn (self, "unknown expression “%s” in a concatenation kept as an opaque condition", part);
        }
    }
  return FWR_NFT_DONE;
}

static json_t *
unwrap_elem (json_t *element)
{
  const char *key;
  json_t *inner;
  if (json_key_value (element, &key, &inner) && g_str_equal (key, "elem") && json_is_object (inner))
    return json_object_get (inner, "val");
  return element;
}

/* Applies one element's value for one part of a key to a term. */
static FwrNftStatus
apply_part (FwrNftRule *self, FwrMatch *match, const Field *field, json_t *part, json_t *element,
            GError **error)
{
  GString *buffer = g_string_new (NULL);
  _fwr_nft_append_match (buffer, part, NULL, element);
  g_autofree char *text = g_string_free (buffer, FALSE);

  apply_dependencies (match, field);
  note_th (self, field, text);
  if (field->target == TARGET_OPAQUE)
    {
      _fwr_match_add_opaque (match, text);
      g_autofree char *kind = expr_text (part);
      note_opaque_kind (self, kind);
      return FWR_NFT_DONE;
    }
  if (json_is_string (element) && json_string_value (element)[0] == '@')
    return fail (error, "a set reference (%s) inside a set element", json_string_value (element));

  g_autoptr (FwrNftValue) value = value_new (field->domain);
  if (parse_value (self, value, element, error) != FWR_NFT_DONE)
    return FWR_NFT_FAILED;
  value_finish (value);
  apply_value (match, field, value, FALSE, text);
  if (value->opaque || (field->flags & FIELD_NEXTHDR))
    {
      g_autofree char *kind = expr_text (part);
      note_opaque_kind (self, kind);
    }
  return FWR_NFT_DONE;
}

/* Applies a whole key (one field, or a concatenation of n) for one element to a term. */
static FwrNftStatus
apply_key (FwrNftRule *self, FwrMatch *match, const Field *fields, json_t *parts, json_t *key_json,
           json_t *element, GError **error)
{
  element = unwrap_elem (element);
  if (parts == NULL)
    return apply_part (self, match, &fields[0], key_json, element, error);

  const char *key;
  json_t *values;
  guint n = json_array_size (parts);
  if (!json_key_value (element, &key, &values) || !g_str_equal (key, "concat") ||
      !json_is_array (values) || json_array_size (values) != n)
    {
      g_autofree char *text = expr_text (element);
      return fail (error, "the element “%s” is not a concatenation of %u values", text, n);
    }
  for (guint i = 0; i < n; i++)
    if (apply_part (self, match, &fields[i], json_array_get (parts, i), json_array_get (values, i), error) != FWR_NFT_DONE)
      return FWR_NFT_FAILED;
  return FWR_NFT_DONE;
}

static FwrNftStatus
parse_verdict (json_t *json, FwrAction *action, const char **target, GError **error)
{
  static const struct { const char *name; FwrAction action; } verdicts[] = {
    { "accept", FWR_ACTION_ACCEPT }, { "drop", FWR_ACTION_DROP }, { "continue", FWR_ACTION_CONTINUE },
    { "return", FWR_ACTION_RETURN }, { "jump", FWR_ACTION_JUMP }, { "goto", FWR_ACTION_GOTO },
  };
  const char *key;
  json_t *value;
  *target = NULL;
  if (json_key_value (json, &key, &value))
    for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
      if (g_str_equal (key, verdicts[i].name))
        {
          *action = verdicts[i].action;
          if (*action != FWR_ACTION_JUMP && *action != FWR_ACTION_GOTO)
            return FWR_NFT_DONE;
          *target = json_string_value (json_object_get (value, "target"));
          if (*target == NULL)
            return fail (error, "“%s” needs a string “target”", key);
          return FWR_NFT_DONE;
        }
  g_autofree char *text = expr_text (json);
  return fail (error, "“%s” is not a verdict", text);
}

/* Crosses the current terms with the elements: each term-element pair becomes a term. */
static FwrNftStatus
expand (FwrNftRule *self, const Field *fields, json_t *parts, json_t *key_json, json_t *elements,
        gboolean pairs, GError **error)
{
  g_autoptr (GArray) expanded = terms_new ();
  gsize n = json_is_array (elements) ? json_array_size (elements) : 1;

  for (guint t = 0; t < self->terms->len; t++)
    for (gsize e = 0; e < n; e++)
      {
        json_t *element = json_is_array (elements) ? json_array_get (elements, e) : elements;
        json_t *key = element_key (element);
        if (pairs)
          {
            if (!json_is_array (element) || json_array_size (element) != 2)
              return fail (error, "a verdict map element must be a [key, verdict] pair");
            key = json_array_get (element, 0);
          }
        g_array_set_size (expanded, expanded->len + 1);
        FwrTerm *term = &g_array_index (expanded, FwrTerm, expanded->len - 1);
        term_copy_into (term, term_at (self, t));
        if (apply_key (self, &term->match, fields, parts, key_json, key, error) != FWR_NFT_DONE)
          return FWR_NFT_FAILED;
        if (pairs)
          {
            FwrAction action = FWR_ACTION_NONE;
            const char *target;
            if (parse_verdict (json_array_get (element, 1), &action, &target, error) != FWR_NFT_DONE)
              return FWR_NFT_FAILED;
            term->verdict.action = action;
            g_free (term->verdict.target);
            term->verdict.target = g_strdup (target);
          }
      }
  g_array_unref (self->terms);
  self->terms = g_steal_pointer (&expanded);
  return FWR_NFT_DONE;
}

static FwrNftStatus
read_concat_match (FwrNftRule *self, json_t *parts, Op op, json_t *right, const char *text,
                   GError **error)
{
  g_autofree Field *fields = NULL;
  if (classify_parts (self, parts, &fields, error) != FWR_NFT_DONE)
    return FWR_NFT_FAILED;
  guint n = json_array_size (parts);
  g_autoptr (json_t) left = json_pack ("{sO}", "concat", parts);

  if (op != OP_EQ)
    {
      /* "a . b != { ... }" is the complement of a union of boxes: not one term per element. */
      warn (self, "“%s” kept as an opaque condition (negated or compared concatenation)", text);
      return opaque_match (self, fields, n, left, right, text);
    }

  json_t *elements = right;
  const char *key;
  json_t *inner;
  if (json_is_string (right) && json_string_value (right)[0] == '@')
    {
      FwrNftSet *set = NULL;
      FwrNftStatus status = use_set (self, json_string_value (right), TRUE, &set);
      if (status != FWR_NFT_DONE)
        return status;
      if (set->runtime)
        return opaque_match (self, fields, n, left, right, text);
      elements = set->elem;
      if (elements == NULL)
        elements = json_array (); /* an empty set: no element, no term */
      else
        json_incref (elements);
    }
  else if (json_key_value (right, &key, &inner) && g_str_equal (key, "set"))
    elements = json_incref (inner);
  else if (json_key_value (right, &key, &inner) && g_str_equal (key, "concat"))
    elements = json_incref (right);
  else
    {
      g_autofree char *what = expr_text (right);
      return fail (error, "“%s”: a concatenation must be matched against a set or a concatenation of values", what);
    }
  g_autoptr (json_t) owned = elements;
  return expand (self, fields, parts, NULL, owned, FALSE, error);
}

static FwrNftStatus
read_vmap (FwrNftRule *self, json_t *vmap, GError **error)
{
  json_t *key_json = json_object_get (vmap, "key");
  json_t *data = json_object_get (vmap, "data");
  if (!json_is_object (vmap) || key_json == NULL || data == NULL)
    return fail (error, "“vmap” needs a “key” and a “data”");

  const char *key;
  json_t *inner;
  json_t *parts = NULL;
  g_autofree Field *fields = NULL;
  if (json_key_value (key_json, &key, &inner) && g_str_equal (key, "concat"))
    {
      parts = inner;
      if (classify_parts (self, parts, &fields, error) != FWR_NFT_DONE)
        return FWR_NFT_FAILED;
    }
  else
    {
      fields = g_new0 (Field, 1);
      if (classify (key_json, &fields[0], error) != FWR_NFT_DONE)
        return FWR_NFT_FAILED;
      if (fields[0].flags & FIELD_UNKNOWN)
        {
          g_autofree char *text = expr_text (key_json);
          warn (self, "unknown expression “%s” in a verdict map key kept as an opaque condition", text);
        }
    }

  json_t *elements;
  if (json_is_string (data) && json_string_value (data)[0] == '@')
    {
      FwrNftSet *set = NULL;
      FwrNftStatus status = use_set (self, json_string_value (data), TRUE, &set);
      if (status != FWR_NFT_DONE)
        return status;
      if (g_strcmp0 (set->map_type, "verdict") != 0)
        return fail (error, "%s is not a verdict map", json_string_value (data));
      elements = set->elem;
    }
  else if (json_key_value (data, &key, &inner) && g_str_equal (key, "set"))
    elements = inner;
  else
    return fail (error, "the “data” of a vmap must be a set of key : verdict pairs or a @map");

  g_autoptr (json_t) empty = NULL;
  if (elements == NULL)
    elements = empty = json_array ();
  if (expand (self, fields, parts, key_json, elements, TRUE, error) != FWR_NFT_DONE)
    return FWR_NFT_FAILED;
  self->verdict.action = FWR_ACTION_NONE;
  self->ended = TRUE;
  return FWR_NFT_DONE;
}

/* Statements */

static void
set_verdict (FwrNftRule *self, FwrAction action, const char *target)
{
  self->verdict.action = action;
  g_free (self->verdict.target);
  self->verdict.target = g_strdup (target);
  for (guint i = 0; i < self->terms->len; i++)
    {
      FwrTerm *term = term_at (self, i);
      term->verdict.action = action;
      g_free (term->verdict.target);
      term->verdict.target = g_strdup (target);
    }
  self->ended = TRUE;
}

static FwrNftStatus
use_object (FwrNftRule *self, const char *kind, const char *name, FwrObject **out)
{
  FwrObject *object = _fwr_nft_context_lookup_object (self->ctx, kind, self->family_name, self->table, name);
  if (object == NULL)
    return defer (self, "%s “%s”", kind, name);
  add_ref (self, object);
  if (out)
    *out = object;
  return FWR_NFT_DONE;
}

/* "ct helper set ip saddr map { a : "ftp" }": the map's values name objects of kind. */
static FwrNftStatus
read_object_map (FwrNftRule *self, const char *kind, json_t *map)
{
  json_t *data = json_object_get (map, "data");
  json_t *elements = NULL;
  FwrNftStatus status = collect_set_refs (self, map);
  if (status != FWR_NFT_DONE)
    return status;
  const char *key;
  json_t *inner;
  if (json_is_string (data) && json_string_value (data)[0] == '@')
    {
      FwrNftSet *set = _fwr_nft_context_lookup_set (self->ctx, self->family_name, self->table,
                                                    json_string_value (data) + 1);
      elements = set ? set->elem : NULL;
    }
  else if (json_key_value (data, &key, &inner) && g_str_equal (key, "set"))
    elements = inner;

  size_t i;
  json_t *element;
  json_array_foreach (elements, i, element)
    {
      const char *name = json_string_value (json_array_get (element, 1));
      if (name != NULL && (status = use_object (self, kind, name, NULL)) != FWR_NFT_DONE)
        return status;
    }
  return FWR_NFT_DONE;
}

static FwrNftStatus
read_counter (FwrNftRule *self, json_t *value, GError **error)
{
  if (json_is_string (value))
    {
      FwrObject *object = NULL;
      FwrNftStatus status = use_object (self, "counter", json_string_value (value), &object);
      if (status == FWR_NFT_DONE && !g_ptr_array_find (self->counters, object, NULL))
        g_ptr_array_add (self->counters, object);
      return status;
    }
  if (json_is_object (value) && json_object_get (value, "map") != NULL)
    return read_object_map (self, "counter", json_object_get (value, "map"));
  if (!json_is_object (value) && !json_is_null (value))
    return fail (error, "“counter” must be an object, a name or null, not %s", _fwr_nft_json_type_name (value));

  const char *names[] = { "packets", "bytes" };
  guint64 *slots[] = { &self->packets, &self->bytes };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_t *n = json_object_get (value, names[i]);
      if (n == NULL)
        continue;
      if (!json_is_integer (n) || json_integer_value (n) < 0)
        {
          g_autofree char *text = expr_text (n);
          return fail (error, "counter “%s” must be a non-negative integer, not %s", names[i], text);
        }
      *slots[i] += (guint64) json_integer_value (n);
    }
  self->has_counter = TRUE;
  return FWR_NFT_DONE;
}

/* limit, quota, ct count, meter...: the rule matches only part of its traffic. */
static FwrNftStatus
read_opaque_statement (FwrNftRule *self, const char *name, json_t *value)
{
  FwrNftStatus status;
  if (json_is_string (value) && (status = use_object (self, name, json_string_value (value), NULL)) != FWR_NFT_DONE)
    return status;
  if (!json_is_string (value) && (status = collect_set_refs (self, value)) != FWR_NFT_DONE)
    return status;
  GString *buffer = g_string_new (NULL);
  _fwr_nft_append_statement (buffer, name, value);
  g_autofree char *text = g_string_free (buffer, FALSE);
  add_opaque_everywhere (self, text);
  note_opaque_kind (self, name);
  return FWR_NFT_DONE;
}

static FwrNftStatus
read_object_statement (FwrNftRule *self, const char *name, json_t *value)
{
  if (json_is_string (value))
    return use_object (self, name, json_string_value (value), NULL);
  if (json_is_object (value) && json_object_get (value, "map") != NULL)
    return read_object_map (self, name, json_object_get (value, "map"));
  return collect_set_refs (self, value);
}

static gboolean
is_one_of (const char *name, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (name, names[i]))
      return TRUE;
  return FALSE;
}

static FwrNftStatus
read_statement (FwrNftRule *self, const char *name, json_t *value, GError **error)
{
  static const char *const simple_verdicts[] = { "accept", "drop", "continue", "return", NULL };
  static const char *const conditions[] = { "limit", "quota", "ct count", "meter", "tproxy", NULL };
  static const char *const objects[] = { "ct helper", "ct timeout", "ct expectation", "secmark", NULL };
  /* NAT statements end the chain with the kernel's accept (nft_nat_eval and friends). */
  static const char *const nat[] = { "snat", "dnat", "masquerade", "redirect", NULL };
  static const char *const side_effects[] = { "mangle", "set", "map", "dup", "notrack", "last", NULL };

  if (self->ended)
    {
      warn (self, "“%s” after the verdict is never reached", name);
      return FWR_NFT_DONE;
    }
  if (g_str_equal (name, "match"))
    return read_match (self, value, error);
  if (is_one_of (name, simple_verdicts))
    {
      FwrAction action = g_str_equal (name, "accept") ? FWR_ACTION_ACCEPT
                         : g_str_equal (name, "drop") ? FWR_ACTION_DROP
                         : g_str_equal (name, "continue") ? FWR_ACTION_CONTINUE
                         : FWR_ACTION_RETURN;
      set_verdict (self, action, NULL);
      return FWR_NFT_DONE;
    }
  if (g_str_equal (name, "jump") || g_str_equal (name, "goto"))
    {
      const char *target = json_string_value (json_object_get (value, "target"));
      if (target == NULL)
        return fail (error, "“%s” needs an object with a string “target”", name);
      set_verdict (self, g_str_equal (name, "jump") ? FWR_ACTION_JUMP : FWR_ACTION_GOTO, target);
      return FWR_NFT_DONE;
    }
  if (g_str_equal (name, "reject") || g_str_equal (name, "queue"))
    {
      FwrNftStatus status = collect_set_refs (self, value);
      if (status == FWR_NFT_DONE)
        set_verdict (self, g_str_equal (name, "reject") ? FWR_ACTION_REJECT : FWR_ACTION_QUEUE, NULL);
      return status;
    }
  if (g_str_equal (name, "vmap"))
    return read_vmap (self, value, error);
  if (g_str_equal (name, "counter"))
    return read_counter (self, value, error);
  if (g_str_equal (name, "log"))
    {
      self->log = TRUE;
      return FWR_NFT_DONE;
    }
  if (is_one_of (name, conditions))
    return read_opaque_statement (self, name, value);
  if (is_one_of (name, objects))
    return read_object_statement (self, name, value);
  if (is_one_of (name, nat))
    {
      FwrNftStatus status = collect_set_refs (self, value);
      if (status == FWR_NFT_DONE)
        set_verdict (self, FWR_ACTION_ACCEPT, NULL);
      return status;
    }
  if (is_one_of (name, side_effects))
    return collect_set_refs (self, value);
  if (g_str_equal (name, "flow"))
    {
      /* "flow add @ft" names a flowtable, not a set. */
      const char *table = json_string_value (json_object_get (value, "flowtable"));
      if (table != NULL)
        return use_object (self, "flowtable", table[0] == '@' ? table + 1 : table, NULL);
      return FWR_NFT_DONE;
    }
  if (g_str_equal (name, "synproxy"))
    {
      warn (self, "synproxy answers and drops some packets itself; not modeled");
      return json_is_string (value) ? use_object (self, "synproxy", json_string_value (value), NULL) : FWR_NFT_DONE;
    }
  if (g_str_equal (name, "fwd"))
    {
      warn (self, "fwd hands the packet to another interface: modeled like queue (ends evaluation)");
      set_verdict (self, FWR_ACTION_QUEUE, NULL);
      return FWR_NFT_DONE;
    }
  if (g_str_equal (name, "xt"))
    {
      const char *type = json_string_value (json_object_get (value, "type"));
      const char *xt_name = json_string_value (json_object_get (value, "name"));
      g_autofree char *text = g_strdup_printf ("xt %s %s", type ? type : "?", xt_name ? xt_name : "?");
      if (g_strcmp0 (type, "match") == 0)
        {
          add_opaque_everywhere (self, text);
          note_opaque_kind (self, "xt match");
        }
      warn (self, "iptables-nft compat statement “%s” not modeled (manage this ruleset with iptables-nft)", text);
      return FWR_NFT_DONE;
    }

  GString *buffer = g_string_new (NULL);
  _fwr_nft_append_statement (buffer, name, value);
  g_autofree char *text = g_string_free (buffer, FALSE);
  warn (self, "unknown statement “%s” kept as an opaque condition", name);
  add_opaque_everywhere (self, text);
  note_opaque_kind (self, name);
  return FWR_NFT_DONE;
}

/* Building a rule */

FwrNftRule *
_fwr_nft_rule_new (FwrNftContext *ctx, FwrTableFamily family, const char *family_name, const char *table)
{
  FwrNftRule *self = g_new0 (FwrNftRule, 1);
  self->ctx = ctx;
  self->family = family;
  self->family_name = g_strdup (family_name);
  self->table = g_strdup (table);
  self->terms = terms_new ();
  g_array_set_size (self->terms, 1);
  FwrTerm *term = term_at (self, 0);
  _fwr_match_init (&term->match);
  if (family == FWR_TABLE_FAMILY_IP)
    term->match.families = FWR_FAMILY_IPV4;
  else if (family == FWR_TABLE_FAMILY_IP6)
    term->match.families = FWR_FAMILY_IPV6;
  self->refs = g_ptr_array_new ();
  self->counters = g_ptr_array_new ();
  self->runtime_sets = g_ptr_array_new ();
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->opaque_kinds = g_ptr_array_new_with_free_func (g_free);
  self->th_texts = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
_fwr_nft_rule_free (FwrNftRule *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->terms);
  g_free (self->verdict.target);
  g_free (self->family_name);
  g_free (self->table);
  g_ptr_array_unref (self->refs);
  g_ptr_array_unref (self->counters);
  g_ptr_array_unref (self->runtime_sets);
  g_ptr_array_unref (self->warnings);
  g_ptr_array_unref (self->opaque_kinds);
  g_ptr_array_unref (self->th_texts);
  g_free (self->missing);
  g_free (self);
}

FwrNftStatus
_fwr_nft_rule_read (FwrNftRule *self, json_t *statements, char **missing, GError **error)
{
  if (!json_is_array (statements))
    return fail (error, "“expr” must be an array of statements, not %s", _fwr_nft_json_type_name (statements));

  size_t i;
  json_t *statement;
  json_array_foreach (statements, i, statement)
    {
      const char *name;
      json_t *value;
      if (!json_key_value (statement, &name, &value))
        return fail (error, "statement %zu must be an object with one key, not %s", i + 1,
                     json_is_object (statement) ? "an object with several keys" : _fwr_nft_json_type_name (statement));
      g_autoptr (GError) local_error = NULL;
      FwrNftStatus status = read_statement (self, name, value, &local_error);
      if (status == FWR_NFT_DEFER)
        {
          *missing = g_steal_pointer (&self->missing);
          return status;
        }
      if (status == FWR_NFT_FAILED)
        {
          g_set_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED, "statement %zu (%s): %s",
                       i + 1, name, local_error->message);
          return status;
        }
    }
  return FWR_NFT_DONE;
}

/* Committing */

static gboolean
names_are_empty (const FwrNameMatch *names)
{
  return names->patterns != NULL && names->patterns[0] == NULL && !names->negate;
}

static gboolean
range_is_empty (const FwrRangeSet *set)
{
  return set != NULL && fwr_range_set_is_empty (set);
}

/* Folds the address sets into the families and tells whether any packet can match. */
static gboolean
match_normalize (FwrMatch *match)
{
  if (match->src)
    match->families &= fwr_addr_set_get_families (match->src);
  if (match->dst)
    match->families &= fwr_addr_set_get_families (match->dst);
  if (range_is_empty (match->protos) || range_is_empty (match->sports) ||
      range_is_empty (match->dports) || range_is_empty (match->icmp) ||
      names_are_empty (&match->iif) || names_are_empty (&match->oif))
    match->families = 0;
  return match->families != 0;
}

/* "th dport 53" reads bytes 2-3 of any transport header: for protocols with ports it is
 * the port (exact); for the others some packets match, which only an opaque term says. */
static void
split_th_terms (FwrNftRule *self)
{
  if (self->th_texts->len == 0)
    return;
  g_autoptr (FwrRangeSet) port_protos = fwr_range_set_new ();
  const guint32 with_ports[] = { 6, 17, 33, 132, 136 };
  for (guint i = 0; i < G_N_ELEMENTS (with_ports); i++)
    fwr_range_set_add_range (port_protos, with_ports[i], with_ports[i]);

  guint n = self->terms->len;
  for (guint t = 0; t < n; t++)
    {
      FwrMatch *match = &term_at (self, t)->match;
      if (match->protos != NULL && fwr_range_set_is_subset (match->protos, port_protos))
        continue;
      g_array_set_size (self->terms, self->terms->len + 1);
      FwrTerm *other = term_at (self, self->terms->len - 1);
      term_copy_into (other, term_at (self, t));
      match = &term_at (self, t)->match;

      g_autoptr (FwrRangeSet) without = fwr_range_set_copy (port_protos);
      fwr_range_set_complement (without, PROTO_MAX);
      intersect_ranges (&other->match.protos, g_steal_pointer (&without));
      g_clear_pointer (&other->match.sports, fwr_range_set_free);
      g_clear_pointer (&other->match.dports, fwr_range_set_free);
      for (guint i = 0; i < self->th_texts->len; i++)
        _fwr_match_add_opaque (&other->match, g_ptr_array_index (self->th_texts, i));
      intersect_ranges (&match->protos, fwr_range_set_copy (port_protos));
      note_opaque_kind (self, "th port on a protocol without ports");
    }
}

static void
record_opaque_uses (FwrNftRule *self, FwrRule *rule)
{
  FwrNftContext *ctx = self->ctx;
  for (guint i = 0; i < self->opaque_kinds->len; i++)
    {
      const char *kind = g_ptr_array_index (self->opaque_kinds, i);
      FwrNftOpaqueUse *use = g_hash_table_lookup (ctx->opaque_by_kind, kind);
      if (use == NULL)
        {
          use = g_new0 (FwrNftOpaqueUse, 1);
          use->kind = g_strdup (kind);
          use->first_rule = g_strdup (rule->id);
          use->line = rule->line;
          use->column = rule->column;
          g_ptr_array_add (ctx->opaque_uses, use);
          g_hash_table_insert (ctx->opaque_by_kind, use->kind, use);
        }
      use->n_rules++;
    }
}

void
_fwr_nft_rule_commit (FwrNftRule *self, FwrRule *rule)
{
  split_th_terms (self);

  /* Terms no packet can match say nothing; a rule of only such terms keeps one so that it
   * still shows, and says why. */
  g_autoptr (GArray) kept = terms_new ();
  for (guint t = 0; t < self->terms->len; t++)
    if (match_normalize (&term_at (self, t)->match))
      {
        g_array_append_vals (kept, term_at (self, t), 1);
        memset (term_at (self, t), 0, sizeof (FwrTerm));
      }
  if (kept->len == 0)
    {
      g_array_set_size (kept, 1);
      FwrTerm *term = &g_array_index (kept, FwrTerm, 0);
      if (self->terms->len > 0)
        {
          *term = *term_at (self, 0);
          memset (term_at (self, 0), 0, sizeof (FwrTerm));
        }
      else
        {
          _fwr_match_init (&term->match);
          term->match.families = 0;
        }
      warn (self, "no packet can match this rule (contradictory conditions or an empty set)");
    }

  for (guint i = 0; i < rule->n_terms; i++)
    term_clear (&rule->terms[i]);
  g_free (rule->terms);
  g_array_set_clear_func (kept, NULL);
  rule->n_terms = kept->len;
  rule->terms = kept->len ? g_memdup2 (kept->data, sizeof (FwrTerm) * kept->len) : NULL;

  g_free (rule->verdict.target);
  rule->verdict.action = self->verdict.action;
  rule->verdict.target = g_steal_pointer (&self->verdict.target);
  rule->log = self->log;
  rule->has_counter = self->has_counter;
  rule->packets = self->packets;
  rule->bytes = self->bytes;
  for (guint i = 0; i < self->refs->len; i++)
    _fwr_rule_add_ref (rule, g_ptr_array_index (self->refs, i));
  for (guint i = 0; i < self->counters->len; i++)
    g_ptr_array_add (_fwr_nft_context_get_counter (self->ctx, g_ptr_array_index (self->counters, i))->rules, rule);

  for (guint i = 0; i < self->runtime_sets->len; i++)
    {
      FwrNftSet *set = g_ptr_array_index (self->runtime_sets, i);
      if (set->runtime_warned)
        continue;
      set->runtime_warned = TRUE;
      if (set->map_type != NULL)
        warn (self, "map @%s changes at run time (flags dynamic or timeout): the elements listed are a snapshot",
              set->object->name);
      else
        warn (self, "set @%s changes at run time (flags dynamic or timeout): matches against it are kept as opaque conditions",
              set->object->name);
    }
  for (guint i = 0; i < self->warnings->len; i++)
    _fwr_ruleset_add_warning (self->ctx->ruleset, rule->line, rule->column, "rule %s: %s",
                              rule->id, (const char *) g_ptr_array_index (self->warnings, i));
  record_opaque_uses (self, rule);
}
