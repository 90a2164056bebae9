"""The vocabulary of release names: each word a tag can be, and the value it stands for.

Keys are lower-cased with separators removed (`WEB-DL`, `web.dl` and `WEBDL` are the key `webdl`); the token
pattern (`search.parsing.tokens`) finds the words, these tables say what they mean. A test checks that the two
agree: every key here is a word the pattern reads, and every word the pattern reads has a value here.
"""

from niluflix.contracts.quality import TELLTALE_SOURCES, Codec, Language, Source

# value of each source spelling, lower-cased with separators removed
SOURCES = {
    "remux": Source.REMUX,
    "bdremux": Source.REMUX,
    "uhdremux": Source.REMUX,
    "bluray": Source.BLURAY,
    "bdrip": Source.BLURAY,
    "brrip": Source.BLURAY,
    "blurayrip": Source.BLURAY,
    "bd": Source.BLURAY,
    "bd25": Source.BLURAY,
    "bd50": Source.BLURAY,
    "bd66": Source.BLURAY,
    "bd100": Source.BLURAY,
    "bdmv": Source.BLURAY,
    "uhdbluray": Source.BLURAY,
    "uhdbd": Source.BLURAY,
    "hddvd": Source.BLURAY,
    "hddvdrip": Source.BLURAY,
    "webdl": Source.WEB_DL,
    "web": Source.WEB_DL,
    "webhd": Source.WEB_DL,
    "webrip": Source.WEBRIP,
    "webcap": Source.WEBRIP,
    "hdrip": Source.HDRIP,
    "hdscrrip": Source.SCREENER,
    "webdlrip": Source.WEBRIP,
    "hdtv": Source.HDTV,
    "pdtv": Source.HDTV,
    "sdtv": Source.HDTV,
    "dsr": Source.HDTV,
    "dsrip": Source.HDTV,
    "tvrip": Source.HDTV,
    "hdtvrip": Source.HDTV,
    "satrip": Source.HDTV,
    "dvbrip": Source.HDTV,
    "uhdtv": Source.HDTV,
    "dvd": Source.DVD,
    "dvdrip": Source.DVD,
    "dvdr": Source.DVD,
    "dvd5": Source.DVD,
    "dvd9": Source.DVD,
    "dvdfull": Source.DVD,
    "dvdscr": Source.SCREENER,
    "dvdscreener": Source.SCREENER,
    "screener": Source.SCREENER,
    "scr": Source.SCREENER,
    "bdscr": Source.SCREENER,
    "webscr": Source.SCREENER,
    "tc": Source.TELECINE,
    "telecine": Source.TELECINE,
    "hdtc": Source.TELECINE,
    "ts": Source.TELESYNC,
    "telesync": Source.TELESYNC,
    "hdts": Source.TELESYNC,
    "tsrip": Source.TELESYNC,
    "pdvd": Source.TELESYNC,
    "predvd": Source.TELESYNC,
    "hdtsrip": Source.TELESYNC,
    "cam": Source.CAM,
    "camhd": Source.CAM,
    "hdscr": Source.SCREENER,
    "hdtcrip": Source.TELECINE,
    "hdcamrip": Source.CAM,
    "camrip": Source.CAM,
    "hdcam": Source.CAM,
    "hqcam": Source.CAM,
    "sprint": Source.CAM,
    "hqsprint": Source.CAM,
    "uhdrip": Source.BLURAY,
    "pdvdrip": Source.TELESYNC,
    "predvdrip": Source.TELESYNC,
    "brscr": Source.SCREENER,
    "brscreener": Source.SCREENER,
    "tsscr": Source.TELESYNC,
    "tsscreener": Source.TELESYNC,
    "bdscreener": Source.SCREENER,
    "webscreener": Source.SCREENER,
    "webmux": Source.WEBRIP,
    # the Italian scene's `Mux`: the source's streams put in a new container
    "brmux": Source.BLURAY,
    "bdripmux": Source.BLURAY,
    "brripmux": Source.BLURAY,
    "bluraymux": Source.BLURAY,
    "hdtvmux": Source.HDTV,
    "dlmux": Source.WEB_DL,
    "webdlmux": Source.WEB_DL,
    "webuhd": Source.WEB_DL,
    "bdmux": Source.BLURAY,
    "brdisk": Source.BLURAY,
    "bdiso": Source.BLURAY,
    "mbluray": Source.BLURAY,
    "uhdbdrip": Source.BLURAY,
    "newcam": Source.CAM,
    "telesynch": Source.TELESYNC,
    "workprint": Source.WORKPRINT,
    "dvb": Source.HDTV,
}
# the German scene's names for a store's own web download: `AmazonHD`, `NetflixUHD`, `iTunesSD`
STORES = ("amazon", "itunes", "maxdome", "netflix", "hbomax", "disney")
SOURCES.update({store + tier: Source.WEB_DL for store in STORES for tier in ("sd", "hd", "uhd")})
# a release that admits any of these is that, whatever else it claims (`HDCAM.WEB-DL` is still a CAM)
TELLTALE = TELLTALE_SOURCES
# words that are also ordinary title words: a tag only after the title
WEAK_SOURCES = {"web", "ts", "tc", "cam", "scr", "bd", "dvd", "dsr", "screener"}

