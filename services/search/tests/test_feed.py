"""Torznab documents, written from the spec and from what Jackett and Prowlarr send, to typed models."""

from datetime import UTC, datetime

import pytest
from search.errors import MalformedFeed, TorznabError
from search.indexers.torznab.feed import parse_caps, parse_feed

HASH = "c9e15763f722f23e98a29decdfae341b98d53056"


def feed(*items: str, ns: str = 'xmlns:torznab="http://torznab.com/schemas/2015/feed"') -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" {ns}>
  <channel>
    <atom:link href="http://127.0.0.1:9117/api?t=movie" rel="self" type="application/rss+xml" />
    <title>Indexer</title>
    <description>Indexer feed</description>
    <link>http://127.0.0.1:9117/</link>
    <language>en-US</language>
    <category>search</category>
    {"".join(items)}
  </channel>
</rss>""".encode()


MAGNET_ONLY = f"""
<item>
  <title>Sintel.2010.1080p.BluRay.x264-DEMO</title>
  <guid>https://tracker.example/details/1</guid>
  <jackettindexer id="demo">Demo</jackettindexer>
  <type>public</type>
  <pubDate>Sat, 14 Mar 2015 17:10:42 -0400</pubDate>
  <size>1288490189</size>
  <description />
  <link>magnet:?xt=urn:btih:{HASH}&amp;dn=Sintel&amp;tr=udp%3A%2F%2Ftracker.example%3A1337</link>
  <category>2000</category>
  <enclosure url="magnet:?xt=urn:btih:{HASH}&amp;dn=Sintel&amp;tr=udp%3A%2F%2Ftracker.example%3A1337"
             length="1288490189" type="application/x-bittorrent" />
  <torznab:attr name="category" value="2000" />
  <torznab:attr name="imdb" value="1727587" />
  <torznab:attr name="imdbid" value="tt1727587" />
  <torznab:attr name="tmdbid" value="45745" />
  <torznab:attr name="seeders" value="42" />
  <torznab:attr name="peers" value="50" />
  <torznab:attr name="infohash" value="{HASH.upper()}" />
  <torznab:attr name="magneturl" value="magnet:?xt=urn:btih:{HASH}&amp;dn=Sintel" />
  <torznab:attr name="downloadvolumefactor" value="0" />
  <torznab:attr name="uploadvolumefactor" value="1" />
</item>"""

ENCLOSURE_ONLY = """
<item>
  <title>Big.Buck.Bunny.2008.720p.BluRay.x264-DEMO</title>
  <guid>https://tracker.example/details/2</guid>
  <pubDate>Mon, 02 Jan 2023 10:00:00 +0000</pubDate>
  <link>https://tracker.example/download/2.torrent?passkey=abc</link>
  <enclosure url="https://tracker.example/download/2.torrent?passkey=abc" length="734003200"
             type="application/x-bittorrent" />
  <torznab:attr name="seeders" value="7" />
  <torznab:attr name="peers" value="9" />
</item>"""

NO_SEEDERS_ATTR = """
<item>
  <title>Tears.of.Steel.2012.2160p.WEB-DL-DEMO</title>
  <guid>tos-4k</guid>
  <enclosure url="https://tracker.example/download/3.torrent" type="application/x-bittorrent" />
