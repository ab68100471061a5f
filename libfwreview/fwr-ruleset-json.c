/* fwr-ruleset-json.c: writes and reads the normalized model as JSON (schema fwreview.model/1).
 * Every field of FwrRuleset, FwrChain, FwrRule, FwrTerm and FwrObject round-trips exactly. */
#include <arpa/inet.h>

#include "fwr-ruleset-json-private.h"
#include "fwr-addrset-private.h"
#include "fwr-import-private.h"
#include "fwr-jansson-private.h"

static const char *chain_type_names[] = { "filter", "nat", "route" };

/* Writing: straight into text, with no JSON tree in between (a tree of a 100k-rule model costs
 * more to build and free than the model itself). Fields at their default (null, empty, false,
 * zero) are left out; the reader restores them. The model's hash, kept with the snapshot,
 * guards against a field removed by damage. */

/* Adding a field to the model means adding it here and to the reader below; these sizes make
 * the build fail until that is done. */
#if GLIB_SIZEOF_VOID_P == 8
G_STATIC_ASSERT (sizeof (FwrMatch) == 136);
G_STATIC_ASSERT (sizeof (FwrRule) == 120);
G_STATIC_ASSERT (sizeof (FwrChain) == 88);
G_STATIC_ASSERT (sizeof (FwrObject) == 40);
#endif

static void
put_string (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_validate (text, -1, NULL) ? NULL : g_utf8_make_valid (text, -1);
  const char *p = valid ? valid : text;
  g_string_append_c (out, '"');
  for (; *p; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        g_string_append_c (out, '\\'), g_string_append_c (out, (char) c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* Starts member key of an object whose first member has been written when *more is TRUE. */
static void
put_key (GString *out, gboolean *more, const char *key)
{
  if (*more)
    g_string_append_c (out, ',');
  *more = TRUE;
  put_string (out, key);
  g_string_append_c (out, ':');
}

static void
put_string_member (GString *out, gboolean *more, const char *key, const char *value)
{
  if (value == NULL)
    return;
  put_key (out, more, key);
  put_string (out, value);
}

static void
put_int_member (GString *out, gboolean *more, const char *key, gint64 value)
{
  if (value == 0)
    return;
  put_key (out, more, key);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

static void
put_true_member (GString *out, gboolean *more, const char *key, gboolean value)
{
  if (!value)
    return;
  put_key (out, more, key);
  g_string_append (out, "true");
}

static void
put_strings (GString *out, char **strings, guint n)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      put_string (out, strings[i]);
    }
  g_string_append_c (out, ']');
}

static void
put_spans (GString *out, const FwrSpans *spans, FwrFamilyMask family)
{
  int af = family == FWR_FAMILY_IPV4 ? AF_INET : AF_INET6;
  g_string_append_c (out, '[');
  for (guint i = 0; i < spans->n; i++)
    {
      guint8 bytes[16];
      char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN];
      _fwr_addr_to_bytes (family, spans->spans[i].lo, bytes);
      inet_ntop (af, bytes, lo, sizeof lo);
      _fwr_addr_to_bytes (family, spans->spans[i].hi, bytes);
      inet_ntop (af, bytes, hi, sizeof hi);
      if (spans->spans[i].lo == spans->spans[i].hi)
        g_string_append_printf (out, "%s\"%s\"", i ? "," : "", lo);
      else
        g_string_append_printf (out, "%s\"%s-%s\"", i ? "," : "", lo, hi);
    }
  g_string_append_c (out, ']');
}

static void
put_addr_set (GString *out, gboolean *more, const char *key, const FwrAddrSet *set)
{
  if (set == NULL)
    return;
  put_key (out, more, key);
  g_string_append (out, "{\"v4\":");
  put_spans (out, &set->v4, FWR_FAMILY_IPV4);
  g_string_append (out, ",\"v6\":");
  put_spans (out, &set->v6, FWR_FAMILY_IPV6);
  g_string_append_c (out, '}');
}

static void
put_range_set (GString *out, gboolean *more, const char *key, const FwrRangeSet *set)
{
  if (set == NULL)
    return;
  put_key (out, more, key);
  g_string_append_c (out, '[');
  for (guint i = 0; i < set->spans.n; i++)
    g_string_append_printf (out, "%s[%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "]", i ? "," : "",
                            (guint64) set->spans.spans[i].lo, (guint64) set->spans.spans[i].hi);
  g_string_append_c (out, ']');
}

