/* fwr-rule-zones.h: which zone classes a rule's packets may come from and go to, as the
 * analysis sees them: after jumps, through interfaces, vendor zones and networks. */
#pragma once

#include "fwr-macros.h"
#include "fwr-ruleset.h"
#include "fwr-zones.h"

G_BEGIN_DECLS

/* Masks of zone classes: bit 1 << FwrZoneClass for each class, and FWR_ZONE_CLASSES_UNZONED
 * for packets on an interface or address the zones file does not place in any zone. */
#define FWR_ZONE_CLASS_BIT(klass) (1u << (klass))
#define FWR_ZONE_CLASSES_UNZONED (1u << 16)
#define FWR_ZONE_CLASSES_ALL (((1u << (FWR_ZONE_CLASS_OTHER + 1)) - 1) | FWR_ZONE_CLASSES_UNZONED)

typedef struct _FwrRuleZones FwrRuleZones;

/* (transfer full) Works out the classes of every rule of ruleset once; zones may be NULL, and
 * then every class is possible on both sides. Keeps ruleset and zones alive. */
FWR_PUBLIC FwrRuleZones *fwr_rule_zones_new    (FwrRuleset *ruleset, FwrZoneMap *zones);
FWR_PUBLIC void          fwr_rule_zones_free   (FwrRuleZones *self);
/* The classes rule's packets may come from (*from) and go to (*to). Packets to or from the
 * firewall itself (input and output hooks) are in no zone. FALSE when rule is not one of the
 * ruleset's rules. */
FWR_PUBLIC gboolean      fwr_rule_zones_lookup (const FwrRuleZones *self, const FwrRule *rule,
                                                guint *from, guint *to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrRuleZones, fwr_rule_zones_free)

G_END_DECLS
