"""Torznab indexers, one by one: list, add, edit, switch on and off, remove, and "test connection".

They live in the shared settings (their API keys encrypted there), so every change is a settings save that
the search service follows at once. An API key reads as "********", and so does a secret in the URL
(`?apikey=`, a password); sending that back keeps the stored one.
The built-in providers (YTS, EZTV, The Pirate Bay) are switched in the settings' `providers`.
"""

import logging
from typing import Annotated

from fastapi import APIRouter, Body, Path, Response
from pydantic import BaseModel, Field, ValidationError

from gateway.api.problems import describe_validation, doc
from gateway.deps import GatewayState, StateDep
from gateway.errors import InvalidSettings
from gateway.shared_settings import MASK
from niluflix.contracts.search import TEST_INDEXER, IndexerTestResult, TestIndexer
from niluflix.contracts.settings import PROVIDER_NAMES, IndexerSettings, SharedSettings
from niluflix.errors import Conflict, NotFound
from niluflix.url_secrets import mask_url, restore_url

log = logging.getLogger(__name__)

# The settings may not be loaded yet (503); a test asks the search service (502, 503).
router = APIRouter(prefix="/api/indexers", tags=["indexers"], responses=doc(503))

NameParam = Annotated[str, Path(description="The indexer's name, as listed")]
# Caps and a small search share the search service's indexer timeout; this leaves room for the bus.
TEST_TIMEOUT = 60.0


class IndexerView(BaseModel):
    name: str
    url: str = Field(description=f'Torznab endpoint; a secret in it (`?apikey=`, a password) reads "{MASK}"')
    api_key: str | None = Field(None, description=f'"{MASK}" when one is set, null when none')
    enabled: bool


class IndexerBody(BaseModel):
    """A whole indexer (add, test) or the fields to change (edit)."""

    name: str | None = Field(None, examples=["Jackett: 1337x"])
    url: str | None = Field(
        None, examples=["http://127.0.0.1:9117/api/v2.0/indexers/1337x/results/torznab/api"]
    )
    api_key: str | None = Field(None, description=f'"{MASK}" keeps the stored key, null clears it')
    enabled: bool | None = None


def _view(indexer: IndexerSettings) -> IndexerView:
    return IndexerView(
        name=indexer.name,
        url=mask_url(indexer.url),
        api_key=MASK if indexer.api_key else None,
        enabled=indexer.enabled,
    )


def _find(indexers: list[IndexerSettings], name: str) -> IndexerSettings | None:
    return next((i for i in indexers if i.name.casefold() == name.casefold()), None)


def _found(indexers: list[IndexerSettings], name: str) -> IndexerSettings:
    found = _find(indexers, name)
    if found is None:
        raise NotFound(f"no indexer is named {name!r}")
    return found


def _build(body: IndexerBody, current: IndexerSettings | None) -> IndexerSettings:
    """The indexer `body` describes, over `current` when editing; a masked key keeps the current one."""
    data = {
        "name": current.name if current else None,
        "url": current.url if current else None,
        "api_key": current.api_key.get_secret_value() if current and current.api_key else None,
        "enabled": current.enabled if current else True,
    }
    change = body.model_dump(exclude_unset=True)
    if change.get("api_key") == MASK:
        if current is None or current.api_key is None:
            raise InvalidSettings(f'api_key: "{MASK}" stands for a stored key, and this indexer has none')
        change.pop("api_key")
    if MASK in (change.get("url") or ""):
        try:
            change["url"] = restore_url(change["url"], current.url if current else "")
        except ValueError as exc:
            raise InvalidSettings(f"url: {exc}") from None
    data |= {k: v for k, v in change.items() if v is not None or k == "api_key"}
    try:
        indexer = IndexerSettings.model_validate(data)
    except ValidationError as exc:
        raise InvalidSettings(describe_validation(exc.errors())) from exc
    if indexer.name.strip().casefold() in {n.casefold() for n in PROVIDER_NAMES.values()}:
        raise InvalidSettings(f"name: {indexer.name!r} is a built-in provider's name; choose another")
    return indexer


