/* fwr-import-fortigate.c: FortiOS configurations (show, show full-configuration, backups) to
 * the model: per VDOM one forward chain of firewall policies in file order, implicit deny. */
#include "fwr-import-private.h"
#include "fwr-fortios-config-private.h"
#include "fwr-fortios-values-private.h"
#include "fwr-jansson-private.h"

#include <arpa/inet.h>

/* What FortiOS creates in every VDOM, in its own syntax. Used when a plain "show" or a
 * snippet leaves them out; such objects are the firmware's, not the administrator's, so
 * they never count as unused objects. Values as FortiOS 5.2 to 7.4 ship them. */
static const char predefined_objects[] =
  "config firewall address\n"
  " edit all\n next\n"
  " edit none\n set subnet 0.0.0.0 255.255.255.255\n next\n"
  "end\n"
  "config firewall address6\n"
  " edit all\n next\n"
  " edit none\n set ip6 ::/128\n next\n"
  "end\n"
  "config firewall service custom\n"
  " edit ALL\n set protocol IP\n next\n"
  " edit ALL_TCP\n set tcp-portrange 1-65535\n next\n"
  " edit ALL_UDP\n set udp-portrange 1-65535\n next\n"
  " edit ALL_ICMP\n set protocol ICMP\n next\n"
  " edit ALL_ICMP6\n set protocol ICMP6\n next\n"
  " edit GRE\n set protocol IP\n set protocol-number 47\n next\n"
  " edit AH\n set protocol IP\n set protocol-number 51\n next\n"
  " edit ESP\n set protocol IP\n set protocol-number 50\n next\n"
  " edit AOL\n set tcp-portrange 5190-5194\n next\n"
  " edit BGP\n set tcp-portrange 179\n next\n"
  " edit DHCP\n set udp-portrange 67-68\n next\n"
  " edit DNS\n set tcp-portrange 53\n set udp-portrange 53\n next\n"
  " edit FINGER\n set tcp-portrange 79\n next\n"
  " edit FTP\n set tcp-portrange 21\n next\n"
  " edit FTP_GET\n set tcp-portrange 21\n next\n"
  " edit FTP_PUT\n set tcp-portrange 21\n next\n"
  " edit GOPHER\n set tcp-portrange 70\n next\n"
  " edit H323\n set tcp-portrange 1720 1503\n set udp-portrange 1719\n next\n"
  " edit HTTP\n set tcp-portrange 80\n next\n"
  " edit HTTPS\n set tcp-portrange 443\n next\n"
  " edit IKE\n set udp-portrange 500 4500\n next\n"
  " edit IMAP\n set tcp-portrange 143\n next\n"
  " edit IMAPS\n set tcp-portrange 993\n next\n"
  " edit Internet-Locator-Service\n set tcp-portrange 389\n next\n"
  " edit IRC\n set tcp-portrange 6660-6669\n next\n"
  " edit L2TP\n set tcp-portrange 1701\n set udp-portrange 1701\n next\n"
  " edit LDAP\n set tcp-portrange 389\n next\n"
  " edit NetMeeting\n set tcp-portrange 1720\n next\n"
  " edit NFS\n set tcp-portrange 111 2049\n set udp-portrange 111 2049\n next\n"
  " edit NNTP\n set tcp-portrange 119\n next\n"
  " edit NTP\n set tcp-portrange 123\n set udp-portrange 123\n next\n"
  " edit OSPF\n set protocol IP\n set protocol-number 89\n next\n"
  " edit PC-Anywhere\n set tcp-portrange 5631\n set udp-portrange 5632\n next\n"
  " edit PING\n set protocol ICMP\n set icmptype 8\n next\n"
  " edit TIMESTAMP\n set protocol ICMP\n set icmptype 13\n next\n"
  " edit INFO_REQUEST\n set protocol ICMP\n set icmptype 15\n next\n"
  " edit INFO_ADDRESS\n set protocol ICMP\n set icmptype 17\n next\n"
  " edit ONC-RPC\n set tcp-portrange 111\n set udp-portrange 111\n next\n"
  " edit DCE-RPC\n set tcp-portrange 135\n set udp-portrange 135\n next\n"
  " edit POP3\n set tcp-portrange 110\n next\n"
  " edit POP3S\n set tcp-portrange 995\n next\n"
  " edit PPTP\n set tcp-portrange 1723\n next\n"
  " edit QUAKE\n set udp-portrange 26000 27000 27910 27960\n next\n"
  " edit RAUDIO\n set udp-portrange 7070\n next\n"
  " edit REXEC\n set tcp-portrange 512\n next\n"
  " edit RIP\n set udp-portrange 520\n next\n"
  " edit RLOGIN\n set tcp-portrange 513:512-1023\n next\n"
  " edit RSH\n set tcp-portrange 514:512-1023\n next\n"
  " edit SCCP\n set tcp-portrange 2000\n next\n"
  " edit SIP\n set tcp-portrange 5060\n set udp-portrange 5060\n next\n"
  " edit SIP-MSNmessenger\n set tcp-portrange 1863\n next\n"
  " edit SAMBA\n set tcp-portrange 139\n next\n"
  " edit SMTP\n set tcp-portrange 25\n next\n"
  " edit SMTPS\n set tcp-portrange 465\n next\n"
  " edit SNMP\n set tcp-portrange 161-162\n set udp-portrange 161-162\n next\n"
  " edit SSH\n set tcp-portrange 22\n next\n"
  " edit SYSLOG\n set udp-portrange 514\n next\n"
  " edit TALK\n set udp-portrange 517-518\n next\n"
  " edit TELNET\n set tcp-portrange 23\n next\n"
  " edit TFTP\n set udp-portrange 69\n next\n"
  " edit MGCP\n set udp-portrange 2427 2727\n next\n"
  " edit UUCP\n set tcp-portrange 540\n next\n"
  " edit VDOLIVE\n set tcp-portrange 7000-7010\n next\n"
  " edit WAIS\n set tcp-portrange 210\n next\n"
  " edit WINFRAME\n set tcp-portrange 1494 2598\n next\n"
  " edit X-WINDOWS\n set tcp-portrange 6000-6063\n next\n"
  " edit PING6\n set protocol ICMP6\n set icmptype 128\n next\n"
  " edit MS-SQL\n set tcp-portrange 1433 1434\n next\n"
  " edit MYSQL\n set tcp-portrange 3306\n next\n"
  " edit RDP\n set tcp-portrange 3389\n next\n"
  " edit VNC\n set tcp-portrange 5900\n next\n"
  " edit DHCP6\n set udp-portrange 546 547\n next\n"
  " edit SQUID\n set tcp-portrange 3128\n next\n"
  " edit SOCKS\n set tcp-portrange 1080\n set udp-portrange 1080\n next\n"
  " edit WINS\n set tcp-portrange 1512\n set udp-portrange 1512\n next\n"
  " edit RADIUS\n set udp-portrange 1812 1813\n next\n"
  " edit RADIUS-OLD\n set udp-portrange 1645 1646\n next\n"
  " edit CVSPSERVER\n set tcp-portrange 2401\n set udp-portrange 2401\n next\n"
  " edit AFS3\n set tcp-portrange 7000-7009\n set udp-portrange 7000-7009\n next\n"
  " edit TRACEROUTE\n set udp-portrange 33434-33535\n next\n"
  " edit RTSP\n set tcp-portrange 554 7070 8554\n set udp-portrange 554\n next\n"
  " edit MMS\n set tcp-portrange 1755\n set udp-portrange 1024-5000\n next\n"
  " edit KERBEROS\n set tcp-portrange 88\n set udp-portrange 88\n next\n"
  " edit LDAP_UDP\n set udp-portrange 389\n next\n"
  " edit SMB\n set tcp-portrange 445\n next\n"
  " edit NONE\n set tcp-portrange 0\n next\n"
  " edit webproxy\n set proxy enable\n set protocol ALL\n set tcp-portrange 0-65535:0-65535\n next\n"
  "end\n"
  "config firewall service group\n"
  " edit \"Email Access\"\n set member DNS IMAP IMAPS POP3 POP3S SMTP SMTPS\n next\n"
  " edit \"Web Access\"\n set member DNS HTTP HTTPS\n next\n"
  " edit \"Windows AD\"\n set member DCE-RPC DNS KERBEROS LDAP LDAP_UDP SAMBA SMB\n next\n"
  " edit \"Exchange Server\"\n set member DCE-RPC DNS HTTPS\n next\n"
  "end\n"
  "config firewall schedule recurring\n"
  " edit always\n set day sunday monday tuesday wednesday thursday friday saturday\n next\n"
  " edit none\n set day none\n next\n"
  " edit default-darrp-optimize\n set start 01:00\n set end 01:30\n"
  " set day sunday monday tuesday wednesday thursday friday saturday\n next\n"
  "end\n";

/* Tables that decide traffic but that this importer does not read: their entries are
 * reported, never silently dropped. */
static const char *const unread_tables[] = {
  "firewall local-in-policy", "firewall local-in-policy6", "firewall security-policy",
  "firewall consolidated policy", "firewall policy46", "firewall policy64", "firewall proxy-policy",
  "firewall explicit-proxy-policy", "firewall multicast-policy", "firewall multicast-policy6",
  "firewall DoS-policy", "firewall DoS-policy6", "firewall acl", "firewall acl6",
  "firewall interface-policy", "firewall interface-policy6", "firewall ttl-policy",
};

