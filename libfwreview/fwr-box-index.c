/* fwr-box-index.c: static packed R-trees over the bounding boxes of the entries' cubes, so each
 * rule meets only the few rules it can overlap instead of all of them. */
#include "fwr-flow-private.h"


#define FANOUT 16
#define N_KEYS 6
#define KEY_IIF 4

/* The dimensions boxes are kept in: key 0 dst, 1 src, 2 dport, 3 proto, 4 iif, 5 oif. Rules
 * reached through "iifname X jump ..." all carry their interface, so every ordering groups by
 * input interface first: rules of different zones then never meet in a leaf. */
static const FwrDim key_dims[N_KEYS] = { FWR_DIM_DST, FWR_DIM_SRC, FWR_DIM_DPORT, FWR_DIM_PROTO,
                                         FWR_DIM_IIF, FWR_DIM_OIF };

/* Addresses need 128 bits, the other keys (ports, protocols, interface classes) 32: boxes are
 * the index's bulk, one per span of a set of prefixes, so they are kept small. */
#define N_ADDR_KEYS 2

typedef struct {
  fwr_u128 addr_lo[N_ADDR_KEYS];
  fwr_u128 addr_hi[N_ADDR_KEYS];
  guint32 lo[N_KEYS - N_ADDR_KEYS];
  guint32 hi[N_KEYS - N_ADDR_KEYS];
} Box;

static inline fwr_u128
box_lo (const Box *box, int k)
{
  return k < N_ADDR_KEYS ? box->addr_lo[k] : box->lo[k - N_ADDR_KEYS];
}

static inline fwr_u128
box_hi (const Box *box, int k)
{
  return k < N_ADDR_KEYS ? box->addr_hi[k] : box->hi[k - N_ADDR_KEYS];
}

static inline void
box_set (Box *box, int k, fwr_u128 lo, fwr_u128 hi)
{
  if (k < N_ADDR_KEYS)
    box->addr_lo[k] = lo, box->addr_hi[k] = hi;
  else
    box->lo[k - N_ADDR_KEYS] = (guint32) lo, box->hi[k - N_ADDR_KEYS] = (guint32) hi;
}

typedef struct {
  Box box;
  guint32 pos;
} Item;

typedef struct {
  Box box;
  guint32 first;  /* index in the level below (in the order array for level 0) */
  guint32 count;
} Node;

/* One ordering of a pool: by input interface, then by one key, so leaves are tight in it. */
typedef struct {
  int primary;
  guint32 *order;     /* indexes into the pool */
  GPtrArray *levels;  /* (element-type GArray of Node), level 0 = leaves */
} Tree;

#define N_TREES 3

/* Boxes of one family and kind. The kind says which of dst and src are "any": a wildcard
 * dimension sorted on would put its items in every slab, so each kind sorts only on
 * dimensions where its boxes are narrow; queries then pick the ordering that suits them. */
typedef struct {
  Item *items;
  guint n_items;
  Tree trees[N_TREES];
  guint n_trees;
} Pool;

#define N_KINDS 4
struct _FwrBoxIndex {
  Pool pools[2][N_KINDS];
};

/* Per kind, the keys ordered on, most selective first (-1 ends the list). Kind 0: dst and src
 * narrow; 1: src any; 2: dst any; 3: both any. Sort-tile orderings on two keys were tried and
 * measured slower: boxes with wide ranges widen the tiles. */
static const int kind_trees[N_KINDS][N_TREES] = {
  { 0, 1, 2 },
  { 0, 2, -1 },
  { 1, 2, -1 },
  { 2, -1, -1 },
};

static const Item *sort_items;
static int sort_key;

static int
compare_order (gconstpointer a, gconstpointer b)
{
  const Item *ia = &sort_items[*(const guint32 *) a], *ib = &sort_items[*(const guint32 *) b];
  fwr_u128 iif_a = box_lo (&ia->box, KEY_IIF), iif_b = box_lo (&ib->box, KEY_IIF);
  if (iif_a != iif_b)
    return iif_a < iif_b ? -1 : 1;
  fwr_u128 va = box_lo (&ia->box, sort_key), vb = box_lo (&ib->box, sort_key);
  if (va != vb)
    return va < vb ? -1 : 1;
  return ia->pos < ib->pos ? -1 : (ia->pos > ib->pos);
}

static void
sort_range (Pool *pool, guint32 *order, guint n, int key)
{
  /* qsort takes no user data; the analysis builds one index at a time. */
  sort_items = pool->items;
  sort_key = key;
  qsort (order, n, sizeof (guint32), compare_order);
}

static void
box_extend (Box *box, const Box *other, gboolean first)
{
  if (first)
    {
      *box = *other;
      return;
    }
  for (guint k = 0; k < N_ADDR_KEYS; k++)
    {
      box->addr_lo[k] = MIN (box->addr_lo[k], other->addr_lo[k]);
      box->addr_hi[k] = MAX (box->addr_hi[k], other->addr_hi[k]);
    }
  for (guint k = 0; k < N_KEYS - N_ADDR_KEYS; k++)
    {
      box->lo[k] = MIN (box->lo[k], other->lo[k]);
      box->hi[k] = MAX (box->hi[k], other->hi[k]);
    }
}

