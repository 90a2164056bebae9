from downloader.tables import Base

from niluflix.db import run_migrations_online

run_migrations_online(Base.metadata)
