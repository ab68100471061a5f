/* fwr-checks.c: every check the analysis runs, in report order, each reading the flow (the
 * packets a rule really sees after jumps) or the model; the table at the end is the contract. */
#include "fwr-analysis-private.h"
#include "fwr-addrset-private.h"

/* Standard idioms that are never findings: return traffic, loopback, essential ICMP. */
static gboolean
icmp_types_essential (const FwrRangeSet *protos, const FwrRangeSet *icmp)
{
  static const guint8 v4[] = { 0, 3, 8, 11, 12 };
  static const guint8 v6[] = { 1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 143 };
  if (protos == NULL || icmp == NULL)
    return FALSE;
  g_autoptr (FwrRangeSet) allowed = fwr_range_set_new ();
  if (fwr_range_set_contains (protos, 1))
    for (guint i = 0; i < G_N_ELEMENTS (v4); i++)
      fwr_range_set_add_range (allowed, v4[i] << 8, (v4[i] << 8) | 0xff);
  if (fwr_range_set_contains (protos, 58))
    for (guint i = 0; i < G_N_ELEMENTS (v6); i++)
      fwr_range_set_add_range (allowed, v6[i] << 8, (v6[i] << 8) | 0xff);
  g_autoptr (FwrRangeSet) icmp_protos = fwr_range_set_new ();
  fwr_range_set_add_range (icmp_protos, 1, 1);
  fwr_range_set_add_range (icmp_protos, 58, 58);
  return fwr_range_set_is_subset (protos, icmp_protos) && fwr_range_set_is_subset (icmp, allowed);
}

static gboolean
match_is_idiom (const FwrMatch *match)
{
  if (match->ct_states != 0 && (match->ct_states & ~(FWR_CT_ESTABLISHED | FWR_CT_RELATED)) == 0)
    return TRUE;
  if (match->iif.patterns != NULL && !match->iif.negate && g_strv_length (match->iif.patterns) == 1 &&
      g_str_equal (match->iif.patterns[0], "lo"))
    return TRUE;
  return icmp_types_essential (match->protos, match->icmp);
}

static gboolean
rule_is_idiom_uncached (const FwrRule *rule)
{
  for (guint t = 0; t < rule->n_terms; t++)
    if (!match_is_idiom (&rule->terms[t].match))
      return FALSE;
  return TRUE;
}

/* Several checks ask this of every instance: answer once per rule. */
static gboolean
rule_is_idiom (FwrAnalysis *analysis, const FwrRule *rule)
{
  if (analysis->idioms == NULL)
    analysis->idioms = g_new0 (guint8, MAX (analysis->ruleset->n_rules, 1));
  guint8 *known = &analysis->idioms[rule->ordinal];
  if (*known == 0)
    *known = rule_is_idiom_uncached (rule) ? 2 : 1;
  return *known == 2;
}

/* Walking the flow */

typedef void (*EntryFunc) (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrFlowGroup *group,
                           FwrEntry *entry, GHashTable *reported);

static gboolean
hook_is_gate (FwrHook hook)
{
  return hook == FWR_HOOK_PREROUTING || hook == FWR_HOOK_INPUT || hook == FWR_HOOK_FORWARD;
}

/* An accept in a filter base chain's flow (mangle-like route chains accept without filtering). */
static gboolean
entry_is_filter_accept (FwrFlowGroup *group, FwrEntry *entry)
{
  FwrChain *base = g_ptr_array_index (group->bases, entry->base);
  return entry->kind == FWR_ENTRY_ACCEPT && !entry->synthetic && base->type == FWR_CHAIN_TYPE_FILTER;
}

/* Calls func for every accepting instance on an inbound hook, idioms aside; each rule is
 * reported once. */
