"""Shows beyond their own page: the Home shelves and search, the Library, the Calendar, the Downloads queue."""

from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import JobState

from .test_pages import open_page, shown

HARBOR = 60002
QUIET_ORBIT = 60003


def test_home_has_shelves_of_shows_and_a_show_opens_its_page(dashboard: AppTest, gateway_server) -> None:
    at = dashboard.run()

    text = shown(at)
    assert "Trending shows" in text and "Popular shows" in text
    assert [b.label for b in at.button if b.key.startswith("open-tv-trending-")] == [
        "Pioneer One",
        "Harbor Lights",
        "The Quiet Orbit",
    ]
    assert gateway_server.state.calls_to("GET", "/api/tv/trending") == [None]

    at.button(key=f"open-tv-trending-{HARBOR}").click().run()

    assert not at.exception
    assert at.query_params["id"] == str(HARBOR)
    assert "Returning Series" in shown(at) and "Download Season 1" in shown(at)


def test_clicking_a_poster_opens_its_page(dashboard: AppTest) -> None:
    at = dashboard.run()
    at.button(key="pick-popular-45745").click().run()
    assert "A lonely young woman searches the world" in shown(at)

    at = dashboard.switch_page("views/home.py").run()
    at.button(key=f"pick-tv-popular-{HARBOR}").click().run()
    assert "A lighthouse keeper" in shown(at)


