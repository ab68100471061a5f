/* test-ruleset-json.c: the model a snapshot stores reads back exactly as it was written,
 * and a damaged model is refused with the place of the damage. */
#include "fwr-ruleset-json-private.h"
#include "fwr-test-ruleset.h"

static const char *rich =
  "chain inet/edge/input hook=input policy=drop priority=-10\n"
  "rule 3 accept ct=established\n"
  "rule 4 accept iif=lo\n"
  "rule 5 accept iif=wan,ppp* saddr=10.0.0.0/8,192.168.1.7,2001:db8::/32 proto=6 dport=22 comment=ssh_from_office counter=12\n"
  "object inet/edge/admins admins\n"
  "object inet/edge/unused unused\n"
  "ref inet/edge/admins\n"
  "rule 6 drop iif=!lan daddr=10.1.2.3-10.1.2.9 proto=17 sport=53 dport=1024-65535 log=1\n"
  "chain inet/edge/forward hook=forward policy=accept\n"
  "rule 9 vmap oif=dmz dport=80,443,8080 family=ipv4\n"
  "rule 10 jump:from_wan iif=wan opaque=limit_rate_10/second\n"
  "chain inet/edge/from_wan\n"
  "rule 11 return daddr=::1,fe80::1-fe80::9\n";

static char *
dup_all_match_texts (FwrRuleset *ruleset)
{
  GString *out = g_string_new (NULL);
  for (guint c = 0; c < ruleset->chains->len; c++)
    {
      FwrChain *chain = g_ptr_array_index (ruleset->chains, c);
      for (guint r = 0; r < chain->rules->len; r++)
        {
          FwrRule *rule = g_ptr_array_index (chain->rules, r);
          g_autofree char *text = fwr_rule_dup_match_text (rule);
          g_string_append_printf (out, "%s %s %s\n", rule->id, text,
                                  fwr_action_to_string (rule->verdict.action));
        }
    }
  return g_string_free (out, FALSE);
}

static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_test_ruleset_new (rich);
  _fwr_ruleset_add_warning (ruleset, 12, 3, "unknown expression “fib”");

  gsize length = 0;
  g_autofree char *json = _fwr_ruleset_to_json (ruleset, &length);
  g_assert_cmpuint (length, ==, strlen (json));

  g_autoptr (FwrRuleset) back = _fwr_ruleset_from_json ("snapshot 1", json, length, &error);
  g_assert_no_error (error);
  g_autofree char *again = _fwr_ruleset_to_json (back, NULL);
  g_assert_cmpstr (again, ==, json);

  g_assert_cmpuint (fwr_ruleset_get_n_rules (back), ==, 7);
  g_assert_cmpuint (fwr_ruleset_get_n_chains (back), ==, 3);
  g_autofree char *texts_before = dup_all_match_texts (ruleset);
  g_autofree char *texts_after = dup_all_match_texts (back);
  g_assert_cmpstr (texts_after, ==, texts_before);

  FwrRule *ssh = fwr_ruleset_lookup_rule (back, "inet/edge/input/5");
  g_assert_nonnull (ssh);
  g_assert_cmpstr (fwr_rule_get_comment (ssh), ==, "ssh from office");
  guint64 packets = 0;
  g_assert_true (fwr_rule_get_counter (ssh, &packets, NULL));
  g_assert_cmpuint (packets, ==, 12);
  g_assert_cmpuint (fwr_rule_get_line (ssh), ==, 4);
  g_assert_cmpstr (ssh->refs[0], ==, "inet/edge/admins");
  g_assert_cmpuint (fwr_object_get_n_refs (fwr_ruleset_get_object (back, 0)), ==, 1);
  g_assert_cmpuint (fwr_object_get_n_refs (fwr_ruleset_get_object (back, 1)), ==, 0);

  FwrRule *vmap = fwr_ruleset_lookup_rule (back, "inet/edge/forward/9");
  g_assert_cmpuint (vmap->n_terms, ==, 3);
  g_assert_cmpint (vmap->terms[1].verdict.action, ==, FWR_ACTION_DROP);
  g_assert_cmpint (vmap->terms[0].match.families, ==, FWR_FAMILY_IPV4);

  FwrRule *jump = fwr_ruleset_lookup_rule (back, "inet/edge/forward/10");
  g_assert_cmpstr (fwr_rule_get_target (jump), ==, "from_wan");
  g_assert_cmpuint (fwr_rule_get_n_opaque (jump), ==, 1);

  FwrChain *input = fwr_ruleset_lookup_chain (back, "inet/edge/input");
  g_assert_cmpint (fwr_chain_get_policy (input), ==, FWR_ACTION_DROP);
  g_assert_cmpint (fwr_chain_get_priority (input), ==, -10);
  g_assert_cmpint (fwr_chain_get_hook (input), ==, FWR_HOOK_INPUT);
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (back), ==, 1);
  g_assert_cmpstr (fwr_ruleset_get_warning (back, 0), ==, "test.json:12:3: unknown expression “fib”");
}

