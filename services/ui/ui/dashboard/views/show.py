"""One show: what it is, its seasons with each episode's state, the Download buttons (an episode, a season,
everything missing), a release chosen by hand for a season or an episode, following it, and the quality
profile all of these download by."""

from datetime import UTC, datetime
from uuid import UUID

import streamlit as st
from ui.components.episodes import STATE_BADGES, air_date_text, skipped_lines, started_text
from ui.components.feedback import flash, gateway_errors, show_flashes
from ui.components.jobs import progress_bar, state_message
from ui.components.no_indexer import add_indexer_notice, nothing_to_search
from ui.components.posters import hero
from ui.components.profile_picker import Profiles, profile_choices, profile_picker
from ui.components.releases import release_search
from ui.components.text import literal
from ui.connection import gateway
from ui.errors import GatewayError
from ui.tv_models import EpisodeState, EpisodeView, FollowState, episode_code

from niluflix.contracts.catalog import EpisodeDetails, TitleDetails
from niluflix.contracts.downloads import Job, JobState
from niluflix.contracts.search import Release

FOLLOW_MODES = {
    "all": "Every episode, the aired ones too",
    "future": "New episodes only",
    "seasons": "Some seasons",
}


def result_key(tmdb_id: int) -> str:
    return f"show-result-{tmdb_id}"


def download_show(show: TitleDetails, seasons: list[int], what: str, profile: str | None) -> None:
    try:
        result = gateway().download_show(show.tmdb_id, seasons=seasons, profile=profile)
    except GatewayError as exc:
        flash(exc.message, error=True)
    else:
        st.session_state[result_key(show.tmdb_id)] = (what, result)


def download_episode(episode: EpisodeView, profile: str | None) -> None:
    code = episode_code(episode.season, episode.episode)
    try:
        gateway().download_episode(episode.episode_id, profile=profile)
    except GatewayError as exc:
        flash(f"{code}: {exc.message}" if not exc.message.startswith(code) else exc.message, error=True)
    else:
        flash(f"{code} {episode.name}: looking for a release")


def download_release(
    show: TitleDetails, season: int, episode: int | None, release: Release, what: str, profile: str | None
) -> None:
    """The release the user picked, for the season or one of its episodes."""
    try:
        result = gateway().download_show(
            show.tmdb_id,
            seasons=[season] if episode is None else [],
            episodes=[(season, episode)] if episode is not None else [],
            profile=profile,
            release=release,
        )
    except GatewayError as exc:
        flash(exc.message, error=True)
    else:
        st.session_state[result_key(show.tmdb_id)] = (f"{what}: {release.name}", result)


def choose_release(
    show: TitleDetails, season: int, season_name: str, profiles: Profiles | None, profile: str | None
) -> None:
    """Interactive search, as on a movie's page: the releases of the season or of one of its episodes."""
    if not st.toggle(
        "Choose the release yourself",
        key=f"choose-release-{show.tmdb_id}-{season}",
        help="List what the indexers have for this season or one of its episodes, and download the one you pick",
    ):
        return
    try:
        found = gateway().season(show.tmdb_id, season)
    except GatewayError as exc:
        st.caption(f"Could not read the season's episodes: {literal(exc.message)}")
        return
    titles = {e.episode: f"{episode_code(season, e.episode)} {e.name}".strip() for e in found.episodes}
    target = st.selectbox(
        "Releases of",
        [None, *titles],
        format_func=lambda n: season_name if n is None else titles[n],
        key=f"release-for-{show.tmdb_id}-{season}",
    )
    what = season_name if target is None else episode_code(season, target)
    release_search(
        show,
        lambda release: download_release(show, season, target, release, what, profile),
        profiles,
        season=season,
        episode=target,
    )


def last_result(show: TitleDetails) -> None:
    """What the last Download season / Download missing started, and what it left out and why."""
    kept = st.session_state.get(result_key(show.tmdb_id))
    if kept is None:
        return
    what, result = kept
    if result.jobs:
        st.success(f"{what}: {literal(started_text(result))}", icon=":material/download:")
    else:
        st.info(f"{what}: nothing to download.", icon=":material/info:")
    if result.skipped:
        count = len(result.skipped)
        lines = "\n".join(f"- {line}" for line in skipped_lines(result.skipped))
        st.markdown(f"Skipped {count} episode{'s' if count != 1 else ''}:\n{lines}")


