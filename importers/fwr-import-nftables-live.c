/* fwr-import-nftables-live.c: the nftables ruleset running in this network namespace, read as
 * libnftables JSON with every counter taken over netlink, all within one ruleset generation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "fwr-import-private.h"
#include "fwr-jansson-private.h"
#include "fwr-nfnetlink-private.h"

/* A change committed while we read means starting over; a handful of tries outlasts any
 * ordinary burst of `nft` commands. */
#define LIVE_ATTEMPTS 8

typedef struct {
  guint64 packets;
  guint64 bytes;
} LiveCounter;

/* Counters as the kernel holds them, keyed like the JSON names their owners. */
typedef struct {
  GHashTable *rules;    /* "family\ntable\nchain\nhandle" -> GArray of LiveCounter, in rule order */
  GHashTable *objects;  /* "family\ntable\nname" -> LiveCounter, named counters */
} LiveCounters;

static void
live_counters_clear (LiveCounters *counters)
{
  g_clear_pointer (&counters->rules, g_hash_table_unref);
  g_clear_pointer (&counters->objects, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LiveCounters, live_counters_clear)

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

static char *
rule_key (const char *family, const char *table, const char *chain, guint64 handle)
{
  return g_strdup_printf ("%s\n%s\n%s\n%" G_GUINT64_FORMAT, family, table, chain, handle);
}

static char *
object_key (const char *family, const char *table, const char *name)
{
  return g_strdup_printf ("%s\n%s\n%s", family, table, name);
}

static int
collect_counter_expr (struct nftnl_expr *expr, void *data)
{
  GArray *found = data;
  const char *name = nftnl_expr_get_str (expr, NFTNL_EXPR_NAME);
  if (g_strcmp0 (name, "counter") == 0)
    {
      LiveCounter counter = {
        .packets = nftnl_expr_get_u64 (expr, NFTNL_EXPR_CTR_PACKETS),
        .bytes = nftnl_expr_get_u64 (expr, NFTNL_EXPR_CTR_BYTES),
      };
      g_array_append_val (found, counter);
    }
  return 0;
}

static int
rule_dump_callback (const struct nlmsghdr *nlh, void *data)
{
  LiveCounters *counters = data;
  g_autoptr (FwrNftnlRule) rule = nftnl_rule_alloc ();
  if (rule == NULL || nftnl_rule_nlmsg_parse (nlh, rule) < 0)
    return MNL_CB_ERROR;

  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (LiveCounter));
  nftnl_expr_foreach (rule, collect_counter_expr, found);
  char *key = rule_key (live_family_name (nftnl_rule_get_u32 (rule, NFTNL_RULE_FAMILY)),
                        nftnl_rule_get_str (rule, NFTNL_RULE_TABLE),
                        nftnl_rule_get_str (rule, NFTNL_RULE_CHAIN),
                        nftnl_rule_get_u64 (rule, NFTNL_RULE_HANDLE));
  g_hash_table_replace (counters->rules, key, g_steal_pointer (&found));
  return MNL_CB_OK;
}

static int
object_dump_callback (const struct nlmsghdr *nlh, void *data)
{
  LiveCounters *counters = data;
  g_autoptr (FwrNftnlObj) object = nftnl_obj_alloc ();
  if (object == NULL || nftnl_obj_nlmsg_parse (nlh, object) < 0)
    return MNL_CB_ERROR;
  if (nftnl_obj_get_u32 (object, NFTNL_OBJ_TYPE) != NFT_OBJECT_COUNTER)
    return MNL_CB_OK;

  LiveCounter *counter = g_new (LiveCounter, 1);
  counter->packets = nftnl_obj_get_u64 (object, NFTNL_OBJ_CTR_PKTS);
  counter->bytes = nftnl_obj_get_u64 (object, NFTNL_OBJ_CTR_BYTES);
  g_hash_table_replace (counters->objects,
                        object_key (live_family_name (nftnl_obj_get_u32 (object, NFTNL_OBJ_FAMILY)),
                                    nftnl_obj_get_str (object, NFTNL_OBJ_TABLE),
                                    nftnl_obj_get_str (object, NFTNL_OBJ_NAME)),
                        counter);
  return MNL_CB_OK;
}

static gboolean
live_dump_counters (FwrMnlSocket *nl, LiveCounters *counters, GError **error)
{
  counters->rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_array_unref);
  counters->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return _fwr_nfnl_dump (nl, NFT_MSG_GETRULE, rule_dump_callback, counters, error)
      && _fwr_nfnl_dump (nl, NFT_MSG_GETOBJ, object_dump_callback, counters, error);
}

