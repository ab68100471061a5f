/* fwr-fortios-values-private.h: what a FortiOS address or service object matches, with the
 * exact set operations groups, exclusions and negation need. */
#pragma once

#include "fwr-ruleset-private.h"

G_BEGIN_DECLS

/* Addresses: exact is matched for certain; loose (nullable, disjoint from exact) may be
 * matched in part, under conditions the model cannot express (an FQDN, a country...),
 * which why describes for people. */
typedef struct {
  FwrAddrSet *exact;
  FwrAddrSet *loose;
  GPtrArray *why;      /* (element-type utf8) (nullable) */
} FwrFosAddr;

FwrFosAddr *_fwr_fos_addr_new        (void);
FwrFosAddr *_fwr_fos_addr_copy       (const FwrFosAddr *self);
void        _fwr_fos_addr_free       (FwrFosAddr *self);
/* Adds an unmodelled part whose addresses lie within bound. */
void        _fwr_fos_addr_add_loose  (FwrFosAddr *self, const FwrAddrSet *bound, const char *why);
void        _fwr_fos_addr_union      (FwrFosAddr *self, const FwrFosAddr *other);
/* self minus other (an address group's exclude-member). */
void        _fwr_fos_addr_exclude    (FwrFosAddr *self, const FwrFosAddr *other);
/* Everything of family that self does not match (srcaddr-negate). */
void        _fwr_fos_addr_negate     (FwrFosAddr *self, FwrFamilyMask family);
/* "fqdn *.example.com | geography AQ", or NULL when self is exact. */
char       *_fwr_fos_addr_dup_why    (const FwrFosAddr *self);

/* Services: one conjunction of protocol conditions, NULL fields meaning any. A service
 * matches the union of its terms. opaque (nullable) says the term may match less. */
typedef struct {
  FwrRangeSet *protos;
  FwrRangeSet *sports;
  FwrRangeSet *dports;
  FwrRangeSet *icmp;   /* (type << 8) | code */
  char *opaque;
} FwrFosSvcTerm;

FwrFosSvcTerm *_fwr_fos_svc_term_new  (void);
FwrFosSvcTerm *_fwr_fos_svc_term_copy (const FwrFosSvcTerm *term);
void           _fwr_fos_svc_term_free (FwrFosSvcTerm *term);
/* (element-type FwrFosSvcTerm) an empty list of terms, freeing them. */
GPtrArray     *_fwr_fos_svc_new       (void);
void           _fwr_fos_svc_append    (GPtrArray *self, const GPtrArray *other);
/* Merges terms that differ in one field only and drops terms inside another: the same
 * packets, fewer terms. */
void           _fwr_fos_svc_normalize (GPtrArray *self);
/* (transfer full) The packets self does not match (service-negate). Terms with opaque
 * conditions cannot be complemented exactly: the result then carries an opaque note. */
GPtrArray     *_fwr_fos_svc_new_complement (const GPtrArray *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrFosAddr, _fwr_fos_addr_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrFosSvcTerm, _fwr_fos_svc_term_free)

G_END_DECLS