def year_span(show: TitleDetails) -> str:
    if not show.year:
        return ""
    if show.status in ("Ended", "Canceled") and show.last_air_date and show.last_air_date.year != show.year:
        return f"{show.year}–{show.last_air_date.year}"
    return f"{show.year}–" if show.status == "Returning Series" else str(show.year)


def upcoming(episode: EpisodeDetails | None, label: str) -> None:
    if episode is None:
        return
    when = f" · {episode.air_date:%d %b %Y}" if episode.air_date else ""
    st.markdown(
        f":gray[{label}] &nbsp; {episode_code(episode.season, episode.episode)} {literal(episode.name)}{when}"
    )


def read_follow(show: TitleDetails) -> FollowState | str | None:
    """Whether the show is followed; None when the gateway cannot follow shows, the reason when it failed."""
    try:
        return gateway().follow_state(show.tmdb_id)
    except GatewayError as exc:
        return exc.message


def follow_section(
    show: TitleDetails, current: FollowState | str | None, profile: str | None, profiles: Profiles | None
) -> None:
    """`profile`: the one the page's picker asks for (None: the default), which the follow takes too."""
    client = gateway()
    if isinstance(current, str):
        st.caption(f"Could not read whether you follow this show: {literal(current)}")
        return
    if current is None:
        st.caption("Following shows is not available on this NiluFlix gateway yet.")
        return
    on = st.toggle(
        "Follow this show",
        value=current.following,
        key=f"follow-{show.tmdb_id}",
        help="NiluFlix then downloads its episodes by itself as they air",
    )
    if not on:
        if current.following:
            with gateway_errors(stop=False):
                client.unfollow(show.tmdb_id)
                st.toast(f"No longer following {show.title}", icon=":material/check_circle:")
        return
    modes = list(FOLLOW_MODES)
    mode = st.radio(
        "Which episodes",
        modes,
        index=modes.index(current.mode) if current.mode in modes else 0,
        format_func=FOLLOW_MODES.__getitem__,
        key=f"follow-mode-{show.tmdb_id}",
    )
    seasons: list[int] = []
    if mode == "seasons":
        numbers = [s.season for s in show.seasons]
        seasons = st.multiselect(
            "Seasons to follow",
            numbers,
            default=[n for n in current.seasons if n in numbers],
            format_func=lambda n: f"Season {n}" if n else "Specials",
            key=f"follow-seasons-{show.tmdb_id}",
        )
        if not seasons:
            st.caption("Pick the seasons NiluFlix should fetch.")
            return
    default = profiles[1] if profiles is not None else None
    if profiles is None:
        # No picker to choose with: the follow keeps the profile it has.
        profile = current.profile
    name = profile or default
    st.caption(
        f"Its episodes download by the quality profile {literal(name)}"
        if name
        else "Its episodes download by the default quality profile"
    )
    # A follow naming the default profile outright asks for the same downloads as one naming none.
    unchanged = (
        current.following
        and (current.mode, current.seasons) == (mode, seasons)
        and (current.profile or default) == (profile or default)
    )
    if not unchanged:
        with gateway_errors(stop=False):
            client.follow(show.tmdb_id, mode, seasons, profile)
            by = f" ({profile})" if profile else ""
            st.toast(
                f"Following {show.title}: {FOLLOW_MODES[mode].lower()}{by}", icon=":material/check_circle:"
            )


def episode_state(episode: EpisodeView, jobs: dict[UUID, Job]) -> None:
    st.markdown(STATE_BADGES[episode.state])
    job: Job | None = jobs.get(episode.job_id) if episode.job_id else None
    if job is None:
        if episode.state is EpisodeState.WANTED:
            st.caption("NiluFlix looks for it by itself")
        return
    if job.state is JobState.QUEUED:
        st.caption(state_message(job))
    elif job.state in (JobState.DOWNLOADING, JobState.PAUSED):
        progress_bar(job)


