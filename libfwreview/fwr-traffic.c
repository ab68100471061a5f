/* fwr-traffic.c: the traffic delta of a change. Packets no changed rule matches are evaluated
 * the same way before and after, so the region of the changed rules' effective spaces is run
 * through both flows exactly; the difference is then projected on zone pairs. */
#include "fwr-coverage-private.h"
#include "fwr-addrset-private.h"

typedef struct {
  FwrTrafficChange change;
  FwrHook hook;
  char *from_zone;
  char *to_zone;
  FwrAddrSet *sources;
  FwrAddrSet *destinations;
  FwrRangeSet *protocols;  /* NULL: any */
  FwrRangeSet *ports;      /* NULL: any */
  gboolean any_protocol;
  gboolean any_port;
} Flow;

struct _FwrTrafficDelta {
  GPtrArray *flows;        /* (element-type Flow) */
  gboolean complete;
};

static void
flow_free (Flow *flow)
{
  g_free (flow->from_zone);
  g_free (flow->to_zone);
  fwr_addr_set_free (flow->sources);
  fwr_addr_set_free (flow->destinations);
  fwr_range_set_free (flow->protocols);
  fwr_range_set_free (flow->ports);
  g_free (flow);
}

/* Which rules changed: a rule's content is its chain, match, verdict and state; per chain, a
 * rule whose content the other side lacks changed, and so does every rule of a chain whose
 * shared rules come in another order. Base chain settings changed: the whole hook. */

static char *
rule_key (const FwrRule *rule)
{
  g_autofree char *match = fwr_rule_dup_match_text (rule);
  return g_strdup_printf ("%s|%s|%s|%s|%d", rule->chain->id, match,
                          fwr_action_to_string (rule->verdict.action),
                          rule->verdict.target ? rule->verdict.target : "", rule->enabled);
}

static GPtrArray *
chain_keys (const FwrChain *chain)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; chain != NULL && r < chain->rules->len; r++)
    g_ptr_array_add (keys, rule_key (g_ptr_array_index (chain->rules, r)));
  return keys;
}

static GHashTable *
count_keys (GPtrArray *keys)
{
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < keys->len; i++)
    {
      gpointer key = g_ptr_array_index (keys, i);
      g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
    }
  return counts;
}

/* Marks in changed (a set of FwrRule*) the rules of mine that theirs does not match. */
static void
mark_chain (const FwrChain *mine, GPtrArray *my_keys, GPtrArray *their_keys, GHashTable *changed)
{
  g_autoptr (GHashTable) theirs = count_keys (their_keys);
  g_autoptr (GHashTable) ours = count_keys (my_keys);
  g_autoptr (GPtrArray) shared_mine = g_ptr_array_new ();
  g_autoptr (GPtrArray) shared_theirs = g_ptr_array_new ();
  for (guint i = 0; i < my_keys->len; i++)
    if (g_hash_table_contains (theirs, g_ptr_array_index (my_keys, i)))
      g_ptr_array_add (shared_mine, g_ptr_array_index (my_keys, i));
  for (guint i = 0; i < their_keys->len; i++)
    if (g_hash_table_contains (ours, g_ptr_array_index (their_keys, i)))
      g_ptr_array_add (shared_theirs, g_ptr_array_index (their_keys, i));

  gboolean reordered = shared_mine->len != shared_theirs->len;
  for (guint i = 0; !reordered && i < shared_mine->len; i++)
    reordered = !g_str_equal (g_ptr_array_index (shared_mine, i), g_ptr_array_index (shared_theirs, i));

  for (guint r = 0; r < my_keys->len; r++)
    {
      gpointer key = g_ptr_array_index (my_keys, r);
      guint mine_n = GPOINTER_TO_UINT (g_hash_table_lookup (ours, key));
      guint their_n = GPOINTER_TO_UINT (g_hash_table_lookup (theirs, key));
      if (reordered || mine_n != their_n)
        g_hash_table_add (changed, g_ptr_array_index (mine->rules, r));
    }
}

