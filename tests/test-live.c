/* test-live.c: the running nftables ruleset read over netlink, and nft text read by nft's own
 * parser, against the JSON dump of the same ruleset; all inside a private network namespace. */
#include "fwr-import-private.h"
#include "fwr-jansson-private.h"
#include "fwr-nfnetlink-private.h"
#include "fwr-test-netns.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

/* Why the tests cannot run here, or NULL when they run in a private network namespace. */
static char *no_netns_reason;

static gboolean
skip_without_netns (void)
{
  if (no_netns_reason == NULL)
    return FALSE;
  g_test_skip (no_netns_reason);
  return TRUE;
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "live", name, NULL);
}

/* Runs nft commands in this namespace, as `nft -f` would. */
static void
nft_run (const char *commands)
{
  g_autoptr (FwrNftCtx) nft = nft_ctx_new (NFT_CTX_DEFAULT);
  nft_ctx_buffer_error (nft);
  int status = nft_run_cmd_from_buffer (nft, commands);
  if (status != 0)
    g_error ("nft refused “%s”: %s", commands, nft_ctx_get_error_buffer (nft));
}

static void
nft_load (const char *path)
{
  nft_run ("flush ruleset");
  g_autoptr (FwrNftCtx) nft = nft_ctx_new (NFT_CTX_DEFAULT);
  nft_ctx_buffer_error (nft);
  if (nft_run_cmd_from_filename (nft, path) != 0)
    g_error ("nft refused %s: %s", path, nft_ctx_get_error_buffer (nft));
}

/* What `nft -j list ruleset` prints now. */
static char *
nft_dump_json (void)
{
  g_autoptr (FwrNftCtx) nft = nft_ctx_new (NFT_CTX_DEFAULT);
  char *error_text = NULL;
  char *json = _fwr_nft_list_json (nft, &error_text);
  g_assert_null (error_text);
  g_autofree char *copy = g_strdup (json);
  free (json);
  return g_steal_pointer (&copy);
}

/* "inet/t/c/7" -> "inet/t/c": handles differ between two loads of the same text. */
static char *
rule_id_without_handle (const FwrRule *rule)
{
  const char *id = fwr_rule_get_id (rule);
  const char *slash = strrchr (id, '/');
  return g_strndup (id, slash ? (gsize) (slash - id) : strlen (id));
}

static void
assert_same_rule (const FwrRule *a, const FwrRule *b, gboolean with_counters)
{
  g_autofree char *id_a = rule_id_without_handle (a);
  g_autofree char *id_b = rule_id_without_handle (b);
  g_assert_cmpstr (id_a, ==, id_b);
  g_assert_cmpuint (fwr_rule_get_position (a), ==, fwr_rule_get_position (b));
  g_autofree char *match_a = fwr_rule_dup_match_text (a);
  g_autofree char *match_b = fwr_rule_dup_match_text (b);
  g_assert_cmpstr (match_a, ==, match_b);
  g_assert_cmpint (fwr_rule_get_action (a), ==, fwr_rule_get_action (b));
  g_assert_cmpstr (fwr_rule_get_target (a), ==, fwr_rule_get_target (b));
  g_assert_cmpstr (fwr_rule_get_comment (a), ==, fwr_rule_get_comment (b));
  g_assert_cmpint (fwr_rule_get_enabled (a), ==, fwr_rule_get_enabled (b));
  g_assert_cmpint (fwr_rule_get_log (a), ==, fwr_rule_get_log (b));
  g_assert_cmpuint (fwr_rule_get_n_opaque (a), ==, fwr_rule_get_n_opaque (b));
  guint64 packets_a = 0, bytes_a = 0, packets_b = 0, bytes_b = 0;
  g_assert_cmpint (fwr_rule_get_counter (a, &packets_a, &bytes_a), ==,
                   fwr_rule_get_counter (b, &packets_b, &bytes_b));
  if (with_counters)
    {
      g_assert_cmpuint (packets_a, ==, packets_b);
      g_assert_cmpuint (bytes_a, ==, bytes_b);
    }
}

