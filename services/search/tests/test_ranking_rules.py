"""Each quality-profile rule alone: the typed reason it gives and the words a user reads."""

import hashlib

import pytest
from search.parsing import parse_release
from search.ranking import rank
from search.ranking.profiles import UnknownProfile, choose_profile
from search.ranking.rules import (
    HasSeeders,
    LanguageUnderstood,
    NoRejectedWord,
    NotBlocklisted,
    NotSample,
    QualityAllowed,
    SizeFits,
    SourceAllowed,
    Wanted,
)

from niluflix.contracts.common import ErrorCode
from niluflix.contracts.quality import Source
from niluflix.contracts.search import FindReleases, RejectionCode, Release
from niluflix.contracts.settings import QualityProfile, SharedSettings, SizeLimit, WordScore

MATRIX = FindReleases(tmdb_id=603, title="The Matrix", year=1999, runtime=136)
GB = 1_000_000_000


def release(name: str, *, size: float | None = 10 * GB, seeders: int | None = 50) -> Release:
    return Release(
        name=name,
        indexer="Demo",
        size=int(size) if size is not None else None,
        seeders=seeders,
        info_hash=hashlib.sha1(name.encode()).hexdigest(),
        parsed=parse_release(name),
    )


def reason(rule, name: str, request: FindReleases = MATRIX, profile: QualityProfile | None = None, **kwargs):
    rejection = rule.check(release(name, **kwargs), Wanted.of(request, profile))
    return None if rejection is None else (rejection.code, rejection.message)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("The.Matrix.1999.HDCAM.x264-GRP", "CAM"),
        ("The.Matrix.1999.CAMRip.XviD-GRP", "CAM"),
        ("The.Matrix.1999.HDTS.x264-GRP", "TS"),
        ("The.Matrix.1999.720p.TELESYNC.x264-GRP", "TS"),
        ("The.Matrix.1999.TC.XviD-GRP", "TC"),
        ("The.Matrix.1999.DVDSCR.x264-GRP", "SCR"),
    ],
)
def test_cams_telesyncs_telecines_and_screeners_are_rejected(name: str, shown: str) -> None:
    assert reason(SourceAllowed(), name) == (RejectionCode.REJECTED_SOURCE, shown)


@pytest.mark.parametrize(
    "name",
    [
        "The.Matrix.1999.1080p.BluRay.x264-GRP",
        "The.Matrix.1999.1080p.WEB-DL.H.264-GRP",
        "The.Matrix.1999.DVDRip.XviD-GRP",
    ],
)
def test_real_sources_pass(name: str) -> None:
    assert reason(SourceAllowed(), name) is None


def test_a_profile_may_allow_a_source_the_default_rejects() -> None:
    lenient = QualityProfile(name="Anything", rejected_sources=["SCR"])
    assert reason(SourceAllowed(), "The.Matrix.1999.HDCAM.x264-GRP", profile=lenient) is None
    assert (
        reason(SourceAllowed(), "The.Matrix.1999.DVDSCR.x264-GRP", profile=lenient)[0]
        is RejectionCode.REJECTED_SOURCE
    )


# One real release name of every source a profile can list (the UI offers exactly these).
EVERY_SOURCE = {
    Source.CAM: "The.Matrix.1999.HDCAM.x264-GRP",
    Source.TELESYNC: "The.Matrix.1999.720p.TELESYNC.x264-GRP",
    Source.TELECINE: "The.Matrix.1999.TC.XviD-GRP",
    Source.WORKPRINT: "The.Matrix.1999.WORKPRINT.XviD-GRP",
    Source.SCREENER: "The.Matrix.1999.DVDSCR.x264-GRP",
    Source.DVD: "The.Matrix.1999.DVDRip.XviD-GRP",
    Source.HDTV: "The.Matrix.1999.720p.HDTV.x264-GRP",
    Source.HDRIP: "The.Matrix.1999.720p.HDRip.x264.AC3-GRP",
    Source.WEBRIP: "The.Matrix.1999.1080p.WEBRip.x264-GRP",
    Source.WEB_DL: "The.Matrix.1999.1080p.AMZN.WEB-DL.DDP5.1.H.264-GRP",
    Source.BLURAY: "The.Matrix.1999.1080p.BluRay.x264-GRP",
    Source.REMUX: "The.Matrix.1999.1080p.BluRay.REMUX.AVC.DTS-HD.MA.5.1-GRP",
}


