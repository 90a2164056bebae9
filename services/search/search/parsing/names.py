"""A single-pass release-name parser: one precompiled scan finds every quality tag, the title is what comes
before the first of them.

Why not a library: guessit is accurate but parses ~130 names/s, parsett is ten times faster but runs some
fifty regexes one after another and misreads titles with years or numbers in them. Here a name is read in
one left-to-right scan of one alternation (the `TOKENS` pattern), then a few decisions settle what is
ambiguous: which year is the release year, where the title ends, which trailing word is the group.

Tags are split in two kinds. Strong tags (`S01E02`, `1080p`, `BluRay`, `x264`, `PROPER`...) never occur in
titles, so the first one ends the title. Weak tags (`TS`, `CAM`, `WEB`, `DD`, language names like
`French`) are also ordinary words (`Charlotte's Web`, `The French Dispatch`): they count only after the title.
"""

import operator
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from niluflix.contracts.quality import Codec, Language, Resolution, Source
from search.parsing.groups import release_group, strip_extension
from search.parsing.numbering import (
    anime_episode,
    anime_episodes,
    bare_episode,
    episode_first,
    file_episode_first,
    final_season_episode,
    mini_series_part,
    number_range,
    scene_number,
    sxe_episodes,
    xxe_episodes,
)
from search.parsing.titles import clean_title
from search.parsing.tokens import (
    ALWAYS_STRONG,
    BY_FIRST,
    DOTTED,
    GLUED,
    GLUED_SXE,
    GLUED_XXE,
    KEYED,
    STARTERS,
    STRIP,
    WORDS,
    all_tags,
    is_tag,
)
from search.parsing.vocabulary import (
    AUDIO,
    CODECS,
    HDR,
    LANGUAGE_CODES,
    LANGUAGES,
    TELLTALE,
    WEAK_AUDIO,
    WEAK_SOURCES,
    edition_value,
    source_value,
    subtitle_language,
)

# `www.Site.org - `, `[ Site.my ]`, `{WWW.SITE.TV}`, `www Site tel - `: the uploader's site, not the title
_SITE_PREFIX = re.compile(
    r"^\s*(?:[\[{(]\s*(?:www[.,])?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\s*[\]})]|\[?\s*(?:www|ww)[.,][^\s\]]+(?:\s*\])?"
    r"|www\s\w+\s\w{2,6}\s+-)[\s_\-]*",
    re.IGNORECASE,
)
_LEADING_BRACKET = re.compile(r"\s*(?:\[([^\]]+)\]|【([^】]+)】)\s*")

_LAST_YEAR = date.today().year + 2


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
    complete: bool = False
    version: int | None = None
    absolute_episodes: bool = False


# the spellings nearly every name uses, read without arithmetic
_COMMON_HEIGHTS = {
    r.value: r
    for r in (Resolution.R2160P, Resolution.R1080P, Resolution.R720P, Resolution.R480P, Resolution.R576P)
}
_START = operator.methodcaller("start")


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


# a season word with its own number after it: `24 Season 12` (the show `24`), not `2 сезон` (season 2)
_NUMBERED_SEASON = re.compile(
    # (not `2 сезон 24 серия`: a number that an episode word follows is the episode's)
    r"[ ._]?(?:Season|Temporada|Saison|Staffel|Sezon|сезон)[ ._\-:№]*\d+(?!\d)(?![ ._]?(?:серия|серии|сер\.))",
    re.IGNORECASE,
)
# `DL` (dual language) or `ML` (multi language) on its own: not the `DL` of `WEB-DL`
_SEASON_NUMBER = re.compile(r"[ ._]?Season[ ._\-:]*\d", re.IGNORECASE)
_DUAL_LANGUAGE = re.compile(r"(?<!WEB)(?<!WEB[-. _])(?<![^\W_])(?:DL|ML)(?![^\W_])")
# a site's address ends at its top-level domain: `[www.Site.NL]`, `www.Site.TEL - Title`
_DOMAIN_BEFORE = re.compile(r"www\.[^\s\[\]()]+\.$", re.IGNORECASE)
_DOMAIN_END = ("]", ")", " ", "")
# (not `A Complete Unknown`, `The Complete`; `Harry Potter Collection` keeps its word: TMDB names a collection of
# films so)
_PACK_WORDS = ("Complete", "COMPLETE")
_PACK_WORD = re.compile(r"(?<=\w)(?<!\bThe)(?<!\bthe)(?<!\bA)\s+(Complete|COMPLETE)$")
_DOTTED_BEFORE = frozenset("[ ._")  # what stands before `6.01`: a bracket, or a spaced dash's space
_EP_WORD = re.compile(r"(?<=\w)\s+(?:Ep|EP)$")
_COUNTRY = re.compile(r" \(?(?:US|UK)\)?$| \((?:AU|CA|NZ|IE)\)$")
# `Multi-Sub`, `ENG Subs`: subtitles, not the language spoken
# `German.Custom.Subbed`, `Eng.Soft.Subtitles`, `French SubForced` too
_SUBS = re.compile(
    r"[ ._\-]?(?:(?:custom|soft|hard)[ ._\-])?(?:sub|subs|subbed|subtitles?|subforced)(?![^\W_])",
    re.IGNORECASE,
)

