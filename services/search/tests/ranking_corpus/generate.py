"""Writes `generated.jsonl`: release lists in the styles of real indexers, each with the pick an expert makes.

Run from the repository root: `python services/search/tests/ranking_corpus/generate.py`. The output is
deterministic (a fixed seed), so a diff of the data file shows exactly what a change to this script did.

Each scenario builds its list from two kinds of names: good releases (the film, a usable copy) and traps (a
CAM, a fake 4K, the remake, a dub, a dead torrent...). The expected pick is decided here from the good ones
only, by the rule an expert follows (1080p, then 720p, then 2160p, then the rest; more seeders first), never
by the ranker under test.

One line per list: {"id", "wanted": {"title", "year", "runtime", ...}, "releases": [[name, MB, seeders]],
"pick": name or null}.
"""

import json
import random
from pathlib import Path

SEED = 4
OUT = Path(__file__).with_name("generated.jsonl")

# (title as TMDB gives it, title as release names spell it, year, runtime in minutes)
FILMS = [
    ("The Matrix", "The.Matrix", 1999, 136),
    ("Inception", "Inception", 2010, 148),
    ("Interstellar", "Interstellar", 2014, 169),
    ("The Dark Knight", "The.Dark.Knight", 2008, 152),
    ("Heat", "Heat", 1995, 170),
    ("Alien", "Alien", 1979, 117),
    ("Arrival", "Arrival", 2016, 116),
    ("Sicario", "Sicario", 2015, 121),
    ("Whiplash", "Whiplash", 2014, 107),
    ("Gravity", "Gravity", 2013, 91),
    ("Her", "Her", 2013, 126),
    ("Prisoners", "Prisoners", 2013, 153),
    ("Zodiac", "Zodiac", 2007, 157),
    ("Memento", "Memento", 2000, 113),
    ("Gladiator", "Gladiator", 2000, 155),
    ("Titanic", "Titanic", 1997, 194),
    ("Up", "Up", 2009, 96),
    ("Coco", "Coco", 2017, 105),
    ("Joker", "Joker", 2019, 122),
    ("Tenet", "Tenet", 2020, 150),
    ("Nope", "Nope", 2022, 130),
    ("Oppenheimer", "Oppenheimer", 2023, 180),
    ("Get Out", "Get.Out", 2017, 104),
    ("Mad Max: Fury Road", "Mad.Max.Fury.Road", 2015, 120),
    ("Blade Runner 2049", "Blade.Runner.2049", 2017, 164),
    ("The Prestige", "The.Prestige", 2006, 130),
    ("Fight Club", "Fight.Club", 1999, 139),
    ("Se7en", "Se7en", 1995, 127),
    ("Casablanca", "Casablanca", 1942, 102),
    ("Jaws", "Jaws", 1975, 124),
    ("Sintel", "Sintel", 2010, 15),
    ("Tears of Steel", "Tears.of.Steel", 2012, 12),
    ("Drive", "Drive", 2011, 100),
    ("Parasite", "Parasite", 2019, 132),
    ("Amélie", "Amelie", 2001, 122),
    ("Spirited Away", "Spirited.Away", 2001, 125),
    ("No Country for Old Men", "No.Country.for.Old.Men", 2007, 122),
    ("There Will Be Blood", "There.Will.Be.Blood", 2007, 158),
]

# Same title, another film: (title, spelling, wanted year, runtime, the other film's year)
REMAKES = [
    ("The Thing", "The.Thing", 1982, 109, 2011),
    ("The Thing", "The.Thing", 2011, 103, 1982),
    ("RoboCop", "RoboCop", 1987, 102, 2014),
    ("RoboCop", "RoboCop", 2014, 117, 1987),
    ("Total Recall", "Total.Recall", 1990, 113, 2012),
    ("Total Recall", "Total.Recall", 2012, 118, 1990),
    ("Point Break", "Point.Break", 1991, 122, 2015),
    ("Ghostbusters", "Ghostbusters", 1984, 105, 2016),
    ("Carrie", "Carrie", 1976, 98, 2013),
    ("Halloween", "Halloween", 1978, 91, 2018),
    ("Halloween", "Halloween", 2018, 106, 2007),
    ("Suspiria", "Suspiria", 1977, 99, 2018),
    ("The Lion King", "The.Lion.King", 1994, 88, 2019),
    ("The Lion King", "The.Lion.King", 2019, 118, 1994),
    ("Aladdin", "Aladdin", 1992, 90, 2019),
    ("Oldboy", "Oldboy", 2003, 120, 2013),
    ("Nosferatu", "Nosferatu", 1922, 94, 2024),
    ("Psycho", "Psycho", 1960, 109, 1998),
    ("Scarface", "Scarface", 1983, 170, 1932),
    ("Fright Night", "Fright.Night", 1985, 106, 2011),
    ("The Fly", "The.Fly", 1986, 96, 1958),
    ("A Star Is Born", "A.Star.Is.Born", 2018, 136, 1976),
    ("Footloose", "Footloose", 1984, 107, 2011),
    ("Dune", "Dune", 1984, 137, 2021),
    ("Evil Dead", "Evil.Dead", 2013, 91, 1981),
]