def test_every_source_has_a_release_name_here() -> None:
    assert set(EVERY_SOURCE) == set(Source)


@pytest.mark.parametrize(("source", "name"), EVERY_SOURCE.items(), ids=[s.value for s in EVERY_SOURCE])
def test_a_profile_rule_on_each_source_matches_a_release_of_it(source: Source, name: str) -> None:
    only = QualityProfile(name="Picky", rejected_sources=[source])
    assert reason(SourceAllowed(), name, profile=only) == (RejectionCode.REJECTED_SOURCE, source.value)
    others = QualityProfile(name="Others", rejected_sources=[s for s in Source if s is not source])
    assert reason(SourceAllowed(), name, profile=others) is None


def test_hdrip_is_its_own_source_not_a_webrip() -> None:
    no_hdrip = QualityProfile(name="No HDRip", rejected_sources=["HDRip"])
    assert reason(SourceAllowed(), EVERY_SOURCE[Source.HDRIP], profile=no_hdrip) is not None
    assert reason(SourceAllowed(), EVERY_SOURCE[Source.WEBRIP], profile=no_hdrip) is None


def test_a_profile_names_sources_and_languages_as_people_write_them() -> None:
    written = QualityProfile(
        name="Written", rejected_sources=["telesync", "Cam"], languages=["French", "eng"]
    )
    assert written.rejected_sources == [Source.TELESYNC, Source.CAM]
    assert reason(SourceAllowed(), "The.Matrix.1999.HDTS.x264-GRP", profile=written) == (
        RejectionCode.REJECTED_SOURCE,
        "TS",
    )
    assert (
        reason(LanguageUnderstood(), "The.Matrix.1999.FRENCH.1080p.BluRay.x264-GRP", profile=written) is None
    )
    assert reason(LanguageUnderstood(), "The.Matrix.1999.GERMAN.1080p.BluRay.x264-GRP", profile=written) == (
        RejectionCode.FOREIGN_LANGUAGE,
        "foreign language only: German",
    )


@pytest.mark.parametrize(
    ("name", "size", "request_", "expected"),
    [
        (
            "The.Matrix.1999.1080p.BluRay.x264-GRP",
            0.3 * GB,
            MATRIX,
            (RejectionCode.TOO_SMALL, "too small for 1080p: 300 MB for 136 min"),
        ),
        (
            "The.Matrix.1999.2160p.UHD.BluRay.x265-GRP",
            0.7 * GB,
            MATRIX,
            (RejectionCode.TOO_SMALL, "too small for 2160p: 700 MB for 136 min"),
        ),
        (
            "The.Matrix.1999.720p.BluRay.x264-GRP",
            25 * GB,
            MATRIX,
            (RejectionCode.TOO_BIG, "too big for 720p: 25.0 GB for 136 min"),
        ),
        (
            "The.Matrix.1999.1080p.BluRay.x264.Sample-GRP",
            0.04 * GB,
            MATRIX.model_copy(update={"runtime": None}),
            (RejectionCode.TOO_SMALL, "too small for 1080p: 40 MB"),
        ),
        ("The.Matrix.1999.1080p.BluRay.x264-GRP", 9 * GB, MATRIX, None),
        ("The.Matrix.1999.1080p.BluRay.x265-GRP", 1.6 * GB, MATRIX, None),
        ("The.Matrix.1999.1080p.BluRay.x264-GRP", None, MATRIX, None),  # no size given: nothing to judge
    ],
)
def test_size_per_minute_of_runtime(name: str, size, request_: FindReleases, expected) -> None:
    assert reason(SizeFits(), name, request_, size=size) == expected


def test_a_sample_is_rejected_whatever_its_size() -> None:
    name = "The.Matrix.1999.1080p.BluRay.x264.Sample-GRP"
    assert reason(NotSample(), name, size=2 * GB) == (RejectionCode.SAMPLE, "sample")
    assert reason(NotSample(), "The.Matrix.1999.1080p.BluRay.x264-GRP") is None


