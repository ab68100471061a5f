/* test-watch.c: `fwreview watch`, `import --live` and `drift --live` end to end, in a private
 * network namespace: changes made with nft are seen, checked against the approved baseline
 * and recorded, bursts included, each generation counted once. */
#include "fwr-import-private.h"
#include "fwr-nfnetlink-private.h"
#include "fwr-test-netns.h"
#include "fwr-test-store.h"

#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static char *no_netns_reason;

/* How long a test waits for the watcher before failing, far above the second it promises. */
#define WATCH_PATIENCE_MS 20000

static gboolean
skip_without_netns (void)
{
  if (no_netns_reason == NULL)
    return FALSE;
  g_test_skip (no_netns_reason);
  return TRUE;
}

static void
nft_run (const char *commands)
{
  g_autoptr (FwrNftCtx) nft = nft_ctx_new (NFT_CTX_DEFAULT);
  nft_ctx_buffer_error (nft);
  if (nft_run_cmd_from_buffer (nft, commands) != 0)
    g_error ("nft refused “%s”: %s", commands, nft_ctx_get_error_buffer (nft));
}

typedef struct {
  char *dir;
  char *store;
  char *admin;      /* alice, admin */
  char *supervisor; /* bob */
  char *watcher;    /* carol, auditor: the watch service's identity */
  guint32 baseline_rules;
} Fixture;

static void
child_drop_net_admin (gpointer data)
{
  if (unshare (CLONE_NEWUSER) != 0)
    _exit (99);
}

/* Runs fwreview with the store and the identity key given; returns the exit status. */
static int
run_fwreview (const Fixture *f, const char *identity, GSpawnChildSetupFunc setup, char **out,
              char **err, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) g_getenv ("FWREVIEW_BIN"));
  g_ptr_array_add (argv, (char *) "--store");
  g_ptr_array_add (argv, f->store);
  g_ptr_array_add (argv, (char *) "--identity");
  g_ptr_array_add (argv, (char *) identity);
  va_list args;
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  int status = -1;
  g_autoptr (GError) error = NULL;
  g_autofree char *local_out = NULL, *local_err = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, setup, NULL, &local_out,
                &local_err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  if (out != NULL)
    *out = g_steal_pointer (&local_out);
  if (err != NULL)
    *err = g_steal_pointer (&local_err);
  return WEXITSTATUS (status);
}

static char *
generate_key (Fixture *f, const char *name)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *out = NULL;
  g_assert_cmpint (run_fwreview (f, path, NULL, &out, NULL, "key", "generate", NULL), ==, 0);
  return path;
}

static char *
public_key (Fixture *f, const char *identity)
{
  g_autofree char *out = NULL;
  g_assert_cmpint (run_fwreview (f, identity, NULL, &out, NULL, "key", "show", NULL), ==, 0);
  return g_strdup (g_strstrip (out));
}

static const char baseline_ruleset[] =
  "flush ruleset\n"
  "table inet edge {\n"
  "  chain input {\n"
  "    type filter hook input priority 0; policy drop;\n"
  "    ct state established,related accept\n"
  "    tcp dport 22 accept\n"
  "  }\n"
  "}\n";

