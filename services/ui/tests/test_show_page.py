"""A show's page as Streamlit runs it: its seasons, each episode's state, and the Download buttons, against the
gateway stand-in that speaks the gateway's TV routes."""

import re
from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Node

from niluflix.contracts.common import MediaType
from niluflix.contracts.downloads import JobState

from .test_pages import open_page, rendered, shown

HARBOR = 60002  # Harbor Lights: season 1 aired; season 2 has three aired, one airing in 3 days, one undated


def in_days(days: int) -> str:
    return f"{datetime.now(UTC).date() + timedelta(days=days):%d %b %Y}"


def block(at: AppTest, key: str) -> Block:
    """The container drawn with `key`."""
    found = [b for b in blocks(at.main) if str(getattr(b.proto, "id", "")).endswith(f"-{key}")]
    assert found, f"nothing drawn with key {key}"
    return found[0]


def blocks(node: Block) -> list[Block]:
    inner = [b for child in node.children.values() if isinstance(child, Block) for b in blocks(child)]
    return [node, *inner]


def text_in(node: Block | Node) -> str:
    """What a user reads inside a container: its text, its buttons' labels, its progress bars' text."""
    if isinstance(node, Block):
        return "\n".join(t for child in node.children.values() if (t := text_in(child)))
    if node.type in ("markdown", "caption", "alert", "info", "success", "warning", "error"):
        return re.sub(r"<[^>]+>", "", rendered(node.value))
    if node.type == "button":
        return node.label
    if node.type == "progress":
        return node.proto.text
    return ""


def episode(at: AppTest, season: int, number: int) -> str:
    return text_in(block(at, f"episode-{season}-{number}"))


def test_the_show_page_shows_what_the_show_is_and_each_episode_state(
    dashboard: AppTest, gateway_server
) -> None:
    state = gateway_server.state
    state.add_episode_file(HARBOR, 1, [1, 2], 1_400_000_000)
    state.add_job(
        HARBOR,
        JobState.DOWNLOADING,
        media_type=MediaType.TV,
        season=1,
        episodes=[3],
        progress=0.4,
        size=1_000_000_000,
        downloaded=400_000_000,
    )

    at = open_page(dashboard, "show", id=str(HARBOR))

    assert not at.exception
    text = shown(at)
    assert "Harbor Lights" in text and "Returning Series" in text and "Northwind, Tidal+" in text
    assert "2024–" in text and "2 seasons" in text
    assert "A lighthouse keeper" in text
    assert at.segmented_control(key=f"season-{HARBOR}").value == 1
    assert episode(at, 1, 1).split("\n")[:3] == ["S01E01", "**Pilot**", f"aired {in_days(-700)}"]
    assert "In library" in episode(at, 1, 1) and "In library" in episode(at, 1, 2)
    assert "Downloading" in episode(at, 1, 3) and "40.0% · 400.0 MB of 1.0 GB" in episode(at, 1, 3)
    assert "Missing" in episode(at, 1, 4) and "Download" in episode(at, 1, 4)
    # Only the missing episode has a Download button of its own.
    assert [b.key for b in at.button if b.key and b.key.startswith("get-")] == ["get-1-4"]

    at.segmented_control(key=f"season-{HARBOR}").set_value(2).run()

    assert "Not aired yet" in episode(at, 2, 4) and f"airs {in_days(3)}" in episode(at, 2, 4)
    assert "Not aired yet" in episode(at, 2, 5) and "no air date yet" in episode(at, 2, 5)
    assert "Missing" in episode(at, 2, 3) and f"aired {in_days(-6)}" in episode(at, 2, 3)
    assert [b.key for b in at.button if b.key and b.key.startswith("get-")] == [
        "get-2-1",
        "get-2-2",
        "get-2-3",
    ]
    assert state.calls_to("GET", f"/api/tv/{HARBOR}/season/2")
