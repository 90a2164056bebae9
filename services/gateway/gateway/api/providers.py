"""The built-in providers (YTS, EZTV, The Pirate Bay): "test connection", at the saved address or a mirror's.

They are switched on and given an address in the settings' `providers` (`PUT /api/settings`); this tells
whether an address answers as the provider's API before, or after, it is saved.
"""

import logging
from typing import Annotated

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, Field, ValidationError

from gateway.api.problems import describe_validation, doc
from gateway.deps import StateDep
from gateway.errors import InvalidSettings
from niluflix.contracts.search import TEST_PROVIDER, IndexerTestResult, TestProvider
from niluflix.contracts.settings import PROVIDER_NAMES
from niluflix.errors import NotFound
from niluflix.url_secrets import MASK, restore_url

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/providers", tags=["providers"], responses=doc(502, 503))

KeyParam = Annotated[str, Path(description="The provider's key in the settings: yts, eztv or tpb")]
# One small request within the search service's indexer timeout; this leaves room for the bus.
TEST_TIMEOUT = 60.0


class ProviderTestBody(BaseModel):
    base_url: str | None = Field(
        None,
        description="An API root to try before saving it, e.g. a mirror; absent or null: the saved one",
        examples=["https://yts.mx/api/v2"],
    )


@router.post("/{key}/test", response_model=IndexerTestResult, responses=doc(404))
async def test_provider(
    state: StateDep, key: KeyParam, body: Annotated[ProviderTestBody | None, Body()] = None
) -> IndexerTestResult:
    """Ask the provider's API for a few of its newest releases; `ok` and a message say how it went."""
    if key.casefold() not in PROVIDER_NAMES:
        raise NotFound(f"no built-in provider is called {key!r}; they are {', '.join(PROVIDER_NAMES)}")
    key = key.casefold()
    base_url = body.base_url if body is not None else None
    # The address as this gateway last saved it: the search service may follow a save a moment later.
    saved = getattr(state.live_settings().value.providers, key).base_url
    if not base_url:
        base_url = saved
    elif MASK in base_url:  # the saved address as the settings page read it, a secret in it masked
        try:
            base_url = restore_url(base_url, saved)
        except ValueError as exc:
            raise InvalidSettings(f"base_url: {exc}") from None
    try:
        ask = TestProvider(provider=key, base_url=base_url)
    except ValidationError as exc:
        raise InvalidSettings(describe_validation(exc.errors())) from exc
    result = await state.call(TEST_PROVIDER, ask, IndexerTestResult, timeout=TEST_TIMEOUT)
    log.info("provider %s tested: %s", PROVIDER_NAMES[key], "ok" if result.ok else result.message)
    return result
