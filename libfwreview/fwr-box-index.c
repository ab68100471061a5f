/* fwr-box-index.c: a static packed R-tree (sort-tile-recursive) over the bounding boxes of the
 * entries' cubes, so each rule meets only the few rules it can overlap instead of all of them. */
#include "fwr-flow-private.h"

#include <math.h>

#define FANOUT 16
#define N_KEYS 4

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
  guint32 first;  /* index in the level below (items for level 0) */
  guint32 count;
} Node;

typedef struct {
  Item *items;
  guint n_items;
  GPtrArray *levels; /* (element-type GArray of Node), level 0 = leaves */
} Tree;

/* Trees per family (IPv4, IPv6) and kind: destination restricted; destination any but source
 * restricted; both any. Each kind sorts by the dimensions that tell its boxes apart. */
#define N_KINDS 3
struct _FwrBoxIndex {
  Tree trees[2][N_KINDS];
};

static const guint sort_keys[N_KINDS][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 } };

static guint sort_primary;

static int
compare_items (gconstpointer a, gconstpointer b)
{
  const Item *ia = a, *ib = b;
  fwr_u128 va = ia->box.lo[sort_primary], vb = ib->box.lo[sort_primary];
  if (va != vb)
    return va < vb ? -1 : 1;
  return ia->pos < ib->pos ? -1 : (ia->pos > ib->pos);
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
tree_build (Tree *tree, guint kind)
{
  tree->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  if (tree->n_items == 0)
    return;

  /* Sort-tile: slabs along the primary key, each sorted along the secondary key. The sort
   * key is a file static because qsort takes no user data; the analysis is single-threaded. */
  guint n_leaves = (tree->n_items + FANOUT - 1) / FANOUT;
  guint slab = FANOUT * (guint) ceil (sqrt ((double) n_leaves));
  sort_primary = sort_keys[kind][0];
  qsort (tree->items, tree->n_items, sizeof (Item), compare_items);
  sort_primary = sort_keys[kind][1];
  for (guint start = 0; start < tree->n_items; start += slab)
    qsort (tree->items + start, MIN (slab, tree->n_items - start), sizeof (Item), compare_items);

  GArray *level = g_array_new (FALSE, FALSE, sizeof (Node));
  for (guint start = 0; start < tree->n_items; start += FANOUT)
    {
      Node node = { .first = start, .count = MIN (FANOUT, tree->n_items - start) };
      for (guint i = 0; i < node.count; i++)
        box_extend (&node.box, &tree->items[start + i].box, i == 0);
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
  if (!_fwr_cube_is_full_dim (cube, FWR_DIM_DST))
    return 0;
  return _fwr_cube_is_full_dim (cube, FWR_DIM_SRC) ? 2 : 1;
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
              Tree *tree = &index->trees[f][kind];
              Item *item = &tree->items[tree->n_items++];
              item->pos = entry->pos;
              cube_box (flow, cube, &item->box);
            }
        }
      if (pass == 0)
        for (guint f = 0; f < 2; f++)
          for (guint k = 0; k < N_KINDS; k++)
            index->trees[f][k].items = g_new (Item, MAX (counts[f][k], 1));
    }

  for (guint f = 0; f < 2; f++)
    for (guint k = 0; k < N_KINDS; k++)
      tree_build (&index->trees[f][k], k);
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
        g_free (index->trees[f][k].items);
        g_ptr_array_unref (index->trees[f][k].levels);
      }
  g_free (index);
}

static void
tree_query (Tree *tree, const Box *box, GArray *out)
{
  if (tree->levels->len == 0)
    return;

  /* Depth-first over (level, node) pairs; the tree is shallow (16^4 = 65536 leaves). */
  guint32 stack_level[64 * FANOUT];
  guint32 stack_node[64 * FANOUT];
  guint top = 0;
  GArray *root = g_ptr_array_index (tree->levels, tree->levels->len - 1);
  for (guint i = 0; i < root->len; i++)
    {
      stack_level[top] = tree->levels->len - 1;
      stack_node[top++] = i;
    }

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
              if (box_overlaps (&tree->items[child].box, box))
                g_array_append_val (out, tree->items[child].pos);
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

void
_fwr_box_index_query (FwrBoxIndex *index, FwrFlow *flow, const FwrCube *cube, GArray *out)
{
  Box box;
  cube_box (flow, cube, &box);
  guint f = cube->family == FWR_FAMILY_IPV4 ? 0 : 1;
  for (guint k = 0; k < N_KINDS; k++)
    tree_query (&index->trees[f][k], &box, out);
}
