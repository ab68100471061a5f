/* main.c: starts the fwreview desktop app. Everything else lives in the libfwreview-gui
 * archive, so tests can create the same windows without this entry point. */
#include "fwr-app-window.h"

static void
on_activate (GtkApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (application);
  if (window == NULL)
    window = GTK_WINDOW (fwr_app_window_new (application));
  gtk_window_present (window);
}

int
main (int argc, char **argv)
{
  g_autoptr (GtkApplication) application =
    gtk_application_new ("org.fwreview.Fwreview", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
