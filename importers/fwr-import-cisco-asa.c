/* fwr-import-cisco-asa.c: reads a Cisco ASA running-config (names, objects, object groups,
 * access lists and the access-group bindings that make them policy) and `show access-list` hits.
 *
 * How the ASA is expressed so that the engine evaluates it as the ASA does:
 * - every access list is a regular chain named after it, its entries as rules with ids
 *   "<acl>/<line>" where line counts every entry, remarks included (as `show access-list` does),
 *   closed by "<acl>/implicit-deny" -- unless its last entry already decides every packet, or it
 *   is an interface access list while a global one exists (the ASA then sends what it leaves
 *   undecided on to the global list);
 * - base chain "access-group in" (forward, filter, policy drop): one rule per inbound binding,
 *   `from-zone <nameif> jump <acl>`, then, without a global list, the security-level permits of
 *   interfaces without an inbound list, then `jump <global acl>`; the policy is the final deny;
 * - base chain "access-group out" at a later priority for outbound bindings, type route: it can
 *   only drop what the inbound side already let through, so its accepts are no openings. */
#include "fwr-import-private.h"
#include "fwr-addrset-private.h"

#define ASA_TABLE_DEFAULT "asa"
#define IN_CHAIN "access-group in"
#define OUT_CHAIN "access-group out"

/* Tables: the names the ASA accepts for protocols, ports and ICMP types */

typedef struct {
  const char *name;
  guint value;
} NamedValue;

static const NamedValue protocol_names[] = {
  { "ah", 51 }, { "eigrp", 88 }, { "esp", 50 }, { "gre", 47 }, { "icmp", 1 }, { "icmp6", 58 },
  { "igmp", 2 }, { "igrp", 9 }, { "ipinip", 4 }, { "ipsec", 50 }, { "nos", 94 }, { "ospf", 89 },
  { "pcp", 108 }, { "pim", 103 }, { "pptp", 47 }, { "sctp", 132 }, { "snp", 109 }, { "tcp", 6 },
  { "udp", 17 },
};

/* The literal port names of the ASA configuration guide ("TCP and UDP Ports"); the ASA turns
 * them into these numbers whatever the protocol, and prints 80 as "www". */
static const NamedValue port_names[] = {
  { "aol", 5190 }, { "bgp", 179 }, { "biff", 512 }, { "bootpc", 68 }, { "bootps", 67 },
  { "chargen", 19 }, { "cifs", 3020 }, { "citrix-ica", 1494 }, { "cmd", 514 },
  { "ctiqbe", 2748 }, { "daytime", 13 }, { "discard", 9 }, { "dnsix", 195 }, { "domain", 53 },
  { "echo", 7 }, { "exec", 512 }, { "finger", 79 }, { "ftp", 21 }, { "ftp-data", 20 },
  { "gopher", 70 }, { "h323", 1720 }, { "hostname", 101 }, { "http", 80 }, { "https", 443 },
  { "ident", 113 }, { "imap4", 143 }, { "irc", 194 }, { "isakmp", 500 }, { "kerberos", 750 },
  { "klogin", 543 }, { "kshell", 544 }, { "ldap", 389 }, { "ldaps", 636 }, { "login", 513 },
  { "lotusnotes", 1352 }, { "lpd", 515 }, { "mobile-ip", 434 }, { "nameserver", 42 },
  { "netbios-dgm", 138 }, { "netbios-ns", 137 }, { "netbios-ssn", 139 }, { "nfs", 2049 },
  { "nntp", 119 }, { "ntp", 123 }, { "pcanywhere-data", 5631 }, { "pcanywhere-status", 5632 },
  { "pim-auto-rp", 496 }, { "pop2", 109 }, { "pop3", 110 }, { "pptp", 1723 },
  { "radius", 1645 }, { "radius-acct", 1646 }, { "rip", 520 }, { "rsh", 514 }, { "rtsp", 554 },
  { "secureid-udp", 5510 }, { "sip", 5060 }, { "smtp", 25 }, { "snmp", 161 },
  { "snmptrap", 162 }, { "sqlnet", 1521 }, { "ssh", 22 }, { "sunrpc", 111 }, { "syslog", 514 },
  { "tacacs", 49 }, { "talk", 517 }, { "telnet", 23 }, { "tftp", 69 }, { "time", 37 },
  { "uucp", 540 }, { "vxlan", 4789 }, { "who", 513 }, { "whois", 43 }, { "www", 80 },
  { "xdmcp", 177 },
};

static const NamedValue icmp4_types[] = {
  { "echo-reply", 0 }, { "unreachable", 3 }, { "source-quench", 4 }, { "redirect", 5 },
  { "alternate-address", 6 }, { "echo", 8 }, { "router-advertisement", 9 },
  { "router-solicitation", 10 }, { "time-exceeded", 11 }, { "parameter-problem", 12 },
  { "timestamp-request", 13 }, { "timestamp-reply", 14 }, { "information-request", 15 },
  { "information-reply", 16 }, { "mask-request", 17 }, { "mask-reply", 18 },
  { "traceroute", 30 }, { "conversion-error", 31 }, { "mobile-redirect", 32 },
};

static const NamedValue icmp6_types[] = {
  { "unreachable", 1 }, { "packet-too-big", 2 }, { "time-exceeded", 3 },
  { "parameter-problem", 4 }, { "echo", 128 }, { "echo-reply", 129 },
  { "membership-query", 130 }, { "membership-report", 131 }, { "membership-reduction", 132 },
  { "router-solicitation", 133 }, { "router-advertisement", 134 },
  { "neighbor-solicitation", 135 }, { "neighbor-advertisement", 136 },
  { "neighbor-redirect", 137 }, { "router-renumbering", 138 },
};

static const char *log_levels[] = {
  "emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational",
  "debugging",
};

static gboolean
lookup_named (const NamedValue *table, guint n, const char *name, guint *value)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (table[i].name, name) == 0)
      {
        *value = table[i].value;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_number (const char *text, guint max, guint *value)
{
  guint64 v;
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &v, NULL))
    return FALSE;
  *value = (guint) v;
  return TRUE;
}

static gboolean
parse_protocol (const char *text, guint *value)
{
  return parse_number (text, 255, value) ||
         lookup_named (protocol_names, G_N_ELEMENTS (protocol_names), text, value);
}

static gboolean
parse_port (const char *text, guint *value)
{
  return parse_number (text, 65535, value) ||
         lookup_named (port_names, G_N_ELEMENTS (port_names), text, value);
}

/* An ICMP type by number or by its name in the family of proto (1 or 58). */
static gboolean
parse_icmp_type (const char *text, guint proto, guint *value)
{
  if (parse_number (text, 255, value))
    return TRUE;
  if (proto == 58)
    return lookup_named (icmp6_types, G_N_ELEMENTS (icmp6_types), text, value);
  return lookup_named (icmp4_types, G_N_ELEMENTS (icmp4_types), text, value);
}

static gboolean
is_icmp_type_name (const char *text)
{
  guint value;
  return lookup_named (icmp4_types, G_N_ELEMENTS (icmp4_types), text, &value) ||
         lookup_named (icmp6_types, G_N_ELEMENTS (icmp6_types), text, &value);
}

static gboolean
is_port_operator (const char *text)
{
  return text != NULL && (g_str_equal (text, "eq") || g_str_equal (text, "lt") ||
                          g_str_equal (text, "gt") || g_str_equal (text, "neq") ||
                          g_str_equal (text, "range"));
}

static gboolean
is_log_level (const char *text)
{
  guint level;
  if (parse_number (text, 7, &level))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (log_levels); i++)
    if (g_str_equal (text, log_levels[i]))
      return TRUE;
  return FALSE;
}

/* Lines and tokens */

typedef struct {
  char *text;
  guint column;   /* 1-based, in bytes */
  guint offset;   /* byte offset of the token in the line */
} Token;

typedef struct {
  guint number;   /* 1-based line in the file */
  char *raw;      /* the whole line, valid UTF-8, without the line end */
  Token *tokens;
  guint n;
  gboolean indented;
} Line;

static void
line_free (Line *line)
{
  for (guint i = 0; i < line->n; i++)
    g_free (line->tokens[i].text);
  g_free (line->tokens);
  g_free (line->raw);
  g_free (line);
}

/* Splits at blanks. A token starting with "!" ends the command: ASA comments run to the end of
 * the line (remark and description text is taken from the raw line, not from tokens). */
static Line *
line_new (guint number, const char *text, gsize length)
{
  Line *line = g_new0 (Line, 1);
  line->number = number;
  line->raw = g_utf8_make_valid (text, length);
  line->indented = line->raw[0] == ' ' || line->raw[0] == '\t';

  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  const char *s = line->raw;
  while (*s != '\0')
    {
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '\0' || *s == '!')
        break;
      const char *start = s;
      while (*s != '\0' && *s != ' ' && *s != '\t')
        s++;
      Token token = { g_strndup (start, s - start), (guint) (start - line->raw) + 1,
                      (guint) (start - line->raw) };
      g_array_append_val (tokens, token);
    }
  line->n = tokens->len;
  line->tokens = (Token *) g_array_free (tokens, FALSE);
  return line;
}

static const char *
line_token (const Line *line, guint i)
{
  return i < line->n ? line->tokens[i].text : NULL;
}

static gboolean
line_is (const Line *line, guint i, const char *word)
{
  return i < line->n && g_str_equal (line->tokens[i].text, word);
}

/* The raw text from token i to the end of the line, trimmed; "" when there is none. */
static char *
line_dup_rest (const Line *line, guint i)
{
  if (i >= line->n)
    return g_strdup ("");
  return g_strstrip (g_strdup (line->raw + line->tokens[i].offset));
}

/* Where the line ends, for errors about what is missing there. */
static guint
line_end_column (const Line *line)
{
  return (guint) strlen (line->raw) + 1;
}

/* An ordered list without repeats: nested groups reach the same member along many paths, and
 * without this a few levels of such diamonds would grow the lists exponentially. */
typedef struct {
  GPtrArray *items;
  GHashTable *seen;
  gboolean owns;            /* the items are strings the list copied */
} UniqueList;

static void
unique_list_init (UniqueList *list, gboolean texts)
{
  list->owns = texts;
  list->items = g_ptr_array_new_with_free_func (texts ? g_free : NULL);
  list->seen = texts ? g_hash_table_new (g_str_hash, g_str_equal) : g_hash_table_new (NULL, NULL);
}

static void
unique_list_clear (UniqueList *list)
{
  g_clear_pointer (&list->seen, g_hash_table_unref);
  g_clear_pointer (&list->items, g_ptr_array_unref);
}

static void
unique_list_add (UniqueList *list, gconstpointer item)
{
  if (g_hash_table_contains (list->seen, item))
    return;
  gpointer kept = list->owns ? g_strdup (item) : (gpointer) item;
  g_ptr_array_add (list->items, kept);
  g_hash_table_add (list->seen, kept);
}

static void
unique_list_extend (UniqueList *into, const UniqueList *from)
{
  for (guint i = 0; i < from->items->len; i++)
    unique_list_add (into, g_ptr_array_index (from->items, i));
}

static char *
join_texts (GPtrArray *texts)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < texts->len; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (texts, i));
  return g_string_free (out, FALSE);
}

/* Values: what an address or service operand stands for. Members we cannot resolve (an FQDN,
 * an undefined name) are kept apart as "unknown": a rule using them becomes one exact term plus
 * one opaque term, so nothing is claimed that the configuration does not say. */

typedef struct {
  FwrAddrSet *exact;
  FwrFamilyMask unknown;      /* families the unknown members may belong to */
  UniqueList unknown_texts;   /* (element-type utf8) what they are */
  UniqueList objects;         /* (element-type FwrObject) used, transitively */
} NetValue;

static void
net_value_init (NetValue *value)
{
  value->exact = fwr_addr_set_new ();
  value->unknown = 0;
  unique_list_init (&value->unknown_texts, TRUE);
  unique_list_init (&value->objects, FALSE);
}

static void
net_value_clear (NetValue *value)
{
  g_clear_pointer (&value->exact, fwr_addr_set_free);
  unique_list_clear (&value->unknown_texts);
  unique_list_clear (&value->objects);
}

static void
net_value_merge (NetValue *into, const NetValue *from)
{
  fwr_addr_set_union (into->exact, from->exact);
  into->unknown |= from->unknown;
  unique_list_extend (&into->unknown_texts, &from->unknown_texts);
  unique_list_extend (&into->objects, &from->objects);
}

static void
net_value_add_unknown (NetValue *value, FwrFamilyMask families, const char *text)
{
  value->unknown |= families;
  unique_list_add (&value->unknown_texts, text);
}

/* One alternative of what a service operand matches; NULL sets match anything. */
typedef struct {
  FwrRangeSet *protos;
  FwrRangeSet *sports;
  FwrRangeSet *dports;
  FwrRangeSet *icmp;
  char *opaque;
} Service;

static Service *
service_new (FwrRangeSet *protos)
{
  Service *service = g_new0 (Service, 1);
  service->protos = protos;
  return service;
}

static Service *
service_new_proto (guint proto)
{
  return service_new (fwr_range_set_new_range (proto, proto));
}

static Service *
service_new_opaque (const char *text)
{
  Service *service = service_new (NULL);
  service->opaque = g_strdup (text);
  return service;
}

static void
service_free (Service *service)
{
  fwr_range_set_free (service->protos);
  fwr_range_set_free (service->sports);
  fwr_range_set_free (service->dports);
  fwr_range_set_free (service->icmp);
  g_free (service->opaque);
  g_free (service);
}

#define COPY_RANGE(s) ((s) ? fwr_range_set_copy (s) : NULL)

static Service *
service_copy (const Service *service)
{
  Service *copy = g_new0 (Service, 1);
  copy->protos = COPY_RANGE (service->protos);
  copy->sports = COPY_RANGE (service->sports);
  copy->dports = COPY_RANGE (service->dports);
  copy->icmp = COPY_RANGE (service->icmp);
  copy->opaque = g_strdup (service->opaque);
  return copy;
}

typedef struct {
  GPtrArray *services;   /* (element-type Service) without repeats */
  UniqueList objects;    /* (element-type FwrObject) */
} ServiceValue;

static void
service_value_init (ServiceValue *value)
{
  value->services = g_ptr_array_new_with_free_func ((GDestroyNotify) service_free);
  unique_list_init (&value->objects, FALSE);
}

static void
service_value_clear (ServiceValue *value)
{
  g_clear_pointer (&value->services, g_ptr_array_unref);
  unique_list_clear (&value->objects);
}

static gboolean
range_equal (const FwrRangeSet *a, const FwrRangeSet *b)
{
  return a == NULL || b == NULL ? a == b : fwr_range_set_equal (a, b);
}

static gboolean
service_equal (const Service *a, const Service *b)
{
  return range_equal (a->protos, b->protos) && range_equal (a->sports, b->sports) &&
         range_equal (a->dports, b->dports) && range_equal (a->icmp, b->icmp) &&
         g_strcmp0 (a->opaque, b->opaque) == 0;
}

/* Adds a copy of service unless an equal one is there. */
static void
services_add_unique (GPtrArray *services, const Service *service)
{
  for (guint i = 0; i < services->len; i++)
    if (service_equal (g_ptr_array_index (services, i), service))
      return;
  g_ptr_array_add (services, service_copy (service));
}

static void
service_value_merge (ServiceValue *into, const ServiceValue *from)
{
  for (guint i = 0; i < from->services->len; i++)
    services_add_unique (into->services, g_ptr_array_index (from->services, i));
  unique_list_extend (&into->objects, &from->objects);
}

/* A set of small numbers (ports, protocols, ICMP type/code pairs) with unknown members apart. */
typedef struct {
  FwrRangeSet *exact;
  UniqueList unknown_texts;
  UniqueList objects;
} RangeValue;

static void
range_value_init (RangeValue *value)
{
  value->exact = fwr_range_set_new ();
  unique_list_init (&value->unknown_texts, TRUE);
  unique_list_init (&value->objects, FALSE);
}

