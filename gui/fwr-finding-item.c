/* fwr-finding-item.c: the findings tree's rows. The report comes ordered by severity then
 * check, so a group is a run of equal (severity, check) findings. */
#include "fwr-finding-item.h"
#include "fwr-rule-item.h"

struct _FwrFindingItem {
  GObject parent_instance;
  char *title;         /* markup */
  char *subtitle;
  char *check;
  char *rule_id;       /* (nullable) */
  GListStore *children;
  guint count;
  FwrSeverity severity;
};

G_DEFINE_FINAL_TYPE (FwrFindingItem, fwr_finding_item, G_TYPE_OBJECT)

enum { PROP_0, PROP_TITLE, PROP_SUBTITLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static FwrFindingItem *
leaf_new (const FwrFinding *finding)
{
  FwrFindingItem *self = g_object_new (FWR_TYPE_FINDING_ITEM, NULL);
  FwrRule *rule = fwr_finding_get_rule (finding);
  self->check = g_strdup (fwr_finding_get_check (finding));
  self->rule_id = rule ? g_strdup (fwr_rule_get_id (rule)) : NULL;
  self->title = g_markup_printf_escaped ("<b>%s</b>  %s", fwr_finding_get_subject_id (finding),
                                         fwr_finding_get_message (finding));
  if (rule != NULL && fwr_rule_get_comment (rule) != NULL)
    self->subtitle = g_strdup_printf ("“%s”", fwr_rule_get_comment (rule));
  if (rule != NULL && fwr_rule_get_line (rule) != 0)
    {
      g_autofree char *old = g_steal_pointer (&self->subtitle);
      self->subtitle = g_strdup_printf ("%s%sline %u", old ? old : "", old ? " · " : "",
                                        fwr_rule_get_line (rule));
    }
  if (self->subtitle == NULL)
    self->subtitle = g_strdup (rule ? "activate to see the rule" : "");
  return self;
}

static FwrFindingItem *
group_new (FwrSeverity severity, const char *check)
{
  FwrFindingItem *self = g_object_new (FWR_TYPE_FINDING_ITEM, NULL);
  self->check = g_strdup (check);
  self->children = g_list_store_new (FWR_TYPE_FINDING_ITEM);
  const FwrCheckInfo *info = fwr_report_index_lookup_check (check);
  self->subtitle = g_strdup (info ? info->summary : "");
  self->severity = severity;
  return self;
}

static void
group_finish (FwrFindingItem *self)
{
  g_autofree char *badge = fwr_severity_dup_badge_markup (self->severity,
                                                         fwr_severity_to_string (self->severity));
  g_autofree char *check = g_markup_escape_text (self->check, -1);
  self->count = g_list_model_get_n_items (G_LIST_MODEL (self->children));
  self->title = g_strdup_printf ("%s  <b>%s</b>  <span alpha=\"60%%\">%u finding%s</span>", badge,
                                 check, self->count, self->count == 1 ? "" : "s");
}

GListStore *
fwr_finding_item_new_groups (FwrReportIndex *index)
{
  GListStore *groups = g_list_store_new (FWR_TYPE_FINDING_ITEM);
  FwrFindingItem *group = NULL;
  for (guint i = 0; index != NULL && i < fwr_report_get_n_findings (index->report); i++)
    {
      const FwrFinding *finding = fwr_report_get_finding (index->report, i);
      FwrSeverity severity = fwr_finding_get_severity (finding);
      if (group == NULL || !g_str_equal (group->check, fwr_finding_get_check (finding)) ||
          group->severity != severity)
        {
          if (group != NULL)
            group_finish (group);
          group = group_new (severity, fwr_finding_get_check (finding));
          g_list_store_append (groups, group);
          g_object_unref (group);
        }
      g_autoptr (FwrFindingItem) leaf = leaf_new (finding);
      g_list_store_append (group->children, leaf);
    }
  if (group != NULL)
    group_finish (group);
  return groups;
}

GListModel *
fwr_finding_item_get_children (FwrFindingItem *self)
{
  return self->children ? G_LIST_MODEL (self->children) : NULL;
}

const char *
fwr_finding_item_get_rule_id (FwrFindingItem *self)
{
  return self->rule_id;
}

const char *
fwr_finding_item_get_check (FwrFindingItem *self)
{
  return self->check;
}

guint
fwr_finding_item_get_count (FwrFindingItem *self)
{
  return self->count;
}

static void
fwr_finding_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FwrFindingItem *self = FWR_FINDING_ITEM (object);
  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fwr_finding_item_finalize (GObject *object)
{
  FwrFindingItem *self = FWR_FINDING_ITEM (object);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->check);
  g_free (self->rule_id);
  g_clear_object (&self->children);
  G_OBJECT_CLASS (fwr_finding_item_parent_class)->finalize (object);
}

static void
fwr_finding_item_class_init (FwrFindingItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = fwr_finding_item_get_property;
  object_class->finalize = fwr_finding_item_finalize;
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fwr_finding_item_init (FwrFindingItem *self)
{
}
