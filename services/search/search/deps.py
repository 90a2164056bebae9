"""What handlers receive from the FastStream context, set by the lifespan in `main.py`."""

from typing import Annotated

from faststream import Context

from search.finder import ReleaseFinder

FINDER = "finder"

FinderDep = Annotated[ReleaseFinder, Context(FINDER)]
