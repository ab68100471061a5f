/* fwr-cmd-review.c: `fwreview review start|decide|complete|show|list|due|policy`: periodic rule
 * reviews (dmz every 6 months, access-control and external every 12) with signed decisions. */
#include "fwr-cli-store.h"

/* The --scope and --device a review command is about, with no operand; FALSE (usage printed)
 * otherwise. */
static gboolean
parse_scope_and_device (const char *command, const char *text, const char *device, char **args,
                        FwrReviewScope *out, int *exit_code)
{
  if (text == NULL)
    *exit_code = fwr_cli_usage_error (command, "--scope dmz|access-control|external is required");
  else if (!fwr_review_scope_from_string (text, out))
    *exit_code = fwr_cli_usage_error (command, "unknown --scope “%s” (expected dmz, "
                                      "access-control or external)", text);
  else if (device == NULL)
    *exit_code = fwr_cli_usage_error (command, "--device NAME is required");
  else if (args[1] != NULL)
    *exit_code = fwr_cli_usage_error (command, "unexpected argument “%s”", args[1]);
  else
    return TRUE;
  return FALSE;
}

static json_t *
classes_to_json (guint classes)
{
  json_t *list = json_array ();
  for (guint k = FWR_ZONE_CLASS_INTERNET; k <= FWR_ZONE_CLASS_OTHER; k++)
    if (classes & FWR_ZONE_CLASS_BIT (k))
      json_array_append_new (list, json_string (fwr_zone_class_to_string ((FwrZoneClass) k)));
  if (classes & FWR_ZONE_CLASSES_UNZONED)
    json_array_append_new (list, json_string ("unzoned"));
  return list;
}

static json_t *
findings_to_json (const FwrReviewRule *rule)
{
  json_t *list = json_array ();
  for (guint i = 0; i < rule->findings->len; i++)
    {
      const FwrReviewFinding *finding = g_ptr_array_index (rule->findings, i);
      json_array_append_new (list, json_pack ("{s:s, s:s, s:s}", "check", finding->check,
                                              "severity", fwr_severity_to_string (finding->severity),
                                              "message", finding->message));
    }
  return list;
}

static json_t *
usage_to_json (const FwrReviewRule *rule)
{
  return json_pack ("{s:b, s:o, s:i, s:I, s:s?, s:s?, s:b}", "counted", rule->counted,
                    "packets", rule->counted ? json_integer ((json_int_t) rule->packets) : json_null (),
                    "observations", (int) rule->n_observations,
                    "max_packets", (json_int_t) rule->max_packets,
                    "observed_from", rule->observed_from, "observed_to", rule->observed_to,
                    "zero_hits", rule->zero_hits);
}

static json_t *
decision_to_json (const FwrReviewDecision *decision)
{
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_decision_dup_signed_text (decision, &length);
  gboolean valid = fwr_signature_verify (decision->public_key, signed_text, length, decision->signature);
  return json_pack ("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:b}",
                    "id", (json_int_t) decision->id, "rule", decision->rule_id,
                    "decision", fwr_review_decision_to_string (decision->decision),
                    "reason", decision->reason, "change", fwr_cli_json_nullable_id (decision->change_id),
                    "by", decision->decided_by, "at", decision->decided_at,
                    "public_key", decision->public_key, "signature", decision->signature,
                    "signature_valid", valid);
}

static json_t *
signoff_to_json (const FwrReviewSignoff *signoff)
{
  if (signoff == NULL)
    return json_null ();
  gsize length = 0;
  g_autofree char *signed_text = fwr_review_signoff_dup_signed_text (signoff, &length);
  gboolean valid = fwr_signature_verify (signoff->public_key, signed_text, length, signoff->signature);
  return json_pack ("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:b}", "by", signoff->signed_by,
                    "at", signoff->signed_at, "comment", signoff->comment,
                    "review_sha256", signoff->review_sha256,
                    "decisions_sha256", signoff->decisions_sha256,
                    "public_key", signoff->public_key, "signature", signoff->signature,
                    "signature_valid", valid);
}

