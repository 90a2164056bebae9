"""The open movies of the built-in sample catalog (Blender Studio's films, free to share).

TMDB ids and IMDb ids are the real ones where known for certain; the others use stable ids above
9,000,000, which TMDB has not reached, and no IMDb id. Alternative titles are names releases really
use (search matches releases on them), never the production code names.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SampleMovie:
    tmdb_id: int
    title: str
    year: int
    runtime: int  # minutes
    overview: str
    genres: tuple[str, ...]
    colours: tuple[str, str]  # poster gradient, top to bottom
    popularity: float
    trending: float
    vote_average: float
    release_date: date | None = None
    imdb_id: str | None = None
    alternative_titles: tuple[str, ...] = field(default=())
    original_language: str = "en"  # Blender Studio's films are made in English


MOVIES: tuple[SampleMovie, ...] = (
    SampleMovie(
        tmdb_id=10378,
        title="Big Buck Bunny",
        year=2008,
        runtime=10,
        overview="A big, gentle rabbit enjoys a spring morning until three rodent bullies go too far, "
        "and he plans a slapstick revenge.",
        genres=("Animation", "Comedy", "Family"),
        colours=("#7fc85a", "#1f6f3a"),
        popularity=48.2,
        trending=31.0,
        vote_average=6.4,
        release_date=date(2008, 5, 30),
        imdb_id="tt1254207",
    ),
    SampleMovie(
        tmdb_id=45745,
        title="Sintel",
        year=2010,
        runtime=15,
        overview="A lone young woman crosses snow and desert in search of the baby dragon she once "
        "rescued and lost.",
        genres=("Animation", "Fantasy", "Adventure"),
        colours=("#e2a05b", "#5a1f1a"),
        popularity=44.9,
        trending=40.5,
        vote_average=7.1,
        release_date=date(2010, 9, 27),
        imdb_id="tt1727587",
    ),
    SampleMovie(
        tmdb_id=133701,
        title="Tears of Steel",
        year=2012,
        runtime=12,
        overview="In a future Amsterdam, a group of scientists and warriors try to undo an old "
        "break-up before the robots it created destroy the city.",
        genres=("Science Fiction", "Action"),
        colours=("#6d8fa8", "#141c2b"),
        popularity=39.7,
        trending=22.3,
        vote_average=6.0,
        release_date=date(2012, 9, 26),
        imdb_id="tt2285752",
    ),
    SampleMovie(
        tmdb_id=9761,
        title="Elephants Dream",
        year=2006,
        runtime=11,
        overview="Two men wander through an endless, shifting machine, one of them sure he "
        "understands it, the other less and less willing to follow.",
        genres=("Animation", "Science Fiction"),
        colours=("#c98b3c", "#2c1b10"),
        popularity=27.4,
        trending=12.8,
        vote_average=5.9,
        release_date=date(2006, 3, 24),
        imdb_id="tt0807840",
    ),
    SampleMovie(
        tmdb_id=9_000_001,
        title="Cosmos Laundromat",
        year=2015,
        runtime=12,
        overview="On a barren island, a sheep tired of life meets a strange salesman who offers "
        "him any other life he wants.",
        genres=("Animation", "Fantasy", "Comedy"),
        colours=("#e86f8a", "#3a1450"),
        popularity=33.1,
        trending=28.9,
        vote_average=7.0,
        alternative_titles=("Cosmos Laundromat: First Cycle",),
    ),
    SampleMovie(
        tmdb_id=9_000_002,
        title="Spring",
        year=2019,
        runtime=8,
        overview="A shepherd girl and her dog face old spirits in the mountains to bring the "
        "spring back after a long winter.",
        genres=("Animation", "Fantasy"),
        colours=("#9fd8e8", "#27506e"),
        popularity=29.8,
        trending=35.6,
        vote_average=7.4,
    ),
    SampleMovie(
        tmdb_id=9_000_003,
        title="Agent 327: Operation Barbershop",
        year=2017,
        runtime=4,
        overview="A secret agent walks into a barbershop on the trail of a missing colleague and "
        "finds a fight waiting for him.",
        genres=("Animation", "Action", "Comedy"),
        colours=("#f2c14e", "#8a2b0e"),
        popularity=24.6,
        trending=18.4,
        vote_average=7.2,
    ),
    SampleMovie(
        tmdb_id=9_000_004,
        title="Caminandes 3: Llamigos",
        year=2016,
        runtime=3,
        overview="Koro the llama meets a penguin in Patagonia, and winter berries become a battle "
        "of wits between them.",
        genres=("Animation", "Comedy", "Family"),
        colours=("#d9a55b", "#6b3210"),
        popularity=18.3,
        trending=9.7,
        vote_average=7.3,
    ),
    SampleMovie(
        tmdb_id=9_000_005,
        title="Sprite Fright",
        year=2021,
        runtime=10,
        overview="Rowdy teenagers out for a weekend in the woods run into the small mushroom folk "
        "who live there, and the folk are not amused.",
        genres=("Animation", "Comedy", "Fantasy"),
        colours=("#b3e07a", "#2e3b1a"),
        popularity=36.5,
        trending=44.2,
        vote_average=7.1,
    ),
    SampleMovie(
        tmdb_id=9_000_006,
        title="Charge",
        year=2022,
        runtime=4,
        overview="In a frozen wasteland an old man guards the last fuel there is, until a "
        "desperate robber comes for it.",
        genres=("Animation", "Action", "Science Fiction"),
        colours=("#5ec2e8", "#0d1f3c"),
        popularity=21.9,
        trending=38.1,
        vote_average=6.9,
    ),
)
