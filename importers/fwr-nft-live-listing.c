/* fwr-nft-live-listing.c: the live listing as it is kept, libnftables' JSON made compact with the
 * kernel's counters written in, in one pass over the text; jansson writes what the pass cannot. */
#include <stdlib.h>
#include <string.h>

#include "fwr-jansson-private.h"
#include "fwr-nft-live-private.h"

/* Nesting the pass follows; deeper elements go to jansson. */
#define PASS_MAX_DEPTH 64
/* Nesting an element handed to jansson may have before the whole listing goes to it instead:
 * far below jansson's own limit, which counts from the top of the listing. */
#define ELEMENT_MAX_DEPTH 512
/* Keys of one object the pass checks against each other (jansson keeps one value for a key
 * given twice); objects with more go to jansson. */
#define MAX_KEYS 32

char *
_fwr_live_rule_key (const char *family, const char *table, const char *chain, guint64 handle)
{
  return g_strdup_printf ("%s\n%s\n%s\n%" G_GUINT64_FORMAT, family, table, chain, handle);
}

char *
_fwr_live_object_key (const char *family, const char *table, const char *name)
{
  return g_strdup_printf ("%s\n%s\n%s", family, table, name);
}

/* The tree way: the definition of the result, and what the pass falls back to. */

static gboolean
changed_during_read (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               "the ruleset changed while it was read (%s)", what);
  return FALSE;
}

static void
set_counter_values (json_t *counter, const FwrLiveCounter *value)
{
  /* JSON integers are signed 64-bit; a counter past that has wrapped the scale anyway. */
  json_object_set_new (counter, "packets", json_integer ((json_int_t) MIN (value->packets, G_MAXINT64)));
  json_object_set_new (counter, "bytes", json_integer ((json_int_t) MIN (value->bytes, G_MAXINT64)));
}

/* Anonymous counter statements of a rule, in order, get the kernel's counter expressions in
 * order; named ones ("counter": "name") carry no values in the rule. */
static gboolean
patch_rule_counters (json_t *rule, const FwrLiveCounters *counters, GError **error)
{
  json_int_t handle = json_integer_value (json_object_get (rule, "handle"));
  g_autofree char *key = _fwr_live_rule_key (json_string_value (json_object_get (rule, "family")),
                                             json_string_value (json_object_get (rule, "table")),
                                             json_string_value (json_object_get (rule, "chain")),
                                             (guint64) handle);
  GArray *found = g_hash_table_lookup (counters->rules, key);
  if (found == NULL)
    return changed_during_read (error, "a rule listed is not in the netlink dump");

  guint next = 0;
  json_t *statement;
  size_t index;
  json_array_foreach (json_object_get (rule, "expr"), index, statement)
    {
      json_t *counter = json_object_get (statement, "counter");
      if (!json_is_object (counter))
        continue;
      if (next >= found->len)
        return changed_during_read (error, "a rule has more counters than the kernel reports");
      set_counter_values (counter, &g_array_index (found, FwrLiveCounter, next++));
    }
  if (next != found->len)
    return changed_during_read (error, "a rule has fewer counters than the kernel reports");
  return TRUE;
}

static gboolean
patch_named_counter (json_t *counter, const FwrLiveCounters *counters, GError **error)
{
  g_autofree char *key = _fwr_live_object_key (json_string_value (json_object_get (counter, "family")),
                                               json_string_value (json_object_get (counter, "table")),
                                               json_string_value (json_object_get (counter, "name")));
  const FwrLiveCounter *value = g_hash_table_lookup (counters->objects, key);
  if (value == NULL)
    return changed_during_read (error, "a named counter listed is not in the netlink dump");
  set_counter_values (counter, value);
  return TRUE;
}

/* One element of the listing's "nftables" array. */
static gboolean
patch_element (json_t *item, const FwrLiveCounters *counters, GError **error)
{
  json_t *rule = json_object_get (item, "rule");
  json_t *counter = json_object_get (item, "counter");
  return (!json_is_object (rule) || patch_rule_counters (rule, counters, error))
         && (!json_is_object (counter) || patch_named_counter (counter, counters, error));
}

