/* bench-spans.c: times the span engine's set operations on large sets to show they stay
 * linear (the analysis runs them for every pair of rules). Run with `meson test --benchmark`. */
#include "fwr-spans-private.h"

#define OFFSET ((fwr_u128) 1 << 100) /* deep in the 128-bit range, like IPv6 addresses */
#define REPEATS 5

typedef struct {
  FwrSpans a, b;
  FwrSpans a_or_b;   /* a ⊆ a_or_b: is_subset has to look at every span */
  FwrSpans b_not_a;  /* disjoint from a: so has intersects */
  FwrSpan *shuffled; /* a's spans in random order */
} Sets;

/* n spans of 6 values every 20; b's spans are shifted by 3 and 10 long, so each overlaps
 * one of a's and merges with it: every merge step has work to do. */
static void
sets_init (Sets *sets, guint n)
{
  _fwr_spans_init (&sets->a);
  _fwr_spans_init (&sets->b);
  _fwr_spans_init (&sets->a_or_b);
  _fwr_spans_init (&sets->b_not_a);
  for (guint i = 0; i < n; i++)
    {
      fwr_u128 at = OFFSET + (fwr_u128) i * 20;
      _fwr_spans_add (&sets->a, at, at + 5);
      _fwr_spans_add (&sets->b, at + 3, at + 12);
    }
  _fwr_spans_copy_into (&sets->a_or_b, &sets->a);
  _fwr_spans_union (&sets->a_or_b, &sets->b);
  _fwr_spans_copy_into (&sets->b_not_a, &sets->b);
  _fwr_spans_subtract (&sets->b_not_a, &sets->a);

  GRand *rand = g_rand_new_with_seed (20260101);
  sets->shuffled = g_memdup2 (sets->a.spans, sizeof (FwrSpan) * n);
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      FwrSpan tmp = sets->shuffled[i - 1];
      sets->shuffled[i - 1] = sets->shuffled[j];
      sets->shuffled[j] = tmp;
    }
  g_rand_free (rand);
}

static void
sets_clear (Sets *sets)
{
  _fwr_spans_clear (&sets->a);
  _fwr_spans_clear (&sets->b);
  _fwr_spans_clear (&sets->a_or_b);
  _fwr_spans_clear (&sets->b_not_a);
  g_free (sets->shuffled);
}

typedef enum {
  OP_UNION,
  OP_INTERSECT,
  OP_SUBTRACT,
  OP_PREDICATES,
  OP_ADD_ASCENDING,
  OP_ADD_MANY_SHUFFLED,
  OP_ADD_SHUFFLED,
  N_OPS
} Op;

static const char *op_names[] = {
  "union", "intersect", "subtract", "subset+inter", "add ascending", "add_many shuf", "add shuffled",
};

static void
run_op (Op op, Sets *sets, FwrSpans *work)
{
  volatile gboolean sink;
  switch (op)
    {
    case OP_UNION:
      _fwr_spans_union (work, &sets->b);
      break;
    case OP_INTERSECT:
      _fwr_spans_intersect (work, &sets->b);
      break;
    case OP_SUBTRACT:
      _fwr_spans_subtract (work, &sets->b);
      break;
    case OP_PREDICATES:
      sink = _fwr_spans_is_subset (work, &sets->a_or_b);
      sink = _fwr_spans_intersects (work, &sets->b_not_a);
      (void) sink;
      break;
    case OP_ADD_ASCENDING:
      work->n = 0;
      for (guint i = 0; i < sets->a.n; i++)
        _fwr_spans_add (work, sets->a.spans[i].lo, sets->a.spans[i].hi);
      break;
    case OP_ADD_MANY_SHUFFLED:
      work->n = 0;
      _fwr_spans_add_many (work, sets->shuffled, sets->a.n);
      break;
    case OP_ADD_SHUFFLED:
      work->n = 0;
      for (guint i = 0; i < sets->a.n; i++)
        _fwr_spans_add (work, sets->shuffled[i].lo, sets->shuffled[i].hi);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Best of the repeats, in nanoseconds per span of one input set. */
static double
time_op (Op op, guint n, guint repeats)
{
  Sets sets;
  FwrSpans work;
  sets_init (&sets, n);
  _fwr_spans_init (&work);
  gint64 best = G_MAXINT64;

  for (guint r = 0; r < repeats; r++)
    {
      _fwr_spans_copy_into (&work, &sets.a);
      gint64 start = g_get_monotonic_time ();
      run_op (op, &sets, &work);
      best = MIN (best, g_get_monotonic_time () - start);
    }
  /* Every operation here ends with a's spans present, so a wrong result shows. */
  g_assert_true (_fwr_spans_is_subset (&sets.a, &work) || op == OP_INTERSECT ||
                 op == OP_SUBTRACT);
  _fwr_spans_clear (&work);
  sets_clear (&sets);
  return best * 1000.0 / n;
}

int
main (int argc, char **argv)
{
  static const guint sizes[] = { 10000, 100000, 1000000 };
  gboolean linear = TRUE;

  g_print ("%-14s %10s %10s %10s   ns per span of one input, best of %d\n", "operation", "n=10k",
           "n=100k", "n=1M", REPEATS);
  for (Op op = 0; op < OP_ADD_SHUFFLED; op++)
    {
      double ns[G_N_ELEMENTS (sizes)];
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        ns[s] = time_op (op, sizes[s], REPEATS);
      g_print ("%-14s %10.2f %10.2f %10.2f\n", op_names[op], ns[0], ns[1], ns[2]);
      /* Quadratic work costs ten times more per span at each step; allow for cache and
       * page-fault effects on the large sets and for a machine shared with other jobs. */
      for (guint s = 1; s < G_N_ELEMENTS (sizes); s++)
        if (ns[s] > 6 * ns[s - 1] + 5)
          {
            g_printerr ("%s: %.2f ns per span at n=%u against %.2f at n=%u: not linear\n",
                        op_names[op], ns[s], sizes[s], ns[s - 1], sizes[s - 1]);
            linear = FALSE;
          }
    }

  /* One at a time in random order is quadratic by design (spans above move up); shown so
   * that importers know to batch with _fwr_spans_add_many. */
  g_print ("%-14s %10.2f %10.2f %10s   (quadratic, one run)\n", op_names[OP_ADD_SHUFFLED],
           time_op (OP_ADD_SHUFFLED, sizes[0], 1), time_op (OP_ADD_SHUFFLED, sizes[1], 1), "-");
  return linear ? 0 : 1;
}
