/* test-live-listing.c: the live listing kept as a snapshot's original: libnftables' JSON made
 * compact with the kernel's counters written in, byte for byte what jansson would write. */
#include "fwr-jansson-private.h"
#include "fwr-nft-live-private.h"

#include <stdlib.h>

typedef struct {
  FwrLiveCounters counters;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->counters.rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_array_unref);
  f->counters.objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_hash_table_unref (f->counters.rules);
  g_hash_table_unref (f->counters.objects);
}

/* The kernel holds n counters for rule inet/t/c/handle: packets base+k, bytes 10*(base+k). */
static void
add_rule_counters (Fixture *f, guint64 handle, guint n, guint64 base)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (FwrLiveCounter));
  for (guint k = 0; k < n; k++)
    {
      FwrLiveCounter value = { base + k, 10 * (base + k) };
      g_array_append_val (found, value);
    }
  g_hash_table_replace (f->counters.rules, _fwr_live_rule_key ("inet", "t", "c", handle), found);
}

static void
add_named_counter (Fixture *f, const char *name, guint64 packets, guint64 bytes)
{
  FwrLiveCounter *value = g_new (FwrLiveCounter, 1);
  value->packets = packets;
  value->bytes = bytes;
  g_hash_table_replace (f->counters.objects, _fwr_live_object_key ("inet", "t", name), value);
}

static char *
listing (Fixture *f, const char *text, GError **error)
{
  return _fwr_live_listing_with_counters (text, strlen (text), &f->counters, error);
}

/* What the listing must become, from its definition: jansson's tree of the text, each rule's
 * counter statements and each named counter given the kernel's values, dumped compact. */
static char *
expected_listing (Fixture *f, const char *text)
{
  g_autoptr (json_t) root = json_loads (text, 0, NULL);
  g_assert_nonnull (root);
  json_t *item;
  size_t index;
  json_array_foreach (json_object_get (root, "nftables"), index, item)
    {
      json_t *rule = json_object_get (item, "rule");
      json_t *counter = json_object_get (item, "counter");
      if (json_is_object (rule))
        {
          g_autofree char *key = _fwr_live_rule_key (json_string_value (json_object_get (rule, "family")),
                                                     json_string_value (json_object_get (rule, "table")),
                                                     json_string_value (json_object_get (rule, "chain")),
                                                     json_integer_value (json_object_get (rule, "handle")));
          GArray *found = g_hash_table_lookup (f->counters.rules, key);
          g_assert_nonnull (found);
          guint next = 0;
          json_t *statement;
          size_t k;
          json_array_foreach (json_object_get (rule, "expr"), k, statement)
            {
              json_t *values = json_object_get (statement, "counter");
              if (!json_is_object (values))
                continue;
              g_assert_cmpuint (next, <, found->len);
              FwrLiveCounter *value = &g_array_index (found, FwrLiveCounter, next++);
              json_object_set_new (values, "packets", json_integer ((json_int_t) value->packets));
              json_object_set_new (values, "bytes", json_integer ((json_int_t) value->bytes));
            }
          g_assert_cmpuint (next, ==, found->len);
        }
      if (json_is_object (counter))
        {
          g_autofree char *key = _fwr_live_object_key (json_string_value (json_object_get (counter, "family")),
                                                       json_string_value (json_object_get (counter, "table")),
                                                       json_string_value (json_object_get (counter, "name")));
          FwrLiveCounter *value = g_hash_table_lookup (f->counters.objects, key);
          g_assert_nonnull (value);
          json_object_set_new (counter, "packets", json_integer ((json_int_t) value->packets));
          json_object_set_new (counter, "bytes", json_integer ((json_int_t) value->bytes));
        }
    }
  char *dumped = json_dumps (root, JSON_COMPACT);
  g_autofree char *copy = g_strdup (dumped);
  free (dumped);
  return g_steal_pointer (&copy);
}

static void
assert_like_jansson (Fixture *f, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *got = listing (f, text, &error);
  g_assert_no_error (error);
  g_autofree char *expected = expected_listing (f, text);
  g_assert_cmpstr (got, ==, expected);
}

/* A listing as libnftables prints it: the kernel's counters replace the listed ones, named
 * counter references stay, the separators lose their spaces. */