/* References, by where they may point */

typedef enum {
  REF_ADDR4,
  REF_ADDR6,
  REF_DSTADDR4,
  REF_DSTADDR6,
  REF_VIP4,
  REF_VIP6,
  REF_SERVICE,
  REF_SCHEDULE,
} RefKind;

static const struct {
  const char *what;
  const char *tables[5];
} ref_kinds[] = {
  [REF_ADDR4] = { "address", { "firewall address", "firewall addrgrp" } },
  [REF_ADDR6] = { "IPv6 address", { "firewall address6", "firewall addrgrp6" } },
  [REF_DSTADDR4] = { "address", { "firewall address", "firewall addrgrp", "firewall vip", "firewall vipgrp" } },
  [REF_DSTADDR6] = { "IPv6 address", { "firewall address6", "firewall addrgrp6", "firewall vip6", "firewall vipgrp6" } },
  [REF_VIP4] = { "virtual IP", { "firewall vip" } },
  [REF_VIP6] = { "IPv6 virtual IP", { "firewall vip6" } },
  [REF_SERVICE] = { "service", { "firewall service custom", "firewall service group" } },
  [REF_SCHEDULE] = { "schedule", { "firewall schedule recurring", "firewall schedule onetime",
                                   "firewall schedule group" } },
};

/* Named object tables: what kind of object each holds, and its short name in object ids. */
static const struct {
  const char *path;
  const char *id;
  FwrObjectKind kind;
} object_tables[] = {
  { "firewall address", "address", FWR_OBJECT_ADDRESS },
  { "firewall address6", "address6", FWR_OBJECT_ADDRESS },
  { "firewall vip", "vip", FWR_OBJECT_ADDRESS },
  { "firewall vip6", "vip6", FWR_OBJECT_ADDRESS },
  { "firewall addrgrp", "addrgrp", FWR_OBJECT_ADDRESS_GROUP },
  { "firewall addrgrp6", "addrgrp6", FWR_OBJECT_ADDRESS_GROUP },
  { "firewall vipgrp", "vipgrp", FWR_OBJECT_ADDRESS_GROUP },
  { "firewall vipgrp6", "vipgrp6", FWR_OBJECT_ADDRESS_GROUP },
  { "firewall service custom", "service", FWR_OBJECT_SERVICE },
  { "firewall service group", "service-group", FWR_OBJECT_SERVICE_GROUP },
  { "firewall schedule recurring", "schedule", FWR_OBJECT_SCHEDULE },
  { "firewall schedule onetime", "schedule-onetime", FWR_OBJECT_SCHEDULE },
  { "firewall schedule group", "schedule-group", FWR_OBJECT_SCHEDULE },
};

/* What a referenced object stands for, computed once per VDOM. */
typedef struct {
  FwrFosAddr *addr;      /* address kinds */
  GPtrArray *svc;        /* (element-type FwrFosSvcTerm) service kinds */
  char *schedule;        /* schedules: NULL when always on, else the condition's text */
  GPtrArray *used;       /* (element-type FwrObject) the object and all it contains */
} Resolved;

static void
resolved_free (Resolved *resolved)
{
  _fwr_fos_addr_free (resolved->addr);
  if (resolved->svc)
    g_ptr_array_unref (resolved->svc);
  g_free (resolved->schedule);
  g_ptr_array_unref (resolved->used);
  g_free (resolved);
}

static Resolved *
resolved_new (void)
{
  Resolved *resolved = g_new0 (Resolved, 1);
  resolved->used = g_ptr_array_new ();
  return resolved;
}

static void
resolved_use (Resolved *resolved, const Resolved *member)
{
  for (guint i = 0; i < member->used->len; i++)
    {
      gpointer object = g_ptr_array_index (member->used, i);
      if (!g_ptr_array_find (resolved->used, object, NULL))
        g_ptr_array_add (resolved->used, object);
    }
}

typedef struct {
  const char *file;
  FwrRuleset *rs;
  FwrFosConfig *config;
  FwrFosConfig *predefined;
  GHashTable *objects;   /* FwrFosEntry -> FwrObject */
} Import;

typedef struct {
  Import *imp;
  FwrFosScope *scope;
  const char *name;
  GHashTable *resolved;  /* FwrFosEntry -> Resolved (owned) */
  GHashTable *busy;      /* entries being resolved: a group that reaches itself is a cycle */
  GPtrArray *extra;      /* (element-type Resolved) stand-ins for unknown names */
} Vdom;

