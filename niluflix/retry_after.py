"""How long a server asked to be left alone: the `Retry-After` header of a 429 or 503 (TMDB, indexers)."""

import email.utils
from datetime import UTC, datetime


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from `now` the header asks to wait, as delta-seconds or an HTTP date (RFC 9110 §10.2.3); None
    when it says nothing readable, so each caller picks its own default."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
