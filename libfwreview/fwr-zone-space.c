/* fwr-zone-space.c: which zones of the zones file a packet space can come from or go to, and
 * the part of a space inside one zone. Shared by the checks, the traffic delta and reviews. */
#include "fwr-flow-private.h"

/* Zone masks: bit z for zone z of the map (at most 63 zones), and one bit for packets no zone
 * claims (an interface or address the zones file does not name). */

static guint64
all_zones (FwrFlow *flow)
{
  guint n = MIN (fwr_zone_map_get_n_zones (flow->zones), FWR_ZONE_BITS);
  return ((G_GUINT64_CONSTANT (1) << n) - 1) | FWR_ZONE_UNKNOWN;
}

static guint64
zones_by_interface (FwrFlow *flow, const FwrCube *cube, FwrDim iface_dim, FwrDim name_dim)
{
  guint n = MIN (fwr_zone_map_get_n_zones (flow->zones), FWR_ZONE_BITS);
  guint64 mask = 0;
  g_autofree char *scratch = NULL;

  if (!_fwr_cube_is_full_dim (cube, name_dim))
    {
      /* Vendor zones name the zone itself. */
      const FwrSpans *spans = &cube->dims[name_dim];
      for (guint i = 0; i < spans->n; i++)
        for (fwr_u128 v = spans->spans[i].lo; v <= spans->spans[i].hi; v++)
          {
            int z = fwr_zone_map_lookup_name (flow->zones,
                                              _fwr_name_universe_sample (&flow->zone_names, (guint) v, &scratch));
            mask |= z >= 0 && (guint) z < n ? G_GUINT64_CONSTANT (1) << z : FWR_ZONE_UNKNOWN;
          }
      return mask;
    }

  for (guint z = 0; z < n; z++)
    if (fwr_zone_map_get_interfaces (flow->zones, z) == NULL)
      mask |= G_GUINT64_CONSTANT (1) << z;
  if (_fwr_cube_is_full_dim (cube, iface_dim))
    return all_zones (flow);

  const FwrSpans *spans = &cube->dims[iface_dim];
  for (guint i = 0; i < spans->n; i++)
    for (fwr_u128 v = spans->spans[i].lo; v <= spans->spans[i].hi; v++)
      {
        int z = fwr_zone_map_lookup_interface (flow->zones,
                                               _fwr_name_universe_sample (&flow->ifaces, (guint) v, &scratch));
        mask |= z >= 0 && (guint) z < n ? G_GUINT64_CONSTANT (1) << z : FWR_ZONE_UNKNOWN;
      }
  return mask;
}

static guint64
zones_by_address (FwrFlow *flow, const FwrCube *cube, FwrDim addr_dim)
{
  guint n = MIN (fwr_zone_map_get_n_zones (flow->zones), FWR_ZONE_BITS);
  guint64 mask = 0;
  if (_fwr_cube_is_full_dim (cube, addr_dim))
    return all_zones (flow);

  const FwrSpans *addrs = &cube->dims[addr_dim];
  FwrSpans unclaimed;
  _fwr_spans_init (&unclaimed);
  _fwr_spans_copy_into (&unclaimed, addrs);
  for (guint z = 0; z < n; z++)
    {
      const FwrAddrSet *networks = fwr_zone_map_get_networks (flow->zones, z);
      if (networks == NULL)
        continue;
      const FwrSpans *part = cube->family == FWR_FAMILY_IPV4 ? &networks->v4 : &networks->v6;
      if (_fwr_spans_intersects (addrs, part))
        mask |= G_GUINT64_CONSTANT (1) << z;
      _fwr_spans_subtract (&unclaimed, part);
    }
  /* Addresses no zone claims may belong to any zone defined by interfaces alone. */
  if (unclaimed.n > 0)
    {
      mask |= FWR_ZONE_UNKNOWN;
      for (guint z = 0; z < n; z++)
        if (fwr_zone_map_get_networks (flow->zones, z) == NULL)
          mask |= G_GUINT64_CONSTANT (1) << z;
    }
  _fwr_spans_clear (&unclaimed);
  return mask;
}

guint64
_fwr_zone_space_sources (FwrFlow *flow, const FwrCube *cube)
{
  return zones_by_interface (flow, cube, FWR_DIM_IIF, FWR_DIM_SZONE) &
         zones_by_address (flow, cube, FWR_DIM_SRC);
}

guint64
_fwr_zone_space_destinations (FwrFlow *flow, const FwrCube *cube)
{
  return zones_by_interface (flow, cube, FWR_DIM_OIF, FWR_DIM_DZONE) &
         zones_by_address (flow, cube, FWR_DIM_DST);
}

guint64
_fwr_zone_space_of_class (FwrFlow *flow, FwrZoneClass klass)
{
  guint64 mask = 0;
  guint n = MIN (fwr_zone_map_get_n_zones (flow->zones), FWR_ZONE_BITS);
  for (guint z = 0; z < n; z++)
    if (fwr_zone_map_get_class (flow->zones, z) == klass)
      mask |= G_GUINT64_CONSTANT (1) << z;
  return mask;
}


/* The packets of cube whose interface (or vendor zone name) belongs to zone z; NULL when
 * none, or when z names no interface. */
FwrCube *
_fwr_zone_space_restrict_interface (FwrFlow *flow, const FwrCube *cube, guint z, gboolean source)
{
  FwrDim name_dim = source ? FWR_DIM_SZONE : FWR_DIM_DZONE;
  FwrDim iface_dim = source ? FWR_DIM_IIF : FWR_DIM_OIF;
  const FwrDomain *domain = _fwr_flow_domain (flow, cube->family);
  FwrNameMatch names = { NULL, FALSE };
  const char *zone_name[] = { fwr_zone_map_get_name (flow->zones, z), NULL };
  FwrDim d;
  FwrNameUniverse *universe;

  if (!_fwr_cube_is_full_dim (cube, name_dim))
    names.patterns = (GStrv) zone_name, d = name_dim, universe = &flow->zone_names;
  else if (fwr_zone_map_get_interfaces (flow->zones, z) != NULL)
    names.patterns = (GStrv) fwr_zone_map_get_interfaces (flow->zones, z), d = iface_dim, universe = &flow->ifaces;
  else
    return NULL;

  g_autoptr (FwrCube) out = _fwr_cube_copy (cube);
  FwrSpans spans;
  _fwr_flow_name_spans (flow, universe, &names, &spans);
  gboolean alive = _fwr_cube_restrict (out, domain, d, &spans);
  _fwr_spans_clear (&spans);
  return alive ? g_steal_pointer (&out) : NULL;
}

/* The packets of cube whose address (source or destination) is in zone z's networks; NULL
 * when none, or when z has no networks. */
FwrCube *
_fwr_zone_space_restrict_address (FwrFlow *flow, const FwrCube *cube, guint z, gboolean source)
{
  const FwrAddrSet *networks = fwr_zone_map_get_networks (flow->zones, z);
  if (networks == NULL)
    return NULL;
  g_autoptr (FwrCube) out = _fwr_cube_copy (cube);
  gboolean alive = _fwr_cube_restrict (out, _fwr_flow_domain (flow, cube->family),
                                       source ? FWR_DIM_SRC : FWR_DIM_DST,
                                       cube->family == FWR_FAMILY_IPV4 ? &networks->v4 : &networks->v6);
  return alive ? g_steal_pointer (&out) : NULL;
}
