/* fwr-ruleset-private.h: the model's plain structs, shared by the importers (which build
 * them) and the analysis (which scans them). Nothing outside libfwreview sees this. */
#pragma once

#include "fwreview.h"
#include "fwr-spans-private.h"

G_BEGIN_DECLS

struct _FwrAddrSet {
  FwrSpans v4; /* values 0 .. 2^32-1 */
  FwrSpans v6;
};

struct _FwrRangeSet {
  FwrSpans spans;
};

/* Interface or zone names. patterns == NULL matches anything (and negate is FALSE).
 * A pattern ending in '*' matches every name with that prefix. */
typedef struct {
  GStrv patterns;
  gboolean negate;
} FwrNameMatch;

/* One conjunction of conditions. A NULL set means "any". */
typedef struct {
  FwrFamilyMask families;   /* L3 families the packet may have; never 0 in a usable match */
  FwrAddrSet *src;
  FwrAddrSet *dst;
  FwrNameMatch iif;
  FwrNameMatch oif;
  FwrNameMatch src_zones;   /* vendor zones; nftables maps interfaces through the zones file */
  FwrNameMatch dst_zones;
  FwrRangeSet *protos;      /* IP protocol / next header, 0-255 */
  FwrRangeSet *sports;      /* 0-65535 */
  FwrRangeSet *dports;
  FwrRangeSet *icmp;        /* (type << 8) | code, for ICMP and ICMPv6 alike */
  guint ct_states;          /* FwrCtState mask; 0 means any */
  GPtrArray *opaque;        /* (element-type utf8) (nullable) conditions not modeled: the rule
                             * may match less than the rest of this match says */
} FwrMatch;

typedef struct {
  FwrAction action;
  char *target;             /* chain name for jump/goto, else NULL */
} FwrVerdict;

/* A rule matches the union of its terms; each term has its own verdict (verdict maps). */
typedef struct {
  FwrMatch match;
  FwrVerdict verdict;
} FwrTerm;

struct _FwrRule {
  char *id;
  FwrChain *chain;          /* (not owned) */
  guint position;           /* 0-based within the chain */
  guint ordinal;            /* 0-based in the whole ruleset, in import order */
  guint64 handle;
  FwrTerm *terms;
  guint n_terms;
  FwrVerdict verdict;       /* main verdict, for display */
  gboolean enabled;
  gboolean log;
  gboolean has_counter;
  guint64 packets;
  guint64 bytes;
  char *comment;
  guint line;
  guint column;
  GStrv refs;               /* (nullable) ids of named objects this rule uses */
};

struct _FwrChain {
  char *id;                 /* "<family>/<table>/<chain>" for nftables */
  char *name;
  char *table;
  char *section;            /* (nullable) a separate evaluation context: a FortiGate VDOM, an ASA
                             * context; base chains of one hook pipeline only within a section */
  FwrTableFamily family;
  FwrChainType type;
  FwrHook hook;
  int priority;
  FwrAction policy;         /* FWR_ACTION_NONE for a regular chain */
  char *comment;
  guint line;
  guint ordinal;            /* 0-based among the ruleset's chains */
  GPtrArray *rules;         /* (element-type FwrRule) (owned) */
  FwrRuleset *ruleset;      /* (not owned) */
};

struct _FwrObject {
  char *id;                 /* "<family>/<table>/<name>" for nftables */
  char *name;
  char *table;
  FwrTableFamily family;
  FwrObjectKind kind;
  guint line;
  guint n_refs;
};

struct _FwrRuleset {
  gatomicrefcount ref_count;
  char *format;
  char *file;
  GPtrArray *chains;        /* (element-type FwrChain) (owned) */
  GPtrArray *objects;       /* (element-type FwrObject) (owned) */
  GPtrArray *warnings;      /* (element-type utf8) */
  GHashTable *rules_by_id;  /* borrowed FwrRule */
  GHashTable *chains_by_id; /* borrowed FwrChain */
  GHashTable *objects_by_id;
  guint n_rules;
  GPtrArray *lent_sets;     /* (element-type FwrAddrSet) (owned) sets whose arrays rules borrow */
};

/* Building a ruleset (importers). */
FwrRuleset *_fwr_ruleset_new          (const char *format, const char *file);
/* Takes ownership of nothing; the chain is created empty and owned by the ruleset. */
FwrChain   *_fwr_ruleset_add_chain    (FwrRuleset *self, const char *id, const char *table,
                                       const char *name, FwrTableFamily family);
/* The rule is created with one term matching everything, verdict none, enabled. */
FwrRule    *_fwr_chain_add_rule       (FwrChain *chain, const char *id);
FwrObject  *_fwr_ruleset_add_object   (FwrRuleset *self, const char *id, const char *table,
                                       const char *name, FwrTableFamily family, FwrObjectKind kind);
FwrObject  *_fwr_ruleset_lookup_object (const FwrRuleset *self, const char *id);
void        _fwr_ruleset_add_warning  (FwrRuleset *self, guint line, guint column,
                                       const char *format, ...) G_GNUC_PRINTF (4, 5);
/* Keeps set (transfer full) as long as the ruleset, so its rules can borrow its arrays
 * (_fwr_addr_set_new_borrowed): a named set that many rules match costs its size once. */
void        _fwr_ruleset_keep_lent_set (FwrRuleset *self, FwrAddrSet *set);
/* Records that rule uses object (counts the reference once per rule). */
void        _fwr_rule_add_ref         (FwrRule *rule, FwrObject *object);
/* Appends a term (a copy of match, verdict target copied); returns it. */
FwrTerm    *_fwr_rule_add_term        (FwrRule *rule);
void        _fwr_rule_set_verdict     (FwrRule *rule, FwrAction action, const char *target);

void        _fwr_match_init           (FwrMatch *match);  /* matches everything */
void        _fwr_match_clear          (FwrMatch *match);
void        _fwr_match_copy_into      (FwrMatch *dest, const FwrMatch *src);
void        _fwr_match_add_opaque     (FwrMatch *match, const char *text);
/* Text of a match for people, nft-like; "any" for the match that matches everything. */
char       *_fwr_match_to_string      (const FwrMatch *match);
void        _fwr_name_match_clear     (FwrNameMatch *names);
gboolean    _fwr_name_match_matches   (const FwrNameMatch *names, const char *name);

G_END_DECLS
