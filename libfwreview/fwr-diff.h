/* fwr-diff.h: what changed between two rulesets, as a reviewer reads it: rules matched by
 * content and position (never by handle, which changes on every reload), counters ignored. */
#pragma once

#include "fwr-macros.h"
#include "fwr-ruleset.h"
#include "fwr-analysis.h"

G_BEGIN_DECLS

typedef enum {
  FWR_DIFF_ADDED,          /* a rule only after */
  FWR_DIFF_REMOVED,        /* a rule only before */
  FWR_DIFF_MODIFIED,       /* the same rule, with a different comment, match or verdict, ... */
  FWR_DIFF_MOVED,          /* the same rule, now in another order relative to its neighbours */
  FWR_DIFF_CHAIN_ADDED,
  FWR_DIFF_CHAIN_REMOVED,
  FWR_DIFF_CHAIN_MODIFIED, /* hook, type, priority, policy or comment differ */
} FwrDiffKind;

typedef struct _FwrDiff FwrDiff;
typedef struct _FwrDiffEntry FwrDiffEntry;

/* (transfer full) before may be NULL (everything is added). Keeps both rulesets alive.
 * Rules pair up, per chain id, first by identical content and comment (unchanged or moved),
 * then by identical content (modified: comment, log or enabled), then by a comment unique on
 * both sides (modified: match or verdict); the rest are added or removed. Among the rules
 * paired by identical content, the longest run in unchanged relative order stays put and
 * the others are moved. */
FWR_PUBLIC FwrDiff    *fwr_diff_new             (FwrRuleset *before, FwrRuleset *after);
FWR_PUBLIC void        fwr_diff_free            (FwrDiff *self);
/* TRUE when both rulesets are semantically equal: no entry at all. */
FWR_PUBLIC gboolean    fwr_diff_is_empty        (const FwrDiff *self);
/* Entries in the order of the chains, then of the rules' positions. */
FWR_PUBLIC guint       fwr_diff_get_n_entries   (const FwrDiff *self);
FWR_PUBLIC const FwrDiffEntry *fwr_diff_get_entry (const FwrDiff *self, guint index);
FWR_PUBLIC guint       fwr_diff_count           (const FwrDiff *self, FwrDiffKind kind);

FWR_PUBLIC FwrDiffKind fwr_diff_entry_get_kind  (const FwrDiffEntry *self);
/* (nullable) The rule before and after; NULL for added (before) or removed (after), and for
 * chain entries. */
FWR_PUBLIC FwrRule    *fwr_diff_entry_get_before (const FwrDiffEntry *self);
FWR_PUBLIC FwrRule    *fwr_diff_entry_get_after  (const FwrDiffEntry *self);
/* (nullable) The chain before and after. */
FWR_PUBLIC FwrChain   *fwr_diff_entry_get_before_chain (const FwrDiffEntry *self);
FWR_PUBLIC FwrChain   *fwr_diff_entry_get_after_chain  (const FwrDiffEntry *self);
/* For modified entries, the attributes that differ: "match", "verdict", "comment", "log",
 * "enabled" (rules), "type", "hook", "priority", "policy", "comment" (chains). */
FWR_PUBLIC const char * const *fwr_diff_entry_get_changes (const FwrDiffEntry *self);
FWR_PUBLIC const char *fwr_diff_kind_to_string  (FwrDiffKind kind);

/* (transfer full) What identifies a rule's content across snapshots: its chain id (which
 * has no handle), what it matches and its verdict. */
FWR_PUBLIC char       *fwr_rule_dup_content_key (const FwrRule *rule);

/* The findings a change introduces and resolves: findings of both rulesets compared by check
 * and rule content key (chain and object findings by check and subject id), never by rule id. */
typedef struct _FwrRiskDelta FwrRiskDelta;

/* (transfer full) before may be NULL (a baseline: every finding is new). */
FWR_PUBLIC FwrRiskDelta *fwr_risk_delta_new          (FwrRuleset *before, FwrRuleset *after,
                                                      FwrZoneMap *zones);
FWR_PUBLIC void          fwr_risk_delta_free         (FwrRiskDelta *self);
/* (nullable) The analyses compared: before is NULL for a baseline. The findings below belong
 * to them (new ones to after, resolved ones to before). */
FWR_PUBLIC const FwrReport *fwr_risk_delta_get_before_report (const FwrRiskDelta *self);
FWR_PUBLIC const FwrReport *fwr_risk_delta_get_after_report  (const FwrRiskDelta *self);
/* Findings of the after ruleset that the before ruleset did not have. */
FWR_PUBLIC guint         fwr_risk_delta_get_n_new    (const FwrRiskDelta *self);
FWR_PUBLIC const FwrFinding *fwr_risk_delta_get_new  (const FwrRiskDelta *self, guint index);
/* Findings of the before ruleset that are gone after. */
FWR_PUBLIC guint         fwr_risk_delta_get_n_resolved (const FwrRiskDelta *self);
FWR_PUBLIC const FwrFinding *fwr_risk_delta_get_resolved (const FwrRiskDelta *self, guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrDiff, fwr_diff_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrRiskDelta, fwr_risk_delta_free)

G_END_DECLS
