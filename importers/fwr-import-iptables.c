/* fwr-import-iptables.c: reads iptables-save and ip6tables-save output (with or without -c
 * counters) into the model: every table, chain policies, rules with their matches and targets. */
#include "fwr-iptables-private.h"

typedef struct {
  char *text;
  guint column;                   /* 1-based byte column where the word starts */
  gboolean quoted;                /* quoted words are never options */
} Token;

typedef struct {
  const char *file;
  FwrRuleset *ruleset;
  FwrTableFamily family;
  FwrFamilyMask mask;             /* the one L3 family of the file */
  guint line;
  const FwrIptTable *table;       /* the open table; NULL outside *table ... COMMIT */
  guint table_line;
  GHashTable *chains;             /* name -> FwrChain of the open table */
  GHashTable *tables_seen;        /* table name -> first line */
} Parser;

static gboolean G_GNUC_PRINTF (5, 6)
parse_error (Parser *p, guint column, FwrImportErrorCode code, GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  _fwr_import_set_error (error, code, p->file, p->line, column, "%s", text);
  return FALSE;
}

/* Words */

static void
token_clear (gpointer data)
{
  g_free (((Token *) data)->text);
}

/* Splits like iptables-restore and a shell: blanks separate words, double quotes group with
 * backslash escapes ("has \"quotes\""), single quotes group literally. */
static gboolean
tokenize (Parser *p, const char *line, GArray *tokens, GError **error)
{
  const char *s = line;
  while (*s != '\0')
    {
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '\0')
        break;

      Token token = { NULL, (guint) (s - line) + 1, FALSE };
      GString *word = g_string_new (NULL);
      char quote = 0;
      guint quote_column = 0;
      while (*s != '\0' && (quote != 0 || (*s != ' ' && *s != '\t')))
        {
          if (quote == 0 && (*s == '"' || *s == '\''))
            {
              quote = *s++;
              quote_column = (guint) (s - line);
              token.quoted = TRUE;
            }
          else if (quote != 0 && *s == quote)
            {
              quote = 0;
              s++;
            }
          else if (quote != '\'' && *s == '\\' && s[1] != '\0')
            {
              g_string_append_c (word, s[1]);
              s += 2;
            }
          else
            g_string_append_c (word, *s++);
        }
      token.text = g_string_free (word, FALSE);
      g_array_append_val (tokens, token);
      if (quote != 0)
        return parse_error (p, quote_column, FWR_IMPORT_ERROR_MALFORMED, error,
                            "the quote (%c) opened here is not closed", quote);
    }
  return TRUE;
}

static gboolean
parse_counter_pair (const char *text, guint64 *packets, guint64 *bytes)
{
  gsize len = strlen (text);
  if (len < 5 || text[0] != '[' || text[len - 1] != ']')
    return FALSE;
  g_autofree char *inner = g_strndup (text + 1, len - 2);
  char *colon = strchr (inner, ':');
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  g_autoptr (GError) local = NULL;
  return g_ascii_string_to_unsigned (inner, 10, 0, G_MAXUINT64, packets, &local) &&
         g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXUINT64, bytes, &local);
}

/* Rules */

typedef enum {
  TOP_NONE, TOP_SRC, TOP_DST, TOP_PROTO, TOP_IIF, TOP_OIF, TOP_FRAGMENT, TOP_MATCH, TOP_JUMP,
  TOP_GOTO, TOP_COUNTERS, TOP_IPV4, TOP_IPV6,
} TopOption;

static TopOption
top_option (const Token *token)
{
  static const struct {
    const char *name;
    TopOption option;
  } options[] = {
    { "-s", TOP_SRC }, { "--source", TOP_SRC }, { "--src", TOP_SRC },
    { "-d", TOP_DST }, { "--destination", TOP_DST }, { "--dst", TOP_DST },
    { "-p", TOP_PROTO }, { "--protocol", TOP_PROTO },
    { "-i", TOP_IIF }, { "--in-interface", TOP_IIF },
    { "-o", TOP_OIF }, { "--out-interface", TOP_OIF },
    { "-f", TOP_FRAGMENT }, { "--fragment", TOP_FRAGMENT },
    { "-m", TOP_MATCH }, { "--match", TOP_MATCH },
    { "-j", TOP_JUMP }, { "--jump", TOP_JUMP }, { "-g", TOP_GOTO }, { "--goto", TOP_GOTO },
    { "-c", TOP_COUNTERS }, { "--set-counters", TOP_COUNTERS },
    { "-4", TOP_IPV4 }, { "--ipv4", TOP_IPV4 }, { "-6", TOP_IPV6 }, { "--ipv6", TOP_IPV6 },
  };
  if (token->quoted)
    return TOP_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (g_str_equal (options[i].name, token->text))
      return options[i].option;
  return TOP_NONE;
}

static gboolean
is_bang (const Token *token)
{
  return !token->quoted && g_str_equal (token->text, "!");
}

typedef struct {
  Parser *p;
  Token *tokens;
  guint n;
  guint i;                        /* the word being read */
  FwrIptMatch m;
  GPtrArray *modules;             /* (element-type utf8) (borrowed) modeled matches loaded, in order */
  const char *proto_module;       /* the match -p loads implicitly ("tcp" for -p tcp) */
  gboolean negate;
  guint negate_column;
  gboolean seen_src, seen_dst;
  gboolean has_target;
  FwrAction action;
  char *target;                   /* chain id for a jump or goto */
  gboolean log;
  gboolean other_family;          /* -4 in ip6tables or -6 in iptables: restore skips the line */
  gboolean has_counter;
  guint64 packets, bytes;
} RuleParser;

