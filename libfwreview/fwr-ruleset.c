/* fwr-ruleset.c: the normalized model's containers, rules and named objects: building them
 * (for importers) and reading them (for everyone). */
#include "fwr-ruleset-private.h"

/* Matches */

void
_fwr_match_init (FwrMatch *match)
{
  memset (match, 0, sizeof *match);
  match->families = FWR_FAMILY_ANY;
}

void
_fwr_name_match_clear (FwrNameMatch *names)
{
  g_clear_pointer (&names->patterns, g_strfreev);
  names->negate = FALSE;
}

static void
name_match_copy_into (FwrNameMatch *dest, const FwrNameMatch *src)
{
  dest->patterns = g_strdupv (src->patterns);
  dest->negate = src->negate;
}

gboolean
_fwr_name_match_matches (const FwrNameMatch *names, const char *name)
{
  if (names->patterns == NULL)
    return TRUE;
  gboolean hit = FALSE;
  for (guint i = 0; !hit && names->patterns[i] != NULL; i++)
    {
      const char *pattern = names->patterns[i];
      gsize len = strlen (pattern);
      if (len > 0 && pattern[len - 1] == '*')
        hit = strncmp (pattern, name, len - 1) == 0;
      else
        hit = strcmp (pattern, name) == 0;
    }
  return hit != names->negate;
}

void
_fwr_match_clear (FwrMatch *match)
{
  g_clear_pointer (&match->src, fwr_addr_set_free);
  g_clear_pointer (&match->dst, fwr_addr_set_free);
  _fwr_name_match_clear (&match->iif);
  _fwr_name_match_clear (&match->oif);
  _fwr_name_match_clear (&match->src_zones);
  _fwr_name_match_clear (&match->dst_zones);
  g_clear_pointer (&match->protos, fwr_range_set_free);
  g_clear_pointer (&match->sports, fwr_range_set_free);
  g_clear_pointer (&match->dports, fwr_range_set_free);
  g_clear_pointer (&match->icmp, fwr_range_set_free);
  g_clear_pointer (&match->opaque, g_ptr_array_unref);
  _fwr_match_init (match);
}

#define COPY_SET(field, copy) dest->field = src->field ? copy (src->field) : NULL

void
_fwr_match_copy_into (FwrMatch *dest, const FwrMatch *src)
{
  dest->families = src->families;
  COPY_SET (src, fwr_addr_set_copy);
  COPY_SET (dst, fwr_addr_set_copy);
  name_match_copy_into (&dest->iif, &src->iif);
  name_match_copy_into (&dest->oif, &src->oif);
  name_match_copy_into (&dest->src_zones, &src->src_zones);
  name_match_copy_into (&dest->dst_zones, &src->dst_zones);
  COPY_SET (protos, fwr_range_set_copy);
  COPY_SET (sports, fwr_range_set_copy);
  COPY_SET (dports, fwr_range_set_copy);
  COPY_SET (icmp, fwr_range_set_copy);
  dest->ct_states = src->ct_states;
  dest->opaque = NULL;
  if (src->opaque != NULL)
    {
      dest->opaque = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < src->opaque->len; i++)
        g_ptr_array_add (dest->opaque, g_strdup (g_ptr_array_index (src->opaque, i)));
    }
}

#undef COPY_SET

void
_fwr_match_add_opaque (FwrMatch *match, const char *text)
{
  if (match->opaque == NULL)
    match->opaque = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (match->opaque, g_strdup (text));
}

static void
append_names (GString *out, const char *keyword, const FwrNameMatch *names)
{
  if (names->patterns == NULL)
    return;
  g_autofree char *joined = g_strjoinv (",", names->patterns);
  guint n = g_strv_length (names->patterns);
  g_string_append_printf (out, "%s %s%s%s%s ", keyword, names->negate ? "!= " : "", n > 1 ? "{" : "", joined, n > 1 ? "}" : "");
}

static void
append_range_set (GString *out, const char *keyword, const FwrRangeSet *set)
{
  if (set == NULL)
    return;
  g_autofree char *text = fwr_range_set_to_string (set);
  g_string_append_printf (out, "%s %s ", keyword, text);
}

static const char *ct_names[] = { "new", "established", "related", "invalid", "untracked" };

