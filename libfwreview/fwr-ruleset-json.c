/* fwr-ruleset-json.c: writes and reads the normalized model as JSON (schema fwreview.model/1).
 * Every field of FwrRuleset, FwrChain, FwrRule, FwrTerm and FwrObject round-trips exactly. */
#include <arpa/inet.h>

#include "fwr-ruleset-json-private.h"
#include "fwr-addrset-private.h"
#include "fwr-import-private.h"
#include "fwr-jansson-private.h"

static const char *chain_type_names[] = { "filter", "nat", "route" };

/* Writing */

static json_t *
spans_to_json (const FwrSpans *spans, FwrFamilyMask family)
{
  json_t *array = json_array ();
  for (guint i = 0; i < spans->n; i++)
    {
      guint8 bytes[16];
      char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN];
      int af = family == FWR_FAMILY_IPV4 ? AF_INET : AF_INET6;
      _fwr_addr_to_bytes (family, spans->spans[i].lo, bytes);
      inet_ntop (af, bytes, lo, sizeof lo);
      if (spans->spans[i].lo == spans->spans[i].hi)
        {
          json_array_append_new (array, json_string (lo));
          continue;
        }
      _fwr_addr_to_bytes (family, spans->spans[i].hi, bytes);
      inet_ntop (af, bytes, hi, sizeof hi);
      json_array_append_new (array, json_sprintf ("%s-%s", lo, hi));
    }
  return array;
}

static json_t *
addr_set_to_json (const FwrAddrSet *set)
{
  if (set == NULL)
    return json_null ();
  return json_pack ("{s:o, s:o}", "v4", spans_to_json (&set->v4, FWR_FAMILY_IPV4),
                    "v6", spans_to_json (&set->v6, FWR_FAMILY_IPV6));
}

static json_t *
range_set_to_json (const FwrRangeSet *set)
{
  if (set == NULL)
    return json_null ();
  json_t *array = json_array ();
  for (guint i = 0; i < set->spans.n; i++)
    json_array_append_new (array, json_pack ("[I, I]", (json_int_t) set->spans.spans[i].lo,
                                             (json_int_t) set->spans.spans[i].hi));
  return array;
}

static json_t *
strings_to_json (char **strings, guint n)
{
  json_t *array = json_array ();
  for (guint i = 0; i < n; i++)
    json_array_append_new (array, json_string (strings[i]));
  return array;
}

static json_t *
names_to_json (const FwrNameMatch *names)
{
  if (names->patterns == NULL)
    return json_null ();
  return json_pack ("{s:o, s:b}", "patterns",
                    strings_to_json (names->patterns, g_strv_length (names->patterns)),
                    "negate", names->negate);
}

static json_t *
match_to_json (const FwrMatch *match)
{
  json_t *opaque = match->opaque == NULL ? json_null ()
                   : strings_to_json ((char **) match->opaque->pdata, match->opaque->len);
  return json_pack ("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o}",
                    "families", (int) match->families,
                    "src", addr_set_to_json (match->src),
                    "dst", addr_set_to_json (match->dst),
                    "iif", names_to_json (&match->iif),
                    "oif", names_to_json (&match->oif),
                    "src_zones", names_to_json (&match->src_zones),
                    "dst_zones", names_to_json (&match->dst_zones),
                    "protos", range_set_to_json (match->protos),
                    "sports", range_set_to_json (match->sports),
                    "dports", range_set_to_json (match->dports),
                    "icmp", range_set_to_json (match->icmp),
                    "ct_states", (int) match->ct_states,
                    "opaque", opaque);
}

static json_t *
verdict_to_json (const FwrVerdict *verdict)
{
  return json_pack ("{s:s, s:s?}", "action", fwr_action_to_string (verdict->action),
                    "target", verdict->target);
}

