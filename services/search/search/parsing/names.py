"""A single-pass release-name parser: one precompiled scan finds every quality tag, the title is what comes
before the first of them.

Why not a library: guessit is accurate but parses ~130 names/s, parsett is ten times faster but runs some
fifty regexes one after another and misreads titles with years or numbers in them. Here a name is read in
one left-to-right scan of one alternation (the `_TOKENS` pattern), then a few decisions settle what is
ambiguous: which year is the release year, where the title ends, which trailing word is the group.

Tags are split in two kinds. Strong tags (`S01E02`, `1080p`, `BluRay`, `x264`, `PROPER`...) never occur in
titles, so the first one ends the title. Weak tags (`TS`, `CAM`, `WEB`, `DD`, language names like
`French`) are also ordinary words (`Charlotte's Web`, `The French Dispatch`): they count only after the title.
"""

import operator
import re
from dataclasses import dataclass
from datetime import date

from niluflix.contracts.quality import TELLTALE_SOURCES, Codec, Language, Resolution, Source

# Not a letter or digit on either side: `\b` would treat `_` as a letter and miss `720p_hdtv`.
_L = r"(?<![^\W_])"
_R = r"(?![^\W_])"
_S = r"[ ._\-]?"  # one optional separator inside a tag: `WEB-DL`, `WEB.DL`, `WEBDL`

