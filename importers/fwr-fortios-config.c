/* fwr-fortios-config.c: reads FortiOS CLI text (show, show full-configuration, backups, CLI
 * scripts) into a tree, replaying each command the way the FortiOS CLI would. */
#include "fwr-fortios-config-private.h"

/* Deeper nesting than any FortiOS schema has means the input is not a configuration. */
#define MAX_DEPTH 32

/* Tree building and freeing */

static void
value_clear (FwrFosValue *value)
{
  g_free (value->text);
}

static GArray *
values_new (void)
{
  GArray *values = g_array_new (FALSE, TRUE, sizeof (FwrFosValue));
  g_array_set_clear_func (values, (GDestroyNotify) value_clear);
  return values;
}

static void
values_append_copy (GArray *values, const FwrFosValue *value)
{
  FwrFosValue copy = *value;
  copy.text = g_strdup (value->text);
  g_array_append_val (values, copy);
}

static void
attr_free (FwrFosAttr *attr)
{
  g_free (attr->key);
  g_array_unref (attr->values);
  g_free (attr);
}

static GHashTable *
attrs_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) attr_free);
}

static void node_free (FwrFosNode *node);

static void
blocks_init (FwrFosBlocks *blocks)
{
  blocks->list = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  blocks->by_path = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
blocks_clear (FwrFosBlocks *blocks)
{
  g_clear_pointer (&blocks->by_path, g_hash_table_unref);
  g_clear_pointer (&blocks->list, g_ptr_array_unref);
}

static void
name_clear (FwrFosName *name)
{
  g_free (name->name);
}

static FwrFosEntry *
entry_new (FwrFosNode *node, const char *name, guint line, guint column, guint seq)
{
  FwrFosEntry *entry = g_new0 (FwrFosEntry, 1);
  entry->name = g_strdup (name);
  entry->line = line;
  entry->column = column;
  entry->names = g_array_new (FALSE, TRUE, sizeof (FwrFosName));
  g_array_set_clear_func (entry->names, (GDestroyNotify) name_clear);
  FwrFosName first = { g_strdup (name), seq, line };
  g_array_append_val (entry->names, first);
  entry->attrs = attrs_new ();
  blocks_init (&entry->children);
  entry->node = node;
  return entry;
}

static void
entry_free (FwrFosEntry *entry)
{
  g_free (entry->name);
  g_array_unref (entry->names);
  g_hash_table_unref (entry->attrs);
  blocks_clear (&entry->children);
  g_free (entry);
}

static FwrFosNode *
node_new (const char *path, guint line, guint column)
{
  FwrFosNode *node = g_new0 (FwrFosNode, 1);
  node->path = g_strdup (path);
  node->line = line;
  node->column = column;
  node->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  node->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  node->attrs = attrs_new ();
  blocks_init (&node->children);
  return node;
}

static void
node_free (FwrFosNode *node)
{
  g_hash_table_unref (node->by_name);
  g_ptr_array_unref (node->entries);
  g_hash_table_unref (node->attrs);
  blocks_clear (&node->children);
  g_free (node->path);
  g_free (node);
}

/* A repeated config block with the same path continues the first one, as in FortiOS. */
static FwrFosNode *
blocks_get_or_add (FwrFosBlocks *blocks, const char *path, guint line, guint column)
{
  FwrFosNode *node = g_hash_table_lookup (blocks->by_path, path);
  if (node == NULL)
    {
      node = node_new (path, line, column);
      g_ptr_array_add (blocks->list, node);
      g_hash_table_insert (blocks->by_path, node->path, node);
    }
  return node;
}

static FwrFosScope *
scope_new (const char *name, guint line)
{
  FwrFosScope *scope = g_new0 (FwrFosScope, 1);
  scope->name = g_strdup (name);
  scope->line = line;
  blocks_init (&scope->nodes);
  return scope;
}

static void
scope_free (FwrFosScope *scope)
{
  if (scope == NULL)
    return;
  blocks_clear (&scope->nodes);
  g_free (scope->name);
  g_free (scope);
}

static void
warning_free (FwrFosWarning *warning)
{
  g_free (warning->text);
  g_free (warning);
}

void
_fwr_fos_config_free (FwrFosConfig *config)
{
  if (config == NULL)
    return;
  g_ptr_array_unref (config->vdoms);
  scope_free (config->global);
  g_ptr_array_unref (config->warnings);
  g_free (config);
}

void
_fwr_fos_config_warn (FwrFosConfig *config, guint line, guint column, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  FwrFosWarning *warning = g_new0 (FwrFosWarning, 1);
  warning->line = line;
  warning->column = column;
  warning->text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (config->warnings, warning);
}

/* Reading the tree */

FwrFosNode *
_fwr_fos_scope_get_node (const FwrFosScope *scope, const char *path)
{
  return g_hash_table_lookup (scope->nodes.by_path, path);
}

FwrFosAttr *
_fwr_fos_entry_get_attr (const FwrFosEntry *entry, const char *key)
{
  return g_hash_table_lookup (entry->attrs, key);
}

const char *
_fwr_fos_entry_get_value (const FwrFosEntry *entry, const char *key, const char *fallback)
{
  FwrFosAttr *attr = _fwr_fos_entry_get_attr (entry, key);
  if (attr == NULL || attr->values->len == 0)
    return fallback;
  return g_array_index (attr->values, FwrFosValue, 0).text;
}

FwrFosEntry *
_fwr_fos_node_resolve (const FwrFosNode *node, const char *name, guint seq, char **note)
{
  *note = NULL;
  FwrFosEntry *entry = g_hash_table_lookup (node->by_name, name);
  if (entry != NULL && g_array_index (entry->names, FwrFosName, entry->names->len - 1).seq <= seq)
    return entry;
  if (!node->renamed)
    {
      if (entry != NULL)
        *note = g_strdup_printf ("“%s” is defined only after this reference (line %u)", name, entry->line);
      return entry;
    }

  /* Renames and forward references: rare, so a scan is fine. A rename made after the
   * reference carries the reference along (FortiOS renames update every user). */
  FwrFosEntry *later = NULL, *earlier = NULL;
  guint later_seq = G_MAXUINT, earlier_seq = 0, later_line = 0, earlier_line = 0;
  const char *earlier_new_name = NULL;
  for (guint e = 0; e < node->entries->len; e++)
    {
      FwrFosEntry *candidate = g_ptr_array_index (node->entries, e);
      for (guint i = 0; i < candidate->names->len; i++)
        {
          FwrFosName *held = &g_array_index (candidate->names, FwrFosName, i);
          if (strcmp (held->name, name) != 0)
            continue;
          FwrFosName *next = i + 1 < candidate->names->len ? held + 1 : NULL;
          guint until = next ? next->seq : G_MAXUINT;
          if (held->seq <= seq && seq < until)
            return candidate;
          if (held->seq > seq && held->seq < later_seq)
            later = candidate, later_seq = held->seq, later_line = held->line;
          if (next != NULL && until <= seq && until >= earlier_seq)
            earlier = candidate, earlier_seq = until, earlier_line = next->line, earlier_new_name = next->name;
        }
    }
  if (later != NULL)
    {
      *note = g_strdup_printf ("“%s” is defined only after this reference (line %u)", name, later_line);
      return later;
    }
  if (earlier != NULL)
    {
      *note = g_strdup_printf ("“%s” was renamed to “%s” (line %u) before this reference; "
                               "FortiOS refuses a reference to the old name", name, earlier_new_name, earlier_line);
      return earlier;
    }
  return NULL;
}

/* Lexer: statements are words up to an unquoted newline; quotes may span lines. */

typedef struct {
  const char *file;
  const char *data;
  gsize length;
  gsize pos;
  guint line;
  guint column;
  char *header_vdom;     /* vd_name= of a per-VDOM backup's header */
  gboolean warned_utf8;
  FwrFosConfig *config;
} Lexer;

typedef enum {
  LEX_STATEMENT,
  LEX_EOF,
  LEX_ERROR,
} LexResult;

static void
lex_advance (Lexer *lx)
{
  guchar c = (guchar) lx->data[lx->pos++];
  if (c == '\n')
    {
      lx->line++;
      lx->column = 1;
    }
  else if ((c & 0xc0) != 0x80)
    lx->column++;
}

static gboolean
lex_at (const Lexer *lx, const char *text)
{
  gsize n = strlen (text);
  return lx->length - lx->pos >= n && memcmp (lx->data + lx->pos, text, n) == 0;
}

static void
lex_header_comment (Lexer *lx, gsize start)
{
  /* "#global_vdom=0:vd_name=root" names the VDOM of a per-VDOM backup. */
  const char *line = lx->data + start;
  gsize n = lx->pos - start;
  const char *key = g_strstr_len (line, n, "vd_name=");
  if (key == NULL || lx->header_vdom != NULL)
    return;
  key += strlen ("vd_name=");
  gsize len = 0;
  while (key + len < line + n && key[len] != ':' && key[len] != '\r' && key[len] != '/' && key[len] != ' ')
    len++;
  if (len > 0 && len < 64)
    lx->header_vdom = g_utf8_make_valid (key, len);
}

/* Skips blank space, comment lines and pasted pager prompts before a statement. */
static void
lex_skip_to_statement (Lexer *lx)
{
  while (lx->pos < lx->length)
    {
      char c = lx->data[lx->pos];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\b')
        lex_advance (lx);
      else if (lex_at (lx, "--More--"))
        {
          for (guint i = 0; i < 8; i++)
            lex_advance (lx);
        }
      else if (c == '#')
        {
          gsize start = lx->pos;
          while (lx->pos < lx->length && lx->data[lx->pos] != '\n')
            lex_advance (lx);
          lex_header_comment (lx, start);
        }
      else
        return;
    }
}

static gboolean
lex_quoted (Lexer *lx, GString *word, GError **error)
{
  char quote = lx->data[lx->pos];
  guint line = lx->line, column = lx->column;
  lex_advance (lx);
  while (lx->pos < lx->length)
    {
      char c = lx->data[lx->pos];
      if (c == quote)
        {
          lex_advance (lx);
          return TRUE;
        }
      if (c == '\\' && lx->pos + 1 < lx->length)
        {
          lex_advance (lx);
          c = lx->data[lx->pos];
        }
      g_string_append_c (word, c);
      lex_advance (lx);
    }
  _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, lx->file, line, column,
                         "the quoted string starting here is never closed");
  return FALSE;
}

