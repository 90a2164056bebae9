"""Interactive search on a movie's page: every release found, what NiluFlix thinks of each and why, and a
Download button for the one the user prefers.

Searching asks every indexer, which takes seconds, so it runs only when asked for, never on page load.
"""

from collections import Counter
from collections.abc import Callable

import pandas as pd
import streamlit as st

from niluflix.contracts.catalog import TitleDetails
from niluflix.contracts.search import ParsedRelease, Rejection, RejectionCode, Release, ReleaseList
from ui import units
from ui.components.confirm import confirm_button
from ui.components.feedback import gateway_errors
from ui.components.text import literal
from ui.connection import gateway

COLUMNS = [
    "verdict",
    "name",
    "quality",
    "source",
    "codec",
    "language",
    "size",
    "seeders",
    "indexer",
    "score",
    "why",
]


# Each reason's kind in a few words, for the count of why releases were rejected.
REASON_KINDS = {
    RejectionCode.TITLE_MISMATCH: "another title",
    RejectionCode.WRONG_YEAR: "another year",
    RejectionCode.WRONG_SEASON: "another season",
    RejectionCode.WRONG_EPISODE: "another episode",
    RejectionCode.NO_SEEDERS: "no seeders",
    RejectionCode.TOO_FEW_SEEDERS: "too few seeders",
    RejectionCode.QUALITY_NOT_ALLOWED: "quality not in the profile",
    RejectionCode.REJECTED_SOURCE: "refused source",
    RejectionCode.TOO_SMALL: "too small",
    RejectionCode.TOO_BIG: "too big",
    RejectionCode.REJECTED_WORD: "refused word",
    RejectionCode.FOREIGN_LANGUAGE: "foreign language",
    RejectionCode.BLOCKLISTED: "blocklisted",
    RejectionCode.SAMPLE: "sample",
    RejectionCode.WRONG_ID: "another title by its id",
    RejectionCode.WRONG_KIND: "film/show mix-up",
    RejectionCode.FAKE: "fake",
}


def results_key(tmdb_id: int) -> str:
    return f"releases-{tmdb_id}"


def verdict(release: Release, best: bool) -> str:
    if release.rejections:
        return "Rejected"
    return "Best" if best else "Accepted"


def language(parsed: ParsedRelease | None) -> str:
    """What the name says is spoken, then its subtitles: `fr, en · subs nl`; blank for an untagged original."""
    if parsed is None:
        return ""
    spoken = ", ".join(parsed.languages)
    subtitles = f"subs {', '.join(parsed.subtitles)}" if parsed.subtitles else ""
    return " · ".join(part for part in (spoken, subtitles) if part)


def reasons(rejections: list[Rejection]) -> str:
    return "; ".join(r.message for r in rejections)


def rejection_summary(found: ReleaseList) -> str:
    """How many rejected releases each kind of reason struck, most first: `another title 12 · too small 3`.
    A release rejected for two reasons counts under both."""
    counts = Counter(code for release in found.rejected for code in {r.code for r in release.rejections})
    order = list(RejectionCode)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
    return " · ".join(f"{REASON_KINDS.get(code, code.value)} {count}" for code, count in ordered)


def release_rows(found: ReleaseList) -> pd.DataFrame:
    """One row per release, accepted best first, then the rejected with their reasons in words."""
    rows = []
    for index, release in enumerate([*found.releases, *found.rejected]):
        parsed = release.parsed
        rows.append(
            {
                "verdict": verdict(release, best=index == 0),
                "name": release.name,
                "quality": (parsed.resolution if parsed else None) or "",
                "source": (parsed.source if parsed else None) or "",
                "codec": (parsed.codec if parsed else None) or "",
                "language": language(parsed),
                # As people read sizes: 700.0 MB, not 0.70 GB.
                "size": units.size(release.size) if release.size else "",
                "seeders": release.seeders,
                "indexer": release.indexer,
                "score": release.score,
                "why": reasons(release.rejections),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def choice_label(found: ReleaseList) -> Callable[[int], str]:
    every = [*found.releases, *found.rejected]

    def label(index: int) -> str:
        release = every[index]
        note = f" (rejected: {reasons(release.rejections)})" if release.rejections else ""
        return f"{release.name}{note}"

    return label


def show_results(found: ReleaseList, on_download: Callable[[Release], None]) -> None:
    for result in found.indexers:
        if not result.ok:
            st.caption(f"{literal(result.indexer)} did not answer: {literal(result.error or 'failed')}")
    every = [*found.releases, *found.rejected]
    if not every:
        st.info("No indexer has a release of this movie.", icon=":material/search_off:")
        return
    judged_by = f" with profile {literal(found.profile)}" if found.profile else ""
    st.caption(
        f"{len(found.releases)} accepted, {len(found.rejected)} rejected{judged_by}. Click a heading to sort."
    )
    if found.rejected:
        st.caption(f"Rejected for: {literal(rejection_summary(found))}")
    st.dataframe(
        release_rows(found),
        hide_index=True,
        width="stretch",
        column_config={
            "verdict": st.column_config.TextColumn("Verdict"),
            "name": st.column_config.TextColumn("Release", width="large"),
            "quality": st.column_config.TextColumn("Quality"),
            "source": st.column_config.TextColumn("Source"),
            "codec": st.column_config.TextColumn("Codec"),
            "language": st.column_config.TextColumn(
                "Language", help="Spoken languages the name tags, then its subtitles; blank: the original"
            ),
            "size": st.column_config.TextColumn("Size"),
            "seeders": st.column_config.NumberColumn("Seeders"),
            "indexer": st.column_config.TextColumn("Indexer"),
            "score": st.column_config.NumberColumn("Score", format="%d"),
            "why": st.column_config.TextColumn("Why not", width="large"),
        },
    )
    chosen = st.selectbox(
        "Release to download", range(len(every)), format_func=choice_label(found), key="release-choice"
    )
    release = every[chosen]
    if not release.rejections:
        st.button(
            "Download this release",
            key="download-release",
            icon=":material/download:",
            on_click=on_download,
            args=(release,),
        )
        return
    # NiluFlix judged this one wrong for the movie or the profile: the user overrules that knowingly.
    confirm_button(
        "Download this release",
        key="download-release",
        question=f"NiluFlix rejected this release: {literal(reasons(release.rejections))}. Download it anyway?",
        on_confirm=on_download,
        args=(release,),
        yes="Download it anyway",
        no="Pick another",
        icon=":material/download:",
    )


def releases_section(
    movie: TitleDetails,
    on_download: Callable[[Release], None],
    profiles: tuple[list[str], str] | None = None,
) -> None:
    """`profiles`: the names and the default as the page already read them; None asks the gateway here,
    so a gateway that cannot list them says why."""
    if not st.toggle("Choose the release yourself", key="choose-release"):
        return
    client = gateway()
    with gateway_errors(stop=False):
        if profiles is None:
            listed = client.profiles()
            profiles = [p.name for p in listed.profiles], listed.default_profile
        names, default = profiles
        left, right = st.columns([2, 1], vertical_alignment="bottom")
        profile = left.selectbox(
            "Quality profile",
            names,
            index=names.index(default) if default in names else 0,
            key="release-profile",
        )
        if right.button("Search releases", key="search-releases", icon=":material/search:"):
            with st.spinner("Asking the indexers…"):
                st.session_state[results_key(movie.tmdb_id)] = client.releases(movie.tmdb_id, profile)
    found: ReleaseList | None = st.session_state.get(results_key(movie.tmdb_id))
    if found is not None:
        show_results(found, on_download)
