"""What release names say: real names are the spec."""

import pytest
from search.parsing import parse_release
from search.parsing.ids import imdb_digits, info_hash_from_magnet, normalise_imdb_id, normalise_info_hash

HASH = "c9e15763f722f23e98a29decdfae341b98d53056"


@pytest.mark.parametrize(
    ("name", "title", "year", "resolution", "source", "group"),
    [
        ("Sintel.2010.1080p.BluRay.x264-GRP", "Sintel", 2010, "1080p", "BluRay", "GRP"),
        (
            "Tears.of.Steel.2012.720p.WEB-DL.AAC2.0.H.264-DEMO",
            "Tears of Steel",
            2012,
            "720p",
            "WEB-DL",
            "DEMO",
        ),
        (
            "Big.Buck.Bunny.2008.2160p.UHD.BluRay.HDR.DTS-HD.MA.5.1.x265-NoGroup",
            "Big Buck Bunny",
            2008,
            "2160p",
            "BluRay",
            "NoGroup",
        ),
        ("Amélie (2001) [2160p] [4K] [BluRay] [5.1] [YTS.MX]", "Amélie", 2001, "2160p", "BluRay", "YTS.MX"),
        (
            "Blade.Runner.2049.2017.1080p.WEBRip.x264-RARBG",
            "Blade Runner 2049",
            2017,
            "1080p",
            "WEBRip",
            "RARBG",
        ),
        (
            "2001.A.Space.Odyssey.1968.1080p.BluRay.x264",
            "2001 A Space Odyssey",
            1968,
            "1080p",
            "BluRay",
            None,
        ),
        ("Cosmos.Laundromat.2015.CAM.XviD-EVO", "Cosmos Laundromat", 2015, None, "CAM", "EVO"),
        ("Spider-Man: No Way Home (2021) 1080p", "Spider-Man: No Way Home", 2021, "1080p", None, None),
    ],
)
def test_movie_names(
    name: str, title: str, year: int, resolution: str | None, source: str | None, group: str | None
) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.year, parsed.resolution, parsed.source, parsed.group) == (
        title,
        year,
        resolution,
        source,
        group,
    )


def test_proper_repack_codec_and_language() -> None:
    parsed = parse_release("Sintel.2010.FRENCH.PROPER.REPACK.1080p.BluRay.x265.10bit-GRP")
    assert (parsed.proper, parsed.repack, parsed.codec, parsed.languages) == (True, True, "x265", ["fr"])


@pytest.mark.parametrize(
    ("name", "title", "languages", "subtitles"),
    [
        # the original sound with French subtitles: no language of its own is spoken
        ("Parasite.2019.VOSTFR.1080p.BluRay.x264-GRP", "Parasite", [], ["fr"]),
        ("The.Matrix.1999.MULTi.SUBFRENCH.1080p.BluRay.x264-GRP", "The Matrix", ["multi"], ["fr"]),
        ("Dune.2021.1080p.WEB-DL.Multi-Sub.DDP5.1.x264-GRP", "Dune", [], ["multi"]),
        ("Spirited Away (2001) [1080p] [BluRay] [Eng Subs]", "Spirited Away", [], ["en"]),
        ("Amelie.2001.FRENCH.1080p.BluRay.x264.ENG.SUBS-GRP", "Amelie", ["fr"], ["en"]),
        ("Burning.2018.KOR.ENG.SUB.1080p.WEB.x264-GRP", "Burning", ["ko"], ["en"]),
        ("Gomorra.2008.iTALiAN.SUBBED.1080p.WEB.x264-GRP", "Gomorra", [], ["it"]),
        ("RRR 2022 1080p WEBRip Hindi ESub x264-GRP", "RRR", ["hi"], ["en"]),
        ("The.Bridge.S01E02.720p.HDTV.x264.NLSubs-GRP", "The Bridge", [], ["nl"]),
        ("Movie.2019.SUB.ITA.1080p.WEB.x264-GRP", "Movie", [], ["it"]),
        # a subtitle word before the language (Portuguese, Spanish), or a kind of subtitles after it
        ("Show.Name.S06E05.1080p.WEBRip.Legendado.PT-BR", "Show Name", [], ["pt"]),
        ("Show.Name.S01E03.HDTV.Subtitulado.Español.SC", "Show Name", [], ["es"]),
        ("Show.Name.S04E21.German.Custom.Subbed.720p.HDTV.x264-GRP", "Show Name", [], ["de"]),
        ("Show.Name.2013.Season.3.Eng.Soft.Subtitles.720p.WEBRip.x264", "Show Name", [], ["en"]),
        ("Rocky 1976 French SubForced BRRip x264 AC3-FUNKY", "Rocky", [], ["fr"]),
        ("Le Cinquieme Commando 1971 SUBFORCED FRENCH DVDRiP XViD AC3", "Le Cinquieme Commando", [], ["fr"]),
        # words of titles, not tags
        ("Sub.Zero.2019.1080p.WEB.x264-GRP", "Sub Zero", [], []),
        ("Vost.2019.1080p.WEB.x264-GRP", "Vost", [], []),
    ],
)
def test_subtitle_tags_are_not_spoken_languages(
    name: str, title: str, languages: list[str], subtitles: list[str]
) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.languages, parsed.subtitles) == (title, languages, subtitles)


