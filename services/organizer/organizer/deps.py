"""What handlers are given: objects the lifespan puts in the app's context."""

from typing import Annotated

from faststream import Context

from organizer.library.service import Library

LibraryDep = Annotated[Library, Context("library")]
