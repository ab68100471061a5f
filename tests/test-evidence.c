/* test-evidence.c: the evidence bundle of a simulated year: what it holds, that it verifies
 * with no store, that one changed byte in any file is caught, that a re-signed manifest is not
 * trusted, and that the PDF says what the HTML says (read back with pdftotext). */
#include <gio/gio.h>
#include <jansson.h>

#include "fwr-test-year.h"
#include "fwr-evidence-private.h"

typedef struct {
  StoreFixture store;
  FwrTestYear year;
  char *bundle;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  year_fixture_setup (&fixture->store, data);
  fwr_test_year_build (&fixture->store, &fixture->year);
  fixture->bundle = g_build_filename (fixture->store.dir, "evidence-2024", NULL);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_free (fixture->bundle);
  store_fixture_teardown (&fixture->store, data);
}

static FwrEvidenceExport *
export (Fixture *fixture, const char *from, const char *to, const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) start = fwr_time_parse (from);
  g_autoptr (GDateTime) end = fwr_time_parse (to);
  fwr_test_at ("2025-01-15T10:00:00Z");
  FwrEvidenceExport *result = fwr_store_export_evidence (fixture->store.store, fixture->store.carol, "edge",
                                                         start, end, dir, &error);
  g_assert_no_error (error);
  return result;
}

static char *
read_bundle_file (const char *dir, const char *name, gsize *length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static json_t *
read_bundle_json (const char *dir, const char *name)
{
  gsize length = 0;
  g_autofree char *text = read_bundle_file (dir, name, &length);
  json_error_t error;
  json_t *root = json_loadb (text, length, 0, &error);
  g_assert_nonnull (root);
  return root;
}

static FwrEvidenceCheck *
verify (const char *dir)
{
  g_autoptr (GError) error = NULL;
  FwrEvidenceCheck *check = fwr_evidence_verify (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < check->problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (check->problems, i));
  return check;
}

static guint
count_lines (const char *text)
{
  guint n = 0;
  for (const char *p = strstr (text, "\r\n"); p != NULL; p = strstr (p + 2, "\r\n"))
    n++;
  return n;
}

/* What a year's bundle holds, and that it verifies with no store at hand. */
static void
test_bundle (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FwrEvidenceExport) result = export (fixture, "2024-01-01", "2024-12-31T23:59:59Z", fixture->bundle);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->n_reviews, ==, 3);
  g_assert_cmpuint (result->n_changes, ==, 4);
  g_autoptr (GPtrArray) log = fwr_store_list_audit (fixture->store.store, NULL);
  g_assert_cmpint (result->head_seq, ==, log->len);
  g_assert_cmpuint (result->n_records, ==, log->len);
  g_assert_cmpstr (result->head_sha256, ==, ((FwrAuditRecord *) g_ptr_array_index (log, log->len - 1))->sha256);

  /* The store is not needed to check the bundle. */
  g_clear_pointer (&fixture->store.store, fwr_store_free);
  g_autoptr (FwrEvidenceCheck) check = verify (fixture->bundle);
  g_assert_true (check->intact);
  g_assert_cmpstr (check->device, ==, "edge");
  g_assert_cmpstr (check->exported_by, ==, "carol");
  g_assert_cmpstr (check->period_from, ==, "2024-01-01T00:00:00Z");
  g_assert_cmpstr (check->period_to, ==, "2024-12-31T23:59:59Z");
  g_assert_cmpint (check->head_seq, ==, result->head_seq);
  g_assert_cmpuint (check->n_files, ==, result->n_files);
  g_assert_cmpuint (check->n_records, ==, result->n_records);

  g_autoptr (json_t) records = read_bundle_json (fixture->bundle, "records.json");
  g_assert_cmpuint (json_array_size (json_object_get (records, "key_records")), ==, 4);
  g_assert_cmpuint (json_array_size (json_object_get (records, "approvals")), ==, 4);
  g_assert_cmpuint (json_array_size (json_object_get (records, "review_decisions")), ==, 5 + 8 + 4);
  g_assert_cmpuint (json_array_size (json_object_get (records, "review_signoffs")), ==, 3);
  /* Every configuration of the year that ran or was proposed, byte for byte. */
  json_t *snapshots = json_object_get (records, "snapshots");
  g_assert_cmpuint (json_array_size (snapshots), ==, result->n_snapshots);
  g_assert_cmpuint (result->n_snapshots, ==, 10);
  gsize length = 0;
  g_autofree char *original = fwr_test_review_data ("edge-drift.json", &length);
  g_autofree char *drift_sha = _fwr_sha256_hex (original, length);
  gboolean found = FALSE;
  for (size_t i = 0; i < json_array_size (snapshots); i++)
    if (g_str_equal (json_string_value (json_object_get (json_array_get (snapshots, i), "sha256")), drift_sha))
      {
        gsize copy_length = 0;
        g_autofree char *copy = read_bundle_file (fixture->bundle,
            json_string_value (json_object_get (json_array_get (snapshots, i), "path")), &copy_length);
        g_assert_cmpmem (copy, copy_length, original, length);
        found = TRUE;
      }
  g_assert_true (found);

  g_autoptr (json_t) manifest = read_bundle_json (fixture->bundle, "manifest.json");
  g_assert_cmpstr (json_string_value (json_object_get (manifest, "schema")), ==, "fwreview.evidence/1");

  /* Private like the store: the configurations describe the network's defences. */
  const char *private[] = { "", "report.pdf", "report.html", "records.json", "snapshots" };
  for (guint i = 0; i < G_N_ELEMENTS (private); i++)
    {
      g_autofree char *path = g_build_filename (fixture->bundle, private[i], NULL);
      GStatBuf info;
      g_assert_cmpint (g_stat (path, &info), ==, 0);
      g_assert_cmpint (info.st_mode & 0777, ==, S_ISDIR (info.st_mode) ? 0700 : 0600);
    }
  g_assert_cmpuint (json_array_size (json_object_get (manifest, "files")), ==, 6 + result->n_snapshots);
}