static gboolean
lex_word (Lexer *lx, GArray *words, guint seq, GError **error)
{
  FwrFosValue value = { NULL, lx->line, lx->column, seq };
  g_autoptr (GString) word = g_string_new (NULL);
  while (lx->pos < lx->length)
    {
      char c = lx->data[lx->pos];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        break;
      if (c == '"' || c == '\'')
        {
          if (!lex_quoted (lx, word, error))
            return FALSE;
          continue;
        }
      if (c == '\\' && lx->pos + 1 < lx->length && lx->data[lx->pos + 1] != '\n')
        {
          lex_advance (lx);
          c = lx->data[lx->pos];
        }
      g_string_append_c (word, c);
      lex_advance (lx);
    }
  if (!g_utf8_validate (word->str, word->len, NULL))
    {
      if (!lx->warned_utf8)
        _fwr_fos_config_warn (lx->config, value.line, value.column,
                              "text that is not UTF-8: invalid bytes replaced");
      lx->warned_utf8 = TRUE;
      value.text = g_utf8_make_valid (word->str, word->len);
    }
  else
    value.text = g_strndup (word->str, word->len);
  g_array_append_val (words, value);
  return TRUE;
}

static LexResult
lex_statement (Lexer *lx, GArray *words, guint seq, GError **error)
{
  g_array_set_size (words, 0);
  lex_skip_to_statement (lx);
  if (lx->pos >= lx->length)
    return LEX_EOF;
  while (lx->pos < lx->length && lx->data[lx->pos] != '\n')
    {
      char c = lx->data[lx->pos];
      if (c == ' ' || c == '\t' || c == '\r')
        lex_advance (lx);
      else if (!lex_word (lx, words, seq, error))
        return LEX_ERROR;
    }
  return LEX_STATEMENT;
}