static void
rule_parser_clear (RuleParser *r)
{
  _fwr_ipt_match_clear (&r->m);
  g_ptr_array_unref (r->modules);
  g_free (r->target);
}

/* The word after i is a new option of the rule (not an argument of the current one). */
static gboolean
starts_option (RuleParser *r, guint k)
{
  if (k >= r->n)
    return TRUE;
  if (is_bang (&r->tokens[k]))
    return k + 1 >= r->n || top_option (&r->tokens[k + 1]) != TOP_NONE;
  return top_option (&r->tokens[k]) != TOP_NONE;
}

static gboolean
take_negate (RuleParser *r)
{
  gboolean negate = r->negate;
  r->negate = FALSE;
  return negate;
}

/* The argument of the option at r->i; "-s ! 10.0.0.1", the form of iptables before 1.4.3, is read
 * as "! -s 10.0.0.1". */
static gboolean
take_arg (RuleParser *r, const Token **arg, GError **error)
{
  const Token *option = &r->tokens[r->i];
  if (r->i + 1 < r->n && is_bang (&r->tokens[r->i + 1]))
    {
      if (r->negate)
        return parse_error (r->p, r->tokens[r->i + 1].column, FWR_IMPORT_ERROR_MALFORMED, error,
                            "“!” given twice for %s", option->text);
      r->negate = TRUE;
      r->negate_column = r->tokens[r->i + 1].column;
      r->i++;
    }
  if (r->i + 1 >= r->n)
    return parse_error (r->p, option->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "%s needs an argument", option->text);
  r->i++;
  *arg = &r->tokens[r->i];
  return TRUE;
}

/* Options fwreview does not model keep their words as an opaque condition. */
static void
add_opaque_words (RuleParser *r, gboolean negate, guint first, guint last)
{
  g_autoptr (GString) text = g_string_new (NULL);
  if (negate)
    g_string_append_c (text, '!');
  for (guint k = first; k <= last && k < r->n; k++)
    _fwr_ipt_append_word (text, r->tokens[k].text);
  _fwr_match_add_opaque (&r->m.match, text->str);
}

/* An option with n_args arguments, kept as text. */
static gboolean
opaque_option (RuleParser *r, guint n_args, GError **error)
{
  guint first = r->i;
  gboolean negate = take_negate (r);
  for (guint a = 0; a < n_args; a++)
    {
      const Token *arg;
      if (!take_arg (r, &arg, error))
        return FALSE;
      negate |= take_negate (r);
    }
  add_opaque_words (r, negate, first, r->i);
  return TRUE;
}

static gboolean
arg_error (RuleParser *r, const Token *arg, char *why, GError **error)
{
  parse_error (r->p, arg->column, FWR_IMPORT_ERROR_MALFORMED, error, "%s", why);
  g_free (why);
  return FALSE;
}

static gboolean
parse_address_option (RuleParser *r, FwrAddrSet **slot, gboolean range, GError **error)
{
  const Token *option = &r->tokens[r->i];
  const Token *arg;
  if (!take_arg (r, &arg, error))
    return FALSE;
  gboolean negate = take_negate (r);

  g_auto (GStrv) parts = g_strsplit (arg->text, ",", -1);
  if (negate && g_strv_length (parts) > 1)
    return parse_error (r->p, arg->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "“!” is not allowed with several addresses (iptables refuses it)");
  g_autoptr (FwrAddrSet) set = fwr_addr_set_new ();
  for (guint k = 0; parts[k] != NULL; k++)
    {
      gboolean inexact;
      char *why = NULL;
      g_autoptr (FwrAddrSet) part = _fwr_ipt_parse_address (parts[k], r->p->mask, range, &inexact, &why);
      if (part == NULL)
        return arg_error (r, arg, why, error);
      if (inexact)
        {
          g_autofree char *text = g_strdup_printf ("%s%s %s", negate ? "! " : "", option->text, arg->text);
          _fwr_match_add_opaque (&r->m.match, text);
          return TRUE;
        }
      fwr_addr_set_union (set, part);
    }
  if (negate)
    fwr_addr_set_complement (set, r->p->mask);
  if (!fwr_addr_set_is_any (set, r->p->mask))
    _fwr_ipt_narrow_addr (slot, g_steal_pointer (&set));
  return TRUE;
}

static gboolean
parse_ports_option (RuleParser *r, FwrRangeSet **slot, gboolean list, GError **error)
{
  const Token *arg;
  if (!take_arg (r, &arg, error))
    return FALSE;
  char *why = NULL;
  FwrRangeSet *set = _fwr_ipt_parse_ports (arg->text, list, &why);
  if (set == NULL)
    return arg_error (r, arg, why, error);
  if (take_negate (r))
    _fwr_ipt_negate_range (set, 65535);
  _fwr_ipt_narrow_range (slot, set);
  return TRUE;
}

/* Match modules */

typedef enum {
  OPT_DONE,
  OPT_UNKNOWN,
  OPT_FAILED,
} OptResult;

#define RESULT(ok) ((ok) ? OPT_DONE : OPT_FAILED)

static gboolean
option_is (const Token *option, const char *a, const char *b)
{
  return g_str_equal (option->text, a) || (b != NULL && g_str_equal (option->text, b));
}