static void
warn_at (Vdom *v, const FwrFosValue *at, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
warn_at (Vdom *v, const FwrFosValue *at, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  _fwr_ruleset_add_warning (v->imp->rs, at ? at->line : 0, at ? at->column : 0, "%s", text);
}

/* Addresses */

static gboolean
parse_ipv4 (const char *text, guint8 out[4])
{
  return inet_pton (AF_INET, text, out) == 1;
}

/* Prefix length of a contiguous netmask, -1 for a non-contiguous one. */
static int
netmask_prefix (const guint8 mask[4])
{
  guint32 m = ((guint32) mask[0] << 24) | ((guint32) mask[1] << 16) | ((guint32) mask[2] << 8) | mask[3];
  int len = 0;
  while (len < 32 && (m & (0x80000000u >> len)))
    len++;
  guint32 expected = len == 0 ? 0 : 0xffffffffu << (32 - len);
  return m == expected ? len : -1;
}

static int
leading_ones (const guint8 mask[4])
{
  int len = 0;
  while (len < 32 && (mask[len / 8] & (0x80 >> (len % 8))))
    len++;
  return len;
}

static const FwrFosValue *
attr_value (const FwrFosAttr *attr, guint i)
{
  return attr && i < attr->values->len ? &g_array_index (attr->values, FwrFosValue, i) : NULL;
}

static gboolean
attr_has_text (const FwrFosAttr *attr, const char *text)
{
  for (guint i = 0; attr != NULL && i < attr->values->len; i++)
    if (strcmp (attr_value (attr, i)->text, text) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
bad_value (Vdom *v, const FwrFosEntry *entry, const FwrFosAttr *attr, const FwrFosValue *value,
           GError **error, const char *why)
{
  guint line = value ? value->line : attr ? attr->line : entry->line;
  guint column = value ? value->column : attr ? attr->column : entry->column;
  g_autofree char *shown = value ? g_strdup_printf (" “%s”", value->text) : g_strdup ("");
  _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, v->imp->file, line, column,
                         "%s “%s”: bad %s%s: %s", entry->node->path, entry->name,
                         attr ? attr->key : "value", shown, why);
  return FALSE;
}

/* "a.b.c.d m.m.m.m", "a.b.c.d/len" or "a.b.c.d/m.m.m.m"; host bits are ignored as FortiOS does. */
static gboolean
ipmask_add (Vdom *v, const FwrFosEntry *entry, const FwrFosAttr *attr, FwrAddrSet *set, GError **error)
{
  const FwrFosValue *first = attr_value (attr, 0);
  const FwrFosValue *last = attr_value (attr, attr ? attr->values->len - 1 : 0);
  g_auto (GStrv) parts = NULL;
  if (attr == NULL)
    parts = g_strsplit ("0.0.0.0/0", "/", 2);
  else if (attr->values->len == 1)
    parts = g_strsplit (first->text, "/", 2);
  else if (attr->values->len == 2)
    {
      parts = g_new0 (char *, 3);
      parts[0] = g_strdup (first->text);
      parts[1] = g_strdup (last->text);
    }
  if (parts == NULL || g_strv_length (parts) != 2)
    return bad_value (v, entry, attr, first, error, "expected an address and a netmask");

  guint8 addr[4], mask[4];
  guint64 len = 0;
  if (!parse_ipv4 (parts[0], addr))
    return bad_value (v, entry, attr, first, error, "not an IPv4 address");
  if (parse_ipv4 (parts[1], mask))
    {
      int prefix = netmask_prefix (mask);
      if (prefix < 0)
        return bad_value (v, entry, attr, last, error, "the netmask is not contiguous");
      len = (guint64) prefix;
    }
  else if (!g_ascii_string_to_unsigned (parts[1], 10, 0, 32, &len, NULL))
    return bad_value (v, entry, attr, last, error, "not a netmask or prefix length");
  fwr_addr_set_add_prefix (set, FWR_FAMILY_IPV4, addr, (guint) len);
  return TRUE;
}

static gboolean
iprange_add (Vdom *v, const FwrFosEntry *entry, FwrAddrSet *set, gboolean ipv6, GError **error)
{
  int af = ipv6 ? AF_INET6 : AF_INET;
  gsize n = ipv6 ? 16 : 4;
  guint8 lo[16], hi[16];
  FwrFosAttr *start = _fwr_fos_entry_get_attr (entry, "start-ip");
  FwrFosAttr *end = _fwr_fos_entry_get_attr (entry, "end-ip");
  const char *zero = ipv6 ? "::" : "0.0.0.0";
  if (inet_pton (af, _fwr_fos_entry_get_value (entry, "start-ip", zero), lo) != 1)
    return bad_value (v, entry, start, attr_value (start, 0), error, "not an address");
  if (inet_pton (af, _fwr_fos_entry_get_value (entry, "end-ip", zero), hi) != 1)
    return bad_value (v, entry, end, attr_value (end, 0), error, "not an address");
  if (memcmp (lo, hi, n) > 0)
    return bad_value (v, entry, end, attr_value (end, 0), error, "the range ends before its start-ip");
  fwr_addr_set_add_range (set, ipv6 ? FWR_FAMILY_IPV6 : FWR_FAMILY_IPV4, lo, hi);
  return TRUE;
}

static void
add_unmodelled (FwrFosAddr *addr, FwrFamilyMask family, const FwrFosEntry *entry, const char *what)
{
  g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (family);
  g_autofree char *why = g_strdup_printf ("“%s” (%s)", entry->name, what);
  _fwr_fos_addr_add_loose (addr, any, why);
}

/* Types whose members FortiOS learns at run time: only their family is known. */
static char *
dynamic_address_text (const FwrFosEntry *entry, const char *type)
{
  static const struct { const char *type, *key; } details[] = {
    { "fqdn", "fqdn" }, { "wildcard-fqdn", "wildcard-fqdn" }, { "geography", "country" },
    { "interface-subnet", "interface" }, { "dynamic", "sdn" }, { "route-tag", "route-tag" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    if (strcmp (type, details[i].type) == 0)
      return g_strdup_printf ("%s %s", type, _fwr_fos_entry_get_value (entry, details[i].key, "?"));
  return g_strdup_printf ("type %s", type);
}

static gboolean
wildcard_add (Vdom *v, const FwrFosEntry *entry, FwrFosAddr *addr, GError **error)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, "wildcard");
  const char *text_addr = attr && attr->values->len == 2 ? attr_value (attr, 0)->text : "0.0.0.0";
  const char *text_mask = attr && attr->values->len == 2 ? attr_value (attr, 1)->text : "0.0.0.0";
  guint8 a[4], m[4];
  if ((attr != NULL && attr->values->len != 2) || !parse_ipv4 (text_addr, a) || !parse_ipv4 (text_mask, m))
    return bad_value (v, entry, attr, attr_value (attr, 0), error, "expected an address and a wildcard mask");
  /* The mask's 1 bits must match; a contiguous mask is a prefix, anything else lies within
   * the prefix of its leading ones. */
  g_autoptr (FwrAddrSet) bound = fwr_addr_set_new ();
  fwr_addr_set_add_prefix (bound, FWR_FAMILY_IPV4, a, (guint) leading_ones (m));
  if (netmask_prefix (m) >= 0)
    fwr_addr_set_union (addr->exact, bound);
  else
    {
      g_autofree char *why = g_strdup_printf ("“%s” (wildcard %s %s)", entry->name, text_addr, text_mask);
      _fwr_fos_addr_add_loose (addr, bound, why);
    }
  return TRUE;
}

static FwrFosAddr *
address_value (Vdom *v, const FwrFosEntry *entry, GError **error)
{
  g_autoptr (FwrFosAddr) addr = _fwr_fos_addr_new ();
  const char *type = _fwr_fos_entry_get_value (entry, "type", "ipmask");
  gboolean ok = TRUE;
  if (strcmp (type, "ipmask") == 0)
    ok = ipmask_add (v, entry, _fwr_fos_entry_get_attr (entry, "subnet"), addr->exact, error);
  else if (strcmp (type, "iprange") == 0)
    ok = iprange_add (v, entry, addr->exact, FALSE, error);
  else if (strcmp (type, "wildcard") == 0)
    ok = wildcard_add (v, entry, addr, error);
  else
    {
      g_autofree char *what = dynamic_address_text (entry, type);
      add_unmodelled (addr, FWR_FAMILY_IPV4, entry, what);
    }
  return ok ? g_steal_pointer (&addr) : NULL;
}

static FwrFosAddr *
address6_value (Vdom *v, const FwrFosEntry *entry, GError **error)
{
  g_autoptr (FwrFosAddr) addr = _fwr_fos_addr_new ();
  const char *type = _fwr_fos_entry_get_value (entry, "type", "ipprefix");
  if (strcmp (type, "ipprefix") == 0)
    {
      FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, "ip6");
      const char *text = _fwr_fos_entry_get_value (entry, "ip6", "::/0");
      g_autoptr (FwrAddrSet) set = fwr_addr_set_new_parse (text, NULL);
      if (set == NULL || fwr_addr_set_get_families (set) != FWR_FAMILY_IPV6 || strchr (text, '/') == NULL)
        {
          bad_value (v, entry, attr, attr_value (attr, 0), error, "expected an IPv6 prefix");
          return NULL;
        }
      fwr_addr_set_union (addr->exact, set);
    }
  else if (strcmp (type, "iprange") == 0)
    {
      if (!iprange_add (v, entry, addr->exact, TRUE, error))
        return NULL;
    }
  else
    {
      g_autofree char *what = dynamic_address_text (entry, type);
      add_unmodelled (addr, FWR_FAMILY_IPV6, entry, what);
    }
  return g_steal_pointer (&addr);
}

/* A virtual IP matches its external address; port forwarding, an external interface or a
 * source filter narrow it in ways an address cannot say. */
static FwrFosAddr *
vip_value (Vdom *v, const FwrFosEntry *entry, gboolean ipv6, GError **error)
{
  FwrFamilyMask family = ipv6 ? FWR_FAMILY_IPV6 : FWR_FAMILY_IPV4;
  g_autoptr (FwrFosAddr) addr = _fwr_fos_addr_new ();
  const char *type = _fwr_fos_entry_get_value (entry, "type", "static-nat");
  if (strcmp (type, "static-nat") != 0 && strcmp (type, "server-load-balance") != 0 &&
      strcmp (type, "load-balance") != 0)
    {
      g_autofree char *what = g_strdup_printf ("virtual IP of type %s", type);
      add_unmodelled (addr, family, entry, what);
      return g_steal_pointer (&addr);
    }
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, "extip");
  g_autoptr (FwrAddrSet) ext = fwr_addr_set_new_parse (_fwr_fos_entry_get_value (entry, "extip", ipv6 ? "::" : "0.0.0.0"), NULL);
  if (ext == NULL || fwr_addr_set_get_families (ext) != family)
    {
      bad_value (v, entry, attr, attr_value (attr, 0), error, "expected an address or address range");
      return NULL;
    }
  GString *narrowing = g_string_new (NULL);
  if (strcmp (_fwr_fos_entry_get_value (entry, "portforward", "disable"), "enable") == 0)
    g_string_append_printf (narrowing, ", port forwarding %s %s", _fwr_fos_entry_get_value (entry, "protocol", "tcp"),
                            _fwr_fos_entry_get_value (entry, "extport", "?"));
  if (strcmp (type, "static-nat") != 0)
    g_string_append_printf (narrowing, ", %s", type);
  const char *extintf = _fwr_fos_entry_get_value (entry, "extintf", "any");
  if (strcmp (extintf, "any") != 0)
    g_string_append_printf (narrowing, ", only on %s", extintf);
  if (_fwr_fos_entry_get_attr (entry, "src-filter") != NULL)
    g_string_append (narrowing, ", source filter");
  if (narrowing->len == 0)
    fwr_addr_set_union (addr->exact, ext);
  else
    {
      g_autofree char *why = g_strdup_printf ("virtual IP “%s” (%s)", entry->name, narrowing->str + 2);
      _fwr_fos_addr_add_loose (addr, ext, why);
    }
  g_string_free (narrowing, TRUE);
  return g_steal_pointer (&addr);
}

/* Services */

static gboolean
parse_ports (const char *text, guint32 *lo, guint32 *hi)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  g_auto (GStrv) ends = g_strsplit (text, "-", 2);
  guint64 a, b;
  if (!g_ascii_string_to_unsigned (ends[0], 10, 0, 65535, &a, NULL))
    return FALSE;
  b = a;
  if (ends[1] != NULL && !g_ascii_string_to_unsigned (ends[1], 10, 0, 65535, &b, NULL))
    return FALSE;
  *lo = (guint32) a;
  *hi = (guint32) b;
  return a <= b;
}

static FwrRangeSet *
ports_set (guint32 lo, guint32 hi)
{
  return lo == 0 && hi == 65535 ? NULL : fwr_range_set_new_range (lo, hi);
}

/* "tcp-portrange 80 443-444 1000-2000:1024-65535": destination[:source] per item. */
static gboolean
portranges_add (Vdom *v, const FwrFosEntry *entry, const char *key, guint proto, GPtrArray *terms,
                GError **error)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, key);
  for (guint i = 0; attr != NULL && i < attr->values->len; i++)
    {
      const FwrFosValue *item = attr_value (attr, i);
      g_auto (GStrv) sides = g_strsplit (item->text, ":", 2);
      guint32 dlo, dhi, slo = 0, shi = 65535;
      if (!parse_ports (sides[0], &dlo, &dhi) || (sides[1] != NULL && !parse_ports (sides[1], &slo, &shi)))
        return bad_value (v, entry, attr, item, error, "expected port[-port][:port[-port]] within 0-65535");
      FwrFosSvcTerm *term = _fwr_fos_svc_term_new ();
      term->protos = fwr_range_set_new_range (proto, proto);
      term->dports = ports_set (dlo, dhi);
      term->sports = ports_set (slo, shi);
      g_ptr_array_add (terms, term);
    }
  return TRUE;
}