static void
range_value_clear (RangeValue *value)
{
  g_clear_pointer (&value->exact, fwr_range_set_free);
  unique_list_clear (&value->unknown_texts);
  unique_list_clear (&value->objects);
}

static void
range_value_merge (RangeValue *into, const RangeValue *from)
{
  fwr_range_set_union (into->exact, from->exact);
  unique_list_extend (&into->unknown_texts, &from->unknown_texts);
  unique_list_extend (&into->objects, &from->objects);
}

/* Named things */

typedef struct {
  char *name;
  FwrObject *object;
  FwrAddrSet *address;
} NameEntry;

typedef struct {
  char *name;
  FwrObject *object;
  Line *definition;     /* (nullable) the host/subnet/range/fqdn line */
  gboolean resolved;
  NetValue value;
} NetObject;

typedef struct {
  char *name;
  FwrObject *object;
  Line *definition;     /* (nullable) the service line */
  gboolean resolved;
  ServiceValue value;
} SvcObject;

typedef enum {
  GROUP_NETWORK,
  GROUP_SERVICE,
  GROUP_PROTOCOL,
  GROUP_ICMP,
  GROUP_USER,
  GROUP_SECURITY,
} GroupKind;

static const char *group_kind_names[] = { "network", "service", "protocol", "icmp-type", "user",
                                          "security" };

typedef struct {
  char *name;
  FwrObject *object;
  GroupKind kind;
  guint line;
  char *port_proto;       /* "tcp", "udp" or "tcp-udp" for a port group, else NULL */
  GPtrArray *members;     /* (element-type Line) borrowed */
  gboolean is_port_group; /* a service group of port-object members */
  gboolean done;          /* the value of its kind below is resolved */
  NetValue net;           /* GROUP_NETWORK */
  ServiceValue services;  /* GROUP_SERVICE, not a port group */
  RangeValue numbers;     /* ports of a port group, protocols, or ICMP types as ICMPv4 */
  gboolean icmp6_done;
  RangeValue icmp6;       /* ICMP types as ICMPv6 */
} Group;

typedef struct {
  char *nameif;
  guint line;
  int level;              /* -1 until security-level is read */
  FwrAddrSet *addresses;  /* the interface's own addresses */
  gboolean dynamic;       /* an address that only the running box knows (dhcp, pppoe) */
} Iface;

typedef struct {
  Line *line;
  char *remark;           /* (nullable) the text of a remark entry */
} Entry;

typedef struct {
  char *name;
  GPtrArray *entries;     /* (element-type Entry) in ASA order */
  char *type;             /* "extended", "standard", "webtype", "ethertype", ... */
  guint first_line;
  gboolean modelled;      /* extended or standard: the types the model expresses */
  gboolean warned_type;
  FwrChain *chain;
} Acl;

typedef struct {
  char *acl;
  char *nameif;           /* NULL for global */
  gboolean out;
  Line *line;
} Binding;

typedef struct {
  guint line;
  guint column;
  char *text;
} Warning;

typedef enum {
  BLOCK_NONE,
  BLOCK_INTERFACE,
  BLOCK_NET_OBJECT,
  BLOCK_SVC_OBJECT,
  BLOCK_GROUP,
  BLOCK_OTHER,
} BlockKind;

typedef struct {
  const char *file;
  FwrRuleset *ruleset;
  GError *error;
  GArray *warnings;           /* Warning */
  GPtrArray *lines;           /* (element-type Line) owned: blocks and entries borrow them */
  char *table;
  GHashTable *names;          /* name -> NameEntry */
  GHashTable *net_objects;    /* name -> NetObject */
  GPtrArray *net_object_order;
  GHashTable *svc_objects;    /* name -> SvcObject */
  GPtrArray *svc_object_order;
  GHashTable *groups;         /* name -> Group */
  GPtrArray *group_order;
  GHashTable *time_ranges;    /* name -> FwrObject */
  GHashTable *ifaces;         /* nameif -> Iface */
  GPtrArray *iface_order;
  GHashTable *acls;           /* name -> Acl */
  GPtrArray *acl_order;
  GPtrArray *bindings;        /* (element-type Binding) */
  GPtrArray *nat_lines;       /* (element-type Line) borrowed */
  GHashTable *nat_owners;     /* Line -> the NetObject whose block holds that nat line */
  gboolean inter_interface;
  gboolean intra_interface;
  gboolean saw_interfaces;
  guint quiet;                /* > 0 while re-reading what already gave its warnings */
  FwrFamilyMask any_families; /* what "any" means: IPv4 only before ASA 9.0 */
  BlockKind block;
  gpointer block_data;
  Iface *block_iface;         /* owned until the interface block ends */
} Parser;

static void
parser_warn (Parser *p, guint line, guint column, const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
parser_warn (Parser *p, guint line, guint column, const char *format, ...)
{
  if (p->quiet > 0)
    return;
  va_list args;
  va_start (args, format);
  Warning warning = { line, column, g_strdup_vprintf (format, args) };
  va_end (args);
  g_array_append_val (p->warnings, warning);
}

static gboolean
parser_fail (Parser *p, guint line, guint column, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
parser_fail (Parser *p, guint line, guint column, const char *format, ...)
{
  if (p->error != NULL)
    return FALSE;
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  _fwr_import_set_error (&p->error, FWR_IMPORT_ERROR_MALFORMED, p->file, line, column, "%s", text);
  return FALSE;
}

static gboolean
fail_at (Parser *p, const Line *line, guint index, const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Fails at token index of line, or at the line's end when the token is missing. */
static gboolean
fail_at (Parser *p, const Line *line, guint index, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  guint column = index < line->n ? line->tokens[index].column : line_end_column (line);
  return parser_fail (p, line->number, column, "%s", text);
}

static guint
column_of (const Line *line, guint index)
{
  return index < line->n ? line->tokens[index].column : line_end_column (line);
}

/* The parser's tables */

static void
name_entry_free (NameEntry *entry)
{
  g_free (entry->name);
  fwr_addr_set_free (entry->address);
  g_free (entry);
}

static void
net_object_free (NetObject *object)
{
  g_free (object->name);
  if (object->resolved)
    net_value_clear (&object->value);
  g_free (object);
}

static void
svc_object_free (SvcObject *object)
{
  g_free (object->name);
  if (object->resolved)
    service_value_clear (&object->value);
  g_free (object);
}

static void
group_free (Group *group)
{
  g_free (group->name);
  g_free (group->port_proto);
  g_ptr_array_unref (group->members);
  if (group->done && group->kind == GROUP_NETWORK)
    net_value_clear (&group->net);
  else if (group->done && group->kind == GROUP_SERVICE && !group->is_port_group)
    service_value_clear (&group->services);
  else if (group->done)
    range_value_clear (&group->numbers);
  if (group->icmp6_done)
    range_value_clear (&group->icmp6);
  g_free (group);
}

static void
iface_free (Iface *iface)
{
  g_free (iface->nameif);
  fwr_addr_set_free (iface->addresses);
  g_free (iface);
}

static void
entry_free (Entry *entry)
{
  g_free (entry->remark);
  g_free (entry);
}

static void
acl_free (Acl *acl)
{
  g_free (acl->name);
  g_free (acl->type);
  g_ptr_array_unref (acl->entries);
  g_free (acl);
}

static void
binding_free (Binding *binding)
{
  g_free (binding->acl);
  g_free (binding->nameif);
  g_free (binding);
}

static void
warning_clear (Warning *warning)
{
  g_free (warning->text);
}

static Parser *
parser_new (const char *file)
{
  Parser *p = g_new0 (Parser, 1);
  p->file = file;
  p->ruleset = _fwr_ruleset_new ("cisco-asa", file);
  p->warnings = g_array_new (FALSE, FALSE, sizeof (Warning));
  g_array_set_clear_func (p->warnings, (GDestroyNotify) warning_clear);
  p->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  p->table = g_strdup (ASA_TABLE_DEFAULT);
  p->any_families = FWR_FAMILY_ANY;
  p->names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) name_entry_free);
  p->net_objects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) net_object_free);
  p->net_object_order = g_ptr_array_new ();
  p->svc_objects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) svc_object_free);
  p->svc_object_order = g_ptr_array_new ();
  p->groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) group_free);
  p->group_order = g_ptr_array_new ();
  p->time_ranges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p->ifaces = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) iface_free);
  p->iface_order = g_ptr_array_new ();
  p->acls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) acl_free);
  p->acl_order = g_ptr_array_new ();
  p->bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);
  p->nat_lines = g_ptr_array_new ();
  p->nat_owners = g_hash_table_new (NULL, NULL);
  return p;
}

static void
parser_free (Parser *p)
{
  g_clear_pointer (&p->ruleset, fwr_ruleset_unref);
  g_clear_error (&p->error);
  g_array_unref (p->warnings);
  g_ptr_array_unref (p->net_object_order);
  g_ptr_array_unref (p->svc_object_order);
  g_ptr_array_unref (p->group_order);
  g_ptr_array_unref (p->iface_order);
  g_ptr_array_unref (p->acl_order);
  g_hash_table_unref (p->names);
  g_hash_table_unref (p->net_objects);
  g_hash_table_unref (p->svc_objects);
  g_hash_table_unref (p->groups);
  g_hash_table_unref (p->time_ranges);
  g_hash_table_unref (p->ifaces);
  g_hash_table_unref (p->acls);
  g_ptr_array_unref (p->bindings);
  g_ptr_array_unref (p->nat_lines);
  g_hash_table_unref (p->nat_owners);
  g_clear_pointer (&p->block_iface, iface_free);
  g_ptr_array_unref (p->lines);
  g_free (p->table);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parser, parser_free)

static FwrObject *
add_object (Parser *p, const char *id_prefix, const char *name, FwrObjectKind kind, guint line)
{
  g_autofree char *id = g_strdup_printf ("%s %s", id_prefix, name);
  FwrObject *object = _fwr_ruleset_add_object (p->ruleset, id, p->table, name,
                                               FWR_TABLE_FAMILY_INET, kind);
  object->line = line;
  return object;
}

/* Literal addresses */

static gboolean
parse_ipv4 (const char *text, guint32 *value)
{
  FwrFamilyMask family;
  fwr_u128 v;
  if (!_fwr_addr_parse_one (text, &family, &v) || family != FWR_FAMILY_IPV4)
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}

/* The prefix length of a dotted mask; FALSE when its ones are not contiguous. */
static gboolean
mask_to_prefix (guint32 mask, guint *prefix)
{
  guint32 inverted = ~mask;
  if ((inverted & (inverted + 1)) != 0)
    return FALSE;
  *prefix = 32 - (guint) __builtin_popcount (inverted);
  return TRUE;
}

static FwrAddrSet *
addr_set_new_one (FwrFamilyMask family, fwr_u128 lo, fwr_u128 hi)
{
  FwrAddrSet *set = fwr_addr_set_new ();
  _fwr_spans_add (family == FWR_FAMILY_IPV4 ? &set->v4 : &set->v6, lo, hi);
  return set;
}

/* "2001:db8::/32" (or an IPv4 prefix, which the ASA prints for some objects). */
static FwrAddrSet *
parse_prefix (const char *text)
{
  const char *slash = strchr (text, '/');
  if (slash == NULL)
    return NULL;
  g_autofree char *addr = g_strndup (text, slash - text);
  FwrFamilyMask family;
  fwr_u128 value, lo, hi;
  guint len;
  if (!_fwr_addr_parse_one (addr, &family, &value) ||
      !parse_number (slash + 1, family == FWR_FAMILY_IPV4 ? 32 : 128, &len))
    return NULL;
  _fwr_prefix_bounds (family, value, len, &lo, &hi);
  return addr_set_new_one (family, lo, hi);
}

/* Digits and dots, or hex digits and colons: meant as an address, not a name. */
static gboolean
looks_like_address (const char *text)
{
  if (strchr (text, ':') != NULL)
    return strspn (text, "0123456789abcdefABCDEF:./%") == strlen (text);
  return strspn (text, "0123456789.") == strlen (text);
}

/* Hostname and names */

static gboolean
read_name (Parser *p, Line *line)
{
  if (line->n < 3)
    return fail_at (p, line, line->n, "“name” needs an address and a name");
  FwrFamilyMask family;
  fwr_u128 value;
  if (!_fwr_addr_parse_one (line->tokens[1].text, &family, &value))
    return fail_at (p, line, 1, "“%s” is not an IPv4 or IPv6 address", line->tokens[1].text);
  const char *name = line->tokens[2].text;
  if (g_hash_table_contains (p->names, name))
    {
      parser_warn (p, line->number, column_of (line, 2),
                   "name “%s” is defined twice; the first definition is used", name);
      return TRUE;
    }
  NameEntry *entry = g_new0 (NameEntry, 1);
  entry->name = g_strdup (name);
  entry->address = addr_set_new_one (family, value, value);
  entry->object = add_object (p, "name", name, FWR_OBJECT_ADDRESS, line->number);
  g_hash_table_insert (p->names, entry->name, entry);
  return TRUE;
}

/* Interfaces */

static void
finish_block (Parser *p)
{
  Iface *iface = g_steal_pointer (&p->block_iface);
  if (iface != NULL && iface->nameif != NULL && !g_hash_table_contains (p->ifaces, iface->nameif))
    {
      /* The ASA gives "inside" level 100 and every other new nameif level 0. */
      if (iface->level < 0)
        iface->level = g_str_equal (iface->nameif, "inside") ? 100 : 0;
      g_hash_table_insert (p->ifaces, iface->nameif, iface);
      g_ptr_array_add (p->iface_order, iface);
    }
  else if (iface != NULL)
    iface_free (iface);
  p->block = BLOCK_NONE;
  p->block_data = NULL;
}

static void
read_iface_address (Parser *p, Iface *iface, Line *line, gboolean v6)
{
  const char *first = line_token (line, 2);
  if (first == NULL)
    return;
  if (!v6 && line->n >= 4)
    {
      guint32 addr, mask;
      guint prefix;
      if (parse_ipv4 (first, &addr) && parse_ipv4 (line->tokens[3].text, &mask) &&
          mask_to_prefix (mask, &prefix))
        {
          _fwr_spans_add (&iface->addresses->v4, addr, addr);
          return;
        }
    }
  if (v6)
    {
      g_autoptr (FwrAddrSet) prefix = parse_prefix (first);
      if (prefix != NULL)
        {
          /* The interface's own address is the one before the slash, not the whole prefix. */
          g_autofree char *addr = g_strndup (first, strchr (first, '/') - first);
          FwrFamilyMask family;
          fwr_u128 value;
          if (_fwr_addr_parse_one (addr, &family, &value) && family == FWR_FAMILY_IPV6)
            _fwr_spans_add (&iface->addresses->v6, value, value);
          return;
        }
    }
  if (g_str_equal (first, "dhcp") || g_str_equal (first, "pppoe") || g_str_equal (first, "autoconfig"))
    iface->dynamic = TRUE;
}

static gboolean
read_iface_child (Parser *p, Line *line)
{
  Iface *iface = p->block_iface;
  if (line_is (line, 0, "nameif") && line->n >= 2)
    {
      g_free (iface->nameif);
      iface->nameif = g_strdup (line->tokens[1].text);
      iface->line = line->number;
    }
  else if (line_is (line, 0, "security-level") && line->n >= 2)
    {
      guint level;
      if (!parse_number (line->tokens[1].text, 100, &level))
        return fail_at (p, line, 1, "security-level must be a number from 0 to 100");
      iface->level = (int) level;
    }
  else if (line_is (line, 0, "ip") && line_is (line, 1, "address"))
    read_iface_address (p, iface, line, FALSE);
  else if (line_is (line, 0, "ipv6") && line_is (line, 1, "address"))
    read_iface_address (p, iface, line, TRUE);
  else if (line_is (line, 0, "no") && line_is (line, 1, "nameif"))
    g_clear_pointer (&iface->nameif, g_free);
  return TRUE;
}

