/* fwr-zones.h: the zones file, mapping interfaces and networks to zones, each zone with the
 * class the inspection checklist separates (internet, dmz, operating, testing, ...). */
#pragma once

#include "fwr-macros.h"
#include "fwr-addrset.h"

G_BEGIN_DECLS

#define FWR_ZONES_ERROR (fwr_zones_error_quark ())
typedef enum {
  FWR_ZONES_ERROR_IO,
  FWR_ZONES_ERROR_INVALID,
} FwrZonesError;
FWR_PUBLIC GQuark fwr_zones_error_quark (void);

typedef enum {
  FWR_ZONE_CLASS_INTERNET,
  FWR_ZONE_CLASS_DMZ,
  FWR_ZONE_CLASS_OPERATING,
  FWR_ZONE_CLASS_TESTING,
  FWR_ZONE_CLASS_MANAGEMENT,
  FWR_ZONE_CLASS_OTHER,
} FwrZoneClass;

typedef struct _FwrZoneMap FwrZoneMap;

FWR_PUBLIC FwrZoneMap  *fwr_zone_map_new              (void);
/* The JSON shape {"zones": [{"name", "class", "interfaces": [...], "networks": [...]}]}. */
FWR_PUBLIC FwrZoneMap  *fwr_zone_map_new_from_file    (const char *path, GError **error);
FWR_PUBLIC FwrZoneMap  *fwr_zone_map_new_from_data    (const char *name, const char *data,
                                                       gsize length, GError **error);
FWR_PUBLIC FwrZoneMap  *fwr_zone_map_ref              (FwrZoneMap *self);
FWR_PUBLIC void         fwr_zone_map_unref            (FwrZoneMap *self);

FWR_PUBLIC guint        fwr_zone_map_get_n_zones      (const FwrZoneMap *self);
FWR_PUBLIC const char  *fwr_zone_map_get_name         (const FwrZoneMap *self, guint index);
FWR_PUBLIC FwrZoneClass fwr_zone_map_get_class        (const FwrZoneMap *self, guint index);
/* (nullable) Interface patterns of zone index, NULL-terminated. */
FWR_PUBLIC const char * const *fwr_zone_map_get_interfaces (const FwrZoneMap *self, guint index);
/* (nullable) Networks of zone index. */
FWR_PUBLIC const FwrAddrSet *fwr_zone_map_get_networks (const FwrZoneMap *self, guint index);
/* Index of the zone whose interface pattern matches name (first zone wins), or -1. */
FWR_PUBLIC int          fwr_zone_map_lookup_interface (const FwrZoneMap *self, const char *name);
/* Index of a zone by name, or -1. */
FWR_PUBLIC int          fwr_zone_map_lookup_name      (const FwrZoneMap *self, const char *name);

FWR_PUBLIC const char  *fwr_zone_class_to_string      (FwrZoneClass klass);
FWR_PUBLIC gboolean     fwr_zone_class_from_string    (const char *text, FwrZoneClass *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrZoneMap, fwr_zone_map_unref)

G_END_DECLS
