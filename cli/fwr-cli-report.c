/* fwr-cli-report.c: an analysis report as text for people, as the fwreview.analysis/1 JSON
 * contract, and as CSV. Shared by every command that prints findings. */
#include "fwr-cli.h"

#include <string.h>

/* What a finding is about, whether a rule, a chain or a named object. */
typedef struct {
  const char *id;
  const char *file;    /* (nullable) */
  guint line;          /* 0 when unknown */
  const char *comment; /* (nullable) */
} Subject;

static void
subject_init (Subject *subject, const FwrReport *report, const FwrFinding *finding)
{
  FwrRuleset *ruleset = fwr_report_get_ruleset (report);
  FwrRule *rule = fwr_finding_get_rule (finding);

  memset (subject, 0, sizeof *subject);
  subject->id = fwr_finding_get_subject_id (finding);
  subject->file = fwr_ruleset_get_file (ruleset);
  if (rule != NULL)
    {
      subject->id = fwr_rule_get_id (rule);
      if (fwr_rule_get_file (rule) != NULL)
        subject->file = fwr_rule_get_file (rule);
      subject->line = fwr_rule_get_line (rule);
      subject->comment = fwr_rule_get_comment (rule);
      return;
    }
  FwrChain *chain = fwr_ruleset_lookup_chain (ruleset, subject->id);
  if (chain != NULL)
    {
      subject->line = fwr_chain_get_line (chain);
      subject->comment = fwr_chain_get_comment (chain);
      return;
    }
  for (guint i = 0; i < fwr_ruleset_get_n_objects (ruleset); i++)
    {
      FwrObject *object = fwr_ruleset_get_object (ruleset, i);
      if (g_strcmp0 (fwr_object_get_id (object), subject->id) == 0)
        {
          subject->line = fwr_object_get_line (object);
          break;
        }
    }
}

/* JSON */

/* jansson refuses strings that are not UTF-8 (a file name can be anything); show those with
 * replacement characters rather than dropping the field. */
static json_t *
json_text (const char *text)
{
  if (g_utf8_validate (text, -1, NULL))
    return json_string (text);
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  return json_string (valid);
}

static json_t *
json_string_or_null (const char *text)
{
  return text != NULL ? json_text (text) : json_null ();
}

static json_t *
json_line_or_null (guint line)
{
  return line > 0 ? json_integer (line) : json_null ();
}

static json_t *
json_uint64 (guint64 value)
{
  /* JSON readers lose integers past 2^63; a decimal string keeps them exact. */
  if (value > (guint64) G_MAXINT64)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
      return json_string (text);
    }
  return json_integer ((json_int_t) value);
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A dictionary's keys come back in hash order; sorting them keeps the output reproducible. */
static json_t *
dict_to_json (GVariant *dict)
{
  json_t *object = json_object ();
  gsize n = g_variant_n_children (dict);
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_variant_unref);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (dict, i);
      g_autoptr (GVariant) key = g_variant_get_child_value (entry, 0);
      char *key_text = g_variant_is_of_type (key, G_VARIANT_TYPE_STRING)
                         ? g_variant_dup_string (key, NULL)
                         : g_variant_print (key, FALSE);
      if (g_hash_table_contains (values, key_text))
        {
          g_free (key_text);
          continue;
        }
      g_ptr_array_add (keys, key_text);
      g_hash_table_insert (values, key_text, g_variant_get_child_value (entry, 1));
    }
  g_ptr_array_sort (keys, compare_keys);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      json_object_set_new (object, key, fwr_cli_variant_to_json (g_hash_table_lookup (values, key)));
    }
  return object;
}

static json_t *
container_to_json (GVariant *value)
{
  json_t *array = json_array ();
  gsize n = g_variant_n_children (value);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (value, i);
      json_array_append_new (array, fwr_cli_variant_to_json (child));
    }
  return array;
}

