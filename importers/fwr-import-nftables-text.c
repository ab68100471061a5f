/* fwr-import-nftables-text.c: nft text (`nft list ruleset`, /etc/nftables.conf) parsed by the real
 * nft parser: loaded in a throw-away network namespace, listed as JSON, read by the JSON importer. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "fwr-import-private.h"
#include "fwr-nfnetlink-private.h"

/* Guards against a file that never finishes (an nft `monitor` command in it). */
#define TEXT_CHILD_SECONDS 300
/* nft names one missing interface per statement and try; each try adds at least one. */
#define TEXT_MAX_TRIES 256

/* What the child reports first on its pipe, then the text. */
enum {
  TEXT_JSON = 'J',        /* the listing */
  TEXT_NFT_ERROR = 'E',   /* nft refused the file: its own error text */
  TEXT_NAMESPACE = 'N',   /* no private namespace could be made: strerror */
};

/* The child may not touch GLib: the parent can have threads, whose locks a fork copies. */

static void
child_write_all (int fd, const char *data, size_t length)
{
  while (length > 0)
    {
      ssize_t written = write (fd, data, length);
      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        _exit (126);
      data += written;
      length -= (size_t) written;
    }
}

static void __attribute__ ((noreturn))
child_report (int fd, char status, const char *text, int code)
{
  child_write_all (fd, &status, 1);
  child_write_all (fd, text, strlen (text));
  _exit (code);
}

static int
child_write_file (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t written = write (fd, text, strlen (text));
  int errsv = errno;
  close (fd);
  errno = errsv;
  return written == (ssize_t) strlen (text) ? 0 : -1;
}

/* Root enters a new network namespace directly; anyone else first becomes root of a new user
 * namespace (mapped to themselves), which owns the new network namespace. */
static int
child_enter_private_netns (void)
{
  if (unshare (CLONE_NEWNET) == 0)
    return 0;

  char uid_map[64], gid_map[64];
  snprintf (uid_map, sizeof uid_map, "0 %u 1\n", (unsigned) geteuid ());
  snprintf (gid_map, sizeof gid_map, "0 %u 1\n", (unsigned) getegid ());
  if (unshare (CLONE_NEWUSER | CLONE_NEWNET) != 0)
    return -1;
  if (child_write_file ("/proc/self/setgroups", "deny") != 0
      || child_write_file ("/proc/self/uid_map", uid_map) != 0
      || child_write_file ("/proc/self/gid_map", gid_map) != 0)
    return -1;
  return 0;
}

/* A stand-in interface, so `iif "eth0"` (which nft resolves to an index) loads in a namespace
 * that has only lo: the listing names it again, which is all the model keeps. */
static int
child_create_interface (const char *name)
{
  static const char *const kinds[] = { "dummy", "ifb", "bridge" };
  struct mnl_socket *nl = mnl_socket_open (NETLINK_ROUTE);
  if (nl == NULL || mnl_socket_bind (nl, 0, MNL_SOCKET_AUTOPID) < 0)
    return -1;
  int status = -1;
  for (size_t k = 0; status != 0 && k < sizeof kinds / sizeof kinds[0]; k++)
    {
      char buffer[MNL_SOCKET_BUFFER_SIZE];
      struct nlmsghdr *nlh = mnl_nlmsg_put_header (buffer);
      nlh->nlmsg_type = RTM_NEWLINK;
      nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
      nlh->nlmsg_seq = (unsigned) k + 1;
      struct ifinfomsg *info = mnl_nlmsg_put_extra_header (nlh, sizeof *info);
      info->ifi_family = AF_UNSPEC;
      mnl_attr_put_strz (nlh, IFLA_IFNAME, name);
      struct nlattr *link_info = mnl_attr_nest_start (nlh, IFLA_LINKINFO);
      mnl_attr_put_strz (nlh, IFLA_INFO_KIND, kinds[k]);
      mnl_attr_nest_end (nlh, link_info);
      if (mnl_socket_sendto (nl, nlh, nlh->nlmsg_len) < 0)
        break;
      ssize_t got = mnl_socket_recvfrom (nl, buffer, sizeof buffer);
      if (got > 0)
        status = mnl_cb_run (buffer, got, nlh->nlmsg_seq, mnl_socket_get_portid (nl), NULL, NULL);
    }
  mnl_socket_close (nl);
  return status == 0 ? 0 : -1;
}

