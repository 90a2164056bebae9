"""A show's page as Streamlit runs it: its seasons, each episode's state, and the Download buttons, against the
gateway stand-in that speaks the gateway's TV routes."""

import json
import re
from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Node

from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import JobState
from niluflix.contracts.search import Release, ReleaseList

from .test_pages import open_page, rendered, shown

HARBOR = 60002  # Harbor Lights: season 1 aired; season 2 has three aired, one airing in 3 days, one undated


def in_days(days: int) -> str:
    return f"{datetime.now(UTC).date() + timedelta(days=days):%d %b %Y}"


def block(at: AppTest, key: str) -> Block:
    """The container drawn with `key`."""
    found = [b for b in blocks(at.main) if str(getattr(b.proto, "id", "")).endswith(f"-{key}")]
    assert found, f"nothing drawn with key {key}"
    return found[0]


def blocks(node: Block) -> list[Block]:
    inner = [b for child in node.children.values() if isinstance(child, Block) for b in blocks(child)]
    return [node, *inner]


def text_in(node: Block | Node) -> str:
    """What a user reads inside a container: its text, its buttons' labels, its progress bars' text."""
    if isinstance(node, Block):
        return "\n".join(t for child in node.children.values() if (t := text_in(child)))
    if node.type in ("markdown", "caption", "alert", "info", "success", "warning", "error"):
        return re.sub(r"<[^>]+>", "", rendered(node.value))
    if node.type == "button":
        return node.label
    if node.type == "progress":
        return node.proto.text
    return ""


def episode(at: AppTest, season: int, number: int) -> str:
    return text_in(block(at, f"episode-{season}-{number}"))


def test_the_show_page_shows_what_the_show_is_and_each_episode_state(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 1, [1, 2], 1_400_000_000)
    state.add_job(
        HARBOR,
        JobState.DOWNLOADING,
        media_type=MediaType.TV,
        season=1,
        episodes=[3],
        progress=0.4,
        size=1_000_000_000,
        downloaded=400_000_000,
    )

    at = open_page(dashboard, "show", id=str(HARBOR))

    assert not at.exception
    text = shown(at)
    assert "Harbor Lights" in text and "Returning Series" in text and "Northwind, Tidal+" in text
    assert "2024–" in text and "2 seasons" in text
    assert "A lighthouse keeper" in text
    assert at.segmented_control(key=f"season-{HARBOR}").value == 1
    assert episode(at, 1, 1).split("\n")[:3] == ["S01E01", "**Pilot**", f"aired {in_days(-700)}"]
    assert "In library" in episode(at, 1, 1) and "In library" in episode(at, 1, 2)
    assert "Downloading" in episode(at, 1, 3) and "40.0% · 400.0 MB of 1.0 GB" in episode(at, 1, 3)
    assert "Missing" in episode(at, 1, 4) and "Download" in episode(at, 1, 4)
    # Only the missing episode has a Download button of its own.
    assert [b.key for b in at.button if b.key and b.key.startswith("get-")] == ["get-1-4"]

    at.segmented_control(key=f"season-{HARBOR}").set_value(2).run()

    assert "Not aired yet" in episode(at, 2, 4) and f"airs {in_days(3)}" in episode(at, 2, 4)
    assert "Not aired yet" in episode(at, 2, 5) and "no air date yet" in episode(at, 2, 5)
    assert "Missing" in episode(at, 2, 3) and f"aired {in_days(-6)}" in episode(at, 2, 3)
    assert [b.key for b in at.button if b.key and b.key.startswith("get-")] == [
        "get-2-1",
        "get-2-2",
        "get-2-3",
    ]
    assert state.calls_to("GET", f"/api/tv/{HARBOR}/season/2")


