/* test-box-index.c: the overlap index never misses a rule. On random rulesets of IPv4 and
 * IPv6 prefixes, ranges and sets, every entry that shares packets with a cube must be among
 * the candidates the index proposes for it, within the window of positions asked for. */
#include "analysis-builder.h"

/* Addresses chosen to overlap in many ways: nested prefixes, ranges across them, hosts at
 * their edges, in both families, some far apart so that sets are split into several boxes. */
static const char *addresses[] = {
  "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3", "10.1.2.255", "10.1.3.0-10.1.9.7",
  "192.168.0.0/16", "192.168.7.7", "0.0.0.0/1", "203.0.113.9",
  "2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64", "2001:db8:1:2::3", "2001:db8:ffff::1",
  "2001:db8:1::5-2001:db8:2::", "fd00::/8", "fd00::1", "::/1", "fe80::1",
};
static const char *ifaces[] = { "a", "b", "c", "ppp*" };

static FwrAddrSet *
random_addresses (void)
{
  FwrAddrSet *set = fwr_addr_set_new_parse (addresses[g_test_rand_int_range (0, G_N_ELEMENTS (addresses))], NULL);
  for (guint n = g_test_rand_int_range (0, 4); n > 0; n--)
    g_assert_true (fwr_addr_set_add_string (set, addresses[g_test_rand_int_range (0, G_N_ELEMENTS (addresses))], NULL));
  return set;
}

static void
random_rule (FwrChain *chain)
{
  FwrRule *rule = tb_rule (chain, g_test_rand_int_range (0, 2) ? FWR_ACTION_ACCEPT : FWR_ACTION_DROP, NULL);
  FwrMatch *m = tb_match (rule);
  if (g_test_rand_int_range (0, 3))
    m->src = random_addresses ();
  if (g_test_rand_int_range (0, 3))
    m->dst = random_addresses ();
  if (g_test_rand_int_range (0, 2))
    {
      guint lo = g_test_rand_int_range (0, 100);
      tb_dport (rule, 6, lo, lo + g_test_rand_int_range (0, 3) * 20);
    }
  if (g_test_rand_int_range (0, 2))
    tb_iif (rule, ifaces[g_test_rand_int_range (0, G_N_ELEMENTS (ifaces))]);
}

static gboolean
contains_pos (GArray *hits, guint pos)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_array_index (hits, guint, i) == pos)
      return TRUE;
  return FALSE;
}

static void
test_no_miss (void)
{
  guint n_pairs = 0, n_ipv6_pairs = 0;
  for (guint round = 0; round < 60; round++)
    {
      g_autoptr (FwrRuleset) rs = _fwr_ruleset_new ("test", "random.json");
      FwrChain *chain = tb_chain (rs, "forward", FWR_HOOK_FORWARD, 0, FWR_ACTION_DROP);
      for (guint i = g_test_rand_int_range (20, 120); i > 0; i--)
        random_rule (chain);

      FwrFlow *flow = _fwr_flow_new (rs, NULL);
      g_assert_cmpuint (flow->groups->len, ==, 1);
      FwrFlowGroup *group = g_ptr_array_index (flow->groups, 0);
      for (guint e = 0; e < group->entries->len; e++)
        {
          FwrEntry *entry = &g_array_index (group->entries, FwrEntry, e);
          for (guint c = 0; c < entry->space->len; c++)
            {
              FwrCube *cube = g_ptr_array_index (entry->space, c);
              /* Every other query asks for all positions, the others for a window. */
              guint n = group->entries->len;
              guint before = G_MAXUINT, from = 0;
              if (c % 2 == 1 || e % 2 == 1)
                {
                  before = g_test_rand_int_range (0, n + 1);
                  from = g_test_rand_bit () ? G_MAXUINT : (guint) g_test_rand_int_range (before, n + 1);
                }
              g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
              _fwr_box_index_query (group->index, flow, cube, before, from, hits);
              for (guint h = 0; h < hits->len; h++)
                {
                  guint pos = g_array_index (hits, guint, h);
                  if (pos >= before && pos < from)
                    {
                      g_test_message ("round %u: position %u is outside the window [0, %u) + [%u, ...)", round,
                                      pos, before, from);
                      g_test_fail ();
                    }
                }
              for (guint o = 0; o < n; o++)
                {
                  FwrEntry *other = &g_array_index (group->entries, FwrEntry, o);
                  if ((o >= before && o < from) || !_fwr_space_intersects (other->space, cube))
                    continue;
                  n_pairs++;
                  n_ipv6_pairs += cube->family == FWR_FAMILY_IPV6;
                  if (!contains_pos (hits, other->pos))
                    {
                      g_test_message ("round %u: %s (cube %u) overlaps %s, which the index missed", round,
                                      entry->rule->id, c, other->rule->id);
                      g_test_fail ();
                    }
                }
            }
        }
      _fwr_flow_free (flow);
      if (g_test_failed ())
        return;
    }
  g_assert_cmpuint (n_pairs, >, 1000);
  g_assert_cmpuint (n_ipv6_pairs, >, 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/box-index/no-miss", test_no_miss);
  return g_test_run ();
}
