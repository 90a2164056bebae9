"""What the built-in providers share: a JSON GET under the size cap, its shape checked, and magnet links."""

from functools import cache
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError

from niluflix.contracts.search import Release
from search.errors import MalformedFeed
from search.indexers.base import Caps
from search.indexers.transport import get_json

M = TypeVar("M")

# Building an adapter compiles a validator: once per answer shape, not once per search.
_adapter = cache(TypeAdapter)


def magnet(info_hash: str, name: str, trackers: tuple[str, ...]) -> str:
    """The magnet link the site's own pages build: hash, display name, the site's trackers."""
    parts = [f"xt=urn:btih:{info_hash}", f"dn={quote(name, safe='')}"]
    parts += [f"tr={quote(tracker, safe='')}" for tracker in trackers]
    return "magnet:?" + "&".join(parts)


class JsonProvider:
    """A provider over HTTP: `base_url` is its API root, which a mirror may replace."""

    name: str
    caps_: Caps
    offers: str  # what it can be searched for, in words: what "test connection" tells the user
    endpoint: str  # the one API path it asks, under `base_url`

    def __init__(self, base_url: str, http: httpx.AsyncClient, *, max_bytes: int, name: str = "") -> None:
        self.name = name or type(self).name
        self.base_url = base_url.rstrip("/")
        self._http = http
        self._max_bytes = max_bytes

    async def caps(self) -> Caps:
        # Fixed by the site's API: nothing to ask.
        return self.caps_

    async def sample(self) -> list[Release]:
        """A few of the newest releases: one small request that only the site's own API answers right."""
        raise NotImplementedError

    @property
    def endpoint_url(self) -> str:
        """The endpoint as a user may see it: no query, no credentials a mirror's address held."""
        url = httpx.URL(f"{self.base_url}/{self.endpoint}")
        return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)

    async def _get(self, path: str, params: dict[str, str], shape: type[M]) -> M:
        """The answer checked against `shape` (a model, or e.g. `list[Model]`)."""
        data: Any = await get_json(self._http, f"{self.base_url}/{path}", params, max_bytes=self._max_bytes)
        try:
            return _adapter(shape).validate_python(data)
        except ValidationError as exc:
            raise MalformedFeed(
                f"the answer is not in the {self.name} API's shape ({exc.error_count()} errors): check the base URL"
            ) from None