/* The report names every review decision, change, approval and drift, each with its clause. */
static void
test_report (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FwrEvidenceExport) result = export (fixture, "2024-01-01", "2024-12-31T23:59:59Z", fixture->bundle);
  g_assert_nonnull (result);
  gsize length = 0;
  g_autofree char *html = read_bundle_file (fixture->bundle, "report.html", &length);
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n<html lang=\"en\">"));
  g_assert_null (strstr (html, "src="));
  g_assert_null (strstr (html, "href="));
  const char *expected[] = {
    "<h1>Firewall evidence: edge</h1>",
    "CC-17010 approval by supervisor</td>",
    "CC-17010 semi-annual DMZ review</td>",
    "CC-17010 yearly review</td>",
    "CC-17010 3-year retention</td>",
    "CC-17010 positive list</td>",
    "<h3>Review 1: DMZ rules</h3>",
    "<h3>Review 2: access-control rules</h3>",
    "<td>ftp retired, no hits all year</td>",
    "remove (change 4)",
    "Signed off on 2024-06-22T09:00:00Z by dave — checked with the owners: 5 rules, every one decided.",
    "<h3>Change 3: rejected</h3>",
    "Rejected on 2024-04-02T09:00:00Z by dave: no rdp from the internet into operating (signature valid).",
    "- inet/edge/forward/5: ipv4 iifname wan oifname dmz daddr 192.0.2.11 proto 6 dport 21 accept",
    "DRIFT: 1 unapproved difference; what ran is snapshot",
    "<td>runs the approved configuration</td>",
    "Records are kept 36 months: the checklist asks for at least 36.",
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (html, expected[i]) == NULL)
      g_error ("report.html lacks “%s”", expected[i]);

  /* CSV: a header row, one row per record, RFC 4180 quoting, CRLF. */
  g_autofree char *decisions = read_bundle_file (fixture->bundle, "decisions.csv", &length);
  g_assert_true (g_str_has_prefix (decisions, "review_id,scope,rule_id,rule,comment,findings,decision,reason,"
                                   "decided_by,decided_at,change_id,signed_off_by,signed_off_at\r\n"));
  g_assert_cmpuint (count_lines (decisions), ==, 1 + 5 + 8 + 4);
  g_assert_nonnull (strstr (decisions, "1,dmz,inet/edge/forward/5,ipv4 iifname wan oifname dmz daddr 192.0.2.11 "
                            "proto 6 dport 21 accept,old ftp,cleartext-service unused zero-hits,remove,"
                            "\"ftp retired, no hits all year\",bob,2024-06-21T10:00:00Z,4,dave,"
                            "2024-06-22T09:00:00Z\r\n"));
  g_autofree char *changes = read_bundle_file (fixture->bundle, "changes.csv", &length);
  g_assert_cmpuint (count_lines (changes), ==, 1 + 4);
  g_assert_nonnull (strstr (changes, "\r\n3,no,rejected,vendor wants rdp,,alice,2024-04-01T09:00:00Z,dave,"
                            "2024-04-02T09:00:00Z,,,1,1,0,0,"));
  g_autofree char *findings = read_bundle_file (fixture->bundle, "findings.csv", &length);
  g_assert_true (g_str_has_prefix (findings, "severity,check,rule_id,chain,rule,message,clause\r\n"));
  g_assert_nonnull (strstr (findings, "\r\nhigh,any-any,inet/edge/forward/6,inet/edge/forward,"));
}

