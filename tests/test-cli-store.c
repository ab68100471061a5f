/* test-cli-store.c: change control through the fwreview command, as people and timers use it:
 * the JSON contracts and exit codes, two and three identities, tampering with the sqlite3
 * shell, kill -9 in the middle of an import, parallel writers, and purge with a set clock. */
#include <signal.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "fwr-test-store.h"

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

typedef struct {
  char *dir;
  char *store;
  char *extra_env[4];   /* "NAME=VALUE", for the next runs */
} Fixture;

static GSubprocessLauncher *
launcher_new (Fixture *fixture, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *data = g_build_filename (fixture->dir, "data", NULL);
  g_autofree char *config = g_build_filename (fixture->dir, "config", NULL);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "FWR_NOW");
  g_subprocess_launcher_unsetenv (launcher, "FWR_PASSPHRASE");
  g_subprocess_launcher_unsetenv (launcher, "FWR_TEST_HOLD_TRANSACTION_MS");
  g_subprocess_launcher_unsetenv (launcher, "FWR_BUSY_TIMEOUT_MS");
  for (guint i = 0; i < G_N_ELEMENTS (fixture->extra_env); i++)
    {
      if (fixture->extra_env[i] == NULL)
        continue;
      g_auto (GStrv) pair = g_strsplit (fixture->extra_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  return launcher;
}

/* "fwreview --store STORE --identity DIR/WHO.key ARGS..." (who NULL: no --identity). */
static GPtrArray *
build_argv (Fixture *fixture, const char *who, const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (g_getenv ("FWREVIEW_BIN")));
  g_ptr_array_add (argv, g_strdup ("--store"));
  g_ptr_array_add (argv, g_strdup (fixture->store));
  if (who != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--identity"));
      g_ptr_array_add (argv, g_strdup_printf ("%s/%s.key", fixture->dir, who));
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

static GSubprocess *
spawn (Fixture *fixture, const char *who, const char * const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = launcher_new (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                    G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = build_argv (fixture, who, args);
  g_autoptr (GError) error = NULL;
  GSubprocess *process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static Run *
finish (GSubprocess *process)
{
  g_autoptr (GError) error = NULL;
  Run *run = g_new0 (Run, 1);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return run;
}

static Run *
run_as_v (Fixture *fixture, const char *who, const char * const *args)
{
  g_autoptr (GSubprocess) process = spawn (fixture, who, args);
  return finish (process);
}

#define run_as(fixture, who, ...) run_as_v (fixture, who, (const char *[]) { __VA_ARGS__, NULL })

static json_t *
parse_json (const char *text)
{
  json_error_t error;
  json_t *root = json_loads (text, 0, &error);
  if (root == NULL)
    g_error ("output is not JSON: %d:%d: %s\n%s", error.line, error.column, error.text, text);
  return root;
}

/* Runs and expects exit status; returns the JSON output when json is asked for. */
static json_t *
run_json_v (Fixture *fixture, int status, const char *who, const char * const *args)
{
  g_autoptr (Run) run = run_as_v (fixture, who, args);
  if (run->status != status)
    g_error ("exit %d, expected %d\nstdout: %s\nstderr: %s", run->status, status, run->out, run->err);
  return parse_json (run->out);
}

#define run_json(fixture, status, who, ...) \
  run_json_v (fixture, status, who, (const char *[]) { __VA_ARGS__, "--format", "json", NULL })

static void
expect_v (Fixture *fixture, int status, const char *err_part, const char *who, const char * const *args)
{
  g_autoptr (Run) run = run_as_v (fixture, who, args);
  if (run->status != status || (err_part != NULL && strstr (run->err, err_part) == NULL))
    g_error ("exit %d, expected %d with “%s”\nstdout: %s\nstderr: %s", run->status, status,
             err_part ? err_part : "", run->out, run->err);
}

#define expect(fixture, status, err_part, who, ...) \
  expect_v (fixture, status, err_part, who, (const char *[]) { __VA_ARGS__, NULL })

static gint64
get_int (json_t *root, const char *key)
{
  json_t *value = json_object_get (root, key);
  g_assert_true (json_is_integer (value));
  return json_integer_value (value);
}

static const char *
get_str (json_t *root, const char *key)
{
  json_t *value = json_object_get (root, key);
  g_assert_true (json_is_string (value));
  return json_string_value (value);
}

/* key generate for who; returns the public key it printed. */
static char *
make_key (Fixture *fixture, const char *who)
{
  g_autoptr (Run) run = run_as (fixture, who, "key", "generate");
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  /* The public key alone: 44 base64 characters and a newline. */
  g_assert_cmpuint (strlen (run->out), ==, 45);
  g_assert_true (g_str_has_suffix (run->out, "\n"));
  return g_strchomp (g_strdup (run->out));
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fixture->dir = g_dir_make_tmp ("fwr-cli-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = g_build_filename (fixture->dir, "store.db", NULL);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  fwr_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->extra_env); i++)
    g_free (fixture->extra_env[i]);
}

static void
set_env (Fixture *fixture, guint slot, const char *pair)
{
  g_free (fixture->extra_env[slot]);
  fixture->extra_env[slot] = g_strdup (pair);
}

/* alice (admin) creates the store, adds bob (supervisor) and device edge, imports edge-v1 and
 * bob approves it as the baseline. Returns the baseline snapshot id. */
static gint64
setup_edge (Fixture *fixture)
{
  g_autofree char *alice = make_key (fixture, "alice");
  g_autofree char *bob = make_key (fixture, "bob");
  g_autofree char *zones = fwr_test_data_path ("zones.json");
  g_autofree char *v1 = fwr_test_data_path ("edge-v1.json");

  g_autoptr (json_t) init = run_json (fixture, 0, "alice", "store", "init", "--admin", "alice");
  g_assert_cmpstr (get_str (init, "schema"), ==, "fwreview.store/1");
  g_assert_cmpuint (strlen (get_str (init, "id")), ==, 36);
  g_assert_cmpstr (get_str (init, "public_key"), ==, alice);

  g_autoptr (json_t) user = run_json (fixture, 0, "alice", "user", "add", "bob", "--role",
                                      "supervisor", "--pubkey", bob);
  g_assert_cmpstr (get_str (user, "schema"), ==, "fwreview.user/1");
  g_assert_cmpint (get_int (user, "id"), ==, 2);
  g_autoptr (json_t) device = run_json (fixture, 0, "alice", "device", "add", "edge", "--owner",
                                        "alice", "--zones", zones);
  g_assert_cmpstr (get_str (device, "schema"), ==, "fwreview.device/1");
  g_assert_cmpint (get_int (device, "id"), ==, 1);

  g_autoptr (json_t) import = run_json (fixture, 0, "alice", "import", "--device", "edge", v1);
  g_assert_cmpstr (get_str (import, "schema"), ==, "fwreview.snapshot/1");
  gint64 snapshot = get_int (import, "snapshot");
  g_assert_cmpint (get_int (import, "id"), ==, snapshot);
  gint64 change = get_int (import, "change");
  g_autofree char *change_id = g_strdup_printf ("%" G_GINT64_FORMAT, change);
  g_autoptr (json_t) approved = run_json (fixture, 0, "bob", "change", "approve", change_id);
  g_assert_cmpstr (get_str (approved, "state"), ==, "approved");
  return snapshot;
}

static json_t *
find_rule (json_t *list, const char *id)
{
  size_t i;
  json_t *rule;
  json_array_foreach (list, i, rule)
    if (g_strcmp0 (json_string_value (json_object_get (rule, "id")), id) == 0)
      return rule;
  return NULL;
}

static void
test_flow_two_identities (Fixture *fixture, gconstpointer data)
{
  setup_edge (fixture);
  g_autofree char *v1 = fwr_test_data_path ("edge-v1.json");
  g_autofree char *v2 = fwr_test_data_path ("edge-v2.json");
  g_autofree char *running = fwr_test_data_path ("edge-v2-running.json");
  g_autofree char *drifted = fwr_test_data_path ("edge-drift.json");

  /* A second import is a backup copy: no second baseline change. */
  g_autoptr (json_t) again = run_json (fixture, 0, "alice", "import", "--device", "edge", v1);
  g_assert_true (json_is_null (json_object_get (again, "change")));

  g_autoptr (json_t) submitted = run_json (fixture, 0, "alice", "change", "submit", "--device", "edge",
                                           "--proposed", v2, "--reason", "mail relay", "--ticket", "CHG-7");
  g_assert_cmpstr (get_str (submitted, "schema"), ==, "fwreview.change/1");
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, get_int (submitted, "id"));

  expect (fixture, 4, "alice is an admin: approving a change needs the role supervisor", "alice",
          "change", "approve", id);

  g_autoptr (json_t) shown = run_json (fixture, 0, NULL, "change", "show", id);
  g_assert_cmpstr (get_str (shown, "schema"), ==, "fwreview.change/1");
  g_assert_cmpstr (get_str (shown, "state"), ==, "submitted");
  g_assert_cmpstr (get_str (shown, "ticket"), ==, "CHG-7");
  json_t *diff = json_object_get (shown, "diff");
  g_assert_cmpuint (json_array_size (json_object_get (diff, "added")), ==, 1);
  g_assert_cmpuint (json_array_size (json_object_get (diff, "removed")), ==, 0);
  g_assert_cmpuint (json_array_size (json_object_get (diff, "modified")), ==, 0);
  g_assert_cmpuint (json_array_size (json_object_get (diff, "moved")), ==, 0);
  json_t *mail = json_array_get (json_object_get (diff, "added"), 0);
  g_assert_cmpstr (get_str (mail, "comment"), ==, "mail");
  g_assert_cmpstr (get_str (mail, "verdict"), ==, "accept");
  g_assert_cmpstr (get_str (mail, "match"), ==, "ipv4 iifname wan daddr 203.0.113.11 proto 6 dport 25");
  g_assert_cmpint (get_int (mail, "position"), ==, 3);
  json_t *risk = json_object_get (shown, "risk");
  g_assert_true (json_is_array (json_object_get (risk, "new_findings")));
  g_assert_true (json_is_array (json_object_get (risk, "resolved_findings")));
  /* The new mail rule newly permits exactly SMTP to the relay, from the internet. */
  json_t *traffic = json_object_get (shown, "traffic");
  g_assert_true (json_is_true (json_object_get (traffic, "complete")));
  json_t *flows = json_object_get (traffic, "flows");
  g_assert_cmpuint (json_array_size (flows), ==, 1);
  json_t *flow = json_array_get (flows, 0);
  g_assert_cmpstr (get_str (flow, "change"), ==, "permitted");
  g_assert_cmpstr (get_str (flow, "hook"), ==, "forward");
  g_assert_cmpstr (get_str (flow, "destinations"), ==, "203.0.113.11");
  g_assert_cmpstr (get_str (flow, "protocols"), ==, "6");
  g_assert_cmpstr (get_str (flow, "ports"), ==, "25");
  g_test_message ("traffic flow %s -> %s", get_str (flow, "from_zone"), get_str (flow, "to_zone"));

  g_autoptr (json_t) approved = run_json (fixture, 0, "bob", "change", "approve", id, "--comment", "checked");
  g_assert_cmpstr (get_str (approved, "decided_by"), ==, "bob");
  g_autoptr (json_t) after = run_json (fixture, 0, NULL, "change", "show", id);
  g_assert_cmpstr (get_str (after, "state"), ==, "approved");
  json_t *approval = json_array_get (json_object_get (after, "approvals"), 0);
  g_assert_true (json_is_true (json_object_get (approval, "signature_valid")));
  g_assert_cmpstr (get_str (approval, "proposed_sha256"), ==,
                   get_str (json_object_get (after, "proposed_snapshot"), "sha256"));
  g_assert_cmpstr (get_str (approval, "baseline_sha256"), ==,
                   get_str (json_object_get (after, "baseline_snapshot"), "sha256"));

  /* What runs is not the approved change: exit 1, the differences, nothing recorded. */
  g_autoptr (json_t) wrong = run_json (fixture, 1, "alice", "change", "implemented", id, v1);
  g_assert_false (json_is_true (json_object_get (wrong, "implemented")));
  json_t *missing = json_object_get (json_object_get (wrong, "differences"), "removed");
  g_assert_cmpuint (json_array_size (missing), ==, 1);
  g_assert_cmpstr (get_str (json_array_get (missing, 0), "comment"), ==, "mail");

  g_autoptr (json_t) done = run_json (fixture, 0, "alice", "change", "implemented", id, running);
  g_assert_cmpstr (get_str (done, "state"), ==, "implemented");
  g_autoptr (json_t) final = run_json (fixture, 0, NULL, "change", "show", id);
  g_assert_cmpstr (get_str (final, "state"), ==, "implemented");

  g_autoptr (json_t) clean = run_json (fixture, 0, "bob", "drift", "--device", "edge", v2);
  g_assert_cmpstr (get_str (clean, "schema"), ==, "fwreview.drift/1");
  g_assert_false (json_is_true (json_object_get (clean, "drift")));
  g_assert_true (json_is_null (json_object_get (clean, "snapshot")));
  g_assert_cmpuint (strlen (get_str (clean, "running_sha256")), ==, 64);
  g_autoptr (json_t) drift = run_json (fixture, 1, "bob", "drift", "--device", "edge", "--notify", drifted);
  g_assert_true (json_is_true (json_object_get (drift, "drift")));
  g_assert_cmpint (get_int (drift, "differences"), ==, 2);
  g_assert_cmpint (get_int (drift, "snapshot"), >, 0);
  json_t *drift_diff = json_object_get (drift, "diff");
  g_assert_nonnull (find_rule (json_object_get (drift_diff, "added"), "inet/edge/input/10"));
  g_assert_cmpuint (json_array_size (json_object_get (drift_diff, "removed")), ==, 1);

  g_autoptr (json_t) verify = run_json (fixture, 0, NULL, "audit", "verify");
  g_assert_cmpstr (get_str (verify, "schema"), ==, "fwreview.audit/1");
  g_assert_true (json_is_true (json_object_get (verify, "intact")));
  g_assert_true (json_is_null (json_object_get (verify, "first_broken")));
  g_autoptr (json_t) log = run_json (fixture, 0, NULL, "audit", "log");
  json_t *records = json_object_get (log, "records");
  g_assert_cmpint (get_int (verify, "records"), ==, (gint64) json_array_size (records));
  json_t *last = json_array_get (records, json_array_size (records) - 1);
  g_assert_cmpstr (get_str (last, "action"), ==, "drift.check");
  g_assert_cmpstr (get_str (verify, "head_sha256"), ==, get_str (last, "sha256"));
}

static void
test_three_identities (Fixture *fixture, gconstpointer data)
{
  setup_edge (fixture);
  g_autofree char *carol = make_key (fixture, "carol");
  g_autofree char *dave = make_key (fixture, "dave");
  g_autofree char *v2 = fwr_test_data_path ("edge-v2.json");
  g_autofree char *drifted = fwr_test_data_path ("edge-drift.json");
  expect (fixture, 0, NULL, "alice", "user", "add", "carol", "--role", "auditor", "--pubkey", carol);
  expect (fixture, 0, NULL, "alice", "user", "add", "dave", "--role", "supervisor", "--pubkey", dave);
  /* Only admins manage users. */
  expect (fixture, 4, "bob is a supervisor: adding a user needs the role admin", "bob",
          "user", "add", "eve", "--role", "admin", "--pubkey", carol);

  /* A supervisor may submit, never approve their own change. */
  g_autoptr (json_t) submitted = run_json (fixture, 0, "bob", "change", "submit", "--device", "edge",
                                           "--proposed", v2, "--reason", "mail relay");
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, get_int (submitted, "id"));
  expect (fixture, 4, "segregation of duties: bob submitted change 2 and may not approve it", "bob",
          "change", "approve", id);
  expect (fixture, 4, "carol is an auditor: approving a change needs the role supervisor", "carol",
          "change", "approve", id);
  g_autoptr (json_t) still = run_json (fixture, 0, NULL, "change", "show", id);
  g_assert_cmpstr (get_str (still, "state"), ==, "submitted");
  g_assert_cmpuint (json_array_size (json_object_get (still, "approvals")), ==, 0);

  expect (fixture, 0, NULL, "dave", "change", "approve", id);
  expect (fixture, 4, "decisions are final", "dave", "change", "reject", id, "--comment", "no");

  /* A revoked key decides nothing more. */
  g_autoptr (json_t) other = run_json (fixture, 0, "alice", "change", "submit", "--device", "edge",
                                       "--proposed", drifted, "--reason", "telnet");
  g_autofree char *other_id = g_strdup_printf ("%" G_GINT64_FORMAT, get_int (other, "id"));
  expect (fixture, 0, NULL, "alice", "user", "revoke", "dave");
  expect (fixture, 4, "dave's key was revoked on ", "dave", "change", "reject", other_id,
          "--comment", "cleartext");
  expect (fixture, 2, "--comment TEXT is required", "bob", "change", "reject", other_id);
  expect (fixture, 0, NULL, "bob", "change", "reject", other_id, "--comment", "cleartext");
  g_autoptr (json_t) rejected = run_json (fixture, 0, NULL, "change", "show", other_id);
  g_assert_cmpstr (get_str (rejected, "state"), ==, "rejected");

  /* The auditor may record drift checks. */
  expect (fixture, 1, NULL, "carol", "drift", "--device", "edge", drifted);
  expect (fixture, 0, NULL, NULL, "audit", "verify");
}

static void
test_exit_codes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *truncated = fwr_test_data_path ("edge-truncated.json");
  g_autofree char *v1 = fwr_test_data_path ("edge-v1.json");
  expect (fixture, 3, "no store here", "alice", "user", "list");
  setup_edge (fixture);

  expect (fixture, 2, "unknown command “change frobnicate”", "alice", "change", "frobnicate");
  expect (fixture, 2, "expected one change ID", "bob", "change", "approve");
  expect (fixture, 2, "unknown --format “yaml”", NULL, "audit", "verify", "--format", "yaml");
  expect (fixture, 2, "--device NAME is required", "alice", "import", v1);
  expect (fixture, 2, "is not a date", "alice", "store", "purge", "--before", "last year");

  g_autoptr (json_t) before = run_json (fixture, 0, NULL, "audit", "log");
  expect (fixture, 3, "edge-truncated.json:", "alice", "import", "--device", "edge", truncated);
  expect (fixture, 3, "no device named “router”", "alice", "import", "--device", "router", v1);
  expect (fixture, 3, "no change request 99", NULL, "change", "show", "99");
  expect (fixture, 3, "cannot read your signing key", "nobody", "import", "--device", "edge", v1);
  g_autoptr (json_t) after = run_json (fixture, 0, NULL, "audit", "log");
  g_assert_cmpuint (json_array_size (json_object_get (after, "records")), ==,
                    json_array_size (json_object_get (before, "records")));

  /* A key that is not registered, and one sealed with a passphrase. */
  set_env (fixture, 0, "FWR_PASSPHRASE=correct horse");
  g_autoptr (Run) sealed = run_as (fixture, "erin", "key", "generate", "--passphrase");
  g_assert_cmpint (sealed->status, ==, 0);
  expect (fixture, 4, "is not registered in this store", "erin", "import", "--device", "edge", v1);
  set_env (fixture, 0, "FWR_PASSPHRASE=wrong");
  expect (fixture, 4, "wrong passphrase", "erin", "key", "show");
  set_env (fixture, 0, "FWR_PASSPHRASE=correct horse");
  g_autoptr (Run) shown = run_as (fixture, "erin", "key", "show");
  g_assert_cmpstr (shown->out, ==, sealed->out);
  expect (fixture, 3, "refusing to overwrite", "erin", "key", "generate");

  /* Something that is not a store. */
  g_assert_true (g_file_set_contents (fixture->store, "SQLite format 3 but not really", -1, NULL));
  expect (fixture, 5, NULL, NULL, "audit", "verify");
}

/* Tampering with the sqlite3 shell, each on its own copy of the same history. */

static gboolean
have_sqlite3 (void)
{
  g_autofree char *path = g_find_program_in_path ("sqlite3");
  if (path == NULL)
    g_test_skip ("the sqlite3 shell is not installed (Debian package sqlite3)");
  return path != NULL;
}

static void
sqlite3_shell (const char *db, const char *sql)
{
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "sqlite3", db, sql, NULL };
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
}

static void
test_tamper (Fixture *fixture, gconstpointer data)
{
  if (!have_sqlite3 ())
    return;
  setup_edge (fixture);
  g_autofree char *v2 = fwr_test_data_path ("edge-v2.json");
  expect (fixture, 0, NULL, "alice", "change", "submit", "--device", "edge", "--proposed", v2,
          "--reason", "mail relay");
  expect (fixture, 0, NULL, "bob", "change", "approve", "2");
  g_autoptr (json_t) log = run_json (fixture, 0, NULL, "audit", "log");
  /* Record 8 is the submission, 9 bob's approval (1 init, 2 user, 3 device, 4 import, 5 the
   * baseline change, 6 its approval, 7 the proposed snapshot). */
  g_assert_cmpstr (get_str (json_array_get (json_object_get (log, "records"), 8), "action"), ==,
                   "change.approve");

  g_autofree char *pristine = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (fixture->store, &pristine, &length, NULL));
  struct {
    const char *what;
    const char *sql;
    gint64 first_broken;
    const char *text;
  } cases[] = {
    { "edit a row", "UPDATE audit_log SET details = replace(details, 'mail relay', 'routine') WHERE seq = 8",
      8, "record 8 (change.submit by alice" },
    { "delete a row", "DELETE FROM audit_log WHERE seq = 8", 8, "record 8 is missing" },
    { "swap two rows",
      "UPDATE audit_log SET seq = -1 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = 9;"
      "UPDATE audit_log SET seq = 9 WHERE seq = -1", 8, "record 8 " },
    { "replace a signature",
      "UPDATE audit_log SET signature = (SELECT signature FROM audit_log WHERE seq = 6) WHERE seq = 9",
      9, "record 9 (change.approve by bob" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].what);
      g_assert_true (g_file_set_contents (fixture->store, pristine, (gssize) length, NULL));
      expect (fixture, 0, NULL, NULL, "audit", "verify");
      sqlite3_shell (fixture->store, cases[i].sql);
      g_autoptr (json_t) report = run_json (fixture, 1, NULL, "audit", "verify");
      g_assert_false (json_is_true (json_object_get (report, "intact")));
      g_assert_cmpint (get_int (report, "first_broken"), ==, cases[i].first_broken);
      const char *first = json_string_value (json_array_get (json_object_get (report, "problems"), 0));
      g_test_message ("  %s", first);
      g_assert_nonnull (strstr (first, cases[i].text));
      g_autofree char *line = g_strdup_printf ("audit log BROKEN at record %" G_GINT64_FORMAT "\n",
                                               cases[i].first_broken);
      g_autoptr (Run) text = run_as (fixture, NULL, "audit", "verify");
      g_assert_cmpint (text->status, ==, 1);
      g_assert_true (g_str_has_prefix (text->out, line));
    }
}

