/* fwr-ruleset.h: the normalized rule model every importer produces and the analysis reads.
 * A ruleset holds containers (chains or vendor policies) of ordered rules, and named objects. */
#pragma once

#include "fwr-macros.h"
#include "fwr-addrset.h"
#include "fwr-rangeset.h"

G_BEGIN_DECLS

typedef enum {
  FWR_ACTION_NONE = 0,   /* no verdict: evaluation continues (log, counter, mark...) */
  FWR_ACTION_ACCEPT,
  FWR_ACTION_DROP,
  FWR_ACTION_REJECT,
  FWR_ACTION_JUMP,
  FWR_ACTION_GOTO,
  FWR_ACTION_RETURN,
  FWR_ACTION_CONTINUE,
  FWR_ACTION_QUEUE,      /* handed to user space: treated as opaque, ends evaluation */
} FwrAction;

typedef enum {
  FWR_TABLE_FAMILY_IP,
  FWR_TABLE_FAMILY_IP6,
  FWR_TABLE_FAMILY_INET,
  FWR_TABLE_FAMILY_ARP,
  FWR_TABLE_FAMILY_BRIDGE,
  FWR_TABLE_FAMILY_NETDEV,
} FwrTableFamily;

typedef enum {
  FWR_HOOK_NONE = 0,     /* a regular chain, reached only by jump or goto */
  FWR_HOOK_PREROUTING,
  FWR_HOOK_INPUT,
  FWR_HOOK_FORWARD,
  FWR_HOOK_OUTPUT,
  FWR_HOOK_POSTROUTING,
  FWR_HOOK_INGRESS,
  FWR_HOOK_EGRESS,
} FwrHook;

typedef enum {
  FWR_CHAIN_TYPE_FILTER,
  FWR_CHAIN_TYPE_NAT,
  FWR_CHAIN_TYPE_ROUTE,
} FwrChainType;

typedef enum {
  FWR_CT_NEW         = 1 << 0,
  FWR_CT_ESTABLISHED = 1 << 1,
  FWR_CT_RELATED     = 1 << 2,
  FWR_CT_INVALID     = 1 << 3,
  FWR_CT_UNTRACKED   = 1 << 4,
  FWR_CT_ALL         = 0x1f,
} FwrCtState;

typedef enum {
  FWR_OBJECT_SET,
  FWR_OBJECT_MAP,
  FWR_OBJECT_VERDICT_MAP,
  FWR_OBJECT_COUNTER,
  FWR_OBJECT_QUOTA,
  FWR_OBJECT_LIMIT,
  FWR_OBJECT_CT_HELPER,
  FWR_OBJECT_ADDRESS,        /* vendor address object */
  FWR_OBJECT_ADDRESS_GROUP,
  FWR_OBJECT_SERVICE,
  FWR_OBJECT_SERVICE_GROUP,
  FWR_OBJECT_SCHEDULE,
  FWR_OBJECT_OTHER,
} FwrObjectKind;

typedef struct _FwrRuleset FwrRuleset;
typedef struct _FwrChain FwrChain;
typedef struct _FwrRule FwrRule;
typedef struct _FwrObject FwrObject;

/* Ruleset */
FWR_PUBLIC FwrRuleset  *fwr_ruleset_ref            (FwrRuleset *self);
FWR_PUBLIC void         fwr_ruleset_unref          (FwrRuleset *self);
/* "nftables-json", ... */
FWR_PUBLIC const char  *fwr_ruleset_get_format     (const FwrRuleset *self);
FWR_PUBLIC const char  *fwr_ruleset_get_file       (const FwrRuleset *self);
FWR_PUBLIC guint        fwr_ruleset_get_n_rules    (const FwrRuleset *self);
FWR_PUBLIC guint        fwr_ruleset_get_n_chains   (const FwrRuleset *self);
FWR_PUBLIC FwrChain    *fwr_ruleset_get_chain      (const FwrRuleset *self, guint index);
FWR_PUBLIC guint        fwr_ruleset_get_n_objects  (const FwrRuleset *self);
FWR_PUBLIC FwrObject   *fwr_ruleset_get_object     (const FwrRuleset *self, guint index);
/* (nullable) By id ("inet/edge/forward/6"); O(1). */
FWR_PUBLIC FwrRule     *fwr_ruleset_lookup_rule    (const FwrRuleset *self, const char *id);
FWR_PUBLIC FwrChain    *fwr_ruleset_lookup_chain   (const FwrRuleset *self, const char *id);
/* Things the importer read but could not model exactly, "line:column: text". */
FWR_PUBLIC guint        fwr_ruleset_get_n_warnings (const FwrRuleset *self);
FWR_PUBLIC const char  *fwr_ruleset_get_warning    (const FwrRuleset *self, guint index);

