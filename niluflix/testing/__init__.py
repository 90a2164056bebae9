"""Real parts for tests: NATS, PostgreSQL, ports. Loaded as a pytest plugin by the root conftest.

Each fixture prefers a server named by an environment variable, then a local one, then one it starts
itself, and prints which it used. A missing part fails the test loudly: a skip would hide it in CI.
"""
