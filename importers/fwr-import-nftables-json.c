/* fwr-import-nftables-json.c: reads what "nft -j list ruleset" prints into the model. The
 * "nftables" array is decoded one element at a time, so only one element's JSON is in memory. */
#include "fwr-nft-private.h"

typedef struct {
  gboolean declared;
  gboolean dormant;
} NftTable;

typedef struct {
  FwrChain *chain;            /* (not owned) */
  gboolean declared;
  guint line;                 /* where a rule first named it */
  guint column;
} NftChain;

/* A rule that uses a set not read yet; its FwrRule already holds its place in the chain. */
typedef struct {
  FwrRule *rule;              /* (not owned) */
  json_t *statements;         /* (owned) */
  FwrTableFamily family;
  char *family_name;
  char *table;
} NftPending;

typedef struct {
  const char *file;
  const char *data;
  gsize length;
  FwrRuleset *ruleset;
  FwrNftContext ctx;
  GHashTable *tables;         /* "family/name" → NftTable (owned) */
  GHashTable *chains;         /* chain id → NftChain (owned) */
  GPtrArray *pending;         /* (element-type NftPending) */
  gboolean positional_ids;
  /* Line counting is incremental: elements come in file order. */
  gsize loc_offset;
  guint loc_line;
  guint loc_column;
  guint line;                 /* of the element being read */
  guint column;
} Reader;

/* The context shared with fwr-nft-rule.c */

static void
set_free (FwrNftSet *set)
{
  if (set->elem)
    json_decref (set->elem);
  g_free (set->map_type);
  for (guint i = 0; i < FWR_NFT_N_DOMAINS; i++)
    _fwr_nft_value_free (set->cache[i]);
  g_free (set);
}

static void
counter_free (FwrNftCounter *counter)
{
  g_ptr_array_unref (counter->rules);
  g_free (counter);
}

static void
opaque_use_free (FwrNftOpaqueUse *use)
{
  g_free (use->kind);
  g_free (use->first_rule);
  g_free (use);
}

void
_fwr_nft_context_init (FwrNftContext *ctx, FwrRuleset *ruleset)
{
  ctx->ruleset = ruleset;
  ctx->sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) set_free);
  ctx->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx->counters = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) counter_free);
  ctx->opaque_by_kind = g_hash_table_new (g_str_hash, g_str_equal);
  ctx->opaque_uses = g_ptr_array_new_with_free_func ((GDestroyNotify) opaque_use_free);
  ctx->scratch = g_string_new (NULL);
}

void
_fwr_nft_context_clear (FwrNftContext *ctx)
{
  g_hash_table_unref (ctx->sets);
  g_hash_table_unref (ctx->objects);
  g_hash_table_unref (ctx->counters);
  g_hash_table_unref (ctx->opaque_by_kind);
  g_ptr_array_unref (ctx->opaque_uses);
  g_string_free (ctx->scratch, TRUE);
}

FwrNftSet *
_fwr_nft_context_lookup_set (FwrNftContext *ctx, const char *family, const char *table, const char *name)
{
  g_string_printf (ctx->scratch, "%s/%s/%s", family, table, name);
  return g_hash_table_lookup (ctx->sets, ctx->scratch->str);
}

FwrObject *
_fwr_nft_context_lookup_object (FwrNftContext *ctx, const char *kind, const char *family,
                                const char *table, const char *name)
{
  g_string_printf (ctx->scratch, "%s %s/%s/%s", kind, family, table, name);
  return g_hash_table_lookup (ctx->objects, ctx->scratch->str);
}

FwrNftCounter *
_fwr_nft_context_get_counter (FwrNftContext *ctx, FwrObject *object)
{
  FwrNftCounter *counter = g_hash_table_lookup (ctx->counters, object);
  if (counter == NULL)
    {
      counter = g_new0 (FwrNftCounter, 1);
      counter->rules = g_ptr_array_new ();
      g_hash_table_insert (ctx->counters, object, counter);
    }
  return counter;
}

/* Positions and errors */