static OptResult
ports_module_option (RuleParser *r, const char *module, const Token *option, GError **error)
{
  if (option_is (option, "--sport", "--source-port"))
    return RESULT (parse_ports_option (r, &r->m.match.sports, FALSE, error));
  if (option_is (option, "--dport", "--destination-port"))
    return RESULT (parse_ports_option (r, &r->m.match.dports, FALSE, error));
  if (g_str_equal (module, "tcp"))
    {
      if (option_is (option, "--syn", NULL))
        return RESULT (opaque_option (r, 0, error));
      if (option_is (option, "--tcp-flags", NULL))
        return RESULT (opaque_option (r, 2, error));
      if (option_is (option, "--tcp-option", NULL))
        return RESULT (opaque_option (r, 1, error));
    }
  if (g_str_equal (module, "sctp") && option_is (option, "--chunk-types", NULL))
    return RESULT (opaque_option (r, 2, error));
  if (g_str_equal (module, "dccp") && option_is (option, "--dccp-types", "--dccp-option"))
    return RESULT (opaque_option (r, 1, error));
  return OPT_UNKNOWN;
}

static OptResult
multiport_option (RuleParser *r, const Token *option, GError **error)
{
  if (option_is (option, "--sports", "--source-ports"))
    return RESULT (parse_ports_option (r, &r->m.match.sports, TRUE, error));
  if (option_is (option, "--dports", "--destination-ports"))
    return RESULT (parse_ports_option (r, &r->m.match.dports, TRUE, error));
  if (!option_is (option, "--ports", NULL))
    return OPT_UNKNOWN;

  const Token *arg;
  if (!take_arg (r, &arg, error))
    return OPT_FAILED;
  char *why = NULL;
  g_autoptr (FwrRangeSet) set = _fwr_ipt_parse_ports (arg->text, TRUE, &why);
  if (set == NULL)
    return RESULT (arg_error (r, arg, why, error));
  if (take_negate (r))
    {
      /* Neither port in the list: both conditions hold at once. */
      _fwr_ipt_negate_range (set, 65535);
      _fwr_ipt_narrow_range (&r->m.match.sports, fwr_range_set_copy (set));
      _fwr_ipt_narrow_range (&r->m.match.dports, g_steal_pointer (&set));
    }
  else if (r->m.either_ports == NULL)
    r->m.either_ports = g_steal_pointer (&set);
  else
    {
      /* Two "either" lists are no union of two terms any more. */
      g_autofree char *text = g_strdup_printf ("--ports %s", arg->text);
      _fwr_match_add_opaque (&r->m.match, text);
    }
  return OPT_DONE;
}

static gboolean
parse_ct_option (RuleParser *r, GError **error)
{
  guint first = r->i;
  const Token *arg;
  if (!take_arg (r, &arg, error))
    return FALSE;
  gboolean negate = take_negate (r);
  guint mask;
  gboolean virtual;
  char *why = NULL;
  if (!_fwr_ipt_parse_ct_states (arg->text, &mask, &virtual, &why))
    return arg_error (r, arg, why, error);
  if (virtual)
    {
      /* SNAT and DNAT are no states of their own: the condition stays text. */
      add_opaque_words (r, negate, first, r->i);
      return TRUE;
    }
  _fwr_ipt_match_narrow_ct (&r->m, negate ? FWR_CT_ALL & ~mask : mask);
  return TRUE;
}

static OptResult
conntrack_option (RuleParser *r, const char *module, const Token *option, GError **error)
{
  static const char *opaque_options[] = {
    "--ctproto", "--ctorigsrc", "--ctorigdst", "--ctreplsrc", "--ctrepldst", "--ctorigsrcport",
    "--ctorigdstport", "--ctreplsrcport", "--ctrepldstport", "--ctstatus", "--ctexpire", "--ctdir",
  };
  if (g_str_equal (module, "state"))
    return option_is (option, "--state", NULL) ? RESULT (parse_ct_option (r, error)) : OPT_UNKNOWN;
  if (option_is (option, "--ctstate", NULL))
    return RESULT (parse_ct_option (r, error));
  for (guint k = 0; k < G_N_ELEMENTS (opaque_options); k++)
    if (option_is (option, opaque_options[k], NULL))
      return RESULT (opaque_option (r, 1, error));
  return OPT_UNKNOWN;
}

static OptResult
icmp_option (RuleParser *r, gboolean v6, const Token *option, GError **error)
{
  if (!option_is (option, v6 ? "--icmpv6-type" : "--icmp-type", NULL))
    return OPT_UNKNOWN;
  const Token *arg;
  if (!take_arg (r, &arg, error))
    return OPT_FAILED;
  FwrRangeSet *set;
  char *why = NULL;
  if (!_fwr_ipt_parse_icmp_type (arg->text, v6, &set, &why))
    return RESULT (arg_error (r, arg, why, error));
  gboolean negate = take_negate (r);
  if (set == NULL && negate)
    set = fwr_range_set_new ();   /* not any type: no ICMP packet at all */
  else if (set != NULL && negate)
    _fwr_ipt_negate_range (set, 65535);
  if (set != NULL)
    _fwr_ipt_narrow_range (&r->m.match.icmp, set);
  return OPT_DONE;
}

static OptResult
module_option (RuleParser *r, const char *module, const Token *option, GError **error)
{
  if (g_str_equal (module, "tcp") || g_str_equal (module, "udp") || g_str_equal (module, "udplite") ||
      g_str_equal (module, "sctp") || g_str_equal (module, "dccp"))
    return ports_module_option (r, module, option, error);
  if (g_str_equal (module, "multiport"))
    return multiport_option (r, option, error);
  if (g_str_equal (module, "iprange"))
    {
      if (option_is (option, "--src-range", NULL))
        return RESULT (parse_address_option (r, &r->m.match.src, TRUE, error));
      if (option_is (option, "--dst-range", NULL))
        return RESULT (parse_address_option (r, &r->m.match.dst, TRUE, error));
      return OPT_UNKNOWN;
    }
  if (g_str_equal (module, "conntrack") || g_str_equal (module, "state"))
    return conntrack_option (r, module, option, error);
  if (g_str_equal (module, "icmp") || g_str_equal (module, "icmp6"))
    return icmp_option (r, g_str_equal (module, "icmp6"), option, error);
  if (g_str_equal (module, "comment") && option_is (option, "--comment", NULL))
    {
      const Token *arg;
      if (!take_arg (r, &arg, error))
        return OPT_FAILED;
      if (take_negate (r))
        return RESULT (parse_error (r->p, r->negate_column, FWR_IMPORT_ERROR_MALFORMED, error,
                                    "a comment cannot be negated"));
      g_ptr_array_add (r->m.comments, g_strdup (arg->text));
      return OPT_DONE;
    }
  return OPT_UNKNOWN;
}