static char *
listing_through_jansson (const char *text, gsize length, const FwrLiveCounters *counters,
                         GError **error)
{
  json_error_t json_error;
  g_autoptr (json_t) root = json_loadb (text, length, 0, &json_error);
  if (root == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "libnftables printed invalid JSON (line %d: %s)", json_error.line, json_error.text);
      return NULL;
    }
  json_t *item;
  size_t index;
  json_array_foreach (json_object_get (root, "nftables"), index, item)
    if (!patch_element (item, counters, error))
      return NULL;
  char *dumped = json_dumps (root, JSON_COMPACT);
  char *listing = g_strdup (dumped);
  free (dumped);
  return listing;
}

/* The pass. It copies what jansson would write back unchanged (printable ASCII strings without
 * escapes, integers as jansson prints them, true/false/null) minus the white space, rewrites
 * the counters, and hands any element holding something else to jansson. */

typedef enum {
  PASS_OK,
  PASS_JANSSON,   /* this element needs jansson (or is not JSON: jansson will say) */
  PASS_FAILED,    /* the listing needs jansson: counters that do not fit, or not JSON */
} Pass;

typedef struct {
  const char *at;
  const char *end;
  GString *out;
  const FwrLiveCounters *counters;
  GString *key;             /* scratch for counter lookups */
  guint depth;
} Walker;

/* A string's bytes between its quotes: the string itself, as the pass copies no escapes. */
typedef struct {
  const char *start;
  gsize length;
} Slice;

typedef Pass (*MemberFunc) (Walker *w, const Slice *key, gpointer data);
typedef Pass (*ItemFunc) (Walker *w, gpointer data);

static int
peek (const Walker *w)
{
  return w->at < w->end ? (guchar) *w->at : -1;
}

static void
skip_space (Walker *w)
{
  while (w->at < w->end && (*w->at == ' ' || *w->at == '\n' || *w->at == '\t' || *w->at == '\r'))
    w->at++;
}

static gboolean
slice_is (const Slice *slice, const char *word)
{
  gsize length = strlen (word);
  return slice->length == length && memcmp (slice->start, word, length) == 0;
}

static gboolean
slice_equal (const Slice *a, const Slice *b)
{
  return a->length == b->length && memcmp (a->start, b->start, a->length) == 0;
}

static Pass
pass_string (Walker *w, Slice *slice)
{
  const char *start = w->at++;
  for (; w->at < w->end; w->at++)
    {
      guchar c = *w->at;
      if (c == '"')
        {
          w->at++;
          slice->start = start + 1;
          slice->length = (gsize) (w->at - start) - 2;
          g_string_append_len (w->out, start, w->at - start);
          return PASS_OK;
        }
      if (c == '\\' || c < 0x20 || c >= 0x80)
        return PASS_JANSSON;
    }
  return PASS_FAILED;
}

/* An integer jansson prints back the same: no "-0", no leading zero, no fraction or exponent,
 * well inside 64 bits. */
static Pass
pass_integer (Walker *w, gint64 *value)
{
  const char *start = w->at;
  if (peek (w) == '-')
    w->at++;
  const char *digits = w->at;
  while (w->at < w->end && g_ascii_isdigit (*w->at))
    w->at++;
  gsize n = (gsize) (w->at - digits);
  int next = peek (w);
  if (n == 0 || n > 18 || (*digits == '0' && (n > 1 || digits != start))
      || next == '.' || next == 'e' || next == 'E')
    return PASS_JANSSON;
  if (value != NULL)
    *value = g_ascii_strtoll (start, NULL, 10);
  g_string_append_len (w->out, start, w->at - start);
  return PASS_OK;
}

static Pass
pass_literal (Walker *w)
{
  static const char *const words[] = { "true", "false", "null" };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize length = strlen (words[i]);
      if ((gsize) (w->end - w->at) >= length && memcmp (w->at, words[i], length) == 0)
        {
          g_string_append_len (w->out, w->at, length);
          w->at += length;
          return PASS_OK;
        }
    }
  return PASS_JANSSON;
}

static Pass pass_object (Walker *w, MemberFunc member, gpointer data);
static Pass pass_array (Walker *w, ItemFunc item, gpointer data);

static Pass
pass_value (Walker *w)
{
  skip_space (w);
  Slice ignored;
  switch (peek (w))
    {
    case '{':
      return pass_object (w, NULL, NULL);
    case '[':
      return pass_array (w, NULL, NULL);
    case '"':
      return pass_string (w, &ignored);
    case 't':
    case 'f':
    case 'n':
      return pass_literal (w);
    case -1:
      return PASS_FAILED;
    default:
      return pass_integer (w, NULL);
    }
}

