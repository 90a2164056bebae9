"""One vocabulary of resolutions, sources, codecs and languages: what the release-name parser reads and what
quality profiles name, so a profile rule on any listed value can match a parsed release.

The parser maps the scene's many spellings onto these values; a profile (typed by a user, saved before, or
picked in the UI) is read through `named()`, which also takes the spellings people write (`TeleSync`,
`BDRip`, `4K`, `HEVC`, `French`, `fre`) and refuses anything else with the valid names.
"""

from enum import StrEnum
from typing import Self


def _key(text: str) -> str:
    return text.strip().casefold()


class _Named(StrEnum):
    @classmethod
    def _aliases(cls) -> dict[str, Self]:
        return {}

    @classmethod
    def named(cls, text: str) -> Self:
        """The value `text` names, in any case and by any known spelling; ValueError lists the valid ones."""
        key = _key(text)
        for member in cls:
            if key == member.value.casefold():
                return member
        found = cls._aliases().get(key)
        if found is None:
            valid = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown {cls._noun()} {text.strip()!r}; valid: {valid}")
        return found

    @classmethod
    def _noun(cls) -> str:
        return cls.__name__.lower()


class Resolution(_Named):
    """Vertical lines, best first. An interlaced `1080i` is read as its own value by the parser and judged by
    profiles as the progressive one."""

    R2160P = "2160p"
    R1440P = "1440p"
    R1080P = "1080p"
    R720P = "720p"
    R576P = "576p"
    R480P = "480p"
    R360P = "360p"
    R240P = "240p"

    @classmethod
    def _aliases(cls) -> dict[str, "Resolution"]:
        return _RESOLUTION_ALIASES


_RESOLUTION_ALIASES = {
    "4k": Resolution.R2160P,
    "uhd": Resolution.R2160P,
    "2k": Resolution.R1440P,
    **{r.value[:-1] + "i": r for r in Resolution},  # `1080i`: same lines, same profile slot
}


class Source(_Named):
    """Where the picture came from, worst first, as Radarr ranks them. `HDRip` is a re-encode of an HDTV, web
    or Blu-ray source (which one the name rarely says): its own value, so a profile can refuse it apart from
    WEBRip, with which it is usually ranked."""

    CAM = "CAM"
    TELESYNC = "TS"
    TELECINE = "TC"
    WORKPRINT = "WORKPRINT"
    SCREENER = "SCR"
    DVD = "DVD"
    HDTV = "HDTV"
    HDRIP = "HDRip"
    WEBRIP = "WEBRip"
    WEB_DL = "WEB-DL"
    BLURAY = "BluRay"
    REMUX = "REMUX"

    @classmethod
    def _aliases(cls) -> dict[str, "Source"]:
        return _SOURCE_ALIASES


# Filmed or early copies: a release that admits one is that, whatever else its name claims.
TELLTALE_SOURCES = (Source.CAM, Source.TELESYNC, Source.TELECINE, Source.SCREENER, Source.WORKPRINT)

_SOURCE_SPELLINGS = {
    Source.CAM: ("camrip", "cam-rip", "hdcam", "hqcam", "newcam"),
    Source.TELESYNC: ("telesync", "hdts", "hd-ts", "tsrip", "pdvd", "predvd", "predvdrip"),
    Source.TELECINE: ("telecine", "hdtc", "hd-tc"),
    Source.SCREENER: ("screener", "dvdscr", "dvdscreener", "bdscr", "webscr", "webscreener", "r5", "scr-rip"),
    Source.WORKPRINT: ("wp",),
    Source.DVD: ("dvdrip", "dvd-rip", "dvd-r", "dvdr", "dvd5", "dvd9"),
    Source.HDTV: ("pdtv", "sdtv", "tvrip", "dsr", "satrip", "dvb"),
    Source.HDRIP: ("hd-rip",),
    Source.WEBRIP: ("web-rip", "web rip", "webcap", "webmux"),
    Source.WEB_DL: ("webdl", "web", "web dl"),
    Source.BLURAY: ("blu-ray", "bdrip", "brrip", "bd", "uhd bluray", "bluray rip"),
    Source.REMUX: ("bluray remux", "bdremux", "uhd remux"),
}
_SOURCE_ALIASES = {alias: source for source, aliases in _SOURCE_SPELLINGS.items() for alias in aliases}


class Codec(_Named):
    X264 = "x264"
    X265 = "x265"
    AV1 = "AV1"
    XVID = "XviD"
    DIVX = "DivX"
    MPEG2 = "MPEG-2"
    VC1 = "VC-1"
    VP9 = "VP9"

    @classmethod
    def _aliases(cls) -> dict[str, "Codec"]:
        return _CODEC_ALIASES


_CODEC_ALIASES = {
    "h264": Codec.X264,
    "h.264": Codec.X264,
    "avc": Codec.X264,
    "h265": Codec.X265,
    "h.265": Codec.X265,
    "hevc": Codec.X265,
    "mpeg2": Codec.MPEG2,
    "vc1": Codec.VC1,
}


