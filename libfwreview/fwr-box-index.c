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
#define N_ADDR_KEYS 2

/* A box in values as they are (addresses need 128 bits): what cubes give and queries ask. */
typedef struct {
  fwr_u128 lo[N_KEYS];
  fwr_u128 hi[N_KEYS];
} RawBox;

/* Boxes are the index's bulk (one per span of a set of prefixes), so they are kept in 32-bit
 * coordinates: ports, protocols and interface classes as they are, IPv4 addresses as they
 * are, IPv6 addresses as their rank among the pool's distinct box ends (see Axis). */
typedef struct {
  guint32 lo[N_KEYS];
  guint32 hi[N_KEYS];
} Box;

/* How one address key of a pool maps to coordinates. With values NULL the coordinate is the
 * value itself (IPv4); otherwise values holds the pool's distinct box ends in order and the
 * coordinate of values[i] is i + 1. A query end that is no box end maps between its
 * neighbours (its lower end up, its upper end down), which keeps every overlap test exact:
 * lo <= q.hi holds for a box end lo exactly when it holds for their coordinates. */
typedef struct {
  fwr_u128 *values;
  guint n_values;
} Axis;

typedef struct {
  Box box;
  guint32 pos;
} Item;

typedef struct {
  Box box;
  guint32 first;  /* index in the level below (in the tree's order for level 0) */
  guint32 count;
  guint32 min_pos; /* of the items below */
  guint32 max_pos;
} Node;

/* The positions a query wants: those before `before`, and those from `from` on. */
typedef struct {
  guint before;
  guint from;
} Window;

static inline gboolean
window_wants (const Window *window, guint32 min_pos, guint32 max_pos)
{
  return min_pos < window->before || max_pos >= window->from;
}

/* One ordering of a pool: by input interface, then by one key, so leaves are tight in it. */
typedef struct {
  int primary;
  guint32 *order;     /* (nullable) indexes into the pool; NULL: the pool's own order */
  GPtrArray *levels;  /* (element-type GArray of Node), level 0 = leaves */
} Tree;

#define N_TREES 3

/* Boxes of one family and kind. The kind says which of dst and src are "any": a wildcard
 * dimension sorted on would put its items in every slab, so each kind sorts only on
 * dimensions where its boxes are narrow; queries then pick the ordering that suits them. */
