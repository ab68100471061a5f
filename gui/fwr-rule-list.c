/* fwr-rule-list.c: a lazy list model over an analysis's rules. A row object is made the first
 * time a view asks for it and then kept, so the same position is always the same object (list
 * widgets and selections compare items by identity). */
#include "fwr-rule-list.h"
#include "fwr-rule-item.h"

struct _FwrRuleList {
  GObject parent_instance;
  FwrReportIndex *index;
  GPtrArray *items;     /* (element-type FwrRuleItem) (nullable elements) by row */
};

static void fwr_rule_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FwrRuleList, fwr_rule_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fwr_rule_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return FWR_TYPE_RULE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  FwrRuleList *self = FWR_RULE_LIST (model);
  return self->index ? self->index->rules->len : 0;
}

static gpointer
get_item (GListModel *model, guint position)
{
  FwrRuleList *self = FWR_RULE_LIST (model);
  if (self->index == NULL || position >= self->index->rules->len)
    return NULL;
  if (g_ptr_array_index (self->items, position) == NULL)
    g_ptr_array_index (self->items, position) = fwr_rule_item_new (self->index, position);
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
fwr_rule_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
fwr_rule_list_finalize (GObject *object)
{
  FwrRuleList *self = FWR_RULE_LIST (object);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->index, fwr_report_index_unref);
  G_OBJECT_CLASS (fwr_rule_list_parent_class)->finalize (object);
}

static void
fwr_rule_list_class_init (FwrRuleListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fwr_rule_list_finalize;
}

static void
fwr_rule_list_init (FwrRuleList *self)
{
}

FwrRuleList *
fwr_rule_list_new (FwrReportIndex *index)
{
  FwrRuleList *self = g_object_new (FWR_TYPE_RULE_LIST, NULL);
  self->index = index ? fwr_report_index_ref (index) : NULL;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_set_size (self->items, index ? index->rules->len : 0);
  return self;
}

FwrReportIndex *
fwr_rule_list_get_index (FwrRuleList *self)
{
  return self->index;
}
