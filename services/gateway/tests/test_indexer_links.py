"""Indexer API keys in release links: the browser never sees them, a download of the release still works,
and a link to another host never gets the key."""

from datetime import UTC, datetime
from urllib.parse import quote
from uuid import uuid4

import httpx
import pytest
from gateway.indexer_links import HiddenKeyMismatch, HiddenLinks
from pydantic import SecretStr

from niluflix.contracts import catalog, downloads, search
from niluflix.contracts.catalog import GetTitle, TitleDetails
from niluflix.contracts.downloads import CreateDownload, Job, JobState
from niluflix.contracts.search import (
    FindReleases,
    IndexerResult,
    Rejection,
    RejectionCode,
    Release,
    ReleaseList,
)
from niluflix.contracts.settings import IndexerSettings
from niluflix.messaging import rpc_queue

SINTEL = TitleDetails(tmdb_id=45745, title="Sintel", year=2010, runtime=15, imdb_id="tt1727587")
# A key with characters a query string has to percent-encode, as some indexers' keys have.
KEY = "k3Y+s3cr3t/42="
JACKETT = "http://127.0.0.1:9117"


def jackett_release(name: str, *, rejections: list[Rejection] = ()) -> Release:
    # the shapes Jackett gives: a download link through Jackett with its key, a details page as guid
    return Release(
        name=name,
        indexer="Jackett",
        guid=f"{JACKETT}/api/v2.0/indexers/1337x/results/torznab/api?apikey={KEY}&id=7",
        seeders=12,
        size=900_000_000,
        torrent_url=f"{JACKETT}/dl/1337x/?jackett_apikey={quote(KEY, safe='')}&path=Q2kAbc&file={name}",
        rejections=list(rejections),
    )


async def test_keys_are_hidden_from_search_and_put_back_for_the_download(
    peers, client: httpx.AsyncClient
) -> None:
    created: list[CreateDownload] = []

    @peers.router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
    async def details(req: GetTitle) -> TitleDetails:
        return SINTEL

    @peers.router.subscriber(search.RELEASES, queue=rpc_queue("search"))
    async def releases(req: FindReleases) -> ReleaseList:
        return ReleaseList(
            releases=[
                jackett_release("Sintel.2010.1080p.BluRay.x264-GRP"),
                Release(
                    name="Sintel.2010.720p.WEB.x264-YTS",
                    indexer="YTS",
                    magnet_uri="magnet:?xt=urn:btih:" + "b" * 40,
                ),
            ],
            rejected=[
                jackett_release(
                    "Sintel.2010.HDCAM-GRP",
                    rejections=[Rejection(code=RejectionCode.REJECTED_SOURCE, message="CAM")],
                )
            ],
            indexers=[
                IndexerResult(indexer="Jackett", ok=True, count=2),
                IndexerResult(indexer="YTS", ok=True),
            ],
        )

    @peers.router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
    async def create(req: CreateDownload) -> Job:
        created.append(req)
        now = datetime.now(UTC)
        return Job(
            id=uuid4(),
            tmdb_id=req.tmdb_id,
            title="Sintel",
            state=JobState.QUEUED,
            release_name=req.release.name if req.release else None,
            created_at=now,
            updated_at=now,
        )

    await peers.start()
    r = await client.post(
        "/api/indexers",
        json={
            "name": "Jackett",
            "url": f"{JACKETT}/api/v2.0/indexers/all/results/torznab/api",
            "api_key": KEY,
        },
    )
    assert r.status_code == 201, r.text

    r = await client.get("/api/search/releases", params={"tmdb_id": 45745})
    assert r.status_code == 200, r.text
    assert KEY not in r.text and quote(KEY, safe="") not in r.text
    body = r.json()
    best, yts = body["releases"]
    assert best["torrent_url"] == (
        f"{JACKETT}/dl/1337x/?jackett_apikey=********&path=Q2kAbc&file=Sintel.2010.1080p.BluRay.x264-GRP"
    )
    assert best["guid"].endswith("?apikey=********&id=7")
    assert body["rejected"][0]["torrent_url"].startswith(f"{JACKETT}/dl/1337x/?jackett_apikey=********&")
    assert yts["magnet_uri"] == "magnet:?xt=urn:btih:" + "b" * 40  # another indexer's release, untouched

    # The UI posts the release back as it read it: the downloader gets the working link.
    r = await client.post("/api/movies/45745/download", json={"release": best})
    assert r.status_code == 202, r.text
    [command] = created
    assert command.release.torrent_url == (
        f"{JACKETT}/dl/1337x/?jackett_apikey={quote(KEY, safe='')}&path=Q2kAbc"
        "&file=Sintel.2010.1080p.BluRay.x264-GRP"
    )

    # The same hidden key in a link to another host is refused, and nothing is queued.
    elsewhere = {**best, "torrent_url": best["torrent_url"].replace("127.0.0.1:9117", "198.51.100.7:9117")}
    r = await client.post("/api/movies/45745/download", json={"release": elsewhere})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "the release's link holds a hidden API key but does not lead to indexer 'Jackett'"
        " (http://127.0.0.1:9117): its key is only ever sent there"
    )
    # A hidden link this gateway never gave out, naming an indexer it does not know.
    unknown = {**best, "indexer": "Gone", "torrent_url": best["torrent_url"].replace("Q2kAbc", "Other")}
    r = await client.post("/api/movies/45745/download", json={"release": unknown})
    assert r.status_code == 422 and "no indexer named 'Gone' has one" in r.json()["detail"]
    assert len(created) == 1


