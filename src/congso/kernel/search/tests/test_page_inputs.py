"""Whatever is typed in the box, the page and the API answer (never a 500); an empty or
punctuation-only query shows how to search."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.kernel.people.models import Role
from congso.kernel.search.tests.fixtures import search_index  # noqa: F401

pytestmark = [pytest.mark.usefixtures("search_index"), pytest.mark.django_db]

odd_text = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=" \"“”'.,;:!?()/-\\*&%#@~|<>\u200b\u00a0\t\n", max_size=60),
    st.lists(st.sampled_from(["15/QĐ-UBND", '"giấy phép', "NĐ", "30", "đ", "…", "\u0301"])).map(
        " ".join
    ),
)


@pytest.fixture
def clerk_client(client: Client, ward_a: Any, make_user: Any, login: Any) -> Client:
    return login(client, make_user(Role.CLERK, ward_a))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=odd_text)
def test_any_query_gets_a_page(clerk_client: Client, q: str) -> None:
    response = clerk_client.get("/tim-kiem/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    if not q.strip(" \"“”'.,;:!?()/-\\*&%#@~|<>\u200b\u00a0\t\n"):
        assert "Cách tìm" in html  # how to search, not an error
    suggest = clerk_client.get("/tim-kiem/goi-y/", {"q": q}, HTTP_HX_REQUEST="true")
    assert suggest.status_code == 200
