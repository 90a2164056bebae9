"""What handlers get injected, set once per app in `main.create_app`."""

from typing import Annotated

from faststream import Context
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.sources import SourceSwitch

SOURCES = "catalog_sources"
ENGINE = "catalog_engine"

SourcesDep = Annotated[SourceSwitch, Context(SOURCES)]
EngineDep = Annotated[AsyncEngine, Context(ENGINE)]
