"""A button whose action needs a second, explicit yes: removing, cancelling, overriding NiluFlix's verdict."""

from collections.abc import Callable
from typing import Any, Literal

import streamlit as st


def ask(key: str) -> None:
    """Open the question of `confirm_button(key=...)`, also from elsewhere (e.g. after a 409 from the gateway)."""
    st.session_state[f"asking-{key}"] = True


def _answer(key: str, action: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    st.session_state.pop(f"asking-{key}", None)
    if action is not None:
        action(*args)


def confirm_button(
    label: str,
    key: str,
    question: str,
    on_confirm: Callable[..., None],
    args: tuple[Any, ...] = (),
    yes: str = "Yes",
    no: str = "No, keep it",
    icon: str | None = None,
    type: Literal["primary", "secondary", "tertiary"] = "secondary",
    details: Callable[[], None] | None = None,
) -> None:
    """`label` first; pressed, it becomes `question` with `yes` (which runs `on_confirm(*args)`) and `no`.
    `details` draws more choices inside the question (e.g. "also delete the files")."""
    if not st.session_state.get(f"asking-{key}"):
        st.button(label, key=key, icon=icon, type=type, on_click=ask, args=(key,))
        return
    with st.container(border=True, key=f"ask-{key}"):
        st.warning(question, icon=":material/help:")
        if details is not None:
            details()
        with st.container(horizontal=True):
            st.button(yes, key=f"yes-{key}", type="primary", on_click=_answer, args=(key, on_confirm, args))
            st.button(no, key=f"no-{key}", on_click=_answer, args=(key, None, ()))