static void
for_each_gate_accept (FwrAnalysis *analysis, const FwrCheckInfo *info, EntryFunc func)
{
  g_autoptr (GHashTable) reported = g_hash_table_new (NULL, NULL);
  for (guint g = 0; g < analysis->flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (analysis->flow->groups, g);
      if (!hook_is_gate (group->hook))
        continue;
      for (guint e = 0; e < group->entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
          if (entry_is_filter_accept (group, entry) && !rule_is_idiom (analysis, entry->rule) &&
              !g_hash_table_contains (reported, entry->rule))
            func (analysis, info, group, entry, reported);
        }
    }
}

/* Zones: which zones the packets of a cube may come from or go to */

static guint64
source_zones (FwrAnalysis *analysis, const FwrCube *cube)
{
  return _fwr_zone_space_sources (analysis->flow, cube);
}

static guint64
destination_zones (FwrAnalysis *analysis, const FwrCube *cube)
{
  return _fwr_zone_space_destinations (analysis->flow, cube);
}

static guint64
zones_of_class (FwrAnalysis *analysis, FwrZoneClass klass)
{
  return _fwr_zone_space_of_class (analysis->flow, klass);
}

static const char *
first_zone_name (FwrAnalysis *analysis, guint64 mask)
{
  for (guint z = 0; z < MIN (fwr_zone_map_get_n_zones (analysis->zones), FWR_ZONE_BITS); z++)
    if (mask & (G_GUINT64_CONSTANT (1) << z))
      return fwr_zone_map_get_name (analysis->zones, z);
  return "?";
}

/* Does the cube's source include untrusted packets? Without zones: any source address. With
 * zones: an internet zone, or any address from where no zone says. A rule held to a known
 * internal interface is not "from anywhere" even with no address restriction. */
static gboolean
source_is_untrusted (FwrAnalysis *analysis, const FwrCube *cube)
{
  gboolean any_address = _fwr_cube_is_full_dim (cube, FWR_DIM_SRC);
  if (analysis->zones == NULL)
    return any_address;
  guint64 from = source_zones (analysis, cube);
  return (from & zones_of_class (analysis, FWR_ZONE_CLASS_INTERNET)) || (any_address && (from & FWR_ZONE_UNKNOWN));
}

/* any-any */

static gboolean
cube_is_any_any (const FwrCube *cube)
{
  static const FwrDim dims[] = { FWR_DIM_SRC, FWR_DIM_DST, FWR_DIM_PROTO, FWR_DIM_SPORT,
                                 FWR_DIM_DPORT, FWR_DIM_ICMP };
  for (guint i = 0; i < G_N_ELEMENTS (dims); i++)
    if (!_fwr_cube_is_full_dim (cube, dims[i]))
      return FALSE;
  return _fwr_cube_is_full_dim (cube, FWR_DIM_CT) || _fwr_spans_contains (&cube->dims[FWR_DIM_CT], 0);
}

static gboolean
entry_any_any_cube (FwrEntry *entry, FwrCube **out)
{
  if (entry->opaque)
    return FALSE;
  for (guint c = 0; c < entry->space->len; c++)
    if (cube_is_any_any (g_ptr_array_index (entry->space, c)))
      {
        if (out)
          *out = g_ptr_array_index (entry->space, c);
        return TRUE;
      }
  return FALSE;
}

static char *
interface_text (FwrFlow *flow, const FwrCube *cube)
{
  if (_fwr_cube_is_full_dim (cube, FWR_DIM_IIF))
    return NULL;
  GString *out = g_string_new (NULL);
  const FwrSpans *spans = &cube->dims[FWR_DIM_IIF];
  for (guint i = 0; i < spans->n; i++)
    for (fwr_u128 v = spans->spans[i].lo; v <= spans->spans[i].hi; v++)
      {
        guint id = (guint) v;
        const char *name = id < flow->ifaces.names->len ? g_ptr_array_index (flow->ifaces.names, id) : NULL;
        g_autofree char *prefix = NULL;
        if (name == NULL && id < flow->ifaces.names->len + flow->ifaces.prefixes->len)
          name = prefix = g_strconcat (g_ptr_array_index (flow->ifaces.prefixes, id - flow->ifaces.names->len), "*", NULL);
        g_string_append_printf (out, "%s%s", out->len ? "," : "", name ? name : "(other)");
      }
  return g_string_free (out, FALSE);
}

