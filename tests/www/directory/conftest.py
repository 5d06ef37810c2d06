"""The directory's fixtures (a fresh search index per test, ``reindexed``) for its pages' tests."""

from tests.directory.conftest import reindexed, search_index  # noqa: F401