/* A store with alice (admin), bob (supervisor) and carol (auditor), device edge whose approved
 * baseline is what runs now, read with `import --live`. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  if (no_netns_reason != NULL)
    return;
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("fwr-watch-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = g_build_filename (f->dir, "store.db", NULL);
  f->admin = generate_key (f, "alice.key");
  f->supervisor = generate_key (f, "bob.key");
  f->watcher = generate_key (f, "carol.key");
  g_autofree char *bob = public_key (f, f->supervisor);
  g_autofree char *carol = public_key (f, f->watcher);
  g_assert_cmpint (run_fwreview (f, f->admin, NULL, NULL, NULL, "store", "init", "--admin", "alice", NULL), ==, 0);
  g_assert_cmpint (run_fwreview (f, f->admin, NULL, NULL, NULL, "user", "add", "bob", "--role", "supervisor",
                                 "--pubkey", bob, NULL), ==, 0);
  g_assert_cmpint (run_fwreview (f, f->admin, NULL, NULL, NULL, "user", "add", "carol", "--role", "auditor",
                                 "--pubkey", carol, NULL), ==, 0);
  g_assert_cmpint (run_fwreview (f, f->admin, NULL, NULL, NULL, "device", "add", "edge", NULL), ==, 0);

  nft_run (baseline_ruleset);
  f->baseline_rules = 2;
  g_autofree char *out = NULL;
  g_assert_cmpint (run_fwreview (f, f->admin, NULL, &out, NULL, "import", "--device", "edge", "--live",
                                 "--format", "json", NULL), ==, 0);
  g_autoptr (json_t) imported = json_loads (out, 0, NULL);
  g_assert_nonnull (imported);
  g_assert_cmpint (json_integer_value (json_object_get (imported, "rules")), ==, f->baseline_rules);
  json_int_t change = json_integer_value (json_object_get (imported, "change"));
  g_assert_cmpint (change, >, 0);
  g_autofree char *change_id = g_strdup_printf ("%" JSON_INTEGER_FORMAT, change);
  g_assert_cmpint (run_fwreview (f, f->supervisor, NULL, NULL, NULL, "change", "approve", change_id, NULL), ==, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->dir != NULL)
    fwr_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->store);
  g_free (f->admin);
  g_free (f->supervisor);
  g_free (f->watcher);
}

typedef struct {
  GPid pid;
  int out_fd;
  GString *pending;
} Watcher;

/* A watcher outlives a failed test no longer than its parent. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
watcher_start (Watcher *w, const Fixture *f)
{
  const char *argv[] = { g_getenv ("FWREVIEW_BIN"), "--store", f->store, "--identity", f->watcher,
                         "watch", "--device", "edge", "--format", "json", NULL };
  g_autoptr (GError) error = NULL;
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL,
                            &w->pid, NULL, &w->out_fd, NULL, &error);
  g_assert_no_error (error);
  w->pending = g_string_new (NULL);
}

/* The watcher's next JSON line; fails the test after WATCH_PATIENCE_MS. */
static json_t *
watcher_next (Watcher *w)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WATCH_PATIENCE_MS * 1000;
  char *newline;
  while ((newline = strchr (w->pending->str, '\n')) == NULL)
    {
      int left = (int) ((deadline - g_get_monotonic_time ()) / 1000);
      g_assert_cmpint (left, >, 0);
      struct pollfd item = { .fd = w->out_fd, .events = POLLIN };
      if (poll (&item, 1, left) <= 0)
        continue;
      char buffer[4096];
      ssize_t got = read (w->out_fd, buffer, sizeof buffer);
      g_assert_cmpint (got, >, 0);
      g_string_append_len (w->pending, buffer, got);
    }
  g_autofree char *line = g_strndup (w->pending->str, newline - w->pending->str);
  g_string_erase (w->pending, 0, newline - w->pending->str + 1);
  json_error_t json_error;
  json_t *event = json_loads (line, 0, &json_error);
  if (event == NULL)
    g_error ("not JSON from watch: %s (%s)", line, json_error.text);
  g_assert_cmpstr (json_string_value (json_object_get (event, "schema")), ==, "fwreview.watch/1");
  return event;
}

/* SIGTERM ends it cleanly, exit 0. */
static void
watcher_stop (Watcher *w)
{
  kill (w->pid, SIGTERM);
  int status = 0;
  g_assert_cmpint (waitpid (w->pid, &status, 0), ==, w->pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  close (w->out_fd);
  g_string_free (w->pending, TRUE);
}

static gint64
int_member (json_t *object, const char *name)
{
  json_t *member = json_object_get (object, name);
  g_assert_true (json_is_integer (member));
  return json_integer_value (member);
}

/* The last drift check the store holds for edge, and the snapshot it kept of what ran (only
 * when that drifted). */
static void
assert_last_check (const Fixture *f, gint64 check_id, gboolean drift, guint n_rules)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrStore) store = fwr_store_open (f->store, &error);
  g_assert_no_error (error);
  g_autoptr (FwrDevice) device = fwr_store_get_device (store, "edge", &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) checks = fwr_store_list_drift_checks (store, device->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, >, 0);
  const FwrDriftCheck *last = g_ptr_array_index (checks, checks->len - 1);
  g_assert_cmpint (last->id, ==, check_id);
  g_assert_cmpint (last->drift, ==, drift);
  g_assert_cmpstr (last->checked_by, ==, "carol");
  if (!drift)
    {
      g_assert_cmpint (last->snapshot_id, ==, 0);
      return;
    }
  g_autoptr (FwrSnapshot) running = fwr_store_get_snapshot (store, last->snapshot_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (running->n_rules, ==, n_rules);
  g_assert_true (g_str_has_prefix (running->file, "live:"));
}