static void
any_any_entry (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrFlowGroup *group,
               FwrEntry *entry, GHashTable *reported)
{
  FwrCube *cube;
  if (!entry_any_any_cube (entry, &cube))
    return;
  g_hash_table_add (reported, entry->rule);
  g_autofree char *ifaces = interface_text (analysis->flow, cube);
  FwrFinding *finding = _fwr_analysis_add_finding (
      analysis, info, entry->rule->id, entry->rule,
      "accepts any source, any destination and any service on hook %s%s%s",
      fwr_hook_to_string (group->hook), ifaces ? ", restricted only to iifname " : "", ifaces ? ifaces : "");
  _fwr_finding_set_detail (finding, "hook", g_variant_new_string (fwr_hook_to_string (group->hook)));
  if (ifaces != NULL)
    _fwr_finding_set_detail (finding, "iifname", g_variant_new_string (ifaces));
  if (entry->rule->chain != g_ptr_array_index (group->bases, entry->base))
    _fwr_finding_set_detail (finding, "via_jump", g_variant_new_boolean (TRUE));
}

static void
check_any_any (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_gate_accept (analysis, info, any_any_entry);
}

/* overly-permissive */

static void
overly_permissive_entry (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrFlowGroup *group,
                         FwrEntry *entry, GHashTable *reported)
{
  if (entry->opaque || entry_any_any_cube (entry, NULL))
    return;

  for (guint c = 0; c < entry->space->len; c++)
    {
      FwrCube *cube = g_ptr_array_index (entry->space, c);
      g_autoptr (GPtrArray) dims = g_ptr_array_new ();
      guint score = 0;
      double large_bits = cube->family == FWR_FAMILY_IPV4 ? 16 : 80;

      if (_fwr_cube_is_full_dim (cube, FWR_DIM_PROTO))
        score += 3, g_ptr_array_add (dims, "service");
      else if (_fwr_cube_is_full_dim (cube, FWR_DIM_DPORT) &&
               (_fwr_spans_contains (&cube->dims[FWR_DIM_PROTO], 6) || _fwr_spans_contains (&cube->dims[FWR_DIM_PROTO], 17)))
        score += 2, g_ptr_array_add (dims, "all-ports");
      else if (!_fwr_cube_is_full_dim (cube, FWR_DIM_DPORT))
        {
          g_autoptr (FwrRangeSet) ports = fwr_range_set_new ();
          _fwr_spans_copy_into (&ports->spans, &cube->dims[FWR_DIM_DPORT]);
          if (fwr_range_set_get_size (ports) > 1024)
            score += 1, g_ptr_array_add (dims, "port-range");
        }
      if (group->hook != FWR_HOOK_INPUT && _fwr_cube_is_full_dim (cube, FWR_DIM_DST))
        score += 2, g_ptr_array_add (dims, "destination");
      if (source_is_untrusted (analysis, cube))
        score += 1, g_ptr_array_add (dims, "source");
      if (!_fwr_cube_is_full_dim (cube, FWR_DIM_SRC) && _fwr_spans_size_log2 (&cube->dims[FWR_DIM_SRC]) >= large_bits)
        score += 1, g_ptr_array_add (dims, "large-source-network");
      if (!_fwr_cube_is_full_dim (cube, FWR_DIM_DST) && _fwr_spans_size_log2 (&cube->dims[FWR_DIM_DST]) >= large_bits)
        score += 1, g_ptr_array_add (dims, "large-destination-network");

      if (score < 2)
        continue;
      g_hash_table_add (reported, entry->rule);
      g_ptr_array_add (dims, NULL);
      g_autofree char *list = g_strjoinv (", ", (char **) dims->pdata);
      FwrFinding *finding = _fwr_analysis_add_finding (
          analysis, info, entry->rule->id, entry->rule,
          "accepts more than least privilege needs (score %u): too wide in %s", score, list);
      if (score >= 5)
        finding->severity = FWR_SEVERITY_HIGH;
      _fwr_finding_set_detail (finding, "score", g_variant_new_uint32 (score));
      _fwr_finding_set_detail (finding, "dimensions", g_variant_new_strv ((const char * const *) dims->pdata, -1));
      return;
    }
}

