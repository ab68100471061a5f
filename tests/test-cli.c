/* test-cli.c: the fwreview command as scripts and auditors see it: the fwreview.analysis/1
 * JSON contract, CSV and text output, and the exit codes 0, 1, 2 and 3. */
#include <fwreview.h>
#include <gio/gio.h>
#include <jansson.h>
#include <string.h>

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
json_decref_ (json_t *json)
{
  json_decref (json);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref_)

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "cli", name, NULL);
}

/* Runs program with args (NULL-terminated); input, when given, is its standard input.
 * extra_env holds "NAME=VALUE" pairs to set. */
static Run *
run_program (const char *program, const char *input, const char * const *extra_env,
             const char * const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                           (input ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_unsetenv (launcher, "NO_COLOR");
  for (guint i = 0; extra_env && extra_env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (extra_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process =
    g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  Run *run = g_new0 (Run, 1);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  return run;
}

static Run *
run_fwreview_full (const char *input, const char * const *extra_env, const char * const *args)
{
  const char *bin = g_getenv ("FWREVIEW_BIN");
  g_assert_nonnull (bin);
  return run_program (bin, input, extra_env, args);
}

#define run_fwreview(...) \
  run_fwreview_full (NULL, NULL, (const char *[]) { __VA_ARGS__, NULL })

static json_t *
parse_json (const char *text)
{
  json_error_t error;
  json_t *root = json_loads (text, 0, &error);
  if (root == NULL)
    g_error ("output is not JSON: %d:%d: %s\n%s", error.line, error.column, error.text, text);
  return root;
}

static json_t *
find_finding (json_t *findings, const char *check, const char *rule_id)
{
  size_t i;
  json_t *finding;
  json_array_foreach (findings, i, finding)
    if (g_strcmp0 (json_string_value (json_object_get (finding, "check")), check) == 0 &&
        g_strcmp0 (json_string_value (json_object_get (json_object_get (finding, "rule"), "id")),
                   rule_id) == 0)
      return finding;
  return NULL;
}

static void
assert_keys (json_t *object, const char * const *keys)
{
  g_assert_true (json_is_object (object));
  void *iter = json_object_iter (object);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_assert_nonnull (iter);
      g_assert_cmpstr (json_object_iter_key (iter), ==, keys[i]);
      iter = json_object_iter_next (object, iter);
    }
  g_assert_null (iter);
}

static FwrSeverity
severity_of (json_t *finding)
{
  FwrSeverity severity;
  g_assert_true (fwr_severity_from_string (json_string_value (json_object_get (finding, "severity")),
                                           &severity));
  return severity;
}

/* Every finding has the contract's fields, in the contract's order, with the right types. */
static void
assert_finding_shape (json_t *finding)
{
  assert_keys (finding, (const char *[]) { "check", "severity", "rule", "related", "message",
                                           "details", NULL });
  g_assert_true (json_is_string (json_object_get (finding, "check")));
  severity_of (finding);
  json_t *rule = json_object_get (finding, "rule");
  assert_keys (rule, (const char *[]) { "id", "file", "line", "comment", NULL });
  g_assert_true (json_is_string (json_object_get (rule, "id")));
  g_assert_true (json_is_string (json_object_get (rule, "file")));
  json_t *line = json_object_get (rule, "line");
  g_assert_true (json_is_null (line) || (json_is_integer (line) && json_integer_value (line) > 0));
  json_t *comment = json_object_get (rule, "comment");
  g_assert_true (json_is_null (comment) || json_is_string (comment));
  json_t *related = json_object_get (finding, "related");
  g_assert_true (json_is_array (related));
  size_t i;
  json_t *item;
  json_array_foreach (related, i, item)
    {
      g_assert_true (json_is_string (json_object_get (item, "id")));
    }
  g_assert_cmpuint (strlen (json_string_value (json_object_get (finding, "message"))), >, 0);
  g_assert_true (json_is_object (json_object_get (finding, "details")));
}

static void
test_json_contract (void)
{
  g_autofree char *path = data_path ("basic.json");
  g_autoptr (Run) run = run_fwreview ("analyze", "--format", "json", path);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpint (run->status, ==, 0);

  g_autoptr (json_t) root = parse_json (run->out);
  assert_keys (root, (const char *[]) { "schema", "inputs", "findings", NULL });
  g_assert_cmpstr (json_string_value (json_object_get (root, "schema")), ==, "fwreview.analysis/1");

  json_t *inputs = json_object_get (root, "inputs");
  g_assert_cmpuint (json_array_size (inputs), ==, 1);
  json_t *input = json_array_get (inputs, 0);
  assert_keys (input, (const char *[]) { "file", "format", "rules", "warnings", NULL });
  g_assert_cmpstr (json_string_value (json_object_get (input, "file")), ==, path);
  g_assert_cmpstr (json_string_value (json_object_get (input, "format")), ==, "nftables-json");
  g_assert_cmpint (json_integer_value (json_object_get (input, "rules")), ==, 5);
  g_assert_true (json_is_array (json_object_get (input, "warnings")));

  json_t *findings = json_object_get (root, "findings");
  size_t i;
  json_t *finding;
  json_array_foreach (findings, i, finding)
    assert_finding_shape (finding);

  /* The rule a colleague left behind: it accepts everything arriving on lan. */
  json_t *any_any = find_finding (findings, "any-any", "inet/edge/forward/7");
  g_assert_nonnull (any_any);
  g_assert_cmpstr (json_string_value (json_object_get (any_any, "severity")), ==, "high");
  json_t *rule = json_object_get (any_any, "rule");
  g_assert_cmpstr (json_string_value (json_object_get (rule, "file")), ==, path);
  g_assert_cmpstr (json_string_value (json_object_get (rule, "comment")), ==, "temp debug");
  /* Where the rule's object starts in basic.json. */
  g_assert_cmpint (json_integer_value (json_object_get (rule, "line")), ==, 212);

  /* The forward chain lets through whatever no rule decides. */
  json_t *default_allow = find_finding (findings, "default-allow", "inet/edge/forward");
  g_assert_nonnull (default_allow);
  rule = json_object_get (default_allow, "rule");
  g_assert_cmpstr (json_string_value (json_object_get (rule, "file")), ==, path);
  /* A chain finding names the chain's place and has no comment, the chain having none. */
  g_assert_cmpint (json_integer_value (json_object_get (rule, "line")), ==, 29);
  g_assert_true (json_is_null (json_object_get (rule, "comment")));
  json_t *details = json_object_get (default_allow, "details");
  g_assert_cmpstr (json_string_value (json_object_get (details, "hook")), ==, "forward");
  g_assert_cmpstr (json_string_value (json_object_get (details, "policy")), ==, "accept");

  /* The input chain drops by default, and its rules are restricted. */
  g_assert_null (find_finding (findings, "default-allow", "inet/edge/input"));
  g_assert_null (find_finding (findings, "any-any", "inet/edge/input/3"));
  g_assert_null (find_finding (findings, "any-any", "inet/edge/input/4"));
}

/* A finding about a named object names the object, and where it is declared. */
static void
test_json_object_finding (void)
{
  g_autofree char *path = data_path ("objects.json");
  g_autoptr (Run) run = run_fwreview ("analyze", "--format", "json", path);
  g_assert_cmpint (run->status, ==, 0);
  g_autoptr (json_t) root = parse_json (run->out);
  json_t *findings = json_object_get (root, "findings");

  json_t *unused = find_finding (findings, "unused-object", "inet/shop/old_partners");
  g_assert_nonnull (unused);
  assert_finding_shape (unused);
  json_t *rule = json_object_get (unused, "rule");
  g_assert_cmpstr (json_string_value (json_object_get (rule, "file")), ==, path);
  g_assert_cmpint (json_integer_value (json_object_get (rule, "line")), ==, 30);
  g_assert_true (json_is_null (json_object_get (rule, "comment")));
  /* The set the ssh rule uses is not unused. */
  g_assert_null (find_finding (findings, "unused-object", "inet/shop/admins"));
}

/* What the importer could not model exactly reaches the reader: on stderr next to the text,
 * inside the JSON (and only there, so stderr stays clean for scripts). */
static void
test_warnings (void)
{
  g_autofree char *path = data_path ("warnings.json");
  g_autoptr (Run) text = run_fwreview ("analyze", path);
  g_assert_cmpint (text->status, ==, 0);
  g_autofree char *expected = g_strdup_printf ("fwreview: warning: %s:41:5: rule inet/lab/input/3: "
                                               "set @blocked changes at run time", path);
  g_assert_true (g_str_has_prefix (text->err, expected));

  g_autoptr (Run) json_run = run_fwreview ("analyze", "--format", "json", path);
  g_assert_cmpint (json_run->status, ==, 0);
  g_assert_cmpstr (json_run->err, ==, "");
  g_autoptr (json_t) root = parse_json (json_run->out);
  json_t *warnings = json_object_get (json_array_get (json_object_get (root, "inputs"), 0), "warnings");
  g_auto (GStrv) lines = g_strsplit (text->err, "\n", -1);
  g_assert_cmpuint (json_array_size (warnings), >, 0);
  g_assert_cmpuint (json_array_size (warnings), ==, g_strv_length (lines) - 1);
  for (guint i = 0; i < json_array_size (warnings); i++)
    {
      g_autofree char *line = g_strconcat ("fwreview: warning: ",
                                           json_string_value (json_array_get (warnings, i)), NULL);
      g_assert_cmpstr (lines[i], ==, line);
    }
}

static void
test_json_deterministic (void)
{
  g_autofree char *path = data_path ("basic.json");
  g_autofree char *other = data_path ("quoting.json");
  g_autoptr (Run) first = run_fwreview ("analyze", "--format=json", path, other);
  g_autoptr (Run) second = run_fwreview ("analyze", "--format=json", path, other);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_cmpstr (first->out, ==, second->out);
}

static void
test_json_multiple_inputs (void)
{
  g_autofree char *basic = data_path ("basic.json");
  g_autofree char *quoting = data_path ("quoting.json");
  g_autoptr (Run) run = run_fwreview ("analyze", "--format", "json", basic, quoting);
  g_assert_cmpint (run->status, ==, 0);

  g_autoptr (json_t) root = parse_json (run->out);
  json_t *inputs = json_object_get (root, "inputs");
  g_assert_cmpuint (json_array_size (inputs), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (inputs, 0), "file")), ==, basic);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (inputs, 1), "file")), ==, quoting);

  json_t *findings = json_object_get (root, "findings");
  json_t *edge = find_finding (findings, "any-any", "inet/edge/forward/7");
  json_t *branch = find_finding (findings, "any-any", "inet/branch/forward/7");
  g_assert_nonnull (edge);
  g_assert_nonnull (branch);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (edge, "rule"), "file")), ==, basic);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (branch, "rule"), "file")), ==, quoting);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (branch, "rule"), "comment")),
                   ==, "say \"hi\", then go");
}

