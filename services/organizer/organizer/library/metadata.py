"""`metadata.json` beside each movie file: what NiluFlix knows about it, readable by people and scripts.

A later scan (`library.v1.sync`) reads it back to recover the TMDB id of a folder it did not record.
"""

import logging
from datetime import datetime
from pathlib import Path
from uuid import UUID

from pydantic import BaseModel, ConfigDict, ValidationError

from niluflix.contracts.common import MediaType
from organizer.library.placing import write_atomic

log = logging.getLogger(__name__)

METADATA_NAME = "metadata.json"


class MovieMetadata(BaseModel):
    # Written by us, but perhaps edited by hand or by another tool: read leniently.
    model_config = ConfigDict(extra="ignore")

    tmdb_id: int | None = None
    imdb_id: str | None = None
    media_type: MediaType = MediaType.MOVIE
    title: str | None = None
    year: int | None = None
    file: str | None = None
    release_name: str | None = None
    size: int | None = None
    job_id: UUID | None = None
    added_at: datetime | None = None


def write_metadata(folder: Path, metadata: MovieMetadata) -> Path:
    """Blocking: fsyncs."""
    path = folder / METADATA_NAME
    write_atomic(path, (metadata.model_dump_json(indent=2) + "\n").encode())
    return path


def read_metadata(folder: Path) -> MovieMetadata | None:
    """Blocking. None when the folder has none, or one that cannot be read."""
    path = folder / METADATA_NAME
    try:
        return MovieMetadata.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return None