CODECS = {
    "x264": Codec.X264,
    "h264": Codec.X264,
    "avc": Codec.X264,
    "avc1": Codec.X264,
    "x265": Codec.X265,
    "h265": Codec.X265,
    "hevc": Codec.X265,
    "av1": Codec.AV1,
    "xvid": Codec.XVID,
    "divx": Codec.DIVX,
    "mpeg2": Codec.MPEG2,
    "mpg2": Codec.MPEG2,
    "h262": Codec.MPEG2,
    "vc1": Codec.VC1,
    "vp9": Codec.VP9,
}

LANGUAGES = {
    "english": Language.ENGLISH,
    "eng": Language.ENGLISH,
    "french": Language.FRENCH,
    "truefrench": Language.FRENCH,
    "vff": Language.FRENCH,
    "vfq": Language.FRENCH,
    "vf": Language.FRENCH,
    "vf2": Language.FRENCH,
    "vfi": Language.FRENCH,
    "fre": Language.FRENCH,
    "fra": Language.FRENCH,
    "german": Language.GERMAN,
    "swissgerman": Language.GERMAN,
    "ger": Language.GERMAN,
    "deu": Language.GERMAN,
    "deutsch": Language.GERMAN,
    "italian": Language.ITALIAN,
    "ita": Language.ITALIAN,
    "spanish": Language.SPANISH,
    "spa": Language.SPANISH,
    "esp": Language.SPANISH,
    "castellano": Language.SPANISH,
    "latino": Language.SPANISH,
    "lat": Language.SPANISH,
    "portuguese": Language.PORTUGUESE,
    "por": Language.PORTUGUESE,
    "brazilian": Language.PORTUGUESE,
    "ptbr": Language.PORTUGUESE,
    "dublado": Language.PORTUGUESE,
    "russian": Language.RUSSIAN,
    "rus": Language.RUSSIAN,
    "japanese": Language.JAPANESE,
    "jap": Language.JAPANESE,
    "jpn": Language.JAPANESE,
    "korean": Language.KOREAN,
    "kor": Language.KOREAN,
    "chinese": Language.CHINESE,
    "chi": Language.CHINESE,
    "mandarin": Language.CHINESE,
    "cantonese": Language.CHINESE,
    "hindi": Language.HINDI,
    "hin": Language.HINDI,
    "tamil": Language.TAMIL,
    "tam": Language.TAMIL,
    "telugu": Language.TELUGU,
    "tel": Language.TELUGU,
    "malayalam": Language.MALAYALAM,
    "kannada": Language.KANNADA,
    "bengali": Language.BENGALI,
    "punjabi": Language.PUNJABI,
    "marathi": Language.MARATHI,
    "dutch": Language.DUTCH,
    "flemish": Language.DUTCH,
    "swedish": Language.SWEDISH,
    "swe": Language.SWEDISH,
    "norwegian": Language.NORWEGIAN,
    "nor": Language.NORWEGIAN,
    "danish": Language.DANISH,
    "dan": Language.DANISH,
    "finnish": Language.FINNISH,
    "fin": Language.FINNISH,
    "icelandic": Language.ICELANDIC,
    "polish": Language.POLISH,
    "pol": Language.POLISH,
    "czech": Language.CZECH,
    "cze": Language.CZECH,
    "slovak": Language.SLOVAK,
    "hungarian": Language.HUNGARIAN,
    "hun": Language.HUNGARIAN,
    "romanian": Language.ROMANIAN,
    "rum": Language.ROMANIAN,
    "bulgarian": Language.BULGARIAN,
    "croatian": Language.CROATIAN,
    "serbian": Language.SERBIAN,
    "slovenian": Language.SLOVENIAN,
    "turkish": Language.TURKISH,
    "tur": Language.TURKISH,
    "arabic": Language.ARABIC,
    "ara": Language.ARABIC,
    "hebrew": Language.HEBREW,
    "heb": Language.HEBREW,
    "ukrainian": Language.UKRAINIAN,
    "ukr": Language.UKRAINIAN,
    "greek": Language.GREEK,
    "gre": Language.GREEK,
    "persian": Language.PERSIAN,
    "farsi": Language.PERSIAN,
    "thai": Language.THAI,
    "vietnamese": Language.VIETNAMESE,
    "vie": Language.VIETNAMESE,
    "indonesian": Language.INDONESIAN,
    "malay": Language.MALAY,
    "tagalog": Language.TAGALOG,
    "estonian": Language.ESTONIAN,
    "latvian": Language.LATVIAN,
    "catalan": Language.CATALAN,
    "pldub": Language.POLISH,
    "dubpl": Language.POLISH,
    "rodubbed": Language.ROMANIAN,
    "hundub": Language.HUNGARIAN,
    "gerdub": Language.GERMAN,
    "lithuanian": Language.LITHUANIAN,
    "multi": Language.MULTI,
    "ingles": Language.ENGLISH,
    "inglés": Language.ENGLISH,
    "español": Language.SPANISH,
    "espanol": Language.SPANISH,
    "português": Language.PORTUGUESE,
    "portugues": Language.PORTUGUESE,
    "port": Language.PORTUGUESE,
    "français": Language.FRENCH,
    "francais": Language.FRENCH,
    "italiano": Language.ITALIAN,
    "rom": Language.ROMANIAN,
    "srp": Language.SERBIAN,
    "ind": Language.INDONESIAN,
    "tha": Language.THAI,
    "chn": Language.CHINESE,
    "cht": Language.CHINESE,
    "chs": Language.CHINESE,
    "dut": Language.DUTCH,
    "nld": Language.DUTCH,
    "svensk": Language.SWEDISH,
    "norsk": Language.NORWEGIAN,
    "dansk": Language.DANISH,
    "ces": Language.CZECH,
    "ell": Language.GREEK,
    "zho": Language.CHINESE,
    "fas": Language.PERSIAN,
    "per": Language.PERSIAN,
    "dual": Language.MULTI,
    "dualaudio": Language.MULTI,
    "multiaudio": Language.MULTI,
}
# two-letter codes read as languages only in capitals (`FR`, `DE`...): in lower case they are words
LANGUAGE_CODES = {
    "EN": Language.ENGLISH,
    "FR": Language.FRENCH,
    "DE": Language.GERMAN,
    "IT": Language.ITALIAN,
    "ES": Language.SPANISH,
    "RU": Language.RUSSIAN,
    "NL": Language.DUTCH,
    "PL": Language.POLISH,
    "JP": Language.JAPANESE,
    "KR": Language.KOREAN,
    "CN": Language.CHINESE,
    "PT": Language.PORTUGUESE,
    "SV": Language.SWEDISH,
    "TR": Language.TURKISH,
    "DK": Language.DANISH,
    "RO": Language.ROMANIAN,
    "LT": Language.LITHUANIAN,
    "HU": Language.HUNGARIAN,
    "CZ": Language.CZECH,
}