static json_t *
review_to_json (const FwrReview *review, const char *device)
{
  json_t *rules = json_array ();
  guint undecided = 0;
  for (guint i = 0; i < review->rules->len; i++)
    {
      const FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      const FwrReviewDecision *decision = fwr_review_find_decision (review, rule->rule_id);
      undecided += decision == NULL;
      json_array_append_new (rules, json_pack ("{s:s, s:s, s:i, s:s, s:s, s:s?, s:o, s:o, s:o, s:o, s:o}",
                                               "id", rule->rule_id, "chain", rule->chain,
                                               "position", (int) rule->position,
                                               "match", rule->match, "verdict", rule->verdict,
                                               "comment", rule->comment,
                                               "from_classes", classes_to_json (rule->from_classes),
                                               "to_classes", classes_to_json (rule->to_classes),
                                               "findings", findings_to_json (rule),
                                               "usage", usage_to_json (rule),
                                               "decision", decision ? json_string (fwr_review_decision_to_string (decision->decision))
                                                                    : json_null ()));
    }
  json_t *decisions = json_array ();
  for (guint i = 0; i < review->decisions->len; i++)
    json_array_append_new (decisions, decision_to_json (g_ptr_array_index (review->decisions, i)));
  return json_pack ("{s:s, s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:{s:s, s:s}, s:s, s:s, s:i, s:o, s:o, s:o}",
                    "schema", "fwreview.review/1", "id", (json_int_t) review->id,
                    "device", device, "scope", fwr_review_scope_to_string (review->scope),
                    "state", review->signoff ? "completed" : "open",
                    "snapshot", "id", (json_int_t) review->snapshot_id, "sha256", review->snapshot_sha256,
                    "period", "from", review->period_from, "to", review->period_to,
                    "started_by", review->started_by, "started_at", review->started_at,
                    "undecided", (int) undecided, "rules", rules, "decisions", decisions,
                    "signoff", signoff_to_json (review->signoff));
}

static void
append_usage_text (GString *out, const FwrReviewRule *rule)
{
  if (rule->counted)
    g_string_append_printf (out, "      usage: %" G_GUINT64_FORMAT " packets when frozen", rule->packets);
  else
    g_string_append (out, "      usage: no counter when frozen");
  if (rule->n_observations > 0)
    g_string_append_printf (out, "; %u snapshot%s of the period (%s to %s), at most %" G_GUINT64_FORMAT
                            " packets%s", rule->n_observations, rule->n_observations == 1 ? "" : "s",
                            rule->observed_from, rule->observed_to, rule->max_packets,
                            rule->zero_hits ? ": ZERO HITS" : "");
  g_string_append_c (out, '\n');
}

static void
review_to_text (GString *out, const FwrReview *review, const char *device)
{
  g_string_append_printf (out, "Review %" G_GINT64_FORMAT " of %s, scope %s: %s\n", review->id, device,
                          fwr_review_scope_to_string (review->scope),
                          review->signoff ? "completed" : "open");
  g_string_append_printf (out, "  baseline:  snapshot %" G_GINT64_FORMAT ", sha256 %s\n",
                          review->snapshot_id, review->snapshot_sha256);
  g_string_append_printf (out, "  period:    %s to %s\n", review->period_from, review->period_to);
  g_string_append_printf (out, "  started:   %s at %s\n", review->started_by, review->started_at);
  if (review->signoff != NULL)
    g_string_append_printf (out, "  signed off: %s at %s%s%s%s\n", review->signoff->signed_by,
                            review->signoff->signed_at, review->signoff->comment ? ": “" : "",
                            review->signoff->comment ? review->signoff->comment : "",
                            review->signoff->comment ? "”" : "");
  g_string_append_printf (out, "\nRules in scope (%u):\n", review->rules->len);
  for (guint i = 0; i < review->rules->len; i++)
    {
      const FwrReviewRule *rule = g_ptr_array_index (review->rules, i);
      const FwrReviewDecision *decision = fwr_review_find_decision (review, rule->rule_id);
      g_string_append_printf (out, "  %s: %s %s%s%s%s\n", rule->rule_id, rule->match, rule->verdict,
                              rule->comment ? "  “" : "", rule->comment ? rule->comment : "",
                              rule->comment ? "”" : "");
      for (guint f = 0; f < rule->findings->len; f++)
        {
          const FwrReviewFinding *finding = g_ptr_array_index (rule->findings, f);
          g_string_append_printf (out, "      %-8s %-20s %s\n", fwr_severity_to_string (finding->severity),
                                  finding->check, finding->message);
        }
      append_usage_text (out, rule);
      if (decision != NULL)
        g_string_append_printf (out, "      decision: %s by %s at %s: %s%s\n",
                                fwr_review_decision_to_string (decision->decision), decision->decided_by,
                                decision->decided_at, decision->reason,
                                decision->change_id ? " (change request submitted)" : "");
      else
        g_string_append (out, "      decision: undecided\n");
    }
}

