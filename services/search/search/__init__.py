"""The search service: asks every configured Torznab indexer for releases, parses and ranks them."""
