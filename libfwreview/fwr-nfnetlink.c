/* fwr-nfnetlink.c: talking to nf_tables over netfilter netlink with libmnl and libnftnl:
 * one request, its replies up to the ack or the end of the dump, and errno made into GError. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "fwr-import-private.h"
#include "fwr-nfnetlink-private.h"

/* Large enough for the biggest message the kernel puts in one dump datagram. */
#define RECV_BUFFER_SIZE (1u << 16)

void
_fwr_nfnl_set_errno_error (GError **error, int errsv, const char *what)
{
  if (errsv == EINTR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   "%s: the ruleset changed during the dump", what);
      return;
    }
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", what,
               g_strerror (errsv));
}

void
_fwr_nfnl_set_import_error (GError **error, const char *name, const GError *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    _fwr_import_set_error (error, FWR_IMPORT_ERROR_PERMISSION, name, 0, 0,
                           "reading the running nftables ruleset needs CAP_NET_ADMIN in this "
                           "network namespace; run as root or grant the capability (%s)",
                           cause->message);
  else
    _fwr_import_set_error (error, FWR_IMPORT_ERROR_IO, name, 0, 0, "%s", cause->message);
}

FwrMnlSocket *
_fwr_nfnl_open (guint group, GError **error)
{
  g_autoptr (FwrMnlSocket) nl = mnl_socket_open (NETLINK_NETFILTER);
  if (nl == NULL)
    {
      _fwr_nfnl_set_errno_error (error, errno, "cannot open a netfilter netlink socket");
      return NULL;
    }
  if (mnl_socket_bind (nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      _fwr_nfnl_set_errno_error (error, errno, "cannot bind the netfilter netlink socket");
      return NULL;
    }
  if (group != 0
      && mnl_socket_setsockopt (nl, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
    {
      _fwr_nfnl_set_errno_error (error, errno, "cannot subscribe to nftables events");
      return NULL;
    }
  return g_steal_pointer (&nl);
}

static guint32
next_sequence (void)
{
  static gint sequence = 0;
  return (guint32) g_atomic_int_add (&sequence, 1) + 1;
}

/* Sends nlh and feeds the replies to callback until the kernel acks or ends the dump. */
static gboolean
nfnl_talk (FwrMnlSocket *nl, struct nlmsghdr *nlh, mnl_cb_t callback, gpointer data,
           const char *what, GError **error)
{
  guint32 sequence = nlh->nlmsg_seq;
  guint32 portid = mnl_socket_get_portid (nl);

  if (mnl_socket_sendto (nl, nlh, nlh->nlmsg_len) < 0)
    {
      _fwr_nfnl_set_errno_error (error, errno, what);
      return FALSE;
    }

  g_autofree char *buffer = g_malloc (RECV_BUFFER_SIZE);
  int status;
  do
    {
      ssize_t received = mnl_socket_recvfrom (nl, buffer, RECV_BUFFER_SIZE);
      if (received < 0)
        {
          _fwr_nfnl_set_errno_error (error, errno, what);
          return FALSE;
        }
      status = mnl_cb_run (buffer, received, sequence, portid, callback, data);
    }
  while (status > MNL_CB_STOP);

  if (status < 0)
    {
      _fwr_nfnl_set_errno_error (error, errno, what);
      return FALSE;
    }
  return TRUE;
}

static int
generation_callback (const struct nlmsghdr *nlh, void *data)
{
  g_autoptr (FwrNftnlGen) gen = nftnl_gen_alloc ();
  if (gen == NULL || nftnl_gen_nlmsg_parse (nlh, gen) < 0)
    return MNL_CB_ERROR;
  *(guint32 *) data = nftnl_gen_get_u32 (gen, NFTNL_GEN_ID);
  return MNL_CB_OK;
}

gboolean
_fwr_nfnl_get_generation (FwrMnlSocket *nl, guint32 *generation, GError **error)
{
  char buffer[MNL_SOCKET_BUFFER_SIZE];
  struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK,
                                                next_sequence ());
  return nfnl_talk (nl, nlh, generation_callback, generation,
                    "cannot read the ruleset generation", error);
}

gboolean
_fwr_nfnl_dump (FwrMnlSocket *nl, guint16 msg_type, mnl_cb_t callback, gpointer data,
                GError **error)
{
  char buffer[MNL_SOCKET_BUFFER_SIZE];
  struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr (buffer, msg_type, NFPROTO_UNSPEC, NLM_F_DUMP,
                                                next_sequence ());
  return nfnl_talk (nl, nlh, callback, data, "cannot dump the nftables ruleset", error);
}

char *
_fwr_nft_list_json (FwrNftCtx *nft, char **error_text)
{
  nft_ctx_output_set_flags (nft, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
  if (nft_ctx_buffer_output (nft) != 0 || nft_ctx_buffer_error (nft) != 0)
    {
      *error_text = strdup ("cannot buffer the output of libnftables");
      return NULL;
    }
  if (nft_run_cmd_from_buffer (nft, "list ruleset") != 0)
    {
      const char *text = nft_ctx_get_error_buffer (nft);
      *error_text = strdup (text != NULL && *text != '\0' ? text : "listing the ruleset failed");
      return NULL;
    }
  const char *json = nft_ctx_get_output_buffer (nft);
  return strdup (json != NULL ? json : "");
}

/* Past "FILE:LINE:COLUMN: " in a warning, or NULL when it names no place. */
static const char *
after_place (const char *warning, const char *file)
{
  gsize file_length = strlen (file);
  if (strncmp (warning, file, file_length) != 0 || warning[file_length] != ':')
    return NULL;
  const char *at = warning + file_length + 1;
  for (guint fields = 0; fields < 2; fields++)
    {
      if (!g_ascii_isdigit (*at))
        return NULL;
      while (g_ascii_isdigit (*at))
        at++;
      if (*at++ != ':')
        return NULL;
    }
  return *at == ' ' ? at + 1 : NULL;
}

void
_fwr_nft_listing_forget_places (FwrRuleset *ruleset)
{
  for (guint i = 0; i < ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (ruleset->chains, i);
      chain->line = 0;
      for (guint k = 0; k < chain->rules->len; k++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, k);
          rule->line = 0;
          rule->column = 0;
        }
    }
  for (guint i = 0; i < ruleset->objects->len; i++)
    ((FwrObject *) g_ptr_array_index (ruleset->objects, i))->line = 0;
  for (guint i = 0; i < ruleset->warnings->len; i++)
    {
      char **warning = (char **) &g_ptr_array_index (ruleset->warnings, i);
      const char *text = after_place (*warning, ruleset->file);
      if (text == NULL)
        continue;
      char *unplaced = g_strdup_printf ("%s: %s", ruleset->file, text);
      g_free (*warning);
      *warning = unplaced;
    }
}

void
_fwr_nft_listing_locate_warnings (FwrRuleset *ruleset)
{
  g_autofree char *prefix = g_strdup_printf ("%s: rule ", ruleset->file);
  for (guint i = 0; i < ruleset->warnings->len; i++)
    {
      char **warning = (char **) &g_ptr_array_index (ruleset->warnings, i);
      if (!g_str_has_prefix (*warning, prefix))
        continue;
      const char *id = *warning + strlen (prefix);
      g_autofree char *rule_id = g_strndup (id, strcspn (id, ": "));
      FwrRule *rule = fwr_ruleset_lookup_rule (ruleset, rule_id);
      if (rule == NULL || rule->line == 0)
        continue;
      char *placed = g_strdup_printf ("%s:%u:%u: %s", ruleset->file, rule->line, rule->column,
                                      *warning + strlen (ruleset->file) + 2);
      g_free (*warning);
      *warning = placed;
    }
}

static gboolean
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

char *
_fwr_nfnl_dup_netns_name (void)
{
  struct stat self, other;
  if (stat ("/proc/self/ns/net", &self) != 0)
    return g_strdup ("live");
  if (stat ("/proc/1/ns/net", &other) == 0 && same_file (&self, &other))
    return g_strdup ("live:init");

  g_autoptr (GDir) dir = g_dir_open ("/run/netns", 0, NULL);
  const char *entry;
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/run/netns", entry, NULL);
      if (stat (path, &other) == 0 && same_file (&self, &other))
        return g_strdup_printf ("live:%s", entry);
    }
  return g_strdup_printf ("live:net:[%" G_GUINT64_FORMAT "]", (guint64) self.st_ino);
}
