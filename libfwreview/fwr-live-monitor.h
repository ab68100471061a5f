/* fwr-live-monitor.h: notices every committed change to the nftables ruleset of the current
 * network namespace, as the kernel announces it (a new generation id), for `fwreview watch`. */
#pragma once

#include "fwr-macros.h"

G_BEGIN_DECLS

typedef struct _FwrLiveMonitor FwrLiveMonitor;

/* (transfer full) Subscribes to nf_tables events. Needs CAP_NET_ADMIN in the network namespace
 * (FWR_IMPORT_ERROR_PERMISSION without it). */
FWR_PUBLIC FwrLiveMonitor *fwr_live_monitor_new      (GError **error);
FWR_PUBLIC void            fwr_live_monitor_free     (FwrLiveMonitor *self);
/* The generation id in force now (NFT_MSG_GETGEN). */
FWR_PUBLIC gboolean        fwr_live_monitor_get_generation (FwrLiveMonitor *self,
                                                            guint32 *generation, GError **error);
/* Waits for the ruleset to leave generation since, then to stay still for settle_ms; a stream
 * of changes holds the answer back max_delay_ms at most. TRUE with *generation the id in force
 * then (never since). FALSE without error when timeout_ms (-1: none) passed first or a signal
 * interrupted the wait, so a caller can look at its flags. A burst bigger than the socket's
 * buffer loses events, never generations: the answer comes from the kernel's own count. */
FWR_PUBLIC gboolean        fwr_live_monitor_wait     (FwrLiveMonitor *self, guint32 since,
                                                      guint settle_ms, guint max_delay_ms,
                                                      int timeout_ms, guint32 *generation,
                                                      GError **error);
/* (nullable) Who committed the last change seen, "nft[1234]", as the kernel reports it. */
FWR_PUBLIC const char     *fwr_live_monitor_get_last_process (const FwrLiveMonitor *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrLiveMonitor, fwr_live_monitor_free)

G_END_DECLS