static json_t *
rule_to_json (const FwrRule *rule)
{
  json_t *terms = json_array ();
  for (guint i = 0; i < rule->n_terms; i++)
    json_array_append_new (terms, json_pack ("{s:o, s:o}",
                                             "match", match_to_json (&rule->terms[i].match),
                                             "verdict", verdict_to_json (&rule->terms[i].verdict)));
  json_t *counter = rule->has_counter
                    ? json_pack ("{s:I, s:I}", "packets", (json_int_t) rule->packets,
                                 "bytes", (json_int_t) rule->bytes)
                    : json_null ();
  json_t *refs = rule->refs ? strings_to_json (rule->refs, g_strv_length (rule->refs)) : json_null ();
  return json_pack ("{s:s, s:I, s:o, s:o, s:b, s:b, s:o, s:s?, s:i, s:i, s:o}",
                    "id", rule->id,
                    "handle", (json_int_t) rule->handle,
                    "terms", terms,
                    "verdict", verdict_to_json (&rule->verdict),
                    "enabled", rule->enabled,
                    "log", rule->log,
                    "counter", counter,
                    "comment", rule->comment,
                    "line", (int) rule->line,
                    "column", (int) rule->column,
                    "refs", refs);
}

static json_t *
chain_to_json (const FwrChain *chain)
{
  json_t *rules = json_array ();
  for (guint i = 0; i < chain->rules->len; i++)
    json_array_append_new (rules, rule_to_json (g_ptr_array_index (chain->rules, i)));
  return json_pack ("{s:s, s:s, s:s?, s:s, s:s, s:s, s:i, s:s, s:s?, s:i, s:o}",
                    "id", chain->id,
                    "name", chain->name,
                    "table", chain->table,
                    "family", fwr_table_family_to_string (chain->family),
                    "type", chain_type_names[chain->type],
                    "hook", fwr_hook_to_string (chain->hook),
                    "priority", chain->priority,
                    "policy", fwr_action_to_string (chain->policy),
                    "comment", chain->comment,
                    "line", (int) chain->line,
                    "rules", rules);
}

static json_t *
object_to_json (const FwrObject *object)
{
  return json_pack ("{s:s, s:s, s:s?, s:s, s:s, s:i, s:i}",
                    "id", object->id,
                    "name", object->name,
                    "table", object->table,
                    "family", fwr_table_family_to_string (object->family),
                    "kind", fwr_object_kind_to_string (object->kind),
                    "line", (int) object->line,
                    "n_refs", (int) object->n_refs);
}

