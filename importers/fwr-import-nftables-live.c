/* fwr-import-nftables-live.c: the nftables ruleset running in this network namespace, read as
 * libnftables JSON with every counter taken over netlink, all within one ruleset generation. */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "fwr-import-private.h"
#include "fwr-nfnetlink-private.h"
#include "fwr-nft-live-private.h"

/* A change committed while we read means starting over; a handful of tries outlasts any
 * ordinary burst of `nft` commands. */
#define LIVE_ATTEMPTS 8

static void
live_counters_clear (FwrLiveCounters *counters)
{
  g_clear_pointer (&counters->rules, g_hash_table_unref);
  g_clear_pointer (&counters->objects, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FwrLiveCounters, live_counters_clear)

/* The family names of libnftables JSON. */
static const char *
live_family_name (guint32 family)
{
  switch (family)
    {
    case NFPROTO_INET:   return "inet";
    case NFPROTO_IPV4:   return "ip";
    case NFPROTO_ARP:    return "arp";
    case NFPROTO_NETDEV: return "netdev";
    case NFPROTO_BRIDGE: return "bridge";
    case NFPROTO_IPV6:   return "ip6";
    default:             return "unknown";
    }
}

/* Rule messages are read attribute by attribute rather than through libnftnl, which would build
 * every expression of every rule to hand back the few counters. */

/* Keeps the attributes of one nesting level the caller asks for; the others are skipped. */
typedef struct {
  const struct nlattr **table;
  guint16 max;
} AttrTable;

static int
keep_attr (const struct nlattr *attr, void *data)
{
  const AttrTable *kept = data;
  guint16 type = mnl_attr_get_type (attr);
  if (type <= kept->max)
    kept->table[type] = attr;
  return MNL_CB_OK;
}

static gboolean
parse_attrs (const struct nlattr *nest, const struct nlattr **table, guint16 max)
{
  AttrTable kept = { table, max };
  return mnl_attr_parse_nested (nest, keep_attr, &kept) >= MNL_CB_STOP;
}

static gboolean
attr_is (const struct nlattr *attr, enum mnl_attr_data_type type)
{
  return attr != NULL && mnl_attr_validate (attr, type) >= 0;
}

/* 1 with the values of a counter expression, 0 for another expression, -1 when malformed. */
static int
read_counter_expr (const struct nlattr *nest, FwrLiveCounter *counter)
{
  const struct nlattr *expr[NFTA_EXPR_MAX + 1] = { NULL };
  const struct nlattr *values[NFTA_COUNTER_MAX + 1] = { NULL };
  if (!parse_attrs (nest, expr, NFTA_EXPR_MAX) || !attr_is (expr[NFTA_EXPR_NAME], MNL_TYPE_NUL_STRING))
    return -1;
  if (strcmp (mnl_attr_get_str (expr[NFTA_EXPR_NAME]), "counter") != 0)
    return 0;
  if (!attr_is (expr[NFTA_EXPR_DATA], MNL_TYPE_NESTED)
      || !parse_attrs (expr[NFTA_EXPR_DATA], values, NFTA_COUNTER_MAX)
      || !attr_is (values[NFTA_COUNTER_PACKETS], MNL_TYPE_U64)
      || !attr_is (values[NFTA_COUNTER_BYTES], MNL_TYPE_U64))
    return -1;
  counter->packets = be64toh (mnl_attr_get_u64 (values[NFTA_COUNTER_PACKETS]));
  counter->bytes = be64toh (mnl_attr_get_u64 (values[NFTA_COUNTER_BYTES]));
  return 1;
}

static int
rule_dump_callback (const struct nlmsghdr *nlh, void *data)
{
  FwrLiveCounters *counters = data;
  const struct nfgenmsg *header = mnl_nlmsg_get_payload (nlh);
  const struct nlattr *rule[NFTA_RULE_MAX + 1] = { NULL };
  AttrTable kept = { rule, NFTA_RULE_MAX };
  if (mnl_attr_parse (nlh, sizeof *header, keep_attr, &kept) < MNL_CB_STOP
      || !attr_is (rule[NFTA_RULE_TABLE], MNL_TYPE_NUL_STRING)
      || !attr_is (rule[NFTA_RULE_CHAIN], MNL_TYPE_NUL_STRING)
      || !attr_is (rule[NFTA_RULE_HANDLE], MNL_TYPE_U64)
      || (rule[NFTA_RULE_EXPRESSIONS] != NULL && !attr_is (rule[NFTA_RULE_EXPRESSIONS], MNL_TYPE_NESTED)))
    return MNL_CB_ERROR;

  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (FwrLiveCounter));
  if (rule[NFTA_RULE_EXPRESSIONS] != NULL)
    {
      const struct nlattr *element;
      mnl_attr_for_each_nested (element, rule[NFTA_RULE_EXPRESSIONS])
        {
          FwrLiveCounter counter;
          int read = mnl_attr_get_type (element) == NFTA_LIST_ELEM ? read_counter_expr (element, &counter) : 0;
          if (read < 0)
            return MNL_CB_ERROR;
          if (read > 0)
            g_array_append_val (found, counter);
        }
    }
  char *key = _fwr_live_rule_key (live_family_name (header->nfgen_family),
                                  mnl_attr_get_str (rule[NFTA_RULE_TABLE]),
                                  mnl_attr_get_str (rule[NFTA_RULE_CHAIN]),
                                  be64toh (mnl_attr_get_u64 (rule[NFTA_RULE_HANDLE])));
  g_hash_table_replace (counters->rules, key, g_steal_pointer (&found));
  return MNL_CB_OK;
}

