/* fwr-rule-zones.c: the zone classes of each rule's packets, read from the flow (each rule as
 * the kernel reaches it, under the conditions of the jumps that lead there) and the zones file. */
#include "fwr-flow-private.h"
#include "fwr-ruleset-private.h"

/* Zones as bits of a guint64 like the analysis does: bit z for zone z, the top bit for
 * packets no zone claims. Zone files have a handful of zones; past 63 every zone is possible. */
#define ZONE_BITS 63
#define ZONE_UNKNOWN (G_GUINT64_CONSTANT (1) << 63)

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

static guint64
all_zones (const Context *ctx)
{
  return ((G_GUINT64_CONSTANT (1) << ctx->n_zones) - 1) | ZONE_UNKNOWN;
}

static guint64
zone_bit (const Context *ctx, int z)
{
  return z >= 0 && (guint) z < ctx->n_zones ? G_GUINT64_CONSTANT (1) << z : ZONE_UNKNOWN;
}

/* Zones by name (vendor zones) or by interface; zones defined by networks alone are never
 * excluded by an interface. */
static guint64
zones_by_interface (const Context *ctx, const FwrCube *cube, FwrDim iface_dim, FwrDim name_dim)
{
  g_autofree char *scratch = NULL;
  guint64 mask = 0;

  if (!_fwr_cube_is_full_dim (cube, name_dim))
    {
      const FwrSpans *spans = &cube->dims[name_dim];
      for (guint i = 0; i < spans->n; i++)
        for (fwr_u128 v = spans->spans[i].lo; v <= spans->spans[i].hi; v++)
          mask |= zone_bit (ctx, fwr_zone_map_lookup_name (ctx->zones,
              _fwr_name_universe_sample (&ctx->flow->zone_names, (guint) v, &scratch)));
      return mask;
    }
  if (_fwr_cube_is_full_dim (cube, iface_dim))
    return all_zones (ctx);
  for (guint z = 0; z < ctx->n_zones; z++)
    if (fwr_zone_map_get_interfaces (ctx->zones, z) == NULL)
      mask |= G_GUINT64_CONSTANT (1) << z;
  const FwrSpans *spans = &cube->dims[iface_dim];
  for (guint i = 0; i < spans->n; i++)
    for (fwr_u128 v = spans->spans[i].lo; v <= spans->spans[i].hi; v++)
      mask |= zone_bit (ctx, fwr_zone_map_lookup_interface (ctx->zones,
          _fwr_name_universe_sample (&ctx->flow->ifaces, (guint) v, &scratch)));
  return mask;
}

/* Zones by network; addresses no zone claims may be in any zone defined by interfaces alone. */
static guint64
zones_by_address (const Context *ctx, const FwrCube *cube, FwrDim addr_dim)
{
  if (_fwr_cube_is_full_dim (cube, addr_dim))
    return all_zones (ctx);
  const FwrSpans *addrs = &cube->dims[addr_dim];
  guint64 mask = 0;
  FwrSpans unclaimed;
  _fwr_spans_init (&unclaimed);
  _fwr_spans_copy_into (&unclaimed, addrs);
  for (guint z = 0; z < ctx->n_zones; z++)
    {
      const FwrAddrSet *networks = fwr_zone_map_get_networks (ctx->zones, z);
      if (networks == NULL)
        continue;
      const FwrSpans *part = cube->family == FWR_FAMILY_IPV4 ? &networks->v4 : &networks->v6;
      if (_fwr_spans_intersects (addrs, part))
        mask |= G_GUINT64_CONSTANT (1) << z;
      _fwr_spans_subtract (&unclaimed, part);
    }
  if (unclaimed.n > 0)
    {
      mask |= ZONE_UNKNOWN;
      for (guint z = 0; z < ctx->n_zones; z++)
        if (fwr_zone_map_get_networks (ctx->zones, z) == NULL)
          mask |= G_GUINT64_CONSTANT (1) << z;
    }
  _fwr_spans_clear (&unclaimed);
  return mask;
}

static guint
classes_of (const Context *ctx, guint64 zone_mask)
{
  guint classes = (zone_mask & ZONE_UNKNOWN) ? FWR_ZONE_CLASSES_UNZONED : 0;
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
      if (ctx->zones == NULL || ctx->n_zones > ZONE_BITS)
        {
          *from |= hook == FWR_HOOK_OUTPUT ? 0 : FWR_ZONE_CLASSES_ALL;
          *to |= hook == FWR_HOOK_INPUT ? 0 : FWR_ZONE_CLASSES_ALL;
          continue;
        }
      if (hook != FWR_HOOK_OUTPUT)
        *from |= classes_of (ctx, zones_by_interface (ctx, cube, FWR_DIM_IIF, FWR_DIM_SZONE) &
                                  zones_by_address (ctx, cube, FWR_DIM_SRC));
      if (hook != FWR_HOOK_INPUT)
        *to |= classes_of (ctx, zones_by_interface (ctx, cube, FWR_DIM_OIF, FWR_DIM_DZONE) &
                                zones_by_address (ctx, cube, FWR_DIM_DST));
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