EDITIONS = {
    "extended": "Extended",
    "directorscut": "Director's Cut",
    "directorcut": "Director's Cut",
    "dc": "Director's Cut",
    "theatrical": "Theatrical",
    "unrated": "Unrated",
    "uncut": "Uncut",
    "remastered": "Remastered",
    "imax": "IMAX",
    "criterion": "Criterion",
    "specialedition": "Special Edition",
    "finalcut": "Final Cut",
    "ultimateedition": "Ultimate Edition",
    "ultimatecut": "Ultimate Edition",
    "collectorsedition": "Collector's Edition",
}

AUDIO = {
    "dtshdma": "DTS-HD MA",
    "dtsma": "DTS-HD MA",
    "dtshd": "DTS-HD",
    "dtshdra": "DTS-HD",  # High Resolution Audio
    "dtsx": "DTS:X",
    "dts": "DTS",
    "dtses": "DTS",
    "truehd": "TrueHD",
    "atmos": "Atmos",
    "ddp": "DD+",
    "dd+": "DD+",
    "eac3": "DD+",
    "ddplus": "DD+",
    "dolbydigitalplus": "DD+",
    "dd": "DD",
    "ac3": "DD",
    "dolbydigital": "DD",
    "aac": "AAC",
    "heaac": "AAC",
    "flac": "FLAC",
    "opus": "Opus",
    "mp3": "MP3",
    "lpcm": "PCM",
    "pcm": "PCM",
}
WEAK_AUDIO = {"dd", "dts", "pcm", "opus"}

