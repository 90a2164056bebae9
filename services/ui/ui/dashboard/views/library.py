"""Library: the movies and shows NiluFlix has filed, removing a movie or a show (and, for a followed show,
whether to stop following it too, or NiluFlix downloads its episodes again), and a scan that picks up
folders added by hand."""

import html

import streamlit as st
from ui import units
from ui.components.confirm import confirm_button
from ui.components.episodes import episode_list
from ui.components.feedback import flash, gateway_errors, show_flashes
from ui.components.posters import catalog_poster, open_movie, open_show, poster_img
from ui.components.text import literal, title_with_year
from ui.connection import gateway
from ui.errors import GatewayError
from ui.tv_models import LibraryShow

from niluflix.contracts.library import LibraryItem, SyncResult


def sync_report(result: SyncResult) -> str:
    def names(items: list[LibraryItem]) -> str:
        return literal(", ".join(title_with_year(item.title, item.year) for item in items))

    def more(shown: list[LibraryItem], count: int) -> str:
        return f" and {count - len(shown)} more" if count > len(shown) else ""

    folders = f"{result.scanned} folder{'s' if result.scanned != 1 else ''}"
    # (an older organizer sends no counts: its lists are whole)
    added = max(result.added_count, len(result.added))
    removed = max(result.removed_count, len(result.removed))
    if not added and not removed:
        return f"Scanned {folders}: nothing new."
    parts = []
    if added:
        parts.append(f"added {added}: {names(result.added)}{more(result.added, added)}")
    if removed:
        parts.append(
            f"forgot {removed} whose file is gone: {names(result.removed)}{more(result.removed, removed)}"
        )
    return f"Scanned {folders} and " + "; ".join(parts)


def delete_files_key(item: LibraryItem) -> str:
    return f"delete-files-{item.id}"


def remove(item: LibraryItem) -> None:
    delete_files = bool(st.session_state.get(delete_files_key(item)))
    name = title_with_year(item.title, item.year)
    try:
        gateway().remove_from_library(item.id, delete_files=delete_files)
    except GatewayError as exc:
        flash(exc.message, error=True)
    else:
        flash(
            f"Removed {name}" + (" and deleted its files" if delete_files else "; its files stay on the disk")
        )


def item_row(item: LibraryItem) -> None:
    with st.container(
        border=True, horizontal=True, key=f"item-{item.id}", gap="medium", vertical_alignment="center"
    ):
        with st.container(width=92):
            st.markdown(poster_img(catalog_poster(item.tmdb_id), item.title), unsafe_allow_html=True)
        with st.container():
            name = title_with_year(item.title, item.year)
            if item.tmdb_id is not None:
                if st.button(name, key=f"open-{item.id}", type="tertiary"):
                    open_movie(item.tmdb_id)
            else:
                st.markdown(f"**{literal(name)}**")
            st.caption(f"{units.size(item.size)} · added {item.added_at:%d %b %Y}")
            st.markdown(f'<div class="nf-path">{html.escape(item.path)}</div>', unsafe_allow_html=True)
        with st.container(width="content"):
            confirm_button(
                "Remove",
                key=f"remove-{item.id}",
                question=f"Remove {literal(title_with_year(item.title, item.year))} from your library?",
                on_confirm=remove,
                args=(item,),
                yes="Remove",
                no="Keep it",
                icon=":material/delete:",
                details=lambda: st.checkbox(
                    "Also delete its files from the disk", key=delete_files_key(item), help=item.folder
                ),
            )


def season_line(number: int, episodes: list[int]) -> str:
    name = f"Season {number}" if number else "Specials"
    count = f"{len(episodes)} episode{'s' if len(episodes) != 1 else ''}"
    return f"{name}: {count} ({episode_list(number, episodes)})"


def delete_show_files_key(tmdb_id: int) -> str:
    return f"delete-show-files-{tmdb_id}"


def unfollow_key(tmdb_id: int) -> str:
    return f"unfollow-show-{tmdb_id}"


def remove_show(show: LibraryShow, tmdb_id: int, followed: bool) -> None:
    delete_files = bool(st.session_state.get(delete_show_files_key(tmdb_id)))
    unfollow = followed and bool(st.session_state.get(unfollow_key(tmdb_id), True))
    name = title_with_year(show.title, show.year)
    client = gateway()
    try:
        if unfollow:
            # First: a show removed while still followed would have its episodes fetched again.
            client.unfollow(tmdb_id)
        client.remove_show_from_library(tmdb_id, delete_files=delete_files)
    except GatewayError as exc:
        flash(exc.message, error=True)
        return
    done = " and deleted its files" if delete_files else "; its files stay on the disk"
    if unfollow:
        done += "; no longer following it"
    elif followed:
        done += "; still following it: NiluFlix downloads its episodes again"
    flash(f"Removed {name}{done}")


