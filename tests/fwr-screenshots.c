/* fwr-screenshots.c: renders each page of the app, from a real window on a demo store, into
 * PNG files for the README (tools/screenshots runs it under Xvfb). Not a test: it checks only
 * that every page could be drawn. */
#include "fwr-gui-test.h"
#include "fwr-import-dialog.h"
#include "fwr-export-dialog.h"
#include "fwr-reviews-page.h"

static void
save (GtkWidget *widget, const char *folder, const char *name)
{
  /* Let the frame clock lay out and draw what the last action changed. */
  for (int i = 0; i < 30; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  g_autofree char *path = g_build_filename (folder, name, NULL);
  fwr_gui_test_save_png (widget, path);
  g_print ("wrote %s\n", path);
}

int
main (int argc, char **argv)
{
  gtk_init ();
  if (argc != 3)
    {
      g_printerr ("usage: fwr-screenshots DEMO-DIR OUTPUT-DIR\n");
      return 2;
    }
  g_autofree char *store = g_build_filename (argv[1], "store.db", NULL);
  g_autofree char *key = g_build_filename (argv[1], "dave.key", NULL);
  const char *out = argv[2];
  g_mkdir_with_parents (out, 0755);

  FwrAppWindow *window = fwr_gui_test_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  fwr_gui_test_activate (window, "win.set-identity-file", "s", key);
  fwr_gui_test_activate (window, "win.open-store-file", "s", store);
  fwr_gui_test_activate (window, "win.jump-to-rule", "s", "inet/edge/forward/31");
  save (GTK_WIDGET (window), out, "rules.png");

  fwr_gui_test_activate (window, "win.show-page", "s", "findings");
  save (GTK_WIDGET (window), out, "findings.png");

  fwr_gui_test_activate (window, "win.open-change", "x", (gint64) 3);
  save (GTK_WIDGET (window), out, "changes.png");

  fwr_gui_test_activate (window, "win.show-page", "s", "reviews");
  FwrReviewsPage *reviews = FWR_REVIEWS_PAGE (fwr_app_window_get_page (window, "reviews"));
  fwr_reviews_page_select_review (reviews, 1);
  save (GTK_WIDGET (window), out, "reviews.png");

  fwr_gui_test_activate (window, "win.show-page", "s", "audit");
  save (GTK_WIDGET (window), out, "audit.png");

  FwrImportDialog *dialog = fwr_import_dialog_new (window);
  gtk_window_present (GTK_WINDOW (dialog));
  g_autofree char *sample = fwr_gui_test_sample ("edge-proposed.json");
  fwr_import_dialog_set_file (dialog, sample);
  save (GTK_WIDGET (dialog), out, "import.png");
  gtk_window_destroy (GTK_WINDOW (dialog));

  FwrExportDialog *export = fwr_export_dialog_new (window);
  gtk_window_present (GTK_WINDOW (export));
  fwr_export_dialog_set_folder (export, "/home/inspector/Documents");
  save (GTK_WIDGET (export), out, "export.png");
  gtk_window_destroy (GTK_WINDOW (export));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
