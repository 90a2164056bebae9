"""The token pattern: one alternation that reads every kind of tag (`S01E02`, `1080p`, `WEB-DL`, `DTS-HD.MA.5.1`,
`FRENCH`...), split by first character so a word is tried only against the kinds that can begin with it, and the
set of words a tag can begin with, so most title words are skipped by a set lookup.
"""

import re

from search.parsing.vocabulary import (
    AUDIO,
    CODECS,
    EDITIONS,
    HDR,
    LANGUAGE_CODES,
    LANGUAGES,
    SOURCES,
    SUBTITLE_LANGUAGES,
    SUBTITLE_PREFIXES,
)

# Not a letter or digit on either side: `\b` would treat `_` as a letter and miss `720p_hdtv`.
_L = r"(?<![^\W_])"
# `HDTVx264`, `WEBRip.x265HEVC`: a codec glued to the tag before it ends that tag too
_GLUED_CODEC = r"(?:[xXhH]26[45]|HEVC|hevc|AVC|XviD|XVID)"
# (the empty `glue` group closes last when a codec is glued on: the scan looks for glued codecs only then)
_R = r"(?:(?![^\W_])|(?P<glue>)(?=" + _GLUED_CODEC + r"(?![^\W_])))"
_S = r"[ ._\-]?"  # one optional separator inside a tag: `WEB-DL`, `WEB.DL`, `WEBDL`


def _i(pattern: str) -> str:
    return "(?i:" + pattern + ")"


def _subs_branch(first: str) -> str:
    """The subtitles' branch; with `first`, only the language prefixes that begin with that character."""
    prefixes = (
        SUBTITLE_PREFIXES if not first else "|".join(p for p in SUBTITLE_PREFIXES.split("|") if p[0] == first)
    )
    return (
        "|(?P<subs>"
        + _i(
            r"VOST(?:FR|A)?|SUB"
            + _S
            + r"(?:FRENCH|FR|ITA|ENG)|Multi"
            + _S
            + r"Subs?|Multi"
            + _S
            + r"Subtitles?"
            r"|E"
            + r"Subs?"
            + (r"|(?:" + prefixes + r")" + _S + r"(?:Subs?|Subbed|Subtitles?)" if prefixes else "")
        )
        + ")"
    )


def _lang_branch(first: str) -> str:
    """The languages' branch of the pattern; with `first`, only the words that begin with that character (the
    whole list is long, and a word can only be one that begins as it does)."""
    spelled = [r"PT" + _S + r"BR", r"Dual" + _S + r"Audio", r"Multi" + _S + r"Audio"]
    words = sorted(LANGUAGES, key=len, reverse=True)
    codes = list(LANGUAGE_CODES)
    if first:
        spelled = [w for w in spelled if w[0].lower() == first]
        words = [w for w in words if w[0] == first]
        codes = [c for c in codes if c[0].lower() == first]
    return (
        "|(?P<lang>"
        + _i("|".join(spelled + words) or "(?!)")
        + ("|" + "|".join(codes) if codes else "")
        + ")"
    )