static void
assert_audit_intact (const Fixture *f)
{
  g_autofree char *out = NULL;
  g_assert_cmpint (run_fwreview (f, f->admin, NULL, &out, NULL, "audit", "verify", NULL), ==, 0);
}

/* At start the baseline runs; `nft add rule` is seen as the next generation, checked, found
 * unapproved, recorded and logged; putting the baseline back is seen as approved again. */
static void
test_watch_sees_change (Fixture *f, gconstpointer data)
{
  if (skip_without_netns ())
    return;
  Watcher w = { 0 };
  watcher_start (&w, f);
  g_autoptr (json_t) start = watcher_next (&w);
  g_assert_cmpstr (json_string_value (json_object_get (start, "event")), ==, "start");
  g_assert_false (json_boolean_value (json_object_get (start, "drift")));
  gint64 generation = int_member (start, "generation");

  gint64 before = g_get_monotonic_time ();
  nft_run ("add rule inet edge input tcp dport 23 accept comment \"telnet, just for a moment\"");
  g_autoptr (json_t) change = watcher_next (&w);
  g_test_message ("change reported after %.3f s", (g_get_monotonic_time () - before) / 1e6);
  g_assert_cmpstr (json_string_value (json_object_get (change, "event")), ==, "change");
  g_assert_cmpint (int_member (change, "first_generation"), ==, generation + 1);
  g_assert_cmpint (int_member (change, "last_generation"), ==, generation + 1);
  g_assert_cmpint (int_member (change, "changes"), ==, 1);
  g_assert_true (json_boolean_value (json_object_get (change, "drift")));
  g_assert_cmpint (int_member (change, "differences"), ==, 1);
  json_t *added = json_object_get (json_object_get (change, "diff"), "added");
  g_assert_cmpuint (json_array_size (added), ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (added, 0), "comment")), ==,
                   "telnet, just for a moment");
  g_autofree char *who = g_strdup_printf ("[%d]", (int) getpid ());
  g_assert_true (g_str_has_suffix (json_string_value (json_object_get (change, "process")), who));
  assert_last_check (f, int_member (change, "check"), TRUE, f->baseline_rules + 1);

  nft_run (baseline_ruleset);
  g_autoptr (json_t) back = watcher_next (&w);
  g_assert_cmpint (int_member (back, "first_generation"), ==, generation + 2);
  g_assert_false (json_boolean_value (json_object_get (back, "drift")));
  assert_last_check (f, int_member (back, "check"), FALSE, f->baseline_rules);

  watcher_stop (&w);
  assert_audit_intact (f);
}

/* 100 commits in a burst: the checks cover generations one after the other without a gap or
 * an overlap, 100 in all, and the last one sees the final state. */
static void
test_watch_burst (Fixture *f, gconstpointer data)
{
  if (skip_without_netns ())
    return;
  Watcher w = { 0 };
  watcher_start (&w, f);
  g_autoptr (json_t) start = watcher_next (&w);
  gint64 generation = int_member (start, "generation");

  pid_t burst = fork ();
  g_assert_cmpint (burst, >=, 0);
  if (burst == 0)
    {
      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *command = g_strdup_printf ("add rule inet edge input tcp dport %u accept", 2000 + i);
          nft_run (command);
        }
      _exit (0);
    }

  gint64 covered = generation, changes = 0, last_check = 0;
  guint reports = 0;
  while (covered < generation + 100)
    {
      g_autoptr (json_t) event = watcher_next (&w);
      g_assert_cmpint (int_member (event, "first_generation"), ==, covered + 1);
      covered = int_member (event, "last_generation");
      changes += int_member (event, "changes");
      g_assert_cmpint (changes, ==, covered - generation);
      g_assert_true (json_boolean_value (json_object_get (event, "drift")));
      last_check = int_member (event, "check");
      reports++;
    }
  int status = 0;
  g_assert_cmpint (waitpid (burst, &status, 0), ==, burst);
  g_assert_cmpint (covered, ==, generation + 100);
  g_assert_cmpint (changes, ==, 100);
  g_test_message ("100 commits reported in %u checks", reports);
  assert_last_check (f, last_check, TRUE, f->baseline_rules + 100);

  watcher_stop (&w);
  assert_audit_intact (f);
}