static void
test_counters (Fixture *f, gconstpointer data)
{
  add_rule_counters (f, 4, 1, 7);
  add_rule_counters (f, 5, 0, 0);
  add_rule_counters (f, 6, 2, 40);
  add_named_counter (f, "ntp", 3, 228);
  const char *text =
    "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}}, "
    "{\"table\": {\"family\": \"inet\", \"name\": \"t\", \"handle\": 1}}, "
    "{\"counter\": {\"family\": \"inet\", \"name\": \"ntp\", \"table\": \"t\", \"handle\": 2, "
    "\"packets\": 0, \"bytes\": 0}}, "
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 4, "
    "\"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"udp\", "
    "\"field\": \"dport\"}}, \"right\": 9}}, {\"counter\": {\"packets\": 1, \"bytes\": 2}}, "
    "{\"accept\": null}]}}, "
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 5, "
    "\"expr\": [{\"counter\": \"ntp\"}, {\"accept\": null}]}}, "
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 6, "
    "\"comment\": \"two counters\", \"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}, "
    "{\"log\": {\"prefix\": \"x \"}}, {\"counter\": {\"packets\": 0, \"bytes\": 0}}, {\"drop\": null}]}}]}\n";
  g_autoptr (GError) error = NULL;
  g_autofree char *got = listing (f, text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==,
    "{\"nftables\":[{\"metainfo\":{\"version\":\"1.0.6\",\"json_schema_version\":1}},"
    "{\"table\":{\"family\":\"inet\",\"name\":\"t\",\"handle\":1}},"
    "{\"counter\":{\"family\":\"inet\",\"name\":\"ntp\",\"table\":\"t\",\"handle\":2,"
    "\"packets\":3,\"bytes\":228}},"
    "{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"c\",\"handle\":4,"
    "\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\","
    "\"field\":\"dport\"}},\"right\":9}},{\"counter\":{\"packets\":7,\"bytes\":70}},"
    "{\"accept\":null}]}},"
    "{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"c\",\"handle\":5,"
    "\"expr\":[{\"counter\":\"ntp\"},{\"accept\":null}]}},"
    "{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"c\",\"handle\":6,"
    "\"comment\":\"two counters\",\"expr\":[{\"counter\":{\"packets\":40,\"bytes\":400}},"
    "{\"log\":{\"prefix\":\"x \"}},{\"counter\":{\"packets\":41,\"bytes\":410}},{\"drop\":null}]}}]}");
  assert_like_jansson (f, text);
}

/* Whatever jansson would write differently from the text (escapes, reals, a key given twice,
 * counters in another shape) comes out exactly as jansson writes it. */
static void
test_like_jansson (Fixture *f, gconstpointer data)
{
  add_rule_counters (f, 1, 1, 5);
  add_named_counter (f, "n", 8, 9);
  static const char *const cases[] = {
    /* escapes and non-ASCII text, in a comment of a rule with a counter and elsewhere */
    "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"comment\": \"say \\\"hi\\\" \\u00e9t\\u00e9 / \\/ \\t\", \"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}]}}, "
    "{\"chain\": {\"name\": \"caf\xc3\xa9\", \"comment\": \"\\ud83d\\ude00 \\\\\"}}]}",
    /* reals, -0, zero, big and negative integers, literals, empty containers, each alone */
    "{\"nftables\": [1.5, 1E3, 2e-1, 0.1, -0, 0, -12, 123456789012345678, 1234567890123456789, "
    "-123456789012345678, true, false, null, {}, [], [[]], {\"a\": {}}, {\"x\": -0}, "
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"expr\": [{\"counter\": {\"packets\": 2.5, \"bytes\": 0}}]}}]}",
    /* a key given twice, at every level */
    "{\"nftables\": [{\"table\": {\"name\": \"a\", \"name\": \"b\"}}, "
    "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"expr\": [{\"counter\": {\"packets\": 1, \"bytes\": 2}, \"counter\": {\"packets\": 3, \"bytes\": 4}}]}}]}",
    "{\"nftables\": [], \"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", "
    "\"chain\": \"c\", \"handle\": 1, \"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}]}}]}",
    /* the rule's name after its statements; counters in another order, short or with more */
    "{\"nftables\": [{\"rule\": {\"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}], "
    "\"handle\": 1, \"chain\": \"c\", \"table\": \"t\", \"family\": \"inet\"}}]}",
    "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"expr\": [{\"counter\": {\"bytes\": 0, \"packets\": 0}}]}}]}",
    "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"expr\": [{\"counter\": {\"packets\": 0}}]}}]}",
    "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"expr\": [{\"counter\": {}}]}}]}",
    "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0, \"extra\": 1}}]}}]}",
    "{\"nftables\": [{\"counter\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"n\", \"bytes\": 1, \"packets\": 1}}, "
    "{\"counter\": {\"packets\": 1, \"bytes\": 1, \"family\": \"inet\", \"table\": \"t\", \"name\": \"n\"}}, "
    "{\"counter\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"n\"}}, "
    "{\"counter\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"n\", \"packets\": 1}}, "
    "{\"counter\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"n\", \"packets\": 1, \"bytes\": 1, \"comment\": \"c\"}}]}",
    /* a rule and a named counter in one element; elements that are not objects */
    "{\"nftables\": [{\"counter\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"n\", \"packets\": 0, \"bytes\": 0}, "
    "\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
    "\"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}]}}, 3, \"s\\n\", [1, {\"rule\": 2}], null]}",
    /* white space anywhere, other keys beside "nftables", a rule that is no object */
    " \n{ \"a\" :\t[ 1 ,2 ] ,\r\n \"nftables\" : [ { \"rule\" : \"text\" } , { \"rule\" : { \"family\" : \"inet\" , "
    "\"table\" : \"t\" , \"chain\" : \"c\" , \"handle\" : 1 , \"expr\" : [ { \"counter\" : "
    "{ \"packets\" : 0 , \"bytes\" : 0 } } ] } } ] , \"z\" : { } } \n\n",
    "{\"nftables\": {\"rule\": {\"handle\": 99}}}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      assert_like_jansson (f, cases[i]);
    }

  /* nesting deeper than the pass follows, and almost as deep as jansson does */
  for (guint depth = 100; depth <= 2044; depth += 1944)
    {
      g_autofree char *open = g_strnfill (depth, '[');
      g_autofree char *close = g_strnfill (depth, ']');
      g_autofree char *deep = g_strdup_printf ("{\"nftables\": [{\"a\": %s1%s}, {\"rule\": {\"family\": "
                                               "\"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
                                               "\"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}]}}]}",
                                               open, close);
      assert_like_jansson (f, deep);
    }
}