static gboolean
base_settings_differ (const FwrChain *a, const FwrChain *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL && a->hook != FWR_HOOK_NONE) || (b != NULL && b->hook != FWR_HOOK_NONE);
  return a->hook != b->hook || a->policy != b->policy || a->priority != b->priority ||
         a->type != b->type || g_strcmp0 (a->section, b->section) != 0;
}

static void
find_changes (FwrRuleset *mine, FwrRuleset *theirs, GHashTable *changed, GHashTable *whole_hooks)
{
  for (guint c = 0; c < mine->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (mine->chains, c);
      FwrChain *other = theirs ? fwr_ruleset_lookup_chain (theirs, chain->id) : NULL;
      if (base_settings_differ (chain, other))
        {
          g_hash_table_add (whole_hooks, GUINT_TO_POINTER (chain->hook));
          if (other != NULL)
            g_hash_table_add (whole_hooks, GUINT_TO_POINTER (other->hook));
        }
      g_autoptr (GPtrArray) my_keys = chain_keys (chain);
      g_autoptr (GPtrArray) their_keys = chain_keys (other);
      mark_chain (chain, my_keys, their_keys, changed);
    }
}

/* Regions */

static FwrFlowGroup *
find_group (FwrFlow *flow, FwrHook hook, const char *section)
{
  for (guint g = 0; flow != NULL && g < flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (flow->groups, g);
      if (group->hook == hook && g_strcmp0 (group->section, section) == 0)
        return group;
    }
  return NULL;
}

static void
add_region (GHashTable *regions, FwrHook hook, const char *section, GPtrArray *space)
{
  g_autofree char *key = g_strdup_printf ("%d|%s", hook, section ? section : "");
  GPtrArray *region = g_hash_table_lookup (regions, key);
  if (region == NULL)
    {
      region = _fwr_space_new ();
      g_hash_table_insert (regions, g_steal_pointer (&key), region);
    }
  _fwr_space_append_copy (region, space);
}

static void
collect_regions (FwrFlow *flow, GHashTable *changed, GHashTable *whole_hooks, GHashTable *regions)
{
  for (guint g = 0; g < flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (flow->groups, g);
      if (g_hash_table_contains (whole_hooks, GUINT_TO_POINTER (group->hook)))
        {
          g_autoptr (GPtrArray) all = _fwr_space_new ();
          g_ptr_array_add (all, _fwr_cube_new_full (FWR_FAMILY_IPV4));
          g_ptr_array_add (all, _fwr_cube_new_full (FWR_FAMILY_IPV6));
          add_region (regions, group->hook, group->section, all);
          continue;
        }
      for (guint e = 0; e < group->entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
          if (g_hash_table_contains (changed, entry->rule))
            add_region (regions, group->hook, group->section, entry->space);
        }
    }
}

/* Accepted part of space in a flow's group; a hook without base chains accepts everything. */
static GPtrArray *
accepted (FwrFlow *flow, FwrHook hook, const char *section, GPtrArray *space, gboolean *complete)
{
  FwrFlowGroup *group = find_group (flow, hook, section);
  if (group == NULL)
    {
      GPtrArray *all = _fwr_space_new ();
      _fwr_space_append_copy (all, space);
      return all;
    }
  gboolean overflow = FALSE;
  GPtrArray *result = _fwr_coverage_accepted (flow, group, space, &overflow);
  if (overflow)
    *complete = FALSE;
  return result;
}

static GPtrArray *
space_minus (FwrFlow *flow, GPtrArray *a, GPtrArray *b, gboolean *complete)
{
  GPtrArray *out = _fwr_space_new ();
  _fwr_space_append_copy (out, a);
  for (guint i = 0; i < b->len && out->len > 0; i++)
    if (!_fwr_space_subtract (out, g_ptr_array_index (b, i), &flow->domains, FWR_MAX_PIECES, NULL))
      *complete = FALSE;
  return out;
}

/* Projection on zone pairs */