static const char *modeled_modules[] = {
  "tcp", "udp", "udplite", "sctp", "dccp", "multiport", "iprange", "conntrack", "state",
  "comment", "icmp", "icmp6",
};

/* Matches fwreview reads but cannot model exactly: kept as opaque text without a warning. */
static const char *opaque_modules[] = {
  "limit", "hashlimit", "connlimit", "recent", "set", "time", "mac", "physdev", "owner",
  "addrtype", "pkttype", "mark", "connmark", "length", "ttl", "hl", "tos", "dscp", "ecn",
  "helper", "policy", "rpfilter", "string", "u32", "statistic", "quota", "socket", "realm",
  "devgroup", "cgroup", "cpu", "ipvs", "osf", "bpf", "nfacct", "rateest", "esp", "ah", "frag",
  "hbh", "dst", "rt", "ipv6header", "mh", "cluster", "connbytes", "connlabel", "condition",
  "geoip", "tcpmss", "account", "eui64", "l2tp", "ipcomp", "iface", "pknock", "lscan", "psd",
  "fuzzy", "dhcpmac", "quota2", "gradm", "ipp2p", "ipv4options", "cgroup", "comment2",
};

/* "-m NAME" for a match not modeled: its options up to the next rule option become one
 * opaque condition; ipsets it names are referenced. */
static void
opaque_module (RuleParser *r, const Token *name, guint first)
{
  while (!starts_option (r, r->i + 1))
    r->i++;
  add_opaque_words (r, FALSE, first, r->i);
  if (!_fwr_ipt_in_list (name->text, opaque_modules, G_N_ELEMENTS (opaque_modules)))
    _fwr_ruleset_add_warning (r->p->ruleset, r->p->line, name->column,
                              "match “%s” is not known; kept as an opaque condition", name->text);
  for (guint k = first; k < r->i; k++)
    if (g_str_equal (r->tokens[k].text, "--match-set"))
      g_ptr_array_add (r->m.ipsets, g_strdup (r->tokens[k + 1].text));
}

static gboolean
parse_match (RuleParser *r, GError **error)
{
  guint first = r->i;
  if (r->negate)
    return parse_error (r->p, r->negate_column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "“!” cannot negate a match module; it goes before one of its options");
  if (r->i + 1 >= r->n || r->tokens[r->i + 1].text[0] == '\0')
    return parse_error (r->p, r->tokens[r->i].column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "%s needs a match name", r->tokens[r->i].text);
  const Token *name = &r->tokens[++r->i];
  if (_fwr_ipt_in_list (name->text, modeled_modules, G_N_ELEMENTS (modeled_modules)))
    g_ptr_array_add (r->modules, name->text);
  else
    opaque_module (r, name, first);
  return TRUE;
}

/* The protocols a match module can only see. */
static void
narrow_implied_protocols (RuleParser *r)
{
  for (guint k = 0; k < r->modules->len; k++)
    {
      const char *module = g_ptr_array_index (r->modules, k);
      g_autoptr (FwrRangeSet) set = fwr_range_set_new ();
      if (g_str_equal (module, "tcp"))
        fwr_range_set_add_range (set, 6, 6);
      else if (g_str_equal (module, "udp"))
        fwr_range_set_add_range (set, 17, 17);
      else if (g_str_equal (module, "udplite"))
        fwr_range_set_add_range (set, 136, 136);
      else if (g_str_equal (module, "sctp"))
        fwr_range_set_add_range (set, 132, 132);
      else if (g_str_equal (module, "dccp"))
        fwr_range_set_add_range (set, 33, 33);
      else if (g_str_equal (module, "icmp"))
        fwr_range_set_add_range (set, 1, 1);
      else if (g_str_equal (module, "icmp6"))
        fwr_range_set_add_range (set, 58, 58);
      else if (g_str_equal (module, "multiport"))
        {
          static const guint8 ported[] = { 6, 17, 33, 132, 136 };
          for (guint q = 0; q < G_N_ELEMENTS (ported); q++)
            fwr_range_set_add_range (set, ported[q], ported[q]);
        }
      else
        continue;
      _fwr_ipt_narrow_range (&r->m.match.protos, g_steal_pointer (&set));
    }
}

static gboolean
parse_protocol (RuleParser *r, GError **error)
{
  const Token *arg;
  if (!take_arg (r, &arg, error))
    return FALSE;
  if (r->m.match.protos != NULL)
    return parse_error (r->p, arg->column, FWR_IMPORT_ERROR_MALFORMED, error, "-p given twice");
  guint proto;
  char *why = NULL;
  if (!_fwr_ipt_parse_protocol (arg->text, &proto, &why))
    return arg_error (r, arg, why, error);
  gboolean negate = take_negate (r);
  if (proto == 0 && !negate)
    return TRUE;
  FwrRangeSet *set = proto == 0 ? fwr_range_set_new () : fwr_range_set_new_range (proto, proto);
  if (negate && proto != 0)
    _fwr_ipt_negate_range (set, 255);
  r->m.match.protos = set;

  /* "-p tcp --dport 22" loads the tcp match implicitly. */
  static const struct {
    guint proto;
    const char *module;
  } implicit[] = { { 6, "tcp" }, { 17, "udp" }, { 136, "udplite" }, { 132, "sctp" },
                   { 33, "dccp" }, { 1, "icmp" }, { 58, "icmp6" } };
  for (guint k = 0; k < G_N_ELEMENTS (implicit) && !negate; k++)
    if (implicit[k].proto == proto)
      r->proto_module = implicit[k].module;
  return TRUE;
}