static void
locate (Reader *r, gsize offset, guint *line, guint *column)
{
  offset = MIN (offset, r->length);
  if (offset < r->loc_offset)
    {
      r->loc_offset = 0;
      r->loc_line = 1;
      r->loc_column = 1;
    }
  const guchar *p = (const guchar *) r->data + r->loc_offset;
  const guchar *end = (const guchar *) r->data + offset;
  guint l = r->loc_line, c = r->loc_column;
  for (; p < end; p++)
    {
      if (*p == '\n')
        l++, c = 1;
      else if ((*p & 0xc0) != 0x80) /* columns count characters, as jansson's do */
        c++;
    }
  r->loc_offset = offset;
  r->loc_line = l;
  r->loc_column = c;
  *line = l;
  *column = c;
}

static gboolean
error_at (Reader *r, GError **error, gsize offset, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
error_at (Reader *r, GError **error, gsize offset, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  guint line, column;
  locate (r, offset, &line, &column);
  _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, r->file, line, column, "%s", text);
  return FALSE;
}

/* An error in the element being read, reported where the element starts. */
static gboolean
error_here (Reader *r, GError **error, FwrImportErrorCode code, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
error_here (Reader *r, GError **error, FwrImportErrorCode code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  _fwr_import_set_error (error, code, r->file, r->line, r->column, "%s", text);
  return FALSE;
}

/* Members */

static gboolean
get_string (Reader *r, json_t *object, const char *what, const char *member, gboolean required,
            const char **out, GError **error)
{
  json_t *value = json_object_get (object, member);
  *out = NULL;
  if (value == NULL && !required)
    return TRUE;
  if (value == NULL)
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "%s: “%s” is missing", what, member);
  if (!json_is_string (value))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "%s: “%s” must be a string, not %s",
                       what, member, _fwr_nft_json_type_name (value));
  *out = json_string_value (value);
  return TRUE;
}

static gboolean
get_uint (Reader *r, json_t *object, const char *what, const char *member, guint64 max,
          guint64 *out, GError **error)
{
  json_t *value = json_object_get (object, member);
  *out = 0;
  if (value == NULL)
    return TRUE;
  if (!json_is_integer (value))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "%s: “%s” must be an integer, not %s",
                       what, member, _fwr_nft_json_type_name (value));
  json_int_t n = json_integer_value (value);
  if (n < 0 || (guint64) n > max)
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                       "%s: “%s” %" JSON_INTEGER_FORMAT " is out of range (0-%" G_GUINT64_FORMAT ")",
                       what, member, n, max);
  *out = (guint64) n;
  return TRUE;
}

/* "flags" is a string or an array of strings. */
static gboolean
has_flag (json_t *flags, const char *flag)
{
  if (json_is_string (flags))
    return g_str_equal (json_string_value (flags), flag);
  size_t i;
  json_t *item;
  json_array_foreach (flags, i, item)
    if (json_is_string (item) && g_str_equal (json_string_value (item), flag))
      return TRUE;
  return FALSE;
}

static gboolean
parse_family (const char *text, FwrTableFamily *family)
{
  static const char *names[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *family = (FwrTableFamily) i;
        return TRUE;
      }
  return FALSE;
}

/* family, table and name (or chain), which every element but metainfo carries. */
static gboolean
get_place (Reader *r, json_t *object, const char *what, const char *name_member,
           FwrTableFamily *family, const char **family_name, const char **table,
           const char **name, GError **error)
{
  if (!json_is_object (object))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "“%s” must be an object, not %s",
                       what, _fwr_nft_json_type_name (object));
  if (!get_string (r, object, what, "family", TRUE, family_name, error) ||
      !get_string (r, object, what, name_member == NULL ? "name" : "table", TRUE,
                   name_member == NULL ? name : table, error) ||
      (name_member != NULL && !get_string (r, object, what, name_member, TRUE, name, error)))
    return FALSE;
  if (!parse_family (*family_name, family))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                       "%s: unknown family “%s” (expected ip, ip6, inet, arp, bridge or netdev)",
                       what, *family_name);
  return TRUE;
}

static NftTable *
ensure_table (Reader *r, const char *family_name, const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", family_name, name);
  NftTable *table = g_hash_table_lookup (r->tables, key);
  if (table == NULL)
    {
      table = g_new0 (NftTable, 1);
      g_hash_table_insert (r->tables, g_steal_pointer (&key), table);
    }
  return table;
}