GROUPS = [
    "SPARKS",
    "AMIABLE",
    "GECKOS",
    "FGT",
    "CMRG",
    "NTb",
    "DON",
    "EbP",
    "TayTO",
    "FraMeSToR",
    "playBD",
    "W4F",
]
FOREIGN = ["FRENCH", "TRUEFRENCH", "GERMAN", "iTALiAN", "SPANiSH", "Hindi.Dubbed", "RUSSiAN", "POLiSH"]
TRAP_SOURCES = [
    "HDCAM.x264",
    "CAMRip.XviD",
    "HDTS.x264",
    "TELESYNC.XviD",
    "720p.HDCAM.x264",
    "DVDSCR.x264",
    "TC.XviD",
    "HQCAM.x264",
    "1080p.HDTS.x264",
]


class Films:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def group(self) -> str:
        return self.rng.choice(GROUPS)

    def good(self, spelling: str, year: int, runtime: int, quality: str) -> tuple[str, int]:
        """A usable copy of the film in one quality, named and sized as real indexers list it."""
        rng, g = self.rng, self.group()
        title = spelling.replace(".", " ")
        styles = {
            "1080p": [
                (f"{spelling}.{year}.1080p.BluRay.x264-{g}", 55, 95),
                (f"{spelling}.{year}.1080p.WEB-DL.DDP5.1.H.264-{g}", 35, 60),
                (f"{spelling}.{year}.1080p.BluRay.x265.10bit.AAC.5.1-{g}", 15, 35),
                (f"{title} ({year}) [1080p] [BluRay] [5.1] [YTS.MX]", 13, 18),
                (f"{spelling}.{year}.1080p.WEBRip.x264-{g}", 18, 30),
            ],
            "720p": [
                (f"{spelling}.{year}.720p.BluRay.x264-{g}", 30, 55),
                (f"{title} ({year}) [720p] [BluRay] [YTS.MX]", 7, 10),
                (f"{spelling}.{year}.720p.WEB-DL.DD5.1.H264-{g}", 20, 30),
                (f"{spelling}.{year}.720p.BRRip.x264.AAC-ETRG", 6, 9),
            ],
            "2160p": [
                (f"{spelling}.{year}.2160p.UHD.BluRay.x265.10bit.HDR.DTS-HD.MA.5.1-{g}", 120, 260),
                (f"{spelling}.{year}.2160p.WEB-DL.DDP5.1.DV.HDR.H.265-{g}", 60, 120),
                (f"{title} ({year}) [2160p] [4K] [WEB] [5.1] [YTS.MX]", 30, 45),
            ],
            "other": [
                (f"{spelling}.{year}.DVDRip.XviD-{g}", 6, 12),
                (f"{spelling}.{year}.480p.BluRay.x264-{g}", 5, 9),
            ],
        }
        name, low, high = rng.choice(styles[quality])
        return name, int(runtime * rng.uniform(low, high))


ORDER = {"1080p": 0, "720p": 1, "2160p": 2, "other": 3}


def expert_pick(goods: list[tuple[str, str, int, int]]) -> str | None:
    """(quality, name, MB, seeders) of the usable copies: the one an expert takes."""
    usable = [g for g in goods if g[3] > 0]
    if not usable:
        return None
    return min(usable, key=lambda g: (ORDER[g[0]], -g[3], g[1]))[1]


