"""Pieces that several pages draw: poster shelves, job progress, error notices."""
