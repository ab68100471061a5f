/* fwr-application.c: the application: parses --store and --identity, opens configuration
 * files given as arguments, and owns the about and quit actions. */
#include "fwr-application.h"
#include "fwr-app-window.h"

struct _FwrApplication {
  GtkApplication parent_instance;
  char *store_path;
  char *identity_path;
};

G_DEFINE_FINAL_TYPE (FwrApplication, fwr_application, GTK_TYPE_APPLICATION)

static FwrAppWindow *
ensure_window (FwrApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    return FWR_APP_WINDOW (window);
  FwrAppWindow *created = fwr_app_window_new (GTK_APPLICATION (self));
  if (self->identity_path != NULL)
    fwr_app_window_set_identity (created, self->identity_path);
  return created;
}

static void
fwr_application_activate (GApplication *application)
{
  FwrApplication *self = FWR_APPLICATION (application);
  gboolean fresh = gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL;
  FwrAppWindow *window = ensure_window (self);
  if (fresh)
    {
      g_autofree char *store = self->store_path ? g_strdup (self->store_path) : fwr_store_dup_default_path ();
      if (self->store_path != NULL || g_file_test (store, G_FILE_TEST_EXISTS))
        fwr_app_window_open_store (window, store);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
fwr_application_open (GApplication *application, GFile **files, int n_files, const char *hint)
{
  FwrAppWindow *window = ensure_window (FWR_APPLICATION (application));
  g_autofree char *path = g_file_get_path (files[n_files - 1]);
  if (path != NULL)
    fwr_app_window_open_config (window, path, NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
fwr_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  FwrApplication *self = FWR_APPLICATION (application);
  g_variant_dict_lookup (options, "store", "^ay", &self->store_path);
  g_variant_dict_lookup (options, "identity", "^ay", &self->identity_path);
  return -1;
}

static void
about (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  GtkApplication *application = data;
  const char *authors[] = { "The fwreview developers", NULL };
  gtk_show_about_dialog (gtk_application_get_active_window (application),
                         "program-name", "fwreview",
                         "logo-icon-name", "org.fwreview.Fwreview",
                         "version", PACKAGE_VERSION,
                         "comments", "Firewall rule review and change control for the CC-17010 and "
                                     "CC-17020 inspection checklist",
                         "license-type", GTK_LICENSE_GPL_2_0,
                         "authors", authors,
                         NULL);
}

static void
quit (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  g_application_quit (G_APPLICATION (data));
}

static void
fwr_application_startup (GApplication *application)
{
  G_APPLICATION_CLASS (fwr_application_parent_class)->startup (application);
  static const GActionEntry entries[] = {
    { .name = "about", .activate = about },
    { .name = "quit", .activate = quit },
  };
  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries), application);
  const char *quit_accels[] = { "<Control>q", NULL };
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);

  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/fwreview/Fwreview/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
fwr_application_finalize (GObject *object)
{
  FwrApplication *self = FWR_APPLICATION (object);
  g_free (self->store_path);
  g_free (self->identity_path);
  G_OBJECT_CLASS (fwr_application_parent_class)->finalize (object);
}

static void
fwr_application_class_init (FwrApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = fwr_application_finalize;
  app_class->activate = fwr_application_activate;
  app_class->open = fwr_application_open;
  app_class->startup = fwr_application_startup;
  app_class->handle_local_options = fwr_application_handle_local_options;
}

static void
fwr_application_init (FwrApplication *self)
{
  static const GOptionEntry entries[] = {
    { "store", 's', 0, G_OPTION_ARG_FILENAME, NULL, "The store to open (default: the user's store)", "PATH" },
    { "identity", 'i', 0, G_OPTION_ARG_FILENAME, NULL, "Your signing key (default: the user's key)", "FILE" },
    { NULL }
  };
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), "[CONFIGURATION-FILE]");
}

FwrApplication *
fwr_application_new (void)
{
  return g_object_new (FWR_TYPE_APPLICATION, "application-id", "org.fwreview.Fwreview",
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/fwreview/Fwreview", NULL);
}
