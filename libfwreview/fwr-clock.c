/* fwr-clock.c: the current time for every record libfwreview writes, settable through
 * FWR_NOW so that retention and review due dates can be tested years ahead. */
#include "fwr-clock-private.h"
#include "fwreview.h"

GDateTime *
_fwr_time_parse (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;

  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *time = g_date_time_new_from_iso8601 (text, utc);
  if (time != NULL)
    return time;

  /* A bare date means the start of that day, UTC. */
  g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);
  return g_date_time_new_from_iso8601 (midnight, utc);
}

GDateTime *
_fwr_now (void)
{
  const char *fixed = g_getenv ("FWR_NOW");
  if (fixed != NULL && *fixed != '\0')
    {
      GDateTime *time = _fwr_time_parse (fixed);
      if (time != NULL)
        {
          GDateTime *utc = g_date_time_to_utc (time);
          g_date_time_unref (time);
          return utc;
        }
      g_warning ("FWR_NOW=“%s” is not an ISO 8601 time; using the system clock", fixed);
    }
  return g_date_time_new_now_utc ();
}

char *
_fwr_time_format (GDateTime *time)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
_fwr_now_iso (void)
{
  g_autoptr (GDateTime) now = _fwr_now ();
  return _fwr_time_format (now);
}

GDateTime *
fwr_time_parse (const char *text)
{
  return _fwr_time_parse (text);
}

char *
fwr_time_format (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, NULL);
  return _fwr_time_format (time);
}
