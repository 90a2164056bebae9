"""Rules a release must pass, each a small object that says why it fails, or None: a `Rejection` of the
contract, its code (`RejectionCode`) for programs and its message for people.

Each rule is judged alone and all are run, so a rejected release lists every reason it lost.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from niluflix.contracts.common import MediaType
from niluflix.contracts.quality import Language, Source
from niluflix.contracts.search import Coverage, FindReleases, Rejection, RejectionCode, Release
from niluflix.contracts.settings import QualityProfile
from search.parsing.ids import normalise_imdb_id
from search.ranking.coverage import (
    absolute_words,
    describe,
    episode_words,
    looks_like_a_show,
    read_coverage,
    season_words,
)
from search.ranking.profiles import Judged, language_name, progressive
from search.ranking.titles import title_key

MB = 1_000_000
# When the runtime is unknown, sizes are judged against the shortest and longest likely film.
SHORTEST_FILM = 60
LONGEST_FILM = 240
# The same for one episode of a show.
SHORTEST_EPISODE = 20
LONGEST_EPISODE = 90


# The fixed reasons, shared by every release they reject: a search judges thousands.
_TITLE_MISMATCH = Rejection(code=RejectionCode.TITLE_MISMATCH, message="title does not match")
_NO_SEEDERS = Rejection(code=RejectionCode.NO_SEEDERS, message="no seeders")
_BLOCKLISTED = Rejection(code=RejectionCode.BLOCKLISTED, message="blocklisted")
_SAMPLE = Rejection(code=RejectionCode.SAMPLE, message="sample")
_A_FILM = Rejection(code=RejectionCode.WRONG_KIND, message="a film, not a show's episode")


@dataclass(frozen=True)
class Wanted:
    """The request, prepared once for every release to be compared against."""

    request: FindReleases
    titles: frozenset[str]
    imdb_id: str | None
    profile: Judged
    blocklist: frozenset[str]
    # A show, not a film: asked of every release by several rules.
    tv: bool = False
    # Shows: the episodes of the season wanted (none: the whole season).
    episodes: tuple[int, ...] = ()
    # Shows: absolute number -> wanted episode, when catalog knows them (anime releases are named so).
    by_absolute: dict[int, int] = field(default_factory=dict)
    # Titles only a release named in the film's own language would carry (the original, when it differs).
    original_titles: frozenset[str] = frozenset()
    # Spoken languages that do not make a release a dub: the profile's, MULTi, the film's original.
    understood: frozenset[str] = frozenset()
    # Size bounds per resolution, worked out on the first release of each: a search has thousands of releases
    # and a handful of resolutions.
    _sizes: dict[tuple, "_SizeBounds | None"] = field(default_factory=dict, compare=False, repr=False)
    _film_time: list["_PlayingTime"] = field(default_factory=list, compare=False, repr=False)
    # Bytes below which a release is a fake, by resolution, remux and playing time.
    _fake_below: dict[tuple, float | None] = field(default_factory=dict, compare=False, repr=False)
    # Reasons whose words repeat within a search (`wrong year 2009`, `CAM`), made once each.
    _reasons: dict[tuple[RejectionCode, str], Rejection] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, request: FindReleases, profile: QualityProfile | None = None) -> "Wanted":
        names = [request.title, request.original_title, *request.alternative_titles]
        titles = frozenset(t for t in (title_key(n) for n in names if n) if t)
        original = title_key(request.original_title or "")
        profile = profile or QualityProfile(name="Standard")
        return cls(
            request=request,
            titles=titles,
            imdb_id=normalise_imdb_id(request.imdb_id),
            profile=Judged.of(profile),
            blocklist=frozenset(h.strip().lower() for h in request.blocklist),
            tv=request.media_type == MediaType.TV,
            episodes=tuple(request.wanted_episodes()),
            by_absolute=request.episodes_by_absolute(),
            original_titles=frozenset({original} - {title_key(request.title), ""}),
            understood=_understood(profile, request.original_language),
        )

    def rejection(self, code: RejectionCode, message: str) -> Rejection:
        """The reason with these words, made once per search."""
        try:
            return self._reasons[code, message]
        except KeyError:
            made = self._reasons[code, message] = Rejection(code=code, message=message)
            return made

    def identified_by(self, release: Release) -> bool:
        """The indexer tagged the release with the wanted title's id: surer than any name."""
        if release.imdb_id is None and release.tmdb_id is None and release.tvdb_id is None:
            return False  # most releases: asked twice per release, so spare the normalising
        if self.imdb_id and normalise_imdb_id(release.imdb_id) == self.imdb_id:
            return True
        if self.tv and release.tvdb_id is not None and release.tvdb_id == self.request.tvdb_id:
            return True
        return release.tmdb_id is not None and release.tmdb_id == self.request.tmdb_id

    def coverage(self, release: Release) -> Coverage | None:
        """What the release holds of a show (None: it looks like a film), read once and kept on it."""
        if release.covers is None:
            release.covers = read_coverage(
                release,
                self.request.season,
                self.episodes,
                by_absolute=self.by_absolute,
                air_date=self.request.air_date,
            )
        return release.covers