/* A rule or named counter the kernel did not report, or a rule with another number of counters,
 * means the ruleset changed in between: BUSY, to read again. */
static void
test_changed (Fixture *f, gconstpointer data)
{
  add_rule_counters (f, 1, 1, 0);
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 2, "
      "\"expr\": []}}]}", "a rule listed is not in the netlink dump" },
    { "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1}}]}",
      "a rule has fewer counters than the kernel reports" },
    { "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
      "\"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}, {\"counter\": {\"packets\": 0, \"bytes\": 0}}]}}]}",
      "a rule has more counters than the kernel reports" },
    { "{\"nftables\": [{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
      "\"comment\": \"\\u00e9\", \"expr\": []}}]}", "a rule has fewer counters than the kernel reports" },
    { "{\"nftables\": [{\"counter\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"gone\", "
      "\"packets\": 0, \"bytes\": 0}}]}", "a named counter listed is not in the netlink dump" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *got = listing (f, cases[i].text, &error);
      g_assert_null (got);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
      g_autofree char *message = g_strdup_printf ("the ruleset changed while it was read (%s)",
                                                  cases[i].message);
      g_assert_cmpstr (error->message, ==, message);
    }
}

/* Text that is not JSON is refused with jansson's reason, even where the pass would have
 * copied it. */
static void
test_not_json (Fixture *f, gconstpointer data)
{
  add_rule_counters (f, 1, 0, 0);
  static const char *const cases[] = {
    "",
    "{\"nftables\": [",
    "{\"nftables\": [1, 2,]}",
    "{\"nftables\": [{\"a\": 1}}]}",
    "{\"nftables\": [{\"a\" 1}]}",
    "{\"nftables\": [{\"a\": \"unterminated}]}",
    "{\"nftables\": [{\"a\": 01}]}",
    "{\"nftables\": [{\"a\": tru}]}",
    "{\"nftables\": []} {}",
    "{\"nftables\": [{\"a\": \"\\x\"}]}",
    "{\"nftables\": [{\"a\": \"\xff\"}]}",
    "{\"nftables\": [{\"a\": 99999999999999999999}]}",
    "{\"nftables\": [{\"a\": 9999999999999999999}]}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_autoptr (GError) error = NULL;
      g_autofree char *got = listing (f, cases[i], &error);
      g_assert_null (got);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      json_error_t json_error;
      g_autoptr (json_t) root = json_loads (cases[i], 0, &json_error);
      g_assert_null (root);
      g_autofree char *message = g_strdup_printf ("libnftables printed invalid JSON (line %d: %s)",
                                                  json_error.line, json_error.text);
      g_assert_cmpstr (error->message, ==, message);
    }

  /* jansson's depth limit counts from the top of the listing, not of an element */
  g_autofree char *open = g_strnfill (2048, '[');
  g_autofree char *close = g_strnfill (2048, ']');
  g_autofree char *deep = g_strdup_printf ("{\"nftables\": [%s%s]}", open, close);
  g_autoptr (GError) error = NULL;
  g_autofree char *got = listing (f, deep, &error);
  g_assert_null (got);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "maximum parsing depth reached"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/fwr/live-listing/counters", Fixture, NULL, fixture_setup, test_counters, fixture_teardown);
  g_test_add ("/fwr/live-listing/like-jansson", Fixture, NULL, fixture_setup, test_like_jansson, fixture_teardown);
  g_test_add ("/fwr/live-listing/changed", Fixture, NULL, fixture_setup, test_changed, fixture_teardown);
  g_test_add ("/fwr/live-listing/not-json", Fixture, NULL, fixture_setup, test_not_json, fixture_teardown);
  return g_test_run ();
}
