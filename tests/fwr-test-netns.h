/* fwr-test-netns.h: puts a test process in a network namespace of its own before it starts,
 * so kernel rulesets it loads never reach the host's. */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

static inline gboolean
fwr_test_write_file_once (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  gboolean ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

/* Call first thing in main (unshare needs a process without threads): as root directly,
 * otherwise as root of a new user namespace. Returns NULL, or (transfer full) why the process
 * could not get a private namespace, for g_test_skip. */
static inline char *
fwr_test_enter_private_netns (void)
{
  if (unshare (CLONE_NEWNET) == 0)
    return NULL;
  g_autofree char *uid_map = g_strdup_printf ("0 %u 1\n", (unsigned) geteuid ());
  g_autofree char *gid_map = g_strdup_printf ("0 %u 1\n", (unsigned) getegid ());
  if (unshare (CLONE_NEWUSER | CLONE_NEWNET) != 0)
    return g_strdup_printf ("cannot make a private network namespace: %s", g_strerror (errno));
  if (!fwr_test_write_file_once ("/proc/self/setgroups", "deny")
      || !fwr_test_write_file_once ("/proc/self/uid_map", uid_map)
      || !fwr_test_write_file_once ("/proc/self/gid_map", gid_map))
    return g_strdup_printf ("cannot map ids in a new user namespace: %s", g_strerror (errno));
  return NULL;
}