/* kill -9 */

static guint
count_snapshots (Fixture *fixture)
{
  g_autoptr (json_t) log = run_json (fixture, 0, NULL, "audit", "log");
  guint n = 0;
  size_t i;
  json_t *record;
  json_array_foreach (json_object_get (log, "records"), i, record)
    n += g_strcmp0 (json_string_value (json_object_get (record, "action")), "snapshot.import") == 0;
  return n;
}

static void
assert_consistent (Fixture *fixture)
{
  g_autoptr (json_t) verify = run_json (fixture, 0, NULL, "audit", "verify");
  g_assert_true (json_is_true (json_object_get (verify, "intact")));
  g_autofree char *path = g_find_program_in_path ("sqlite3");
  if (path == NULL)
    return;
  g_autofree char *out = NULL;
  const char *argv[] = { "sqlite3", fixture->store, "PRAGMA integrity_check; PRAGMA foreign_key_check;", NULL };
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, NULL, NULL));
  g_assert_cmpstr (out, ==, "ok\n");
}

static void
test_kill_during_import (Fixture *fixture, gconstpointer data)
{
  setup_edge (fixture);
  g_autofree char *v2 = fwr_test_data_path ("edge-v2.json");
  guint before = count_snapshots (fixture);

  /* Killed while it holds the write transaction: nothing of it may remain. */
  set_env (fixture, 1, "FWR_TEST_HOLD_TRANSACTION_MS=5000");
  g_autoptr (GSubprocess) victim = spawn (fixture, "alice", (const char *[]) { "import", "--device", "edge", v2, NULL });
  g_usleep (1500 * 1000);
  g_subprocess_force_exit (victim);
  g_autoptr (Run) killed = finish (victim);
  if (!g_subprocess_get_if_signaled (victim))
    g_error ("not killed: exit %d\n%s\n%s", killed->status, killed->out, killed->err);
  g_assert_cmpint (g_subprocess_get_term_sig (victim), ==, SIGKILL);
  set_env (fixture, 1, "FWR_TEST_HOLD_TRANSACTION_MS=0");
  assert_consistent (fixture);
  g_assert_cmpuint (count_snapshots (fixture), ==, before);

  /* Killed at whatever moment: each import is all there or not at all. */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (GSubprocess) process = spawn (fixture, "alice", (const char *[]) { "import", "--device", "edge", v2, NULL });
      g_usleep (g_random_int_range (0, 40) * 1000);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      assert_consistent (fixture);
    }
  /* The store still takes writes, with no lock left behind. */
  g_autoptr (json_t) import = run_json (fixture, 0, "alice", "import", "--device", "edge", v2);
  g_assert_cmpint (get_int (import, "snapshot"), >, 0);
  assert_consistent (fixture);
}