static void
assert_same_chain (const FwrChain *a, const FwrChain *b, gboolean with_counters)
{
  g_assert_cmpstr (fwr_chain_get_id (a), ==, fwr_chain_get_id (b));
  g_assert_cmpint (fwr_chain_get_hook (a), ==, fwr_chain_get_hook (b));
  g_assert_cmpint (fwr_chain_get_chain_type (a), ==, fwr_chain_get_chain_type (b));
  g_assert_cmpint (fwr_chain_get_priority (a), ==, fwr_chain_get_priority (b));
  g_assert_cmpint (fwr_chain_get_policy (a), ==, fwr_chain_get_policy (b));
  g_assert_cmpuint (fwr_chain_get_n_rules (a), ==, fwr_chain_get_n_rules (b));
  for (guint k = 0; k < fwr_chain_get_n_rules (a); k++)
    assert_same_rule (fwr_chain_get_rule (a, k), fwr_chain_get_rule (b, k), with_counters);
}

/* Semantically equal: the same chains, rules (by position, handles aside), matches, verdicts
 * and named objects with the same number of users. */
static void
assert_same_model (const FwrRuleset *a, const FwrRuleset *b, gboolean with_counters)
{
  g_assert_cmpuint (fwr_ruleset_get_n_chains (a), ==, fwr_ruleset_get_n_chains (b));
  g_assert_cmpuint (fwr_ruleset_get_n_rules (a), ==, fwr_ruleset_get_n_rules (b));
  for (guint i = 0; i < fwr_ruleset_get_n_chains (a); i++)
    assert_same_chain (fwr_ruleset_get_chain (a, i), fwr_ruleset_get_chain (b, i), with_counters);
  g_assert_cmpuint (fwr_ruleset_get_n_objects (a), ==, fwr_ruleset_get_n_objects (b));
  for (guint i = 0; i < fwr_ruleset_get_n_objects (a); i++)
    {
      const FwrObject *oa = fwr_ruleset_get_object (a, i), *ob = fwr_ruleset_get_object (b, i);
      g_assert_cmpstr (fwr_object_get_id (oa), ==, fwr_object_get_id (ob));
      g_assert_cmpint (fwr_object_get_kind (oa), ==, fwr_object_get_kind (ob));
      g_assert_cmpuint (fwr_object_get_n_refs (oa), ==, fwr_object_get_n_refs (ob));
    }
}

/* The listing kept as a snapshot's original is the JSON dump, compact (no traffic here moves
 * the counters between the two readings), of the generation and namespace given. */
static void
assert_listing_is_dump (const char *dump, guint32 generation, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *listing_name = NULL;
  guint32 listing_generation = 0;
  g_autoptr (GBytes) listing = fwr_import_live_listing (&listing_name, &listing_generation, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (listing_name, ==, name);
  g_assert_cmpuint (listing_generation, ==, generation);

  g_autoptr (json_t) root = json_loads (dump, 0, NULL);
  g_assert_nonnull (root);
  char *compact = json_dumps (root, JSON_COMPACT);
  gsize length = 0;
  const char *data = g_bytes_get_data (listing, &length);
  g_assert_cmpmem (data, length, compact, strlen (compact));
  free (compact);
}

/* Every expression kind of the JSON importer's tests, and the bundled sample: loaded into the
 * kernel, then read live, from the JSON dump and from the text. */
static void
test_same_model_three_ways (void)
{
  if (skip_without_netns ())
    return;
  g_autofree char *nft_dir = g_test_build_filename (G_TEST_DIST, "data", "nft", NULL);
  g_autoptr (GDir) dir = g_dir_open (nft_dir, 0, NULL);
  g_assert_nonnull (dir);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".nft"))
      g_ptr_array_add (files, g_build_filename (nft_dir, entry, NULL));
  g_ptr_array_add (files, g_test_build_filename (G_TEST_DIST, "..", "samples", "edge.nft", NULL));
  g_assert_cmpuint (files->len, >=, 20);

  for (guint f = 0; f < files->len; f++)
    {
      const char *path = g_ptr_array_index (files, f);
      g_test_message ("ruleset %s", path);
      nft_load (path);

      g_autoptr (GError) error = NULL;
      guint32 generation = 0;
      g_autoptr (FwrRuleset) live = fwr_import_live (&generation, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fwr_ruleset_get_format (live), ==, "nftables-live");
      g_assert_true (g_str_has_prefix (fwr_ruleset_get_file (live), "live:"));

      g_autofree char *json = nft_dump_json ();
      g_autoptr (FwrRuleset) dumped = fwr_import_data ("dump.json", json, strlen (json),
                                                       FWR_FORMAT_UNKNOWN, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fwr_ruleset_get_format (dumped), ==, "nftables-json");
      assert_listing_is_dump (json, generation, fwr_ruleset_get_file (live));

      g_autoptr (FwrRuleset) text = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fwr_ruleset_get_format (text), ==, "nftables-text");
      g_assert_cmpstr (fwr_ruleset_get_file (text), ==, path);

      g_assert_cmpuint (fwr_ruleset_get_n_rules (live), >, 0);
      assert_same_model (live, dumped, TRUE);
      assert_same_model (live, text, TRUE);
    }
}

