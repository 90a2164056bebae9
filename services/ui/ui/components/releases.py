"""Interactive search on a movie's page and a show's (a season or an episode): every release found, what
NiluFlix thinks of each and why, and a Download button for the one the user prefers.

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


def results_key(tmdb_id: int, scope: str = "") -> str:
    return f"releases-{tmdb_id}{scope}"


def search_scope(season: int | None, episode: int | None) -> str:
    """What sets one search's widgets and results apart on a show's page: its season and episode; a movie's
    page has one search, whose keys stay as they were."""
    if season is None:
        return ""
    return f"-s{season}" if episode is None else f"-s{season}e{episode}"


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


def show_results(
    found: ReleaseList, on_download: Callable[[Release], None], *, what: str = "this movie", scope: str = ""
) -> None:
    for result in found.indexers:
        if not result.ok:
            st.caption(f"{literal(result.indexer)} did not answer: {literal(result.error or 'failed')}")
    every = [*found.releases, *found.rejected]
    if not every:
        st.info(f"No indexer has a release of {what}.", icon=":material/search_off:")
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
        "Release to download",
        range(len(every)),
        format_func=choice_label(found),
        key=f"release-choice{scope}",
    )
    release = every[chosen]
    if not release.rejections:
        st.button(
            "Download this release",
            key=f"download-release{scope}",
            icon=":material/download:",
            on_click=on_download,
            args=(release,),
        )
        return
    # NiluFlix judged this one wrong for the movie or the profile: the user overrules that knowingly.
    confirm_button(
        "Download this release",
        key=f"download-release{scope}",
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
    """A movie's: shown when the user turns "Choose the release yourself" on."""
    if not st.toggle("Choose the release yourself", key="choose-release"):
        return
    release_search(movie, on_download, profiles)


def release_search(
    title: TitleDetails,
    on_download: Callable[[Release], None],
    profiles: tuple[list[str], str] | None = None,
    *,
    season: int | None = None,
    episode: int | None = None,
) -> None:
    """The profile, Search releases, and the releases found: a movie's, or a show's season's (`season`) or
    episode's (and `episode`). `profiles`: the names and the default as the page already read them; None
    asks the gateway here, so a gateway that cannot list them says why."""
    scope = search_scope(season, episode)
    if season is None:
        what = "this movie"
    elif episode is None:
        what = "this season" if season else "the specials"
    else:
        what = "this episode"
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
            key=f"release-profile{scope}",
        )
        if right.button("Search releases", key=f"search-releases{scope}", icon=":material/search:"):
            with st.spinner("Asking the indexers…"):
                st.session_state[results_key(title.tmdb_id, scope)] = client.releases(
                    title.tmdb_id, profile, season=season, episode=episode
                )
    found: ReleaseList | None = st.session_state.get(results_key(title.tmdb_id, scope))
    if found is not None:
        show_results(found, on_download, what=what, scope=scope)