typedef struct {
  Item *items;        /* in the first tree's order, so its leaves are read in sequence */
  guint n_items;
  guint n_filled;
  Axis axes[N_ADDR_KEYS];
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

/* Axes */

static int
compare_u128 (gconstpointer a, gconstpointer b)
{
  fwr_u128 x = *(const fwr_u128 *) a, y = *(const fwr_u128 *) b;
  return x < y ? -1 : (x > y);
}

/* Sorts the collected ends and keeps each once. */
static void
axis_seal (Axis *axis)
{
  qsort (axis->values, axis->n_values, sizeof (fwr_u128), compare_u128);
  guint n = 0;
  for (guint i = 0; i < axis->n_values; i++)
    if (n == 0 || axis->values[n - 1] != axis->values[i])
      axis->values[n++] = axis->values[i];
  axis->n_values = n;
  axis->values = g_renew (fwr_u128, axis->values, MAX (n, 1));
}

/* The number of values below v (values[i] < v), by binary search. */
static guint
axis_count_below (const Axis *axis, fwr_u128 v)
{
  guint lo = 0, hi = axis->n_values;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (axis->values[mid] < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The coordinate of the lower end of a range: of the first value >= v. */
static guint32
axis_encode_lo (const Axis *axis, fwr_u128 v)
{
  return axis->values == NULL ? (guint32) v : axis_count_below (axis, v) + 1;
}

/* The coordinate of the upper end of a range: of the last value <= v (0 when none is). */
static guint32
axis_encode_hi (const Axis *axis, fwr_u128 v)
{
  if (axis->values == NULL)
    return (guint32) v;
  guint below = axis_count_below (axis, v);
  return below < axis->n_values && axis->values[below] == v ? below + 1 : below;
}

/* The value of a box end's coordinate (box ends are always values of the axis). */
static fwr_u128
axis_decode (const Axis *axis, guint32 coordinate)
{
  return axis->values == NULL ? coordinate : axis->values[coordinate - 1];
}

/* Boxes */

static void
box_encode (const Pool *pool, const RawBox *raw, Box *box)
{
  for (guint k = 0; k < N_KEYS; k++)
    {
      if (k < N_ADDR_KEYS)
        {
          box->lo[k] = axis_encode_lo (&pool->axes[k], raw->lo[k]);
          box->hi[k] = axis_encode_hi (&pool->axes[k], raw->hi[k]);
        }
      else
        {
          box->lo[k] = (guint32) raw->lo[k];
          box->hi[k] = (guint32) raw->hi[k];
        }
    }
}

static void
box_extend (Box *box, const Box *other)
{
  for (guint k = 0; k < N_KEYS; k++)
    {
      box->lo[k] = MIN (box->lo[k], other->lo[k]);
      box->hi[k] = MAX (box->hi[k], other->hi[k]);
    }
}

static void
node_extend (Node *node, const Box *box, guint32 min_pos, guint32 max_pos, gboolean first)
{
  if (first)
    {
      node->box = *box;
      node->min_pos = min_pos;
      node->max_pos = max_pos;
      return;
    }
  box_extend (&node->box, box);
  node->min_pos = MIN (node->min_pos, min_pos);
  node->max_pos = MAX (node->max_pos, max_pos);
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
cube_raw_box (FwrFlow *flow, const FwrCube *cube, RawBox *box)
{
  const FwrDomain *domain = _fwr_flow_domain (flow, cube->family);
  for (guint k = 0; k < N_KEYS; k++)
    _fwr_cube_hull (cube, domain, key_dims[k], &box->lo[k], &box->hi[k]);
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

/* Box b of the cube's split boxes, given the cube's hull. */
static void
cube_split_box (const FwrCube *cube, const RawBox *hull, guint b, RawBox *box)
{
  *box = *hull;
  int k = split_key (cube);
  if (k >= 0)
    {
      box->lo[k] = cube->dims[key_dims[k]].spans[b].lo;
      box->hi[k] = cube->dims[key_dims[k]].spans[b].hi;
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

/* Building */

/* What an ordering sorts on, next to the item it stands for: sorting these small records
 * reads memory in sequence, where comparing the items themselves would jump all over it. */
typedef struct {
  guint64 key;
  guint32 item;
} SortKey;

/* A stable sort of keys by bits [shift, shift + bits) of their key, one byte a pass, least
 * significant first; a pass where every key has the same byte changes nothing and is
 * skipped. The result ends up in *keys, *scratch is as large. */
static void
radix_sort (SortKey **keys, SortKey **scratch, guint n, guint shift, guint bits)
{
  for (guint at = shift; at < shift + bits; at += 8)
    {
      guint count[257] = { 0 };
      for (guint i = 0; i < n; i++)
        count[((*keys)[i].key >> at & 0xff) + 1]++;
      gboolean constant = FALSE;
      for (guint b = 1; b <= 256 && !constant; b++)
        constant = count[b] == n;
      if (constant)
        continue;
      for (guint b = 1; b <= 256; b++)
        count[b] += count[b - 1];
      for (guint i = 0; i < n; i++)
        (*scratch)[count[(*keys)[i].key >> at & 0xff]++] = (*keys)[i];
      SortKey *swap = *keys;
      *keys = *scratch;
      *scratch = swap;
    }
}

static inline guint32
tree_item (const Tree *tree, guint32 child)
{
  return tree->order != NULL ? tree->order[child] : child;
}

/* Puts items in the order given, in place: order[i] is the item that goes to i (order is
 * used up). */
static void
permute_items (Item *items, guint32 *order, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (order[i] == i)
        continue;
      Item first = items[i];
      guint j = i;
      for (;;)
        {
          guint k = order[j];
          order[j] = j;
          if (k == i)
            {
              items[j] = first;
              break;
            }
          items[j] = items[k];
          j = k;
        }
    }
}

/* Sorts the pool's items into this tree's order: by input interface, then by the tree's key,
 * then by position. The first tree then puts the items themselves in that order and needs no
 * order array of its own. */
static void
tree_sort (Pool *pool, Tree *tree, gboolean first)
{
  guint n = pool->n_items;
  SortKey *keys = g_new (SortKey, n), *scratch = g_new (SortKey, n);
  /* The first tree finds the items in position order; later ones first restore it. */
  if (!first)
    {
      for (guint i = 0; i < n; i++)
        keys[i] = (SortKey) { pool->items[i].pos, i };
      radix_sort (&keys, &scratch, n, 0, 32);
    }
  else
    for (guint i = 0; i < n; i++)
      keys[i] = (SortKey) { 0, i };
  for (guint i = 0; i < n; i++)
    {
      const Item *item = &pool->items[keys[i].item];
      keys[i].key = ((guint64) item->box.lo[KEY_IIF] << 32) | item->box.lo[tree->primary];
    }
  radix_sort (&keys, &scratch, n, 0, 64);
  g_free (scratch);

  guint32 *order = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    order[i] = keys[i].item;
  g_free (keys);
  if (!first)
    {
      tree->order = order;
      return;
    }
  permute_items (pool->items, order, n);
  g_free (order);
}

static void
tree_build (Pool *pool, Tree *tree, gboolean first)
{
  tree->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  if (pool->n_items == 0)
    return;
  tree_sort (pool, tree, first);

  GArray *level = g_array_new (FALSE, FALSE, sizeof (Node));
  for (guint start = 0; start < pool->n_items; start += FANOUT)
    {
      Node node = { .first = start, .count = MIN (FANOUT, pool->n_items - start) };
      for (guint i = 0; i < node.count; i++)
        {
          const Item *item = &pool->items[tree_item (tree, start + i)];
          node_extend (&node, &item->box, item->pos, item->pos, i == 0);
        }
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
            {
              const Node *child = &g_array_index (level, Node, start + i);
              node_extend (&node, &child->box, child->min_pos, child->max_pos, i == 0);
            }
          g_array_append_val (upper, node);
        }
      g_ptr_array_add (tree->levels, upper);
      level = upper;
    }
}

typedef enum { PASS_COUNT, PASS_COLLECT, PASS_FILL } Pass;

/* One pass over every box of every entry: counting them per pool, collecting the IPv6 pools'
 * address ends, or filling in the items (once the pool's axes are known). */
static void
index_pass (FwrBoxIndex *index, FwrFlow *flow, GArray *entries, Pass pass)
{
  for (guint e = 0; e < entries->len; e++)
    {
      FwrEntry *entry = &g_array_index (entries, FwrEntry, e);
      for (guint c = 0; c < entry->space->len; c++)
        {
          FwrCube *cube = g_ptr_array_index (entry->space, c);
          Pool *pool = &index->pools[cube->family == FWR_FAMILY_IPV4 ? 0 : 1][cube_kind (cube)];
          guint n_boxes = cube_n_boxes (cube);
          if (pass == PASS_COUNT)
            {
              pool->n_items += n_boxes;
              continue;
            }
          if (pass == PASS_COLLECT && pool->axes[0].values == NULL)
            continue;
          RawBox hull, raw;
          cube_raw_box (flow, cube, &hull);
          for (guint b = 0; b < n_boxes; b++)
            {
              cube_split_box (cube, &hull, b, &raw);
              if (pass == PASS_COLLECT)
                for (guint k = 0; k < N_ADDR_KEYS; k++)
                  {
                    Axis *axis = &pool->axes[k];
                    axis->values[axis->n_values++] = raw.lo[k];
                    axis->values[axis->n_values++] = raw.hi[k];
                  }
              else
                {
                  Item *item = &pool->items[pool->n_filled++];
                  item->pos = entry->pos;
                  box_encode (pool, &raw, &item->box);
                }
            }
        }
    }
}

FwrBoxIndex *
_fwr_box_index_new (FwrFlow *flow, GArray *entries)
{
  FwrBoxIndex *index = g_new0 (FwrBoxIndex, 1);

  index_pass (index, flow, entries, PASS_COUNT);
  gboolean any_ipv6 = FALSE;
  for (guint f = 0; f < 2; f++)
    for (guint k = 0; k < N_KINDS; k++)
      {
        Pool *pool = &index->pools[f][k];
        pool->items = g_new (Item, MAX (pool->n_items, 1));
        for (guint a = 0; f == 1 && pool->n_items > 0 && a < N_ADDR_KEYS; a++)
          pool->axes[a].values = g_new (fwr_u128, 2 * pool->n_items);
        any_ipv6 |= f == 1 && pool->n_items > 0;
      }
  if (any_ipv6)
    {
      index_pass (index, flow, entries, PASS_COLLECT);
      for (guint k = 0; k < N_KINDS; k++)
        for (guint a = 0; a < N_ADDR_KEYS; a++)
          if (index->pools[1][k].axes[a].values != NULL)
            axis_seal (&index->pools[1][k].axes[a]);
    }
  index_pass (index, flow, entries, PASS_FILL);

  for (guint f = 0; f < 2; f++)
    for (guint k = 0; k < N_KINDS; k++)
      {
        Pool *pool = &index->pools[f][k];
        for (guint t = 0; t < N_TREES && kind_trees[k][t] >= 0; t++)
          {
            Tree *tree = &pool->trees[pool->n_trees++];
            tree->primary = kind_trees[k][t];
            tree_build (pool, tree, t == 0);
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
        for (guint a = 0; a < N_ADDR_KEYS; a++)
          g_free (pool->axes[a].values);
        g_free (pool->items);
      }
  g_free (index);
}

/* Querying */

/* Does box meet the query: the hull, and when spans is set, one of its spans in key k? The
 * tree's own key is tested first: it is where nodes are tight and most tests fail. */
static gboolean
box_meets (const Pool *pool, const Box *box, const Box *hull, int key, const FwrSpans *spans)
{
  /* Every ordering groups by input interface first, so whole subtrees of other zones fail
   * here, on one comparison. */
  if (box->hi[KEY_IIF] < hull->lo[KEY_IIF] || hull->hi[KEY_IIF] < box->lo[KEY_IIF])
    return FALSE;
  if (box->hi[key] < hull->lo[key] || hull->hi[key] < box->lo[key])
    return FALSE;
  /* Spans are only ever given for an address key. */
  if (spans != NULL && !_fwr_spans_meets_range (spans, axis_decode (&pool->axes[key], box->lo[key]),
                                                axis_decode (&pool->axes[key], box->hi[key])))
    return FALSE;
  return box_overlaps (box, hull);
}

/* Items meeting the query in one walk of the tree; spans (nullable) are the query's spans in
 * the tree's key, so a set of scattered prefixes costs one walk, not one per prefix. */
static void
tree_query (const Pool *pool, const Tree *tree, const Box *hull, const FwrSpans *spans,
            const Window *window, GArray *out)
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
      const Node *node = &g_array_index ((GArray *) g_ptr_array_index (tree->levels, level_index), Node,
                                         stack_node[top]);
      if (!window_wants (window, node->min_pos, node->max_pos) ||
          !box_meets (pool, &node->box, hull, tree->primary, spans))
        continue;
      for (guint i = 0; i < node->count; i++)
        {
          guint32 child = node->first + i;
          if (level_index == 0)
            {
              const Item *item = &pool->items[tree_item (tree, child)];
              if (window_wants (window, item->pos, item->pos) &&
                  box_meets (pool, &item->box, hull, tree->primary, spans))
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
raw_key_is_narrow (const RawBox *box, const FwrDomain *domain, int key)
{
  return box->lo[key] != 0 || box->hi[key] != domain->max[key_dims[key]];
}

/* The first ordering on a key the query restricts; if it restricts none, everything overlaps
 * in those keys anyway and any ordering does. */
static const Tree *
choose_tree (const Pool *pool, const RawBox *box, const FwrDomain *domain)
{
  for (guint t = 0; t < pool->n_trees; t++)
    if (raw_key_is_narrow (box, domain, pool->trees[t].primary))
      return &pool->trees[t];
  return &pool->trees[0];
}

void
_fwr_box_index_query (FwrBoxIndex *index, FwrFlow *flow, const FwrCube *cube, guint before, guint from,
                      GArray *out)
{
  Window window = { before, from };
  guint f = cube->family == FWR_FAMILY_IPV4 ? 0 : 1;
  const FwrDomain *domain = _fwr_flow_domain (flow, cube->family);
  int split = split_key (cube);
  RawBox raw;
  cube_raw_box (flow, cube, &raw);

  for (guint k = 0; k < N_KINDS; k++)
    {
      const Pool *pool = &index->pools[f][k];
      if (pool->n_items == 0)
        continue;
      const Tree *tree = choose_tree (pool, &raw, domain);
      Box hull;
      box_encode (pool, &raw, &hull);
      /* The spans prune where the ordering is on their key; elsewhere the hull says it all. */
      const FwrSpans *spans = split >= 0 && tree->primary == split ? &cube->dims[key_dims[split]] : NULL;
      tree_query (pool, tree, &hull, spans, &window, out);
    }
}