static void
set_loopback_up (void)
{
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  struct ifreq request = { 0 };
  g_strlcpy (request.ifr_name, "lo", sizeof request.ifr_name);
  g_assert_cmpint (ioctl (fd, SIOCGIFFLAGS, &request), ==, 0);
  request.ifr_flags |= IFF_UP;
  g_assert_cmpint (ioctl (fd, SIOCSIFFLAGS, &request), ==, 0);
  close (fd);
}

/* n datagrams of payload bytes to 127.0.0.1:port; each is 28 + payload bytes on the wire. */
static void
send_udp (guint16 port, guint n, gsize payload)
{
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons (port) };
  to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_autofree char *data = g_malloc0 (payload);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (sendto (fd, data, payload, 0, (struct sockaddr *) &to, sizeof to), ==,
                     (ssize_t) payload);
  close (fd);
}

static const FwrRule *
lookup_rule_at (const FwrRuleset *ruleset, const char *chain_id, guint position)
{
  const FwrChain *chain = fwr_ruleset_lookup_chain (ruleset, chain_id);
  g_assert_nonnull (chain);
  g_assert_cmpuint (position, <, fwr_chain_get_n_rules (chain));
  return fwr_chain_get_rule (chain, position);
}

static void
assert_counter (const FwrRuleset *ruleset, guint position, guint64 packets, guint64 bytes)
{
  const FwrRule *rule = lookup_rule_at (ruleset, "inet/t/out", position);
  guint64 got_packets = 0, got_bytes = 0;
  g_assert_true (fwr_rule_get_counter (rule, &got_packets, &got_bytes));
  g_assert_cmpuint (got_packets, ==, packets);
  g_assert_cmpuint (got_bytes, ==, bytes);
}

/* Traffic moves the counters the live reading reports, anonymous and named ones alike, and the
 * listing kept for a snapshot reads back to the same model. */
static void
test_counters (void)
{
  if (skip_without_netns ())
    return;
  nft_run ("flush ruleset\n"
           "table inet t {\n"
           "  counter ntp { }\n"
           "  chain out {\n"
           "    type filter hook output priority 0; policy accept;\n"
           "    udp dport 9 counter accept\n"
           "    udp dport 123 counter name \"ntp\" accept\n"
           "    udp dport 7 counter drop\n"
           "  }\n"
           "}\n");
  set_loopback_up ();

  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) before = fwr_import_live (NULL, NULL, &error);
  g_assert_no_error (error);
  assert_counter (before, 0, 0, 0);

  send_udp (9, 5, 100);
  send_udp (123, 3, 48);
  guint32 generation = 0;
  g_autoptr (GBytes) listing = NULL;
  g_autoptr (FwrRuleset) after = fwr_import_live (&generation, &listing, &error);
  g_assert_no_error (error);
  assert_counter (after, 0, 5, 5 * 128);
  assert_counter (after, 1, 3, 3 * 76);
  assert_counter (after, 2, 0, 0);

  gsize length = 0;
  const char *data = g_bytes_get_data (listing, &length);
  g_autoptr (FwrRuleset) again = fwr_import_data ("snapshot", data, length,
                                                  FWR_FORMAT_NFTABLES_LIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fwr_ruleset_get_format (again), ==, "nftables-live");
  assert_same_model (after, again, TRUE);
}

