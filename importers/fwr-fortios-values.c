/* fwr-fortios-values.c: exact set algebra over FortiOS address and service values, keeping
 * what cannot be modelled (FQDNs, countries, proxy services) apart as loose or opaque parts. */
#include "fwr-fortios-values-private.h"

/* Addresses */

FwrFosAddr *
_fwr_fos_addr_new (void)
{
  FwrFosAddr *self = g_new0 (FwrFosAddr, 1);
  self->exact = fwr_addr_set_new ();
  return self;
}

static void
why_append (FwrFosAddr *self, const char *why)
{
  if (self->why == NULL)
    self->why = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->why->len; i++)
    if (strcmp (g_ptr_array_index (self->why, i), why) == 0)
      return;
  g_ptr_array_add (self->why, g_strdup (why));
}

FwrFosAddr *
_fwr_fos_addr_copy (const FwrFosAddr *self)
{
  FwrFosAddr *copy = g_new0 (FwrFosAddr, 1);
  copy->exact = fwr_addr_set_copy (self->exact);
  copy->loose = self->loose ? fwr_addr_set_copy (self->loose) : NULL;
  for (guint i = 0; self->why != NULL && i < self->why->len; i++)
    why_append (copy, g_ptr_array_index (self->why, i));
  return copy;
}

void
_fwr_fos_addr_free (FwrFosAddr *self)
{
  if (self == NULL)
    return;
  fwr_addr_set_free (self->exact);
  fwr_addr_set_free (self->loose);
  if (self->why)
    g_ptr_array_unref (self->why);
  g_free (self);
}

/* Keeps loose disjoint from exact, and drops it (with its reasons) when nothing is left. */
static void
addr_tidy (FwrFosAddr *self)
{
  if (self->loose != NULL)
    {
      fwr_addr_set_subtract (self->loose, self->exact);
      if (fwr_addr_set_is_empty (self->loose))
        g_clear_pointer (&self->loose, fwr_addr_set_free);
    }
  if (self->loose == NULL && self->why != NULL)
    g_clear_pointer (&self->why, g_ptr_array_unref);
}

void
_fwr_fos_addr_add_loose (FwrFosAddr *self, const FwrAddrSet *bound, const char *why)
{
  if (self->loose == NULL)
    self->loose = fwr_addr_set_new ();
  fwr_addr_set_union (self->loose, bound);
  why_append (self, why);
  addr_tidy (self);
}

void
_fwr_fos_addr_union (FwrFosAddr *self, const FwrFosAddr *other)
{
  fwr_addr_set_union (self->exact, other->exact);
  if (other->loose != NULL)
    {
      if (self->loose == NULL)
        self->loose = fwr_addr_set_new ();
      fwr_addr_set_union (self->loose, other->loose);
      for (guint i = 0; other->why != NULL && i < other->why->len; i++)
        why_append (self, g_ptr_array_index (other->why, i));
    }
  addr_tidy (self);
}

void
_fwr_fos_addr_exclude (FwrFosAddr *self, const FwrFosAddr *other)
{
  /* Certain: ours, outside anything the exclusion may hold. Maybe: our loose part, and our
   * exact part where the exclusion itself is only loose. */
  g_autoptr (FwrAddrSet) maybe = self->loose ? fwr_addr_set_copy (self->loose) : fwr_addr_set_new ();
  if (other->loose != NULL)
    {
      g_autoptr (FwrAddrSet) overlap = fwr_addr_set_copy (self->exact);
      fwr_addr_set_intersect (overlap, other->loose);
      fwr_addr_set_union (maybe, overlap);
      fwr_addr_set_subtract (self->exact, other->loose);
      g_autofree char *text = _fwr_fos_addr_dup_why (other);
      g_autofree char *except = g_strdup_printf ("except %s", text);
      why_append (self, except);
    }
  fwr_addr_set_subtract (self->exact, other->exact);
  fwr_addr_set_subtract (maybe, other->exact);
  fwr_addr_set_free (self->loose);
  self->loose = g_steal_pointer (&maybe);
  addr_tidy (self);
}

void
_fwr_fos_addr_negate (FwrFosAddr *self, FwrFamilyMask family)
{
  /* Certain: outside everything we may match. Maybe: our loose part. */
  g_autoptr (FwrAddrSet) upper = fwr_addr_set_copy (self->exact);
  if (self->loose != NULL)
    fwr_addr_set_union (upper, self->loose);
  fwr_addr_set_complement (upper, family);
  fwr_addr_set_free (self->exact);
  self->exact = g_steal_pointer (&upper);
  if (self->loose != NULL)
    {
      g_autofree char *text = _fwr_fos_addr_dup_why (self);
      g_ptr_array_set_size (self->why, 0);
      g_autofree char *negated = g_strdup_printf ("not (%s)", text);
      why_append (self, negated);
    }
  addr_tidy (self);
}