/* nft says "FILE:LINE:FIRST-LAST: Error: Interface does not exist", then the source line: the
 * name is that line's columns FIRST..LAST, perhaps quoted. Returns how many were created. */
static int
child_add_missing_interfaces (const char *errors)
{
  static const char marker[] = ": Error: Interface does not exist\n";
  int created = 0;
  for (const char *at = strstr (errors, marker); at != NULL; at = strstr (at + 1, marker))
    {
      const char *colon = at;
      while (colon > errors && colon[-1] != ':')
        colon--;
      unsigned first = 0, last = 0;
      if (sscanf (colon, "%u-%u", &first, &last) != 2 || first == 0 || last < first)
        continue;
      const char *source = at + sizeof marker - 1;
      const char *end = strchr (source, '\n');
      size_t source_length = end ? (size_t) (end - source) : strlen (source);
      if (last > source_length)
        continue;
      char name[32];
      const char *token = source + first - 1;
      size_t length = last - first + 1;
      if (length >= 2 && token[0] == '"' && token[length - 1] == '"')
        token++, length -= 2;
      if (length == 0 || length >= 16 || token[0] == '$')
        continue;
      memcpy (name, token, length);
      name[length] = '\0';
      if (strpbrk (name, "/ \t\"") == NULL && child_create_interface (name) == 0)
        created++;
    }
  return created;
}

static struct nft_ctx *
child_new_loader (const char *include_dir)
{
  struct nft_ctx *loader = nft_ctx_new (NFT_CTX_DEFAULT);
  if (loader == NULL || nft_ctx_buffer_output (loader) != 0 || nft_ctx_buffer_error (loader) != 0)
    return NULL;
  /* Includes name files relative to the including file's folder first, then nft's own. */
  nft_ctx_clear_include_paths (loader);
  nft_ctx_add_include_path (loader, include_dir);
  nft_ctx_add_include_path (loader, "/etc");
  return loader;
}

static void __attribute__ ((noreturn))
child_run (int source_fd, const char *include_dir, int out_fd)
{
  alarm (TEXT_CHILD_SECONDS);
  if (child_enter_private_netns () != 0)
    child_report (out_fd, TEXT_NAMESPACE, strerror (errno), 1);

  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", source_fd);
  for (int tries = 1;; tries++)
    {
      struct nft_ctx *loader = child_new_loader (include_dir);
      if (loader == NULL)
        child_report (out_fd, TEXT_NFT_ERROR, "cannot start libnftables", 1);
      if (nft_run_cmd_from_filename (loader, path) == 0)
        break;
      /* A failed load commits nothing, so trying again starts from the same empty ruleset. */
      const char *errors = nft_ctx_get_error_buffer (loader);
      if (tries == TEXT_MAX_TRIES || child_add_missing_interfaces (errors) == 0)
        child_report (out_fd, TEXT_NFT_ERROR, errors, 1);
      nft_ctx_free (loader);
    }

  /* A fresh context, so output the file itself asked for ("list ...") stays out. */
  struct nft_ctx *lister = nft_ctx_new (NFT_CTX_DEFAULT);
  char *error_text = NULL;
  char *json = lister ? _fwr_nft_list_json (lister, &error_text) : NULL;
  if (json == NULL)
    child_report (out_fd, TEXT_NFT_ERROR, error_text ? error_text : "cannot start libnftables", 1);
  child_report (out_fd, TEXT_JSON, json, 0);
}

/* The text's bytes in an anonymous file nft can open by name; nothing lands on disk. */
static int
text_source_fd (const char *data, gsize length, GError **error)
{
  int fd = memfd_create ("fwreview-nft-text", MFD_CLOEXEC);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot hold the text in memory: %s", g_strerror (errno));
      return -1;
    }
  gsize done = 0;
  while (done < length)
    {
      ssize_t written = write (fd, data + done, length - done);
      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "cannot hold the text in memory: %s", g_strerror (errno));
          close (fd);
          return -1;
        }
      done += (gsize) written;
    }
  return fd;
}

