/* fwr-box-index.c: static packed R-trees over the bounding boxes of the entries' cubes, so each
 * rule meets only the few rules it can overlap instead of all of them. */
#include "fwr-flow-private.h"

#include <math.h>

#define FANOUT 16
#define N_KEYS 4

/* The dimensions boxes are kept in: key 0 dst, 1 src, 2 dport, 3 proto. */
static const FwrDim key_dims[N_KEYS] = { FWR_DIM_DST, FWR_DIM_SRC, FWR_DIM_DPORT, FWR_DIM_PROTO };

typedef struct {
  fwr_u128 lo[N_KEYS];
  fwr_u128 hi[N_KEYS];
} Box;

typedef struct {
  Box box;
  guint32 pos;
} Item;

typedef struct {
  Box box;
  guint32 first;  /* index in the level below (in the order array for level 0) */
  guint32 count;
} Node;

/* One ordering of a pool: sort-tile on (primary, secondary), or a plain 1-D order on primary
 * when secondary is -1, so leaves are tight in that one dimension. */
typedef struct {
  int primary;
  int secondary;
  guint32 *order;     /* indexes into the pool */
  GPtrArray *levels;  /* (element-type GArray of Node), level 0 = leaves */
} Tree;

#define N_TREES 4

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

/* Per kind: the orderings built. Kind 0: dst and src narrow; 1: src any; 2: dst any; 3: both. */
static const int kind_trees[N_KINDS][N_TREES][2] = {
  { { 0, 1 }, { 0, -1 }, { 1, -1 }, { 2, -1 } },
  { { 0, 2 }, { 0, -1 }, { 2, -1 }, { -1, -1 } },
  { { 1, 2 }, { 1, -1 }, { 2, -1 }, { -1, -1 } },
  { { 2, 3 }, { 2, -1 }, { -1, -1 }, { -1, -1 } },
};

static const Item *sort_items;
static int sort_key;

static int
compare_order (gconstpointer a, gconstpointer b)
{
  const Item *ia = &sort_items[*(const guint32 *) a], *ib = &sort_items[*(const guint32 *) b];
  fwr_u128 va = ia->box.lo[sort_key], vb = ib->box.lo[sort_key];
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
  for (guint k = 0; k < N_KEYS; k++)
    {
      if (first || other->lo[k] < box->lo[k])
        box->lo[k] = other->lo[k];
      if (first || other->hi[k] > box->hi[k])
        box->hi[k] = other->hi[k];
    }
}

static gboolean
box_overlaps (const Box *a, const Box *b)
{
  for (guint k = 0; k < N_KEYS; k++)
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
  if (tree->secondary >= 0)
    {
      /* Sort-tile: slabs along the primary key, each sorted along the secondary key. */
      guint n_leaves = (pool->n_items + FANOUT - 1) / FANOUT;
      guint slab = FANOUT * (guint) ceil (sqrt ((double) n_leaves));
      for (guint start = 0; start < pool->n_items; start += slab)
        sort_range (pool, tree->order + start, MIN (slab, pool->n_items - start), tree->secondary);
    }

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
    _fwr_cube_hull (cube, domain, key_dims[k], &box->lo[k], &box->hi[k]);
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
              if (pass == 0)
                {
                  counts[f][kind]++;
                  continue;
                }
              Pool *pool = &index->pools[f][kind];
              Item *item = &pool->items[pool->n_items++];
              item->pos = entry->pos;
              cube_box (flow, cube, &item->box);
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
        for (guint t = 0; t < N_TREES && kind_trees[k][t][0] >= 0; t++)
          {
            Tree *tree = &pool->trees[pool->n_trees++];
            tree->primary = kind_trees[k][t][0];
            tree->secondary = kind_trees[k][t][1];
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

static void
tree_query (Pool *pool, Tree *tree, const Box *box, GArray *out)
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
      if (!box_overlaps (&node->box, box))
        continue;
      for (guint i = 0; i < node->count; i++)
        {
          guint32 child = node->first + i;
          if (level_index == 0)
            {
              const Item *item = &pool->items[tree->order[child]];
              if (box_overlaps (&item->box, box))
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
  return box->lo[key] != 0 || box->hi[key] != domain->max[key_dims[key]];
}

/* The ordering that prunes best for this query: a tiling on two keys the query restricts, else
 * a 1-D order on one it restricts, else (it restricts none) any. */
static Tree *
choose_tree (Pool *pool, const Box *box, const FwrDomain *domain)
{
  Tree *best = &pool->trees[0];
  int best_score = -1;
  for (guint t = 0; t < pool->n_trees; t++)
    {
      Tree *tree = &pool->trees[t];
      int score = box_key_is_narrow (box, domain, tree->primary) ? 2 : 0;
      if (score > 0 && tree->secondary >= 0)
        score += box_key_is_narrow (box, domain, tree->secondary) ? 2 : -1;
      if (score > best_score)
        best = tree, best_score = score;
    }
  return best;
}

void
_fwr_box_index_query (FwrBoxIndex *index, FwrFlow *flow, const FwrCube *cube, GArray *out)
{
  Box box;
  cube_box (flow, cube, &box);
  guint f = cube->family == FWR_FAMILY_IPV4 ? 0 : 1;
  const FwrDomain *domain = _fwr_flow_domain (flow, cube->family);
  for (guint k = 0; k < N_KINDS; k++)
    {
      Pool *pool = &index->pools[f][k];
      if (pool->n_items > 0)
        tree_query (pool, choose_tree (pool, &box, domain), &box, out);
    }
}
