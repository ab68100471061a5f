/* fwr-rule-zones.c: the zone classes of each rule's packets, read from the flow (each rule as
 * the kernel reaches it, under the conditions of the jumps that lead there) by the zone logic
 * the checks use (fwr-zone-space.c). */
#include "fwr-flow-private.h"
#include "fwr-ruleset-private.h"

struct _FwrRuleZones {
  FwrRuleset *ruleset;
  FwrZoneMap *zones;      /* (nullable) */
  guint *from;            /* by rule ordinal */
  guint *to;
};

typedef struct {
  FwrFlow *flow;
  FwrZoneMap *zones;
  guint n_zones;
} Context;

static guint
classes_of (const Context *ctx, guint64 zone_mask)
{
  guint classes = (zone_mask & FWR_ZONE_UNKNOWN) ? FWR_ZONE_CLASSES_UNZONED : 0;
  for (guint z = 0; z < ctx->n_zones; z++)
    if (zone_mask & (G_GUINT64_CONSTANT (1) << z))
      classes |= FWR_ZONE_CLASS_BIT (fwr_zone_map_get_class (ctx->zones, z));
  return classes;
}

/* Adds the classes of one space; the firewall itself (input's destination, output's source)
 * is in no zone. */
static void
add_space (const Context *ctx, FwrHook hook, GPtrArray *space, guint *from, guint *to)
{
  for (guint i = 0; i < space->len; i++)
    {
      const FwrCube *cube = g_ptr_array_index (space, i);
      if (ctx->zones == NULL || ctx->n_zones > FWR_ZONE_BITS)
        {
          *from |= hook == FWR_HOOK_OUTPUT ? 0 : FWR_ZONE_CLASSES_ALL;
          *to |= hook == FWR_HOOK_INPUT ? 0 : FWR_ZONE_CLASSES_ALL;
          continue;
        }
      if (hook != FWR_HOOK_OUTPUT)
        *from |= classes_of (ctx, _fwr_zone_space_sources (ctx->flow, cube));
      if (hook != FWR_HOOK_INPUT)
        *to |= classes_of (ctx, _fwr_zone_space_destinations (ctx->flow, cube));
    }
}

static FwrFamilyMask
chain_families (const FwrChain *chain)
{
  switch (chain->family)
    {
    case FWR_TABLE_FAMILY_IP:
      return FWR_FAMILY_IPV4;
    case FWR_TABLE_FAMILY_IP6:
      return FWR_FAMILY_IPV6;
    default:
      return FWR_FAMILY_ANY;
    }
}

/* A rule the flow never reaches (a chain no base chain jumps to, a NAT chain, a disabled rule)
 * is judged by its own match: what it would see if it were reached. */
static void
add_own_match (const Context *ctx, const FwrRule *rule, guint *from, guint *to)
{
  for (guint t = 0; t < rule->n_terms; t++)
    {
      g_autoptr (GPtrArray) space = _fwr_flow_match_space (ctx->flow, &rule->terms[t].match,
                                                           chain_families (rule->chain));
      add_space (ctx, rule->chain->hook, space, from, to);
    }
}

FwrRuleZones *
fwr_rule_zones_new (FwrRuleset *ruleset, FwrZoneMap *zones)
{
  g_return_val_if_fail (ruleset != NULL, NULL);

  FwrRuleZones *self = g_new0 (FwrRuleZones, 1);
  self->ruleset = fwr_ruleset_ref (ruleset);
  self->zones = zones ? fwr_zone_map_ref (zones) : NULL;
  guint n_rules = MAX (ruleset->n_rules, 1);
  self->from = g_new0 (guint, n_rules);
  self->to = g_new0 (guint, n_rules);
  g_autofree gboolean *reached = g_new0 (gboolean, n_rules);

  Context ctx = { .flow = _fwr_flow_new (ruleset, zones), .zones = zones,
                  .n_zones = zones ? fwr_zone_map_get_n_zones (zones) : 0 };
  for (guint g = 0; g < ctx.flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (ctx.flow->groups, g);
      for (guint e = 0; e < group->entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
          if (entry->synthetic || entry->rule == NULL)
            continue;
          guint ordinal = entry->rule->ordinal;
          reached[ordinal] = TRUE;
          add_space (&ctx, group->hook, entry->space, &self->from[ordinal], &self->to[ordinal]);
        }
    }
  for (guint c = 0; c < ruleset->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (ruleset->chains, c);
      for (guint r = 0; r < chain->rules->len; r++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, r);
          if (!reached[rule->ordinal])
            add_own_match (&ctx, rule, &self->from[rule->ordinal], &self->to[rule->ordinal]);
        }
    }
  _fwr_flow_free (ctx.flow);
  return self;
}

void
fwr_rule_zones_free (FwrRuleZones *self)
{
  if (self == NULL)
    return;
  fwr_ruleset_unref (self->ruleset);
  g_clear_pointer (&self->zones, fwr_zone_map_unref);
  g_free (self->from);
  g_free (self->to);
  g_free (self);
}

gboolean
fwr_rule_zones_lookup (const FwrRuleZones *self, const FwrRule *rule, guint *from, guint *to)
{
  g_return_val_if_fail (self != NULL && rule != NULL, FALSE);
  if (rule->chain == NULL || rule->chain->ruleset != self->ruleset ||
      rule->ordinal >= self->ruleset->n_rules)
    return FALSE;
  if (from != NULL)
    *from = self->from[rule->ordinal];
  if (to != NULL)
    *to = self->to[rule->ordinal];
  return TRUE;
}