def remove_show_choices(show: LibraryShow, tmdb_id: int, followed: bool) -> None:
    st.checkbox("Also delete its files from the disk", key=delete_show_files_key(tmdb_id), help=show.folder)
    if followed:
        st.checkbox(
            "Also stop following it",
            value=True,
            key=unfollow_key(tmdb_id),
            help="You follow this show: unless you stop, NiluFlix downloads its episodes again",
        )


def show_row(show: LibraryShow, index: int, removable: bool, followed: bool) -> None:
    """`removable`: whether to offer Remove, which takes every file of the show's TMDB id, in any folder;
    `followed`: whether NiluFlix follows it (Remove then asks whether to stop following it too)."""
    with st.container(
        border=True, horizontal=True, key=f"show-{index}", gap="medium", vertical_alignment="center"
    ):
        with st.container(width=92):
            st.markdown(poster_img(catalog_poster(show.tmdb_id, tv=True), show.title), unsafe_allow_html=True)
        with st.container():
            name = title_with_year(show.title, show.year)
            if show.tmdb_id is not None:
                if st.button(name, key=f"open-show-{index}", type="tertiary"):
                    open_show(show.tmdb_id)
            else:
                st.markdown(f"**{literal(name)}**")
            episodes = sum(len(e) for e in show.seasons.values())
            regular = [n for n in show.seasons if n > 0]
            st.caption(
                f"{len(regular)} season{'s' if len(regular) != 1 else ''} · {episodes} "
                f"episode{'s' if episodes != 1 else ''} · {units.size(show.size)}"
            )
            st.markdown("\n".join(f"- {season_line(n, e)}" for n, e in sorted(show.seasons.items())))
            st.markdown(f'<div class="nf-path">{html.escape(show.folder)}</div>', unsafe_allow_html=True)
        if show.tmdb_id is None or not removable:
            return
        tmdb_id = show.tmdb_id
        question = f"Remove {literal(title_with_year(show.title, show.year))} and all its episodes from your library?"
        if followed:
            question += (
                " You follow it: NiluFlix would download its episodes again unless you stop following it."
            )
        with st.container(width="content"):
            confirm_button(
                "Remove",
                key=f"remove-show-{tmdb_id}",
                question=question,
                on_confirm=remove_show,
                args=(show, tmdb_id, followed),
                yes="Remove",
                no="Keep it",
                icon=":material/delete:",
                details=lambda: remove_show_choices(show, tmdb_id, followed),
            )


def movies_tab(items: list[LibraryItem]) -> None:
    if not items:
        st.info(
            "No movies yet. Movies you download are filed here; folders you add by hand appear after a scan.",
            icon=":material/video_library:",
        )
        return
    total = units.size(sum(i.size for i in items))
    st.caption(f"{len(items)} movie{'s' if len(items) != 1 else ''} · {total}")
    for item in sorted(items, key=lambda i: (i.title.casefold(), i.year or 0)):
        item_row(item)


def followed_shows() -> set[int]:
    """The followed shows' TMDB ids; none when this gateway cannot follow shows or does not answer (Remove
    then asks nothing about following)."""
    try:
        found = client.followed()
    except GatewayError as exc:
        st.caption(f"Could not read which shows you follow: {literal(exc.message)}")
        return set()
    return {f.tmdb_id for f in found.follows} if found is not None else set()


def shows_tab() -> None:
    with gateway_errors(stop=False):
        shows = client.library_shows()
        if not shows:
            st.info(
                "No shows yet. Episodes you download are filed here, by show and season.",
                icon=":material/tv:",
            )
            return
        st.caption(
            f"{len(shows)} show{'s' if len(shows) != 1 else ''} · {units.size(sum(s.size for s in shows))}"
        )
        followed = followed_shows()
        offered: set[int] = set()
        for index, show in enumerate(shows):
            # The gateway removes a show by its TMDB id: one filed without it cannot be, and a show filed in
            # two folders is removed whole from its first row.
            show_row(
                show,
                index,
                removable=show.tmdb_id is not None and show.tmdb_id not in offered,
                followed=show.tmdb_id in followed,
            )
            if show.tmdb_id is not None:
                offered.add(show.tmdb_id)


st.set_page_config(page_title="Library · NiluFlix")
client = gateway()
show_flashes()
header, action = st.columns([3, 1], vertical_alignment="bottom")
header.title("Library")
if action.button("Scan library folder", icon=":material/folder_open:", width="stretch"):
    with gateway_errors(stop=False), st.spinner("Scanning the library folder…"):
        st.success(sync_report(client.sync_library()), icon=":material/check_circle:")

with gateway_errors():
    items = client.library().items

movies, shows = st.tabs(["Movies", "Shows"])
with movies:
    movies_tab(items)
with shows:
    shows_tab()