static void
put_names (GString *out, gboolean *more, const char *key, const FwrNameMatch *names)
{
  if (names->patterns == NULL)
    return;
  put_key (out, more, key);
  g_string_append (out, "{\"patterns\":");
  put_strings (out, names->patterns, g_strv_length (names->patterns));
  g_string_append_printf (out, ",\"negate\":%s}", names->negate ? "true" : "false");
}

static void
put_match (GString *out, const FwrMatch *match)
{
  gboolean more = FALSE;
  /* families is always written: 0, a match no packet can satisfy, is no default. */
  g_string_append_printf (out, "{\"families\":%u", (guint) match->families);
  more = TRUE;
  put_addr_set (out, &more, "src", match->src);
  put_addr_set (out, &more, "dst", match->dst);
  put_names (out, &more, "iif", &match->iif);
  put_names (out, &more, "oif", &match->oif);
  put_names (out, &more, "src_zones", &match->src_zones);
  put_names (out, &more, "dst_zones", &match->dst_zones);
  put_range_set (out, &more, "protos", match->protos);
  put_range_set (out, &more, "sports", match->sports);
  put_range_set (out, &more, "dports", match->dports);
  put_range_set (out, &more, "icmp", match->icmp);
  put_int_member (out, &more, "ct_states", match->ct_states);
  if (match->opaque != NULL)
    {
      put_key (out, &more, "opaque");
      put_strings (out, (char **) match->opaque->pdata, match->opaque->len);
    }
  g_string_append_c (out, '}');
}

static void
put_verdict (GString *out, gboolean *more, const FwrVerdict *verdict)
{
  put_key (out, more, "verdict");
  g_string_append (out, "{\"action\":");
  put_string (out, fwr_action_to_string (verdict->action));
  gboolean inner = TRUE;
  put_string_member (out, &inner, "target", verdict->target);
  g_string_append_c (out, '}');
}

