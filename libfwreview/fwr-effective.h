/* fwr-effective.h: what a rule really matches once the jumps that reach it are taken into
 * account: the packet space the engine evaluates for it, as text, path by path. */
#pragma once

#include "fwr-macros.h"
#include "fwr-ruleset.h"
#include "fwr-zones.h"

G_BEGIN_DECLS

typedef struct _FwrEffective FwrEffective;

/* (transfer full) Builds the ruleset's evaluation sequences once (the analysis's flow); zones
 * may be NULL. Keeps ruleset alive. Run it off the main thread for large rulesets. */
FWR_PUBLIC FwrEffective *fwr_effective_new            (FwrRuleset *ruleset, FwrZoneMap *zones);
FWR_PUBLIC void          fwr_effective_free           (FwrEffective *self);
/* (transfer full) (nullable) One line per way packets reach rule (base chain, hook and the
 * jumps in between): "forward via inet/edge/forward/26: ipv4 iif {ppp*,wan} oif dmz daddr
 * 203.0.113.25 proto tcp dport 25"; pieces of a union are joined with " | ". At most
 * max_pieces pieces per line, then how many more. NULL when no base chain reaches the rule. */
FWR_PUBLIC char         *fwr_effective_dup_rule_text  (const FwrEffective *self, const FwrRule *rule,
                                                       guint max_pieces);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrEffective, fwr_effective_free)

G_END_DECLS