static gboolean
byte_setting (Vdom *v, const FwrFosEntry *entry, const char *key, gint *out, GError **error)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, key);
  guint64 value;
  *out = -1;
  if (attr == NULL || attr->values->len == 0)
    return TRUE;
  if (!g_ascii_string_to_unsigned (attr_value (attr, 0)->text, 10, 0, 255, &value, NULL))
    return bad_value (v, entry, attr, attr_value (attr, 0), error, "expected a number within 0-255");
  *out = (gint) value;
  return TRUE;
}

static FwrFosSvcTerm *
opaque_term (const char *format, ...) G_GNUC_PRINTF (1, 2);

static FwrFosSvcTerm *
opaque_term (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  FwrFosSvcTerm *term = _fwr_fos_svc_term_new ();
  term->opaque = g_strdup_vprintf (format, args);
  va_end (args);
  return term;
}

static gboolean
icmp_terms (Vdom *v, const FwrFosEntry *entry, guint proto, GPtrArray *terms, GError **error)
{
  gint type, code;
  if (!byte_setting (v, entry, "icmptype", &type, error) || !byte_setting (v, entry, "icmpcode", &code, error))
    return FALSE;
  FwrFosSvcTerm *term = _fwr_fos_svc_term_new ();
  term->protos = fwr_range_set_new_range (proto, proto);
  /* A code without a type means nothing to FortiOS: any ICMP message. */
  if (type >= 0)
    term->icmp = code >= 0 ? fwr_range_set_new_range ((guint32) (type << 8 | code), (guint32) (type << 8 | code))
                           : fwr_range_set_new_range ((guint32) type << 8, (guint32) type << 8 | 0xff);
  g_ptr_array_add (terms, term);
  return TRUE;
}

static gboolean
port_terms (Vdom *v, const FwrFosEntry *entry, GPtrArray *terms, GError **error)
{
  if (!portranges_add (v, entry, "tcp-portrange", 6, terms, error) ||
      !portranges_add (v, entry, "udp-portrange", 17, terms, error) ||
      !portranges_add (v, entry, "udplite-portrange", 136, terms, error) ||
      !portranges_add (v, entry, "sctp-portrange", 132, terms, error))
    return FALSE;
  if (terms->len == 0)
    {
      FwrFosSvcTerm *term = opaque_term ("service “%s” has no port range", entry->name);
      term->protos = fwr_range_set_new_range (6, 6);
      fwr_range_set_add_range (term->protos, 17, 17);
      fwr_range_set_add_range (term->protos, 132, 132);
      g_ptr_array_add (terms, term);
    }
  return TRUE;
}

static gboolean
enabled (const FwrFosEntry *entry, const char *key)
{
  return strcmp (_fwr_fos_entry_get_value (entry, key, "disable"), "enable") == 0;
}

static GPtrArray *
service_value (Vdom *v, const FwrFosEntry *entry, GError **error)
{
  g_autoptr (GPtrArray) terms = _fwr_fos_svc_new ();
  const char *protocol = _fwr_fos_entry_get_value (entry, "protocol", "TCP/UDP/SCTP");
  gboolean ok = TRUE;
  if (enabled (entry, "proxy") || enabled (entry, "explicit-proxy") ||
      g_strv_contains ((const char *const[]) { "ALL", "HTTP", "FTP", "CONNECT", "SOCKS-TCP", "SOCKS-UDP", NULL }, protocol))
    g_ptr_array_add (terms, opaque_term ("service “%s” is for explicit proxy policies", entry->name));
  else if (g_str_has_prefix (protocol, "TCP/UDP"))
    ok = port_terms (v, entry, terms, error);
  else if (strcmp (protocol, "ICMP") == 0 || strcmp (protocol, "ICMP6") == 0)
    ok = icmp_terms (v, entry, protocol[4] == '6' ? 58 : 1, terms, error);
  else if (strcmp (protocol, "IP") == 0)
    {
      gint number;
      ok = byte_setting (v, entry, "protocol-number", &number, error);
      FwrFosSvcTerm *term = _fwr_fos_svc_term_new ();
      if (number > 0)
        term->protos = fwr_range_set_new_range ((guint32) number, (guint32) number);
      g_ptr_array_add (terms, term);
    }
  else
    {
      FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, "protocol");
      warn_at (v, attr_value (attr, 0), "service “%s” has protocol “%s”, which fwreview does not know",
               entry->name, protocol);
      g_ptr_array_add (terms, opaque_term ("service “%s” (protocol %s)", entry->name, protocol));
    }
  if (!ok)
    return NULL;

  /* A custom service may also name its destination: a condition on the address. */
  const char *iprange = _fwr_fos_entry_get_value (entry, "iprange", "0.0.0.0");
  const char *fqdn = _fwr_fos_entry_get_value (entry, "fqdn", "");
  if (strcmp (iprange, "0.0.0.0") != 0 || *fqdn != '\0')
    for (guint i = 0; i < terms->len; i++)
      {
        FwrFosSvcTerm *term = g_ptr_array_index (terms, i);
        g_autofree char *previous = term->opaque;
        term->opaque = g_strdup_printf ("%s%sservice “%s” only to %s", previous ? previous : "",
                                        previous ? "; " : "", entry->name, *fqdn ? fqdn : iprange);
      }
  _fwr_fos_svc_normalize (terms);
  return g_steal_pointer (&terms);
}

/* Schedules: NULL when always on. */
static char *
schedule_text (const FwrFosEntry *entry)
{
  const char *path = entry->node->path;
  if (strcmp (path, "firewall schedule recurring") == 0)
    {
      static const char *const week[] = { "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday" };
      FwrFosAttr *days = _fwr_fos_entry_get_attr (entry, "day");
      gboolean every_day = days != NULL;
      for (guint d = 0; every_day && d < G_N_ELEMENTS (week); d++)
        every_day = attr_has_text (days, week[d]);
      const char *start = _fwr_fos_entry_get_value (entry, "start", "00:00");
      const char *end = _fwr_fos_entry_get_value (entry, "end", "00:00");
      if (every_day && strcmp (start, end) == 0)
        return NULL;
      return g_strdup_printf ("schedule “%s” (recurring %s-%s)", entry->name, start, end);
    }
  if (strcmp (path, "firewall schedule onetime") == 0)
    return g_strdup_printf ("schedule “%s” (from %s to %s)", entry->name,
                            _fwr_fos_entry_get_value (entry, "start", "?"), _fwr_fos_entry_get_value (entry, "end", "?"));
  return g_strdup_printf ("schedule “%s”", entry->name);
}

/* Resolving references */

#define MAX_GROUP_DEPTH 64

static Resolved *resolve_ref (Vdom *v, RefKind kind, const FwrFosValue *ref, GError **error);

static FwrFamilyMask
kind_family (RefKind kind)
{
  return kind == REF_ADDR6 || kind == REF_DSTADDR6 || kind == REF_VIP6 ? FWR_FAMILY_IPV6 : FWR_FAMILY_IPV4;
}

static gboolean
is_address_kind (RefKind kind)
{
  return kind != REF_SERVICE && kind != REF_SCHEDULE;
}

/* Members of a group, each resolved; what the group contains counts as used with it. */
static gboolean
add_members (Vdom *v, const FwrFosEntry *entry, const char *key, RefKind kind, Resolved *into,
             FwrFosAddr *addr, GError **error)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, key);
  for (guint i = 0; attr != NULL && i < attr->values->len; i++)
    {
      Resolved *member = resolve_ref (v, kind, attr_value (attr, i), error);
      if (member == NULL)
        return FALSE;
      resolved_use (into, member);
      if (addr != NULL)
        _fwr_fos_addr_union (addr, member->addr);
      else if (kind == REF_SERVICE)
        _fwr_fos_svc_append (into->svc, member->svc);
      else if (member->schedule == NULL)
        g_clear_pointer (&into->schedule, g_free);
    }
  return TRUE;
}

static gboolean
group_value (Vdom *v, const FwrFosEntry *entry, RefKind member_kind, Resolved *resolved, GError **error)
{
  if (is_address_kind (member_kind))
    {
      resolved->addr = _fwr_fos_addr_new ();
      if (!add_members (v, entry, "member", member_kind, resolved, resolved->addr, error))
        return FALSE;
      if (enabled (entry, "exclude"))
        {
          g_autoptr (FwrFosAddr) excluded = _fwr_fos_addr_new ();
          if (!add_members (v, entry, "exclude-member", member_kind, resolved, excluded, error))
            return FALSE;
          _fwr_fos_addr_exclude (resolved->addr, excluded);
        }
      return TRUE;
    }
  if (member_kind == REF_SERVICE)
    {
      resolved->svc = _fwr_fos_svc_new ();
      if (!add_members (v, entry, "member", member_kind, resolved, NULL, error))
        return FALSE;
      _fwr_fos_svc_normalize (resolved->svc);
      return TRUE;
    }
  /* A schedule group is on when any member is. */
  resolved->schedule = g_strdup_printf ("schedule group “%s”", entry->name);
  return add_members (v, entry, "member", member_kind, resolved, NULL, error);
}

