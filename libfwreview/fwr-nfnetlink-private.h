/* fwr-nfnetlink-private.h: kernel nf_tables access shared by the live and text importers and the
 * change watcher: netlink requests and dumps, the generation id, libnftables' JSON listing. */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <libmnl/libmnl.h>
#include <libnftnl/gen.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <nftables/libnftables.h>

#include "fwr-ruleset-private.h"

G_BEGIN_DECLS

typedef struct mnl_socket FwrMnlSocket;
typedef struct nftnl_rule FwrNftnlRule;
typedef struct nftnl_obj FwrNftnlObj;
typedef struct nftnl_gen FwrNftnlGen;

static inline void
_fwr_mnl_socket_free (FwrMnlSocket *nl)
{
  mnl_socket_close (nl);
}

static inline void
_fwr_nftnl_gen_free (FwrNftnlGen *gen)
{
  nftnl_gen_free (gen);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrMnlSocket, _fwr_mnl_socket_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrNftnlRule, nftnl_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrNftnlObj, nftnl_obj_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrNftnlGen, _fwr_nftnl_gen_free)

typedef struct nft_ctx FwrNftCtx;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrNftCtx, nft_ctx_free)

/* Errors are G_IO_ERROR from errno: G_IO_ERROR_PERMISSION_DENIED when the caller lacks
 * CAP_NET_ADMIN in the network namespace, G_IO_ERROR_BUSY when a dump was interrupted by a
 * ruleset change (the kernel's NLM_F_DUMP_INTR) and should be tried again. */

/* A socket bound to the netfilter netlink bus; group 0 for none, else an NFNLGRP_* to receive
 * its events (NFNLGRP_NFTABLES: every nf_tables change). */
FwrMnlSocket *_fwr_nfnl_open           (guint group, GError **error);
/* The current ruleset generation id (NFT_MSG_GETGEN); it moves on every committed change. */
gboolean      _fwr_nfnl_get_generation (FwrMnlSocket *nl, guint32 *generation, GError **error);
/* Dumps every object of msg_type (NFT_MSG_GETRULE, NFT_MSG_GETOBJ, ...) of all families,
 * calling callback on each message; callback returns MNL_CB_OK or MNL_CB_ERROR. */
gboolean      _fwr_nfnl_dump           (FwrMnlSocket *nl, guint16 msg_type, mnl_cb_t callback,
                                        gpointer data, GError **error);
/* Sets error from errno after a failed netlink call; what says what was being done. */
void          _fwr_nfnl_set_errno_error (GError **error, int errsv, const char *what);
/* (transfer full) What to call the current network namespace's ruleset: "live:init" for the
 * host's, "live:NAME" for one of `ip netns`, else the kernel's "live:net:[inode]". */
char         *_fwr_nfnl_dup_netns_name (void);
/* Turns one of the errors above into an FWR_IMPORT_ERROR about name: PERMISSION, saying that
 * CAP_NET_ADMIN is missing, or IO. */
void          _fwr_nfnl_set_import_error (GError **error, const char *name, const GError *cause);

/* The ruleset of the current network namespace as libnftables JSON ("nft -j -a list ruleset"),
 * malloc()ed; NULL with *error_text (malloc()ed, nft's own words) on failure. No GLib inside:
 * a forked child of a threaded process calls it. */
char         *_fwr_nft_list_json       (FwrNftCtx *nft, char **error_text);

/* A model read from a listing libnftables printed carries places in that listing, which no
 * one wrote or will see: forgets the lines of rules, chains and objects, and the places the
 * warnings name. */
void          _fwr_nft_listing_forget_places   (FwrRuleset *ruleset);
/* Gives the warnings about a rule ("rule ID ...") that rule's line and column again, once
 * they are known from elsewhere. */
void          _fwr_nft_listing_locate_warnings (FwrRuleset *ruleset);

G_END_DECLS