/* The interpreter: a stack of open blocks, as the FortiOS CLI keeps. */

typedef enum {
  FRAME_VDOM_LIST,   /* config vdom */
  FRAME_VDOM,        /* edit <vdom> inside config vdom */
  FRAME_GLOBAL,      /* config global */
  FRAME_CONFIG,
  FRAME_EDIT,
} FrameKind;

typedef struct {
  FrameKind kind;
  FwrFosScope *scope;
  FwrFosNode *node;
  FwrFosEntry *entry;
  guint line;
  guint column;
} Frame;

typedef struct {
  Lexer lx;
  FwrFosConfig *config;
  GArray *stack;           /* (element-type Frame) */
  FwrFosScope *top_scope;  /* where blocks outside config vdom/global go */
  guint seq;
  GError **error;
} Parser;

static FwrFosValue *
word (GArray *words, guint i)
{
  return &g_array_index (words, FwrFosValue, i);
}

static Frame *
top_frame (Parser *p)
{
  return p->stack->len ? &g_array_index (p->stack, Frame, p->stack->len - 1) : NULL;
}

static gboolean fail (Parser *p, const FwrFosValue *at, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Parser *p, const FwrFosValue *at, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  _fwr_import_set_error (p->error, FWR_IMPORT_ERROR_MALFORMED, p->lx.file, at->line, at->column, "%s", text);
  return FALSE;
}