static NftChain *
ensure_chain (Reader *r, FwrTableFamily family, const char *family_name, const char *table,
              const char *name)
{
  g_autofree char *id = g_strdup_printf ("%s/%s/%s", family_name, table, name);
  NftChain *chain = g_hash_table_lookup (r->chains, id);
  if (chain == NULL)
    {
      ensure_table (r, family_name, table);
      chain = g_new0 (NftChain, 1);
      chain->chain = _fwr_ruleset_add_chain (r->ruleset, id, table, name, family);
      chain->line = r->line;
      chain->column = r->column;
      g_hash_table_insert (r->chains, g_steal_pointer (&id), chain);
    }
  return chain;
}

/* Tables and chains */

static gboolean
read_metainfo (Reader *r, json_t *value, GError **error)
{
  if (!json_is_object (value))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "“metainfo” must be an object, not %s",
                       _fwr_nft_json_type_name (value));
  guint64 version;
  if (!get_uint (r, value, "metainfo", "json_schema_version", G_MAXUINT32, &version, error))
    return FALSE;
  if (version > 1)
    _fwr_ruleset_add_warning (r->ruleset, r->line, r->column,
                              "JSON schema version %" G_GUINT64_FORMAT " is newer than the version 1 "
                              "fwreview knows: elements it does not know are reported", version);
  return TRUE;
}

static gboolean
read_table (Reader *r, json_t *value, GError **error)
{
  FwrTableFamily family;
  const char *family_name, *name, *unused = NULL;
  guint64 handle;
  if (!get_place (r, value, "table", NULL, &family, &family_name, &unused, &name, error) ||
      !get_uint (r, value, "table", "handle", G_MAXUINT64, &handle, error))
    return FALSE;
  NftTable *table = ensure_table (r, family_name, name);
  if (table->declared)
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "table %s/%s is declared twice", family_name, name);
  table->declared = TRUE;
  table->dormant = has_flag (json_object_get (value, "flags"), "dormant");
  if (family == FWR_TABLE_FAMILY_ARP)
    _fwr_ruleset_add_warning (r->ruleset, r->line, r->column,
                              "table arp/%s filters ARP packets: its rules say nothing about IP traffic", name);
  return TRUE;
}

static gboolean
parse_hook (const char *text, FwrHook *hook)
{
  static const char *names[] = { "prerouting", "input", "forward", "output", "postrouting",
                                 "ingress", "egress" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *hook = (FwrHook) (i + 1);
        return TRUE;
      }
  return FALSE;
}

/* Named priorities as nft defines them (nft(8), "CHAINS"): their values differ in bridge. */
static gboolean
parse_priority (const char *text, FwrTableFamily family, int *out)
{
  static const struct { const char *name; int value; int bridge; } names[] = {
    { "raw", -300, G_MININT }, { "mangle", -150, G_MININT }, { "dstnat", -100, -300 },
    { "filter", 0, -200 }, { "security", 50, G_MININT }, { "srcnat", 100, 300 },
    { "out", G_MININT, 100 },
  };
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_auto (GStrv) words = g_strsplit (trimmed, " ", -1);
  g_autofree char *copy = g_strjoinv ("", words);
  char *end = NULL;
  gint64 base = g_ascii_strtoll (copy, &end, 10);
  if (end != copy && *end == '\0' && base >= G_MININT && base <= G_MAXINT)
    {
      *out = (int) base;
      return TRUE;
    }

  gsize len = strcspn (copy, "+-");
  gboolean found = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i].name) == len && strncmp (copy, names[i].name, len) == 0)
      {
        base = family == FWR_TABLE_FAMILY_BRIDGE ? names[i].bridge : names[i].value;
        found = base != G_MININT;
      }
  if (!found)
    return FALSE;
  gint64 offset = 0;
  if (copy[len] != '\0')
    {
      offset = g_ascii_strtoll (copy + len + 1, &end, 10);
      if (end == copy + len + 1 || *end != '\0' || offset > G_MAXINT / 2)
        return FALSE;
      if (copy[len] == '-')
        offset = -offset;
    }
  *out = (int) (base + offset);
  return TRUE;
}

