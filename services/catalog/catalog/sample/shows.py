"""The open shorts of the built-in sample catalog grouped as shows (Blender Studio's films, CC BY).

TMDB has no show for these groupings, so their ids are stable ids above 9,000,100 (the sample
movies use 9,000,001 on), and their episodes' ids are 9,100,000 + 1,000 x the show's place
(9,000,101 -> 1) + 100 x season + episode, e.g. 9,101,103 for Caminandes S01E03. Air dates are the
month of first public release (the day is not recorded: the first of the month stands for it).
"""

from dataclasses import dataclass, field
from datetime import date

SHOW_IDS_FROM = 9_000_100
EPISODE_IDS_FROM = 9_100_000


@dataclass(frozen=True)
class SampleEpisode:
    number: int
    name: str
    air_date: date
    runtime: int  # minutes
    overview: str


@dataclass(frozen=True)
class SampleSeason:
    number: int
    name: str
    episodes: tuple[SampleEpisode, ...]
    overview: str = ""


@dataclass(frozen=True)
class SampleShow:
    tmdb_id: int
    title: str
    overview: str
    genres: tuple[str, ...]
    colours: tuple[str, str]  # poster gradient, top to bottom
    popularity: float
    trending: float
    vote_average: float
    status: str
    networks: tuple[str, ...]
    seasons: tuple[SampleSeason, ...]
    alternative_titles: tuple[str, ...] = field(default=())
    imdb_id: str | None = None
    tvdb_id: int | None = None
    original_language: str = "en"

    @property
    def year(self) -> int:
        return self.first_air_date.year

    @property
    def first_air_date(self) -> date:
        return min(e.air_date for s in self.seasons for e in s.episodes)

    def episode_id(self, season: int, episode: int) -> int:
        return EPISODE_IDS_FROM + (self.tmdb_id - SHOW_IDS_FROM) * 1000 + season * 100 + episode


SHOWS: tuple[SampleShow, ...] = (
    SampleShow(
        tmdb_id=9_000_101,
        title="Caminandes",
        overview="Koro the llama, in the wide and windy Patagonia, tries again and again to get to "
        "the grass on the other side, whatever stands in his way.",
        genres=("Animation", "Comedy", "Family"),
        colours=("#f0c27b", "#4b1248"),
        popularity=26.2,
        trending=19.5,
        vote_average=7.5,
        status="Ended",
        networks=("Blender Studio",),
        seasons=(
            SampleSeason(
                1,
                "Season 1",
                (
                    SampleEpisode(
                        1,
                        "Llama Drama",
                        date(2013, 1, 1),
                        2,
                        "Koro finds a road across his path and a fence on the other side of it.",
                    ),
                    SampleEpisode(
                        2,
                        "Gran Dillama",
                        date(2013, 11, 1),
                        3,
                        "An electric fence stands between Koro and the juiciest grass in Patagonia.",
                    ),
                    SampleEpisode(
                        3,
                        "Llamigos",
                        date(2016, 1, 1),
                        3,
                        "Winter berries, a penguin called Oti, and a battle of wits on the ice.",
                    ),
                ),
            ),
        ),
    ),
    SampleShow(
        tmdb_id=9_000_102,
        title="Blender Studio Shorts",
        overview="The short films of Blender Studio, made in the open with free software and "
        "shared under Creative Commons.",
        genres=("Animation", "Comedy"),
        colours=("#ff9a5a", "#1c2a5e"),
        popularity=22.7,
        trending=26.4,
        vote_average=7.2,
        status="Returning Series",
        networks=("Blender Studio",),
        alternative_titles=("Blender Open Shorts",),
        seasons=(
            SampleSeason(
                1,
                "Season 1",
                (
                    SampleEpisode(
                        1,
                        "Glass Half",
                        date(2015, 12, 1),
                        3,
                        "Two art critics in a gallery cannot agree on anything, least of all the art.",
                    ),
                    SampleEpisode(
                        2,
                        "The Daily Dweebs",
                        date(2017, 6, 1),
                        2,
                        "A small dog will do anything not to go to the vet.",
                    ),
                    SampleEpisode(
                        3,
                        "Hero",
                        date(2018, 4, 1),
                        4,
                        "A short drawn by hand inside a 3D scene: the showcase of Blender's Grease Pencil.",
                    ),
                ),
            ),
            SampleSeason(
                2,
                "Season 2",
                (
                    SampleEpisode(
                        1,
                        "Coffee Run",
                        date(2020, 5, 1),
                        3,
                        "Fueled by caffeine, a young woman runs through the bittersweet memories of her "
                        "past relationship.",
                    ),
                    SampleEpisode(
                        2,
                        "Wing It!",
                        date(2023, 10, 1),
                        4,
                        "A rooster and a cat build a rocket from scrap to reach the stars.",
                    ),
                ),
            ),
        ),
    ),
)