/* member (NULL: copy) reads each value; the keys are checked against each other. */
static Pass
pass_object (Walker *w, MemberFunc member, gpointer data)
{
  if (++w->depth > PASS_MAX_DEPTH)
    return PASS_JANSSON;
  Slice keys[MAX_KEYS];
  guint n_keys = 0;
  g_string_append_c (w->out, '{');
  w->at++;
  skip_space (w);
  while (peek (w) != '}')
    {
      if (n_keys > 0)
        {
          if (peek (w) != ',')
            return PASS_JANSSON;
          g_string_append_c (w->out, ',');
          w->at++;
          skip_space (w);
        }
      if (peek (w) != '"' || n_keys == MAX_KEYS)
        return PASS_JANSSON;
      Slice *key = &keys[n_keys];
      Pass pass = pass_string (w, key);
      if (pass != PASS_OK)
        return pass;
      for (guint i = 0; i < n_keys; i++)
        if (slice_equal (&keys[i], key))
          return PASS_JANSSON;
      n_keys++;
      skip_space (w);
      if (peek (w) != ':')
        return PASS_JANSSON;
      g_string_append_c (w->out, ':');
      w->at++;
      skip_space (w);
      pass = member != NULL ? member (w, key, data) : pass_value (w);
      if (pass != PASS_OK)
        return pass;
      skip_space (w);
    }
  g_string_append_c (w->out, '}');
  w->at++;
  w->depth--;
  return PASS_OK;
}

/* item (NULL: copy) reads each element. */
static Pass
pass_array (Walker *w, ItemFunc item, gpointer data)
{
  if (++w->depth > PASS_MAX_DEPTH)
    return PASS_JANSSON;
  g_string_append_c (w->out, '[');
  w->at++;
  skip_space (w);
  for (gboolean first = TRUE; peek (w) != ']'; first = FALSE)
    {
      if (!first)
        {
          if (peek (w) != ',')
            return PASS_JANSSON;
          g_string_append_c (w->out, ',');
          w->at++;
        }
      Pass pass = item != NULL ? item (w, data) : pass_value (w);
      if (pass != PASS_OK)
        return pass;
      skip_space (w);
    }
  g_string_append_c (w->out, ']');
  w->at++;
  w->depth--;
  return PASS_OK;
}

/* A rule or a named counter: what names it, and its counters in the kernel. */
enum {
  OWNER_FAMILY = 1 << 0,
  OWNER_TABLE = 1 << 1,
  OWNER_CHAIN = 1 << 2,
  OWNER_NAME = 1 << 3,
  OWNER_HANDLE = 1 << 4,
};

typedef struct {
  Slice family, table, chain, name;
  gint64 handle;
  guint seen;
  GArray *found;                 /* a rule's counters, once looked up */
  guint next;
  const FwrLiveCounter *value;   /* a named counter's, once looked up */
  guint n_values;                /* "packets" and "bytes" rewritten */
} Owner;