static Resolved *
entry_value (Vdom *v, const FwrFosEntry *entry, GError **error)
{
  const char *path = entry->node->path + strlen ("firewall ");
  g_autoptr (GError) local_error = NULL;
  Resolved *resolved = resolved_new ();
  gboolean ok = TRUE;
  if (strcmp (path, "address") == 0)
    ok = (resolved->addr = address_value (v, entry, &local_error)) != NULL;
  else if (strcmp (path, "address6") == 0)
    ok = (resolved->addr = address6_value (v, entry, &local_error)) != NULL;
  else if (strcmp (path, "vip") == 0 || strcmp (path, "vip6") == 0)
    ok = (resolved->addr = vip_value (v, entry, path[3] == '6', &local_error)) != NULL;
  else if (strcmp (path, "addrgrp") == 0)
    ok = group_value (v, entry, REF_ADDR4, resolved, &local_error);
  else if (strcmp (path, "addrgrp6") == 0)
    ok = group_value (v, entry, REF_ADDR6, resolved, &local_error);
  else if (strcmp (path, "vipgrp") == 0 || strcmp (path, "vipgrp6") == 0)
    ok = group_value (v, entry, path[6] == '6' ? REF_VIP6 : REF_VIP4, resolved, &local_error);
  else if (strcmp (path, "service custom") == 0)
    ok = (resolved->svc = service_value (v, entry, &local_error)) != NULL;
  else if (strcmp (path, "service group") == 0)
    ok = group_value (v, entry, REF_SERVICE, resolved, &local_error);
  else if (strcmp (path, "schedule group") == 0)
    ok = group_value (v, entry, REF_SCHEDULE, resolved, &local_error);
  else
    resolved->schedule = schedule_text (entry);
  if (!ok)
    {
      resolved_free (resolved);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return resolved;
}

static Resolved *
resolve_entry (Vdom *v, FwrFosEntry *entry, const FwrFosValue *ref, GError **error)
{
  Resolved *resolved = g_hash_table_lookup (v->resolved, entry);
  if (resolved != NULL)
    return resolved;
  if (g_hash_table_contains (v->busy, entry) || g_hash_table_size (v->busy) >= MAX_GROUP_DEPTH)
    {
      if (g_hash_table_contains (v->busy, entry))
        _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, v->imp->file, ref->line, ref->column,
                               "“%s” contains itself through its members", entry->name);
      else
        _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, v->imp->file, ref->line, ref->column,
                               "“%s” is nested in groups more than %d deep", entry->name, MAX_GROUP_DEPTH);
      return NULL;
    }
  g_hash_table_add (v->busy, entry);
  resolved = entry_value (v, entry, error);
  g_hash_table_remove (v->busy, entry);
  if (resolved == NULL)
    return NULL;
  FwrObject *object = g_hash_table_lookup (v->imp->objects, entry);
  if (object != NULL && !g_ptr_array_find (resolved->used, object, NULL))
    g_ptr_array_insert (resolved->used, 0, object);
  g_hash_table_insert (v->resolved, entry, resolved);
  return resolved;
}

/* A name no table of this partial export defines: kept as an unknown condition. */
static Resolved *
unknown_value (Vdom *v, RefKind kind, const char *name)
{
  Resolved *resolved = resolved_new ();
  if (is_address_kind (kind))
    {
      resolved->addr = _fwr_fos_addr_new ();
      g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (kind_family (kind));
      g_autofree char *why = g_strdup_printf ("undefined “%s”", name);
      _fwr_fos_addr_add_loose (resolved->addr, any, why);
    }
  else if (kind == REF_SERVICE)
    {
      resolved->svc = _fwr_fos_svc_new ();
      g_ptr_array_add (resolved->svc, opaque_term ("undefined service “%s”", name));
    }
  else
    resolved->schedule = g_strdup_printf ("undefined schedule “%s”", name);
  g_ptr_array_add (v->extra, resolved);
  return resolved;
}

static Resolved *
resolve_ref (Vdom *v, RefKind kind, const FwrFosValue *ref, GError **error)
{
  /* The VDOM's own objects, then global ones, then what FortiOS predefines. */
  FwrFosScope *scopes[] = { v->scope, v->imp->config->global, g_ptr_array_index (v->imp->predefined->vdoms, 0) };
  gboolean has_tables = FALSE;
  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    for (guint t = 0; scopes[s] != NULL && t < G_N_ELEMENTS (ref_kinds[kind].tables); t++)
      {
        const char *table = ref_kinds[kind].tables[t];
        FwrFosNode *node = table ? _fwr_fos_scope_get_node (scopes[s], table) : NULL;
        if (node == NULL)
          continue;
        gboolean predefined = s == G_N_ELEMENTS (scopes) - 1;
        has_tables |= !predefined;
        g_autofree char *note = NULL;
        FwrFosEntry *entry = _fwr_fos_node_resolve (node, ref->text, predefined ? G_MAXUINT : ref->seq, &note);
        if (entry == NULL)
          continue;
        if (note != NULL)
          warn_at (v, ref, "%s", note);
        return resolve_entry (v, entry, ref, error);
      }
  if (has_tables)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, v->imp->file, ref->line, ref->column,
                             "unknown %s “%s”: VDOM %s defines no such object", ref_kinds[kind].what,
                             ref->text, v->name);
      return NULL;
    }
  warn_at (v, ref, "%s “%s” is not defined in this file: kept as an unknown condition",
           ref_kinds[kind].what, ref->text);
  return unknown_value (v, kind, ref->text);
}

/* Policies */

typedef struct {
  Vdom *v;
  const FwrFosEntry *entry;
  gboolean policy6;          /* the IPv6 table of FortiOS before 6.4: srcaddr/dstaddr are IPv6 */
  GPtrArray *used;           /* (element-type Resolved) */
  GPtrArray *conditions;     /* (element-type utf8) opaque conditions on the whole policy */
} Policy;

static void
policy_condition (Policy *p, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
policy_condition (Policy *p, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_ptr_array_add (p->conditions, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
has_values (const FwrFosEntry *entry, const char *key)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, key);
  return attr != NULL && attr->values->len > 0;
}

/* A setting FortiOS requires is missing: say so, and keep the policy with a condition. */
static void
policy_lacks (Policy *p, const char *key)
{
  _fwr_ruleset_add_warning (p->v->imp->rs, p->entry->line, p->entry->column,
                            "policy %s has no %s, which FortiOS requires: kept with an opaque condition",
                            p->entry->name, key);
  policy_condition (p, "no %s set", key);
}

static GStrv
policy_zones (Policy *p, const char *key)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (p->entry, key);
  if (attr == NULL || attr->values->len == 0)
    {
      policy_lacks (p, key);
      return NULL;
    }
  if (attr_has_text (attr, "any"))
    return NULL;
  GStrv zones = g_new0 (char *, attr->values->len + 1);
  for (guint i = 0; i < attr->values->len; i++)
    zones[i] = g_strdup (attr_value (attr, i)->text);
  return zones;
}

static FwrFamilyMask
policy_families (Policy *p)
{
  if (p->policy6)
    return FWR_FAMILY_IPV6;
  FwrFamilyMask families = 0;
  if (has_values (p->entry, "srcaddr") || has_values (p->entry, "dstaddr") ||
      enabled (p->entry, "internet-service") || enabled (p->entry, "internet-service-src"))
    families |= FWR_FAMILY_IPV4;
  if (has_values (p->entry, "srcaddr6") || has_values (p->entry, "dstaddr6") ||
      enabled (p->entry, "internet-service6") || enabled (p->entry, "internet-service6-src"))
    families |= FWR_FAMILY_IPV6;
  return families ? families : FWR_FAMILY_IPV4;
}

/* The settings of one side (source or destination) for one family. */
typedef struct {
  const char *addr;     /* "srcaddr6" */
  const char *negate;   /* "srcaddr6-negate" */
  const char *isdb;     /* "internet-service6-src": internet services instead of addresses */
  RefKind kind;
} Side;

static Side
policy_side (Policy *p, FwrFamilyMask family, gboolean dst)
{
  gboolean v6_fields = family == FWR_FAMILY_IPV6 && !p->policy6;
  Side side = {
    dst ? "dstaddr" : "srcaddr",
    dst ? "dstaddr-negate" : "srcaddr-negate",
    dst ? "internet-service" : "internet-service-src",
    family == FWR_FAMILY_IPV6 ? (dst ? REF_DSTADDR6 : REF_ADDR6) : (dst ? REF_DSTADDR4 : REF_ADDR4),
  };
  if (v6_fields)
    {
      side.addr = dst ? "dstaddr6" : "srcaddr6";
      side.isdb = dst ? "internet-service6" : "internet-service6-src";
      /* FortiOS 7.0 negates both families with srcaddr-negate; later ones have their own. */
      if (_fwr_fos_entry_get_attr (p->entry, dst ? "dstaddr6-negate" : "srcaddr6-negate") != NULL)
        side.negate = dst ? "dstaddr6-negate" : "srcaddr6-negate";
    }
  return side;
}

