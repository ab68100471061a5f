/* fwr-device-row.h: a sidebar row: one device (or an opened file) and its status at a
 * glance: open findings by severity, pending changes, reviews and the last drift check. */
#pragma once

#include <gtk/gtk.h>
#include "fwr-app-jobs.h"

G_BEGIN_DECLS

#define FWR_TYPE_DEVICE_ROW (fwr_device_row_get_type ())
G_DECLARE_FINAL_TYPE (FwrDeviceRow, fwr_device_row, FWR, DEVICE_ROW, GtkListBoxRow)

/* A device of the store; takes status. */
FwrDeviceRow *fwr_device_row_new_for_device (FwrDeviceStatus *status);
/* A configuration file opened without a store. */
FwrDeviceRow *fwr_device_row_new_for_file   (const char *path);
/* (nullable) The device's name, NULL for a file. */
const char   *fwr_device_row_get_name       (FwrDeviceRow *self);
gint64        fwr_device_row_get_device_id  (FwrDeviceRow *self);
/* (nullable) The file's path, NULL for a device. */
const char   *fwr_device_row_get_path       (FwrDeviceRow *self);
/* Adds review due dates: a line per scope, overdue ones flagged. */
void          fwr_device_row_set_review_text (FwrDeviceRow *self, const char *markup);
/* Once its configuration is analyzed, a file shows its counts too. */
void          fwr_device_row_set_findings   (FwrDeviceRow *self, FwrReport *report);

G_END_DECLS
