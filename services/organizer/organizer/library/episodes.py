"""Which files of a show's download are which episodes, and which subtitles go with each.

A pack is split by the name of each file (or, for a file named only `video.mkv`, of the one folder it sits
in alone; or a bare `Show - 05`: the job's season's fifth, or the show's fifth when the release is named by
absolute numbers, `bare_numbers.py`). Every episode that parses is filed, not only the ones the job asked for: whoever fetched a pack
wants all of it. Samples, extras (featurettes, interviews, trailers...) and files that name no episode are
left in the download. Two files naming the same episode (a 720p and a 1080p copy) give the larger one.

Subtitles travel with the video of their episode and keep their language and `forced`/`sdh`/`cc` tags,
so players offer them by language: `Show.S01E02.eng.forced.srt` becomes `<episode name>.en.forced.srt`.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from niluflix.contracts.downloads import DownloadedFile
from niluflix.contracts.quality import Language
from organizer.errors import CompletionUnusable
from organizer.library.bare_numbers import BareNumbers
from organizer.library.episode_names import EpisodeRef, parse_episode, parse_episode_number
from organizer.library.picking import VideoFile, is_sample, is_video, safe_files

SUBTITLE_EXTENSIONS = frozenset({".srt", ".ass", ".ssa", ".sub", ".idx", ".vtt"})
SUBTITLE_FLAGS = ("forced", "sdh", "cc")

_EXTRA = re.compile(
    r"(?<![a-z0-9])(extras?|featurettes?|behind[ ._-]the[ ._-]scenes|deleted[ ._-]scenes?|interviews?"
    r"|trailers?|bonus|making[ ._-]of|bloopers?|gag[ ._-]reel)(?![a-z0-9])",
    re.IGNORECASE,
)
# `2_English.srt`, as packs number the tracks of one episode's subtitle folder.
_TRACK_NUMBER = re.compile(r"^\d+[ _-]+")
# `pt-BR`, `zh-Hans`: a known language with a region or script keeps it.
_REGIONAL = re.compile(r"^(?P<code>[a-z]{2})-(?P<region>[a-z]{2}|[a-z]{4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Subtitle:
    path: Path
    size: int
    tags: tuple[str, ...]

    @property
    def suffix(self) -> str:
        """What follows the episode's name: `.en.forced.srt`."""
        return "".join(f".{t}" for t in self.tags) + self.path.suffix.lower()


@dataclass(frozen=True)
class EpisodeFile:
    video: VideoFile
    ref: EpisodeRef
    subtitles: tuple[Subtitle, ...] = ()


def is_subtitle(path: PurePath) -> bool:
    return path.suffix.lower() in SUBTITLE_EXTENSIONS


def is_extra(relative: PurePath, title: str) -> bool:
    """A sample or a bonus file or folder; a word the show's own title holds ("Extras") does not count."""
    if is_sample(relative, title):
        return True
    parts = (*relative.parent.parts, relative.stem)
    return any(m.group(0).casefold() not in title.casefold() for part in parts for m in _EXTRA.finditer(part))