static int
print_review (FwrStore *store, gint64 id, gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReview) review = fwr_store_get_review (store, id, &error);
  g_autoptr (FwrDevice) device = review ? fwr_store_get_device_by_id (store, review->device_id, &error) : NULL;
  if (device == NULL)
    return fwr_cli_fail (error);
  if (json)
    {
      g_autoptr (json_t) root = review_to_json (review, device->name);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  review_to_text (out, review, device->name);
  return fwr_cli_print_text (out);
}

/* Start */

static int
review_start (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *device = NULL, *scope_text = NULL;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "The device to review", "NAME" },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope_text, "dmz, access-control or external", "SCOPE" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  FwrReviewScope scope;
  if (!fwr_cli_parse_options_json ("review start", NULL,
                                   "Start a review of a device's approved baseline (admins and supervisors).",
                                   "Freezes the approved baseline and lists the rules in scope, each with its\n"
                                   "findings and its usage (its counter, and the snapshots of the period since the\n"
                                   "last completed review of the scope: \"zero_hits\" when two or more show it and\n"
                                   "all read zero). Scopes: dmz (rules whose source or destination may be a dmz\n"
                                   "zone), access-control (every rule), external (rules touching an internet zone).\n"
                                   "JSON (fwreview.review/1): \"id\", \"rules\" [{\"id\", \"findings\", \"usage\", ...}].",
                                   entries, &args, &json, &exit_code) ||
      !parse_scope_and_device ("review start", scope_text, device, args, &scope, &exit_code))
    return exit_code;

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  gint64 id = 0;
  if (!fwr_store_start_review (store, identity, device, scope, &id, &error))
    return fwr_cli_fail (error);
  return print_review (store, id, json);
}

/* Decide */

static int
review_decide (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *rule = NULL, *decision_text = NULL, *reason = NULL, *propose = NULL;
  g_autofree char *ticket = NULL;
  const GOptionEntry entries[] = {
    { "rule", 0, 0, G_OPTION_ARG_STRING, &rule, "The rule, by its id in the review", "RULE_ID" },
    { "decision", 0, 0, G_OPTION_ARG_STRING, &decision_text, "keep, tighten or remove", "DECISION" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required)", "TEXT" },
    { "propose", 0, 0, G_OPTION_ARG_FILENAME, &propose,
      "tighten/remove: the configuration after the change; submits a change request", "FILE" },
    { "ticket", 0, 0, G_OPTION_ARG_STRING, &ticket, "The change ticket, with --propose", "ID" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  gint64 id = 0;
  FwrReviewDecisionKind kind;
  if (!fwr_cli_parse_options_json ("review decide", "ID",
                                   "Decide on one rule of an open review (admins and supervisors).",
                                   "The decision is signed and logged, and final. With --propose FILE a tighten or\n"
                                   "remove decision also submits a change request against the device's approved\n"
                                   "baseline, in the same transaction; FILE must change or remove the rule.\n"
                                   "JSON (fwreview.review-decision/1): \"id\", \"review\", \"rule\", \"decision\",\n"
                                   "\"change\" (the change request's id, or null).",
                                   entries, &args, &json, &exit_code) ||
      !fwr_cli_parse_id ("review decide", "review", args, &id, &exit_code))
    return exit_code;
  if (rule == NULL || decision_text == NULL || reason == NULL)
    return fwr_cli_usage_error ("review decide", "--rule, --decision and --reason are required");
  if (!fwr_review_decision_from_string (decision_text, &kind))
    return fwr_cli_usage_error ("review decide", "unknown --decision “%s” (expected keep, tighten or "
                                "remove)", decision_text);
  if (ticket != NULL && propose == NULL)
    return fwr_cli_usage_error ("review decide", "--ticket goes with --propose");

  gsize length = 0;
  g_autofree char *data = propose ? fwr_cli_read_input (propose, &length) : NULL;
  if (propose != NULL && data == NULL)
    return FWR_EXIT_BAD_INPUT;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrReviewDecision) decision = NULL;
  if (!fwr_store_decide_review (store, identity, id, rule, kind, reason, propose, data, length,
                                ticket, &decision, &error))
    return fwr_cli_fail (error);
  if (json)
    {
      g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:I, s:s, s:s, s:o, s:s, s:s}",
                                           "schema", "fwreview.review-decision/1",
                                           "id", (json_int_t) decision->id, "review", (json_int_t) id,
                                           "rule", decision->rule_id,
                                           "decision", fwr_review_decision_to_string (kind),
                                           "change", fwr_cli_json_nullable_id (decision->change_id),
                                           "decided_by", decision->decided_by,
                                           "decided_at", decision->decided_at);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  g_string_append_printf (out, "review %" G_GINT64_FORMAT ": %s %s by %s\n", id,
                          fwr_review_decision_to_string (kind), decision->rule_id, decision->decided_by);
  if (decision->change_id != 0)
    g_string_append_printf (out, "change %" G_GINT64_FORMAT " submitted; a supervisor other than you "
                            "decides it (“fwreview change show %" G_GINT64_FORMAT "”)\n",
                            decision->change_id, decision->change_id);
  return fwr_cli_print_text (out);
}