json_t *
fwr_cli_variant_to_json (GVariant *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      return json_boolean (g_variant_get_boolean (value));
    case G_VARIANT_CLASS_BYTE:
      return json_integer (g_variant_get_byte (value));
    case G_VARIANT_CLASS_INT16:
      return json_integer (g_variant_get_int16 (value));
    case G_VARIANT_CLASS_UINT16:
      return json_integer (g_variant_get_uint16 (value));
    case G_VARIANT_CLASS_INT32:
      return json_integer (g_variant_get_int32 (value));
    case G_VARIANT_CLASS_UINT32:
      return json_integer (g_variant_get_uint32 (value));
    case G_VARIANT_CLASS_INT64:
      return json_integer (g_variant_get_int64 (value));
    case G_VARIANT_CLASS_UINT64:
      return json_uint64 (g_variant_get_uint64 (value));
    case G_VARIANT_CLASS_HANDLE:
      return json_integer (g_variant_get_handle (value));
    case G_VARIANT_CLASS_DOUBLE:
      {
        /* JSON has no NaN or infinity. */
        json_t *real = json_real (g_variant_get_double (value));
        return real != NULL ? real : json_null ();
      }
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      return json_text (g_variant_get_string (value, NULL));
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr (GVariant) inner = g_variant_get_variant (value);
        return fwr_cli_variant_to_json (inner);
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr (GVariant) inner = g_variant_get_maybe (value);
        return inner != NULL ? fwr_cli_variant_to_json (inner) : json_null ();
      }
    case G_VARIANT_CLASS_ARRAY:
      if (g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value))))
        return dict_to_json (value);
      return container_to_json (value);
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
      return container_to_json (value);
    default:
      return json_null ();
    }
}

json_t *
fwr_cli_finding_to_json (const FwrReport *report, const FwrFinding *finding)
{
  Subject subject;
  subject_init (&subject, report, finding);

  json_t *rule = json_object ();
  json_object_set_new (rule, "id", json_text (subject.id));
  json_object_set_new (rule, "file", json_string_or_null (subject.file));
  json_object_set_new (rule, "line", json_line_or_null (subject.line));
  json_object_set_new (rule, "comment", json_string_or_null (subject.comment));

  json_t *related = json_array ();
  for (const char * const *id = fwr_finding_get_related (finding); *id != NULL; id++)
    json_array_append_new (related, json_pack ("{s:o}", "id", json_text (*id)));

  json_t *object = json_object ();
  json_object_set_new (object, "check", json_string (fwr_finding_get_check (finding)));
  json_object_set_new (object, "severity",
                       json_string (fwr_severity_to_string (fwr_finding_get_severity (finding))));
  json_object_set_new (object, "rule", rule);
  json_object_set_new (object, "related", related);
  json_object_set_new (object, "message", json_text (fwr_finding_get_message (finding)));
  json_object_set_new (object, "details", fwr_cli_variant_to_json (fwr_finding_get_details (finding)));
  return object;
}

static json_t *
input_to_json (FwrRuleset *ruleset)
{
  json_t *warnings = json_array ();
  for (guint i = 0; i < fwr_ruleset_get_n_warnings (ruleset); i++)
    json_array_append_new (warnings, json_text (fwr_ruleset_get_warning (ruleset, i)));

  json_t *input = json_object ();
  json_object_set_new (input, "file", json_string_or_null (fwr_ruleset_get_file (ruleset)));
  json_object_set_new (input, "format", json_string (fwr_ruleset_get_format (ruleset)));
  json_object_set_new (input, "rules", json_integer (fwr_ruleset_get_n_rules (ruleset)));
  json_object_set_new (input, "warnings", warnings);
  return input;
}

typedef struct {
  GString *out;
  guint indent;
} Nested;

static int
append_indented (const char *buffer, size_t size, void *data)
{
  static const char spaces[] = "        ";
  Nested *nested = data;
  const char *p = buffer, *end = buffer + size;
  for (const char *line_end; (line_end = memchr (p, '\n', (size_t) (end - p))) != NULL; p = line_end + 1)
    {
      g_string_append_len (nested->out, p, line_end + 1 - p);
      g_string_append_len (nested->out, spaces, nested->indent);
    }
  g_string_append_len (nested->out, p, end - p);
  return 0;
}

/* Appends value as text, indenting every line after the first by indent spaces (at most 8: a
 * value nested in the document), so each part can be dumped on its own and the whole stays one
 * pretty document. */