def test_download_season_starts_the_aired_missing_episodes_and_says_what_it_skipped(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 2, [1], 1_000_000_000)
    at = open_page(dashboard, "show", id=str(HARBOR))
    at.segmented_control(key=f"season-{HARBOR}").set_value(2).run()
    assert "Missing" in episode(at, 2, 2)

    at.button(key="download-season").click().run()

    assert not at.exception
    [body] = state.calls_to("POST", f"/api/tv/{HARBOR}/download")
    assert json.loads(body) == {"seasons": [2], "episodes": [], "missing_only": True, "priority": 0}
    [job] = state.jobs.values()
    assert (job.media_type, job.season, job.episodes) == (MediaType.TV, 2, [2, 3])
    text = shown(at)
    assert "Download Season 2: Downloading 2 episodes: S02E02–E03" in text
    airs = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    assert "Skipped 3 episodes:" in text
    assert "- in the library: S02E01" in text
    assert f"- not aired yet (airs {airs}): S02E04" in text
    assert "- not aired yet (no air date): S02E05" in text
    # The episodes' states follow at once: the page asked for the season again.
    assert "Downloading" in episode(at, 2, 2) and "Downloading" in episode(at, 2, 3)
    assert "Queued: NiluFlix is looking for the best release" in episode(at, 2, 3)
    assert "In library" in episode(at, 2, 1)
    assert [b.key for b in at.button if b.key and b.key.startswith("get-")] == []


def test_download_missing_asks_for_the_whole_show(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 1, [1, 2, 3, 4], 4_000_000_000)
    at = open_page(dashboard, "show", id=str(HARBOR))

    at.button(key="download-missing").click().run()

    [body] = state.calls_to("POST", f"/api/tv/{HARBOR}/download")
    assert json.loads(body)["seasons"] == [] and json.loads(body)["missing_only"] is True
    assert sorted((j.season, tuple(j.episodes)) for j in state.jobs.values()) == [(2, (1, 2, 3))]
    text = shown(at)
    assert "Download missing: Downloading 3 episodes: S02E01–E03" in text
    assert "- in the library: S01E01–E04" in text


def test_nothing_left_to_download_says_so(dashboard: AppTest, gateway_server) -> None:
    gateway_server.state.add_episode_file(60003, 1, [1, 2, 3], 3_000_000_000)
    at = open_page(dashboard, "show", id="60003")

    at.button(key="download-season").click().run()

    text = shown(at)
    assert "Download Season 1: nothing to download." in text
    assert "- in the library: S01E01–E03" in text
    assert not gateway_server.state.jobs