static GByteArray *
read_all (int fd)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 buffer[65536];
  for (;;)
    {
      ssize_t got = read (fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      g_byte_array_append (bytes, buffer, (guint) got);
    }
  return bytes;
}

/* Runs the child and returns its report: status byte then text; NULL when it died. */
static GByteArray *
text_run_child (const char *data, gsize length, const char *include_dir, int *wait_status,
                GError **error)
{
  int source_fd = text_source_fd (data, length, error);
  if (source_fd < 0)
    return NULL;
  int pipe_fds[2];
  if (pipe2 (pipe_fds, O_CLOEXEC) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot make a pipe: %s",
                   g_strerror (errno));
      close (source_fd);
      return NULL;
    }

  pid_t pid = fork ();
  if (pid == 0)
    {
      close (pipe_fds[0]);
      child_run (source_fd, include_dir, pipe_fds[1]);
    }
  int errsv = errno;
  close (pipe_fds[1]);
  close (source_fd);
  if (pid < 0)
    {
      close (pipe_fds[0]);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "cannot start the nft parser: %s", g_strerror (errsv));
      return NULL;
    }

  GByteArray *report = read_all (pipe_fds[0]);
  close (pipe_fds[0]);
  while (waitpid (pid, wait_status, 0) < 0 && errno == EINTR)
    ;
  return report;
}

/* nft writes "FILE:LINE:COL-COL: Error: TEXT", then the source line and carets; the first such
 * error is the one to show, in our own words for the file nft only knew as /proc/self/fd/N. */
static void
set_nft_error (GError **error, const char *name, const char *nft_text)
{
  g_autoptr (GRegex) located = g_regex_new ("^(.+?):(\\d+):(\\d+)(?:-\\d+)?: Error: (.*)$",
                                            G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  guint n_errors = 0;
  for (const char *at = nft_text; (at = strstr (at, "Error: ")) != NULL; at++)
    n_errors++;
  g_autofree char *more = n_errors > 1 ? g_strdup_printf (" (and %u more error%s)", n_errors - 1,
                                                         n_errors > 2 ? "s" : "")
                                       : g_strdup ("");

  if (!g_regex_match (located, nft_text, 0, &match))
    {
      g_autofree char *text = g_strstrip (g_strdup (nft_text));
      const char *message = g_str_has_prefix (text, "Error: ") ? text + 7 : text;
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, name, 0, 0, "nft: %s", message);
      return;
    }
  g_autofree char *file = g_match_info_fetch (match, 1);
  g_autofree char *line = g_match_info_fetch (match, 2);
  g_autofree char *column = g_match_info_fetch (match, 3);
  g_autofree char *message = g_match_info_fetch (match, 4);
  const char *where = g_str_has_prefix (file, "/proc/self/fd/") ? name : file;
  _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, where,
                         (guint) g_ascii_strtoull (line, NULL, 10),
                         (guint) g_ascii_strtoull (column, NULL, 10), "%s%s", message, more);
}

static char *
include_dir_for (const char *name)
{
  g_autofree char *dir = g_path_get_dirname (name);
  if (g_path_is_absolute (dir))
    return g_steal_pointer (&dir);
  g_autofree char *cwd = g_get_current_dir ();
  return g_build_filename (cwd, dir, NULL);
}

