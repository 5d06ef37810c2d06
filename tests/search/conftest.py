import pytest


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    """A fresh index per test, in the test's temporary directory."""
    settings.ESSAIM_SEARCH_INDEX_DIR = tmp_path / "index"
    return settings.ESSAIM_SEARCH_INDEX_DIR


@pytest.fixture
def reindexed(search_index):
    """Call it after creating rows: rebuilds the test's index from the database."""
    from essaim.search.indexer import reindex

    return reindex
