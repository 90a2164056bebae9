"""A torrent client's URL may carry a password (`http://user:pass@host`), and what the client answers may
repeat it: the reason health shows, the slot's error and the log lines have it masked."""

import functools
import logging
from pathlib import Path

import pytest
from downloader.clients.autoconfig import choose_client
from downloader.jobs.client_slot import ClientSlot
from pydantic import SecretStr
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from niluflix.contracts.settings import TorrentClientKind, TorrentClientSettings
from niluflix.testing.net import free_port

MASK = "********"
URL_PASS = "url-pass-6502"
FIELD_PASS = "field-pass-6809"


def _refuse_the_login(request: Request) -> Response:
    """Transmission's RPC refusing every login, its error page repeating the credentials it was sent."""
    said = f"<h1>401: Unauthorized</h1>wrong login {request.headers.get('Authorization', '')} {FIELD_PASS}"
    return Response(said, status=401, headers={"WWW-Authenticate": 'Basic realm="Transmission"'})


@pytest.fixture
def locked_transmission(httpserver: HTTPServer) -> int:
    httpserver.expect_request("/transmission/rpc").respond_with_handler(_refuse_the_login)
    return httpserver.port


@pytest.mark.parametrize("where", ["locked", "nothing there"])
async def test_the_clients_password_never_shows_in_health_or_logs(
    where: str, locked_transmission: int, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port = locked_transmission if where == "locked" else free_port()
    url = f"http://admin:{URL_PASS}@127.0.0.1:{port}/transmission/rpc"
    settings = TorrentClientSettings(
        kind=TorrentClientKind.TRANSMISSION, url=url, username="admin", password=SecretStr(FIELD_PASS)
    )
    slot = ClientSlot(functools.partial(choose_client, data_dir=tmp_path))

    client = await slot.get(settings)
    assert client is not None  # the user chose it: kept, and health says why it does not work yet
    try:
        with pytest.raises(Exception) as failed:
            await client.list_all()
        slot.failed(failed.value)
    finally:
        await slot.close()

    shown = f"{slot.reason}\n{slot.error}\n" + "\n".join(
        r.getMessage()
        for r in caplog.records
        if not r.name.startswith(("urllib3", "transmission_rpc", "werkzeug"))
    )
    assert URL_PASS not in shown and FIELD_PASS not in shown, shown
    assert f"http://admin:{MASK}@127.0.0.1:{port}/transmission/rpc" in slot.reason
