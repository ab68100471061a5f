/* fwr-nft-text.c: nft's symbolic names (protocols, services, ICMP types, ct states) and the
 * nft-like text of JSON expressions, which opaque conditions and warnings show to people. */
#include "fwr-nft-private.h"

typedef struct {
  const char *name;
  guint32 value;
} NameValue;

/* IANA protocol names as /etc/protocols spells them (nft prints through getprotobynumber),
 * plus the aliases nft itself accepts. Fixed here so that imports do not depend on the host. */
static const NameValue protocols[] = {
  { "hopopt", 0 }, { "icmp", 1 }, { "igmp", 2 }, { "ggp", 3 }, { "ipencap", 4 }, { "st", 5 },
  { "tcp", 6 }, { "egp", 8 }, { "igp", 9 }, { "pup", 12 }, { "udp", 17 }, { "hmp", 20 },
  { "xns-idp", 22 }, { "rdp", 27 }, { "iso-tp4", 29 }, { "dccp", 33 }, { "xtp", 36 },
  { "ddp", 37 }, { "idpr-cmtp", 38 }, { "ipv6", 41 }, { "ipv6-route", 43 }, { "ipv6-frag", 44 },
  { "idrp", 45 }, { "rsvp", 46 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "skip", 57 },
  { "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "ipv6-nonxt", 59 }, { "ipv6-opts", 60 },
  { "rspf", 73 }, { "vmtp", 81 }, { "eigrp", 88 }, { "ospf", 89 }, { "ax.25", 93 },
  { "ipip", 94 }, { "etherip", 97 }, { "encap", 98 }, { "pim", 103 }, { "ipcomp", 108 },
  { "comp", 108 }, { "vrrp", 112 }, { "l2tp", 115 }, { "isis", 124 }, { "sctp", 132 },
  { "fc", 133 }, { "mobility-header", 135 }, { "udplite", 136 }, { "mpls-in-ip", 137 },
  { "manet", 138 }, { "hip", 139 }, { "shim6", 140 }, { "wesp", 141 }, { "rohc", 142 },
  { "ethernet", 143 },
};

/* nft prints ports as numbers; names appear only in hand-written JSON. The common ones. */
static const NameValue services[] = {
  { "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
  { "domain", 53 }, { "bootps", 67 }, { "bootpc", 68 }, { "tftp", 69 }, { "http", 80 },
  { "kerberos", 88 }, { "pop3", 110 }, { "sunrpc", 111 }, { "ntp", 123 }, { "epmap", 135 },
  { "netbios-ns", 137 }, { "netbios-dgm", 138 }, { "netbios-ssn", 139 }, { "imap2", 143 },
  { "imap", 143 }, { "snmp", 161 }, { "snmp-trap", 162 }, { "bgp", 179 }, { "ldap", 389 },
  { "https", 443 }, { "microsoft-ds", 445 }, { "submissions", 465 }, { "isakmp", 500 },
  { "syslog", 514 }, { "submission", 587 }, { "ldaps", 636 }, { "domain-s", 853 },
  { "imaps", 993 }, { "pop3s", 995 }, { "openvpn", 1194 }, { "ms-sql-s", 1433 },
  { "nfs", 2049 }, { "mysql", 3306 }, { "ms-wbt-server", 3389 }, { "postgresql", 5432 },
  { "http-alt", 8080 },
};

static const NameValue icmp_types[] = {
  { "echo-reply", 0 }, { "destination-unreachable", 3 }, { "source-quench", 4 },
  { "redirect", 5 }, { "echo-request", 8 }, { "router-advertisement", 9 },
  { "router-solicitation", 10 }, { "time-exceeded", 11 }, { "parameter-problem", 12 },
  { "timestamp-request", 13 }, { "timestamp-reply", 14 }, { "info-request", 15 },
  { "info-reply", 16 }, { "address-mask-request", 17 }, { "address-mask-reply", 18 },
};

static const NameValue icmpv6_types[] = {
  { "destination-unreachable", 1 }, { "packet-too-big", 2 }, { "time-exceeded", 3 },
  { "parameter-problem", 4 }, { "echo-request", 128 }, { "echo-reply", 129 },
  { "mld-listener-query", 130 }, { "mld-listener-report", 131 }, { "mld-listener-done", 132 },
  { "mld-listener-reduction", 132 }, { "nd-router-solicit", 133 }, { "nd-router-advert", 134 },
  { "nd-neighbor-solicit", 135 }, { "nd-neighbor-advert", 136 }, { "nd-redirect", 137 },
  { "router-renumbering", 138 }, { "ind-neighbor-solicit", 141 },
  { "ind-neighbor-advert", 142 }, { "mld2-listener-report", 143 },
};

static const NameValue icmp_codes[] = {
  { "net-unreachable", 0 }, { "host-unreachable", 1 }, { "prot-unreachable", 2 },
  { "port-unreachable", 3 }, { "frag-needed", 4 }, { "net-prohibited", 9 },
  { "host-prohibited", 10 }, { "admin-prohibited", 13 },
};

static const NameValue icmpv6_codes[] = {
  { "no-route", 0 }, { "admin-prohibited", 1 }, { "addr-unreachable", 3 },
  { "port-unreachable", 4 }, { "policy-fail", 5 }, { "reject-route", 6 },
};

static const NameValue ct_states[] = {
  { "new", FWR_CT_NEW }, { "established", FWR_CT_ESTABLISHED }, { "related", FWR_CT_RELATED },
  { "invalid", FWR_CT_INVALID }, { "untracked", FWR_CT_UNTRACKED },
};

/* Values are family masks; 0 stands for a family that is not IP. */
static const NameValue nfprotos[] = {
  { "ipv4", FWR_FAMILY_IPV4 }, { "ipv6", FWR_FAMILY_IPV6 }, { "inet", 0 }, { "arp", 0 },
  { "bridge", 0 }, { "netdev", 0 },
};

static const NameValue ethertypes[] = {
  { "ip", FWR_FAMILY_IPV4 }, { "ip6", FWR_FAMILY_IPV6 }, { "arp", 0 }, { "vlan", 0 },
  { "8021q", 0 }, { "8021ad", 0 },
};

static gboolean
lookup_in (const NameValue *table, gsize n, const char *name, guint32 *value)
{
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (table[i].name, name) == 0)
      {
        *value = table[i].value;
        return TRUE;
      }
  return FALSE;
}

#define LOOKUP(table) lookup_in (table, G_N_ELEMENTS (table), name, value)

gboolean
_fwr_nft_lookup_name (FwrNftDomain domain, const char *name, guint32 *value)
{
  switch (domain)
    {
    case FWR_NFT_DOMAIN_PORT: return LOOKUP (services);
    case FWR_NFT_DOMAIN_PROTO: return LOOKUP (protocols);
    case FWR_NFT_DOMAIN_ICMP_TYPE: return LOOKUP (icmp_types);
    case FWR_NFT_DOMAIN_ICMPV6_TYPE: return LOOKUP (icmpv6_types);
    case FWR_NFT_DOMAIN_ICMP_CODE: return LOOKUP (icmp_codes);
    case FWR_NFT_DOMAIN_ICMPV6_CODE: return LOOKUP (icmpv6_codes);
    case FWR_NFT_DOMAIN_CT_STATE: return LOOKUP (ct_states);
    case FWR_NFT_DOMAIN_NFPROTO: return LOOKUP (nfprotos);
    case FWR_NFT_DOMAIN_ETHERTYPE: return LOOKUP (ethertypes);
    case FWR_NFT_DOMAIN_ADDR4:
    case FWR_NFT_DOMAIN_ADDR6:
    case FWR_NFT_DOMAIN_IFNAME:
    case FWR_NFT_N_DOMAINS:
    default:
      return FALSE;
    }
}

#undef LOOKUP

const char *
_fwr_nft_json_type_name (json_t *json)
{
  if (json == NULL)
    return "nothing";
  switch (json_typeof (json))
    {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL:
    default:
      return "null";
    }
}

/* Text */

static void
append_json (GString *out, json_t *json)
{
  g_autofree char *text = json_dumps (json, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
  g_string_append (out, text ? text : "?");
}

static gboolean
is_plain_word (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@-_.:/*", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
append_string (GString *out, const char *text)
{
  if (is_plain_word (text))
    g_string_append (out, text);
  else
    {
      g_string_append_c (out, '"');
      g_string_append (out, text);
      g_string_append_c (out, '"');
    }
}

static const char *
get_str (json_t *obj, const char *member)
{
  return json_string_value (json_object_get (obj, member));
}

static void
append_joined (GString *out, json_t *array, const char *separator)
{
  size_t i;
  json_t *item;
  json_array_foreach (array, i, item)
    {
      if (i > 0)
        g_string_append (out, separator);
      _fwr_nft_append_expr (out, item);
    }
}

static void
append_payload (GString *out, json_t *payload)
{
  const char *protocol = get_str (payload, "protocol");
  const char *field = get_str (payload, "field");
  if (protocol != NULL && field != NULL)
    g_string_append_printf (out, "%s %s", protocol, field);
  else
    g_string_append_printf (out, "@%s,%" JSON_INTEGER_FORMAT ",%" JSON_INTEGER_FORMAT,
                            get_str (payload, "base") ? get_str (payload, "base") : "?",
                            json_integer_value (json_object_get (payload, "offset")),
                            json_integer_value (json_object_get (payload, "len")));
}

static void
append_meta (GString *out, json_t *meta)
{
  static const char *bare[] = { "iifname", "oifname", "iif", "oif", "iiftype", "oiftype",
                                "iifgroup", "oifgroup" };
  const char *key = get_str (meta, "key");
  if (key == NULL)
    key = "?";
  for (guint i = 0; i < G_N_ELEMENTS (bare); i++)
    if (g_str_equal (key, bare[i]))
      {
        g_string_append (out, key);
        return;
      }
  g_string_append_printf (out, "meta %s", key);
}

static void
append_ct (GString *out, json_t *ct)
{
  g_string_append (out, "ct");
  const char *parts[] = { get_str (ct, "dir"), get_str (ct, "family"), get_str (ct, "key") };
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_string_append_printf (out, " %s", parts[i]);
}

static void
append_fib (GString *out, json_t *fib)
{
  g_string_append (out, "fib ");
  json_t *flags = json_object_get (fib, "flags");
  if (json_is_array (flags))
    {
      size_t i;
      json_t *flag;
      json_array_foreach (flags, i, flag)
        g_string_append_printf (out, "%s%s", i ? " . " : "", json_string_value (flag) ? json_string_value (flag) : "?");
    }
  else if (json_is_string (flags))
    g_string_append (out, json_string_value (flags));
  const char *result = get_str (fib, "result");
  g_string_append_printf (out, " %s", result ? result : "?");
}

static void
append_named_header (GString *out, const char *what, json_t *obj)
{
  g_string_append (out, what);
  const char *keys[] = { "family", "name", "field", "key" };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = get_str (obj, keys[i]);
      if (value != NULL)
        g_string_append_printf (out, " %s", value);
    }
}

static gboolean
is_binary_op (const char *key)
{
  return g_str_equal (key, "&") || g_str_equal (key, "|") || g_str_equal (key, "^") ||
         g_str_equal (key, "<<") || g_str_equal (key, ">>");
}

static gboolean
is_verdict (const char *key)
{
  return g_str_equal (key, "accept") || g_str_equal (key, "drop") || g_str_equal (key, "continue") ||
         g_str_equal (key, "return") || g_str_equal (key, "jump") || g_str_equal (key, "goto");
}

static void
append_set (GString *out, json_t *elements)
{
  g_string_append (out, "{ ");
  if (!json_is_array (elements))
    _fwr_nft_append_expr (out, elements);
  else
    {
      size_t i;
      json_t *item;
      json_array_foreach (elements, i, item)
        {
          if (i > 0)
            g_string_append (out, ", ");
          /* A map element is a [key, value] pair. */
          if (json_is_array (item) && json_array_size (item) == 2)
            {
              _fwr_nft_append_expr (out, json_array_get (item, 0));
              g_string_append (out, " : ");
              _fwr_nft_append_expr (out, json_array_get (item, 1));
            }
          else
            _fwr_nft_append_expr (out, item);
        }
    }
  g_string_append (out, " }");
}