char *
_fwr_match_to_string (const FwrMatch *match)
{
  GString *out = g_string_new (NULL);

  if (match->families == FWR_FAMILY_IPV4)
    g_string_append (out, "ipv4 ");
  else if (match->families == FWR_FAMILY_IPV6)
    g_string_append (out, "ipv6 ");
  append_names (out, "iifname", &match->iif);
  append_names (out, "oifname", &match->oif);
  append_names (out, "from-zone", &match->src_zones);
  append_names (out, "to-zone", &match->dst_zones);
  if (match->src != NULL)
    {
      g_autofree char *text = fwr_addr_set_to_string (match->src);
      g_string_append_printf (out, "saddr %s ", *text ? text : "{}");
    }
  if (match->dst != NULL)
    {
      g_autofree char *text = fwr_addr_set_to_string (match->dst);
      g_string_append_printf (out, "daddr %s ", *text ? text : "{}");
    }
  append_range_set (out, "proto", match->protos);
  append_range_set (out, "sport", match->sports);
  append_range_set (out, "dport", match->dports);
  append_range_set (out, "icmp", match->icmp);
  if (match->ct_states != 0)
    {
      g_string_append (out, "ct state ");
      gboolean first = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (ct_names); i++)
        if (match->ct_states & (1u << i))
          {
            g_string_append_printf (out, "%s%s", first ? "" : ",", ct_names[i]);
            first = FALSE;
          }
      g_string_append_c (out, ' ');
    }
  if (match->opaque != NULL)
    for (guint i = 0; i < match->opaque->len; i++)
      g_string_append_printf (out, "[%s] ", (const char *) g_ptr_array_index (match->opaque, i));

  if (out->len == 0)
    g_string_append (out, "any");
  else
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* Rules */

static void
rule_free (FwrRule *rule)
{
  for (guint i = 0; i < rule->n_terms; i++)
    {
      _fwr_match_clear (&rule->terms[i].match);
      g_free (rule->terms[i].verdict.target);
    }
  g_free (rule->terms);
  g_free (rule->verdict.target);
  g_free (rule->id);
  g_free (rule->comment);
  g_strfreev (rule->refs);
  g_free (rule);
}

FwrTerm *
_fwr_rule_add_term (FwrRule *rule)
{
  rule->terms = g_renew (FwrTerm, rule->terms, rule->n_terms + 1);
  FwrTerm *term = &rule->terms[rule->n_terms++];
  _fwr_match_init (&term->match);
  term->verdict.action = rule->verdict.action;
  term->verdict.target = g_strdup (rule->verdict.target);
  return term;
}

void
_fwr_rule_set_verdict (FwrRule *rule, FwrAction action, const char *target)
{
  rule->verdict.action = action;
  g_free (rule->verdict.target);
  rule->verdict.target = g_strdup (target);
  for (guint i = 0; i < rule->n_terms; i++)
    {
      rule->terms[i].verdict.action = action;
      g_free (rule->terms[i].verdict.target);
      rule->terms[i].verdict.target = g_strdup (target);
    }
}

void
_fwr_rule_add_ref (FwrRule *rule, FwrObject *object)
{
  guint n = rule->refs ? g_strv_length (rule->refs) : 0;
  for (guint i = 0; i < n; i++)
    if (g_str_equal (rule->refs[i], object->id))
      return;
  rule->refs = g_renew (char *, rule->refs, n + 2);
  rule->refs[n] = g_strdup (object->id);
  rule->refs[n + 1] = NULL;
  object->n_refs++;
}

FwrRule *
_fwr_chain_add_rule (FwrChain *chain, const char *id)
{
  FwrRule *rule = g_new0 (FwrRule, 1);
  rule->id = g_strdup (id);
  rule->chain = chain;
  rule->position = chain->rules->len;
  rule->ordinal = chain->ruleset->n_rules;
  rule->enabled = TRUE;
  _fwr_rule_add_term (rule);
  g_ptr_array_add (chain->rules, rule);
  chain->ruleset->n_rules++;
  /* A duplicate id (a malformed export) keeps the first rule findable. */
  if (!g_hash_table_contains (chain->ruleset->rules_by_id, rule->id))
    g_hash_table_insert (chain->ruleset->rules_by_id, rule->id, rule);
  return rule;
}

/* Chains */

static void
chain_free (FwrChain *chain)
{
  g_ptr_array_unref (chain->rules);
  g_free (chain->id);
  g_free (chain->name);
  g_free (chain->table);
  g_free (chain->section);
  g_free (chain->comment);
  g_free (chain);
}

FwrChain *
_fwr_ruleset_add_chain (FwrRuleset *self, const char *id, const char *table,
                        const char *name, FwrTableFamily family)
{
  FwrChain *chain = g_new0 (FwrChain, 1);
  chain->id = g_strdup (id);
  chain->table = g_strdup (table);
  chain->name = g_strdup (name);
  chain->family = family;
  chain->type = FWR_CHAIN_TYPE_FILTER;
  chain->policy = FWR_ACTION_NONE;
  chain->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  chain->ruleset = self;
  chain->ordinal = self->chains->len;
  g_ptr_array_add (self->chains, chain);
  if (!g_hash_table_contains (self->chains_by_id, chain->id))
    g_hash_table_insert (self->chains_by_id, chain->id, chain);
  return chain;
}