static gboolean
parse_interface (RuleParser *r, FwrNameMatch *names, GError **error)
{
  const Token *option = &r->tokens[r->i];
  const Token *arg;
  if (!take_arg (r, &arg, error))
    return FALSE;
  if (names->patterns != NULL)
    return parse_error (r->p, option->column, FWR_IMPORT_ERROR_MALFORMED, error, "%s given twice", option->text);
  if (arg->text[0] == '\0')
    return parse_error (r->p, arg->column, FWR_IMPORT_ERROR_MALFORMED, error, "empty interface name");
  _fwr_ipt_set_interface (names, arg->text, take_negate (r));
  return TRUE;
}

/* Targets */

static gboolean
parse_target (RuleParser *r, gboolean is_goto, GError **error)
{
  const Token *option = &r->tokens[r->i];
  if (r->negate)
    return parse_error (r->p, r->negate_column, FWR_IMPORT_ERROR_MALFORMED, error, "a target cannot be negated");
  if (r->has_target)
    return parse_error (r->p, option->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "a second target (-j or -g) in one rule");
  if (r->i + 1 >= r->n || r->tokens[r->i + 1].text[0] == '\0')
    return parse_error (r->p, option->column, FWR_IMPORT_ERROR_MALFORMED, error, "%s needs a target", option->text);
  const Token *name = &r->tokens[++r->i];
  r->has_target = TRUE;

  FwrChain *chain = g_hash_table_lookup (r->p->chains, name->text);
  FwrIptTarget target = _fwr_ipt_target_lookup (name->text);
  if (chain != NULL && chain->hook != FWR_HOOK_NONE)
    return parse_error (r->p, name->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "cannot jump to the built-in chain %s", name->text);
  if (chain != NULL)
    {
      r->action = is_goto ? FWR_ACTION_GOTO : FWR_ACTION_JUMP;
      r->target = g_strdup (chain->id);
    }
  else if (is_goto)
    return parse_error (r->p, name->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "-g needs a user-defined chain of table %s; “%s” is none", r->p->table->name, name->text);
  else if (!target.known)
    _fwr_ruleset_add_warning (r->p->ruleset, r->p->line, name->column,
                              "target “%s” is neither a chain of table %s nor a known target; "
                              "read as one that lets evaluation go on", name->text, r->p->table->name);
  else if (target.nat_only && r->p->table->type != FWR_CHAIN_TYPE_NAT)
    _fwr_ruleset_add_warning (r->p->ruleset, r->p->line, name->column,
                              "target %s works only in the nat table; read as one that lets evaluation go on",
                              name->text);
  else
    {
      r->action = target.action;
      r->log = target.log;
    }

  /* The target's own options ("--reject-with", "--log-prefix"...) run to the next rule option. */
  guint first = r->i + 1;
  while (!starts_option (r, r->i + 1))
    r->i++;
  for (guint k = first; k < r->i; k++)
    if (option_is (&r->tokens[k], "--add-set", "--del-set") || option_is (&r->tokens[k], "--map-set", NULL))
      g_ptr_array_add (r->m.ipsets, g_strdup (r->tokens[k + 1].text));
  return TRUE;
}

/* An option of a loaded match, or one that no match knows (kept as text with a warning). */
static gboolean
parse_module_option (RuleParser *r, GError **error)
{
  const Token *option = &r->tokens[r->i];
  for (guint k = r->modules->len; k > 0; k--)
    {
      OptResult result = module_option (r, g_ptr_array_index (r->modules, k - 1), option, error);
      if (result != OPT_UNKNOWN)
        return result == OPT_DONE;
    }
  if (r->proto_module != NULL)
    {
      OptResult result = module_option (r, r->proto_module, option, error);
      if (result != OPT_UNKNOWN)
        return result == OPT_DONE;
    }

  if (option->quoted || option->text[0] != '-')
    return parse_error (r->p, option->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "“%s” is not an option (a word where an option should start)", option->text);
  guint first = r->i;
  gboolean negate = take_negate (r);
  while (r->i + 1 < r->n && !is_bang (&r->tokens[r->i + 1]) &&
         (r->tokens[r->i + 1].quoted || r->tokens[r->i + 1].text[0] != '-'))
    r->i++;
  add_opaque_words (r, negate, first, r->i);
  const char *module = r->modules->len > 0 ? g_ptr_array_index (r->modules, r->modules->len - 1) : NULL;
  _fwr_ruleset_add_warning (r->p->ruleset, r->p->line, option->column,
                            "option “%s”%s%s%s is not known; kept as an opaque condition", option->text,
                            module ? " (after -m " : "", module ? module : "", module ? ")" : "");
  return TRUE;
}

static gboolean
parse_counters_option (RuleParser *r, GError **error)
{
  const Token *packets, *bytes;
  if (!take_arg (r, &packets, error) || !take_arg (r, &bytes, error))
    return FALSE;
  g_autoptr (GError) local = NULL;
  if (!g_ascii_string_to_unsigned (packets->text, 10, 0, G_MAXUINT64, &r->packets, &local) ||
      !g_ascii_string_to_unsigned (bytes->text, 10, 0, G_MAXUINT64, &r->bytes, &local))
    return parse_error (r->p, packets->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "-c needs two counts (packets and bytes)");
  r->has_counter = TRUE;
  return TRUE;
}