static const char *
zone_label (FwrFlow *flow, guint z)
{
  return z == G_MAXUINT ? "unzoned" : fwr_zone_map_get_name (flow->zones, z);
}

static Flow *
lookup_flow (FwrTrafficDelta *self, FwrTrafficChange change, FwrHook hook, const char *from, const char *to)
{
  for (guint i = 0; i < self->flows->len; i++)
    {
      Flow *flow = g_ptr_array_index (self->flows, i);
      if (flow->change == change && flow->hook == hook && g_str_equal (flow->from_zone, from) &&
          g_str_equal (flow->to_zone, to))
        return flow;
    }
  Flow *flow = g_new0 (Flow, 1);
  flow->change = change;
  flow->hook = hook;
  flow->from_zone = g_strdup (from);
  flow->to_zone = g_strdup (to);
  flow->sources = fwr_addr_set_new ();
  flow->destinations = fwr_addr_set_new ();
  g_ptr_array_add (self->flows, flow);
  return flow;
}

static void
add_addresses (FwrAddrSet *set, FwrFlow *flow, const FwrCube *cube, FwrDim d)
{
  FwrSpans *part = cube->family == FWR_FAMILY_IPV4 ? &set->v4 : &set->v6;
  if (_fwr_cube_is_full_dim (cube, d))
    _fwr_spans_add (part, 0, _fwr_flow_domain (flow, cube->family)->max[d]);
  else
    _fwr_spans_union (part, &cube->dims[d]);
}

static void
add_values (FwrRangeSet **set, gboolean *any, const FwrCube *cube, FwrDim d)
{
  if (_fwr_cube_is_full_dim (cube, d))
    *any = TRUE;
  if (*any)
    {
      g_clear_pointer (set, fwr_range_set_free);
      return;
    }
  if (*set == NULL)
    *set = fwr_range_set_new ();
  _fwr_spans_union (&(*set)->spans, &cube->dims[d]);
}

static void
project_cube (FwrTrafficDelta *self, FwrFlow *flow, FwrTrafficChange change, FwrHook hook,
              const FwrCube *cube, const char *from, const char *to)
{
  Flow *item = lookup_flow (self, change, hook, from, to);
  add_addresses (item->sources, flow, cube, FWR_DIM_SRC);
  add_addresses (item->destinations, flow, cube, FWR_DIM_DST);
  add_values (&item->protocols, &item->any_protocol, cube, FWR_DIM_PROTO);
  add_values (&item->ports, &item->any_port, cube, FWR_DIM_DPORT);
}

typedef FwrCube *(*RestrictFunc) (FwrFlow *flow, const FwrCube *cube, guint z, gboolean source);

/* Moves the parts of rest that restrict() puts in a zone into parts, zone by zone. */
static void
take_zones (FwrFlow *flow, GPtrArray *rest, gboolean source, RestrictFunc restrict_to,
            GPtrArray *parts, GArray *zones_out)
{
  for (guint z = 0; z < MIN (fwr_zone_map_get_n_zones (flow->zones), FWR_ZONE_BITS); z++)
    {
      g_autoptr (GPtrArray) taken = _fwr_space_new ();
      for (guint i = 0; i < rest->len; i++)
        {
          FwrCube *part = restrict_to (flow, g_ptr_array_index (rest, i), z, source);
          if (part != NULL)
            g_ptr_array_add (taken, part);
        }
      for (guint i = 0; i < taken->len; i++)
        {
          FwrCube *part = g_ptr_array_index (taken, i);
          _fwr_space_subtract (rest, part, &flow->domains, FWR_MAX_PIECES, NULL);
          g_ptr_array_add (parts, _fwr_cube_copy (part));
          g_array_append_val (zones_out, z);
        }
    }
}

/* The parts of cube in each zone of one side, with G_MAXUINT for the unzoned rest. A source
 * belongs first to the zone of the interface it came in on, then to the zone of its address;
 * a destination first to the zone of its address (routing sends it there), then to the zone
 * of the interface it leaves by. */
