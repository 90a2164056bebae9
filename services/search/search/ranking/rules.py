"""Rules a release must pass, each a small object that says why it fails, or None: a `Rejection` of the
contract, its code (`RejectionCode`) for programs and its message for people.

Each rule is judged alone and all are run, so a rejected release lists every reason it lost.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from niluflix.contracts.common import MediaType
from niluflix.contracts.quality import Language
from niluflix.contracts.search import FindReleases, Rejection, RejectionCode, Release
from niluflix.contracts.settings import QualityProfile
from search.parsing.ids import normalise_imdb_id
from search.ranking.profiles import Judged, language_name
from search.ranking.titles import title_key

MB = 1_000_000
# When the runtime is unknown, sizes are judged against the shortest and longest likely film.
SHORTEST_FILM = 60
LONGEST_FILM = 240


# The fixed reasons, shared by every release they reject: a search judges thousands.
_TITLE_MISMATCH = Rejection(code=RejectionCode.TITLE_MISMATCH, message="title does not match")
_NO_SEEDERS = Rejection(code=RejectionCode.NO_SEEDERS, message="no seeders")
_BLOCKLISTED = Rejection(code=RejectionCode.BLOCKLISTED, message="blocklisted")
_SAMPLE = Rejection(code=RejectionCode.SAMPLE, message="sample")


@dataclass(frozen=True)
class Wanted:
    """The request, prepared once for every release to be compared against."""

    request: FindReleases
    titles: frozenset[str]
    imdb_id: str | None
    profile: Judged
    blocklist: frozenset[str]
    # Titles only a release named in the film's own language would carry (the original, when it differs).
    original_titles: frozenset[str] = frozenset()
    # Spoken languages that do not make a release a dub: the profile's, MULTi, the film's original.
    understood: frozenset[str] = frozenset()
    # Size bounds per resolution, worked out on the first release of each: a search has thousands of releases
    # and a handful of resolutions.
    _sizes: dict[str | None, "_SizeBounds | None"] = field(default_factory=dict, compare=False, repr=False)
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
        if release.imdb_id is None and release.tmdb_id is None:
            return False  # most releases: asked twice per release, so spare the normalising
        if self.imdb_id and normalise_imdb_id(release.imdb_id) == self.imdb_id:
            return True
        return release.tmdb_id is not None and release.tmdb_id == self.request.tmdb_id


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
        return _TITLE_MISMATCH


class YearMatches:
    """Within one year: a film's release year differs by country and festival premiere."""

    tolerance = 1

    def applies(self, wanted: Wanted) -> bool:
        return wanted.request.year is not None

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        year = release.parsed.year if release.parsed else None
        if wanted.request.year is None or year is None or wanted.identified_by(release):
            return None
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
    """For a season or an episode: another season or episode is another download."""

    def applies(self, wanted: Wanted) -> bool:
        return wanted.request.media_type == MediaType.TV and wanted.request.season is not None

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        request, parsed = wanted.request, release.parsed
        if request.media_type != MediaType.TV or parsed is None or request.season is None:
            return None
        if parsed.season is not None and parsed.season != request.season:
            return wanted.rejection(RejectionCode.WRONG_SEASON, f"wrong season {parsed.season}")
        if request.episode is not None and parsed.episodes and request.episode not in parsed.episodes:
            shown = ", ".join(str(e) for e in parsed.episodes)
            return wanted.rejection(RejectionCode.WRONG_EPISODE, f"wrong episode {shown}")
        return None


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
class _SizeBounds:
    """One resolution's limits in MB for this request's runtime."""

    least: float
    most: float | None
    quality: str
    for_runtime: str


class SizeFits:
    """Size per minute of runtime for the release's quality: a 2160p of 700 MB is a fake, 50 MB a sample."""

    def applies(self, wanted: Wanted) -> bool:
        return bool(wanted.profile.size_limits)

    def check(self, release: Release, wanted: Wanted) -> Rejection | None:
        if not release.size or release.size <= 0:
            return None
        resolution = release.parsed.resolution if release.parsed else None
        try:
            bounds = wanted._sizes[resolution]
        except KeyError:
            bounds = wanted._sizes[resolution] = self._bounds(resolution, wanted)
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
    def _bounds(resolution: str | None, wanted: Wanted) -> _SizeBounds | None:
        limit = wanted.profile.size_limit(resolution)
        if limit is None:
            return None
        request = wanted.request
        # A season pack holds many episodes of one runtime: only too small can be told.
        whole = request.media_type != MediaType.TV or request.episode is not None
        runtime = request.runtime if request.runtime and request.runtime > 0 else None
        most = (
            limit.max_mb_per_minute * (runtime or LONGEST_FILM)
            if whole and limit.max_mb_per_minute is not None
            else None
        )
        return _SizeBounds(
            least=limit.min_mb_per_minute * (runtime or SHORTEST_FILM),
            most=most,
            quality=resolution or "its quality",
            for_runtime=f" for {runtime} min" if runtime else "",
        )


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
    TitleMatches(),
    YearMatches(),
    EpisodeMatches(),
    SourceAllowed(),
    NotSample(),
    QualityAllowed(),
    SizeFits(),
    NoRejectedWord(),
    LanguageUnderstood(),
    HasSeeders(),
)
