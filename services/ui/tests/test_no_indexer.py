"""A fresh install with nowhere to look for downloads: the pages say "add an indexer" and lead to Settings,
instead of a Download that can only fail."""

from streamlit.testing.v1 import AppTest

from niluflix.contracts.settings import ProvidersSettings, YtsSettings

from .test_pages import open_page, shown

NOTICE = "No indexer yet:** NiluFlix has nowhere to look for downloads"


def links(at: AppTest) -> list[tuple[str, str, str]]:
    """Each page link as (label, page, query)."""
    return [(e.proto.label, e.proto.page, e.proto.query_string) for e in at.get("page_link")]


def test_without_an_indexer_home_and_movie_lead_to_settings(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    state.settings = state.settings.model_copy(update={"indexers": []})

    at = dashboard.run()
    assert not at.exception
    assert NOTICE in shown(at)
    ((label, page, query),) = links(at)
    assert label == "Add an indexer in Settings" and page.endswith("settings") and query == "section=indexers"
    assert "Download" not in [b.label for b in at.button]
    assert "Big Buck Bunny" in [b.label for b in at.button], "the catalog is still there to browse"

    movie = open_page(at, "movie", id="45745")
    assert not movie.exception
    assert "Sintel" in shown(movie) and NOTICE in shown(movie)
    assert "Download" not in [b.label for b in movie.button]
    assert "Search releases" not in [b.label for b in movie.button]
    assert "The releases of this movie are listed here once an indexer is added." in shown(movie)

    settings = open_page(movie, "settings", section="indexers")
    assert not settings.exception
    assert "Add an indexer under **Indexers** below" in shown(settings)
    assert state.calls_to("POST", "/api/downloads") == []


def test_an_indexer_or_a_provider_brings_download_back(dashboard: AppTest, gateway_server) -> None:
    state = gateway_server.state
    at = dashboard.run()  # the stand-in's settings have an indexer
    assert NOTICE not in shown(at) and "Download" in [b.label for b in at.button]

    # Only a disabled indexer, but YTS on: searchable, so no notice.
    disabled = [i.model_copy(update={"enabled": False}) for i in state.settings.indexers]
    providers = ProvidersSettings(yts=YtsSettings(enabled=True))
    state.settings = state.settings.model_copy(update={"indexers": disabled, "providers": providers})
    at = dashboard.run()
    assert NOTICE not in shown(at) and "Download" in [b.label for b in at.button]
    assert "Add an indexer under **Indexers** below" not in shown(
        open_page(at, "settings", section="indexers")
    )

    # And all off: the notice.
    state.settings = state.settings.model_copy(update={"providers": ProvidersSettings()})
    at = open_page(at, "home")
    assert NOTICE in shown(at) and "Download" not in [b.label for b in at.button]
