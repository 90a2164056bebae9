"""Where releases come from: the `Indexer` interface, its Torznab client, and the pool that asks them all."""
