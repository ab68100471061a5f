/* fwr-enum-private.h: enums named by a table of strings (severities, zone classes, roles,
 * review scopes and decisions): one lookup serves them all. */
#pragma once

#include <glib.h>

/* Sets *out to the index of text in names; FALSE when text names none. */
static inline gboolean
_fwr_enum_from_name (const char * const *names, guint n_names, const char *text, guint *out)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}