/* The JSON nft printed for the text, or NULL with the error set. */
static GByteArray *
text_to_json (const char *name, const char *data, gsize length, GError **error)
{
  g_autofree char *include_dir = include_dir_for (name);
  g_autoptr (GError) local_error = NULL;
  int wait_status = 0;
  g_autoptr (GByteArray) report = text_run_child (data, length, include_dir, &wait_status,
                                                  &local_error);
  if (report == NULL)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_IO, name, 0, 0, "%s", local_error->message);
      return NULL;
    }
  guint8 status = report->len > 0 ? report->data[0] : 0;
  g_byte_array_append (report, (const guint8 *) "", 1);
  const char *text = (const char *) report->data + (report->len > 1 ? 1 : 0);

  if (status == TEXT_JSON && WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0)
    {
      g_byte_array_remove_index (report, 0);
      return g_steal_pointer (&report);
    }
  if (status == TEXT_NFT_ERROR)
    set_nft_error (error, name, text);
  else if (status == TEXT_NAMESPACE)
    _fwr_import_set_error (error, FWR_IMPORT_ERROR_PERMISSION, name, 0, 0,
                           "reading nft text needs a private network namespace (as root, or "
                           "through an unprivileged user namespace), and none could be made: %s",
                           text);
  else if (WIFSIGNALED (wait_status))
    _fwr_import_set_error (error, FWR_IMPORT_ERROR_IO, name, 0, 0,
                           "the nft parser was stopped by signal %d%s", WTERMSIG (wait_status),
                           WTERMSIG (wait_status) == SIGALRM ? " (it ran too long)" : "");
  else
    _fwr_import_set_error (error, FWR_IMPORT_ERROR_IO, name, 0, 0,
                           "the nft parser ended without an answer");
  return NULL;
}

/* Line numbers. nft's listing has none, so a light scan of the main file finds where each rule
 * statement starts, per chain, in text order; nft numbers a table's rules (handles) in the
 * order it creates them, which is that text order. A chain gets lines only when the scan and
 * nft agree on its number of rules, and no line at all when the file deletes or replaces. */

typedef enum {
  SCAN_TOP,
  SCAN_TABLE,
  SCAN_CHAIN,
  SCAN_OTHER,     /* a set, map, define or element block: no rules inside */
} ScanContext;

typedef struct {
  guint line;
  guint column;
} ScanPlace;

typedef struct {
  GHashTable *chains;      /* "family\ntable\nchain" -> GArray of ScanPlace, in text order */
  GHashTable *tainted;     /* chains that get rules from an include */
  GHashTable *chain_places;  /* "family\ntable\nchain" -> ScanPlace where first declared */
  GHashTable *object_places; /* "family\ntable\nname" -> ScanPlace, sets, maps, counters... */
  gboolean unreliable;     /* the file deletes, flushes or replaces: order proves nothing */
  GArray *stack;           /* ScanContext */
  char *table_family;
  char *table_name;
  char *chain_key;
  GString *statement;
  ScanPlace start;
  guint inner;             /* open braces inside the current statement (anonymous sets) */
} TextScan;

