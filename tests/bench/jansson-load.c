/* jansson-load.c: how long jansson alone takes to load an `nft -j list ruleset` file, as a whole
 * document (DOM) and element by element, with the peak memory of each; the benchmark's yardstick. */
#include <glib.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef gboolean (*LoadFunc) (const char *path, guint *n_elements, GError **error);

static gboolean
load_dom (const char *path, guint *n_elements, GError **error)
{
  json_error_t jerror;
  json_t *root = json_load_file (path, 0, &jerror);
  json_t *array;

  if (root == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d:%d: %s", path, jerror.line, jerror.column, jerror.text);
      return FALSE;
    }
  array = json_object_get (root, "nftables");
  if (!json_is_array (array))
    {
      json_decref (root);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: no top-level \"nftables\" array", path);
      return FALSE;
    }
  *n_elements = (guint) json_array_size (array);
  json_decref (root);
  return TRUE;
}

static const char *
skip_space (const char *p, const char *end)
{
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

/* Accepts `{"nftables": [` with any whitespace, which is all nft ever writes before the array. */
static const char *
skip_prologue (const char *p, const char *end)
{
  static const char *const tokens[] = { "{", "\"nftables\"", ":", "[" };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      gsize len = strlen (tokens[i]);
      p = skip_space (p, end);
      if ((gsize) (end - p) < len || memcmp (p, tokens[i], len) != 0)
        return NULL;
      p += len;
    }
  return p;
}

static gboolean
fail_at (GError **error, const char *path, const char *start, const char *p, const char *what)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: byte %" G_GSIZE_FORMAT ": %s", path, (gsize) (p - start), what);
  return FALSE;
}

/* Only one element of the top-level array is alive at a time, so the peak is the mapped file plus
 * one rule's tree. */
static gboolean
load_stream (const char *path, guint *n_elements, GError **error)
{
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  const char *start, *p, *end;

  if (file == NULL)
    return FALSE;
  start = g_mapped_file_get_contents (file);
  end = start + g_mapped_file_get_length (file);
  p = start ? skip_prologue (start, end) : NULL;
  if (p == NULL)
    return fail_at (error, path, start, start, "expected {\"nftables\": [");
  *n_elements = 0;
  p = skip_space (p, end);
  if (p < end && *p == ']')
    return TRUE;
  for (;;)
    {
      json_error_t jerror;
      json_t *element = json_loadb (p, (size_t) (end - p), JSON_DISABLE_EOF_CHECK, &jerror);
      if (element == NULL)
        return fail_at (error, path, start, p + jerror.position, jerror.text);
      json_decref (element);
      (*n_elements)++;
      p = skip_space (p + jerror.position, end);
      if (p < end && *p == ']')
        return TRUE;
      if (p >= end || *p != ',')
        return fail_at (error, path, start, p, "expected , or ] after an element");
      p++;
    }
}

/* Each mode runs in its own child so that one mode's peak memory does not hide the other's. */
static int
run_mode (const char *name, LoadFunc load, const char *path)
{
  pid_t pid;
  int status;

  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    {
      perror ("jansson-load: fork");
      return 1;
    }
  if (pid == 0)
    {
      g_autoptr (GError) error = NULL;
      struct rusage usage;
      guint n = 0;
      gint64 t0 = g_get_monotonic_time ();
      if (!load (path, &n, &error))
        {
          fprintf (stderr, "jansson-load: %s\n", error->message);
          _exit (1);
        }
      double seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
      getrusage (RUSAGE_SELF, &usage);
      printf ("%-6s %8.3f %10.1f %9u\n", name, seconds, usage.ru_maxrss / 1024.0, n);
      fflush (stdout);
      _exit (0);
    }
  if (waitpid (pid, &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return 1;
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: jansson-load FILE\n"
                       "Times jansson loading an nftables JSON file whole (dom) and element by element (stream).\n");
      return 2;
    }
  printf ("# mode   seconds    peak_MB  elements\n");
  if (run_mode ("dom", load_dom, argv[1]) != 0 || run_mode ("stream", load_stream, argv[1]) != 0)
    return 1;
  return 0;
}