static char *
isdb_names (const FwrFosEntry *entry, const char *prefix)
{
  static const char *const suffixes[] = { "-name", "-id", "-group", "-custom", "-custom-group", "-fortiguard" };
  GString *names = g_string_new (NULL);
  for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *key = g_strconcat (prefix, suffixes[s], NULL);
      FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, key);
      for (guint i = 0; attr != NULL && i < attr->values->len; i++)
        g_string_append_printf (names, "%s%s", names->len ? ", " : "", attr_value (attr, i)->text);
    }
  return g_string_free (names, FALSE);
}

static gboolean
family_addresses (Policy *p, FwrFamilyMask family, gboolean dst, FwrFosAddr *into, GError **error)
{
  Side side = policy_side (p, family, dst);
  g_autoptr (FwrFosAddr) value = _fwr_fos_addr_new ();
  gboolean negate;
  if (enabled (p->entry, side.isdb))
    {
      g_autofree char *names = isdb_names (p->entry, side.isdb);
      g_autofree char *why = g_strdup_printf ("internet service %s", names);
      g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (family);
      _fwr_fos_addr_add_loose (value, any, why);
      g_autofree char *negate_key = g_strconcat (side.isdb, "-negate", NULL);
      negate = enabled (p->entry, negate_key);
    }
  else
    {
      FwrFosAttr *attr = _fwr_fos_entry_get_attr (p->entry, side.addr);
      if (attr == NULL || attr->values->len == 0)
        {
          policy_lacks (p, side.addr);
          g_autoptr (FwrAddrSet) any = fwr_addr_set_new_any (family);
          fwr_addr_set_union (value->exact, any);
        }
      for (guint i = 0; attr != NULL && i < attr->values->len; i++)
        {
          Resolved *resolved = resolve_ref (p->v, side.kind, attr_value (attr, i), error);
          if (resolved == NULL)
            return FALSE;
          g_ptr_array_add (p->used, resolved);
          _fwr_fos_addr_union (value, resolved->addr);
        }
      negate = enabled (p->entry, side.negate);
    }
  if (negate)
    _fwr_fos_addr_negate (value, family);
  _fwr_fos_addr_union (into, value);
  return TRUE;
}

static GPtrArray *
policy_services (Policy *p, GError **error)
{
  g_autoptr (GPtrArray) svc = _fwr_fos_svc_new ();
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (p->entry, "service");
  if (attr == NULL || attr->values->len == 0)
    {
      /* An internet service names its own ports. */
      gboolean isdb = enabled (p->entry, "internet-service") || enabled (p->entry, "internet-service6");
      if (!isdb)
        policy_lacks (p, "service");
      g_ptr_array_add (svc, _fwr_fos_svc_term_new ());
      return g_steal_pointer (&svc);
    }
  for (guint i = 0; i < attr->values->len; i++)
    {
      Resolved *resolved = resolve_ref (p->v, REF_SERVICE, attr_value (attr, i), error);
      if (resolved == NULL)
        return NULL;
      g_ptr_array_add (p->used, resolved);
      _fwr_fos_svc_append (svc, resolved->svc);
    }
  _fwr_fos_svc_normalize (svc);
  if (enabled (p->entry, "service-negate"))
    return _fwr_fos_svc_new_complement (svc);
  return g_steal_pointer (&svc);
}

/* Settings that let only some users, devices or applications through. */
static const char *const narrowing_keys[] = {
  "users", "groups", "fsso-groups", "devices", "application", "app-category", "app-group", "url-category",
  "ztna-ems-tag", "ztna-geo-tag", "src-vendor-mac", "vlan-filter", "reputation-minimum",
};

static gboolean
policy_conditions (Policy *p, GError **error)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (p->entry, "schedule");
  FwrFosValue always = { (char *) "always", p->entry->line, p->entry->column, G_MAXUINT };
  Resolved *schedule = resolve_ref (p->v, REF_SCHEDULE, attr && attr->values->len ? attr_value (attr, 0) : &always, error);
  if (schedule == NULL)
    return FALSE;
  g_ptr_array_add (p->used, schedule);
  if (schedule->schedule != NULL)
    policy_condition (p, "%s", schedule->schedule);

  for (guint k = 0; k < G_N_ELEMENTS (narrowing_keys); k++)
    {
      attr = _fwr_fos_entry_get_attr (p->entry, narrowing_keys[k]);
      if (attr == NULL || attr->values->len == 0)
        continue;
      GString *text = g_string_new (narrowing_keys[k]);
      for (guint i = 0; i < attr->values->len; i++)
        g_string_append_printf (text, " %s", attr_value (attr, i)->text);
      g_ptr_array_add (p->conditions, g_string_free (text, FALSE));
    }
  const char *tos_mask = _fwr_fos_entry_get_value (p->entry, "tos-mask", "0x00");
  if (g_ascii_strtoull (tos_mask, NULL, 0) != 0)
    policy_condition (p, "tos %s/%s", _fwr_fos_entry_get_value (p->entry, "tos", "0x00"), tos_mask);
  return TRUE;
}

static FwrAction
policy_action (Policy *p)
{
  const char *action = _fwr_fos_entry_get_value (p->entry, "action", "deny");
  if (strcmp (action, "accept") == 0 || strcmp (action, "ipsec") == 0 || strcmp (action, "ssl-vpn") == 0)
    return FWR_ACTION_ACCEPT;
  if (strcmp (action, "deny") == 0)
    return enabled (p->entry, "send-deny-packet") ? FWR_ACTION_REJECT : FWR_ACTION_DROP;
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (p->entry, "action");
  warn_at (p->v, attr_value (attr, 0), "policy %s has action “%s”, which fwreview does not know: kept as an opaque verdict",
           p->entry->name, action);
  return FWR_ACTION_QUEUE;
}

static char *
policy_comment (const FwrFosEntry *entry)
{
  const char *name = _fwr_fos_entry_get_value (entry, "name", NULL);
  const char *comments = _fwr_fos_entry_get_value (entry, "comments", NULL);
  if (name != NULL && comments != NULL)
    return g_strdup_printf ("%s: %s", name, comments);
  return g_strdup (name ? name : comments);
}

/* One side of the match: what is certain, and what is only possible under a condition. */
typedef struct {
  FwrAddrSet *set;    /* NULL: any */
  char *opaque;
} Alt;

static FwrAddrSet *
any_or_copy (const FwrAddrSet *set, FwrFamilyMask families)
{
  return fwr_addr_set_is_any (set, families) ? NULL : fwr_addr_set_copy (set);
}

static guint
alternatives (const FwrFosAddr *value, FwrFamilyMask families, const char *side, Alt alts[2])
{
  guint n = 0;
  if (!fwr_addr_set_is_empty (value->exact) || value->loose == NULL)
    alts[n++] = (Alt) { any_or_copy (value->exact, families), NULL };
  if (value->loose != NULL)
    {
      g_autofree char *why = _fwr_fos_addr_dup_why (value);
      alts[n++] = (Alt) { any_or_copy (value->loose, families), g_strdup_printf ("%s in %s", side, why) };
    }
  return n;
}

static void
alts_clear (Alt *alts, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      fwr_addr_set_free (alts[i].set);
      g_free (alts[i].opaque);
    }
}

static FwrRangeSet *
range_copy_or_null (const FwrRangeSet *set)
{
  return set ? fwr_range_set_copy (set) : NULL;
}

/* Terms: every source alternative with every destination one and every service term. */
static void
fill_terms (Policy *p, FwrRule *rule, FwrFamilyMask families, GStrv src_zones, GStrv dst_zones,
            const FwrFosAddr *src, const FwrFosAddr *dst, const GPtrArray *svc)
{
  Alt salts[2], dalts[2];
  guint ns = alternatives (src, families, "source", salts);
  guint nd = alternatives (dst, families, "destination", dalts);
  gboolean first = TRUE;
  for (guint s = 0; s < ns; s++)
    for (guint d = 0; d < nd; d++)
      for (guint t = 0; t < svc->len; t++)
        {
          const FwrFosSvcTerm *service = g_ptr_array_index (svc, t);
          FwrTerm *term = first ? &rule->terms[0] : _fwr_rule_add_term (rule);
          first = FALSE;
          FwrMatch *m = &term->match;
          m->families = families;
          m->src_zones.patterns = g_strdupv (src_zones);
          m->dst_zones.patterns = g_strdupv (dst_zones);
          m->src = salts[s].set ? fwr_addr_set_copy (salts[s].set) : NULL;
          m->dst = dalts[d].set ? fwr_addr_set_copy (dalts[d].set) : NULL;
          m->protos = range_copy_or_null (service->protos);
          m->sports = range_copy_or_null (service->sports);
          m->dports = range_copy_or_null (service->dports);
          m->icmp = range_copy_or_null (service->icmp);
          if (salts[s].opaque)
            _fwr_match_add_opaque (m, salts[s].opaque);
          if (dalts[d].opaque)
            _fwr_match_add_opaque (m, dalts[d].opaque);
          if (service->opaque)
            _fwr_match_add_opaque (m, service->opaque);
          for (guint c = 0; c < p->conditions->len; c++)
            _fwr_match_add_opaque (m, g_ptr_array_index (p->conditions, c));
        }
  alts_clear (salts, ns);
  alts_clear (dalts, nd);
}

