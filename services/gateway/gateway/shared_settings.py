"""Reading and changing the shared settings through the API without ever showing a secret.

A set secret reads as `MASK`, an unset one as null, and a secret inside a URL (a password, `?apikey=`) as
`MASK` in its place (`niluflix.url_secrets`). A change is a partial JSON object merged into the current
settings: `MASK` for a secret keeps its current value, and a URL sent back with `MASK` in it gets the stored
secrets back in those places, so the UI can send back what it read.
Indexers are matched to the current ones by name (then by URL) to find the secret they keep.
"""

import tempfile
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError

from gateway.api.problems import describe_validation
from gateway.errors import InvalidSettings
from niluflix.contracts.settings import SharedSettings
from niluflix.url_secrets import MASK, mask_url, restore_url


def masked(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return MASK
    if isinstance(value, str):
        return mask_url(value)
    if isinstance(value, BaseModel):
        return {name: masked(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def _revealed(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, BaseModel):
        return {name: _revealed(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [_revealed(v) for v in value]
    return value


def _kinds(annotation: Any) -> set[Any]:
    """The plain types an annotation allows, e.g. `SecretStr | None` -> {SecretStr, NoneType}."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return {k for arg in typing.get_args(annotation) for k in _kinds(arg)}
    return {annotation}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for kind in _kinds(annotation):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
    return None


def _list_model_of(annotation: Any) -> type[BaseModel] | None:
    for kind in _kinds(annotation):
        if typing.get_origin(kind) is list:
            (item,) = typing.get_args(kind) or (None,)
            return _model_of(item)
    return None


def _match(old_items: list[BaseModel], new: dict) -> BaseModel | None:
    for key in ("name", "url"):
        if isinstance(new.get(key), str):
            for old in old_items:
                # a URL as it was read: masked
                if masked(str(getattr(old, key, ""))).casefold() == new[key].casefold():
                    return old
    return None


def _merge(model: type[BaseModel], current: BaseModel | None, patch: dict, where: str) -> dict:
    merged = _revealed(current) if current is not None else {}
    for key, new in patch.items():
        field = model.model_fields.get(key)
        if field is None:
            raise InvalidSettings(f"unknown setting '{where}{key}'")
        old = getattr(current, key, None) if current is not None else None
        nested = _model_of(field.annotation)
        items = _list_model_of(field.annotation)
        if SecretStr in _kinds(field.annotation) and new == MASK:
            merged[key] = _revealed(old)
        elif isinstance(new, str) and isinstance(old, str) and MASK in new:
            try:
                merged[key] = restore_url(new, old)
            except ValueError as exc:
                raise InvalidSettings(f"{where}{key}: {exc}") from None
        elif nested is not None and isinstance(new, dict):
            merged[key] = _merge(nested, old if isinstance(old, BaseModel) else None, new, f"{where}{key}.")
        elif items is not None and isinstance(new, list):
            olds = list(old or [])
            merged[key] = [
                _merge(items, _match(olds, item), item, f"{where}{key}[{i}].")
                if isinstance(item, dict)
                else item
                for i, item in enumerate(new)
            ]
        else:
            merged[key] = new
    return merged


def apply_change(current: SharedSettings, change: dict[str, Any]) -> SharedSettings:
    """The settings after `change`, validated; `InvalidSettings` names the field at fault."""
    merged = _merge(SharedSettings, current, change, "")
    try:
        return SharedSettings.model_validate(merged)
    except ValidationError as exc:
        raise InvalidSettings(describe_validation(exc.errors())) from exc


def changed_fields(before: SharedSettings, after: SharedSettings) -> list[str]:
    """Names only: what changed may be logged, never the values."""
    return [
        name
        for name in SharedSettings.model_fields
        if _revealed(getattr(before, name)) != _revealed(getattr(after, name))
    ]


def check_library_dir(path: str) -> None:
    """Create the library folder and write a file in it, so a bad path fails now, not after a download.

    Blocking: run it in a thread.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".niluflix-write-test-"):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidSettings(f"library_dir {path} cannot be created or written: {reason}") from exc