TOKENS = re.compile(
    _L
    + "(?:"
    + "(?P<sxe>"
    + _i(
        r"[ST](?P<sxe_s>\d{1,4})(?:[ ._\-]|x)?"
        # `S01EP02`: some trackers spell the episode `EP`
        # `S01E22c`: the third segment of a split episode (cartoons), still episode 22
        + r"EP?(?P<sxe_e>\d{1,4})(?:[a-d](?![^\W_]))?(?P<sxe_more>(?:"
        + r"[ ._+]?"
        + r"(?:EP?|-(?:EP?)?)\d{1,4}(?![\dpi])|\+\d{1,4}(?![\dpi])"
        # `S01E02.S01E03`, `S01E02 - S01E03`, `S01E00 & S01E01`, `S14E00.and.S14E01`: the season said again
        + r"|(?:[ ._]?-[ ._]?|[ ._](?:&|and)[ ._]|[ ._])S(?P=sxe_s)EP?\d{1,4}(?![\dpi]))*)"
    )
    + ")"
    # `1x02`, `1x2`, `1x02x03`, `1x02-03`, `1x02.1x03`, `1x02 - 1x03`; `1940x01`, a season named by its year
    # not the `0x3` of `AC3x2 2.0x3` (three 2.0 tracks)
    + r"|(?P<xxe>(?<!(?<!\d)\d[.,])(?P<xxe_s>\d{1,2}|(?:19|20)\d\d(?=[xX]\d\d(?!\d)))"
    # `06х01`, a Cyrillic `х`; `01E06`, a zero-padded season, a capital `E` and the episode's two digits
    + r"(?:[xXх]|(?<=0\d)E(?=\d\d(?!\d)))(?P<xxe_e>\d{1,3})(?P<xxe_more>(?:"
    + r"(?:[-_](?:\d{1,2}[xX])?|[xX]|(?:[ ._]-[ ._]|[._])(?P=xxe_s)[xX])\d{2,3}(?![\dpPiI]))*))"
    + "|(?P<season>"
    + _i(
        # `S01-S05`, `S1-5`, `S1 to 5`, `S01 - S05`; not `S2 - 05`, an anime season's episode
        r"(?<!-)S(?P<season_a>\d{1,2})(?:(?:--?|[ ._]?(?:to|&)[ ._]?|[ ._]-[ ._](?=S))S?(?P<season_b>\d{1,2})"
        # `S07D1`, `S07D1-3&5`: discs of a season's DVD set, no episode
        r"|D\d{1,2}(?:[-&+]\d{1,2})*)?"
        # `Breaking Bad S02 03`, `The.Witcher.S01.07`: a season then a bare episode number
        r"(?:[ ._](?P<season_e>\d{2})(?![^\W_]|[ .]\d(?!\d)))?"
    )
    + ")"
    + "|(?P<seasonw>"
    + _i(
        # `Season 1`, `Season-1`, `Season: 1`; not `The Final Season - 01`, an anime title and its episode
        r"(?:(?:Season|Saison|Temporada|Temp\.?|Tem\.?|Staffel|Stagione|Seizoen|Sezon|Сезон|Sn(?=\d))s?(?:[ ._:№]*|-)S?"
        # `Season 1-4`, `Season 1 - 4` (not `Season 2 - 05`, an episode), `Season S01-S07`, `Seasons 1, 2 & 3`
        r"(?P<seasonw_a>\d{1,2})(?P<seasonw_more>(?:(?:\s*[,&+]\s*|-|\s-\s?(?!0)|[ ._]to[ ._]|\s+and\s+|\s)"
        r"(?:Season[ ._]?|S)?\d{1,2}(?!\d))*)"
        # `Season II`, `Saison VII`: a Roman numeral, in capitals, after the whole word (`Tem.I` says too little)
        r"|(?:Season|Saison|Temporada|Staffel|Stagione|Seizoen|Sezon)[ ._]"
        r"(?P<seasonw_r>(?-i:(?=[IVX])X{0,2}(?:IX|IV|V?I{0,3})))(?![^\W_]))"
        r"(?:[ ._\-]*(?:Episode|Ep)[ ._\-]?(?P<seasonw_e>\d{1,4}))?"
    )
    + ")"
    + "|(?P<seasono>"
    + _i(
        # `1ª a 8ª Temporada`: seasons 1 to 8
        r"(?:(?P<seasono_from>\d{1,2})(?:ª|º|°)?[ ._](?:a|al|to|-)[ ._])?"
        # (`10 th season`, `8.sez.21.ser`: a space before the ending, the Russian word shortened)
        r"(?P<seasono_a>\d{1,2})(?: ?(?:st|nd|rd|th)|ª|º|°|a\.?|-й)?[ ._]?"
        r"(?:Season|Temporada|Saison|Staffel|Sezon|sez|сезон)"
    )
    + ")"
    # `Cap.102`: Spanish trackers' season 1, episode 02
    + "|(?P<cap>"
    # `Cap.102_104`: episodes 2 to 4
    + _i(r"Cap[ ._]?(?P<cap_s>\d{1,2})(?P<cap_e>\d{2})(?:_(?:\d{1,2})(?P<cap_last>\d{2}))?")
    + ")"
    + "|(?P<episodew>"
    + _i(
        r"(?:(?:Episodes?|Episodio|Eps?|Capitulo|Серия|Серии|Эпизод)[ ._\-:№#]*|E)\(?"
        # `Episode 1.22`: season 1's episode 22 (not `Episode.1.1080p`)
        r"(?:(?P<episodew_s>\d{1,2})\.(?=\d{2}(?![^\W_])))?(?P<episodew_a>\d{1,4})"
        r"(?:v\d)?(?:\s?(?:-|~|à|to)\s?E?(?P<episodew_b>\d{1,4})|(?P<episodew_of> из )\d{1,4})?\)?"
    )
    + ")"
    # `24 серия`, `05 сер.`, `09-я серия`, `12.serija`, `7.Bölüm`: the episode's number before the word
    + "|(?P<episodeo>"
    + _i(
        r"(?P<episodeo_e>\d{1,4})(?:-?я)?[ ._]?"
        r"(?:серия|серии|сер\.|serija|seriya|seria|serya|ser(?=\.)|bölüm|bolum|odcinek)(?![^\W_])"
    )
    + ")"
    # `1of6`, `2 of 4`, `Part 1 of 3`: a documentary series' episode and how many there are
    # `3iz6` (transliterated Russian); `[26 из 26]` on Russian trackers: 26 episodes out there of 26
    + r"|(?P<epof>(?P<epof_e>\d{1,2})[ ._]?(?i:of|iz|(?P<epof_ru>из))[ ._]?(?P<epof_n>\d{1,2})(?!\d))"
    # `(01-12)`, `[001-220]`, `(0001-1071+Movies)`: an anime batch's episodes in brackets, zero-padded
    + r"|(?P<batch>(?<=[\[(])(?P<batch_a>0\d{1,3}) ?[-~] ?(?P<batch_b>\d{2,4})(?=[\])+]))"
    # `30.10.2019` (day first) or `10.30.2019` (month first, as US shows are named): the larger part is the day
    # (not the `11-11.2011` of `11-11-11.2011`, a title then its year)
    + r"|(?P<dmy>(?<!\d[ ._\-])(?P<dmy_a>[0-3]\d)[ ._\-](?P<dmy_b>[0-3]\d)[ ._\-](?P<dmy_y>(?:19|20)\d\d))"
    # (`2008x12.13` too, as some tools name a daily show's file; `1940x01 Title` stays a season and episode)
    + r"|(?P<date>(?P<date_y>(?:19|20)\d\d)(?P<date_sep>[ ._\-x])?(?P<date_m>0[1-9]|1[0-2])(?(date_sep)[ ._\-])"
    + r"(?P<date_d>0[1-9]|[12]\d|3[01]))"
    # `13 Feb 2016`, `16-Feb-2017`, `21st November 2017`, `30th Sept 2020`
    + "|(?P<dmony>"
    + _i(
        r"(?P<dmony_d>[0-3]?\d)(?:st|nd|rd|th)?[ ._\-](?P<dmony_m>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
        r"(?:[a-z]{0,6})[ ._\-](?P<dmony_y>(?:19|20)\d\d)"
    )
    + ")"
    + r"|(?P<years>(?P<years_a>(?:19|20)\d\d)[ ._]?(?:-|to)[ ._]?(?P<years_b>(?:19|20)\d\d))"
    + r"|(?P<year>(?:19|20)\d\d)"
    + r"|(?P<res>(?:BD|bd)?(?P<res_h>\d{3,4})[pPiI]|(?P<res_w>\d{3,4})[xX×](?P<res_wh>\d{3,4})|4[kK]|UHD|uhd|2[kK])"
    + "|(?P<bits>"
    + _i(r"(?:8|10|12)[ .\-]?bits?|Hi10P?")
    + ")"
    + "|(?P<source>"
    + _i(
        r"(?:Amazon|iTunes|Maxdome|Netflix|HBOMax|Disney)(?:UHD|HD|SD)"
        r"|(?:BR|BD|BD"
        + _S
        + r"Rip|BR"
        + _S
        + r"Rip|Blu"
        + _S
        + r"Ray|HDTV|DL|WEB"
        + _S
        + r"DL)"
        + _S
        + r"Mux"
        r"|WEB" + _S + r"U?HD"
        r"|WEB" + _S + r"Mux|BR" + _S + r"DISK|BDISO|MBlu" + _S + r"Ray|UHDBD(?:Rip)?|NEWCAM"
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
    + _i(r"[xh][. ]?26[45]|H[. ]?262|HEVC|AVC1?|AV1|XviD|DivX|MPE?G" + _S + r"2|VC" + _S + r"1|VP9")
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
        r"Extended(?:" + _S + r"(?:Cut|Edition|Version))?|Director'?s?" + _S + r"Cut"
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
        # `HFR.48fps`, `60fps`: a frame rate, never a title's word
        + r"|HFR|\d{2,3}(?:[.,]\d{1,3})?fps"
    )
    + "|LIMITED|CUSTOM|COMPLETE|INTEGRALE?|PPV|HC|3D|SBS|OU|STV|DOCU)"
    + "|(?P<sample>"
    + _i("sample")
    + ")"
    # `Legendado.PT-BR`, `Subtitulado.Español`, `SUBFORCED FRENCH`: the language after it is the subtitles'
    + "|(?P<subsword>"
    + _i("Legendas?|Legendado|Leg|Subtitulado|SubForced")
    + ")"
    + _subs_branch("")
    + _lang_branch("")
    + ")"
    + _R
)