char *
_fwr_ruleset_to_json (const FwrRuleset *ruleset, gsize *length)
{
  json_t *chains = json_array ();
  for (guint i = 0; i < ruleset->chains->len; i++)
    json_array_append_new (chains, chain_to_json (g_ptr_array_index (ruleset->chains, i)));
  json_t *objects = json_array ();
  for (guint i = 0; i < ruleset->objects->len; i++)
    json_array_append_new (objects, object_to_json (g_ptr_array_index (ruleset->objects, i)));
  json_t *warnings = strings_to_json ((char **) ruleset->warnings->pdata, ruleset->warnings->len);

  g_autoptr (json_t) root = json_pack ("{s:s, s:s?, s:s?, s:o, s:o, s:o}",
                                       "schema", FWR_MODEL_SCHEMA,
                                       "format", ruleset->format,
                                       "file", ruleset->file,
                                       "chains", chains,
                                       "objects", objects,
                                       "warnings", warnings);
  char *text = json_dumps (root, JSON_COMPACT | JSON_SORT_KEYS);
  if (length != NULL)
    *length = strlen (text);
  /* jansson allocates with malloc; hand back GLib memory. */
  char *copy = g_strdup (text);
  free (text);
  return copy;
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

static json_t *
get (Reader *reader, json_t *object, const char *key, gboolean (*is_type) (const json_t *),
     gboolean nullable, const char *type_name)
{
  json_t *value = json_object_get (object, key);
  if (value == NULL || (json_is_null (value) ? !nullable : !is_type (value)))
    {
      g_autofree char *what = g_strdup_printf ("expected %s%s", type_name,
                                               nullable ? " or null" : "");
      reader_fail (reader, key, what);
      return NULL;
    }
  return json_is_null (value) ? NULL : value;
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

static gint64
get_integer (Reader *reader, json_t *object, const char *key, gint64 min, gint64 max)
{
  json_t *value = get (reader, object, key, is_integer, FALSE, "an integer");
  if (value == NULL)
    return min;
  gint64 n = json_integer_value (value);
  if (n < min || n > max)
    {
      reader_fail (reader, key, "integer out of range");
      return min;
    }
  return n;
}

static gboolean
get_boolean (Reader *reader, json_t *object, const char *key)
{
  json_t *value = get (reader, object, key, is_boolean, FALSE, "true or false");
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
  match->families = (FwrFamilyMask) get_integer (reader, object, "families", 1, FWR_FAMILY_ANY);
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

static void
read_chain (Reader *reader, FwrRuleset *ruleset, json_t *object)
{
  const char *id = get_string (reader, object, "id", FALSE);
  const char *name = get_string (reader, object, "name", FALSE);
  const char *table = get_string (reader, object, "table", TRUE);
  FwrTableFamily family = get_enum (reader, object, "family", family_name, FWR_TABLE_FAMILY_NETDEV + 1);
  json_t *rules = get (reader, object, "rules", is_array, FALSE, "a list of rules");
  if (reader->error != NULL)
    return;
  FwrChain *chain = _fwr_ruleset_add_chain (ruleset, id, table, name, family);
  chain->type = get_enum (reader, object, "type", chain_type_name, G_N_ELEMENTS (chain_type_names));
  chain->hook = get_enum (reader, object, "hook", hook_name, FWR_HOOK_EGRESS + 1);
  chain->priority = (int) get_integer (reader, object, "priority", G_MININT, G_MAXINT);
  chain->policy = get_enum (reader, object, "policy", action_name, FWR_ACTION_QUEUE + 1);
  chain->comment = g_strdup (get_string (reader, object, "comment", TRUE));
  chain->line = (guint) get_integer (reader, object, "line", 0, G_MAXUINT32);

  gsize path_len = reader->path->len;
  size_t i;
  json_t *rule;
  json_array_foreach (rules, i, rule)
    {
      g_string_append_printf (reader->path, ".rules[%zu]", i);
      read_rule (reader, chain, rule);
      g_string_truncate (reader->path, path_len);
      if (reader->error != NULL)
        return;
    }
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

/* Reads each element of root[key] with read(); the path names the failing element. */
static void
read_list (Reader *reader, FwrRuleset *ruleset, json_t *root, const char *key,
           void (*read) (Reader *, FwrRuleset *, json_t *))
{
  json_t *list = get (reader, root, key, is_array, FALSE, "a list");
  size_t i;
  json_t *item;
  if (list == NULL)
    return;
  json_array_foreach (list, i, item)
    {
      g_string_printf (reader->path, "%s[%zu]", key, i);
      read (reader, ruleset, item);
      if (reader->error != NULL)
        return;
    }
  g_string_assign (reader->path, "model");
}

FwrRuleset *
_fwr_ruleset_from_json (const char *name, const char *data, gsize length, GError **error)
{
  json_error_t json_error;
  g_autoptr (json_t) root = json_loadb (data, length, JSON_REJECT_DUPLICATES, &json_error);
  if (root == NULL || !json_is_object (root))
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, name, root ? 1 : (guint) json_error.line,
                             root ? 1 : (guint) json_error.column, "damaged model: %s",
                             root ? "not a JSON object" : json_error.text);
      return NULL;
    }

  g_autoptr (GString) path = g_string_new ("model");
  Reader reader = { .name = name, .path = path };
  if (g_strcmp0 (get_string (&reader, root, "schema", FALSE), FWR_MODEL_SCHEMA) != 0)
    reader_fail (&reader, "schema", "not " FWR_MODEL_SCHEMA);
  const char *format = get_string (&reader, root, "format", TRUE);
  const char *file = get_string (&reader, root, "file", TRUE);
  g_autoptr (FwrRuleset) ruleset = _fwr_ruleset_new (format, file);

  /* Objects first: rules refer to them. */
  read_list (&reader, ruleset, root, "objects", read_object);
  read_list (&reader, ruleset, root, "chains", read_chain);
  json_t *warnings = get (&reader, root, "warnings", is_array, FALSE, "a list");
  if (reader.error == NULL)
    {
      g_auto (GStrv) texts = read_strings (&reader, warnings, "warnings");
      for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
        g_ptr_array_add (ruleset->warnings, g_strdup (texts[i]));
    }
  if (reader.error != NULL)
    {
      g_propagate_error (error, reader.error);
      return NULL;
    }
  return g_steal_pointer (&ruleset);
}
