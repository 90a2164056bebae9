"""Library: the movies NiluFlix has filed, and a scan that picks up folders added by hand."""

import html

import streamlit as st
from ui import units
from ui.components.feedback import gateway_errors
from ui.components.posters import catalog_poster, open_movie, poster_img
from ui.components.text import literal, title_with_year
from ui.connection import gateway

from niluflix.contracts.library import LibraryItem, SyncResult


def sync_report(result: SyncResult) -> str:
    def names(items: list[LibraryItem]) -> str:
        return literal(", ".join(title_with_year(item.title, item.year) for item in items))

    folders = f"{result.scanned} folder{'s' if result.scanned != 1 else ''}"
    if not result.added and not result.removed:
        return f"Scanned {folders}: nothing new."
    parts = []
    if result.added:
        parts.append(f"added {len(result.added)}: {names(result.added)}")
    if result.removed:
        parts.append(f"forgot {len(result.removed)} whose file is gone: {names(result.removed)}")
    return f"Scanned {folders} and " + "; ".join(parts)


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


st.set_page_config(page_title="Library · NiluFlix")
client = gateway()
header, action = st.columns([3, 1], vertical_alignment="bottom")
header.title("Library")
if action.button("Scan library folder", icon=":material/folder_open:", width="stretch"):
    with gateway_errors(stop=False), st.spinner("Scanning the library folder…"):
        st.success(sync_report(client.sync_library()), icon=":material/check_circle:")

with gateway_errors():
    items = client.library().items

if not items:
    st.info(
        "Your library is empty. Movies you download are filed here; folders you add by hand appear "
        "after a scan.",
        icon=":material/video_library:",
    )
    st.stop()

st.caption(f"{len(items)} movie{'s' if len(items) != 1 else ''} · {units.size(sum(i.size for i in items))}")
for item in sorted(items, key=lambda i: (i.title.casefold(), i.year or 0)):
    item_row(item)
