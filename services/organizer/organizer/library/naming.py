"""Library names: `Title (Year)` and `Title (Year) - S01E02 - Episode`, safe as a folder and file name on Linux, macOS and Windows alike.

The library is often shared over SMB or copied to a Windows or macOS machine, so names follow the
strictest rules of the three (pathvalidate's "universal" platform), with Radarr's readable replacements
first: `Mission: Impossible` becomes `Mission - Impossible`, not `Mission Impossible`.
"""

import re
from collections.abc import Sequence
from datetime import date

from pathvalidate import sanitize_filename

# Bytes, not characters: ext4 and most filesystems cap a name at 255 bytes, and the extension and a
# temporary suffix must still fit after it.
MAX_NAME_BYTES = 200

_COLON_SPACE = re.compile(r"\s*:\s+")
_DROPPED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")
_FOLDER = re.compile(r"^(?P<title>.+?)\s+\((?P<year>\d{4})\)(?:\s+\{tmdb-(?P<tmdb_id>\d+)\})?$")


def clean_name(text: str) -> str:
    """A single path component: `: ` becomes ` - `, forbidden characters go, no reserved names."""
    # pathvalidate adds what _readable leaves: reserved device names (CON, NUL, COM1...) and trailing
    # dots and spaces, which Windows silently strips.
    return sanitize_filename(_readable(text), platform="universal", max_len=MAX_NAME_BYTES + 10).strip()


def _readable(text: str) -> str:
    text = _COLON_SPACE.sub(" - ", text)
    text = _SPACES.sub(" ", text)
    text = _DROPPED.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    # A leading dot hides the folder on Linux and macOS; "." and ".." would not be names at all.
    text = text.lstrip(". ")
    return _truncate(text, MAX_NAME_BYTES)


def _truncate(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(errors="ignore").rstrip(" .")


def movie_name(title: str, year: int | None, *, tmdb_id: int | None = None) -> str:
    """`Title (Year)`, or `Title` alone without a year; the title is shortened so the whole fits."""
    suffix = f" ({year})" if year else ""
    title = _readable(title)
    if not title:
        title = f"TMDB {tmdb_id}" if tmdb_id else "Unknown"
    title = _truncate(title, MAX_NAME_BYTES - len(suffix.encode()))
    return clean_name(title + suffix)


def disambiguated(folder_name: str, tmdb_id: int) -> str:
    """The folder of a second movie with the same title and year (Radarr's `{tmdb-id}` folder token)."""
    return f"{folder_name} {{tmdb-{tmdb_id}}}"


def parse_folder(name: str) -> tuple[str, int | None, int | None]:
    """Title, year and TMDB id (if tagged) from a library folder name such as `Sintel (2010)`."""
    match = _FOLDER.match(name)
    if not match:
        return name.strip(), None, None
    tmdb_id = match["tmdb_id"]
    return match["title"].strip(), int(match["year"]), int(tmdb_id) if tmdb_id else None


def season_folder(season: int) -> str:
    """`Season 01`; specials are `Season 00`, where Plex, Jellyfin and Kodi all look for them."""
    return f"Season {season:02d}"


def episode_token(season: int, episodes: Sequence[int]) -> str:
    """`S01E02`; a file of several episodes `S01E01-E02` (a run) or `S01E01E03` (a gap)."""
    first, last = episodes[0], episodes[-1]
    if len(episodes) == 1:
        return f"S{season:02d}E{first:02d}"
    if list(episodes) == list(range(first, last + 1)):
        return f"S{season:02d}E{first:02d}-E{last:02d}"
    return f"S{season:02d}" + "".join(f"E{e:02d}" for e in episodes)


def episode_name(
    show: str,
    *,
    season: int,
    episodes: Sequence[int] = (),
    air_date: date | None = None,
    titles: Sequence[str] = (),
) -> str:
    """`Show (Year) - S01E02 - Title`, or `Show (Year) - 2024-03-15 - Title` for a file named by its date.

    `show` is the show's folder name (already clean). The episode's title is shortened first, then the
    show's name, so the episode token always survives; a title that is not known is left out.
    """
    token = air_date.isoformat() if air_date and not episodes else episode_token(season, episodes)
    head = f" - {token}"
    title = _readable(" + ".join(dict.fromkeys(t for t in titles if t.strip())))
    show = _truncate(show, MAX_NAME_BYTES - len(head.encode()) - 3)
    room = MAX_NAME_BYTES - len((show + head).encode()) - 3
    title = _truncate(title, room) if room > 0 else ""
    return clean_name(f"{show}{head} - {title}" if title else f"{show}{head}")