# value of each source spelling, lower-cased with separators removed
_SOURCES = {
    "remux": Source.REMUX,
    "bdremux": Source.REMUX,
    "uhdremux": Source.REMUX,
    "bluray": Source.BLURAY,
    "bluraydisc": Source.BLURAY,
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
    "amznwebdl": Source.WEB_DL,
    # the German scene's names for a store's own web download
    "amazonhd": Source.WEB_DL,
    "amazonsd": Source.WEB_DL,
    "amazonuhd": Source.WEB_DL,
    "ituneshd": Source.WEB_DL,
    "maxdomehd": Source.WEB_DL,
    "netflixhd": Source.WEB_DL,
    "netflixuhd": Source.WEB_DL,
    "hbomaxhd": Source.WEB_DL,
    "disneyhd": Source.WEB_DL,
    "webrip": Source.WEBRIP,
    "webcap": Source.WEBRIP,
    "hdrip": Source.HDRIP,
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
# a release that admits any of these is that, whatever else it claims (`HDCAM.WEB-DL` is still a CAM)
_TELLTALE = TELLTALE_SOURCES
# words that are also ordinary title words: a tag only after the title
_WEAK_SOURCES = {"web", "ts", "tc", "cam", "scr", "bd", "dvd", "dsr", "screener"}

_CODECS = {
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
    "vc1": Codec.VC1,
    "vp9": Codec.VP9,
}

_LANGUAGES = {
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
_LANGUAGE_CODES = {
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
    "HR": Language.CROATIAN,
    "RO": Language.ROMANIAN,
    "LT": Language.LITHUANIAN,
    "HU": Language.HUNGARIAN,
    "CZ": Language.CZECH,
}

_EDITIONS = {
    "extended": "Extended",
    "directorscut": "Director's Cut",
    "directors": "Director's Cut",
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
    "anniversary": "Anniversary Edition",
}

_AUDIO = {
    "dtshdma": "DTS-HD MA",
    "dtsma": "DTS-HD MA",
    "dtshd": "DTS-HD",
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
_WEAK_AUDIO = {"dd", "dts", "pcm", "opus"}

_HDR = {
    "dv": "DV",
    "dovi": "DV",
    "dolbyvision": "DV",
    "hdr10+": "HDR10+",
    "hdr10plus": "HDR10+",
    "hdr10": "HDR10",
    "hdr": "HDR",
    "hlg": "HLG",
}

# bracketed trailers of indexer sites, not groups: `...-GRP[rarbg]`, `...[eztv.re]`
_SITES = re.compile(
    r"^(?:rarbg|eztv(?:\.\w+)?|ettv|tgx|torrentgalaxy|1337x|ethd|eztvx\.to|publichd|"
    r"rartv|glodls|pahe\.in|pahe|psa|xbet|btx|mkvcage|ettv\.to)$",
    re.IGNORECASE,
)
# junk some uploaders append after the group: `-GRP-Obfuscated`
_GROUP_JUNK = re.compile(
    r"(?:[-.\s](?:obfuscated|postbot|xpost|scrambled|asrequested|rakuvfinhel|"
    r"rakuv\d*|buymore|chamele0n|sample|repost|rp|4p|4planet|alternativetorequested|nzbgeek|venom|"
    r"whiterev|gerov|cd\d|dis[ck]\d))+$",
    re.IGNORECASE,
)
# the words `_GROUP_JUNK` can end with (`rakuv` once its digits are stripped): a cheap test before the regex,
_JUNK_WORDS = (
    "obfuscated",
    "postbot",
    "xpost",
    "scrambled",
    "asrequested",
    "rakuvfinhel",
    "rakuv",
    "buymore",
    "chamele0n",
    "sample",
    "repost",
    "rp",
    "4p",
    "4planet",
    "alternativetorequested",
    "nzbgeek",
    "venom",
    "whiterev",
    "gerov",
    "cd",  # `-GRP.CD1`: the first disc of a split rip
    "disc",
    "disk",
)
# with the separator before each: most groups end in none of them (`-GRP` does end in `rp`, not `-rp`)
_JUNK_ENDINGS = tuple(sep + word for word in _JUNK_WORDS for sep in "-. ")
_EXTENSION = re.compile(
    r"(?:\.(?:mkv|mp4|avi|m4v|wmv|mov|mpg|mpeg|webm|flv|iso|torrent|srt|nfo|rar|zip)|\s(?:mkv|mp4|avi))$",
    re.IGNORECASE,
)
# `www.Site.org - `, `[ Site.my ]`, `{WWW.SITE.TV}`, `www Site tel - `: the uploader's site, not the title
_SITE_PREFIX = re.compile(
    r"^\s*(?:[\[{(]\s*(?:www[.,])?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\s*[\]})]|\[?\s*(?:www|ww)[.,][^\s\]]+(?:\s*\])?"
    r"|www\s\w+\s\w{2,6}\s+-)[\s_\-]*",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|nu|tv|to|me|cc|io|info|my|cz|ws|in|se)$", re.IGNORECASE
)
_LEADING_BRACKET = re.compile(r"^\s*(?:\[([^\]]+)\]|【([^】]+)】)\s*")

_LAST_YEAR = date.today().year + 2


# languages written before `Sub`/`Subs` in subtitle tags: `NLSubs`, `Eng Subs`, `Swe.Sub`, `Ita Subbed`
_SUBTITLE_LANGUAGES = {
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
_SUBTITLE_PREFIXES = "|".join(sorted(_SUBTITLE_LANGUAGES, key=len, reverse=True))


def _i(pattern: str) -> str:
    return "(?i:" + pattern + ")"


_TOKENS = re.compile(
    _L
    + "(?:"
    + "(?P<sxe>"
    + _i(
        r"[ST](?P<sxe_s>\d{1,4})(?:[ ._\-]|x)?"
        + r"E(?P<sxe_e>\d{1,4})(?P<sxe_more>(?:"
        + r"[ ._+]?"
        + r"(?:E|-E?)\d{1,4}(?![\dpi])|[ ._\-]S(?P=sxe_s)E\d{1,4}(?![\dpi]))*)"
    )
    + ")"
    + r"|(?P<xxe>(?P<xxe_s>\d{1,2})[xX](?P<xxe_e>\d{2,3})(?P<xxe_more>(?:(?:[-_](?:\d{1,2}[xX])?|[xX])\d{2,3}(?![\dpPiI]))*))"
    + "|(?P<season>"
    + _i(
        # `S01-S05`, `S1-5`, `S1 to 5`, `S01 - S05`; not `S2 - 05`, an anime season's episode
        r"(?<!-)S(?P<season_a>\d{1,2})(?:(?:-|[ ._]?(?:to|&)[ ._]?|[ ._]-[ ._](?=S))S?(?P<season_b>\d{1,2}))?"
        # `Breaking Bad S02 03`, `The.Witcher.S01.07`: a season then a bare episode number
        r"(?:[ ._](?P<season_e>\d{2})(?![^\W_]|[ .]\d(?!\d)))?"
    )
    + ")"
    + "|(?P<seasonw>"
    + _i(
        # `Season 1`, `Season-1`, `Season: 1`; not `The Final Season - 01`, an anime title and its episode
        r"(?:Season|Saison|Temporada|Temp\.?|Staffel|Stagione|Seizoen|Sezon|Сезон)s?(?:[ ._:№]*|-)S?"
        r"(?P<seasonw_a>\d{1,2})(?P<seasonw_more>(?:(?:\s*[,&+]\s*|-|[ ._]to[ ._]|\s+and\s+|\s)"
        r"(?:Season[ ._]?)?\d{1,2}(?!\d))*)"
        r"(?:[ ._\-]*(?:Episode|Ep)[ ._\-]?(?P<seasonw_e>\d{1,4}))?"
    )
    + ")"
    + "|(?P<seasono>"
    + _i(
        r"(?P<seasono_a>\d{1,2})(?:st|nd|rd|th|ª|º|°|a\.?|-й)?[ ._]?"
        r"(?:Season|Temporada|Saison|Staffel|Sezon|сезон)"
    )
    + ")"
    # `Cap.102`: Spanish trackers' season 1, episode 02
    + "|(?P<cap>"
    + _i(r"Cap[ ._]?(?P<cap_s>\d{1,2})(?P<cap_e>\d{2})")
    + ")"
    + "|(?P<episodew>"
    + _i(
        r"(?:(?:Episodes?|Episodio|Eps?|Capitulo|Серия|Серии|Эпизод)[ ._\-:№#]*|E)\(?(?P<episodew_a>\d{1,4})"
        r"(?:v\d)?(?:\s?(?:-|~|à|to)\s?E?(?P<episodew_b>\d{1,4}))?\)?"
    )
    + ")"
    # `30.10.2019` (day first) or `10.30.2019` (month first, as US shows are named): the larger part is the day
    + r"|(?P<dmy>(?P<dmy_a>[0-3]\d)[ ._\-](?P<dmy_b>[0-3]\d)[ ._\-](?P<dmy_y>(?:19|20)\d\d))"
    + r"|(?P<date>(?P<date_y>(?:19|20)\d\d)[ ._\-](?P<date_m>0[1-9]|1[0-2])[ ._\-](?P<date_d>0[1-9]|[12]\d|3[01]))"
    + r"|(?P<years>(?P<years_a>(?:19|20)\d\d)[ ._]?(?:-|to)[ ._]?(?P<years_b>(?:19|20)\d\d))"
    + r"|(?P<year>(?:19|20)\d\d)"
    + r"|(?P<res>(?:BD|bd)?(?P<res_h>\d{3,4})[pPiI]|(?P<res_w>\d{3,4})[xX×](?P<res_wh>\d{3,4})|4[kK]|UHD|uhd|2[kK])"
    + "|(?P<bits>"
    + _i(r"(?:8|10|12)[ .\-]?bits?|Hi10P?")
    + ")"
    + "|(?P<source>"
    + _i(
        r"(?:Amazon|iTunes|Maxdome|Netflix|HBOMax|Disney)U?[HS]D"
        r"|WEB" + _S + r"Mux|BD" + _S + r"Mux|BR" + _S + r"DISK|BDISO|MBlu" + _S + r"Ray|UHDBD(?:Rip)?|NEWCAM"
        r"|TeleSynch|WORKPRINT|DVB|"
        r"(?:UHD" + _S + r")?(?:Blu" + _S + r"Ray(?:" + _S + r"Rip)?|BD" + _S + r"Rip|BR" + _S + r"Rip|"
        r"BD(?:25|50|66|100|MV)?|HD" + _S + r"DVD(?:Rip)?)(?:" + _S + r"Remux)?"
        r"|(?:BD|UHD)?Remux"
        r"|WEB"
        + _S
        + r"DL(?:"
        + _S
        + r"Rip)?|WEB"
        + _S
        + r"Rip|WEB"
        + _S
        + r"Cap|WEB"
        + _S
        + r"HD|WEB"
        + _S
        + r"Scr|WEB|HD"
        + _S
        + r"TV(?:Rip)?|UHD"
        + _S
        + r"TV|[PS]DTV|DSR(?:ip)?|TV"
        + _S
        + r"Rip|SAT"
        + _S
        + r"Rip|DVB"
        + _S
        + r"Rip|HD"
        + _S
        + r"Rip"
        r"|(?:DVD|BR|BD|TS|WEB)"
        + _S
        + r"SCR(?:EENER)?|SCREENER|UHD"
        + _S
        + r"Rip|(?:HQ"
        + _S
        + r")?S[ ._\-]Print"
        r"|DVD" + _S + r"(?:Rip|R|5|9|Full)?"
        r"|HD"
        + _S
        + r"(?:TC|TS|CAM|SCR)(?:Rip)?|HQ"
        + _S
        + r"CAM|TeleSync|TELECINE|TS"
        + _S
        + r"Rip|P(?:re)?DVD(?:"
        + _S
        + r"Rip)?|CAM"
        + _S
        + r"Rip|CAM(?:HD)?"
    )
    + "|SCR|TS|TC)"
    + "|(?P<codec>"
    + _i(r"[xh][. ]?26[45]|HEVC|AVC1?|AV1|XviD|DivX|MPEG" + _S + r"2|VC" + _S + r"1|VP9")
    + ")"
    + "|(?P<hdr>"
    + _i(r"DoVi|Dolby" + _S + r"Vision|HDR10(?:\+|Plus)?|HDR|HLG")
    + "|DV)"
    + "|(?P<audio>(?:"
    + _i(
        r"DTS"
        + _S
        + r"HD"
        + _S
        + r"MA|DTS"
        + _S
        + r"MA|DTS"
        + _S
        + r"HD(?:RA)?|DTS"
        + _S
        + r"X|DTS"
        + _S
        + r"ES|DTS|True"
        + _S
        + r"HD|Atmos|DD(?:P|\+)|E"
        + _S
        + r"AC"
        + _S
        + r"3|DD"
        + _S
        + r"Plus|Dolby"
        + _S
        + r"Digital(?:"
        + _S
        + r"Plus)?|AC"
        + _S
        + r"3|(?:HE"
        + _S
        + r")?AAC|FLAC|Opus|MP3|L?PCM"
    )
    + "|DD)"
    + r"(?:"
    + _S
    + r"(?P<audio_ch>[1-9][ .][0-2])(?!\d))?)"
    + "|(?P<channels>"
    + r"[124-9][ .][0-2](?![\d.])|"
    + _i(r"[2-8]ch")
    + ")"
    + "|(?P<proper>"
    + _i(r"(?:REAL[ ._\-])?PROPER")
    + ")"
    + "|(?P<repack>"
    + _i(r"REPACK\d?|RERIP")
    + ")"
    + "|(?P<edition>"
    + _i(
        r"Extended(?:" + _S + r"(?:Cut|Edition|Version))?|Director'?s" + _S + r"Cut"
        r"|Theatrical(?:"
        + _S
        + r"(?:Cut|Edition))?|Unrated|Uncut|Remastered|IMAX|Criterion(?:"
        + _S
        + r"Collection)?|Special"
        + _S
        + r"Edition|Final"
        + _S
        + r"Cut|Ultimate"
        + _S
        + r"(?:Edition|Cut)|Collector'?s"
        + _S
        + r"Edition|\d{2,3}(?:th)?"
        + _S
        + r"Anniversary(?:"
        + _S
        + r"Edition)?"
    )
    + "|DC)"
    + "|(?P<other>"
    + _i(
        r"INTERNAL|READ"
        + _S
        + r"NFO|NFO"
        + _S
        + r"FIX|DIRFIX|SUBFIX|HardSubs?|Complete"
        + _S
        + r"Series|Complete(?=[ ._\-](?:Seasons?|Saison|Temporada))|SUBBED|DUBBED|H-?SBS|H-?OU"
    )
    + "|LIMITED|CUSTOM|COMPLETE|INTEGRALE?|PPV|HC|3D|SBS|OU|STV|DOCU)"
    + "|(?P<sample>"
    + _i("sample")
    + ")"
    + "|(?P<subs>"
    + _i(
        r"VOST(?:FR|A)?|SUB" + _S + r"(?:FRENCH|FR|ITA|ENG)|Multi" + _S + r"Subs?|Multi" + _S + r"Subtitles?"
        r"|E" + r"Subs?|(?:" + _SUBTITLE_PREFIXES + r")" + _S + r"(?:Subs?|Subbed|Subtitles?)"
    )
    + ")"
    + "|(?P<lang>"
    + _i(
        r"PT"
        + _S
        + r"BR|Dual"
        + _S
        + r"Audio|Multi"
        + _S
        + r"Audio|"
        + "|".join(sorted(_LANGUAGES, key=len, reverse=True))
    )
    + "|"
    + "|".join(_LANGUAGE_CODES)
    + ")"
    + ")"
    + _R
)

_WORDS = re.compile(r"[^\W_]+")


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of `_TOKENS`, one per tag kind."""
    inner = pattern[len(_L) + len("(?:") : -(len(_R) + 1)]
    out, depth, part, i = [], 0, [], 0
    in_class = False
    while i < len(inner):
        c = inner[i]
        if c == "\\":
            part.append(inner[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append("".join(part))
            part = []
            i += 1
            continue
        part.append(c)
        i += 1
    out.append("".join(part))
    return out


_DIGITS = "0123456789"
# the lower-cased first characters each kind of tag can begin with
_FIRST = {
    "sxe": "st",
    "xxe": _DIGITS,
    "season": "s",
    "seasonw": "stс",
    "seasono": _DIGITS,
    "cap": "c",
    "episodew": "ecсэb",
    "date": "12",
    "dmy": "0123",
    "years": "12",
    "year": "12",
    "res": _DIGITS + "ub",
    "bits": "81h",
    "source": "bduhrwtsdpcmnai",
    "codec": "xhamdv",
    "hdr": "dh",
    "audio": "dtaefomlph",
    "channels": _DIGITS,
    "proper": "rp",
    "repack": "r",
    "edition": "edtursifc" + _DIGITS,
    "other": "irndshcl3oup",
    "sample": "s",
    "subs": "".join({k[0] for k in _SUBTITLE_LANGUAGES} | set("vsme")),
    "lang": "".join({k[0] for k in _LANGUAGES} | {c[0].lower() for c in _LANGUAGE_CODES} | set("pdm")),
}


def _dispatch() -> dict[str, re.Pattern[str]]:
    """One small pattern per first character: trying twenty kinds of tag at every word is what costs."""
    kinds = [(re.match(r"\(\?P<(\w+)>", b).group(1), b) for b in _branches(_TOKENS.pattern)]
    chars = set("".join(_FIRST.values()))
    return {
        c: re.compile(_L + "(?:" + "|".join(b for kind, b in kinds if c in _FIRST[kind]) + ")" + _R)
        for c in chars
    }


_BY_FIRST = _dispatch()

# lower-cased words a tag can begin with; a word with a digit in it always may (`1080p`, `S01E02`, `x264`)
_STARTERS = (
    frozenset(
        [
            "blu",
            "bluray",
            "bd",
            "bdrip",
            "br",
            "brrip",
            "bdmv",
            "bdremux",
            "uhdremux",
            "remux",
            "uhd",
            "hd",
            "hddvd",
            "hddvdrip",
            "hq",
            "web",
            "webdl",
            "webrip",
            "webcap",
            "webhd",
            "webscr",
            "webscreener",
            "hdtv",
            "hdtvrip",
            "uhdtv",
            "pdtv",
            "sdtv",
            "dsr",
            "dsrip",
            "tv",
            "tvrip",
            "sat",
            "satrip",
            "dvb",
            "dvbrip",
            "hdrip",
            "webmux",
            "amazonhd",
            "amazonsd",
            "amazonuhd",
            "ituneshd",
            "maxdomehd",
            "netflixhd",
            "netflixuhd",
            "hbomaxhd",
            "disneyhd",
            "bdmux",
            "bdiso",
            "mbluray",
            "uhdbdrip",
            "newcam",
            "telesynch",
            "workprint",
            "dvd",
            "dvdrip",
            "dvdr",
            "dvdscr",
            "dvdscreener",
            "dvdfull",
            "brscr",
            "brscreener",
            "bdscr",
            "tsscr",
            "screener",
            "uhdrip",
            "s",
            "sprint",
            "hqcam",
            "hdtc",
            "hdts",
            "hdcam",
            "hdtsrip",
            "tc",
            "ts",
            "tsrip",
            "cam",
            "camrip",
            "telesync",
            "telecine",
            "pdvd",
            "predvd",
            "pdvdrip",
            "predvdrip",
            "scr",
            "hevc",
            "avc",
            "xvid",
            "divx",
            "mpeg",
            "vc",
            "dovi",
            "dv",
            "dolby",
            "hdr",
            "hlg",
            "dts",
            "dtshd",
            "dtsma",
            "dtsx",
            "truehd",
            "true",
            "atmos",
            "ddp",
            "dd",
            "e",
            "ac",
            "aac",
            "he",
            "heaac",
            "flac",
            "opus",
            "lpcm",
            "pcm",
            "ddplus",
            "real",
            "proper",
            "repack",
            "rerip",
            "extended",
            "director",
            "directors",
            "theatrical",
            "unrated",
            "uncut",
            "remastered",
            "imax",
            "criterion",
            "special",
            "final",
            "ultimate",
            "collector",
            "collectors",
            "dc",
            "internal",
            "read",
            "readnfo",
            "nfo",
            "nfofix",
            "dirfix",
            "subfix",
            "hardsub",
            "hardsubs",
            "complete",
            "subbed",
            "dubbed",
            "hsbs",
            "h",
            "hou",
            "limited",
            "custom",
            "hc",
            "sbs",
            "ou",
            "stv",
            "docu",
            "sample",
            "vost",
            "vostfr",
            "vosta",
            "sub",
            "subs",
            "subfrench",
            "subfr",
            "subita",
            "subeng",
            "esub",
            "esubs",
            "multisub",
            "multisubs",
            "season",
            "seasons",
            "saison",
            "saisons",
            "temporada",
            "temporadas",
            "temp",
            "staffel",
            "stagione",
            "seizoen",
            "сезон",
            "сезоны",
            "episode",
            "ep",
            "eps",
            "episodes",
            "episodio",
            "capitulo",
            "cap",
            "bölüm",
            "sezon",
            "integral",
            "integrale",
            "ppv",
            "серия",
            "серии",
            "эпизод",
            "pt",
            "dual",
            "multi",
            "uhd",
        ]
    )
    | frozenset(_LANGUAGES)
    | frozenset(code.lower() for code in _LANGUAGE_CODES)
    | frozenset(_SUBTITLE_LANGUAGES)
    | frozenset(code + suffix for code in _SUBTITLE_LANGUAGES for suffix in ("sub", "subs"))
    | frozenset(
        key for table in (_SOURCES, _CODECS, _AUDIO, _HDR, _EDITIONS) for key in table if key.isalpha()
    )
)

# `PT-BR` and `Dual-Audio` reach the language table without separators
_STRIP = str.maketrans("", "", " ._-'")


# Slots and tuples: the parse cache holds tens of thousands of these, and every list or dict in them would be
# one more object for the cyclic garbage collector to walk on each full pass (it stops tracking a tuple of
# numbers and strings; an empty one is never even allocated).
@dataclass(slots=True)
class Parsed:
    title: str | None = None
    year: int | None = None
    season: int | None = None
    seasons: tuple[int, ...] = ()
    episodes: tuple[int, ...] = ()
    air_date: date | None = None
    resolution: str | None = None  # a Resolution, or an interlaced height (`1080i`)
    source: Source | None = None
    codec: Codec | None = None
    hdr: tuple[str, ...] = ()
    audio: tuple[str, ...] = ()
    channels: str | None = None
    bit_depth: str | None = None
    edition: str | None = None
    group: str | None = None
    proper: bool = False
    repack: bool = False
    sample: bool = False
    languages: tuple[Language, ...] = ()
    subtitles: tuple[Language, ...] = ()


# the spellings nearly every name uses, read without arithmetic
_COMMON_HEIGHTS = {
    r.value: r
    for r in (Resolution.R2160P, Resolution.R1080P, Resolution.R720P, Resolution.R480P, Resolution.R576P)
}
_START = operator.methodcaller("start")
# kinds of tag read through a table by their letters alone (`WEB-DL`, `web.dl`, `WEBDL` are one key)
_KEYED = frozenset({"bits", "source", "codec", "hdr", "audio", "channels", "edition", "lang", "subs"})
# kinds of tag that end the title wherever they stand
_ALWAYS_STRONG = frozenset(
    {
        "res",
        "codec",
        "sxe",
        "xxe",
        "season",
        "seasonw",
        "episodew",
        "cap",
        "date",
        "dmy",
        "bits",
        "proper",
        "repack",
    }
)


def _height(m: re.Match[str]) -> str | None:
    token = m.group("res")
    common = _COMMON_HEIGHTS.get(token.lower())
    if common:
        return common
    if token.lower() in ("4k", "uhd"):
        return Resolution.R2160P
    if token.lower() == "2k":
        return Resolution.R1440P
    if m.group("res_w"):
        width, height = int(m.group("res_w")), int(m.group("res_wh"))
        # cinemascope crops (`1920x800`) keep the width of their class
        for limit, name in (
            (3800, Resolution.R2160P),
            (2500, Resolution.R1440P),
            (1900, Resolution.R1080P),
            (1200, Resolution.R720P),
        ):
            if width >= limit:
                return name
    else:
        height = int(m.group("res_h"))
        if token[-1] in "iI" and height in (480, 576, 720, 1080):
            return f"{height}i"
    for limit, name in (
        (2000, Resolution.R2160P),
        (1400, Resolution.R1440P),
        (1000, Resolution.R1080P),
        (700, Resolution.R720P),
        (540, Resolution.R576P),
        (460, Resolution.R480P),
        (340, Resolution.R360P),
        (200, Resolution.R240P),
    ):
        if height >= limit:
            return name
    return None


_REPEATED_SEASON = re.compile(r"[ST]\d{1,4}", re.IGNORECASE)


def _episode_list(first: int, more: str) -> list[int]:
    """`E01` + `E02E03` or `-E03` / `-03`: a dash is a range (`E01-E04` is four episodes), letters a list."""
    episodes = [first]
    for sep, number in re.findall(r"(-?)[ ._]?E?(\d{1,4})", more):
        n = int(number)
        last = episodes[-1]
        if sep and last < n <= last + 200:
            episodes.extend(range(last + 1, n + 1))
        elif n not in episodes:
            episodes.append(n)
    return episodes


_ACRONYM = re.compile(r"(?<![^\W_])((?:[^\W\d_]\.){2,})")
_AKA = re.compile(r"\s+(?:AKA|aka|a\.k\.a\.?)\s+")
# `Game of Thrones - The Complete Season 3`: the article belonged to the tag
_HANGING_ARTICLE = re.compile(r"(?<=\w)(?:\s*[-:])?\s+(?:The|the|A)$")
_NUMBERS = re.compile(r"[\d.,+ ]+|\d+(?:MB|GB|mb|gb)")
# an anime episode: `[Group] Title - 01 [1080p]`, `Title - 12v2`, `Title_-_03_`
_ANIME_EPISODE = re.compile(
    r"[\s_.][-–][\s_.](?:(?:E|Ep|EP|#)\s?)?(\d{1,4})(?:v\d)?"
    # a batch: `01-12`, `01~12`, `01 - 12` (spaced only from a zero-padded first: not `01 - 100 Days`)
    r"(?:(?:-|~|\s~\s)(\d{1,4})|\s-\s(\d{2}(?!\d)))?(?=[\s_\[(.]|$)(?![.,]\d)"
)
_FOREIGN = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)


# a season word with its own number after it: `24 Season 12` (the show `24`), not `2 сезон` (season 2)
_NUMBERED_SEASON = re.compile(
    r"[ ._]?(?:Season|Temporada|Saison|Staffel|Sezon|сезон)[ ._\-:№]*\d", re.IGNORECASE
)
# `DL` (dual language) or `ML` (multi language) on its own: not the `DL` of `WEB-DL`
_DUAL_LANGUAGE = re.compile(r"(?<!WEB)(?<!WEB[-. _])(?<![^\W_])(?:DL|ML)(?![^\W_])")
_COUNTRY = re.compile(r" \(?(?:US|UK)\)?$")
# an anime episode after a group in front: `[Group] Title 01 [1080p]`, `Title [01]`, `Title (01-12)`
_BARE_EPISODE = re.compile(r"(?:[ ._](0\d{1,3})|[ ._]?[\[(](\d{1,4})(?:-(\d{1,4}))?[\])])[ ._\-\[(]*$")
_PART_NUMBER = re.compile(r"(?<=[ ._])(?:Part|Pt)[ ._]?([1-9]\d?)[ ._\-]*$", re.IGNORECASE)
_SEASON_EPISODE_NUMBER = re.compile(r"(?<=[ ._])([1-9])(0[1-9]|[1-9]\d)[ ._\-]*$")


def _clean_title(raw: str) -> str | None:
    text = raw
    if text.count(" ") < max(text.count("."), text.count("_")):
        text = text.replace("_", " ")
        # keep the dots of acronyms (`S.W.A.T.`), drop the ones between words
        text = _ACRONYM.sub(lambda m: m.group(1).replace(".", "\0"), text)
        text = text.replace(".", " ").replace("\0", ".")
    else:
        text = text.replace("_", " ")
    if "AKA" in text or "aka" in text or "a.k.a" in text:  # most titles have none: skip the regex
        text = _AKA.split(text, maxsplit=1)[0]
    if " / " in text:
        # Russian and Chinese trackers put the local title first and the original after `/`
        parts = [p for p in text.split(" / ") if p.strip()]
        latin = [
            p
            for p in parts
            if re.search(r"[A-Za-z]", p) and not re.search(r"[\u0400-\u04ff\u3040-\u9fff]", p)
        ]
        text = latin[0] if latin else parts[0]
    text = " ".join(text.split()).strip(" -_.[({+,:;~|")
    # a local-script title before the original one: `超能警探.Memorist`, `О мышах и людях (Of Mice and Men)`
    words = text.split(" ")
    if len(words) > 1 and _FOREIGN.search(words[0]):
        latin = next((i for i, w in enumerate(words) if re.match(r"\(?[A-Za-z]", w)), None)
        if latin is not None and not any(_FOREIGN.search(w) for w in words[latin:]):
            text = " ".join(words[latin:]).strip("()")
    if text.endswith(("The", "the", "A")):
        text = _HANGING_ARTICLE.sub("", text)
    # unbalanced opening brackets left by a cut inside `(2019 Remastered)`
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].strip(" -_.")
    if text.count("[") > text.count("]"):
        text = text[: text.rfind("[")].strip(" -_.")
    return text or None


def _group(body: str, title_end: int, leading: str | None) -> str | None:
    text = _strip_extension(body.rstrip())
    if text.rstrip().lower().endswith(_DASHED_GROUPS):
        dashed = _DASHED_GROUP.search(text)
        if dashed and dashed.start() >= title_end:
            return dashed.group(1)
    trailing: str | None = None
    while True:
        # the bracket pattern is tried at every position: most names do not end in one
        m = _TRAILING_BRACKET.search(text) if text.rstrip()[-1:] in (")", "]") else None
        if not m or m.start() < title_end:
            break
        inner = m.group(1).strip()
        if trailing is None and inner and not _SITES.match(inner):
            trailing = inner
        text = text[: m.start()]
    # `$` also matches before a final newline, hence the removesuffix
    if text.removesuffix("\n").rstrip(_DIGITS).lower().endswith(_JUNK_ENDINGS):
        text = _GROUP_JUNK.sub("", text)
    m = _DASH_GROUP.search(text)
    if (
        m
        and m.start() > 0
        and text[m.start() - 1] in " _\t"
        and (leading or _ENDS_WITH_EPISODE.search(text, 0, m.start()))
    ):
        # `Title - S01E01 - Pilot`, `[Group] Title - 01 - Name`: an episode's own title, not a group
        m = None
    if m and m.start() >= title_end:
        name = m.group(1).strip(".")
        if (
            name
            and not _is_tag(name)
            and name.lower() not in _NOT_GROUPS
            and not _EPISODE_NUMBER.match(name)
            # `Season.1-9.DVDRip`, `2019-10-30.720p`, `PT-BR.1080p`: the dash was inside a range, a date or
            # a tag, and tags follow
            and not ("." in name and any(_all_tags(part) for part in name.split(".") if part))
        ):
            return name
    if leading:
        return leading
    if trailing and " " in trailing:
        # `(1080p BluRay x265 10bit AAC 5.1 Tigole)`: the group signs the end of its own tag block
        words = trailing.split()
        last = words[-1]
        if (
            _is_tag(words[0])
            and not _is_tag(last)
            and not _CRC.match(last)
            and last.lower() not in _NOT_GROUPS
        ):
            return last
        return None
    if trailing and not _all_tags(trailing) and not _CRC.match(trailing) and not _DOMAIN.match(trailing):
        return trailing
    return None


# `Multi-Sub`, `ENG Subs`: subtitles, not the language spoken
_SUBS = re.compile(r"[ ._\-]?(?:sub|subs|subbed|subtitles?)(?![^\W_])", re.IGNORECASE)
# the second half of a dashed tag at the end of a name (`WEB-DL`, `DTS-HD`), not a group
_NOT_GROUPS = frozenset(
    {"dl", "rip", "hd", "ma", "ray", "audio", "sub", "subs", "esub", "esubs", "msubs", "x", "tv"}
)
_CRC = re.compile(r"^[0-9A-Fa-f]{8}$")
# groups whose own name has a dash, which would otherwise read as `-CM8`
_DASHED_GROUPS = ("hive-cm8", "vh-prod", "ftw-hs", "dx-tv", "d-z0n3")
_DASHED_GROUP = re.compile(r"[ ._\-](" + "|".join(map(re.escape, _DASHED_GROUPS)) + r")\s*$", re.IGNORECASE)
_EPISODE_NUMBER = re.compile(r"\d+(?:v\d)?$")  # `12v2`: an anime episode's second version
_TAG_SEPARATORS = re.compile(r"[ ._\-]+")
_ENDS_WITH_EPISODE = re.compile(
    r"(?<![^\W_])(?:S\d{1,4}E\d{1,4}|\d{1,2}x\d{2,3}|E\d{1,4}|\d{1,4})(?:v\d)?\s*$", re.IGNORECASE
)
_DASH_GROUP = re.compile(r"-\s?([^\s\-\[\](){}]+)\s*$")
_TRAILING_BRACKET = re.compile(r"\s*[\[(]([^\[\]()]*)[\])]\s*$")


def _strip_extension(text: str) -> str:
    # an extension is at most `.torrent` long: only the end can hold one, the regex need not walk the name
    if "." not in text[-9:] and not text[-4:-3].isspace():
        return text
    return _EXTENSION.sub("", text)


def _all_tags(text: str) -> bool:
    """`WEBDL-1080p`, `HDTV 720p`, `9`: every part a tag or a number (a quality block, not a group)."""
    return all(_is_tag(part) for part in _TAG_SEPARATORS.split(text) if part)


def _is_tag(word: str) -> bool:
    if word.isalpha() and word.lower() not in _STARTERS:
        return False  # what the scan skips cannot be a tag: most groups and title words end here
    # the small pattern for the word's first character answers as the whole alternation would, faster
    pattern = _BY_FIRST.get(word[:1].lower())
    m = pattern.fullmatch(word) if pattern else None
    if m is None:
        return bool(_NUMBERS.fullmatch(word))
    kind = m.lastgroup
    if kind == "lang":
        return word.translate(_STRIP).lower() in _LANGUAGES
    return True


def parse(name: str) -> Parsed:
    out = Parsed()
    body = _strip_extension(name.strip())
    site = _SITE_PREFIX.match(body)  # anchored: a match at the start, not a search along the name
    if site:
        body = body[site.end() :]
    start = 0
    leading: str | None = None
    lead = _LEADING_BRACKET.match(body)
    if lead:
        inner = (lead.group(1) or lead.group(2)).strip()
        if not _is_tag(inner):
            leading = inner
            start = lead.end()
        else:
            start = lead.end()

    strong_end = len(body)
    years: list[tuple[int, int, int]] = []  # (start, end, year)
    weak: list[re.Match[str]] = []
    strong: list[re.Match[str]] = []
    seasons: list[int] = []
    episodes: list[int] = []
    subtitles: list[Language] = []
    has_episode = False  # an episode tag makes `Title - 01` a title, not an anime episode
    pos = start
    for word in _WORDS.finditer(body, start):
        at = word.start()
        if at < pos:
            continue
        text = word.group()
        # Most words are the title's: a set lookup skips them, the big pattern runs only where a tag can begin.
        if text.isalpha() and text.lower() not in _STARTERS:
            continue
        pattern = _BY_FIRST.get(text[0].lower())
        m = pattern.match(body, at) if pattern else None
        if m is None:
            continue
        pos = m.end()
        kind = m.lastgroup
        if kind in ("proper", "repack") and not m.group().isupper():
            # `The.Proper.Thing.2019`: a title word unless shouted; after the title it counts all the same
            if m.start() > start:
                weak.append(m)
            continue
        if kind in _ALWAYS_STRONG:
            strong.append(m)
            if kind in ("sxe", "xxe", "episodew", "cap") or kind == "seasonw" and m.group("seasonw_e"):
                has_episode = True
            continue
        if kind == "seasono" and m.start() == start and _NUMBERED_SEASON.match(body, m.end("seasono_a")):
            pos = m.end("seasono_a")  # `24 Season 12`: the number is the title, look again after it
            continue
        if kind == "year":
            if int(m.group()) <= _LAST_YEAR:  # `Blade Runner 2049` is a title, not a date
                years.append((m.start(), m.end(), int(m.group())))
            continue
        if kind == "years":
            years.append((m.start(), m.end(), 0))  # `(2005-2009)`, `2001-2011`: a span, no one year
            continue
        if kind == "lang":
            word = m.group()
            if at >= 4 and body[at - 4 : at].upper() == "YTS.":
                continue  # `[YTS.LT]`, `[YTS.AG]`: the site's domain, not Lithuanian
            known = word.translate(_STRIP).lower() in _LANGUAGES or word in _LANGUAGE_CODES
            subs = _SUBS.match(body, m.end()) if known else None
            if subs:
                # `KOR.ENG.SUB`, `iTALiAN.SUBBED`: the language of the subtitles, not of the sound
                value = _LANGUAGES.get(word.translate(_STRIP).lower()) or _LANGUAGE_CODES.get(word)
                if value and value not in subtitles and m.start() > start:
                    subtitles.append(value)
                pos = subs.end()
            elif known:
                # `127.Heures.FRENCH.DVDRip`: a scene tag shouts; the title's own words (`The French
                # Dispatch`) do not, so a shouted language ends the title even before the year
                shouted = len(word) >= 4 and not word.istitle() and not word.islower() and m.start() > start
                (strong if shouted else weak).append(m)
            continue
        if kind == "source" and m.group().lower() in _WEAK_SOURCES:
            weak.append(m)
            continue
        if kind in ("hdr", "audio", "channels") and (
            m.group() in ("DV", "DD") or m.group().lower() in _WEAK_AUDIO or kind == "channels"
        ):
            weak.append(m)
            continue
        if kind in ("edition", "other", "sample", "subs", "source") and m.start() == start:
            continue  # the first word is the title's, whatever it says
        if kind == "edition" and (
            m.group() == "DC" or not m.group().isupper() and body[m.start() - 1 : m.start()] not in ("[", "(")
        ):
            # `The.Final.Cut.2004`, `Uncut.Gems`: title words unless shouted or bracketed (`You.[Uncut]`);
            # after the title they count
            weak.append(m)
            continue
        if (
            kind == "other"
            and m.group() in ("HC", "3D", "SBS", "OU", "STV")
            or kind == "other"
            and m.group().lower() == "dubbed"
        ):
            weak.append(m)
            continue
        strong.append(m)

    if (
        strong
        and strong[0].lastgroup == "episodew"
        and strong[0].group()[:7].lower() == "episode"
        and any(y[0] > strong[0].end() for y in years)
        and not any(m.lastgroup in ("sxe", "xxe", "season", "seasonw") for m in strong)
    ):
        # `Star.Wars.Episode.4.A.New.Hope.1977`: a film's title words, since its year comes after them
        strong.pop(0)
        has_episode = False
    # an anime episode: `[Group] Title - 01 [1080p]`, `Title - 12v2`
    anime = None
    if not has_episode:
        anime = _ANIME_EPISODE.search(body, start)
        if anime and 1890 <= int(anime.group(1)) <= 2100 and not anime.group(2):
            anime = None
    if strong:
        strong_end = strong[0].start()
    if anime:
        strong_end = min(strong_end, anime.start())

    # the release year is the last year before the tags that is not the title's first word
    # (`2001.A.Space.Odyssey.1968`, `1917.2019`, `Wonder Woman 1984 (2020)`)
    year_at = None
    before = [y for y in years if y[0] < strong_end]
    candidates = [y for y in before if y[0] > start]
    if candidates:
        year_at = candidates[-1]
    elif not before:
        after = [y for y in years if y[0] >= strong_end]
        if after:
            out.year = after[0][2] or None
    elif len(before) == 1 and strong_end == len(body) and not weak:
        pass  # `1917` alone: a title, not a year
    if year_at:
        out.year = year_at[2] or None
        title_end = year_at[0]
    else:
        title_end = strong_end
    if title_end == len(body):
        late = [m.start() for m in weak if m.start() > start]
        if late:
            title_end = late[0]

    if not year_at:
        # `Movie.Extended.Cut.1080p`: with no year to end the title, an edition right before the tags is one
        for m in reversed(weak):
            if (
                m.lastgroup == "edition"
                and start < m.start() < title_end
                and not body[m.end() : title_end].strip(" ._-")
            ):
                title_end = m.start()
        # `Title [BD 1080p]`: a title never ends inside a bracket of tags, so its weak tags count too
        opened = max(body.rfind("[", start, title_end), body.rfind("(", start, title_end))
        if opened > start and body.find("]", opened, title_end) == body.find(")", opened, title_end) == -1:
            title_end = opened
    late_weak = [m for m in weak if m.start() >= title_end]
    if late_weak:
        # the scan found them in order: only weak tags joining the strong ones can break it
        strong.extend(late_weak)
        strong.sort(key=_START)

    sources: list[Source] = []
    hdr: list[str] = []
    audio: list[str] = []
    languages: list[Language] = []
    resolution_vague = False
    for m in strong:
        kind = m.lastgroup
        text = m.group()
        key = text.translate(_STRIP).lower() if kind in _KEYED else text
        if kind == "res":
            if text[:2] in ("BD", "bd"):
                sources.append(Source.BLURAY)  # `BD1080p`: anime's Blu-ray rips
            # `4K` and `UHD` also name sources and remasters: an explicit `1080p` says more
            vague = text.lower() in ("4k", "uhd", "2k")
            if out.resolution is None or (resolution_vague and not vague):
                out.resolution = _height(m)
                resolution_vague = vague
        elif kind == "source":
            value = _source(key)
            if value:
                sources.append(value)
        elif kind == "codec":
            out.codec = out.codec or _CODECS.get(key)
        elif kind == "audio":
            base = (
                key[: len(key) - len((m.group("audio_ch") or "").translate(_STRIP))]
                if m.group("audio_ch")
                else key
            )
            value = _AUDIO.get(base)
            if value and value not in audio:
                audio.append(value)
            if m.group("audio_ch") and not out.channels:
                out.channels = m.group("audio_ch").replace(" ", ".")
        elif kind == "lang":
            value = _LANGUAGES.get(key) or _LANGUAGE_CODES.get(text)
            if value and value not in languages:
                languages.append(value)
        elif kind == "subs":
            value = _subtitle_language(key)
            if value and value not in subtitles:
                subtitles.append(value)
        elif kind == "hdr":
            value = _HDR.get(key)
            if value and value not in hdr:
                hdr.append(value)
        elif kind == "channels":
            if not out.channels:
                out.channels = {"2ch": "2.0", "6ch": "5.1", "8ch": "7.1"}.get(key) or text.replace(" ", ".")
        elif kind == "edition":
            out.edition = out.edition or _edition(key)
        elif kind == "bits":
            out.bit_depth = out.bit_depth or ("10bit" if key.startswith("hi10") else key.rstrip("s"))
        elif kind == "sxe":
            s = int(m.group("sxe_s"))
            if not seasons:
                seasons.append(s)
                more = m.group("sxe_more")
                # `S01E01-S01E03` is `S01E01-E03`
                more = _REPEATED_SEASON.sub("", more) if "s" in more or "S" in more else more
                episodes.extend(_episode_list(int(m.group("sxe_e")), more))
        elif kind == "xxe":
            if not seasons:
                seasons.append(int(m.group("xxe_s")))
                more = re.sub(r"\d{1,2}x", "", m.group("xxe_more"))
                episodes.extend(_episode_list(int(m.group("xxe_e")), more))
        elif kind == "season":
            a, b = int(m.group("season_a")), m.group("season_b")
            seasons.extend(x for x in (range(a, int(b) + 1) if b and int(b) > a else [a]) if x not in seasons)
            if m.group("season_e") and not episodes:
                episodes.append(int(m.group("season_e")))
        elif kind == "seasonw":
            a, more = int(m.group("seasonw_a")), m.group("seasonw_more")
            numbers = [int(n) for n in re.findall(r"\d+", more)]
            if len(numbers) == 1 and re.search(r"-|to", more) and numbers[0] > a:
                found = list(range(a, numbers[0] + 1))
            else:
                found = [a, *numbers]
            seasons.extend(x for x in found if x not in seasons)
            if m.group("seasonw_e") and not episodes:
                episodes.append(int(m.group("seasonw_e")))
        elif kind == "seasono":
            if int(m.group("seasono_a")) not in seasons:
                seasons.append(int(m.group("seasono_a")))
        elif kind == "cap":
            if not seasons:
                seasons.append(int(m.group("cap_s")))
                episodes.append(int(m.group("cap_e")))
        elif kind == "episodew":
            if not episodes:
                a, b = int(m.group("episodew_a")), m.group("episodew_b")
                episodes.extend(range(a, int(b) + 1) if b and a < int(b) <= a + 500 else [a])
        elif kind == "date":
            try:
                out.air_date = date(int(m.group("date_y")), int(m.group("date_m")), int(m.group("date_d")))
            except ValueError:
                continue
            out.year = out.year or out.air_date.year
        elif kind == "dmy":
            a, b = int(m.group("dmy_a")), int(m.group("dmy_b"))
            month, day = (b, a) if a > 12 else (a, b)
            try:
                out.air_date = date(int(m.group("dmy_y")), month, day)
            except ValueError:
                continue
            out.year = out.year or out.air_date.year
        elif kind == "proper":
            out.proper = True
        elif kind == "repack":
            out.repack = True
        elif kind == "sample":
            out.sample = True

    if anime and not (seasons and episodes):
        first = anime.group(1)
        a, b = int(first), anime.group(2) or (anime.group(3) if len(first) == 2 and first[0] == "0" else None)
        if not episodes:
            episodes.extend(range(a, int(b) + 1) if b and a < int(b) <= a + 2000 else [a])

    if languages and Language.MULTI not in languages and _DUAL_LANGUAGE.search(body, title_end):
        # `German.DL`, `GERMAN.ML`: the dub and the original sound, as the German scene marks them
        languages.append(Language.MULTI)
    if sources:
        telltale = [s for s in sources if s in _TELLTALE]
        out.source = telltale[0] if telltale else Source.REMUX if Source.REMUX in sources else sources[0]
    if out.source == Source.WEB_DL and any(
        m.lastgroup == "source" and "rip" in m.group().lower() for m in strong
    ):
        out.source = Source.WEBRIP
    if (
        out.source == Source.HDTV
        and not (anime or seasons or episodes or out.year or out.air_date)
        and title_end == strong_end < len(body)
    ):
        # `The.Expanse.305.HDTV`: an old scene way to write S03E05 (and `Part.1` a mini-series' episode), read
        # only from a TV broadcast where nothing else dates or numbers it (`Room.237.BluRay` is a film) and a
        # tag follows at once
        numbered = _SEASON_EPISODE_NUMBER.search(body, start, title_end)
        part = None if numbered else _PART_NUMBER.search(body, start, title_end)
        if numbered:
            seasons.append(int(numbered.group(1)))
            episodes.append(int(numbered.group(2)))
            title_end = numbered.start()
        elif part and part.start() > start:
            episodes.append(int(part.group(1)))  # a mini-series: `Band.of.Brothers.Part.1.HDTV`
            title_end = part.start()
    if leading and not (anime or seasons or episodes or out.air_date):
        bare = _BARE_EPISODE.search(body, start, title_end)
        if bare and bare.start() > start:
            if bare.group(1):
                episodes.append(int(bare.group(1)))
            else:
                a, b = int(bare.group(2)), bare.group(3)
                episodes.extend(range(a, int(b) + 1) if b and a < int(b) <= a + 2000 else [a])
            title_end = bare.start()
    out.seasons = tuple(seasons)
    out.season = seasons[0] if len(seasons) == 1 else None
    out.episodes = tuple(episodes)
    out.hdr, out.audio, out.languages = tuple(hdr), tuple(audio), tuple(languages)
    out.subtitles = tuple(subtitles)
    title = _clean_title(body[start:title_end])
    if title and seasons and _COUNTRY.search(title):
        # `The Office US S01`, `The Office (US)`: the country tells which show, the title is `The Office`
        title = _COUNTRY.sub("", title)
    out.title = title
    out.group = _group(body, max(title_end, start + 1), leading)
    return out


def _subtitle_language(key: str) -> Language | None:
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
    return _SUBTITLE_LANGUAGES.get(rest) or _LANGUAGES.get(rest)


def _source(key: str) -> Source | None:
    value = _SOURCES.get(key)
    if value:
        return value
    if "remux" in key:
        return Source.REMUX
    for prefix in ("uhd", "hd", "hq"):
        if key.startswith(prefix) and key[len(prefix) :] in _SOURCES:
            return _SOURCES[key[len(prefix) :]]
    if key.startswith(("bluray", "bd")):
        return Source.BLURAY
    if key.startswith("dvd"):
        return Source.SCREENER if "scr" in key else Source.DVD
    if key.startswith("web"):
        return Source.WEBRIP if "rip" in key or "cap" in key else Source.WEB_DL
    return None


def _edition(key: str) -> str | None:
    key = key.removesuffix("version").removesuffix("edition") if key.startswith("extended") else key
    if key.startswith("extended"):
        return "Extended"
    if key.startswith("theatrical"):
        return "Theatrical"
    if key.startswith("criterion"):
        return "Criterion"
    if "anniversary" in key:
        return "Anniversary Edition"
    return _EDITIONS.get(key)