static void
check_overly_permissive (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_gate_accept (analysis, info, overly_permissive_entry);
}

/* Walking the model: every rule of every chain, in the configuration's order. */

typedef void (*RuleFunc) (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrRule *rule);

static void
for_each_rule (FwrAnalysis *analysis, const FwrCheckInfo *info, RuleFunc func)
{
  for (guint c = 0; c < analysis->ruleset->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (analysis->ruleset->chains, c);
      for (guint r = 0; r < chain->rules->len; r++)
        func (analysis, info, g_ptr_array_index (chain->rules, r));
    }
}

/* shadowed, redundant, correlated */

static void
add_related_list (FwrFinding *finding, GPtrArray *ids)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    _fwr_finding_add_related (finding, g_ptr_array_index (ids, i));
}

static gboolean
rule_fully_covered (const FwrRuleCoverage *rc)
{
  return rc->n_entries > 0 && rc->n_covered == rc->n_entries;
}

static void
shadowed_rule (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrRule *rule)
{
  FwrRuleCoverage *rc = &analysis->coverage->rules[rule->ordinal];
  FwrFinding *finding;
  if (rule_fully_covered (rc) && rc->other_verdict)
    {
      finding = _fwr_analysis_add_finding (analysis, info, rule->id, rule,
                                           "never takes effect: earlier rules with another verdict decide all of its packets");
      /* A deny that never applies leaves open what the admin meant to close. */
      if (rule->verdict.action == FWR_ACTION_DROP || rule->verdict.action == FWR_ACTION_REJECT)
        finding->severity = FWR_SEVERITY_HIGH;
      add_related_list (finding, rc->covering);
      _fwr_finding_set_detail (finding, "instances", g_variant_new_uint32 (rc->n_entries));
    }
  else if (rc->n_accepts > 0 && rc->n_ineffective == rc->n_accepts)
    {
      finding = _fwr_analysis_add_finding (analysis, info, rule->id, rule,
                                           "never takes effect: a later base chain on the same hook drops every packet it accepts");
      add_related_list (finding, rc->dropped_by);
      _fwr_finding_set_detail (finding, "by_later_base_chain", g_variant_new_boolean (TRUE));
    }
}

static void
check_shadowed (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_rule (analysis, info, shadowed_rule);
}

static void
redundant_rule (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrRule *rule)
{
  FwrRuleCoverage *rc = &analysis->coverage->rules[rule->ordinal];
  if (!rule_fully_covered (rc) || rc->other_verdict)
    return;
  FwrFinding *finding = _fwr_analysis_add_finding (
      analysis, info, rule->id, rule,
      "redundant: earlier rules with the same verdict already decide all of its packets; removing it changes nothing");
  add_related_list (finding, rc->covering);
  _fwr_finding_set_detail (finding, "covering_rules", g_variant_new_uint32 (rc->covering ? rc->covering->len : 0));
}

static void
check_redundant (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_rule (analysis, info, redundant_rule);
}

static void
correlated_rule (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrRule *rule)
{
  FwrRuleCoverage *rc = &analysis->coverage->rules[rule->ordinal];
  if (rc->n_correlated == 0 || rule_fully_covered (rc))
    return;
  FwrFinding *finding = _fwr_analysis_add_finding (
      analysis, info, rule->id, rule,
      "partly overlaps %u earlier rule%s with another verdict: its order matters",
      rc->n_correlated, rc->n_correlated == 1 ? "" : "s");
  add_related_list (finding, rc->correlated);
  _fwr_finding_set_detail (finding, "overlapping_rules", g_variant_new_uint32 (rc->n_correlated));
  _fwr_finding_set_detail (finding, "related_capped_at", g_variant_new_uint32 (FWR_CORRELATED_CAP));
}