static void
scan_clear (TextScan *scan)
{
  g_clear_pointer (&scan->chains, g_hash_table_unref);
  g_clear_pointer (&scan->tainted, g_hash_table_unref);
  g_clear_pointer (&scan->chain_places, g_hash_table_unref);
  g_clear_pointer (&scan->object_places, g_hash_table_unref);
  g_clear_pointer (&scan->stack, g_array_unref);
  g_clear_pointer (&scan->table_family, g_free);
  g_clear_pointer (&scan->table_name, g_free);
  g_clear_pointer (&scan->chain_key, g_free);
  if (scan->statement != NULL)
    g_string_free (g_steal_pointer (&scan->statement), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TextScan, scan_clear)

static ScanContext
scan_context (const TextScan *scan)
{
  return scan->stack->len ? g_array_index (scan->stack, ScanContext, scan->stack->len - 1) : SCAN_TOP;
}

static gboolean
is_family (const char *word)
{
  static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    if (g_str_equal (word, families[i]))
      return TRUE;
  return FALSE;
}

static char *
unquote (const char *word)
{
  gsize length = strlen (word);
  if (length >= 2 && word[0] == '"' && word[length - 1] == '"')
    return g_strndup (word + 1, length - 2);
  return g_strdup (word);
}

static char *
chain_key (const char *family, const char *table, const char *chain)
{
  g_autofree char *t = unquote (table);
  g_autofree char *c = unquote (chain);
  return g_strdup_printf ("%s\n%s\n%s", family, t, c);
}

/* "[family] table chain" at words[from]: the chain's key, or NULL. */
static char *
command_chain_key (GStrv words, guint from)
{
  guint n = g_strv_length (words);
  if (n > from && is_family (words[from]))
    return n >= from + 3 ? chain_key (words[from], words[from + 1], words[from + 2]) : NULL;
  return n >= from + 2 ? chain_key ("ip", words[from], words[from + 1]) : NULL;
}

static void
scan_add_place (TextScan *scan, GHashTable *places, const char *key)
{
  if (key != NULL && !g_hash_table_contains (places, key))
    g_hash_table_insert (places, g_strdup (key), g_memdup2 (&scan->start, sizeof scan->start));
}

static gboolean
is_object_keyword (const char *word)
{
  static const char *const keywords[] = { "set", "map", "counter", "quota", "limit", "flowtable" };
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (g_str_equal (word, keywords[i]))
      return TRUE;
  return FALSE;
}

static void
scan_add_rule (TextScan *scan, const char *key)
{
  GArray *places = g_hash_table_lookup (scan->chains, key);
  if (places == NULL)
    {
      places = g_array_new (FALSE, FALSE, sizeof (ScanPlace));
      g_hash_table_insert (scan->chains, g_strdup (key), places);
    }
  g_array_append_val (places, scan->start);
}

static gboolean
is_rule_command (GStrv words)
{
  return words[0] != NULL && words[1] != NULL
         && (g_str_equal (words[0], "add") || g_str_equal (words[0], "insert"))
         && g_str_equal (words[1], "rule");
}

static gboolean
is_chain_property (const char *word)
{
  static const char *const properties[] = { "type", "policy", "comment", "devices", "device", "include" };
  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    if (g_str_equal (word, properties[i]))
      return TRUE;
  return FALSE;
}

/* The statement so far as words; the statement starts over. */
static GStrv
scan_take_words (TextScan *scan)
{
  g_strchomp (scan->statement->str);
  GStrv words = g_strsplit (scan->statement->str, " ", -1);
  g_string_truncate (scan->statement, 0);
  return words;
}

static void
scan_end_statement (TextScan *scan)
{
  if (scan->statement->len == 0)
    return;
  g_auto (GStrv) words = scan_take_words (scan);
  ScanContext context = scan_context (scan);

  if (context == SCAN_CHAIN && g_str_equal (words[0], "include"))
    g_hash_table_add (scan->tainted, g_strdup (scan->chain_key));
  else if (context == SCAN_CHAIN && !is_chain_property (words[0]))
    scan_add_rule (scan, scan->chain_key);
  else if (context != SCAN_TOP)
    return;
  else if (g_str_equal (words[0], "flush") && g_strcmp0 (words[1], "ruleset") == 0)
    g_hash_table_remove_all (scan->chains);
  else if (g_str_equal (words[0], "delete") || g_str_equal (words[0], "destroy")
           || g_str_equal (words[0], "replace") || g_str_equal (words[0], "flush"))
    scan->unreliable = TRUE;
  else if (is_rule_command (words))
    {
      g_autofree char *key = command_chain_key (words, 2);
      if (key != NULL)
        scan_add_rule (scan, key);
    }
}

/* "table [family] name" or "add|create table [family] name": sets the table being scanned. */
static gboolean
scan_table_words (TextScan *scan, GStrv words)
{
  guint n = g_strv_length (words), at = 0;
  if (n > 0 && (g_str_equal (words[0], "add") || g_str_equal (words[0], "create")))
    at = 1;
  if (n <= at || !g_str_equal (words[at], "table"))
    return FALSE;
  gboolean with_family = n > at + 2 && is_family (words[at + 1]);
  if (n != at + (with_family ? 3 : 2))
    return FALSE;
  g_free (scan->table_family);
  g_free (scan->table_name);
  scan->table_family = g_strdup (with_family ? words[at + 1] : "ip");
  scan->table_name = g_strdup (words[n - 1]);
  return TRUE;
}

static void
scan_open_block (TextScan *scan)
{
  g_auto (GStrv) words = scan_take_words (scan);
  guint n = g_strv_length (words);
  ScanContext context = scan_context (scan), opened = SCAN_OTHER;

  if (context == SCAN_TOP && scan_table_words (scan, words))
    opened = SCAN_TABLE;
  else if (context == SCAN_TOP && n >= 3 && g_str_equal (words[1], "chain"))
    {
      g_free (scan->chain_key);
      scan->chain_key = command_chain_key (words, 2);
      scan_add_place (scan, scan->chain_places, scan->chain_key);
      opened = scan->chain_key != NULL ? SCAN_CHAIN : SCAN_OTHER;
    }
  else if (context == SCAN_TABLE && n == 2 && g_str_equal (words[0], "chain"))
    {
      g_free (scan->chain_key);
      scan->chain_key = chain_key (scan->table_family, scan->table_name, words[1]);
      scan_add_place (scan, scan->chain_places, scan->chain_key);
      opened = SCAN_CHAIN;
    }
  else if (context == SCAN_TABLE && ((n == 2 && is_object_keyword (words[0]))
                                      || (n == 3 && g_str_equal (words[0], "ct"))))
    {
      /* "set NAME {", "counter NAME {", "ct helper NAME {" ... */
      g_autofree char *key = chain_key (scan->table_family, scan->table_name, words[n - 1]);
      scan_add_place (scan, scan->object_places, key);
    }
  g_array_append_val (scan->stack, opened);
}

static void
scan_close_block (TextScan *scan)
{
  scan_end_statement (scan);
  if (scan->stack->len > 0)
    g_array_set_size (scan->stack, scan->stack->len - 1);
}

/* A statement that is a rule (in a chain, or an add rule command) keeps its braces. */
static gboolean
scan_brace_is_inner (const TextScan *scan)
{
  if (scan->statement->len == 0)
    return FALSE;
  if (scan_context (scan) == SCAN_CHAIN)
    return TRUE;
  g_auto (GStrv) words = g_strsplit (scan->statement->str, " ", 3);
  return scan_context (scan) == SCAN_TOP && is_rule_command (words);
}

static void
scan_char (TextScan *scan, char c, guint line, guint column)
{
  if (scan->inner > 0)
    {
      if (c == '{')
        scan->inner++;
      else if (c == '}')
        scan->inner--;
      return;
    }
  if (c == '{' && scan_brace_is_inner (scan))
    scan->inner = 1;
  else if (c == '{')
    scan_open_block (scan);
  else if (c == '}')
    scan_close_block (scan);
  else if (c == '\n' || c == ';')
    scan_end_statement (scan);
  else if (g_ascii_isspace (c))
    {
      if (scan->statement->len > 0 && scan->statement->str[scan->statement->len - 1] != ' ')
        g_string_append_c (scan->statement, ' ');
    }
  else
    {
      if (scan->statement->len == 0)
        scan->start = (ScanPlace) { line, column };
      g_string_append_c (scan->statement, c);
    }
}

static void
scan_text (TextScan *scan, const char *data, gsize length)
{
  guint line = 1, column = 0;
  gboolean in_string = FALSE, in_comment = FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      column++;
      if (c == '\\' && !in_string && i + 1 < length && data[i + 1] == '\n')
        {
          /* A continued line: the statement goes on. */
          i++, line++, column = 0;
          continue;
        }
      if (in_string)
        {
          in_string = c != '"' && c != '\n';
          if (scan->inner == 0)
            g_string_append_c (scan->statement, c);
        }
      else if (c == '#' || (in_comment && c != '\n'))
        in_comment = TRUE;
      else
        {
          in_comment = FALSE;
          in_string = c == '"';
          scan_char (scan, c, line, column);
        }
      if (c == '\n')
        line++, column = 0;
    }
  scan_end_statement (scan);
}

