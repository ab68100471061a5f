/* fwr-effective.c: prints the flow's entries (fwr-flow.c) for one rule: each entry's packet
 * space is the rule's match intersected with the conditions of the jumps that led there. */
#include "fwr-effective.h"
#include "fwr-flow-private.h"

struct _FwrEffective {
  FwrRuleset *ruleset;
  FwrFlow *flow;
  GHashTable *entries;    /* FwrRule* -> GPtrArray of FwrEntry* (borrowed from the flow) */
  GHashTable *groups;     /* FwrEntry* -> FwrFlowGroup* */
};

FwrEffective *
fwr_effective_new (FwrRuleset *ruleset, FwrZoneMap *zones)
{
  g_return_val_if_fail (ruleset != NULL, NULL);
  FwrEffective *self = g_new0 (FwrEffective, 1);
  self->ruleset = fwr_ruleset_ref (ruleset);
  self->flow = _fwr_flow_new (ruleset, zones);
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->groups = g_hash_table_new (NULL, NULL);
  for (guint g = 0; g < self->flow->groups->len; g++)
    {
      FwrFlowGroup *group = g_ptr_array_index (self->flow->groups, g);
      for (guint e = 0; e < group->entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
          if (entry->synthetic || entry->rule == NULL)
            continue;
          GPtrArray *list = g_hash_table_lookup (self->entries, entry->rule);
          if (list == NULL)
            g_hash_table_insert (self->entries, entry->rule, list = g_ptr_array_new ());
          g_ptr_array_add (list, entry);
          g_hash_table_insert (self->groups, entry, group);
        }
    }
  return self;
}

void
fwr_effective_free (FwrEffective *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->groups);
  _fwr_flow_free (self->flow);
  fwr_ruleset_unref (self->ruleset);
  g_free (self);
}

static void
append_addresses (GString *out, const char *keyword, const FwrSpans *spans, guint8 family)
{
  g_autoptr (FwrAddrSet) set = fwr_addr_set_new ();
  _fwr_spans_copy_into (family == FWR_FAMILY_IPV4 ? &set->v4 : &set->v6, spans);
  g_autofree char *text = fwr_addr_set_to_string (set);
  g_string_append_printf (out, " %s %s", keyword, text);
}

static void
append_values (GString *out, const char *keyword, const FwrSpans *spans)
{
  g_autoptr (FwrRangeSet) set = fwr_range_set_new ();
  _fwr_spans_copy_into (&set->spans, spans);
  g_autofree char *text = fwr_range_set_to_string (set);
  g_string_append_printf (out, " %s %s", keyword, text);
}

static void
append_states (GString *out, const FwrSpans *spans)
{
  static const char *names[] = { "new", "established", "related", "invalid", "untracked" };
  g_string_append (out, " ct state ");
  for (guint bit = 0, n = 0; bit < G_N_ELEMENTS (names); bit++)
    if (_fwr_spans_contains (spans, bit))
      g_string_append_printf (out, "%s%s", n++ ? "," : "", names[bit]);
}

/* Universe values back to names: a listed name, "p*" for the names under a listed prefix that
 * are not listed themselves, "other" for every name nothing lists. */
static void
append_names (GString *out, const char *keyword, const FwrSpans *spans, const FwrNameUniverse *universe)
{
  g_string_append_printf (out, " %s {", keyword);
  gboolean first = TRUE;
  for (guint i = 0; i < spans->n; i++)
    for (fwr_u128 id = spans->spans[i].lo; id <= spans->spans[i].hi; id++)
      {
        const char *name = id < universe->names->len ? g_ptr_array_index (universe->names, (guint) id)
                         : id < universe->names->len + universe->prefixes->len
                           ? g_ptr_array_index (universe->prefixes, (guint) id - universe->names->len)
                           : NULL;
        gboolean prefix = name != NULL && id >= universe->names->len;
        g_string_append_printf (out, "%s%s%s", first ? "" : ",", name ? name : "(any other)", prefix ? "*" : "");
        first = FALSE;
      }
  g_string_append_c (out, '}');
}

static void
append_cube (GString *out, const FwrFlow *flow, const FwrCube *cube)
{
  g_string_append (out, cube->family == FWR_FAMILY_IPV4 ? "ipv4" : "ipv6");
  for (FwrDim d = 0; d < FWR_DIM_N; d++)
    {
      if (cube->full & (1u << d))
        continue;
      const FwrSpans *spans = &cube->dims[d];
      switch (d)
        {
        case FWR_DIM_SRC: append_addresses (out, "saddr", spans, cube->family); break;
        case FWR_DIM_DST: append_addresses (out, "daddr", spans, cube->family); break;
        case FWR_DIM_PROTO: append_values (out, "proto", spans); break;
        case FWR_DIM_SPORT: append_values (out, "sport", spans); break;
        case FWR_DIM_DPORT: append_values (out, "dport", spans); break;
        case FWR_DIM_ICMP: append_values (out, "icmp", spans); break;
        case FWR_DIM_CT: append_states (out, spans); break;
        case FWR_DIM_IIF: append_names (out, "iif", spans, &flow->ifaces); break;
        case FWR_DIM_OIF: append_names (out, "oif", spans, &flow->ifaces); break;
        case FWR_DIM_SZONE: append_names (out, "from-zone", spans, &flow->zone_names); break;
        case FWR_DIM_DZONE: append_names (out, "to-zone", spans, &flow->zone_names); break;
        case FWR_DIM_N: default: break;
        }
    }
}

char *
fwr_effective_dup_rule_text (const FwrEffective *self, const FwrRule *rule, guint max_pieces)
{
  g_return_val_if_fail (self != NULL && rule != NULL, NULL);
  GPtrArray *entries = g_hash_table_lookup (self->entries, rule);
  if (entries == NULL)
    return NULL;
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      const FwrEntry *entry = g_ptr_array_index (entries, i);
      const FwrFlowGroup *group = g_hash_table_lookup (self->groups, entry);
      const FwrFrame *frame = &g_array_index (group->frames, FwrFrame, entry->frame);
      const FwrChain *base = g_ptr_array_index (group->bases, entry->base);
      g_string_append_printf (out, "%s%s", out->len ? "\n" : "", fwr_hook_to_string (group->hook));
      if (frame->chain != base)
        g_string_append_printf (out, " from %s into %s", base->id, frame->chain->id);
      g_string_append (out, ": ");
      guint shown = MIN (entry->space->len, MAX (max_pieces, 1));
      for (guint c = 0; c < shown; c++)
        {
          if (c > 0)
            g_string_append (out, " | ");
          append_cube (out, self->flow, g_ptr_array_index (entry->space, c));
        }
      if (entry->space->len > shown)
        g_string_append_printf (out, " | … %u more piece%s", entry->space->len - shown,
                                entry->space->len - shown == 1 ? "" : "s");
      if (entry->opaque)
        g_string_append (out, " (and conditions fwreview cannot model: it may match less)");
    }
  return g_string_free (out, FALSE);
}