def _understood(profile: QualityProfile, original: str | None) -> frozenset[str]:
    understood: set[str] = {Language.MULTI, *profile.languages}
    if original:
        try:
            understood.add(Language.named(original))  # TMDB says `cn` for Cantonese: the parser's zh
        except ValueError:
            understood.add(original.strip().casefold())  # a language no release name tags
    return frozenset(understood)


class Rule(Protocol):
    """`check` says why a release fails, or None. A rule may also have `applies(wanted) -> bool`: False when
    no release could fail it for this request (an empty blocklist, a film and not a season), so a search of
    thousands of releases does not ask it thousands of times."""

    def check(self, release: Release, wanted: Wanted) -> Rejection | None: ...


def applicable(rules: Sequence[Rule], wanted: Wanted) -> list[Rule]:
    """The rules that can reject some release of this request."""
    return [rule for rule in rules if getattr(rule, "applies", None) is None or rule.applies(wanted)]


class TitleMatches:
    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if wanted.identified_by(release):
            return None
        title = release.parsed.title if release.parsed else None
        if title and title_key(title) in wanted.titles:
            return None
        if wanted.tv and title:
            return wanted.rejection(RejectionCode.TITLE_MISMATCH, f"another show: {title}")
        return _TITLE_MISMATCH


class YearMatches:
    """Within one year: a film's release year differs by country and festival premiere."""

    tolerance = 1

    def applies(self, wanted: Wanted) -> bool:
        return wanted.request.year is not None

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        parsed = release.parsed
        year = parsed.year if parsed else None
        if wanted.request.year is None or year is None or wanted.identified_by(release):
            return None
        if parsed is not None and parsed.air_date is not None and parsed.air_date.year == year:
            return None  # a daily show's episode: the year of its date, not of the show
        if abs(year - wanted.request.year) > self.tolerance:
            return wanted.rejection(RejectionCode.WRONG_YEAR, f"wrong year {year}")
        return None


class HasSeeders:
    """Nobody (or too few) to download from. An unknown count is not zero: the indexer just did not say."""

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if release.seeders is None:
            return None
        if release.seeders <= 0:
            return _NO_SEEDERS
        least = wanted.profile.profile.min_seeders
        if release.seeders < least:
            return wanted.rejection(
                RejectionCode.TOO_FEW_SEEDERS, f"only {release.seeders} seeders (at least {least} wanted)"
            )
        return None


