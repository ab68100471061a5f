/* fwr-audit-item.c: an audit record as a row. Its signature is checked here, with the
 * library's own canonical text and verifier, so each row says whether it is authentic. */
#include "fwr-audit-item.h"

struct _FwrAuditItem {
  GObject parent_instance;
  FwrAuditRecord *record;
  gboolean valid;
  gint64 first_broken;
};

G_DEFINE_FINAL_TYPE (FwrAuditItem, fwr_audit_item, G_TYPE_OBJECT)

enum { PROP_0, PROP_SEQ, PROP_TIME, PROP_ACTOR, PROP_ACTION, PROP_SUBJECT, PROP_DETAILS,
       PROP_SIGNATURE, N_PROPS };
static GParamSpec *properties[N_PROPS];

FwrAuditItem *
fwr_audit_item_new (FwrAuditRecord *record, gint64 first_broken)
{
  FwrAuditItem *self = g_object_new (FWR_TYPE_AUDIT_ITEM, NULL);
  self->record = record;
  self->first_broken = first_broken;
  gsize length = 0;
  g_autofree char *text = fwr_audit_record_dup_signed_text (record, &length);
  self->valid = fwr_signature_verify (record->actor_key, text, length, record->signature);
  return self;
}

gboolean
fwr_audit_item_get_signature_valid (FwrAuditItem *self)
{
  return self->valid;
}

static char *
dup_signature_text (FwrAuditItem *self)
{
  if (!self->valid)
    return g_strdup ("✗ invalid signature");
  if (self->first_broken != 0 && self->record->seq == self->first_broken)
    return g_strdup ("✗ chain broken here");
  if (self->first_broken != 0 && self->record->seq > self->first_broken)
    return g_strdup ("! after the break");
  return g_strdup ("✓ valid");
}

static void
fwr_audit_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FwrAuditItem *self = FWR_AUDIT_ITEM (object);
  FwrAuditRecord *record = self->record;
  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_int64 (value, record->seq);
      break;
    case PROP_TIME:
      g_value_set_string (value, record->time);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, record->actor);
      break;
    case PROP_ACTION:
      g_value_set_string (value, record->action);
      break;
    case PROP_SUBJECT:
      g_value_take_string (value, record->subject_type
                                  ? g_strdup_printf ("%s %" G_GINT64_FORMAT, record->subject_type, record->subject_id)
                                  : g_strdup ("—"));
      break;
    case PROP_DETAILS:
      g_value_set_string (value, record->details);
      break;
    case PROP_SIGNATURE:
      g_value_take_string (value, dup_signature_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fwr_audit_item_finalize (GObject *object)
{
  FwrAuditItem *self = FWR_AUDIT_ITEM (object);
  g_clear_pointer (&self->record, fwr_audit_record_free);
  G_OBJECT_CLASS (fwr_audit_item_parent_class)->finalize (object);
}

static void
fwr_audit_item_class_init (FwrAuditItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = fwr_audit_item_get_property;
  object_class->finalize = fwr_audit_item_finalize;
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  properties[PROP_SEQ] = g_param_spec_int64 ("seq", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TIME] = g_param_spec_string ("time", NULL, NULL, NULL, flags);
  properties[PROP_ACTOR] = g_param_spec_string ("actor", NULL, NULL, NULL, flags);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, flags);
  properties[PROP_SIGNATURE] = g_param_spec_string ("signature", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fwr_audit_item_init (FwrAuditItem *self)
{
}