@pytest.mark.parametrize(
    ("name", "season", "episodes"),
    [
        ("The.Office.US.S03E05.720p.WEB-DL.DD5.1.H.264-NTb", 3, [5]),
        ("Chernobyl.S01E01-E02.1080p.WEB.H264-GRP", 1, [1, 2]),
        ("Breaking.Bad.S02.1080p.BluRay.x264-ROVERS", 2, []),
        ("Breaking Bad S01-S05 Complete 1080p", None, []),  # a multi-season pack names no single season
    ],
)
def test_episode_names(name: str, season: int | None, episodes: list[int]) -> None:
    parsed = parse_release(name)
    assert (parsed.season, parsed.episodes) == (season, episodes)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HASH, HASH),
        (HASH.upper(), HASH),
        ("ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW", HASH),
        ("zhqvoy7xelzd5gfctxwn7lrudomnkmcw", HASH),
        (HASH[:-1], None),
        ("not a hash", None),
        ("", None),
        (None, None),
    ],
)
def test_info_hashes_become_lower_case_hex(value: str | None, expected: str | None) -> None:
    assert normalise_info_hash(value) == expected


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (f"magnet:?xt=urn:btih:{HASH.upper()}&dn=Sintel&tr=udp%3A%2F%2Ftracker%3A1337", HASH),
        ("magnet:?dn=Sintel&xt=urn:btih:ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW", HASH),
        ("magnet:?xt=urn:btmh:1220" + "ab" * 32, None),  # v2-only: no v1 hash to compare
        (f"https://tracker.example/download?xt=urn:btih:{HASH}", None),
        (None, None),
    ],
)
def test_info_hash_from_a_magnet(uri: str | None, expected: str | None) -> None:
    assert info_hash_from_magnet(uri) == expected


@pytest.mark.parametrize(
    ("value", "normal", "digits"),
    [
        ("tt0133093", "tt0133093", "0133093"),
        ("133093", "tt0133093", "0133093"),
        ("TT12345678", "tt12345678", "12345678"),
        ("tt0", None, None),
        ("x", None, None),
    ],
)
def test_imdb_ids(value: str, normal: str | None, digits: str | None) -> None:
    assert (normalise_imdb_id(value), imdb_digits(value)) == (normal, digits)


@pytest.mark.parametrize(
    ("name", "title", "aired"),
    [
        ("The.Daily.Show.2019.10.30.Guest.720p.WEB.x264-GRP", "The Daily Show", "2019-10-30"),
        # day first: 30 is no month
        ("The Late Show 30.10.2019 720p WEB x264", "The Late Show", "2019-10-30"),
        # month first, as US shows are named, when either could be
        ("The.Tonight.Show.10.30.2019.720p.HDTV.x264-GRP", "The Tonight Show", "2019-10-30"),
        ("The.Tonight.Show.02.03.2019.720p.HDTV.x264-GRP", "The Tonight Show", "2019-02-03"),
        # no such day
        ("The.Tonight.Show.31.02.2019.720p.HDTV.x264-GRP", "The Tonight Show", None),
    ],
)
def test_daily_shows_are_dated(name: str, title: str, aired: str | None) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.air_date and parsed.air_date.isoformat()) == (title, aired)