static void
check_correlated (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_rule (analysis, info, correlated_rule);
}

/* unused, unused-object */

static void
unused_rule (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrRule *rule)
{
  if (rule->chain->type != FWR_CHAIN_TYPE_FILTER || !rule->enabled || !rule->has_counter ||
      rule->packets != 0)
    return;
  FwrFinding *finding = _fwr_analysis_add_finding (analysis, info, rule->id, rule,
                                                   "its counter reads zero: no packet has matched it");
  _fwr_finding_set_detail (finding, "packets", g_variant_new_uint64 (0));
}

static void
check_unused (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_rule (analysis, info, unused_rule);
}

static void
check_unused_object (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for (guint i = 0; i < analysis->ruleset->objects->len; i++)
    {
      FwrObject *object = g_ptr_array_index (analysis->ruleset->objects, i);
      if (object->n_refs > 0)
        continue;
      FwrFinding *finding = _fwr_analysis_add_finding (analysis, info, object->id, NULL,
                                                       "%s “%s” is defined but no rule refers to it",
                                                       fwr_object_kind_to_string (object->kind), object->name);
      _fwr_finding_set_detail (finding, "kind", g_variant_new_string (fwr_object_kind_to_string (object->kind)));
      if (object->line > 0)
        _fwr_finding_set_detail (finding, "line", g_variant_new_uint32 (object->line));
    }
  for (guint c = 0; c < analysis->ruleset->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (analysis->ruleset->chains, c);
      if (chain->hook != FWR_HOOK_NONE || chain->type != FWR_CHAIN_TYPE_FILTER ||
          g_hash_table_contains (analysis->flow->reached, chain))
        continue;
      FwrFinding *finding = _fwr_analysis_add_finding (analysis, info, chain->id, NULL,
                                                       "chain “%s” has no hook and no rule jumps to it: its %u rule%s never run",
                                                       chain->name, chain->rules->len, chain->rules->len == 1 ? "" : "s");
      _fwr_finding_set_detail (finding, "kind", g_variant_new_string ("chain"));
    }
}

/* default-allow */

static void
check_default_allow (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for (guint i = 0; i < analysis->ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (analysis->ruleset->chains, i);
      if (chain->type != FWR_CHAIN_TYPE_FILTER || chain->policy != FWR_ACTION_ACCEPT ||
          (chain->hook != FWR_HOOK_INPUT && chain->hook != FWR_HOOK_FORWARD))
        continue;
      FwrFinding *finding = _fwr_analysis_add_finding (
          analysis, info, chain->id, NULL,
          "base chain %s (hook %s) accepts every packet no rule decides: policy accept, "
          "not the default deny of a positive list", chain->id, fwr_hook_to_string (chain->hook));
      _fwr_finding_set_detail (finding, "hook", g_variant_new_string (fwr_hook_to_string (chain->hook)));
      _fwr_finding_set_detail (finding, "policy", g_variant_new_string ("accept"));
    }
}

/* zone-isolation */

