/* fwr-audit.h: the tamper-evident audit log: every write to the store adds a record signed by
 * its actor and chained to the previous one by hash; verification checks all of it. */
#pragma once

#include "fwr-macros.h"
#include "fwr-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64 seq;             /* 1, 2, 3, ... with no gaps */
  char *time;
  char *actor;            /* user name */
  char *actor_key;        /* the public key that signed */
  char *action;           /* "store.init", "user.add", "change.approve", ... */
  char *subject_type;     /* (nullable) "user", "device", "snapshot", "change", "approval",
                           * "drift-check"; NULL when the record is its own subject */
  gint64 subject_id;
  char *subject_sha256;   /* of the subject's canonical form */
  char *details;          /* compact JSON with the facts a reader needs */
  char *prev_sha256;      /* the previous record's sha256; 64 zeros for the first */
  char *sha256;           /* of the signed text and the signature */
  char *signature;        /* by actor_key over fwr_audit_record_dup_signed_text() */
} FwrAuditRecord;

FWR_PUBLIC void  fwr_audit_record_free            (FwrAuditRecord *record);
/* (transfer full) The canonical serialization the signature covers: every field above but
 * sha256 and signature, each length-prefixed so no two records serialize alike. */
FWR_PUBLIC char *fwr_audit_record_dup_signed_text (const FwrAuditRecord *record, gsize *length);

/* (transfer full) (element-type FwrAuditRecord) In order. */
FWR_PUBLIC GPtrArray *fwr_store_list_audit (FwrStore *self, GError **error);

typedef struct {
  gboolean intact;
  guint64 n_records;
  char *head_sha256;      /* (nullable) the last record's hash: pin it elsewhere to detect a
                           * rewrite of the whole log */
  gint64 first_broken;    /* seq of the first broken record, 0 when intact */
  GPtrArray *problems;    /* (element-type utf8) every problem, in log order */
} FwrAuditReport;

FWR_PUBLIC void  fwr_audit_report_free (FwrAuditReport *report);

/* (transfer full) Checks the chain, every signature against the keys the log itself
 * registered (with their roles and revocations), that every stored user, device, snapshot
 * (with its bytes), change, approval (with its signature) and drift check matches the record
 * that wrote it, and that state derived from the log (change states, baselines, revocations)
 * matches the tables. NULL with error only when the store cannot be read at all. */
FWR_PUBLIC FwrAuditReport *fwr_store_verify_audit (FwrStore *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrAuditRecord, fwr_audit_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrAuditReport, fwr_audit_report_free)

G_END_DECLS