/* The generation id moves with every committed change and only then. */
static void
test_generation (void)
{
  if (skip_without_netns ())
    return;
  nft_run ("flush ruleset\nadd table inet g\nadd chain inet g c\n");
  g_autoptr (GError) error = NULL;
  guint32 first = 0, second = 0, third = 0;
  g_autoptr (FwrRuleset) a = fwr_import_live (&first, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_autoptr (FwrRuleset) b = fwr_import_live (&second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first, ==, second);
  nft_run ("add rule inet g c tcp dport 22 accept");
  g_autoptr (FwrRuleset) c = fwr_import_live (&third, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (third, >, second);
  g_assert_cmpuint (fwr_ruleset_get_n_rules (b), ==, 0);
  g_assert_cmpuint (fwr_ruleset_get_n_rules (c), ==, 1);
}

/* In a user namespace of its own the process holds capabilities there only, not over the
 * network namespace it sits in: just like an unprivileged user. */
static void
drop_net_admin (void)
{
  g_assert_cmpint (unshare (CLONE_NEWUSER), ==, 0);
}

static void
test_no_capability (void)
{
  if (skip_without_netns ())
    return;
  if (g_test_subprocess ())
    {
      drop_net_admin ();
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrRuleset) ruleset = fwr_import_live (NULL, NULL, &error);
      g_assert_null (ruleset);
      g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_PERMISSION);
      g_printerr ("%s\n", error->message);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*needs CAP_NET_ADMIN in this network namespace*");
}

static void
test_monitor_no_capability (void)
{
  if (skip_without_netns ())
    return;
  if (g_test_subprocess ())
    {
      drop_net_admin ();
      g_autoptr (GError) error = NULL;
      g_autoptr (FwrLiveMonitor) monitor = fwr_live_monitor_new (&error);
      g_assert_null (monitor);
      g_assert_error (error, FWR_IMPORT_ERROR, FWR_IMPORT_ERROR_PERMISSION);
      g_printerr ("%s\n", error->message);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*needs CAP_NET_ADMIN*");
}

/* n commits, one `nft add rule` each, from a child process. */
static GPid
spawn_commits (guint n)
{
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *command = g_strdup_printf ("add rule inet m c tcp dport %u accept", 1000 + i);
          nft_run (command);
        }
      _exit (0);
    }
  return pid;
}

static void
wait_child (GPid pid)
{
  int status = 0;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

/* No change: the wait times out. One change: it reports the next generation and who made it.
 * A burst of 100 commits: the generations reported add up to exactly 100, never counting one
 * twice or skipping one, and the last one is the final state. */
static void
test_monitor (void)
{
  if (skip_without_netns ())
    return;
  nft_run ("flush ruleset\nadd table inet m\nadd chain inet m c\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrLiveMonitor) monitor = fwr_live_monitor_new (&error);
  g_assert_no_error (error);
  guint32 since = 0, now = 0;
  g_assert_true (fwr_live_monitor_get_generation (monitor, &since, &error));

  g_assert_false (fwr_live_monitor_wait (monitor, since, 50, 1000, 100, &now, &error));
  g_assert_no_error (error);

  GPid one = spawn_commits (1);
  g_assert_true (fwr_live_monitor_wait (monitor, since, 50, 1000, 5000, &now, &error));
  g_assert_no_error (error);
  wait_child (one);
  g_assert_cmpuint (now, ==, since + 1);
  g_autofree char *who = g_strdup_printf ("[%d]", (int) one);
  g_assert_nonnull (fwr_live_monitor_get_last_process (monitor));
  g_assert_true (g_str_has_suffix (fwr_live_monitor_get_last_process (monitor), who));

  since = now;
  GPid burst = spawn_commits (100);
  while (now != since + 100)
    {
      guint32 before = now;
      g_assert_true (fwr_live_monitor_wait (monitor, before, 100, 300, 10000, &now, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (now, >, before);
      g_assert_cmpuint (now, <=, since + 100);
    }
  wait_child (burst);
  g_autoptr (FwrRuleset) final = fwr_import_live (&now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (now, ==, since + 100);
  g_assert_cmpuint (fwr_ruleset_get_n_rules (final), ==, 101);
}

static void
child_drop_net_admin (gpointer data)
{
  if (unshare (CLONE_NEWUSER) != 0)
    _exit (99);
}

static void
test_cli_live (void)
{
  if (skip_without_netns ())
    return;
  nft_run ("flush ruleset\n"
           "table inet t {\n"
           "  chain input {\n"
           "    type filter hook input priority 0; policy accept;\n"
           "    tcp dport 22 accept\n"
           "  }\n"
           "}\n");
  const char *fwreview = g_getenv ("FWREVIEW_BIN");
  g_assert_nonnull (fwreview);
  const char *argv[] = { fwreview, "analyze", "--live", "--format", "json", NULL };

  int status = -1;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "\"format\": \"nftables-live\""));
  g_assert_nonnull (strstr (out, "\"default-allow\""));
  g_assert_nonnull (strstr (out, "\"inet/t/input\""));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, child_drop_net_admin, NULL, &out,
                &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 3);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "needs CAP_NET_ADMIN"));
}