WORDS = re.compile(r"[^\W_]+")


def branches(pattern: str) -> list[str]:
    """The top-level alternatives of `TOKENS`, one per tag kind."""
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


DIGITS = "0123456789"
# the lower-cased first characters each kind of tag can begin with
FIRST = {
    "sxe": "st",
    "xxe": DIGITS,
    "season": "s",
    "seasonw": "stс",
    "seasono": DIGITS,
    "cap": "c",
    "episodew": "ecсэb",
    "date": "12",
    "dmy": "0123",
    "dmony": DIGITS,
    "epof": DIGITS,
    "episodeo": DIGITS,
    "batch": "0",
    "years": "12",
    "year": "12",
    "res": DIGITS + "ub",
    "bits": "81h",
    "source": "bduhrwtsdpcmnai",
    "codec": "xhamdv",
    "hdr": "dh",
    "audio": "dtaefomlph",
    "channels": DIGITS,
    "proper": "rp",
    "repack": "r",
    "edition": "edtursifc" + DIGITS,
    "other": "irndshcl3oup" + DIGITS,
    "subsword": "ls",
    "sample": "s",
    "subs": "".join({k[0] for k in SUBTITLE_LANGUAGES} | set("vsme")),
    "lang": "".join({k[0] for k in LANGUAGES} | {c[0].lower() for c in LANGUAGE_CODES} | set("pdm")),
}


