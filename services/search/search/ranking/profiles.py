"""A quality profile made ready to judge thousands of releases: names reduced to one spelling, words compiled.

Parsers and users spell the same thing many ways (`TeleSync`, `HDTS`, `TS`; `x265`, `HEVC`, `H.265`;
`French`, `FRE`, `fr`); everything is reduced to one spelling here, once per search, so the rules compare
plain strings.
"""

import re
from dataclasses import dataclass, field

from niluflix.contracts.settings import QualityProfile, SharedSettings, SizeLimit
from niluflix.errors import InvalidRequest
from search.errors import SearchError

OTHER = "other"
# Points a preferred codec and a PROPER/REPACK add to a release's score: enough to order equals, never a quality.
CODEC_POINTS = 10
FIX_POINTS = 5

_SOURCES = {
    "CAM": ("cam", "camrip", "hdcam", "hqcam", "cam-rip"),
    "TS": ("ts", "telesync", "hdts", "tsrip", "pdvd", "predvd", "predvdrip", "hd-ts"),
    "TC": ("tc", "telecine", "hdtc", "hd-tc"),
    "SCR": ("scr", "screener", "dvdscr", "dvdscreener", "bdscr", "webscreener", "r5", "scr-rip"),
    "WORKPRINT": ("workprint", "wp"),
    "REMUX": ("remux", "bluray remux", "bdremux", "uhd remux"),
    "BluRay": ("bluray", "blu-ray", "bdrip", "brrip", "bd", "uhd bluray", "bluray rip"),
    "WEB-DL": ("web-dl", "webdl", "web", "web dl"),
    "WEBRip": ("webrip", "web-rip", "web rip"),
    "HDTV": ("hdtv", "pdtv", "sdtv", "tvrip", "dsr", "satrip"),
    "DVD": ("dvd", "dvdrip", "dvd-rip", "dvd-r", "dvd5", "dvd9"),
    "HDRip": ("hdrip",),
}
SOURCE_NAMES = {alias: name for name, aliases in _SOURCES.items() for alias in (*aliases, name.casefold())}

_CODECS = {
    "x265": ("x265", "h265", "h.265", "hevc"),
    "x264": ("x264", "h264", "h.264", "avc"),
    "AV1": ("av1",),
    "XviD": ("xvid", "divx"),
    "MPEG-2": ("mpeg2", "mpeg-2"),
}
CODEC_NAMES = {alias: name for name, aliases in _CODECS.items() for alias in (*aliases, name.casefold())}

_LANGUAGES = {
    "en": ("English", "eng"),
    "fr": ("French", "fre", "fra", "vf", "vff", "truefrench"),
    "de": ("German", "ger", "deu"),
    "es": ("Spanish", "spa", "esp", "castellano", "latino"),
    "it": ("Italian", "ita"),
    "pt": ("Portuguese", "por", "dublado"),
    "ru": ("Russian", "rus"),
    "hi": ("Hindi", "hin"),
    "ta": ("Tamil", "tam"),
    "te": ("Telugu", "tel"),
    "ja": ("Japanese", "jpn", "jap"),
    "ko": ("Korean", "kor"),
    "zh": ("Chinese", "chi", "zho", "chs", "cht", "mandarin", "cantonese"),
    "nl": ("Dutch", "nld", "dut"),
    "sv": ("Swedish", "swe"),
    "da": ("Danish", "dan"),
    "no": ("Norwegian", "nor"),
    "fi": ("Finnish", "fin"),
    "pl": ("Polish", "pol"),
    "tr": ("Turkish", "tur"),
    "ar": ("Arabic", "ara"),
    "cs": ("Czech", "cze", "ces"),
    "hu": ("Hungarian", "hun"),
    "el": ("Greek", "gre", "ell"),
    "he": ("Hebrew", "heb"),
    "th": ("Thai", "tha"),
    "uk": ("Ukrainian", "ukr"),
    "fa": ("Persian", "per", "fas"),
    "vi": ("Vietnamese", "vie"),
    "ro": ("Romanian", "rum", "ron"),
    "bg": ("Bulgarian", "bul"),
    "hr": ("Croatian", "hrv"),
    "sr": ("Serbian", "srp"),
    "sl": ("Slovenian", "slv"),
    "sk": ("Slovak", "slk"),
    "lt": ("Lithuanian", "lit"),
    "lv": ("Latvian", "lav"),
    "et": ("Estonian", "est"),
    "is": ("Icelandic", "isl"),
    "ca": ("Catalan", "cat"),
    "id": ("Indonesian", "ind"),
    "ms": ("Malay", "msa"),
    "tl": ("Tagalog", "tgl"),
    "bn": ("Bengali", "ben"),
    "pa": ("Punjabi", "pan"),
    "mr": ("Marathi", "mar"),
    "ml": ("Malayalam", "mal"),
    "kn": ("Kannada", "kan"),
}
LANGUAGE_CODES = {
    alias.casefold(): code for code, aliases in _LANGUAGES.items() for alias in (code, *aliases)
}
LANGUAGE_NAMES = {code: aliases[0] for code, aliases in _LANGUAGES.items()}
# Tags that say several audio tracks are in the file: the viewer's language is likely among them.
MULTI_LANGUAGE = frozenset({"multi", "dual", "dual audio", "multi audio", "mul"})


