"""The movie library on disk: names, picking the movie file, placing it, its metadata, its records."""