/* One byte changed in any file, a file removed or added: each is caught and named. */
static void
test_tamper (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FwrEvidenceExport) result = export (fixture, "2024-01-01", "2024-12-31T23:59:59Z", fixture->bundle);
  g_assert_nonnull (result);
  g_autoptr (json_t) manifest = read_bundle_json (fixture->bundle, "manifest.json");
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  size_t i;
  json_t *file;
  json_array_foreach (json_object_get (manifest, "files"), i, file)
    g_ptr_array_add (names, g_strdup (json_string_value (json_object_get (file, "path"))));
  g_ptr_array_add (names, g_strdup ("manifest.json"));

  for (guint n = 0; n < names->len; n++)
    {
      const char *name = g_ptr_array_index (names, n);
      g_autofree char *path = g_build_filename (fixture->bundle, name, NULL);
      gsize length = 0;
      g_autofree char *original = read_bundle_file (fixture->bundle, name, &length);
      /* Change bytes at three places, one at a time: the start, the middle, the end. */
      gsize places[] = { 0, length / 2, length - 2 };
      for (guint p = 0; p < G_N_ELEMENTS (places); p++)
        {
          g_autofree char *altered = g_memdup2 (original, length);
          altered[places[p]] = altered[places[p]] == 'x' ? 'y' : 'x';
          g_assert_true (g_file_set_contents (path, altered, (gssize) length, NULL));
          g_autoptr (FwrEvidenceCheck) check = verify (fixture->bundle);
          g_assert_false (check->intact);
          g_assert_cmpuint (check->problems->len, >, 0);
          g_autofree char *first = g_strdup (g_ptr_array_index (check->problems, 0));
          if (!g_str_has_prefix (first, name))
            g_error ("changing byte %zu of %s: the first problem is “%s”", places[p], name, first);
        }
      g_assert_true (g_file_set_contents (path, original, (gssize) length, NULL));
    }
  g_autoptr (FwrEvidenceCheck) restored = verify (fixture->bundle);
  g_assert_true (restored->intact);

  g_autofree char *csv = g_build_filename (fixture->bundle, "changes.csv", NULL);
  g_autofree char *moved = g_build_filename (fixture->bundle, "changes.old", NULL);
  g_assert_cmpint (g_rename (csv, moved), ==, 0);
  g_autoptr (FwrEvidenceCheck) renamed = verify (fixture->bundle);
  g_assert_cmpuint (renamed->problems->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (renamed->problems, 0), ==, "changes.csv: missing (the manifest lists it)");
  g_assert_cmpstr (g_ptr_array_index (renamed->problems, 1), ==, "changes.old: added: the manifest does not list it");
}

/* Editing a file and re-signing the manifest with a key the store never registered does not
 * make the bundle trusted. */
