/* fwr-analysis.c: runs every check over a ruleset and keeps the findings in a stable order
 * (by severity, then check, then rule position), so reports are reproducible. */
#include "fwr-analysis-private.h"
#include "fwr-enum-private.h"

static const char *severity_names[] = { "info", "low", "medium", "high", "critical" };

const char *
fwr_severity_to_string (FwrSeverity severity)
{
  return severity < G_N_ELEMENTS (severity_names) ? severity_names[severity] : "unknown";
}

gboolean
fwr_severity_from_string (const char *text, FwrSeverity *out)
{
  guint value;
  if (!_fwr_enum_from_name (severity_names, G_N_ELEMENTS (severity_names), text, &value))
    return FALSE;
  *out = (FwrSeverity) value;
  return TRUE;
}

const FwrCheckInfo *
fwr_check_get_all (guint *n_checks)
{
  /* FwrCheck starts with its FwrCheckInfo, but the public array must be of FwrCheckInfo. */
  static FwrCheckInfo *infos;
  static guint n;
  if (g_once_init_enter (&infos))
    {
      const FwrCheck *checks = _fwr_checks_get (&n);
      FwrCheckInfo *array = g_new (FwrCheckInfo, n);
      for (guint i = 0; i < n; i++)
        array[i] = checks[i].info;
      g_once_init_leave (&infos, array);
    }
  *n_checks = n;
  return infos;
}

static void
finding_free (FwrFinding *finding)
{
  g_free (finding->subject_id);
  g_free (finding->message);
  g_ptr_array_unref (finding->related);
  g_variant_dict_unref (finding->details);
  g_clear_pointer (&finding->details_value, g_variant_unref);
  g_free (finding);
}

FwrFinding *
_fwr_analysis_add_finding (FwrAnalysis *analysis, const FwrCheckInfo *check,
                           const char *subject_id, FwrRule *rule, const char *format, ...)
{
  FwrFinding *finding = g_new0 (FwrFinding, 1);
  va_list args;

  finding->check = check;
  finding->severity = check->severity;
  finding->subject_id = g_strdup (subject_id);
  finding->rule = rule;
  va_start (args, format);
  finding->message = g_strdup_vprintf (format, args);
  va_end (args);
  finding->related = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (finding->related, NULL);
  finding->details = g_variant_dict_new (NULL);
  g_ptr_array_add (analysis->findings, finding);
  return finding;
}

void
_fwr_finding_add_related (FwrFinding *finding, const char *rule_id)
{
  /* Keep the array NULL-terminated for fwr_finding_get_related(). */
  g_ptr_array_insert (finding->related, (int) finding->related->len - 1, g_strdup (rule_id));
}

void
_fwr_finding_set_detail (FwrFinding *finding, const char *key, GVariant *value)
{
  g_variant_dict_insert_value (finding->details, key, value);
}

/* Report */

struct _FwrReport {
  FwrRuleset *ruleset;
  GPtrArray *findings;
};

static guint
check_rank (const FwrCheckInfo *check)
{
  guint n;
  const FwrCheck *checks = _fwr_checks_get (&n);
  for (guint i = 0; i < n; i++)
    if (&checks[i].info == check)
      return i;
  return n;
}

static int
compare_findings (gconstpointer a, gconstpointer b)
{
  const FwrFinding *fa = *(FwrFinding * const *) a;
  const FwrFinding *fb = *(FwrFinding * const *) b;

  if (fa->severity != fb->severity)
    return fa->severity > fb->severity ? -1 : 1;
  guint ra = check_rank (fa->check), rb = check_rank (fb->check);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  /* Then the order of the configuration itself; chain findings by chain order. */
  guint oa = fa->rule ? fa->rule->ordinal : G_MAXUINT, ob = fb->rule ? fb->rule->ordinal : G_MAXUINT;
  if (oa != ob)
    return oa < ob ? -1 : 1;
  return g_strcmp0 (fa->subject_id, fb->subject_id);
}

FwrReport *
fwr_analyze (FwrRuleset *ruleset, FwrZoneMap *zones)
{
  g_return_val_if_fail (ruleset != NULL, NULL);

  FwrAnalysis analysis = {
    .ruleset = ruleset,
    .zones = zones,
    .findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free),
    .flow = _fwr_flow_new (ruleset, zones),
  };
  /* Coverage first: it frees the index, which no check needs, before findings accumulate. */
  analysis.coverage = _fwr_coverage_new (analysis.flow);

  guint n;
  const FwrCheck *checks = _fwr_checks_get (&n);
  for (guint i = 0; i < n; i++)
    checks[i].run (&analysis, &checks[i].info);

  g_ptr_array_sort (analysis.findings, compare_findings);
  _fwr_coverage_free (analysis.coverage);
  g_free (analysis.idioms);
  _fwr_flow_free (analysis.flow);

  FwrReport *report = g_new0 (FwrReport, 1);
  report->ruleset = fwr_ruleset_ref (ruleset);
  report->findings = analysis.findings;
  return report;
}

void
fwr_report_free (FwrReport *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->findings);
  fwr_ruleset_unref (self->ruleset);
  g_free (self);
}

FwrRuleset *fwr_report_get_ruleset (const FwrReport *self) { return self->ruleset; }
guint fwr_report_get_n_findings (const FwrReport *self) { return self->findings->len; }

const FwrFinding *
fwr_report_get_finding (const FwrReport *self, guint index)
{
  g_return_val_if_fail (index < self->findings->len, NULL);
  return g_ptr_array_index (self->findings, index);
}

const char *fwr_finding_get_check (const FwrFinding *self) { return self->check->name; }
FwrSeverity fwr_finding_get_severity (const FwrFinding *self) { return self->severity; }
const char *fwr_finding_get_subject_id (const FwrFinding *self) { return self->subject_id; }
FwrRule *fwr_finding_get_rule (const FwrFinding *self) { return self->rule; }
const char *fwr_finding_get_message (const FwrFinding *self) { return self->message; }

const char * const *
fwr_finding_get_related (const FwrFinding *self)
{
  return (const char * const *) self->related->pdata;
}

GVariant *
fwr_finding_get_details (const FwrFinding *self)
{
  FwrFinding *mutable = (FwrFinding *) self;
  if (mutable->details_value == NULL)
    mutable->details_value = g_variant_ref_sink (g_variant_dict_end (mutable->details));
  return mutable->details_value;
}
