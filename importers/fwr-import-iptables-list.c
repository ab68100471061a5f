/* fwr-import-iptables-list.c: reads "iptables -L -n -v" (and ip6tables) output, what an admin
 * has when no iptables-save was kept: chains, policies, rules with their per-rule counters. */
#include "fwr-iptables-private.h"

#include <arpa/inet.h>

typedef struct {
  char *text;
  guint column;                   /* 1-based */
  gboolean comment;               /* the text of a "/ * ... * /" comment */
} Word;

typedef struct {
  const char *file;
  FwrRuleset *ruleset;
  FwrTableFamily family;
  FwrFamilyMask mask;
  const FwrIptTable *table;
  GHashTable *chains;             /* name -> FwrChain */
  FwrChain *current;
  gboolean numbered;              /* --line-numbers: a "num" column comes first */
  gboolean rounded;               /* a counter had a K/M/G suffix (no -x) */
  guint line;
} ListParser;

static gboolean G_GNUC_PRINTF (5, 6)
list_error (ListParser *p, guint column, FwrImportErrorCode code, GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  _fwr_import_set_error (error, code, p->file, p->line, column, "%s", text);
  return FALSE;
}

static void
word_clear (gpointer data)
{
  g_free (((Word *) data)->text);
}

static GArray *
words_new (void)
{
  GArray *words = g_array_new (FALSE, FALSE, sizeof (Word));
  g_array_set_clear_func (words, word_clear);
  return words;
}

/* Blank-separated words; a comment runs from "/ *" to "* /" and a quoted word to its quote. */
static void
split_words (const char *line, guint offset, GArray *words)
{
  const char *s = line + offset;
  while (*s != '\0')
    {
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '\0')
        break;
      Word word = { NULL, (guint) (s - line) + 1, FALSE };
      const char *end;
      if (s[0] == '/' && s[1] == '*')
        {
          const char *close = strstr (s + 2, "*/");
          end = close ? close + 2 : s + strlen (s);
          word.text = g_strstrip (g_strndup (s + 2, (gsize) ((close ? close : end) - (s + 2))));
          word.comment = TRUE;
        }
      else
        {
          const char *close = s[0] == '"' ? strchr (s + 1, '"') : NULL;
          end = close ? close + 1 : s;
          while (*end != '\0' && *end != ' ' && *end != '\t')
            end++;
          word.text = g_strndup (s, (gsize) (end - s));
        }
      g_array_append_val (words, word);
      s = end;
    }
}

/* Counters: plain, or rounded to K, M, G, T (powers of 1000) when -x was not given. */
static gboolean
parse_count (ListParser *p, const char *text, guint64 *out)
{
  gsize len = strlen (text);
  guint64 scale = 1;
  const char *units = "KMGTP";
  const char *unit = len > 1 ? strchr (units, text[len - 1]) : NULL;
  if (unit != NULL && text[len - 1] != '\0')
    {
      for (const char *u = units; u <= unit; u++)
        scale *= 1000;
      len--;
    }
  g_autofree char *digits = g_strndup (text, len);
  guint64 value;
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64 / scale, &value, NULL))
    return FALSE;
  p->rounded |= scale > 1;
  *out = value * scale;
  return TRUE;
}

/* Addresses and interfaces */

static gboolean
looks_like_address (const char *text, FwrFamilyMask mask)
{
  if (*text == '!')
    text++;
  const char *slash = strchr (text, '/');
  g_autofree char *address = slash ? g_strndup (text, (gsize) (slash - text)) : g_strdup (text);
  guint8 bytes[16];
  return inet_pton (mask == FWR_FAMILY_IPV4 ? AF_INET : AF_INET6, address, bytes) == 1;
}

static gboolean
is_opt_column (const char *text)
{
  return g_str_equal (text, "--") || g_str_equal (text, "-f") || g_str_equal (text, "!f");
}

/* Where the fixed columns are: the columns are as wide as their longest value, so a long target
 * or interface shifts the rest; the source and destination pair anchors them. */
typedef struct {
  guint pkts;                     /* index of the packet counter */
  gint target;                    /* -1: the rule has no target */
  guint prot, opt;                /* opt == 0: no opt column (older ip6tables) */
  guint in, out, src, dst;
} Fields;

