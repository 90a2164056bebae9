"""The quality profiles editor on the settings page: pick a profile, change it, add one, remove one.

Profiles are read from the settings the page already has and written through `/api/profiles`, which finds
them by name and refuses a clash or the removal of the default in words the page shows as they are.
"""

import math
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from niluflix.contracts.quality import Codec, Resolution, Source
from niluflix.contracts.settings import QualityProfile, SharedSettings, SizeLimit, WordScore
from ui.components.feedback import show_error
from ui.components.text import literal
from ui.connection import gateway
from ui.errors import GatewayError, GatewayRejected

NEW = "New profile…"
# The shared vocabulary: the names the parser reads, so every choice here can match a release.
QUALITIES = [r.value for r in Resolution]
SOURCES = [s.value for s in Source]
CODECS = ["", Codec.X265.value, Codec.X264.value, Codec.AV1.value]
GENERATION = "profiles-generation"
JUST_SAVED = "profiles-saved"


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, float) and math.isnan(cell)) or str(cell).strip() == ""


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split(",") if w.strip()]


@dataclass
class ProfileForm:
    """What the form holds, cells as the table editors return them."""

    name: str
    qualities: list[str]
    allow_other_qualities: bool
    rejected_sources: list[str]
    min_seeders: int
    preferred_codec: str
    languages: str
    rejected_words: str
    preferred_words: list[dict] = field(default_factory=list)
    size_limits: list[dict] = field(default_factory=list)

    def profile(self) -> QualityProfile:
        """The profile the form describes; pydantic's ValidationError names a wrong field."""
        return QualityProfile(
            name=self.name.strip(),
            qualities=self.qualities,
            allow_other_qualities=self.allow_other_qualities,
            rejected_sources=self.rejected_sources,
            min_seeders=int(self.min_seeders),
            preferred_codec=self.preferred_codec or None,
            languages=_words(self.languages),
            rejected_words=_words(self.rejected_words),
            preferred_words=[
                WordScore(word=str(row["word"]).strip(), score=int(row["score"]))
                for row in self.preferred_words
                if not _blank(row.get("word")) and not _blank(row.get("score"))
            ],
            size_limits=[
                SizeLimit(
                    quality=str(row["quality"]).strip(),
                    min_mb_per_minute=0
                    if _blank(row.get("min_mb_per_minute"))
                    else float(row["min_mb_per_minute"]),
                    max_mb_per_minute=None
                    if _blank(row.get("max_mb_per_minute"))
                    else float(row["max_mb_per_minute"]),
                )
                for row in self.size_limits
                if not _blank(row.get("quality"))
            ],
        )


def describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
    return "; ".join(parts)


def _field_key(profile: str, name: str) -> str:
    # Per profile and per save, so switching profiles or saving starts the fields again from what is saved.
    return f"profile-{profile}-{name}-{st.session_state.get(GENERATION, 0)}"


