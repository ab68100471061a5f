/* fwr-report-index.h: one analysis as the GUI reads it: the ruleset's rules in order, each
 * rule's findings, and the zones, shared (reference counted) by every row that shows them.
 * Nothing in it changes once made, so a worker thread may read it while the window runs. */
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
  /* What the rules filter needs of each row, as plain numbers a worker can read. */
  guint32 *row_checks;        /* by row: FWR_ROW_CHECK_BIT of each check with a finding about it */
  guint *row_zone_classes;    /* by row: zone classes its packets may come from or go to, 0 unknown */
} FwrReportIndex;

/* A row's check bits: one per check of fwr_check_get_all(), in that order, and one for "any
 * finding at all" (findings of checks not in that list included). */
#define FWR_ROW_CHECK_ANY ((guint32) 1 << 31)
#define FWR_ROW_CHECK_BIT(position) ((guint32) 1 << (position))

/* (transfer full) Takes report and rule_zones; zones is referenced. Run it in a worker: with
 * zones it works out every rule's zone classes. */
FwrReportIndex *fwr_report_index_new   (FwrReport *report, FwrZoneMap *zones, const char *title);
FwrReportIndex *fwr_report_index_ref   (FwrReportIndex *self);
void            fwr_report_index_unref (FwrReportIndex *self);

/* (nullable) (element-type FwrFinding) The findings about rule. */
GPtrArray      *fwr_report_index_get_rule_findings (FwrReportIndex *self, FwrRule *rule);
/* Id, columns, action and comment of a row's rule, lower case and in Unicode compatibility
 * form (NFKD), computed with the index so no search costs the main thread a text. */
const char     *fwr_report_index_get_search_text (FwrReportIndex *self, guint row);
/* FWR_ROW_CHECK_ANY for "*", the check's bit for the name of a check of fwr_check_get_all(),
 * else 0 (the finding filter offers no other name). */
guint32         fwr_report_index_check_mask (const char *check);
/* The action column's text: "accept", "jump wan_to_dmz", "log", "—". */
char           *fwr_rule_dup_action_text (FwrRule *rule);
/* The row of rule id, or -1. */
int             fwr_report_index_lookup_row (FwrReportIndex *self, const char *rule_id);
/* (nullable) The check's description from the library's list. */
const FwrCheckInfo *fwr_report_index_lookup_check (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReportIndex, fwr_report_index_unref)

G_END_DECLS
