"""Parts of the offline demo: stand-ins for the outside world (an indexer, a swarm, a catalog) that speak
the same wire formats as the real thing, so NiluFlix runs unchanged against them with no internet.
"""