class Language(_Named):
    """ISO 639-1 codes of the spoken languages release names tag; `multi` for MULTi/dual-audio releases."""

    ENGLISH = "en"
    FRENCH = "fr"
    GERMAN = "de"
    SPANISH = "es"
    ITALIAN = "it"
    PORTUGUESE = "pt"
    RUSSIAN = "ru"
    HINDI = "hi"
    TAMIL = "ta"
    TELUGU = "te"
    MALAYALAM = "ml"
    KANNADA = "kn"
    BENGALI = "bn"
    PUNJABI = "pa"
    MARATHI = "mr"
    JAPANESE = "ja"
    KOREAN = "ko"
    CHINESE = "zh"
    DUTCH = "nl"
    SWEDISH = "sv"
    DANISH = "da"
    NORWEGIAN = "no"
    FINNISH = "fi"
    ICELANDIC = "is"
    POLISH = "pl"
    CZECH = "cs"
    SLOVAK = "sk"
    HUNGARIAN = "hu"
    ROMANIAN = "ro"
    BULGARIAN = "bg"
    CROATIAN = "hr"
    SERBIAN = "sr"
    SLOVENIAN = "sl"
    LITHUANIAN = "lt"
    LATVIAN = "lv"
    ESTONIAN = "et"
    TURKISH = "tr"
    ARABIC = "ar"
    HEBREW = "he"
    GREEK = "el"
    UKRAINIAN = "uk"
    PERSIAN = "fa"
    THAI = "th"
    VIETNAMESE = "vi"
    INDONESIAN = "id"
    MALAY = "ms"
    TAGALOG = "tl"
    CATALAN = "ca"
    MULTI = "multi"

    @property
    def label(self) -> str:
        """Its English name, as a user reads it: `German`."""
        return self.name.title()

    @classmethod
    def _aliases(cls) -> dict[str, "Language"]:
        return _LANGUAGE_ALIASES


# What people write for a language beyond its code and English name: ISO 639-2, the scene's capitals
# (`JP`, `CZ`, `DK`), native names.
_LANGUAGE_SPELLINGS = {
    Language.ENGLISH: ("eng",),
    Language.FRENCH: ("fre", "fra", "vf", "vff", "truefrench", "français", "francais"),
    Language.GERMAN: ("ger", "deu", "deutsch"),
    Language.SPANISH: ("spa", "esp", "castellano", "latino", "español", "espanol"),
    Language.ITALIAN: ("ita", "italiano"),
    Language.PORTUGUESE: ("por", "dublado", "brazilian", "português", "portugues"),
    Language.RUSSIAN: ("rus",),
    Language.HINDI: ("hin",),
    Language.TAMIL: ("tam",),
    Language.TELUGU: ("tel",),
    Language.MALAYALAM: ("mal",),
    Language.KANNADA: ("kan",),
    Language.BENGALI: ("ben",),
    Language.PUNJABI: ("pan",),
    Language.MARATHI: ("mar",),
    Language.JAPANESE: ("jpn", "jap", "jp"),
    Language.KOREAN: ("kor", "kr"),
    Language.CHINESE: ("chi", "zho", "chs", "cht", "cn", "mandarin", "cantonese"),
    Language.DUTCH: ("nld", "dut", "flemish"),
    Language.SWEDISH: ("swe", "svensk"),
    Language.DANISH: ("dan", "dk", "dansk"),
    Language.NORWEGIAN: ("nor", "norsk"),
    Language.FINNISH: ("fin",),
    Language.ICELANDIC: ("isl",),
    Language.POLISH: ("pol",),
    Language.CZECH: ("cze", "ces", "cz"),
    Language.SLOVAK: ("slk",),
    Language.HUNGARIAN: ("hun",),
    Language.ROMANIAN: ("rum", "ron"),
    Language.BULGARIAN: ("bul",),
    Language.CROATIAN: ("hrv",),
    Language.SERBIAN: ("srp",),
    Language.SLOVENIAN: ("slv",),
    Language.LITHUANIAN: ("lit",),
    Language.LATVIAN: ("lav",),
    Language.ESTONIAN: ("est",),
    Language.TURKISH: ("tur",),
    Language.ARABIC: ("ara",),
    Language.HEBREW: ("heb",),
    Language.GREEK: ("gre", "ell"),
    Language.UKRAINIAN: ("ukr",),
    Language.PERSIAN: ("per", "fas", "farsi"),
    Language.THAI: ("tha",),
    Language.VIETNAMESE: ("vie",),
    Language.INDONESIAN: ("ind",),
    Language.MALAY: ("msa",),
    Language.TAGALOG: ("tgl",),
    Language.CATALAN: ("cat",),
    Language.MULTI: ("mul", "dual", "dual audio", "multi audio"),
}
_LANGUAGE_ALIASES = {
    alias: language
    for language, aliases in _LANGUAGE_SPELLINGS.items()
    for alias in (language.name.casefold(), *aliases)
}
