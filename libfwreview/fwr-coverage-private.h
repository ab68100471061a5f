/* fwr-coverage-private.h: which earlier rules decide a rule's packets before it does.
 * Computed once per analysis from the flow; shadowed, redundant and correlated read it. */
#pragma once

#include "fwr-flow-private.h"

typedef struct {
  guint n_entries;          /* the rule's instances (terms x paths) in some hook's flow */
  guint n_covered;          /* instances no packet reaches */
  guint n_undecided;        /* instances too fragmented to decide: never reported as covered */
  gboolean other_verdict;   /* some covering rule has another verdict */
  GPtrArray *covering;      /* (element-type utf8) rule or chain ids (borrowed from the model), in evaluation order */
  guint n_accepts;          /* accepting instances some packet reaches */
  guint n_ineffective;      /* of those, instances whose packets later base chains all drop */
  GPtrArray *dropped_by;    /* (element-type utf8) the later rules or chain policies */
  GPtrArray *correlated;    /* (element-type utf8) earlier rules with another verdict that overlap */
  guint n_correlated;
} FwrRuleCoverage;

typedef struct {
  FwrRuleCoverage *rules;   /* indexed by rule ordinal */
  guint n_rules;
  guint n_undecided;
} FwrCoverage;

#define FWR_CORRELATED_CAP 10

/* Large groups are shared out among up to this many threads (one per processor). */
#define FWR_COVERAGE_MAX_WORKERS 8

/* Frees every group's index when done: run it before anything else needs the index. */
FwrCoverage *_fwr_coverage_new  (FwrFlow *flow);
/* The same with at most max_workers threads per group and at least min_entries_per_worker
 * entries for each; the result never depends on either. */
FwrCoverage *_fwr_coverage_new_full (FwrFlow *flow, guint max_workers, guint min_entries_per_worker);
void         _fwr_coverage_free (FwrCoverage *coverage);

/* (transfer full) The packets of space that the hook's base chains finally accept (no base
 * chain drops them). *overflow is set when the pieces outgrew the limit (the result is then
 * incomplete). */
GPtrArray   *_fwr_coverage_accepted (FwrFlow *flow, FwrFlowGroup *group, GPtrArray *space,
                                     gboolean *overflow);
