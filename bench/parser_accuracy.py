"""Per-field accuracy and speed of release-name parsers on the corpus (services/search/tests/corpus).

Every library's answer is mapped onto the vocabulary NiluFlix uses (`ParsedRelease`: `BluRay`, `WEB-DL`, `x265`,
ISO 639-1 languages...) before it is compared, so a field counts as wrong only when the library read the name
wrong, not when it spells the same thing differently. Titles compare as the matcher compares them
(case, accents, punctuation and a leading article do not count).

Run: `.venv/bin/python bench/parser_accuracy.py` (guessit takes a few seconds: it is the slow one).
"""

import argparse
import json
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

from search.parsing.names import parse as niluflix_parse
from search.ranking.titles import normalise_title

from niluflix.cli.main import PARSE_FIELDS

CORPUS = Path(__file__).resolve().parents[1] / "services/search/tests/corpus/releases.jsonl"
# Left out: what the corpus does not record and the other parsers do not read the same way (subtitles, a
# complete pack, an anime release's version, episodes counted from the show's first).
FIELDS = tuple(f for f in PARSE_FIELDS if f not in ("subtitles", "complete", "version", "absolute_episodes"))

_RESOLUTIONS = {
    "4k": "2160p",
    "1080i": "1080p",
    "2160i": "2160p",
    "720i": "720p",
    "576i": "576p",
    "480i": "480p",
}
_PTT_SOURCES = {
    "BluRay": "BluRay",
    "BDRip": "BluRay",
    "BRRip": "BluRay",
    "BluRay REMUX": "REMUX",
    "REMUX": "REMUX",
    "UHDRip": "BluRay",
    "WEB-DL": "WEB-DL",
    "WEB": "WEB-DL",
    "WEBRip": "WEBRip",
    "WEB-DLRip": "WEBRip",
    "WEBMux": "WEB-DL",
    "HDTV": "HDTV",
    "HDTVRip": "HDTV",
    "SATRip": "HDTV",
    "TVRip": "HDTV",
    "PDTV": "HDTV",
    "DVD": "DVD",
    "DVDRip": "DVD",
    "CAM": "CAM",
    "TeleSync": "TS",
    "TeleCine": "TC",
    "SCR": "SCR",
    "HDRip": "HDRip",
}
_PTT_CODECS = {"avc": "x264", "hevc": "x265", "xvid": "XviD", "divx": "DivX", "av1": "AV1", "mpeg": "MPEG-2"}
_GUESSIT_CODECS = {
    "H.264": "x264",
    "H.265": "x265",
    "Xvid": "XviD",
    "DivX": "DivX",
    "AV1": "AV1",
    "MPEG-2": "MPEG-2",
    "VC-1": "VC-1",
    "VP9": "VP9",
}