static gint
compare_handles (gconstpointer a, gconstpointer b)
{
  const FwrRule *ra = *(FwrRule *const *) a, *rb = *(FwrRule *const *) b;
  return ra->handle < rb->handle ? -1 : ra->handle > rb->handle;
}

static void
assign_rule_lines (FwrChain *chain, GArray *places)
{
  /* A borrowing copy: chain->rules owns (and frees) its rules. */
  g_autoptr (GPtrArray) by_handle = g_ptr_array_sized_new (chain->rules->len);
  for (guint k = 0; k < chain->rules->len; k++)
    g_ptr_array_add (by_handle, g_ptr_array_index (chain->rules, k));
  g_ptr_array_sort (by_handle, compare_handles);
  for (guint k = 0; k < by_handle->len; k++)
    {
      FwrRule *rule = g_ptr_array_index (by_handle, k);
      rule->line = g_array_index (places, ScanPlace, k).line;
      rule->column = g_array_index (places, ScanPlace, k).column;
    }
}

static void
text_assign_lines (FwrRuleset *ruleset, const char *data, gsize length)
{
  g_auto (TextScan) scan = {
    .chains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref),
    .tainted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .chain_places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .object_places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .stack = g_array_new (FALSE, FALSE, sizeof (ScanContext)),
    .statement = g_string_new (NULL),
  };
  scan_text (&scan, data, length);

  for (guint i = 0; i < ruleset->chains->len; i++)
    {
      FwrChain *chain = g_ptr_array_index (ruleset->chains, i);
      g_autofree char *key = chain_key (fwr_table_family_to_string (chain->family), chain->table,
                                        chain->name);
      const ScanPlace *place = g_hash_table_lookup (scan.chain_places, key);
      if (place != NULL)
        chain->line = place->line;
      GArray *places = g_hash_table_lookup (scan.chains, key);
      if (!scan.unreliable && places != NULL && places->len == chain->rules->len
          && !g_hash_table_contains (scan.tainted, key))
        assign_rule_lines (chain, places);
    }
  for (guint i = 0; i < ruleset->objects->len; i++)
    {
      FwrObject *object = g_ptr_array_index (ruleset->objects, i);
      g_autofree char *key = chain_key (fwr_table_family_to_string (object->family), object->table,
                                        object->name);
      const ScanPlace *place = g_hash_table_lookup (scan.object_places, key);
      if (place != NULL)
        object->line = place->line;
    }
}

