/* fwr-iptables.c: the iptables vocabulary both iptables importers read (tables, built-in chains,
 * protocol, port, ICMP and conntrack names, targets) and how a rule's conditions become terms. */
#include "fwr-iptables-private.h"

#include <arpa/inet.h>

/* Tables */

/* Priorities as iptables-nft registers them, so base chains of one hook pipeline in kernel order. */
static const FwrIptTable tables[] = {
  { "raw", FWR_CHAIN_TYPE_ROUTE, -300, { "PREROUTING", "OUTPUT", NULL } },
  { "mangle", FWR_CHAIN_TYPE_ROUTE, -150, { "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING", NULL } },
  { "nat", FWR_CHAIN_TYPE_NAT, -100, { "PREROUTING", "INPUT", "OUTPUT", "POSTROUTING", NULL } },
  { "filter", FWR_CHAIN_TYPE_FILTER, 0, { "INPUT", "FORWARD", "OUTPUT", NULL } },
  /* The security table can drop, but it is not where the filtering policy lives: like mangle,
   * its accept-all policies must not read as a default-allow filter. */
  { "security", FWR_CHAIN_TYPE_ROUTE, 50, { "INPUT", "FORWARD", "OUTPUT", NULL } },
};

const FwrIptTable *
_fwr_ipt_table_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i].name, name))
      return &tables[i];
  return NULL;
}

FwrHook
_fwr_ipt_builtin_hook (const FwrIptTable *table, const char *chain)
{
  static const struct {
    const char *name;
    FwrHook hook;
  } hooks[] = {
    { "PREROUTING", FWR_HOOK_PREROUTING }, { "INPUT", FWR_HOOK_INPUT },
    { "FORWARD", FWR_HOOK_FORWARD }, { "OUTPUT", FWR_HOOK_OUTPUT },
    { "POSTROUTING", FWR_HOOK_POSTROUTING },
  };
  for (guint i = 0; table->builtins[i] != NULL; i++)
    if (g_str_equal (table->builtins[i], chain))
      for (guint h = 0; h < G_N_ELEMENTS (hooks); h++)
        if (g_str_equal (hooks[h].name, chain))
          return hooks[h].hook;
  return FWR_HOOK_NONE;
}

char *
_fwr_ipt_chain_id (const FwrIptTable *table, const char *name)
{
  return g_strdup_printf ("%s/%s", table->name, name);
}

FwrChain *
_fwr_ipt_add_chain (FwrRuleset *ruleset, const FwrIptTable *table, const char *name,
                    FwrTableFamily family, FwrAction policy, guint line)
{
  g_autofree char *id = _fwr_ipt_chain_id (table, name);
  FwrChain *chain = _fwr_ruleset_add_chain (ruleset, id, table->name, name, family);
  chain->type = table->type;
  chain->hook = _fwr_ipt_builtin_hook (table, name);
  chain->priority = table->type == FWR_CHAIN_TYPE_NAT && (chain->hook == FWR_HOOK_INPUT ||
                                                          chain->hook == FWR_HOOK_POSTROUTING)
                      ? 100 : table->priority;
  chain->policy = chain->hook != FWR_HOOK_NONE ? policy : FWR_ACTION_NONE;
  chain->line = line;
  return chain;
}

/* Protocols and ports: iptables' own names, then the usual /etc/protocols and /etc/services
 * ones, built in so that an import reads the same on every machine. */

