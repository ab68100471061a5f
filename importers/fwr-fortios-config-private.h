/* fwr-fortios-config-private.h: a FortiOS CLI configuration as a tree of config blocks, edit
 * entries and attributes, after replaying set/unset/append/delete/rename/clone/move in order. */
#pragma once

#include "fwr-import-private.h"

G_BEGIN_DECLS

/* One word of a statement, unquoted and unescaped. seq numbers the statement that gave it,
 * so a reference can be resolved against the objects as they were at that moment. */
typedef struct {
  char *text;
  guint line;
  guint column;
  guint seq;
} FwrFosValue;

typedef struct {
  char *key;
  GArray *values;      /* (element-type FwrFosValue) */
  guint line;          /* of the key in the statement that last changed it */
  guint column;
} FwrFosAttr;

typedef struct {
  char *name;
  guint seq;           /* held from this statement on, until the next rename */
  guint line;
} FwrFosName;

typedef struct _FwrFosNode FwrFosNode;
typedef struct _FwrFosEntry FwrFosEntry;

/* Nested config blocks in the order first seen, with an index by path. */
typedef struct {
  GPtrArray *list;     /* (element-type FwrFosNode) (owned) */
  GHashTable *by_path; /* path -> node */
} FwrFosBlocks;

struct _FwrFosEntry {
  char *name;          /* the current name */
  guint line;          /* of the edit (or clone) that created it */
  guint column;
  GArray *names;       /* (element-type FwrFosName) every name it had, oldest first */
  GHashTable *attrs;   /* key -> FwrFosAttr (owned) */
  FwrFosBlocks children;
  FwrFosNode *node;    /* (not owned) the table holding it */
};

struct _FwrFosNode {
  char *path;          /* "firewall address": the words after config */
  guint line;          /* of the first config block with this path */
  guint column;
  GPtrArray *entries;  /* (element-type FwrFosEntry) (owned) in table order */
  GHashTable *by_name; /* current name -> entry */
  GHashTable *attrs;   /* key -> FwrFosAttr: set lines outside any edit */
  FwrFosBlocks children;
  guint64 max_id;      /* largest numeric entry name, for "edit 0" */
  gboolean renamed;    /* some entry was renamed: names have a history to search */
};

/* A VDOM, the global section, or the whole of a single-VDOM file. */
typedef struct {
  char *name;
  guint line;
  FwrFosBlocks nodes;  /* top-level blocks */
} FwrFosScope;

typedef struct {
  guint line;
  guint column;
  char *text;
} FwrFosWarning;

typedef struct {
  GPtrArray *vdoms;    /* (element-type FwrFosScope) first seen first */
  FwrFosScope *global; /* (nullable) config global */
  gboolean multi_vdom; /* the file has config vdom blocks */
  GPtrArray *warnings; /* (element-type FwrFosWarning) in file order */
} FwrFosConfig;

FwrFosConfig *_fwr_fos_config_parse (const char *name, const char *data, gsize length, GError **error);
void          _fwr_fos_config_free  (FwrFosConfig *config);
void          _fwr_fos_config_warn  (FwrFosConfig *config, guint line, guint column,
                                     const char *format, ...) G_GNUC_PRINTF (4, 5);

/* (nullable) The top-level block of scope with that path. */
FwrFosNode   *_fwr_fos_scope_get_node  (const FwrFosScope *scope, const char *path);
/* (nullable) */
FwrFosAttr   *_fwr_fos_entry_get_attr  (const FwrFosEntry *entry, const char *key);
/* The first value of key, or fallback when the key is not set (FortiOS's default). */
const char   *_fwr_fos_entry_get_value (const FwrFosEntry *entry, const char *key, const char *fallback);
/* (nullable) The entry of node whose name was name when statement seq ran (a reference made
 * then). *note is set to a warning text (caller frees) when the binding needed a guess: the
 * name was defined only later, or had been renamed away. */
FwrFosEntry  *_fwr_fos_node_resolve    (const FwrFosNode *node, const char *name, guint seq, char **note);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrFosConfig, _fwr_fos_config_free)

G_END_DECLS