static GPtrArray *
split_by_zone (FwrFlow *flow, const FwrCube *cube, gboolean source, GArray *zones_out)
{
  GPtrArray *parts = _fwr_space_new ();
  g_autoptr (GPtrArray) rest = _fwr_space_new ();
  g_ptr_array_add (rest, _fwr_cube_copy (cube));
  RestrictFunc first = source ? _fwr_zone_space_restrict_interface : _fwr_zone_space_restrict_address;
  RestrictFunc second = source ? _fwr_zone_space_restrict_address : _fwr_zone_space_restrict_interface;
  FwrDim iface_dim = source ? FWR_DIM_IIF : FWR_DIM_OIF;
  FwrDim name_dim = source ? FWR_DIM_SZONE : FWR_DIM_DZONE;
  gboolean any_interface = _fwr_cube_is_full_dim (cube, iface_dim) && _fwr_cube_is_full_dim (cube, name_dim);
  if (any_interface)
    take_zones (flow, rest, source, _fwr_zone_space_restrict_address, parts, zones_out);
  else
    {
      take_zones (flow, rest, source, first, parts, zones_out);
      take_zones (flow, rest, source, second, parts, zones_out);
    }

  /* Addresses no network claims, on no particular interface: as in the checks, they belong
   * to the zone without networks, when the zones file has exactly one (the internet). */
  guint rest_zone = G_MAXUINT;
  if (any_interface)
    for (guint z = 0; z < MIN (fwr_zone_map_get_n_zones (flow->zones), FWR_ZONE_BITS); z++)
      if (fwr_zone_map_get_networks (flow->zones, z) == NULL)
        rest_zone = rest_zone == G_MAXUINT ? z : G_MAXUINT - 1;
  if (rest_zone == G_MAXUINT - 1)
    rest_zone = G_MAXUINT;
  for (guint i = 0; i < rest->len; i++)
    {
      g_ptr_array_add (parts, _fwr_cube_copy (g_ptr_array_index (rest, i)));
      g_array_append_val (zones_out, rest_zone);
    }
  return parts;
}

static void
project (FwrTrafficDelta *self, FwrFlow *flow, FwrTrafficChange change, FwrHook hook, GPtrArray *space)
{
  gboolean from_firewall = hook == FWR_HOOK_OUTPUT;
  gboolean to_firewall = hook == FWR_HOOK_INPUT;
  for (guint i = 0; i < space->len; i++)
    {
      FwrCube *cube = g_ptr_array_index (space, i);
      if (flow->zones == NULL)
        {
          project_cube (self, flow, change, hook, cube, from_firewall ? "firewall" : "any",
                        to_firewall ? "firewall" : "any");
          continue;
        }
      g_autoptr (GArray) from_zones = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr (GPtrArray) from_parts = _fwr_space_new ();
      if (from_firewall)
        g_ptr_array_add (from_parts, _fwr_cube_copy (cube));
      else
        {
          g_ptr_array_unref (from_parts);
          from_parts = split_by_zone (flow, cube, TRUE, from_zones);
        }
      for (guint f = 0; f < from_parts->len; f++)
        {
          const char *from = from_firewall ? "firewall" : zone_label (flow, g_array_index (from_zones, guint, f));
          FwrCube *part = g_ptr_array_index (from_parts, f);
          if (to_firewall)
            {
              project_cube (self, flow, change, hook, part, from, "firewall");
              continue;
            }
          g_autoptr (GArray) to_zones = g_array_new (FALSE, FALSE, sizeof (guint));
          g_autoptr (GPtrArray) to_parts = split_by_zone (flow, part, FALSE, to_zones);
          for (guint t = 0; t < to_parts->len; t++)
            project_cube (self, flow, change, hook, g_ptr_array_index (to_parts, t), from,
                          zone_label (flow, g_array_index (to_zones, guint, t)));
        }
    }
}