static void
test_parallel_writers (Fixture *fixture, gconstpointer data)
{
  setup_edge (fixture);
  g_autofree char *v2 = fwr_test_data_path ("edge-v2.json");
  g_autofree char *drifted = fwr_test_data_path ("edge-drift.json");
  guint before = count_snapshots (fixture);

  /* Both hold the lock a while; the second waits its turn and both succeed. */
  set_env (fixture, 1, "FWR_TEST_HOLD_TRANSACTION_MS=500");
  g_autoptr (GSubprocess) first = spawn (fixture, "alice", (const char *[]) { "import", "--device", "edge", v2, "--format", "json", NULL });
  g_autoptr (GSubprocess) second = spawn (fixture, "alice", (const char *[]) { "import", "--device", "edge", drifted, "--format", "json", NULL });
  g_autoptr (Run) a = finish (first);
  g_autoptr (Run) b = finish (second);
  g_assert_cmpint (a->status, ==, 0);
  g_assert_cmpint (b->status, ==, 0);
  g_autoptr (json_t) ja = parse_json (a->out);
  g_autoptr (json_t) jb = parse_json (b->out);
  g_assert_cmpint (get_int (ja, "snapshot"), !=, get_int (jb, "snapshot"));
  g_assert_cmpuint (count_snapshots (fixture), ==, before + 2);

  /* One holds the lock longer than the other will wait: a clear busy error, exit 5, and the
   * first one's work is all there. */
  set_env (fixture, 1, "FWR_TEST_HOLD_TRANSACTION_MS=4000");
  g_autoptr (GSubprocess) slow = spawn (fixture, "alice", (const char *[]) { "import", "--device", "edge", v2, NULL });
  g_usleep (1500 * 1000);
  set_env (fixture, 1, "FWR_TEST_HOLD_TRANSACTION_MS=0");
  set_env (fixture, 2, "FWR_BUSY_TIMEOUT_MS=200");
  g_autoptr (Run) busy = run_as (fixture, "bob", "drift", "--device", "edge", v2);
  g_assert_cmpint (busy->status, ==, 5);
  g_assert_nonnull (strstr (busy->err, "the store is busy"));
  g_assert_nonnull (strstr (busy->err, "nothing was written"));
  /* Readers never wait for a writer. */
  expect (fixture, 0, NULL, NULL, "change", "show", "1");
  expect (fixture, 0, NULL, NULL, "audit", "verify");
  g_autoptr (Run) done = finish (slow);
  g_assert_cmpint (done->status, ==, 0);
  g_assert_cmpuint (count_snapshots (fixture), ==, before + 3);
  g_autofree char *v1 = fwr_test_data_path ("edge-v1.json");
  expect (fixture, 0, NULL, "bob", "drift", "--device", "edge", v1);
  assert_consistent (fixture);
}

