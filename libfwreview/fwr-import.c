/* fwr-import.c: format detection and dispatch to the per-format importers, and the import
 * error that carries a file, line and column. */
#include "fwr-import-private.h"

typedef struct {
  char *file;
  guint line;
  guint column;
} FwrImportErrorPrivate;

static void
fwr_import_error_private_init (FwrImportErrorPrivate *priv)
{
  priv->file = NULL;
  priv->line = 0;
  priv->column = 0;
}

static void
fwr_import_error_private_copy (const FwrImportErrorPrivate *src, FwrImportErrorPrivate *dest)
{
  dest->file = g_strdup (src->file);
  dest->line = src->line;
  dest->column = src->column;
}

static void
fwr_import_error_private_clear (FwrImportErrorPrivate *priv)
{
  g_clear_pointer (&priv->file, g_free);
}

G_DEFINE_EXTENDED_ERROR (FwrImportError, fwr_import_error)

void
_fwr_import_set_error (GError **error, FwrImportErrorCode code, const char *file,
                       guint line, guint column, const char *format, ...)
{
  if (error == NULL)
    return;

  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    g_set_error (error, FWR_IMPORT_ERROR, code, "%s:%u:%u: %s", file, line, column, text);
  else
    g_set_error (error, FWR_IMPORT_ERROR, code, "%s: %s", file, text);

  FwrImportErrorPrivate *priv = fwr_import_error_get_private (*error);
  priv->file = g_strdup (file);
  priv->line = line;
  priv->column = column;
}

gboolean
fwr_import_error_get_location (const GError *error, const char **file, guint *line, guint *column)
{
  g_return_val_if_fail (error != NULL, FALSE);
  if (error->domain != FWR_IMPORT_ERROR)
    return FALSE;
  FwrImportErrorPrivate *priv = fwr_import_error_get_private (error);
  if (priv == NULL || priv->file == NULL)
    return FALSE;
  if (file)
    *file = priv->file;
  if (line)
    *line = priv->line;
  if (column)
    *column = priv->column;
  return TRUE;
}

static const struct {
  FwrFormat format;
  const char *name;
} formats[] = {
  { FWR_FORMAT_NFTABLES_JSON, "nftables-json" },
  { FWR_FORMAT_CISCO_ASA, "cisco-asa" },
  { FWR_FORMAT_FORTIGATE, "fortigate" },
  { FWR_FORMAT_NFTABLES_LIVE, "nftables-live" },
  { FWR_FORMAT_NFTABLES_TEXT, "nftables-text" },
  { FWR_FORMAT_IPTABLES_SAVE, "iptables-save" },
  { FWR_FORMAT_IPTABLES_LIST, "iptables-list" },
};

const char *
fwr_format_to_string (FwrFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].name;
  return "unknown";
}

FwrFormat
fwr_format_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (formats[i].name, text) == 0)
      return formats[i].format;
  return FWR_FORMAT_UNKNOWN;
}

FwrFormat
fwr_format_detect (const char *data, gsize length)
{
  gsize i = 0;
  /* A UTF-8 byte order mark and white space say nothing about the format. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  if (i < length && data[i] == '{')
    {
      gsize window = MIN (length - i, 4096);
      if (g_strstr_len (data + i, window, "\"nftables\"") != NULL)
        return FWR_FORMAT_NFTABLES_JSON;
    }
  FwrFormat iptables = i < length ? _fwr_ipt_detect (data + i, length - i) : FWR_FORMAT_UNKNOWN;
  if (iptables != FWR_FORMAT_UNKNOWN)
    return iptables;
  if (_fwr_import_cisco_asa_detect (data + i, length - i))
    return FWR_FORMAT_CISCO_ASA;
  if (_fwr_import_fortigate_detect (data + i, length - i))
    return FWR_FORMAT_FORTIGATE;
  if (_fwr_nftables_text_detect (data + i, length - i))
    return FWR_FORMAT_NFTABLES_TEXT;
  return FWR_FORMAT_UNKNOWN;
}

FwrRuleset *
fwr_import_data (const char *name, const char *data, gsize length, FwrFormat format, GError **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_MALFORMED, name, 0, 0, "the file is empty");
      return NULL;
    }
  if (format == FWR_FORMAT_UNKNOWN)
    format = fwr_format_detect (data, length);

  switch (format)
    {
    case FWR_FORMAT_NFTABLES_JSON:
      return _fwr_import_nftables_json (name, data, length, error);
    case FWR_FORMAT_IPTABLES_SAVE:
      return _fwr_import_iptables_save (name, data, length, error);
    case FWR_FORMAT_IPTABLES_LIST:
      return _fwr_import_iptables_list (name, data, length, error);
    case FWR_FORMAT_CISCO_ASA:
      return _fwr_import_cisco_asa (name, data, length, error);
    case FWR_FORMAT_FORTIGATE:
      return _fwr_import_fortigate (name, data, length, error);
    case FWR_FORMAT_NFTABLES_LIVE:
      return _fwr_import_nftables_live (name, data, length, error);
    case FWR_FORMAT_NFTABLES_TEXT:
      return _fwr_import_nftables_text (name, data, length, error);
    case FWR_FORMAT_UNKNOWN:
    default:
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_UNKNOWN_FORMAT, name, 0, 0,
                             "not a format fwreview reads (expected nftables JSON from “nft -j list ruleset” or nft text, iptables-save or iptables -L -n -v)");
      return NULL;
    }
}

FwrRuleset *
fwr_import_file (const char *path, FwrFormat format, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_IO, path, 0, 0, "cannot read: %s",
                             local_error->message);
      return NULL;
    }
  const char *data = g_mapped_file_get_contents (mapped);
  gsize length = g_mapped_file_get_length (mapped);
  return fwr_import_data (path, data ? data : "", length, format, error);
}

gboolean
fwr_import_apply_hits (FwrRuleset *ruleset, const char *path, GError **error)
{
  g_return_val_if_fail (ruleset != NULL && path != NULL, FALSE);

  g_autoptr (GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_IO, path, 0, 0, "cannot read: %s", local_error->message);
      return FALSE;
    }

  FwrFormat format = fwr_format_from_string (ruleset->format);
  switch (format)
    {
    case FWR_FORMAT_CISCO_ASA:
      return _fwr_import_cisco_asa_apply_hits (ruleset, path, data, length, error);
    case FWR_FORMAT_FORTIGATE:
      return _fwr_import_fortigate_apply_hits (ruleset, path, data, length, error);
    default:
      _fwr_import_set_error (error, FWR_IMPORT_ERROR_UNSUPPORTED, path, 0, 0,
                             "hit counts cannot be read for %s rulesets (they carry their own counters)",
                             ruleset->format);
      return FALSE;
    }
}