static void
test_empty_sets_are_not_any (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_test_ruleset_new ("chain inet/edge/input hook=input\n"
                                                         "rule 1 accept\n");
  FwrRule *rule = fwr_ruleset_lookup_rule (ruleset, "inet/edge/input/1");
  /* A set that matches nothing (complemented "any") is not the same as no condition. */
  rule->terms[0].match.dst = fwr_addr_set_new ();
  rule->terms[0].match.dports = fwr_range_set_new ();

  g_autofree char *json = _fwr_ruleset_to_json (ruleset, NULL);
  g_autoptr (FwrRuleset) back = _fwr_ruleset_from_json ("m", json, strlen (json), &error);
  g_assert_no_error (error);
  FwrRule *again = fwr_ruleset_lookup_rule (back, "inet/edge/input/1");
  g_assert_nonnull (again->terms[0].match.dst);
  g_assert_true (fwr_addr_set_is_empty (again->terms[0].match.dst));
  g_assert_nonnull (again->terms[0].match.dports);
  g_assert_true (fwr_range_set_is_empty (again->terms[0].match.dports));
  g_assert_null (again->terms[0].match.src);
}

/* Writes, reads and writes again: the same text, and no semantic difference. */
static void
assert_round_trip (FwrRuleset *ruleset, const char *name)
{
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  g_autofree char *json = _fwr_ruleset_to_json (ruleset, &length);
  g_autoptr (FwrRuleset) back = _fwr_ruleset_from_json (name, json, length, &error);
  g_assert_no_error (error);
  g_autofree char *again = _fwr_ruleset_to_json (back, NULL);
  g_assert_cmpstr (again, ==, json);
  g_autoptr (FwrDiff) diff = fwr_diff_new (ruleset, back);
  g_assert_true (fwr_diff_is_empty (diff));
  g_assert_cmpuint (fwr_ruleset_get_n_rules (back), ==, fwr_ruleset_get_n_rules (ruleset));
  g_assert_cmpuint (fwr_ruleset_get_n_warnings (back), ==, fwr_ruleset_get_n_warnings (ruleset));
}

static void
test_impossible_match (void)
{
  g_autoptr (FwrRuleset) ruleset = fwr_test_ruleset_new ("chain inet/edge/input hook=input\n"
                                                         "rule 1 accept\n");
  /* ip saddr ... ip6 daddr ...: no packet is both, the importer leaves no family. */
  fwr_ruleset_lookup_rule (ruleset, "inet/edge/input/1")->terms[0].match.families = 0;
  assert_round_trip (ruleset, "impossible");
}

/* Every nftables ruleset the importer tests and samples use, through the model and back. */
static void
round_trip_folder (const char *dir, guint *n_done)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      if (!g_str_has_suffix (name, ".json") || g_str_has_prefix (name, "bad-") ||
          g_str_has_suffix (name, "-zones.json"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
      if (ruleset == NULL)
        continue;
      assert_round_trip (ruleset, name);
      (*n_done)++;
    }
}

static void
test_round_trip_imports (void)
{
  guint n_done = 0;
  const char *folders[] = { "nft", "semantics", "store" };
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", folders[i], NULL);
      round_trip_folder (dir, &n_done);
    }
  g_assert_cmpuint (n_done, >=, 30);

  const char *shared = g_getenv ("FWR_SHARED_DIR");
  g_autofree char *public = shared ? g_build_filename (shared, "samples-public", "nftables-json", NULL) : NULL;
  if (public == NULL || !g_file_test (public, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the shared public samples are absent");
      return;
    }
  guint before = n_done;
  round_trip_folder (public, &n_done);
  g_assert_cmpuint (n_done, >, before);
}

static void
test_damaged (void)
{
  g_autoptr (FwrRuleset) ruleset = fwr_test_ruleset_new (rich);
  g_autofree char *json = _fwr_ruleset_to_json (ruleset, NULL);
  struct {
    const char *from, *to, *message;
  } cases[] = {
    { "\"action\":\"accept\"", "\"action\":\"permit\"", "snapshot 4: damaged model at chains[0].rules[0].action: unknown name" },
    { "\"10.0.0.0-10.255.255.255\"", "\"10.0.0.0-9.0.0.0\"", "snapshot 4: damaged model at chains[0].rules[2].src: bad address interval" },
    { "\"schema\":\"fwreview.model/1\"", "\"schema\":\"fwreview.model/9\"", "snapshot 4: damaged model at model.schema: not fwreview.model/1" },
    { "[22,22]", "[22,\"ssh\"]", "snapshot 4: damaged model at chains[0].rules[2].dports: bad range" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GString) bad = g_string_new (json);
      g_assert_cmpuint (g_string_replace (bad, cases[i].from, cases[i].to, 1), ==, 1);
      g_autoptr (FwrRuleset) none = _fwr_ruleset_from_json ("snapshot 4", bad->str, bad->len, &error);
      g_assert_null (none);
      g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) truncated = _fwr_ruleset_from_json ("snapshot 5", json, 40, &error);
  g_assert_null (truncated);
  g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (error->message, "snapshot 5:1:"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/ruleset-json/round-trip", test_round_trip);
  g_test_add_func ("/fwr/ruleset-json/empty-sets", test_empty_sets_are_not_any);
  g_test_add_func ("/fwr/ruleset-json/damaged", test_damaged);
  g_test_add_func ("/fwr/ruleset-json/impossible-match", test_impossible_match);
  g_test_add_func ("/fwr/ruleset-json/round-trip-imports", test_round_trip_imports);
  return g_test_run ();
}