static FwrFosScope *
vdom_scope (Parser *p, const char *name, guint line)
{
  for (guint i = 0; i < p->config->vdoms->len; i++)
    {
      FwrFosScope *scope = g_ptr_array_index (p->config->vdoms, i);
      if (strcmp (scope->name, name) == 0)
        return scope;
    }
  FwrFosScope *scope = scope_new (name, line);
  g_ptr_array_add (p->config->vdoms, scope);
  return scope;
}

static gboolean
push (Parser *p, const FwrFosValue *at, Frame frame)
{
  if (p->stack->len >= MAX_DEPTH)
    return fail (p, at, "blocks nested more than %d deep: not a FortiOS configuration", MAX_DEPTH);
  g_array_append_val (p->stack, frame);
  return TRUE;
}

static void
pop (Parser *p)
{
  g_array_set_size (p->stack, p->stack->len - 1);
}

static char *
join_words (GArray *words, guint from)
{
  GString *out = g_string_new (NULL);
  for (guint i = from; i < words->len; i++)
    g_string_append_printf (out, "%s%s", i > from ? " " : "", word (words, i)->text);
  return g_string_free (out, FALSE);
}

/* config, edit, next, end */

static gboolean
run_config (Parser *p, GArray *words)
{
  FwrFosValue *kw = word (words, 0);
  if (words->len < 2)
    return fail (p, kw, "“config” without the name of what to configure");
  g_autofree char *path = join_words (words, 1);
  Frame *top = top_frame (p);
  Frame frame = { FRAME_CONFIG, NULL, NULL, NULL, kw->line, kw->column };

  if (top == NULL && strcmp (path, "vdom") == 0)
    {
      p->config->multi_vdom = TRUE;
      frame.kind = FRAME_VDOM_LIST;
      return push (p, kw, frame);
    }
  if (top == NULL && strcmp (path, "global") == 0)
    {
      if (p->config->global == NULL)
        p->config->global = scope_new ("global", kw->line);
      frame.kind = FRAME_GLOBAL;
      frame.scope = p->config->global;
      return push (p, kw, frame);
    }
  if (top == NULL)
    {
      if (p->top_scope == NULL)
        p->top_scope = vdom_scope (p, p->lx.header_vdom ? p->lx.header_vdom : "root", kw->line);
      frame.node = blocks_get_or_add (&p->top_scope->nodes, path, kw->line, kw->column);
      return push (p, kw, frame);
    }
  switch (top->kind)
    {
    case FRAME_VDOM_LIST:
      return fail (p, kw, "“config %s” directly inside “config vdom”: an “edit <vdom>” must come first", path);
    case FRAME_VDOM:
    case FRAME_GLOBAL:
      frame.node = blocks_get_or_add (&top->scope->nodes, path, kw->line, kw->column);
      break;
    case FRAME_CONFIG:
      frame.node = blocks_get_or_add (&top->node->children, path, kw->line, kw->column);
      break;
    case FRAME_EDIT:
    default:
      frame.node = blocks_get_or_add (&top->entry->children, path, kw->line, kw->column);
      break;
    }
  return push (p, kw, frame);
}