</item>"""


def test_a_magnet_only_item_gives_every_field() -> None:
    [release] = parse_feed(feed(MAGNET_ONLY), "Demo")
    assert release.name == "Sintel.2010.1080p.BluRay.x264-DEMO"
    assert release.indexer == "Demo"
    assert release.guid == "https://tracker.example/details/1"
    assert release.size == 1288490189
    assert (release.seeders, release.leechers) == (42, 8)  # Torznab peers count the seeders too
    assert release.magnet_uri == f"magnet:?xt=urn:btih:{HASH}&dn=Sintel"
    assert release.torrent_url is None
    assert release.info_hash == HASH
    assert (release.imdb_id, release.tmdb_id) == ("tt1727587", 45745)
    assert release.published_at == datetime(2015, 3, 14, 21, 10, 42, tzinfo=UTC)


def test_an_enclosure_only_item_is_a_torrent_url_with_its_size() -> None:
    [release] = parse_feed(feed(ENCLOSURE_ONLY), "Demo")
    assert release.torrent_url == "https://tracker.example/download/2.torrent?passkey=abc"
    assert release.magnet_uri is None
    assert release.info_hash is None
    assert release.size == 734003200
    assert (release.seeders, release.leechers) == (7, 2)


def test_seeders_left_out_stay_unknown_not_zero() -> None:
    [release] = parse_feed(feed(NO_SEEDERS_ATTR), "Demo")
    assert release.seeders is None
    assert release.leechers is None
    assert release.size is None


@pytest.mark.parametrize(
    ("attrs", "imdb_id", "tmdb_id"),
    [
        ('<torznab:attr name="imdb" value="0133093" />', "tt0133093", None),
        ('<torznab:attr name="imdbid" value="tt0133093" />', "tt0133093", None),
        (
            '<torznab:attr name="imdbid" value="133093" /><torznab:attr name="tmdbid" value="603" />',
            "tt0133093",
            603,
        ),
        ('<torznab:attr name="imdbid" value="tt12345678" />', "tt12345678", None),
        ('<torznab:attr name="imdbid" value="0" /><torznab:attr name="tmdbid" value="0" />', None, None),
        ('<torznab:attr name="imdbid" value="not-an-id" />', None, None),
    ],
)
def test_ids_are_read_in_every_form_indexers_send(
    attrs: str, imdb_id: str | None, tmdb_id: int | None
) -> None:
    xml = f"<item><title>The.Matrix.1999.1080p</title><link>magnet:?xt=urn:btih:{HASH}</link>{attrs}</item>"
    [release] = parse_feed(feed(xml), "Demo")
    assert (release.imdb_id, release.tmdb_id) == (imdb_id, tmdb_id)


@pytest.mark.parametrize(
    ("attrs", "tags"),
    [
        (
            (
                '<torznab:attr name="tvdbid" value="269613" /><torznab:attr name="season" value="1" />'
                '<torznab:attr name="episode" value="2" />'
            ),
            (269613, 1, 2),
        ),
        # a season pack: no episode; specials are season 0
        ('<torznab:attr name="season" value="0" />', (None, 0, None)),
        # a daily show, Newznab style: the year as season, month/day as episode; the name says it better
        (
            '<torznab:attr name="season" value="2023" /><torznab:attr name="episode" value="10/17" />',
            (None, None, None),
        ),
        (
            '<torznab:attr name="tvdbid" value="0" /><torznab:attr name="episode" value="x" />',
            (None, None, None),
        ),
    ],
)
def test_a_shows_tags_are_read(attrs: str, tags: tuple) -> None:
    xml = f"<item><title>Fargo.S01E02.720p</title><link>magnet:?xt=urn:btih:{HASH}</link>{attrs}</item>"
    [release] = parse_feed(feed(xml), "Demo")
    assert (release.tvdb_id, release.season, release.episode) == tags


def test_a_base32_magnet_gives_the_hex_info_hash() -> None:
    base32 = "ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW"  # the same 20 bytes as HASH
    xml = f"<item><title>Sintel 2010</title><link>magnet:?dn=Sintel&amp;xt=urn:btih:{base32}</link></item>"
    [release] = parse_feed(feed(xml), "Demo")
    assert release.info_hash == HASH


def test_newznab_attributes_count_as_well() -> None:
    xml = f"""<item><title>Sintel 2010</title><link>magnet:?xt=urn:btih:{HASH}</link>
        <newznab:attr name="seeders" value="3" /><newznab:attr name="size" value="1000" /></item>"""
    [release] = parse_feed(
        feed(xml, ns='xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/"'), "D"
    )
    assert (release.seeders, release.size) == (3, 1000)


def test_items_without_a_title_or_a_way_to_download_are_left_out() -> None:
    no_link = "<item><title>Sintel 2010</title><guid>x</guid></item>"
    no_title = f"<item><link>magnet:?xt=urn:btih:{HASH}</link></item>"
    releases = parse_feed(feed(no_link, no_title, MAGNET_ONLY), "Demo")
    assert [r.name for r in releases] == ["Sintel.2010.1080p.BluRay.x264-DEMO"]


def test_nonsense_numbers_are_dropped_not_fatal() -> None:
    xml = f"""<item><title>Sintel 2010</title><link>magnet:?xt=urn:btih:{HASH}</link><size>big</size>
        <pubDate>yesterday</pubDate><torznab:attr name="seeders" value="1e999" /></item>"""
    [release] = parse_feed(feed(xml), "Demo")
    assert (release.size, release.seeders, release.published_at) == (None, None, None)


def test_an_empty_channel_is_no_releases() -> None:
    assert parse_feed(feed(), "Demo") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty answer"),
        (b"<rss><channel><item><title>Sintel</title></channel></rss>", "not valid XML"),
        (b"Service Unavailable", "not valid XML"),
        (b"<!DOCTYPE html><html><body><h1>Login</h1></body></html>", "an HTML page"),
        (b"<html><head><title>Jackett</title></head><body>502</body></html>", "an HTML page"),
        (b'<?xml version="1.0"?><rss version="2.0"></rss>', "without a <channel>"),
        (b'<?xml version="1.0"?><caps><server title="x"/></caps>', "expected an RSS feed, got <caps>"),
    ],
)
def test_what_is_not_a_feed_fails_the_indexer_with_a_clear_message(body: bytes, message: str) -> None:
    with pytest.raises(MalformedFeed, match=message):
        parse_feed(body, "Demo")


def test_entity_expansion_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><item><title>&lol2;</title></item></channel></rss>"""
    with pytest.raises(MalformedFeed, match="unsafe XML refused"):
        parse_feed(bomb, "Demo")


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<error code="100" description="Invalid API Key" />',
            100,
            "Invalid API Key (Torznab error 100)",
        ),
        (
            b'<error code="201" description="Incorrect parameter (imdbid)"/>',
            201,
            "Incorrect parameter (imdbid)",
        ),
        (b"<error/>", None, "the indexer reported an error"),
    ],
)
def test_a_torznab_error_document_keeps_its_code_and_words(
    body: bytes, code: int | None, message: str
) -> None:
    with pytest.raises(TorznabError) as caught:
        parse_feed(body, "Demo")
    assert caught.value.torznab_code == code
    assert message in caught.value.message