static gboolean
parse_option (RuleParser *r, GError **error)
{
  const Token *token = &r->tokens[r->i];
  if (is_bang (token))
    {
      if (r->negate)
        return parse_error (r->p, token->column, FWR_IMPORT_ERROR_MALFORMED, error, "“!” given twice");
      r->negate = TRUE;
      r->negate_column = token->column;
      return TRUE;
    }
  switch (top_option (token))
    {
    case TOP_SRC:
    case TOP_DST:
      {
        gboolean *seen = top_option (token) == TOP_SRC ? &r->seen_src : &r->seen_dst;
        if (*seen)
          return parse_error (r->p, token->column, FWR_IMPORT_ERROR_MALFORMED, error, "%s given twice", token->text);
        *seen = TRUE;
        return parse_address_option (r, top_option (token) == TOP_SRC ? &r->m.match.src : &r->m.match.dst,
                                     FALSE, error);
      }
    case TOP_PROTO:
      return parse_protocol (r, error);
    case TOP_IIF:
      return parse_interface (r, &r->m.match.iif, error);
    case TOP_OIF:
      return parse_interface (r, &r->m.match.oif, error);
    case TOP_FRAGMENT:
      /* Only second and later fragments: nothing the model has a dimension for. */
      _fwr_match_add_opaque (&r->m.match, take_negate (r) ? "! -f" : "-f");
      return TRUE;
    case TOP_MATCH:
      return parse_match (r, error);
    case TOP_JUMP:
    case TOP_GOTO:
      return parse_target (r, top_option (token) == TOP_GOTO, error);
    case TOP_COUNTERS:
      return parse_counters_option (r, error);
    case TOP_IPV4:
    case TOP_IPV6:
      r->other_family |= (top_option (token) == TOP_IPV4) != (r->p->mask == FWR_FAMILY_IPV4);
      return TRUE;
    case TOP_NONE:
    default:
      return parse_module_option (r, error);
    }
}

static gboolean
add_rule (Parser *p, FwrChain *chain, RuleParser *r, const Token *command, GError **error)
{
  r->i++;
  for (; r->i < r->n; r->i++)
    if (!parse_option (r, error))
      return FALSE;
  if (r->negate)
    return parse_error (p, r->negate_column, FWR_IMPORT_ERROR_MALFORMED, error, "“!” with nothing after it");
  if (r->other_family)
    return TRUE;
  narrow_implied_protocols (r);

  g_autofree char *id = g_strdup_printf ("%s/%s/%u", p->table->name, chain->name, chain->rules->len + 1);
  FwrRule *rule = _fwr_chain_add_rule (chain, id);
  rule->line = p->line;
  rule->column = command->column;
  rule->log = r->log;
  rule->has_counter = r->has_counter;
  rule->packets = r->packets;
  rule->bytes = r->bytes;
  _fwr_ipt_match_apply (&r->m, rule);
  _fwr_rule_set_verdict (rule, r->action, r->target);
  return TRUE;
}

/* Chains */

static FwrChain *
declare_chain (Parser *p, const char *name, FwrAction policy)
{
  FwrChain *chain = _fwr_ipt_add_chain (p->ruleset, p->table, name, p->family, policy, p->line);
  g_hash_table_insert (p->chains, chain->name, chain);
  return chain;
}

/* Built-in chains exist in a table before any line declares them (iptables-restore accepts
 * "-A INPUT" without ":INPUT"); a user chain must be declared. */
static FwrChain *
lookup_chain (Parser *p, const Token *name, GError **error)
{
  FwrChain *chain = g_hash_table_lookup (p->chains, name->text);
  if (chain != NULL)
    return chain;
  if (_fwr_ipt_builtin_hook (p->table, name->text) != FWR_HOOK_NONE)
    {
      _fwr_ruleset_add_warning (p->ruleset, p->line, name->column,
                                "built-in chain %s is used without a “:%s” line; its policy is taken as ACCEPT",
                                name->text, name->text);
      return declare_chain (p, name->text, FWR_ACTION_ACCEPT);
    }
  parse_error (p, name->column, FWR_IMPORT_ERROR_MALFORMED, error,
               "chain “%s” is not declared in table %s (no “:%s - [0:0]” line before it)",
               name->text, p->table->name, name->text);
  return NULL;
}

static gboolean
parse_policy (Parser *p, const Token *chain_name, const Token *policy, FwrAction *out, GError **error)
{
  gboolean builtin = _fwr_ipt_builtin_hook (p->table, chain_name->text) != FWR_HOOK_NONE;
  if (g_str_equal (policy->text, "-"))
    *out = builtin ? FWR_ACTION_ACCEPT : FWR_ACTION_NONE;
  else if (!builtin)
    return parse_error (p, policy->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "“%s” is no built-in chain of table %s, so it cannot have a policy (%s)",
                        chain_name->text, p->table->name, policy->text);
  else if (g_str_equal (policy->text, "ACCEPT"))
    *out = FWR_ACTION_ACCEPT;
  else if (g_str_equal (policy->text, "DROP"))
    *out = FWR_ACTION_DROP;
  else
    return parse_error (p, policy->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "policy “%s” of %s: a built-in chain's policy is ACCEPT or DROP",
                        policy->text, chain_name->text);
  return TRUE;
}