static gboolean
numbered_policy_table (const FwrFosNode *node)
{
  return g_str_has_suffix (node->path, "policy") || g_str_has_suffix (node->path, "policy6");
}

static void
node_note_id (FwrFosNode *node, const char *name)
{
  guint64 id;
  if (g_ascii_string_to_unsigned (name, 10, 0, G_MAXUINT64 - 1, &id, NULL) && id > node->max_id)
    node->max_id = id;
}

static FwrFosEntry *
node_edit (Parser *p, FwrFosNode *node, const FwrFosValue *name)
{
  /* "edit 0" in a policy table takes the next free id (FortiOS CLI). */
  g_autofree char *text = strcmp (name->text, "0") == 0 && numbered_policy_table (node)
                            ? g_strdup_printf ("%" G_GUINT64_FORMAT, node->max_id + 1)
                            : g_strdup (name->text);
  FwrFosEntry *entry = g_hash_table_lookup (node->by_name, text);
  if (entry != NULL)
    return entry;
  entry = entry_new (node, text, name->line, name->column, name->seq);
  g_ptr_array_add (node->entries, entry);
  g_hash_table_insert (node->by_name, entry->name, entry);
  node_note_id (node, entry->name);
  return entry;
}

static gboolean
run_edit (Parser *p, GArray *words)
{
  FwrFosValue *kw = word (words, 0);
  if (words->len < 2)
    return fail (p, kw, "“edit” without a name");
  FwrFosValue *name = word (words, 1);
  if (words->len > 2)
    _fwr_fos_config_warn (p->config, word (words, 2)->line, word (words, 2)->column,
                          "words after “edit %s” ignored", name->text);
  Frame *top = top_frame (p);
  if (top == NULL || top->kind == FRAME_VDOM || top->kind == FRAME_GLOBAL)
    return fail (p, kw, "“edit %s” outside any config block", name->text);
  if (top->kind == FRAME_EDIT)
    return fail (p, kw, "“edit %s” while the edit at line %u is still open: “next” is missing",
                 name->text, top->line);

  Frame frame = { FRAME_EDIT, NULL, top->node, NULL, kw->line, kw->column };
  if (top->kind == FRAME_VDOM_LIST)
    {
      frame.kind = FRAME_VDOM;
      frame.scope = vdom_scope (p, name->text, kw->line);
    }
  else
    frame.entry = node_edit (p, top->node, name);
  return push (p, kw, frame);
}

static gboolean
run_next (Parser *p, GArray *words)
{
  Frame *top = top_frame (p);
  if (top == NULL || (top->kind != FRAME_EDIT && top->kind != FRAME_VDOM))
    return fail (p, word (words, 0), "“next” without an open “edit”");
  pop (p);
  return TRUE;
}

static gboolean
run_end (Parser *p, GArray *words)
{
  Frame *top = top_frame (p);
  if (top == NULL)
    return fail (p, word (words, 0), "“end” without a matching “config”");
  /* "end" inside an edit closes the edit and its block at once. */
  if (top->kind == FRAME_EDIT || top->kind == FRAME_VDOM)
    pop (p);
  pop (p);
  return TRUE;
}

/* set, unset, append, select, unselect */

static FwrFosAttr *
attr_get_or_add (GHashTable *attrs, const FwrFosValue *key)
{
  FwrFosAttr *attr = g_hash_table_lookup (attrs, key->text);
  if (attr == NULL)
    {
      attr = g_new0 (FwrFosAttr, 1);
      attr->key = g_strdup (key->text);
      attr->values = values_new ();
      g_hash_table_insert (attrs, attr->key, attr);
    }
  attr->line = key->line;
  attr->column = key->column;
  return attr;
}

