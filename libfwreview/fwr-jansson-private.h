/* fwr-jansson-private.h: jansson's types with GLib cleanups; never in a public header. */
#pragma once

#include <jansson.h>
#include <glib.h>

static inline void
_fwr_json_decref (json_t *json)
{
  json_decref (json);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, _fwr_json_decref)