static gboolean
is_binary_expr (json_t *expr)
{
  return json_is_object (expr) && json_object_size (expr) == 1 &&
         is_binary_op (json_object_iter_key (json_object_iter (expr)));
}

/* Operands of a bitwise operation: nested operations and flag lists in parentheses, as
 * in "tcp flags & (syn | ack)". */
static void
append_operand (GString *out, json_t *operand)
{
  if (json_is_array (operand))
    {
      g_string_append_c (out, '(');
      append_joined (out, operand, " | ");
      g_string_append_c (out, ')');
    }
  else if (is_binary_expr (operand))
    {
      g_string_append_c (out, '(');
      _fwr_nft_append_expr (out, operand);
      g_string_append_c (out, ')');
    }
  else
    _fwr_nft_append_expr (out, operand);
}

static void
append_object_expr (GString *out, const char *key, json_t *value)
{
  if (g_str_equal (key, "payload"))
    append_payload (out, value);
  else if (g_str_equal (key, "meta"))
    append_meta (out, value);
  else if (g_str_equal (key, "ct"))
    append_ct (out, value);
  else if (g_str_equal (key, "fib"))
    append_fib (out, value);
  else if (g_str_equal (key, "set"))
    append_set (out, value);
  else if (g_str_equal (key, "concat"))
    append_joined (out, value, " . ");
  else if (g_str_equal (key, "prefix"))
    {
      _fwr_nft_append_expr (out, json_object_get (value, "addr"));
      g_string_append_printf (out, "/%" JSON_INTEGER_FORMAT, json_integer_value (json_object_get (value, "len")));
    }
  else if (g_str_equal (key, "range"))
    append_joined (out, value, "-");
  else if (g_str_equal (key, "elem"))
    _fwr_nft_append_expr (out, json_object_get (value, "val"));
  else if (g_str_equal (key, "map"))
    {
      _fwr_nft_append_expr (out, json_object_get (value, "key"));
      g_string_append (out, " map ");
      _fwr_nft_append_expr (out, json_object_get (value, "data"));
    }
  else if (is_binary_op (key) && json_is_array (value) && json_array_size (value) == 2)
    {
      append_operand (out, json_array_get (value, 0));
      g_string_append_printf (out, " %s ", key);
      append_operand (out, json_array_get (value, 1));
    }
  else if (is_verdict (key))
    {
      g_string_append (out, key);
      if (get_str (value, "target") != NULL)
        g_string_append_printf (out, " %s", get_str (value, "target"));
    }
  else if (g_str_equal (key, "rt") || g_str_equal (key, "socket") || g_str_equal (key, "osf") ||
           g_str_equal (key, "exthdr") || g_str_equal (key, "tcp option") ||
           g_str_equal (key, "sctp chunk") || g_str_equal (key, "ipsec") ||
           g_str_equal (key, "dccp option"))
    append_named_header (out, key, value);
  else
    {
      g_string_append_printf (out, "%s ", key);
      append_json (out, value);
    }
}

