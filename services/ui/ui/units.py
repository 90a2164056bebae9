"""Numbers as people read them: sizes, speeds, time left, percent."""

from datetime import timedelta

import humanize

NONE = "—"


def size(n_bytes: int | None) -> str:
    if n_bytes is None:
        return NONE
    # humanize spells small amounts out ("950 Bytes"); keep the unit short like the larger ones.
    return f"{n_bytes} B" if n_bytes < 1000 else humanize.naturalsize(n_bytes)


def speed(bytes_per_second: int | None) -> str:
    return f"{size(bytes_per_second or 0)}/s"


def eta(seconds: int | None) -> str:
    if seconds is None or seconds < 0:
        return NONE
    if seconds < 60:
        return f"{seconds} s"
    return humanize.naturaldelta(timedelta(seconds=seconds))


def percent(fraction: float) -> str:
    # One decimal so a slow download visibly moves; never "100.0%" before it really is done.
    value = max(0.0, min(1.0, fraction)) * 100
    return f"{value:.0f}%" if value in (0.0, 100.0) else f"{min(value, 99.9):.1f}%"