static gboolean
find_fields (GArray *words, guint pkts, FwrFamilyMask mask, Fields *f)
{
  Word *w = (Word *) words->data;
  for (guint j = pkts + 5; j + 1 < words->len; j++)
    {
      if (!looks_like_address (w[j].text, mask) || !looks_like_address (w[j + 1].text, mask))
        continue;
      guint k = j - 3;
      f->opt = 0;
      if (is_opt_column (w[k].text))
        f->opt = k--;
      if (k != pkts + 2 && k != pkts + 3)
        continue;
      f->pkts = pkts;
      f->prot = k;
      f->target = k == pkts + 3 ? (gint) pkts + 2 : -1;
      f->in = j - 2;
      f->out = j - 1;
      f->src = j;
      f->dst = j + 1;
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_address (ListParser *p, FwrIptMatch *m, const Word *word, FwrAddrSet **slot, GError **error)
{
  const char *text = word->text;
  gboolean negate = *text == '!';
  if (negate)
    text++;
  gboolean inexact;
  char *why = NULL;
  g_autoptr (FwrAddrSet) set = _fwr_ipt_parse_address (text, p->mask, FALSE, &inexact, &why);
  if (set == NULL)
    {
      list_error (p, word->column, FWR_IMPORT_ERROR_MALFORMED, error, "%s", why);
      g_free (why);
      return FALSE;
    }
  if (inexact)
    {
      g_autofree char *opaque = g_strdup_printf ("%s %s", slot == &m->match.src ? "source" : "destination", word->text);
      _fwr_match_add_opaque (&m->match, opaque);
      return TRUE;
    }
  if (negate)
    fwr_addr_set_complement (set, p->mask);
  if (!fwr_addr_set_is_any (set, p->mask))
    _fwr_ipt_narrow_addr (slot, g_steal_pointer (&set));
  return TRUE;
}

static void
read_interface (FwrNameMatch *names, const char *text)
{
  gboolean negate = *text == '!';
  if (negate)
    text++;
  if (g_str_equal (text, "*") && !negate)
    return;
  _fwr_ipt_set_interface (names, text, negate);
}

/* The match text after the destination */

typedef struct {
  ListParser *p;
  Word *w;
  guint n;
  guint i;
  FwrIptMatch *m;
  const char *target;             /* (nullable) extension target whose own text ends the line */
  gboolean negate;
  gboolean is_goto;
} Rest;

static const char *opaque_starters[] = {
  "limit:", "MAC", "TIME", "ADDRTYPE", "PHYSDEV", "recent:", "PKTTYPE", "length", "TTL", "HL",
  "mark", "connmark", "owner", "policy:", "STRING", "u32", "statistic", "connlimit", "helper",
  "DSCP", "tos", "TOS", "rpfilter", "socket", "cpu", "realm", "devgroup", "cgroup", "quota:",
  "ctproto", "ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst", "ctorigsrcport", "ctorigdstport",
  "ctreplsrcport", "ctrepldstport", "ctstatus", "ctexpire", "ctdir", "ECN", "ipvs", "nfacct",
  "rateest", "bpf", "cluster", "connbytes", "connlabel", "esp", "ah", "frag", "hbh", "dst", "rt",
  "ipv6header", "mh", "osf", "account", "condition", "geoip", "tcpmss",
};

static gboolean
starts_target_text (Rest *r, guint k)
{
  const char *word = r->w[k].text;
  const char *t = r->target;
  if (t == NULL || r->w[k].comment)
    return FALSE;
  /* "MARK set 0x1" is the target; "mark match 0x1" or "TTL match" are matches. */
  if (k + 1 < r->n && g_str_equal (r->w[k + 1].text, "match"))
    return FALSE;
  return g_str_equal (word, t) ||
         (g_str_equal (t, "REJECT") && g_str_equal (word, "reject-with")) ||
         ((g_str_equal (t, "SNAT") || g_str_equal (t, "DNAT") || g_str_equal (t, "NETMAP")) &&
          g_str_has_prefix (word, "to:")) ||
         (g_str_equal (t, "MASQUERADE") && (g_str_equal (word, "masq") || g_str_equal (word, "random"))) ||
         (g_str_equal (t, "REDIRECT") && g_str_equal (word, "redir")) ||
         (g_str_equal (t, "NFLOG") && g_str_has_prefix (word, "nflog-")) ||
         (g_str_equal (t, "SET") && (g_str_equal (word, "add-set") || g_str_equal (word, "del-set")));
}

static const char *keywords[] = {
  "tcp", "udp", "udplite", "sctp", "dccp", "multiport", "state", "ctstate", "icmptype", "icmp",
  "ipv6-icmptype", "ipv6-icmp", "match-set", "[goto]",
};

static gboolean
is_range_keyword (Rest *r, guint k)
{
  return (g_str_equal (r->w[k].text, "source") || g_str_equal (r->w[k].text, "destination")) &&
         k + 2 < r->n && g_str_equal (r->w[k + 1].text, "IP") && g_str_equal (r->w[k + 2].text, "range");
}

/* Does a new condition start at word k (where opaque text ends)? */
static gboolean
starts_condition (Rest *r, guint k)
{
  if (k >= r->n)
    return TRUE;
  if (r->w[k].comment || is_range_keyword (r, k) || starts_target_text (r, k))
    return TRUE;
  if (g_str_equal (r->w[k].text, "!"))
    return k + 1 >= r->n || starts_condition (r, k + 1);
  return _fwr_ipt_in_list (r->w[k].text, keywords, G_N_ELEMENTS (keywords)) ||
         _fwr_ipt_in_list (r->w[k].text, opaque_starters, G_N_ELEMENTS (opaque_starters));
}

static void
rest_opaque (Rest *r, gboolean warn)
{
  guint first = r->i;
  g_autoptr (GString) text = g_string_new (NULL);
  if (r->negate)
    g_string_append_c (text, '!');
  r->negate = FALSE;
  do
    _fwr_ipt_append_word (text, r->w[r->i++].text);
  while (!starts_condition (r, r->i));
  _fwr_match_add_opaque (&r->m->match, text->str);
  if (warn)
    _fwr_ruleset_add_warning (r->p->ruleset, r->p->line, r->w[first].column,
                              "“%s” is no condition fwreview knows; kept as an opaque condition", text->str);
}

static gboolean
rest_error (Rest *r, guint k, char *why, GError **error)
{
  list_error (r->p, r->w[MIN (k, r->n - 1)].column, FWR_IMPORT_ERROR_MALFORMED, error, "%s", why);
  g_free (why);
  return FALSE;
}

/* "spt:53", "dpts:!1000:2000" after "tcp"/"udp"...; "flags:..." and "option=..." stay text. */
static gboolean
rest_ports (Rest *r, GError **error)
{
  r->i++;
  while (r->i < r->n && !r->w[r->i].comment)
    {
      const char *word = r->w[r->i].text;
      FwrRangeSet **slot = NULL;
      const char *value = NULL;
      if (g_str_has_prefix (word, "spt:") || g_str_has_prefix (word, "dpt:"))
        value = word + 4;
      else if (g_str_has_prefix (word, "spts:") || g_str_has_prefix (word, "dpts:"))
        value = word + 5;
      else if (g_str_has_prefix (word, "flags:") || g_str_has_prefix (word, "option="))
        {
          g_autofree char *text = g_strdup_printf ("tcp %s", word);
          _fwr_match_add_opaque (&r->m->match, text);
          r->i++;
          continue;
        }
      else
        break;
      slot = word[0] == 's' ? &r->m->match.sports : &r->m->match.dports;
      gboolean negate = *value == '!';
      char *why = NULL;
      FwrRangeSet *set = _fwr_ipt_parse_ports (value + negate, FALSE, &why);
      if (set == NULL)
        return rest_error (r, r->i, why, error);
      _fwr_ipt_narrow_range (slot, negate ? _fwr_ipt_negate_range (set, 65535) : set);
      r->i++;
    }
  return TRUE;
}

/* "multiport dports 80,443" or "multiport sports  !80:90" or "multiport ports 53,123". */
static gboolean
rest_multiport (Rest *r, GError **error)
{
  guint at = r->i;
  if (r->i + 2 >= r->n)
    return rest_error (r, at, g_strdup ("multiport without its ports"), error);
  const char *kind = r->w[r->i + 1].text;
  const char *list = r->w[r->i + 2].text;
  guint list_word = r->i + 2;
  gboolean negate = *list == '!';
  if (g_str_equal (list, "!") && r->i + 3 < r->n)
    list = r->w[++list_word].text;
  else if (negate)
    list++;
  char *why = NULL;
  FwrRangeSet *set = _fwr_ipt_parse_ports (list, TRUE, &why);
  if (set == NULL)
    return rest_error (r, list_word, why, error);
  r->i = list_word + 1;
  if (negate)
    _fwr_ipt_negate_range (set, 65535);
  if (g_str_equal (kind, "sports"))
    _fwr_ipt_narrow_range (&r->m->match.sports, set);
  else if (g_str_equal (kind, "dports"))
    _fwr_ipt_narrow_range (&r->m->match.dports, set);
  else if (g_str_equal (kind, "ports") && negate)
    {
      _fwr_ipt_narrow_range (&r->m->match.sports, fwr_range_set_copy (set));
      _fwr_ipt_narrow_range (&r->m->match.dports, set);
    }
  else if (g_str_equal (kind, "ports") && r->m->either_ports == NULL)
    r->m->either_ports = set;
  else
    {
      fwr_range_set_free (set);
      return rest_error (r, at + 1, g_strdup_printf ("multiport “%s”: expected sports, dports or ports", kind), error);
    }
  return TRUE;
}

static gboolean
rest_ct (Rest *r, GError **error)
{
  if (r->i + 1 >= r->n)
    return rest_error (r, r->i, g_strdup_printf ("%s without states", r->w[r->i].text), error);
  guint mask;
  gboolean virtual;
  char *why = NULL;
  if (!_fwr_ipt_parse_ct_states (r->w[r->i + 1].text, &mask, &virtual, &why))
    return rest_error (r, r->i + 1, why, error);
  gboolean negate = r->negate;
  r->negate = FALSE;
  if (virtual)
    {
      g_autofree char *text = g_strdup_printf ("%s%s %s", negate ? "! " : "", r->w[r->i].text, r->w[r->i + 1].text);
      _fwr_match_add_opaque (&r->m->match, text);
    }
  else
    _fwr_ipt_match_narrow_ct (r->m, negate ? FWR_CT_ALL & ~mask : mask);
  r->i += 2;
  return TRUE;
}

/* "icmptype 3 code 4", "icmp !type 8", "ipv6-icmptype 135", "icmp echo-request" (without -n). */
static gboolean
rest_icmp (Rest *r, gboolean v6, gboolean typed, GError **error)
{
  guint at = r->i++;
  gboolean negate = r->negate;
  r->negate = FALSE;
  if (!typed && r->i < r->n && (g_str_equal (r->w[r->i].text, "type") || g_str_equal (r->w[r->i].text, "!type")))
    {
      negate |= r->w[r->i].text[0] == '!';
      r->i++;
      typed = TRUE;
    }
  if (r->i >= r->n)
    return rest_error (r, at, g_strdup ("ICMP match without its type"), error);
  const char *type = r->w[r->i].text;
  if (*type == '!')
    negate = TRUE, type++;
  r->i++;

  g_autofree char *spec = NULL;
  if (typed && r->i + 1 < r->n && g_str_equal (r->w[r->i].text, "code"))
    {
      spec = g_strdup_printf ("%s/%s", type, r->w[r->i + 1].text);
      r->i += 2;
    }
  FwrRangeSet *set;
  char *why = NULL;
  if (typed && r->i + 1 < r->n && g_str_equal (r->w[r->i].text, "codes"))
    {
      /* "codes 0-3": a code range only the numeric output shows. */
      guint64 type_value, lo, hi;
      g_auto (GStrv) codes = g_strsplit (r->w[r->i + 1].text, "-", 2);
      if (codes[1] == NULL || !g_ascii_string_to_unsigned (codes[0], 10, 0, 255, &lo, NULL) ||
          !g_ascii_string_to_unsigned (codes[1], 10, lo, 255, &hi, NULL) ||
          !g_ascii_string_to_unsigned (type, 10, 0, 255, &type_value, NULL))
        return rest_error (r, r->i + 1, g_strdup_printf ("“%s” is not an ICMP code range", r->w[r->i + 1].text), error);
      set = fwr_range_set_new_range ((guint32) (type_value << 8 | lo), (guint32) (type_value << 8 | hi));
      r->i += 2;
    }
  else if (!_fwr_ipt_parse_icmp_type (spec ? spec : type, v6, &set, &why))
    return rest_error (r, r->i - 1, why, error);
  if (set == NULL && negate)
    set = fwr_range_set_new ();
  else if (set != NULL && negate)
    _fwr_ipt_negate_range (set, 65535);
  if (set != NULL)
    _fwr_ipt_narrow_range (&r->m->match.icmp, set);
  return TRUE;
}

/* "source IP range 10.0.0.1-10.0.0.5", "destination IP range ! a-b". */
static gboolean
rest_range (Rest *r, GError **error)
{
  gboolean source = g_str_equal (r->w[r->i].text, "source");
  guint k = r->i + 3;
  gboolean negate = r->negate;
  r->negate = FALSE;
  if (k < r->n && g_str_equal (r->w[k].text, "!"))
    negate = TRUE, k++;
  if (k >= r->n)
    return rest_error (r, r->i, g_strdup ("IP range without its addresses"), error);
  gboolean inexact;
  char *why = NULL;
  FwrAddrSet *set = _fwr_ipt_parse_address (r->w[k].text, r->p->mask, TRUE, &inexact, &why);
  if (set == NULL)
    return rest_error (r, k, why, error);
  if (negate)
    fwr_addr_set_complement (set, r->p->mask);
  _fwr_ipt_narrow_addr (source ? &r->m->match.src : &r->m->match.dst, set);
  r->i = k + 1;
  return TRUE;
}

static gboolean
rest_condition (Rest *r, GError **error)
{
  Word *word = &r->w[r->i];
  const char *text = word->text;
  if (word->comment)
    {
      g_ptr_array_add (r->m->comments, g_strdup (text));
      r->i++;
    }
  else if (g_str_equal (text, "!"))
    {
      r->negate = TRUE;
      r->i++;
    }
  else if (g_str_equal (text, "[goto]"))
    {
      r->is_goto = TRUE;
      r->i++;
    }
  else if (g_str_equal (text, "tcp") || g_str_equal (text, "udp") || g_str_equal (text, "udplite") ||
           g_str_equal (text, "sctp") || g_str_equal (text, "dccp"))
    return rest_ports (r, error);
  else if (g_str_equal (text, "multiport"))
    return rest_multiport (r, error);
  else if (g_str_equal (text, "state") || g_str_equal (text, "ctstate"))
    return rest_ct (r, error);
  else if (g_str_equal (text, "icmptype") || g_str_equal (text, "icmp"))
    return rest_icmp (r, FALSE, g_str_equal (text, "icmptype"), error);
  else if (g_str_equal (text, "ipv6-icmptype") || g_str_equal (text, "ipv6-icmp"))
    return rest_icmp (r, TRUE, g_str_equal (text, "ipv6-icmptype"), error);
  else if (is_range_keyword (r, r->i))
    return rest_range (r, error);
  else if (starts_target_text (r, r->i))
    r->i = r->n;
  else
    {
      if (g_str_equal (text, "match-set") && r->i + 1 < r->n)
        g_ptr_array_add (r->m->ipsets, g_strdup (r->w[r->i + 1].text));
      rest_opaque (r, !g_str_equal (text, "match-set") &&
                      !_fwr_ipt_in_list (text, opaque_starters, G_N_ELEMENTS (opaque_starters)));
    }
  return TRUE;
}

/* Rows */

static gboolean
read_target (ListParser *p, const Word *word, gboolean is_goto, FwrAction *action, char **target,
             gboolean *log, GError **error)
{
  FwrChain *chain = g_hash_table_lookup (p->chains, word->text);
  if (chain != NULL && chain->hook == FWR_HOOK_NONE)
    {
      *action = is_goto ? FWR_ACTION_GOTO : FWR_ACTION_JUMP;
      *target = g_strdup (chain->id);
      return TRUE;
    }
  if (is_goto)
    return list_error (p, word->column, FWR_IMPORT_ERROR_MALFORMED, error,
                       "[goto] needs a user-defined chain; “%s” is none", word->text);
  FwrIptTarget known = _fwr_ipt_target_lookup (word->text);
  if (!known.known || (known.nat_only && p->table->type != FWR_CHAIN_TYPE_NAT))
    _fwr_ruleset_add_warning (p->ruleset, p->line, word->column,
                              "target “%s” is neither a chain nor a known target of table %s; "
                              "read as one that lets evaluation go on", word->text, p->table->name);
  else
    {
      *action = known.action;
      *log = known.log;
    }
  return TRUE;
}

static gboolean
read_row (ListParser *p, const char *line, GError **error)
{
  g_autoptr (GArray) words = words_new ();
  split_words (line, 0, words);
  Word *w = (Word *) words->data;
  guint pkts = p->numbered ? 1 : 0;
  Fields f;
  if (words->len < pkts + 7 || !find_fields (words, pkts, p->mask, &f))
    return list_error (p, words->len > 0 ? w[0].column : 1, FWR_IMPORT_ERROR_MALFORMED, error,
                       "not a rule row of iptables -L -n -v (pkts bytes target prot opt in out source destination)");

  guint64 packets, bytes;
  if (!parse_count (p, w[f.pkts].text, &packets) || !parse_count (p, w[f.pkts + 1].text, &bytes))
    return list_error (p, w[f.pkts].column, FWR_IMPORT_ERROR_MALFORMED, error,
                       "“%s %s” are not packet and byte counts", w[f.pkts].text, w[f.pkts + 1].text);

  FwrIptMatch m;
  _fwr_ipt_match_init (&m);
  g_autoptr (GArray) rest = words_new ();
  split_words (line, w[f.dst].column - 1 + (guint) strlen (w[f.dst].text), rest);
  const char *target_name = f.target >= 0 ? w[f.target].text : NULL;
  /* Extension targets print their own options after the matches ("LOG flags 0 level 4"). */
  static const char *plain[] = { "ACCEPT", "DROP", "RETURN" };
  gboolean extension = target_name != NULL && !g_hash_table_contains (p->chains, target_name) &&
                       !_fwr_ipt_in_list (target_name, plain, G_N_ELEMENTS (plain));
  Rest r = { p, (Word *) rest->data, rest->len, 0, &m, extension ? target_name : NULL };

  FwrAction action = FWR_ACTION_NONE;
  g_autofree char *target = NULL;
  gboolean log = FALSE, ok = TRUE;
  guint proto;
  char *why = NULL;
  const char *prot = w[f.prot].text;
  gboolean prot_negate = *prot == '!';
  if (!_fwr_ipt_parse_protocol (prot + prot_negate, &proto, &why))
    ok = list_error (p, w[f.prot].column, FWR_IMPORT_ERROR_MALFORMED, error, "%s", why);
  else if (proto != 0 || prot_negate)
    {
      m.match.protos = proto == 0 ? fwr_range_set_new () : fwr_range_set_new_range (proto, proto);
      if (prot_negate && proto != 0)
        _fwr_ipt_negate_range (m.match.protos, 255);
    }
  g_free (why);
  if (ok && f.opt != 0 && !g_str_equal (w[f.opt].text, "--"))
    _fwr_match_add_opaque (&m.match, w[f.opt].text[0] == '!' ? "! -f" : "-f");
  read_interface (&m.match.iif, w[f.in].text);
  read_interface (&m.match.oif, w[f.out].text);
  ok = ok && read_address (p, &m, &w[f.src], &m.match.src, error) &&
       read_address (p, &m, &w[f.dst], &m.match.dst, error);
  while (ok && r.i < r.n)
    ok = rest_condition (&r, error);
  if (ok && target_name != NULL)
    ok = read_target (p, &w[f.target], r.is_goto, &action, &target, &log, error);

  if (ok)
    {
      FwrChain *chain = p->current;
      g_autofree char *id = g_strdup_printf ("%s/%s/%u", p->table->name, chain->name, chain->rules->len + 1);
      FwrRule *rule = _fwr_chain_add_rule (chain, id);
      rule->line = p->line;
      rule->column = w[0].column;
      rule->has_counter = TRUE;
      rule->packets = packets;
      rule->bytes = bytes;
      rule->log = log;
      _fwr_ipt_match_apply (&m, rule);
      _fwr_rule_set_verdict (rule, action, target);
    }
  _fwr_ipt_match_clear (&m);
  return ok;
}

/* Chain headers */

typedef struct {
  char *name;
  gboolean builtin;
  FwrAction policy;
  guint line;
  guint policy_column;
} Header;

static void
header_clear (gpointer data)
{
  g_free (((Header *) data)->name);
}

/* "Chain INPUT (policy DROP 0 packets, 0 bytes)" or "Chain web (2 references)". */
static gboolean
parse_header (ListParser *p, const char *line, Header *h, GError **error)
{
  g_autoptr (GArray) words = words_new ();
  split_words (line, 0, words);
  Word *w = (Word *) words->data;
  if (words->len < 3 || w[2].text[0] != '(')
    return list_error (p, 1, FWR_IMPORT_ERROR_MALFORMED, error, "a chain header is “Chain NAME (policy ...)” or “Chain NAME (N references)”");
  h->name = g_strdup (w[1].text);
  h->line = p->line;
  h->builtin = g_str_equal (w[2].text, "(policy");
  h->policy = FWR_ACTION_NONE;
  if (!h->builtin)
    return TRUE;
  if (words->len < 4)
    return list_error (p, w[2].column, FWR_IMPORT_ERROR_MALFORMED, error, "policy without its verdict");
  g_autofree char *policy = g_strdup (w[3].text);
  if (g_str_has_suffix (policy, ")"))
    policy[strlen (policy) - 1] = '\0';
  h->policy_column = w[3].column;
  if (g_str_equal (policy, "ACCEPT"))
    h->policy = FWR_ACTION_ACCEPT;
  else if (g_str_equal (policy, "DROP"))
    h->policy = FWR_ACTION_DROP;
  else
    return list_error (p, w[3].column, FWR_IMPORT_ERROR_MALFORMED, error,
                       "policy “%s”: a built-in chain's policy is ACCEPT or DROP", policy);
  return TRUE;
}

/* -L lists one table without naming it; its built-in chains tell which (security has filter's
 * chains and reads as filter: the listing cannot tell them apart). */
static const FwrIptTable *
infer_table (GArray *headers)
{
  gboolean pre = FALSE, post = FALSE, forward = FALSE, input = FALSE;
  for (guint i = 0; i < headers->len; i++)
    {
      Header *h = &g_array_index (headers, Header, i);
      if (!h->builtin)
        continue;
      pre |= g_str_equal (h->name, "PREROUTING");
      post |= g_str_equal (h->name, "POSTROUTING");
      forward |= g_str_equal (h->name, "FORWARD");
      input |= g_str_equal (h->name, "INPUT");
    }
  if (!pre && !post)
    return _fwr_ipt_table_lookup ("filter");
  if (forward)
    return _fwr_ipt_table_lookup ("mangle");
  if (post || input)
    return _fwr_ipt_table_lookup ("nat");
  return _fwr_ipt_table_lookup ("raw");
}

static gboolean
line_is_header (const char *line)
{
  return g_str_has_prefix (line, "Chain ");
}

/* First pass: every chain (rows jump to chains listed further down), the table and the family. */
static gboolean
scan_chains (ListParser *p, const char *data, gsize length, GArray *headers, GError **error)
{
  FwrIptLines lines;
  g_autoptr (FwrRuleset) scratch = _fwr_ruleset_new ("iptables-list", p->file);
  gboolean family_known = FALSE;
  _fwr_ipt_lines_init (&lines, p->file, data, length);
  for (;;)
    {
      g_autofree char *line = NULL;
      FwrIptLineResult result = _fwr_ipt_lines_next (&lines, scratch, &line, error);
      p->line = lines.number;
      if (result == FWR_IPT_LINE_END)
        return TRUE;
      if (result == FWR_IPT_LINE_ERROR)
        return FALSE;
      if (line_is_header (line))
        {
          Header h = { 0 };
          gboolean ok = parse_header (p, line, &h, error);
          g_array_append_val (headers, h);
          if (!ok)
            return FALSE;
          continue;
        }
      if (family_known)
        continue;
      g_autoptr (GArray) words = words_new ();
      split_words (line, 0, words);
      Fields f;
      for (guint pkts = 0; pkts < 2 && !family_known; pkts++)
        if (find_fields (words, pkts, FWR_FAMILY_IPV6, &f))
          p->family = FWR_TABLE_FAMILY_IP6, family_known = TRUE;
        else if (find_fields (words, pkts, FWR_FAMILY_IPV4, &f))
          family_known = TRUE;
    }
}

static gboolean
declare_chains (ListParser *p, GArray *headers, GError **error)
{
  for (guint i = 0; i < headers->len; i++)
    {
      Header *h = &g_array_index (headers, Header, i);
      p->line = h->line;
      FwrChain *existing = g_hash_table_lookup (p->chains, h->name);
      if (existing != NULL)
        return list_error (p, 7, FWR_IMPORT_ERROR_MALFORMED, error,
                           "chain “%s” is listed twice (first at line %u): one iptables -L output per file",
                           h->name, existing->line);
      if (h->builtin != (_fwr_ipt_builtin_hook (p->table, h->name) != FWR_HOOK_NONE))
        return list_error (p, 7, FWR_IMPORT_ERROR_MALFORMED, error,
                           h->builtin ? "chain “%s” has a policy but is no built-in chain of table %s"
                                      : "built-in chain “%s” of table %s is listed without its policy",
                           h->name, p->table->name);
      FwrChain *chain = _fwr_ipt_add_chain (p->ruleset, p->table, h->name, p->family, h->policy, h->line);
      g_hash_table_insert (p->chains, chain->name, chain);
    }
  return TRUE;
}

static gboolean
read_line (ListParser *p, const char *line, GError **error)
{
  const char *text = line;
  while (*text == ' ' || *text == '\t')
    text++;
  if (*text == '\0')
    return TRUE;
  if (line_is_header (line))
    {
      g_autoptr (GArray) words = words_new ();
      split_words (line, 0, words);
      p->current = g_hash_table_lookup (p->chains, g_array_index (words, Word, 1).text);
      return TRUE;
    }
  if (g_str_has_prefix (text, "pkts ") || g_str_has_prefix (text, "num "))
    {
      p->numbered = g_str_has_prefix (text, "num ");
      if (strstr (text, "pkts") == NULL)
        return list_error (p, 1, FWR_IMPORT_ERROR_UNSUPPORTED, error,
                           "rows without counters and interfaces: use iptables -L -n -v");
      return TRUE;
    }
  if (g_str_has_prefix (text, "target ") && strstr (text, "destination") != NULL)
    return list_error (p, (guint) (text - line) + 1, FWR_IMPORT_ERROR_UNSUPPORTED, error,
                       "iptables -L without -v has no interface columns, so every rule would read wider "
                       "than it is: use iptables -L -n -v");
  if (p->current == NULL)
    return list_error (p, (guint) (text - line) + 1, FWR_IMPORT_ERROR_MALFORMED, error,
                       "a rule row before any “Chain” header");
  return read_row (p, line, error);
}

FwrRuleset *
_fwr_import_iptables_list (const char *name, const char *data, gsize length, GError **error)
{
  g_autoptr (FwrRuleset) ruleset = _fwr_ruleset_new ("iptables-list", name);
  ListParser p = {
    .file = name,
    .ruleset = ruleset,
    .family = FWR_TABLE_FAMILY_IP,
    .chains = g_hash_table_new (g_str_hash, g_str_equal),
  };
  g_autoptr (GArray) headers = g_array_new (FALSE, TRUE, sizeof (Header));
  g_array_set_clear_func (headers, header_clear);
  gboolean ok = scan_chains (&p, data, length, headers, error);
  if (ok)
    {
      p.mask = p.family == FWR_TABLE_FAMILY_IP6 ? FWR_FAMILY_IPV6 : FWR_FAMILY_IPV4;
      p.table = infer_table (headers);
      ok = declare_chains (&p, headers, error);
    }
  if (ok && !g_str_equal (p.table->name, "filter"))
    _fwr_ruleset_add_warning (ruleset, 0, 0,
                              "iptables -L does not say which table it lists; its built-in chains make it the %s table",
                              p.table->name);

  FwrIptLines lines;
  _fwr_ipt_lines_init (&lines, name, data, length);
  while (ok)
    {
      g_autofree char *line = NULL;
      FwrIptLineResult result = _fwr_ipt_lines_next (&lines, ruleset, &line, error);
      p.line = lines.number;
      if (result == FWR_IPT_LINE_END)
        break;
      ok = result == FWR_IPT_LINE && read_line (&p, line, error);
    }
  if (ok && p.rounded)
    _fwr_ruleset_add_warning (ruleset, 0, 0,
                              "counters with K, M or G are rounded to thousands, millions, billions: "
                              "iptables -L -n -v -x gives exact ones");
  g_hash_table_unref (p.chains);
  return ok ? g_steal_pointer (&ruleset) : NULL;
}