static Pass
pass_owner_string (Walker *w, Owner *owner, const Slice *key)
{
  static const struct { const char *key; guint bit; gsize offset; } names[] = {
    { "family", OWNER_FAMILY, G_STRUCT_OFFSET (Owner, family) },
    { "table", OWNER_TABLE, G_STRUCT_OFFSET (Owner, table) },
    { "chain", OWNER_CHAIN, G_STRUCT_OFFSET (Owner, chain) },
    { "name", OWNER_NAME, G_STRUCT_OFFSET (Owner, name) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (slice_is (key, names[i].key))
      {
        if (peek (w) != '"')
          return PASS_JANSSON;
        owner->seen |= names[i].bit;
        return pass_string (w, G_STRUCT_MEMBER_P (owner, names[i].offset));
      }
  return pass_value (w);
}

static void
key_add (GString *key, const Slice *part, gboolean last)
{
  g_string_append_len (key, part->start, part->length);
  if (!last)
    g_string_append_c (key, '\n');
}

/* The rule's counters in the kernel: the same key as _fwr_live_rule_key(). */
static Pass
look_up_rule (Walker *w, Owner *owner)
{
  guint all = OWNER_FAMILY | OWNER_TABLE | OWNER_CHAIN | OWNER_HANDLE;
  if ((owner->seen & all) != all)
    return PASS_JANSSON;
  g_string_truncate (w->key, 0);
  key_add (w->key, &owner->family, FALSE);
  key_add (w->key, &owner->table, FALSE);
  key_add (w->key, &owner->chain, FALSE);
  g_string_append_printf (w->key, "%" G_GUINT64_FORMAT, (guint64) owner->handle);
  owner->found = g_hash_table_lookup (w->counters->rules, w->key->str);
  return owner->found != NULL ? PASS_OK : PASS_FAILED;
}

static Pass
look_up_object (Walker *w, Owner *owner)
{
  guint all = OWNER_FAMILY | OWNER_TABLE | OWNER_NAME;
  if ((owner->seen & all) != all)
    return PASS_JANSSON;
  g_string_truncate (w->key, 0);
  key_add (w->key, &owner->family, FALSE);
  key_add (w->key, &owner->table, FALSE);
  key_add (w->key, &owner->name, TRUE);
  owner->value = g_hash_table_lookup (w->counters->objects, w->key->str);
  return owner->value != NULL ? PASS_OK : PASS_FAILED;
}

static void
append_count (GString *out, guint64 count)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) MIN (count, G_MAXINT64));
}

/* Reads an integer and writes count in its place. */
static Pass
pass_count (Walker *w, guint64 count)
{
  gsize mark = w->out->len;
  Pass pass = pass_integer (w, NULL);
  if (pass != PASS_OK)
    return pass;
  g_string_truncate (w->out, mark);
  append_count (w->out, count);
  return PASS_OK;
}

static Pass
counter_values_member (Walker *w, const Slice *key, gpointer data)
{
  guint *n_read = data;
  /* a third key would be one of these again, which pass_object() refuses */
  if (!slice_is (key, *n_read == 0 ? "packets" : "bytes"))
    return PASS_JANSSON;
  (*n_read)++;
  return pass_integer (w, NULL);
}

/* A counter statement, {"packets": N, "bytes": N} as libnftables prints it, becomes the rule's
 * next counter in the kernel. (jansson, setting both values, would also write a part of it or
 * an empty one that way; other keys or another order it would write otherwise.) */
static Pass
pass_counter_statement (Walker *w, Owner *rule)
{
  gsize mark = w->out->len;
  guint n_read = 0;
  Pass pass = pass_object (w, counter_values_member, &n_read);
  if (pass != PASS_OK)
    return pass;
  if (rule->next >= rule->found->len)
    return PASS_FAILED;
  const FwrLiveCounter *value = &g_array_index (rule->found, FwrLiveCounter, rule->next++);
  g_string_truncate (w->out, mark);
  g_string_append (w->out, "{\"packets\":");
  append_count (w->out, value->packets);
  g_string_append (w->out, ",\"bytes\":");
  append_count (w->out, value->bytes);
  g_string_append_c (w->out, '}');
  return PASS_OK;
}

static Pass
statement_member (Walker *w, const Slice *key, gpointer data)
{
  if (slice_is (key, "counter") && peek (w) == '{')
    return pass_counter_statement (w, data);
  return pass_value (w);
}

static Pass
statement_item (Walker *w, gpointer data)
{
  skip_space (w);
  return peek (w) == '{' ? pass_object (w, statement_member, data) : pass_value (w);
}

static Pass
rule_member (Walker *w, const Slice *key, gpointer data)
{
  Owner *rule = data;
  if (slice_is (key, "handle"))
    {
      int c = peek (w);
      if (c != '-' && !g_ascii_isdigit (c))
        return PASS_JANSSON;
      rule->seen |= OWNER_HANDLE;
      return pass_integer (w, &rule->handle);
    }
  if (slice_is (key, "expr"))
    {
      Pass pass = look_up_rule (w, rule);
      if (pass != PASS_OK)
        return pass;
      return peek (w) == '[' ? pass_array (w, statement_item, rule) : PASS_JANSSON;
    }
  return pass_owner_string (w, rule, key);
}