static gboolean
read_chain_hook (Reader *r, json_t *value, FwrChain *chain, GError **error)
{
  const char *type, *hook, *policy;
  g_autofree char *what = g_strdup_printf ("chain %s", chain->id);
  if (!get_string (r, value, what, "type", FALSE, &type, error) ||
      !get_string (r, value, what, "hook", FALSE, &hook, error) ||
      !get_string (r, value, what, "policy", FALSE, &policy, error))
    return FALSE;
  if (hook == NULL)
    {
      if (type != NULL || policy != NULL)
        return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                           "chain %s has a “type” or “policy” but no “hook”", chain->id);
      return TRUE;
    }
  if (!parse_hook (hook, &chain->hook))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "chain %s: unknown hook “%s”", chain->id, hook);

  if (type == NULL || g_str_equal (type, "filter"))
    chain->type = FWR_CHAIN_TYPE_FILTER;
  else if (g_str_equal (type, "nat"))
    chain->type = FWR_CHAIN_TYPE_NAT;
  else if (g_str_equal (type, "route"))
    chain->type = FWR_CHAIN_TYPE_ROUTE;
  else
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "chain %s: unknown type “%s”", chain->id, type);

  /* A base chain without a policy accepts, as nft's default is. */
  if (policy == NULL || g_str_equal (policy, "accept"))
    chain->policy = FWR_ACTION_ACCEPT;
  else if (g_str_equal (policy, "drop"))
    chain->policy = FWR_ACTION_DROP;
  else
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "chain %s: unknown policy “%s”", chain->id, policy);

  json_t *prio = json_object_get (value, "prio");
  if (json_is_integer (prio))
    {
      json_int_t n = json_integer_value (prio);
      if (n < G_MININT || n > G_MAXINT)
        return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                           "chain %s: priority %" JSON_INTEGER_FORMAT " is out of range", chain->id, n);
      chain->priority = (int) n;
    }
  else if (json_is_string (prio))
    {
      if (!parse_priority (json_string_value (prio), chain->family, &chain->priority))
        return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "chain %s: unknown priority “%s”",
                           chain->id, json_string_value (prio));
    }
  else if (prio != NULL)
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                       "chain %s: “prio” must be an integer or a name, not %s",
                       chain->id, _fwr_nft_json_type_name (prio));
  return TRUE;
}

static gboolean
read_chain (Reader *r, json_t *value, GError **error)
{
  FwrTableFamily family;
  const char *family_name, *table, *name, *comment;
  guint64 handle;
  if (!get_place (r, value, "chain", "name", &family, &family_name, &table, &name, error) ||
      !get_uint (r, value, "chain", "handle", G_MAXUINT64, &handle, error) ||
      !get_string (r, value, "chain", "comment", FALSE, &comment, error))
    return FALSE;

  NftChain *chain = ensure_chain (r, family, family_name, table, name);
  if (chain->declared)
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "chain %s is declared twice", chain->chain->id);
  chain->declared = TRUE;
  chain->chain->line = r->line;
  chain->chain->comment = g_strdup (comment);
  return read_chain_hook (r, value, chain->chain, error);
}

/* Sets, maps and named objects */

static gboolean
add_object (Reader *r, const char *kind, const char *family_name, const char *table, const char *name,
            FwrTableFamily family, FwrObjectKind object_kind, FwrObject **out, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%s %s/%s/%s", kind, family_name, table, name);
  if (g_hash_table_contains (r->ctx.objects, key))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "%s %s/%s/%s is declared twice",
                       kind, family_name, table, name);
  g_autofree char *id = g_strdup_printf ("%s/%s/%s", family_name, table, name);
  FwrObject *object = _fwr_ruleset_add_object (r->ruleset, id, table, name, family, object_kind);
  object->line = r->line;
  g_hash_table_insert (r->ctx.objects, g_steal_pointer (&key), object);
  *out = object;
  return TRUE;
}

