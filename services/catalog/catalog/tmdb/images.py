"""Where TMDB's image paths are served, by kind of image."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ImageBases:
    poster: str = "https://image.tmdb.org/t/p/w500"
    backdrop: str = "https://image.tmdb.org/t/p/w1280"
    still: str = "https://image.tmdb.org/t/p/w300"

    @staticmethod
    def url(base: str, path: str | None) -> str | None:
        return f"{base}{path}" if path else None
