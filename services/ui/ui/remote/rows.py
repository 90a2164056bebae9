"""How the remote pages draw a title, a download and a command: one compact row each, for a phone's width."""

import html
import re
from datetime import UTC, datetime
from typing import Any

import humanize
import streamlit as st

from ui.components.feedback import flash
from ui.components.posters import placeholder_poster
from ui.remote import connection
from ui.remote.errors import RemoteError
from ui.remote.store import Action, Command, Home, LibraryRow, MediaKind
from ui.settings import UiSettings

STATUS_WORDS = {
    "wanted": "Wanted",
    "queued": "Queued",
    "downloading": "Downloading",
    "paused": "Paused",
    "completed": "In library",
    "failed": "Failed",
}
_POSTER_PATH = re.compile(r"/[A-Za-z0-9_.-]+")


def poster_url(poster_path: str | None, title: str) -> str:
    """TMDB's image of a `poster_path` ("/abc.jpg"), or the placeholder for anything else."""
    if poster_path and _POSTER_PATH.fullmatch(poster_path):
        return UiSettings().tmdb_image_url + poster_path
    return placeholder_poster(title)


def title_row(
    title: str,
    year: int | None,
    media_type: str,
    poster_path: str | None,
    state: str = "",
    state_kind: str = "",
) -> None:
    kind = "Show" if media_type == "tv" else "Movie"
    facts = " · ".join(p for p in (str(year) if year else "", kind) if p)
    badge = (
        f'<div class="nf-rstate nf-rstate-{html.escape(state_kind, quote=True)}">{html.escape(state)}</div>'
        if state
        else ""
    )
    st.markdown(
        f'<div class="nf-rrow"><img class="nf-rposter" alt="" '
        f'src="{html.escape(poster_url(poster_path, title), quote=True)}">'
        f'<div class="nf-rtext"><div class="nf-rtitle">{html.escape(title)}</div>'
        f'<div class="nf-muted">{html.escape(facts)}</div>{badge}</div></div>',
        unsafe_allow_html=True,
    )


def percent(value: float | None) -> str:
    return f"{value:.0f}%" if value is not None else ""


def library_row(row: LibraryRow) -> None:
    words = STATUS_WORDS.get(row.download_status, "")
    if row.download_status in ("downloading", "paused") and row.progress is not None:
        words = f"{words} · {percent(row.progress)}"
    if row.media_type == "tv" and row.detail.episodes_in_library:
        episodes = row.detail.episodes_in_library
        words = " · ".join(w for w in (words, f"{episodes} episode{'s' * (episodes != 1)} in library") if w)
    title_row(row.title, row.year, row.media_type, row.poster_path, words, row.download_status)
    if row.download_status in ("downloading", "paused") and row.progress is not None:
        st.progress(min(max(row.progress / 100, 0.0), 1.0))


def queue(
    action: Action,
    *,
    media_type: MediaKind | None = None,
    tmdb_id: int | None = None,
    payload: dict[str, Any] | None = None,
    what: str = "",
) -> None:
    """Insert a command for the chosen home (a button's callback); the outcome is a toast on the next run."""
    home = connection.home()
    try:
        connection.store().queue(
            home.desktop_app_id, action, media_type=media_type, tmdb_id=tmdb_id, payload=payload
        )
    except RemoteError as exc:
        flash(exc.message, error=True)
        return
    if home.online():
        flash(f"{what}: sent to {home.name}.")
    else:
        flash(f"{what}: queued. {home.name} is offline; it will do it when it comes online.")


def describe(command: Command, titles: dict[tuple[str, int], str]) -> str:
    payload = command.payload
    title = payload.get("title") or titles.get((command.media_type or "", command.tmdb_id or 0))
    title = title or (f"TMDB {command.tmdb_id}" if command.tmdb_id else "a download")
    if command.action == "download":
        year = payload.get("year")
        text = f"Download {title}" + (f" ({year})" if year else "")
        seasons = payload.get("seasons")
        if isinstance(seasons, list) and seasons:
            text += ", season " + ", ".join(str(s) for s in seasons)
        elif command.media_type == "tv":
            text += ", whole show"
        return text
    return f"{command.action.capitalize()} {title}"


def outcome(command: Command, home: Home) -> tuple[str, str]:
    """What became of a command, in words, and its kind (pending, processing, completed, failed)."""
    if command.status == "pending":
        if not home.online():
            return "Waiting for your home to come online", "pending"
        return "Sent: waiting for your home to take it", "pending"
    if command.status == "processing":
        return "Your home is on it", "processing"
    if command.status == "completed":
        return command.result_message or "Done", "completed"
    return command.error_message or command.result_message or "Failed", "failed"


def command_row(command: Command, home: Home, titles: dict[tuple[str, int], str]) -> None:
    words, kind = outcome(command, home)
    when = humanize.naturaltime(datetime.now(UTC) - command.created_at)
    with st.container(key=f"command-{command.id}"):
        st.markdown(
            f'<div class="nf-rcommand"><div class="nf-rtitle">{html.escape(describe(command, titles))}</div>'
            f'<div class="nf-rstate nf-rstate-{kind}">{html.escape(words)}</div>'
            f'<div class="nf-muted">{html.escape(when)}</div></div>',
            unsafe_allow_html=True,
        )
