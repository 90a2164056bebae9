"""Followed shows, owned by the downloader: new episodes of a followed show download by themselves.

A follow says which episodes are wanted (every one, only those airing from now on, or chosen seasons) and the
quality profile they are picked by. The gateway's calendar lists follows with `downloads.v1.follows.list`.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from niluflix.contracts.catalog import EpisodeDetails

SET = "downloads.v1.follows.set"
REMOVE = "downloads.v1.follows.remove"
LIST = "downloads.v1.follows.list"


class FollowMode(StrEnum):
    ALL = "all"  # every episode, the ones already out too
    FUTURE = "future"  # only episodes that come out after the show was followed
    SEASONS = "seasons"  # every episode of the chosen seasons


class SetFollow(BaseModel):
    """Request for `downloads.v1.follows.set`: follow a show, or change how it is followed. Replies `Follow`."""

    tmdb_id: int = Field(gt=0)
    mode: FollowMode = FollowMode.ALL
    seasons: list[int] = Field(default_factory=list, description="With mode `seasons`: the seasons wanted")
    profile: str | None = Field(None, description="Quality profile the episodes are picked by; None: default")

    @model_validator(mode="after")
    def _seasons_for_mode(self) -> "SetFollow":
        if self.mode == FollowMode.SEASONS and not self.seasons:
            raise ValueError("mode seasons needs at least one season")
        if any(s < 0 for s in self.seasons):
            raise ValueError("season numbers start at 0 (the specials)")
        self.seasons = sorted(set(self.seasons)) if self.mode == FollowMode.SEASONS else []
        return self


class FollowRef(BaseModel):
    """Request for `downloads.v1.follows.remove`: stop following; replies the `Follow` as it was."""

    tmdb_id: int = Field(gt=0)


class ListFollows(BaseModel):
    """Request for `downloads.v1.follows.list`; replies `FollowList`."""


class Follow(BaseModel):
    tmdb_id: int
    title: str = Field(description="The show's name as catalog gave it when it was followed")
    mode: FollowMode
    seasons: list[int] = Field(default_factory=list, description="With mode `seasons`: the seasons wanted")
    profile: str | None = None
    created_at: datetime = Field(
        description="When it was first followed: mode `future` wants what airs after"
    )

    def describe(self) -> str:
        """What it follows, in words: for logs and pages."""
        if self.mode == FollowMode.SEASONS:
            numbers = ", ".join(str(s) for s in self.seasons)
            return f"season{'s' if len(self.seasons) > 1 else ''} {numbers}"
        return "every episode" if self.mode == FollowMode.ALL else "episodes airing from now on"

    def wants(self, episode: EpisodeDetails) -> bool:
        """Whether the follow asks for this episode (aired or not): specials only in chosen seasons."""
        if self.mode == FollowMode.SEASONS:
            return episode.season in self.seasons
        if episode.season == 0:
            return False
        if self.mode == FollowMode.FUTURE:
            return episode.airs_at is not None and episode.airs_at > self.created_at
        return True


class FollowList(BaseModel):
    follows: list[Follow] = []