HDR = {
    "dv": "DV",
    "dovi": "DV",
    "dolbyvision": "DV",
    "hdr10+": "HDR10+",
    "hdr10plus": "HDR10+",
    "hdr10": "HDR10",
    "hdr": "HDR",
    "hlg": "HLG",
}


# languages written before `Sub`/`Subs` in subtitle tags: `NLSubs`, `Eng Subs`, `Swe.Sub`, `Ita Subbed`
SUBTITLE_LANGUAGES = {
    "eng": Language.ENGLISH,
    "english": Language.ENGLISH,
    "nl": Language.DUTCH,
    "dutch": Language.DUTCH,
    "swe": Language.SWEDISH,
    "swedish": Language.SWEDISH,
    "dk": Language.DANISH,
    "dan": Language.DANISH,
    "danish": Language.DANISH,
    "nor": Language.NORWEGIAN,
    "norwegian": Language.NORWEGIAN,
    "fin": Language.FINNISH,
    "finnish": Language.FINNISH,
    "fr": Language.FRENCH,
    "fre": Language.FRENCH,
    "french": Language.FRENCH,
    "ger": Language.GERMAN,
    "german": Language.GERMAN,
    "ita": Language.ITALIAN,
    "italian": Language.ITALIAN,
    "spa": Language.SPANISH,
    "spanish": Language.SPANISH,
    "por": Language.PORTUGUESE,
    "portuguese": Language.PORTUGUESE,
    "pl": Language.POLISH,
    "pol": Language.POLISH,
    "polish": Language.POLISH,
    "rus": Language.RUSSIAN,
    "russian": Language.RUSSIAN,
    "ara": Language.ARABIC,
    "arabic": Language.ARABIC,
    "heb": Language.HEBREW,
    "hebrew": Language.HEBREW,
    "chi": Language.CHINESE,
    "chs": Language.CHINESE,
    "cht": Language.CHINESE,
    "chinese": Language.CHINESE,
    "kor": Language.KOREAN,
    "korean": Language.KOREAN,
    "jap": Language.JAPANESE,
    "jpn": Language.JAPANESE,
    "japanese": Language.JAPANESE,
    "tur": Language.TURKISH,
    "turkish": Language.TURKISH,
    "gre": Language.GREEK,
    "greek": Language.GREEK,
    "hun": Language.HUNGARIAN,
    "hungarian": Language.HUNGARIAN,
    "cze": Language.CZECH,
    "czech": Language.CZECH,
    "rom": Language.ROMANIAN,
    "romanian": Language.ROMANIAN,
    "multi": Language.MULTI,
}
SUBTITLE_PREFIXES = "|".join(sorted(SUBTITLE_LANGUAGES, key=len, reverse=True))


def subtitle_language(key: str) -> Language | None:
    """`vostfr` (version originale sous-titrée): French subtitles on the original sound; `esubs`: English."""
    if key.startswith("vost"):
        return Language.ENGLISH if key == "vosta" else Language.FRENCH
    rest = key.removeprefix("sub") if key.startswith("sub") else key
    for suffix in ("subtitles", "subtitle", "subbed", "subs", "sub"):
        if rest.endswith(suffix):
            rest = rest[: -len(suffix)]
            break
    if rest == "e":
        return Language.ENGLISH
    return SUBTITLE_LANGUAGES.get(rest) or LANGUAGES.get(rest)


def source_value(key: str) -> Source | None:
    value = SOURCES.get(key)
    if value:
        return value
    if "remux" in key:
        return Source.REMUX
    for prefix in ("uhd", "hd", "hq"):
        if key.startswith(prefix) and key[len(prefix) :] in SOURCES:
            return SOURCES[key[len(prefix) :]]
    if key.startswith(("bluray", "bd")):
        return Source.BLURAY
    if key.startswith("dvd"):
        return Source.SCREENER if "scr" in key else Source.DVD
    if key.startswith("web"):
        return Source.WEBRIP if "rip" in key or "cap" in key else Source.WEB_DL
    return None


def edition_value(key: str) -> str | None:
    key = key.removesuffix("version").removesuffix("edition") if key.startswith("extended") else key
    if key.startswith("extended"):
        return "Extended"
    if key.startswith("theatrical"):
        return "Theatrical"
    if key.startswith("criterion"):
        return "Criterion"
    if "anniversary" in key:
        return "Anniversary Edition"
    return EDITIONS.get(key)
