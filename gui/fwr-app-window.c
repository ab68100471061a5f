/* fwr-app-window.c: the main window of the fwreview desktop app. For now only its frame;
 * the views of rulesets, findings and changes come with the GUI issue. */
#include "fwr-app-window.h"

struct _FwrAppWindow {
  GtkApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (FwrAppWindow, fwr_app_window, GTK_TYPE_APPLICATION_WINDOW)

static void
fwr_app_window_class_init (FwrAppWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/fwreview/Fwreview/fwr-app-window.ui");
}

static void
fwr_app_window_init (FwrAppWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

FwrAppWindow *
fwr_app_window_new (GtkApplication *application)
{
  return g_object_new (FWR_TYPE_APP_WINDOW, "application", application, NULL);
}