# branches narrowed to the words that begin with the dispatch character
_BY_CHAR = {"lang": _lang_branch, "subs": _subs_branch}
_EARLY = {"res": 0, "date": 1, "years": 2, "year": 3, "bits": 4, "channels": 5}
_LATE = frozenset({"seasono", "episodeo", "dmony", "epof", "batch"})


def _branch_for(kind: str, branch: str, first: str) -> str:
    narrowed = _BY_CHAR.get(kind)
    return narrowed(first)[1:] if narrowed else branch


def _dispatch() -> dict[str, re.Pattern[str]]:
    """One small pattern per first character: trying twenty kinds of tag at every word is what costs."""
    kinds = [(re.match(r"\(\?P<(\w+)>", b).group(1), b) for b in branches(TOKENS.pattern)]
    # `1080p`, the year, `10bit` and `5.1` are the digit words most names have: tried first they skip the other
    # branches. No other kind matches their text (a date and a span of years, which begin with a year, stay
    # before it), so the order changes nothing else.
    kinds.sort(key=lambda kind: _EARLY.get(kind[0], len(_EARLY)))
    # `2nd Season` and `13 Feb 2016` are rare and begin like no other tag: tried last
    kinds.sort(key=lambda kind: kind[0] in _LATE)
    chars = set("".join(FIRST.values()))
    return {
        c: re.compile(
            _L + "(?:" + "|".join(_branch_for(kind, b, c) for kind, b in kinds if c in FIRST[kind]) + ")" + _R
        )
        for c in chars
    }


