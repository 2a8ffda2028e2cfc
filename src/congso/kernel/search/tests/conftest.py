from congso.kernel.search.tests.fixtures import search_index  # noqa: F401