# (`Title Greek Language`: the sound's, said in words at the end or before a bracket, not `The English Language
# Show`)
# a capitalised word after a three-letter language abbreviation: a name's (`Dan Harmon`)
_NAME_AFTER = re.compile(r"[ ._]([A-Z][a-z]+)(?![^\W_])")
_SOUND_WORDS = frozenset({"Dub", "Dubbed", "Audio", "Version", "Vers", "Track", "Latino"})
_DUB_AFTER = re.compile(
    r"[ ._\-](?:DL|ML|Dubbed|DUBBED|AC3D|(?:[Ll]anguage|LANGUAGE)(?=[ ._]*(?:$|[\[(])))(?![^\W_])"
)
_MULTI = frozenset({"multi", "dual", "dualaudio", "multiaudio"})
# kinds whose tags can be ordinary words too
_WEAK_KINDS = frozenset({"source", "hdr", "audio", "channels", "edition", "other"})
# a fansub release's CRC32 in brackets: `[1C98686A]`
_CRC_BRACKET = re.compile(r"[ ._]*[\[(][0-9A-Fa-f]{8}[\])]")
_DIGIT_RUNS = re.compile(r"\d+")
_RANGE_WORD = re.compile(r"-|to")
# kinds that number seasons and episodes
_NUMBERING = frozenset(
    {
        "sxe",
        "xxe",
        "season",
        "seasonw",
        "seasono",
        "cap",
        "episodew",
        "episodeo",
        "epof",
        "batch",
        "sdot",
        "date",
        "dmy",
        "dmony",
    }
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
# kinds that mark an episode, so `Title - 01` after them is a title, not an anime episode
_EPISODE_KINDS = frozenset({"sxe", "xxe", "episodew", "episodeo", "cap", "epof", "batch", "sdot"})
_CHANNELS = {"2ch": "2.0", "6ch": "5.1", "8ch": "7.1"}
# `COMPLETE`, `Complete Series`, `Complete.Season`, `INTEGRALE`: every episode of what the name numbers
_COMPLETE = frozenset({"complete", "integral"})
# `12v2`, `v2 [ABCD1234]`: an anime release's second version of the same episode, not an episode
_TRAILING_VERSION = re.compile(r"[ ._]v([2-9])[ ._\-\[(]*$")
_VERSION = re.compile(r"(?:(?<=\d)|(?<![^\W_]))[vV]([2-9])(?![^\W_])")


class _Scan:
    """What the left-to-right pass found: strong tags (they end the title), weak ones (they count only after
    it), the years with where they stand, and the subtitle languages read on the way."""

    __slots__ = ("glued", "has_episode", "strong", "subs_word", "subtitles", "weak", "years")

    def __init__(self) -> None:
        self.strong: list[re.Match[str]] = []
        self.weak: list[re.Match[str]] = []
        self.years: list[tuple[int, int, int]] = []  # (start, end, year); year 0 for a span
        self.subtitles: list[Language] = []
        self.has_episode = False
        self.glued = False
        self.subs_word = 0  # where the last subtitle word (`Legendado`) ends


def parse(name: str) -> Parsed:
    out = Parsed()
    body, start, leading, tags_from = _front(name)
    scan = _scan(body, start)
    if scan.has_episode and scan.years:
        _film_episode_word(scan)
    # an anime episode: `[Group] Title - 01 [1080p]`, `Title - 12v2`
    anime = None if scan.has_episode else anime_episode(body, start)
    if anime and any(m.start() <= anime.start() < m.end() for m in scan.strong):
        anime = None  # `Season 1 - 4`: the dash belongs to a tag
    strong_end = scan.strong[0].start() if scan.strong else len(body)
    if scan.strong and scan.strong[0].lastgroup == "epof":
        season_word = _SEASON_BEFORE.search(body, max(0, strong_end - 8), strong_end)
        if season_word:
            strong_end = season_word.start()  # `Show.Season.2of5`: the season word is no title word
    if anime:
        strong_end = min(strong_end, anime.start())
    # `[Group] 01 - Title [1080p]`: the episode before the title, which begins after it
    first = episode_first(body, start, strong_end) if leading and not (anime or scan.has_episode) else None
    if first:
        start = first[0]
    if tags_from < start and not first:
        # `[h265 - HEVC] Riddick ...`, `[Group] [BD][1080p] Title 08`: brackets of tags in front are read too,
        # though the title comes after them
        front = _scan(body[:start], tags_from)
        scan.strong[:0] = sorted(front.strong + front.weak, key=_START) if front.weak else front.strong
    # `003. Show Name - Ep Name.avi`, `102 - The Invitation.avi`: a file named by its episode first, in a name
    # nothing else numbers or dates (a year says film: `300 - Rise of an Empire 2014`)
    file_first = (
        file_episode_first(body, start, strong_end)
        if body[start : start + 1].isdigit() and not (leading or anime or scan.has_episode or scan.years)
        else None
    )
    if file_first:
        start = file_first[0]
    year_at = _release_year(out, scan, start, strong_end, len(body))
    title_end = _title_end(body, scan, start, strong_end, year_at)
    if file_first:
        title_end = min(title_end, file_first[1])

    seasons: list[int] = []
    episodes: list[int] = []
    sources, languages = _read_tags(out, scan, seasons, episodes, bool(leading))

    if file_first and not episodes:
        if file_first[2] and not seasons:
            seasons.append(file_first[2])
        episodes.extend(file_first[3])
    if seasons:
        out.absolute_episodes = False  # (a batch's numbers count within the season named)
    if anime and not episodes:
        episodes.extend(anime_episodes(anime))
        # an anime's episodes count on from the first season (`One Piece - 1088`) unless a season is named
        out.absolute_episodes = not seasons
    if languages:
        out.languages = _languages(body, title_end, languages)
    if sources:
        out.source = _source(sources, scan.strong)
    if (
        out.source == Source.HDTV
        and not (anime or seasons or episodes or out.air_date)
        and strong_end < len(body)
    ):
        if not out.year and title_end == strong_end:
            title_end = _broadcast_numbering(body, start, title_end, seasons, episodes)
        elif year_at:
            # `the.flash.2014.208.hdtv`: the show's year, then its numbers
            _broadcast_numbering(body, year_at[1], strong_end, seasons, episodes)
    if leading and not (anime or seasons or episodes or out.air_date):
        # `[ISLAND]One_Piece_679_[VOSTFR]`: before a fansub's subtitle tag even an unpadded number is the
        # episode; elsewhere it may be the title's (`[Group] Mob Psycho 100 [BD 1080p]`)
        crc = _CRC_BRACKET.search(body, start)
        if crc and crc.start() < title_end:
            title_end = crc.start()  # `Title 264 [012073FE]`: the file's hash is no title word
        # (a fansub's hash says so too: `[Group]_Title_14_[DVD][1C98686A]`)
        # and so does a number that ends the name: `[Group] Title 13.mkv`, a fansub's episode (`[Group] Mob Psycho
        # 100 [BD 1080p]` goes on with tags)
        unpadded = (
            bool(crc)
            or bool(scan.strong)
            and scan.strong[0].lastgroup == "subs"
            or not (scan.strong or scan.weak)
            and title_end == len(body)
        )
        bare = bare_episode(body, start, title_end, unpadded)
        if bare:
            title_end, found = bare
            episodes.extend(found)
            out.absolute_episodes = True
        elif first:
            episodes.append(first[1])
            out.absolute_episodes = True
    if (
        title_end == len(body)
        and body[-1:].isdigit()
        and not (leading or anime or seasons or episodes or out.air_date or out.year or scan.weak)
    ):
        dashed = final_season_episode(body, start, title_end)
        if dashed:
            title_end = dashed[0]
            seasons.append(dashed[1])
            episodes.append(dashed[2])
    out.seasons = tuple(seasons)
    out.season = seasons[0] if len(seasons) == 1 else None
    out.episodes = tuple(episodes)
    out.subtitles = tuple(scan.subtitles)
    # (a `v` among the title's last characters is rare: most names skip the regex)
    version = (
        _TRAILING_VERSION.search(body, start, title_end) if "v" in body[title_end - 5 : title_end] else None
    )
    if version and version.start() > start:
        # `[Group] Title ONA v2 [540p]`: the release's second version, not the title's
        title_end = version.start()
        out.version = int(version.group(1))
    out.title = _title(body[start:title_end], seasons)
    if out.title and out.title.endswith(_PACK_WORDS):
        pack = _PACK_WORD.search(out.title)
        if pack:
            # `Naruto Complete [Ep 01 - 220]`: the pack's word, not the show's
            out.title = out.title[: pack.start()]
            out.complete = True
    if out.title is None and leading and not first:
        # `[REC].2007.1080p`, `[Taxi 1998] [BDRemux]`: a bracket in front with nothing but tags after it is the
        # title (read as a name of its own: it may hold the year), no group
        inner = parse(leading)
        out.title = inner.title
        out.year = out.year or inner.year
        leading = None
    out.group = release_group(body, max(title_end, start + 1), leading)
    # (scene names number seasons and have no versions: only anime-style names are looked at)
    if episodes and (leading or anime or not seasons) and not out.version:
        version = _VERSION.search(body, title_end)
        out.version = int(version.group(1)) if version else None
    return out


def _front(name: str) -> tuple[str, int, str | None, int]:
    """The name without its extension and site prefix, where its words begin, a group in front
    (`[Group] Title - 01`) if any, and where brackets of tags before the title begin (`[BD][1080p]`)."""
    body = strip_extension(name.strip())
    site = _SITE_PREFIX.match(body)  # anchored: a match at the start, not a search along the name
    if site:
        body = body[site.end() :]
    lead = _LEADING_BRACKET.match(body)
    if not lead:
        return body, 0, None, 0
    inner = (lead.group(1) or lead.group(2)).strip()
    if lead.end() == len(body) and " " in inner:
        return inner, 0, None, 0  # `[ Show S02E10 1080p WEB-DL x264-GRP ]`: the whole name in brackets
    if is_tag(inner) or all_tags(inner):
        return body, lead.end(), None, 0
    # `[Group] [BD][1080p] Title 08`: the group's tags before the title
    at = lead.end()
    more = _LEADING_BRACKET.match(body, at)
    while more and all_tags(more.group(1) or more.group(2)):
        at = more.end()
        more = _LEADING_BRACKET.match(body, at)
    return body, at, inner, lead.end()


def _scan(body: str, start: int) -> _Scan:
    """The single left-to-right pass: every tag, sorted into strong and weak as it is found."""
    scan = _Scan()
    strong, weak, years = scan.strong, scan.weak, scan.years
    pos = start
    for word in WORDS.finditer(body, start):
        at = word.start()
        if at < pos:
            continue
        text = word.group()
        # Most words are the title's: a set lookup skips them, the big pattern runs only where a tag can begin.
        if text.isalpha() and text.lower() not in STARTERS:
            continue
        pattern = BY_FIRST.get(text[0].lower())
        m = pattern.match(body, at) if pattern else None
        if m is None:
            if text.isdigit():
                if body[word.end() : word.end() + 1] == "." and body[at - 1 : at] in _DOTTED_BEFORE:
                    m = DOTTED.match(body, at)
                    if m:
                        strong.append(m)
                        scan.has_episode = True
                        pos = m.end()
            elif at > start and text[0].isalpha() and not text.isalpha():
                # `The.Man.In.The.High.Castle1x01`: the numbering glued to the title's last word, or the
                # episode's title glued to the numbering (`S03E02Le malheur`)
                m = GLUED_XXE.search(body, at, word.end()) or GLUED_SXE.match(body, at, word.end())
                if m:
                    strong.append(m)
                    scan.has_episode = True
                    pos = m.end()
            continue
        pos = m.end()
        kind = m.lastgroup
        if kind == "glue":
            # `HDTVx264`: the tag read again up to where the codec begins, for its own kind
            m = pattern.match(body, at, pos)
            kind = m.lastgroup
            pos = _glued(body, pos, scan)
        if kind in ("proper", "repack") and not m.group().isupper():
            # `The.Proper.Thing.2019`: a title word unless shouted; after the title it counts all the same
            if m.start() > start:
                weak.append(m)
            continue
        if kind in ALWAYS_STRONG:
            strong.append(m)
            if kind in _EPISODE_KINDS or kind == "seasonw" and m.group("seasonw_e"):
                scan.has_episode = True
            continue
        if kind == "seasono" and (_NUMBERED_SEASON if m.start() == start else _SEASON_NUMBER).match(
            body, m.end("seasono_a")
        ):
            # `24 Season 12`, `One Punch Man 01 - 12 Season 1`: the number before the season word is not the
            # season, which the word's own number gives; look again after it. (Past the first word only the
            # English word: `3.sezon.22.seria`, `2.Sezon.7.Bölüm` give the episode after it.)
            pos = m.end("seasono_a")
            continue
        if kind == "year":
            if int(m.group()) <= _LAST_YEAR:  # `Blade Runner 2049` is a title, not a date
                years.append((m.start(), m.end(), int(m.group())))
            continue
        if kind == "years":
            years.append((m.start(), m.end(), 0))  # `(2005-2009)`, `2001-2011`: a span, no one year
            continue
        if kind == "lang":
            pos = _language_tag(body, m, start, scan, pos)
            continue
        if kind == "subsword":
            scan.subs_word = pos
            continue
        if kind in _WEAK_KINDS and _is_weak(body, m, kind, start):
            weak.append(m)
            continue
        if kind in ("edition", "other", "sample", "subs", "source") and m.start() == start:
            continue  # the first word is the title's, whatever it says
        strong.append(m)
    if scan.glued:
        strong.sort(key=_START)
    return scan


def _glued(body: str, pos: int, scan: _Scan) -> int:
    """`HDTVx264`, `x265HEVC`: the codecs glued to a tag's end. Returns where the scan goes on."""
    glued = GLUED.match(body, pos)
    while glued:
        end = glued.end()
        if glued.lastgroup == "glue":  # `x265HEVC`: another codec after this one
            glued = GLUED.match(body, pos, end)
        scan.strong.append(glued)
        scan.glued = True
        pos = end
        glued = GLUED.match(body, pos)
    return pos


def _language_tag(body: str, m: re.Match[str], start: int, scan: _Scan, pos: int) -> int:
    """A language word: the sound's (strong when shouted, `FRENCH`; weak when it could be the title's,
    `The French Dispatch`), or the subtitles' (`KOR.ENG.SUB`). Returns where the scan goes on."""
    word = m.group()
    at = m.start()
    if at >= 4 and body[at - 4 : at].upper() == "YTS.":
        return pos  # `[YTS.LT]`, `[YTS.AG]`: the site's domain, not Lithuanian
    if word in LANGUAGE_CODES and body[at - 1 : at] == "-" and m.end() == len(body.rstrip()):
        return pos  # `...H.264-NL`: a group, not Dutch
    if (
        body[at - 1 : at] == "."
        and body[m.end() : m.end() + 1] in _DOMAIN_END
        and _DOMAIN_BEFORE.search(body, max(0, at - 60), at)
    ):
        return pos  # `[www.AtomoHD.FI]`, `[wWw.EliteTorrent.NL]`: a site's domain, not Finnish or Dutch
    known = word.translate(STRIP).lower() in LANGUAGES or word in LANGUAGE_CODES
    subs = _SUBS.match(body, m.end()) if known else None
    if known and not subs and scan.subs_word and not body[scan.subs_word : at].strip(" ._-"):
        subs = m  # `Legendado.PT-BR`: right after a subtitle word
    if subs:
        # `KOR.ENG.SUB`, `iTALiAN.SUBBED`: the language of the subtitles, not of the sound
        value = LANGUAGES.get(word.translate(STRIP).lower()) or LANGUAGE_CODES.get(word)
        if value and value not in scan.subtitles and at > start:
            scan.subtitles.append(value)
        return subs.end()
    if known and len(word) == 3 and word.istitle():
        name = _NAME_AFTER.match(body, m.end())
        if name and name.group(1) not in _SOUND_WORDS and not is_tag(name.group(1)):
            return pos  # `Carson Daly 2017 09 13 Dan Harmon`: a first name, not Danish
    if known:
        # `127.Heures.FRENCH.DVDRip`: a scene tag shouts; the title's own words (`The French Dispatch`) do
        # not, so a shouted language ends the title even before the year
        shouted = len(word) >= 4 and not word.istitle() and not word.islower() and at > start
        # `German.DL`, `French.Dubbed`: a dub tag, never the title's; `Multi`, `Dual`: no title word either
        dub = (
            at > start
            and (_DUB_AFTER.match(body, m.end()) or word.translate(STRIP).lower() in _MULTI)
            # (`The English Language`: a title, the article says so)
            and body[max(start, at - 4) : at - 1].lower() not in ("the", "a")
        )
        (scan.strong if shouted or dub else scan.weak).append(m)
    return pos


def _is_weak(body: str, m: re.Match[str], kind: str | None, start: int) -> bool:
    """Tags that are also ordinary words (`Charlotte's Web`, `The Final Cut`, `DD`): they count only after
    the title."""
    text = m.group()
    if kind == "source":
        return text.lower() in WEAK_SOURCES
    if kind in ("hdr", "audio"):
        return text in ("DV", "DD") or text.lower() in WEAK_AUDIO
    if kind == "channels":
        return True
    if kind == "edition":
        # `The.Final.Cut.2004`, `Uncut.Gems`: title words unless shouted or bracketed (`You.[Uncut]`)
        return m.start() != start and (
            text == "DC" or not text.isupper() and body[m.start() - 1 : m.start()] not in ("[", "(")
        )
    if kind == "other":
        return m.start() != start and text in ("HC", "3D", "SBS", "OU", "STV") or text.lower() == "dubbed"
    return False


def _film_episode_word(scan: _Scan) -> None:
    """`Star.Wars.Episode.4.A.New.Hope.1977`: a film's title words, since its year comes after them."""
    strong = scan.strong
    if (
        strong
        and strong[0].lastgroup == "episodew"
        and strong[0].group()[:7].lower() == "episode"
        and any(y[0] > strong[0].end() for y in scan.years)
        and not any(m.lastgroup in ("sxe", "xxe", "season", "seasonw") for m in strong)
    ):
        strong.pop(0)
        scan.has_episode = False


def _release_year(out: Parsed, scan: _Scan, start: int, strong_end: int, length: int) -> tuple | None:
    """The release year is the last year before the tags that is not the title's first word
    (`2001.A.Space.Odyssey.1968`, `1917.2019`, `Wonder Woman 1984 (2020)`); `1917` alone is a title."""
    # walked from the end: the last year before the tags is the one, most names have one year
    years = scan.years
    found_before = False
    for y in reversed(years):
        if y[0] < strong_end:
            if y[0] > start:
                out.year = y[2] or None
                return y
            found_before = True
    if not found_before:
        after = next((y for y in years if y[0] >= strong_end), None)
        if after:
            out.year = after[2] or None
    return None


def _title_end(body: str, scan: _Scan, start: int, strong_end: int, year_at: tuple | None) -> int:
    """Where the title ends: at the release year, else at the first strong tag, else at the first weak one;
    weak tags from there on join the strong ones."""
    title_end = year_at[0] if year_at else strong_end
    weak = scan.weak
    if not weak:
        return title_end if year_at else _bracket_end(body, start, _uploader_bracket(body, start, title_end))
    if title_end == len(body):
        # with no strong tag, a weak one ends the title only when nothing but tags follows it: `Title FRENCH`,
        # but not the `Italian` of `The Italian Job`
        late = [
            m.start()
            for i, m in enumerate(weak)
            if m.start() > start and _only_tags_between(body, weak, i, len(body))
        ]
        title_end = late[0] if late else _uploader_bracket(body, start, title_end)
    if not year_at:
        # `Movie.Extended.Cut.1080p`, `Alien.Director.Cut.Ita.Eng.VP9`: with no year to end the title, an
        # edition with nothing but tags after it is one
        for i in range(len(weak) - 1, -1, -1):
            m = weak[i]
            if (
                # (`Title [BD][720p]`: a bracketed tag too)
                (m.lastgroup == "edition" or body[m.start() - 1] in "[(")
                and start < m.start() < title_end
                and _only_tags_between(body, weak, i, title_end)
            ):
                title_end = m.start()
        title_end = _bracket_end(body, start, title_end)
    title_end = _language_run(body, weak, start, title_end)
    late_weak = [m for m in weak if m.start() >= title_end]
    if late_weak:
        # the scan found them in order: only weak tags joining the strong ones can break it
        scan.strong.extend(late_weak)
        scan.strong.sort(key=_START)
    return title_end


def _language_run(body: str, weak: list[re.Match[str]], start: int, title_end: int) -> int:
    """`Movie.Name.Ita.Eng.1080p`: two languages or more right before the tags are tags too (one alone may be
    the title's: `Johnny English 2003`)."""
    run, at = 0, title_end
    for m in reversed(weak):
        if m.start() >= title_end:
            continue
        if m.lastgroup != "lang" or body[m.end() : at].strip(" ._-[]()+"):
            break
        run += 1
        at = m.start()
    return at if run >= 2 and at > start else title_end


def _only_tags_between(body: str, weak: list[re.Match[str]], i: int, end: int) -> bool:
    at = weak[i].end()
    for m in weak[i + 1 :]:
        if m.start() >= end:
            break
        if body[at : m.start()].strip(" ._-[]()"):
            return False
        at = m.end()
    return not body[at:end].strip(" ._-[]()")


def _uploader_bracket(body: str, start: int, title_end: int) -> int:
    """`Title [CR-Bt]` and no tag at all: the last bracket is the uploader's, not the title's."""
    if title_end == len(body) and body[-1:] == "]":
        opened = body.rfind("[", start)
        if opened > start:
            return len(body[:opened].rstrip(" ._"))
    return title_end


def _bracket_end(body: str, start: int, title_end: int) -> int:
    """`Title [BD 1080p]`: a title never ends inside a bracket of tags, so its weak tags count too."""
    opened = max(body.rfind("[", start, title_end), body.rfind("(", start, title_end))
    if opened > start and body.find("]", opened, title_end) == body.find(")", opened, title_end) == -1:
        return opened
    return title_end


def _read_tags(
    out: Parsed, scan: _Scan, seasons: list[int], episodes: list[int], fansub: bool
) -> tuple[list[Source], list[Language]]:
    """Each tag's value; sources and languages are returned for the decisions that weigh them."""
    sources: list[Source] = []
    hdr: list[str] = []
    audio: list[str] = []
    languages: list[Language] = []
    subtitles = scan.subtitles
    resolution_vague = False
    for m in scan.strong:
        kind = m.lastgroup
        if kind in _NUMBERING:
            _read_numbering(out, m, kind, seasons, episodes, fansub)
            continue
        text = m.group()
        known = _VALUES[kind]
        value = known.get(text, _UNREAD)
        if value is _UNREAD:
            value = _tag_value(kind, m, text)
            if len(known) < _VALUES_SIZE:
                known[text] = value
        if value is None:
            continue
        if kind == "res":
            height, vague, bluray = value
            if bluray:
                sources.append(Source.BLURAY)  # `BD1080p`: anime's Blu-ray rips
            # `4K` and `UHD` also name sources and remasters: an explicit `1080p` says more
            if out.resolution is None or (resolution_vague and not vague):
                out.resolution = height
                resolution_vague = vague
        elif kind == "source":
            sources.append(value)
        elif kind == "codec":
            out.codec = out.codec or value
        elif kind == "audio":
            name, channels = value
            if name and name not in audio:
                audio.append(name)
            if channels and not out.channels:
                out.channels = channels
        elif kind == "lang":
            if value not in languages:
                languages.append(value)
        elif kind == "subs":
            if value not in subtitles:
                subtitles.append(value)
        elif kind == "hdr":
            if value not in hdr:
                hdr.append(value)
        elif kind == "channels":
            out.channels = out.channels or value
        elif kind == "edition":
            out.edition = out.edition or value
        elif kind == "bits":
            out.bit_depth = out.bit_depth or value
        elif kind == "proper":
            out.proper = True
        elif kind == "repack":
            out.repack = True
        elif kind == "sample":
            out.sample = True
        elif kind == "other":
            out.complete = out.complete or value
    out.hdr, out.audio = tuple(hdr), tuple(audio)
    return sources, languages


# What each tag's text stands for, by kind: names repeat the same few spellings (`1080p`, `x264`, `WEB-DL`),
# so each is worked out once. Bounded: a kind holds at most this many spellings.
_VALUES: dict[str | None, dict[str, object]] = defaultdict(dict)
_VALUES_SIZE = 4096
_UNREAD = object()


def _tag_value(kind: str | None, m: re.Match[str], text: str) -> object:
    key = text.translate(STRIP).lower() if kind in KEYED else text
    if kind == "res":
        return _height(m), text.lower() in ("4k", "uhd", "2k"), text[:2] in ("BD", "bd")
    if kind == "source":
        return source_value(key)
    if kind == "codec":
        return CODECS.get(key)
    if kind == "audio":
        channels = m.group("audio_ch")
        name = AUDIO.get(key[: len(key) - len(channels.translate(STRIP))] if channels else key)
        return name, channels.replace(" ", ".") if channels else None
    if kind == "lang":
        return LANGUAGES.get(key) or LANGUAGE_CODES.get(text)
    if kind == "subs":
        return subtitle_language(key)
    if kind == "hdr":
        return HDR.get(key)
    if kind == "channels":
        return _CHANNELS.get(key) or text.replace(" ", ".")
    if kind == "edition":
        return edition_value(key)
    if kind == "bits":
        return "10bit" if key.startswith("hi10") else key.rstrip("s")
    if kind == "other":
        return key[:8].lower() in _COMPLETE
    return True  # proper, repack, sample: the tag itself is the value


def _read_numbering(
    out: Parsed, m: re.Match[str], kind: str, seasons: list[int], episodes: list[int], fansub: bool
) -> None:
    """Seasons, episodes and air dates; the first tag that numbers episodes wins. `fansub`: the name has a
    group in front, as anime releases do."""
    if kind == "sxe":
        if not seasons:
            seasons.append(int(m.group("sxe_s")))
            episodes.extend(sxe_episodes(int(m.group("sxe_e")), m.group("sxe_more")))
    elif kind == "xxe":
        if not seasons:
            seasons.append(int(m.group("xxe_s")))
            episodes.extend(xxe_episodes(int(m.group("xxe_e")), m.group("xxe_more")))
    elif kind == "season":
        a, b = int(m.group("season_a")), m.group("season_b")
        if (
            b
            and len(b) == 2
            and len(m.group("season_a")) == 1
            and m.string[m.start() - 1 : m.start()] in "(["
        ):
            # `(S4-24)`, `[S2-07]`: an anime's season and episode in brackets, not seasons 4 to 24
            if a not in seasons:
                seasons.append(a)
            if not episodes:
                episodes.append(int(b))
            return
        seasons.extend(x for x in (range(a, int(b) + 1) if b and int(b) > a else [a]) if x not in seasons)
        if m.group("season_e") and not episodes:
            episodes.append(int(m.group("season_e")))
    elif kind == "seasonw":
        roman = m.group("seasonw_r")
        if roman:
            if _roman(roman) not in seasons:
                seasons.append(_roman(roman))
            if m.group("seasonw_e") and not episodes:
                episodes.append(int(m.group("seasonw_e")))
            return
        a, more = int(m.group("seasonw_a")), m.group("seasonw_more")
        # (from season 1 it is a pack of the first seasons: `[F-D] Fairy Tail Season 1 - 6 + Extras`)
        spaced = (
            _SPACED_EPISODE.fullmatch(more) if fansub and more and a > 1 else _PADDED_EPISODE.fullmatch(more)
        )
        if spaced:
            # `[Erai-raws] Title Season 3 - 11 [1080p]`: an anime season's episode, not seasons 3 to 11
            if a not in seasons:
                seasons.append(a)
            if not episodes:
                episodes.append(int(spaced.group(1)))
            return
        numbers = [int(n) for n in _DIGIT_RUNS.findall(more)]
        if len(numbers) == 1 and _RANGE_WORD.search(more) and numbers[0] > a:
            found = list(range(a, numbers[0] + 1))
        else:
            found = [a, *numbers]
        seasons.extend(x for x in found if x not in seasons)
        if m.group("seasonw_e") and not episodes:
            episodes.append(int(m.group("seasonw_e")))
    elif kind == "seasono":
        a, first = int(m.group("seasono_a")), m.group("seasono_from")
        found = range(int(first), a + 1) if first and int(first) < a else [a]
        seasons.extend(x for x in found if x not in seasons)
    elif kind == "cap":
        # `Temporada 2 [Cap.201]`: the season word came first, the episode is the cap's
        if not seasons:
            seasons.append(int(m.group("cap_s")))
        if not episodes:
            episodes.extend(number_range(int(m.group("cap_e")), m.group("cap_last"), 100))
    elif kind == "sdot":
        if not seasons:
            seasons.append(int(m.group("sdot_s")))
        if not episodes:
            episodes.append(int(m.group("sdot_e")))
    elif kind == "episodew":
        if m.group("episodew_s") and not seasons:
            seasons.append(int(m.group("episodew_s")))
        if not episodes:
            if m.group("episodew_of"):
                # `Серии: 5 из 20`: the first five of twenty
                episodes.extend(range(1, int(m.group("episodew_a")) + 1))
            else:
                episodes.extend(number_range(int(m.group("episodew_a")), m.group("episodew_b"), 500))
    elif kind == "episodeo":
        if not episodes:
            episodes.append(int(m.group("episodeo_e")))
    elif kind == "epof":
        number = int(m.group("epof_e"))
        if _SEASON_BEFORE.search(m.string, max(0, m.start() - 8), m.start()):
            # `Season.2of5.3of9`: the season of how many, then the episode
            if not seasons:
                seasons.append(number)
        elif not episodes and 0 < number <= int(m.group("epof_n")):
            # `[26 из 26]`: a Russian tracker's count of the episodes out, the first 26
            episodes.extend(range(1, number + 1) if m.group("epof_ru") else (number,))
    elif kind == "batch":
        if not episodes:
            episodes.extend(number_range(int(m.group("batch_a")), m.group("batch_b"), 2000))
            # counted from the show's first episode unless a season is named (`S01 (01-12)`)
            out.absolute_episodes = True
    elif kind == "date":
        _air_date(out, int(m.group("date_y")), int(m.group("date_m")), int(m.group("date_d")))
    elif kind == "dmy":
        a, b = int(m.group("dmy_a")), int(m.group("dmy_b"))
        month, day = (b, a) if a > 12 else (a, b)
        _air_date(out, int(m.group("dmy_y")), month, day)
    elif kind == "dmony":
        month = _MONTHS[m.group("dmony_m").lower()]
        _air_date(out, int(m.group("dmony_y")), month, int(m.group("dmony_d")))


# `NCIS Season 11 01`: a zero-padded number after the season's is its episode, not season 1
_PADDED_EPISODE = re.compile(r"[ ._](0\d)")
_SEASON_BEFORE = re.compile(r"(?:Season|Series)[ ._]$", re.IGNORECASE)
# `Season 3 - 11` after a group in front: the season's episode 11
_SPACED_EPISODE = re.compile(r"\s-\s(\d{1,4})")
_ROMAN = {"I": 1, "V": 5, "X": 10}


def _roman(numeral: str) -> int:
    """`VII` is 7, `IX` 9: a smaller digit before a larger one is taken away."""
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _air_date(out: Parsed, year: int, month: int, day: int) -> None:
    try:
        out.air_date = date(year, month, day)
    except ValueError:
        return
    out.year = out.year or year


def _broadcast_numbering(
    body: str, start: int, title_end: int, seasons: list[int], episodes: list[int]
) -> int:
    """`The.Expanse.305.HDTV`: an old scene way to write S03E05 (and `Part.1` a mini-series' episode), read only
    from a TV broadcast where nothing else dates or numbers it (`Room.237.BluRay` is a film) and a tag follows
    at once. Returns where the title ends."""
    numbered = scene_number(body, start, title_end)
    if numbered:
        title_end, season, episode = numbered
        if season:
            seasons.append(season)
        episodes.append(episode)
        return title_end
    part = mini_series_part(body, start, title_end)
    if part:
        title_end, episode = part
        seasons.append(1)  # a mini-series has the one season
        episodes.append(episode)
    return title_end


def _languages(body: str, title_end: int, languages: list[Language]) -> tuple[Language, ...]:
    if languages and Language.MULTI not in languages and _DUAL_LANGUAGE.search(body, title_end):
        # `German.DL`, `GERMAN.ML`: the dub and the original sound, as the German scene marks them
        languages.append(Language.MULTI)
    return tuple(languages)


def _source(sources: list[Source], strong: list[re.Match[str]]) -> Source | None:
    """A telltale source wins (`HDCAM...WEB-DL` is a CAM), then REMUX over BluRay, then the first named;
    a web download that says `Rip` was re-encoded."""
    if len(sources) == 1 and sources[0] != Source.WEB_DL:
        return sources[0]  # most names say one source
    telltale = [s for s in sources if s in TELLTALE]
    source = telltale[0] if telltale else Source.REMUX if Source.REMUX in sources else sources[0]
    if source == Source.WEB_DL and any(
        m.lastgroup == "source" and "rip" in m.group().lower() for m in strong
    ):
        return Source.WEBRIP
    return source


def _title(raw: str, seasons: list[int]) -> str | None:
    title = clean_title(raw)
    if seasons and title and title[-2:] in ("Ep", "EP"):
        # `Star Trek DS9 Ep 2x03`: the word belonged to the numbering
        title = _EP_WORD.sub("", title)
    if title and seasons and _COUNTRY.search(title):
        # `The Office US S01`, `The Office (US)`: the country tells which show, the title is `The Office`
        title = _COUNTRY.sub("", title)
    return title