/* A 10,000-rule ruleset loaded at once (one commit announcing every rule, more events than a
 * socket buffer usually holds) is one change, checked in its final state. */
static void
test_watch_big_replace (Fixture *f, gconstpointer data)
{
  if (skip_without_netns ())
    return;
  Watcher w = { 0 };
  watcher_start (&w, f);
  g_autoptr (json_t) start = watcher_next (&w);
  gint64 generation = int_member (start, "generation");

  GString *big = g_string_new ("flush ruleset\n"
                               "table inet edge {\n"
                               "  chain input {\n"
                               "    type filter hook input priority 0; policy drop;\n");
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (big, "    ip saddr 10.%u.%u.0/24 tcp dport %u counter accept\n",
                            (i >> 8) & 255, i & 255, 1024 + i);
  g_string_append (big, "  }\n}\n");
  nft_run (big->str);
  g_string_free (big, TRUE);

  g_autoptr (json_t) change = watcher_next (&w);
  g_assert_cmpint (int_member (change, "first_generation"), ==, generation + 1);
  g_assert_cmpint (int_member (change, "last_generation"), ==, generation + 1);
  g_assert_cmpint (int_member (change, "changes"), ==, 1);
  g_assert_true (json_boolean_value (json_object_get (change, "drift")));
  assert_last_check (f, int_member (change, "check"), TRUE, 10000);

  watcher_stop (&w);
}

/* import, drift and watch with --live, without CAP_NET_ADMIN: exit 3 and the reason. */
static void
test_live_commands_without_capability (Fixture *f, gconstpointer data)
{
  if (skip_without_netns ())
    return;
  const char *commands[][6] = {
    { "import", "--device", "edge", "--live", NULL },
    { "drift", "--device", "edge", "--live", NULL },
    { "watch", "--device", "edge", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *identity = i == 0 ? f->admin : f->watcher;
      int status = run_fwreview (f, identity, child_drop_net_admin, &out, &err, commands[i][0],
                                 commands[i][1], commands[i][2], commands[i][3], commands[i][4], NULL);
      g_assert_cmpint (status, ==, 3);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, "needs CAP_NET_ADMIN"));
    }
}

/* drift --live: 0 while the baseline runs, 1 with the difference once it does not. */
static void
test_drift_live (Fixture *f, gconstpointer data)
{
  if (skip_without_netns ())
    return;
  g_autofree char *same = NULL;
  g_assert_cmpint (run_fwreview (f, f->watcher, NULL, &same, NULL, "drift", "--device", "edge", "--live", NULL), ==, 0);
  nft_run ("delete table inet edge");
  g_autofree char *out = NULL;
  g_assert_cmpint (run_fwreview (f, f->watcher, NULL, &out, NULL, "drift", "--device", "edge", "--live",
                                 "--format", "json", NULL), ==, 1);
  g_autoptr (json_t) result = json_loads (out, 0, NULL);
  g_assert_nonnull (result);
  g_assert_true (json_boolean_value (json_object_get (result, "drift")));
  g_assert_cmpint (int_member (result, "differences"), >=, 2);
}

int
main (int argc, char **argv)
{
  no_netns_reason = fwr_test_enter_private_netns ();
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/fwr/watch/sees-change", Fixture, NULL, fixture_setup, test_watch_sees_change, fixture_teardown);
  g_test_add ("/fwr/watch/burst", Fixture, NULL, fixture_setup, test_watch_burst, fixture_teardown);
  g_test_add ("/fwr/watch/big-replace", Fixture, NULL, fixture_setup, test_watch_big_replace, fixture_teardown);
  g_test_add ("/fwr/watch/without-capability", Fixture, NULL, fixture_setup,
              test_live_commands_without_capability, fixture_teardown);
  g_test_add ("/fwr/watch/drift-live", Fixture, NULL, fixture_setup, test_drift_live, fixture_teardown);
  return g_test_run ();
}
