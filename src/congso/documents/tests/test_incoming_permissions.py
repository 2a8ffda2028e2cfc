"""Who sees which incoming documents: other wards, specialists, secrecy; secret reads audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from congso.documents import rules
from congso.documents.models import IncomingDocument
from congso.documents.selectors import incoming_for_user, incoming_visible, my_work
from congso.documents.services.incoming import incoming_assign
from congso.kernel.audit.models import AuditEvent
from congso.kernel.files.models import StoredFile
from congso.kernel.people.models import Position, Role

pytestmark = pytest.mark.django_db


def _ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_clerk_of_another_ward_sees_nothing(
    register: Any, clerk_b: Any, client: Client, login: Any
) -> None:
    doc = register()
    assert _ids(incoming_visible(clerk_b)) == set()
    assert not rules.can_view_incoming(clerk_b, doc)
    login(client, clerk_b)
    assert client.get(f"/van-ban/den/{doc.pk}/").status_code == 404
    assert client.get(f"/api/v1/documents/incoming/{doc.pk}").status_code == 404
    page = client.get("/van-ban/den/")
    assert page.status_code == 200
    assert doc.subject not in page.content.decode()
    # Nor its file.
    stored = StoredFile.objects.get(owner_id=str(doc.pk))
    assert client.get(f"/tep/{stored.public_id}/").status_code == 404


def test_leader_of_the_city_sees_the_wards_below(register: Any, make_user: Any, hanoi: Any) -> None:
    doc = register()
    city_leader = make_user(Role.LEADER, hanoi)
    assert _ids(incoming_visible(city_leader)) == {doc.pk}
    city_specialist = make_user(Role.SPECIALIST, hanoi)
    assert _ids(incoming_visible(city_specialist)) == set()


def test_specialist_sees_only_assigned_and_department_documents(
    register: Any,
    leader: Any,
    specialist: Any,
    colleague: Any,
    outsider: Any,
    departments: Any,
) -> None:
    to_me = register()
    to_dept = register()
    cooperating = register()
    unrelated = register()
    incoming_assign(document=to_me, user=leader, lead_user=specialist)
    incoming_assign(document=to_dept, user=leader, lead_department=departments["KT"])
    incoming_assign(
        document=cooperating,
        user=leader,
        lead_user=outsider,
        cooperating_departments=[departments["KT"]],
    )
    incoming_assign(document=unrelated, user=leader, lead_user=outsider)
    assert _ids(incoming_visible(specialist)) == {to_me.pk, to_dept.pk, cooperating.pk}
    # A colleague of the department sees the department's, not the one given to me by name.
    assert _ids(incoming_visible(colleague)) == {to_dept.pk, cooperating.pk}
    assert _ids(incoming_visible(outsider)) == {cooperating.pk, unrelated.pk}
    assert _ids(incoming_visible(leader)) == {to_me.pk, to_dept.pk, cooperating.pk, unrelated.pk}
    for doc in (to_me, to_dept, cooperating, unrelated):
        assert rules.can_view_incoming(specialist, doc) == (doc.pk != unrelated.pk)
    # My work: named, and department assignments without a named lead; cooperating ones too.
    assert {a.document_id for a in my_work(specialist)} == {to_me.pk, to_dept.pk, cooperating.pk}
    assert {a.document_id for a in my_work(colleague)} == {to_dept.pk, cooperating.pk}


def test_secret_documents_need_clearance(
    register: Any, clerk: Any, leader: Any, specialist: Any, make_user: Any, ward_a: Any
) -> None:
    clerk.clearance = 2
    clerk.save()
    ordinary = register()
    secret = register(secrecy=1)
    top_secret = register(secrecy=2)
    assert _ids(incoming_visible(clerk)) == {ordinary.pk, secret.pk, top_secret.pk}
    assert _ids(incoming_visible(leader)) == {ordinary.pk, secret.pk}  # leader cleared for Mật
    uncleared_leader = make_user(Role.LEADER, ward_a)
    assert _ids(incoming_visible(uncleared_leader)) == {ordinary.pk}
    assert not rules.can_view_incoming(uncleared_leader, secret)
    assert not rules.can_assign(uncleared_leader, secret)
    # Even assigned to them, an uncleared specialist does not see it (the service refuses
    # to assign it to them in the first place).
    specialist.clearance = 1
    specialist.save()
    incoming_assign(document=secret, user=leader, lead_user=specialist)
    assert rules.can_view_incoming(specialist, secret)
    specialist.clearance = 0
    specialist.save()
    assert not rules.can_view_incoming(specialist, secret)
    assert secret.pk not in _ids(incoming_for_user(specialist))


def test_every_read_of_a_secret_document_is_audited(
    register: Any, clerk: Any, leader: Any, client: Client, login: Any
) -> None:
    clerk.clearance = 1
    clerk.save()
    secret = register(secrecy=1)
    ordinary = register()
    login(client, leader)

    def reads() -> list[str]:
        return list(
            AuditEvent.objects.filter(
                action="documents.secret_read", object_id=str(secret.pk)
            ).values_list("actor__username", flat=True)
        )

    assert client.get(f"/van-ban/den/{ordinary.pk}/").status_code == 200
    assert reads() == []
    assert client.get(f"/van-ban/den/{secret.pk}/").status_code == 200
    assert reads() == [leader.username]
    assert client.get(f"/api/v1/documents/incoming/{secret.pk}").status_code == 200
    stored = StoredFile.objects.get(
        owner_type=ContentType.objects.get_for_model(IncomingDocument), owner_id=str(secret.pk)
    )
    response = client.get(f"/tep/{stored.public_id}/")
    assert response.status_code == 200
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert client.get(f"/van-ban/den/{secret.pk}/phieu-giai-quyet/").status_code == 200
    assert len(reads()) == 4
    summaries = list(
        AuditEvent.objects.filter(action="documents.secret_read").values_list("summary", flat=True)
    )
    assert any("tải tệp" in s for s in summaries)
    # The list shows it (a read of the list is not a read of the document) and is not audited.
    assert client.get("/van-ban/den/").status_code == 200
    assert len(reads()) == 4


def test_uncleared_user_gets_no_secret_file(
    register: Any, clerk: Any, make_user: Any, ward_a: Any, client: Client, login: Any
) -> None:
    clerk.clearance = 1
    clerk.save()
    secret = register(secrecy=1)
    stored = StoredFile.objects.get(owner_id=str(secret.pk))
    other_clerk = make_user(Role.CLERK, ward_a)
    login(client, other_clerk)
    assert client.get(f"/van-ban/den/{secret.pk}/").status_code == 404
    # Same unit, so the file's existence is known to the unit, but the rule refuses it.
    assert client.get(f"/tep/{stored.public_id}/").status_code == 403
    assert not AuditEvent.objects.filter(action="documents.secret_read").exists()


def test_a_position_that_ended_no_longer_sees(register: Any, clerk: Any) -> None:
    import datetime as dt

    doc = register()
    Position.objects.filter(user=clerk).update(valid_to=dt.date.today() - dt.timedelta(days=1))
    assert not rules.can_view_incoming(clerk, doc)
    assert _ids(incoming_visible(clerk)) == set()
