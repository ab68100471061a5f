/* gen-ruleset.c: writes a deterministic, realistic nftables ruleset of N rules in the exact shape of
 * `nft -j list ruleset`, so the importer and the analysis can be timed at 1k, 10k and 100k rules. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE "fw"
#define IP4(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((guint32) (c) << 8) | (guint32) (d))
#define RECENT_WINDOW 400

/* splitmix64: our own generator so the output never depends on the GLib version. */
typedef struct {
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint32
rng_below (Rng *rng, guint32 n)
{
  return n == 0 ? 0 : (guint32) (rng_next (rng) % n);
}

static gboolean
rng_chance (Rng *rng, guint permille)
{
  return rng_below (rng, 1000) < permille;
}

typedef enum { ZONE_WAN, ZONE_DMZ, ZONE_LAN, ZONE_OPS, ZONE_TEST, ZONE_MGMT, N_ZONES } ZoneId;

typedef struct {
  const char *name;
  const char *klass;
  const char *iface;
  const char *set_stem;
  guint32 net;
  guint len;
  guint weight; /* share of the zone chains' rules, percent */
} Zone;

/* Internet partners live in 203.0.113.0/24; the internal zones each own a /10 or the /12. */
static const Zone zones[N_ZONES] = {
  { "internet", "internet", "wan", "partners", IP4 (203, 0, 113, 0), 24, 18 },
  { "dmz", "dmz", "dmz", "dmz_hosts", IP4 (172, 16, 0, 0), 12, 14 },
  { "office", "other", "lan", "office_clients", IP4 (10, 0, 0, 0), 10, 32 },
  { "trading", "operating", "ops", "trading_hosts", IP4 (10, 64, 0, 0), 10, 20 },
  { "test", "testing", "test", "test_hosts", IP4 (10, 128, 0, 0), 10, 8 },
  { "mgmt", "management", "mgmt", "admin_hosts", IP4 (10, 192, 0, 0), 10, 8 },
};

enum { PROTO_TCP = 6, PROTO_UDP = 17 };

typedef struct {
  const char *name;
  guint8 proto;
  guint16 port;
  guint weight;
} Service;

static const Service internal_services[] = {
  { "https", PROTO_TCP, 443, 30 },   { "http", PROTO_TCP, 80, 12 },     { "ssh", PROTO_TCP, 22, 8 },
  { "postgres", PROTO_TCP, 5432, 6 }, { "mssql", PROTO_TCP, 1433, 5 },   { "oracle", PROTO_TCP, 1521, 4 },
  { "mysql", PROTO_TCP, 3306, 4 },   { "http-alt", PROTO_TCP, 8080, 6 }, { "https-alt", PROTO_TCP, 8443, 5 },
  { "dns", PROTO_UDP, 53, 6 },       { "ntp", PROTO_UDP, 123, 3 },      { "ldap", PROTO_TCP, 389, 3 },
  { "ldaps", PROTO_TCP, 636, 3 },    { "smb", PROTO_TCP, 445, 3 },      { "kerberos", PROTO_TCP, 88, 2 },
  { "rdp", PROTO_TCP, 3389, 4 },     { "smtp", PROTO_TCP, 25, 2 },      { "syslog", PROTO_UDP, 514, 2 },
  { "snmp", PROTO_UDP, 161, 2 },     { "redis", PROTO_TCP, 6379, 2 },   { "kafka", PROTO_TCP, 9092, 3 },
  { "mq", PROTO_TCP, 1414, 3 },      { "fix", PROTO_TCP, 9878, 3 },     { "elastic", PROTO_TCP, 9200, 2 },
  { "node-exporter", PROTO_TCP, 9100, 2 }, { "winrm", PROTO_TCP, 5985, 1 }, { "vnc", PROTO_TCP, 5900, 1 },
  { "telnet", PROTO_TCP, 23, 1 },    { "ftp", PROTO_TCP, 21, 1 },       { "tftp", PROTO_UDP, 69, 1 },
};

static const Service wan_services[] = {
  { "https", PROTO_TCP, 443, 40 }, { "http", PROTO_TCP, 80, 12 }, { "smtp", PROTO_TCP, 25, 6 },
  { "dns", PROTO_UDP, 53, 5 },     { "ike", PROTO_UDP, 500, 4 },  { "ipsec-nat", PROTO_UDP, 4500, 4 },
  { "fix", PROTO_TCP, 9878, 8 },   { "sftp", PROTO_TCP, 22, 2 },  { "openvpn", PROTO_UDP, 1194, 3 },
};

static const Service host_services[] = {
  { "ssh", PROTO_TCP, 22, 10 }, { "https", PROTO_TCP, 443, 5 }, { "snmp", PROTO_UDP, 161, 4 },
  { "bgp", PROTO_TCP, 179, 2 }, { "dns", PROTO_UDP, 53, 3 },    { "ntp", PROTO_UDP, 123, 2 },
  { "dhcp", PROTO_UDP, 67, 2 },
};

static const char *apps[] = {
  "order-entry", "market-data", "risk", "settlement", "backoffice", "crm", "hr", "mail", "monitoring",
  "backup", "ad", "web", "api-gw", "fix-gw", "reporting", "clearing", "treasury", "kyc", "billing",
};

typedef enum { ADDR_ANY, ADDR_V4, ADDR_V6, ADDR_SET } AddrKind;

typedef struct {
  AddrKind kind;
  guint8 len;
  guint32 v4;    /* ADDR_V4 network; ADDR_V6: (site << 16) | host */
  guint set;     /* ADDR_SET: index in Gen.sets */
} Addr;

typedef enum { PORTS_ANY, PORTS_PROTO, PORTS_ONE, PORTS_LIST, PORTS_RANGE, PORTS_NAMED } PortsKind;

typedef struct {
  PortsKind kind;
  guint8 proto;
  guint8 n;
  guint16 port[4]; /* PORTS_RANGE: port[0]-port[1] */
  const char *service;
} Ports;

typedef enum { VERDICT_ACCEPT, VERDICT_DROP, VERDICT_REJECT, VERDICT_JUMP } Verdict;
typedef enum { CT_NONE, CT_ESTABLISHED, CT_INVALID } CtMatch;

typedef struct {
  const char *iif;
  const char *oif;
  CtMatch ct;
  Addr src;
  Addr dst;
  Ports ports;
  const char *raw_match; /* a fixed idiom's match expression, JSON */
  gboolean limit;
  const char *log_prefix;
  gboolean counter;
  guint64 packets;
  guint64 bytes;
  Verdict verdict;
  const char *target;
  char comment[72];
} Rule;

typedef struct {
  char name[40];
  ZoneId zone;
  GArray *elems; /* (element-type Addr) */
} AddrSetDef;

typedef enum { DEFECT_DUPLICATE, DEFECT_NARROW, DEFECT_NARROW_SHADOW, DEFECT_SPLIT, DEFECT_ANY_COVER, N_DEFECTS } Defect;
static const char *defect_names[N_DEFECTS] = {
  "duplicate", "narrower, same verdict", "narrower, other verdict", "covered by two together",
  "covered by any-source rule",
};

typedef struct {
  Rng rng;
  guint n_rules;
  GString *out;
  guint handle;
  guint n_emitted;
  guint ticket;
  GArray *sets;                  /* (element-type AddrSetDef) */
  GArray *servers[N_ZONES];      /* (element-type guint32) */
  GArray *client_nets[N_ZONES];  /* (element-type guint32), /24 networks */
  gboolean first_expr;
  guint defects[N_DEFECTS];
} Gen;

/* A chain's generation state: what it emitted (for defects that copy earlier rules) and what is
 * still owed (the covered rule of a split pair comes a few rules after the pair). */
typedef struct {
  const char *name;
  ZoneId zone;
  const Service *services;
  guint n_services;
  GArray *history;  /* (element-type Rule) */
  GArray *pending;  /* (element-type Rule) */
  guint budget;
  guint emitted;
} ChainGen;

static const Service *
pick_service (Gen *gen, const Service *services, guint n)
{
  guint total = 0;
  for (guint i = 0; i < n; i++)
    total += services[i].weight;
  guint r = rng_below (&gen->rng, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < services[i].weight)
        return &services[i];
      r -= services[i].weight;
    }
  return &services[n - 1];
}

