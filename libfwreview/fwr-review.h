/* fwr-review.h: periodic rule reviews (semi-annual DMZ, yearly access-control and external):
 * per-device policy, campaigns with a signed decision per rule, supervisor sign-off, due dates. */
#pragma once

#include "fwr-macros.h"
#include "fwr-store.h"
#include "fwr-analysis.h"

G_BEGIN_DECLS

typedef enum {
  FWR_REVIEW_SCOPE_DMZ,             /* rules whose source or destination may be a dmz zone */
  FWR_REVIEW_SCOPE_ACCESS_CONTROL,  /* every rule */
  FWR_REVIEW_SCOPE_EXTERNAL,        /* rules whose source or destination may be an internet zone */
} FwrReviewScope;
#define FWR_REVIEW_N_SCOPES 3

typedef enum {
  FWR_REVIEW_KEEP,
  FWR_REVIEW_TIGHTEN,
  FWR_REVIEW_REMOVE,
} FwrReviewDecisionKind;

typedef enum {
  FWR_REVIEW_DUE_OK,
  FWR_REVIEW_DUE_SOON,              /* due within FWR_REVIEW_DUE_SOON_DAYS */
  FWR_REVIEW_DUE_OVERDUE,
} FwrReviewDueStatus;
#define FWR_REVIEW_DUE_SOON_DAYS 30

FWR_PUBLIC const char *fwr_review_scope_to_string      (FwrReviewScope scope);
FWR_PUBLIC gboolean    fwr_review_scope_from_string    (const char *text, FwrReviewScope *out);
/* The checklist's interval: 6 months for dmz, 12 for access-control and external. */
FWR_PUBLIC guint       fwr_review_scope_get_default_months (FwrReviewScope scope);
/* Whether a rule whose packets may come from the zone classes from and go to the classes to
 * (masks of fwr-rule-zones.h) belongs to scope. */
FWR_PUBLIC gboolean    fwr_review_scope_contains       (FwrReviewScope scope, guint from, guint to);
FWR_PUBLIC const char *fwr_review_decision_to_string   (FwrReviewDecisionKind decision);
FWR_PUBLIC gboolean    fwr_review_decision_from_string (const char *text, FwrReviewDecisionKind *out);
FWR_PUBLIC const char *fwr_review_due_status_to_string (FwrReviewDueStatus status);

/* A device's policy for one scope. id 0: never set, the checklist's defaults. */
typedef struct {
  gint64 id;
  gint64 device_id;
  FwrReviewScope scope;
  guint interval_months;
  gboolean segregation;     /* the person who made most decisions may not sign off */
  char *justification;      /* (nullable) why it is looser than the defaults */
  char *set_by;             /* (nullable) */
  char *set_at;             /* (nullable) */
} FwrReviewPolicy;

/* One finding about a rule as it stood when the review started. */
typedef struct {
  char *check;              /* an analysis check, or "zero-hits" (usage over the period) */
  FwrSeverity severity;
  char *message;
} FwrReviewFinding;

typedef struct {
  gint64 id;
  gint64 review_id;
  guint position;           /* 0-based in the review's list */
  char *rule_id;            /* the rule's id in the frozen snapshot */
  char *chain;
  char *content_key;        /* fwr_rule_dup_content_key(): finds the rule in other snapshots */
  char *match;
  char *verdict;
  char *comment;            /* (nullable) */
  guint from_classes;       /* zone classes, fwr-rule-zones.h masks */
  guint to_classes;
  GPtrArray *findings;      /* (element-type FwrReviewFinding) */
  /* Usage: the frozen snapshot's counter, and every snapshot of the period showing the rule. */
  gboolean counted;         /* the frozen snapshot has a counter on the rule */
  guint64 packets;          /* its reading */
  guint n_observations;     /* snapshots of the period with the rule and a counter */
  guint64 max_packets;      /* the highest reading among them */
  char *observed_from;      /* (nullable) the first and last of them */
  char *observed_to;        /* (nullable) */
  gboolean zero_hits;       /* two or more observations, every one reading zero */
} FwrReviewRule;

typedef struct {
  gint64 id;
  gint64 review_id;
  char *rule_id;
  char *content_key;
  FwrReviewDecisionKind decision;
  char *reason;
  gint64 change_id;         /* the change request the decision produced, 0 when none */
  char *decided_by;
  char *public_key;
  char *decided_at;
  char *snapshot_sha256;    /* of the frozen configuration the decision is about */
  char *signature;          /* over fwr_review_decision_dup_signed_text() */
} FwrReviewDecision;

typedef struct {
  gint64 id;
  gint64 review_id;
  char *signed_by;
  char *public_key;
  char *comment;            /* (nullable) */
  char *signed_at;
  char *review_sha256;      /* the review and its rules as frozen */
  char *decisions_sha256;   /* every decision, in order */
  char *signature;          /* over fwr_review_signoff_dup_signed_text() */
} FwrReviewSignoff;

typedef struct {
  gint64 id;
  gint64 device_id;
  FwrReviewScope scope;
  gint64 snapshot_id;       /* the approved baseline the review froze */
  char *snapshot_sha256;
  char *period_from;        /* the usage period: since the last completed review of the scope, */
  char *period_to;          /* or one interval back; it ends when the review starts */
  char *started_by;
  char *started_at;
  GPtrArray *rules;         /* (element-type FwrReviewRule) the rules in scope, in ruleset order */
  GPtrArray *decisions;     /* (element-type FwrReviewDecision) in the order they were taken */
  FwrReviewSignoff *signoff; /* (nullable) set once completed */
} FwrReview;