static void
append_nested (GString *out, json_t *value, guint indent)
{
  Nested nested = { out, MIN (indent, 8) };
  json_dump_callback (value, append_indented, &nested, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

void
fwr_cli_render_json (FwrCliOutput *output, FwrReport * const *reports, guint n_reports)
{
  /* Written finding by finding: a 100k-rule ruleset has tens of thousands of findings, and
   * one document tree of them all would cost more memory than the analysis. */
  GString *out = output->text;
  g_string_append (out, "{\n  \"schema\": \"fwreview.analysis/1\",\n  \"inputs\": ");
  g_autoptr (json_t) inputs = json_array ();
  guint n_findings = 0;
  for (guint r = 0; r < n_reports; r++)
    {
      json_array_append_new (inputs, input_to_json (fwr_report_get_ruleset (reports[r])));
      n_findings += fwr_report_get_n_findings (reports[r]);
    }
  append_nested (out, inputs, 2);

  g_string_append (out, ",\n  \"findings\": ");
  if (n_findings == 0)
    g_string_append (out, "[]");
  else
    {
      g_string_append (out, "[\n");
      guint written = 0;
      for (guint r = 0; r < n_reports; r++)
        for (guint i = 0; i < fwr_report_get_n_findings (reports[r]); i++)
          {
            g_autoptr (json_t) finding = fwr_cli_finding_to_json (reports[r], fwr_report_get_finding (reports[r], i));
            g_string_append (out, "    ");
            append_nested (out, finding, 4);
            g_string_append (out, ++written < n_findings ? ",\n" : "\n");
            fwr_cli_output_flush (output, FALSE);
          }
      g_string_append (out, "  ]");
    }
  g_string_append (out, "\n}\n");
}

/* CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line end) */

static void
csv_append_field (GString *out, const char *field, gboolean last)
{
  if (field == NULL)
    field = "";
  if (strpbrk (field, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = field; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, field);
  g_string_append (out, last ? "\r\n" : ",");
}

void
fwr_cli_render_csv (FwrCliOutput *output, FwrReport * const *reports, guint n_reports)
{
  GString *out = output->text;
  g_string_append (out, "file,check,severity,rule_id,line,comment,related,message\r\n");

  for (guint r = 0; r < n_reports; r++)
    for (guint i = 0; i < fwr_report_get_n_findings (reports[r]); i++)
      {
        const FwrFinding *finding = fwr_report_get_finding (reports[r], i);
        Subject subject;
        subject_init (&subject, reports[r], finding);
        g_autofree char *line = subject.line > 0 ? g_strdup_printf ("%u", subject.line) : NULL;
        g_autofree char *related = g_strjoinv (";", (char **) fwr_finding_get_related (finding));

        csv_append_field (out, subject.file, FALSE);
        csv_append_field (out, fwr_finding_get_check (finding), FALSE);
        csv_append_field (out, fwr_severity_to_string (fwr_finding_get_severity (finding)), FALSE);
        csv_append_field (out, subject.id, FALSE);
        csv_append_field (out, line, FALSE);
        csv_append_field (out, subject.comment, FALSE);
        csv_append_field (out, related, FALSE);
        csv_append_field (out, fwr_finding_get_message (finding), TRUE);
        fwr_cli_output_flush (output, FALSE);
      }
}

/* Text */

static const char *severity_colours[] = {
  [FWR_SEVERITY_INFO] = "\033[2m",
  [FWR_SEVERITY_LOW] = "\033[36m",
  [FWR_SEVERITY_MEDIUM] = "\033[33m",
  [FWR_SEVERITY_HIGH] = "\033[31m",
  [FWR_SEVERITY_CRITICAL] = "\033[1;31m",
};
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Configuration text (comments, names) reaches a terminal: control characters could move the
 * cursor or rewrite what an auditor sees, so they are shown escaped. */
static char *
dup_printable (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const unsigned char *p = (const unsigned char *) (text ? text : ""); *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

static void
append_padded (GString *out, const char *text, guint width)
{
  g_string_append (out, text);
  for (glong n = g_utf8_strlen (text, -1); n < (glong) width; n++)
    g_string_append_c (out, ' ');
}

static char *
dup_finding_message (const FwrFinding *finding, const Subject *subject)
{
  GString *message = g_string_new (fwr_finding_get_message (finding));
  const char * const *related = fwr_finding_get_related (finding);

  if (related[0] != NULL)
    {
      g_autofree char *ids = g_strjoinv (", ", (char **) related);
      g_string_append_printf (message, " (related: %s)", ids);
    }
  if (subject->comment != NULL && *subject->comment != '\0')
    g_string_append_printf (message, " [comment: %s]", subject->comment);
  char *text = g_string_free (message, FALSE);
  char *printable = dup_printable (text);
  g_free (text);
  return printable;
}

/* Column widths of one input's table. */
typedef struct {
  guint severity;
  guint check;
  guint id;
} Widths;

static void
widths_init (Widths *widths, const FwrReport *report)
{
  memset (widths, 0, sizeof *widths);
  for (guint i = 0; i < fwr_report_get_n_findings (report); i++)
    {
      const FwrFinding *finding = fwr_report_get_finding (report, i);
      Subject subject;
      subject_init (&subject, report, finding);
      widths->severity = MAX (widths->severity,
                              strlen (fwr_severity_to_string (fwr_finding_get_severity (finding))));
      widths->check = MAX (widths->check, g_utf8_strlen (fwr_finding_get_check (finding), -1));
      widths->id = MAX (widths->id, g_utf8_strlen (subject.id, -1));
    }
}

/* "  severity  check  id  message": the colour codes go around the word, outside the padding. */
static void
append_text_row (GString *out, const FwrReport *report, const FwrFinding *finding,
                 const Widths *widths, gboolean colour)
{
  FwrSeverity severity = fwr_finding_get_severity (finding);
  const char *name = fwr_severity_to_string (severity);
  Subject subject;
  subject_init (&subject, report, finding);
  g_autofree char *id = dup_printable (subject.id);
  g_autofree char *message = dup_finding_message (finding, &subject);

  g_string_append (out, "  ");
  if (colour)
    g_string_append (out, severity_colours[severity]);
  g_string_append (out, name);
  if (colour)
    g_string_append (out, RESET);
  append_padded (out, "", widths->severity - strlen (name) + 2);
  append_padded (out, fwr_finding_get_check (finding), widths->check + 2);
  append_padded (out, id, widths->id + 2);
  g_string_append_printf (out, "%s\n", message);
}

static void
render_text_input (FwrCliOutput *output, const FwrReport *report, gboolean colour, guint *totals)
{
  GString *out = output->text;
  FwrRuleset *ruleset = fwr_report_get_ruleset (report);
  guint n_findings = fwr_report_get_n_findings (report);
  guint n_rules = fwr_ruleset_get_n_rules (ruleset);
  g_autofree char *file = dup_printable (fwr_ruleset_get_file (ruleset));
  Widths widths;

  g_string_append_printf (out, "%s== %s (%s, %u rule%s): %u finding%s%s\n", colour ? BOLD : "",
                          file, fwr_ruleset_get_format (ruleset), n_rules, n_rules == 1 ? "" : "s",
                          n_findings, n_findings == 1 ? "" : "s", colour ? RESET : "");
  widths_init (&widths, report);

  /* Grouped here rather than trusting the report's order: the grouping is this view's promise. */
  for (int severity = FWR_SEVERITY_CRITICAL; severity >= FWR_SEVERITY_INFO; severity--)
    {
      guint n_group = 0;
      for (guint i = 0; i < n_findings; i++)
        {
          const FwrFinding *finding = fwr_report_get_finding (report, i);
          if ((int) fwr_finding_get_severity (finding) != severity)
            continue;
          if (n_group++ == 0)
            g_string_append_c (out, '\n');
          append_text_row (out, report, finding, &widths, colour);
          fwr_cli_output_flush (output, FALSE);
        }
      totals[severity] += n_group;
    }
  g_string_append_c (out, '\n');
}

void
fwr_cli_render_text (FwrCliOutput *output, FwrReport * const *reports, guint n_reports, gboolean colour)
{
  GString *out = output->text;
  guint totals[FWR_SEVERITY_CRITICAL + 1] = { 0 };
  guint n_findings = 0, n_rules = 0;

  for (guint r = 0; r < n_reports; r++)
    {
      render_text_input (output, reports[r], colour, totals);
      n_rules += fwr_ruleset_get_n_rules (fwr_report_get_ruleset (reports[r]));
    }
  for (int severity = FWR_SEVERITY_CRITICAL; severity >= FWR_SEVERITY_INFO; severity--)
    n_findings += totals[severity];

  g_string_append_printf (out, "%s%u finding%s:", colour ? BOLD : "", n_findings,
                          n_findings == 1 ? "" : "s");
  for (int severity = FWR_SEVERITY_CRITICAL; severity >= FWR_SEVERITY_INFO; severity--)
    g_string_append_printf (out, " %u %s%s", totals[severity], fwr_severity_to_string (severity),
                            severity > FWR_SEVERITY_INFO ? "," : "");
  g_string_append_printf (out, " in %u input%s, %u rule%s%s\n", n_reports, n_reports == 1 ? "" : "s",
                          n_rules, n_rules == 1 ? "" : "s", colour ? RESET : "");
}