/* Chain (or vendor policy / ACL) */
FWR_PUBLIC const char  *fwr_chain_get_id           (const FwrChain *self);
FWR_PUBLIC const char  *fwr_chain_get_name         (const FwrChain *self);
FWR_PUBLIC const char  *fwr_chain_get_table        (const FwrChain *self);
FWR_PUBLIC FwrTableFamily fwr_chain_get_family     (const FwrChain *self);
FWR_PUBLIC FwrChainType fwr_chain_get_chain_type   (const FwrChain *self);
FWR_PUBLIC FwrHook      fwr_chain_get_hook         (const FwrChain *self);
FWR_PUBLIC int          fwr_chain_get_priority     (const FwrChain *self);
/* FWR_ACTION_NONE for a regular chain. */
FWR_PUBLIC FwrAction    fwr_chain_get_policy       (const FwrChain *self);
/* (nullable) */
FWR_PUBLIC const char  *fwr_chain_get_comment      (const FwrChain *self);
/* Where the chain is declared; 0 when unknown. */
FWR_PUBLIC guint        fwr_chain_get_line         (const FwrChain *self);
FWR_PUBLIC guint        fwr_chain_get_n_rules      (const FwrChain *self);
FWR_PUBLIC FwrRule     *fwr_chain_get_rule         (const FwrChain *self, guint index);

/* Rule */
FWR_PUBLIC const char  *fwr_rule_get_id            (const FwrRule *self);
FWR_PUBLIC FwrChain    *fwr_rule_get_chain         (const FwrRule *self);
FWR_PUBLIC guint        fwr_rule_get_position      (const FwrRule *self);
/* The main verdict; for a verdict map, FWR_ACTION_NONE with several term verdicts. */
FWR_PUBLIC FwrAction    fwr_rule_get_action        (const FwrRule *self);
FWR_PUBLIC const char  *fwr_rule_get_target       (const FwrRule *self);
FWR_PUBLIC const char  *fwr_rule_get_comment       (const FwrRule *self);
FWR_PUBLIC gboolean     fwr_rule_get_enabled       (const FwrRule *self);
FWR_PUBLIC gboolean     fwr_rule_get_log           (const FwrRule *self);
/* FALSE when the rule has no counter: usage unknown. */
FWR_PUBLIC gboolean     fwr_rule_get_counter       (const FwrRule *self, guint64 *packets, guint64 *bytes);
FWR_PUBLIC const char  *fwr_rule_get_file          (const FwrRule *self);
/* 0 when unknown. */
FWR_PUBLIC guint        fwr_rule_get_line          (const FwrRule *self);
FWR_PUBLIC guint        fwr_rule_get_n_opaque      (const FwrRule *self);
/* Human text of what the rule matches, e.g. "iifname wan ip saddr 10.0.0.0/8 tcp dport 22". */
FWR_PUBLIC char        *fwr_rule_dup_match_text    (const FwrRule *self);
/* The columns of a rule table, as short text: source (input interfaces, source zones,
 * addresses), destination (output interfaces, destination zones, addresses) and service
 * (protocols, ports, ICMP types, connection states and unmodeled conditions in brackets);
 * "any" when unrestricted. The distinct texts of a rule's terms
 * are joined with " | ". (transfer full) */
FWR_PUBLIC char        *fwr_rule_dup_source_text      (const FwrRule *self);
FWR_PUBLIC char        *fwr_rule_dup_destination_text (const FwrRule *self);
FWR_PUBLIC char        *fwr_rule_dup_service_text     (const FwrRule *self);

/* Named object */
FWR_PUBLIC const char  *fwr_object_get_id          (const FwrObject *self);
FWR_PUBLIC const char  *fwr_object_get_name        (const FwrObject *self);
FWR_PUBLIC FwrObjectKind fwr_object_get_kind       (const FwrObject *self);
FWR_PUBLIC guint        fwr_object_get_n_refs      (const FwrObject *self);
FWR_PUBLIC guint        fwr_object_get_line        (const FwrObject *self);

FWR_PUBLIC const char  *fwr_action_to_string       (FwrAction action);
FWR_PUBLIC const char  *fwr_hook_to_string         (FwrHook hook);
FWR_PUBLIC const char  *fwr_table_family_to_string (FwrTableFamily family);
FWR_PUBLIC const char  *fwr_object_kind_to_string  (FwrObjectKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrRuleset, fwr_ruleset_unref)

G_END_DECLS
