"""Interactive search: every release the indexers offer for a title, judged by a quality profile.

The user sees what search would pick, what it would not and why, and may download any of them with
`POST /api/movies/{tmdb_id}/download` and `{"release": ...}`. Indexer API keys in the releases' links
read as "********" (gateway/indexer_links.py).
"""

from typing import Annotated

from fastapi import APIRouter, Query

from gateway.api.models import MAX_ID
from gateway.api.problems import doc
from gateway.deps import GatewayState, StateDep, configured_indexers
from gateway.show_parts import season_details
from niluflix.contracts import catalog, search
from niluflix.contracts.catalog import GetTitle, TitleDetails
from niluflix.contracts.common import MediaType
from niluflix.contracts.search import FindReleases, ReleaseList
from niluflix.errors import NotFound

router = APIRouter(prefix="/api/search", tags=["search"], responses=doc(502, 503))


@router.get(
    "/releases",
    response_model=ReleaseList,
    responses=doc(404),
    description="Accepted releases best first (`releases`), the others with every reason they lost "
    "(`rejected[].rejections`: each a stable `code` and the `message` in words), and how each indexer "
    "answered.",
)
async def releases(
    state: StateDep,
    tmdb_id: Annotated[int, Query(gt=0, le=MAX_ID, description="The title's TMDB id")],
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
    numbers: dict[str, object] = {}
    if media_type is MediaType.TV and season is not None and episode is not None:
        numbers = await _episode_numbers(state, tmdb_id, season, episode)
    query = FindReleases.for_title(details, season=season, episode=episode, profile=profile, **numbers)
    found = await state.call(search.RELEASES, query, ReleaseList)
    return state.links.hide(found, configured_indexers(state))


async def _episode_numbers(state: GatewayState, tmdb_id: int, season: int, episode: int) -> dict[str, object]:
    """An episode's other names, as the downloader sends them: its absolute number (anime fansubs) and its
    air date (daily shows), so interactive search judges releases named by them as the download would."""
    found = await season_details(state, tmdb_id, season)
    match = next((e for e in found.episodes if e.episode == episode), None)
    if match is None:
        raise NotFound(f"season {season} has no episode {episode}")
    numbers: dict[str, object] = {"air_date": match.air_date}
    if match.absolute_number is not None:
        numbers["absolute_episodes"] = [match.absolute_number]
    return numbers