char *
_fwr_fos_addr_dup_why (const FwrFosAddr *self)
{
  if (self->loose == NULL || self->why == NULL)
    return NULL;
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < self->why->len; i++)
    g_string_append_printf (out, "%s%s", i ? " | " : "", (const char *) g_ptr_array_index (self->why, i));
  return g_string_free (out, FALSE);
}

/* Service terms */

FwrFosSvcTerm *
_fwr_fos_svc_term_new (void)
{
  return g_new0 (FwrFosSvcTerm, 1);
}

static FwrRangeSet *
range_copy (const FwrRangeSet *set)
{
  return set ? fwr_range_set_copy (set) : NULL;
}

FwrFosSvcTerm *
_fwr_fos_svc_term_copy (const FwrFosSvcTerm *term)
{
  FwrFosSvcTerm *copy = _fwr_fos_svc_term_new ();
  copy->protos = range_copy (term->protos);
  copy->sports = range_copy (term->sports);
  copy->dports = range_copy (term->dports);
  copy->icmp = range_copy (term->icmp);
  copy->opaque = g_strdup (term->opaque);
  return copy;
}

void
_fwr_fos_svc_term_free (FwrFosSvcTerm *term)
{
  if (term == NULL)
    return;
  fwr_range_set_free (term->protos);
  fwr_range_set_free (term->sports);
  fwr_range_set_free (term->dports);
  fwr_range_set_free (term->icmp);
  g_free (term->opaque);
  g_free (term);
}

GPtrArray *
_fwr_fos_svc_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) _fwr_fos_svc_term_free);
}

void
_fwr_fos_svc_append (GPtrArray *self, const GPtrArray *other)
{
  for (guint i = 0; i < other->len; i++)
    g_ptr_array_add (self, _fwr_fos_svc_term_copy (g_ptr_array_index (other, i)));
}

/* Normalizing */

enum { DIM_PROTOS, DIM_SPORTS, DIM_DPORTS, DIM_ICMP, N_DIMS };

static FwrRangeSet **
term_dim (FwrFosSvcTerm *term, guint dim)
{
  switch (dim)
    {
    case DIM_PROTOS: return &term->protos;
    case DIM_SPORTS: return &term->sports;
    case DIM_DPORTS: return &term->dports;
    case DIM_ICMP:
    default: return &term->icmp;
    }
}

static gboolean
range_equal (const FwrRangeSet *a, const FwrRangeSet *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return fwr_range_set_equal (a, b);
}

/* NULL (any) contains everything. */
static gboolean
range_subset (const FwrRangeSet *a, const FwrRangeSet *b)
{
  if (b == NULL)
    return TRUE;
  if (a == NULL)
    return FALSE;
  return fwr_range_set_is_subset (a, b);
}

static gboolean
term_subset (FwrFosSvcTerm *a, FwrFosSvcTerm *b)
{
  if (b->opaque != NULL && g_strcmp0 (a->opaque, b->opaque) != 0)
    return FALSE;
  for (guint d = 0; d < N_DIMS; d++)
    if (!range_subset (*term_dim (a, d), *term_dim (b, d)))
      return FALSE;
  return TRUE;
}

/* Terms equal but in dim: their union is one term. */
static gboolean
terms_merge (FwrFosSvcTerm *into, FwrFosSvcTerm *from, guint dim)
{
  if (g_strcmp0 (into->opaque, from->opaque) != 0)
    return FALSE;
  for (guint d = 0; d < N_DIMS; d++)
    if (d != dim && !range_equal (*term_dim (into, d), *term_dim (from, d)))
      return FALSE;
  FwrRangeSet **a = term_dim (into, dim);
  FwrRangeSet *b = *term_dim (from, dim);
  if (*a == NULL || b == NULL)
    g_clear_pointer (a, fwr_range_set_free);
  else
    fwr_range_set_union (*a, b);
  return TRUE;
}