static void
test_resigned (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FwrEvidenceExport) result = export (fixture, "2024-01-01", "2024-12-31T23:59:59Z", fixture->bundle);
  g_assert_nonnull (result);
  const char *forged = "<!DOCTYPE html>\n<html lang=\"en\"><body><p>All fine.</p></body></html>\n";
  g_autofree char *report = g_build_filename (fixture->bundle, "report.html", NULL);
  g_assert_true (g_file_set_contents (report, forged, -1, NULL));

  g_autoptr (json_t) manifest = read_bundle_json (fixture->bundle, "manifest.json");
  size_t i;
  json_t *file;
  json_array_foreach (json_object_get (manifest, "files"), i, file)
    if (g_str_equal (json_string_value (json_object_get (file, "path")), "report.html"))
      {
        g_autofree char *sha256 = _fwr_sha256_hex (forged, strlen (forged));
        json_object_set_new (file, "sha256", json_string (sha256));
        json_object_set_new (file, "size", json_integer ((json_int_t) strlen (forged)));
      }
  g_autoptr (FwrIdentity) mallory = fwr_identity_generate ();
  json_object_set_new (json_object_get (manifest, "exported_by"), "public_key",
                       json_string (fwr_identity_get_public_key (mallory)));
  gsize length = 0;
  g_autofree char *signed_text = _fwr_evidence_dup_manifest_signed_text (manifest, &length);
  g_autofree char *signature = fwr_identity_sign (mallory, signed_text, length);
  json_object_set_new (manifest, "signature", json_string (signature));
  g_autofree char *text = _fwr_evidence_dup_json_text (manifest);
  g_autofree char *path = g_build_filename (fixture->bundle, "manifest.json", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  g_autoptr (FwrEvidenceCheck) check = verify (fixture->bundle);
  g_assert_false (check->intact);
  g_assert_cmpuint (check->problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (check->problems, 0), ==,
                   "manifest.json: signed by a key the bundle's records do not register to carol");
}

/* A narrower period: only what happened in it, with a chain segment that still checks. */
static void
test_period (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FwrEvidenceExport) result = export (fixture, "2024-06-01", "2024-06-30T23:59:59Z", fixture->bundle);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->n_reviews, ==, 1);
  g_assert_cmpuint (result->n_changes, ==, 1);
  g_autoptr (json_t) records = read_bundle_json (fixture->bundle, "records.json");
  json_t *segment = json_object_get (records, "records");
  g_assert_cmpuint (json_array_size (segment), ==, result->n_records);
  for (size_t i = 0; i < json_array_size (segment); i++)
    {
      const char *time = json_string_value (json_object_get (json_array_get (segment, i), "time"));
      g_assert_cmpstr (time, >=, "2024-06-01T00:00:00Z");
      g_assert_cmpstr (time, <=, "2024-06-30T23:59:59Z");
    }
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (segment, 0), "action")), ==,
                   "snapshot.import");
  g_autoptr (FwrEvidenceCheck) check = verify (fixture->bundle);
  g_assert_true (check->intact);

  /* A record cut from the middle of the segment breaks the chain. */
  json_array_remove (segment, 2);
  g_autofree char *text = _fwr_evidence_dup_json_text (records);
  g_autofree char *path = g_build_filename (fixture->bundle, "records.json", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_autoptr (FwrEvidenceCheck) cut = verify (fixture->bundle);
  g_assert_false (cut->intact);
  gboolean chain = FALSE;
  for (guint i = 0; i < cut->problems->len; i++)
    chain |= strstr (g_ptr_array_index (cut->problems, i), "in the chain: records were removed") != NULL;
  g_assert_true (chain);
}