def profile_form(profile: QualityProfile, is_new: bool) -> tuple[ProfileForm, bool] | None:
    def _key(name: str) -> str:
        return _field_key(NEW if is_new else profile.name, name)

    with st.form(_key("form"), border=True):
        name = st.text_input("Name", value="" if is_new else profile.name, key=_key("name"), max_chars=64)
        qualities = st.multiselect(
            "Qualities, most wanted first",
            sorted(set(QUALITIES) | set(profile.qualities), key=lambda q: (q not in QUALITIES, q)),
            default=profile.qualities,
            key=_key("qualities"),
        )
        allow_other = st.checkbox(
            "Also take other qualities, after these", value=profile.allow_other_qualities, key=_key("other")
        )
        sources = st.multiselect(
            "Never take these sources",
            sorted(set(SOURCES) | set(profile.rejected_sources), key=lambda s: (s not in SOURCES, s)),
            default=profile.rejected_sources,
            key=_key("sources"),
        )
        left, right = st.columns(2)
        min_seeders = left.number_input(
            "Minimum seeders", min_value=0, max_value=10_000, value=profile.min_seeders, key=_key("seeders")
        )
        codecs = CODECS if (profile.preferred_codec or "") in CODECS else [*CODECS, profile.preferred_codec]
        codec = right.selectbox(
            "Preferred codec",
            codecs,
            index=codecs.index(profile.preferred_codec or ""),
            format_func=lambda c: c or "No preference",
            key=_key("codec"),
        )
        languages = st.text_input(
            "Languages understood (ISO codes or names, comma separated; empty: any)",
            value=", ".join(profile.languages),
            key=_key("languages"),
        )
        rejected_words = st.text_input(
            "Never take a release whose name has one of these words (comma separated)",
            value=", ".join(profile.rejected_words),
            key=_key("rejected-words"),
        )
        words = st.data_editor(
            pd.DataFrame([w.model_dump() for w in profile.preferred_words], columns=["word", "score"]),
            key=_key("preferred-words"),
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "word": st.column_config.TextColumn("Preferred word"),
                "score": st.column_config.NumberColumn("Score", min_value=-1000, max_value=1000, step=1),
            },
        )
        sizes = st.data_editor(
            pd.DataFrame(
                [s.model_dump() for s in profile.size_limits],
                columns=["quality", "min_mb_per_minute", "max_mb_per_minute"],
            ),
            key=_key("sizes"),
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "quality": st.column_config.TextColumn("Quality (or other)"),
                "min_mb_per_minute": st.column_config.NumberColumn("Min MB per minute", min_value=0.0),
                "max_mb_per_minute": st.column_config.NumberColumn("Max MB per minute", min_value=0.0),
            },
        )
        make_default = st.checkbox("Make it the default profile", key=_key("default"))
        if not st.form_submit_button("Save profile", type="primary", icon=":material/save:"):
            return None
    form = ProfileForm(
        name=name or "",
        qualities=list(qualities),
        allow_other_qualities=bool(allow_other),
        rejected_sources=list(sources),
        min_seeders=int(min_seeders),
        preferred_codec=str(codec or ""),
        languages=languages or "",
        rejected_words=rejected_words or "",
        preferred_words=words.to_dict("records"),
        size_limits=sizes.to_dict("records"),
    )
    return form, bool(make_default)


def _done(message: str) -> None:
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state[JUST_SAVED] = message
    st.rerun()


def profiles_editor(saved: SharedSettings) -> None:
    st.subheader("Quality profiles")
    st.caption(
        "What a download may be and which release is preferred. A download uses the default profile; "
        "a search on a movie's page can use any."
    )
    names = [p.name for p in saved.quality_profiles]
    chosen = st.selectbox(
        "Profile",
        [*names, NEW],
        format_func=lambda n: f"{n} (default)" if n == saved.default_profile else n,
        key="profile-choice",
    )
    is_new = chosen == NEW
    profile = saved.profile(None if is_new else chosen) or QualityProfile(name="New")
    submitted = profile_form(profile, is_new)
    client = gateway()
    if submitted is not None:
        form, make_default = submitted
        try:
            edited = form.profile()
            if is_new:
                client.add_profile(edited, make_default)
            else:
                client.save_profile(chosen, edited, make_default)
        except ValidationError as exc:
            st.error(literal(describe(exc)), icon=":material/error:")
        except GatewayRejected as exc:
            st.error(literal(exc.detail), icon=":material/error:")
        except GatewayError as exc:
            show_error(exc)
        else:
            _done(f"Saved {edited.name}")
    if message := st.session_state.pop(JUST_SAVED, None):
        st.success(literal(message), icon=":material/check_circle:")
    removable = not is_new and chosen != saved.default_profile
    if removable and st.button(f"Remove {chosen}", key="remove-profile", icon=":material/delete:"):
        try:
            client.delete_profile(chosen)
        except GatewayRejected as exc:
            st.error(literal(exc.detail), icon=":material/error:")
        except GatewayError as exc:
            show_error(exc)
        else:
            st.session_state.pop("profile-choice", None)
            _done(f"Removed {chosen}")