static void
test_json_stdin (void)
{
  g_autofree char *path = data_path ("basic.json");
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));

  g_autoptr (Run) run = run_fwreview_full (contents, NULL,
                                           (const char *[]) { "analyze", "--format", "json", "-", NULL });
  g_assert_cmpint (run->status, ==, 0);
  g_autoptr (json_t) root = parse_json (run->out);
  json_t *input = json_array_get (json_object_get (root, "inputs"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (input, "file")), ==, "<stdin>");
  g_assert_nonnull (find_finding (json_object_get (root, "findings"), "any-any", "inet/edge/forward/7"));
}

static void
test_json_zones (void)
{
  g_autofree char *path = data_path ("basic.json");
  g_autofree char *zones = data_path ("zones.json");
  g_autoptr (Run) run = run_fwreview ("analyze", "--zones", zones, "--format", "json", path);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpint (run->status, ==, 0);
  g_autoptr (json_t) root = parse_json (run->out);
  g_assert_nonnull (find_finding (json_object_get (root, "findings"), "any-any", "inet/edge/forward/7"));
}

static FwrSeverity
max_severity (const char *path, gboolean *any)
{
  g_autoptr (Run) run = run_fwreview ("analyze", "--format", "json", path);
  g_assert_cmpint (run->status, ==, 0);
  g_autoptr (json_t) root = parse_json (run->out);
  FwrSeverity max = FWR_SEVERITY_INFO;
  size_t i;
  json_t *finding;
  *any = FALSE;
  json_array_foreach (json_object_get (root, "findings"), i, finding)
    {
      max = MAX (max, severity_of (finding));
      *any = TRUE;
    }
  return max;
}