static guint32
random_host_in (Gen *gen, guint32 net, guint len)
{
  guint32 size = len >= 32 ? 1 : (guint32) 1 << (32 - len);
  guint32 addr = net + rng_below (&gen->rng, size);

  /* no .0 or .255 hosts, which read as network or broadcast addresses to a reviewer */
  if (size > 2 && (addr & 0xff) == 0)
    addr |= 1;
  if (size > 2 && (addr & 0xff) == 0xff)
    addr &= ~1u;
  return addr;
}

static guint32
prefix_mask (guint len)
{
  return len == 0 ? 0 : ~0u << (32 - len);
}

/* Server and client /24s cluster in a few subnets per zone, as in real networks, so that rules
 * to one server or from one office overlap a handful of others instead of none or all. */
static void
make_pools (Gen *gen)
{
  guint n_servers = MAX (24, gen->n_rules / 40);
  /* capped so that the DMZ's /12 (4096 /24s) always has room for them next to the server nets */
  guint n_clients = CLAMP (gen->n_rules / 100, 64, 2500);

  for (guint z = 0; z < N_ZONES; z++)
    {
      const Zone *zone = &zones[z];
      g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
      guint n_server_nets = MAX (2, n_servers / 24);
      g_autofree guint32 *server_nets = g_new (guint32, n_server_nets);

      gen->servers[z] = g_array_new (FALSE, FALSE, sizeof (guint32));
      gen->client_nets[z] = g_array_new (FALSE, FALSE, sizeof (guint32));
      if (z == ZONE_WAN)
        continue;
      for (guint i = 0; i < n_server_nets; i++)
        {
          server_nets[i] = random_host_in (gen, zone->net, zone->len) & prefix_mask (24);
          g_hash_table_add (seen, GUINT_TO_POINTER (server_nets[i]));
        }
      while (gen->servers[z]->len < n_servers)
        {
          guint32 addr = server_nets[rng_below (&gen->rng, n_server_nets)] + 1 + rng_below (&gen->rng, 253);
          if (g_hash_table_add (seen, GUINT_TO_POINTER (addr)))
            g_array_append_val (gen->servers[z], addr);
        }
      while (gen->client_nets[z]->len < n_clients)
        {
          guint32 net = random_host_in (gen, zone->net, zone->len) & prefix_mask (24);
          if (g_hash_table_add (seen, GUINT_TO_POINTER (net)))
            g_array_append_val (gen->client_nets[z], net);
        }
    }
}

static gint
addr_compare (gconstpointer a, gconstpointer b)
{
  guint32 x = ((const Addr *) a)->v4, y = ((const Addr *) b)->v4;
  return x < y ? -1 : x > y;
}

/* Elements are disjoint (one per distinct /24, or per host for the partners' /24): nft refuses
 * overlapping intervals in a set without auto-merge. */
static void
fill_set (Gen *gen, AddrSetDef *set)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint n = 20 + rng_below (&gen->rng, 40);

  while (set->elems->len < n)
    {
      Addr elem = { ADDR_V4, 32, 0, 0 };
      if (set->zone == ZONE_WAN)
        elem.v4 = random_host_in (gen, zones[ZONE_WAN].net, 24);
      else
        {
          GArray *pool = gen->client_nets[set->zone];
          guint32 net = g_array_index (pool, guint32, rng_below (&gen->rng, pool->len));
          guint kind = rng_below (&gen->rng, 4);
          elem.len = kind < 2 ? 24 : kind == 2 ? 28 : 32;
          elem.v4 = elem.len == 24 ? net : random_host_in (gen, net, 24) & prefix_mask (elem.len);
        }
      if (g_hash_table_add (seen, GUINT_TO_POINTER (elem.v4 & prefix_mask (24 + 8 * (set->zone == ZONE_WAN)))))
        g_array_append_val (set->elems, elem);
    }
  g_array_sort (set->elems, addr_compare);
}

/* The last set of each zone, "_legacy", is never referenced (pick_set skips it): real rulesets
 * keep such leftovers and `unused-object` must find them. */
static void
make_sets (Gen *gen)
{
  guint per_zone = 2 + gen->n_rules / 4000;

  gen->sets = g_array_new (FALSE, TRUE, sizeof (AddrSetDef));
  for (guint z = 0; z < N_ZONES; z++)
    for (guint i = 0; i < per_zone; i++)
      {
        AddrSetDef set = { .zone = z };
        if (i + 1 < per_zone)
          g_snprintf (set.name, sizeof set.name, "%s_%02u", zones[z].set_stem, i + 1);
        else
          g_snprintf (set.name, sizeof set.name, "%s_legacy", zones[z].set_stem);
        set.elems = g_array_new (FALSE, FALSE, sizeof (Addr));
        fill_set (gen, &set);
        g_array_append_val (gen->sets, set);
      }
}

static guint
pick_set (Gen *gen, ZoneId zone)
{
  guint per_zone = gen->sets->len / N_ZONES;
  return zone * per_zone + rng_below (&gen->rng, per_zone - 1);
}