static gboolean
import_policy (Vdom *v, FwrChain *chain, const FwrFosEntry *entry, gboolean policy6, GError **error)
{
  g_autoptr (GPtrArray) used = g_ptr_array_new ();
  g_autoptr (GPtrArray) conditions = g_ptr_array_new_with_free_func (g_free);
  Policy p = { v, entry, policy6, used, conditions };

  FwrFamilyMask families = policy_families (&p);
  g_auto (GStrv) src_zones = policy_zones (&p, "srcintf");
  g_auto (GStrv) dst_zones = policy_zones (&p, "dstintf");
  g_autoptr (FwrFosAddr) src = _fwr_fos_addr_new ();
  g_autoptr (FwrFosAddr) dst = _fwr_fos_addr_new ();
  for (FwrFamilyMask family = FWR_FAMILY_IPV4; family <= FWR_FAMILY_IPV6; family <<= 1)
    if ((families & family) &&
        (!family_addresses (&p, family, FALSE, src, error) || !family_addresses (&p, family, TRUE, dst, error)))
      return FALSE;
  g_autoptr (GPtrArray) svc = policy_services (&p, error);
  if (svc == NULL || !policy_conditions (&p, error))
    return FALSE;
  if (svc->len == 0)
    {
      /* An empty service group: the policy matches nothing. */
      FwrFosSvcTerm *none = _fwr_fos_svc_term_new ();
      none->protos = fwr_range_set_new ();
      g_ptr_array_add (svc, none);
    }

  g_autofree char *id = policy6 ? g_strdup_printf ("%s/policy6/%s", v->name, entry->name)
                                : g_strdup_printf ("%s/%s", v->name, entry->name);
  FwrRule *rule = _fwr_chain_add_rule (chain, id);
  rule->line = entry->line;
  rule->column = entry->column;
  g_ascii_string_to_unsigned (entry->name, 10, 0, G_MAXUINT64, &rule->handle, NULL);
  rule->enabled = strcmp (_fwr_fos_entry_get_value (entry, "status", "enable"), "disable") != 0;
  rule->log = strcmp (_fwr_fos_entry_get_value (entry, "logtraffic", "utm"), "all") == 0;
  rule->comment = policy_comment (entry);
  fill_terms (&p, rule, families, src_zones, dst_zones, src, dst, svc);
  _fwr_rule_set_verdict (rule, policy_action (&p), NULL);
  for (guint i = 0; i < used->len; i++)
    {
      Resolved *resolved = g_ptr_array_index (used, i);
      for (guint o = 0; o < resolved->used->len; o++)
        _fwr_rule_add_ref (rule, g_ptr_array_index (resolved->used, o));
    }
  return TRUE;
}

/* VDOMs */

static FwrChain *
vdom_chain (Vdom *v, gboolean sectioned)
{
  g_autofree char *id = g_strdup_printf ("%s/policy", v->name);
  FwrChain *chain = _fwr_ruleset_add_chain (v->imp->rs, id, v->name, "policy", FWR_TABLE_FAMILY_INET);
  chain->hook = FWR_HOOK_FORWARD;
  chain->type = FWR_CHAIN_TYPE_FILTER;
  chain->priority = 0;
  /* What no policy accepts, FortiOS drops (the implicit deny, policy 0). */
  chain->policy = FWR_ACTION_DROP;
  chain->section = sectioned ? g_strdup (v->name) : NULL;
  FwrFosNode *node = _fwr_fos_scope_get_node (v->scope, "firewall policy");
  chain->line = node ? node->line : v->scope->line;
  chain->comment = g_strdup_printf ("firewall policies of VDOM %s", v->name);
  return chain;
}

static void
warn_unread_tables (Vdom *v)
{
  for (guint t = 0; t < G_N_ELEMENTS (unread_tables); t++)
    {
      FwrFosNode *node = _fwr_fos_scope_get_node (v->scope, unread_tables[t]);
      if (node != NULL && node->entries->len > 0)
        _fwr_ruleset_add_warning (v->imp->rs, node->line, node->column,
                                  "VDOM %s: the %u entr%s of “config %s” are not analysed",
                                  v->name, node->entries->len, node->entries->len == 1 ? "y" : "ies",
                                  unread_tables[t]);
    }
}

/* A zone with "intrazone allow" passes traffic between its interfaces without any policy:
 * an accept after the policies (which still decide first), before the implicit deny. */
static void
add_intrazone_rules (Vdom *v, FwrChain *chain)
{
  FwrFosNode *zones = _fwr_fos_scope_get_node (v->scope, "system zone");
  for (guint i = 0; zones != NULL && i < zones->entries->len; i++)
    {
      FwrFosEntry *zone = g_ptr_array_index (zones->entries, i);
      if (strcmp (_fwr_fos_entry_get_value (zone, "intrazone", "deny"), "allow") != 0)
        continue;
      g_autofree char *id = g_strdup_printf ("%s/intrazone/%s", v->name, zone->name);
      FwrRule *rule = _fwr_chain_add_rule (chain, id);
      rule->line = zone->line;
      rule->column = zone->column;
      rule->comment = g_strdup_printf ("zone %s: intrazone allow (no policy needed between its interfaces)", zone->name);
      const char *const names[] = { zone->name, NULL };
      FwrMatch *match = &rule->terms[0].match;
      match->src_zones.patterns = g_strdupv ((GStrv) names);
      match->dst_zones.patterns = g_strdupv ((GStrv) names);
      _fwr_rule_set_verdict (rule, FWR_ACTION_ACCEPT, NULL);
    }
}

static gboolean
import_vdom (Import *imp, FwrFosScope *scope, gboolean sectioned, GError **error)
{
  Vdom v = {
    .imp = imp,
    .scope = scope,
    .name = scope->name,
    .resolved = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) resolved_free),
    .busy = g_hash_table_new (NULL, NULL),
    .extra = g_ptr_array_new_with_free_func ((GDestroyNotify) resolved_free),
  };
  FwrChain *chain = vdom_chain (&v, sectioned);
  warn_unread_tables (&v);
  gboolean ok = TRUE;
  static const char *const tables[] = { "firewall policy", "firewall policy6" };
  for (guint t = 0; ok && t < G_N_ELEMENTS (tables); t++)
    {
      FwrFosNode *node = _fwr_fos_scope_get_node (scope, tables[t]);
      for (guint i = 0; ok && node != NULL && i < node->entries->len; i++)
        ok = import_policy (&v, chain, g_ptr_array_index (node->entries, i), t == 1, error);
    }
  add_intrazone_rules (&v, chain);
  /* Objects no policy uses must be well-formed too: a bad one is a bad export. */
  for (guint t = 0; ok && t < G_N_ELEMENTS (object_tables); t++)
    {
      FwrFosNode *node = _fwr_fos_scope_get_node (scope, object_tables[t].path);
      for (guint i = 0; ok && node != NULL && i < node->entries->len; i++)
        {
          FwrFosEntry *entry = g_ptr_array_index (node->entries, i);
          FwrFosValue at = { entry->name, entry->line, entry->column, G_MAXUINT };
          ok = resolve_entry (&v, entry, &at, error) != NULL;
        }
    }
  g_hash_table_unref (v.resolved);
  g_hash_table_unref (v.busy);
  g_ptr_array_unref (v.extra);
  return ok;
}

/* Every object the administrator defined, so that unused ones show. */
static void
register_objects (Import *imp, FwrFosScope *scope)
{
  FwrFosScope *predefined = g_ptr_array_index (imp->predefined->vdoms, 0);
  for (guint t = 0; t < G_N_ELEMENTS (object_tables); t++)
    {
      FwrFosNode *node = _fwr_fos_scope_get_node (scope, object_tables[t].path);
      FwrFosNode *factory = _fwr_fos_scope_get_node (predefined, object_tables[t].path);
      for (guint i = 0; node != NULL && i < node->entries->len; i++)
        {
          FwrFosEntry *entry = g_ptr_array_index (node->entries, i);
          if (factory != NULL && g_hash_table_contains (factory->by_name, entry->name))
            continue;
          g_autofree char *id = g_strdup_printf ("%s/%s/%s", scope->name, object_tables[t].id, entry->name);
          FwrObject *object = _fwr_ruleset_add_object (imp->rs, id, scope->name, entry->name,
                                                       FWR_TABLE_FAMILY_INET, object_tables[t].kind);
          object->line = entry->line;
          g_hash_table_insert (imp->objects, entry, object);
        }
    }
}

