/* fwr-gui-helpers.c: small pieces the app's windows, dialogs and pages share: choosing a path,
 * a progress bar that pulses while a worker runs, wrapped labels, disposing page templates. */
#include "fwr-gui-helpers.h"

/* Choosing a path */

static void
on_path_chosen (GtkNativeDialog *chooser, int response, gpointer owner)
{
  FwrPathChosen chosen = (FwrPathChosen) g_object_get_data (G_OBJECT (chooser), "chosen");
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path != NULL)
        chosen (owner, path);
    }
  g_object_unref (chooser);
  g_object_unref (owner);
}

static void
add_filter (GtkFileChooser *chooser, const char *pattern, const char *name)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
fwr_choose_path (GtkWindow *parent, const char *title, GtkFileChooserAction action,
                 const char *accept_label, const char *pattern, const char *pattern_name,
                 FwrPathChosen chosen, gpointer owner)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, parent, action, accept_label,
                                                               "_Cancel");
  if (pattern != NULL)
    {
      add_filter (GTK_FILE_CHOOSER (chooser), pattern, pattern_name);
      add_filter (GTK_FILE_CHOOSER (chooser), "*", "All files");
    }
  g_object_set_data (G_OBJECT (chooser), "chosen", (gpointer) chosen);
  g_signal_connect (chooser, "response", G_CALLBACK (on_path_chosen), g_object_ref (owner));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Work in progress */

static gboolean
pulse (gpointer bar)
{
  gtk_progress_bar_pulse (bar);
  return G_SOURCE_CONTINUE;
}

void
fwr_progress_bar_set_pulsing (GtkProgressBar *bar, gboolean pulsing, guint *source)
{
  gtk_widget_set_visible (GTK_WIDGET (bar), pulsing);
  if (pulsing && *source == 0)
    *source = g_timeout_add (120, pulse, bar);
  else if (!pulsing)
    g_clear_handle_id (source, g_source_remove);
}

/* Labels and pages */

GtkWidget *
fwr_wrapped_label_new (const char *text, const char *css_class, gboolean markup,
                       gboolean selectable)
{
  GtkWidget *label = gtk_label_new (NULL);
  if (markup)
    gtk_label_set_markup (GTK_LABEL (label), text);
  else
    gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), selectable);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

void
fwr_page_dispose_template (GtkWidget *page, GType type)
{
  gtk_widget_dispose_template (page, type);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (page)) != NULL)
    gtk_widget_unparent (child);
}