/* One line of "what is due": a device and a scope. */
typedef struct {
  gint64 device_id;
  char *device;
  FwrReviewScope scope;
  guint interval_months;
  gint64 last_review_id;    /* the last completed review, 0 when none */
  char *last_completed;     /* (nullable) its sign-off time */
  char *next_due;           /* last_completed (or the device's creation) plus the interval */
  gint64 open_review_id;    /* a review under way, 0 when none */
  FwrReviewDueStatus status;
} FwrReviewDue;

FWR_PUBLIC void fwr_review_policy_free   (FwrReviewPolicy *policy);
FWR_PUBLIC void fwr_review_finding_free  (FwrReviewFinding *finding);
FWR_PUBLIC void fwr_review_rule_free     (FwrReviewRule *rule);
FWR_PUBLIC void fwr_review_decision_free (FwrReviewDecision *decision);
FWR_PUBLIC void fwr_review_signoff_free  (FwrReviewSignoff *signoff);
FWR_PUBLIC void fwr_review_free          (FwrReview *review);
FWR_PUBLIC void fwr_review_due_free      (FwrReviewDue *due);

/* (nullable) (transfer none) The decision on rule_id, NULL while undecided. */
FWR_PUBLIC const FwrReviewDecision *fwr_review_find_decision (const FwrReview *review,
                                                              const char *rule_id);
/* (transfer full) The bytes a decision's signature covers: the review, the rule (id and
 * content), the SHA-256 of the frozen configuration, the decision, reason, change, who, when. */
FWR_PUBLIC char *fwr_review_decision_dup_signed_text (const FwrReviewDecision *decision, gsize *length);
/* (transfer full) The bytes a sign-off's signature covers. */
FWR_PUBLIC char *fwr_review_signoff_dup_signed_text  (const FwrReviewSignoff *signoff, gsize *length);

/* Policy. Supervisors set it; an interval longer than the checklist's, or segregation turned
 * off, needs a justification, which is logged. Intervals run from 1 to 36 months. */
FWR_PUBLIC FwrReviewPolicy *fwr_store_get_review_policy (FwrStore *self, const char *device,
                                                         FwrReviewScope scope, GError **error);
FWR_PUBLIC gboolean fwr_store_set_review_policy (FwrStore *self, const FwrIdentity *actor,
                                                 const char *device, FwrReviewScope scope,
                                                 guint interval_months, gboolean segregation,
                                                 const char *justification, gint64 *out_id,
                                                 GError **error);

/* Starts a review of the device's approved baseline (admins and supervisors): freezes the
 * rules in scope with their findings and usage. One open review per device and scope. */
FWR_PUBLIC gboolean fwr_store_start_review   (FwrStore *self, const FwrIdentity *actor,
                                              const char *device, FwrReviewScope scope,
                                              gint64 *out_id, GError **error);
/* Decides on one rule of an open review (admins and supervisors); decisions are final. With
 * proposed data (tighten and remove only) it also submits a change request against the device's
 * baseline in the same transaction, which must change or remove the rule; ticket is the
 * change's (nullable). *out_decision (nullable) is the stored decision. */
FWR_PUBLIC gboolean fwr_store_decide_review  (FwrStore *self, const FwrIdentity *actor,
                                              gint64 review_id, const char *rule_id,
                                              FwrReviewDecisionKind decision, const char *reason,
                                              const char *proposed_file, const char *proposed_data,
                                              gsize proposed_length, const char *ticket,
                                              FwrReviewDecision **out_decision, GError **error);
/* The supervisor's signed sign-off: STATE while a rule is undecided, FORBIDDEN for the person
 * who made most of the decisions when the policy asks for segregation. */
FWR_PUBLIC gboolean fwr_store_complete_review (FwrStore *self, const FwrIdentity *actor,
                                               gint64 review_id, const char *comment,
                                               GError **error);
/* Whether the holder of public_key may sign off review_id now, signing nothing: FALSE with
 * the reason fwr_store_complete_review() would give (role, undecided rules, segregation of
 * duties, completed already), so a screen can say why before anyone tries. */
FWR_PUBLIC gboolean fwr_store_check_may_complete_review (FwrStore *self, const char *public_key,
                                                         gint64 review_id, GError **error);
/* (transfer full) With its rules, decisions and sign-off. */
FWR_PUBLIC FwrReview *fwr_store_get_review   (FwrStore *self, gint64 id, GError **error);
/* (transfer full) (element-type FwrReview) device_id 0 lists all. */
FWR_PUBLIC GPtrArray *fwr_store_list_reviews (FwrStore *self, gint64 device_id, GError **error);
/* (transfer full) (element-type FwrReviewDue) Every device and scope as things stood at (NULL:
 * now): devices, policies, reviews and sign-offs of later dates do not count. */
FWR_PUBLIC GPtrArray *fwr_store_list_reviews_due (FwrStore *self, GDateTime *at, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReviewPolicy, fwr_review_policy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReviewRule, fwr_review_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReviewDecision, fwr_review_decision_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReviewSignoff, fwr_review_signoff_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReview, fwr_review_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrReviewDue, fwr_review_due_free)

G_END_DECLS