static void
test_fail_on (void)
{
  const char *files[] = { "basic.json", "clean.json" };
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = data_path (files[f]);
      gboolean any;
      FwrSeverity max = max_severity (path, &any);
      for (FwrSeverity threshold = FWR_SEVERITY_INFO; threshold <= FWR_SEVERITY_CRITICAL; threshold++)
        {
          const char *name = fwr_severity_to_string (threshold);
          g_autoptr (Run) run = run_fwreview ("analyze", "--fail-on", name, "--format", "json", path);
          g_test_message ("%s --fail-on %s", files[f], name);
          g_assert_cmpint (run->status, ==, any && max >= threshold ? 1 : 0);
          /* The report is printed whatever the verdict. */
          g_autoptr (json_t) root = parse_json (run->out);
          g_assert_nonnull (json_object_get (root, "findings"));
        }
    }

  /* Concretely: the any-any rule is high, and the clean ruleset has nothing that high. */
  g_autofree char *basic = data_path ("basic.json");
  g_autofree char *clean = data_path ("clean.json");
  g_autoptr (Run) high = run_fwreview ("analyze", "--fail-on", "high", basic);
  g_assert_cmpint (high->status, ==, 1);
  g_autoptr (Run) critical_free = run_fwreview ("analyze", "--fail-on", "high", clean);
  g_assert_cmpint (critical_free->status, ==, 0);
  g_autoptr (Run) plain = run_fwreview ("analyze", basic);
  g_assert_cmpint (plain->status, ==, 0);
}

