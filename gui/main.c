/* main.c: starts the fwreview desktop app. Everything else lives in the fwreview-gui
 * archive, so tests can create the same application and windows without this entry point. */
#include "fwr-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (FwrApplication) application = fwr_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
