/* fwr-analysis.h: findings about a ruleset, each answering a clause of the checklist.
 * The analysis reads only the model (and an optional zone map): no files, no store. */
#pragma once

#include "fwr-macros.h"
#include "fwr-ruleset.h"
#include "fwr-zones.h"

G_BEGIN_DECLS

typedef enum {
  FWR_SEVERITY_INFO,
  FWR_SEVERITY_LOW,
  FWR_SEVERITY_MEDIUM,
  FWR_SEVERITY_HIGH,
  FWR_SEVERITY_CRITICAL,
} FwrSeverity;

FWR_PUBLIC const char *fwr_severity_to_string   (FwrSeverity severity);
FWR_PUBLIC gboolean    fwr_severity_from_string (const char *text, FwrSeverity *out);

/* What every check is: its contract name, severity and why. */
typedef struct {
  const char *name;        /* "any-any": the JSON contract */
  FwrSeverity severity;
  const char *summary;     /* one line for people */
  const char *reason;      /* why it matters, with the checklist clause */
} FwrCheckInfo;

/* (array length=n_checks) Every check the engine runs, in report order. */
FWR_PUBLIC const FwrCheckInfo *fwr_check_get_all (guint *n_checks);

typedef struct _FwrFinding FwrFinding;
typedef struct _FwrReport FwrReport;

/* (transfer full) Analyzes ruleset; zones may be NULL. Never fails on a well-formed model. */
FWR_PUBLIC FwrReport  *fwr_analyze                (FwrRuleset *ruleset, FwrZoneMap *zones);
FWR_PUBLIC void        fwr_report_free            (FwrReport *self);
FWR_PUBLIC FwrRuleset *fwr_report_get_ruleset     (const FwrReport *self);
FWR_PUBLIC guint       fwr_report_get_n_findings  (const FwrReport *self);
FWR_PUBLIC const FwrFinding *fwr_report_get_finding (const FwrReport *self, guint index);

FWR_PUBLIC const char *fwr_finding_get_check      (const FwrFinding *self);
FWR_PUBLIC FwrSeverity fwr_finding_get_severity   (const FwrFinding *self);
/* The rule, chain or object id the finding is about. */
FWR_PUBLIC const char *fwr_finding_get_subject_id (const FwrFinding *self);
/* (nullable) The rule, when the finding is about one. */
FWR_PUBLIC FwrRule    *fwr_finding_get_rule       (const FwrFinding *self);
FWR_PUBLIC const char *fwr_finding_get_message    (const FwrFinding *self);
/* (array zero-terminated=1) Related rule ids, possibly empty. */
FWR_PUBLIC const char * const *fwr_finding_get_related (const FwrFinding *self);
/* (transfer none) An a{sv} dictionary of check-specific facts. */
FWR_PUBLIC GVariant   *fwr_finding_get_details    (const FwrFinding *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReport, fwr_report_free)

G_END_DECLS
