"""Quality profiles: list, add, change, remove, and choose the default.

They live in the shared settings (`quality_profiles`, `default_profile`), so search judges the next search
by a changed profile without a restart. These routes exist beside `PUT /api/settings` because a profile is
named by the user: here it is found by its name, a clash is a 409 and a missing one a 404.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, Field, ValidationError

from gateway.api.problems import describe_validation, doc
from gateway.deps import GatewayState, StateDep
from gateway.errors import InvalidSettings
from niluflix.contracts.settings import QualityProfile, SharedSettings
from niluflix.errors import Conflict, NotFound

# The settings may not be loaded yet (503).
router = APIRouter(prefix="/api/profiles", tags=["profiles"], responses=doc(503))

Name = Annotated[str, Path(min_length=1, max_length=64, description="The profile's name, in any case")]
MakeDefault = Annotated[bool, Query(description="Also make it the default profile")]
# A function of the current settings to the fields it changes; it raises when the change cannot be made.
Change = Callable[[SharedSettings], dict[str, Any]]


class ProfileList(BaseModel):
    default_profile: str = Field(description="Used when a download or a search names no profile")
    profiles: list[QualityProfile]


def _listed(settings: SharedSettings) -> ProfileList:
    return ProfileList(default_profile=settings.default_profile, profiles=settings.quality_profiles)


def _index(settings: SharedSettings, name: str) -> int | None:
    wanted = name.casefold()
    return next((i for i, p in enumerate(settings.quality_profiles) if p.name.casefold() == wanted), None)


def _found(settings: SharedSettings, name: str) -> int:
    index = _index(settings, name)
    if index is None:
        raise NotFound(f"no quality profile named '{name}'")
    return index


async def _save(state: GatewayState, change: Change) -> SharedSettings:
    """Apply `change` to the current settings, validate, store."""

    def changed(before: SharedSettings) -> SharedSettings:
        fields: dict[str, Any] = {name: getattr(before, name) for name in type(before).model_fields}
        fields.update(change(before))
        try:
            return SharedSettings.model_validate(fields)
        except ValidationError as exc:
            raise InvalidSettings(describe_validation(exc.errors())) from exc

    return await state.change_settings(changed, what="changed the quality profiles")


@router.get("", response_model=ProfileList)
async def list_profiles(state: StateDep) -> ProfileList:
    return _listed(state.live_settings().value)


@router.get("/{name}", response_model=QualityProfile, responses=doc(404))
async def get_profile(state: StateDep, name: Name) -> QualityProfile:
    settings = state.live_settings().value
    return settings.quality_profiles[_found(settings, name)]


@router.post("", response_model=QualityProfile, status_code=201, responses=doc(409))
async def add_profile(
    state: StateDep, profile: Annotated[QualityProfile, Body()], make_default: MakeDefault = False
) -> QualityProfile:
    def change(settings: SharedSettings) -> dict[str, Any]:
        if _index(settings, profile.name) is not None:
            raise Conflict(f"a quality profile named '{profile.name}' already exists")
        fields: dict[str, Any] = {"quality_profiles": [*settings.quality_profiles, profile]}
        if make_default:
            fields["default_profile"] = profile.name
        return fields

    await _save(state, change)
    return profile


@router.put("/{name}", response_model=QualityProfile, responses=doc(404, 409))
async def change_profile(
    state: StateDep, name: Name, profile: Annotated[QualityProfile, Body()], make_default: MakeDefault = False
) -> QualityProfile:
    """Replace the profile called `name`; a different `name` in the body renames it."""

    def change(settings: SharedSettings) -> dict[str, Any]:
        index = _found(settings, name)
        clash = _index(settings, profile.name)
        if clash is not None and clash != index:
            raise Conflict(f"a quality profile named '{profile.name}' already exists")
        profiles = list(settings.quality_profiles)
        was_default = profiles[index].name.casefold() == settings.default_profile.casefold()
        profiles[index] = profile
        fields: dict[str, Any] = {"quality_profiles": profiles}
        if make_default or was_default:
            fields["default_profile"] = profile.name
        return fields

    await _save(state, change)
    return profile


@router.delete("/{name}", status_code=204, response_class=Response, responses=doc(404, 409))
async def remove_profile(state: StateDep, name: Name) -> Response:
    def change(settings: SharedSettings) -> dict[str, Any]:
        index = _found(settings, name)
        if settings.quality_profiles[index].name.casefold() == settings.default_profile.casefold():
            raise Conflict(
                f"'{settings.default_profile}' is the default profile: make another the default first"
            )
        return {"quality_profiles": [p for i, p in enumerate(settings.quality_profiles) if i != index]}

    await _save(state, change)
    return Response(status_code=204)
