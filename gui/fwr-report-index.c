/* fwr-report-index.c: indexes one analysis for the views: rules in table order and findings
 * per rule, so a row of 100k finds its badges without scanning the report. */
#include "fwr-report-index.h"

char *
fwr_rule_dup_action_text (FwrRule *rule)
{
  FwrAction action = fwr_rule_get_action (rule);
  const char *target = fwr_rule_get_target (rule);
  if (action == FWR_ACTION_NONE)
    return g_strdup (fwr_rule_get_log (rule) ? "log" : "—");
  if (target != NULL)
    return g_strdup_printf ("%s %s", fwr_action_to_string (action), target);
  return g_strdup (fwr_action_to_string (action));
}

static char *
dup_search_text (FwrRule *rule)
{
  g_autofree char *source = fwr_rule_dup_source_text (rule);
  g_autofree char *destination = fwr_rule_dup_destination_text (rule);
  g_autofree char *service = fwr_rule_dup_service_text (rule);
  g_autofree char *action = fwr_rule_dup_action_text (rule);
  g_autofree char *text = g_strjoin ("\n", fwr_rule_get_id (rule), source, destination, service, action,
                                     fwr_rule_get_comment (rule) ? fwr_rule_get_comment (rule) : "", NULL);
  g_autofree char *lower = g_utf8_strdown (text, -1);
  return g_utf8_normalize (lower, -1, G_NORMALIZE_ALL);
}

guint32
fwr_report_index_check_mask (const char *check)
{
  if (g_str_equal (check, "*"))
    return FWR_ROW_CHECK_ANY;
  guint n = 0;
  const FwrCheckInfo *checks = fwr_check_get_all (&n);
  for (guint i = 0; i < n && i < 31; i++)
    if (g_str_equal (checks[i].name, check))
      return FWR_ROW_CHECK_BIT (i);
  return 0;
}

static guint32
check_mask_of (GPtrArray *findings)
{
  guint32 mask = 0;
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    mask |= FWR_ROW_CHECK_ANY | fwr_report_index_check_mask (fwr_finding_get_check (g_ptr_array_index (findings, i)));
  return mask;
}

/* The filter's numbers for every row, once the findings are indexed. */
static void
index_rows (FwrReportIndex *self)
{
  self->row_checks = g_new0 (guint32, self->rules->len);
  self->row_zone_classes = g_new0 (guint, self->rules->len);
  for (guint i = 0; i < self->rules->len; i++)
    {
      FwrRule *rule = g_ptr_array_index (self->rules, i);
      self->row_checks[i] = check_mask_of (g_hash_table_lookup (self->findings, rule));
      guint from = 0, to = 0;
      if (self->rule_zones != NULL && fwr_rule_zones_lookup (self->rule_zones, rule, &from, &to))
        self->row_zone_classes[i] = from | to;
    }
}

const char *
fwr_report_index_get_search_text (FwrReportIndex *self, guint row)
{
  return g_ptr_array_index (self->search_texts, row);
}

FwrReportIndex *
fwr_report_index_new (FwrReport *report, FwrZoneMap *zones, const char *title)
{
  FwrReportIndex *self = g_rc_box_new0 (FwrReportIndex);
  self->report = report;
  self->ruleset = fwr_ruleset_ref (fwr_report_get_ruleset (report));
  self->zones = zones ? fwr_zone_map_ref (zones) : NULL;
  self->title = g_strdup (title);
  self->rule_zones = zones ? fwr_rule_zones_new (self->ruleset, zones) : NULL;
  self->effective = fwr_effective_new (self->ruleset, zones);
  self->rules = g_ptr_array_sized_new (fwr_ruleset_get_n_rules (self->ruleset));
  self->rule_rows = g_hash_table_new (NULL, NULL);
  for (guint c = 0; c < fwr_ruleset_get_n_chains (self->ruleset); c++)
    {
      FwrChain *chain = fwr_ruleset_get_chain (self->ruleset, c);
      for (guint r = 0; r < fwr_chain_get_n_rules (chain); r++)
        {
          FwrRule *rule = fwr_chain_get_rule (chain, r);
          g_hash_table_insert (self->rule_rows, rule, GUINT_TO_POINTER (self->rules->len + 1));
          g_ptr_array_add (self->rules, rule);
        }
    }
  self->search_texts = g_ptr_array_new_full (self->rules->len, g_free);
  for (guint i = 0; i < self->rules->len; i++)
    g_ptr_array_add (self->search_texts, dup_search_text (g_ptr_array_index (self->rules, i)));
  self->findings = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    {
      const FwrFinding *finding = fwr_report_get_finding (report, i);
      FwrRule *rule = fwr_finding_get_rule (finding);
      if (rule == NULL)
        continue;
      GPtrArray *list = g_hash_table_lookup (self->findings, rule);
      if (list == NULL)
        g_hash_table_insert (self->findings, rule, list = g_ptr_array_new ());
      g_ptr_array_add (list, (gpointer) finding);
    }
  index_rows (self);
  return self;
}

FwrReportIndex *
fwr_report_index_ref (FwrReportIndex *self)
{
  return g_rc_box_acquire (self);
}

static void
report_index_clear (FwrReportIndex *self)
{
  g_hash_table_unref (self->findings);
  g_hash_table_unref (self->rule_rows);
  g_ptr_array_unref (self->rules);
  g_ptr_array_unref (self->search_texts);
  g_free (self->row_checks);
  g_free (self->row_zone_classes);
  g_clear_pointer (&self->rule_zones, fwr_rule_zones_free);
  g_clear_pointer (&self->effective, fwr_effective_free);
  fwr_report_free (self->report);
  fwr_ruleset_unref (self->ruleset);
  g_clear_pointer (&self->zones, fwr_zone_map_unref);
  g_free (self->title);
}

void
fwr_report_index_unref (FwrReportIndex *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) report_index_clear);
}

GPtrArray *
fwr_report_index_get_rule_findings (FwrReportIndex *self, FwrRule *rule)
{
  return g_hash_table_lookup (self->findings, rule);
}

int
fwr_report_index_lookup_row (FwrReportIndex *self, const char *rule_id)
{
  FwrRule *rule = fwr_ruleset_lookup_rule (self->ruleset, rule_id);
  if (rule == NULL)
    return -1;
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->rule_rows, rule)) - 1;
}

const FwrCheckInfo *
fwr_report_index_lookup_check (const char *name)
{
  guint n = 0;
  const FwrCheckInfo *checks = fwr_check_get_all (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (checks[i].name, name) == 0)
      return &checks[i];
  return NULL;
}