static void
zone_isolation_entry (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrFlowGroup *group,
                      FwrEntry *entry, GHashTable *reported)
{
  guint64 internet = zones_of_class (analysis, FWR_ZONE_CLASS_INTERNET);
  guint64 important = zones_of_class (analysis, FWR_ZONE_CLASS_OPERATING) |
                      zones_of_class (analysis, FWR_ZONE_CLASS_MANAGEMENT);
  guint64 operating = zones_of_class (analysis, FWR_ZONE_CLASS_OPERATING);
  guint64 testing = zones_of_class (analysis, FWR_ZONE_CLASS_TESTING);

  for (guint c = 0; c < entry->space->len; c++)
    {
      FwrCube *cube = g_ptr_array_index (entry->space, c);
      guint64 from = source_zones (analysis, cube);
      guint64 to = destination_zones (analysis, cube);
      guint64 from_hit = 0, to_hit = 0;
      FwrSeverity severity = FWR_SEVERITY_CRITICAL;

      if ((from & internet) && (to & important))
        from_hit = from & internet, to_hit = to & important;
      else if ((from & testing) && (to & operating))
        from_hit = from & testing, to_hit = to & operating, severity = FWR_SEVERITY_HIGH;
      else if ((from & operating) && (to & testing))
        from_hit = from & operating, to_hit = to & testing, severity = FWR_SEVERITY_HIGH;
      else
        continue;

      const char *from_name = first_zone_name (analysis, from_hit);
      const char *to_name = first_zone_name (analysis, to_hit);
      int fz = fwr_zone_map_lookup_name (analysis->zones, from_name);
      int tz = fwr_zone_map_lookup_name (analysis->zones, to_name);
      g_hash_table_add (reported, entry->rule);
      FwrFinding *finding = _fwr_analysis_add_finding (
          analysis, info, entry->rule->id, entry->rule,
          "accepts traffic from zone %s (%s) straight into zone %s (%s)", from_name,
          fwr_zone_class_to_string (fwr_zone_map_get_class (analysis->zones, fz)), to_name,
          fwr_zone_class_to_string (fwr_zone_map_get_class (analysis->zones, tz)));
      finding->severity = severity;
      _fwr_finding_set_detail (finding, "from_zone", g_variant_new_string (from_name));
      _fwr_finding_set_detail (finding, "to_zone", g_variant_new_string (to_name));
      _fwr_finding_set_detail (finding, "from_class", g_variant_new_string (fwr_zone_class_to_string (fwr_zone_map_get_class (analysis->zones, fz))));
      _fwr_finding_set_detail (finding, "to_class", g_variant_new_string (fwr_zone_class_to_string (fwr_zone_map_get_class (analysis->zones, tz))));
      return;
    }
}

static void
check_zone_isolation (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  if (analysis->zones == NULL)
    return;
  /* Only traffic crossing the firewall has a destination zone; input ends on the firewall. */
  g_autoptr (GHashTable) reported = g_hash_table_new (NULL, NULL);
  for (guint g = 0; g < analysis->flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (analysis->flow->groups, g);
      if (group->hook != FWR_HOOK_FORWARD && group->hook != FWR_HOOK_PREROUTING)
        continue;
      for (guint e = 0; e < group->entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
          if (entry_is_filter_accept (group, entry) && !rule_is_idiom (analysis, entry->rule) &&
              !g_hash_table_contains (reported, entry->rule))
            zone_isolation_entry (analysis, info, group, entry, reported);
        }
    }
}

/* remote-admin-exposure, cleartext-service */

typedef struct {
  const char *name;
  guint8 proto;
  guint16 lo, hi;
} Service;

static const Service remote_admin[] = {
  { "ssh", 6, 22, 22 }, { "telnet", 6, 23, 23 }, { "rdp", 6, 3389, 3389 }, { "rdp", 17, 3389, 3389 },
  { "vnc", 6, 5900, 5903 }, { "winrm", 6, 5985, 5986 }, { "snmp", 17, 161, 161 },
};

static const Service cleartext[] = {
  { "ftp", 6, 21, 21 }, { "telnet", 6, 23, 23 }, { "tftp", 17, 69, 69 }, { "rexec", 6, 512, 512 },
  { "rlogin", 6, 513, 513 }, { "rsh", 6, 514, 514 }, { "pop3", 6, 110, 110 }, { "imap", 6, 143, 143 },
};

