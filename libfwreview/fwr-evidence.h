/* fwr-evidence.h: the evidence bundle an inspector takes away: a report (HTML and PDF), CSV
 * tables, the signed records of a period and the configurations, all under a signed manifest. */
#pragma once

#include "fwr-macros.h"
#include "fwr-store.h"

G_BEGIN_DECLS

#define FWR_EVIDENCE_ERROR (fwr_evidence_error_quark ())
typedef enum {
  FWR_EVIDENCE_ERROR_IO,        /* the folder cannot be written or read */
  FWR_EVIDENCE_ERROR_EXISTS,    /* the output folder exists already */
  FWR_EVIDENCE_ERROR_INVALID,   /* a bad period */
} FwrEvidenceError;
FWR_PUBLIC GQuark fwr_evidence_error_quark (void);

/* What an export wrote. */
typedef struct {
  char *dir;
  guint n_files;            /* listed in the manifest */
  guint n_records;          /* audit records of the period */
  guint n_snapshots;
  guint n_findings;
  guint n_reviews;
  guint n_changes;
  gint64 head_seq;          /* the audit chain's head when exporting */
  char *head_sha256;
} FwrEvidenceExport;

/* Writes the bundle of device for the period [from, to] into dir, which must not exist; the
 * bundle appears there complete or not at all. Any registered, unrevoked user may export; the
 * manifest is signed with actor's key. The report's text follows the locale (gettext domain
 * "fwreview"), English by default. */
FWR_PUBLIC FwrEvidenceExport *fwr_store_export_evidence (FwrStore *self, const FwrIdentity *actor,
                                                         const char *device, GDateTime *from,
                                                         GDateTime *to, const char *dir,
                                                         GError **error);
FWR_PUBLIC void fwr_evidence_export_free (FwrEvidenceExport *result);

/* What a bundle's verification found. */
typedef struct {
  gboolean intact;
  GPtrArray *problems;      /* (element-type utf8) what was altered, missing or added */
  char *device;             /* (nullable) as the manifest says */
  char *period_from;        /* (nullable) */
  char *period_to;          /* (nullable) */
  char *exported_by;        /* (nullable) */
  char *exported_at;        /* (nullable) */
  gint64 head_seq;          /* the audit head the manifest names: compare it with the store's */
  char *head_sha256;        /* (nullable) */
  guint n_files;
  guint n_records;
} FwrEvidenceCheck;

/* (transfer full) Checks a bundle with no store at hand: the manifest's form and signature
 * (by a key the bundle's own key records register), every file's SHA-256 and size, no file
 * added, the audit records' chain, hashes and signatures, every approval, review decision and
 * sign-off signature against the record that logged it, and every configuration's SHA-256.
 * NULL with error only when dir cannot be read at all. */
FWR_PUBLIC FwrEvidenceCheck *fwr_evidence_verify     (const char *dir, GError **error);
FWR_PUBLIC void              fwr_evidence_check_free (FwrEvidenceCheck *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrEvidenceExport, fwr_evidence_export_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrEvidenceCheck, fwr_evidence_check_free)

G_END_DECLS