FwrRuleset *
_fwr_import_fortigate (const char *name, const char *data, gsize length, GError **error)
{
  g_autoptr (FwrFosConfig) config = _fwr_fos_config_parse (name, data, length, error);
  if (config == NULL)
    return NULL;
  if (config->vdoms->len == 0)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, name, 0, 0,
                             "no VDOM configuration: the file has no “config” block outside “config global”");
      return NULL;
    }
  g_autoptr (FwrFosConfig) predefined = _fwr_fos_config_parse ("predefined objects", predefined_objects,
                                                               sizeof predefined_objects - 1, NULL);
  g_assert (predefined != NULL);
  g_autoptr (FwrRuleset) rs = _fwr_ruleset_new ("fortigate", name);
  g_autoptr (GHashTable) objects = g_hash_table_new (NULL, NULL);
  Import imp = { name, rs, config, predefined, objects };

  for (guint i = 0; i < config->warnings->len; i++)
    {
      FwrFosWarning *warning = g_ptr_array_index (config->warnings, i);
      _fwr_ruleset_add_warning (rs, warning->line, warning->column, "%s", warning->text);
    }
  if (config->global != NULL)
    {
      register_objects (&imp, config->global);
      FwrFosNode *misplaced = _fwr_fos_scope_get_node (config->global, "firewall policy");
      if (misplaced != NULL && misplaced->entries->len > 0)
        _fwr_ruleset_add_warning (rs, misplaced->line, misplaced->column,
                                  "“config firewall policy” inside “config global” belongs to no VDOM: not analysed");
    }
  for (guint i = 0; i < config->vdoms->len; i++)
    register_objects (&imp, g_ptr_array_index (config->vdoms, i));
  for (guint i = 0; i < config->vdoms->len; i++)
    if (!import_vdom (&imp, g_ptr_array_index (config->vdoms, i), config->multi_vdom, error))
      return NULL;
  return g_steal_pointer (&rs);
}

/* Format detection: the first statement, or the header FortiOS writes into backups. */

gboolean
_fwr_import_fortigate_detect (const char *data, gsize length)
{
  static const char *const sections[] = {
    "system", "firewall", "vdom", "global", "router", "user", "vpn", "log", "webfilter", "antivirus",
    "ips", "application", "dlp", "wireless-controller", "switch-controller", "endpoint-control",
    "report", "wanopt", "web-proxy", "alertemail", "dnsfilter", "emailfilter", "spamfilter",
    "certificate", "icap", "voip", "waf", "authentication", "extender-controller", "ftp-proxy",
  };
  gsize end = MIN (length, 65536);
  gsize i = 0;
  while (i < end)
    {
      gsize eol = i;
      while (eol < end && data[eol] != '\n')
        eol++;
      gsize start = i;
      while (start < eol && (data[start] == ' ' || data[start] == '\t' || data[start] == '\r'))
        start++;
      gsize n = eol - start;
      const char *line = data + start;
      i = eol + 1;
      if (n == 0)
        continue;
      if (n >= 16 && memcmp (line, "#config-version=", 16) == 0)
        return TRUE;
      if (line[0] == '#')
        continue;
      if (n < 8 || memcmp (line, "config ", 7) != 0)
        return FALSE;
      for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
        {
          gsize len = strlen (sections[s]);
          if (n >= 7 + len && memcmp (line + 7, sections[s], len) == 0 &&
              (n == 7 + len || line[7 + len] == ' ' || line[7 + len] == '\r'))
            return TRUE;
        }
      return FALSE;
    }
  return FALSE;
}

/* Hit counts: the answer of GET /api/v2/monitor/firewall/policy, one object per VDOM:
 *   {"results": [{"policyid": 3, "packets": 120, "bytes": 9000, "hit_count": 40, ...}, ...],
 *    "vdom": "root", "path": "firewall", "name": "policy", "status": "success", ...}
 * or a JSON array of such objects when several VDOMs were asked for. policyid 0 is the
 * implicit deny. A hit is a session's first packet, so packets is at least hit_count. */

typedef struct {
  FwrRule *rule;
  guint64 packets;
  guint64 bytes;
} Hit;

static gboolean
hits_counter (json_t *result, const char *key, guint64 *out, const char *path, GError **error)
{
  json_t *value = json_object_get (result, key);
  *out = 0;
  if (value == NULL || json_is_null (value))
    return TRUE;
  if (!json_is_integer (value) || json_integer_value (value) < 0)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, path, 0, 0,
                             "“%s” of a policy is not a non-negative integer", key);
      return FALSE;
    }
  *out = (guint64) json_integer_value (value);
  return TRUE;
}

/* The VDOM the statistics are for; a single-VDOM configuration takes any. */
static const char *
hits_vdom (FwrRuleset *rs, json_t *response, GPtrArray *warnings)
{
  const char *vdom = json_string_value (json_object_get (response, "vdom"));
  g_autofree char *chain_id = g_strdup_printf ("%s/policy", vdom ? vdom : "");
  if (vdom != NULL && fwr_ruleset_lookup_chain (rs, chain_id) != NULL)
    return vdom;
  if (rs->chains->len == 1)
    {
      FwrChain *only = g_ptr_array_index (rs->chains, 0);
      if (vdom != NULL)
        g_ptr_array_add (warnings, g_strdup_printf ("statistics of VDOM %s applied to the configuration's only VDOM, %s",
                                                    vdom, only->table));
      return only->table;
    }
  g_ptr_array_add (warnings, g_strdup_printf ("statistics of VDOM %s ignored: the configuration has no such VDOM",
                                              vdom ? vdom : "(unnamed)"));
  return NULL;
}

static gboolean
hits_response (FwrRuleset *rs, json_t *response, const char *path, GHashTable *hits, GPtrArray *warnings,
               GError **error)
{
  json_t *results = json_object_get (response, "results");
  if (!json_is_object (response) || !json_is_array (results))
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, path, 0, 0,
                             "no “results” list: not the answer of /api/v2/monitor/firewall/policy");
      return FALSE;
    }
  const char *vdom = hits_vdom (rs, response, warnings);
  const char *table = json_string_value (json_object_get (response, "name"));
  gboolean policy6 = g_strcmp0 (table, "policy6") == 0;
  size_t index;
  json_t *result;
  json_array_foreach (results, index, result)
    {
      json_t *id = json_object_get (result, "policyid");
      guint64 packets, bytes, hit_count;
      if (!json_is_integer (id) || json_integer_value (id) < 0)
        {
          _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, path, 0, 0,
                                 "result %zu has no integer “policyid”", index + 1);
          return FALSE;
        }
      if (!hits_counter (result, "packets", &packets, path, error) ||
          !hits_counter (result, "bytes", &bytes, path, error) ||
          !hits_counter (result, "hit_count", &hit_count, path, error))
        return FALSE;
      if (vdom == NULL || json_integer_value (id) == 0)
        continue;
      g_autofree char *rule_id = g_strdup_printf ("%s/%s%" JSON_INTEGER_FORMAT, vdom, policy6 ? "policy6/" : "",
                                                  json_integer_value (id));
      FwrRule *rule = fwr_ruleset_lookup_rule (rs, rule_id);
      if (rule == NULL)
        {
          g_ptr_array_add (warnings, g_strdup_printf ("statistics of policy %s ignored: the configuration has no such policy",
                                                      rule_id));
          continue;
        }
      /* Some versions list a policy once per address family: the counts add up. */
      Hit *hit = g_hash_table_lookup (hits, rule);
      if (hit == NULL)
        {
          hit = g_new0 (Hit, 1);
          hit->rule = rule;
          g_hash_table_insert (hits, rule, hit);
        }
      hit->packets += MAX (packets, hit_count);
      hit->bytes += bytes;
    }
  return TRUE;
}

gboolean
_fwr_import_fortigate_apply_hits (FwrRuleset *rs, const char *path, const char *data, gsize length,
                                  GError **error)
{
  json_error_t json_error;
  g_autoptr (json_t) root = json_loadb (data, length, 0, &json_error);
  if (root == NULL)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, path, (guint) MAX (json_error.line, 0),
                             (guint) MAX (json_error.column, 0), "not FortiOS policy statistics JSON: %s",
                             json_error.text);
      return FALSE;
    }
  g_autoptr (GHashTable) hits = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  if (json_is_array (root))
    {
      size_t index;
      json_t *response;
      json_array_foreach (root, index, response)
        if (!hits_response (rs, response, path, hits, warnings, error))
          return FALSE;
    }
  else if (!hits_response (rs, root, path, hits, warnings, error))
    return FALSE;

  /* Nothing is changed before the whole file has been read. */
  GHashTableIter iter;
  Hit *hit;
  g_hash_table_iter_init (&iter, hits);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &hit))
    {
      hit->rule->has_counter = TRUE;
      hit->rule->packets = hit->packets;
      hit->rule->bytes = hit->bytes;
    }
  /* Intrazone accepts are no policies: FortiOS keeps no statistics for them. */
  guint missing = 0;
  for (guint c = 0; c < rs->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (rs->chains, c);
      for (guint r = 0; r < chain->rules->len; r++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, r);
          missing += !g_hash_table_contains (hits, rule) && strstr (rule->id, "/intrazone/") == NULL;
        }
    }
  if (missing > 0)
    g_ptr_array_add (warnings, g_strdup_printf ("%u polic%s no statistics: %s use is unknown", missing,
                                                missing == 1 ? "y has" : "ies have",
                                                missing == 1 ? "its" : "their"));
  for (guint i = 0; i < warnings->len; i++)
    _fwr_ruleset_add_warning (rs, 0, 0, "%s: %s", path, (const char *) g_ptr_array_index (warnings, i));
  return TRUE;
}
