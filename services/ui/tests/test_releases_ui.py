"""The releases table on a movie's page and the quality profiles editor, as a user drives them."""

import json

from streamlit.testing.v1 import AppTest
from ui.components.releases import rejection_summary, release_rows

from niluflix.contracts.search import (
    IndexerResult,
    ParsedRelease,
    Rejection,
    RejectionCode,
    Release,
    ReleaseList,
)

CAM = Rejection(code=RejectionCode.REJECTED_SOURCE, message="CAM")


def release(
    name: str, resolution: str | None, seeders: int, size: int, *rejections: Rejection, score: float = 0
) -> Release:
    return Release(
        name=name,
        indexer="Demo",
        seeders=seeders,
        size=size,
        magnet_uri="magnet:?xt=urn:btih:" + "b" * 40,
        parsed=ParsedRelease(title="Sintel", year=2010, resolution=resolution, source="BluRay", codec="x264"),
        score=score,
        rejections=list(rejections),
    )


FOUND = ReleaseList(
    releases=[
        release("Sintel.2010.1080p.BluRay.x264-DEMO", "1080p", 40, 900_000_000, score=40000),
        release("Sintel.2010.720p.BluRay.x264-DEMO", "720p", 80, 500_000_000, score=30000),
    ],
    rejected=[release("Sintel.2010.HDCAM.x264-CAM", None, 900, 700_000_000, CAM)],
    indexers=[
        IndexerResult(indexer="Demo", ok=True, count=3),
        IndexerResult(indexer="Slow", ok=False, error="timed out"),
    ],
)


def shown(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "success", "warning", "error")
        for e in at.get(kind)
    ]
    return "\n".join(str(p).replace("\\", "") for p in parts)


def open_movie(dashboard: AppTest) -> AppTest:
    at = dashboard.run()
    at.query_params.update({"id": "45745"})
    return at.switch_page("views/movie.py").run()


def test_the_table_lists_every_release_best_first_with_reasons() -> None:
    rows = release_rows(FOUND)
    # Sizes below a gigabyte read in megabytes, as people read them.
    assert rows[["verdict", "name", "quality", "size", "seeders", "why"]].values.tolist() == [
        ["Best", "Sintel.2010.1080p.BluRay.x264-DEMO", "1080p", "900.0 MB", 40, ""],
        ["Accepted", "Sintel.2010.720p.BluRay.x264-DEMO", "720p", "500.0 MB", 80, ""],
        ["Rejected", "Sintel.2010.HDCAM.x264-CAM", "", "700.0 MB", 900, "CAM"],
    ]
    bigger = ReleaseList(releases=[release("Sintel.2010.2160p.WEB-DL", "2160p", 5, 14_300_000_000)])
    assert release_rows(bigger)["size"].tolist() == ["14.3 GB"]


def test_the_reasons_are_counted_by_kind_most_first() -> None:
    small = Rejection(code=RejectionCode.TOO_SMALL, message="too small for 1080p: 90 MB")
    other = Rejection(code=RejectionCode.TITLE_MISMATCH, message="title does not match")
    found = ReleaseList(
        rejected=[
            release("Sintel.2010.HDCAM.x264-CAM", None, 900, 90_000_000, CAM, small),
            release("Sintel.2010.1080p.HDCAM.x264-GRP", "1080p", 9, 700_000_000, CAM),
            release("Spintel.2010.1080p.BluRay.x264-GRP", "1080p", 9, 90_000_000, other, small),
            release("Spintel.2011.1080p.BluRay.x264-GRP", "1080p", 9, 9_000_000_000, other),
        ]
    )
    assert rejection_summary(found) == "another title 2 · refused source 2 · too small 2"
    assert release_rows(found)["why"].tolist()[0] == "CAM; too small for 1080p: 90 MB"


def test_the_table_tells_spoken_languages_from_subtitles() -> None:
    found = ReleaseList(
        releases=[
            Release(
                name="Amelie.2001.FRENCH.1080p.BluRay.x264.ENG.SUBS-GRP",
                indexer="Demo",
                parsed=ParsedRelease(title="Amelie", languages=["fr"], subtitles=["en"]),
            ),
            Release(
                name="Parasite.2019.VOSTFR.1080p.BluRay.x264-GRP",
                indexer="Demo",
                parsed=ParsedRelease(title="Parasite", subtitles=["fr"]),
            ),
            Release(
                name="Sintel.2010.1080p.BluRay.x264-GRP", indexer="Demo", parsed=ParsedRelease(title="Sintel")
            ),
        ]
    )
    assert release_rows(found)["language"].tolist() == ["fr · subs en", "subs fr", ""]


