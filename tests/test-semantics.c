/* test-semantics.c: the kernel's evaluation semantics the analysis follows, each shown on a
 * ruleset loaded into a real nft in a private network namespace and dumped with nft -j
 * (tests/data/semantics/regen.sh), and found again through the importer and the engine. */
#include "analysis-builder.h"

typedef struct {
  FwrRuleset *ruleset;
  FwrReport *report;
} Fixture;

static void
fixture_load (Fixture *fixture, const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "semantics", name, NULL);
  g_autoptr (GError) error = NULL;
  fixture->ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  fixture->report = fwr_analyze (fixture->ruleset, NULL);
}

static void
fixture_clear (Fixture *fixture)
{
  fwr_report_free (fixture->report);
  fwr_ruleset_unref (fixture->ruleset);
}

/* nft assigns handles, so rules are named here by their comments. */
static const char *
rule_id (Fixture *fixture, const char *comment)
{
  for (guint c = 0; c < fwr_ruleset_get_n_chains (fixture->ruleset); c++)
    {
      FwrChain *chain = fwr_ruleset_get_chain (fixture->ruleset, c);
      for (guint r = 0; r < fwr_chain_get_n_rules (chain); r++)
        {
          FwrRule *rule = fwr_chain_get_rule (chain, r);
          if (g_strcmp0 (fwr_rule_get_comment (rule), comment) == 0)
            return fwr_rule_get_id (rule);
        }
    }
  g_error ("no rule with comment “%s”", comment);
}

static gboolean
has (Fixture *fixture, const char *check, const char *comment)
{
  return tb_find (fixture->report, check, rule_id (fixture, comment)) != NULL;
}

static void
test_jump_any_any (void)
{
  Fixture f;
  fixture_load (&f, "jump-any-any.json");
  const FwrFinding *finding = tb_find (f.report, "any-any", rule_id (&f, "everything else from wan"));
  g_assert_nonnull (finding);
  g_autofree char *iif = NULL;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "iifname", "s", &iif));
  g_assert_cmpstr (iif, ==, "wan");
  g_assert_false (has (&f, "any-any", "web"));
  g_assert_false (has (&f, "any-any", "lan web"));
  g_assert_true (has (&f, "redundant", "never reached"));
  fixture_clear (&f);
}

static void
test_goto_return (void)
{
  Fixture f;
  fixture_load (&f, "goto-return.json");
  g_assert_true (has (&f, "shadowed", "behind the return: never"));
  g_assert_false (has (&f, "shadowed", "reached by what screen returned"));
  g_assert_false (has (&f, "redundant", "reached by what screen returned"));
  g_assert_true (has (&f, "shadowed", "after goto: never"));
  g_assert_false (has (&f, "shadowed", "lan ssh"));
  fixture_clear (&f);
}

static void
test_base_chains (void)
{
  Fixture f;
  fixture_load (&f, "base-chains.json");
  const FwrFinding *finding = tb_find (f.report, "shadowed", rule_id (&f, "accepted here, dropped later"));
  g_assert_nonnull (finding);
  gboolean later = FALSE;
  g_assert_true (g_variant_lookup (fwr_finding_get_details (finding), "by_later_base_chain", "b", &later));
  g_assert_true (later);
  g_assert_true (has (&f, "shadowed", "never sees telnet"));
  g_assert_false (has (&f, "shadowed", "still sees web"));
  g_assert_false (has (&f, "redundant", "still sees web"));
  g_assert_false (has (&f, "shadowed", "accepted in both"));
  fixture_clear (&f);
}

static void
test_families (void)
{
  Fixture f;
  fixture_load (&f, "families.json");
  g_assert_false (has (&f, "shadowed", "still reached by IPv6"));
  g_assert_true (has (&f, "shadowed", "IPv4 only: covered"));
  /* The ip table's base chain comes after the inet one, whose policy already drops port 25. */
  g_assert_nonnull (tb_find (f.report, "redundant", "ip/v4/input/2"));
  fixture_clear (&f);
}

static void
test_sets_vmap (void)
{
  Fixture f;
  fixture_load (&f, "sets-vmap.json");
  const FwrFinding *finding = tb_find (f.report, "redundant", rule_id (&f, "covered by the union of both"));
  g_assert_nonnull (finding);
  g_assert_true (tb_related_has (finding, rule_id (&f, "low")));
  g_assert_true (tb_related_has (finding, rule_id (&f, "high")));
  g_assert_true (has (&f, "shadowed", "shadowed by the vmap drop"));
  g_assert_false (has (&f, "shadowed", "opaque limit never covers"));
  g_assert_false (has (&f, "redundant", "opaque limit never covers"));
  fixture_clear (&f);
}

static void
test_loop (void)
{
  /* The kernel refuses loops, so this one is written by hand: a tampered or synthetic export. */
  Fixture f;
  fixture_load (&f, "loop.json");
  g_assert_nonnull (tb_find (f.report, "chain-loop", "inet/t/b/6"));
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/semantics/jump-any-any", test_jump_any_any);
  g_test_add_func ("/fwr/semantics/goto-return", test_goto_return);
  g_test_add_func ("/fwr/semantics/base-chains", test_base_chains);
  g_test_add_func ("/fwr/semantics/families", test_families);
  g_test_add_func ("/fwr/semantics/sets-vmap", test_sets_vmap);
  g_test_add_func ("/fwr/semantics/loop", test_loop);
  return g_test_run ();
}