/* Objects and object groups: pass 1 only records their lines */

static gboolean
start_object (Parser *p, Line *line)
{
  if (line->n < 3)
    return fail_at (p, line, line->n, "“object” needs a type and a name");
  const char *type = line->tokens[1].text;
  const char *name = line->tokens[2].text;
  if (g_str_equal (type, "network"))
    {
      NetObject *object = g_hash_table_lookup (p->net_objects, name);
      if (object == NULL)
        {
          object = g_new0 (NetObject, 1);
          object->name = g_strdup (name);
          object->object = add_object (p, "object network", name, FWR_OBJECT_ADDRESS, line->number);
          g_hash_table_insert (p->net_objects, object->name, object);
          g_ptr_array_add (p->net_object_order, object);
        }
      p->block = BLOCK_NET_OBJECT;
      p->block_data = object;
    }
  else if (g_str_equal (type, "service"))
    {
      SvcObject *object = g_hash_table_lookup (p->svc_objects, name);
      if (object == NULL)
        {
          object = g_new0 (SvcObject, 1);
          object->name = g_strdup (name);
          object->object = add_object (p, "object service", name, FWR_OBJECT_SERVICE, line->number);
          g_hash_table_insert (p->svc_objects, object->name, object);
          g_ptr_array_add (p->svc_object_order, object);
        }
      p->block = BLOCK_SVC_OBJECT;
      p->block_data = object;
    }
  else
    {
      parser_warn (p, line->number, column_of (line, 1),
                   "object type “%s” is not read; its definition is skipped", type);
      p->block = BLOCK_OTHER;
    }
  return TRUE;
}

static gboolean
read_net_object_child (Parser *p, Line *line)
{
  NetObject *object = p->block_data;
  const char *keyword = line_token (line, 0);
  if (keyword == NULL || g_str_equal (keyword, "description"))
    return TRUE;
  if (g_str_equal (keyword, "host") || g_str_equal (keyword, "subnet") ||
      g_str_equal (keyword, "range") || g_str_equal (keyword, "fqdn"))
    object->definition = line;
  else if (g_str_equal (keyword, "nat"))
    {
      g_ptr_array_add (p->nat_lines, line);
      g_hash_table_insert (p->nat_owners, line, object);
    }
  else
    parser_warn (p, line->number, column_of (line, 0),
                 "“%s” in object network %s is not read", keyword, object->name);
  return TRUE;
}

static gboolean
read_svc_object_child (Parser *p, Line *line)
{
  SvcObject *object = p->block_data;
  const char *keyword = line_token (line, 0);
  if (keyword == NULL || g_str_equal (keyword, "description"))
    return TRUE;
  if (g_str_equal (keyword, "service"))
    object->definition = line;
  else
    parser_warn (p, line->number, column_of (line, 0),
                 "“%s” in object service %s is not read", keyword, object->name);
  return TRUE;
}

static gboolean
group_kind_from_string (const char *text, GroupKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (group_kind_names); i++)
    if (g_str_equal (text, group_kind_names[i]))
      {
        *kind = (GroupKind) i;
        return TRUE;
      }
  return FALSE;
}

static FwrObjectKind
group_object_kind (GroupKind kind)
{
  switch (kind)
    {
    case GROUP_NETWORK:
      return FWR_OBJECT_ADDRESS_GROUP;
    case GROUP_SERVICE:
    case GROUP_PROTOCOL:
    case GROUP_ICMP:
      return FWR_OBJECT_SERVICE_GROUP;
    default:
      return FWR_OBJECT_OTHER;
    }
}

static gboolean
start_group (Parser *p, Line *line)
{
  GroupKind kind;
  if (line->n < 3)
    return fail_at (p, line, line->n, "“object-group” needs a type and a name");
  if (!group_kind_from_string (line->tokens[1].text, &kind))
    {
      parser_warn (p, line->number, column_of (line, 1),
                   "object-group type “%s” is not read; the group is skipped", line->tokens[1].text);
      p->block = BLOCK_OTHER;
      return TRUE;
    }
  const char *name = line->tokens[2].text;
  const char *port_proto = line_token (line, 3);
  if (port_proto != NULL && (kind != GROUP_SERVICE || (!g_str_equal (port_proto, "tcp") &&
                                                       !g_str_equal (port_proto, "udp") &&
                                                       !g_str_equal (port_proto, "tcp-udp"))))
    return fail_at (p, line, 3, "unexpected “%s” after the group name", port_proto);

  Group *group = g_hash_table_lookup (p->groups, name);
  if (group != NULL && group->kind != kind)
    return fail_at (p, line, 2, "object-group %s is already a %s group (line %u)", name,
                    group_kind_names[group->kind], group->line);
  if (group == NULL)
    {
      group = g_new0 (Group, 1);
      group->name = g_strdup (name);
      group->kind = kind;
      group->line = line->number;
      group->port_proto = g_strdup (port_proto);
      group->members = g_ptr_array_new ();
      group->object = add_object (p, "object-group", name, group_object_kind (kind), line->number);
      g_hash_table_insert (p->groups, group->name, group);
      g_ptr_array_add (p->group_order, group);
    }
  p->block = BLOCK_GROUP;
  p->block_data = group;
  return TRUE;
}

static gboolean
read_group_child (Parser *p, Line *line)
{
  Group *group = p->block_data;
  /* `show object-group` prints "description:", the configuration "description". */
  if (line->n > 0 && !g_str_has_prefix (line->tokens[0].text, "description"))
    g_ptr_array_add (group->members, line);
  return TRUE;
}

static gboolean
start_time_range (Parser *p, Line *line)
{
  if (line->n < 2)
    return fail_at (p, line, line->n, "“time-range” needs a name");
  const char *name = line->tokens[1].text;
  if (!g_hash_table_contains (p->time_ranges, name))
    g_hash_table_insert (p->time_ranges, g_strdup (name),
                         add_object (p, "time-range", name, FWR_OBJECT_SCHEDULE, line->number));
  p->block = BLOCK_OTHER;
  return TRUE;
}

/* Access lists and their bindings */

static Acl *
acl_lookup_or_add (Parser *p, const char *name, guint line)
{
  Acl *acl = g_hash_table_lookup (p->acls, name);
  if (acl == NULL)
    {
      acl = g_new0 (Acl, 1);
      acl->name = g_strdup (name);
      acl->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
      acl->first_line = line;
      g_hash_table_insert (p->acls, acl->name, acl);
      g_ptr_array_add (p->acl_order, acl);
    }
  return acl;
}

static gboolean
is_show_output (const Line *line)
{
  if (line->n >= 2 && g_str_has_suffix (line->tokens[1].text, ";"))
    return TRUE;
  for (guint i = 0; i < line->n; i++)
    if (g_str_has_prefix (line->tokens[i].text, "(hitcnt="))
      return TRUE;
  return FALSE;
}

static gboolean
is_entry_type (const char *type)
{
  return g_str_equal (type, "extended") || g_str_equal (type, "standard") ||
         g_str_equal (type, "remark");
}

static gboolean
is_unmodelled_type (const char *type)
{
  return g_str_equal (type, "webtype") || g_str_equal (type, "ethertype") ||
         g_str_equal (type, "advanced");
}

/* Records the entry at the place the ASA would give it; entries are turned into rules once
 * every object is known. */
static gboolean
read_access_list (Parser *p, Line *line)
{
  if (is_show_output (line))
    return parser_fail (p, line->number, 1,
                        "this is `show access-list` output (hit counts), not a configuration: "
                        "give it with --hits beside the running-config");
  if (line->n < 3)
    return fail_at (p, line, line->n, "“access-list” needs a name and an entry");

  guint type_index = 2;
  guint position = G_MAXUINT;
  if (line_is (line, 2, "line"))
    {
      if (line->n < 5 || !parse_number (line->tokens[3].text, G_MAXINT, &position) || position == 0)
        return fail_at (p, line, 3, "“line” needs a line number from 1 and an entry");
      type_index = 4;
    }
  const char *type = line->tokens[type_index].text;
  /* PIX-style entries have no type word: the ASA reads them as extended. */
  gboolean pix_style = g_str_equal (type, "permit") || g_str_equal (type, "deny");
  if (!pix_style && !is_entry_type (type) && !is_unmodelled_type (type))
    return fail_at (p, line, type_index,
                    "unknown access-list entry type “%s” (expected extended, standard, remark, "
                    "webtype or ethertype)", type);

  Acl *acl = acl_lookup_or_add (p, line->tokens[1].text, line->number);
  const char *kind = pix_style ? "extended" : type;
  if (acl->type == NULL && !g_str_equal (kind, "remark"))
    {
      acl->type = g_strdup (kind);
      acl->modelled = !is_unmodelled_type (kind);
    }
  if (is_unmodelled_type (kind) || (acl->type != NULL && !acl->modelled))
    {
      if (!acl->warned_type)
        parser_warn (p, line->number, column_of (line, type_index),
                     "access-list %s has %s entries, which filter no IP traffic the analysis "
                     "models: they are skipped", acl->name,
                     is_unmodelled_type (kind) ? kind : acl->type);
      acl->warned_type = TRUE;
      return TRUE;
    }

  Entry *entry = g_new0 (Entry, 1);
  entry->line = line;
  if (g_str_equal (kind, "remark"))
    entry->remark = line_dup_rest (line, type_index + 1);
  if (position - 1 < acl->entries->len)
    g_ptr_array_insert (acl->entries, (int) (position - 1), entry);
  else
    g_ptr_array_add (acl->entries, entry);
  return TRUE;
}

static gboolean
read_access_group (Parser *p, Line *line)
{
  if (line->n < 3)
    return fail_at (p, line, line->n, "“access-group” needs an access list and a direction");
  Binding *binding = g_new0 (Binding, 1);
  binding->acl = g_strdup (line->tokens[1].text);
  binding->line = line;
  if (line_is (line, 2, "global") && line->n == 3)
    binding->nameif = NULL;
  else if ((line_is (line, 2, "in") || line_is (line, 2, "out")) && line_is (line, 3, "interface") &&
           line->n >= 5)
    {
      binding->out = line_is (line, 2, "out");
      binding->nameif = g_strdup (line->tokens[4].text);
      if (line_is (line, 5, "control-plane"))
        {
          parser_warn (p, line->number, column_of (line, 5),
                       "control-plane access-group %s filters traffic to the ASA itself, which the "
                       "analysis does not model: binding skipped", binding->acl);
          binding_free (binding);
          return TRUE;
        }
    }
  else
    {
      binding_free (binding);
      return fail_at (p, line, 2, "expected “in interface NAME”, “out interface NAME” or “global”");
    }

  /* A later access-group for the same place replaces the earlier, as on the ASA. */
  for (guint i = 0; i < p->bindings->len; i++)
    {
      Binding *old = g_ptr_array_index (p->bindings, i);
      if (old->out == binding->out && g_strcmp0 (old->nameif, binding->nameif) == 0)
        {
          g_ptr_array_remove_index (p->bindings, i);
          break;
        }
    }
  g_ptr_array_add (p->bindings, binding);
  return TRUE;
}

static void
clear_access_lists (Parser *p, const char *name)
{
  for (guint i = 0; i < p->acl_order->len; i++)
    {
      Acl *acl = g_ptr_array_index (p->acl_order, i);
      if (name == NULL || g_str_equal (acl->name, name))
        g_ptr_array_set_size (acl->entries, 0);
    }
}

/* Pass 1: one line */

static gboolean
read_top_level (Parser *p, Line *line)
{
  const char *command = line->tokens[0].text;
  finish_block (p);

  if ((g_str_equal (command, "ASA") || g_str_equal (command, "PIX") || g_str_equal (command, "FWSM")) &&
      line_is (line, 1, "Version") && line->n >= 3)
    {
      /* Before 9.0 extended access lists filtered IPv4 only (IPv6 had "ipv6 access-list"). */
      guint64 major = g_ascii_strtoull (line->tokens[2].text, NULL, 10);
      p->any_families = major >= 9 && !g_str_equal (command, "FWSM") && !g_str_equal (command, "PIX")
                        ? FWR_FAMILY_ANY : FWR_FAMILY_IPV4;
    }
  else if (g_str_equal (command, "hostname") && line->n >= 2)
    {
      g_free (p->table);
      p->table = g_strdup (line->tokens[1].text);
    }
  else if (g_str_equal (command, "name"))
    return read_name (p, line);
  else if (g_str_equal (command, "interface"))
    {
      p->block = BLOCK_INTERFACE;
      p->block_iface = g_new0 (Iface, 1);
      p->block_iface->level = -1;
      p->block_iface->addresses = fwr_addr_set_new ();
      p->saw_interfaces = TRUE;
    }
  else if (g_str_equal (command, "object"))
    return start_object (p, line);
  else if (g_str_equal (command, "object-group"))
    return start_group (p, line);
  else if (g_str_equal (command, "time-range"))
    return start_time_range (p, line);
  else if (g_str_equal (command, "access-list"))
    return read_access_list (p, line);
  else if (g_str_equal (command, "access-group"))
    return read_access_group (p, line);
  else if (g_str_equal (command, "nat"))
    g_ptr_array_add (p->nat_lines, line);
  else if (g_str_equal (command, "same-security-traffic") && line_is (line, 1, "permit"))
    {
      p->inter_interface |= line_is (line, 2, "inter-interface");
      p->intra_interface |= line_is (line, 2, "intra-interface");
    }
  else if (g_str_equal (command, "clear") && line_is (line, 1, "configure") &&
           line_is (line, 2, "access-list"))
    clear_access_lists (p, line_token (line, 3));
  else if (g_str_equal (command, "ipv6") && line_is (line, 1, "access-list"))
    parser_warn (p, line->number, 1,
                 "the pre-9.0 “ipv6 access-list” syntax is not read: this entry is skipped");
  else
    p->block = BLOCK_OTHER;
  return TRUE;
}

static gboolean
read_line (Parser *p, Line *line)
{
  if (line->n == 0 || line->tokens[0].text[0] == ':')
    return TRUE;
  if (!line->indented)
    return read_top_level (p, line);

  switch (p->block)
    {
    case BLOCK_INTERFACE:
      return read_iface_child (p, line);
    case BLOCK_NET_OBJECT:
      return read_net_object_child (p, line);
    case BLOCK_SVC_OBJECT:
      return read_svc_object_child (p, line);
    case BLOCK_GROUP:
      return read_group_child (p, line);
    case BLOCK_NONE:
    case BLOCK_OTHER:
    default:
      return TRUE;
    }
}

static gboolean
read_lines (Parser *p, const char *data, gsize length)
{
  /* A byte order mark would glue itself to the first command. */
  gsize start = length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  guint number = 0;
  while (start < length)
    {
      const char *nl = memchr (data + start, '\n', length - start);
      gsize end = nl ? (gsize) (nl - data) : length;
      gsize line_end = end;
      number++;
      if (line_end > start && data[line_end - 1] == '\r')
        line_end--;
      if (memchr (data + start, '\0', line_end - start) != NULL)
        return parser_fail (p, number, 1, "the line holds a NUL byte: this is not a text configuration");
      if (!g_utf8_validate (data + start, line_end - start, NULL))
        parser_warn (p, number, 1, "the line is not valid UTF-8: invalid bytes are shown as U+FFFD");

      Line *line = line_new (number, data + start, line_end - start);
      g_ptr_array_add (p->lines, line);
      if (!read_line (p, line))
        return FALSE;
      start = end + 1;
    }
  finish_block (p);
  return TRUE;
}

/* Pass 2: resolving names, objects and groups. Undefined references are warnings and unknown
 * members, not errors: the ASA refuses them, so they only occur in edited or partial files, and
 * the rest of such a file is still worth reading. */

static const NetValue *resolve_net_object (Parser *p, NetObject *object);
static const NetValue *resolve_group_net (Parser *p, Group *group);
static const ServiceValue *resolve_svc_object (Parser *p, SvcObject *object);
static const ServiceValue *resolve_group_services (Parser *p, Group *group);
static const RangeValue *resolve_group_numbers (Parser *p, Group *group);