/* Complete */

static int
review_complete (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *comment = NULL;
  const GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, "What you checked (optional)", "TEXT" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  gint64 id = 0;
  if (!fwr_cli_parse_options_json ("review complete", "ID", "Sign off a review (supervisors only).",
                                   "Refused (exit 4, with the reason) while any rule in scope is undecided, and\n"
                                   "for the person who made the most decisions when the device's policy asks for\n"
                                   "segregation of duties (the default). The signature covers the review as frozen\n"
                                   "and every decision.",
                                   entries, &args, &json, &exit_code) ||
      !fwr_cli_parse_id ("review complete", "review", args, &id, &exit_code))
    return exit_code;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  g_autoptr (FwrIdentity) identity = store ? fwr_cli_load_identity (cli, &exit_code) : NULL;
  if (identity == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  if (!fwr_store_complete_review (store, identity, id, comment, &error))
    return fwr_cli_fail (error);
  g_autoptr (FwrReview) review = fwr_store_get_review (store, id, &error);
  if (review == NULL)
    return fwr_cli_fail (error);
  if (json)
    {
      g_autoptr (json_t) root = json_pack ("{s:s, s:I, s:s, s:s, s:s}", "schema", "fwreview.review/1",
                                           "id", (json_int_t) id, "state", "completed",
                                           "signed_by", review->signoff->signed_by,
                                           "signed_at", review->signoff->signed_at);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  g_string_append_printf (out, "review %" G_GINT64_FORMAT " completed: signed off by %s at %s\n", id,
                          review->signoff->signed_by, review->signoff->signed_at);
  return fwr_cli_print_text (out);
}

/* Show and list */

static int
review_show (FwrCli *cli, int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  gint64 id = 0;
  if (!fwr_cli_parse_options_json ("review show", "ID", "Show a review: its rules, findings, decisions, sign-off.",
                                   "JSON: fwreview.review/1, as review start prints it, with \"decisions\" and\n"
                                   "\"signoff\" (their signatures checked: \"signature_valid\").",
                                   NULL, &args, &json, &exit_code) ||
      !fwr_cli_parse_id ("review show", "review", args, &id, &exit_code))
    return exit_code;
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  return print_review (store, id, json);
}

static int
review_list (FwrCli *cli, int argc, char **argv)
{
  g_autoptr (FwrStore) store = NULL;
  gint64 device_id = 0;
  int exit_code;
  gboolean json;
  if (!fwr_cli_begin_store_read (cli, "review list", "List reviews.", NULL, "Only this device's reviews",
                                 argv, &json, &store, &device_id, &exit_code))
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) reviews = fwr_store_list_reviews (store, device_id, &error);
  if (reviews == NULL)
    return fwr_cli_fail (error);
  json_t *list = json_array ();
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < reviews->len; i++)
    {
      FwrReview *review = g_ptr_array_index (reviews, i);
      const char *state = review->signoff ? "completed" : "open";
      json_array_append_new (list, json_pack ("{s:I, s:I, s:s, s:s, s:i, s:i, s:s, s:s, s:s?}",
                                              "id", (json_int_t) review->id,
                                              "device_id", (json_int_t) review->device_id,
                                              "scope", fwr_review_scope_to_string (review->scope),
                                              "state", state, "rules", (int) review->rules->len,
                                              "decisions", (int) review->decisions->len,
                                              "started_by", review->started_by,
                                              "started_at", review->started_at,
                                              "completed_at", review->signoff ? review->signoff->signed_at : NULL));
      g_string_append_printf (out, "%5" G_GINT64_FORMAT "  %-14s %-9s %s  %u rules, %u decided%s%s\n",
                              review->id, fwr_review_scope_to_string (review->scope), state,
                              review->started_at, review->rules->len, review->decisions->len,
                              review->signoff ? ", signed off by " : "",
                              review->signoff ? review->signoff->signed_by : "");
    }
  g_autoptr (json_t) root = json_pack ("{s:s, s:o}", "schema", "fwreview.reviews/1", "reviews", list);
  return json ? fwr_cli_print_json (root) : fwr_cli_print_text (out);
}