void
_fwr_fos_svc_normalize (GPtrArray *self)
{
  gboolean changed = TRUE;
  while (changed)
    {
      changed = FALSE;
      for (guint i = 0; i < self->len; i++)
        for (guint j = 0; j < self->len; j++)
          {
            if (i == j)
              continue;
            FwrFosSvcTerm *a = g_ptr_array_index (self, i);
            FwrFosSvcTerm *b = g_ptr_array_index (self, j);
            gboolean merged = term_subset (b, a);
            for (guint d = 0; !merged && d < N_DIMS; d++)
              merged = terms_merge (a, b, d);
            if (merged)
              {
                g_ptr_array_remove_index (self, j);
                changed = TRUE;
                if (j < i)
                  i--;
                j--;
              }
          }
    }
}

/* Complement */

static gboolean
proto_has_ports (guint proto)
{
  return proto == 6 || proto == 17 || proto == 132;
}

static gboolean
proto_has_icmp (guint proto)
{
  return proto == 1 || proto == 58;
}

static gboolean
term_is_plain (const FwrFosSvcTerm *term)
{
  return term->sports == NULL && term->dports == NULL && term->icmp == NULL;
}

/* One piece of a protocol's complement: sports x dports, or icmp; NULL fields are any. */
typedef struct {
  FwrRangeSet *sports;
  FwrRangeSet *dports;
  FwrRangeSet *icmp;
} Piece;

static void
piece_clear (Piece *piece)
{
  fwr_range_set_free (piece->sports);
  fwr_range_set_free (piece->dports);
  fwr_range_set_free (piece->icmp);
}

static FwrRangeSet *
full_to_null (FwrRangeSet *set, guint32 max)
{
  if (set != NULL && fwr_range_set_get_n_ranges (set) == 1)
    {
      guint32 lo, hi;
      fwr_range_set_get_range (set, 0, &lo, &hi);
      if (lo == 0 && hi == max)
        g_clear_pointer (&set, fwr_range_set_free);
    }
  return set;
}

static int
compare_u32 (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

/* The (sport, dport) plane minus a union of rectangles, as slabs of source ports. */
static void
ports_complement (GPtrArray *rects_s, GPtrArray *rects_d, GArray *pieces)
{
  g_autoptr (GArray) cuts = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 edge = 0;
  g_array_append_val (cuts, edge);
  edge = 65536;
  g_array_append_val (cuts, edge);
  for (guint r = 0; r < rects_s->len; r++)
    {
      FwrRangeSet *s = g_ptr_array_index (rects_s, r);
      for (guint i = 0; s != NULL && i < fwr_range_set_get_n_ranges (s); i++)
        {
          guint32 lo, hi;
          fwr_range_set_get_range (s, i, &lo, &hi);
          guint32 after = hi + 1;
          g_array_append_val (cuts, lo);
          g_array_append_val (cuts, after);
        }
    }
  g_array_sort (cuts, compare_u32);

  for (guint c = 0; c + 1 < cuts->len; c++)
    {
      guint32 a = g_array_index (cuts, guint32, c), b = g_array_index (cuts, guint32, c + 1);
      if (a == b)
        continue;
      g_autoptr (FwrRangeSet) covered = fwr_range_set_new ();
      for (guint r = 0; r < rects_s->len; r++)
        {
          FwrRangeSet *s = g_ptr_array_index (rects_s, r);
          FwrRangeSet *d = g_ptr_array_index (rects_d, r);
          if (s != NULL && !fwr_range_set_contains (s, a))
            continue;
          if (d == NULL)
            fwr_range_set_add_range (covered, 0, 65535);
          else
            fwr_range_set_union (covered, d);
        }
      fwr_range_set_complement (covered, 65535);
      if (fwr_range_set_is_empty (covered))
        continue;
      Piece *last = pieces->len ? &g_array_index (pieces, Piece, pieces->len - 1) : NULL;
      guint32 last_lo = 0, last_hi = 0;
      if (last != NULL)
        fwr_range_set_get_range (last->sports, 0, &last_lo, &last_hi);
      if (last != NULL && last_hi + 1 == a && fwr_range_set_equal (last->dports, covered))
        fwr_range_set_add_range (last->sports, a, b - 1);
      else
        {
          Piece piece = { fwr_range_set_new_range (a, b - 1), g_steal_pointer (&covered), NULL };
          g_array_append_val (pieces, piece);
        }
    }
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = &g_array_index (pieces, Piece, i);
      piece->sports = full_to_null (piece->sports, 65535);
      piece->dports = full_to_null (piece->dports, 65535);
    }
}