static void
add_unknown_reference (Parser *p, const Line *line, guint index, NetValue *out, const char *what,
                       const char *name)
{
  g_autofree char *text = g_strdup_printf ("%s %s (undefined)", what, name);
  parser_warn (p, line->number, column_of (line, index), "%s %s is not defined", what, name);
  net_value_add_unknown (out, FWR_FAMILY_ANY, text);
}

/* A literal address or a name; exact when known. */
static gboolean
read_host (Parser *p, const Line *line, guint index, NetValue *out)
{
  const char *text = line_token (line, index);
  if (text == NULL)
    return fail_at (p, line, index, "an address is missing at the end of the line");
  FwrFamilyMask family;
  fwr_u128 value;
  if (_fwr_addr_parse_one (text, &family, &value))
    {
      _fwr_spans_add (family == FWR_FAMILY_IPV4 ? &out->exact->v4 : &out->exact->v6, value, value);
      return TRUE;
    }
  NameEntry *entry = g_hash_table_lookup (p->names, text);
  if (entry == NULL && looks_like_address (text))
    return fail_at (p, line, index, "“%s” is not a valid address", text);
  if (entry == NULL)
    {
      add_unknown_reference (p, line, index, out, "name", text);
      return TRUE;
    }
  fwr_addr_set_union (out->exact, entry->address);
  unique_list_add (&out->objects, entry->object);
  return TRUE;
}

/* "A MASK" where A is an IPv4 address or a name of one. */
static gboolean
read_masked (Parser *p, const Line *line, guint index, NetValue *out)
{
  const char *addr_text = line_token (line, index);
  const char *mask_text = line_token (line, index + 1);
  guint32 addr = 0, mask;
  guint prefix;
  if (mask_text == NULL)
    return fail_at (p, line, index + 1, "the network mask after “%s” is missing", addr_text);
  if (!parse_ipv4 (mask_text, &mask))
    return fail_at (p, line, index + 1, "“%s” is not a network mask", mask_text);
  if (!mask_to_prefix (mask, &prefix))
    return fail_at (p, line, index + 1, "bad network mask %s: its one bits are not contiguous", mask_text);

  if (!parse_ipv4 (addr_text, &addr))
    {
      NameEntry *entry = g_hash_table_lookup (p->names, addr_text);
      if (entry == NULL && !looks_like_address (addr_text))
        {
          add_unknown_reference (p, line, index, out, "name", addr_text);
          return TRUE;
        }
      if (entry == NULL || fwr_addr_set_get_families (entry->address) != FWR_FAMILY_IPV4)
        return fail_at (p, line, index, "“%s” is not an IPv4 address", addr_text);
      addr = (guint32) entry->address->v4.spans[0].lo;
      unique_list_add (&out->objects, entry->object);
    }
  fwr_u128 lo, hi;
  _fwr_prefix_bounds (FWR_FAMILY_IPV4, addr, prefix, &lo, &hi);
  if (lo != addr)
    parser_warn (p, line->number, column_of (line, index),
                 "%s has bits set outside the mask %s: read as the network containing it",
                 addr_text, mask_text);
  _fwr_spans_add (&out->exact->v4, lo, hi);
  return TRUE;
}

static gboolean
read_object_ref (Parser *p, const Line *line, guint index, NetValue *out)
{
  const char *name = line_token (line, index);
  if (name == NULL)
    return fail_at (p, line, index, "the object name is missing");
  NetObject *object = g_hash_table_lookup (p->net_objects, name);
  if (object == NULL)
    {
      add_unknown_reference (p, line, index, out, "object network", name);
      return TRUE;
    }
  const NetValue *value = resolve_net_object (p, object);
  if (value == NULL)
    return FALSE;
  net_value_merge (out, value);
  unique_list_add (&out->objects, object->object);
  return TRUE;
}

static gboolean
read_group_ref (Parser *p, const Line *line, guint index, NetValue *out)
{
  const char *name = line_token (line, index);
  if (name == NULL)
    return fail_at (p, line, index, "the object-group name is missing");
  Group *group = g_hash_table_lookup (p->groups, name);
  if (group == NULL || group->kind != GROUP_NETWORK)
    {
      if (group != NULL)
        parser_warn (p, line->number, column_of (line, index),
                     "object-group %s is a %s group where a network group belongs", name,
                     group_kind_names[group->kind]);
      add_unknown_reference (p, line, index, out, "object-group", name);
      return TRUE;
    }
  const NetValue *value = resolve_group_net (p, group);
  if (value == NULL)
    return FALSE;
  net_value_merge (out, value);
  unique_list_add (&out->objects, group->object);
  return TRUE;
}

static void
read_interface_ref (Parser *p, const Line *line, guint index, NetValue *out)
{
  const char *name = line_token (line, index);
  Iface *iface = g_hash_table_lookup (p->ifaces, name);
  if (iface != NULL && !iface->dynamic && !fwr_addr_set_is_empty (iface->addresses))
    {
      fwr_addr_set_union (out->exact, iface->addresses);
      return;
    }
  g_autofree char *text = g_strdup_printf ("interface %s address", name);
  net_value_add_unknown (out, FWR_FAMILY_ANY, text);
}

/* One address operand at *i: any, any4, any6, host A, A MASK, A/LEN, object N, object-group N,
 * interface N. Advances *i past it. */
static gboolean
read_address (Parser *p, const Line *line, guint *i, const char *what, NetValue *out)
{
  const char *first = line_token (line, *i);
  if (first == NULL)
    return fail_at (p, line, *i, "the line ends where the %s is expected", what);

  if (g_str_equal (first, "any") || g_str_equal (first, "any4") || g_str_equal (first, "any6"))
    {
      FwrFamilyMask families = g_str_equal (first, "any4") ? FWR_FAMILY_IPV4
                               : g_str_equal (first, "any6") ? FWR_FAMILY_IPV6 : p->any_families;
      g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (families);
      fwr_addr_set_union (out->exact, any);
      *i += 1;
      return TRUE;
    }
  if (g_str_equal (first, "host") || g_str_equal (first, "object") ||
      g_str_equal (first, "object-group") || g_str_equal (first, "interface"))
    {
      if (line_token (line, *i + 1) == NULL)
        return fail_at (p, line, *i + 1, "the line ends after “%s”", first);
      gboolean ok = TRUE;
      if (g_str_equal (first, "host"))
        ok = read_host (p, line, *i + 1, out);
      else if (g_str_equal (first, "object"))
        ok = read_object_ref (p, line, *i + 1, out);
      else if (g_str_equal (first, "object-group"))
        ok = read_group_ref (p, line, *i + 1, out);
      else
        read_interface_ref (p, line, *i + 1, out);
      *i += 2;
      return ok;
    }
  if (strchr (first, '/') != NULL)
    {
      g_autoptr (FwrAddrSet) prefix = parse_prefix (first);
      if (prefix == NULL)
        return fail_at (p, line, *i, "“%s” is not an address prefix", first);
      fwr_addr_set_union (out->exact, prefix);
      *i += 1;
      return TRUE;
    }
  if (!read_masked (p, line, *i, out))
    return FALSE;
  *i += 2;
  return TRUE;
}

static gboolean
expect_end (Parser *p, const Line *line, guint i)
{
  if (i < line->n)
    return fail_at (p, line, i, "unexpected “%s”", line->tokens[i].text);
  return TRUE;
}

static gboolean
read_range_definition (Parser *p, const Line *line, NetValue *out)
{
  FwrFamilyMask f1, f2;
  fwr_u128 lo, hi;
  if (line->n != 3)
    return fail_at (p, line, MIN (line->n, 3u), "“range” needs a first and a last address");
  if (!_fwr_addr_parse_one (line->tokens[1].text, &f1, &lo))
    return fail_at (p, line, 1, "“%s” is not an address", line->tokens[1].text);
  if (!_fwr_addr_parse_one (line->tokens[2].text, &f2, &hi) || f1 != f2)
    return fail_at (p, line, 2, "“%s” is not an address of the same family", line->tokens[2].text);
  if (lo > hi)
    return fail_at (p, line, 2, "the range ends before it starts");
  _fwr_spans_add (f1 == FWR_FAMILY_IPV4 ? &out->exact->v4 : &out->exact->v6, lo, hi);
  return TRUE;
}

static gboolean
read_net_definition (Parser *p, const Line *line, NetValue *out)
{
  const char *keyword = line->tokens[0].text;
  guint i = 1;
  if (g_str_equal (keyword, "host"))
    return read_host (p, line, 1, out) && expect_end (p, line, 2);
  if (g_str_equal (keyword, "range"))
    return read_range_definition (p, line, out);
  if (g_str_equal (keyword, "fqdn"))
    {
      FwrFamilyMask families = FWR_FAMILY_ANY;
      if (line_is (line, 1, "v4") || line_is (line, 1, "v6"))
        families = line_is (line, 1, "v4") ? FWR_FAMILY_IPV4 : FWR_FAMILY_IPV6, i = 2;
      if (line_token (line, i) == NULL)
        return fail_at (p, line, i, "“fqdn” needs a host name");
      g_autofree char *text = g_strdup_printf ("fqdn %s", line->tokens[i].text);
      net_value_add_unknown (out, families, text);
      return expect_end (p, line, i + 1);
    }
  /* subnet A MASK or subnet A/LEN */
  const char *first = line_token (line, 1);
  if (first == NULL)
    return fail_at (p, line, 1, "“subnet” needs a network");
  if (strchr (first, '/') == NULL)
    return read_masked (p, line, 1, out) && expect_end (p, line, 3);
  return read_address (p, line, &i, "network", out) && expect_end (p, line, i);
}

static const NetValue *
resolve_net_object (Parser *p, NetObject *object)
{
  if (object->resolved)
    return &object->value;
  net_value_init (&object->value);
  object->resolved = TRUE;
  if (object->definition == NULL)
    {
      parser_warn (p, object->object->line, 1, "object network %s has no address", object->name);
      return &object->value;
    }
  if (!read_net_definition (p, object->definition, &object->value))
    return NULL;
  return &object->value;
}

static gboolean
group_member_group (Parser *p, Group *group, const Line *line, Group **out)
{
  const char *name = line_token (line, 1);
  if (name == NULL)
    return fail_at (p, line, 1, "“group-object” needs a group name");
  *out = g_hash_table_lookup (p->groups, name);
  if (*out != NULL && (*out)->kind != group->kind)
    {
      parser_warn (p, line->number, column_of (line, 1),
                   "group-object %s is a %s group inside %s group %s", name,
                   group_kind_names[(*out)->kind], group_kind_names[group->kind], group->name);
      *out = NULL;
    }
  else if (*out == NULL)
    parser_warn (p, line->number, column_of (line, 1), "object-group %s is not defined", name);
  return expect_end (p, line, 2);
}

static void
warn_misplaced_member (Parser *p, Group *group, const Line *line)
{
  parser_warn (p, line->number, column_of (line, 0),
               "“%s” does not belong in %s object-group %s: read as an unknown member",
               line->tokens[0].text, group_kind_names[group->kind], group->name);
}

static const NetValue *
resolve_group_net (Parser *p, Group *group)
{
  if (group->done)
    return &group->net;
  net_value_init (&group->net);
  group->done = TRUE;
  for (guint m = 0; m < group->members->len; m++)
    {
      const Line *line = g_ptr_array_index (group->members, m);
      if (line_is (line, 0, "network-object"))
        {
          guint i = 1;
          if (!read_address (p, line, &i, "network", &group->net) || !expect_end (p, line, i))
            return NULL;
        }
      else if (line_is (line, 0, "group-object"))
        {
          Group *sub;
          if (!group_member_group (p, group, line, &sub))
            return NULL;
          g_autofree char *text = g_strdup_printf ("object-group %s (undefined)", line->tokens[1].text);
          const NetValue *value = sub ? resolve_group_net (p, sub) : NULL;
          if (sub != NULL && value == NULL)
            return NULL;
          if (value != NULL)
            {
              net_value_merge (&group->net, value);
              unique_list_add (&group->net.objects, sub->object);
            }
          else
            net_value_add_unknown (&group->net, FWR_FAMILY_ANY, text);
        }
      else
        {
          warn_misplaced_member (p, group, line);
          net_value_add_unknown (&group->net, FWR_FAMILY_ANY, line->tokens[0].text);
        }
    }
  return &group->net;
}

/* Ports, protocols, ICMP types and services */

static void
range_value_add_unknown (RangeValue *value, const Line *line, guint from, guint to)
{
  GString *text = g_string_new (NULL);
  for (guint k = from; k < to && k < line->n; k++)
    g_string_append_printf (text, "%s%s", k > from ? " " : "", line->tokens[k].text);
  unique_list_add (&value->unknown_texts, text->str);
  g_string_free (text, TRUE);
}

/* "eq P", "lt P", "gt P", "neq P" or "range P Q" at *i; advances past it. */
static gboolean
read_port_op (Parser *p, const Line *line, guint *i, RangeValue *out)
{
  const char *op = line->tokens[*i].text;
  guint n_args = g_str_equal (op, "range") ? 2 : 1;
  guint ports[2] = { 0, 0 };
  guint start = *i;
  for (guint a = 0; a < n_args; a++)
    {
      const char *text = line_token (line, start + 1 + a);
      if (text == NULL)
        return fail_at (p, line, start + 1 + a, "“%s” needs %s", op, n_args == 2 ? "two ports" : "a port");
      if (parse_port (text, &ports[a]))
        continue;
      if (g_ascii_isdigit (text[0]))
        return fail_at (p, line, start + 1 + a, "port %s is not in 0-65535", text);
      parser_warn (p, line->number, column_of (line, start + 1 + a),
                   "port name “%s” is unknown: the rule keeps it as a condition it cannot model", text);
      range_value_add_unknown (out, line, start, start + 1 + n_args);
      *i = start + 1 + n_args;
      return TRUE;
    }
  *i = start + 1 + n_args;

  g_autoptr (FwrRangeSet) set = fwr_range_set_new ();
  if (g_str_equal (op, "eq"))
    fwr_range_set_add_range (set, ports[0], ports[0]);
  else if (g_str_equal (op, "lt") && ports[0] > 0)
    fwr_range_set_add_range (set, 0, ports[0] - 1);
  else if (g_str_equal (op, "gt") && ports[0] < 65535)
    fwr_range_set_add_range (set, ports[0] + 1, 65535);
  else if (g_str_equal (op, "neq"))
    {
      fwr_range_set_add_range (set, ports[0], ports[0]);
      fwr_range_set_complement (set, 65535);
    }
  else if (g_str_equal (op, "range"))
    {
      if (ports[0] > ports[1])
        return fail_at (p, line, start + 2, "the port range ends before it starts");
      fwr_range_set_add_range (set, ports[0], ports[1]);
    }
  if (fwr_range_set_is_empty (set))
    parser_warn (p, line->number, column_of (line, start), "“%s %s” matches no port", op,
                 line->tokens[start + 1].text);
  fwr_range_set_union (out->exact, set);
  return TRUE;
}

/* "TYPE [CODE]" for ICMP protocol proto (1 or 58) at *i; advances past it. */
static gboolean
read_icmp_type (Parser *p, const Line *line, guint *i, guint proto, RangeValue *out)
{
  const char *text = line->tokens[*i].text;
  guint type, code;
  if (!parse_icmp_type (text, proto, &type))
    {
      if (g_ascii_isdigit (text[0]))
        return fail_at (p, line, *i, "ICMP type %s is not in 0-255", text);
      parser_warn (p, line->number, column_of (line, *i), "ICMP%s type “%s” is unknown",
                   proto == 58 ? "v6" : "", text);
      range_value_add_unknown (out, line, *i, *i + 1);
      *i += 1;
      return TRUE;
    }
  *i += 1;
  const char *code_text = line_token (line, *i);
  if (code_text != NULL && g_ascii_isdigit (code_text[0]))
    {
      if (!parse_number (code_text, 255, &code))
        return fail_at (p, line, *i, "ICMP code %s is not in 0-255", code_text);
      fwr_range_set_add_range (out->exact, (type << 8) | code, (type << 8) | code);
      *i += 1;
      return TRUE;
    }
  fwr_range_set_add_range (out->exact, type << 8, (type << 8) | 0xff);
  return TRUE;
}

