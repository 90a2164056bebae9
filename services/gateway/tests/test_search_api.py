"""Interactive search and the quality profiles through the API, with stand-in catalog and search responders."""

import asyncio
from datetime import date
from pathlib import Path

import httpx
import nats
from gateway.settings import GatewaySettings

from niluflix.contracts import catalog, search
from niluflix.contracts.catalog import (
    EpisodeDetails,
    GetSeason,
    GetTitle,
    SeasonDetails,
    SeasonSummary,
    TitleDetails,
)
from niluflix.contracts.common import MediaType
from niluflix.contracts.search import (
    FindReleases,
    IndexerResult,
    ParsedRelease,
    Rejection,
    RejectionCode,
    Release,
    ReleaseList,
)
from niluflix.errors import InvalidRequest
from niluflix.messaging import rpc_queue
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings

SINTEL = TitleDetails(
    tmdb_id=45745, title="Sintel", year=2010, runtime=15, imdb_id="tt1727587", alternative_titles=["Durian"]
)


def found(name: str, resolution: str, seeders: int, rejections: list[Rejection] = ()) -> Release:
    return Release(
        name=name,
        indexer="Demo",
        seeders=seeders,
        size=700_000_000,
        magnet_uri=f"magnet:?xt=urn:btih:{'a' * 40}",
        parsed=ParsedRelease(title="Sintel", year=2010, resolution=resolution, source="BluRay"),
        score=30_000.0,
        rejections=list(rejections),
    )


