"""Followed shows: their new episodes found (by a regular check and by the indexers' RSS) and downloaded."""