/* Moves a single operator's value into a service dimension: exact, or any with an opaque note. */
static void
service_set_dimension (Service *service, FwrRangeSet **dimension, RangeValue *value)
{
  if (value->unknown_texts.items->len > 0)
    {
      g_autofree char *joined = join_texts (value->unknown_texts.items);
      char *text = service->opaque ? g_strconcat (service->opaque, ", ", joined, NULL) : g_strdup (joined);
      g_free (service->opaque);
      service->opaque = text;
      return;
    }
  g_clear_pointer (dimension, fwr_range_set_free);
  *dimension = g_steal_pointer (&value->exact);
  value->exact = fwr_range_set_new ();
}

static gboolean
is_port_protocol (guint proto)
{
  return proto == 6 || proto == 17 || proto == 132;
}

/* Ports after "tcp", "udp", "tcp-udp" or "sctp" in a service line: [source OP] [destination OP],
 * where a bare OP is the destination. */
static gboolean
read_service_ports (Parser *p, const Line *line, guint i, Service *service)
{
  while (i < line->n)
    {
      FwrRangeSet **dimension = &service->dports;
      if (line_is (line, i, "source") || line_is (line, i, "destination"))
        {
          if (line_is (line, i, "source"))
            dimension = &service->sports;
          i++;
        }
      if (!is_port_operator (line_token (line, i)))
        return fail_at (p, line, i, "expected eq, lt, gt, neq or range");
      RangeValue value;
      range_value_init (&value);
      gboolean ok = read_port_op (p, line, &i, &value);
      if (ok)
        service_set_dimension (service, dimension, &value);
      range_value_clear (&value);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* "service ..." or "service-object ..." from token i: PROTO [ports] or ICMP [TYPE [CODE]]. */
static gboolean
read_service_spec (Parser *p, const Line *line, guint i, ServiceValue *out)
{
  const char *proto_text = line_token (line, i);
  guint proto;
  if (proto_text == NULL)
    return fail_at (p, line, i, "a protocol is missing");

  Service *service;
  if (g_str_equal (proto_text, "tcp-udp"))
    {
      service = service_new_proto (6);
      fwr_range_set_add_range (service->protos, 17, 17);
      proto = 6;
    }
  else if (g_str_equal (proto_text, "ip"))
    service = service_new (NULL), proto = 0;
  else if (parse_protocol (proto_text, &proto))
    service = service_new_proto (proto);
  else
    {
      if (g_ascii_isdigit (proto_text[0]))
        return fail_at (p, line, i, "protocol %s is not in 0-255", proto_text);
      parser_warn (p, line->number, column_of (line, i), "protocol “%s” is unknown", proto_text);
      g_autofree char *text = g_strdup_printf ("protocol %s", proto_text);
      g_ptr_array_add (out->services, service_new_opaque (text));
      return TRUE;
    }
  g_ptr_array_add (out->services, service);
  i++;

  if (is_port_protocol (proto))
    return read_service_ports (p, line, i, service);
  if ((proto == 1 || proto == 58) && i < line->n)
    {
      RangeValue value;
      range_value_init (&value);
      gboolean ok = read_icmp_type (p, line, &i, proto, &value);
      if (ok)
        service_set_dimension (service, &service->icmp, &value);
      range_value_clear (&value);
      if (!ok)
        return FALSE;
    }
  return expect_end (p, line, i);
}

/* The ASA's predefined service names an "object" operand may use without a definition:
 * "icmp-echo" and the other ICMP types, and protocol names such as "ospf". */
static Service *
builtin_service (const char *name)
{
  guint value;
  if (g_str_has_prefix (name, "icmp-") &&
      lookup_named (icmp4_types, G_N_ELEMENTS (icmp4_types), name + 5, &value))
    {
      Service *service = service_new_proto (1);
      service->icmp = fwr_range_set_new_range (value << 8, (value << 8) | 0xff);
      return service;
    }
  if (lookup_named (protocol_names, G_N_ELEMENTS (protocol_names), name, &value))
    return service_new_proto (value);
  if (g_str_equal (name, "ip"))
    return service_new (NULL);
  return NULL;
}

static const ServiceValue *
resolve_svc_object (Parser *p, SvcObject *object)
{
  if (object->resolved)
    return &object->value;
  service_value_init (&object->value);
  object->resolved = TRUE;
  if (object->definition == NULL)
    {
      parser_warn (p, object->object->line, 1, "object service %s has no service", object->name);
      return &object->value;
    }
  if (!read_service_spec (p, object->definition, 1, &object->value))
    return NULL;
  return &object->value;
}

/* "object NAME" where a service belongs, defined or predefined. */
static gboolean
read_service_object_ref (Parser *p, const Line *line, guint index, ServiceValue *out)
{
  const char *name = line_token (line, index);
  if (name == NULL)
    return fail_at (p, line, index, "the object name is missing");
  SvcObject *object = g_hash_table_lookup (p->svc_objects, name);
  if (object != NULL)
    {
      const ServiceValue *value = resolve_svc_object (p, object);
      if (value == NULL)
        return FALSE;
      service_value_merge (out, value);
      unique_list_add (&out->objects, object->object);
      return TRUE;
    }
  Service *builtin = builtin_service (name);
  if (builtin != NULL)
    {
      g_ptr_array_add (out->services, builtin);
      return TRUE;
    }
  parser_warn (p, line->number, column_of (line, index), "object service %s is not defined", name);
  g_autofree char *text = g_strdup_printf ("object service %s (undefined)", name);
  g_ptr_array_add (out->services, service_new_opaque (text));
  return TRUE;
}

static const ServiceValue *
resolve_group_services (Parser *p, Group *group)
{
  if (group->done)
    return &group->services;
  service_value_init (&group->services);
  group->done = TRUE;
  for (guint m = 0; m < group->members->len; m++)
    {
      const Line *line = g_ptr_array_index (group->members, m);
      ServiceValue *out = &group->services;
      if (line_is (line, 0, "service-object") && line_is (line, 1, "object"))
        {
          if (!read_service_object_ref (p, line, 2, out) || !expect_end (p, line, 3))
            return NULL;
        }
      else if (line_is (line, 0, "service-object"))
        {
          if (!read_service_spec (p, line, 1, out))
            return NULL;
        }
      else if (line_is (line, 0, "group-object"))
        {
          Group *sub;
          if (!group_member_group (p, group, line, &sub))
            return NULL;
          if (sub != NULL && sub->is_port_group)
            {
              warn_misplaced_member (p, group, line);
              sub = NULL;
            }
          const ServiceValue *value = sub ? resolve_group_services (p, sub) : NULL;
          if (sub != NULL && value == NULL)
            return NULL;
          g_autofree char *text = g_strdup_printf ("object-group %s (undefined)", line->tokens[1].text);
          if (value != NULL)
            {
              service_value_merge (out, value);
              unique_list_add (&out->objects, sub->object);
            }
          else
            g_ptr_array_add (out->services, service_new_opaque (text));
        }
      else
        {
          warn_misplaced_member (p, group, line);
          g_ptr_array_add (out->services, service_new_opaque (line->tokens[0].text));
        }
    }
  return &group->services;
}

/* One member of a port, protocol or ICMP group; proto picks the ICMP numbering. */
static gboolean
read_number_member (Parser *p, Group *group, const Line *line, guint proto, RangeValue *out)
{
  guint i = 1, value;
  if (group->is_port_group && line_is (line, 0, "port-object") && is_port_operator (line_token (line, 1)))
    return read_port_op (p, line, &i, out) && expect_end (p, line, i);
  if (group->kind == GROUP_ICMP && line_is (line, 0, "icmp-object") && line->n == 2)
    return read_icmp_type (p, line, &i, proto, out);
  if (group->kind == GROUP_PROTOCOL && line_is (line, 0, "protocol-object") && line->n == 2)
    {
      const char *text = line->tokens[1].text;
      if (g_str_equal (text, "ip"))
        fwr_range_set_add_range (out->exact, 0, 255);
      else if (g_str_equal (text, "tcp-udp"))
        fwr_range_set_add_range (out->exact, 6, 6), fwr_range_set_add_range (out->exact, 17, 17);
      else if (parse_protocol (text, &value))
        fwr_range_set_add_range (out->exact, value, value);
      else if (g_ascii_isdigit (text[0]))
        return fail_at (p, line, 1, "protocol %s is not in 0-255", text);
      else
        {
          parser_warn (p, line->number, column_of (line, 1), "protocol “%s” is unknown", text);
          range_value_add_unknown (out, line, 0, 2);
        }
      return TRUE;
    }
  warn_misplaced_member (p, group, line);
  range_value_add_unknown (out, line, 0, line->n);
  return TRUE;
}

static const RangeValue *resolve_group_range (Parser *p, Group *group, guint proto);

static gboolean
read_number_group_member (Parser *p, Group *group, const Line *line, guint proto, RangeValue *out)
{
  Group *sub;
  if (!group_member_group (p, group, line, &sub))
    return FALSE;
  if (sub != NULL && sub->is_port_group != group->is_port_group)
    {
      warn_misplaced_member (p, group, line);
      sub = NULL;
    }
  const RangeValue *value = sub ? resolve_group_range (p, sub, proto) : NULL;
  if (sub != NULL && value == NULL)
    return FALSE;
  if (value == NULL)
    {
      g_autofree char *text = g_strdup_printf ("object-group %s (undefined)", line->tokens[1].text);
      unique_list_add (&out->unknown_texts, text);
      return TRUE;
    }
  range_value_merge (out, value);
  unique_list_add (&out->objects, sub->object);
  return TRUE;
}

/* The ports of a port group, the protocols of a protocol group, or the ICMP types of an ICMP
 * group read as proto (1 or 58) types. */
static const RangeValue *
resolve_group_range (Parser *p, Group *group, guint proto)
{
  gboolean v6 = group->kind == GROUP_ICMP && proto == 58;
  gboolean *done = v6 ? &group->icmp6_done : &group->done;
  RangeValue *out = v6 ? &group->icmp6 : &group->numbers;
  if (*done)
    return out;
  range_value_init (out);
  *done = TRUE;
  /* The ICMPv4 reading warned about every member already. */
  p->quiet += v6;
  gboolean ok = TRUE;
  for (guint m = 0; ok && m < group->members->len; m++)
    {
      const Line *line = g_ptr_array_index (group->members, m);
      ok = line_is (line, 0, "group-object") ? read_number_group_member (p, group, line, proto, out)
                                             : read_number_member (p, group, line, proto, out);
    }
  p->quiet -= v6;
  return ok ? out : NULL;
}

static const RangeValue *
resolve_group_numbers (Parser *p, Group *group)
{
  return resolve_group_range (p, group, 1);
}

/* Checks and resolution once every line is read */

#define MAX_GROUP_DEPTH 64

typedef struct {
  Group *group;
  guint member;
  guint height;   /* of the deepest child seen so far */
} NestFrame;

static gboolean
fail_cycle (Parser *p, GArray *stack, Group *sub, const Line *line)
{
  g_autoptr (GString) path = g_string_new (NULL);
  gboolean in_loop = FALSE;
  for (guint k = 0; k < stack->len; k++)
    {
      Group *g = g_array_index (stack, NestFrame, k).group;
      in_loop |= g == sub;
      if (in_loop)
        g_string_append_printf (path, "%s → ", g->name);
    }
  g_string_append (path, sub->name);
  return fail_at (p, line, 1, "object-group %s contains itself: %s", sub->name, path->str);
}

/* Follows group-object members depth first without recursion, so that no input can exhaust the
 * stack: fails on a loop and on nesting deeper than any configuration needs. */
static gboolean
check_group_nesting (Parser *p)
{
  g_autoptr (GHashTable) heights = g_hash_table_new (NULL, NULL);  /* done Group -> height */
  g_autoptr (GHashTable) busy = g_hash_table_new (NULL, NULL);
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (NestFrame));

  for (guint g = 0; g < p->group_order->len; g++)
    {
      Group *root = g_ptr_array_index (p->group_order, g);
      if (g_hash_table_contains (heights, root))
        continue;
      NestFrame start = { root, 0, 0 };
      g_array_append_val (stack, start);
      g_hash_table_add (busy, root);
      while (stack->len > 0)
        {
          NestFrame *top = &g_array_index (stack, NestFrame, stack->len - 1);
          if (top->member >= top->group->members->len)
            {
              guint height = top->height + 1;
              g_hash_table_remove (busy, top->group);
              g_hash_table_insert (heights, top->group, GUINT_TO_POINTER (height));
              g_array_set_size (stack, stack->len - 1);
              if (stack->len > 0)
                {
                  NestFrame *parent = &g_array_index (stack, NestFrame, stack->len - 1);
                  parent->height = MAX (parent->height, height);
                }
              continue;
            }
          const Line *line = g_ptr_array_index (top->group->members, top->member++);
          Group *sub = line_is (line, 0, "group-object") && line->n >= 2
                         ? g_hash_table_lookup (p->groups, line->tokens[1].text) : NULL;
          if (sub == NULL || sub->kind != top->group->kind)
            continue;
          if (g_hash_table_contains (busy, sub))
            return fail_cycle (p, stack, sub, line);
          gpointer height = NULL;
          if (g_hash_table_lookup_extended (heights, sub, NULL, &height))
            top->height = MAX (top->height, GPOINTER_TO_UINT (height));
          if (top->height >= MAX_GROUP_DEPTH || stack->len >= MAX_GROUP_DEPTH)
            return fail_at (p, line, 1, "object-groups nest deeper than %u levels", MAX_GROUP_DEPTH);
          if (height == NULL)
            {
              NestFrame frame = { sub, 0, 0 };
              g_array_append_val (stack, frame);
              g_hash_table_add (busy, sub);
            }
        }
    }
  return TRUE;
}

/* A service group holds port-object members when it names a protocol, or holds no
 * service-object (some files omit the protocol). */
static void
classify_groups (Parser *p)
{
  for (guint g = 0; g < p->group_order->len; g++)
    {
      Group *group = g_ptr_array_index (p->group_order, g);
      if (group->kind != GROUP_SERVICE)
        continue;
      gboolean ports = FALSE, services = FALSE;
      for (guint m = 0; m < group->members->len; m++)
        {
          const Line *line = g_ptr_array_index (group->members, m);
          ports |= line_is (line, 0, "port-object");
          services |= line_is (line, 0, "service-object");
        }
      group->is_port_group = group->port_proto != NULL || (ports && !services);
    }
}

/* Everything is resolved once, in file order, so that each problem is reported once. */
static gboolean
resolve_all (Parser *p)
{
  for (guint i = 0; i < p->net_object_order->len; i++)
    if (resolve_net_object (p, g_ptr_array_index (p->net_object_order, i)) == NULL)
      return FALSE;
  for (guint i = 0; i < p->svc_object_order->len; i++)
    if (resolve_svc_object (p, g_ptr_array_index (p->svc_object_order, i)) == NULL)
      return FALSE;
  for (guint i = 0; i < p->group_order->len; i++)
    {
      Group *group = g_ptr_array_index (p->group_order, i);
      gboolean ok = TRUE;
      if (group->kind == GROUP_NETWORK)
        ok = resolve_group_net (p, group) != NULL;
      else if (group->kind == GROUP_SERVICE && !group->is_port_group)
        ok = resolve_group_services (p, group) != NULL;
      else if (group->kind == GROUP_SERVICE || group->kind == GROUP_PROTOCOL || group->kind == GROUP_ICMP)
        ok = resolve_group_numbers (p, group) != NULL;
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
count_uses (const UniqueList *objects)
{
  for (guint i = 0; i < objects->items->len; i++)
    ((FwrObject *) g_ptr_array_index (objects->items, i))->n_refs++;
}

/* NAT rules are no filter rules, but what they name is in use: without this every object that
 * only NAT needs would be reported as unused. */
static void
count_nat_uses (Parser *p)
{
  for (guint l = 0; l < p->nat_lines->len; l++)
    {
      const Line *line = g_ptr_array_index (p->nat_lines, l);
      NetObject *owner = g_hash_table_lookup (p->nat_owners, line);
      if (owner != NULL && owner->resolved)
        owner->object->n_refs++, count_uses (&owner->value.objects);
      for (guint t = 1; t < line->n; t++)
        {
          const char *name = line->tokens[t].text;
          NetObject *net = g_hash_table_lookup (p->net_objects, name);
          SvcObject *svc = g_hash_table_lookup (p->svc_objects, name);
          Group *group = g_hash_table_lookup (p->groups, name);
          if (net != NULL && net->resolved)
            net->object->n_refs++, count_uses (&net->value.objects);
          if (svc != NULL && svc->resolved)
            svc->object->n_refs++, count_uses (&svc->value.objects);
          if (group != NULL && group->done && group->kind == GROUP_NETWORK)
            group->object->n_refs++, count_uses (&group->net.objects);
        }
    }
}

/* Names are aliases the ASA accepts wherever an address goes (logging hosts, DNS servers...):
 * a use outside the access lists and objects counts too. */
static void
count_name_uses (Parser *p)
{
  gboolean in_definition = FALSE;
  for (guint l = 0; l < p->lines->len; l++)
    {
      const Line *line = g_ptr_array_index (p->lines, l);
      if (line->n == 0)
        continue;
      if (!line->indented)
        {
          const char *command = line->tokens[0].text;
          in_definition = g_str_equal (command, "name") || g_str_equal (command, "access-list") ||
                          g_str_equal (command, "object") || g_str_equal (command, "object-group");
        }
      if (in_definition)
        continue;
      for (guint t = 1; t < line->n; t++)
        {
          NameEntry *entry = g_hash_table_lookup (p->names, line->tokens[t].text);
          if (entry != NULL && !g_str_equal (line->tokens[t - 1].text, "object") &&
              !g_str_equal (line->tokens[t - 1].text, "object-group"))
            entry->object->n_refs++;
        }
    }
}

/* Access-list entries into rules */

typedef struct {
  FwrAddrSet *set;
  char *opaque;
} AddrAlt;

/* The exact part (kept even when empty if there is nothing else: it then matches nothing) and
 * one opaque part standing for every unknown member. */
static guint
net_alternatives (const NetValue *value, AddrAlt alts[2])
{
  guint n = 0;
  if (!fwr_addr_set_is_empty (value->exact) || value->unknown == 0)
    alts[n++] = (AddrAlt) { fwr_addr_set_copy (value->exact), NULL };
  if (value->unknown != 0)
    alts[n++] = (AddrAlt) { fwr_addr_set_new_any (value->unknown), join_texts (value->unknown_texts.items) };
  return n;
}

static void
addr_alts_clear (AddrAlt *alts, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      fwr_addr_set_free (alts[i].set);
      g_free (alts[i].opaque);
    }
}

typedef struct {
  Parser *p;
  const Line *line;
  guint i;
  GPtrArray *opaque;        /* (element-type utf8) conditions of the whole entry */
  UniqueList objects;       /* (element-type FwrObject) to reference */
  GPtrArray *services;      /* (element-type Service) */
  gboolean allow_ports;     /* the protocol came as a literal or a protocol group */
  NetValue src;
  NetValue dst;
  gboolean enabled;
  gboolean log;
} AceReader;

static void
ace_reader_init (AceReader *e, Parser *p, const Line *line, guint i)
{
  memset (e, 0, sizeof *e);
  e->p = p;
  e->line = line;
  e->i = i;
  e->opaque = g_ptr_array_new_with_free_func (g_free);
  unique_list_init (&e->objects, FALSE);
  e->services = g_ptr_array_new_with_free_func ((GDestroyNotify) service_free);
  net_value_init (&e->src);
  net_value_init (&e->dst);
  e->enabled = TRUE;
}

static void
ace_reader_clear (AceReader *e)
{
  g_ptr_array_unref (e->opaque);
  unique_list_clear (&e->objects);
  g_ptr_array_unref (e->services);
  net_value_clear (&e->src);
  net_value_clear (&e->dst);
}

static const char *
entry_peek (AceReader *e)
{
  return line_token (e->line, e->i);
}

/* "object-group PROTOCOLS": the protocols, with ports or ICMP types possibly following. */
static void
use_protocol_group (AceReader *e, Group *group)
{
  const RangeValue *value = resolve_group_numbers (e->p, group);
  Service *service = service_new (fwr_range_set_copy (value->exact));
  if (value->unknown_texts.items->len > 0)
    service->opaque = join_texts (value->unknown_texts.items);
  g_ptr_array_add (e->services, service);
  unique_list_extend (&e->objects, &value->objects);
  unique_list_add (&e->objects, group->object);
  e->allow_ports = TRUE;
}

/* "object SERVICE" or "object-group SERVICES" (index at the name): complete services. */
static gboolean
read_service_operand (AceReader *e, guint index, Group *group)
{
  const char *name = e->line->tokens[index].text;
  ServiceValue value;
  service_value_init (&value);
  gboolean ok = TRUE;
  if (line_is (e->line, index - 1, "object"))
    ok = read_service_object_ref (e->p, e->line, index, &value);
  else if (group != NULL && group->kind == GROUP_SERVICE && !group->is_port_group)
    {
      service_value_merge (&value, resolve_group_services (e->p, group));
      unique_list_add (&value.objects, group->object);
    }
  else
    {
      parser_warn (e->p, e->line->number, column_of (e->line, index),
                   group ? "object-group %s is no service or protocol group" : "object-group %s is not defined", name);
      g_autofree char *text = g_strdup_printf ("object-group %s (%s)", name, group ? "not a service group" : "undefined");
      g_ptr_array_add (value.services, service_new_opaque (text));
    }
  g_ptr_array_extend_and_steal (e->services, g_steal_pointer (&value.services));
  unique_list_extend (&e->objects, &value.objects);
  service_value_clear (&value);
  return ok;
}

/* The protocol operand: a protocol, "object SERVICE", or "object-group" of services or protocols. */
static gboolean
read_protocol_operand (AceReader *e)
{
  const char *first = entry_peek (e);
  guint proto;
  if (first == NULL)
    return fail_at (e->p, e->line, e->i, "the line ends where the protocol is expected");

  if (g_str_equal (first, "object") || g_str_equal (first, "object-group"))
    {
      const char *name = line_token (e->line, e->i + 1);
      if (name == NULL)
        return fail_at (e->p, e->line, e->i + 1, "the line ends after “%s”", first);
      Group *group = g_str_equal (first, "object-group") ? g_hash_table_lookup (e->p->groups, name) : NULL;
      e->i += 2;
      if (group != NULL && group->kind == GROUP_PROTOCOL)
        {
          use_protocol_group (e, group);
          return TRUE;
        }
      return read_service_operand (e, e->i - 1, group);
    }

  e->i += 1;
  e->allow_ports = TRUE;
  if (g_str_equal (first, "ip"))
    g_ptr_array_add (e->services, service_new (NULL));
  else if (parse_protocol (first, &proto))
    g_ptr_array_add (e->services, service_new_proto (proto));
  else
    return fail_at (e->p, e->line, e->i - 1, "“%s” is not a protocol", first);
  return TRUE;
}

static gboolean
is_identity_keyword (const char *text, gboolean source)
{
  if (text == NULL)
    return FALSE;
  if (g_str_equal (text, "security-group") || g_str_equal (text, "object-group-security"))
    return TRUE;
  return source && (g_str_equal (text, "user") || g_str_equal (text, "user-group") ||
                    g_str_equal (text, "object-group-user"));
}

/* User and TrustSec conditions before an address: identity the model cannot see, so opaque. */
static gboolean
read_identity (AceReader *e, gboolean source)
{
  while (is_identity_keyword (entry_peek (e), source))
    {
      const char *keyword = entry_peek (e);
      guint n = g_str_equal (keyword, "security-group") ? 3 : 2;
      if (e->i + n > e->line->n)
        return fail_at (e->p, e->line, e->line->n, "the line ends after “%s”", keyword);
      if (g_str_has_prefix (keyword, "object-group-"))
        {
          Group *group = g_hash_table_lookup (e->p->groups, e->line->tokens[e->i + 1].text);
          if (group != NULL)
            unique_list_add (&e->objects, group->object);
        }
      GString *text = g_string_new (NULL);
      for (guint k = 0; k < n; k++)
        g_string_append_printf (text, "%s%s", k ? " " : "", e->line->tokens[e->i + k].text);
      g_ptr_array_add (e->opaque, g_string_free (text, FALSE));
      e->i += n;
    }
  return TRUE;
}

static gboolean
read_entry_address (AceReader *e, gboolean source)
{
  NetValue *out = source ? &e->src : &e->dst;
  if (!read_identity (e, source))
    return FALSE;
  if (is_port_operator (entry_peek (e)))
    return fail_at (e->p, e->line, e->i, "a port where the %s address belongs",
                    source ? "source" : "destination");
  if (!read_address (e->p, e->line, &e->i, source ? "source address" : "destination address", out))
    return FALSE;
  unique_list_extend (&e->objects, &out->objects);
  return TRUE;
}

static Group *
peek_group (AceReader *e)
{
  const char *name = line_token (e->line, e->i + 1);
  if (g_strcmp0 (entry_peek (e), "object-group") != 0 || name == NULL)
    return NULL;
  return g_hash_table_lookup (e->p->groups, name);
}

/* A port operand at the cursor, if there is one: an operator or a port group. */
static gboolean
read_port_operand (AceReader *e, RangeValue *out, gboolean *present)
{
  Group *group = peek_group (e);
  *present = FALSE;
  if (group != NULL && group->kind == GROUP_SERVICE && group->is_port_group)
    {
      if (!e->allow_ports)
        return fail_at (e->p, e->line, e->i, "ports cannot follow a service object or group");
      range_value_merge (out, resolve_group_numbers (e->p, group));
      unique_list_add (&out->objects, group->object);
      unique_list_extend (&e->objects, &out->objects);
      e->i += 2;
      *present = TRUE;
      return TRUE;
    }
  if (!is_port_operator (entry_peek (e)))
    return TRUE;
  if (!e->allow_ports)
    return fail_at (e->p, e->line, e->i, "ports cannot follow a service object or group");
  *present = TRUE;
  return read_port_op (e->p, e->line, &e->i, out);
}

static void
port_alternatives (RangeValue *value, gboolean present, FwrRangeSet *alts[2], char *texts[2], guint *n)
{
  *n = 0;
  if (!present)
    {
      alts[0] = NULL, texts[0] = NULL, *n = 1;
      return;
    }
  if (!fwr_range_set_is_empty (value->exact) || value->unknown_texts.items->len == 0)
    alts[*n] = fwr_range_set_copy (value->exact), texts[(*n)++] = NULL;
  if (value->unknown_texts.items->len > 0)
    alts[*n] = NULL, texts[(*n)++] = join_texts (value->unknown_texts.items);
}

static char *
concat_opaque (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return g_strdup (a ? a : b);
  return g_strconcat (a, ", ", b, NULL);
}

/* Restricts each protocol alternative to the given ports; protocols without ports keep an
 * opaque note, since the ASA would not have accepted ports for them. */
static void
apply_ports (AceReader *e, RangeValue *sports, gboolean has_sports, RangeValue *dports, gboolean has_dports)
{
  FwrRangeSet *salts[2], *dalts[2];
  char *stexts[2], *dtexts[2];
  guint ns, nd;
  port_alternatives (sports, has_sports, salts, stexts, &ns);
  port_alternatives (dports, has_dports, dalts, dtexts, &nd);
  g_autoptr (FwrRangeSet) port_protos = fwr_range_set_new ();
  fwr_range_set_add_range (port_protos, 6, 6);
  fwr_range_set_add_range (port_protos, 17, 17);
  fwr_range_set_add_range (port_protos, 132, 132);

  GPtrArray *old = g_steal_pointer (&e->services);
  e->services = g_ptr_array_new_with_free_func ((GDestroyNotify) service_free);
  for (guint k = 0; k < old->len; k++)
    {
      const Service *base = g_ptr_array_index (old, k);
      g_autoptr (FwrRangeSet) protos = base->protos ? fwr_range_set_copy (base->protos) : fwr_range_set_new_range (0, 255);
      g_autoptr (FwrRangeSet) others = fwr_range_set_copy (protos);
      fwr_range_set_intersect (protos, port_protos);
      fwr_range_set_subtract (others, port_protos);
      for (guint a = 0; a < ns && !fwr_range_set_is_empty (protos); a++)
        for (guint b = 0; b < nd; b++)
          {
            Service *service = service_new (fwr_range_set_copy (protos));
            service->sports = salts[a] ? fwr_range_set_copy (salts[a]) : NULL;
            service->dports = dalts[b] ? fwr_range_set_copy (dalts[b]) : NULL;
            g_autofree char *ports_text = concat_opaque (stexts[a], dtexts[b]);
            service->opaque = concat_opaque (base->opaque, ports_text);
            g_ptr_array_add (e->services, service);
          }
      if (!fwr_range_set_is_empty (others))
        {
          Service *service = service_new (g_steal_pointer (&others));
          service->opaque = concat_opaque (base->opaque, "port condition on a protocol without ports");
          g_ptr_array_add (e->services, service);
        }
    }
  g_ptr_array_unref (old);
  for (guint a = 0; a < ns; a++)
    fwr_range_set_free (salts[a]), g_free (stexts[a]);
  for (guint b = 0; b < nd; b++)
    fwr_range_set_free (dalts[b]), g_free (dtexts[b]);
}

/* The ICMP types of ICMP protocol proto named by the operand at start (type [code] or an
 * icmp-type group); advances *end past it. */
static gboolean
read_icmp_operand (AceReader *e, guint start, guint proto, RangeValue *out, guint *end)
{
  guint i = start;
  Group *group = peek_group (e);
  if (group != NULL && group->kind == GROUP_ICMP)
    {
      range_value_merge (out, resolve_group_range (e->p, group, proto));
      unique_list_add (&e->objects, group->object);
      unique_list_extend (&e->objects, &out->objects);
      *end = start + 2;
      return TRUE;
    }
  gboolean ok = read_icmp_type (e->p, e->line, &i, proto, out);
  *end = i;
  return ok;
}

static gboolean
starts_icmp_operand (AceReader *e)
{
  const char *text = entry_peek (e);
  Group *group = peek_group (e);
  if (group != NULL)
    return group->kind == GROUP_ICMP;
  return text != NULL && (g_ascii_isdigit (text[0]) || is_icmp_type_name (text));
}

/* Splits ICMP and ICMPv6 out of each protocol alternative and gives them their types. */
static gboolean
apply_icmp (AceReader *e)
{
  guint start = e->i, end = e->i;
  GPtrArray *old = g_steal_pointer (&e->services);
  e->services = g_ptr_array_new_with_free_func ((GDestroyNotify) service_free);
  gboolean ok = TRUE;
  for (guint k = 0; ok && k < old->len; k++)
    {
      const Service *base = g_ptr_array_index (old, k);
      g_autoptr (FwrRangeSet) others = base->protos ? fwr_range_set_copy (base->protos) : fwr_range_set_new_range (0, 255);
      gboolean has_icmp4 = fwr_range_set_contains (others, 1);
      static const guint icmp_protos[] = { 1, 58 };
      for (guint q = 0; ok && q < G_N_ELEMENTS (icmp_protos); q++)
        {
          guint proto = icmp_protos[q];
          if (!fwr_range_set_contains (others, proto))
            continue;
          RangeValue types;
          range_value_init (&types);
          /* ICMPv6 reads the same tokens again: ICMP gave their warnings already. */
          gboolean quiet = proto == 58 && has_icmp4;
          e->p->quiet += quiet;
          ok = read_icmp_operand (e, start, proto, &types, &end);
          e->p->quiet -= quiet;
          if (ok)
            {
              Service *service = service_new_proto (proto);
              service->opaque = g_strdup (base->opaque);
              service_set_dimension (service, &service->icmp, &types);
              g_ptr_array_add (e->services, service);
            }
          range_value_clear (&types);
          g_autoptr (FwrRangeSet) one = fwr_range_set_new_range (proto, proto);
          fwr_range_set_subtract (others, one);
        }
      if (ok && !fwr_range_set_is_empty (others))
        {
          Service *service = service_new (g_steal_pointer (&others));
          service->opaque = concat_opaque (base->opaque, "ICMP type condition on a protocol other than ICMP");
          g_ptr_array_add (e->services, service);
        }
    }
  g_ptr_array_unref (old);
  e->i = end;
  return ok;
}

/* log [LEVEL] [interval N] | log disable | log default, inactive, time-range NAME */
static gboolean
read_options (AceReader *e)
{
  while (e->i < e->line->n)
    {
      const char *option = entry_peek (e);
      e->i++;
      if (g_str_equal (option, "log"))
        {
          e->log = TRUE;
          if (g_strcmp0 (entry_peek (e), "disable") == 0)
            e->log = FALSE, e->i++;
          else if (g_strcmp0 (entry_peek (e), "default") == 0)
            e->i++;
          else
            {
              if (entry_peek (e) != NULL && is_log_level (entry_peek (e)))
                e->i++;
              if (g_strcmp0 (entry_peek (e), "interval") == 0)
                e->i += 2;
            }
        }
      else if (g_str_equal (option, "inactive"))
        e->enabled = FALSE;
      else if (g_str_equal (option, "time-range"))
        {
          const char *name = entry_peek (e);
          if (name == NULL)
            return fail_at (e->p, e->line, e->i, "“time-range” needs a name");
          FwrObject *object = g_hash_table_lookup (e->p->time_ranges, name);
          if (object != NULL)
            unique_list_add (&e->objects, object);
          else
            parser_warn (e->p, e->line->number, column_of (e->line, e->i), "time-range %s is not defined", name);
          g_ptr_array_add (e->opaque, g_strdup_printf ("time-range %s", name));
          e->i++;
        }
      else
        return fail_at (e->p, e->line, e->i - 1, "unexpected “%s”", option);
    }
  if (e->i > e->line->n)
    return fail_at (e->p, e->line, e->line->n, "“interval” needs a number of seconds");
  return TRUE;
}

static FwrFamilyMask
service_families (const Service *service)
{
  if (service->protos == NULL)
    return FWR_FAMILY_ANY;
  g_autoptr (FwrRangeSet) v4_only = fwr_range_set_new_range (1, 1);
  g_autoptr (FwrRangeSet) v6_only = fwr_range_set_new_range (58, 58);
  if (fwr_range_set_is_subset (service->protos, v4_only))
    return FWR_FAMILY_IPV4;
  if (fwr_range_set_is_subset (service->protos, v6_only))
    return FWR_FAMILY_IPV6;
  return FWR_FAMILY_ANY;
}

/* NULL when the alternative is every address of the families the term is limited to. */
static FwrAddrSet *
addr_for_match (const AddrAlt *alt, FwrFamilyMask families)
{
  if (fwr_addr_set_is_any (alt->set, families))
    return NULL;
  FwrAddrSet *set = fwr_addr_set_copy (alt->set);
  if (!(families & FWR_FAMILY_IPV4))
    _fwr_spans_clear (&set->v4), _fwr_spans_init (&set->v4);
  if (!(families & FWR_FAMILY_IPV6))
    _fwr_spans_clear (&set->v6), _fwr_spans_init (&set->v6);
  return set;
}

static void
fill_term (FwrTerm *term, const Service *service, const AddrAlt *src, const AddrAlt *dst,
           FwrFamilyMask families, GPtrArray *opaque)
{
  FwrMatch *match = &term->match;
  match->families = families;
  match->src = addr_for_match (src, families);
  match->dst = addr_for_match (dst, families);
  match->protos = COPY_RANGE (service->protos);
  match->sports = COPY_RANGE (service->sports);
  match->dports = COPY_RANGE (service->dports);
  match->icmp = COPY_RANGE (service->icmp);
  const char *notes[] = { service->opaque, src->opaque, dst->opaque };
  for (guint k = 0; k < G_N_ELEMENTS (notes); k++)
    if (notes[k] != NULL)
      _fwr_match_add_opaque (match, notes[k]);
  for (guint k = 0; k < opaque->len; k++)
    _fwr_match_add_opaque (match, g_ptr_array_index (opaque, k));
}

/* One term per service, source and destination alternative of the same address family. */
static void
add_terms (FwrRule *rule, AceReader *e)
{
  AddrAlt src[2], dst[2];
  guint n_src = net_alternatives (&e->src, src);
  guint n_dst = net_alternatives (&e->dst, dst);
  gboolean first = TRUE;

  for (guint s = 0; s < e->services->len; s++)
    for (guint a = 0; a < n_src; a++)
      for (guint b = 0; b < n_dst; b++)
        {
          const Service *service = g_ptr_array_index (e->services, s);
          FwrFamilyMask families = fwr_addr_set_get_families (src[a].set) &
                                   fwr_addr_set_get_families (dst[b].set) & service_families (service);
          if (families == 0)
            continue;
          FwrTerm *term = first ? &rule->terms[0] : _fwr_rule_add_term (rule);
          first = FALSE;
          fill_term (term, service, &src[a], &dst[b], families, e->opaque);
        }
  if (first)
    {
      /* Nothing of one family on both sides: what the ASA would expand to no entry at all. */
      rule->terms[0].match.src = fwr_addr_set_new ();
      parser_warn (e->p, e->line->number, column_of (e->line, 0),
                   "this entry matches no packet (its addresses share no family, or a group is empty)");
    }
  addr_alts_clear (src, n_src);
  addr_alts_clear (dst, n_dst);
}

static gboolean
read_extended (AceReader *e)
{
  if (!read_protocol_operand (e) || !read_entry_address (e, TRUE))
    return FALSE;

  RangeValue sports, dports;
  range_value_init (&sports);
  range_value_init (&dports);
  gboolean has_sports = FALSE, has_dports = FALSE, ok;
  ok = read_port_operand (e, &sports, &has_sports) && read_entry_address (e, FALSE) &&
       read_port_operand (e, &dports, &has_dports);
  if (ok && (has_sports || has_dports))
    apply_ports (e, &sports, has_sports, &dports, has_dports);
  range_value_clear (&sports);
  range_value_clear (&dports);
  if (!ok)
    return FALSE;

  if (!has_dports && e->allow_ports && starts_icmp_operand (e) && !apply_icmp (e))
    return FALSE;
  return read_options (e);
}

static gboolean
read_standard (AceReader *e)
{
  g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (FWR_FAMILY_ANY);
  fwr_addr_set_union (e->src.exact, any);
  g_ptr_array_add (e->services, service_new (NULL));
  if (!read_entry_address (e, FALSE))
    return FALSE;
  return expect_end (e->p, e->line, e->i);
}

/* Turns the entry into a rule of chain; the rule keeps the file line of the entry. */
static gboolean
add_entry_rule (Parser *p, Acl *acl, const Entry *entry, guint asa_line, char *comment)
{
  const Line *line = entry->line;
  guint i = line_is (line, 2, "line") ? 4 : 2;
  gboolean standard = line_is (line, i, "standard");
  if (line_is (line, i, "extended") || standard)
    i++;
  const char *action = line_token (line, i);
  if (action == NULL || (!g_str_equal (action, "permit") && !g_str_equal (action, "deny")))
    {
      g_free (comment);
      return fail_at (p, line, i, "expected permit or deny");
    }

  AceReader e;
  ace_reader_init (&e, p, line, i + 1);
  gboolean ok = standard ? read_standard (&e) : read_extended (&e);
  if (ok)
    {
      g_autofree char *id = g_strdup_printf ("%s/%u", acl->name, asa_line);
      FwrRule *rule = _fwr_chain_add_rule (acl->chain, id);
      rule->line = line->number;
      rule->column = 1;
      rule->comment = comment;
      comment = NULL;
      rule->enabled = e.enabled;
      rule->log = e.log;
      add_terms (rule, &e);
      _fwr_rule_set_verdict (rule, g_str_equal (action, "permit") ? FWR_ACTION_ACCEPT : FWR_ACTION_DROP, NULL);
      for (guint k = 0; k < e.objects.items->len; k++)
        _fwr_rule_add_ref (rule, g_ptr_array_index (e.objects.items, k));
    }
  g_free (comment);
  ace_reader_clear (&e);
  return ok;
}

/* Chains */

static FwrChain *
add_chain (Parser *p, const char *name, FwrHook hook, FwrChainType type, int priority, FwrAction policy)
{
  FwrChain *chain = _fwr_ruleset_add_chain (p->ruleset, name, p->table, name, FWR_TABLE_FAMILY_INET);
  chain->hook = hook;
  chain->type = type;
  chain->priority = priority;
  chain->policy = policy;
  return chain;
}

static gboolean
acl_is_modelled (const Acl *acl)
{
  /* After "clear configure access-list" an access list without entries no longer exists. */
  return acl->entries->len > 0 && (acl->type == NULL || acl->modelled);
}

static gboolean
term_matches_everything (const FwrTerm *term)
{
  const FwrMatch *m = &term->match;
  return m->families == FWR_FAMILY_ANY && m->src == NULL && m->dst == NULL && m->protos == NULL &&
         m->sports == NULL && m->dports == NULL && m->icmp == NULL && m->ct_states == 0 &&
         m->iif.patterns == NULL && m->oif.patterns == NULL && m->src_zones.patterns == NULL &&
         m->dst_zones.patterns == NULL && (m->opaque == NULL || m->opaque->len == 0);
}

/* Whether the last active entry ("permit ip any any", "deny ip any any log") decides every
 * packet, so that none reaches the implicit deny. */
static gboolean
chain_ends_with_catch_all (FwrChain *chain)
{
  for (guint r = chain->rules->len; r > 0; r--)
    {
      FwrRule *rule = g_ptr_array_index (chain->rules, r - 1);
      if (!rule->enabled)
        continue;
      for (guint t = 0; t < rule->n_terms; t++)
        if (term_matches_everything (&rule->terms[t]))
          return TRUE;
      return FALSE;
    }
  return FALSE;
}

static gboolean
build_acl_chain (Parser *p, Acl *acl, gboolean implicit_deny)
{
  g_autofree char *pending = NULL;
  for (guint k = 0; k < acl->entries->len; k++)
    {
      const Entry *entry = g_ptr_array_index (acl->entries, k);
      if (entry->remark != NULL)
        {
          char *joined = pending ? g_strconcat (pending, "\n", entry->remark, NULL) : g_strdup (entry->remark);
          g_free (pending);
          pending = joined;
          continue;
        }
      if (!add_entry_rule (p, acl, entry, k + 1, g_steal_pointer (&pending)))
        return FALSE;
    }
  /* An implicit deny that no packet can reach would only be reported as shadowed: a false
   * alarm on every list that ends with its own "deny ip any any log". */
  if (implicit_deny && !chain_ends_with_catch_all (acl->chain))
    {
      g_autofree char *id = g_strdup_printf ("%s/implicit-deny", acl->name);
      FwrRule *rule = _fwr_chain_add_rule (acl->chain, id);
      rule->comment = g_strdup ("the ASA's implicit deny at the end of every access list");
      _fwr_rule_set_verdict (rule, FWR_ACTION_DROP, NULL);
    }
  return TRUE;
}

static Binding *
find_binding (Parser *p, const char *nameif, gboolean out)
{
  for (guint i = 0; i < p->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (p->bindings, i);
      if (binding->out == out && g_strcmp0 (binding->nameif, nameif) == 0)
        return binding;
    }
  return NULL;
}

static void
set_zone (FwrNameMatch *names, const char *zone)
{
  const char *one[] = { zone, NULL };
  names->patterns = g_strdupv ((char **) one);
}

/* The rule that sends packets of one binding into its access list. */
static FwrRule *
add_binding_rule (Parser *p, FwrChain *base, Binding *binding)
{
  const char *where = binding->nameif ? binding->nameif : "global";
  g_autofree char *id = g_strdup_printf ("%s/%s", base->id, where);
  Acl *acl = g_hash_table_lookup (p->acls, binding->acl);
  guint column = column_of (binding->line, 1);

  if (acl != NULL && acl->type != NULL && !acl->modelled)
    {
      parser_warn (p, binding->line->number, column,
                   "access-list %s holds %s entries, which filter no IP traffic: binding skipped",
                   acl->name, acl->type);
      return NULL;
    }
  FwrRule *rule = _fwr_chain_add_rule (base, id);
  rule->line = binding->line->number;
  rule->column = 1;
  if (binding->nameif != NULL)
    set_zone (binding->out ? &rule->terms[0].match.dst_zones : &rule->terms[0].match.src_zones, binding->nameif);
  else if (p->iface_order->len > 0)
    {
      /* Every packet comes in on some named interface: no other reaches the global list. */
      FwrNameMatch *zones = &rule->terms[0].match.src_zones;
      zones->patterns = g_new0 (char *, p->iface_order->len + 1);
      for (guint i = 0; i < p->iface_order->len; i++)
        zones->patterns[i] = g_strdup (((Iface *) g_ptr_array_index (p->iface_order, i))->nameif);
    }
  if (acl == NULL || acl->entries->len == 0)
    {
      /* The ASA refuses to bind a list that does not exist; what such a file means is unknown. */
      parser_warn (p, binding->line->number, column, "access-group binds access-list %s, which is not defined",
                   binding->acl);
      g_autofree char *text = g_strdup_printf ("access-list %s (undefined)", binding->acl);
      _fwr_match_add_opaque (&rule->terms[0].match, text);
      _fwr_rule_set_verdict (rule, FWR_ACTION_DROP, NULL);
      return rule;
    }
  _fwr_rule_set_verdict (rule, FWR_ACTION_JUMP, acl->name);
  return rule;
}

/* Without an inbound access list the ASA permits traffic towards lower security levels (and
 * equal ones with same-security-traffic permit inter-interface). */
static void
add_security_level_rule (Parser *p, FwrChain *base, Iface *iface)
{
  g_autoptr (GPtrArray) zones = g_ptr_array_new ();
  for (guint k = 0; k < p->iface_order->len; k++)
    {
      Iface *to = g_ptr_array_index (p->iface_order, k);
      gboolean lower = to->level < iface->level || (p->inter_interface && to->level == iface->level);
      if (to == iface ? p->intra_interface : lower)
        g_ptr_array_add (zones, to->nameif);
    }
  if (zones->len == 0)
    return;
  g_ptr_array_add (zones, NULL);

  g_autofree char *id = g_strdup_printf ("%s/security-level/%s", base->id, iface->nameif);
  FwrRule *rule = _fwr_chain_add_rule (base, id);
  rule->line = iface->line;
  rule->column = 1;
  set_zone (&rule->terms[0].match.src_zones, iface->nameif);
  rule->terms[0].match.dst_zones.patterns = g_strdupv ((char **) zones->pdata);
  rule->comment = g_strdup_printf ("no access list is bound in on interface %s: the ASA permits its "
                                   "traffic (security level %d) to interfaces of a lower level%s",
                                   iface->nameif, iface->level,
                                   p->inter_interface ? " or the same level" : "");
  _fwr_rule_set_verdict (rule, FWR_ACTION_ACCEPT, NULL);
}

static void
warn_unknown_interfaces (Parser *p)
{
  if (!p->saw_interfaces)
    {
      if (p->bindings->len > 0)
        parser_warn (p, 0, 0, "the file defines no interface with a nameif: what the security levels permit "
                              "on interfaces without an inbound access list is not modelled");
      return;
    }
  for (guint i = 0; i < p->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (p->bindings, i);
      if (binding->nameif != NULL && !g_hash_table_contains (p->ifaces, binding->nameif))
        parser_warn (p, binding->line->number, column_of (binding->line, 4),
                     "no interface has nameif %s", binding->nameif);
    }
}

static void
build_in_chain (Parser *p, Binding *global)
{
  FwrChain *in = add_chain (p, IN_CHAIN, FWR_HOOK_FORWARD, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_DROP);
  for (guint i = 0; i < p->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (p->bindings, i);
      if (!binding->out && binding->nameif != NULL)
        add_binding_rule (p, in, binding);
    }
  if (global != NULL)
    add_binding_rule (p, in, global);
  else
    for (guint i = 0; i < p->iface_order->len; i++)
      {
        Iface *iface = g_ptr_array_index (p->iface_order, i);
        if (find_binding (p, iface->nameif, FALSE) == NULL)
          add_security_level_rule (p, in, iface);
      }
}

static void
build_out_chain (Parser *p, GHashTable *no_implicit_deny)
{
  FwrChain *out = NULL;
  for (guint i = 0; i < p->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (p->bindings, i);
      if (!binding->out)
        continue;
      if (out == NULL)
        out = add_chain (p, OUT_CHAIN, FWR_HOOK_FORWARD, FWR_CHAIN_TYPE_ROUTE, 100, FWR_ACTION_ACCEPT);
      FwrRule *rule = add_binding_rule (p, out, binding);
      if (rule == NULL || !g_hash_table_contains (no_implicit_deny, binding->acl))
        continue;
      /* The list lets through what it leaves undecided (for the global list): outbound it must not. */
      g_autofree char *id = g_strdup_printf ("%s/implicit-deny", rule->id);
      FwrRule *deny = _fwr_chain_add_rule (out, id);
      set_zone (&deny->terms[0].match.dst_zones, binding->nameif);
      deny->comment = g_strdup ("the ASA's implicit deny at the end of the outbound access list");
      _fwr_rule_set_verdict (deny, FWR_ACTION_DROP, NULL);
    }
}

static gboolean
build_policy (Parser *p)
{
  Binding *global = find_binding (p, NULL, FALSE);
  /* With a global list, an interface list's undecided packets go on to it: no implicit deny. */
  g_autoptr (GHashTable) no_implicit_deny = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; global != NULL && i < p->bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (p->bindings, i);
      if (!binding->out && binding->nameif != NULL && g_strcmp0 (binding->acl, global->acl) != 0)
        g_hash_table_add (no_implicit_deny, binding->acl);
    }

  warn_unknown_interfaces (p);
  if (p->iface_order->len > 0 || p->bindings->len > 0)
    {
      build_in_chain (p, global);
      build_out_chain (p, no_implicit_deny);
    }
  for (guint i = 0; i < p->acl_order->len; i++)
    {
      Acl *acl = g_ptr_array_index (p->acl_order, i);
      if (!acl_is_modelled (acl))
        continue;
      acl->chain = add_chain (p, acl->name, FWR_HOOK_NONE, FWR_CHAIN_TYPE_FILTER, 0, FWR_ACTION_NONE);
      acl->chain->line = acl->first_line;
      if (!build_acl_chain (p, acl, !g_hash_table_contains (no_implicit_deny, acl->name)))
        return FALSE;
    }
  return TRUE;
}

/* Entry points */

static int
compare_warnings (gconstpointer a, gconstpointer b)
{
  const Warning *wa = a, *wb = b;
  if (wa->line != wb->line)
    return wa->line < wb->line ? -1 : 1;
  return wa->column < wb->column ? -1 : (wa->column > wb->column);
}

static void
publish_warnings (Parser *p)
{
  /* Pass 2 finds problems out of file order; people read them in file order. */
  g_array_sort (p->warnings, compare_warnings);
  for (guint i = 0; i < p->warnings->len; i++)
    {
      const Warning *warning = &g_array_index (p->warnings, Warning, i);
      _fwr_ruleset_add_warning (p->ruleset, warning->line, warning->column, "%s", warning->text);
    }
}

FwrRuleset *
_fwr_import_cisco_asa (const char *name, const char *data, gsize length, GError **error)
{
  g_autoptr (Parser) p = parser_new (name);
  gboolean ok = read_lines (p, data, length);
  if (ok)
    {
      classify_groups (p);
      ok = check_group_nesting (p) && resolve_all (p);
    }
  if (ok)
    {
      count_name_uses (p);
      count_nat_uses (p);
      ok = build_policy (p);
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&p->error));
      return NULL;
    }
  if (p->acl_order->len == 0 && p->bindings->len == 0 && p->net_object_order->len == 0 &&
      p->svc_object_order->len == 0 && p->group_order->len == 0 && p->iface_order->len == 0)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, name, 0, 0,
                             "no access list, object or interface found: not a Cisco ASA configuration");
      return NULL;
    }
  publish_warnings (p);
  return g_steal_pointer (&p->ruleset);
}

