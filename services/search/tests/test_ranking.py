"""The default matching and ranking, as tables of real release names."""

import hashlib

import pytest
from search.parsing import parse_release
from search.ranking import rank
from search.ranking.rules import HasSeeders, TitleMatches, Wanted, YearMatches
from search.ranking.titles import normalise_title

from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases, Rejection, RejectionCode, Release

SINTEL = FindReleases(tmdb_id=45745, title="Sintel", year=2010, imdb_id="tt1727587")


def release(name: str, seeders: int | None = 10, *, info_hash: str | None = None, **kwargs) -> Release:
    info_hash = info_hash or hashlib.sha1(name.encode()).hexdigest()
    return Release(
        name=name,
        indexer=kwargs.pop("indexer", "Demo"),
        seeders=seeders,
        info_hash=info_hash,
        parsed=parse_release(name),
        **kwargs,
    )


def names(releases: list[Release]) -> list[str]:
    return [r.name for r in releases]


def test_1080p_then_720p_then_2160p_then_the_rest() -> None:
    ranking = rank(
        SINTEL,
        [
            release("Sintel.2010.DVDRip.XviD-GRP", 500),
            release("Sintel.2010.2160p.UHD.BluRay.x265-GRP", 400),
            release("Sintel.2010.720p.BluRay.x264-GRP", 300),
            release("Sintel.2010.1080p.BluRay.x264-GRP", 5),
        ],
    )
    assert names(ranking.accepted) == [
        "Sintel.2010.1080p.BluRay.x264-GRP",
        "Sintel.2010.720p.BluRay.x264-GRP",
        "Sintel.2010.2160p.UHD.BluRay.x265-GRP",
        "Sintel.2010.DVDRip.XviD-GRP",
    ]
    assert ranking.rejected == []
    scores = [r.score for r in ranking.accepted]
    assert scores == sorted(scores, reverse=True)


def test_an_interlaced_broadcast_is_judged_as_its_progressive_quality() -> None:
    ranking = rank(
        SINTEL,
        [
            release("Sintel.2010.720p.HDTV.x264-GRP", 300),
            release("Sintel.2010.1080i.HDTV.MPEG2-GRP", 20),
            release("Sintel.2010.DVDRip.XviD-GRP", 500),
        ],
    )
    assert names(ranking.accepted) == [
        "Sintel.2010.1080i.HDTV.MPEG2-GRP",
        "Sintel.2010.720p.HDTV.x264-GRP",
        "Sintel.2010.DVDRip.XviD-GRP",
    ]


def test_more_seeders_first_within_a_resolution() -> None:
    ranking = rank(
        SINTEL,
        [
            release("Sintel.2010.1080p.WEB-DL.DD5.1.H.264-A", 12),
            release("Sintel.2010.1080p.BluRay.x264-B", 340),
            release("Sintel (2010) [1080p] [YTS.MX]", 55),
            release("Sintel.2010.1080p.x265-D", None),  # unknown counts as none
        ],
    )
    assert names(ranking.accepted) == [
        "Sintel.2010.1080p.BluRay.x264-B",
        "Sintel (2010) [1080p] [YTS.MX]",
        "Sintel.2010.1080p.WEB-DL.DD5.1.H.264-A",
        "Sintel.2010.1080p.x265-D",
    ]


@pytest.mark.parametrize(
    ("name", "seeders", "reasons"),
    [
        ("Sintel.2010.1080p.BluRay.x264-GRP", 10, []),
        ("Sintel.2011.1080p.BluRay.x264-GRP", 10, []),  # one year off: premieres and countries differ
        ("Sintel.2009.720p.BluRay.x264-GRP", 10, []),
        ("Sintel.2008.1080p.BluRay.x264-GRP", 10, ["wrong year 2008"]),
        ("Sintel.1999.1080p.BluRay.x264-GRP", 0, ["wrong year 1999", "no seeders"]),
        ("Sintel.1080p.BluRay.x264-GRP", 10, []),  # no year in the name: nothing to hold against it
        ("Tears.of.Steel.2012.1080p.BluRay.x264-GRP", 10, ["title does not match", "wrong year 2012"]),
        ("Sintel.The.Return.2010.1080p.BluRay-GRP", 10, ["title does not match"]),
        ("Sintel.2010.1080p.BluRay.x264-GRP", 0, ["no seeders"]),
    ],
)
def test_rejections_in_words(name: str, seeders: int, reasons: list[str]) -> None:
    ranking = rank(SINTEL, [release(name, seeders)])
    if reasons:
        [rejected] = ranking.rejected
        assert [r.message for r in rejected.rejections] == reasons
        assert ranking.accepted == []
    else:
        assert names(ranking.accepted) == [name]
        assert ranking.accepted[0].rejections == []


@pytest.mark.parametrize(
    ("wanted", "name"),
    [
        ("The Matrix", "Matrix.1999.1080p.BluRay.x264-GRP"),
        ("Matrix", "The.Matrix.1999.1080p.BluRay.x264-GRP"),
        ("Amélie", "Amelie.2001.1080p.BluRay.x264-GRP"),
        ("Les Misérables", "Les.Miserables.2012.1080p.BluRay.x264-GRP"),
        ("Mr. & Mrs. Smith", "Mr.and.Mrs.Smith.2005.1080p.BluRay.x264-GRP"),
        ("Ocean's Eleven", "Oceans.Eleven.2001.720p.BluRay.x264-GRP"),
        ("Spider-Man: No Way Home", "Spider-Man.No.Way.Home.2021.1080p.WEB-DL-GRP"),
        ("WALL·E", "WALL-E.2008.1080p.BluRay.x264-GRP"),
        ("Se7en", "SE7EN.1995.1080p.BluRay.x264-GRP"),
    ],
)
def test_titles_match_across_case_accents_punctuation_and_articles(wanted: str, name: str) -> None:
    parsed = parse_release(name)
    request = FindReleases(tmdb_id=1, title=wanted, year=parsed.year)
    assert names(rank(request, [release(name)]).accepted) == [name]