void
_fwr_nft_append_expr (GString *out, json_t *expr)
{
  if (expr == NULL)
    {
      g_string_append_c (out, '?');
      return;
    }
  switch (json_typeof (expr))
    {
    case JSON_STRING:
      append_string (out, json_string_value (expr));
      break;
    case JSON_INTEGER:
      g_string_append_printf (out, "%" JSON_INTEGER_FORMAT, json_integer_value (expr));
      break;
    case JSON_TRUE:
      g_string_append (out, "exists");
      break;
    case JSON_FALSE:
      g_string_append (out, "missing");
      break;
    case JSON_ARRAY:
      /* A bare list is a set of flags, as in "ct state established,related". */
      append_joined (out, expr, ",");
      break;
    case JSON_OBJECT:
      if (json_object_size (expr) == 1)
        {
          const char *key = json_object_iter_key (json_object_iter (expr));
          append_object_expr (out, key, json_object_iter_value (json_object_iter (expr)));
          break;
        }
      append_json (out, expr);
      break;
    case JSON_REAL:
    case JSON_NULL:
    default:
      append_json (out, expr);
      break;
    }
}

void
_fwr_nft_append_match (GString *out, json_t *left, const char *op, json_t *right)
{
  _fwr_nft_append_expr (out, left);
  /* nft leaves out the implicit operators, but not after a bitwise operation. */
  if (op != NULL && (is_binary_expr (left) || (!g_str_equal (op, "==") && !g_str_equal (op, "in"))))
    g_string_append_printf (out, " %s", op);
  g_string_append_c (out, ' ');
  _fwr_nft_append_expr (out, right);
}