/* Content detection: lines only an ASA (or PIX/FWSM) writes. */
gboolean
_fwr_import_cisco_asa_detect (const char *data, gsize length)
{
  static const char *markers[] = { "ASA Version ", "PIX Version ", "FWSM Version ", ": Saved",
                                   "clear configure access-list ",
                                   "access-group ", "object network ", "object service ",
                                   "object-group network ", "object-group service ",
                                   "object-group protocol ", "object-group icmp-type " };
  gsize end = MIN (length, 65536);
  gsize start = 0;
  while (start < end)
    {
      const char *nl = memchr (data + start, '\n', end - start);
      gsize stop = nl ? (gsize) (nl - data) : end;
      g_autofree char *line = g_strndup (data + start, stop - start);
      for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
        if (g_str_has_prefix (line, markers[i]))
          return TRUE;
      g_auto (GStrv) words = g_str_has_prefix (line, "access-list ") ? g_strsplit (line, " ", 4) : NULL;
      if (words != NULL && g_strv_length (words) >= 3 &&
          (is_entry_type (words[2]) || is_unmodelled_type (words[2]) || g_str_equal (words[2], "line")) &&
          !g_str_equal (words[2], "remark"))
        return TRUE;
      start = stop + 1;
    }
  return FALSE;
}

/* Hit counts from `show access-list` */

