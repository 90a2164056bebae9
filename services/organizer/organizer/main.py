"""The organizer's one entry point: wiring only."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from faststream import FastStream

from niluflix.db import make_async_engine, make_sessionmaker, migrate
from niluflix.logs import setup_logging
from niluflix.messaging import make_broker
from niluflix.secretbox import SecretBox
from niluflix.settings_store import LiveSettings
from organizer.events import LibraryEvents, ensure_streams
from organizer.handlers import SERVICE, build_router, subscribe_completions
from organizer.library.service import Library
from organizer.library.store import LibraryStore
from organizer.settings import OrganizerSettings

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: OrganizerSettings | None = None) -> FastStream:
    settings = settings or OrganizerSettings()
    broker = make_broker(settings.nats_url, name=SERVICE)
    broker.include_router(build_router())
    subscribe_completions(broker, settings)

    @asynccontextmanager
    async def lifespan() -> AsyncIterator[None]:
        # Everything the consumer needs is ready before the broker starts it (after this yields).
        await asyncio.to_thread(
            migrate, settings.database_url, schema=settings.database_schema, migrations=MIGRATIONS
        )
        engine = make_async_engine(settings.database_url, schema=settings.database_schema)
        try:
            js = (await broker.connect()).jetstream()
            await ensure_streams(js)
            live = LiveSettings(js, SecretBox.from_env_or_file(settings.data_dir))
            await live.start()
            try:
                library = Library(
                    store=LibraryStore(make_sessionmaker(engine)),
                    events=LibraryEvents(broker, timeout=settings.request_timeout),
                    library_dir=lambda: Path(live.value.library_dir),
                    download_dirs=settings.download_dirs,
                    link_mode=settings.link_mode,
                )
                app.context.set_global("library", library)
                try:
                    await library.announce_pending()
                except Exception:
                    log.warning("could not announce the items left unannounced", exc_info=True)
                yield
            finally:
                await live.stop()
        finally:
            await engine.dispose()

    app = FastStream(broker, lifespan=lifespan, logger=log)
    return app


def main() -> None:
    settings = OrganizerSettings()
    setup_logging(SERVICE, settings.log_level)
    asyncio.run(create_app(settings).run())
