/* fwr-iptables-private.h: what the iptables-save and "iptables -L -n -v" importers share: the
 * tables and their built-in chains, names of protocols, ports, ICMP types and conntrack states. */
#pragma once

#include "fwr-import-private.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;
  FwrChainType type;
  int priority;                   /* where the table sits among nftables priorities */
  const char *builtins[6];        /* NULL-terminated */
} FwrIptTable;

/* (nullable) "filter", "nat", "mangle", "raw" or "security". */
const FwrIptTable *_fwr_ipt_table_lookup (const char *name);
/* FWR_HOOK_NONE when chain is not one of the table's built-in chains. */
FwrHook  _fwr_ipt_builtin_hook   (const FwrIptTable *table, const char *chain);
/* Creates "<table>/<name>"; policy FWR_ACTION_NONE for a user chain. */
FwrChain *_fwr_ipt_add_chain     (FwrRuleset *ruleset, const FwrIptTable *table, const char *name,
                                  FwrTableFamily family, FwrAction policy, guint line);
/* The id a jump to chain name of table refers to; it is also the chain's id. */
char    *_fwr_ipt_chain_id       (const FwrIptTable *table, const char *name);

/* Each parser returns FALSE with a one-line reason in *why (to be placed by the caller). */
gboolean _fwr_ipt_parse_protocol (const char *text, guint *proto, char **why);
gboolean _fwr_ipt_parse_port     (const char *text, guint *port, char **why);
/* "22", "1000:2000", ":1024", "1024:" (sep ':'), or a list "22,80,1000:2000" (list TRUE). */
FwrRangeSet *_fwr_ipt_parse_ports (const char *text, gboolean list, char **why);
/* icmp: a name, "any", "N" or "N/M"; NULL *out means any type. */
gboolean _fwr_ipt_parse_icmp_type (const char *text, gboolean v6, FwrRangeSet **out, char **why);
/* "NEW,ESTABLISHED,..."; *virtual is set when SNAT or DNAT (not modeled) appear. */
gboolean _fwr_ipt_parse_ct_states (const char *text, guint *mask, gboolean *virtual, char **why);
/* "10.0.0.1", "10.0.0.0/8", "10.0.0.0/255.0.0.0", "2001:db8::/32", "a-b" (range TRUE). A
 * non-contiguous mask gives *inexact TRUE and the whole family (the caller keeps it opaque). */
FwrAddrSet *_fwr_ipt_parse_address (const char *text, FwrFamilyMask family, gboolean range,
                                    gboolean *inexact, char **why);
/* "eth+" -> "eth*"; "+" alone matches every interface. */
void     _fwr_ipt_set_interface  (FwrNameMatch *names, const char *text, gboolean negate);

/* Conjunction helpers: each narrows what is already there (NULL = any), taking set. */
void     _fwr_ipt_narrow_range   (FwrRangeSet **slot, FwrRangeSet *set);
void     _fwr_ipt_narrow_addr    (FwrAddrSet **slot, FwrAddrSet *set);
FwrRangeSet *_fwr_ipt_negate_range (FwrRangeSet *set, guint32 max);

gboolean _fwr_ipt_in_list        (const char *name, const char * const *list, guint n);

/* A text condition for opaque lists: words joined by spaces, quoted where a shell would need it. */
void     _fwr_ipt_append_word    (GString *out, const char *word);

/* What a rule's conditions add up to, before it becomes terms. */
typedef struct {
  FwrMatch match;
  FwrRangeSet *either_ports;      /* multiport --ports: source or destination port in the set */
  GPtrArray *comments;            /* (element-type utf8) */
  GPtrArray *ipsets;              /* (element-type utf8) names of ipsets used */
} FwrIptMatch;

void     _fwr_ipt_match_init     (FwrIptMatch *m);
void     _fwr_ipt_match_clear    (FwrIptMatch *m);
/* Narrows ct states; a contradiction (no state left) becomes an opaque condition. */
void     _fwr_ipt_match_narrow_ct (FwrIptMatch *m, guint mask);
/* Moves m into rule: one term, or two for multiport --ports; comment and ipset references. */
void     _fwr_ipt_match_apply    (FwrIptMatch *m, FwrRule *rule);

typedef struct {
  FwrAction action;
  gboolean log;
  gboolean known;                 /* FALSE: the name is no target we know */
  gboolean nat_only;              /* valid only in the nat table */
} FwrIptTarget;

/* Built-in verdicts and extension targets by name; chains are looked up by the caller first. */
FwrIptTarget _fwr_ipt_target_lookup (const char *name);

/* Lines of an export, one at a time: without the end of line, made valid UTF-8 (invalid bytes
 * become U+FFFD, with a warning) so that ids and messages stay printable. */
typedef struct {
  const char *file;
  const char *data;
  gsize length;
  gsize pos;
  guint number;                   /* 1-based number of the line last returned */
} FwrIptLines;

typedef enum {
  FWR_IPT_LINE,
  FWR_IPT_LINE_END,
  FWR_IPT_LINE_ERROR,
} FwrIptLineResult;

void     _fwr_ipt_lines_init     (FwrIptLines *lines, const char *file, const char *data, gsize length);
FwrIptLineResult _fwr_ipt_lines_next (FwrIptLines *lines, FwrRuleset *ruleset, char **line,
                                      GError **error);

G_END_DECLS
