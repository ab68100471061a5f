/* fwr-gui-helpers.h: small pieces the app's windows, dialogs and pages share: choosing a path,
 * a progress bar that pulses while a worker runs, wrapped labels, disposing page templates. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gets the path the user chose, and the owner given to fwr_choose_path. */
typedef void (*FwrPathChosen) (gpointer owner, const char *path);

/* Asks for a path with the platform's chooser, transient for parent. pattern (nullable) with
 * its pattern_name offers a filter, and "All files" beside it. Calls chosen only when the user
 * accepts a local path; owner (a GObject) is kept alive until then. */
void       fwr_choose_path               (GtkWindow *parent, const char *title,
                                          GtkFileChooserAction action, const char *accept_label,
                                          const char *pattern, const char *pattern_name,
                                          FwrPathChosen chosen, gpointer owner);

/* Shows bar pulsing while pulsing, hides it otherwise; *source holds the pulse timer, which
 * the owner's dispose removes. */
void       fwr_progress_bar_set_pulsing  (GtkProgressBar *bar, gboolean pulsing, guint *source);

/* (transfer floating) A left-aligned label that wraps at words (or characters in long
 * tokens): text as markup or plain text, with css_class (nullable). */
GtkWidget *fwr_wrapped_label_new         (const char *text, const char *css_class, gboolean markup,
                                          gboolean selectable);

/* Disposes the template of a page of type: the template's top box has no id, so
 * dispose_template leaves it, and it is unparented here too. */
void       fwr_page_dispose_template     (GtkWidget *page, GType type);

G_END_DECLS