def test_a_movie_page_searches_on_request_and_downloads_the_chosen_release(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.releases = FOUND
    at = open_movie(dashboard)
    assert not at.exception
    assert state.calls_to("GET", "/api/search/releases") == []  # indexers are asked only on request

    at.toggle(key="choose-release").set_value(True).run()
    assert at.selectbox(key="release-profile").value == "Standard"
    # one list of profiles per run of the page, shared by the Download button and the releases section
    assert len(state.calls_to("GET", "/api/profiles")) == 2
    at.selectbox(key="release-profile").set_value("4K").run()
    at.button(key="search-releases").click().run()

    assert not at.exception
    assert [c for m, p, c in state.calls if p == "/api/search/releases"] == [None]
    text = shown(at)
    assert "2 accepted, 1 rejected with profile 4K" in text
    assert "Slow did not answer: timed out" in text
    assert "Rejected for: refused source 1" in text
    [table] = at.dataframe
    assert table.value["name"].tolist() == [r.name for r in FOUND.releases + FOUND.rejected]
    assert table.value["why"].tolist() == ["", "", "CAM"]

    choice = at.selectbox(key="release-choice")
    assert choice.options == [
        "Sintel.2010.1080p.BluRay.x264-DEMO",
        "Sintel.2010.720p.BluRay.x264-DEMO",
        "Sintel.2010.HDCAM.x264-CAM (rejected: CAM)",
    ]
    choice.set_value(1).run()
    at.button(key="download-release").click().run()

    [body] = state.calls_to("POST", "/api/movies/45745/download")
    sent = json.loads(body)
    assert sent["release"]["name"] == "Sintel.2010.720p.BluRay.x264-DEMO"
    assert sent["release"]["magnet_uri"].startswith("magnet:")
    assert "Queued: NiluFlix is looking for the best release" in shown(at)


def test_profiles_are_edited_added_and_removed_on_the_settings_page(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    at = dashboard.run()
    at = at.switch_page("views/settings.py").run()
    assert not at.exception
    assert at.selectbox(key="profile-choice").options == ["Standard (default)", "4K", "Small", "New profile…"]

    at.selectbox(key="profile-choice").set_value("4K").run()
    at.number_input(key="profile-4K-seeders-0").set_value(5)
    at.text_input(key="profile-4K-languages-0").input("en, fr")
    at.button(key="FormSubmitter:profile-4K-form-0-Save profile").click().run()
    assert not at.exception
    [body] = state.calls_to("PUT", "/api/profiles/4K")
    assert (json.loads(body)["min_seeders"], json.loads(body)["languages"]) == (5, ["en", "fr"])
    assert state.settings.profile("4K").min_seeders == 5
    assert "Saved 4K" in shown(at)

    at.selectbox(key="profile-choice").set_value("New profile…").run()
    at.text_input(key="profile-New profile…-name-1").input("4k")
    at.button(key="FormSubmitter:profile-New profile…-form-1-Save profile").click().run()
    assert "a quality profile named '4k' already exists" in shown(at)

    at.text_input(key="profile-New profile…-name-1").input("Anime")
    at.checkbox(key="profile-New profile…-default-1").check()
    at.button(key="FormSubmitter:profile-New profile…-form-1-Save profile").click().run()
    assert not at.exception
    assert state.settings.default_profile == "Anime"
    assert [p.name for p in state.settings.quality_profiles] == ["Standard", "4K", "Small", "Anime"]

    at.selectbox(key="profile-choice").set_value("Small").run()
    at.button(key="remove-profile").click().run()
    assert [p.name for p in state.settings.quality_profiles] == ["Standard", "4K", "Anime"]
    assert "Removed Small" in shown(at)


def test_a_typo_in_a_profile_is_refused_with_the_valid_names(dashboard: AppTest, gateway_server) -> None:
    at = dashboard.run().switch_page("views/settings.py").run()
    at.selectbox(key="profile-choice").set_value("4K").run()
    at.text_input(key="profile-4K-languages-0").input("en, klingon")
    at.button(key="FormSubmitter:profile-4K-form-0-Save profile").click().run()
    assert not at.exception
    assert "unknown language 'klingon'; valid: en, fr, de" in shown(at)
    assert gateway_server.state.calls_to("PUT", "/api/profiles/4K") == []
