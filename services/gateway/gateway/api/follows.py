"""Following a show: its new episodes download by themselves, as they air (the downloader's monitor)."""

from typing import Annotated

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, Field

from gateway.api.models import MAX_ID
from gateway.api.movies import profile_name
from gateway.api.problems import doc
from gateway.deps import StateDep
from gateway.show_parts import follow_of
from niluflix.contracts import follows
from niluflix.contracts.follows import Follow, FollowList, FollowMode, FollowRef, ListFollows, SetFollow

router = APIRouter(prefix="/api/tv", tags=["tv"], responses=doc(502, 503))

ShowId = Annotated[int, Path(gt=0, le=MAX_ID, description="The show's TMDB id")]


class FollowRequest(BaseModel):
    mode: FollowMode = Field(
        FollowMode.ALL,
        description="all: every episode, the aired ones too; future: only what airs from now on; "
        "seasons: every episode of the chosen seasons",
    )
    seasons: list[int] = Field(
        default_factory=list, description="With mode seasons: e.g. [1, 2]; 0: specials"
    )
    profile: str | None = Field(
        None, min_length=1, max_length=64, description="Quality profile name (any case); None: the default"
    )


class FollowState(BaseModel):
    """Whether NiluFlix fetches a show's episodes by itself, and which."""

    following: bool
    mode: FollowMode | None = None
    seasons: list[int] = Field(default_factory=list)
    profile: str | None = None

    @classmethod
    def of(cls, follow: Follow | None) -> "FollowState":
        if follow is None:
            return cls(following=False)
        return cls(following=True, mode=follow.mode, seasons=follow.seasons, profile=follow.profile)


@router.get("/followed", response_model=FollowList)
async def followed(state: StateDep) -> FollowList:
    return await state.call(follows.LIST, ListFollows(), FollowList)


@router.get("/{tmdb_id}/follow", response_model=FollowState)
async def follow_state(state: StateDep, tmdb_id: ShowId) -> FollowState:
    return FollowState.of(await follow_of(state, tmdb_id))


@router.put("/{tmdb_id}/follow", response_model=FollowState, responses=doc(404))
async def follow(state: StateDep, tmdb_id: ShowId, body: Annotated[FollowRequest, Body()]) -> FollowState:
    profile = profile_name(state, body.profile) if body.profile is not None else None
    command = SetFollow(tmdb_id=tmdb_id, mode=body.mode, seasons=body.seasons, profile=profile)
    result = await state.call(follows.SET, command, Follow)
    state.shows.changed(tmdb_id)
    return FollowState.of(result)


@router.delete("/{tmdb_id}/follow", status_code=204, responses=doc(404))
async def unfollow(state: StateDep, tmdb_id: ShowId) -> None:
    await state.call(follows.REMOVE, FollowRef(tmdb_id=tmdb_id), Follow)
    state.shows.changed(tmdb_id)