/* A small RFC 4180 reader: records of fields, quotes doubled inside quoted fields. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; !(*p == '"' && p[1] != '"'); p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"')
                p++;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else if (*p == ',' || *p == '\r')
        {
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (*p == '\r')
            {
              g_assert_cmpint (p[1], ==, '\n');
              g_ptr_array_add (records, record);
              record = g_ptr_array_new_with_free_func (g_free);
              p++;
            }
          p++;
        }
      else
        {
          g_assert_cmpint (*p, !=, '\n');
          g_string_append_c (field, *p++);
        }
    }
  /* Every record ends in CRLF, so nothing may be pending. */
  g_assert_cmpuint (record->len, ==, 0);
  g_assert_cmpuint (field->len, ==, 0);
  g_ptr_array_unref (record);
  g_string_free (field, TRUE);
  return records;
}

static void
test_csv (void)
{
  g_autofree char *basic = data_path ("basic.json");
  g_autofree char *quoting = data_path ("quoting.json");
  g_autoptr (Run) run = run_fwreview ("analyze", "--format", "csv", basic, quoting);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out,
                                   "file,check,severity,rule_id,line,comment,related,message\r\n"));
  /* The comment holds a comma and quotes: quoted, quotes doubled. */
  g_assert_nonnull (strstr (run->out, ",\"say \"\"hi\"\", then go\","));

  g_autoptr (Run) json_run = run_fwreview ("analyze", "--format", "json", basic, quoting);
  g_autoptr (json_t) root = parse_json (json_run->out);
  json_t *findings = json_object_get (root, "findings");

  g_autoptr (GPtrArray) records = parse_csv (run->out);
  g_assert_cmpuint (records->len, ==, json_array_size (findings) + 1);
  gboolean seen_quoted = FALSE;
  for (guint r = 1; r < records->len; r++)
    {
      GPtrArray *record = g_ptr_array_index (records, r);
      g_assert_cmpuint (record->len, ==, 8);
      json_t *finding = json_array_get (findings, r - 1);
      json_t *rule = json_object_get (finding, "rule");
      g_assert_cmpstr (g_ptr_array_index (record, 0), ==, json_string_value (json_object_get (rule, "file")));
      g_assert_cmpstr (g_ptr_array_index (record, 1), ==, json_string_value (json_object_get (finding, "check")));
      g_assert_cmpstr (g_ptr_array_index (record, 2), ==, json_string_value (json_object_get (finding, "severity")));
      g_assert_cmpstr (g_ptr_array_index (record, 3), ==, json_string_value (json_object_get (rule, "id")));
      json_t *line = json_object_get (rule, "line");
      g_autofree char *line_text = json_is_integer (line)
                                     ? g_strdup_printf ("%" JSON_INTEGER_FORMAT, json_integer_value (line))
                                     : g_strdup ("");
      g_assert_cmpstr (g_ptr_array_index (record, 4), ==, line_text);
      const char *comment = json_string_value (json_object_get (rule, "comment"));
      g_assert_cmpstr (g_ptr_array_index (record, 5), ==, comment ? comment : "");
      g_assert_cmpstr (g_ptr_array_index (record, 7), ==, json_string_value (json_object_get (finding, "message")));
      if (g_strcmp0 (comment, "say \"hi\", then go") == 0)
        seen_quoted = TRUE;
    }
  g_assert_true (seen_quoted);
}