static gboolean
read_set (Reader *r, json_t *value, gboolean is_map, GError **error)
{
  const char *what = is_map ? "map" : "set";
  FwrTableFamily family;
  const char *family_name, *table, *name, *map_type = NULL;
  if (!get_place (r, value, what, "name", &family, &family_name, &table, &name, error))
    return FALSE;
  json_t *map = json_object_get (value, "map");
  if (is_map && !json_is_string (map) && !json_is_array (map))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "map %s/%s/%s: “map” must be a type name or a list of them, not %s",
                       family_name, table, name, _fwr_nft_json_type_name (map));
  if (is_map)
    map_type = json_is_string (map) ? json_string_value (map) : "concat";

  json_t *flags = json_object_get (value, "flags");
  if (flags != NULL && !json_is_string (flags) && !json_is_array (flags))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "%s %s/%s/%s: “flags” must be a string or an array, not %s",
                       what, family_name, table, name, _fwr_nft_json_type_name (flags));

  FwrObjectKind kind = !is_map ? FWR_OBJECT_SET
                       : g_str_equal (map_type, "verdict") ? FWR_OBJECT_VERDICT_MAP : FWR_OBJECT_MAP;
  FwrObject *object;
  /* Sets and maps share one name space; both are found as "set". */
  if (!add_object (r, "set", family_name, table, name, family, kind, &object, error))
    return FALSE;

  FwrNftSet *set = g_new0 (FwrNftSet, 1);
  set->object = object;
  set->map_type = g_strdup (map_type);
  set->runtime = has_flag (flags, "dynamic") || has_flag (flags, "timeout") ||
                 json_object_get (value, "timeout") != NULL;
  json_t *elem = json_object_get (value, "elem");
  set->elem = elem ? json_incref (elem) : NULL;
  g_hash_table_insert (r->ctx.sets, g_strdup_printf ("%s/%s/%s", family_name, table, name), set);
  return TRUE;
}

static gboolean
read_object (Reader *r, const char *kind, FwrObjectKind object_kind, json_t *value, GError **error)
{
  FwrTableFamily family;
  const char *family_name, *table, *name;
  FwrObject *object;
  if (!get_place (r, value, kind, "name", &family, &family_name, &table, &name, error) ||
      !add_object (r, kind, family_name, table, name, family, object_kind, &object, error))
    return FALSE;
  if (object_kind == FWR_OBJECT_COUNTER)
    {
      FwrNftCounter *counter = _fwr_nft_context_get_counter (&r->ctx, object);
      g_autofree char *what = g_strdup_printf ("counter %s", object->id);
      if (!get_uint (r, value, what, "packets", G_MAXINT64, &counter->packets, error) ||
          !get_uint (r, value, what, "bytes", G_MAXINT64, &counter->bytes, error))
        return FALSE;
    }
  return TRUE;
}

/* Rules */

static gboolean
build_rule (Reader *r, FwrRule *rule, json_t *statements, FwrTableFamily family,
            const char *family_name, const char *table, gboolean last_try, GError **error)
{
  g_autoptr (FwrNftRule) build = _fwr_nft_rule_new (&r->ctx, family, family_name, table);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *missing = NULL;

  switch (_fwr_nft_rule_read (build, statements, &missing, &local_error))
    {
    case FWR_NFT_DONE:
      _fwr_nft_rule_commit (build, rule);
      return TRUE;
    case FWR_NFT_FAILED:
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, r->file, rule->line, rule->column,
                             "rule %s: %s", rule->id, local_error->message);
      return FALSE;
    case FWR_NFT_DEFER:
    default:
      if (last_try)
        {
          _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, r->file, rule->line, rule->column,
                                 "rule %s uses %s, which table %s/%s does not define",
                                 rule->id, missing, family_name, table);
          return FALSE;
        }
      NftPending *pending = g_new0 (NftPending, 1);
      pending->rule = rule;
      pending->statements = json_incref (statements);
      pending->family = family;
      pending->family_name = g_strdup (family_name);
      pending->table = g_strdup (table);
      g_ptr_array_add (r->pending, pending);
      return TRUE;
    }
}

static void
pending_free (NftPending *pending)
{
  json_decref (pending->statements);
  g_free (pending->family_name);
  g_free (pending->table);
  g_free (pending);
}

