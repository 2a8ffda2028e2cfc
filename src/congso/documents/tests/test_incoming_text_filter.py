"""The incoming list's text filter goes through its own index (migration 0008): FTS5 trigram on
SQLite, pg_trgm on PostgreSQL. Same answers as a substring search, any letter case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.documents import selectors
from congso.documents.models import IncomingDocument
from congso.kernel.people.models import User

pytestmark = pytest.mark.django_db


def _ids(user: User, q: str) -> set[int]:
    return {d.pk for d in selectors.incoming_for_user(user, filters={"q": q})}


@pytest.fixture
def docs(register: Callable[..., IncomingDocument]) -> dict[str, IncomingDocument]:
    return {
        "rac": register(subject="Về việc thu gom rác thải sinh hoạt trên địa bàn phường"),
        "xd": register(
            subject="V/v kiểm tra trật tự xây dựng", sender_name="Đội Quản lý trật tự đô thị"
        ),
        "qd": register(subject="Quyết định phê duyệt kế hoạch", notation="215/QĐ-UBND"),
    }


def test_substring_in_subject_notation_or_sender_any_case(
    clerk: User, docs: dict[str, IncomingDocument]
) -> None:
    assert _ids(clerk, "rác thải") == {docs["rac"].pk}
    assert _ids(clerk, "RÁC THẢI") == {docs["rac"].pk}  # SQLite's LIKE would miss this
    assert _ids(clerk, "gom rác") == {docs["rac"].pk}  # across words, inside the subject
    assert _ids(clerk, "215/QĐ") == {docs["qd"].pk}
    assert _ids(clerk, "trật tự đô thị") == {docs["xd"].pk}  # the sender
    assert _ids(clerk, "trật tự") == {docs["xd"].pk}
    assert _ids(clerk, "không có chữ này") == set()
    assert _ids(clerk, 'a"b"c') == set()  # quotes cannot break the query
    # Two characters: a plain scan, same meaning.
    assert docs["qd"].pk in _ids(clerk, "QĐ")


def test_the_index_follows_edits_and_deletions(
    clerk: User, docs: dict[str, IncomingDocument]
) -> None:
    IncomingDocument.objects.filter(pk=docs["rac"].pk).update(subject="Về việc nạo vét cống")
    assert _ids(clerk, "rác thải") == set()
    assert _ids(clerk, "nạo vét") == {docs["rac"].pk}
    IncomingDocument.objects.filter(pk=docs["rac"].pk).delete()
    assert _ids(clerk, "nạo vét") == set()


def test_the_index_exists_on_this_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert selectors.INCOMING_FTS in connection.introspection.table_names(cursor)
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'incoming_%%_trgm'"
            )
            assert cursor.fetchone()[0] == 3


def test_list_page_with_a_text_filter_keeps_a_constant_query_count(
    client: Any,
    login: Any,
    clerk: User,
    register: Callable[..., IncomingDocument],
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(6):
        register(subject=f"Về việc xây dựng công trình số {i}")
    login(client, clerk)
    url = "/van-ban/den/?q=x%C3%A2y+d%E1%BB%B1ng"
    client.get(url)  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("công trình số") == 6
    for i in range(20):
        register(subject=f"Về việc xây dựng nhà văn hóa số {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("nhà văn hóa số") == 20