static gboolean
box_overlaps (const Box *a, const Box *b)
{
  for (guint k = 0; k < N_ADDR_KEYS; k++)
    if (a->addr_hi[k] < b->addr_lo[k] || b->addr_hi[k] < a->addr_lo[k])
      return FALSE;
  for (guint k = 0; k < N_KEYS - N_ADDR_KEYS; k++)
    if (a->hi[k] < b->lo[k] || b->hi[k] < a->lo[k])
      return FALSE;
  return TRUE;
}

static void
tree_build (Pool *pool, Tree *tree)
{
  tree->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  tree->order = g_new (guint32, MAX (pool->n_items, 1));
  for (guint i = 0; i < pool->n_items; i++)
    tree->order[i] = i;
  if (pool->n_items == 0)
    return;

  sort_range (pool, tree->order, pool->n_items, tree->primary);

  GArray *level = g_array_new (FALSE, FALSE, sizeof (Node));
  for (guint start = 0; start < pool->n_items; start += FANOUT)
    {
      Node node = { .first = start, .count = MIN (FANOUT, pool->n_items - start) };
      for (guint i = 0; i < node.count; i++)
        box_extend (&node.box, &pool->items[tree->order[start + i]].box, i == 0);
      g_array_append_val (level, node);
    }
  g_ptr_array_add (tree->levels, level);

  while (level->len > 1)
    {
      GArray *upper = g_array_new (FALSE, FALSE, sizeof (Node));
      for (guint start = 0; start < level->len; start += FANOUT)
        {
          Node node = { .first = start, .count = MIN (FANOUT, level->len - start) };
          for (guint i = 0; i < node.count; i++)
            box_extend (&node.box, &g_array_index (level, Node, start + i).box, i == 0);
          g_array_append_val (upper, node);
        }
      g_ptr_array_add (tree->levels, upper);
      level = upper;
    }
}

static void
cube_box (FwrFlow *flow, const FwrCube *cube, Box *box)
{
  const FwrDomain *domain = _fwr_flow_domain (flow, cube->family);
  for (guint k = 0; k < N_KEYS; k++)
    {
      fwr_u128 lo, hi;
      _fwr_cube_hull (cube, domain, key_dims[k], &lo, &hi);
      box_set (box, (int) k, lo, hi);
    }
}

/* A set of scattered prefixes has a bounding box as wide as its extremes: as an item it would
 * widen every node it lands in, as a query it would visit most of the tree. Up to MAX_SPLIT
 * spans of one address dimension are therefore boxes of their own, both when indexed and when
 * queried; beyond that, one box is the hull. */
#define MAX_SPLIT 64

/* The key (0 dst, 1 src) along which a cube's spans are taken one by one, or -1. */
static int
split_key (const FwrCube *cube)
{
  for (int k = 0; k < 2; k++)
    {
      FwrDim d = key_dims[k];
      if (!_fwr_cube_is_full_dim (cube, d) && cube->dims[d].n > 1 && cube->dims[d].n <= MAX_SPLIT)
        return k;
    }
  return -1;
}

static guint
cube_n_boxes (const FwrCube *cube)
{
  int k = split_key (cube);
  return k < 0 ? 1 : cube->dims[key_dims[k]].n;
}

/* Box b of the cube's split boxes (the hull when it has one box). */
static void
cube_split_box (FwrFlow *flow, const FwrCube *cube, guint b, Box *box)
{
  cube_box (flow, cube, box);
  int k = split_key (cube);
  if (k >= 0)
    {
      box_set (box, k, cube->dims[key_dims[k]].spans[b].lo, cube->dims[key_dims[k]].spans[b].hi);
    }
}

static guint
cube_kind (const FwrCube *cube)
{
  gboolean any_dst = _fwr_cube_is_full_dim (cube, FWR_DIM_DST);
  gboolean any_src = _fwr_cube_is_full_dim (cube, FWR_DIM_SRC);
  if (!any_dst)
    return any_src ? 1 : 0;
  return any_src ? 3 : 2;
}

FwrBoxIndex *
_fwr_box_index_new (FwrFlow *flow, GArray *entries)
{
  FwrBoxIndex *index = g_new0 (FwrBoxIndex, 1);
  guint counts[2][N_KINDS] = { { 0 } };

  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint e = 0; e < entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (entries, FwrEntry, e);
          for (guint c = 0; c < entry->space->len; c++)
            {
              FwrCube *cube = g_ptr_array_index (entry->space, c);
              guint f = cube->family == FWR_FAMILY_IPV4 ? 0 : 1;
              guint kind = cube_kind (cube);
              guint n_boxes = cube_n_boxes (cube);
              if (pass == 0)
                {
                  counts[f][kind] += n_boxes;
                  continue;
                }
              Pool *pool = &index->pools[f][kind];
              for (guint b = 0; b < n_boxes; b++)
                {
                  Item *item = &pool->items[pool->n_items++];
                  item->pos = entry->pos;
                  cube_split_box (flow, cube, b, &item->box);
                }
            }
        }
      if (pass == 0)
        for (guint f = 0; f < 2; f++)
          for (guint k = 0; k < N_KINDS; k++)
            index->pools[f][k].items = g_new (Item, MAX (counts[f][k], 1));
    }

  for (guint f = 0; f < 2; f++)
    for (guint k = 0; k < N_KINDS; k++)
      {
        Pool *pool = &index->pools[f][k];
        for (guint t = 0; t < N_TREES && kind_trees[k][t] >= 0; t++)
          {
            Tree *tree = &pool->trees[pool->n_trees++];
            tree->primary = kind_trees[k][t];
            tree_build (pool, tree);
          }
      }
  return index;
}