class EpisodeMatches:
    """For a season, episodes or a day of a show: another season, episode or day is another download.

    A season pack, a pack of several seasons or the complete series holds every episode of the seasons it
    names; a multi-episode release (`S01E01E02`, `S01E01-E03`) counts for each episode it holds. A release
    named by date is judged by its day when the request knows the wanted episode's; one named by absolute
    number (anime) by those numbers when the request knows the wanted episodes' (`read_coverage`).
    """

    def applies(self, wanted: Wanted) -> bool:
        request = wanted.request
        return wanted.tv and (request.season is not None or request.air_date is not None)

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        covers = wanted.coverage(release) if wanted.tv else None
        if covers is None:
            return None  # a film: `KindMatches` says so
        request = wanted.request
        if request.air_date is not None and covers.air_date is not None:
            if covers.air_date != request.air_date:
                return wanted.rejection(
                    RejectionCode.WRONG_EPISODE, f"another day: {covers.air_date.isoformat()}"
                )
            return None
        if covers.absolute_episodes and not covers.wanted:
            many = "other episodes" if len(covers.absolute_episodes) > 1 else "another episode"
            return wanted.rejection(
                RejectionCode.WRONG_EPISODE, f"{many}: {absolute_words(covers.absolute_episodes)}"
            )
        if request.season is not None and covers.seasons and request.season not in covers.seasons:
            many = "other seasons" if len(covers.seasons) > 1 else "another season"
            return wanted.rejection(RejectionCode.WRONG_SEASON, f"{many}: {season_words(covers.seasons)}")
        if wanted.episodes and covers.episodes and not covers.wanted:
            many = "other episodes" if len(covers.episodes) > 1 else "another episode"
            season = covers.seasons[0] if covers.seasons else None
            shown = episode_words(season, covers.episodes)
            return wanted.rejection(RejectionCode.WRONG_EPISODE, f"{many}: {shown}")
        return None


class KindMatches:
    """A film is never a show's season or episode, and a show's episode never a film: a name alone cannot
    tell `Fargo.S01.1080p` from the 1996 film, but its season can."""

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if wanted.tv:
            return _A_FILM if wanted.coverage(release) is None else None
        if not looks_like_a_show(release):
            return None
        covers = read_coverage(release)  # not kept: a film's release holds no coverage
        if covers is None:
            return None
        return wanted.rejection(RejectionCode.WRONG_KIND, f"a show's {describe(covers)}, not a film")


class IdMatches:
    """The indexer tags the release with another title's id: it is that title, whatever its name says
    (Radarr and Sonarr reject these too). Ids that disagree with each other prove nothing, so one id of the
    wanted title is enough to pass."""

    def applies(self, wanted: Wanted) -> bool:
        request = wanted.request
        return bool(request.imdb_id or request.tmdb_id or (wanted.tv and request.tvdb_id))

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if release.imdb_id is None and release.tmdb_id is None and release.tvdb_id is None:
            return None  # most releases carry no id
        request = wanted.request
        pairs = (
            (normalise_imdb_id(release.imdb_id), wanted.imdb_id, "{}"),
            (release.tvdb_id, request.tvdb_id if wanted.tv else None, "TVDB {}"),
            (release.tmdb_id, request.tmdb_id or None, "TMDB {}"),
        )
        known = [(theirs, ours, shown) for theirs, ours, shown in pairs if theirs and ours]
        if not known or any(theirs == ours for theirs, ours, _ in known):
            return None
        theirs, ours, shown = known[0]
        return wanted.rejection(
            RejectionCode.WRONG_ID,
            f"the indexer says it is {shown.format(theirs)}, not {shown.format(ours)}",
        )


class NotBlocklisted:
    """A release that failed before (stalled, fake, wrong film) is never offered again."""

    def applies(self, wanted: Wanted) -> bool:
        return bool(wanted.blocklist)

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if release.info_hash and release.info_hash.lower() in wanted.blocklist:
            return _BLOCKLISTED
        return None


class SourceAllowed:
    """CAMs, telesyncs, telecines and screeners: filmed or early copies an expert never takes."""

    def applies(self, wanted: Wanted) -> bool:
        return bool(wanted.profile.rejected_sources)

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        # the parser and the profile speak one vocabulary (niluflix.contracts.quality): no spelling to fold
        source = release.parsed.source if release.parsed else None
        if source is not None and source in wanted.profile.rejected_sources:
            return wanted.rejection(RejectionCode.REJECTED_SOURCE, source)
        return None


class NotSample:
    """A sample clip of a release, whatever its size says."""

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if release.parsed is not None and release.parsed.sample:
            return _SAMPLE
        return None


class QualityAllowed:
    def applies(self, wanted: Wanted) -> bool:
        return not wanted.profile.profile.allow_other_qualities

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        profile = wanted.profile
        if profile.profile.allow_other_qualities:
            return None
        resolution = release.parsed.resolution if release.parsed else None
        if profile.tier(resolution) < len(profile.qualities):
            return None
        shown = resolution or "unknown quality"
        return wanted.rejection(
            RejectionCode.QUALITY_NOT_ALLOWED, f"{shown} is not in profile {profile.name}"
        )


