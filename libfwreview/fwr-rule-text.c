/* fwr-rule-text.c: a rule's match split into the columns a rule table shows (source,
 * destination, service), each as short text, so the CLI and the GUI print the same words. */
#include "fwr-ruleset-private.h"

static void
append_names (GString *out, const char *keyword, const FwrNameMatch *names)
{
  if (names->patterns == NULL)
    return;
  g_autofree char *joined = g_strjoinv (",", names->patterns);
  gboolean several = g_strv_length (names->patterns) > 1;
  g_string_append_printf (out, "%s%s %s%s%s ", keyword, names->negate ? " !=" : "",
                          several ? "{" : "", joined, several ? "}" : "");
}

static void
append_addresses (GString *out, const FwrAddrSet *set)
{
  if (set == NULL)
    return;
  g_autofree char *text = fwr_addr_set_to_string (set);
  g_string_append_printf (out, "%s ", *text ? text : "{}");
}

static const char *
proto_name (guint32 proto)
{
  switch (proto)
    {
    case 1: return "icmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 47: return "gre";
    case 50: return "esp";
    case 51: return "ah";
    case 58: return "icmpv6";
    case 132: return "sctp";
    default: return NULL;
    }
}

static void
append_protos (GString *out, const FwrRangeSet *protos)
{
  if (protos == NULL)
    return;
  guint n = fwr_range_set_get_n_ranges (protos);
  if (n == 0)
    {
      g_string_append (out, "{} ");
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      guint32 lo, hi;
      fwr_range_set_get_range (protos, i, &lo, &hi);
      if (hi - lo >= 4)
        g_string_append_printf (out, "%u-%u", lo, hi);
      for (guint32 p = lo; hi - lo < 4 && p <= hi; p++)
        {
          const char *name = proto_name (p);
          if (name != NULL)
            g_string_append (out, name);
          else
            g_string_append_printf (out, "proto %u", p);
          if (p < hi)
            g_string_append_c (out, ',');
        }
      g_string_append_c (out, i + 1 < n ? ',' : ' ');
    }
}

static void
append_ports (GString *out, const char *keyword, const FwrRangeSet *set)
{
  if (set == NULL)
    return;
  g_autofree char *text = fwr_range_set_to_string (set);
  g_string_append_printf (out, "%s %s ", keyword, *text ? text : "{}");
}

/* Connection states and conditions we could not model belong with the service: they narrow
 * which packets of it the rule sees. */
static void
append_states (GString *out, guint states)
{
  static const char *names[] = { "new", "established", "related", "invalid", "untracked" };
  if (states == 0)
    return;
  g_string_append (out, "ct ");
  for (guint i = 0, n = 0; i < G_N_ELEMENTS (names); i++)
    if (states & (1u << i))
      g_string_append_printf (out, "%s%s", n++ ? "," : "", names[i]);
  g_string_append_c (out, ' ');
}

static char *
finish (GString *out)
{
  if (out->len == 0)
    g_string_append (out, "any");
  else
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static char *
source_text (const FwrMatch *match)
{
  GString *out = g_string_new (NULL);
  append_names (out, "iif", &match->iif);
  append_names (out, "zone", &match->src_zones);
  append_addresses (out, match->src);
  return finish (out);
}

static char *
destination_text (const FwrMatch *match)
{
  GString *out = g_string_new (NULL);
  append_names (out, "oif", &match->oif);
  append_names (out, "zone", &match->dst_zones);
  append_addresses (out, match->dst);
  return finish (out);
}

static char *
service_text (const FwrMatch *match)
{
  GString *out = g_string_new (NULL);
  append_protos (out, match->protos);
  append_ports (out, "sport", match->sports);
  append_ports (out, "dport", match->dports);
  append_ports (out, "icmp", match->icmp);
  append_states (out, match->ct_states);
  if (match->opaque != NULL)
    for (guint i = 0; i < match->opaque->len; i++)
      g_string_append_printf (out, "[%s] ", (const char *) g_ptr_array_index (match->opaque, i));
  return finish (out);
}

/* Terms of a set or map often share one side (the same source for many ports): each distinct
 * text appears once, in term order. */
static char *
join_terms (const FwrRule *rule, char *(*text_of) (const FwrMatch *match))
{
  if (rule->n_terms == 1)
    return text_of (&rule->terms[0].match);
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rule->n_terms; i++)
    {
      char *text = text_of (&rule->terms[i].match);
      if (g_ptr_array_find_with_equal_func (seen, text, g_str_equal, NULL))
        g_free (text);
      else
        g_ptr_array_add (seen, text);
    }
  g_ptr_array_add (seen, NULL);
  return g_strjoinv (" | ", (char **) seen->pdata);
}

char *
fwr_rule_dup_source_text (const FwrRule *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return join_terms (self, source_text);
}

char *
fwr_rule_dup_destination_text (const FwrRule *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return join_terms (self, destination_text);
}

char *
fwr_rule_dup_service_text (const FwrRule *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return join_terms (self, service_text);
}