/* Objects */

static void
object_free (FwrObject *object)
{
  g_free (object->id);
  g_free (object->name);
  g_free (object->table);
  g_free (object);
}

FwrObject *
_fwr_ruleset_add_object (FwrRuleset *self, const char *id, const char *table,
                         const char *name, FwrTableFamily family, FwrObjectKind kind)
{
  FwrObject *object = g_new0 (FwrObject, 1);
  object->id = g_strdup (id);
  object->table = g_strdup (table);
  object->name = g_strdup (name);
  object->family = family;
  object->kind = kind;
  g_ptr_array_add (self->objects, object);
  if (!g_hash_table_contains (self->objects_by_id, object->id))
    g_hash_table_insert (self->objects_by_id, object->id, object);
  return object;
}

FwrObject *
_fwr_ruleset_lookup_object (const FwrRuleset *self, const char *id)
{
  return g_hash_table_lookup (self->objects_by_id, id);
}

/* Ruleset */

FwrRuleset *
_fwr_ruleset_new (const char *format, const char *file)
{
  FwrRuleset *self = g_new0 (FwrRuleset, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->format = g_strdup (format);
  self->file = g_strdup (file);
  self->chains = g_ptr_array_new_with_free_func ((GDestroyNotify) chain_free);
  self->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) object_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->rules_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->chains_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->objects_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->lent_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) fwr_addr_set_free);
  return self;
}

void
_fwr_ruleset_keep_lent_set (FwrRuleset *self, FwrAddrSet *set)
{
  g_ptr_array_add (self->lent_sets, set);
}

void
_fwr_ruleset_add_warning (FwrRuleset *self, guint line, guint column, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_ptr_array_add (self->warnings, g_strdup_printf ("%s:%u:%u: %s", self->file, line, column, text));
  else
    g_ptr_array_add (self->warnings, g_strdup_printf ("%s: %s", self->file, text));
}

FwrRuleset *
fwr_ruleset_ref (FwrRuleset *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
fwr_ruleset_unref (FwrRuleset *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->rules_by_id);
  g_hash_table_unref (self->chains_by_id);
  g_hash_table_unref (self->objects_by_id);
  g_ptr_array_unref (self->chains);
  g_ptr_array_unref (self->objects);
  g_ptr_array_unref (self->warnings);
  /* After the rules: they borrow from these. */
  g_ptr_array_unref (self->lent_sets);
  g_free (self->format);
  g_free (self->file);
  g_free (self);
}

const char *fwr_ruleset_get_format (const FwrRuleset *self) { return self->format; }
const char *fwr_ruleset_get_file (const FwrRuleset *self) { return self->file; }
guint fwr_ruleset_get_n_rules (const FwrRuleset *self) { return self->n_rules; }
guint fwr_ruleset_get_n_chains (const FwrRuleset *self) { return self->chains->len; }
guint fwr_ruleset_get_n_objects (const FwrRuleset *self) { return self->objects->len; }
guint fwr_ruleset_get_n_warnings (const FwrRuleset *self) { return self->warnings->len; }

FwrChain *
fwr_ruleset_get_chain (const FwrRuleset *self, guint index)
{
  g_return_val_if_fail (index < self->chains->len, NULL);
  return g_ptr_array_index (self->chains, index);
}

FwrObject *
fwr_ruleset_get_object (const FwrRuleset *self, guint index)
{
  g_return_val_if_fail (index < self->objects->len, NULL);
  return g_ptr_array_index (self->objects, index);
}

const char *
fwr_ruleset_get_warning (const FwrRuleset *self, guint index)
{
  g_return_val_if_fail (index < self->warnings->len, NULL);
  return g_ptr_array_index (self->warnings, index);
}

FwrRule *
fwr_ruleset_lookup_rule (const FwrRuleset *self, const char *id)
{
  return g_hash_table_lookup (self->rules_by_id, id);
}

FwrChain *
fwr_ruleset_lookup_chain (const FwrRuleset *self, const char *id)
{
  return g_hash_table_lookup (self->chains_by_id, id);
}

/* Chain getters */