void
_fwr_box_index_free (FwrBoxIndex *index)
{
  if (index == NULL)
    return;
  for (guint f = 0; f < 2; f++)
    for (guint k = 0; k < N_KINDS; k++)
      {
        Pool *pool = &index->pools[f][k];
        for (guint t = 0; t < pool->n_trees; t++)
          {
            g_free (pool->trees[t].order);
            g_ptr_array_unref (pool->trees[t].levels);
          }
        g_free (pool->items);
      }
  g_free (index);
}

/* Does box meet the query: the hull, and when spans is set, one of its spans in key k? The
 * tree's own key is tested first: it is where nodes are tight and most tests fail. */
static gboolean
box_meets (const Box *box, const Box *hull, int key, const FwrSpans *spans)
{
  /* Every ordering groups by input interface first, so whole subtrees of other zones fail
   * here, on one 32-bit comparison. */
  guint iif = KEY_IIF - N_ADDR_KEYS;
  if (box->hi[iif] < hull->lo[iif] || hull->hi[iif] < box->lo[iif])
    return FALSE;
  if (box_hi (box, key) < box_lo (hull, key) || box_hi (hull, key) < box_lo (box, key))
    return FALSE;
  if (spans != NULL && !_fwr_spans_meets_range (spans, box_lo (box, key), box_hi (box, key)))
    return FALSE;
  return box_overlaps (box, hull);
}

/* Items meeting the query in one walk of the tree; spans (nullable) are the query's spans in
 * the tree's key, so a set of scattered prefixes costs one walk, not one per prefix. */
static void
tree_query (Pool *pool, Tree *tree, const Box *hull, const FwrSpans *spans, GArray *out)
{
  if (tree->levels->len == 0)
    return;

  /* Depth-first; at most FANOUT children wait per level of a shallow tree. */
  guint32 stack_level[16 * FANOUT];
  guint32 stack_node[16 * FANOUT];
  guint top = 0;
  stack_level[top] = tree->levels->len - 1;
  stack_node[top++] = 0;

  while (top > 0)
    {
      top--;
      guint level_index = stack_level[top];
      Node *node = &g_array_index ((GArray *) g_ptr_array_index (tree->levels, level_index), Node,
                                   stack_node[top]);
      if (!box_meets (&node->box, hull, tree->primary, spans))
        continue;
      for (guint i = 0; i < node->count; i++)
        {
          guint32 child = node->first + i;
          if (level_index == 0)
            {
              const Item *item = &pool->items[tree->order[child]];
              if (box_meets (&item->box, hull, tree->primary, spans))
                g_array_append_val (out, item->pos);
            }
          else
            {
              g_assert (top < G_N_ELEMENTS (stack_level));
              stack_level[top] = level_index - 1;
              stack_node[top++] = child;
            }
        }
    }
}

static gboolean
box_key_is_narrow (const Box *box, const FwrDomain *domain, int key)
{
  return box_lo (box, key) != 0 || box_hi (box, key) != domain->max[key_dims[key]];
}

/* The first ordering on a key the query restricts; if it restricts none, everything overlaps
 * in those keys anyway and any ordering does. */
static Tree *
choose_tree (Pool *pool, const Box *box, const FwrDomain *domain)
{
  for (guint t = 0; t < pool->n_trees; t++)
    if (box_key_is_narrow (box, domain, pool->trees[t].primary))
      return &pool->trees[t];
  return &pool->trees[0];
}

void
_fwr_box_index_query (FwrBoxIndex *index, FwrFlow *flow, const FwrCube *cube, GArray *out)
{
  guint f = cube->family == FWR_FAMILY_IPV4 ? 0 : 1;
  const FwrDomain *domain = _fwr_flow_domain (flow, cube->family);
  int split = split_key (cube);
  Box hull;
  cube_box (flow, cube, &hull);

  for (guint k = 0; k < N_KINDS; k++)
    {
      Pool *pool = &index->pools[f][k];
      if (pool->n_items == 0)
        continue;
      Tree *tree = choose_tree (pool, &hull, domain);
      /* The spans prune where the ordering is on their key; elsewhere the hull says it all. */
      const FwrSpans *spans = split >= 0 && tree->primary == split ? &cube->dims[key_dims[split]] : NULL;
      tree_query (pool, tree, &hull, spans, out);
    }
}