static const struct {
  const char *name;
  guint number;
} protocols[] = {
  { "all", 0 }, { "ip", 0 }, { "icmp", 1 }, { "igmp", 2 }, { "ggp", 3 }, { "ipencap", 4 },
  { "st", 5 }, { "tcp", 6 }, { "egp", 8 }, { "igp", 9 }, { "pup", 12 }, { "udp", 17 },
  { "hmp", 20 }, { "xns-idp", 22 }, { "rdp", 27 }, { "iso-tp4", 29 }, { "dccp", 33 },
  { "xtp", 36 }, { "ddp", 37 }, { "idpr-cmtp", 38 }, { "ipv6", 41 }, { "ipv6-route", 43 },
  { "ipv6-frag", 44 }, { "idrp", 45 }, { "rsvp", 46 }, { "gre", 47 }, { "esp", 50 },
  { "ah", 51 }, { "skip", 57 }, { "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "ipv6-nonxt", 59 },
  { "ipv6-opts", 60 }, { "rspf", 73 }, { "vmtp", 81 }, { "eigrp", 88 }, { "ospf", 89 },
  { "ax.25", 93 }, { "ipip", 94 }, { "etherip", 97 }, { "encap", 98 }, { "pim", 103 },
  { "ipcomp", 108 }, { "vrrp", 112 }, { "l2tp", 115 }, { "isis", 124 }, { "sctp", 132 },
  { "fc", 133 }, { "mh", 135 }, { "ipv6-mh", 135 }, { "mobility-header", 135 },
  { "udplite", 136 }, { "mpls-in-ip", 137 }, { "manet", 138 }, { "hip", 139 }, { "shim6", 140 },
  { "wesp", 141 }, { "rohc", 142 }, { "ethernet", 143 },
};

static gboolean
parse_uint (const char *text, guint64 max, guint64 *out)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  guint64 value = 0;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (value > max)
        return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
_fwr_ipt_parse_protocol (const char *text, guint *proto, char **why)
{
  guint64 number;
  if (parse_uint (text, 255, &number))
    {
      *proto = (guint) number;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (g_ascii_strcasecmp (protocols[i].name, text) == 0)
      {
        *proto = protocols[i].number;
        return TRUE;
      }
  *why = g_strdup_printf ("unknown protocol “%s”", text);
  return FALSE;
}

static const struct {
  const char *name;
  guint port;
} services[] = {
  { "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
  { "domain", 53 }, { "bootps", 67 }, { "bootpc", 68 }, { "tftp", 69 }, { "http", 80 },
  { "www", 80 }, { "kerberos", 88 }, { "pop3", 110 }, { "sunrpc", 111 }, { "auth", 113 },
  { "ntp", 123 }, { "netbios-ns", 137 }, { "netbios-dgm", 138 }, { "netbios-ssn", 139 },
  { "imap", 143 }, { "imap2", 143 }, { "snmp", 161 }, { "snmp-trap", 162 }, { "bgp", 179 },
  { "ldap", 389 }, { "https", 443 }, { "microsoft-ds", 445 }, { "isakmp", 500 },
  { "exec", 512 }, { "login", 513 }, { "shell", 514 }, { "syslog", 514 }, { "submission", 587 },
  { "ldaps", 636 }, { "rsync", 873 }, { "imaps", 993 }, { "pop3s", 995 }, { "openvpn", 1194 },
  { "ms-sql-s", 1433 }, { "nfs", 2049 }, { "mysql", 3306 }, { "ms-wbt-server", 3389 },
  { "ipsec-nat-t", 4500 }, { "sip", 5060 }, { "xmpp-client", 5222 }, { "postgresql", 5432 },
  { "http-alt", 8080 },
};

gboolean
_fwr_ipt_parse_port (const char *text, guint *port, char **why)
{
  guint64 number;
  if (parse_uint (text, 65535, &number))
    {
      *port = (guint) number;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (g_str_equal (services[i].name, text))
      {
        *port = services[i].port;
        return TRUE;
      }
  *why = g_strdup_printf ("“%s” is not a port (0-65535 or a service name)", text);
  return FALSE;
}

static gboolean
parse_port_range (const char *text, FwrRangeSet *set, char **why)
{
  const char *colon = strchr (text, ':');
  guint lo = 0, hi = 65535;
  if (colon == NULL)
    {
      if (!_fwr_ipt_parse_port (text, &lo, why))
        return FALSE;
      hi = lo;
    }
  else
    {
      g_autofree char *first = g_strndup (text, (gsize) (colon - text));
      if ((*first != '\0' && !_fwr_ipt_parse_port (first, &lo, why)) ||
          (colon[1] != '\0' && !_fwr_ipt_parse_port (colon + 1, &hi, why)))
        return FALSE;
      if (lo > hi)
        {
          *why = g_strdup_printf ("port range “%s” starts above its end", text);
          return FALSE;
        }
    }
  fwr_range_set_add_range (set, lo, hi);
  return TRUE;
}

FwrRangeSet *
_fwr_ipt_parse_ports (const char *text, gboolean list, char **why)
{
  g_autoptr (FwrRangeSet) set = fwr_range_set_new ();
  if (!list)
    return parse_port_range (text, set, why) ? g_steal_pointer (&set) : NULL;

  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!parse_port_range (parts[i], set, why))
      return NULL;
  return g_steal_pointer (&set);
}

/* ICMP */

typedef struct {
  const char *name;
  guint8 type, code_min, code_max;
} IcmpName;

static const IcmpName icmp4_names[] = {
  { "echo-reply", 0, 0, 255 }, { "pong", 0, 0, 255 },
  { "destination-unreachable", 3, 0, 255 }, { "network-unreachable", 3, 0, 0 },
  { "host-unreachable", 3, 1, 1 }, { "protocol-unreachable", 3, 2, 2 },
  { "port-unreachable", 3, 3, 3 }, { "fragmentation-needed", 3, 4, 4 },
  { "source-route-failed", 3, 5, 5 }, { "network-unknown", 3, 6, 6 }, { "host-unknown", 3, 7, 7 },
  { "network-prohibited", 3, 9, 9 }, { "host-prohibited", 3, 10, 10 },
  { "TOS-network-unreachable", 3, 11, 11 }, { "TOS-host-unreachable", 3, 12, 12 },
  { "communication-prohibited", 3, 13, 13 }, { "host-precedence-violation", 3, 14, 14 },
  { "precedence-cutoff", 3, 15, 15 }, { "source-quench", 4, 0, 255 },
  { "redirect", 5, 0, 255 }, { "network-redirect", 5, 0, 0 }, { "host-redirect", 5, 1, 1 },
  { "TOS-network-redirect", 5, 2, 2 }, { "TOS-host-redirect", 5, 3, 3 },
  { "echo-request", 8, 0, 255 }, { "ping", 8, 0, 255 }, { "router-advertisement", 9, 0, 255 },
  { "router-solicitation", 10, 0, 255 }, { "time-exceeded", 11, 0, 255 },
  { "ttl-exceeded", 11, 0, 255 }, { "ttl-zero-during-transit", 11, 0, 0 },
  { "ttl-zero-during-reassembly", 11, 1, 1 }, { "parameter-problem", 12, 0, 255 },
  { "ip-header-bad", 12, 0, 0 }, { "required-option-missing", 12, 1, 1 },
  { "timestamp-request", 13, 0, 255 }, { "timestamp-reply", 14, 0, 255 },
  { "address-mask-request", 17, 0, 255 }, { "address-mask-reply", 18, 0, 255 },
};

static const IcmpName icmp6_names[] = {
  { "destination-unreachable", 1, 0, 255 }, { "no-route", 1, 0, 0 },
  { "communication-prohibited", 1, 1, 1 }, { "beyond-scope", 1, 2, 2 },
  { "address-unreachable", 1, 3, 3 }, { "port-unreachable", 1, 4, 4 },
  { "failed-policy", 1, 5, 5 }, { "reject-route", 1, 6, 6 }, { "packet-too-big", 2, 0, 255 },
  { "time-exceeded", 3, 0, 255 }, { "ttl-exceeded", 3, 0, 255 },
  { "ttl-zero-during-transit", 3, 0, 0 }, { "ttl-zero-during-reassembly", 3, 1, 1 },
  { "parameter-problem", 4, 0, 255 }, { "bad-header", 4, 0, 0 },
  { "unknown-header-type", 4, 1, 1 }, { "unknown-option", 4, 2, 2 },
  { "echo-request", 128, 0, 255 }, { "ping", 128, 0, 255 }, { "echo-reply", 129, 0, 255 },
  { "pong", 129, 0, 255 }, { "router-solicitation", 133, 0, 255 },
  { "router-advertisement", 134, 0, 255 }, { "neighbour-solicitation", 135, 0, 255 },
  { "neighbor-solicitation", 135, 0, 255 }, { "neighbour-advertisement", 136, 0, 255 },
  { "neighbor-advertisement", 136, 0, 255 }, { "redirect", 137, 0, 255 },
};

gboolean
_fwr_ipt_parse_icmp_type (const char *text, gboolean v6, FwrRangeSet **out, char **why)
{
  *out = NULL;
  /* xt_icmp treats type 255 as "any type"; ip6t_icmp6 has no such value. */
  if (!v6 && g_ascii_strcasecmp (text, "any") == 0)
    return TRUE;

  const IcmpName *names = v6 ? icmp6_names : icmp4_names;
  guint n = v6 ? G_N_ELEMENTS (icmp6_names) : G_N_ELEMENTS (icmp4_names);
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (names[i].name, text) == 0)
      {
        *out = fwr_range_set_new_range ((guint32) names[i].type << 8 | names[i].code_min,
                                        (guint32) names[i].type << 8 | names[i].code_max);
        return TRUE;
      }

  const char *slash = strchr (text, '/');
  g_autofree char *type_text = slash ? g_strndup (text, (gsize) (slash - text)) : g_strdup (text);
  guint64 type, code = 0;
  if (!parse_uint (type_text, 255, &type) || (slash != NULL && !parse_uint (slash + 1, 255, &code)))
    {
      *why = g_strdup_printf ("“%s” is not an %s type (a name, N or N/CODE, each 0-255)", text,
                              v6 ? "ICMPv6" : "ICMP");
      return FALSE;
    }
  if (!v6 && type == 255)
    return TRUE;
  *out = slash ? fwr_range_set_new_range ((guint32) (type << 8 | code), (guint32) (type << 8 | code))
               : fwr_range_set_new_range ((guint32) type << 8, (guint32) type << 8 | 255);
  return TRUE;
}

/* Conntrack */

gboolean
_fwr_ipt_parse_ct_states (const char *text, guint *mask, gboolean *virtual, char **why)
{
  static const struct {
    const char *name;
    guint bit;
  } states[] = {
    { "NEW", FWR_CT_NEW }, { "ESTABLISHED", FWR_CT_ESTABLISHED }, { "RELATED", FWR_CT_RELATED },
    { "INVALID", FWR_CT_INVALID }, { "UNTRACKED", FWR_CT_UNTRACKED }, { "SNAT", 0 }, { "DNAT", 0 },
  };
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  *mask = 0;
  *virtual = FALSE;
  if (parts[0] == NULL)
    {
      *why = g_strdup ("empty list of conntrack states");
      return FALSE;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint s = 0;
      while (s < G_N_ELEMENTS (states) && g_ascii_strcasecmp (states[s].name, parts[i]) != 0)
        s++;
      if (s == G_N_ELEMENTS (states))
        {
          *why = g_strdup_printf ("unknown conntrack state “%s”", parts[i]);
          return FALSE;
        }
      *mask |= states[s].bit;
      *virtual |= states[s].bit == 0;
    }
  return TRUE;
}

/* Addresses */

static int
family_af (FwrFamilyMask family)
{
  return family == FWR_FAMILY_IPV4 ? AF_INET : AF_INET6;
}

static const char *
family_name (FwrFamilyMask family)
{
  return family == FWR_FAMILY_IPV4 ? "IPv4" : "IPv6";
}

/* A dotted or colon mask as a prefix length; FALSE when its bits are not contiguous. */
static gboolean
mask_prefix_len (const guint8 *mask, guint n_bytes, guint *len)
{
  guint bits = 0;
  gboolean ended = FALSE;
  for (guint i = 0; i < n_bytes; i++)
    for (int b = 7; b >= 0; b--)
      {
        gboolean set = (mask[i] >> b) & 1;
        if (set && ended)
          return FALSE;
        if (set)
          bits++;
        else
          ended = TRUE;
      }
  *len = bits;
  return TRUE;
}

static gboolean
parse_one_address (const char *text, FwrFamilyMask family, guint8 *bytes, char **why)
{
  if (inet_pton (family_af (family), text, bytes) == 1)
    return TRUE;
  guint8 other[16];
  FwrFamilyMask other_family = family == FWR_FAMILY_IPV4 ? FWR_FAMILY_IPV6 : FWR_FAMILY_IPV4;
  if (inet_pton (family_af (other_family), text, other) == 1)
    *why = g_strdup_printf ("“%s” is an %s address in an %s ruleset", text,
                            family_name (other_family), family_name (family));
  else
    *why = g_strdup_printf ("“%s” is not an %s address", text, family_name (family));
  return FALSE;
}

FwrAddrSet *
_fwr_ipt_parse_address (const char *text, FwrFamilyMask family, gboolean range,
                        gboolean *inexact, char **why)
{
  guint max_len = family == FWR_FAMILY_IPV4 ? 32 : 128;
  guint8 lo[16], hi[16];
  g_autoptr (FwrAddrSet) set = fwr_addr_set_new ();
  *inexact = FALSE;

  if (range)
    {
      const char *dash = strchr (text, '-');
      g_autofree char *first = dash ? g_strndup (text, (gsize) (dash - text)) : NULL;
      if (dash == NULL)
        {
          *why = g_strdup_printf ("“%s” is not an address range (FROM-TO)", text);
          return NULL;
        }
      if (!parse_one_address (first, family, lo, why) || !parse_one_address (dash + 1, family, hi, why))
        return NULL;
      if (memcmp (lo, hi, family == FWR_FAMILY_IPV4 ? 4 : 16) > 0)
        {
          *why = g_strdup_printf ("address range “%s” starts above its end", text);
          return NULL;
        }
      fwr_addr_set_add_range (set, family, lo, hi);
      return g_steal_pointer (&set);
    }

  const char *slash = strchr (text, '/');
  g_autofree char *address = slash ? g_strndup (text, (gsize) (slash - text)) : g_strdup (text);
  guint len = max_len;
  if (!parse_one_address (address, family, lo, why))
    return NULL;
  if (slash != NULL)
    {
      guint64 number;
      guint8 mask[16];
      if (parse_uint (slash + 1, max_len, &number))
        len = (guint) number;
      else if (inet_pton (family_af (family), slash + 1, mask) == 1)
        {
          if (!mask_prefix_len (mask, max_len / 8, &len))
            {
              /* A non-contiguous mask is no interval set we keep small: the caller keeps the
               * condition as text. */
              *inexact = TRUE;
              return fwr_addr_set_new_any (family);
            }
        }
      else
        {
          *why = g_strdup_printf ("“%s”: “%s” is not a prefix length (0-%u) or an %s mask", text,
                                  slash + 1, max_len, family_name (family));
          return NULL;
        }
    }
  fwr_addr_set_add_prefix (set, family, lo, len);
  return g_steal_pointer (&set);
}

void
_fwr_ipt_set_interface (FwrNameMatch *names, const char *text, gboolean negate)
{
  gsize len = strlen (text);
  char *pattern = g_strdup (text);
  /* iptables' wildcard is a trailing '+'; the model's is a trailing '*'. */
  if (len > 0 && pattern[len - 1] == '+')
    pattern[len - 1] = '*';
  g_strfreev (names->patterns);
  names->patterns = g_new0 (char *, 2);
  names->patterns[0] = pattern;
  names->negate = negate;
}

/* Conjunctions */

void
_fwr_ipt_narrow_range (FwrRangeSet **slot, FwrRangeSet *set)
{
  if (*slot == NULL)
    *slot = set;
  else
    {
      fwr_range_set_intersect (*slot, set);
      fwr_range_set_free (set);
    }
}

void
_fwr_ipt_narrow_addr (FwrAddrSet **slot, FwrAddrSet *set)
{
  if (*slot == NULL)
    *slot = set;
  else
    {
      fwr_addr_set_intersect (*slot, set);
      fwr_addr_set_free (set);
    }
}

FwrRangeSet *
_fwr_ipt_negate_range (FwrRangeSet *set, guint32 max)
{
  fwr_range_set_complement (set, max);
  return set;
}

gboolean
_fwr_ipt_in_list (const char *name, const char * const *list, guint n)
{
  for (guint k = 0; k < n; k++)
    if (g_str_equal (list[k], name))
      return TRUE;
  return FALSE;
}

void
_fwr_ipt_append_word (GString *out, const char *word)
{
  if (out->len > 0)
    g_string_append_c (out, ' ');
  gboolean plain = *word != '\0';
  for (const char *p = word; *p != '\0' && plain; p++)
    plain = !g_ascii_isspace (*p) && *p != '"' && *p != '\'' && *p != '\\';
  if (plain)
    {
      g_string_append (out, word);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
_fwr_ipt_match_init (FwrIptMatch *m)
{
  _fwr_match_init (&m->match);
  m->either_ports = NULL;
  m->comments = g_ptr_array_new_with_free_func (g_free);
  m->ipsets = g_ptr_array_new_with_free_func (g_free);
}

void
_fwr_ipt_match_clear (FwrIptMatch *m)
{
  _fwr_match_clear (&m->match);
  g_clear_pointer (&m->either_ports, fwr_range_set_free);
  g_clear_pointer (&m->comments, g_ptr_array_unref);
  g_clear_pointer (&m->ipsets, g_ptr_array_unref);
}

void
_fwr_ipt_match_narrow_ct (FwrIptMatch *m, guint mask)
{
  if (m->match.ct_states != 0)
    mask &= m->match.ct_states;
  if (mask == 0)
    {
      /* ct_states 0 means "any": a contradiction has to be said in words. */
      _fwr_match_add_opaque (&m->match, "conntrack states that no packet has (the conditions contradict)");
      return;
    }
  m->match.ct_states = mask == FWR_CT_ALL ? 0 : mask;
}

static void
apply_ipsets (FwrIptMatch *m, FwrRule *rule)
{
  FwrRuleset *ruleset = rule->chain->ruleset;
  for (guint i = 0; i < m->ipsets->len; i++)
    {
      const char *name = g_ptr_array_index (m->ipsets, i);
      g_autofree char *id = g_strdup_printf ("ipset/%s", name);
      FwrObject *object = _fwr_ruleset_lookup_object (ruleset, id);
      if (object == NULL)
        {
          /* ipsets live outside the ruleset; the first rule that names one stands for it. */
          object = _fwr_ruleset_add_object (ruleset, id, NULL, name, rule->chain->family, FWR_OBJECT_SET);
          object->line = rule->line;
        }
      _fwr_rule_add_ref (rule, object);
    }
}

void
_fwr_ipt_match_apply (FwrIptMatch *m, FwrRule *rule)
{
  g_assert (rule->n_terms == 1);
  FwrMatch second;
  gboolean two = m->either_ports != NULL;

  if (two)
    {
      _fwr_match_copy_into (&second, &m->match);
      _fwr_ipt_narrow_range (&m->match.sports, fwr_range_set_copy (m->either_ports));
      _fwr_ipt_narrow_range (&second.dports, fwr_range_set_copy (m->either_ports));
    }
  _fwr_match_clear (&rule->terms[0].match);
  rule->terms[0].match = m->match;
  _fwr_match_init (&m->match);
  if (two)
    {
      FwrTerm *term = _fwr_rule_add_term (rule);
      term->match = second;
    }

  if (m->comments->len > 0)
    {
      g_ptr_array_add (m->comments, NULL);
      g_free (rule->comment);
      rule->comment = g_strjoinv ("; ", (char **) m->comments->pdata);
      g_ptr_array_remove_index (m->comments, m->comments->len - 1);
    }
  apply_ipsets (m, rule);
}

/* Targets */

FwrIptTarget
_fwr_ipt_target_lookup (const char *name)
{
  static const struct {
    const char *name;
    FwrAction action;
    gboolean log, nat_only;
  } targets[] = {
    { "ACCEPT", FWR_ACTION_ACCEPT, FALSE, FALSE }, { "DROP", FWR_ACTION_DROP, FALSE, FALSE },
    { "REJECT", FWR_ACTION_REJECT, FALSE, FALSE }, { "RETURN", FWR_ACTION_RETURN, FALSE, FALSE },
    { "QUEUE", FWR_ACTION_QUEUE, FALSE, FALSE }, { "NFQUEUE", FWR_ACTION_QUEUE, FALSE, FALSE },
    /* xtables-addons' tarpit holds the connection and never lets it through. */
    { "TARPIT", FWR_ACTION_DROP, FALSE, FALSE },
    /* Address translation ends the nat chain; the packet goes on to the filter. */
    { "SNAT", FWR_ACTION_ACCEPT, FALSE, TRUE }, { "DNAT", FWR_ACTION_ACCEPT, FALSE, TRUE },
    { "MASQUERADE", FWR_ACTION_ACCEPT, FALSE, TRUE }, { "REDIRECT", FWR_ACTION_ACCEPT, FALSE, TRUE },
    { "NETMAP", FWR_ACTION_ACCEPT, FALSE, TRUE },
    /* These change or record the packet and let evaluation go on. */
    { "LOG", FWR_ACTION_NONE, TRUE, FALSE }, { "NFLOG", FWR_ACTION_NONE, TRUE, FALSE },
    { "ULOG", FWR_ACTION_NONE, TRUE, FALSE }, { "MARK", FWR_ACTION_NONE, FALSE, FALSE },
    { "CONNMARK", FWR_ACTION_NONE, FALSE, FALSE }, { "TCPMSS", FWR_ACTION_NONE, FALSE, FALSE },
    { "CT", FWR_ACTION_NONE, FALSE, FALSE }, { "NOTRACK", FWR_ACTION_NONE, FALSE, FALSE },
    { "TOS", FWR_ACTION_NONE, FALSE, FALSE }, { "DSCP", FWR_ACTION_NONE, FALSE, FALSE },
    { "TTL", FWR_ACTION_NONE, FALSE, FALSE }, { "HL", FWR_ACTION_NONE, FALSE, FALSE },
    { "ECN", FWR_ACTION_NONE, FALSE, FALSE }, { "CLASSIFY", FWR_ACTION_NONE, FALSE, FALSE },
    { "SECMARK", FWR_ACTION_NONE, FALSE, FALSE }, { "CONNSECMARK", FWR_ACTION_NONE, FALSE, FALSE },
    { "CHECKSUM", FWR_ACTION_NONE, FALSE, FALSE }, { "TEE", FWR_ACTION_NONE, FALSE, FALSE },
    { "AUDIT", FWR_ACTION_NONE, FALSE, FALSE }, { "IDLETIMER", FWR_ACTION_NONE, FALSE, FALSE },
    { "LED", FWR_ACTION_NONE, FALSE, FALSE }, { "RATEEST", FWR_ACTION_NONE, FALSE, FALSE },
    { "SET", FWR_ACTION_NONE, FALSE, FALSE }, { "TRACE", FWR_ACTION_NONE, FALSE, FALSE },
    { "HMARK", FWR_ACTION_NONE, FALSE, FALSE }, { "TCPOPTSTRIP", FWR_ACTION_NONE, FALSE, FALSE },
    { "CLUSTERIP", FWR_ACTION_NONE, FALSE, FALSE }, { "CONNLABEL", FWR_ACTION_NONE, FALSE, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_str_equal (targets[i].name, name))
      return (FwrIptTarget) { targets[i].action, targets[i].log, TRUE, targets[i].nat_only };
  return (FwrIptTarget) { FWR_ACTION_NONE, FALSE, FALSE, FALSE };
}

/* Lines */

void
_fwr_ipt_lines_init (FwrIptLines *lines, const char *file, const char *data, gsize length)
{
  lines->file = file;
  lines->data = data;
  lines->length = length;
  lines->pos = 0;
  lines->number = 0;
  /* A byte order mark is no part of the first line. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    lines->pos = 3;
}

FwrIptLineResult
_fwr_ipt_lines_next (FwrIptLines *lines, FwrRuleset *ruleset, char **line, GError **error)
{
  if (lines->pos >= lines->length)
    return FWR_IPT_LINE_END;
  const char *start = lines->data + lines->pos;
  gsize rest = lines->length - lines->pos;
  const char *eol = memchr (start, '\n', rest);
  gsize n = eol ? (gsize) (eol - start) : rest;
  lines->pos += eol ? n + 1 : n;
  lines->number++;
  if (n > 0 && start[n - 1] == '\r')
    n--;

  const char *nul = memchr (start, '\0', n);
  if (nul != NULL)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, lines->file, lines->number,
                             (guint) (nul - start) + 1, "NUL byte: this is not a text export");
      return FWR_IPT_LINE_ERROR;
    }
  if (!g_utf8_validate (start, (gssize) n, NULL))
    {
      *line = g_utf8_make_valid (start, (gssize) n);
      _fwr_ruleset_add_warning (ruleset, lines->number, 1,
                                "the line is not valid UTF-8; invalid bytes are shown as U+FFFD");
    }
  else
    *line = g_strndup (start, n);
  return FWR_IPT_LINE;
}

/* Detection */

static gboolean
is_counter_pair (const char *p, const char *end)
{
  /* "[123:456]" */
  if (p >= end || *p++ != '[')
    return FALSE;
  const char *digits = p;
  while (p < end && g_ascii_isdigit (*p))
    p++;
  if (p == digits || p >= end || *p++ != ':')
    return FALSE;
  digits = p;
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p > digits && p < end && *p == ']';
}

FwrFormat
_fwr_ipt_detect (const char *data, gsize length)
{
  const char *end = data + MIN (length, 4096);
  const char *line = data;
  while (line < end)
    {
      const char *eol = memchr (line, '\n', (gsize) (end - line));
      if (eol == NULL)
        eol = end;
      gsize n = (gsize) (eol - line);
      if (n > 0 && line[0] == '#')
        {
          /* "# Generated by iptables-save", "ip6tables-nft-save", "iptables-legacy-save". */
          if (n >= 14 && strncmp (line, "# Generated by", 14) == 0 &&
              g_strstr_len (line, (gssize) n, "tables") != NULL && g_strstr_len (line, (gssize) n, "-save") != NULL)
            return FWR_FORMAT_IPTABLES_SAVE;
        }
      else if (n > 0 && !g_ascii_isspace (line[0]))
        {
          if ((line[0] == '*' && n > 1 && g_ascii_isalpha (line[1])) ||
              (line[0] == ':' && n > 1 && !g_ascii_isspace (line[1])) ||
              (n > 3 && strncmp (line, "-A ", 3) == 0) || is_counter_pair (line, eol))
            return FWR_FORMAT_IPTABLES_SAVE;
          if (n > 6 && strncmp (line, "Chain ", 6) == 0 &&
              (g_strstr_len (line, (gssize) n, "(policy ") != NULL ||
               g_strstr_len (line, (gssize) n, " references)") != NULL))
            return FWR_FORMAT_IPTABLES_LIST;
          return FWR_FORMAT_UNKNOWN;
        }
      line = eol + 1;
    }
  return FWR_FORMAT_UNKNOWN;
}