typedef struct {
  char *acl;
  guint asa_line;
  guint file_line;
  char *kind;               /* "extended", "standard", "remark", ... */
  char *action;             /* (nullable) permit or deny */
  gboolean has_count;
  guint64 count;            /* the entry's own hitcnt */
  gboolean has_children;
  guint64 children;         /* the sum over its expanded object-group entries */
} HitEntry;

static void
hit_entry_free (HitEntry *hit)
{
  g_free (hit->acl);
  g_free (hit->kind);
  g_free (hit->action);
  g_free (hit);
}

typedef struct {
  const char *file;
  GPtrArray *entries;       /* (element-type HitEntry) */
  GHashTable *by_key;       /* "acl\nline" -> HitEntry */
  GPtrArray *warnings;      /* (element-type utf8) complete texts */
  GError *error;
} HitsParser;

static void
hits_warn (HitsParser *h, guint line, guint column, const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
hits_warn (HitsParser *h, guint line, guint column, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_ptr_array_add (h->warnings, g_strdup_printf ("%s:%u:%u: %s", h->file, line, column, text));
  else
    g_ptr_array_add (h->warnings, g_strdup_printf ("%s: %s", h->file, text));
}

/* "(hitcnt=N)" in the line: FALSE with *found when it is there but not a number. */
static gboolean
find_hitcnt (const Line *line, gboolean *found, guint64 *count, guint *column)
{
  *found = FALSE;
  for (guint t = 0; t < line->n; t++)
    {
      const char *text = line->tokens[t].text;
      if (!g_str_has_prefix (text, "(hitcnt="))
        continue;
      *found = TRUE;
      *column = line->tokens[t].column;
      gsize len = strlen (text);
      if (len < 10 || text[len - 1] != ')')
        return FALSE;
      g_autofree char *digits = g_strndup (text + 8, len - 9);
      return g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64, count, NULL);
    }
  return TRUE;
}