static void
test_purge (Fixture *fixture, gconstpointer data)
{
  set_env (fixture, 0, "FWR_NOW=2020-02-03T10:00:00Z");
  setup_edge (fixture);
  g_autofree char *v2 = fwr_test_data_path ("edge-v2.json");
  g_autofree char *running = fwr_test_data_path ("edge-v2-running.json");
  expect (fixture, 0, NULL, "alice", "change", "submit", "--device", "edge", "--proposed", v2, "--reason", "mail");
  expect (fixture, 0, NULL, "bob", "change", "approve", "2");
  expect (fixture, 0, NULL, "alice", "change", "implemented", "2", running);
  expect (fixture, 0, NULL, "bob", "drift", "--device", "edge", v2);

  set_env (fixture, 0, "FWR_NOW=2022-06-01T00:00:00Z");
  expect (fixture, 4, "refusing to purge up to 2021-01-01T00:00:00Z: records are kept 36 months",
          "alice", "store", "purge", "--before", "2021-01-01");

  set_env (fixture, 0, "FWR_NOW=2024-06-01T00:00:00Z");
  expect (fixture, 4, "bob is a supervisor", "bob", "store", "purge", "--before", "2021-01-01");
  g_autoptr (json_t) purged = run_json (fixture, 0, "alice", "store", "purge", "--before", "2021-01-01");
  g_assert_cmpstr (get_str (purged, "schema"), ==, "fwreview.purge/1");
  json_t *removed = json_object_get (purged, "removed");
  g_assert_cmpint (get_int (removed, "changes"), ==, 1);
  g_assert_cmpint (get_int (removed, "drift_checks"), ==, 1);
  g_autoptr (json_t) verify = run_json (fixture, 0, NULL, "audit", "verify");
  g_assert_true (json_is_true (json_object_get (verify, "intact")));
  g_autoptr (json_t) shown = run_json (fixture, 0, NULL, "change", "show", "2");
  g_assert_cmpstr (get_str (shown, "state"), ==, "implemented");
  expect (fixture, 3, "no change request 1", NULL, "change", "show", "1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fwr/cli-store/flow-two-identities", test_flow_two_identities);
  ADD ("/fwr/cli-store/three-identities", test_three_identities);
  ADD ("/fwr/cli-store/exit-codes", test_exit_codes);
  ADD ("/fwr/cli-store/tamper", test_tamper);
  ADD ("/fwr/cli-store/kill-during-import", test_kill_during_import);
  ADD ("/fwr/cli-store/parallel-writers", test_parallel_writers);
  ADD ("/fwr/cli-store/purge", test_purge);
#undef ADD
  return g_test_run ();
}