static gboolean
attr_has_value (const FwrFosAttr *attr, const char *text)
{
  for (guint i = 0; i < attr->values->len; i++)
    if (strcmp (g_array_index (attr->values, FwrFosValue, i).text, text) == 0)
      return TRUE;
  return FALSE;
}

/* Changing a custom service's protocol resets the settings of the old protocol. */
static void
service_protocol_changes (FwrFosEntry *entry, const char *protocol)
{
  static const char *const specific[] = {
    "tcp-portrange", "udp-portrange", "sctp-portrange", "protocol-number", "icmptype", "icmpcode",
  };
  if (entry == NULL || strcmp (entry->node->path, "firewall service custom") != 0)
    return;
  if (g_ascii_strcasecmp (_fwr_fos_entry_get_value (entry, "protocol", "TCP/UDP/SCTP"), protocol) == 0)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (specific); i++)
    g_hash_table_remove (entry->attrs, specific[i]);
}

static gboolean
run_attr (Parser *p, GArray *words)
{
  FwrFosValue *kw = word (words, 0);
  Frame *top = top_frame (p);
  if (top == NULL || (top->kind != FRAME_CONFIG && top->kind != FRAME_EDIT))
    return fail (p, kw, "“%s” outside any config block", kw->text);
  if (words->len < 2)
    {
      _fwr_fos_config_warn (p->config, kw->line, kw->column, "“%s” without a setting: ignored", kw->text);
      return TRUE;
    }
  GHashTable *attrs = top->kind == FRAME_EDIT ? top->entry->attrs : top->node->attrs;
  FwrFosValue *key = word (words, 1);
  const char *command = kw->text;

  if (strcmp (command, "unset") == 0)
    {
      g_hash_table_remove (attrs, key->text);
      return TRUE;
    }
  if (words->len < 3)
    {
      _fwr_fos_config_warn (p->config, kw->line, kw->column, "“%s %s” without a value: ignored",
                            command, key->text);
      return TRUE;
    }
  gboolean replace = strcmp (command, "set") == 0 || strcmp (command, "select") == 0;
  if (replace && strcmp (key->text, "protocol") == 0 && top->kind == FRAME_EDIT)
    service_protocol_changes (top->entry, word (words, 2)->text);

  FwrFosAttr *attr = attr_get_or_add (attrs, key);
  if (replace)
    g_array_set_size (attr->values, 0);
  for (guint i = 2; i < words->len; i++)
    {
      FwrFosValue *value = word (words, i);
      if (strcmp (command, "unselect") == 0)
        {
          for (guint v = attr->values->len; v > 0; v--)
            if (strcmp (g_array_index (attr->values, FwrFosValue, v - 1).text, value->text) == 0)
              g_array_remove_index (attr->values, v - 1);
        }
      else if (replace || !attr_has_value (attr, value->text))
        values_append_copy (attr->values, value);
    }
  return TRUE;
}

/* delete, purge, rename, clone, move */

static void blocks_copy_into (FwrFosBlocks *dest, const FwrFosBlocks *src);

static void
attrs_copy_into (GHashTable *dest, GHashTable *src)
{
  GHashTableIter iter;
  FwrFosAttr *attr;
  g_hash_table_iter_init (&iter, src);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &attr))
    {
      FwrFosAttr *copy = g_new0 (FwrFosAttr, 1);
      copy->key = g_strdup (attr->key);
      copy->line = attr->line;
      copy->column = attr->column;
      copy->values = values_new ();
      for (guint i = 0; i < attr->values->len; i++)
        values_append_copy (copy->values, &g_array_index (attr->values, FwrFosValue, i));
      g_hash_table_insert (dest, copy->key, copy);
    }
}

static FwrFosEntry *
entry_copy (const FwrFosEntry *src, FwrFosNode *owner)
{
  const FwrFosName *first = &g_array_index (src->names, FwrFosName, 0);
  FwrFosEntry *entry = entry_new (owner, first->name, src->line, src->column, first->seq);
  for (guint i = 1; i < src->names->len; i++)
    {
      const FwrFosName *held = &g_array_index (src->names, FwrFosName, i);
      FwrFosName copy = { g_strdup (held->name), held->seq, held->line };
      g_array_append_val (entry->names, copy);
    }
  g_free (entry->name);
  entry->name = g_strdup (src->name);
  attrs_copy_into (entry->attrs, src->attrs);
  blocks_copy_into (&entry->children, &src->children);
  return entry;
}