static void
assert_error_at (const GError *error, int code, const char *file_suffix,
                 guint line, guint column, const char *words)
{
  g_assert_error (error, FWR_IMPORT_ERROR, code);
  const char *file = NULL;
  guint got_line = 0, got_column = 0;
  g_assert_true (fwr_import_error_get_location (error, &file, &got_line, &got_column));
  g_assert_true (g_str_has_suffix (file, file_suffix));
  g_assert_cmpuint (got_line, ==, line);
  g_assert_cmpuint (got_column, ==, column);
  g_assert_nonnull (strstr (error->message, words));
  g_autofree char *place = g_strdup_printf ("%s:%u:%u: ", file, line, column);
  g_assert_true (g_str_has_prefix (error->message, place));
}

/* nft's own parser names the place, also inside an included file. */
static void
test_text_errors (void)
{
  if (skip_without_netns ())
    return;
  g_autoptr (GError) error = NULL;
  g_autofree char *syntax = data_path ("bad-syntax.nft");
  g_autoptr (FwrRuleset) a = fwr_import_file (syntax, FWR_FORMAT_UNKNOWN, &error);
  g_assert_null (a);
  assert_error_at (error, FWR_IMPORT_ERROR_MALFORMED, "bad-syntax.nft", 4, 21,
                   "syntax error, unexpected newline");
  g_clear_error (&error);

  g_autofree char *include = data_path ("bad-include.nft");
  g_autoptr (FwrRuleset) b = fwr_import_file (include, FWR_FORMAT_NFTABLES_TEXT, &error);
  g_assert_null (b);
  assert_error_at (error, FWR_IMPORT_ERROR_MALFORMED, "/include/bad.nft", 2, 11,
                   "Prefix length 33 is invalid");
  g_clear_error (&error);

  g_autofree char *missing = data_path ("bad-missing-include.nft");
  g_autoptr (FwrRuleset) c = fwr_import_file (missing, FWR_FORMAT_NFTABLES_TEXT, &error);
  g_assert_null (c);
  assert_error_at (error, FWR_IMPORT_ERROR_MALFORMED, "bad-missing-include.nft", 1, 1,
                   "File not found: include/nowhere.nft");
  g_clear_error (&error);

  /* Text handed over as bytes is named by the caller, not by the memory nft read it from. */
  const char *text = "table ip t {\n  chain c {\n    ip daddr 10.0.0.1 jmup x\n  }\n}\n";
  g_autoptr (FwrRuleset) d = fwr_import_data ("pasted.nft", text, strlen (text),
                                              FWR_FORMAT_UNKNOWN, &error);
  g_assert_null (d);
  assert_error_at (error, FWR_IMPORT_ERROR_MALFORMED, "pasted.nft", 3, 23, "No symbol type information");
}

/* An /etc/nftables.conf-like file: defines expanded, includes found beside the file, an
 * interface nft resolves by index loaded without the host's interfaces. */
static void
test_text_include_define (void)
{
  if (skip_without_netns ())
    return;
  nft_run ("flush ruleset\nadd table ip host_marker");
  g_autofree char *path = data_path ("include-main.nft");
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fwr_ruleset_get_n_rules (ruleset), ==, 6);

  const FwrRule *web = lookup_rule_at (ruleset, "inet/filter/input", 2);
  g_autofree char *web_match = fwr_rule_dup_match_text (web);
  g_assert_cmpstr (web_match, ==, "iifname eth0 proto 6 dport 80,443");
  g_assert_cmpuint (fwr_rule_get_line (web), ==, 16);

  const FwrRule *ssh = lookup_rule_at (ruleset, "inet/filter/services", 0);
  g_autofree char *ssh_match = fwr_rule_dup_match_text (ssh);
  g_assert_cmpstr (ssh_match, ==, "ipv4 saddr 192.0.2.0/24 proto 6 dport 22");
  g_assert_cmpstr (fwr_rule_get_comment (ssh), ==, "admins");
  /* Its text is in the included file, which the scan of the main file does not read. */
  g_assert_cmpuint (fwr_rule_get_line (ssh), ==, 0);

  /* The file's `flush ruleset` ran in a namespace of its own, not in this one. */
  g_autofree char *here = nft_dump_json ();
  g_assert_nonnull (strstr (here, "host_marker"));
  g_assert_null (strstr (here, "\"filter\""));
}

/* Rules get the line and column where their text starts: statements split by `;`, continued
 * lines, anonymous sets over several lines, `add rule` and `insert rule` commands. */