/* Due */

static int
review_due (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *at_text = NULL;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, "As of this date (default: now)", "DATE" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  if (!fwr_cli_parse_options_json ("review due", NULL, "What reviews are due, for every device and scope.",
                                   "For each device and scope: the last completed review, the next due date (the\n"
                                   "last sign-off, or the device's creation, plus the policy's interval) and the\n"
                                   "status: ok, due-soon (within 30 days) or overdue.\n"
                                   "JSON (fwreview.review-due/1): \"reviews\" [{\"device\", \"scope\",\n"
                                   "\"last_completed\", \"next_due\", \"status\", ...}].\n"
                                   "Exit status: 0 nothing overdue, 1 something overdue (for timers).",
                                   entries, &args, &json, &exit_code))
    return exit_code;
  if (args[1] != NULL)
    return fwr_cli_usage_error ("review due", "unexpected argument “%s”", args[1]);
  g_autoptr (GDateTime) at = at_text ? fwr_time_parse (at_text) : NULL;
  if (at_text != NULL && at == NULL)
    return fwr_cli_usage_error ("review due", "--at “%s” is not a date (2025-01-31) or an ISO 8601 "
                                "time", at_text);
  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) dues = fwr_store_list_reviews_due (store, at, &error);
  if (dues == NULL)
    return fwr_cli_fail (error);

  gboolean overdue = FALSE;
  json_t *list = json_array ();
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < dues->len; i++)
    {
      FwrReviewDue *due = g_ptr_array_index (dues, i);
      const char *status = fwr_review_due_status_to_string (due->status);
      overdue |= due->status == FWR_REVIEW_DUE_OVERDUE;
      json_array_append_new (list, json_pack ("{s:s, s:s, s:i, s:s?, s:o, s:s, s:s, s:o}",
                                              "device", due->device,
                                              "scope", fwr_review_scope_to_string (due->scope),
                                              "interval_months", (int) due->interval_months,
                                              "last_completed", due->last_completed,
                                              "last_review", fwr_cli_json_nullable_id (due->last_review_id),
                                              "next_due", due->next_due, "status", status,
                                              "open_review", fwr_cli_json_nullable_id (due->open_review_id)));
      g_string_append_printf (out, "%-16s %-14s %-9s next due %s, last completed %s%s\n", due->device,
                              fwr_review_scope_to_string (due->scope), status, due->next_due,
                              due->last_completed ? due->last_completed : "never",
                              due->open_review_id ? " (a review is under way)" : "");
    }
  int status = overdue ? FWR_EXIT_CHECK_FAILED : FWR_EXIT_OK;
  g_autoptr (json_t) root = json_pack ("{s:s, s:o}", "schema", "fwreview.review-due/1", "reviews", list);
  int printed = json ? fwr_cli_print_json (root) : fwr_cli_print_text (out);
  return printed == FWR_EXIT_OK ? status : printed;
}

/* Policy */

static json_t *
policy_to_json (const FwrReviewPolicy *policy, const char *device)
{
  return json_pack ("{s:s, s:o, s:s, s:s, s:i, s:i, s:b, s:s?, s:s?, s:s?}",
                    "schema", "fwreview.review-policy/1", "id", fwr_cli_json_nullable_id (policy->id),
                    "device", device, "scope", fwr_review_scope_to_string (policy->scope),
                    "interval_months", (int) policy->interval_months,
                    "checklist_months", (int) fwr_review_scope_get_default_months (policy->scope),
                    "segregation", policy->segregation, "justification", policy->justification,
                    "set_by", policy->set_by, "set_at", policy->set_at);
}

