/* fwr-analysis-private.h: how checks plug into the analysis. A check is one function that
 * reads the analysis context and adds findings; the table of checks is in fwr-checks.c. */
#pragma once

#include "fwr-ruleset-private.h"
#include "fwr-coverage-private.h"

typedef struct _FwrAnalysis FwrAnalysis;

typedef void (*FwrCheckFunc) (FwrAnalysis *analysis, const FwrCheckInfo *info);

typedef struct {
  FwrCheckInfo info;
  FwrCheckFunc run;
} FwrCheck;

struct _FwrFinding {
  const FwrCheckInfo *check;
  FwrSeverity severity;
  char *subject_id;
  FwrRule *rule;             /* (nullable) (not owned) */
  char *message;
  GPtrArray *related;        /* (element-type utf8), NULL-terminated */
  GVariantDict *details;
  GVariant *details_value;   /* built on first read */
};

struct _FwrAnalysis {
  FwrRuleset *ruleset;
  FwrZoneMap *zones;         /* (nullable) */
  GPtrArray *findings;       /* (element-type FwrFinding) */
  FwrFlow *flow;             /* the hooks' evaluation sequences */
  FwrCoverage *coverage;     /* computed before the checks run */
  guint8 *idioms;            /* (nullable) by rule ordinal: 0 unknown, 1 no, 2 a standard idiom */
};


/* The checks, in report order (fwr-checks.c). */
const FwrCheck *_fwr_checks_get (guint *n_checks);

/* Adds a finding with the check's default severity; rule may be NULL for chain or object
 * findings. The message is for people; put machine facts in the details. */
FwrFinding *_fwr_analysis_add_finding (FwrAnalysis *analysis, const FwrCheckInfo *check,
                                       const char *subject_id, FwrRule *rule,
                                       const char *format, ...) G_GNUC_PRINTF (5, 6);
void        _fwr_finding_add_related  (FwrFinding *finding, const char *rule_id);
/* Sinks a floating value. */
void        _fwr_finding_set_detail   (FwrFinding *finding, const char *key, GVariant *value);