def test_original_and_alternative_titles_match_too() -> None:
    request = FindReleases(
        tmdb_id=194,
        title="Amélie",
        original_title="Le Fabuleux Destin d'Amélie Poulain",
        alternative_titles=["Amelie from Montmartre"],
        year=2001,
    )
    ranking = rank(
        request,
        [
            release("Le.Fabuleux.Destin.dAmelie.Poulain.2001.1080p.BluRay.x264-GRP"),
            release("Amelie.From.Montmartre.2001.720p.DVDRip-GRP"),
            release("Amelie.2001.2160p.UHD.BluRay-GRP"),
            release("Poulain.2001.1080p-GRP"),
        ],
    )
    assert names(ranking.accepted) == [
        "Le.Fabuleux.Destin.dAmelie.Poulain.2001.1080p.BluRay.x264-GRP",
        "Amelie.From.Montmartre.2001.720p.DVDRip-GRP",
        "Amelie.2001.2160p.UHD.BluRay-GRP",
    ]
    assert names(ranking.rejected) == ["Poulain.2001.1080p-GRP"]


@pytest.mark.parametrize(
    "ids",
    [{"imdb_id": "tt1727587"}, {"imdb_id": "1727587"}, {"tmdb_id": 45745}],
    ids=["imdb", "imdb-digits", "tmdb"],
)
def test_an_id_match_wins_over_the_name(ids: dict) -> None:
    # Oddly named uploads: the indexer knows which film it is. (A language tag is the profile's business:
    # a German-only release is a dub, whatever film it is; see test_ranking_rules.py.)
    name = "Sintel.Der.Film.2008.1080p.BluRay.x264-GRP"
    ranking = rank(SINTEL, [release(name, **ids)])
    assert names(ranking.accepted) == [name]


def test_an_id_match_does_not_excuse_zero_seeders() -> None:
    ranking = rank(SINTEL, [release("Sintel.2010.1080p.BluRay.x264-GRP", 0, imdb_id="tt1727587")])
    assert ranking.rejected[0].rejections == [Rejection(code=RejectionCode.NO_SEEDERS, message="no seeders")]


def test_duplicates_by_info_hash_keep_the_best_seeded() -> None:
    shared = "c9e15763f722f23e98a29decdfae341b98d53056"
    ranking = rank(
        SINTEL,
        [
            release("Sintel.2010.1080p.BluRay.x264-GRP", 10, info_hash=shared, indexer="A"),
            release("Sintel 2010 1080p BluRay x264-GRP", 25, info_hash=shared, indexer="B"),
            release("Sintel.2010.1080p.BluRay.x264-GRP", 7, info_hash=shared, indexer="C"),
            release("Sintel.2010.720p.BluRay.x264-GRP", 3),
        ],
    )
    assert [(r.indexer, r.seeders) for r in ranking.accepted] == [("B", 25), ("Demo", 3)]


def test_releases_without_an_info_hash_are_all_kept() -> None:
    found = [
        Release(
            name="Sintel.2010.1080p.BluRay.x264-GRP",
            indexer=i,
            seeders=5,
            torrent_url=f"http://{i}/t",
            parsed=parse_release("Sintel.2010.1080p.BluRay.x264-GRP"),
        )
        for i in ("a", "b")
    ]
    assert len(rank(SINTEL, found).accepted) == 2


@pytest.mark.parametrize(
    ("name", "reasons"),
    [
        ("The.Office.US.S03E05.720p.WEB-DL.DD5.1.H.264-NTb", []),
        ("The.Office.US.S03.1080p.BluRay.x264-GRP", []),  # the season pack holds the episode
        ("The.Office.US.S03E06.720p.WEB-DL.DD5.1.H.264-NTb", ["another episode: S03E06"]),
        ("The.Office.US.S02E05.720p.WEB-DL.DD5.1.H.264-NTb", ["another season: S02"]),
    ],
)
def test_episodes_must_be_the_wanted_one(name: str, reasons: list[str]) -> None:
    request = FindReleases(tmdb_id=2316, media_type=MediaType.TV, title="The Office", season=3, episode=5)
    ranking = rank(request, [release(name)])
    assert [[x.message for x in r.rejections] for r in ranking.accepted + ranking.rejected] == [reasons]


def test_each_rule_gives_a_typed_reason_or_none() -> None:
    wanted = Wanted.of(SINTEL)
    wrong = release("Big.Buck.Bunny.2008.1080p-GRP", 0)
    assert TitleMatches().check(wrong, wanted).code is RejectionCode.TITLE_MISMATCH
    assert YearMatches().check(wrong, wanted).code is RejectionCode.WRONG_YEAR
    assert HasSeeders().check(wrong, wanted).code is RejectionCode.NO_SEEDERS
    right = release("Sintel.2010.1080p-GRP", 4)
    assert [rule.check(right, wanted) for rule in (TitleMatches(), YearMatches(), HasSeeders())] == [None] * 3


@pytest.mark.parametrize(
    ("title", "normal"),
    [
        ("The Amélie & Co.: Part II", "amelie and co part ii"),
        ("Ocean\u2019s Eleven", "oceans eleven"),
        ("A", "a"),
        ("The", "the"),
        ("Ærø Straße", "aero strasse"),
    ],
)
def test_title_normal_form(title: str, normal: str) -> None:
    assert normalise_title(title) == normal