def test_size_limits_come_from_the_profile() -> None:
    roomy = QualityProfile(name="Roomy", size_limits=[SizeLimit(quality="other", min_mb_per_minute=0)])
    assert reason(SizeFits(), "The.Matrix.1999.1080p.BluRay.x264-GRP", profile=roomy, size=0.3 * GB) is None


@pytest.mark.parametrize(
    ("seeders", "least", "expected"),
    [
        (0, 1, (RejectionCode.NO_SEEDERS, "no seeders")),
        (0, 0, (RejectionCode.NO_SEEDERS, "no seeders")),
        (3, 5, (RejectionCode.TOO_FEW_SEEDERS, "only 3 seeders (at least 5 wanted)")),
        (5, 5, None),
        (None, 5, None),  # the indexer did not say
    ],
)
def test_minimum_seeders(seeders, least: int, expected) -> None:
    profile = QualityProfile(name="P", min_seeders=least)
    assert (
        reason(HasSeeders(), "The.Matrix.1999.1080p.BluRay.x264-GRP", profile=profile, seeders=seeders)
        == expected
    )


def test_qualities_outside_a_closed_profile_are_rejected() -> None:
    only_4k = QualityProfile(name="4K", qualities=["2160p"], allow_other_qualities=False)
    assert reason(QualityAllowed(), "The.Matrix.1999.1080p.BluRay.x264-GRP", profile=only_4k) == (
        RejectionCode.QUALITY_NOT_ALLOWED,
        "1080p is not in profile 4K",
    )
    assert reason(QualityAllowed(), "The.Matrix.1999.DVDRip.XviD-GRP", profile=only_4k)[1] == (
        "unknown quality is not in profile 4K"
    )
    assert reason(QualityAllowed(), "The.Matrix.1999.2160p.UHD.BluRay.x265-GRP", profile=only_4k) is None
    assert reason(QualityAllowed(), "The.Matrix.1999.DVDRip.XviD-GRP") is None  # the default allows the rest


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The.Matrix.1999.720p.HDRip.x264.KORSUB-GRP", (RejectionCode.REJECTED_WORD, "rejected word KORSUB")),
        ("The.Matrix.1999.1080p.HC.WEBRip.x264-GRP", (RejectionCode.REJECTED_WORD, "rejected word HC")),
        ("The.Matrix.1999.1080p.BluRay.x264-HCGRP", None),  # whole words only
    ],
)
def test_rejected_words(name: str, expected) -> None:
    assert reason(NoRejectedWord(), name) == expected


@pytest.mark.parametrize(
    ("name", "request_", "expected"),
    [
        (
            "The.Matrix.1999.GERMAN.1080p.BluRay.x264-GRP",
            MATRIX,
            (RejectionCode.FOREIGN_LANGUAGE, "foreign language only: German"),
        ),
        (
            "The.Matrix.1999.iTALiAN.1080p.BluRay.x264-GRP",
            MATRIX,
            (RejectionCode.FOREIGN_LANGUAGE, "foreign language only: Italian"),
        ),
        ("The.Matrix.1999.1080p.BluRay.x264-GRP", MATRIX, None),
        ("The.Matrix.1999.MULTi.1080p.BluRay.x264-GRP", MATRIX, None),
        # the German scene's dual-language release: the dub and the original sound
        ("The.Matrix.1999.German.DL.1080p.BluRay.x264-GRP", MATRIX, None),
        # a subtitled original is no dub
        (
            "Parasite.2019.VOSTFR.1080p.BluRay.x264-GRP",
            FindReleases(tmdb_id=496243, title="Parasite", year=2019, original_language="ko"),
            None,
        ),
        ("The Matrix 1999 1080p Rus Eng", MATRIX, None),
        # TMDB's `cn` (Cantonese) is the parser's zh: the original, not a dub
        (
            "Infernal.Affairs.2002.CANTONESE.1080p.BluRay.x264-GRP",
            FindReleases(tmdb_id=10775, title="Infernal Affairs", year=2002, original_language="cn"),
            None,
        ),
        (
            "Parasite.2019.KOREAN.1080p.BluRay.x264-GRP",
            FindReleases(tmdb_id=496243, title="Parasite", year=2019, original_language="ko"),
            None,
        ),
    ],
)
def test_foreign_language_only_releases(name: str, request_: FindReleases, expected) -> None:
    assert reason(LanguageUnderstood(), name, request_) == expected