static gboolean
new_chain (Parser *p, const Token *name, GError **error)
{
  if (name->text[0] == '\0')
    return parse_error (p, name->column, FWR_IMPORT_ERROR_MALFORMED, error, "a chain needs a name");
  FwrChain *existing = g_hash_table_lookup (p->chains, name->text);
  if (existing != NULL)
    return parse_error (p, name->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "chain “%s” is declared twice in table %s (first at line %u)",
                        name->text, p->table->name, existing->line);
  static const char *verdicts[] = { "ACCEPT", "DROP", "QUEUE", "RETURN" };
  if (_fwr_ipt_in_list (name->text, verdicts, G_N_ELEMENTS (verdicts)))
    return parse_error (p, name->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "“%s” is a verdict; no chain can have that name", name->text);
  return TRUE;
}

/* ":NAME POLICY [packets:bytes]" */
static gboolean
parse_chain_line (Parser *p, GArray *tokens, GError **error)
{
  Token *words = (Token *) tokens->data;
  Token name = words[0];
  name.text = words[0].text + 1;
  name.column++;
  if (tokens->len < 2)
    return parse_error (p, words[0].column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "chain %s has no policy (“-” for a user-defined chain)", words[0].text);
  guint64 packets, bytes;
  if (tokens->len > 2 && !parse_counter_pair (words[2].text, &packets, &bytes))
    return parse_error (p, words[2].column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "“%s” is not a [packets:bytes] counter", words[2].text);
  if (tokens->len > 3)
    return parse_error (p, words[3].column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "unexpected “%s” after the chain's counters", words[3].text);
  FwrAction policy;
  if (!new_chain (p, &name, error) || !parse_policy (p, &name, &words[1], &policy, error))
    return FALSE;
  declare_chain (p, name.text, policy);
  return TRUE;
}

/* "-P CHAIN POLICY" as a hand-written restore file may have it. */
static gboolean
set_policy (Parser *p, Token *words, guint n, GError **error)
{
  if (n < 3)
    return parse_error (p, words[0].column, FWR_IMPORT_ERROR_MALFORMED, error, "-P needs a chain and a policy");
  FwrAction policy;
  if (!parse_policy (p, &words[1], &words[2], &policy, error))
    return FALSE;
  FwrChain *chain = lookup_chain (p, &words[1], error);
  if (chain == NULL)
    return FALSE;
  chain->policy = policy;
  return TRUE;
}

static gboolean
parse_command_line (Parser *p, GArray *tokens, GError **error)
{
  Token *words = (Token *) tokens->data;
  guint n = tokens->len, first = 0;
  RuleParser r = { .p = p, .tokens = words, .n = n };
  if (parse_counter_pair (words[0].text, &r.packets, &r.bytes))
    {
      r.has_counter = TRUE;
      first = 1;
    }
  if (first >= n)
    return parse_error (p, words[0].column, FWR_IMPORT_ERROR_MALFORMED, error, "counters without a rule");
  const Token *command = &words[first];

  if (p->table == NULL)
    return parse_error (p, command->column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "“%s” outside a table (no *filter or other table line before it)", command->text);
  gboolean known = option_is (command, "-N", "--new-chain") || option_is (command, "-P", "--policy") ||
                   option_is (command, "-A", "--append");
  if (!known)
    return parse_error (p, command->column, FWR_IMPORT_ERROR_UNSUPPORTED, error,
                        "“%s”: only -A (and -N, -P) lines are read; iptables-save writes nothing else",
                        command->text);
  if (first + 1 >= n)
    return parse_error (p, command->column, FWR_IMPORT_ERROR_MALFORMED, error, "%s needs a chain name",
                        command->text);
  if (option_is (command, "-P", "--policy"))
    return set_policy (p, words + first, n - first, error);
  if (option_is (command, "-N", "--new-chain"))
    {
      if (_fwr_ipt_builtin_hook (p->table, words[first + 1].text) != FWR_HOOK_NONE)
        return parse_error (p, words[first + 1].column, FWR_IMPORT_ERROR_MALFORMED, error,
                            "%s is a built-in chain of table %s", words[first + 1].text, p->table->name);
      if (!new_chain (p, &words[first + 1], error))
        return FALSE;
      declare_chain (p, words[first + 1].text, FWR_ACTION_NONE);
      return TRUE;
    }

  FwrChain *chain = lookup_chain (p, &words[first + 1], error);
  if (chain == NULL)
    return FALSE;
  r.i = first + 1;
  _fwr_ipt_match_init (&r.m);
  r.modules = g_ptr_array_new ();
  gboolean ok = add_rule (p, chain, &r, command, error);
  rule_parser_clear (&r);
  return ok;
}

/* Tables */

static gboolean
open_table (Parser *p, const char *line, guint column, GError **error)
{
  g_autofree char *name = g_strstrip (g_strdup (line + column));
  if (p->table != NULL)
    return parse_error (p, column, FWR_IMPORT_ERROR_MALFORMED, error,
                        "table %s (line %u) has no COMMIT before this table starts",
                        p->table->name, p->table_line);
  const FwrIptTable *table = _fwr_ipt_table_lookup (name);
  if (table == NULL)
    return parse_error (p, column + 1, FWR_IMPORT_ERROR_MALFORMED, error,
                        "unknown table “%s” (expected filter, nat, mangle, raw or security)", name);
  gpointer first = g_hash_table_lookup (p->tables_seen, table->name);
  if (first != NULL)
    return parse_error (p, column + 1, FWR_IMPORT_ERROR_MALFORMED, error,
                        "table %s appears a second time (first at line %u): import each "
                        "iptables-save output on its own", table->name, GPOINTER_TO_UINT (first));
  g_hash_table_insert (p->tables_seen, (gpointer) table->name, GUINT_TO_POINTER (p->line));
  p->table = table;
  p->table_line = p->line;
  g_hash_table_remove_all (p->chains);
  return TRUE;
}

