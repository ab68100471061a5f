/* fwr-live-monitor.c: listens to nf_tables events (libmnl, group NFNLGRP_NFTABLES) and says
 * when the ruleset has settled in a new generation; the generation id itself comes from GETGEN. */
#include <errno.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "fwr-import-private.h"
#include "fwr-nfnetlink-private.h"
#include "fwr-live-monitor.h"

/* A 10,000-rule `nft -f` announces every rule; room for them keeps overruns rare (an overrun
 * costs nothing but the process name: the generation comes from the kernel's count). */
#define EVENT_BUFFER_BYTES (32 * 1024 * 1024)
#define EVENT_MESSAGE_BYTES (1u << 16)

struct _FwrLiveMonitor {
  FwrMnlSocket *events;   /* subscribed; replies to requests would mix with events here */
  FwrMnlSocket *requests;
  char *name;             /* what errors call the ruleset */
  char *last_process;
  char *buffer;
};

FwrLiveMonitor *
fwr_live_monitor_new (GError **error)
{
  g_autoptr (FwrLiveMonitor) self = g_new0 (FwrLiveMonitor, 1);
  g_autoptr (GError) local_error = NULL;
  self->name = _fwr_nfnl_dup_netns_name ();
  self->buffer = g_malloc (EVENT_MESSAGE_BYTES);
  self->events = _fwr_nfnl_open (NFNLGRP_NFTABLES, &local_error);
  if (self->events != NULL)
    self->requests = _fwr_nfnl_open (0, &local_error);
  if (self->requests == NULL)
    {
      _fwr_nfnl_set_import_error (error, self->name, local_error);
      return NULL;
    }
  int size = EVENT_BUFFER_BYTES;
  int fd = mnl_socket_get_fd (self->events);
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  return g_steal_pointer (&self);
}

void
fwr_live_monitor_free (FwrLiveMonitor *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->events, _fwr_mnl_socket_free);
  g_clear_pointer (&self->requests, _fwr_mnl_socket_free);
  g_free (self->name);
  g_free (self->last_process);
  g_free (self->buffer);
  g_free (self);
}

gboolean
fwr_live_monitor_get_generation (FwrLiveMonitor *self, guint32 *generation, GError **error)
{
  g_return_val_if_fail (self != NULL && generation != NULL, FALSE);
  g_autoptr (GError) local_error = NULL;
  if (_fwr_nfnl_get_generation (self->requests, generation, &local_error))
    return TRUE;
  _fwr_nfnl_set_import_error (error, self->name, local_error);
  return FALSE;
}

const char *
fwr_live_monitor_get_last_process (const FwrLiveMonitor *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_process;
}

static int
generation_attribute (const struct nlattr *attribute, void *data)
{
  const struct nlattr **table = data;
  int type = mnl_attr_get_type (attribute);
  if (mnl_attr_type_valid (attribute, NFTA_GEN_MAX) >= 0)
    table[type] = attribute;
  return MNL_CB_OK;
}

/* Only the end of a commit (NEWGEN) matters; it names the process that made it. */
static int
event_callback (const struct nlmsghdr *nlh, void *data)
{
  FwrLiveMonitor *self = data;
  if (NFNL_SUBSYS_ID (nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES
      || NFNL_MSG_TYPE (nlh->nlmsg_type) != NFT_MSG_NEWGEN)
    return MNL_CB_OK;
  const struct nlattr *table[NFTA_GEN_MAX + 1] = { NULL };
  if (mnl_attr_parse (nlh, sizeof (struct nfgenmsg), generation_attribute, table) < 0)
    return MNL_CB_OK;
  g_clear_pointer (&self->last_process, g_free);
  if (table[NFTA_GEN_PROC_NAME] != NULL && table[NFTA_GEN_PROC_PID] != NULL
      && mnl_attr_validate (table[NFTA_GEN_PROC_NAME], MNL_TYPE_NUL_STRING) >= 0
      && mnl_attr_validate (table[NFTA_GEN_PROC_PID], MNL_TYPE_U32) >= 0)
    self->last_process = g_strdup_printf ("%s[%u]", mnl_attr_get_str (table[NFTA_GEN_PROC_NAME]),
                                          ntohl (mnl_attr_get_u32 (table[NFTA_GEN_PROC_PID])));
  return MNL_CB_OK;
}

/* Reads every event waiting, without blocking. */
static gboolean
monitor_drain (FwrLiveMonitor *self, GError **error)
{
  int fd = mnl_socket_get_fd (self->events);
  for (;;)
    {
      ssize_t got = recv (fd, self->buffer, EVENT_MESSAGE_BYTES, MSG_DONTWAIT);
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return TRUE;
      if (got < 0 && (errno == EINTR || errno == ENOBUFS))
        continue;
      if (got <= 0)
        {
          g_autoptr (GError) local_error = NULL;
          _fwr_nfnl_set_errno_error (&local_error, errno, "cannot read nftables events");
          _fwr_nfnl_set_import_error (error, self->name, local_error);
          return FALSE;
        }
      mnl_cb_run (self->buffer, got, 0, 0, event_callback, self);
    }
}

/* 1 when events wait, 0 after timeout_ms (-1: none), -1 when a signal came. */
static int
monitor_poll (FwrLiveMonitor *self, int timeout_ms)
{
  struct pollfd item = { .fd = mnl_socket_get_fd (self->events), .events = POLLIN };
  int ready = poll (&item, 1, timeout_ms);
  return ready < 0 ? -1 : ready > 0;
}

static int
milliseconds_until (gint64 deadline)
{
  if (deadline == G_MAXINT64)
    return -1;
  gint64 left = (deadline - g_get_monotonic_time () + 999) / 1000;
  return (int) CLAMP (left, 0, G_MAXINT);
}

gboolean
fwr_live_monitor_wait (FwrLiveMonitor *self, guint32 since, guint settle_ms, guint max_delay_ms,
                       int timeout_ms, guint32 *generation, GError **error)
{
  g_return_val_if_fail (self != NULL && generation != NULL, FALSE);
  gint64 deadline = timeout_ms < 0 ? G_MAXINT64
                                   : g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint32 now = since;
  if (!monitor_drain (self, error) || !fwr_live_monitor_get_generation (self, &now, error))
    return FALSE;
  while (now == since)
    {
      int ready = monitor_poll (self, milliseconds_until (deadline));
      if (ready <= 0)
        return FALSE;
      if (!monitor_drain (self, error) || !fwr_live_monitor_get_generation (self, &now, error))
        return FALSE;
    }

  /* Settle: a script of many `nft` calls is one change to report, not many half-states. */
  gint64 give_up = g_get_monotonic_time () + (gint64) max_delay_ms * 1000;
  for (;;)
    {
      int left = milliseconds_until (give_up);
      if (left == 0)
        break;
      int ready = monitor_poll (self, MIN ((int) settle_ms, left));
      if (ready < 0)
        return FALSE;
      if (ready == 0)
        break;
      if (!monitor_drain (self, error))
        return FALSE;
    }
  return fwr_live_monitor_get_generation (self, generation, error);
}