/* Text without what layout adds: whitespace, and the hyphens pdftotext drops at line ends. */
static char *
dup_normalized (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c) && c != '-')
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
dup_unescaped (const char *html)
{
  g_autoptr (GString) out = g_string_new (html);
  g_string_replace (out, "&lt;", "<", 0);
  g_string_replace (out, "&gt;", ">", 0);
  g_string_replace (out, "&quot;", "\"", 0);
  g_string_replace (out, "&#39;", "'", 0);
  g_string_replace (out, "&apos;", "'", 0);
  g_string_replace (out, "&amp;", "&", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GHashTable *
count_chars (const char *text)
{
  GHashTable *counts = g_hash_table_new (NULL, NULL);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gpointer key = GUINT_TO_POINTER (g_utf8_get_char (p));
      g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
    }
  return counts;
}

/* The PDF, read back by a real reader, says what the HTML says: every heading, paragraph and
 * listing in the same order, and the same characters over all (table cells included). */
static void
test_pdf_text (Fixture *fixture, gconstpointer data)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  g_autoptr (FwrEvidenceExport) result = export (fixture, "2024-01-01", "2024-12-31T23:59:59Z", fixture->bundle);
  g_assert_nonnull (result);
  g_autofree char *pdf = g_build_filename (fixture->bundle, "report.pdf", NULL);
  g_autofree char *pdf_text = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &pdf_text, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *pdf_flat = dup_normalized (pdf_text);

  gsize length = 0;
  g_autofree char *html = read_bundle_file (fixture->bundle, "report.html", &length);
  const char *body = strstr (html, "<body>");
  g_assert_nonnull (body);

  /* Blocks outside tables, in order. */
  g_autoptr (GRegex) blocks = g_regex_new ("<(h1|h2|h3|pre|p)(?: [^>]*)?>(.*?)</\\1>", G_REGEX_DOTALL, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  const char *from = pdf_flat;
  guint n_blocks = 0;
  for (g_regex_match (blocks, body, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *inner = g_match_info_fetch (match, 2);
      g_autofree char *text = dup_unescaped (inner);
      g_autofree char *flat = dup_normalized (text);
      const char *at = strstr (from, flat);
      if (at == NULL)
        g_error ("the PDF lacks, after what came before, the block “%s”", text);
      from = at + strlen (flat);
      n_blocks++;
    }
  g_assert_cmpuint (n_blocks, >, 40);

  /* Everything, tables too: the same characters, as many times. */
  g_autoptr (GRegex) tags = g_regex_new ("<[^>]*>", 0, 0, NULL);
  g_autofree char *stripped = g_regex_replace_literal (tags, body, -1, 0, " ", 0, NULL);
  g_autofree char *html_text = dup_unescaped (stripped);
  g_autofree char *html_flat = dup_normalized (html_text);
  g_autoptr (GHashTable) html_counts = count_chars (html_flat);
  g_autoptr (GHashTable) pdf_counts = count_chars (pdf_flat);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, html_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_hash_table_lookup (pdf_counts, key) != value)
      {
        char character[8] = { 0 };
        g_unichar_to_utf8 (GPOINTER_TO_UINT (key), character);
        g_error ("“%s” appears %u times in the HTML and %u times in the PDF", character,
                 GPOINTER_TO_UINT (value), GPOINTER_TO_UINT (g_hash_table_lookup (pdf_counts, key)));
      }
  g_assert_cmpuint (g_hash_table_size (html_counts), ==, g_hash_table_size (pdf_counts));
  g_assert_cmpuint (strlen (html_flat), ==, strlen (pdf_flat));
}

/* Through the command: contracts, exit codes, no overwriting. */

/* Runs fwreview as who, with env (NULL: this process's) as its environment. */
static int
run_env (Fixture *fixture, const char *who, char **env, char **out, const char * const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (g_getenv ("FWREVIEW_BIN")));
  g_ptr_array_add (argv, g_strdup_printf ("--store=%s", fixture->store.path));
  g_ptr_array_add (argv, g_strdup_printf ("--identity=%s/%s.key", fixture->store.dir, who));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               out, NULL, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static int
run (Fixture *fixture, const char *who, char **out, const char * const *args)
{
  return run_env (fixture, who, NULL, out, args);
}

static void
test_cli (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_strdup_printf ("%s/carol.key", fixture->store.dir);
  g_assert_true (fwr_identity_save (fixture->store.carol, path, NULL, NULL));
  fwr_test_at ("2025-01-15T10:00:00Z");

  g_autofree char *out = NULL;
  const char *export_args[] = { "export", "evidence", "--device", "edge", "--from", "2024-01-01", "--to",
                                "2024-12-31", "--out", fixture->bundle, "--format", "json", NULL };
  g_assert_cmpint (run (fixture, "carol", &out, export_args), ==, 0);
  g_autoptr (json_t) exported = json_loads (out, 0, NULL);
  g_assert_cmpstr (json_string_value (json_object_get (exported, "schema")), ==, "fwreview.evidence/1");
  g_assert_cmpint (json_integer_value (json_object_get (exported, "reviews")), ==, 3);
  g_clear_pointer (&out, g_free);
  /* --to as a date means the whole day. */
  g_autoptr (json_t) manifest = read_bundle_json (fixture->bundle, "manifest.json");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (manifest, "period"), "to")), ==,
                   "2024-12-31T23:59:59Z");

  g_assert_cmpint (run (fixture, "carol", &out, export_args), ==, 3);
  g_clear_pointer (&out, g_free);
  const char *verify_args[] = { "export", "verify", fixture->bundle, "--format", "json", NULL };
  g_assert_cmpint (run (fixture, "carol", &out, verify_args), ==, 0);
  g_autoptr (json_t) verified = json_loads (out, 0, NULL);
  g_assert_cmpstr (json_string_value (json_object_get (verified, "schema")), ==, "fwreview.evidence-verify/1");
  g_assert_true (json_is_true (json_object_get (verified, "intact")));
  g_clear_pointer (&out, g_free);

  g_autofree char *csv = g_build_filename (fixture->bundle, "decisions.csv", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (csv, &contents, &length, NULL));
  contents[length / 2] ^= 0x01;
  g_assert_true (g_file_set_contents (csv, contents, (gssize) length, NULL));
  const char *verify_text[] = { "export", "verify", fixture->bundle, NULL };
  g_assert_cmpint (run (fixture, "carol", &out, verify_text), ==, 1);
  g_assert_cmpstr (out, ==, "evidence ALTERED: 1 problem\n  decisions.csv: altered: its SHA-256 or size is "
                   "not the one the manifest records\n");
  g_clear_pointer (&out, g_free);

  const char *missing[] = { "export", "verify", "/nonexistent/bundle", NULL };
  g_assert_cmpint (run (fixture, "carol", &out, missing), ==, 3);
  g_clear_pointer (&out, g_free);
  const char *usage[] = { "export", "evidence", "--device", "edge", "--from", "2024-01-01", NULL };
  g_assert_cmpint (run (fixture, "carol", &out, usage), ==, 2);
  g_clear_pointer (&out, g_free);
  const char *help[] = { "--help", NULL };
  g_assert_cmpint (run (fixture, "carol", &out, help), ==, 0);
  g_assert_nonnull (strstr (out, "\n  review "));
  g_assert_nonnull (strstr (out, "\n  export "));
}