static gboolean
parse_line (Parser *p, const char *line, GError **error)
{
  guint column = 0;
  while (line[column] == ' ' || line[column] == '\t')
    column++;
  const char *text = line + column;
  if (*text == '\0' || *text == '#')
    return TRUE;
  if (*text == '*')
    return open_table (p, line, column + 1, error);

  g_autoptr (GArray) tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_array_set_clear_func (tokens, token_clear);
  if (!tokenize (p, line, tokens, error))
    return FALSE;
  Token *first = &g_array_index (tokens, Token, 0);

  if (g_str_equal (first->text, "COMMIT") && !first->quoted)
    {
      if (p->table == NULL)
        return parse_error (p, first->column, FWR_IMPORT_ERROR_MALFORMED, error, "COMMIT without a table to commit");
      if (tokens->len > 1)
        return parse_error (p, g_array_index (tokens, Token, 1).column, FWR_IMPORT_ERROR_MALFORMED, error,
                            "unexpected “%s” after COMMIT", g_array_index (tokens, Token, 1).text);
      p->table = NULL;
      return TRUE;
    }
  if (*text == ':')
    {
      if (p->table == NULL)
        return parse_error (p, first->column, FWR_IMPORT_ERROR_MALFORMED, error,
                            "chain declaration outside a table (no *filter or other table line before it)");
      return parse_chain_line (p, tokens, error);
    }
  return parse_command_line (p, tokens, error);
}

/* Family */

static gboolean
token_is_v6_hint (const char *option, const char *arg)
{
  static const char *address_options[] = { "-s", "--source", "--src", "-d", "--destination",
                                           "--dst", "--src-range", "--dst-range" };
  if (_fwr_ipt_in_list (option, address_options, G_N_ELEMENTS (address_options)))
    return strchr (arg, ':') != NULL;
  if (g_str_equal (option, "-p") || g_str_equal (option, "--protocol"))
    return g_ascii_strcasecmp (arg, "ipv6-icmp") == 0 || g_ascii_strcasecmp (arg, "icmpv6") == 0;
  if (g_str_equal (option, "-m") || g_str_equal (option, "--match"))
    return g_str_equal (arg, "icmp6");
  return FALSE;
}

/* The "# Generated by ip6tables-save" header when there is one, else what the rules use: IPv6
 * addresses, ICMPv6. */
static FwrTableFamily
detect_family (const char *data, gsize length)
{
  FwrTableFamily found = FWR_TABLE_FAMILY_IP;
  gsize pos = 0;
  while (pos < length)
    {
      const char *start = data + pos;
      const char *eol = memchr (start, '\n', length - pos);
      gsize n = eol ? (gsize) (eol - start) : length - pos;
      pos += n + 1;
      if (n >= 14 && strncmp (start, "# Generated by", 14) == 0)
        {
          if (g_strstr_len (start, (gssize) n, "ip6tables") != NULL)
            return FWR_TABLE_FAMILY_IP6;
          if (g_strstr_len (start, (gssize) n, "iptables") != NULL)
            return FWR_TABLE_FAMILY_IP;
        }
      if (found == FWR_TABLE_FAMILY_IP6 || n == 0 || (start[0] != '-' && start[0] != '['))
        continue;
      g_autofree char *line = g_strndup (start, n);
      g_auto (GStrv) words = g_strsplit_set (line, " \t", -1);
      for (guint k = 0; words[k] != NULL && words[k + 1] != NULL; k++)
        {
          const char *arg = g_str_equal (words[k + 1], "!") && words[k + 2] != NULL ? words[k + 2] : words[k + 1];
          if (token_is_v6_hint (words[k], arg) || g_str_equal (words[k], "--icmpv6-type"))
            found = FWR_TABLE_FAMILY_IP6;
        }
    }
  return found;
}

FwrRuleset *
_fwr_import_iptables_save (const char *name, const char *data, gsize length, GError **error)
{
  g_autoptr (FwrRuleset) ruleset = _fwr_ruleset_new ("iptables-save", name);
  Parser p = {
    .file = name,
    .ruleset = ruleset,
    .family = detect_family (data, length),
    .chains = g_hash_table_new (g_str_hash, g_str_equal),
    .tables_seen = g_hash_table_new (g_str_hash, g_str_equal),
  };
  p.mask = p.family == FWR_TABLE_FAMILY_IP6 ? FWR_FAMILY_IPV6 : FWR_FAMILY_IPV4;

  FwrIptLines lines;
  _fwr_ipt_lines_init (&lines, name, data, length);
  gboolean ok = TRUE;
  for (;;)
    {
      g_autofree char *line = NULL;
      FwrIptLineResult result = _fwr_ipt_lines_next (&lines, ruleset, &line, error);
      p.line = lines.number;
      if (result == FWR_IPT_LINE_END)
        break;
      if (result == FWR_IPT_LINE_ERROR || !parse_line (&p, line, error))
        {
          ok = FALSE;
          break;
        }
    }
  if (ok && p.table != NULL)
    ok = parse_error (&p, 1, FWR_IMPORT_ERROR_MALFORMED, error,
                      "table %s (line %u) ends without COMMIT: the export is cut short",
                      p.table->name, p.table_line);
  if (ok && g_hash_table_size (p.tables_seen) == 0)
    _fwr_ruleset_add_warning (ruleset, 0, 0, "no table in the file: an empty ruleset");
  g_hash_table_unref (p.chains);
  g_hash_table_unref (p.tables_seen);
  return ok ? g_steal_pointer (&ruleset) : NULL;
}