static void
test_text (void)
{
  g_autofree char *path = data_path ("basic.json");
  g_autoptr (Run) run = run_fwreview ("analyze", path);
  g_assert_cmpint (run->status, ==, 0);
  g_autoptr (Run) json_run = run_fwreview ("analyze", "--format", "json", path);
  g_autoptr (json_t) root = parse_json (json_run->out);
  guint n_findings = json_array_size (json_object_get (root, "findings"));

  /* Not a terminal: no colour escapes. */
  g_assert_null (strchr (run->out, '\033'));
  g_auto (GStrv) lines = g_strsplit (run->out, "\n", -1);
  g_autofree char *header = g_strdup_printf ("== %s (nftables-json, 5 rules): %u findings", path,
                                             n_findings);
  g_assert_cmpstr (lines[0], ==, header);

  /* Rows: "  severity  check  id  message", grouped by severity, critical first, a blank line
   * before each group; the id column starts at the same place on every row. */
  int last_severity = FWR_SEVERITY_CRITICAL + 1;
  int id_column = -1;
  guint n_rows = 0;
  gboolean seen_any_any = FALSE, seen_default_allow = FALSE;
  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], "  "))
        continue;
      g_auto (GStrv) words = g_regex_split_simple ("\\s+", lines[i] + 2, 0, 0);
      FwrSeverity severity;
      g_assert_true (fwr_severity_from_string (words[0], &severity));
      g_assert_cmpint (severity, <=, last_severity);
      if ((int) severity < last_severity)
        g_assert_cmpstr (lines[i - 1], ==, "");
      last_severity = severity;

      const char *id = strstr (lines[i], words[2]);
      if (id_column < 0)
        id_column = id - lines[i];
      g_assert_cmpint (id - lines[i], ==, id_column);
      if (g_strcmp0 (words[1], "any-any") == 0 && g_strcmp0 (words[2], "inet/edge/forward/7") == 0)
        {
          seen_any_any = TRUE;
          g_assert_nonnull (strstr (lines[i], "[comment: temp debug]"));
        }
      if (g_strcmp0 (words[1], "default-allow") == 0 && g_strcmp0 (words[2], "inet/edge/forward") == 0)
        seen_default_allow = TRUE;
      n_rows++;
    }
  g_assert_true (seen_any_any);
  g_assert_true (seen_default_allow);
  g_assert_cmpuint (n_rows, ==, n_findings);

  /* The last line counts them all. */
  guint n_lines = g_strv_length (lines);
  g_assert_cmpstr (lines[n_lines - 1], ==, "");
  g_autofree char *prefix = g_strdup_printf ("%u findings: ", n_findings);
  g_assert_true (g_str_has_prefix (lines[n_lines - 2], prefix));
  g_assert_true (g_str_has_suffix (lines[n_lines - 2], "in 1 input, 5 rules"));
}