const char *fwr_chain_get_id (const FwrChain *self) { return self->id; }
const char *fwr_chain_get_name (const FwrChain *self) { return self->name; }
const char *fwr_chain_get_table (const FwrChain *self) { return self->table; }
FwrTableFamily fwr_chain_get_family (const FwrChain *self) { return self->family; }
FwrChainType fwr_chain_get_chain_type (const FwrChain *self) { return self->type; }
FwrHook fwr_chain_get_hook (const FwrChain *self) { return self->hook; }
int fwr_chain_get_priority (const FwrChain *self) { return self->priority; }
FwrAction fwr_chain_get_policy (const FwrChain *self) { return self->policy; }
const char *fwr_chain_get_comment (const FwrChain *self) { return self->comment; }
guint fwr_chain_get_line (const FwrChain *self) { return self->line; }
guint fwr_chain_get_n_rules (const FwrChain *self) { return self->rules->len; }

FwrRule *
fwr_chain_get_rule (const FwrChain *self, guint index)
{
  g_return_val_if_fail (index < self->rules->len, NULL);
  return g_ptr_array_index (self->rules, index);
}

/* Rule getters */

const char *fwr_rule_get_id (const FwrRule *self) { return self->id; }
FwrChain *fwr_rule_get_chain (const FwrRule *self) { return self->chain; }
guint fwr_rule_get_position (const FwrRule *self) { return self->position; }
FwrAction fwr_rule_get_action (const FwrRule *self) { return self->verdict.action; }
const char *fwr_rule_get_target (const FwrRule *self) { return self->verdict.target; }
const char *fwr_rule_get_comment (const FwrRule *self) { return self->comment; }
gboolean fwr_rule_get_enabled (const FwrRule *self) { return self->enabled; }
gboolean fwr_rule_get_log (const FwrRule *self) { return self->log; }
const char *fwr_rule_get_file (const FwrRule *self) { return self->chain->ruleset->file; }
guint fwr_rule_get_line (const FwrRule *self) { return self->line; }

gboolean
fwr_rule_get_counter (const FwrRule *self, guint64 *packets, guint64 *bytes)
{
  if (packets)
    *packets = self->packets;
  if (bytes)
    *bytes = self->bytes;
  return self->has_counter;
}

guint
fwr_rule_get_n_opaque (const FwrRule *self)
{
  guint n = 0;
  for (guint i = 0; i < self->n_terms; i++)
    n += self->terms[i].match.opaque ? self->terms[i].match.opaque->len : 0;
  return n;
}

char *
fwr_rule_dup_match_text (const FwrRule *self)
{
  if (self->n_terms == 1)
    return _fwr_match_to_string (&self->terms[0].match);

  GString *out = g_string_new (NULL);
  for (guint i = 0; i < self->n_terms; i++)
    {
      g_autofree char *text = _fwr_match_to_string (&self->terms[i].match);
      g_string_append_printf (out, "%s(%s", i ? " | " : "", text);
      if (self->verdict.action == FWR_ACTION_NONE && self->terms[i].verdict.action != FWR_ACTION_NONE)
        g_string_append_printf (out, " : %s", fwr_action_to_string (self->terms[i].verdict.action));
      g_string_append_c (out, ')');
    }
  return g_string_free (out, FALSE);
}

/* Object getters */

const char *fwr_object_get_id (const FwrObject *self) { return self->id; }
const char *fwr_object_get_name (const FwrObject *self) { return self->name; }
FwrObjectKind fwr_object_get_kind (const FwrObject *self) { return self->kind; }
guint fwr_object_get_n_refs (const FwrObject *self) { return self->n_refs; }
guint fwr_object_get_line (const FwrObject *self) { return self->line; }

/* Enum names */

const char *
fwr_action_to_string (FwrAction action)
{
  static const char *names[] = { "none", "accept", "drop", "reject", "jump", "goto",
                                 "return", "continue", "queue" };
  return action < G_N_ELEMENTS (names) ? names[action] : "unknown";
}

const char *
fwr_hook_to_string (FwrHook hook)
{
  static const char *names[] = { "none", "prerouting", "input", "forward", "output",
                                 "postrouting", "ingress", "egress" };
  return hook < G_N_ELEMENTS (names) ? names[hook] : "unknown";
}

const char *
fwr_table_family_to_string (FwrTableFamily family)
{
  static const char *names[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
  return family < G_N_ELEMENTS (names) ? names[family] : "unknown";
}

const char *
fwr_object_kind_to_string (FwrObjectKind kind)
{
  static const char *names[] = { "set", "map", "verdict-map", "counter", "quota", "limit",
                                 "ct-helper", "address", "address-group", "service",
                                 "service-group", "schedule", "other" };
  return kind < G_N_ELEMENTS (names) ? names[kind] : "unknown";
}