static void
blocks_copy_into (FwrFosBlocks *dest, const FwrFosBlocks *src)
{
  for (guint i = 0; i < src->list->len; i++)
    {
      const FwrFosNode *from = g_ptr_array_index (src->list, i);
      FwrFosNode *node = blocks_get_or_add (dest, from->path, from->line, from->column);
      node->max_id = from->max_id;
      attrs_copy_into (node->attrs, from->attrs);
      for (guint e = 0; e < from->entries->len; e++)
        {
          FwrFosEntry *entry = entry_copy (g_ptr_array_index (from->entries, e), node);
          g_ptr_array_add (node->entries, entry);
          g_hash_table_insert (node->by_name, entry->name, entry);
        }
      blocks_copy_into (&node->children, &from->children);
    }
}

static FwrFosEntry *
table_entry (Parser *p, FwrFosNode *node, const FwrFosValue *name, const char *command)
{
  FwrFosEntry *entry = g_hash_table_lookup (node->by_name, name->text);
  if (entry == NULL)
    _fwr_fos_config_warn (p->config, name->line, name->column,
                          "%s: “%s” has no entry “%s”: ignored", command, node->path, name->text);
  return entry;
}

static void
table_rename (Parser *p, FwrFosNode *node, GArray *words, gboolean clone)
{
  const char *command = word (words, 0)->text;
  FwrFosValue *new_name = word (words, 3);
  FwrFosEntry *entry = table_entry (p, node, word (words, 1), command);
  if (entry == NULL)
    return;
  if (g_hash_table_contains (node->by_name, new_name->text))
    {
      _fwr_fos_config_warn (p->config, new_name->line, new_name->column,
                            "%s: “%s” already exists in “%s”: ignored", command, new_name->text, node->path);
      return;
    }
  if (clone)
    {
      entry = entry_copy (entry, node);
      g_array_set_size (entry->names, 0);
      entry->line = new_name->line;
      entry->column = new_name->column;
      g_ptr_array_add (node->entries, entry);
    }
  else
    {
      g_hash_table_remove (node->by_name, entry->name);
      node->renamed = TRUE;
    }
  FwrFosName held = { g_strdup (new_name->text), new_name->seq, new_name->line };
  g_array_append_val (entry->names, held);
  g_free (entry->name);
  entry->name = g_strdup (new_name->text);
  g_hash_table_insert (node->by_name, entry->name, entry);
  node_note_id (node, entry->name);
}

static void
table_move (Parser *p, FwrFosNode *node, GArray *words)
{
  FwrFosEntry *entry = table_entry (p, node, word (words, 1), "move");
  FwrFosEntry *anchor = table_entry (p, node, word (words, 3), "move");
  if (entry == NULL || anchor == NULL || entry == anchor)
    return;
  guint at = 0;
  g_ptr_array_find (node->entries, entry, &at);
  g_ptr_array_steal_index (node->entries, at);
  g_ptr_array_find (node->entries, anchor, &at);
  if (strcmp (word (words, 2)->text, "after") == 0)
    at++;
  g_ptr_array_insert (node->entries, (int) at, entry);
}

static gboolean
run_table (Parser *p, GArray *words)
{
  FwrFosValue *kw = word (words, 0);
  const char *command = kw->text;
  Frame *top = top_frame (p);
  if (top == NULL || top->kind != FRAME_CONFIG)
    {
      _fwr_fos_config_warn (p->config, kw->line, kw->column, "“%s” outside a table: ignored", command);
      return TRUE;
    }
  FwrFosNode *node = top->node;
  gboolean two_names = strcmp (command, "rename") == 0 || strcmp (command, "clone") == 0;
  gboolean is_move = strcmp (command, "move") == 0;

  if (strcmp (command, "purge") == 0)
    {
      g_hash_table_remove_all (node->by_name);
      g_ptr_array_set_size (node->entries, 0);
    }
  else if (strcmp (command, "delete") == 0 && words->len == 2)
    {
      FwrFosEntry *entry = table_entry (p, node, word (words, 1), command);
      if (entry != NULL)
        {
          g_hash_table_remove (node->by_name, entry->name);
          g_ptr_array_remove (node->entries, entry);
        }
    }
  else if (two_names && words->len == 4 && strcmp (word (words, 2)->text, "to") == 0)
    table_rename (p, node, words, strcmp (command, "clone") == 0);
  else if (is_move && words->len == 4 &&
           (strcmp (word (words, 2)->text, "before") == 0 || strcmp (word (words, 2)->text, "after") == 0))
    table_move (p, node, words);
  else
    _fwr_fos_config_warn (p->config, kw->line, kw->column, "malformed “%s”: ignored", command);
  return TRUE;
}