static gboolean
read_rule (Reader *r, json_t *value, GError **error)
{
  FwrTableFamily family;
  const char *family_name, *table, *chain_name, *comment;
  guint64 handle;
  if (!get_place (r, value, "rule", "chain", &family, &family_name, &table, &chain_name, error) ||
      !get_uint (r, value, "rule", "handle", G_MAXINT64, &handle, error) ||
      !get_string (r, value, "rule", "comment", FALSE, &comment, error))
    return FALSE;
  json_t *statements = json_object_get (value, "expr");
  if (statements == NULL)
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "rule: “expr” is missing");

  FwrChain *chain = ensure_chain (r, family, family_name, table, chain_name)->chain;
  g_autofree char *id = NULL;
  /* The kernel numbers handles from 1; 0 is what normalized dumps carry. Such rules are
   * named by their place in the chain instead. */
  if (handle > 0)
    {
      id = g_strdup_printf ("%s/%" G_GUINT64_FORMAT, chain->id, handle);
      if (fwr_ruleset_lookup_rule (r->ruleset, id) != NULL)
        return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                           "rule handle %" G_GUINT64_FORMAT " appears twice in chain %s", handle, chain->id);
    }
  else
    {
      id = g_strdup_printf ("%s/#%u", chain->id, chain->rules->len + 1);
      r->positional_ids = TRUE;
    }

  FwrRule *rule = _fwr_chain_add_rule (chain, id);
  rule->handle = handle;
  rule->line = r->line;
  rule->column = r->column;
  rule->comment = g_strdup (comment);
  return build_rule (r, rule, statements, family, family_name, table, FALSE, error);
}

/* Elements */

static const struct {
  const char *name;
  FwrObjectKind kind;
} object_kinds[] = {
  { "counter", FWR_OBJECT_COUNTER }, { "quota", FWR_OBJECT_QUOTA }, { "limit", FWR_OBJECT_LIMIT },
  { "ct helper", FWR_OBJECT_CT_HELPER }, { "ct timeout", FWR_OBJECT_OTHER },
  { "ct expectation", FWR_OBJECT_OTHER }, { "flowtable", FWR_OBJECT_OTHER },
  { "secmark", FWR_OBJECT_OTHER }, { "synproxy", FWR_OBJECT_OTHER }, { "tunnel", FWR_OBJECT_OTHER },
};

static const char *commands[] = { "add", "create", "insert", "replace", "delete", "destroy",
                                  "list", "reset", "flush", "rename" };

static gboolean
read_element (Reader *r, json_t *element, GError **error)
{
  if (!json_is_object (element))
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                       "an element of “nftables” must be an object such as {\"rule\": {...}}, not %s",
                       _fwr_nft_json_type_name (element));
  if (json_object_size (element) != 1)
    return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED,
                       "an element of “nftables” must have exactly one key, this one has %zu",
                       json_object_size (element));
  void *iter = json_object_iter (element);
  const char *key = json_object_iter_key (iter);
  json_t *value = json_object_iter_value (iter);

  if (g_str_equal (key, "rule"))
    return read_rule (r, value, error);
  if (g_str_equal (key, "chain"))
    return read_chain (r, value, error);
  if (g_str_equal (key, "set") || g_str_equal (key, "map"))
    return read_set (r, value, g_str_equal (key, "map"), error);
  if (g_str_equal (key, "table"))
    return read_table (r, value, error);
  if (g_str_equal (key, "metainfo"))
    return read_metainfo (r, value, error);
  for (guint i = 0; i < G_N_ELEMENTS (object_kinds); i++)
    if (g_str_equal (key, object_kinds[i].name))
      return read_object (r, key, object_kinds[i].kind, value, error);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (key, commands[i]))
      return error_here (r, error, FWR_IMPORT_ERROR_UNSUPPORTED,
                         "“%s” is an nft command: this is nft input, not a ruleset listing "
                         "(import what “nft -j list ruleset” prints)", key);
  if (g_str_equal (key, "element"))
    return error_here (r, error, FWR_IMPORT_ERROR_UNSUPPORTED,
                       "“element” entries add to a set after the fact: this is nft input, not a ruleset "
                       "listing (import what “nft -j list ruleset” prints)");
  return error_here (r, error, FWR_IMPORT_ERROR_MALFORMED, "unknown entry “%s” in the “nftables” array", key);
}

/* The document */

static gsize
skip_space (Reader *r, gsize pos)
{
  while (pos < r->length && (r->data[pos] == ' ' || r->data[pos] == '\t' ||
                             r->data[pos] == '\n' || r->data[pos] == '\r'))
    pos++;
  return pos;
}

