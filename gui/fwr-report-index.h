/* fwr-report-index.h: one analysis as the GUI reads it: the ruleset's rules in order, each
 * rule's findings, and the zones, shared (reference counted) by every row that shows them. */
#pragma once

#include <fwreview.h>

G_BEGIN_DECLS

typedef struct {
  FwrRuleset *ruleset;
  FwrZoneMap *zones;          /* (nullable) */
  FwrReport *report;
  FwrRuleZones *rule_zones;   /* (nullable) without zones: classes unknown */
  FwrEffective *effective;    /* every rule's match after jumps */
  char *title;                /* the device or file it came from */
  GPtrArray *rules;           /* (element-type FwrRule) every rule, chain by chain */
  GHashTable *findings;       /* FwrRule* -> GPtrArray of const FwrFinding* */
  GHashTable *rule_rows;      /* FwrRule* -> GUINT_TO_POINTER (row + 1) */
  GPtrArray *search_texts;    /* (element-type utf8) by row: what the search entry looks in */
} FwrReportIndex;

/* (transfer full) Takes report and rule_zones; zones is referenced. Run it in a worker: with
 * zones it works out every rule's zone classes. */
FwrReportIndex *fwr_report_index_new   (FwrReport *report, FwrZoneMap *zones, const char *title);
FwrReportIndex *fwr_report_index_ref   (FwrReportIndex *self);
void            fwr_report_index_unref (FwrReportIndex *self);

/* (nullable) (element-type FwrFinding) The findings about rule. */
GPtrArray      *fwr_report_index_get_rule_findings (FwrReportIndex *self, FwrRule *rule);
/* Id, columns, action and comment of a row's rule, lower case, computed with the index so the
 * first search over 100k rules costs the main thread nothing. */
const char     *fwr_report_index_get_search_text (FwrReportIndex *self, guint row);
/* The action column's text: "accept", "jump wan_to_dmz", "log", "—". */
char           *fwr_rule_dup_action_text (FwrRule *rule);
/* The row of rule id, or -1. */
int             fwr_report_index_lookup_row (FwrReportIndex *self, const char *rule_id);
/* (nullable) The check's description from the library's list. */
const FwrCheckInfo *fwr_report_index_lookup_check (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReportIndex, fwr_report_index_unref)

G_END_DECLS