def test_posters_say_in_library_and_downloading(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.add_library_item(45745, "Sintel", 2010, 700_000_000)
    state.add_job(133701, JobState.DOWNLOADING, progress=0.2)
    state.add_episode_file(60003, 1, [1], 1_000_000_000)

    at = dashboard.run()

    posters = [m.value for m in at.markdown if 'class="nf-poster"' in m.value]

    def badges_of(title: str) -> set[str]:
        found = set()
        for p in posters:
            if f'alt="{title}"' in p:
                found |= {b for b in ("In library", "Downloading") if f">{b}</span>" in p}
        return found

    assert badges_of("Sintel") == {"In library"}
    assert badges_of("Tears of Steel") == {"Downloading"}
    assert badges_of("The Quiet Orbit") == {"In library"}
    assert badges_of("Big Buck Bunny") == set()


def test_search_finds_movies_and_shows(dashboard: AppTest, gateway_server) -> None:
    at = dashboard.run()
    at.text_input(key="search").input("harbor").run()

    text = shown(at)
    assert "Shows matching “harbor”" in text
    assert [b.label for b in at.button if b.key.startswith("open-search-tv-")] == ["Harbor Lights"]
    assert "No movie matches that title." in text
    assert gateway_server.state.calls_to("GET", "/api/tv/search/harbor") == [None]

    at.button(key=f"open-search-tv-{HARBOR}").click().run()
    assert "A lighthouse keeper" in shown(at)


def test_library_lists_shows_by_season_and_opens_one(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 1, [1, 2], 2_000_000_000)
    state.add_episode_file(HARBOR, 1, [3], 1_000_000_000)
    state.add_episode_file(HARBOR, 2, [1], 1_000_000_000)
    state.add_library_item(45745, "Sintel", 2010, 700_000_000)

    at = open_page(dashboard, "library")

    assert [t.label for t in at.tabs] == ["Movies", "Shows"]
    text = shown(at)
    assert "1 show · 4.0 GB" in text
    assert "2 seasons · 4 episodes · 4.0 GB" in text
    assert "Season 1: 3 episodes (S01E01–E03)" in text and "Season 2: 1 episode (S02E01)" in text
    assert "/srv/media/TV/Harbor Lights (2024)" in text
    assert "Sintel (2010)" in text and "1 movie · 700.0 MB" in text

    at.button(key="open-show-0").click().run()
    assert at.query_params["id"] == str(HARBOR)


def test_removing_a_movie_from_the_library_asks_first_and_deletes_files_only_when_asked(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    sintel = state.add_library_item(45745, "Sintel", 2010, 700_000_000)
    spring = state.add_library_item(594768, "Spring", 2019, 300_000_000)
    at = open_page(dashboard, "library")

    at.button(key=f"remove-{sintel.id}").click().run()
    assert "Remove Sintel (2010) from your library?" in shown(at)
    assert state.removed == [], "nothing is removed before the user says yes"
    at.button(key=f"no-remove-{sintel.id}").click().run()
    assert state.removed == [] and "Sintel (2010)" in shown(at)

    at.button(key=f"remove-{sintel.id}").click().run()
    at.checkbox(key=f"delete-files-{sintel.id}").check().run()
    at.button(key=f"yes-remove-{sintel.id}").click().run()

    assert state.removed == [(sintel.id, True)]
    assert state.calls_to("DELETE", f"/api/library/items/{sintel.id}") == [None]
    assert [t.proto.body for t in at.toast] == ["Removed Sintel (2010) and deleted its files"]
    assert "Sintel (2010)" not in shown(at)

    at.button(key=f"remove-{spring.id}").click().run()
    at.button(key=f"yes-remove-{spring.id}").click().run()
    assert state.removed[-1] == (spring.id, False)
    assert [t.proto.body for t in at.toast] == ["Removed Spring (2019); its files stay on the disk"]


def test_removing_a_show_from_the_library_asks_first_and_deletes_files_only_when_asked(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 1, [1, 2], 2_000_000_000)
    state.add_episode_file(HARBOR, 2, [1], 1_000_000_000)
    state.add_episode_file(QUIET_ORBIT, 1, [1], 1_000_000_000)
    sintel = state.add_library_item(45745, "Sintel", 2010, 700_000_000)
    at = open_page(dashboard, "library")
    assert "2 shows · 4.0 GB" in shown(at)

    at.button(key=f"remove-show-{HARBOR}").click().run()
    assert "Remove Harbor Lights (2024) and all its episodes from your library?" in shown(at)
    assert "You follow it" not in shown(at) and not [c for c in at.checkbox if c.key.startswith("unfollow-")]
    assert state.removed_shows == [], "nothing is removed before the user says yes"
    at.button(key=f"no-remove-show-{HARBOR}").click().run()
    assert state.removed_shows == [] and "Harbor Lights (2024)" in shown(at)

    at.button(key=f"remove-show-{HARBOR}").click().run()
    at.checkbox(key=f"delete-show-files-{HARBOR}").check().run()
    at.button(key=f"yes-remove-show-{HARBOR}").click().run()

    assert not at.exception
    assert state.removed_shows == [(HARBOR, True)]
    assert state.calls_to("DELETE", f"/api/library/tv-shows/{HARBOR}") == [None]
    assert [t.proto.body for t in at.toast] == ["Removed Harbor Lights (2024) and deleted its files"]
    text = shown(at)
    assert "Harbor Lights (2024)" not in text and "1 show · 1.0 GB" in text
    assert "The Quiet Orbit (2025)" in text
    assert [i.id for i in state.library if i.tmdb_id != QUIET_ORBIT] == [sintel.id], "the movie stays"

    at.button(key=f"remove-show-{QUIET_ORBIT}").click().run()
    at.button(key=f"yes-remove-show-{QUIET_ORBIT}").click().run()
    assert state.removed_shows[-1] == (QUIET_ORBIT, False)
    assert [t.proto.body for t in at.toast] == ["Removed The Quiet Orbit (2025); its files stay on the disk"]
    assert "No shows yet." in shown(at)


def test_removing_a_followed_show_asks_whether_to_stop_following_it_too(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 1, [1, 2], 2_000_000_000)
    state.add_episode_file(QUIET_ORBIT, 1, [1], 1_000_000_000)
    state.follows[HARBOR] = {"mode": "all", "seasons": []}
    state.follows[QUIET_ORBIT] = {"mode": "future", "seasons": []}
    at = open_page(dashboard, "library")

    at.button(key=f"remove-show-{HARBOR}").click().run()
    assert "You follow it: NiluFlix would download its episodes again unless you stop following it." in shown(
        at
    )
    assert at.checkbox(key=f"unfollow-show-{HARBOR}").value is True
    # The downloader does not answer: the show is neither unfollowed nor removed.
    state.down[f"/api/tv/{HARBOR}/follow"] = "downloads.v1.follows.remove"
    at.button(key=f"yes-remove-show-{HARBOR}").click().run()
    assert state.removed_shows == [] and HARBOR in state.follows
    assert [t.proto.body for t in at.toast] == ["no service answers downloads.v1.follows.remove"]

    del state.down[f"/api/tv/{HARBOR}/follow"]
    at.button(key=f"remove-show-{HARBOR}").click().run()
    at.button(key=f"yes-remove-show-{HARBOR}").click().run()
    assert not at.exception
    assert state.removed_shows == [(HARBOR, False)] and HARBOR not in state.follows
    assert [t.proto.body for t in at.toast] == [
        "Removed Harbor Lights (2024); its files stay on the disk; no longer following it"
    ]

    # Kept followed on purpose (to fetch it all again, say): the page says what will happen.
    at.button(key=f"remove-show-{QUIET_ORBIT}").click().run()
    at.checkbox(key=f"unfollow-show-{QUIET_ORBIT}").uncheck().run()
    at.button(key=f"yes-remove-show-{QUIET_ORBIT}").click().run()
    assert state.removed_shows[-1] == (QUIET_ORBIT, False) and QUIET_ORBIT in state.follows
    kept = "still following it: NiluFlix downloads its episodes again"
    assert [t.proto.body for t in at.toast] == [
        f"Removed The Quiet Orbit (2025); its files stay on the disk; {kept}"
    ]


def test_removing_a_show_already_gone_says_why(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 1, [1], 1_000_000_000)
    at = open_page(dashboard, "library")
    at.button(key=f"remove-show-{HARBOR}").click().run()

    # Removed from another browser meanwhile: the gateway finds nothing of it.
    state.library.clear()
    at.button(key=f"yes-remove-show-{HARBOR}").click().run()

    assert not at.exception
    assert state.removed_shows == []
    assert [t.proto.body for t in at.toast] == [f"the library has nothing of TMDB id {HARBOR}"]
    assert "No shows yet." in shown(at)


def test_calendar_lists_followed_shows_episodes_by_day_with_their_state(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.follows[HARBOR] = {"mode": "all", "seasons": []}
    state.add_episode_file(HARBOR, 2, [3], 1_000_000_000)

    at = open_page(dashboard, "calendar")

    assert not at.exception
    today = datetime.now(UTC).date()
    headings = [h.value for h in at.subheader]
    assert headings == [f"{today - timedelta(days=6):%A %d %B}", f"{today + timedelta(days=3):%A %d %B}"]
    text = shown(at)
    assert "S02E03 The Long Night" in text and "S02E04 Low Tide" in text
    assert "S02E02" not in text, "13 days ago is outside the last 7 days"
    assert "In library" in text and "Not aired yet" in text
    at.button(key="open-cal-0").click().run()
    assert at.query_params["id"] == str(HARBOR)


def test_calendar_says_when_the_gateway_has_none(dashboard: AppTest, gateway_server) -> None:
    gateway_server.state.follow_routes = False
    at = open_page(dashboard, "calendar")
    assert not at.exception
    assert "The calendar is not available on this NiluFlix gateway yet" in shown(at)


def test_a_show_download_in_the_queue_names_the_show_and_its_episodes(
    dashboard: AppTest, gateway_server
) -> None:
    gateway_server.state.add_job(
        HARBOR,
        JobState.QUEUED,
        media_type=MediaType.TV,
        season=2,
        episodes=[1, 2, 3],
        release_name="Harbor.Lights.S02.1080p.WEB",
        waiting_for="waiting for a free download slot",
    )
    at = open_page(dashboard, "downloads")

    text = shown(at)
    assert "Harbor Lights (2024) · S02E01–E03" in text
    assert "Queued: waiting for a free download slot" in text