class UnknownProfile(SearchError, InvalidRequest):
    """The request names a quality profile that the settings do not hold."""


def canonical_source(source: str | None) -> str | None:
    if not source:
        return None
    return SOURCE_NAMES.get(source.strip().casefold(), source.strip())


def canonical_codec(codec: str | None) -> str | None:
    if not codec:
        return None
    return CODEC_NAMES.get(codec.strip().casefold(), codec.strip())


def canonical_language(language: str) -> str:
    key = language.strip().casefold()
    return "multi" if key in MULTI_LANGUAGE else LANGUAGE_CODES.get(key, key)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


_WORD_PARTS = re.compile(r"[^\W_]+")


def _words_pattern(words: list[str]) -> re.Pattern[str] | None:
    """Whole words in any case, whatever separates them in a release name (dots, dashes, spaces)."""
    parts = [r"[\W_]+".join(re.escape(w) for w in re.split(r"[\W_]+", word) if w) for word in words]
    parts = [p for p in parts if p]
    if not parts:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])", re.IGNORECASE)


def _progressive(resolution: str | None) -> str:
    """`1080i` (a TV broadcast) is judged as 1080p: same lines, same bitrate class, same profile slot."""
    key = (resolution or "").casefold()
    return key[:-1] + "p" if key.endswith("i") and key[:-1].isdigit() else key


@dataclass(frozen=True)
class Judged:
    """A profile compiled for one search."""

    profile: QualityProfile
    qualities: tuple[str, ...]
    rejected_sources: frozenset[str]
    size_limits: dict[str, SizeLimit]
    rejected_words: re.Pattern[str] | None
    preferred_words: tuple[tuple[re.Pattern[str], int], ...]
    preferred_codec: str | None
    languages: frozenset[str]
    # the lower-cased first part of each rejected word: a name holding none of them needs no regex search
    rejected_starts: tuple[str, ...]
    # tiers by resolution as the parser spells it: a search asks thousands of times about a few spellings
    _tiers: dict[str | None, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, profile: QualityProfile) -> "Judged":
        preferred = tuple(
            (pattern, w.score)
            for w in profile.preferred_words
            if (pattern := _words_pattern([w.word])) is not None
        )
        return cls(
            profile=profile,
            qualities=tuple(q.casefold() for q in profile.qualities),
            rejected_sources=frozenset(filter(None, map(canonical_source, profile.rejected_sources))),
            size_limits={limit.quality.casefold(): limit for limit in profile.size_limits},
            rejected_words=_words_pattern(profile.rejected_words),
            preferred_words=preferred,
            preferred_codec=canonical_codec(profile.preferred_codec),
            languages=frozenset(canonical_language(code) for code in profile.languages),
            rejected_starts=tuple(
                parts[0].lower() for word in profile.rejected_words if (parts := _WORD_PARTS.findall(word))
            ),
        )

    @property
    def name(self) -> str:
        return self.profile.name

    def may_have_rejected_word(self, name: str) -> bool:
        """False when no rejected word can be in the name: a substring test is much cheaper than the search."""
        lowered = name.lower()
        for start in self.rejected_starts:
            if start in lowered:
                return True
        return False

    def tier(self, resolution: str | None) -> int:
        """0 for the most wanted quality; every quality not listed shares the tier after the listed ones."""
        try:
            return self._tiers[resolution]
        except KeyError:
            key = _progressive(resolution)
            tier = self._tiers[resolution] = (
                self.qualities.index(key) if key in self.qualities else len(self.qualities)
            )
            return tier

    def size_limit(self, resolution: str | None) -> SizeLimit | None:
        key = _progressive(resolution)
        return self.size_limits.get(key) or self.size_limits.get(OTHER)


def choose_profile(settings: SharedSettings, name: str | None) -> QualityProfile:
    """The profile a request names, else the default; a name the settings lack is the caller's mistake."""
    profile = settings.profile(name)
    if profile is None:
        known = ", ".join(p.name for p in settings.quality_profiles)
        raise UnknownProfile(f"no quality profile named '{name}' (profiles: {known})")
    return profile
