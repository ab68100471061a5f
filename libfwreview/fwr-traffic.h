/* fwr-traffic.h: the traffic a change newly permits or denies, as address and port sets per
 * zone pair, computed exactly by the analysis engine from the two rulesets. */
#pragma once

#include "fwr-macros.h"
#include "fwr-ruleset.h"
#include "fwr-zones.h"

G_BEGIN_DECLS

typedef enum {
  FWR_TRAFFIC_PERMITTED,  /* accepted after the change, not before */
  FWR_TRAFFIC_DENIED,     /* accepted before the change, not after */
} FwrTrafficChange;

typedef struct _FwrTrafficDelta FwrTrafficDelta;

/* (transfer full) Compares what before (nullable: nothing yet, every packet accepted) and after
 * finally accept. Only packets some changed rule matches can differ, so only those are run
 * through both rulesets. zones (nullable) names the pairs; without it every flow is "any". */
FWR_PUBLIC FwrTrafficDelta *fwr_traffic_delta_new      (FwrRuleset *before, FwrRuleset *after,
                                                        FwrZoneMap *zones);
FWR_PUBLIC void             fwr_traffic_delta_free     (FwrTrafficDelta *self);
/* FALSE when a part was too fragmented to compute: the flows listed are then a lower bound. */
FWR_PUBLIC gboolean         fwr_traffic_delta_is_complete (const FwrTrafficDelta *self);
/* One flow per hook, change and zone pair, in a stable order. */
FWR_PUBLIC guint            fwr_traffic_delta_get_n_flows (const FwrTrafficDelta *self);
FWR_PUBLIC FwrTrafficChange fwr_traffic_delta_get_change  (const FwrTrafficDelta *self, guint index);
FWR_PUBLIC FwrHook          fwr_traffic_delta_get_hook    (const FwrTrafficDelta *self, guint index);
/* A zone name, "firewall" for the firewall itself (input and output hooks), "unzoned" for
 * addresses and interfaces no zone claims, or "any" without a zones map. */
FWR_PUBLIC const char      *fwr_traffic_delta_get_from_zone (const FwrTrafficDelta *self, guint index);
FWR_PUBLIC const char      *fwr_traffic_delta_get_to_zone   (const FwrTrafficDelta *self, guint index);
FWR_PUBLIC const FwrAddrSet *fwr_traffic_delta_get_sources      (const FwrTrafficDelta *self, guint index);
FWR_PUBLIC const FwrAddrSet *fwr_traffic_delta_get_destinations (const FwrTrafficDelta *self, guint index);
/* (nullable) NULL means any protocol / any destination port. */
FWR_PUBLIC const FwrRangeSet *fwr_traffic_delta_get_protocols (const FwrTrafficDelta *self, guint index);
FWR_PUBLIC const FwrRangeSet *fwr_traffic_delta_get_ports     (const FwrTrafficDelta *self, guint index);

FWR_PUBLIC const char      *fwr_traffic_change_to_string  (FwrTrafficChange change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrTrafficDelta, fwr_traffic_delta_free)

G_END_DECLS