def split_episodes(
    content_path: str,
    files: Sequence[DownloadedFile],
    *,
    download_dirs: Sequence[Path],
    title: str,
    season: int | None = None,
    bare: BareNumbers | None = None,
    fallback: EpisodeRef | None = None,
) -> list[EpisodeFile]:
    """Blocking. The episode files of a completed show download, largest first.

    `bare` reads a file named by a bare episode number (`Show - 05`): the job's `season`'s own number, or
    an absolute one (`bare_numbers.py`); `fallback` (the job's own season and episode) names the one video of a download whose file name
    names no episode. Raises `FilesNotReady` and `CompletionUnusable` as `safe_files` does, and the latter
    also when no episode is found.
    """
    download = safe_files(
        content_path,
        files,
        download_dirs=download_dirs,
        wanted=lambda p: is_video(p) or is_subtitle(p),
    )
    root = download.root
    kept = [f for f in download.files if not is_extra(f.path.relative_to(root), title)]
    videos = [f for f in kept if is_video(f.path)]
    per_folder = Counter(v.path.parent for v in videos)
    bare = bare or BareNumbers(season=season)

    found: list[tuple[VideoFile, EpisodeRef]] = []
    for video in videos:
        ref = _ref_of(video.path.relative_to(root), alone=per_folder[video.path.parent] == 1, bare=bare)
        if ref is not None:
            found.append((video, ref))
    if not found and fallback is not None and len(videos) == 1:
        found = [(videos[0], fallback)]
    if not found:
        raise CompletionUnusable(
            f"no episode file in {content_path}: no video file names an episode (S01E02, 1x02 or a date)"
            f"{download.why_none}"
        )

    chosen: list[tuple[VideoFile, EpisodeRef]] = []
    taken: set[tuple] = set()
    for video, ref in sorted(found, key=lambda f: (-f[0].size, str(f[0].path))):
        keys = _keys(ref)
        if keys & taken:
            continue
        taken |= keys
        chosen.append((video, ref))

    subtitles = _subtitles_by_episode(
        [f for f in kept if is_subtitle(f.path)], root, [ref for _, ref in chosen], bare=bare
    )
    return [
        EpisodeFile(video=video, ref=ref, subtitles=tuple(subtitles.get(ref, ()))) for video, ref in chosen
    ]


def _ref_of(relative: PurePath, *, alone: bool, bare: BareNumbers) -> EpisodeRef | None:
    """The file's own name first; else its folder's, when it is the only video there; else a bare
    episode number in its name, read as `bare` says."""
    ref = parse_episode(relative.stem)
    if ref is not None:
        return ref
    if alone:
        for folder in reversed(relative.parent.parts):
            ref = parse_episode(folder)
            if ref is not None:
                return ref
    if (number := parse_episode_number(relative.stem)) is not None:
        return bare.ref(number)
    return None


def _keys(ref: EpisodeRef) -> set[tuple]:
    if ref.episodes:
        return {("episode", ref.season, e) for e in ref.episodes}
    return {("aired", ref.air_date)}


def _subtitles_by_episode(
    subs: list[VideoFile], root: Path, refs: list[EpisodeRef], *, bare: BareNumbers
) -> dict[EpisodeRef, list[Subtitle]]:
    """Each subtitle with the episode its name (or its folder's) names; a lone episode takes every one."""
    by_episode: dict[EpisodeRef, list[Subtitle]] = {}
    names: set[tuple[EpisodeRef, str]] = set()
    for sub in sorted(subs, key=lambda s: str(s.path)):
        relative = sub.path.relative_to(root)
        ref = _ref_of(relative, alone=True, bare=bare)
        target = next((r for r in refs if ref is not None and _keys(r) & _keys(ref)), None)
        if target is None and len(refs) == 1:
            target = refs[0]
        if target is None:
            continue
        subtitle = Subtitle(path=sub.path, size=sub.size, tags=subtitle_tags(relative.stem))
        # Two files that would get one name (two English .srt): the first by path wins.
        if (target, subtitle.suffix) in names:
            continue
        names.add((target, subtitle.suffix))
        by_episode.setdefault(target, []).append(subtitle)
    return by_episode


def subtitle_tags(stem: str) -> tuple[str, ...]:
    """The language and flags a subtitle's name ends with: `Show.S01E02.eng.forced` -> ("en", "forced").

    The language is written as its ISO 639-1 code, which Plex, Jellyfin and Kodi all read; a word that
    is not a known language or flag ends the tags, so a name can never smuggle anything else in.
    """
    language: str | None = None
    flags: list[str] = []
    for token in reversed(re.split(r"[.]", stem)):
        word = _TRACK_NUMBER.sub("", token).strip().casefold()
        if word in SUBTITLE_FLAGS:
            if word not in flags:
                flags.insert(0, word)
            continue
        if language is None and (code := _language(word)):
            language = code
            continue
        break
    return ((language,) if language else ()) + tuple(flags)


def _language(word: str) -> str | None:
    regional = _REGIONAL.match(word)
    base = regional["code"] if regional else word
    try:
        language = Language.named(base)
    except ValueError:
        return None
    if language is Language.MULTI:
        return None
    if regional:
        region = regional["region"]
        return f"{language.value}-{region.upper() if len(region) == 2 else region.title()}"
    return language.value