def load_corpus(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _resolution(value: object) -> str | None:
    if not value:
        return None
    text = str(value).lower()
    return _RESOLUTIONS.get(text, text)


def _iso(value: object) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value or None


def _fields_of(found: object) -> dict:
    out = {f: getattr(found, f) for f in FIELDS}
    out["air_date"] = _iso(out["air_date"])
    return out


def niluflix(name: str) -> dict:
    return _fields_of(niluflix_parse(name))


def baseline_parser(rev: str) -> Callable[[str], dict]:
    """The parser as it was at git revision `rev`, loaded beside today's, so before and after are timed in
    the same run on the same machine. The whole package is loaded under its own name (its modules import each
    other as `search.parsing.*`, which would otherwise be today's)."""
    root = Path(__file__).resolve().parents[1]
    folder = "services/search/search/parsing"
    package = "niluflix_parser_" + "".join(c if c.isalnum() else "_" for c in rev)  # `HEAD~3` is no name

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), "show", f"{rev}:{path}"], capture_output=True, text=True, check=True
        ).stdout

    listed = subprocess.run(
        ["git", "-C", str(root), "ls-tree", "--name-only", f"{rev}:{folder}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    modules = [f[:-3] for f in listed if f.endswith(".py") and f != "__init__.py"]
    loaded: dict[str, types.ModuleType] = {}

    def load(name: str) -> types.ModuleType:
        if name not in loaded:
            source = show(f"{folder}/{name}.py")
            # the package's own imports point at this revision's modules, loaded first
            for other in modules:
                if f"search.parsing.{other} import" in source:
                    load(other)
            source = source.replace("from search.parsing.", f"from {package}.")
            module = types.ModuleType(f"{package}.{name}")
            sys.modules[module.__name__] = module
            exec(compile(source, f"{rev}:{folder}/{name}.py", "exec"), module.__dict__)  # noqa: S102 - ours
            loaded[name] = module
        return loaded[name]

    sys.modules[package] = types.ModuleType(package)
    names = load("names")

    def parse(name: str) -> dict:
        return _fields_of(names.parse(name))

    return parse


def _from_ptt(found: dict) -> dict:
    seasons = found.get("seasons") or []
    languages = [
        "multi" if "multi" in lang or "dual" in lang else "es" if lang == "la" else lang
        for lang in found.get("languages") or []
    ]
    quality = found.get("quality")
    return {
        "title": found.get("title"),
        "year": found.get("year"),
        "season": seasons[0] if len(seasons) == 1 else None,
        "episodes": found.get("episodes") or [],
        "air_date": found.get("date"),
        "resolution": _resolution(found.get("resolution")),
        "source": _PTT_SOURCES.get(quality, quality),
        "codec": _PTT_CODECS.get(found.get("codec"), found.get("codec")),
        "group": found.get("group"),
        "proper": bool(found.get("proper")),
        "repack": bool(found.get("repack")),
        "languages": list(dict.fromkeys(languages)),
    }


def parsett(name: str) -> dict:
    import PTT

    return _from_ptt(PTT.parse_title(name))


def rank_torrent_name(name: str) -> dict:
    import RTN

    data = RTN.parse(name)
    return _from_ptt({**data.model_dump(), "title": data.parsed_title})


def _guessit_source(found: dict) -> str | None:
    source = found.get("source")
    other = found.get("other") or []
    other = other if isinstance(other, list) else [other]
    if isinstance(source, list):
        source = source[0]
    if source is None:
        return None
    if "Remux" in other:
        return "REMUX"
    if "Screener" in other:
        return "SCR"
    table = {
        "Blu-ray": "BluRay",
        "Ultra HD Blu-ray": "BluRay",
        "HD-DVD": "BluRay",
        "HDTV": "HDTV",
        "Digital TV": "HDTV",
        "TV": "HDTV",
        "Satellite": "HDTV",
        "Ultra HDTV": "HDTV",
        "DVD": "DVD",
        "Camera": "CAM",
        "HD Camera": "CAM",
        "Telesync": "TS",
        "HD Telesync": "TS",
        "Telecine": "TC",
        "HD Telecine": "TC",
        "Workprint": "CAM",
    }
    if source == "Web":
        return "WEBRip" if "Rip" in other else "WEB-DL"
    return table.get(source, source)


def guessit(name: str) -> dict:
    from guessit import guessit as run

    found = dict(run(name))
    other = found.get("other") or []
    other = other if isinstance(other, list) else [other]
    season = found.get("season")
    episodes = found.get("episode")
    languages = found.get("language") or []
    languages = languages if isinstance(languages, list) else [languages]
    codes = []
    for lang in languages:
        code = "multi" if str(lang) in ("mul", "und") else getattr(lang, "alpha2", None) or str(lang)
        if code not in codes:
            codes.append(code)
    codec = found.get("video_codec")
    group = found.get("release_group")
    return {
        "title": found.get("title"),
        "year": found.get("year") if isinstance(found.get("year"), int) else None,
        "season": season if isinstance(season, int) else None,
        "episodes": episodes
        if isinstance(episodes, list)
        else [episodes]
        if isinstance(episodes, int)
        else [],
        "air_date": _iso(found.get("date")),
        "resolution": _resolution(found.get("screen_size")),
        "source": _guessit_source(found),
        "codec": _GUESSIT_CODECS.get(codec, codec) if isinstance(codec, str) else None,
        "group": group if isinstance(group, str) else None,
        "proper": "Proper" in other,
        "repack": "Repack" in other or "Rerip" in other,
        "languages": codes,
    }


PARSERS: dict[str, Callable[[str], dict]] = {
    "niluflix": niluflix,
    "parsett": parsett,
    "rank-torrent-name": rank_torrent_name,
    "guessit": guessit,
}


def same(field: str, got: object, expected: object) -> bool:
    if field == "title":
        return normalise_title(str(got or "")) == normalise_title(str(expected or ""))
    if field == "languages":
        return set(got or []) == set(expected or [])
    if field == "episodes":
        return list(got or []) == list(expected or [])
    if field == "air_date":
        return (str(got) if got else None) == (expected or None)
    if field in ("proper", "repack"):
        return bool(got) == bool(expected)
    return (got or None) == (expected or None)


def measure(parse: Callable[[str], dict], corpus: list[dict]) -> tuple[dict[str, tuple[int, int]], float]:
    """Per field (right, total), and names parsed per second."""
    scores = {f: [0, 0] for f in FIELDS}
    answers = []
    started = time.perf_counter()
    for case in corpus:
        try:
            answers.append(parse(case["name"]))
        except Exception:  # noqa: BLE001 - a library that crashes on a name got every field wrong
            answers.append({})
    rate = len(corpus) / (time.perf_counter() - started)
    for case, got in zip(corpus, answers, strict=True):
        for field, expected in case["expect"].items():
            if field in scores:
                scores[field][1] += 1
                scores[field][0] += same(field, got.get(field), expected)
    return {f: (r, t) for f, (r, t) in scores.items()}, rate


def table(results: dict[str, tuple[dict[str, tuple[int, int]], float]]) -> str:
    names = list(results)
    lines = ["| field | cases | " + " | ".join(names) + " |", "|---|---:|" + "---:|" * len(names)]
    for field in FIELDS:
        total = results[names[0]][0][field][1]
        cells = [f"{100 * results[n][0][field][0] / total:.1f} %" if total else "-" for n in names]
        lines.append(f"| {field} | {total} | " + " | ".join(cells) + " |")
    lines.append("| names/s | | " + " | ".join(f"{results[n][1]:,.0f}" for n in names) + " |")
    return "\n".join(lines)


# Each source apart: a parser's own tests favour it (parsett was tuned on its tests, guessit on its own).
SOURCES = {
    "written for NiluFlix in indexer styles": "niluflix",
    "from parsett's tests": "parsett",
    "from guessit's tests": "guessit",
    "from Jellyfin's naming docs and tests": "jellyfin",
}


def subsets(corpus: list[dict]) -> dict[str, list[dict]]:
    out = {label: [c for c in corpus if c["from"].startswith(prefix)] for label, prefix in SOURCES.items()}
    return {**out, "all": corpus}


def report(corpus: list[dict], parsers: dict[str, Callable[[str], dict]] = PARSERS) -> str:
    for parse in parsers.values():
        parse(corpus[0]["name"])  # imports and warm-up outside the clock
    out = []
    for label, cases in subsets(corpus).items():
        results = {name: measure(parse, cases) for name, parse in parsers.items()}
        out.append(f"{label} ({len(cases)} names):\n\n{table(results)}\n")
    return "\n".join(out)


def speed(parsers: dict[str, Callable[[str], dict]], corpus: list[dict], rounds: int = 9) -> str:
    """Names/s of each parser over the whole corpus, rounds interleaved so a busy moment of the machine falls on
    all of them alike; the best round of each (the least disturbed) and the ratio to the first parser."""
    names = [case["name"] for case in corpus]
    best = dict.fromkeys(parsers, 0.0)
    for _ in range(rounds):
        for label, parse in parsers.items():
            started = time.perf_counter()
            for name in names:
                parse(name)
            best[label] = max(best[label], len(names) / (time.perf_counter() - started))
    first = next(iter(best.values()))
    lines = [f"| parser | names/s (best of {rounds}) | vs {next(iter(best))} |", "|---|---:|---:|"]
    lines += [f"| {label} | {rate:,.0f} | {rate / first:.2f} |" for label, rate in best.items()]
    return "\n".join(lines)


def misses(corpus: list[dict], field: str) -> str:
    """Our wrong answers on one field, by source: what to group into classes before changing the parser."""
    lines = []
    for label, cases in subsets(corpus).items():
        if label == "all":
            continue
        wrong = [
            (case["name"], got, case["expect"][field])
            for case in cases
            if field in case["expect"]
            and not same(field, got := niluflix(case["name"]).get(field), case["expect"][field])
        ]
        lines.append(f"{label}: {len(wrong)} of {len(cases)} wrong")
        lines += [f"  {name!r}: got {got!r}, expected {expected!r}" for name, got, expected in wrong]
    return "\n".join(lines)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--baseline", metavar="REV", help="also run the parser as it was at this git revision")
    args.add_argument("--misses", metavar="FIELD", help="only list the names our parser reads wrong in FIELD")
    given = args.parse_args()
    rev = given.baseline
    corpus = load_corpus()
    if given.misses:
        print(misses(corpus, given.misses))
        return
    print(f"{len(corpus)} names from {CORPUS.name}\n")
    parsers = {"niluflix": niluflix, **({f"niluflix@{rev}": baseline_parser(rev)} if rev else {})}
    print(report(corpus, {**parsers, **{k: v for k, v in PARSERS.items() if k != "niluflix"}}))
    if rev:
        print(f"speed, ours against {rev} ({len(corpus)} names, no cache):\n")
        print(speed(parsers, corpus))


if __name__ == "__main__":
    main()