static void
append_rate (GString *out, json_t *value, const char *amount_key, const char *unit_key)
{
  json_t *amount = json_object_get (value, amount_key);
  const char *unit = get_str (value, unit_key);
  _fwr_nft_append_expr (out, amount);
  if (unit != NULL && !g_str_equal (unit, "packets"))
    g_string_append_printf (out, " %s", unit);
}

static void
append_limit (GString *out, json_t *value)
{
  g_string_append (out, "limit rate ");
  if (json_is_true (json_object_get (value, "inv")))
    g_string_append (out, "over ");
  append_rate (out, value, "rate", "rate_unit");
  const char *per = get_str (value, "per");
  g_string_append_printf (out, "/%s", per ? per : "second");
  json_int_t burst = json_integer_value (json_object_get (value, "burst"));
  if (burst > 0)
    {
      g_string_append_printf (out, " burst %" JSON_INTEGER_FORMAT, burst);
      const char *unit = get_str (value, "burst_unit");
      const char *rate_unit = get_str (value, "rate_unit");
      if (rate_unit == NULL || g_str_equal (rate_unit, "packets"))
        g_string_append (out, " packets");
      else
        g_string_append_printf (out, " %s", unit ? unit : "bytes");
    }
}

void
_fwr_nft_append_statement (GString *out, const char *name, json_t *value)
{
  if (json_is_string (value))
    {
      /* A reference to a named object. */
      g_string_append_printf (out, "%s name \"%s\"", name, json_string_value (value));
      return;
    }
  if (g_str_equal (name, "limit") && json_is_object (value))
    append_limit (out, value);
  else if (g_str_equal (name, "quota") && json_is_object (value))
    {
      g_string_append (out, "quota ");
      if (json_is_true (json_object_get (value, "inv")))
        g_string_append (out, "over ");
      append_rate (out, value, "val", "val_unit");
      if (get_str (value, "val_unit") == NULL)
        g_string_append (out, " bytes");
    }
  else if (g_str_equal (name, "ct count") && json_is_object (value))
    {
      g_string_append (out, "ct count ");
      if (json_is_true (json_object_get (value, "inv")))
        g_string_append (out, "over ");
      _fwr_nft_append_expr (out, json_object_get (value, "val"));
    }
  else if (g_str_equal (name, "meter") && json_is_object (value))
    {
      g_string_append_printf (out, "meter %s { ", get_str (value, "name") ? get_str (value, "name") : "?");
      _fwr_nft_append_expr (out, json_object_get (value, "key"));
      json_t *stmt = json_object_get (value, "stmt");
      if (json_is_object (stmt) && json_object_size (stmt) == 1)
        {
          g_string_append_c (out, ' ');
          void *iter = json_object_iter (stmt);
          _fwr_nft_append_statement (out, json_object_iter_key (iter), json_object_iter_value (iter));
        }
      g_string_append (out, " }");
    }
  else if (json_is_null (value))
    g_string_append (out, name);
  else
    {
      g_string_append_printf (out, "%s ", name);
      append_json (out, value);
    }
}
