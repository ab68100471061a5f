/* fwr-nft-private.h: what the parts of the nftables JSON importer share: the import context
 * (named sets and objects read so far), turning one rule's statements into terms, nft-like text. */
#pragma once

#include "fwr-import-private.h"
#include "fwr-jansson-private.h"

G_BEGIN_DECLS

/* What a value on the right of a match means, which decides how its JSON is read. */
typedef enum {
  FWR_NFT_DOMAIN_ADDR4,
  FWR_NFT_DOMAIN_ADDR6,
  FWR_NFT_DOMAIN_PORT,
  FWR_NFT_DOMAIN_PROTO,
  FWR_NFT_DOMAIN_ICMP_TYPE,
  FWR_NFT_DOMAIN_ICMP_CODE,
  FWR_NFT_DOMAIN_ICMPV6_TYPE,
  FWR_NFT_DOMAIN_ICMPV6_CODE,
  FWR_NFT_DOMAIN_IFNAME,
  FWR_NFT_DOMAIN_CT_STATE,
  FWR_NFT_DOMAIN_NFPROTO,
  FWR_NFT_DOMAIN_ETHERTYPE,
  FWR_NFT_N_DOMAINS,
} FwrNftDomain;

typedef struct _FwrNftValue FwrNftValue;
void _fwr_nft_value_free (FwrNftValue *value);

/* A named set or map of one table, with its elements as listed. */
typedef struct {
  FwrObject *object;          /* (not owned) */
  json_t *elem;               /* (owned) (nullable) */
  char *map_type;             /* (nullable) what a map maps to: "verdict", "ipv4_addr", "ct helper"... */
  gboolean runtime;           /* flags dynamic or timeout: packets and time change the contents,
                               * so the listing is only a snapshot */
  gboolean runtime_warned;
  FwrNftValue *cache[FWR_NFT_N_DOMAINS]; /* elements read for one domain, on first use */
  FwrAddrSet *lent[2];        /* (not owned) its IPv4 and IPv6 addresses, kept by the ruleset for
                               * the rules that match exactly this set to borrow */
} FwrNftSet;

/* A named counter: its values belong to a rule only when that rule alone uses it. */
typedef struct {
  guint64 packets;
  guint64 bytes;
  GPtrArray *rules;           /* (element-type FwrRule) (not owned) */
} FwrNftCounter;

/* One kind of condition kept opaque, counted over the ruleset for a single warning. */
typedef struct {
  char *kind;
  guint n_rules;
  char *first_rule;
  guint line;
  guint column;
} FwrNftOpaqueUse;

typedef struct {
  FwrRuleset *ruleset;        /* (not owned) */
  GHashTable *sets;           /* "family/table/name" → FwrNftSet (owned) */
  GHashTable *objects;        /* "kind family/table/name" → FwrObject (not owned) */
  GHashTable *counters;       /* FwrObject → FwrNftCounter (owned) */
  GHashTable *opaque_by_kind; /* kind → FwrNftOpaqueUse (borrowed from opaque_uses) */
  GPtrArray *opaque_uses;     /* (element-type FwrNftOpaqueUse) (owned), first use first */
  GString *scratch;
} FwrNftContext;

void           _fwr_nft_context_init          (FwrNftContext *ctx, FwrRuleset *ruleset);
void           _fwr_nft_context_clear         (FwrNftContext *ctx);
/* (nullable) Sets and maps share a name space within a table. */
FwrNftSet     *_fwr_nft_context_lookup_set    (FwrNftContext *ctx, const char *family,
                                               const char *table, const char *name);
/* (nullable) kind is the JSON name of the object: "counter", "quota", "ct helper"... */
FwrObject     *_fwr_nft_context_lookup_object (FwrNftContext *ctx, const char *kind,
                                               const char *family, const char *table,
                                               const char *name);
FwrNftCounter *_fwr_nft_context_get_counter   (FwrNftContext *ctx, FwrObject *object);

/* Reading one rule's statements into terms, kept aside until the rule is known to be whole. */
typedef struct _FwrNftRule FwrNftRule;

typedef enum {
  FWR_NFT_DONE,
  FWR_NFT_DEFER,   /* the rule uses a set not read yet: try again at the end of the file */
  FWR_NFT_FAILED,  /* malformed: error is set */
} FwrNftStatus;

FwrNftRule  *_fwr_nft_rule_new    (FwrNftContext *ctx, FwrTableFamily family,
                                   const char *family_name, const char *table);
void         _fwr_nft_rule_free   (FwrNftRule *self);
/* statements is the rule's "expr" array. On FWR_NFT_DEFER, *missing_set names the set. */
FwrNftStatus _fwr_nft_rule_read   (FwrNftRule *self, json_t *statements, char **missing_set,
                                   GError **error);
/* Moves terms, verdict, counter, log and references into rule (which has its id, line and
 * column set) and reports the rule's warnings against the ruleset. */
void         _fwr_nft_rule_commit (FwrNftRule *self, FwrRule *rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrNftRule, _fwr_nft_rule_free)

/* nft-like text of expressions and statements, for opaque conditions and messages. */
void        _fwr_nft_append_expr      (GString *out, json_t *expr);
void        _fwr_nft_append_match     (GString *out, json_t *left, const char *op, json_t *right);
void        _fwr_nft_append_statement (GString *out, const char *name, json_t *value);
const char *_fwr_nft_json_type_name   (json_t *json);

/* Symbolic names nft prints (protocols, services, ICMP types and codes, ct states...). */
gboolean    _fwr_nft_lookup_name      (FwrNftDomain domain, const char *name, guint32 *value);

G_END_DECLS
