"""`remote_sessions`: this home's row, written every minute so the phone can tell it is up.

The phone trusts `last_sync` (fresh for 3 minutes), not `is_online`: a crash leaves `is_online` true.
"""

from datetime import UTC, datetime

from gateway.remote.session import RemoteSession

TABLE = "remote_sessions"
CONFLICT = "user_id,desktop_app_id"


async def beat(
    session: RemoteSession,
    desktop_app_id: str,
    *,
    display_name: str | None,
    app_version: str | None,
    online: bool = True,
) -> None:
    body = {
        "user_id": session.user_id,
        "desktop_app_id": desktop_app_id,
        "display_name": display_name,
        "app_version": app_version,
        "is_online": online,
        "last_sync": datetime.now(UTC).isoformat(),
    }
    await session.run(lambda c: c.table(TABLE).upsert(body, on_conflict=CONFLICT).execute())
