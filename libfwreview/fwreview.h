/* fwreview.h: the one public header of libfwreview, firewall rule review and change control.
 * Include only this; the fwr-*.h files behind it are not for direct use. */
#pragma once

#define FWREVIEW_INSIDE
#include "fwr-macros.h"
#include "fwr-addrset.h"
#include "fwr-rangeset.h"
#include "fwr-ruleset.h"
#include "fwr-zones.h"
#include "fwr-import.h"
#include "fwr-analysis.h"
#include "fwr-traffic.h"
#include "fwr-identity.h"
#include "fwr-diff.h"
#include "fwr-store.h"
#include "fwr-audit.h"
#include "fwr-live-monitor.h"
#include "fwr-rule-zones.h"
#include "fwr-effective.h"
#include "fwr-review.h"
#include "fwr-evidence.h"
#undef FWREVIEW_INSIDE