/* Names of the services the cube explicitly allows (a cube open to all ports names none). */
static GPtrArray *
cube_services (const FwrCube *cube, const Service *services, guint n)
{
  GPtrArray *names = g_ptr_array_new ();
  if (_fwr_cube_is_full_dim (cube, FWR_DIM_DPORT))
    return names;
  for (guint i = 0; i < n; i++)
    {
      gboolean proto_ok = _fwr_cube_is_full_dim (cube, FWR_DIM_PROTO) ||
                          _fwr_spans_contains (&cube->dims[FWR_DIM_PROTO], services[i].proto);
      FwrSpans one = { &(FwrSpan) { services[i].lo, services[i].hi }, 1, 1 };
      if (proto_ok && _fwr_spans_intersects (&cube->dims[FWR_DIM_DPORT], &one) &&
          !g_ptr_array_find_with_equal_func (names, services[i].name, g_str_equal, NULL))
        g_ptr_array_add (names, (gpointer) services[i].name);
    }
  return names;
}

static void
remote_admin_entry (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrFlowGroup *group,
                    FwrEntry *entry, GHashTable *reported)
{
  for (guint c = 0; c < entry->space->len; c++)
    {
      FwrCube *cube = g_ptr_array_index (entry->space, c);
      g_autoptr (GPtrArray) names = cube_services (cube, remote_admin, G_N_ELEMENTS (remote_admin));
      if (names->len == 0 || !source_is_untrusted (analysis, cube))
        continue;
      gboolean any_source = _fwr_cube_is_full_dim (cube, FWR_DIM_SRC);
      g_ptr_array_add (names, NULL);
      g_autofree char *list = g_strjoinv (", ", (char **) names->pdata);
      g_hash_table_add (reported, entry->rule);
      FwrFinding *finding = _fwr_analysis_add_finding (
          analysis, info, entry->rule->id, entry->rule, "accepts remote administration (%s) from %s",
          list, any_source ? "any source" : "an internet zone");
      _fwr_finding_set_detail (finding, "services", g_variant_new_strv ((const char * const *) names->pdata, -1));
      _fwr_finding_set_detail (finding, "source", g_variant_new_string (any_source ? "any" : "internet-zone"));
      return;
    }
}

static void
check_remote_admin_exposure (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_gate_accept (analysis, info, remote_admin_entry);
}

static void
cleartext_entry (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrFlowGroup *group,
                 FwrEntry *entry, GHashTable *reported)
{
  for (guint c = 0; c < entry->space->len; c++)
    {
      g_autoptr (GPtrArray) names = cube_services (g_ptr_array_index (entry->space, c), cleartext,
                                                   G_N_ELEMENTS (cleartext));
      if (names->len == 0)
        continue;
      g_ptr_array_add (names, NULL);
      g_autofree char *list = g_strjoinv (", ", (char **) names->pdata);
      g_hash_table_add (reported, entry->rule);
      FwrFinding *finding = _fwr_analysis_add_finding (
          analysis, info, entry->rule->id, entry->rule,
          "accepts a service that sends credentials and data in clear text (%s)", list);
      _fwr_finding_set_detail (finding, "services", g_variant_new_strv ((const char * const *) names->pdata, -1));
      return;
    }
}

static void
check_cleartext_service (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_gate_accept (analysis, info, cleartext_entry);
}

/* undocumented */

static void
undocumented_rule (FwrAnalysis *analysis, const FwrCheckInfo *info, FwrRule *rule)
{
  gboolean accepts = FALSE;
  for (guint t = 0; t < rule->n_terms; t++)
    accepts |= rule->terms[t].verdict.action == FWR_ACTION_ACCEPT;
  if (rule->chain->type != FWR_CHAIN_TYPE_FILTER || !accepts || !rule->enabled ||
      (rule->comment != NULL && *rule->comment != '\0') || rule_is_idiom (analysis, rule))
    return;
  _fwr_analysis_add_finding (analysis, info, rule->id, rule,
                             "accepts traffic without a comment saying why or for whom");
}

static void
check_undocumented (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for_each_rule (analysis, info, undocumented_rule);
}

/* chain-loop */