def _with_indexers(before: SharedSettings, indexers: list[IndexerSettings]) -> SharedSettings:
    # Validated again from plain values: a model_copy alone would skip the settings' own checks.
    return SharedSettings.model_validate(before.model_copy(update={"indexers": indexers}).model_dump())


def _changes(current: IndexerSettings, indexer: IndexerSettings) -> str:
    """What an edit changed, by field name (never a key's value)."""
    fields = [f for f in ("name", "url", "api_key", "enabled") if getattr(current, f) != getattr(indexer, f)]
    return ", ".join(fields) or "nothing"


@router.get("", response_model=list[IndexerView])
async def list_indexers(state: StateDep) -> list[IndexerView]:
    return [_view(i) for i in state.live_settings().value.indexers]


@router.post("", response_model=IndexerView, status_code=201, responses=doc(409))
async def add_indexer(state: StateDep, body: Annotated[IndexerBody, Body()]) -> IndexerView:
    indexer = _build(body, None)

    def change(before: SharedSettings) -> SharedSettings:
        if _find(before.indexers, indexer.name) is not None:
            raise Conflict(f"an indexer is already named {indexer.name!r}")
        return _with_indexers(before, [*before.indexers, indexer])

    await state.change_settings(change, what=f"added the indexer {indexer.name!r}")
    return _view(indexer)


@router.put("/{name}", response_model=IndexerView, responses=doc(404, 409))
async def change_indexer(
    state: StateDep, name: NameParam, body: Annotated[IndexerBody, Body()]
) -> IndexerView:
    """Change some fields (e.g. `{"enabled": false}`); a rename keeps the stored key."""
    changed: list[IndexerSettings] = []

    def change(before: SharedSettings) -> SharedSettings:
        current = _found(before.indexers, name)
        indexer = _build(body, current)
        clash = _find(before.indexers, indexer.name)
        if clash is not None and clash is not current:
            raise Conflict(f"an indexer is already named {indexer.name!r}")
        changed[:] = [current, indexer]
        return _with_indexers(before, [indexer if i is current else i for i in before.indexers])

    await state.change_settings(change, what=lambda: f"changed the indexer {name!r}: {_changes(*changed)}")
    return _view(changed[1])


@router.delete("/{name}", status_code=204, response_class=Response, responses=doc(404))
async def remove_indexer(state: StateDep, name: NameParam) -> Response:
    def change(before: SharedSettings) -> SharedSettings:
        current = _found(before.indexers, name)
        return _with_indexers(before, [i for i in before.indexers if i is not current])

    await state.change_settings(change, what=f"removed the indexer {name!r}")
    return Response(status_code=204)


@router.post("/test", response_model=IndexerTestResult, responses=doc(502))
async def test_new_indexer(state: StateDep, body: Annotated[IndexerBody, Body()]) -> IndexerTestResult:
    """Test an indexer before saving it; with the key "********" and a saved indexer's name, its stored key."""
    saved = _find(state.live_settings().value.indexers, body.name) if body.name else None
    if body.name is None:
        body = body.model_copy(update={"name": "test"})
    hidden = body.api_key == MASK or MASK in (body.url or "")
    return await _test(state, _build(body, saved if hidden else None))


@router.post("/{name}/test", response_model=IndexerTestResult, responses=doc(404, 502))
async def test_saved_indexer(state: StateDep, name: NameParam) -> IndexerTestResult:
    return await _test(state, _found(state.live_settings().value.indexers, name))


async def _test(state: GatewayState, indexer: IndexerSettings) -> IndexerTestResult:
    result = await state.call(
        TEST_INDEXER, TestIndexer(indexer=indexer), IndexerTestResult, timeout=TEST_TIMEOUT
    )
    log.info("indexer %s tested: %s", indexer.name, "ok" if result.ok else result.message)
    return result