static Pass
pass_rule (Walker *w)
{
  Owner rule = { 0 };
  Pass pass = pass_object (w, rule_member, &rule);
  if (pass == PASS_OK && rule.found == NULL)
    pass = look_up_rule (w, &rule);
  if (pass == PASS_OK && rule.next != rule.found->len)
    pass = PASS_FAILED;
  return pass;
}

static Pass
named_counter_member (Walker *w, const Slice *key, gpointer data)
{
  Owner *counter = data;
  gboolean packets = slice_is (key, "packets");
  if (!packets && !slice_is (key, "bytes"))
    return pass_owner_string (w, counter, key);
  if (packets != (counter->n_values == 0))
    return PASS_JANSSON;
  Pass pass = packets ? look_up_object (w, counter) : PASS_OK;
  if (pass != PASS_OK)
    return pass;
  counter->n_values++;
  return pass_count (w, packets ? counter->value->packets : counter->value->bytes);
}

static Pass
pass_named_counter (Walker *w)
{
  Owner counter = { 0 };
  Pass pass = pass_object (w, named_counter_member, &counter);
  return pass == PASS_OK && counter.n_values != 2 ? PASS_JANSSON : pass;
}

static Pass
element_member (Walker *w, const Slice *key, gpointer data)
{
  if (peek (w) == '{' && slice_is (key, "rule"))
    return pass_rule (w);
  if (peek (w) == '{' && slice_is (key, "counter"))
    return pass_named_counter (w);
  return pass_value (w);
}

/* Where the value at start ends, strings and nesting followed but not checked (jansson checks
 * what it is given); NULL when the text ends first or nests too deep. */
static const char *
skip_raw_value (const char *start, const char *end)
{
  guint depth = 0;
  for (const char *at = start; at < end; at++)
    {
      char c = *at;
      if (c == '"')
        {
          for (at++; at < end && *at != '"'; at++)
            if (*at == '\\')
              at++;
          if (at >= end)
            return NULL;
        }
      else if (c == '{' || c == '[')
        {
          if (++depth > ELEMENT_MAX_DEPTH)
            return NULL;
        }
      else if (c == '}' || c == ']')
        {
          if (depth == 0)
            return at;
          depth--;
        }
      else if (c == ',' && depth == 0)
        return at;
      if (depth == 0 && (c == '"' || c == '}' || c == ']'))
        return at + 1;
    }
  return depth == 0 ? end : NULL;
}

static Pass
element_through_jansson (Walker *w)
{
  const char *start = w->at;
  const char *end = skip_raw_value (start, w->end);
  if (end == NULL)
    return PASS_FAILED;
  g_autoptr (json_t) item = json_loadb (start, (gsize) (end - start), JSON_DECODE_ANY, NULL);
  if (item == NULL || !patch_element (item, w->counters, NULL))
    return PASS_FAILED;
  char *dumped = json_dumps (item, JSON_COMPACT | JSON_ENCODE_ANY);
  if (dumped == NULL)
    return PASS_FAILED;
  g_string_append (w->out, dumped);
  free (dumped);
  w->at = end;
  return PASS_OK;
}

static Pass
element_item (Walker *w, gpointer data)
{
  skip_space (w);
  const char *start = w->at;
  gsize mark = w->out->len;
  guint depth = w->depth;
  Pass pass = peek (w) == '{' ? pass_object (w, element_member, NULL) : pass_value (w);
  if (pass != PASS_JANSSON)
    return pass;
  g_string_truncate (w->out, mark);
  w->at = start;
  w->depth = depth;
  return element_through_jansson (w);
}

static Pass
root_member (Walker *w, const Slice *key, gpointer data)
{
  if (slice_is (key, "nftables") && peek (w) == '[')
    return pass_array (w, element_item, NULL);
  return pass_value (w);
}

char *
_fwr_live_listing_with_counters (const char *text, gsize length, const FwrLiveCounters *counters,
                                 GError **error)
{
  g_autoptr (GString) key = g_string_new (NULL);
  Walker w = { .at = text, .end = text + length, .out = g_string_sized_new (length),
               .counters = counters, .key = key };
  skip_space (&w);
  Pass pass = peek (&w) == '{' ? pass_object (&w, root_member, NULL) : PASS_FAILED;
  skip_space (&w);
  if (pass == PASS_OK && w.at == w.end)
    return g_string_free (w.out, FALSE);
  g_string_free (w.out, TRUE);
  return listing_through_jansson (text, length, counters, error);
}