static void
append_v4 (GString *out, guint32 a)
{
  g_string_append_printf (out, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

static void
append_addr_value (Gen *gen, const Addr *addr)
{
  GString *out = gen->out;

  if (addr->kind == ADDR_SET)
    {
      g_string_append_printf (out, "\"@%s\"", g_array_index (gen->sets, AddrSetDef, addr->set).name);
      return;
    }
  if (addr->len != (addr->kind == ADDR_V6 ? 128 : 32))
    g_string_append (out, "{\"prefix\": {\"addr\": \"");
  else
    g_string_append_c (out, '"');
  if (addr->kind == ADDR_V6 && addr->len == 128)
    g_string_append_printf (out, "2001:db8:%x::%x", addr->v4 >> 16, addr->v4 & 0xffff);
  else if (addr->kind == ADDR_V6)
    g_string_append_printf (out, "2001:db8:%x::", addr->v4 >> 16);
  else
    append_v4 (out, addr->v4);
  if (addr->len != (addr->kind == ADDR_V6 ? 128 : 32))
    g_string_append_printf (out, "\", \"len\": %u}}", addr->len);
  else
    g_string_append_c (out, '"');
}

static void
expr_begin (Gen *gen)
{
  if (!gen->first_expr)
    g_string_append (gen->out, ", ");
  gen->first_expr = FALSE;
}

static void
append_match_open (Gen *gen, const char *op, const char *left)
{
  expr_begin (gen);
  g_string_append_printf (gen->out, "{\"match\": {\"op\": \"%s\", \"left\": %s, \"right\": ", op, left);
}

static void
append_addr_match (Gen *gen, const Addr *addr, const char *field)
{
  if (addr->kind == ADDR_ANY)
    return;
  g_autofree char *left = g_strdup_printf ("{\"payload\": {\"protocol\": \"%s\", \"field\": \"%s\"}}",
                                           addr->kind == ADDR_V6 ? "ip6" : "ip", field);
  append_match_open (gen, "==", left);
  append_addr_value (gen, addr);
  g_string_append (gen->out, "}}");
}

static void
append_ports_match (Gen *gen, const Ports *ports)
{
  const char *proto = ports->proto == PROTO_UDP ? "udp" : "tcp";

  if (ports->kind == PORTS_ANY)
    return;
  if (ports->kind == PORTS_PROTO)
    {
      append_match_open (gen, "==", "{\"meta\": {\"key\": \"l4proto\"}}");
      g_string_append_printf (gen->out, "\"%s\"}}", proto);
      return;
    }
  g_autofree char *left = g_strdup_printf ("{\"payload\": {\"protocol\": \"%s\", \"field\": \"dport\"}}", proto);
  append_match_open (gen, "==", left);
  if (ports->kind == PORTS_ONE)
    g_string_append_printf (gen->out, "%u", ports->port[0]);
  else if (ports->kind == PORTS_RANGE)
    g_string_append_printf (gen->out, "{\"range\": [%u, %u]}", ports->port[0], ports->port[1]);
  else if (ports->kind == PORTS_NAMED)
    g_string_append (gen->out, "\"@web_ports\"");
  else
    {
      g_string_append (gen->out, "{\"set\": [");
      for (guint i = 0; i < ports->n; i++)
        g_string_append_printf (gen->out, "%s%u", i ? ", " : "", ports->port[i]);
      g_string_append (gen->out, "]}");
    }
  g_string_append (gen->out, "}}");
}

static void
append_iface_match (Gen *gen, const char *key, const char *name)
{
  if (name == NULL)
    return;
  g_autofree char *left = g_strdup_printf ("{\"meta\": {\"key\": \"%s\"}}", key);
  append_match_open (gen, "==", left);
  g_string_append_printf (gen->out, "\"%s\"}}", name);
}

static void
append_ct_match (Gen *gen, CtMatch ct)
{
  if (ct == CT_NONE)
    return;
  append_match_open (gen, "in", "{\"ct\": {\"key\": \"state\"}}");
  g_string_append (gen->out, ct == CT_INVALID ? "\"invalid\"}}" : "[\"established\", \"related\"]}}");
}

static void
append_statements (Gen *gen, const Rule *rule)
{
  if (rule->limit)
    {
      expr_begin (gen);
      g_string_append (gen->out, "{\"limit\": {\"rate\": 10, \"burst\": 5, \"per\": \"second\"}}");
    }
  if (rule->log_prefix)
    {
      expr_begin (gen);
      g_string_append_printf (gen->out, "{\"log\": {\"prefix\": \"%s\"}}", rule->log_prefix);
    }
  if (rule->counter)
    {
      expr_begin (gen);
      g_string_append_printf (gen->out, "{\"counter\": {\"packets\": %" G_GUINT64_FORMAT ", \"bytes\": %" G_GUINT64_FORMAT "}}",
                              rule->packets, rule->bytes);
    }
  expr_begin (gen);
  switch (rule->verdict)
    {
    case VERDICT_ACCEPT:
      g_string_append (gen->out, "{\"accept\": null}");
      break;
    case VERDICT_DROP:
      g_string_append (gen->out, "{\"drop\": null}");
      break;
    case VERDICT_REJECT:
      g_string_append (gen->out, "{\"reject\": {\"type\": \"icmpx\", \"expr\": \"admin-prohibited\"}}");
      break;
    case VERDICT_JUMP:
      g_string_append_printf (gen->out, "{\"jump\": {\"target\": \"%s\"}}", rule->target);
      break;
    }
}

/* The kernel gives each anonymous set a handle from the table's counter, so real dumps skip one
 * rule handle per anonymous set; we do the same. */
static void
emit_rule (Gen *gen, const char *chain, const Rule *rule)
{
  if (rule->ports.kind == PORTS_LIST || (rule->raw_match && strstr (rule->raw_match, "\"set\"")))
    gen->handle++;
  g_string_append_printf (gen->out, ", {\"rule\": {\"family\": \"inet\", \"table\": \"" TABLE "\", \"chain\": \"%s\", \"handle\": %u",
                          chain, gen->handle++);
  if (rule->comment[0])
    g_string_append_printf (gen->out, ", \"comment\": \"%s\"", rule->comment);
  g_string_append (gen->out, ", \"expr\": [");
  gen->first_expr = TRUE;
  append_iface_match (gen, "iifname", rule->iif);
  append_iface_match (gen, "oifname", rule->oif);
  append_ct_match (gen, rule->ct);
  append_addr_match (gen, &rule->src, "saddr");
  append_addr_match (gen, &rule->dst, "daddr");
  append_ports_match (gen, &rule->ports);
  if (rule->raw_match)
    {
      expr_begin (gen);
      g_string_append (gen->out, rule->raw_match);
    }
  append_statements (gen, rule);
  g_string_append (gen->out, "]}}");
  gen->n_emitted++;
}

static void
set_counter (Gen *gen, Rule *rule, guint permille_present)
{
  rule->counter = rng_chance (&gen->rng, permille_present);
  rule->packets = rule->bytes = 0;
  if (!rule->counter || rng_chance (&gen->rng, 120))
    return;
  guint64 scale = 1;
  for (guint i = rng_below (&gen->rng, 8); i > 0; i--)
    scale *= 10;
  rule->packets = scale * (1 + rng_below (&gen->rng, 9)) + rng_below (&gen->rng, 10);
  rule->bytes = rule->packets * (60 + rng_below (&gen->rng, 1400));
}

static void
set_comment (Gen *gen, Rule *rule, const char *from, const char *to, const char *what)
{
  static const struct {
    const char *prefix;
    int digits;
  } tickets[] = { { "CHG-", 6 }, { "REQ", 7 }, { "INC", 7 }, { "SR-", 5 } };
  guint t, r;

  if (!rng_chance (&gen->rng, 820))
    {
      rule->comment[0] = '\0';
      return;
    }
  t = rng_below (&gen->rng, G_N_ELEMENTS (tickets));
  gen->ticket += 1 + rng_below (&gen->rng, 7);
  r = rng_below (&gen->rng, 1000);
  if (r < 400)
    g_snprintf (rule->comment, sizeof rule->comment, "%s%0*u", tickets[t].prefix, tickets[t].digits, gen->ticket);
  else if (r < 700)
    g_snprintf (rule->comment, sizeof rule->comment, "%s%0*u %s", tickets[t].prefix, tickets[t].digits,
                gen->ticket, apps[rng_below (&gen->rng, G_N_ELEMENTS (apps))]);
  else
    g_snprintf (rule->comment, sizeof rule->comment, "%s to %s %s", from, to, what);
}

static Addr
random_source (Gen *gen, ZoneId zone)
{
  Addr addr = { ADDR_V4, 32, 0, 0 };
  guint r = rng_below (&gen->rng, 1000);

  if (zone == ZONE_WAN)
    {
      if (r < 400)
        addr.kind = ADDR_ANY;
      else if (r < 480)
        addr = (Addr) { ADDR_SET, 0, 0, pick_set (gen, zone) };
      else
        {
          addr.len = r < 600 ? 28 + rng_below (&gen->rng, 3) : 32;
          addr.v4 = random_host_in (gen, zones[zone].net, 24) & prefix_mask (addr.len);
        }
      return addr;
    }
  GArray *pool = gen->client_nets[zone];
  guint32 net = g_array_index (pool, guint32, rng_below (&gen->rng, pool->len));
  if (r < 200)
    addr.kind = ADDR_ANY;
  else if (r < 270)
    addr = (Addr) { ADDR_SET, 0, 0, pick_set (gen, zone) };
  else if (r < 400)
    addr = (Addr) { ADDR_V4, 24, net, 0 };
  else if (r < 440)
    {
      addr.len = 25 + rng_below (&gen->rng, 4);
      addr.v4 = random_host_in (gen, net, 24) & prefix_mask (addr.len);
    }
  else
    addr.v4 = random_host_in (gen, net, 24);
  return addr;
}

/* Rules that are broad in one dimension (any destination, the firewall itself) get a specific
 * source, or each would overlap a fixed share of the whole chain. */
static Addr
specific_source (Gen *gen, ZoneId zone)
{
  for (;;)
    {
      Addr addr = random_source (gen, zone);
      if (addr.kind == ADDR_V4)
        return addr;
    }
}

static ZoneId
random_destination_zone (Gen *gen, ZoneId from)
{
  static const ZoneId internal[] = { ZONE_DMZ, ZONE_LAN, ZONE_OPS, ZONE_TEST, ZONE_MGMT };

  if (from == ZONE_WAN)
    return rng_chance (&gen->rng, 850) ? ZONE_DMZ : ZONE_OPS;
  if (from != ZONE_DMZ && rng_chance (&gen->rng, 100))
    return ZONE_WAN;
  for (;;)
    {
      ZoneId to = internal[rng_below (&gen->rng, G_N_ELEMENTS (internal))];
      if (to != from || rng_chance (&gen->rng, 300))
        return to;
    }
}

static Addr
random_destination (Gen *gen, ZoneId zone)
{
  Addr addr = { ADDR_V4, 32, 0, 0 };
  guint r = rng_below (&gen->rng, 1000);

  /* Egress goes to named partner hosts; the one broad "to the Internet" rule per zone is added
   * at the end of the chain by emit_tail. */
  if (zone == ZONE_WAN)
    {
      addr.len = r < 700 ? 32 : 28 + rng_below (&gen->rng, 2);
      addr.v4 = random_host_in (gen, zones[ZONE_WAN].net, 24) & prefix_mask (addr.len);
      return addr;
    }
  GArray *servers = gen->servers[zone];
  addr.v4 = g_array_index (servers, guint32, rng_below (&gen->rng, servers->len));
  if (r < 60)
    addr = (Addr) { ADDR_SET, 0, 0, pick_set (gen, zone) };
  else if (r < 110)
    {
      addr.len = 24 + 4 * rng_below (&gen->rng, 2);
      addr.v4 &= prefix_mask (addr.len);
    }
  return addr;
}

static void
add_port (Ports *ports, guint8 proto, guint16 port)
{
  for (guint i = 0; i < ports->n; i++)
    if (ports->port[i] == port)
      return;
  guint i = ports->n++;
  while (i > 0 && ports->port[i - 1] > port)
    {
      ports->port[i] = ports->port[i - 1];
      i--;
    }
  ports->port[i] = port;
  ports->proto = proto;
}

static Ports
random_ports (Gen *gen, const Service *services, guint n_services)
{
  static const guint16 ranges[][2] = {
    { 8000, 8099 }, { 30000, 30999 }, { 9000, 9010 }, { 5000, 5100 }, { 1024, 65535 }, { 20000, 20100 },
  };
  Ports ports = { PORTS_ONE, PROTO_TCP, 0, { 0 }, NULL };
  const Service *service = pick_service (gen, services, n_services);
  guint r = rng_below (&gen->rng, 1000);

  ports.service = service->name;
  add_port (&ports, service->proto, service->port);
  if (r < 15)
    ports.kind = PORTS_ANY;
  else if (r < 30)
    ports.kind = PORTS_PROTO;
  else if (r < 40)
    {
      ports = (Ports) { PORTS_NAMED, PROTO_TCP, 4, { 80, 443, 8080, 8443 }, "web" };
    }
  else if (r < 120)
    {
      guint k = rng_below (&gen->rng, G_N_ELEMENTS (ranges));
      ports.kind = PORTS_RANGE;
      ports.port[0] = ranges[k][0];
      ports.port[1] = ranges[k][1];
      ports.service = "app ports";
    }
  else if (r < 270)
    {
      ports.kind = PORTS_LIST;
      for (guint extra = 1 + rng_below (&gen->rng, 3); extra > 0; extra--)
        {
          const Service *other = pick_service (gen, services, n_services);
          if (other->proto == ports.proto)
            add_port (&ports, other->proto, other->port);
        }
      if (ports.n == 1)
        ports.kind = PORTS_ONE;
    }
  return ports;
}

static void
random_verdict (Gen *gen, Rule *rule, guint permille_drop)
{
  guint r = rng_below (&gen->rng, 1000);
  rule->verdict = r < permille_drop ? VERDICT_DROP : r < permille_drop + 20 ? VERDICT_REJECT : VERDICT_ACCEPT;
}

static Rule
random_zone_rule (Gen *gen, ChainGen *chain)
{
  Rule rule = { 0 };
  ZoneId to = random_destination_zone (gen, chain->zone);

  rule.src = to == ZONE_WAN ? specific_source (gen, chain->zone) : random_source (gen, chain->zone);
  rule.dst = random_destination (gen, to);
  if (to == ZONE_WAN || rng_chance (&gen->rng, 30))
    rule.oif = zones[to].iface;
  rule.ports = random_ports (gen, chain->services, chain->n_services);
  random_verdict (gen, &rule, 40);
  set_counter (gen, &rule, 350);
  set_comment (gen, &rule, zones[chain->zone].name, zones[to].name, rule.ports.service);
  if (chain->zone == ZONE_WAN && rng_chance (&gen->rng, 15))
    {
      /* IPv6 services published in the DMZ, reached from anywhere */
      rule.src = (Addr) { ADDR_ANY, 0, 0, 0 };
      rule.dst = (Addr) { ADDR_V6, 128, (0xd0u << 16) | (1 + rng_below (&gen->rng, 200)), 0 };
      rule.oif = NULL;
    }
  return rule;
}

/* A subset of addr: one host inside it. Any-source from a zone narrows to a host of that zone;
 * any-destination stays as it is. */
static Addr
narrow_addr (Gen *gen, const Addr *addr, ZoneId zone, gboolean keep_any)
{
  Addr out = *addr;

  if (addr->kind == ADDR_SET)
    {
      const AddrSetDef *set = &g_array_index (gen->sets, AddrSetDef, addr->set);
      out = g_array_index (set->elems, Addr, rng_below (&gen->rng, set->elems->len));
    }
  else if (addr->kind == ADDR_ANY)
    {
      if (keep_any || zone == ZONE_WAN)
        return out;
      GArray *pool = gen->client_nets[zone];
      out = (Addr) { ADDR_V4, 24, g_array_index (pool, guint32, rng_below (&gen->rng, pool->len)), 0 };
    }
  if (out.kind == ADDR_V4 && out.len < 32)
    {
      out.v4 = random_host_in (gen, out.v4, out.len);
      out.len = 32;
    }
  return out;
}

static Ports
narrow_ports (Gen *gen, const Ports *ports, const Service *services, guint n_services)
{
  Ports out = *ports;

  switch (ports->kind)
    {
    case PORTS_ANY:
      return random_ports (gen, services, n_services);
    case PORTS_PROTO:
      out.kind = PORTS_ONE;
      out.n = 1;
      out.port[0] = ports->proto == PROTO_UDP ? 53 : 443;
      return out;
    case PORTS_RANGE:
      out.kind = PORTS_ONE;
      out.n = 1;
      out.port[0] = ports->port[0] + rng_below (&gen->rng, ports->port[1] - ports->port[0] + 1);
      return out;
    case PORTS_LIST:
    case PORTS_NAMED:
      out.kind = PORTS_ONE;
      out.port[0] = ports->port[rng_below (&gen->rng, ports->n)];
      out.n = 1;
      return out;
    case PORTS_ONE:
      break;
    }
  return out;
}

static const Rule *
pick_recent (Gen *gen, ChainGen *chain, gboolean any_source_only)
{
  guint n = chain->history->len;
  guint from = n > RECENT_WINDOW ? n - RECENT_WINDOW : 0;

  if (n == 0)
    return NULL;
  if (!any_source_only)
    return &g_array_index (chain->history, Rule, from + rng_below (&gen->rng, n - from));
  for (guint i = n; i > from; i--)
    {
      const Rule *rule = &g_array_index (chain->history, Rule, i - 1);
      if (rule->src.kind == ADDR_ANY && rule->dst.kind != ADDR_ANY && rule->ports.kind != PORTS_ANY)
        return rule;
    }
  return NULL;
}

/* A rule the engine must find redundant or shadowed: covered by one earlier rule. */
static gboolean
make_covered (Gen *gen, ChainGen *chain, Defect defect, Rule *out)
{
  const Rule *base = pick_recent (gen, chain, defect == DEFECT_ANY_COVER);

  if (base == NULL || base->dst.kind == ADDR_V6)
    return FALSE;
  *out = *base;
  if (defect != DEFECT_DUPLICATE)
    {
      out->src = narrow_addr (gen, &base->src, chain->zone, FALSE);
      out->dst = narrow_addr (gen, &base->dst, chain->zone, TRUE);
      out->ports = narrow_ports (gen, &base->ports, chain->services, chain->n_services);
    }
  if (defect == DEFECT_NARROW_SHADOW)
    out->verdict = base->verdict == VERDICT_ACCEPT ? VERDICT_DROP : VERDICT_ACCEPT;
  set_counter (gen, out, 850);
  set_comment (gen, out, zones[chain->zone].name, "host", out->verdict == VERDICT_ACCEPT ? "exception" : "block");
  return TRUE;
}

/* Two rules that together, and only together, cover a third one emitted a little later: ports
 * 0-s and s+1-65535, or the two halves of a /24. */
static void
make_split (Gen *gen, ChainGen *chain, Rule *low, Rule *high, Rule *covered)
{
  static const guint16 splits[] = { 1000, 1023, 1024, 8000 };
  Rule base = random_zone_rule (gen, chain);

  base.ports.proto = PROTO_TCP;
  base.verdict = VERDICT_ACCEPT;
  *low = *high = *covered = base;
  if (rng_chance (&gen->rng, 500))
    {
      guint16 s = splits[rng_below (&gen->rng, G_N_ELEMENTS (splits))];
      low->ports = (Ports) { PORTS_RANGE, PROTO_TCP, 2, { 0, s }, "low ports" };
      high->ports = (Ports) { PORTS_RANGE, PROTO_TCP, 2, { s + 1, 65535 }, "high ports" };
      covered->ports = (Ports) { PORTS_RANGE, PROTO_TCP, 2, { s - 10, s + 10 }, "app ports" };
    }
  else
    {
      GArray *pool = gen->client_nets[chain->zone];
      guint32 net = chain->zone == ZONE_WAN ? zones[ZONE_WAN].net
                    : g_array_index (pool, guint32, rng_below (&gen->rng, pool->len));
      low->src = (Addr) { ADDR_V4, 25, net, 0 };
      high->src = (Addr) { ADDR_V4, 25, net + 128, 0 };
      covered->src = (Addr) { ADDR_V4, 24, net, 0 };
    }
  set_counter (gen, low, 850);
  set_counter (gen, high, 850);
  set_counter (gen, covered, 850);
  set_comment (gen, low, zones[chain->zone].name, "app", "part 1");
  set_comment (gen, high, zones[chain->zone].name, "app", "part 2");
  set_comment (gen, covered, zones[chain->zone].name, "app", "again");
}

static void
chain_emit (Gen *gen, ChainGen *chain, const Rule *rule)
{
  emit_rule (gen, chain->name, rule);
  g_array_append_val (chain->history, *rule);
  chain->emitted++;
}

static gboolean
try_defect (Gen *gen, ChainGen *chain)
{
  guint r = rng_below (&gen->rng, 1000);
  Rule rule, low, high;
  Defect defect;

  if (r >= 33 || chain->emitted + 3 >= chain->budget)
    return FALSE;
  defect = r < 10 ? DEFECT_DUPLICATE : r < 20 ? DEFECT_NARROW : r < 25 ? DEFECT_NARROW_SHADOW
           : r < 29 ? DEFECT_SPLIT : DEFECT_ANY_COVER;
  if (defect == DEFECT_SPLIT)
    {
      make_split (gen, chain, &low, &high, &rule);
      chain_emit (gen, chain, &low);
      chain_emit (gen, chain, &high);
      g_array_append_val (chain->pending, rule);
    }
  else if (make_covered (gen, chain, defect, &rule))
    chain_emit (gen, chain, &rule);
  else
    return FALSE;
  gen->defects[defect]++;
  return TRUE;
}

static void
fill_chain (Gen *gen, ChainGen *chain, guint tail)
{
  while (chain->emitted + tail < chain->budget)
    {
      if (chain->pending->len > 0 && (rng_chance (&gen->rng, 100) || chain->emitted + tail + chain->pending->len >= chain->budget))
        {
          Rule rule = g_array_index (chain->pending, Rule, 0);
          g_array_remove_index (chain->pending, 0);
          chain_emit (gen, chain, &rule);
          continue;
        }
      if (try_defect (gen, chain))
        continue;
      Rule rule = random_zone_rule (gen, chain);
      chain_emit (gen, chain, &rule);
    }
}

static void
chain_gen_init (ChainGen *chain, const char *name, ZoneId zone, guint budget)
{
  chain->name = name;
  chain->zone = zone;
  chain->budget = budget;
  chain->emitted = 0;
  chain->services = zone == ZONE_WAN ? wan_services : internal_services;
  chain->n_services = zone == ZONE_WAN ? G_N_ELEMENTS (wan_services) : G_N_ELEMENTS (internal_services);
  chain->history = g_array_new (FALSE, FALSE, sizeof (Rule));
  chain->pending = g_array_new (FALSE, FALSE, sizeof (Rule));
}

static void
chain_gen_clear (ChainGen *chain)
{
  g_array_unref (chain->history);
  g_array_unref (chain->pending);
}

static Rule
idiom (const char *iif, CtMatch ct, const char *raw_match, Verdict verdict, const char *comment)
{
  Rule rule = { .iif = iif, .ct = ct, .raw_match = raw_match, .verdict = verdict };
  if (comment)
    g_strlcpy (rule.comment, comment, sizeof rule.comment);
  return rule;
}

#define ICMP_ESSENTIAL "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"icmp\", \"field\": \"type\"}}, \"right\": {\"set\": [\"destination-unreachable\", \"echo-request\", \"time-exceeded\"]}}}"
#define ICMPV6_ESSENTIAL "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"icmpv6\", \"field\": \"type\"}}, \"right\": {\"set\": [\"destination-unreachable\", \"packet-too-big\", \"time-exceeded\", \"echo-request\", \"nd-router-solicit\", \"nd-router-advert\", \"nd-neighbor-solicit\", \"nd-neighbor-advert\"]}}}"

/* Host services on the firewall itself: management from the admin network, and the odd
 * ssh-from-the-Internet a real audit turns up. */
static void
gen_input (Gen *gen, guint budget)
{
  ChainGen chain;
  Rule rule;

  chain_gen_init (&chain, "input", ZONE_MGMT, budget);
  chain.services = host_services;
  chain.n_services = G_N_ELEMENTS (host_services);
  rule = idiom (NULL, CT_INVALID, NULL, VERDICT_DROP, NULL);
  chain_emit (gen, &chain, &rule);
  rule = idiom (NULL, CT_ESTABLISHED, NULL, VERDICT_ACCEPT, NULL);
  chain_emit (gen, &chain, &rule);
  rule = idiom ("lo", CT_NONE, NULL, VERDICT_ACCEPT, "loopback");
  chain_emit (gen, &chain, &rule);
  rule = idiom (NULL, CT_NONE, ICMP_ESSENTIAL, VERDICT_ACCEPT, "essential icmp");
  rule.limit = TRUE;
  chain_emit (gen, &chain, &rule);
  rule = idiom (NULL, CT_NONE, ICMPV6_ESSENTIAL, VERDICT_ACCEPT, "essential icmpv6");
  chain_emit (gen, &chain, &rule);
  rule = idiom ("wan", CT_NONE, NULL, VERDICT_ACCEPT, "vendor remote support");
  rule.ports = (Ports) { PORTS_ONE, PROTO_TCP, 1, { 22 }, "ssh" };
  chain_emit (gen, &chain, &rule);
  while (chain.emitted + 1 < chain.budget)
    {
      ZoneId zone = rng_chance (&gen->rng, 700) ? ZONE_MGMT : ZONE_LAN + rng_below (&gen->rng, 2);
      rule = (Rule) { .iif = zones[zone].iface, .src = specific_source (gen, zone) };
      rule.ports = random_ports (gen, host_services, G_N_ELEMENTS (host_services));
      random_verdict (gen, &rule, 30);
      set_counter (gen, &rule, 850);
      set_comment (gen, &rule, zones[zone].name, "firewall", rule.ports.service);
      chain_emit (gen, &chain, &rule);
    }
  rule = idiom (NULL, CT_NONE, NULL, VERDICT_DROP, NULL);
  rule.log_prefix = "IN-DROP ";
  set_counter (gen, &rule, 1000);
  chain_emit (gen, &chain, &rule);
  chain_gen_clear (&chain);
}

static void
gen_forward (Gen *gen, guint budget)
{
  static const char *targets[N_ZONES] = { "from_wan", "from_dmz", "from_lan", "from_ops", "from_test", "from_mgmt" };
  ChainGen chain;
  Rule rule;

  chain_gen_init (&chain, "forward", ZONE_LAN, budget);
  rule = idiom (NULL, CT_INVALID, NULL, VERDICT_DROP, NULL);
  set_counter (gen, &rule, 1000);
  chain_emit (gen, &chain, &rule);
  rule = idiom (NULL, CT_ESTABLISHED, NULL, VERDICT_ACCEPT, "stateful return traffic");
  set_counter (gen, &rule, 1000);
  chain_emit (gen, &chain, &rule);
  rule = idiom (NULL, CT_NONE, ICMP_ESSENTIAL, VERDICT_ACCEPT, "essential icmp");
  chain_emit (gen, &chain, &rule);
  for (guint z = 0; z < N_ZONES; z++)
    {
      rule = idiom (zones[z].iface, CT_NONE, NULL, VERDICT_JUMP, NULL);
      rule.target = targets[z];
      chain_emit (gen, &chain, &rule);
    }
  /* After the jumps: admin jump hosts reaching everything, by interface and source. */
  while (chain.emitted + 1 < chain.budget)
    {
      rule = (Rule) { .iif = "mgmt", .src = random_source (gen, ZONE_MGMT) };
      if (rule.src.kind == ADDR_ANY)
        rule.src = (Addr) { ADDR_V4, 32, random_host_in (gen, zones[ZONE_MGMT].net, 16), 0 };
      rule.dst = random_destination (gen, ZONE_LAN + rng_below (&gen->rng, 2));
      rule.ports = random_ports (gen, internal_services, G_N_ELEMENTS (internal_services));
      set_counter (gen, &rule, 850);
      set_comment (gen, &rule, "mgmt", "any", "jump host");
      chain_emit (gen, &chain, &rule);
    }
  rule = idiom (NULL, CT_NONE, NULL, VERDICT_DROP, NULL);
  rule.log_prefix = "FWD-DROP ";
  set_counter (gen, &rule, 1000);
  chain_emit (gen, &chain, &rule);
  chain_gen_clear (&chain);
}

/* A later base chain on the same hook: it still sees what `forward` accepted, and its drops
 * can make earlier accepts ineffective (the test/operating separation of CC-17010). */
static void
gen_forward_late (Gen *gen, guint budget)
{
  ChainGen chain;
  Rule rule = { .iif = "test", .oif = "ops", .verdict = VERDICT_DROP };

  chain_gen_init (&chain, "forward_late", ZONE_LAN, budget);
  set_counter (gen, &rule, 1000);
  g_strlcpy (rule.comment, "CC-17010 keep testing out of operating", sizeof rule.comment);
  chain_emit (gen, &chain, &rule);
  while (chain.emitted < chain.budget)
    {
      ZoneId from = ZONE_DMZ + rng_below (&gen->rng, N_ZONES - 1);
      ZoneId to = random_destination_zone (gen, from);
      rule = (Rule) { .src = random_source (gen, from), .dst = random_destination (gen, to) };
      rule.ports = random_ports (gen, internal_services, G_N_ELEMENTS (internal_services));
      random_verdict (gen, &rule, 800);
      set_counter (gen, &rule, 900);
      set_comment (gen, &rule, zones[from].name, zones[to].name, "quarantine");
      chain_emit (gen, &chain, &rule);
    }
  chain_gen_clear (&chain);
}

static void
gen_output (Gen *gen, guint budget)
{
  ChainGen chain;

  chain_gen_init (&chain, "output", ZONE_MGMT, budget);
  while (chain.emitted < chain.budget)
    {
      ZoneId to = rng_chance (&gen->rng, 300) ? ZONE_WAN : ZONE_MGMT;
      Rule rule = { .oif = zones[to].iface, .dst = random_destination (gen, to) };
      if (to == ZONE_WAN)
        rule.dst = (Addr) { ADDR_V4, 32, random_host_in (gen, zones[ZONE_WAN].net, 24), 0 };
      rule.ports = random_ports (gen, host_services, G_N_ELEMENTS (host_services));
      random_verdict (gen, &rule, 300);
      set_counter (gen, &rule, 700);
      set_comment (gen, &rule, "firewall", zones[to].name, rule.ports.service);
      chain_emit (gen, &chain, &rule);
    }
  chain_gen_clear (&chain);
}

/* The few broad rules a real review finds, last in their chains: web to the Internet from the
 * office and trading zones, any-any from test (and, in big rulesets, from office and mgmt), ssh
 * from the whole Internet to any host. */
static guint
tail_rules (Gen *gen, ZoneId zone)
{
  switch (zone)
    {
    case ZONE_WAN:
    case ZONE_TEST:
      return 1;
    case ZONE_LAN:
      return 1 + (gen->n_rules >= 20000);
    case ZONE_OPS:
      return 1;
    case ZONE_MGMT:
      return gen->n_rules >= 50000;
    case ZONE_DMZ:
    case N_ZONES:
      break;
    }
  return 0;
}

static void
emit_tail (Gen *gen, ChainGen *chain)
{
  Rule rule = { .verdict = VERDICT_ACCEPT };
  guint n = tail_rules (gen, chain->zone);

  set_counter (gen, &rule, 1000);
  if (chain->zone == ZONE_WAN)
    {
      rule.ports = (Ports) { PORTS_ONE, PROTO_TCP, 1, { 22 }, "ssh" };
      g_strlcpy (rule.comment, "temporary ssh for migration", sizeof rule.comment);
      chain_emit (gen, chain, &rule);
      return;
    }
  if (chain->zone == ZONE_LAN || chain->zone == ZONE_OPS)
    {
      Rule web = rule;
      web.oif = "wan";
      web.src = (Addr) { ADDR_V4, zones[chain->zone].len, zones[chain->zone].net, 0 };
      web.ports = (Ports) { PORTS_LIST, PROTO_TCP, 2, { 80, 443 }, "web" };
      g_strlcpy (web.comment, "web to the Internet", sizeof web.comment);
      chain_emit (gen, chain, &web);
      n--;
    }
  if (n > 0)
    {
      g_strlcpy (rule.comment, "TEMP allow all - remove after go-live", sizeof rule.comment);
      chain_emit (gen, chain, &rule);
    }
}

static void
gen_zone_chain (Gen *gen, ZoneId zone, const char *name, guint budget)
{
  ChainGen chain;
  guint tail = tail_rules (gen, zone);

  chain_gen_init (&chain, name, zone, budget);
  fill_chain (gen, &chain, tail);
  emit_tail (gen, &chain);
  chain_gen_clear (&chain);
}

static void
emit_set (Gen *gen, const AddrSetDef *set)
{
  g_string_append_printf (gen->out, ", {\"set\": {\"family\": \"inet\", \"name\": \"%s\", \"table\": \"" TABLE "\", \"type\": \"ipv4_addr\", \"handle\": %u, \"flags\": [\"interval\"], \"elem\": [",
                          set->name, gen->handle++);
  for (guint i = 0; i < set->elems->len; i++)
    {
      if (i)
        g_string_append (gen->out, ", ");
      append_addr_value (gen, &g_array_index (set->elems, Addr, i));
    }
  g_string_append (gen->out, "]}}");
}

typedef struct {
  const char *name;
  const char *hook; /* NULL: a regular chain */
  int prio;
  const char *policy;
} ChainDef;

static const ChainDef chain_defs[] = {
  { "input", "input", 0, "drop" },       { "forward", "forward", 0, "drop" },
  { "forward_late", "forward", 10, "accept" }, { "output", "output", 0, "accept" },
  { "from_wan", NULL, 0, NULL },  { "from_dmz", NULL, 0, NULL },  { "from_lan", NULL, 0, NULL },
  { "from_ops", NULL, 0, NULL },  { "from_test", NULL, 0, NULL }, { "from_mgmt", NULL, 0, NULL },
};

/* Sets first, then chains, then rules, with handles in that order: what nft prints after loading
 * this very file, so a load and dump in a netns gives back the same bytes. */
static void
emit_header (Gen *gen)
{
  g_string_append (gen->out, "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"release_name\": \"Lester Gooch #5\", \"json_schema_version\": 1}}, "
                             "{\"table\": {\"family\": \"inet\", \"name\": \"" TABLE "\", \"handle\": 1}}");
  gen->handle = 1;
  for (guint i = 0; i < gen->sets->len; i++)
    emit_set (gen, &g_array_index (gen->sets, AddrSetDef, i));
  g_string_append_printf (gen->out, ", {\"set\": {\"family\": \"inet\", \"name\": \"web_ports\", \"table\": \"" TABLE "\", \"type\": \"inet_service\", \"handle\": %u, \"elem\": [80, 443, 8080, 8443]}}",
                          gen->handle++);
  g_string_append_printf (gen->out, ", {\"set\": {\"family\": \"inet\", \"name\": \"legacy_ports\", \"table\": \"" TABLE "\", \"type\": \"inet_service\", \"handle\": %u, \"elem\": [21, 23, 69, 513]}}",
                          gen->handle++);
  for (guint i = 0; i < G_N_ELEMENTS (chain_defs); i++)
    {
      const ChainDef *def = &chain_defs[i];
      g_string_append_printf (gen->out, ", {\"chain\": {\"family\": \"inet\", \"table\": \"" TABLE "\", \"name\": \"%s\", \"handle\": %u",
                              def->name, gen->handle++);
      if (def->hook)
        g_string_append_printf (gen->out, ", \"type\": \"filter\", \"hook\": \"%s\", \"prio\": %d, \"policy\": \"%s\"",
                                def->hook, def->prio, def->policy);
      g_string_append (gen->out, "}}");
    }
}

static void
generate (Gen *gen)
{
  guint n = gen->n_rules;
  guint input = 8 + n * 3 / 100, forward = 11 + n / 100, late = 1 + n / 200, output = 1 + n / 100;
  guint rest = n - input - forward - late - output;
  guint given = 0;

  emit_header (gen);
  gen_input (gen, input);
  gen_forward (gen, forward);
  gen_forward_late (gen, late);
  gen_output (gen, output);
  for (guint z = 0; z < N_ZONES; z++)
    {
      guint budget = z + 1 == N_ZONES ? rest - given : rest * zones[z].weight / 100;
      gen_zone_chain (gen, z, chain_defs[4 + z].name, budget);
      given += budget;
    }
  g_string_append (gen->out, "]}\n");
  g_assert (gen->n_emitted == n);
}

static gboolean
write_zones (const char *path, GError **error)
{
  g_autoptr (GString) out = g_string_new ("{\"zones\": [\n");

  for (guint z = 0; z < N_ZONES; z++)
    {
      const Zone *zone = &zones[z];
      g_string_append_printf (out, "  {\"name\": \"%s\", \"class\": \"%s\", \"interfaces\": [\"%s\"]",
                              zone->name, zone->klass, zone->iface);
      if (z != ZONE_WAN)
        {
          g_string_append (out, ", \"networks\": [\"");
          append_v4 (out, zone->net);
          g_string_append_printf (out, "/%u\", \"2001:db8:%x::/48\"]", zone->len, z == ZONE_DMZ ? 0xd0 : 0x10 + z);
        }
      g_string_append_printf (out, "}%s\n", z + 1 < N_ZONES ? "," : "");
    }
  g_string_append (out, "]}\n");
  return g_file_set_contents (path, out->str, out->len, error);
}

static void
print_stats (const Gen *gen)
{
  guint total = 0;
  for (guint d = 0; d < N_DEFECTS; d++)
    total += gen->defects[d] * (d == DEFECT_SPLIT ? 3 : 1);
  fprintf (stderr, "rules: %u, named address sets: %u, bytes: %" G_GSIZE_FORMAT " (%.0f per rule)\n",
           gen->n_emitted, gen->sets->len, gen->out->len, (double) gen->out->len / gen->n_emitted);
  for (guint d = 0; d < N_DEFECTS; d++)
    fprintf (stderr, "  injected %-28s %u\n", defect_names[d], gen->defects[d]);
  fprintf (stderr, "  rules involved in injected defects: %u (%.1f%%)\n", total, 100.0 * total / gen->n_emitted);
}

static void
gen_clear (Gen *gen)
{
  for (guint i = 0; i < gen->sets->len; i++)
    g_array_unref (g_array_index (gen->sets, AddrSetDef, i).elems);
  g_array_unref (gen->sets);
  for (guint z = 0; z < N_ZONES; z++)
    {
      g_array_unref (gen->servers[z]);
      g_array_unref (gen->client_nets[z]);
    }
  g_string_free (gen->out, TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("N - write an N-rule nftables JSON ruleset");
  g_autoptr (GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *zones_path = NULL;
  gint64 seed = 20240601;
  gboolean stats = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { "zones", 'z', 0, G_OPTION_ARG_FILENAME, &zones_path, "Also write the matching zones file", "FILE" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (the default gives the benchmark's files)", "S" },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats, "Print what was generated to standard error", NULL },
    { NULL },
  };
  Gen gen = { 0 };
  char *end = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "gen-ruleset: %s\n", error ? error->message : "expected exactly one argument, N");
      return 2;
    }
  guint64 n = g_ascii_strtoull (argv[1], &end, 10);
  if (*end != '\0' || n < 100 || n > 1000000)
    {
      fprintf (stderr, "gen-ruleset: N must be a number from 100 to 1000000, not \"%s\"\n", argv[1]);
      return 2;
    }
  gen.rng.state = (guint64) seed;
  gen.n_rules = (guint) n;
  gen.out = g_string_sized_new (gen.n_rules * 480);
  make_pools (&gen);
  make_sets (&gen);
  generate (&gen);
  if (zones_path && !write_zones (zones_path, &error))
    {
      fprintf (stderr, "gen-ruleset: %s\n", error->message);
      gen_clear (&gen);
      return 1;
    }
  if (output ? !g_file_set_contents (output, gen.out->str, gen.out->len, &error)
             : fwrite (gen.out->str, 1, gen.out->len, stdout) != gen.out->len || fflush (stdout) != 0)
    {
      fprintf (stderr, "gen-ruleset: %s\n", error ? error->message : "cannot write to standard output");
      gen_clear (&gen);
      return 1;
    }
  if (stats)
    print_stats (&gen);
  gen_clear (&gen);
  return 0;
}