static gboolean
run_statement (Parser *p, GArray *words)
{
  FwrFosValue *kw = word (words, 0);
  const char *command = kw->text;
  if (strcmp (command, "config") == 0)
    return run_config (p, words);
  if (strcmp (command, "edit") == 0)
    return run_edit (p, words);
  if (strcmp (command, "next") == 0)
    return run_next (p, words);
  if (strcmp (command, "end") == 0)
    return run_end (p, words);
  if (strcmp (command, "set") == 0 || strcmp (command, "unset") == 0 || strcmp (command, "append") == 0 ||
      strcmp (command, "select") == 0 || strcmp (command, "unselect") == 0)
    return run_attr (p, words);
  if (strcmp (command, "delete") == 0 || strcmp (command, "purge") == 0 || strcmp (command, "rename") == 0 ||
      strcmp (command, "clone") == 0 || strcmp (command, "move") == 0)
    return run_table (p, words);
  _fwr_fos_config_warn (p->config, kw->line, kw->column, "unknown command “%s”: ignored", command);
  return TRUE;
}

static void
fail_unclosed (Parser *p)
{
  Frame *frame = top_frame (p);
  for (guint i = p->stack->len; i > 0; i--)
    {
      frame = &g_array_index (p->stack, Frame, i - 1);
      if (frame->kind != FRAME_EDIT && frame->kind != FRAME_VDOM)
        break;
    }
  const char *what = frame->kind == FRAME_VDOM_LIST ? "vdom"
                     : frame->kind == FRAME_GLOBAL  ? "global"
                     : frame->node != NULL          ? frame->node->path
                                                    : "vdom";
  _fwr_import_set_error (p->error, FWR_IMPORT_ERROR_MALFORMED, p->lx.file, frame->line, frame->column,
                         "“config %s” opened here is never closed: the file ends before its “end”", what);
}

FwrFosConfig *
_fwr_fos_config_parse (const char *name, const char *data, gsize length, GError **error)
{
  const char *nul = memchr (data, '\0', length);
  if (nul != NULL)
    {
      guint line = 1;
      const char *line_start = data;
      for (const char *c = data; c < nul; c++)
        if (*c == '\n')
          line++, line_start = c + 1;
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, name, line, (guint) (nul - line_start) + 1,
                             "a NUL byte: this is not a FortiOS text configuration");
      return NULL;
    }

  g_autoptr (FwrFosConfig) config = g_new0 (FwrFosConfig, 1);
  config->vdoms = g_ptr_array_new_with_free_func ((GDestroyNotify) scope_free);
  config->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) warning_free);
  Parser p = { .lx = { .file = name, .data = data, .length = length, .line = 1, .column = 1, .config = config },
               .config = config, .error = error };
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    p.lx.pos = 3;
  p.stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_autoptr (GArray) words = values_new ();
  gboolean ok = TRUE;
  for (;;)
    {
      LexResult result = lex_statement (&p.lx, words, ++p.seq, error);
      if (result == LEX_EOF)
        break;
      if (result == LEX_ERROR || !run_statement (&p, words))
        {
          ok = FALSE;
          break;
        }
    }
  if (ok && p.stack->len > 0)
    {
      fail_unclosed (&p);
      ok = FALSE;
    }
  g_array_unref (p.stack);
  g_free (p.lx.header_vdom);
  return ok ? g_steal_pointer (&config) : NULL;
}