/* Decodes the JSON value at *pos, moving *pos past it. */
static json_t *
decode_at (Reader *r, gsize *pos, GError **error)
{
  json_error_t json_error;
  guint line, column;
  locate (r, *pos, &line, &column);
  json_t *value = json_loadb (r->data + *pos, r->length - *pos,
                              JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
                              &json_error);
  if (value == NULL)
    {
      /* jansson counts from where it started: the first line continues ours. */
      if (json_error.line > 1)
        line += json_error.line - 1, column = json_error.column;
      else
        column += MAX (json_error.column, 1) - 1;
      gboolean at_end = *pos + MAX (json_error.position, 0) >= r->length;
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, r->file, line, column,
                             "%s%s", at_end ? "the file ends too early (truncated?): " : "JSON syntax error: ",
                             json_error.text);
      return NULL;
    }
  r->line = line;
  r->column = column;
  *pos += json_error.position;
  return value;
}

static gboolean
read_array (Reader *r, gsize *pos, GError **error)
{
  if (*pos >= r->length || r->data[*pos] != '[')
    return error_at (r, error, *pos, "“nftables” must be an array");
  *pos = skip_space (r, *pos + 1);
  if (*pos < r->length && r->data[*pos] == ']')
    {
      (*pos)++;
      return TRUE;
    }
  for (;;)
    {
      if (*pos >= r->length)
        return error_at (r, error, *pos, "the file ends inside the “nftables” array (truncated?)");
      g_autoptr (json_t) element = decode_at (r, pos, error);
      if (element == NULL || !read_element (r, element, error))
        return FALSE;
      *pos = skip_space (r, *pos);
      if (*pos >= r->length)
        return error_at (r, error, *pos, "the file ends inside the “nftables” array (truncated?)");
      if (r->data[*pos] == ']')
        {
          (*pos)++;
          return TRUE;
        }
      if (r->data[*pos] != ',')
        return error_at (r, error, *pos, "expected “,” or “]” after an element of “nftables”");
      *pos = skip_space (r, *pos + 1);
    }
}

