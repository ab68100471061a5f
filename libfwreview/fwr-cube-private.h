/* fwr-cube-private.h: packet spaces for the analysis. A cube is the product of one interval
 * set per packet dimension for one address family; a space is a union of cubes. */
#pragma once

#include "fwr-spans-private.h"
#include "fwr-ruleset-private.h"

typedef enum {
  FWR_DIM_SRC,
  FWR_DIM_DST,
  FWR_DIM_PROTO,
  FWR_DIM_SPORT,
  FWR_DIM_DPORT,
  FWR_DIM_ICMP,
  FWR_DIM_CT,
  FWR_DIM_IIF,    /* interface classes, see FwrNameUniverse */
  FWR_DIM_OIF,
  FWR_DIM_SZONE,  /* vendor zone names */
  FWR_DIM_DZONE,
  FWR_DIM_N,
} FwrDim;

/* Largest value of each dimension; addresses depend on the family. */
typedef struct {
  fwr_u128 max[FWR_DIM_N];
} FwrDomain;

typedef struct {
  guint8 family;          /* FWR_FAMILY_IPV4 or FWR_FAMILY_IPV6, never both */
  guint16 full;           /* bit d set: dimension d is its whole domain (dims[d] unused) */
  FwrSpans dims[FWR_DIM_N];
} FwrCube;

typedef struct {
  const FwrDomain *domain4;
  const FwrDomain *domain6;
} FwrDomains;

FwrCube  *_fwr_cube_new_full     (guint8 family);
FwrCube  *_fwr_cube_copy         (const FwrCube *cube);
void      _fwr_cube_free         (FwrCube *cube);
/* Restricts dimension d to spans (copied); normalizes a whole-domain set to "full".
 * Returns FALSE when the cube became empty. */
gboolean  _fwr_cube_restrict     (FwrCube *cube, const FwrDomain *domain, FwrDim d,
                                  const FwrSpans *spans);
/* Like _fwr_cube_restrict, but a full dimension borrows spans instead of copying them: spans
 * must outlive the cube and everything intersected from it (the model's sets do). */
gboolean  _fwr_cube_restrict_borrowed (FwrCube *cube, const FwrDomain *domain, FwrDim d,
                                       const FwrSpans *spans);
gboolean  _fwr_cube_is_full_dim  (const FwrCube *cube, FwrDim d);
gboolean  _fwr_cube_intersects   (const FwrCube *a, const FwrCube *b);
gboolean  _fwr_cube_is_subset    (const FwrCube *a, const FwrCube *b);
/* (transfer full) (nullable) a ∩ b, NULL when empty. */
FwrCube  *_fwr_cube_intersect    (const FwrCube *a, const FwrCube *b);
/* Appends the cubes of a \ b to out (disjoint pieces). */
void      _fwr_cube_subtract_into (const FwrCube *a, const FwrCube *b, const FwrDomain *domain,
                                   GPtrArray *out);
/* Lowest and highest value of dimension d, the whole domain when full. */
void      _fwr_cube_hull         (const FwrCube *cube, const FwrDomain *domain, FwrDim d,
                                  fwr_u128 *lo, fwr_u128 *hi);

/* Number of packets in a (in a ∩ b), as a float: exact up to long double rounding. */
long double _fwr_cube_volume        (const FwrCube *cube, const FwrDomain *domain);
long double _fwr_cube_overlap_volume (const FwrCube *a, const FwrCube *b, const FwrDomain *domain);

/* A space broken into more pieces than this is left undecided by the analysis (never reported
 * as covered), so one pathological rule cannot take unbounded time. */
#define FWR_MAX_PIECES 4096

/* Spaces: GPtrArray of FwrCube with _fwr_cube_free as free function. */
GPtrArray *_fwr_space_new        (void);
/* space \ cube, in place. Returns FALSE when the result would exceed max_cubes (the space is
 * then left as it was). touched (nullable) tells whether cube met the space at all. */
gboolean  _fwr_space_subtract    (GPtrArray *space, const FwrCube *cube, const FwrDomains *domains,
                                  guint max_cubes, gboolean *touched);
gboolean  _fwr_space_intersects  (GPtrArray *space, const FwrCube *cube);
/* (transfer full) space ∩ cube. */
GPtrArray *_fwr_space_intersect  (GPtrArray *space, const FwrCube *cube);
void      _fwr_space_append_copy (GPtrArray *space, GPtrArray *other);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrCube, _fwr_cube_free)
