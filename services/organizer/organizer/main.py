"""The organizer's one entry point: `python -m organizer`; wiring only."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from faststream import FastStream

from niluflix.db import make_sessionmaker
from niluflix.loops import Loop
from niluflix.service_runner import ServiceRunner, run_service
from organizer.events import LibraryEvents, ensure_streams
from organizer.handlers import SERVICE, build_router, subscribe_completions
from organizer.library.service import Library
from organizer.library.store import LibraryStore
from organizer.settings import OrganizerSettings

MIGRATIONS = Path(__file__).parent / "migrations"
# Items are announced as they are imported; the loop sends the ones a crash or a NATS outage left behind.
ANNOUNCE_EVERY = 60.0


def create_app(settings: OrganizerSettings | None = None) -> FastStream:
    settings = settings or OrganizerSettings()
    runner = ServiceRunner(SERVICE, settings, migrations=MIGRATIONS)
    runner.broker.include_router(build_router())
    subscribe_completions(runner.broker, settings)

    @asynccontextmanager
    async def parts(run: ServiceRunner) -> AsyncIterator[None]:
        # Everything the consumer needs is ready before the broker starts it.
        await ensure_streams(run.jetstream)
        library = Library(
            store=LibraryStore(make_sessionmaker(run.engine)),
            events=LibraryEvents(run.broker, timeout=settings.request_timeout),
            library_dir=lambda: Path(run.live.value.library_dir),
            download_dirs=settings.download_dirs,
            link_mode=settings.link_mode,
        )
        app.context.set_global("library", library)
        run.check_health(library.health_check)
        run.run_in_background(
            Loop("announcing library items", library.announce_pending, every=ANNOUNCE_EVERY)
        )
        yield

    app = runner.faststream_app(parts)
    return app


def main() -> None:
    settings = OrganizerSettings()
    run_service(SERVICE, settings, lambda: create_app(settings).run())