async def test_a_link_to_another_host_works_when_the_search_gave_it(peers, client: httpx.AsyncClient) -> None:
    """Jackett behind a base-URL override names another host in its links than the address NiluFlix asks."""
    created: list[CreateDownload] = []
    link = f"http://jackett.home.arpa:9117/dl/1337x/?jackett_apikey={KEY}&path=Zz9&file=Sintel"

    @peers.router.subscriber(catalog.DETAILS, queue=rpc_queue("catalog"))
    async def details(req: GetTitle) -> TitleDetails:
        return SINTEL

    @peers.router.subscriber(search.RELEASES, queue=rpc_queue("search"))
    async def releases(req: FindReleases) -> ReleaseList:
        found = Release(
            name="Sintel.2010.1080p.BluRay.x264-GRP", indexer="Jackett", seeders=5, torrent_url=link
        )
        return ReleaseList(releases=[found])

    @peers.router.subscriber(downloads.CREATE, queue=rpc_queue("downloader"))
    async def create(req: CreateDownload) -> Job:
        created.append(req)
        now = datetime.now(UTC)
        return Job(
            id=uuid4(),
            tmdb_id=req.tmdb_id,
            title="Sintel",
            state=JobState.QUEUED,
            created_at=now,
            updated_at=now,
        )

    await peers.start()
    jackett = {
        "name": "Jackett",
        "url": f"{JACKETT}/api/v2.0/indexers/all/results/torznab/api",
        "api_key": KEY,
    }
    assert (await client.post("/api/indexers", json=jackett)).status_code == 201

    [shown] = (await client.get("/api/search/releases", params={"tmdb_id": 45745})).json()["releases"]
    assert (
        shown["torrent_url"]
        == "http://jackett.home.arpa:9117/dl/1337x/?jackett_apikey=********&path=Zz9&file=Sintel"
    )
    r = await client.post("/api/movies/45745/download", json={"release": shown})
    assert r.status_code == 202, r.text
    assert created[0].release.torrent_url == link


def test_the_least_recently_used_links_are_forgotten_first() -> None:
    indexer = IndexerSettings(name="Jackett", url=f"{JACKETT}/api", api_key=SecretStr(KEY))
    links = HiddenLinks(remember=2)

    def shown(n: int) -> Release:
        # a link to another host than the indexer's: only a remembered one gets its key back
        found = ReleaseList(
            releases=[
                Release(name=f"R{n}", indexer="Jackett", torrent_url=f"http://10.0.0.5/dl/{n}?apikey={KEY}")
            ]
        )
        [release] = links.hide(found, [indexer]).releases
        return release

    first, second = shown(1), shown(2)
    assert links.restore(first, [indexer]).torrent_url == f"http://10.0.0.5/dl/1?apikey={KEY}"  # used again
    shown(3)
    assert links.restore(first, [indexer]).torrent_url == f"http://10.0.0.5/dl/1?apikey={KEY}"
    with pytest.raises(HiddenKeyMismatch, match="does not lead to indexer 'Jackett'"):
        links.restore(second, [indexer])


def test_a_key_given_in_the_indexers_url_is_hidden_and_put_back_too() -> None:
    # the key pasted into the Torznab URL (`...torznab/api?apikey=`) rather than into the key field
    indexer = IndexerSettings(
        name="Jackett", url=f"{JACKETT}/api/v2.0/indexers/1337x/results/torznab/api?apikey={KEY}"
    )
    links = HiddenLinks()
    found = ReleaseList(releases=[jackett_release("Sintel.2010.1080p.BluRay.x264-GRP")])

    [hidden] = links.hide(found, [indexer]).releases

    assert KEY not in hidden.model_dump_json() and quote(KEY, safe="") not in hidden.model_dump_json()
    assert links.restore(hidden, [indexer]).torrent_url == found.releases[0].torrent_url
