/* fwr-flow-private.h: the ruleset as the kernel evaluates it. Base chains of one hook form a
 * group; jumps and gotos are inlined under their conditions into one ordered sequence of
 * entries, each with its effective packet space. */
#pragma once

#include "fwr-cube-private.h"
#include "fwr-zones.h"

/* Interface (or zone) names as a finite universe: every concrete name is one value, every
 * wildcard prefix "p*" owns the names whose longest listed prefix is p, and one last value
 * stands for every other name. Each pattern then is an exact set of values. */
typedef struct {
  GHashTable *ids;        /* concrete name -> GUINT_TO_POINTER (id + 1) */
  GPtrArray *names;       /* (element-type utf8) index = id */
  GPtrArray *prefixes;    /* (element-type utf8) id = names->len + index */
  GHashTable *cache;      /* pattern -> FwrSpans* */
  guint n;                /* number of values */
} FwrNameUniverse;

typedef enum {
  FWR_ENTRY_PASS,         /* no verdict or jump/continue: evaluation goes on */
  FWR_ENTRY_ACCEPT,
  FWR_ENTRY_DROP,         /* drop, reject, queue: the packet's fate is final */
  FWR_ENTRY_RETURN,       /* return, or the end of a goto'd chain */
} FwrEntryKind;

typedef struct {
  FwrRule *rule;
  guint term;
  FwrEntryKind kind;
  gboolean synthetic;     /* the end of a chain entered by goto */
  gboolean opaque;        /* may match less than its space */
  guint base;             /* base chain index in the group */
  guint frame;            /* index into the group's frames */
  guint pos;              /* index in the group's entries */
  GPtrArray *space;       /* (element-type FwrCube) effective match */
  long double volume;     /* packets in space (an upper bound where cubes overlap), set by the coverage */
} FwrEntry;

typedef struct {
  guint start;            /* first entry position of the chain instance */
  guint end;              /* one past its last */
  FwrChain *chain;
} FwrFrame;

typedef struct _FwrBoxIndex FwrBoxIndex;

typedef struct {
  FwrHook hook;
  const char *section;    /* (nullable) see FwrChain.section */
  GPtrArray *bases;       /* (element-type FwrChain) by priority */
  GArray *entries;        /* (element-type FwrEntry) */
  GArray *frames;         /* (element-type FwrFrame) */
  FwrBoxIndex *index;
} FwrFlowGroup;

typedef struct {
  FwrRuleset *ruleset;
  FwrZoneMap *zones;
  FwrNameUniverse ifaces;
  FwrNameUniverse zone_names;
  FwrDomain domain4;
  FwrDomain domain6;
  FwrDomains domains;
  GPtrArray *groups;      /* (element-type FwrFlowGroup) */
  GHashTable *reached;    /* FwrChain* reached by a jump or goto from some base chain */
  GPtrArray *loops;       /* (element-type utf8) ids of rules whose jump loops or nests too deep */
  GPtrArray *loop_texts;  /* (element-type utf8) why */
} FwrFlow;

FwrFlow   *_fwr_flow_new   (FwrRuleset *ruleset, FwrZoneMap *zones);
void       _fwr_flow_free  (FwrFlow *flow);
/* (transfer full) The cubes of one match, for the families allowed. */
GPtrArray *_fwr_flow_match_space (FwrFlow *flow, const FwrMatch *match, FwrFamilyMask allowed);
const FwrDomain *_fwr_flow_domain (FwrFlow *flow, guint8 family);
/* Which values of the interface universe a name belongs to. */
guint      _fwr_name_universe_lookup (FwrNameUniverse *universe, const char *name);
/* A representative name for value id (for zone lookups). */
const char *_fwr_name_universe_sample (FwrNameUniverse *universe, guint id, char **scratch);

/* Index: entries whose space may overlap a cube (a superset; callers test exactly). */
FwrBoxIndex *_fwr_box_index_new   (FwrFlow *flow, GArray *entries);
void         _fwr_box_index_free  (FwrBoxIndex *index);
/* Appends to out the positions (unsorted, possibly repeated) of entries that may overlap cube,
 * of those before `before` and those from `from` on (G_MAXUINT, 0: all of them). */
void         _fwr_box_index_query (FwrBoxIndex *index, FwrFlow *flow, const FwrCube *cube,
                                   guint before, guint from, GArray *out);

/* Names of a match as values of a universe (flow->ifaces or flow->zone_names). */
void       _fwr_flow_name_spans (FwrFlow *flow, FwrNameUniverse *universe, const FwrNameMatch *names,
                                 FwrSpans *out);

/* Zones of flow->zones (fwr-zone-space.c). Masks have bit z for zone z (at most 63 zones) and
 * FWR_ZONE_UNKNOWN for packets no zone claims. */
#define FWR_ZONE_BITS 63
#define FWR_ZONE_UNKNOWN (G_GUINT64_CONSTANT (1) << 63)

guint64    _fwr_zone_space_sources      (FwrFlow *flow, const FwrCube *cube);
guint64    _fwr_zone_space_destinations (FwrFlow *flow, const FwrCube *cube);
guint64    _fwr_zone_space_of_class     (FwrFlow *flow, FwrZoneClass klass);
/* (transfer full) (nullable) The packets of cube on zone z's interfaces (or vendor zone), or
 * with an address in zone z's networks, as source or as destination. */
FwrCube   *_fwr_zone_space_restrict_interface (FwrFlow *flow, const FwrCube *cube, guint z, gboolean source);
FwrCube   *_fwr_zone_space_restrict_address   (FwrFlow *flow, const FwrCube *cube, guint z, gboolean source);
