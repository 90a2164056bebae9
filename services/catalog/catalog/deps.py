"""What handlers get injected, set once per app in `main.create_app`."""

from typing import Annotated

from faststream import Context

from catalog.sources import SourceSwitch

SOURCES = "catalog_sources"

SourcesDep = Annotated[SourceSwitch, Context(SOURCES)]
