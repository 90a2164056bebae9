"""NiluFlix shared package: message contracts, NATS wiring, settings, database base and the CLI."""

__version__ = "0.1.0"
