/* fwr-rule-zone.c: whether a rule can match traffic from or to a zone of the zones file, from
 * its interface, vendor zone and address conditions: what "rules touching the DMZ" means. */
#include "fwr-ruleset-private.h"

#include <string.h>

static gboolean
is_wildcard (const char *pattern, gsize *prefix_len)
{
  gsize len = strlen (pattern);
  *prefix_len = len > 0 && pattern[len - 1] == '*' ? len - 1 : len;
  return *prefix_len != len;
}

/* Whether some name matches both the zone's interface pattern and the rule's patterns. */
static gboolean
interface_overlaps (const FwrNameMatch *rule, const char *zone_pattern)
{
  gsize q_len;
  if (!is_wildcard (zone_pattern, &q_len))
    return _fwr_name_match_matches (rule, zone_pattern);
  for (guint i = 0; rule->patterns[i] != NULL; i++)
    {
      const char *r = rule->patterns[i];
      gsize s_len;
      gboolean r_wild = is_wildcard (r, &s_len);
      if (rule->negate)
        {
          /* Only "!= s*" with s a prefix of the zone's prefix excludes every name it has. */
          if (r_wild && s_len <= q_len && strncmp (r, zone_pattern, s_len) == 0)
            return FALSE;
        }
      else if (r_wild ? strncmp (r, zone_pattern, MIN (s_len, q_len)) == 0
                      : strncmp (r, zone_pattern, q_len) == 0)
        return TRUE;
    }
  return rule->negate;
}

static gboolean
side_may_involve (const FwrNameMatch *interfaces, const FwrNameMatch *vendor_zones,
                  const FwrAddrSet *addresses, const FwrZoneMap *zones, guint zone)
{
  if (vendor_zones->patterns != NULL &&
      !_fwr_name_match_matches (vendor_zones, fwr_zone_map_get_name (zones, zone)))
    return FALSE;
  const char * const *zone_interfaces = fwr_zone_map_get_interfaces (zones, zone);
  if (interfaces->patterns != NULL && zone_interfaces != NULL && zone_interfaces[0] != NULL)
    {
      gboolean any = FALSE;
      for (guint i = 0; !any && zone_interfaces[i] != NULL; i++)
        any = interface_overlaps (interfaces, zone_interfaces[i]);
      if (!any)
        return FALSE;
    }
  const FwrAddrSet *networks = fwr_zone_map_get_networks (zones, zone);
  if (addresses != NULL && networks != NULL && !fwr_addr_set_intersects (addresses, networks))
    return FALSE;
  return TRUE;
}

gboolean
fwr_rule_may_involve_zone (const FwrRule *rule, const FwrZoneMap *zones, guint zone)
{
  g_return_val_if_fail (rule != NULL && zones != NULL, FALSE);
  g_return_val_if_fail (zone < fwr_zone_map_get_n_zones (zones), FALSE);
  for (guint i = 0; i < rule->n_terms; i++)
    {
      const FwrMatch *match = &rule->terms[i].match;
      if (match->families == 0)
        continue;
      if (side_may_involve (&match->iif, &match->src_zones, match->src, zones, zone) ||
          side_may_involve (&match->oif, &match->dst_zones, match->dst, zones, zone))
        return TRUE;
    }
  return FALSE;
}