static int
review_policy (FwrCli *cli, int argc, char **argv)
{
  g_autofree char *device = NULL, *scope_text = NULL, *justification = NULL;
  g_autofree char *segregation = NULL;
  int months = 0;
  const GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "The device", "NAME" },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope_text, "dmz, access-control or external", "SCOPE" },
    { "interval-months", 0, 0, G_OPTION_ARG_INT, &months, "Set the interval (1 to 36)", "N" },
    { "segregation", 0, 0, G_OPTION_ARG_STRING, &segregation,
      "on: the person who made most decisions may not sign off (default); off", "on|off" },
    { "justification", 0, 0, G_OPTION_ARG_STRING, &justification,
      "Why, when looser than the checklist (required then; logged)", "TEXT" },
    G_OPTION_ENTRY_NULL
  };
  g_auto (GStrv) args = g_strdupv (argv);
  int exit_code;
  gboolean json;
  FwrReviewScope scope;
  if (!fwr_cli_parse_options_json ("review policy", NULL, "Show or set a device's review policy for a scope.",
                                   "Without --interval-months or --segregation it shows the policy in force.\n"
                                   "Setting it is for supervisors; an interval longer than the checklist's (dmz 6,\n"
                                   "access-control and external 12 months) or segregation turned off needs\n"
                                   "--justification, which is logged; else exit 4.",
                                   entries, &args, &json, &exit_code) ||
      !parse_scope_and_device ("review policy", scope_text, device, args, &scope, &exit_code))
    return exit_code;
  if (segregation != NULL && g_strcmp0 (segregation, "on") != 0 && g_strcmp0 (segregation, "off") != 0)
    return fwr_cli_usage_error ("review policy", "--segregation takes on or off, not “%s”", segregation);
  if (months < 0 || months > 36)
    return fwr_cli_usage_error ("review policy", "--interval-months runs from 1 to 36");

  g_autoptr (FwrStore) store = fwr_cli_open_store (cli, &exit_code);
  if (store == NULL)
    return exit_code;
  g_autoptr (GError) error = NULL;
  gboolean setting = months != 0 || segregation != NULL || justification != NULL;
  if (setting)
    {
      g_autoptr (FwrIdentity) identity = fwr_cli_load_identity (cli, &exit_code);
      if (identity == NULL)
        return exit_code;
      g_autoptr (FwrReviewPolicy) current = fwr_store_get_review_policy (store, device, scope, &error);
      if (current == NULL)
        return fwr_cli_fail (error);
      gboolean keep_apart = segregation ? g_str_equal (segregation, "on") : current->segregation;
      if (!fwr_store_set_review_policy (store, identity, device, scope,
                                        months ? (guint) months : current->interval_months,
                                        keep_apart, justification, NULL, &error))
        return fwr_cli_fail (error);
    }
  g_autoptr (FwrReviewPolicy) policy = fwr_store_get_review_policy (store, device, scope, &error);
  if (policy == NULL)
    return fwr_cli_fail (error);
  if (json)
    {
      g_autoptr (json_t) root = policy_to_json (policy, device);
      return fwr_cli_print_json (root);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  g_string_append_printf (out, "%s %s reviews: every %u months (checklist: %u), segregation of duties %s",
                          device, fwr_review_scope_to_string (scope), policy->interval_months,
                          fwr_review_scope_get_default_months (scope), policy->segregation ? "on" : "off");
  if (policy->set_by != NULL)
    g_string_append_printf (out, "; set by %s at %s%s%s%s", policy->set_by, policy->set_at,
                            policy->justification ? ": “" : "",
                            policy->justification ? policy->justification : "",
                            policy->justification ? "”" : "");
  else
    g_string_append (out, " (the checklist's defaults)");
  g_string_append_c (out, '\n');
  return fwr_cli_print_text (out);
}

int
fwr_cmd_review (FwrCli *cli, int argc, char **argv)
{
  static const FwrCliCommand subs[] = {
    { "start", "freeze the approved baseline and list the rules in scope", review_start },
    { "decide", "keep, tighten or remove a rule (signed; optionally a change request)", review_decide },
    { "complete", "the supervisor's signed sign-off", review_complete },
    { "show", "a review's rules, findings, decisions and sign-off", review_show },
    { "list", "list reviews", review_list },
    { "due", "what is due, per device and scope (exit 1 when overdue)", review_due },
    { "policy", "show or set a device's review interval and segregation", review_policy },
  };
  return fwr_cli_run_subcommand (cli, "review", subs, G_N_ELEMENTS (subs), argc, argv);
}