static int
object_dump_callback (const struct nlmsghdr *nlh, void *data)
{
  FwrLiveCounters *counters = data;
  g_autoptr (FwrNftnlObj) object = nftnl_obj_alloc ();
  if (object == NULL || nftnl_obj_nlmsg_parse (nlh, object) < 0)
    return MNL_CB_ERROR;
  if (nftnl_obj_get_u32 (object, NFTNL_OBJ_TYPE) != NFT_OBJECT_COUNTER)
    return MNL_CB_OK;

  FwrLiveCounter *counter = g_new (FwrLiveCounter, 1);
  counter->packets = nftnl_obj_get_u64 (object, NFTNL_OBJ_CTR_PKTS);
  counter->bytes = nftnl_obj_get_u64 (object, NFTNL_OBJ_CTR_BYTES);
  g_hash_table_replace (counters->objects,
                        _fwr_live_object_key (live_family_name (nftnl_obj_get_u32 (object, NFTNL_OBJ_FAMILY)),
                                              nftnl_obj_get_str (object, NFTNL_OBJ_TABLE),
                                              nftnl_obj_get_str (object, NFTNL_OBJ_NAME)),
                        counter);
  return MNL_CB_OK;
}

static gboolean
live_dump_counters (FwrMnlSocket *nl, FwrLiveCounters *counters, GError **error)
{
  counters->rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_array_unref);
  counters->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return _fwr_nfnl_dump (nl, NFT_MSG_GETRULE, rule_dump_callback, counters, error)
      && _fwr_nfnl_dump (nl, NFT_MSG_GETOBJ, object_dump_callback, counters, error);
}

static gboolean
changed_during_read (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               "the ruleset changed while it was read (%s)", what);
  return FALSE;
}

static char *
live_list_json (GError **error)
{
  g_autoptr (FwrNftCtx) nft = nft_ctx_new (NFT_CTX_DEFAULT);
  if (nft == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot start libnftables");
      return NULL;
    }
  char *error_text = NULL;
  char *text = _fwr_nft_list_json (nft, &error_text);
  if (text == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libnftables: %s",
                   g_strstrip (error_text));
      free (error_text);
    }
  return text;
}

/* One try: the netlink counters and the JSON listing, between two reads of the generation id
 * that must agree (it moves on every commit, so nothing changed in between). */
static char *
live_read_once (guint32 *generation, GError **error)
{
  g_autoptr (FwrMnlSocket) nl = _fwr_nfnl_open (0, error);
  guint32 before = 0, after = 0;
  g_auto (FwrLiveCounters) counters = { NULL, NULL };
  if (nl == NULL
      || !_fwr_nfnl_get_generation (nl, &before, error)
      || !live_dump_counters (nl, &counters, error))
    return NULL;

  char *text = live_list_json (error);
  if (text == NULL)
    return NULL;
  if (!_fwr_nfnl_get_generation (nl, &after, error))
    {
      free (text);
      return NULL;
    }
  if (before != after)
    {
      free (text);
      changed_during_read (error, "the generation id moved");
      return NULL;
    }
  char *listing = _fwr_live_listing_with_counters (text, strlen (text), &counters, error);
  free (text);
  if (listing != NULL)
    *generation = after;
  return listing;
}

static void
live_set_error (GError **error, const char *name, const GError *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_BUSY))
    _fwr_import_set_error (error, FWR_IMPORT_ERROR_IO, name, 0, 0,
                           "the ruleset kept changing while it was read (%d tries): %s",
                           LIVE_ATTEMPTS, cause->message);
  else
    _fwr_nfnl_set_import_error (error, name, cause);
}

GBytes *
fwr_import_live_listing (char **name, guint32 *generation, GError **error)
{
  g_autofree char *netns = _fwr_nfnl_dup_netns_name ();
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = NULL;
  guint32 read_generation = 0;

  for (guint attempt = 0; text == NULL && attempt < LIVE_ATTEMPTS; attempt++)
    {
      g_clear_error (&local_error);
      text = live_read_once (&read_generation, &local_error);
      if (text == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BUSY))
        break;
    }
  if (text == NULL)
    {
      live_set_error (error, netns, local_error);
      return NULL;
    }
  if (name != NULL)
    *name = g_steal_pointer (&netns);
  if (generation != NULL)
    *generation = read_generation;
  gsize length = strlen (text);
  return g_bytes_new_take (g_steal_pointer (&text), length);
}

FwrRuleset *
fwr_import_live (guint32 *generation, GBytes **listing, GError **error)
{
  g_autofree char *name = NULL;
  guint32 read_generation = 0;
  g_autoptr (GBytes) bytes = fwr_import_live_listing (&name, &read_generation, error);
  if (bytes == NULL)
    return NULL;

  gsize length = 0;
  const char *text = g_bytes_get_data (bytes, &length);
  FwrRuleset *ruleset = fwr_import_data (name, text, length, FWR_FORMAT_NFTABLES_LIVE, error);
  if (ruleset == NULL)
    return NULL;
  if (generation != NULL)
    *generation = read_generation;
  if (listing != NULL)
    *listing = g_steal_pointer (&bytes);
  return ruleset;
}

FwrRuleset *
_fwr_import_nftables_live (const char *name, const char *data, gsize length, GError **error)
{
  FwrRuleset *ruleset = _fwr_import_nftables_json (name, data, length, error);
  if (ruleset == NULL)
    return NULL;
  g_free (ruleset->format);
  ruleset->format = g_strdup (fwr_format_to_string (FWR_FORMAT_NFTABLES_LIVE));
  _fwr_nft_listing_forget_places (ruleset);
  return ruleset;
}
