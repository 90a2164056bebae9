"""Download jobs: the durable store, the engine that drives them, and the event outbox."""
