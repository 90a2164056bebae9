"""A quality profile made ready to judge thousands of releases: words compiled, lists made sets.

The parser and the profiles speak one vocabulary (`niluflix.contracts.quality`): the parser reads `HDTS` as
`TS`, and a profile saved with `TeleSync` holds `TS`, so the rules compare plain values.
"""

import re
from dataclasses import dataclass, field

from niluflix.contracts.quality import Codec, Language
from niluflix.contracts.settings import OTHER_QUALITY, QualityProfile, SharedSettings, SizeLimit
from niluflix.errors import InvalidRequest
from search.errors import SearchError

# Points a preferred codec and a PROPER/REPACK add to a release's score: enough to order equals, never a quality.
CODEC_POINTS = 10
FIX_POINTS = 5


class UnknownProfile(SearchError, InvalidRequest):
    """The request names a quality profile that the settings do not hold."""


def language_name(code: str) -> str:
    """`German` for `de`; a code outside the vocabulary as it is."""
    try:
        return Language(code).label
    except ValueError:
        return code


_WORD_PARTS = re.compile(r"[^\W_]+")


def _words_pattern(words: list[str]) -> re.Pattern[str] | None:
    """Whole words in any case, whatever separates them in a release name (dots, dashes, spaces)."""
    parts = [r"[\W_]+".join(re.escape(w) for w in re.split(r"[\W_]+", word) if w) for word in words]
    parts = [p for p in parts if p]
    if not parts:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])", re.IGNORECASE)


def progressive(resolution: str | None) -> str:
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
    preferred_codec: Codec | None
    languages: frozenset[Language]
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
            qualities=tuple(profile.qualities),
            rejected_sources=frozenset(profile.rejected_sources),
            size_limits={limit.quality: limit for limit in profile.size_limits},
            rejected_words=_words_pattern(profile.rejected_words),
            preferred_words=preferred,
            preferred_codec=profile.preferred_codec,
            languages=frozenset(profile.languages),
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
            key = progressive(resolution)
            tier = self._tiers[resolution] = (
                self.qualities.index(key) if key in self.qualities else len(self.qualities)
            )
            return tier

    def size_limit(self, resolution: str | None) -> SizeLimit | None:
        key = progressive(resolution)
        return self.size_limits.get(key) or self.size_limits.get(OTHER_QUALITY)


def choose_profile(settings: SharedSettings, name: str | None) -> QualityProfile:
    """The profile a request names, else the default; a name the settings lack is the caller's mistake."""
    profile = settings.profile(name)
    if profile is None:
        known = ", ".join(p.name for p in settings.quality_profiles)
        raise UnknownProfile(f"no quality profile named '{name}' (profiles: {known})")
    return profile