BY_FIRST = _dispatch()
# `Show - 6.01 - Title`, `[5.01] Title`: season 6's episode 1, between spaced dashes or in brackets (not `5.1`,
# channels). Tried only at a number no branch of the pattern reads: rare, and one branch fewer at every number.
DOTTED = re.compile(
    r"(?P<sdot>(?:(?<=\[)|(?<=[ ._]-[ ._]))(?P<sdot_s>\d{1,2})\.(?P<sdot_e>\d{2,3})(?=\]|[ ._]-[ ._]))"
)
# `Desperate_housewives_S03E02Le malheur`: the episode's title glued to its numbering
GLUED_SXE = re.compile(r"(?P<sxe>[Ss](?P<sxe_s>\d{1,2})[Ee](?P<sxe_e>\d{2,3})(?P<sxe_more>))(?=[A-Z][a-z])")
# `Castle1x01`: a season and episode glued to the title's last word, read where the scan's word-start patterns
# cannot begin (after a word in lower case: not `AC3x2`, `AAC2x264`)
GLUED_XXE = re.compile(
    r"(?<=[^\W\d_]{2}[a-z])(?P<xxe>(?P<xxe_s>\d{1,2})[xX](?P<xxe_e>\d{2,3})(?P<xxe_more>))(?![^\W_])"
)
# the codec glued to a tag's end, read where the scan's word-start patterns cannot begin
GLUED = re.compile("(?P<codec>" + _GLUED_CODEC + ")" + _R)

# lower-cased words a tag can begin with; a word with a digit in it always may (`1080p`, `S01E02`, `x264`)
STARTERS = (
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
            "tem",
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
            "legenda",
            "legendas",
            "legendado",
            "leg",
            "subtitulado",
            "subforced",
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
    | frozenset(LANGUAGES)
    | frozenset(code.lower() for code in LANGUAGE_CODES)
    | frozenset(SUBTITLE_LANGUAGES)
    | frozenset(code + suffix for code in SUBTITLE_LANGUAGES for suffix in ("sub", "subs"))
    | frozenset(key for table in (SOURCES, CODECS, AUDIO, HDR, EDITIONS) for key in table if key.isalpha())
    # `DVDRipXviD`, `WEBRipHEVC`: a source with a codec in letters glued on
    | frozenset(key + codec for key in SOURCES if key.isalpha() for codec in ("xvid", "hevc", "avc"))
)

# `PT-BR` and `Dual-Audio` reach the language table without separators
STRIP = str.maketrans("", "", " ._-'")
# kinds of tag read through a table by their letters alone (`WEB-DL`, `web.dl`, `WEBDL` are one key)
KEYED = frozenset({"bits", "source", "codec", "hdr", "audio", "channels", "edition", "lang", "subs"})
# kinds of tag that end the title wherever they stand
ALWAYS_STRONG = frozenset(
    {
        "res",
        "codec",
        "sxe",
        "xxe",
        "season",
        "seasonw",
        "episodew",
        "episodeo",
        "cap",
        "epof",
        "batch",
        "sdot",
        "date",
        "dmy",
        "dmony",
        "bits",
        "proper",
        "repack",
    }
)

_NUMBERS = re.compile(r"[\d.,+ ]+|\d+(?:MB|GB|mb|gb)")
TAG_SEPARATORS = re.compile(r"[ ._\-]+")


def all_tags(text: str) -> bool:
    """`WEBDL-1080p`, `HDTV 720p`, `9`: every part a tag or a number (a quality block, not a group)."""
    return all(is_tag(part) for part in TAG_SEPARATORS.split(text) if part)


def is_tag(word: str) -> bool:
    if word.isalpha() and word.lower() not in STARTERS:
        return False  # what the scan skips cannot be a tag: most groups and title words end here
    known = _TAG_WORDS.get(word)
    if known is None:
        known = _TAG_WORDS[word] = _read_tag_word(word)
        if len(_TAG_WORDS) > _TAG_WORDS_SIZE:
            _TAG_WORDS.clear()
    return known


# Words already judged (`1080p`, `WEBRip`, `x264` come back in most names): a miss on a long alternation costs
# microseconds. Bounded: cleared when full.
_TAG_WORDS: dict[str, bool] = {}
_TAG_WORDS_SIZE = 8192


def _read_tag_word(word: str) -> bool:
    if word[:1].isdigit() and _NUMBERS.fullmatch(word):
        return True
    # the small pattern for the word's first character answers as the whole alternation would, faster
    pattern = BY_FIRST.get(word[:1].lower())
    m = pattern.fullmatch(word) if pattern else None
    if m is None:
        return bool(_NUMBERS.fullmatch(word))
    kind = m.lastgroup
    if kind == "lang":
        return word.translate(STRIP).lower() in LANGUAGES
    return True
