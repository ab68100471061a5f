/* fwr-zones.c: reading the zones file and answering which zone an interface or network is in.
 * Shape: {"zones": [{"name", "class", "interfaces": [...], "networks": [...]}]}. */
#include "fwr-ruleset-private.h"
#include "fwr-enum-private.h"
#include "fwr-jansson-private.h"

G_DEFINE_QUARK (fwr-zones-error-quark, fwr_zones_error)

typedef struct {
  char *name;
  FwrZoneClass klass;
  GStrv interfaces;
  FwrAddrSet *networks;
} FwrZone;

struct _FwrZoneMap {
  gatomicrefcount ref_count;
  GArray *zones; /* (element-type FwrZone) */
};

static const char *class_names[] = { "internet", "dmz", "operating", "testing", "management", "other" };

const char *
fwr_zone_class_to_string (FwrZoneClass klass)
{
  return klass < G_N_ELEMENTS (class_names) ? class_names[klass] : "other";
}

gboolean
fwr_zone_class_from_string (const char *text, FwrZoneClass *out)
{
  guint value;
  if (!_fwr_enum_from_name (class_names, G_N_ELEMENTS (class_names), text, &value))
    return FALSE;
  *out = (FwrZoneClass) value;
  return TRUE;
}

static void
zone_clear (FwrZone *zone)
{
  g_free (zone->name);
  g_strfreev (zone->interfaces);
  fwr_addr_set_free (zone->networks);
}

FwrZoneMap *
fwr_zone_map_new (void)
{
  FwrZoneMap *self = g_new0 (FwrZoneMap, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->zones = g_array_new (FALSE, TRUE, sizeof (FwrZone));
  g_array_set_clear_func (self->zones, (GDestroyNotify) zone_clear);
  return self;
}

FwrZoneMap *
fwr_zone_map_ref (FwrZoneMap *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
fwr_zone_map_unref (FwrZoneMap *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_array_unref (self->zones);
  g_free (self);
}

static gboolean
read_string_list (json_t *array, const char *what, const char *name, const char *zone,
                  GStrv *out, GError **error)
{
  if (array == NULL)
    return TRUE;
  if (!json_is_array (array))
    {
      g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID,
                   "%s: zone “%s”: “%s” must be a list of strings", name, zone, what);
      return FALSE;
    }
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  size_t i;
  json_t *item;
  json_array_foreach (array, i, item)
    {
      if (!json_is_string (item) || json_string_length (item) == 0)
        {
          g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID,
                       "%s: zone “%s”: item %zu of “%s” must be a non-empty string",
                       name, zone, i + 1, what);
          return FALSE;
        }
      g_strv_builder_add (builder, json_string_value (item));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_zone (FwrZoneMap *self, json_t *object, size_t index, const char *name, GError **error)
{
  FwrZone zone = { 0 };
  const char *zone_name = json_string_value (json_object_get (object, "name"));
  const char *class_name = json_string_value (json_object_get (object, "class"));
  g_auto (GStrv) networks = NULL;

  if (!json_is_object (object) || zone_name == NULL || *zone_name == '\0')
    {
      g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID,
                   "%s: zone %zu must be an object with a “name” string", name, index + 1);
      return FALSE;
    }
  if (class_name == NULL || !fwr_zone_class_from_string (class_name, &zone.klass))
    {
      g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID,
                   "%s: zone “%s”: “class” must be one of internet, dmz, operating, testing, "
                   "management, other", name, zone_name);
      return FALSE;
    }
  if (fwr_zone_map_lookup_name (self, zone_name) >= 0)
    {
      g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID,
                   "%s: zone “%s” is defined twice", name, zone_name);
      return FALSE;
    }

  if (!read_string_list (json_object_get (object, "interfaces"), "interfaces", name, zone_name,
                         &zone.interfaces, error) ||
      !read_string_list (json_object_get (object, "networks"), "networks", name, zone_name,
                         &networks, error))
    {
      zone_clear (&zone);
      return FALSE;
    }

  if (networks != NULL)
    {
      zone.networks = fwr_addr_set_new ();
      for (guint i = 0; networks[i] != NULL; i++)
        {
          g_autoptr (GError) local_error = NULL;
          if (!fwr_addr_set_add_string (zone.networks, networks[i], &local_error))
            {
              g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID,
                           "%s: zone “%s”: %s", name, zone_name, local_error->message);
              zone_clear (&zone);
              return FALSE;
            }
        }
    }

  zone.name = g_strdup (zone_name);
  g_array_append_val (self->zones, zone);
  return TRUE;
}

FwrZoneMap *
fwr_zone_map_new_from_data (const char *name, const char *data, gsize length, GError **error)
{
  json_error_t json_error;
  g_autoptr (json_t) root = json_loadb (data, length, JSON_REJECT_DUPLICATES, &json_error);
  if (root == NULL)
    {
      g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID, "%s:%d:%d: %s",
                   name, json_error.line, json_error.column, json_error.text);
      return NULL;
    }
  json_t *zones = json_object_get (root, "zones");
  if (!json_is_array (zones))
    {
      g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_INVALID,
                   "%s: expected an object with a “zones” list", name);
      return NULL;
    }

  g_autoptr (FwrZoneMap) self = fwr_zone_map_new ();
  size_t i;
  json_t *zone;
  json_array_foreach (zones, i, zone)
    if (!read_zone (self, zone, i, name, error))
      return NULL;
  return g_steal_pointer (&self);
}

FwrZoneMap *
fwr_zone_map_new_from_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  g_autoptr (GError) local_error = NULL;
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, FWR_ZONES_ERROR, FWR_ZONES_ERROR_IO, "%s: cannot read the zones file: %s",
                   path, local_error->message);
      return NULL;
    }
  return fwr_zone_map_new_from_data (path, data, length, error);
}

guint fwr_zone_map_get_n_zones (const FwrZoneMap *self) { return self->zones->len; }

const char *
fwr_zone_map_get_name (const FwrZoneMap *self, guint index)
{
  return g_array_index (self->zones, FwrZone, index).name;
}

FwrZoneClass
fwr_zone_map_get_class (const FwrZoneMap *self, guint index)
{
  return g_array_index (self->zones, FwrZone, index).klass;
}

const char * const *
fwr_zone_map_get_interfaces (const FwrZoneMap *self, guint index)
{
  return (const char * const *) g_array_index (self->zones, FwrZone, index).interfaces;
}

const FwrAddrSet *
fwr_zone_map_get_networks (const FwrZoneMap *self, guint index)
{
  return g_array_index (self->zones, FwrZone, index).networks;
}

int
fwr_zone_map_lookup_interface (const FwrZoneMap *self, const char *name)
{
  for (guint i = 0; i < self->zones->len; i++)
    {
      FwrZone *zone = &g_array_index (self->zones, FwrZone, i);
      FwrNameMatch names = { zone->interfaces, FALSE };
      if (zone->interfaces != NULL && _fwr_name_match_matches (&names, name))
        return (int) i;
    }
  return -1;
}

int
fwr_zone_map_lookup_name (const FwrZoneMap *self, const char *name)
{
  for (guint i = 0; i < self->zones->len; i++)
    if (g_strcmp0 (g_array_index (self->zones, FwrZone, i).name, name) == 0)
      return (int) i;
  return -1;
}