static void
test_text_lines (void)
{
  if (skip_without_netns ())
    return;
  g_autofree char *path = data_path ("lines.nft");
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_import_file (path, FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);

  static const struct {
    const char *chain;
    guint position;
    guint line;
    guint column;
  } expected[] = {
    { "inet/x/c", 0, 9, 5 },
    { "inet/x/c", 1, 10, 5 },
    { "inet/x/c", 2, 11, 50 },
    { "inet/x/c", 3, 12, 5 },
    { "inet/x/c", 4, 14, 5 },
    { "inet/x/d", 0, 19, 1 },  /* inserted at the front, written last */
    { "inet/x/d", 1, 16, 13 },
    { "inet/x/d", 2, 18, 1 },
    { "ip/y/z", 0, 23, 5 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const FwrRule *rule = lookup_rule_at (ruleset, expected[i].chain, expected[i].position);
      g_assert_cmpuint (fwr_rule_get_line (rule), ==, expected[i].line);
      g_assert_cmpuint (rule->column, ==, expected[i].column);
    }
  g_assert_cmpuint (fwr_chain_get_line (fwr_ruleset_lookup_chain (ruleset, "inet/x/c")), ==, 7);
  g_assert_cmpuint (fwr_chain_get_line (fwr_ruleset_lookup_chain (ruleset, "ip/y/z")), ==, 21);
}

/* A file that deletes rules proves nothing by its order: no line rather than a wrong one. */
static void
test_text_lines_unreliable (void)
{
  if (skip_without_netns ())
    return;
  const char *text = "add table ip t\n"
                     "add chain ip t c\n"
                     "add rule ip t c tcp dport 1 accept\n"
                     "add rule ip t c tcp dport 2 accept\n"
                     "delete rule ip t c handle 2\n"
                     "add rule ip t c tcp dport 3 accept\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrRuleset) ruleset = fwr_import_data ("delete.nft", text, strlen (text),
                                                    FWR_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fwr_ruleset_get_n_rules (ruleset), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (fwr_rule_get_line (lookup_rule_at (ruleset, "ip/t/c", i)), ==, 0);
}

/* nft text by its first command; other formats' first lines are never taken for it (which
 * format they are is their importers' business). */
static void
test_text_detect (void)
{
  static const char *const nft[] = {
    "table inet filter {\n}\n",
    "#!/usr/sbin/nft -f\n\nflush ruleset\n",
    "# rules\n\ndefine lan = 10.0.0.0/8\n",
    "  include \"/etc/nftables.d/*.nft\"\n",
    "add rule ip t c accept\n",
  };
  static const char *const other[] = {
    "{\"nftables\": []}",
    "# Generated by iptables-save v1.8.9\n*filter\n",
    "#!/bin/sh\ntable inet x {\n",
    "config firewall policy\n",
    ": Saved\nASA Version 9.8(4)\n",
    "tables are nice\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (nft); i++)
    g_assert_cmpint (fwr_format_detect (nft[i], strlen (nft[i])), ==, FWR_FORMAT_NFTABLES_TEXT);
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    g_assert_cmpint (fwr_format_detect (other[i], strlen (other[i])), !=, FWR_FORMAT_NFTABLES_TEXT);
  g_assert_cmpint (fwr_format_detect (other[0], strlen (other[0])), ==, FWR_FORMAT_NFTABLES_JSON);
}

int
main (int argc, char **argv)
{
  no_netns_reason = fwr_test_enter_private_netns ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/live/same-model-three-ways", test_same_model_three_ways);
  g_test_add_func ("/fwr/live/counters", test_counters);
  g_test_add_func ("/fwr/live/generation", test_generation);
  g_test_add_func ("/fwr/live/no-capability", test_no_capability);
  g_test_add_func ("/fwr/live/cli", test_cli_live);
  g_test_add_func ("/fwr/live/monitor", test_monitor);
  g_test_add_func ("/fwr/live/monitor-no-capability", test_monitor_no_capability);
  g_test_add_func ("/fwr/live/text-errors", test_text_errors);
  g_test_add_func ("/fwr/live/text-include-define", test_text_include_define);
  g_test_add_func ("/fwr/live/text-lines", test_text_lines);
  g_test_add_func ("/fwr/live/text-lines-unreliable", test_text_lines_unreliable);
  g_test_add_func ("/fwr/live/text-detect", test_text_detect);
  return g_test_run ();
}