@st.fragment(run_every=2)
def season_episodes(show: TitleDetails, season: int, no_indexer: bool, profile: str | None) -> None:
    client = gateway()
    show_flashes()
    with gateway_errors():
        found = client.season(show.tmdb_id, season)
        jobs = (
            {job.id: job for job in client.active_downloads().jobs}
            if any(e.job_id for e in found.episodes)
            else {}
        )
    if not found.episodes:
        st.caption("TMDB lists no episodes of this season yet.")
        return
    today = datetime.now(UTC).date()
    for episode in found.episodes:
        with st.container(key=f"episode-{season}-{episode.episode}"):
            number, about, where, action = st.columns([0.6, 5, 2.4, 1.4], vertical_alignment="center")
            number.markdown(
                f'<span class="nf-episode-number">{episode_code(episode.season, episode.episode)}</span>',
                unsafe_allow_html=True,
            )
            with about:
                st.markdown(f"**{literal(episode.name or 'Episode ' + str(episode.episode))}**")
                st.caption(air_date_text(episode.air_date, today))
            with where:
                episode_state(episode, jobs)
            if episode.state in (EpisodeState.MISSING, EpisodeState.WANTED) and not no_indexer:
                action.button(
                    "Download",
                    key=f"get-{season}-{episode.episode}",
                    icon=":material/download:",
                    on_click=download_episode,
                    args=(episode, profile),
                )


client = gateway()
raw_id = st.query_params.get("id", "")
if not raw_id.isdigit():
    st.info("Pick a show on the Home page to see it here.", icon=":material/tv:")
    st.page_link("views/home.py", label="Browse shows", icon=":material/home:")
    st.stop()

with gateway_errors():
    show = client.show(int(raw_id))
st.set_page_config(page_title=f"{show.title} · NiluFlix")
show_flashes()

regular = [s for s in show.seasons if s.season > 0]
count = f"{len(regular)} season{'s' if len(regular) != 1 else ''}" if regular else ""
hero(show, facts=[year_span(show), show.status or "", ", ".join(show.networks), count], genres=show.genres)
no_indexer = nothing_to_search(client)
profiles = profile_choices()
following = read_follow(show)

actions, about = st.columns([2, 1], gap="large")
with actions:
    profile, place = None, st
    if profiles is not None:
        picker, place = st.columns([1, 1], vertical_alignment="bottom")
        with picker:
            profile = profile_picker(
                profiles,
                key=f"show-profile-{show.tmdb_id}",
                start=following.profile if isinstance(following, FollowState) else None,
                help="For the downloads started here and, when you follow the show, the episodes NiluFlix "
                "fetches by itself",
            )
    if no_indexer:
        add_indexer_notice()
    else:
        place.button(
            "Download missing",
            key="download-missing",
            type="primary",
            icon=":material/download:",
            help="Every aired episode that is not in your library yet (specials aside)",
            on_click=download_show,
            args=(show, [], "Download missing", profile),
        )
    last_result(show)
with about:
    follow_section(show, following, profile, profiles)
    upcoming(show.next_episode, "Next episode")
    upcoming(show.last_episode, "Last aired")

if not show.seasons:
    st.info("TMDB lists no seasons of this show yet.", icon=":material/tv:")
    st.stop()

names = {s.season: s.name or (f"Season {s.season}" if s.season else "Specials") for s in show.seasons}
first = regular[0].season if regular else show.seasons[0].season
heading, download_season_place = st.columns([4, 1], vertical_alignment="bottom")
with heading:
    picked = st.segmented_control(
        "Season", list(names), default=first, format_func=names.__getitem__, key=f"season-{show.tmdb_id}"
    )
season = picked if picked is not None else first
summary = next(s for s in show.seasons if s.season == season)
if not no_indexer:
    download_season_place.button(
        f"Download {names[season]}",
        key="download-season",
        icon=":material/playlist_add:",
        help="Its aired episodes that are not in your library yet",
        on_click=download_show,
        args=(show, [season], f"Download {names[season]}", profile),
        width="stretch",
    )
if summary.overview:
    st.caption(literal(summary.overview))
if not no_indexer:
    choose_release(show, season, names[season], profiles, profile)
season_episodes(show, season, no_indexer, profile)
