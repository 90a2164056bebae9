"""The `niluflix` command."""