def _megabytes(size: float) -> str:
    return f"{size / 1000:.1f} GB" if size >= 1000 else f"{size:.0f} MB"


@dataclass(frozen=True, slots=True)
class _PlayingTime:
    """The minutes of picture a release holds, as far as the request tells: a film's runtime, or a show's
    episodes times one episode's runtime. `most` is None when the count of episodes is unknown (a pack of
    a season of unknown length, several seasons, the complete series)."""

    least: float
    most: float | None
    words: str  # " for 136 min", " for 3 episodes of 45 min", or "" when the runtime is unknown


def playing_time(release: Release, wanted: Wanted) -> _PlayingTime:
    request = wanted.request
    runtime = request.runtime if request.runtime and request.runtime > 0 else None
    if not wanted.tv:
        # one answer for every release of a film: made once per search
        film = wanted._film_time
        if not film:
            film.append(
                _PlayingTime(
                    least=runtime or SHORTEST_FILM,
                    most=runtime or LONGEST_FILM,
                    words=f" for {runtime} min" if runtime else "",
                )
            )
        return film[0]
    covers = wanted.coverage(release)
    count: int | None = 1
    least_count = 1
    if covers is not None and (covers.absolute_episodes or covers.episodes):
        # an anime batch weighs every episode it names, not only the wanted ones
        count = least_count = len(covers.absolute_episodes or covers.episodes)
    elif covers is not None and covers.season_pack:
        one_season = covers.seasons == [request.season] and request.season is not None
        count = request.season_episodes if one_season and request.season_episodes else None
        least_count = count or max(len(covers.seasons), 1)
    if count == 1:
        words = f" for {runtime} min" if runtime else ""
    else:
        episodes = f"{count} episodes" if count else "a season pack"
        words = f" for {episodes}" + (f" of {runtime} min" if runtime else "")
    return _PlayingTime(
        least=least_count * (runtime or SHORTEST_EPISODE),
        most=count * (runtime or LONGEST_EPISODE) if count else None,
        words=words,
    )


@dataclass(frozen=True, slots=True)
class _SizeBounds:
    """One resolution's limits in MB for the release's playing time."""

    least: float
    most: float | None
    quality: str
    for_runtime: str


class SizeFits:
    """Size per minute of picture for the release's quality: a 2160p of 700 MB is a fake, 50 MB a sample.

    A show's release is judged by the episodes it holds: a season pack of ten episodes may weigh ten
    episodes' worth; when the count is unknown only too small can be told."""

    def applies(self, wanted: Wanted) -> bool:
        return bool(wanted.profile.size_limits)

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if not release.size or release.size <= 0:
            return None
        resolution = release.parsed.resolution if release.parsed else None
        time = playing_time(release, wanted)
        key = (resolution, time)
        try:
            bounds = wanted._sizes[key]
        except KeyError:
            bounds = wanted._sizes[key] = self._bounds(resolution, time, wanted)
        if bounds is None:
            return None
        size = release.size / MB
        if size < bounds.least:
            # the size is in the words, so each is new: made, not looked up
            return Rejection(
                code=RejectionCode.TOO_SMALL,
                message=f"too small for {bounds.quality}: {_megabytes(size)}{bounds.for_runtime}",
            )
        if bounds.most is not None and size > bounds.most:
            return Rejection(
                code=RejectionCode.TOO_BIG,
                message=f"too big for {bounds.quality}: {_megabytes(size)}{bounds.for_runtime}",
            )
        return None

    @staticmethod
    def _bounds(resolution: str | None, time: _PlayingTime, wanted: Wanted) -> _SizeBounds | None:
        limit = wanted.profile.size_limit(resolution)
        if limit is None:
            return None
        most = (
            limit.max_mb_per_minute * time.most
            if time.most is not None and limit.max_mb_per_minute is not None
            else None
        )
        return _SizeBounds(
            least=limit.min_mb_per_minute * time.least,
            most=most,
            quality=resolution or "its quality",
            for_runtime=time.words,
        )


