"""The shared settings, read masked and changed in part, and the API key for the settings page."""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import Field

from gateway.api.models import ApiKeyView
from gateway.api.problems import doc
from gateway.auth.guard import check_local
from gateway.deps import StateDep
from gateway.shared_settings import MASK, apply_change, check_library_dir, masked
from niluflix.contracts.settings import IndexerSettings, SharedSettings, TorrentClientSettings

# The settings may not be loaded yet (503).
router = APIRouter(prefix="/api/settings", tags=["settings"], responses=doc(503))

SECRET = f'"{MASK}" when one is set, null when none'


# The settings as these routes show them, for the OpenAPI document only: the secrets are readable strings
# here (masked), where the contract's SecretStr would declare them write-only, absent from any answer.
class MaskedTorrentClient(TorrentClientSettings):
    password: str | None = Field(None, description=SECRET)  # type: ignore[assignment]


class MaskedIndexer(IndexerSettings):
    api_key: str | None = Field(None, description=SECRET)  # type: ignore[assignment]


class MaskedSettings(SharedSettings):
    tmdb_api_key: str | None = Field(None, description=SECRET)  # type: ignore[assignment]
    torrent_client: MaskedTorrentClient = Field(default_factory=MaskedTorrentClient)  # type: ignore[assignment]
    indexers: list[MaskedIndexer] = Field(default_factory=list)  # type: ignore[assignment]


MASKED_DOC = {
    200: {
        "model": MaskedSettings,
        "description": f'The shared settings; a set secret reads "{MASK}", an unset one null',
    }
}


def _masked_response(settings: SharedSettings) -> JSONResponse:
    return JSONResponse(jsonable_encoder(masked(settings)))


@router.get("", response_class=JSONResponse, responses=MASKED_DOC)
async def read_settings(state: StateDep) -> JSONResponse:
    return _masked_response(state.live_settings().value)


@router.put("", response_class=JSONResponse, responses=MASKED_DOC)
async def change_settings(
    state: StateDep,
    change: Annotated[
        dict[str, Any],
        Body(
            description=f'Some or all settings; "{MASK}" for a secret keeps its current value, null clears it',
            examples=[{"library_dir": "/data/media/Movies", "max_concurrent_downloads": 2}],
        ),
    ],
) -> JSONResponse:
    async def changed(before: SharedSettings) -> SharedSettings:
        after = apply_change(before, change)
        if state.settings.check_library_dir and after.library_dir != before.library_dir:
            await asyncio.to_thread(check_library_dir, after.library_dir)
        return after

    after = await state.change_settings(changed, what="changed the settings")
    return _masked_response(after)


@router.get("/api-key", response_model=ApiKeyView, responses=doc(403))
async def api_key(state: StateDep, request: Request) -> ApiKeyView:
    check_local(request, state.client_key, what="read the API key")
    return ApiKeyView(api_key=state.api_key, from_environment=state.settings.api_key is not None)