static gboolean
read_document (Reader *r, GError **error)
{
  gsize pos = r->length >= 3 && memcmp (r->data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  pos = skip_space (r, pos);
  if (pos >= r->length)
    return error_at (r, error, pos, "the file holds no JSON (it is empty or only white space)");
  if (r->data[pos] != '{')
    return error_at (r, error, pos, "expected a JSON object {\"nftables\": [...]}, as “nft -j list ruleset” prints");
  pos = skip_space (r, pos + 1);
  if (pos < r->length && r->data[pos] == '}')
    return error_at (r, error, pos, "the JSON object is empty: there is no “nftables” array");

  gboolean seen = FALSE;
  for (;;)
    {
      if (pos >= r->length)
        return error_at (r, error, pos, "the file ends inside the top-level object (truncated?)");
      gsize member_start = pos;
      g_autoptr (json_t) name = decode_at (r, &pos, error);
      if (name == NULL)
        return FALSE;
      if (!json_is_string (name))
        return error_at (r, error, member_start, "expected a member name in the top-level object");
      pos = skip_space (r, pos);
      if (pos >= r->length || r->data[pos] != ':')
        return error_at (r, error, pos, "expected “:” after “%s”", json_string_value (name));
      if (!g_str_equal (json_string_value (name), "nftables"))
        return error_at (r, error, member_start, "unknown top-level entry “%s” (only “nftables” is expected)",
                         json_string_value (name));
      if (seen)
        return error_at (r, error, member_start, "“nftables” appears twice");
      seen = TRUE;
      pos = skip_space (r, pos + 1);
      if (!read_array (r, &pos, error))
        return FALSE;
      pos = skip_space (r, pos);
      if (pos >= r->length)
        return error_at (r, error, pos, "the file ends inside the top-level object (truncated?)");
      if (r->data[pos] == '}')
        break;
      if (r->data[pos] != ',')
        return error_at (r, error, pos, "expected “,” or “}” in the top-level object");
      pos = skip_space (r, pos + 1);
    }
  pos = skip_space (r, pos + 1);
  if (pos < r->length)
    return error_at (r, error, pos, "unexpected text after the end of the JSON object");
  return TRUE;
}

/* After the last element */

static gboolean
finish_pending (Reader *r, GError **error)
{
  for (guint i = 0; i < r->pending->len; i++)
    {
      NftPending *pending = g_ptr_array_index (r->pending, i);
      if (!build_rule (r, pending->rule, pending->statements, pending->family,
                       pending->family_name, pending->table, TRUE, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_chains (Reader *r, GError **error)
{
  for (guint i = 0; i < r->ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (r->ruleset->chains, i);
      NftChain *info = g_hash_table_lookup (r->chains, chain->id);
      if (!info->declared)
        {
          _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, r->file, info->line, info->column,
                                 "rules are added to chain %s, which the file never declares", chain->id);
          return FALSE;
        }
      g_autofree char *table_key = g_strdup_printf ("%s/%s", fwr_table_family_to_string (chain->family), chain->table);
      NftTable *table = g_hash_table_lookup (r->tables, table_key);
      for (guint j = 0; j < chain->rules->len; j++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, j);
          if (table != NULL && table->dormant)
            rule->enabled = FALSE;
          for (guint t = 0; t < rule->n_terms; t++)
            {
              const char *target = rule->terms[t].verdict.target;
              if (target == NULL)
                continue;
              g_autofree char *target_id = g_strdup_printf ("%s/%s/%s", fwr_table_family_to_string (chain->family),
                                                            chain->table, target);
              if (!g_hash_table_contains (r->chains, target_id))
                _fwr_ruleset_add_warning (r->ruleset, rule->line, rule->column,
                                          "rule %s jumps to chain %s, which the file does not declare",
                                          rule->id, target_id);
            }
        }
    }
  return TRUE;
}

/* A named counter's values belong to the one rule that uses it; when several rules share a
 * counter that never moved, none of them matched. */
static void
attribute_counters (Reader *r)
{
  GHashTableIter iter;
  FwrNftCounter *counter;
  g_hash_table_iter_init (&iter, r->ctx.counters);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &counter))
    {
      gboolean zero = counter->packets == 0 && counter->bytes == 0;
      if (counter->rules->len != 1 && !zero)
        continue;
      for (guint i = 0; i < counter->rules->len; i++)
        {
          FwrRule *rule = g_ptr_array_index (counter->rules, i);
          if (rule->has_counter)
            continue;
          rule->has_counter = TRUE;
          rule->packets = counter->packets;
          rule->bytes = counter->bytes;
        }
    }
}

static void
report_summaries (Reader *r)
{
  GHashTableIter iter;
  const char *key;
  NftTable *table;
  g_hash_table_iter_init (&iter, r->tables);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &table))
    if (table->dormant)
      _fwr_ruleset_add_warning (r->ruleset, 0, 0, "table %s is dormant (flags dormant): its rules are disabled", key);

  for (guint i = 0; i < r->ctx.opaque_uses->len; i++)
    {
      FwrNftOpaqueUse *use = g_ptr_array_index (r->ctx.opaque_uses, i);
      _fwr_ruleset_add_warning (r->ruleset, use->line, use->column,
                                "“%s” is kept as an opaque condition (the rule may match less than its "
                                "other conditions say) in %u rule%s, first %s",
                                use->kind, use->n_rules, use->n_rules == 1 ? "" : "s", use->first_rule);
    }
  if (r->positional_ids)
    _fwr_ruleset_add_warning (r->ruleset, 0, 0,
                              "some rules carry no handle (handle 0): their ids give their place in the "
                              "chain instead, e.g. inet/filter/input/#3");
}

FwrRuleset *
_fwr_import_nftables_json (const char *name, const char *data, gsize length, GError **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  g_autoptr (FwrRuleset) ruleset = _fwr_ruleset_new ("nftables-json", name);
  Reader r = {
    .file = name,
    .data = data ? data : "",
    .length = length,
    .ruleset = ruleset,
    .tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .chains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free),
    .loc_line = 1,
    .loc_column = 1,
  };
  _fwr_nft_context_init (&r.ctx, ruleset);

  gboolean ok = read_document (&r, error) && finish_pending (&r, error) && check_chains (&r, error);
  if (ok)
    {
      attribute_counters (&r);
      report_summaries (&r);
    }

  _fwr_nft_context_clear (&r.ctx);
  g_hash_table_unref (r.tables);
  g_hash_table_unref (r.chains);
  g_ptr_array_unref (r.pending);
  return ok ? g_steal_pointer (&ruleset) : NULL;
}
