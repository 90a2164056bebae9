"""What handlers get injected: set on the app's context by the lifespan in `main.py`."""

from typing import Annotated

from faststream import Context

from downloader.jobs.engine import DownloadEngine
from downloader.jobs.intake import Intake
from downloader.jobs.store import JobStore

StoreDep = Annotated[JobStore, Context("jobs")]
EngineDep = Annotated[DownloadEngine, Context("engine")]
IntakeDep = Annotated[Intake, Context("intake")]