static void
check_chain_loop (FwrAnalysis *analysis, const FwrCheckInfo *info)
{
  for (guint i = 0; i < analysis->flow->loops->len; i++)
    {
      const char *id = g_ptr_array_index (analysis->flow->loops, i);
      _fwr_analysis_add_finding (analysis, info, id, fwr_ruleset_lookup_rule (analysis->ruleset, id),
                                 "%s; the analysis did not follow it",
                                 (const char *) g_ptr_array_index (analysis->flow->loop_texts, i));
    }
}

static const FwrCheck checks[] = {
  { { "any-any", FWR_SEVERITY_HIGH,
      "accepts any source, any destination and any service",
      "CC-17010 minimum authorization and positive list: an any-any accept opens everything; a rule "
      "restricted only by interface or zone still counts" }, check_any_any },
  { { "zone-isolation", FWR_SEVERITY_CRITICAL,
      "accepts traffic from an internet zone straight into an operating or management zone, or "
      "between testing and operating",
      "CC-17010 important systems isolated from the Internet; DMZ, operating and testing networks "
      "separated (critical from the internet, high between testing and operating)" }, check_zone_isolation },
  { { "default-allow", FWR_SEVERITY_HIGH,
      "an input or forward filter base chain whose policy is accept",
      "CC-17010 positive list: what no rule allows explicitly must be denied by default" },
    check_default_allow },
  { { "remote-admin-exposure", FWR_SEVERITY_HIGH,
      "accepts ssh, telnet, rdp, vnc, winrm or snmp from any source or an internet zone",
      "CC-17010 remote connections managed and verified: administration must come from known, "
      "trusted sources only" }, check_remote_admin_exposure },
  { { "shadowed", FWR_SEVERITY_MEDIUM,
      "never takes effect: earlier rules with another verdict (or a later base chain's drop) decide "
      "all of its packets",
      "CC-17010 rules must do what the review approved: a shadowed rule misleads the reviewer "
      "(high when the shadowed rule is a drop or reject, a deny that never applies)" }, check_shadowed },
  { { "overly-permissive", FWR_SEVERITY_MEDIUM,
      "accepts with a dimension wider than least privilege needs (service, destination, source, "
      "network size, port range)",
      "CC-17010 minimum authorization: each dimension adds to a score; 2 or more is a finding, "
      "5 or more is high" }, check_overly_permissive },
  { { "cleartext-service", FWR_SEVERITY_MEDIUM,
      "accepts telnet, ftp, tftp, rsh, rlogin, rexec, pop3 or imap",
      "CC-17010 only necessary services: these send credentials in clear text" }, check_cleartext_service },
  { { "chain-loop", FWR_SEVERITY_MEDIUM,
      "a jump that loops back or nests deeper than the kernel allows",
      "the kernel refuses such a ruleset: what the export shows cannot be what runs" }, check_chain_loop },
  { { "redundant", FWR_SEVERITY_LOW,
      "covered by earlier rules with the same verdict, so removing it changes nothing",
      "CC-17010 nothing wider or more than needed: dead rules make reviews longer and hide intent" },
    check_redundant },
  { { "unused", FWR_SEVERITY_LOW,
      "a rule whose counter reads zero",
      "CC-17010 unused services disabled: a rule no packet matched is a candidate for removal "
      "(rules without a counter: usage unknown, no finding)" }, check_unused },
  { { "unused-object", FWR_SEVERITY_LOW,
      "a named set, map, object or chain nothing refers to",
      "CC-17010 nothing unused: leftovers confuse reviews and may be used by mistake later" },
    check_unused_object },
  { { "undocumented", FWR_SEVERITY_LOW,
      "an accept rule with no comment",
      "CC-17010 records of firewall entries: every opening needs its reason on record" }, check_undocumented },
  { { "correlated", FWR_SEVERITY_INFO,
      "partly overlaps earlier rules with another verdict",
      "informational: its effect depends on rule order; related rules are capped at 10 with the "
      "total in details" }, check_correlated },
};

const FwrCheck *
_fwr_checks_get (guint *n_checks)
{
  *n_checks = G_N_ELEMENTS (checks);
  return checks;
}