# MB per minute below which no real release of a resolution exists, whatever the profile allows: the
# smallest honest encodes (x265 web episodes, YIFY films) weigh several times more.
FAKE_FLOOR = {"2160p": 8.0, "1440p": 4.0, "1080p": 2.5, "720p": 1.2}
# A remux is the disc's own stream, never re-encoded: a 1080p one is 15 GB or more for a film.
REMUX_FLOOR = {"2160p": 150.0, "1440p": 70.0, "1080p": 70.0}
REMUX_FLOOR_OTHER = 25.0


class NotFake:
    """A size no real release of its claimed quality could have (a 900 MB "2160p REMUX") is a fake: a
    renamed smaller file, or worse. Judged for every profile however roomy its size limits, but not for
    one with none at all: that is the switch for "judge no sizes" (the offline demo's tiny files)."""

    def applies(self, wanted: Wanted) -> bool:
        return bool(wanted.profile.size_limits)

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        parsed = release.parsed
        if not release.size or release.size <= 0 or parsed is None or parsed.resolution is None:
            return None
        remux = parsed.source == Source.REMUX
        time = playing_time(release, wanted)
        key = (parsed.resolution, remux, time)
        try:
            least = wanted._fake_below[key]
        except KeyError:
            least = wanted._fake_below[key] = self._least(parsed.resolution, remux, time)
        if least is None or release.size >= least:
            return None
        claimed = f"{parsed.resolution} REMUX" if remux else parsed.resolution
        return Rejection(
            code=RejectionCode.FAKE, message=f"fake {claimed}: {_megabytes(release.size / MB)}{time.words}"
        )

    @staticmethod
    def _least(resolution: str, remux: bool, time: _PlayingTime) -> float | None:
        """Bytes below which the release is a fake; None when its quality makes no claim to judge."""
        resolution = progressive(resolution)
        floor = REMUX_FLOOR.get(resolution, REMUX_FLOOR_OTHER) if remux else FAKE_FLOOR.get(resolution)
        return floor * time.least * MB if floor is not None else None


class NoRejectedWord:
    def applies(self, wanted: Wanted) -> bool:
        return wanted.profile.rejected_words is not None

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        pattern = wanted.profile.rejected_words
        if pattern is None or not wanted.profile.may_have_rejected_word(release.name):
            return None
        found = pattern.search(release.name)
        if found is None:
            return None
        return wanted.rejection(RejectionCode.REJECTED_WORD, f"rejected word {found.group(0)}")


class LanguageUnderstood:
    """A release tagged only with languages the profile does not list is a dub the user cannot follow.

    Untagged releases pass: scene names tag a language only when it is not the original. A release in the
    film's original language passes too, and so does one named by the original title. When the original
    language is unknown and the film has a title of its own abroad, a tag cannot tell a dub from the
    original, so none is held against it.
    """

    def applies(self, wanted: Wanted) -> bool:
        return bool(wanted.profile.languages) and not (
            wanted.request.original_language is None and wanted.original_titles
        )

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        understood = wanted.profile.languages
        parsed = release.parsed
        if not understood or parsed is None or not parsed.languages:
            return None
        original = wanted.request.original_language
        if original is None and wanted.original_titles:
            return None
        # the parser tags languages in the profiles' vocabulary: no spelling to fold
        if not wanted.understood.isdisjoint(parsed.languages):
            return None
        if parsed.title and title_key(parsed.title) in wanted.original_titles:
            return None
        shown = ", ".join(sorted({language_name(code) for code in parsed.languages}))
        return wanted.rejection(RejectionCode.FOREIGN_LANGUAGE, f"foreign language only: {shown}")


DEFAULT_RULES: tuple[Rule, ...] = (
    NotBlocklisted(),
    IdMatches(),
    TitleMatches(),
    YearMatches(),
    KindMatches(),
    EpisodeMatches(),
    SourceAllowed(),
    NotSample(),
    QualityAllowed(),
    NotFake(),
    SizeFits(),
    NoRejectedWord(),
    LanguageUnderstood(),
    HasSeeders(),
)
