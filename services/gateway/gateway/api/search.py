"""Interactive search: every release the indexers offer for a title, judged by a quality profile.

The user sees what search would pick, what it would not and why, and may download any of them with
`POST /api/movies/{tmdb_id}/download` and `{"release": ...}`. Indexer API keys in the releases' links
read as "********" (gateway/indexer_links.py).
"""

from typing import Annotated

from fastapi import APIRouter, Query

from gateway.deps import StateDep, configured_indexers
from niluflix.contracts import catalog, search
from niluflix.contracts.catalog import GetTitle, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases, ReleaseList

router = APIRouter(prefix="/api/search", tags=["search"])


@router.get(
    "/releases",
    response_model=ReleaseList,
    description="Accepted releases best first (`releases`), the others with every reason they lost "
    "(`rejected[].rejections`: each a stable `code` and the `message` in words), and how each indexer "
    "answered.",
)
async def releases(
    state: StateDep,
    tmdb_id: Annotated[int, Query(gt=0, description="The title's TMDB id")],
    media_type: Annotated[
        MediaType, Query(alias="type", description="movie or tv (then season, and episode for one)")
    ] = MediaType.MOVIE,
    profile: Annotated[
        str | None, Query(min_length=1, max_length=64, description="Quality profile name")
    ] = None,
    season: Annotated[int | None, Query(ge=0)] = None,
    episode: Annotated[int | None, Query(ge=0)] = None,
) -> ReleaseList:
    details = await state.call(
        catalog.DETAILS, GetTitle(tmdb_id=tmdb_id, media_type=media_type), TitleDetails
    )
    query = FindReleases.for_title(details, season=season, episode=episode, profile=profile)
    found = await state.call(search.RELEASES, query, ReleaseList)
    return state.links.hide(found, configured_indexers(state))
