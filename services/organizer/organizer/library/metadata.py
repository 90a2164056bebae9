"""`metadata.json` in each movie's and show's folder: what NiluFlix knows of the title, readable by people and
scripts (a show's names no file: its episodes are many and their records are the library items).

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


class TitleMetadata(BaseModel):
    # Written by us, but perhaps edited by hand or by another tool: read leniently.
    model_config = ConfigDict(extra="ignore")

    tmdb_id: int | None = None
    imdb_id: str | None = None
    tvdb_id: int | None = None
    media_type: MediaType = MediaType.MOVIE
    title: str | None = None
    year: int | None = None
    file: str | None = None
    release_name: str | None = None
    size: int | None = None
    job_id: UUID | None = None
    added_at: datetime | None = None


def write_metadata(folder: Path, metadata: TitleMetadata) -> Path:
    """Blocking: fsyncs."""
    path = folder / METADATA_NAME
    write_atomic(path, (metadata.model_dump_json(indent=2) + "\n").encode())
    return path


def read_metadata(folder: Path) -> TitleMetadata | None:
    """Blocking. None when the folder has none, or one that cannot be read."""
    path = folder / METADATA_NAME
    try:
        return TitleMetadata.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return None
