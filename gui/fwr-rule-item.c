/* fwr-rule-item.c: a rules-table row. Column texts are computed on first read and kept, so
 * sorting 100k rows costs one library call per cell, and cells nobody looks at cost none. */
#include "fwr-rule-item.h"

struct _FwrRuleItem {
  GObject parent_instance;
  FwrReportIndex *index;
  guint row;
  char *source;
  char *destination;
  char *service;
};

G_DEFINE_FINAL_TYPE (FwrRuleItem, fwr_rule_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_POSITION,
  PROP_CHAIN,
  PROP_SOURCE,
  PROP_DESTINATION,
  PROP_SERVICE,
  PROP_ACTION,
  PROP_HITS,
  PROP_HITS_TEXT,
  PROP_FINDINGS_MARKUP,
  PROP_SEVERITY,
  PROP_COMMENT,
  PROP_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *severity_colors[][2] = {
  [FWR_SEVERITY_INFO] = { "#77767b", "#ffffff" },
  [FWR_SEVERITY_LOW] = { "#1c71d8", "#ffffff" },
  [FWR_SEVERITY_MEDIUM] = { "#f5c211", "#000000" },
  [FWR_SEVERITY_HIGH] = { "#e66100", "#ffffff" },
  [FWR_SEVERITY_CRITICAL] = { "#c01c28", "#ffffff" },
};

char *
fwr_severity_dup_badge_markup (FwrSeverity severity, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  return g_strdup_printf ("<span background=\"%s\" foreground=\"%s\" weight=\"bold\" "
                          "size=\"small\"> %s </span>",
                          severity_colors[severity][0], severity_colors[severity][1], escaped);
}

FwrRuleItem *
fwr_rule_item_new (FwrReportIndex *index, guint row)
{
  FwrRuleItem *self = g_object_new (FWR_TYPE_RULE_ITEM, NULL);
  self->index = fwr_report_index_ref (index);
  self->row = row;
  return self;
}

FwrRule *
fwr_rule_item_get_rule (FwrRuleItem *self)
{
  return g_ptr_array_index (self->index->rules, self->row);
}

guint
fwr_rule_item_get_row (FwrRuleItem *self)
{
  return self->row;
}

GPtrArray *
fwr_rule_item_get_findings (FwrRuleItem *self)
{
  return fwr_report_index_get_rule_findings (self->index, fwr_rule_item_get_rule (self));
}

static const char *
get_source (FwrRuleItem *self)
{
  if (self->source == NULL)
    self->source = fwr_rule_dup_source_text (fwr_rule_item_get_rule (self));
  return self->source;
}

static const char *
get_destination (FwrRuleItem *self)
{
  if (self->destination == NULL)
    self->destination = fwr_rule_dup_destination_text (fwr_rule_item_get_rule (self));
  return self->destination;
}

static const char *
get_service (FwrRuleItem *self)
{
  if (self->service == NULL)
    self->service = fwr_rule_dup_service_text (fwr_rule_item_get_rule (self));
  return self->service;
}

static char *
dup_chain (FwrRule *rule)
{
  FwrChain *chain = fwr_rule_get_chain (rule);
  FwrAction policy = fwr_chain_get_policy (chain);
  if (fwr_chain_get_hook (chain) == FWR_HOOK_NONE)
    return g_strdup (fwr_chain_get_name (chain));
  return g_strdup_printf ("%s · policy %s", fwr_chain_get_name (chain),
                          fwr_action_to_string (policy));
}

/* -1 when the rule has no finding, else its worst severity: for sorting. */
static int
get_severity (FwrRuleItem *self)
{
  GPtrArray *findings = fwr_rule_item_get_findings (self);
  int worst = -1;
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    worst = MAX (worst, (int) fwr_finding_get_severity (g_ptr_array_index (findings, i)));
  return worst;
}

static char *
dup_findings_markup (FwrRuleItem *self)
{
  GPtrArray *findings = fwr_rule_item_get_findings (self);
  GString *out = g_string_new (NULL);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const FwrFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *badge = fwr_severity_dup_badge_markup (fwr_finding_get_severity (finding),
                                                              fwr_finding_get_check (finding));
      g_string_append_printf (out, "%s%s", i ? " " : "", badge);
    }
  return g_string_free (out, FALSE);
}

static char *
dup_hits_text (FwrRule *rule)
{
  guint64 packets = 0;
  if (!fwr_rule_get_counter (rule, &packets, NULL))
    return g_strdup ("—");
  return g_strdup_printf ("%" G_GUINT64_FORMAT, packets);
}

static void
fwr_rule_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FwrRuleItem *self = FWR_RULE_ITEM (object);
  FwrRule *rule = fwr_rule_item_get_rule (self);
  guint64 packets = 0;

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, fwr_rule_get_id (rule));
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->row + 1);
      break;
    case PROP_CHAIN:
      g_value_take_string (value, dup_chain (rule));
      break;
    case PROP_SOURCE:
      g_value_set_string (value, get_source (self));
      break;
    case PROP_DESTINATION:
      g_value_set_string (value, get_destination (self));
      break;
    case PROP_SERVICE:
      g_value_set_string (value, get_service (self));
      break;
    case PROP_ACTION:
      g_value_take_string (value, fwr_rule_dup_action_text (rule));
      break;
    case PROP_HITS:
      g_value_set_int64 (value, fwr_rule_get_counter (rule, &packets, NULL) ? (gint64) packets : -1);
      break;
    case PROP_HITS_TEXT:
      g_value_take_string (value, dup_hits_text (rule));
      break;
    case PROP_FINDINGS_MARKUP:
      g_value_take_string (value, dup_findings_markup (self));
      break;
    case PROP_SEVERITY:
      g_value_set_int (value, get_severity (self));
      break;
    case PROP_COMMENT:
      g_value_set_string (value, fwr_rule_get_comment (rule) ? fwr_rule_get_comment (rule) : "");
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, fwr_rule_get_enabled (rule));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fwr_rule_item_finalize (GObject *object)
{
  FwrRuleItem *self = FWR_RULE_ITEM (object);
  g_free (self->source);
  g_free (self->destination);
  g_free (self->service);
  fwr_report_index_unref (self->index);
  G_OBJECT_CLASS (fwr_rule_item_parent_class)->finalize (object);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
fwr_rule_item_class_init (FwrRuleItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = fwr_rule_item_get_property;
  object_class->finalize = fwr_rule_item_finalize;

  properties[PROP_ID] = string_property ("id");
  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHAIN] = string_property ("chain");
  properties[PROP_SOURCE] = string_property ("source");
  properties[PROP_DESTINATION] = string_property ("destination");
  properties[PROP_SERVICE] = string_property ("service");
  properties[PROP_ACTION] = string_property ("action");
  properties[PROP_HITS] = g_param_spec_int64 ("hits", NULL, NULL, -1, G_MAXINT64, -1,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HITS_TEXT] = string_property ("hits-text");
  properties[PROP_FINDINGS_MARKUP] = string_property ("findings-markup");
  properties[PROP_SEVERITY] = g_param_spec_int ("severity", NULL, NULL, -1, FWR_SEVERITY_CRITICAL, -1,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMMENT] = string_property ("comment");
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fwr_rule_item_init (FwrRuleItem *self)
{
}
