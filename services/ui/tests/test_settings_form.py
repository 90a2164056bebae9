"""What a settings form sends: only the changes, and secrets kept, replaced or removed on purpose."""

import math

from ui.components.settings_form import IndexerRow, SecretInput, SettingsForm, changes, indexer_rows
from ui.gateway_client import MASK

from niluflix.contracts.settings import IndexerSettings, SharedSettings, TorrentClientSettings

SAVED = SharedSettings.model_validate(
    {
        "tmdb_api_key": MASK,
        "library_dir": "/srv/media/Movies",
        "torrent_client": {
            "kind": "transmission",
            "url": "http://127.0.0.1:9091/transmission/rpc",
            "username": "nilu",
            "password": MASK,
        },
        "max_concurrent_downloads": 3,
        "indexers": [{"name": "Demo", "url": "http://127.0.0.1:9117/api", "api_key": MASK, "enabled": True}],
    }
)


def untouched() -> SettingsForm:
    client = SAVED.torrent_client
    return SettingsForm(
        library_dir=SAVED.library_dir,
        client_kind=str(client.kind),
        client_url=client.url or "",
        client_username=client.username or "",
        max_concurrent_downloads=SAVED.max_concurrent_downloads,
        indexers=[IndexerRow(**row) for row in indexer_rows(SAVED)],
    )


def test_an_untouched_form_changes_nothing() -> None:
    assert changes(SAVED, untouched()) == {}


def test_secrets_are_kept_replaced_or_removed() -> None:
    form = untouched()
    form.tmdb_api_key = SecretInput(typed="  new-key ")
    assert changes(SAVED, form) == {"tmdb_api_key": "new-key"}

    form.tmdb_api_key = SecretInput(remove=True)
    assert changes(SAVED, form) == {"tmdb_api_key": None}

    form = untouched()
    form.client_username = "other"
    assert changes(SAVED, form)["torrent_client"] == {
        "kind": "transmission",
        "url": "http://127.0.0.1:9091/transmission/rpc",
        "username": "other",
        "password": MASK,
    }


def test_removing_a_secret_that_was_never_set_is_no_change() -> None:
    saved = SAVED.model_copy(update={"tmdb_api_key": None})
    form = untouched()
    form.tmdb_api_key = SecretInput(remove=True)
    assert changes(saved, form) == {}


def test_the_torrent_client_is_sent_whole_with_blank_fields_as_none() -> None:
    saved = SAVED.model_copy(update={"torrent_client": TorrentClientSettings()})
    form = untouched()
    form.client_kind, form.client_url, form.client_username = "embedded", " ", ""
    assert changes(saved, form) == {
        "torrent_client": {"kind": "embedded", "url": None, "username": None, "password": None},
    }


def test_indexer_rows_from_the_table_editor() -> None:
    form = untouched()
    form.indexers.append(
        IndexerRow(name="Second", url="http://127.0.0.1:9696/1/api", api_key=math.nan, enabled=None)
    )
    form.indexers.append(
        IndexerRow(name=None, url=None, api_key=None, enabled=None)
    )  # the editor's blank row
    assert changes(SAVED, form) == {
        "indexers": [
            {"name": "Demo", "url": "http://127.0.0.1:9117/api", "api_key": MASK, "enabled": True},
            {"name": "Second", "url": "http://127.0.0.1:9696/1/api", "api_key": None, "enabled": True},
        ]
    }

    form = untouched()
    form.indexers[0].enabled = False
    assert changes(SAVED, form) == {
        "indexers": [
            {"name": "Demo", "url": "http://127.0.0.1:9117/api", "api_key": MASK, "enabled": False},
        ]
    }

    form.indexers = []
    assert changes(SAVED, form) == {"indexers": []}


def test_a_saved_indexer_without_key_shows_an_empty_cell() -> None:
    saved = SAVED.model_copy(
        update={"indexers": [IndexerSettings(name="Open", url="http://127.0.0.1:1/api")]}
    )
    assert indexer_rows(saved) == [
        {"name": "Open", "url": "http://127.0.0.1:1/api", "api_key": "", "enabled": True}
    ]
    form = untouched()
    form.indexers = [IndexerRow(**row) for row in indexer_rows(saved)]
    assert changes(saved, form) == {}