JACKETT_CAPS = b"""<?xml version="1.0" encoding="UTF-8"?>
<caps>
  <server title="Jackett" />
  <limits default="100" max="100" />
  <searching>
    <search available="yes" supportedParams="q" />
    <tv-search available="yes" supportedParams="q,season,ep,imdbid" />
    <movie-search available="yes" supportedParams="q,imdbid,tmdbid" />
    <music-search available="no" supportedParams="q" />
  </searching>
  <categories>
    <category id="2000" name="Movies"><subcat id="2040" name="Movies/HD" /></category>
    <category id="5000" name="TV" />
    <category id="100001" name="Movies HD" />
  </categories>
</caps>"""


def test_caps_say_which_searches_and_parameters_exist() -> None:
    caps = parse_caps(JACKETT_CAPS)
    assert caps.movie_search.supports("imdbid")
    assert caps.movie_search.supports("q")
    assert caps.tv_search.supports("season")
    assert caps.search.supports("q")
    assert caps.categories == {2000, 2040, 5000, 100001}
    assert caps.describe() == "movie search by IMDb id"


def test_caps_without_movie_search_fall_back_to_plain_search() -> None:
    caps = parse_caps(
        b'<caps><searching><search available="yes"/><movie-search available="no" '
        b'supportedParams="q,imdbid"/></searching></caps>'
    )
    assert not caps.movie_search.available
    assert not caps.movie_search.supports("imdbid")
    assert caps.search.supports("q")  # supportedParams left out means q
    assert caps.describe() == "search by title"


def test_caps_answered_with_an_error_raise_it() -> None:
    with pytest.raises(TorznabError, match="Invalid API Key"):
        parse_caps(b'<error code="100" description="Invalid API Key"/>')


def test_a_feed_where_caps_were_expected_is_malformed() -> None:
    with pytest.raises(MalformedFeed, match="expected a Torznab caps document"):
        parse_caps(feed())