static int
compare_flows (gconstpointer a, gconstpointer b)
{
  const Flow *fa = *(Flow * const *) a, *fb = *(Flow * const *) b;
  if (fa->hook != fb->hook)
    return fa->hook < fb->hook ? -1 : 1;
  if (fa->change != fb->change)
    return fa->change < fb->change ? -1 : 1;
  int c = g_strcmp0 (fa->from_zone, fb->from_zone);
  return c != 0 ? c : g_strcmp0 (fa->to_zone, fb->to_zone);
}

FwrTrafficDelta *
fwr_traffic_delta_new (FwrRuleset *before, FwrRuleset *after, FwrZoneMap *zones)
{
  g_return_val_if_fail (after != NULL, NULL);

  FwrTrafficDelta *self = g_new0 (FwrTrafficDelta, 1);
  self->flows = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_free);
  self->complete = TRUE;

  g_autoptr (GHashTable) changed = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) whole_hooks = g_hash_table_new (NULL, NULL);
  find_changes (after, before, changed, whole_hooks);
  if (before != NULL)
    find_changes (before, after, changed, whole_hooks);

  FwrFlow *flow_after = _fwr_flow_new (after, zones);
  FwrFlow *flow_before = before ? _fwr_flow_new (before, zones) : NULL;
  g_autoptr (GHashTable) regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  collect_regions (flow_after, changed, whole_hooks, regions);
  if (flow_before != NULL)
    collect_regions (flow_before, changed, whole_hooks, regions);

  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, regions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto (GStrv) parts = g_strsplit (key, "|", 2);
      FwrHook hook = (FwrHook) atoi (parts[0]);
      const char *section = parts[1][0] ? parts[1] : NULL;
      g_autoptr (GPtrArray) was = flow_before ? accepted (flow_before, hook, section, value, &self->complete)
                                              : NULL;
      g_autoptr (GPtrArray) now = accepted (flow_after, hook, section, value, &self->complete);
      if (was == NULL)
        {
          /* No configuration before: every packet was accepted by default. */
          was = _fwr_space_new ();
          _fwr_space_append_copy (was, value);
        }
      g_autoptr (GPtrArray) permitted = space_minus (flow_after, now, was, &self->complete);
      g_autoptr (GPtrArray) denied = space_minus (flow_after, was, now, &self->complete);
      project (self, flow_after, FWR_TRAFFIC_PERMITTED, hook, permitted);
      project (self, flow_after, FWR_TRAFFIC_DENIED, hook, denied);
    }

  g_ptr_array_sort (self->flows, compare_flows);
  _fwr_flow_free (flow_after);
  _fwr_flow_free (flow_before);
  return self;
}

void
fwr_traffic_delta_free (FwrTrafficDelta *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->flows);
  g_free (self);
}

gboolean fwr_traffic_delta_is_complete (const FwrTrafficDelta *self) { return self->complete; }
guint fwr_traffic_delta_get_n_flows (const FwrTrafficDelta *self) { return self->flows->len; }

static Flow *
flow_at (const FwrTrafficDelta *self, guint index)
{
  g_return_val_if_fail (index < self->flows->len, NULL);
  return g_ptr_array_index (self->flows, index);
}

FwrTrafficChange fwr_traffic_delta_get_change (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->change; }
FwrHook fwr_traffic_delta_get_hook (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->hook; }
const char *fwr_traffic_delta_get_from_zone (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->from_zone; }
const char *fwr_traffic_delta_get_to_zone (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->to_zone; }
const FwrAddrSet *fwr_traffic_delta_get_sources (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->sources; }
const FwrAddrSet *fwr_traffic_delta_get_destinations (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->destinations; }
const FwrRangeSet *fwr_traffic_delta_get_protocols (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->protocols; }
const FwrRangeSet *fwr_traffic_delta_get_ports (const FwrTrafficDelta *self, guint index) { return flow_at (self, index)->ports; }

const char *
fwr_traffic_change_to_string (FwrTrafficChange change)
{
  return change == FWR_TRAFFIC_PERMITTED ? "permitted" : "denied";
}