static void
put_rule (GString *out, const FwrRule *rule)
{
  gboolean more = FALSE;
  g_string_append_c (out, '{');
  put_string_member (out, &more, "id", rule->id);
  put_int_member (out, &more, "handle", (gint64) rule->handle);
  put_key (out, &more, "terms");
  g_string_append_c (out, '[');
  for (guint i = 0; i < rule->n_terms; i++)
    {
      gboolean term_more = TRUE;
      g_string_append (out, i ? ",{\"match\":" : "{\"match\":");
      put_match (out, &rule->terms[i].match);
      put_verdict (out, &term_more, &rule->terms[i].verdict);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  put_verdict (out, &more, &rule->verdict);
  put_true_member (out, &more, "enabled", rule->enabled);
  put_true_member (out, &more, "log", rule->log);
  if (rule->has_counter)
    {
      put_key (out, &more, "counter");
      g_string_append_printf (out, "{\"packets\":%" G_GUINT64_FORMAT ",\"bytes\":%" G_GUINT64_FORMAT "}",
                              rule->packets, rule->bytes);
    }
  put_string_member (out, &more, "comment", rule->comment);
  put_int_member (out, &more, "line", rule->line);
  put_int_member (out, &more, "column", rule->column);
  if (rule->refs != NULL)
    {
      put_key (out, &more, "refs");
      put_strings (out, rule->refs, g_strv_length (rule->refs));
    }
  g_string_append_c (out, '}');
}

/* The chain without its rules: they follow it, one entry each. */
static void
put_chain (GString *out, const FwrChain *chain)
{
  gboolean more = FALSE;
  g_string_append_c (out, '{');
  put_string_member (out, &more, "id", chain->id);
  put_string_member (out, &more, "name", chain->name);
  put_string_member (out, &more, "table", chain->table);
  put_string_member (out, &more, "section", chain->section);
  put_string_member (out, &more, "family", fwr_table_family_to_string (chain->family));
  put_string_member (out, &more, "type", chain_type_names[chain->type]);
  put_string_member (out, &more, "hook", fwr_hook_to_string (chain->hook));
  put_int_member (out, &more, "priority", chain->priority);
  put_string_member (out, &more, "policy", fwr_action_to_string (chain->policy));
  put_string_member (out, &more, "comment", chain->comment);
  put_int_member (out, &more, "line", chain->line);
  g_string_append_c (out, '}');
}

static void
put_object (GString *out, const FwrObject *object)
{
  gboolean more = FALSE;
  g_string_append_c (out, '{');
  put_string_member (out, &more, "id", object->id);
  put_string_member (out, &more, "name", object->name);
  put_string_member (out, &more, "table", object->table);
  put_string_member (out, &more, "family", fwr_table_family_to_string (object->family));
  put_string_member (out, &more, "kind", fwr_object_kind_to_string (object->kind));
  put_int_member (out, &more, "line", object->line);
  put_int_member (out, &more, "n_refs", object->n_refs);
  g_string_append_c (out, '}');
}

/* One JSON value per line: a header, then every object, then each chain followed by its
 * rules. The reader takes one small value at a time, as the nftables importer does. */
char *
_fwr_ruleset_to_json (const FwrRuleset *ruleset, gsize *length)
{
  GString *out = g_string_sized_new (4096);
  gboolean more = FALSE;
  g_string_append_c (out, '{');
  put_string_member (out, &more, "schema", FWR_MODEL_SCHEMA);
  put_string_member (out, &more, "format", ruleset->format);
  put_string_member (out, &more, "file", ruleset->file);
  put_key (out, &more, "warnings");
  put_strings (out, (char **) ruleset->warnings->pdata, ruleset->warnings->len);
  g_string_append (out, "}\n");
  for (guint i = 0; i < ruleset->objects->len; i++)
    {
      g_string_append (out, "{\"object\":");
      put_object (out, g_ptr_array_index (ruleset->objects, i));
      g_string_append (out, "}\n");
    }
  for (guint c = 0; c < ruleset->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (ruleset->chains, c);
      g_string_append (out, "{\"chain\":");
      put_chain (out, chain);
      g_string_append (out, "}\n");
      for (guint r = 0; r < chain->rules->len; r++)
        {
          g_string_append (out, "{\"rule\":");
          put_rule (out, g_ptr_array_index (chain->rules, r));
          g_string_append (out, "}\n");
        }
    }
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* Reading: a context keeps the first error so helpers can be chained without checks at
 * every call; the path names where the model is damaged. */

typedef struct {
  const char *name;
  GError *error;
  GString *path;
} Reader;

static void
reader_fail (Reader *reader, const char *key, const char *what)
{
  if (reader->error == NULL)
    reader->error = g_error_new (FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED,
                                 "%s: damaged model at %s%s%s: %s", reader->name,
                                 reader->path->str, key ? "." : "", key ? key : "", what);
}

/* The member key of object when it has the type; NULL for a missing or null member of a
 * nullable field (the writer leaves defaults out), an error otherwise. */
static json_t *
get (Reader *reader, json_t *object, const char *key, gboolean (*is_type) (const json_t *),
     gboolean nullable, const char *type_name)
{
  json_t *value = json_object_get (object, key);
  if (nullable && (value == NULL || json_is_null (value)))
    return NULL;
  if (value == NULL || !is_type (value))
    {
      g_autofree char *what = g_strdup_printf ("expected %s", type_name);
      reader_fail (reader, key, what);
      return NULL;
    }
  return value;
}

static gboolean is_string (const json_t *v) { return json_is_string (v); }
static gboolean is_integer (const json_t *v) { return json_is_integer (v); }
static gboolean is_boolean (const json_t *v) { return json_is_boolean (v); }
static gboolean is_array (const json_t *v) { return json_is_array (v); }
static gboolean is_object (const json_t *v) { return json_is_object (v); }

static const char *
get_string (Reader *reader, json_t *object, const char *key, gboolean nullable)
{
  json_t *value = get (reader, object, key, is_string, nullable, "a string");
  return value ? json_string_value (value) : NULL;
}

/* A missing integer is 0, which must then be in range. */
static gint64
get_integer (Reader *reader, json_t *object, const char *key, gint64 min, gint64 max)
{
  json_t *value = get (reader, object, key, is_integer, TRUE, "an integer");
  gint64 n = value ? json_integer_value (value) : 0;
  if (n < min || n > max)
    {
      reader_fail (reader, key, value ? "integer out of range" : "missing");
      return min;
    }
  return n;
}

static gboolean
get_boolean (Reader *reader, json_t *object, const char *key)
{
  json_t *value = get (reader, object, key, is_boolean, TRUE, "true or false");
  return value ? json_is_true (value) : FALSE;
}

/* Looks text up among names[0..n); fails the reader when absent. */
static guint
get_enum (Reader *reader, json_t *object, const char *key, const char *(*to_string) (guint),
          guint n)
{
  const char *text = get_string (reader, object, key, FALSE);
  for (guint i = 0; text != NULL && i < n; i++)
    if (g_str_equal (text, to_string (i)))
      return i;
  reader_fail (reader, key, "unknown name");
  return 0;
}

static const char *action_name (guint i) { return fwr_action_to_string ((FwrAction) i); }
static const char *hook_name (guint i) { return fwr_hook_to_string ((FwrHook) i); }
static const char *family_name (guint i) { return fwr_table_family_to_string ((FwrTableFamily) i); }
static const char *kind_name (guint i) { return fwr_object_kind_to_string ((FwrObjectKind) i); }
static const char *chain_type_name (guint i) { return chain_type_names[i]; }

static GStrv
read_strings (Reader *reader, json_t *array, const char *key)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  size_t i;
  json_t *item;
  json_array_foreach (array, i, item)
    {
      if (!json_is_string (item))
        {
          reader_fail (reader, key, "expected a list of strings");
          return NULL;
        }
      g_strv_builder_add (builder, json_string_value (item));
    }
  return g_strv_builder_end (builder);
}

static gboolean
read_spans (Reader *reader, json_t *array, FwrFamilyMask family, FwrSpans *spans, const char *key)
{
  size_t i;
  json_t *item;
  if (array == NULL)
    return FALSE;
  json_array_foreach (array, i, item)
    {
      const char *text = json_string_value (item);
      g_auto (GStrv) ends = text ? g_strsplit (text, "-", 2) : NULL;
      FwrFamilyMask f_lo = 0, f_hi = 0;
      fwr_u128 lo = 0, hi = 0;
      if (ends == NULL || !_fwr_addr_parse_one (ends[0], &f_lo, &lo) ||
          !_fwr_addr_parse_one (ends[1] ? ends[1] : ends[0], &f_hi, &hi) ||
          f_lo != family || f_hi != family || lo > hi)
        {
          reader_fail (reader, key, "bad address interval");
          return FALSE;
        }
      _fwr_spans_add (spans, lo, hi);
    }
  return TRUE;
}

static FwrAddrSet *
read_addr_set (Reader *reader, json_t *match, const char *key)
{
  json_t *value = get (reader, match, key, is_object, TRUE, "an address set");
  if (value == NULL)
    return NULL;
  g_autoptr (FwrAddrSet) set = fwr_addr_set_new ();
  if (!read_spans (reader, get (reader, value, "v4", is_array, FALSE, "a list"),
                   FWR_FAMILY_IPV4, &set->v4, key) ||
      !read_spans (reader, get (reader, value, "v6", is_array, FALSE, "a list"),
                   FWR_FAMILY_IPV6, &set->v6, key))
    return NULL;
  return g_steal_pointer (&set);
}

static FwrRangeSet *
read_range_set (Reader *reader, json_t *match, const char *key)
{
  json_t *value = get (reader, match, key, is_array, TRUE, "a list of ranges");
  if (value == NULL)
    return NULL;
  g_autoptr (FwrRangeSet) set = fwr_range_set_new ();
  size_t i;
  json_t *item;
  json_array_foreach (value, i, item)
    {
      json_int_t lo = -1, hi = -1;
      if (json_unpack (item, "[II]", &lo, &hi) != 0 || lo < 0 || hi < lo || hi > G_MAXUINT32)
        {
          reader_fail (reader, key, "bad range");
          return NULL;
        }
      fwr_range_set_add_range (set, (guint32) lo, (guint32) hi);
    }
  return g_steal_pointer (&set);
}

static void
read_names (Reader *reader, json_t *match, const char *key, FwrNameMatch *names)
{
  json_t *value = get (reader, match, key, is_object, TRUE, "a name match");
  if (value == NULL)
    return;
  json_t *patterns = get (reader, value, "patterns", is_array, FALSE, "a list");
  if (patterns != NULL)
    names->patterns = read_strings (reader, patterns, key);
  names->negate = get_boolean (reader, value, "negate");
}

static void
read_match (Reader *reader, json_t *object, FwrMatch *match)
{
  if (json_object_get (object, "families") == NULL)
    reader_fail (reader, "families", "missing");
  match->families = (FwrFamilyMask) get_integer (reader, object, "families", 0, FWR_FAMILY_ANY);
  match->src = read_addr_set (reader, object, "src");
  match->dst = read_addr_set (reader, object, "dst");
  read_names (reader, object, "iif", &match->iif);
  read_names (reader, object, "oif", &match->oif);
  read_names (reader, object, "src_zones", &match->src_zones);
  read_names (reader, object, "dst_zones", &match->dst_zones);
  match->protos = read_range_set (reader, object, "protos");
  match->sports = read_range_set (reader, object, "sports");
  match->dports = read_range_set (reader, object, "dports");
  match->icmp = read_range_set (reader, object, "icmp");
  match->ct_states = (guint) get_integer (reader, object, "ct_states", 0, FWR_CT_ALL);
  json_t *opaque = get (reader, object, "opaque", is_array, TRUE, "a list");
  if (opaque != NULL)
    {
      g_auto (GStrv) texts = read_strings (reader, opaque, "opaque");
      for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
        _fwr_match_add_opaque (match, texts[i]);
    }
}

static void
read_verdict (Reader *reader, json_t *object, FwrVerdict *verdict)
{
  json_t *value = get (reader, object, "verdict", is_object, FALSE, "a verdict");
  if (value == NULL)
    return;
  verdict->action = (FwrAction) get_enum (reader, value, "action", action_name, FWR_ACTION_QUEUE + 1);
  g_free (verdict->target);
  verdict->target = g_strdup (get_string (reader, value, "target", TRUE));
}

static void
read_rule (Reader *reader, FwrChain *chain, json_t *object)
{
  const char *id = get_string (reader, object, "id", FALSE);
  json_t *terms = get (reader, object, "terms", is_array, FALSE, "a list of terms");
  if (reader->error != NULL || json_array_size (terms) == 0)
    {
      reader_fail (reader, "terms", "a rule needs at least one term");
      return;
    }
  FwrRule *rule = _fwr_chain_add_rule (chain, id);
  /* _fwr_chain_add_rule made one match-all term; the stored terms replace it. */
  rule->handle = (guint64) get_integer (reader, object, "handle", 0, G_MAXINT64);
  size_t i;
  json_t *term_json;
  json_array_foreach (terms, i, term_json)
    {
      FwrTerm *term = i == 0 ? &rule->terms[0] : _fwr_rule_add_term (rule);
      json_t *match = get (reader, term_json, "match", is_object, FALSE, "a match");
      if (match != NULL)
        read_match (reader, match, &term->match);
      read_verdict (reader, term_json, &term->verdict);
    }
  read_verdict (reader, object, &rule->verdict);
  rule->enabled = get_boolean (reader, object, "enabled");
  rule->log = get_boolean (reader, object, "log");
  json_t *counter = get (reader, object, "counter", is_object, TRUE, "a counter");
  if (counter != NULL)
    {
      rule->has_counter = TRUE;
      rule->packets = (guint64) get_integer (reader, counter, "packets", 0, G_MAXINT64);
      rule->bytes = (guint64) get_integer (reader, counter, "bytes", 0, G_MAXINT64);
    }
  rule->comment = g_strdup (get_string (reader, object, "comment", TRUE));
  rule->line = (guint) get_integer (reader, object, "line", 0, G_MAXUINT32);
  rule->column = (guint) get_integer (reader, object, "column", 0, G_MAXUINT32);
  json_t *refs = get (reader, object, "refs", is_array, TRUE, "a list");
  if (refs != NULL)
    rule->refs = read_strings (reader, refs, "refs");
}

static FwrChain *
read_chain (Reader *reader, FwrRuleset *ruleset, json_t *object)
{
  const char *id = get_string (reader, object, "id", FALSE);
  const char *name = get_string (reader, object, "name", FALSE);
  const char *table = get_string (reader, object, "table", TRUE);
  FwrTableFamily family = get_enum (reader, object, "family", family_name, FWR_TABLE_FAMILY_NETDEV + 1);
  if (reader->error != NULL)
    return NULL;
  FwrChain *chain = _fwr_ruleset_add_chain (ruleset, id, table, name, family);
  chain->type = get_enum (reader, object, "type", chain_type_name, G_N_ELEMENTS (chain_type_names));
  chain->hook = get_enum (reader, object, "hook", hook_name, FWR_HOOK_EGRESS + 1);
  chain->priority = (int) get_integer (reader, object, "priority", G_MININT, G_MAXINT);
  chain->policy = get_enum (reader, object, "policy", action_name, FWR_ACTION_QUEUE + 1);
  chain->comment = g_strdup (get_string (reader, object, "comment", TRUE));
  chain->section = g_strdup (get_string (reader, object, "section", TRUE));
  chain->line = (guint) get_integer (reader, object, "line", 0, G_MAXUINT32);
  return chain;
}

static void
read_object (Reader *reader, FwrRuleset *ruleset, json_t *json)
{
  const char *id = get_string (reader, json, "id", FALSE);
  const char *name = get_string (reader, json, "name", FALSE);
  const char *table = get_string (reader, json, "table", TRUE);
  FwrTableFamily family = get_enum (reader, json, "family", family_name, FWR_TABLE_FAMILY_NETDEV + 1);
  FwrObjectKind kind = get_enum (reader, json, "kind", kind_name, FWR_OBJECT_OTHER + 1);
  if (reader->error != NULL)
    return;
  FwrObject *object = _fwr_ruleset_add_object (ruleset, id, table, name, family, kind);
  object->line = (guint) get_integer (reader, json, "line", 0, G_MAXUINT32);
  object->n_refs = (guint) get_integer (reader, json, "n_refs", 0, G_MAXUINT32);
}

static FwrRuleset *
read_header (Reader *reader, json_t *header)
{
  if (g_strcmp0 (get_string (reader, header, "schema", FALSE), FWR_MODEL_SCHEMA) != 0)
    reader_fail (reader, "schema", "not " FWR_MODEL_SCHEMA);
  const char *format = get_string (reader, header, "format", TRUE);
  const char *file = get_string (reader, header, "file", TRUE);
  json_t *warnings = get (reader, header, "warnings", is_array, FALSE, "a list");
  g_auto (GStrv) texts = warnings ? read_strings (reader, warnings, "warnings") : NULL;
  if (reader->error != NULL)
    return NULL;
  FwrRuleset *ruleset = _fwr_ruleset_new (format, file);
  for (guint i = 0; texts[i] != NULL; i++)
    g_ptr_array_add (ruleset->warnings, g_strdup (texts[i]));
  return ruleset;
}

/* Where the entries stand: the chain rules go into, and counts that name the place of
 * damage as "chains[2].rules[5]". */
typedef struct {
  FwrChain *chain;
  guint n_objects;
  guint n_chains;
  guint n_rules;
} Place;

static void
read_entry (Reader *reader, FwrRuleset *ruleset, json_t *entry, Place *place)
{
  json_t *item;
  if (json_object_size (entry) != 1)
    reader_fail (reader, NULL, "expected one of object, chain, rule");
  else if ((item = json_object_get (entry, "object")) != NULL && json_is_object (item))
    {
      g_string_printf (reader->path, "objects[%u]", place->n_objects++);
      read_object (reader, ruleset, item);
    }
  else if ((item = json_object_get (entry, "chain")) != NULL && json_is_object (item))
    {
      g_string_printf (reader->path, "chains[%u]", place->n_chains++);
      place->chain = read_chain (reader, ruleset, item);
      place->n_rules = 0;
    }
  else if ((item = json_object_get (entry, "rule")) != NULL && json_is_object (item) &&
           place->chain != NULL)
    {
      g_string_printf (reader->path, "chains[%u].rules[%u]", place->n_chains - 1, place->n_rules++);
      read_rule (reader, place->chain, item);
    }
  else
    reader_fail (reader, NULL, "expected one of object, chain, rule (after its chain)");
}

FwrRuleset *
_fwr_ruleset_from_json (const char *name, const char *data, gsize length, GError **error)
{
  g_autoptr (GString) path = g_string_new ("model");
  Reader reader = { .name = name, .path = path };
  g_autoptr (FwrRuleset) ruleset = NULL;
  Place place = { 0 };
  gsize pos = 0;
  guint line = 1;

  while (reader.error == NULL)
    {
      while (pos < length && g_ascii_isspace (data[pos]))
        line += data[pos++] == '\n';
      if (pos >= length)
        break;
      json_error_t json_error;
      g_autoptr (json_t) value = json_loadb (data + pos, length - pos,
                                             JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &json_error);
      if (value == NULL || !json_is_object (value))
        {
          guint column = value ? 1 : (guint) json_error.column;
          _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, name,
                                 line + (value ? 0 : (guint) json_error.line - 1), column,
                                 "damaged model: %s", value ? "not a JSON object" : json_error.text);
          return NULL;
        }
      for (gsize end = pos + json_error.position; pos < end; pos++)
        line += data[pos] == '\n';
      if (ruleset == NULL)
        ruleset = read_header (&reader, value);
      else
        read_entry (&reader, ruleset, value, &place);
    }
  if (ruleset == NULL && reader.error == NULL)
    reader_fail (&reader, NULL, "empty");
  if (reader.error != NULL)
    {
      g_propagate_error (error, reader.error);
      return NULL;
    }
  return g_steal_pointer (&ruleset);
}