async def test_every_release_with_its_score_and_reasons(peers, client: httpx.AsyncClient) -> None:
    asked: list[FindReleases] = []

    @peers.router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
    async def details(req: GetTitle) -> TitleDetails:
        return SINTEL

    @peers.router.subscriber(search.RELEASES, queue=rpc_queue("search"))
    async def releases(req: FindReleases) -> ReleaseList:
        if req.profile == "Ultra":
            raise InvalidRequest("no quality profile named 'Ultra' (profiles: Standard, 4K, Small)")
        asked.append(req)
        return ReleaseList(
            releases=[found("Sintel.2010.1080p.BluRay.x264-DEMO", "1080p", 40)],
            rejected=[
                found(
                    "Sintel.2010.HDCAM.x264-CAM",
                    None,
                    900,
                    [
                        Rejection(code=RejectionCode.REJECTED_SOURCE, message="CAM"),
                        Rejection(code=RejectionCode.TOO_SMALL, message="too small for its quality: 90 MB"),
                    ],
                )
            ],
            indexers=[IndexerResult(indexer="Demo", ok=True, count=2)],
            profile=req.profile or "Standard",
        )

    await peers.start()

    r = await client.get("/api/search/releases", params={"tmdb_id": 45745, "type": "movie", "profile": "4K"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["profile"] == "4K"
    [best] = body["releases"]
    assert (best["name"], best["indexer"], best["score"], best["parsed"]["resolution"]) == (
        "Sintel.2010.1080p.BluRay.x264-DEMO",
        "Demo",
        30000.0,
        "1080p",
    )
    # each reason a stable code and the words
    assert [(x["name"], x["rejections"]) for x in body["rejected"]] == [
        (
            "Sintel.2010.HDCAM.x264-CAM",
            [
                {"code": "rejected_source", "message": "CAM"},
                {"code": "too_small", "message": "too small for its quality: 90 MB"},
            ],
        )
    ]
    [query] = asked
    assert (query.title, query.year, query.runtime, query.imdb_id, query.profile) == (
        "Sintel",
        2010,
        15,
        "tt1727587",
        "4K",
    )
    assert query.alternative_titles == ["Durian"]

    r = await client.get("/api/search/releases", params={"tmdb_id": 45745, "profile": "Ultra"})
    assert r.status_code == 422
    assert r.json() == {
        "detail": "no quality profile named 'Ultra' (profiles: Standard, 4K, Small)",
        "code": "invalid_request",
    }

    r = await client.get("/api/search/releases", params={"tmdb_id": 0})
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"


async def test_profiles_are_added_changed_and_removed_and_reach_other_services(
    client: httpx.AsyncClient, settings: GatewaySettings, tmp_path: Path
) -> None:
    r = await client.get("/api/profiles")
    assert r.status_code == 200
    assert r.json()["default_profile"] == "Standard"
    assert [p["name"] for p in r.json()["profiles"]] == ["Standard", "4K", "Small"]
    assert r.json()["profiles"][0]["qualities"] == ["1080p", "720p", "2160p"]
    assert r.json()["profiles"][0]["rejected_sources"] == ["CAM", "TS", "TC", "SCR"]

    anime = {
        "name": "Anime",
        "qualities": ["1080p"],
        "languages": ["ja", "en"],
        "min_seeders": 3,
        "preferred_words": [{"word": "Dual Audio", "score": 50}],
    }
    r = await client.post("/api/profiles", json=anime)
    assert r.status_code == 201, r.text
    assert r.json()["languages"] == ["ja", "en"]
    assert (await client.post("/api/profiles", json={"name": "anime"})).status_code == 409

    r = await client.put(
        "/api/profiles/ANIME", params={"make_default": True}, json={**anime, "name": "Anime HD"}
    )
    assert r.status_code == 200, r.text
    r = await client.get("/api/profiles")
    assert r.json()["default_profile"] == "Anime HD"
    assert [p["name"] for p in r.json()["profiles"]] == ["Standard", "4K", "Small", "Anime HD"]
    assert (await client.get("/api/profiles/anime hd")).json()["min_seeders"] == 3

    r = await client.delete("/api/profiles/Anime HD")
    assert r.status_code == 409
    assert r.json()["detail"] == "'Anime HD' is the default profile: make another the default first"
    assert (await client.delete("/api/profiles/Small")).status_code == 204
    assert (await client.get("/api/profiles/Small")).status_code == 404
    assert (await client.put("/api/profiles/Small", json={"name": "Small"})).status_code == 404

    r = await client.post("/api/profiles", json={"name": "Bad", "min_seeders": -1})
    assert r.status_code == 422 and "min_seeders" in r.json()["detail"]
    # names in the parser's vocabulary, as people write them; a typo is refused with the valid names
    r = await client.put(
        "/api/profiles/4K",
        json={
            "name": "4K",
            "qualities": ["4K", "1080P"],
            "rejected_sources": ["cam", "TeleSync", "HDRip"],
            "languages": ["English", "fre"],
            "preferred_codec": "HEVC",
        },
    )
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("qualities", "rejected_sources", "languages", "preferred_codec")} == {
        "qualities": ["2160p", "1080p"],
        "rejected_sources": ["CAM", "TS", "HDRip"],
        "languages": ["en", "fr"],
        "preferred_codec": "x265",
    }
    for field, typo, valid in [
        (
            "rejected_sources",
            ["CAM", "TELESYNK"],
            "valid: CAM, TS, TC, WORKPRINT, SCR, DVD, HDTV, HDRip, WEBRip",
        ),
        ("qualities", ["1080p", "1080"], "valid: 2160p, 1440p, 1080p, 720p, 576p, 480p"),
        ("languages", ["en", "klingon"], "valid: en, fr, de, es, it"),
    ]:
        r = await client.put("/api/profiles/4K", json={"name": "4K", field: typo})
        assert r.status_code == 422, r.text
        assert field in r.json()["detail"] and f"'{typo[1]}'" in r.json()["detail"]
        assert valid in r.json()["detail"]
    assert (await client.get("/api/profiles/4K")).json()["rejected_sources"] == ["CAM", "TS", "HDRip"]
    r = await client.put("/api/profiles/4K", json={"name": "Standard"})
    assert r.status_code == 409

    # What the search service sees, without a restart.
    nc = await nats.connect(settings.nats_url)
    view = LiveSettings(nc.jetstream(), SecretBox.from_env_or_file(settings.data_dir))
    await view.start()
    try:
        for _ in range(100):
            if view.value.default_profile == "Anime HD":
                break
            await asyncio.sleep(0.02)
        assert view.value.default_profile == "Anime HD"
        assert [p.name for p in view.value.quality_profiles] == ["Standard", "4K", "Anime HD"]
        assert view.value.profile().preferred_words[0].word == "Dual Audio"
    finally:
        await view.stop()
        await nc.close()


async def test_an_episode_is_searched_by_its_other_numbers_too(peers, client: httpx.AsyncClient) -> None:
    """Interactive search of an anime's S02E05 carries its absolute number and air date, as a download does."""
    asked: list[FindReleases] = []
    show = TitleDetails(
        tmdb_id=209867,
        media_type=MediaType.TV,
        title="Frieren",
        year=2023,
        original_language="ja",
        seasons=[SeasonSummary(season=2, episode_count=5)],
    )

    @peers.router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
    async def details(req: GetTitle) -> TitleDetails:
        return show

    @peers.router.subscriber(catalog.SEASON, queue=rpc_queue("catalog"))
    async def season(req: GetSeason) -> SeasonDetails:
        episodes = [
            EpisodeDetails(
                episode_id=n,
                show_id=209867,
                season=2,
                episode=n,
                air_date=date(2026, 1, n),
                absolute_number=28 + n,
            )
            for n in range(1, 6)
        ]
        return SeasonDetails(tmdb_id=209867, season=2, episodes=episodes)

    @peers.router.subscriber(search.RELEASES, queue=rpc_queue("search"))
    async def releases(req: FindReleases) -> ReleaseList:
        asked.append(req)
        return ReleaseList()

    await peers.start()
    params = {"tmdb_id": 209867, "type": "tv", "season": 2, "episode": 5}
    assert (await client.get("/api/search/releases", params=params)).status_code == 200
    [query] = asked
    assert (query.season, query.episode, query.absolute_episodes, query.air_date) == (
        2,
        5,
        [33],
        date(2026, 1, 5),
    )

    r = await client.get("/api/search/releases", params=params | {"episode": 9})
    assert r.status_code == 404 and r.json()["detail"] == "season 2 has no episode 9"