def test_an_episode_download_button_and_the_gateway_refusing_one(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    at = open_page(dashboard, "show", id=str(HARBOR))

    at.button(key="get-1-4").click().run()

    assert state.calls_to("POST", f"/api/episodes/{HARBOR * 1000 + 104}/download") == [None]
    [job] = state.jobs.values()
    assert (job.season, job.episodes) == (1, [4])
    assert [t.proto.body for t in at.toast] == ["S01E04 Low Tide: looking for a release"]
    assert "Downloading" in episode(at, 1, 4)

    # Filed by another browser since this page was drawn: the gateway refuses, the page says why.
    state.add_episode_file(HARBOR, 1, [3], 1_000_000_000)
    at.button(key="get-1-3").click().run()
    assert [t.proto.body for t in at.toast] == ["S01E03: in the library"]
    assert "In library" in episode(at, 1, 3)
    assert len(state.jobs) == 1


def test_a_release_chosen_by_hand_for_a_season_and_for_an_episode(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    magnet = "magnet:?xt=urn:btih:" + "c" * 40
    state.releases = ReleaseList(
        releases=[
            Release(
                name="Harbor.Lights.S02E02.1080p.WEB.x264-GRP", indexer="Demo", seeders=50, magnet_uri=magnet
            ),
            Release(name="Harbor.Lights.S02.720p.WEB.x264-GRP", indexer="Demo", seeders=9, magnet_uri=magnet),
        ]
    )
    at = open_page(dashboard, "show", id=str(HARBOR))
    at.segmented_control(key=f"season-{HARBOR}").set_value(2).run()
    assert state.searched == []  # the indexers are asked only on request

    at.toggle(key=f"choose-release-{HARBOR}-2").set_value(True).run()
    assert at.selectbox(key=f"release-for-{HARBOR}-2").options[:2] == ["Season 2", "S02E01 Pilot"]
    at.button(key="search-releases-s2").click().run()
    assert not at.exception
    assert state.searched == [("tv", 2, None)]
    [table] = at.dataframe
    assert table.value["name"].tolist() == [r.name for r in state.releases.releases]
    at.selectbox(key="release-choice-s2").set_value(1).run()
    at.button(key="download-release-s2").click().run()

    [body] = state.calls_to("POST", f"/api/tv/{HARBOR}/download")
    sent = json.loads(body)
    assert (sent["seasons"], sent["episodes"]) == ([2], [])
    assert sent["release"]["name"] == "Harbor.Lights.S02.720p.WEB.x264-GRP"
    assert "Season 2: Harbor.Lights.S02.720p.WEB.x264-GRP: Downloading 3 episodes" in shown(at)

    # One episode: its own search, its own release.
    at.selectbox(key=f"release-for-{HARBOR}-2").set_value(2).run()
    at.button(key="search-releases-s2e2").click().run()
    assert state.searched[-1] == ("tv", 2, 2)
    at.button(key="download-release-s2e2").click().run()
    sent = json.loads(state.calls_to("POST", f"/api/tv/{HARBOR}/download")[-1])
    assert (sent["seasons"], sent["episodes"]) == ([], [{"season": 2, "episode": 2}])
    assert sent["release"]["name"] == "Harbor.Lights.S02E02.1080p.WEB.x264-GRP"
    assert [(j.season, j.episodes, j.release_name) for j in state.jobs.values()] == [
        (2, [1, 2, 3], "Harbor.Lights.S02.720p.WEB.x264-GRP"),
        (2, [2], "Harbor.Lights.S02E02.1080p.WEB.x264-GRP"),
    ]


def test_following_a_show_sends_the_mode_and_the_seasons(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    at = open_page(dashboard, "show", id=str(HARBOR))
    assert "Missing" in episode(at, 1, 4)

    at.toggle(key=f"follow-{HARBOR}").set_value(True).run()

    assert [json.loads(b) for b in state.calls_to("PUT", f"/api/tv/{HARBOR}/follow")] == [
        {"mode": "all", "seasons": []}
    ]
    assert "Wanted" in episode(at, 1, 4) and "NiluFlix looks for it by itself" in episode(at, 1, 4)

    at.radio(key=f"follow-mode-{HARBOR}").set_value("seasons").run()
    assert "Pick the seasons NiluFlix should fetch." in shown(at)
    assert len(state.calls_to("PUT", f"/api/tv/{HARBOR}/follow")) == 1, "no season picked: nothing sent"
    at.multiselect(key=f"follow-seasons-{HARBOR}").set_value([2]).run()
    assert json.loads(state.calls_to("PUT", f"/api/tv/{HARBOR}/follow")[-1]) == {
        "mode": "seasons",
        "seasons": [2],
    }
    assert state.follows[HARBOR] == {"mode": "seasons", "seasons": [2]}
    assert "Missing" in episode(at, 1, 4), "season 1 is not followed"

    at.toggle(key=f"follow-{HARBOR}").set_value(False).run()
    assert state.calls_to("DELETE", f"/api/tv/{HARBOR}/follow") == [None]
    assert HARBOR not in state.follows
    assert not at.exception


def test_downloads_go_by_the_quality_profile_picked_on_the_page(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    at = open_page(dashboard, "show", id=str(HARBOR))
    picker = at.selectbox(key=f"show-profile-{HARBOR}")
    assert (picker.options, picker.value) == (["Standard", "4K", "Small"], "Standard")

    at.button(key="download-season").click().run()
    # The default profile is asked for as none: the jobs follow whichever profile is the default.
    [body] = state.calls_to("POST", f"/api/tv/{HARBOR}/download")
    assert "profile" not in json.loads(body)
    assert [j.profile for j in state.jobs.values()] == [None]

    at.selectbox(key=f"show-profile-{HARBOR}").set_value("4K").run()
    at.segmented_control(key=f"season-{HARBOR}").set_value(2).run()
    at.button(key="get-2-1").click().run()
    assert not at.exception
    assert [t.proto.body for t in at.toast] == ["S02E01 Pilot: looking for a release"]
    [episode_job] = [j for j in state.jobs.values() if j.season == 2]
    assert (episode_job.episodes, episode_job.profile) == ([1], "4K"), "the profile goes as ?profile="

    at.selectbox(key=f"show-profile-{HARBOR}").set_value("Small").run()
    at.button(key="download-missing").click().run()
    assert json.loads(state.calls_to("POST", f"/api/tv/{HARBOR}/download")[-1]) == {
        "seasons": [],
        "episodes": [],
        "missing_only": True,
        "priority": 0,
        "profile": "Small",
    }
    assert "Download missing: Downloading" in shown(at)
    assert [j.profile for j in state.jobs.values()] == [None, "4K", "Small", "Small"]


def test_following_takes_the_picked_profile_and_the_page_starts_at_the_follow_s(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    at = open_page(dashboard, "show", id=str(HARBOR))
    at.selectbox(key=f"show-profile-{HARBOR}").set_value("Small").run()
    assert not state.calls_to("PUT", f"/api/tv/{HARBOR}/follow"), (
        "not followed: picking a profile sends nothing"
    )

    at.toggle(key=f"follow-{HARBOR}").set_value(True).run()
    assert [json.loads(b) for b in state.calls_to("PUT", f"/api/tv/{HARBOR}/follow")] == [
        {"mode": "all", "seasons": [], "profile": "Small"}
    ]
    assert state.follows[HARBOR] == {"mode": "all", "seasons": [], "profile": "Small"}
    assert "Its episodes download by the quality profile Small" in shown(at)
    assert [t.proto.body for t in at.toast] == [
        "Following Harbor Lights: every episode, the aired ones too (Small)"
    ]

    # Followed, a new choice changes the follow too; back to the default, the follow names none.
    at.selectbox(key=f"show-profile-{HARBOR}").set_value("Standard").run()
    assert json.loads(state.calls_to("PUT", f"/api/tv/{HARBOR}/follow")[-1]) == {"mode": "all", "seasons": []}
    assert state.follows[HARBOR] == {"mode": "all", "seasons": []}
    assert "Its episodes download by the quality profile Standard" in shown(at)
    assert len(state.calls_to("PUT", f"/api/tv/{HARBOR}/follow")) == 2

    # Shows followed elsewhere: the picker starts at their profile, and opening the page changes nothing.
    state.follows[60003] = {"mode": "future", "seasons": [], "profile": "4K"}
    state.follows[60001] = {"mode": "all", "seasons": [], "profile": "Standard"}
    at = open_page(at, "show", id="60003")
    assert at.selectbox(key="show-profile-60003").value == "4K"
    at.button(key="download-season").click().run()
    assert [j.profile for j in state.jobs.values()] == ["4K"]
    at = open_page(at, "show", id="60001")
    assert at.selectbox(key="show-profile-60001").value == "Standard"
    assert not state.calls_to("PUT", "/api/tv/60003/follow") and not state.calls_to(
        "PUT", "/api/tv/60001/follow"
    )
    assert state.follows[60001]["profile"] == "Standard"


def test_without_the_profiles_list_downloads_take_the_default_and_a_follow_keeps_its_own(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.down["/api/profiles"] = "settings.v1.get"
    state.follows[HARBOR] = {"mode": "all", "seasons": [], "profile": "4K"}
    at = open_page(dashboard, "show", id=str(HARBOR))

    assert not at.exception
    assert not [s for s in at.selectbox if s.key == f"show-profile-{HARBOR}"]
    assert "Its episodes download by the quality profile 4K" in shown(at)
    at.radio(key=f"follow-mode-{HARBOR}").set_value("future").run()
    assert [json.loads(b) for b in state.calls_to("PUT", f"/api/tv/{HARBOR}/follow")] == [
        {"mode": "future", "seasons": [], "profile": "4K"}
    ]
    at.button(key="download-season").click().run()
    [body] = state.calls_to("POST", f"/api/tv/{HARBOR}/download")
    assert "profile" not in json.loads(body)


def test_follow_is_not_offered_by_a_gateway_without_it(dashboard: AppTest, gateway_server) -> None:
    gateway_server.state.follow_routes = False
    at = open_page(dashboard, "show", id=str(HARBOR))

    assert not at.exception
    assert "Following shows is not available on this NiluFlix gateway yet." in shown(at)
    assert not [t for t in at.toggle if t.key == f"follow-{HARBOR}"]
    assert "Download Season 1" in shown(at)


def test_an_unknown_show_shows_the_gateway_detail(dashboard: AppTest) -> None:
    at = open_page(dashboard, "show", id="999")
    assert [e.value for e in at.error] == ["TMDB has no show 999"]


def test_the_show_page_without_a_show_points_home(dashboard: AppTest) -> None:
    at = open_page(dashboard, "show")
    assert "Pick a show on the Home page to see it here." in shown(at)
