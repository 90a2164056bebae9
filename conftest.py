pytest_plugins = ["niluflix.testing.fixtures"]
