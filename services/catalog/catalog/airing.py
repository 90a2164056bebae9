"""When an episode counts as out, from the air date TMDB gives (TMDB v3 has no air time).

The rule: an episode is out at 12:00 UTC on the day after its air date. By then its air date has
ended in every time zone (UTC-12 is the last to finish a day), so it has been broadcast wherever its
network is, whatever the hour: a US prime-time episode (01:00-05:00 UTC the next day) has had seven
hours or more for its web release, a Japanese late-night anime nearly a day. Asking indexers before
that finds nothing; asking a little late costs only a few hours.
"""

from datetime import UTC, date, datetime, time, timedelta

OUT_AT = time(12, 0, tzinfo=UTC)


def airs_at(air_date: date | None) -> datetime | None:
    """The moment an episode aired on `air_date` counts as out (see the module's rule); None when TBA."""
    if air_date is None:
        return None
    return datetime.combine(air_date + timedelta(days=1), OUT_AT)