static void
set_counter_values (json_t *counter, const LiveCounter *value)
{
  /* JSON integers are signed 64-bit; a counter past that has wrapped the scale anyway. */
  json_object_set_new (counter, "packets", json_integer ((json_int_t) MIN (value->packets, G_MAXINT64)));
  json_object_set_new (counter, "bytes", json_integer ((json_int_t) MIN (value->bytes, G_MAXINT64)));
}

static gboolean
changed_during_read (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               "the ruleset changed while it was read (%s)", what);
  return FALSE;
}

/* Anonymous counter statements of a rule, in order, get the kernel's counter expressions in
 * order; named ones ("counter": "name") carry no values in the rule. */
static gboolean
patch_rule_counters (json_t *rule, const LiveCounters *counters, GError **error)
{
  json_int_t handle = json_integer_value (json_object_get (rule, "handle"));
  g_autofree char *key = rule_key (json_string_value (json_object_get (rule, "family")),
                                   json_string_value (json_object_get (rule, "table")),
                                   json_string_value (json_object_get (rule, "chain")),
                                   (guint64) handle);
  GArray *found = g_hash_table_lookup (counters->rules, key);
  if (found == NULL)
    return changed_during_read (error, "a rule listed is not in the netlink dump");

  guint next = 0;
  json_t *statement;
  size_t index;
  json_array_foreach (json_object_get (rule, "expr"), index, statement)
    {
      json_t *counter = json_object_get (statement, "counter");
      if (!json_is_object (counter))
        continue;
      if (next >= found->len)
        return changed_during_read (error, "a rule has more counters than the kernel reports");
      set_counter_values (counter, &g_array_index (found, LiveCounter, next++));
    }
  if (next != found->len)
    return changed_during_read (error, "a rule has fewer counters than the kernel reports");
  return TRUE;
}

static gboolean
patch_named_counter (json_t *counter, const LiveCounters *counters, GError **error)
{
  g_autofree char *key = object_key (json_string_value (json_object_get (counter, "family")),
                                     json_string_value (json_object_get (counter, "table")),
                                     json_string_value (json_object_get (counter, "name")));
  const LiveCounter *value = g_hash_table_lookup (counters->objects, key);
  if (value == NULL)
    return changed_during_read (error, "a named counter listed is not in the netlink dump");
  set_counter_values (counter, value);
  return TRUE;
}

static gboolean
patch_counters (json_t *root, const LiveCounters *counters, GError **error)
{
  json_t *item;
  size_t index;
  json_array_foreach (json_object_get (root, "nftables"), index, item)
    {
      json_t *rule = json_object_get (item, "rule");
      json_t *counter = json_object_get (item, "counter");
      if (json_is_object (rule) && !patch_rule_counters (rule, counters, error))
        return FALSE;
      if (json_is_object (counter) && !patch_named_counter (counter, counters, error))
        return FALSE;
    }
  return TRUE;
}

static json_t *
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
      return NULL;
    }
  json_error_t json_error;
  json_t *root = json_loads (text, 0, &json_error);
  free (text);
  if (root == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "libnftables printed invalid JSON (line %d: %s)", json_error.line, json_error.text);
  return root;
}

/* One try: the netlink counters and the JSON listing, between two reads of the generation id
 * that must agree (it moves on every commit, so nothing changed in between). */
static char *
live_read_once (guint32 *generation, GError **error)
{
  g_autoptr (FwrMnlSocket) nl = _fwr_nfnl_open (0, error);
  guint32 before = 0, after = 0;
  g_auto (LiveCounters) counters = { NULL, NULL };
  if (nl == NULL
      || !_fwr_nfnl_get_generation (nl, &before, error)
      || !live_dump_counters (nl, &counters, error))
    return NULL;

  g_autoptr (json_t) root = live_list_json (error);
  if (root == NULL || !_fwr_nfnl_get_generation (nl, &after, error))
    return NULL;
  if (before != after)
    {
      changed_during_read (error, "the generation id moved");
      return NULL;
    }
  if (!patch_counters (root, &counters, error))
    return NULL;

  *generation = after;
  char *dumped = json_dumps (root, JSON_COMPACT);
  g_autofree char *listing = g_strdup (dumped);
  free (dumped);
  return g_steal_pointer (&listing);
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