static gboolean
have_traditional_chinese_font (void)
{
  g_autofree char *fc_list = g_find_program_in_path ("fc-list");
  g_autofree char *fonts = NULL;
  const char *argv[] = { "fc-list", ":lang=zh-tw", "family", NULL };
  return fc_list != NULL &&
         g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                       &fonts, NULL, NULL, NULL) &&
         fonts != NULL && *fonts != '\0';
}

/* The report in Traditional Chinese (po/zh_TW.po), chosen the usual gettext way, in the HTML
 * and, read back by pdftotext, in the PDF. */
static void
test_zh_tw (Fixture *fixture, gconstpointer data)
{
  g_autofree char *key = g_strdup_printf ("%s/carol.key", fixture->store.dir);
  g_assert_true (fwr_identity_save (fixture->store.carol, key, NULL, NULL));
  fwr_test_at ("2025-01-15T10:00:00Z");

  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "zh_TW", TRUE);
  env = g_environ_setenv (env, "FWREVIEW_LOCALEDIR", g_getenv ("FWR_BUILD_LOCALEDIR"), TRUE);
  g_autofree char *out = NULL;
  const char *export_args[] = { "export", "evidence", "--device", "edge", "--from", "2024-01-01", "--to",
                                "2024-12-31", "--out", fixture->bundle, NULL };
  g_assert_cmpint (run_env (fixture, "carol", env, &out, export_args), ==, 0);

  gsize length = 0;
  g_autofree char *html = read_bundle_file (fixture->bundle, "report.html", &length);
  g_assert_nonnull (strstr (html, "lang=\"zh-TW\""));
  g_assert_nonnull (strstr (html, "防火牆稽核證據：edge"));
  g_assert_nonnull (strstr (html, "<h2>摘要</h2>"));
  g_assert_nonnull (strstr (html, "CC-17010 主管核准"));
  g_assert_null (strstr (html, "<h2>Summary</h2>"));

  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  if (pdftotext == NULL || !have_traditional_chinese_font ())
    {
      g_test_skip ("pdftotext or a Traditional Chinese font (fonts-wqy-microhei) is missing: PDF not checked");
      return;
    }
  g_autofree char *pdf = g_build_filename (fixture->bundle, "report.pdf", NULL);
  g_autofree char *pdf_text = NULL;
  const char *argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &pdf_text, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *flat = dup_normalized (pdf_text);
  g_assert_nonnull (strstr (flat, "防火牆稽核證據：edge"));
  g_assert_nonnull (strstr (flat, "摘要"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/fwr/evidence/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("bundle", test_bundle);
  ADD ("report", test_report);
  ADD ("tamper", test_tamper);
  ADD ("resigned", test_resigned);
  ADD ("period", test_period);
  ADD ("pdf-text", test_pdf_text);
  ADD ("cli", test_cli);
  ADD ("zh-tw", test_zh_tw);
#undef ADD
  return g_test_run ();
}