static void
test_text_clean (void)
{
  g_autofree char *path = data_path ("clean.json");
  g_autoptr (Run) run = run_fwreview ("analyze", path);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "== "));
  g_assert_null (strstr (run->out, "any-any"));
  g_assert_null (strstr (run->out, "default-allow"));
  g_assert_nonnull (strstr (run->out, " 0 critical, 0 high,"));
}

/* Colour needs a terminal: script(1) gives the command one. */
static void
test_text_colour (void)
{
  g_autofree char *script = g_find_program_in_path ("script");
  if (script == NULL)
    {
      g_test_skip ("script(1) is not installed");
      return;
    }
  g_autofree char *path = data_path ("basic.json");
  g_autofree char *command = g_strdup_printf ("'%s' analyze '%s'", g_getenv ("FWREVIEW_BIN"), path);

  g_autoptr (Run) tty = run_program (script, "", NULL,
                                     (const char *[]) { "-qec", command, "/dev/null", NULL });
  g_assert_cmpint (tty->status, ==, 0);
  g_assert_nonnull (strstr (tty->out, "\033[31mhigh\033[0m"));

  g_autoptr (Run) no_colour = run_program (script, "", (const char *[]) { "NO_COLOR=1", NULL },
                                           (const char *[]) { "-qec", command, "/dev/null", NULL });
  g_assert_cmpint (no_colour->status, ==, 0);
  g_assert_nonnull (strstr (no_colour->out, "high"));
  g_assert_null (strchr (no_colour->out, '\033'));
}

static void
test_usage_errors (void)
{
  g_autofree char *path = data_path ("basic.json");
  const struct {
    const char *args[6];
    const char *says;
  } cases[] = {
    { { NULL }, "Usage:" },
    { { "frobnicate", NULL }, "frobnicate" },
    { { "--bogus", "analyze", path, NULL }, "--bogus" },
    { { "analyze", NULL }, "no FILE" },
    { { "analyze", "--bogus", path, NULL }, "--bogus" },
    { { "analyze", "--format", "xml", path, NULL }, "xml" },
    { { "analyze", "--format", NULL }, "--format" },
    { { "analyze", "--fail-on", "severe", path, NULL }, "severe" },
    { { "analyze", "--store", "/tmp/x.db", path, NULL }, "--store" },
    { { "--store", NULL }, "--store" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) cases[i].args);
      g_test_message ("fwreview %s", joined);
      g_autoptr (Run) run = run_fwreview_full (NULL, NULL, cases[i].args);
      g_assert_cmpint (run->status, ==, 2);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_nonnull (strstr (run->err, cases[i].says));
    }
}

static void
test_help (void)
{
  g_autoptr (Run) top = run_fwreview ("--help");
  g_assert_cmpint (top->status, ==, 0);
  g_assert_nonnull (strstr (top->out, "analyze"));
  g_assert_nonnull (strstr (top->out, "--store PATH"));
  g_assert_nonnull (strstr (top->out, "Exit status"));

  g_autoptr (Run) analyze = run_fwreview ("analyze", "--help");
  g_assert_cmpint (analyze->status, ==, 0);
  g_assert_true (g_str_has_prefix (analyze->out, "Usage:\n  fwreview analyze [OPTION…] FILE…\n"));
  const char *expected[] = { "--zones=FILE", "--format=FORMAT", "--fail-on=SEVERITY",
                             "fwreview.analysis/1", "file,check,severity,rule_id,line,comment,related,message",
                             "Exit status", "  3  " };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_nonnull (strstr (analyze->out, expected[i]));
  guint n_checks;
  const FwrCheckInfo *checks = fwr_check_get_all (&n_checks);
  for (guint i = 0; i < n_checks; i++)
    g_assert_nonnull (strstr (analyze->out, checks[i].name));

  g_autoptr (Run) help_analyze = run_fwreview ("help", "analyze");
  g_assert_cmpint (help_analyze->status, ==, 0);
  g_assert_cmpstr (help_analyze->out, ==, analyze->out);

  g_autoptr (Run) version = run_fwreview ("--version");
  g_assert_cmpint (version->status, ==, 0);
  g_assert_true (g_str_has_prefix (version->out, "fwreview "));
}