/* What protocol proto leaves unmatched by the exact terms, as pieces; FALSE if nothing. */
static gboolean
proto_complement (const GPtrArray *terms, guint proto, GArray *pieces)
{
  g_autoptr (GPtrArray) rects_s = g_ptr_array_new ();
  g_autoptr (GPtrArray) rects_d = g_ptr_array_new ();
  g_autoptr (FwrRangeSet) icmp = fwr_range_set_new ();
  for (guint i = 0; i < terms->len; i++)
    {
      FwrFosSvcTerm *term = g_ptr_array_index (terms, i);
      if (term->opaque != NULL || (term->protos != NULL && !fwr_range_set_contains (term->protos, proto)))
        continue;
      if (term_is_plain (term))
        return FALSE;
      if (proto_has_ports (proto) && term->icmp == NULL)
        {
          g_ptr_array_add (rects_s, term->sports);
          g_ptr_array_add (rects_d, term->dports);
        }
      else if (proto_has_icmp (proto) && term->icmp != NULL && term->sports == NULL && term->dports == NULL)
        fwr_range_set_union (icmp, term->icmp);
    }
  if (proto_has_ports (proto))
    ports_complement (rects_s, rects_d, pieces);
  else if (proto_has_icmp (proto) && !fwr_range_set_is_empty (icmp))
    {
      fwr_range_set_complement (icmp, 0xffff);
      if (!fwr_range_set_is_empty (icmp))
        {
          Piece piece = { NULL, NULL, g_steal_pointer (&icmp) };
          g_array_append_val (pieces, piece);
        }
    }
  else
    {
      Piece piece = { NULL, NULL, NULL };
      g_array_append_val (pieces, piece);
    }
  return pieces->len > 0;
}

static char *
pieces_key (GArray *pieces)
{
  GString *key = g_string_new (NULL);
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = &g_array_index (pieces, Piece, i);
      g_autofree char *s = piece->sports ? fwr_range_set_to_string (piece->sports) : g_strdup ("*");
      g_autofree char *d = piece->dports ? fwr_range_set_to_string (piece->dports) : g_strdup ("*");
      g_autofree char *c = piece->icmp ? fwr_range_set_to_string (piece->icmp) : g_strdup ("*");
      g_string_append_printf (key, "%s/%s/%s;", s, d, c);
    }
  return g_string_free (key, FALSE);
}

static void
pieces_free (GArray *pieces)
{
  for (guint i = 0; i < pieces->len; i++)
    piece_clear (&g_array_index (pieces, Piece, i));
  g_array_unref (pieces);
}

GPtrArray *
_fwr_fos_svc_new_complement (const GPtrArray *self)
{
  /* Protocols whose leftover is the same share one set of terms. */
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) protos = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_range_set_free);
  g_autoptr (GPtrArray) all_pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) pieces_free);
  for (guint proto = 0; proto <= 255; proto++)
    {
      GArray *pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
      if (!proto_complement (self, proto, pieces))
        {
          pieces_free (pieces);
          continue;
        }
      char *key = pieces_key (pieces);
      gpointer index;
      if (g_hash_table_lookup_extended (groups, key, NULL, &index))
        {
          fwr_range_set_add_range (g_ptr_array_index (protos, GPOINTER_TO_UINT (index)), proto, proto);
          g_free (key);
          pieces_free (pieces);
          continue;
        }
      g_hash_table_insert (groups, key, GUINT_TO_POINTER (protos->len));
      g_ptr_array_add (protos, fwr_range_set_new_range (proto, proto));
      g_ptr_array_add (all_pieces, pieces);
    }

  g_autofree char *note = NULL;
  for (guint i = 0; i < self->len; i++)
    {
      FwrFosSvcTerm *term = g_ptr_array_index (self, i);
      if (term->opaque != NULL)
        {
          g_autofree char *previous = g_steal_pointer (&note);
          note = previous ? g_strdup_printf ("%s | %s", previous, term->opaque) : g_strdup (term->opaque);
        }
    }

  GPtrArray *result = _fwr_fos_svc_new ();
  for (guint g = 0; g < protos->len; g++)
    {
      GArray *pieces = g_ptr_array_index (all_pieces, g);
      for (guint i = 0; i < pieces->len; i++)
        {
          Piece *piece = &g_array_index (pieces, Piece, i);
          FwrFosSvcTerm *term = _fwr_fos_svc_term_new ();
          term->protos = full_to_null (fwr_range_set_copy (g_ptr_array_index (protos, g)), 255);
          term->sports = range_copy (piece->sports);
          term->dports = range_copy (piece->dports);
          term->icmp = range_copy (piece->icmp);
          term->opaque = note ? g_strdup_printf ("not (%s)", note) : NULL;
          g_ptr_array_add (result, term);
        }
    }
  return result;
}