def build(rng: random.Random) -> list[dict]:
    films = Films(rng)
    cases: list[dict] = []

    def add(
        kind: str, wanted: dict, goods: list[tuple[str, str, int, int]], traps: list[tuple[str, int, int]]
    ):
        releases = [[name, mb, seeders] for _, name, mb, seeders in goods] + [list(t) for t in traps]
        names = [r[0] for r in releases]
        if len(set(names)) != len(names):
            return  # two identical names would be one torrent; skip rather than guess
        rng.shuffle(releases)
        cases.append(
            {
                "id": f"{kind}-{len(cases):04d}",
                "wanted": wanted,
                "releases": releases,
                "pick": expert_pick(goods),
            }
        )

    def goods_for(
        spelling: str, year: int, runtime: int, qualities: list[str], low: int = 3, high: int = 900
    ):
        out = []
        for quality in qualities:
            name, mb = films.good(spelling, year, runtime, quality)
            out.append((quality, name, mb, rng.randint(low, high)))
        return out

    for title, spelling, year, runtime in FILMS:
        wanted = {"title": title, "year": year, "runtime": runtime}
        unknown_runtime = {"title": title, "year": year, "runtime": None}

        # Plain choice between qualities: the profile's order, then seeders.
        for _ in range(2):
            qualities = rng.sample(["1080p", "1080p", "720p", "2160p", "other"], rng.randint(2, 4))
            add("quality", wanted, goods_for(spelling, year, runtime, qualities), [])

        # CAMs, telesyncs and screeners with many seeders, before the real release (or with none at all).
        traps = [
            (
                f"{spelling}.{year}.{src}-{films.group()}",
                int(runtime * rng.uniform(6, 12)),
                rng.randint(500, 5000),
            )
            for src in rng.sample(TRAP_SOURCES, 3)
        ]
        add(
            "cam",
            wanted,
            goods_for(spelling, year, runtime, rng.sample(["720p", "1080p", "other"], 1)),
            traps,
        )
        add("cam-only", wanted, [], traps[:2])

        # A fake 4K (a few hundred MB) and a sample, both much better seeded than the real thing.
        fake = (
            f"{spelling}.{year}.2160p.UHD.BluRay.x265-{films.group()}",
            rng.randint(300, 850),
            rng.randint(900, 3000),
        )
        sample = (
            f"{spelling}.{year}.1080p.BluRay.x264.Sample-{films.group()}",
            rng.randint(20, 50),
            rng.randint(50, 400),
        )
        add("fake", wanted, goods_for(spelling, year, runtime, ["720p"], 2, 40), [fake, sample])
        if runtime >= 80:  # without a runtime, a short film's real copy looks as small as a fake
            add(
                "fake-no-runtime",
                unknown_runtime,
                goods_for(spelling, year, runtime, ["1080p"], 2, 40),
                [fake],
            )

        # Dubs only, with a subtitle-free English copy of lower quality next to them (or not).
        dubs = [
            (
                f"{spelling}.{year}.{lang}.1080p.BluRay.x264-{films.group()}",
                int(runtime * 70),
                rng.randint(100, 2000),
            )
            for lang in rng.sample(FOREIGN, 2)
        ]
        add("foreign", wanted, goods_for(spelling, year, runtime, ["720p"], 2, 80), dubs)
        add("foreign-only", wanted, [], dubs)

        # Dead torrents: the best names with no seeders.
        dead = goods_for(spelling, year, runtime, ["1080p", "2160p"], 0, 0)
        alive = goods_for(spelling, year, runtime, ["720p"], 1, 30)
        add("dead", wanted, dead + alive, [])
        add("dead-only", wanted, dead, [])

        # Another film whose title starts the same, and a wrong year further than one off.
        other = [
            (
                f"{spelling}.Returns.{year + 3}.1080p.BluRay.x264-{films.group()}",
                runtime * 60,
                rng.randint(200, 900),
            ),
            (f"{spelling}.{year - 7}.1080p.BluRay.x264-{films.group()}", runtime * 60, rng.randint(200, 900)),
        ]
        add("other-film", wanted, goods_for(spelling, year, runtime, ["720p", "other"], 1, 100), other)

        # Hardcoded Korean subtitles and a bloated copy.
        bloated = (
            f"{spelling}.{year}.720p.BluRay.x264-{films.group()}",
            runtime * 200,
            rng.randint(100, 900),
        )
        korsub = (
            f"{spelling}.{year}.1080p.HDRip.x264.KORSUB-{films.group()}",
            runtime * 15,
            rng.randint(500, 4000),
        )
        add("words-size", wanted, goods_for(spelling, year, runtime, ["1080p"], 1, 60), [bloated, korsub])

    for title, spelling, year, runtime, other_year in REMAKES:
        wanted = {"title": title, "year": year, "runtime": runtime}
        others = goods_for(spelling, other_year, runtime, ["1080p", "2160p", "720p"], 300, 3000)
        for _ in range(3):
            mine = goods_for(
                spelling, year, runtime, rng.sample(["1080p", "720p", "other"], rng.randint(1, 2)), 1, 200
            )
            add("remake", wanted, mine, [(n, mb, s) for _, n, mb, s in others])
        add("remake-only", wanted, [], [(n, mb, s) for _, n, mb, s in others])
    return cases


def main() -> None:
    cases = build(random.Random(SEED))
    with OUT.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(cases)} lists written to {OUT.name}")


if __name__ == "__main__":
    main()