FwrRuleset *
_fwr_import_nftables_text (const char *name, const char *data, gsize length, GError **error)
{
  g_autoptr (GByteArray) json = text_to_json (name, data, length, error);
  if (json == NULL)
    return NULL;

  g_autoptr (GError) local_error = NULL;
  FwrRuleset *ruleset = _fwr_import_nftables_json (name, (const char *) json->data, json->len - 1,
                                                   &local_error);
  if (ruleset == NULL)
    {
      /* A place in the JSON would mislead: the user wrote text. */
      _fwr_import_set_error (error, local_error->code, name, 0, 0,
                             "nft accepted the text but its listing could not be read: %s",
                             local_error->message);
      return NULL;
    }
  g_free (ruleset->format);
  ruleset->format = g_strdup (fwr_format_to_string (FWR_FORMAT_NFTABLES_TEXT));
  _fwr_nft_listing_forget_places (ruleset);
  text_assign_lines (ruleset, data, length);
  _fwr_nft_listing_locate_warnings (ruleset);
  return ruleset;
}

/* The commands an nft file starts with; comments and a shebang may come first. */
static const char *const text_openings[] = {
  "table ", "flush ruleset", "flush table ", "define ", "include \"",
  "add table ", "add chain ", "add rule ", "add set ", "add map ", "add element ",
  "insert rule ", "create table ",
};

gboolean
_fwr_nftables_text_detect (const char *data, gsize length)
{
  gsize window = MIN (length, 4096);
  g_autofree char *head = g_strndup (data, window);
  g_auto (GStrv) lines = g_strsplit (head, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      while (g_ascii_isspace (*line))
        line++;
      if (i == 0 && g_str_has_prefix (line, "#!"))
        return strstr (line, "nft") != NULL;
      if (*line == '\0' || *line == '#')
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (text_openings); k++)
        if (g_str_has_prefix (line, text_openings[k]))
          return TRUE;
      return FALSE;
    }
  return FALSE;
}