static gboolean
hits_read_line (HitsParser *h, const Line *line, HitEntry **parent)
{
  guint asa_line;
  if (line->n < 5 || !line_is (line, 0, "access-list") || !line_is (line, 2, "line") ||
      !parse_number (line->tokens[3].text, G_MAXINT, &asa_line))
    return TRUE;

  gboolean found;
  guint64 count = 0;
  guint column = 0;
  if (!find_hitcnt (line, &found, &count, &column))
    {
      _fwr_import_set_error (&h->error, FWR_IMPORT_ERROR_MALFORMED, h->file, line->number, column,
                             "the hit count is not a number");
      return FALSE;
    }
  const char *acl = line->tokens[1].text;
  if (line->indented)
    {
      if (*parent == NULL || !g_str_equal ((*parent)->acl, acl) || (*parent)->asa_line != asa_line)
        hits_warn (h, line->number, 1, "an expanded entry without its access-list line above it is ignored");
      else if (found)
        (*parent)->has_children = TRUE, (*parent)->children += count;
      return TRUE;
    }

  g_autofree char *key = g_strdup_printf ("%s\n%u", acl, asa_line);
  if (g_hash_table_contains (h->by_key, key))
    {
      _fwr_import_set_error (&h->error, FWR_IMPORT_ERROR_MALFORMED, h->file, line->number, 1,
                             "line %u of access-list %s appears twice", asa_line, acl);
      return FALSE;
    }
  HitEntry *hit = g_new0 (HitEntry, 1);
  hit->acl = g_strdup (acl);
  hit->asa_line = asa_line;
  hit->file_line = line->number;
  hit->kind = g_strdup (line->tokens[4].text);
  hit->action = g_strdup (line_token (line, 5));
  hit->has_count = found;
  hit->count = count;
  g_ptr_array_add (h->entries, hit);
  g_hash_table_insert (h->by_key, g_steal_pointer (&key), hit);
  *parent = hit;
  return TRUE;
}

static gboolean
hits_read (HitsParser *h, const char *data, gsize length)
{
  gsize start = 0;
  guint number = 0;
  HitEntry *parent = NULL;
  while (start < length)
    {
      const char *nl = memchr (data + start, '\n', length - start);
      gsize end = nl ? (gsize) (nl - data) : length;
      gsize line_end = end > start && data[end - 1] == '\r' ? end - 1 : end;
      number++;
      if (memchr (data + start, '\0', line_end - start) != NULL)
        {
          _fwr_import_set_error (&h->error, FWR_IMPORT_ERROR_MALFORMED, h->file, number, 1,
                                 "the line holds a NUL byte: this is not `show access-list` output");
          return FALSE;
        }
      Line *line = line_new (number, data + start, line_end - start);
      gboolean ok = hits_read_line (h, line, &parent);
      line_free (line);
      if (!ok)
        return FALSE;
      start = end + 1;
    }
  if (h->entries->len == 0)
    {
      _fwr_import_set_error (&h->error, FWR_IMPORT_ERROR_MALFORMED, h->file, 0, 0,
                             "no `show access-list` entry (“access-list NAME line N ... (hitcnt=N)”) found");
      return FALSE;
    }
  return TRUE;
}

/* The hits must come from this configuration: every counted line must be the same kind of
 * entry with the same action, or the counts would be pinned on the wrong rules. */
static gboolean
hits_check_entry (HitsParser *h, FwrRuleset *ruleset, HitEntry *hit, FwrRule **out)
{
  g_autofree char *id = g_strdup_printf ("%s/%u", hit->acl, hit->asa_line);
  FwrChain *chain = fwr_ruleset_lookup_chain (ruleset, hit->acl);
  FwrRule *rule = fwr_ruleset_lookup_rule (ruleset, id);
  *out = NULL;
  if (chain == NULL || chain->hook != FWR_HOOK_NONE)
    return TRUE;
  if (rule != NULL && rule->chain != chain)
    rule = NULL;
  if (g_str_equal (hit->kind, "remark"))
    {
      if (rule == NULL)
        return TRUE;
      _fwr_import_set_error (&h->error, FWR_IMPORT_ERROR_MALFORMED, h->file, hit->file_line, 1,
                             "line %u of access-list %s is a remark here but an entry in the configuration "
                             "(line %u): these hit counts come from another configuration",
                             hit->asa_line, hit->acl, rule->line);
      return FALSE;
    }
  FwrAction action = g_strcmp0 (hit->action, "permit") == 0 ? FWR_ACTION_ACCEPT : FWR_ACTION_DROP;
  if (rule == NULL || rule->verdict.action != action)
    {
      _fwr_import_set_error (&h->error, FWR_IMPORT_ERROR_MALFORMED, h->file, hit->file_line, 1,
                             "line %u of access-list %s is “%s %s” here but %s in the configuration: "
                             "these hit counts come from another configuration", hit->asa_line, hit->acl,
                             hit->kind, hit->action ? hit->action : "",
                             rule == NULL ? "no entry" : "an entry with the other action");
      return FALSE;
    }
  *out = rule;
  return TRUE;
}

static void
hits_warn_missing (HitsParser *h, FwrRuleset *ruleset, GHashTable *counted)
{
  g_autoptr (GHashTable) acls = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < h->entries->len; i++)
    {
      HitEntry *hit = g_ptr_array_index (h->entries, i);
      FwrChain *chain = fwr_ruleset_lookup_chain (ruleset, hit->acl);
      if (g_hash_table_contains (acls, hit->acl))
        continue;
      g_hash_table_add (acls, hit->acl);
      if (chain == NULL || chain->hook != FWR_HOOK_NONE)
        {
          hits_warn (h, hit->file_line, 1, "access-list %s is not in the configuration: its hit counts are ignored",
                     hit->acl);
          continue;
        }
      guint missing = 0;
      for (guint r = 0; r < chain->rules->len; r++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, r);
          missing += rule->line > 0 && !g_hash_table_contains (counted, rule);
        }
      if (missing > 0)
        hits_warn (h, 0, 0, "%u entr%s of access-list %s %s no hit count here: usage unknown", missing,
                   missing == 1 ? "y" : "ies", hit->acl, missing == 1 ? "has" : "have");
    }
}

gboolean
_fwr_import_cisco_asa_apply_hits (FwrRuleset *ruleset, const char *name, const char *data,
                                  gsize length, GError **error)
{
  HitsParser h = { name, g_ptr_array_new_with_free_func ((GDestroyNotify) hit_entry_free),
                   g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                   g_ptr_array_new_with_free_func (g_free), NULL };
  g_autoptr (GHashTable) counted = g_hash_table_new (NULL, NULL);  /* FwrRule -> HitEntry */
  gboolean ok = hits_read (&h, data, length);
  for (guint i = 0; ok && i < h.entries->len; i++)
    {
      HitEntry *hit = g_ptr_array_index (h.entries, i);
      FwrRule *rule;
      ok = hits_check_entry (&h, ruleset, hit, &rule);
      if (ok && rule != NULL && (hit->has_count || hit->has_children))
        g_hash_table_insert (counted, rule, hit);
    }
  if (ok)
    {
      /* Nothing is written before every line has been checked. */
      hits_warn_missing (&h, ruleset, counted);
      GHashTableIter iter;
      gpointer key, value;
      g_hash_table_iter_init (&iter, counted);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          FwrRule *rule = key;
          HitEntry *hit = value;
          rule->has_counter = TRUE;
          /* The ASA counts the line itself; the expanded entries only when it shows no count. */
          rule->packets = hit->has_count ? hit->count : hit->children;
        }
      for (guint i = 0; i < h.warnings->len; i++)
        g_ptr_array_add (ruleset->warnings, g_strdup (g_ptr_array_index (h.warnings, i)));
    }
  else
    g_propagate_error (error, g_steal_pointer (&h.error));
  g_ptr_array_unref (h.entries);
  g_hash_table_unref (h.by_key);
  g_ptr_array_unref (h.warnings);
  g_clear_error (&h.error);
  return ok;
}
