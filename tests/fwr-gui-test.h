/* fwr-gui-test.h: what the GUI tests and the screenshot tool share: a store built with the
 * library (edge with an approved baseline and a pending change), the app and its window, a
 * main loop that runs until the window's workers are done, and a PNG of a window. */
#pragma once

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <fwreview.h>

#include "fwr-application.h"
#include "fwr-app-window.h"

typedef struct {
  char *dir;
  char *store_path;
  char *alice_key;    /* admin: imported, submitted change 2 */
  char *bob_key;      /* supervisor: approved the baseline, submitted change 3 */
  char *dave_key;     /* supervisor: has decided nothing */
  gint64 pending_change;       /* alice's, bob or dave may approve it */
  gint64 bob_change;           /* bob's own, only dave may approve it */
} FwrGuiStore;

static inline char *
fwr_gui_test_sample (const char *name)
{
  return g_build_filename (g_getenv ("FWR_SAMPLES_DIR"), name, NULL);
}

static inline char *
fwr_gui_test_save_key (FwrGuiStore *store, FwrIdentity *identity, const char *name)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (store->dir, name, NULL);
  g_assert_true (fwr_identity_save (identity, path, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static inline gint64
fwr_gui_test_submit (FwrStore *store, FwrIdentity *who, const char *sample, const char *reason)
{
  g_autofree char *path = fwr_gui_test_sample (sample);
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  gint64 id = 0;
  g_assert_true (fwr_store_submit_change (store, who, "edge", sample, data, length, reason,
                                          "CHG-7", &id, &error));
  g_assert_no_error (error);
  return id;
}

static inline void
fwr_gui_store_init (FwrGuiStore *fixture)
{
  g_autoptr (GError) error = NULL;
  fixture->dir = g_dir_make_tmp ("fwr-gui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->dir, "store.db", NULL);
  g_autoptr (FwrIdentity) alice = fwr_identity_generate ();
  g_autoptr (FwrIdentity) bob = fwr_identity_generate ();
  g_autoptr (FwrIdentity) dave = fwr_identity_generate ();
  fixture->alice_key = fwr_gui_test_save_key (fixture, alice, "alice.key");
  fixture->bob_key = fwr_gui_test_save_key (fixture, bob, "bob.key");
  fixture->dave_key = fwr_gui_test_save_key (fixture, dave, "dave.key");

  g_autoptr (FwrStore) store = fwr_store_create (fixture->store_path, alice, "alice", &error);
  g_assert_no_error (error);
  g_assert_true (fwr_store_add_user (store, alice, "bob", FWR_ROLE_SUPERVISOR,
                                     fwr_identity_get_public_key (bob), NULL, &error));
  g_assert_true (fwr_store_add_user (store, alice, "dave", FWR_ROLE_SUPERVISOR,
                                     fwr_identity_get_public_key (dave), NULL, &error));
  g_autofree char *zones_path = fwr_gui_test_sample ("edge-zones.json");
  g_autofree char *zones = NULL;
  g_assert_true (g_file_get_contents (zones_path, &zones, NULL, &error));
  g_assert_true (fwr_store_add_device (store, alice, "edge", "alice", "nftables", zones, NULL, &error));
  g_autofree char *edge_path = fwr_gui_test_sample ("edge.json");
  g_autofree char *edge = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (edge_path, &edge, &length, &error));
  gint64 baseline = 0;
  g_assert_true (fwr_store_import (store, alice, "edge", "edge.json", edge, length, NULL, &baseline, &error));
  g_assert_true (fwr_store_approve_change (store, bob, baseline, "baseline as found", &error));
  g_assert_no_error (error);
  fixture->pending_change = fwr_gui_test_submit (store, alice, "edge-proposed.json",
                                                 "database replica for the partner");
  fixture->bob_change = fwr_gui_test_submit (store, bob, "edge-proposed.json", "the same, by bob");
}

static inline void
fwr_gui_rm_rf (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        fwr_gui_rm_rf (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static inline void
fwr_gui_store_clear (FwrGuiStore *fixture)
{
  fwr_gui_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->store_path);
  g_free (fixture->alice_key);
  g_free (fixture->bob_key);
  g_free (fixture->dave_key);
}

/* The app, registered once per test program (so its startup ran: one D-Bus object path). */
static inline FwrApplication *
fwr_gui_test_app (void)
{
  static FwrApplication *app;
  if (app == NULL)
    {
      g_autoptr (GError) error = NULL;
      app = fwr_application_new ();
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  return app;
}

/* A new window of the app, shown. */
static inline FwrAppWindow *
fwr_gui_test_window_new (void)
{
  FwrAppWindow *window = fwr_app_window_new (GTK_APPLICATION (fwr_gui_test_app ()));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static inline gboolean
fwr_gui_test_timed_out (gpointer data)
{
  g_error ("the window stayed busy for %s seconds", (const char *) data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until done (data) holds; fails the test after 60 s. */
static inline void
fwr_gui_test_wait_for (gboolean (*done) (gpointer data), gpointer data)
{
  guint timeout = g_timeout_add_seconds (60, fwr_gui_test_timed_out, (gpointer) "60");
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static inline gboolean
fwr_gui_test_window_idle (gpointer data)
{
  /* Drain what is ready first: a finished job's callback may start the next one. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return !fwr_app_window_is_busy (FWR_APP_WINDOW (data));
}

static inline void
fwr_gui_test_wait_idle (FwrAppWindow *window)
{
  fwr_gui_test_wait_for (fwr_gui_test_window_idle, window);
}

static inline void
fwr_gui_test_activate (FwrAppWindow *window, const char *action, const char *format, ...)
{
  GVariant *parameter = NULL;
  if (format != NULL)
    {
      va_list args;
      va_start (args, format);
      parameter = g_variant_new_va (format, NULL, &args);
      va_end (args);
    }
  /* The call does not sink a floating parameter: the caller owns it. */
  if (parameter != NULL)
    g_variant_ref_sink (parameter);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, parameter));
  g_clear_pointer (&parameter, g_variant_unref);
  fwr_gui_test_wait_idle (window);
}

/* Renders widget as it is on screen into a PNG. */
static inline void
fwr_gui_test_save_png (GtkWidget *widget, const char *path)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GdkTexture) texture = gsk_renderer_render_texture (renderer, node,
                                                                &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