/* Bad input: exit 3, a message naming the file (and line:column where known), nothing on
 * stdout even when other inputs were fine. */
static void
assert_bad_input (const char *expected_pattern, const char * const *args)
{
  g_autoptr (Run) run = run_fwreview_full (NULL, NULL, args);
  g_test_message ("stderr: %s", run->err);
  g_assert_cmpint (run->status, ==, 3);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_regex_match_simple (expected_pattern, run->err, G_REGEX_MULTILINE, 0));
}

static void
test_bad_input (void)
{
  g_autofree char *basic = data_path ("basic.json");
  g_autofree char *truncated = data_path ("truncated.json");
  g_autofree char *empty = data_path ("empty.json");
  g_autofree char *text = data_path ("not-a-ruleset.txt");
  g_autofree char *missing = data_path ("no-such-file.json");
  g_autofree char *bad_zones = data_path ("bad-zones.json");
  g_autofree char *bad_class = data_path ("bad-zone-class.json");

  assert_bad_input ("^fwreview: .*truncated\\.json:[0-9]+:[0-9]+: ",
                    (const char *[]) { "analyze", truncated, NULL });
  assert_bad_input ("^fwreview: .*truncated\\.json:[0-9]+:[0-9]+: ",
                    (const char *[]) { "analyze", "--format", "json", basic, truncated, NULL });
  assert_bad_input ("empty\\.json: the file is empty", (const char *[]) { "analyze", empty, NULL });
  assert_bad_input ("not-a-ruleset\\.txt: not a format", (const char *[]) { "analyze", text, NULL });
  assert_bad_input ("no-such-file\\.json: cannot read", (const char *[]) { "analyze", missing, NULL });
  /* Every bad input is named, not only the first. */
  assert_bad_input ("empty\\.json(.|\n)*no-such-file\\.json",
                    (const char *[]) { "analyze", empty, basic, missing, NULL });
  assert_bad_input ("bad-zones\\.json:3:[0-9]+: ",
                    (const char *[]) { "analyze", "--zones", bad_zones, basic, NULL });
  assert_bad_input ("bad-zone-class\\.json: zone “lan”: “class” must be one of",
                    (const char *[]) { "analyze", "--zones", bad_class, basic, NULL });
  assert_bad_input ("no-such-file\\.json: cannot read the zones file",
                    (const char *[]) { "analyze", "--zones", missing, basic, NULL });
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fwr/cli/json/contract", test_json_contract);
  g_test_add_func ("/fwr/cli/json/object-finding", test_json_object_finding);
  g_test_add_func ("/fwr/cli/json/deterministic", test_json_deterministic);
  g_test_add_func ("/fwr/cli/json/multiple-inputs", test_json_multiple_inputs);
  g_test_add_func ("/fwr/cli/json/stdin", test_json_stdin);
  g_test_add_func ("/fwr/cli/json/zones", test_json_zones);
  g_test_add_func ("/fwr/cli/warnings", test_warnings);
  g_test_add_func ("/fwr/cli/fail-on", test_fail_on);
  g_test_add_func ("/fwr/cli/csv", test_csv);
  g_test_add_func ("/fwr/cli/text/grouped", test_text);
  g_test_add_func ("/fwr/cli/text/clean", test_text_clean);
  g_test_add_func ("/fwr/cli/text/colour", test_text_colour);
  g_test_add_func ("/fwr/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/fwr/cli/help", test_help);
  g_test_add_func ("/fwr/cli/bad-input", test_bad_input);

  return g_test_run ();
}