def test_a_profile_without_languages_takes_any() -> None:
    anyone = QualityProfile(name="Any", languages=[])
    assert (
        reason(LanguageUnderstood(), "The.Matrix.1999.GERMAN.1080p.BluRay.x264-GRP", profile=anyone) is None
    )


def test_blocklisted_info_hashes() -> None:
    name = "The.Matrix.1999.1080p.BluRay.x264-GRP"
    blocked = MATRIX.model_copy(update={"blocklist": [hashlib.sha1(name.encode()).hexdigest().upper()]})
    assert reason(NotBlocklisted(), name, blocked) == (RejectionCode.BLOCKLISTED, "blocklisted")
    assert reason(NotBlocklisted(), name) is None


def test_word_scores_and_codec_order_within_a_quality_and_show_in_the_score() -> None:
    profile = QualityProfile(
        name="Picky",
        preferred_words=[WordScore(word="AMIABLE", score=50), WordScore(word="YIFY", score=-50)],
        preferred_codec="HEVC",
    )
    ranking = rank(
        MATRIX,
        [
            release("The.Matrix.1999.1080p.BluRay.x264-YIFY", seeders=900),
            release("The.Matrix.1999.1080p.BluRay.x264-GRP", seeders=500),
            release("The.Matrix.1999.1080p.BluRay.x265-GRP", size=4 * GB, seeders=10),
            release("The.Matrix.1999.1080p.BluRay.x264-AMIABLE", seeders=5),
            release("The.Matrix.1999.720p.BluRay.x264-AMIABLE", size=5 * GB, seeders=999),
        ],
        profile=profile,
    )
    assert [r.name for r in ranking.accepted] == [
        "The.Matrix.1999.1080p.BluRay.x264-AMIABLE",
        "The.Matrix.1999.1080p.BluRay.x265-GRP",
        "The.Matrix.1999.1080p.BluRay.x264-GRP",
        "The.Matrix.1999.1080p.BluRay.x264-YIFY",
        "The.Matrix.1999.720p.BluRay.x264-AMIABLE",
    ]
    scores = [r.score for r in ranking.accepted]
    assert scores == sorted(scores, reverse=True)


def test_a_rejected_release_lists_every_reason() -> None:
    ranking = rank(MATRIX, [release("The.Matrix.1999.GERMAN.2160p.HDTS.x264-GRP", size=0.5 * GB, seeders=0)])
    assert [(r.code, r.message) for r in ranking.rejected[0].rejections] == [
        (RejectionCode.REJECTED_SOURCE, "TS"),
        (RejectionCode.FAKE, "fake 2160p: 500 MB for 136 min"),
        (RejectionCode.TOO_SMALL, "too small for 2160p: 500 MB for 136 min"),
        (RejectionCode.FOREIGN_LANGUAGE, "foreign language only: German"),
        (RejectionCode.NO_SEEDERS, "no seeders"),
    ]


def test_profiles_are_chosen_by_name_in_any_case_and_unknown_names_are_refused() -> None:
    settings = SharedSettings()
    assert choose_profile(settings, None).name == "Standard"
    assert choose_profile(settings, "4k").name == "4K"
    with pytest.raises(UnknownProfile) as caught:
        choose_profile(settings, "Ultra")
    assert caught.value.code == ErrorCode.INVALID_REQUEST
    assert str(caught.value.message) == "no quality profile named 'Ultra' (profiles: Standard, 4K, Small)"


def test_the_shared_settings_keep_their_profiles_consistent() -> None:
    with pytest.raises(ValueError, match="unique"):
        SharedSettings(
            quality_profiles=[QualityProfile(name="A"), QualityProfile(name="a")], default_profile="A"
        )
    with pytest.raises(ValueError, match="default_profile 'Gone'"):
        SharedSettings(default_profile="Gone")
    with pytest.raises(ValueError, match="at least one"):
        SharedSettings(quality_profiles=[])
