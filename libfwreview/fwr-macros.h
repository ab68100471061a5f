/* fwr-macros.h: export and header-guard macros shared by every public header.
 * Only libfwreview's own sources define FWR_COMPILATION. */
#pragma once

#if !defined(FWREVIEW_INSIDE) && !defined(FWR_COMPILATION)
#error "Only <fwreview.h> can be included directly."
#endif

#include <glib.h>

#if defined(FWR_COMPILATION) && defined(__GNUC__)
#define FWR_PUBLIC __attribute__((visibility("default"))) extern
#else
#define FWR_PUBLIC extern
#endif
