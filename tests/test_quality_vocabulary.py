"""The one vocabulary of resolutions, sources, codecs and languages, as quality profiles read it."""

import json

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from niluflix.contracts.quality import Codec, Language, Resolution, Source
from niluflix.contracts.settings import QualityProfile, SharedSettings, SizeLimit
from niluflix.secretbox import SecretBox
from niluflix.settings_store import decode_settings

# Settings as the version before this vocabulary stored them: the defaults, and a profile typed through the
# API in the spellings its search understood.
STORED_BEFORE = {
    "library_dir": "/data/media/Movies",
    "quality_profiles": [
        {
            "name": "Standard",
            "qualities": ["1080p", "720p", "2160p"],
            "allow_other_qualities": True,
            "rejected_sources": ["CAM", "TS", "TC", "SCR"],
            "size_limits": [
                {"quality": "2160p", "min_mb_per_minute": 15.0, "max_mb_per_minute": 800.0},
                {"quality": "other", "min_mb_per_minute": 1.5, "max_mb_per_minute": 80.0},
            ],
            "preferred_words": [],
            "rejected_words": ["KORSUB", "HC", "HARDSUB", "HARDCODED"],
            "min_seeders": 1,
            "preferred_codec": None,
            "languages": ["en"],
        },
        {
            "name": "Typed",
            "qualities": ["1080P", "1080i", " 720p "],
            "rejected_sources": ["telesync", "HDCAM", "DVDScr", "HDRip", "WORKPRINT", ""],
            "size_limits": [{"quality": "1080P", "min_mb_per_minute": 4}],
            "preferred_codec": "HEVC",
            "languages": ["French", "fre", "EN", "ja"],
        },
    ],
    "default_profile": "Standard",
}


def test_settings_stored_before_still_load_in_the_canonical_spelling() -> None:
    box = SecretBox(Fernet.generate_key())
    settings = decode_settings(json.dumps(STORED_BEFORE).encode(), box)
    assert settings.profile("Standard") == SharedSettings().profile("Standard").model_copy(
        update={"size_limits": settings.profile("Standard").size_limits}
    )
    typed = settings.profile("Typed")
    assert typed.qualities == [Resolution.R1080P, Resolution.R720P]
    assert typed.rejected_sources == [
        Source.TELESYNC,
        Source.CAM,
        Source.SCREENER,
        Source.HDRIP,
        Source.WORKPRINT,
    ]
    assert typed.size_limits[0].quality is Resolution.R1080P
    assert typed.preferred_codec is Codec.X265
    assert typed.languages == [Language.FRENCH, Language.ENGLISH, Language.JAPANESE]
    # and they are stored as plain names again
    assert json.loads(typed.model_dump_json())["rejected_sources"] == [
        "TS",
        "CAM",
        "SCR",
        "HDRip",
        "WORKPRINT",
    ]


def test_names_stored_before_that_were_never_known_are_dropped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stored = {
        "quality_profiles": [
            {
                "name": "Typos",
                "qualities": ["1080p", "1080"],
                "rejected_sources": ["CAMM", "TS"],
                "languages": ["en", "sp"],
                "size_limits": [{"quality": "huge", "min_mb_per_minute": 1}, {"quality": "other"}],
                "preferred_codec": "x266",
            }
        ],
        "default_profile": "Typos",
    }
    box = SecretBox(Fernet.generate_key())
    with caplog.at_level("WARNING"):
        typos = decode_settings(json.dumps(stored).encode(), box).profile()
    assert (typos.qualities, typos.rejected_sources, typos.languages) == (["1080p"], ["TS"], ["en"])
    assert ([s.quality for s in typos.size_limits], typos.preferred_codec) == (["other"], None)
    assert [r.getMessage() for r in caplog.records] == [
        "quality profile 'Typos': qualities '1080' is not a known name; ignoring it",
        "quality profile 'Typos': rejected_sources 'CAMM' is not a known name; ignoring it",
        "quality profile 'Typos': languages 'sp' is not a known name; ignoring it",
        "quality profile 'Typos': size_limits 'huge' is not a known name; ignoring it",
        "quality profile 'Typos': preferred_codec 'x266' is not a known name; ignoring it",
    ]


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        (
            "rejected_sources",
            ["CAM", "HDRIPP"],
            "unknown source 'HDRIPP'; valid: CAM, TS, TC, WORKPRINT, SCR",
        ),
        ("qualities", ["1080"], "unknown resolution '1080'; valid: 2160p, 1440p, 1080p"),
        ("languages", ["english", "elvish"], "unknown language 'elvish'; valid: en, fr, de"),
        ("preferred_codec", "x266", "unknown codec 'x266'; valid: x264, x265, AV1"),
    ],
)
def test_a_name_outside_the_vocabulary_is_refused_with_the_valid_names(field: str, value, said: str) -> None:
    with pytest.raises(ValidationError) as caught:
        QualityProfile(name="Typo", **{field: value})
    [error] = caught.value.errors()
    assert error["loc"] == (field,)
    assert said in error["msg"]


def test_a_size_limit_names_a_resolution_or_other() -> None:
    assert SizeLimit(quality="4K").quality is Resolution.R2160P
    assert SizeLimit(quality="Other").quality == "other"
    with pytest.raises(ValidationError, match="unknown resolution 'huge'; valid: 2160p.*, or other"):
        SizeLimit(quality="huge")


def test_every_value_reads_as_itself_and_its_name() -> None:
    for vocabulary in (Resolution, Source, Codec, Language):
        for value in vocabulary:
            assert vocabulary.named(value.value.lower()) is value
    assert all(Language.named(language.label) is language for language in Language)


def test_the_same_names_sent_by_a_user_are_refused() -> None:
    # Only settings read back from the bucket are lenient (decode_settings); a change a user sends is not.
    sent = {
        "quality_profiles": [{"name": "Typos", "languages": ["en", "sp"]}],
        "default_profile": "Typos",
    }
    with pytest.raises(ValidationError, match="unknown language 'sp'; valid: en, fr"):
        SharedSettings.model_validate(sent)
