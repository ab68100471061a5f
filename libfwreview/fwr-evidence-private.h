/* fwr-evidence-private.h: what the evidence export's parts share: the period's records as read
 * from the store, and the report as a list of blocks that HTML and PDF both render. */
#pragma once

#include "fwr-store-private.h"

/* The report: blocks in reading order. HTML and PDF render the same blocks with the same
 * text, so what an inspector reads in one is what the other says. */
typedef enum {
  FWR_DOC_TITLE,
  FWR_DOC_HEADING,
  FWR_DOC_SUBHEADING,
  FWR_DOC_TEXT,
  FWR_DOC_CLAUSE,           /* the checklist clause the records around it answer */
  FWR_DOC_CODE,             /* monospace, lines kept */
  FWR_DOC_TABLE,            /* first row: the header */
} FwrDocKind;

typedef struct {
  FwrDocKind kind;
  char *text;               /* (nullable) for tables */
  guint n_columns;          /* tables */
  GPtrArray *cells;         /* (element-type utf8) tables: row after row, n_columns each */
} FwrDocBlock;

typedef struct {
  char *title;
  char *lang;               /* the report's language tag ("en", "zh-TW", ...) */
  GPtrArray *blocks;        /* (element-type FwrDocBlock) */
} FwrDoc;

FwrDoc      *_fwr_doc_new        (const char *title, const char *lang);
void         _fwr_doc_free       (FwrDoc *doc);
void         _fwr_doc_add        (FwrDoc *doc, FwrDocKind kind, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* A table with header cells (a NULL-terminated list of n columns). */
FwrDocBlock *_fwr_doc_add_table  (FwrDoc *doc, const char * const *header);
/* n_columns cells; NULL cells print empty. */
void         _fwr_doc_table_add_row (FwrDocBlock *table, const char * const *cells);
/* (transfer full) One self-contained HTML file. */
char        *_fwr_doc_to_html    (const FwrDoc *doc);
/* The same content as a PDF (fwr-evidence-pdf.c). */
gboolean     _fwr_doc_write_pdf  (const FwrDoc *doc, const char *path, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrDoc, _fwr_doc_free)

/* A configuration the period refers to, with its original bytes. */
typedef struct {
  FwrSnapshot *snapshot;
  GBytes *data;
  char *path;               /* in the bundle: "snapshots/<id>-<file>" */
} FwrEvidenceSnapshot;

/* Everything the bundle shows, read in one consistent view of the store. Times are the
 * store's ISO 8601 text. */
typedef struct {
  char *store_id;
  FwrDevice *device;
  char *from;
  char *to;
  char *exported_at;
  FwrUser *exporter;
  guint retention_months;
  GPtrArray *changes;       /* (element-type FwrChange) submitted, decided or implemented in the period */
  GPtrArray *approvals;     /* (element-type FwrApproval) of those changes */
  GHashTable *diffs;        /* &change id -> FwrDiff */
  GPtrArray *drift_checks;  /* (element-type FwrDriftCheck) */
  GPtrArray *reviews;       /* (element-type FwrReview) started or signed off in the period */
  GPtrArray *snapshots;     /* (element-type FwrEvidenceSnapshot) by id */
  GPtrArray *records;       /* (element-type FwrAuditRecord) the period's contiguous segment */
  GPtrArray *key_records;   /* (element-type FwrAuditRecord) every registration and revocation */
  GPtrArray *users;         /* (element-type FwrUser) */
  gint64 head_seq;
  char *head_sha256;
  char *oldest_record;      /* (nullable) the time of the log's first record */
  char *oldest_snapshot;    /* (nullable) the oldest snapshot the store keeps (all devices) */
  guint n_purges;
  char *last_purge;         /* (nullable) its "before" date */
  FwrSnapshot *end_baseline; /* (nullable) the approved configuration in force when the period ends */
  FwrRuleset *end_ruleset;  /* (nullable) */
  FwrReport *report;        /* (nullable) its findings */
} FwrEvidence;

void      _fwr_evidence_free          (FwrEvidence *evidence);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwrEvidence, _fwr_evidence_free)
/* (transfer full) The report's blocks (fwr-evidence-report.c). */
FwrDoc   *_fwr_evidence_build_report  (const FwrEvidence *evidence);
/* The snapshot with this id, NULL when the period does not refer to it. */
const FwrEvidenceSnapshot *_fwr_evidence_find_snapshot (const FwrEvidence *evidence, gint64 id);

/* The bundle's fixed names and forms, shared by export and verification. */
#define FWR_EVIDENCE_MANIFEST "manifest.json"
#define FWR_EVIDENCE_RECORDS "records.json"
#define FWR_EVIDENCE_MANIFEST_SCHEMA "fwreview.evidence/1"
#define FWR_EVIDENCE_RECORDS_SCHEMA "fwreview.evidence-records/1"

/* (transfer full) The manifest exactly as written: 2-space indented JSON and a newline. The
 * verifier rewrites what it parsed and compares bytes, so no byte of it can change unnoticed. */
char     *_fwr_evidence_dup_json_text (json_t *root);
/* (transfer full) What the manifest's signature covers: every field but "signature". */
char     *_fwr_evidence_dup_manifest_signed_text (json_t *manifest, gsize *length);
/* (transfer full) Record as stored in records.json, and back (NULL when malformed). */
json_t   *_fwr_evidence_record_to_json   (const FwrAuditRecord *record);
FwrAuditRecord *_fwr_evidence_record_from_json (json_t *json);
