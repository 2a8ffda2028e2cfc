"""The officers' screens (/mot-cua/): desk intake, lists, detail, every action, permissions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congso.kernel.files.models import StoredFile
from congso.kernel.people.models import Role
from congso.procedures import services
from congso.procedures.models import (
    Channel,
    Dossier,
    DossierAttachment,
    DossierEvent,
    DossierExtension,
    DossierStatus,
    Procedure,
)
from congso.procedures.tests.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

# A 1x1 PNG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def as_user(login: Callable[[Client, Any], Client]) -> Callable[[Any], Client]:
    return lambda user: login(Client(), user)


def _intake_data(proc: Procedure, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure": str(proc.pk),
        "applicant_type": "0",
        "applicant_name": "Nguyễn Thị Dân",
        "applicant_id_number": "001190000001",
        "applicant_address": "Số 1 Tây Hồ",
        "applicant_phone": "0912345678",
        "applicant_email": "",
        "representative": "",
        "content": "Khai sinh cho con",
        "sets_count": "1",
    }
    data.update(extra)
    return data


def _ticks(procedure: Procedure, *, required_only: bool = True) -> dict[str, str]:
    papers = procedure.papers.filter(required=True) if required_only else procedure.papers.all()
    return {f"paper_{p.pk}": "on" for p in papers}


def _act(client: Client, dossier: Dossier, action: str, data: dict[str, Any] | None = None) -> Any:
    url = reverse("procedures:dossier_action", args=[dossier.code, action])
    return client.post(url, data or {})


def _reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


# --- desk intake -----------------------------------------------------------------------------


def test_intake_page_lists_procedures_by_field(as_user: Any, onestop: Any, procedure: Any) -> None:
    response = as_user(onestop).get(reverse("procedures:intake"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="Hộ tịch">' in html
    assert procedure.name in html


def test_intake_search_and_papers_fragments(as_user: Any, onestop: Any, procedure: Any) -> None:
    client = as_user(onestop)
    found = client.get(reverse("procedures:intake_procedures"), {"tim": "khai sinh"})
    assert procedure.name in found.content.decode()
    none = client.get(reverse("procedures:intake_procedures"), {"tim": "không có thủ tục này"})
    assert "Không tìm thấy thủ tục phù hợp" in none.content.decode()
    papers = client.get(reverse("procedures:intake_papers"), {"procedure": procedure.pk})
    html = papers.content.decode()
    assert html.count('data-testid="paper-row"') == 3
    assert "Giấy chứng sinh" in html and "bắt buộc" in html
    assert 'data-testid="due-preview"' in html and "hẹn trả" in html


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER])
def test_intake_only_for_onestop_officers(
    as_user: Any, make_user: Any, ward_a: Any, procedure: Any, role: str
) -> None:
    client = as_user(make_user(role, ward_a))
    assert client.get(reverse("procedures:intake")).status_code == 403
    response = client.post(reverse("procedures:intake"), _intake_data(procedure))
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_intake_needs_login(client: Client) -> None:
    response = client.get(reverse("procedures:intake"))
    assert response.status_code == 302


def test_intake_creates_dossier_with_scans(
    as_user: Any, onestop: Any, procedure: Any, ward_a: Any
) -> None:
    papers = list(procedure.papers.order_by("position"))
    data = _intake_data(procedure, **_ticks(procedure))
    data[f"files_{papers[0].pk}"] = [
        SimpleUploadedFile("to-khai.pdf", PDF_BYTES, content_type="application/pdf"),
        SimpleUploadedFile("to-khai-2.png", PNG_BYTES, content_type="image/png"),
    ]
    data[f"files_{papers[1].pk}"] = SimpleUploadedFile("chung-sinh.pdf", PDF_BYTES)
    client = as_user(onestop)
    response = client.post(reverse("procedures:intake"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert response["Location"].startswith(
        reverse("procedures:dossier_detail", args=[dossier.code])
    )
    assert dossier.status == DossierStatus.ACCEPTED
    assert dossier.channel == Channel.DESK
    assert dossier.unit == ward_a and dossier.receiving_officer == onestop
    assert dossier.applicant_name == "Nguyễn Thị Dân"
    assert set(dossier.papers.filter(provided=True).values_list("name", flat=True)) == {
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    }
    assert dossier.attachments.count() == 3
    assert dossier.attachments.filter(paper__name="Tờ khai đăng ký khai sinh").count() == 2
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert "In giấy tiếp nhận" in html
    assert reverse("procedures:dossier_form_pdf", args=[dossier.code, "giay-tiep-nhan"]) in html
    assert "to-khai-2.png" in html and "/tep/" in html


def test_intake_missing_required_papers_lists_them_and_saves_nothing(
    as_user: Any, onestop: Any, procedure: Any
) -> None:
    papers = list(procedure.papers.order_by("position"))
    data = _intake_data(procedure, **{f"paper_{papers[0].pk}": "on"})
    response = as_user(onestop).post(reverse("procedures:intake"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "thiếu giấy tờ bắt buộc" in html
    assert "Giấy chứng sinh" in html
    assert not Dossier.objects.exists()
    # The ticked paper stays ticked on the re-shown form.
    assert f'name="paper_{papers[0].pk}" id="id_paper_{papers[0].pk}" checked' in html


def test_intake_unknown_procedure(as_user: Any, onestop: Any, procedure: Any) -> None:
    data = _intake_data(procedure, procedure="999999")
    response = as_user(onestop).post(reverse("procedures:intake"), data)
    assert response.status_code == 400
    assert "Thủ tục đã chọn không tồn tại hoặc không còn áp dụng." in response.content.decode()
    procedure.is_active = False
    procedure.save()
    data = _intake_data(procedure, **_ticks(procedure))
    response = as_user(onestop).post(reverse("procedures:intake"), data)
    assert response.status_code == 400
    assert "không tồn tại hoặc không còn áp dụng" in response.content.decode()
    assert not Dossier.objects.exists()


def test_intake_lying_file_is_refused_and_nothing_half_saved(
    as_user: Any, onestop: Any, procedure: Any
) -> None:
    papers = list(procedure.papers.order_by("position"))
    data = _intake_data(procedure, **_ticks(procedure))
    data[f"files_{papers[0].pk}"] = SimpleUploadedFile("to-khai.pdf", PDF_BYTES)
    # A "PDF" that is really a PNG image: sniffed and refused.
    data[f"files_{papers[1].pk}"] = SimpleUploadedFile("chung-sinh.pdf", PNG_BYTES)
    response = as_user(onestop).post(reverse("procedures:intake"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "chung-sinh.pdf" in html and "không phải là tệp PDF" in html
    assert not Dossier.objects.exists()
    assert not DossierAttachment.objects.exists()
    assert not StoredFile.objects.exists()


def test_intake_bad_applicant_fields(as_user: Any, onestop: Any, procedure: Any) -> None:
    data = _intake_data(
        procedure, applicant_name="", applicant_email="khong-phai-email", **_ticks(procedure)
    )
    response = as_user(onestop).post(reverse("procedures:intake"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy nhập họ tên người nộp hoặc tên tổ chức." in html
    assert "Địa chỉ thư điện tử không hợp lệ." in html
    assert not Dossier.objects.exists()


def test_intake_organisation_applicant(as_user: Any, onestop: Any, procedure: Any) -> None:
    data = _intake_data(
        procedure,
        applicant_type="1",
        applicant_name="Công ty TNHH Hồ Tây",
        applicant_id_number="0101234567",
        representative="Trần Giám Đốc",
        sets_count="2",
        **_ticks(procedure),
    )
    response = as_user(onestop).post(reverse("procedures:intake"), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.applicant_type, dossier.representative, dossier.sets_count) == (
        1,
        "Trần Giám Đốc",
        2,
    )


# --- lists -----------------------------------------------------------------------------------


@pytest.fixture
def several(
    ward_a: Any, procedure: Any, onestop: Any, applicant: dict[str, Any], tiny_pdf: Any
) -> list[Dossier]:
    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))
    rows = []
    for i in range(6):
        rows.append(
            services.dossier_receive_at_desk(
                unit=ward_a,
                procedure=procedure,
                applicant={**applicant, "name": f"Người nộp {i}"},
                papers_provided=required,
                officer=onestop,
            )
        )
    online = services.dossier_submit_online(
        unit=ward_a,
        procedure=procedure,
        applicant={**applicant, "name": "Người nộp trực tuyến"},
        uploads=[(pid, tiny_pdf()) for pid in required],
    )
    rows.append(online)
    # One overdue: its appointment is in the past.
    Dossier.objects.filter(pk=rows[0].pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    return rows


def test_list_tabs_counts_and_urgency(
    as_user: Any, onestop: Any, several: list[Dossier], django_assert_max_num_queries: Any
) -> None:
    client = as_user(onestop)
    url = reverse("procedures:dossier_list")
    client.get(url)  # warm the session and calendar caches
    # The staff shell (session, 2FA, menu by role) takes ~20; the list itself 4 (tab counts in
    # one aggregate, page count, page rows with their joins, filter choices).
    with django_assert_max_num_queries(34):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="dossier-row"') == 6
    assert 'class="ds-overdue"' in html
    assert 'data-testid="tab-cho-tiep-nhan"' in html
    response = client.get(url, {"tab": "cho-tiep-nhan"})
    html = response.content.decode()
    assert html.count('data-testid="dossier-row"') == 1
    assert "Người nộp trực tuyến" in html
    response = client.get(url, {"tab": "qua-han"})
    assert response.content.decode().count('data-testid="dossier-row"') == 1


def test_list_query_count_does_not_grow_with_rows(
    as_user: Any,
    onestop: Any,
    several: list[Dossier],
    ward_a: Any,
    procedure: Any,
    applicant: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = as_user(onestop)
    url = reverse("procedures:dossier_list")
    client.get(url, {"tab": "tat-ca"})
    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))
    for i in range(10):
        services.dossier_receive_at_desk(
            unit=ward_a,
            procedure=procedure,
            applicant={**applicant, "name": f"Thêm {i}"},
            papers_provided=required,
            officer=onestop,
        )
    with django_assert_max_num_queries(34):
        response = client.get(url, {"tab": "tat-ca"})
    assert response.content.decode().count('data-testid="dossier-row"') == 17


def test_list_filters(as_user: Any, onestop: Any, several: list[Dossier]) -> None:
    client = as_user(onestop)
    url = reverse("procedures:dossier_list")
    html = client.get(url, {"tab": "tat-ca", "q": "Người nộp 3"}).content.decode()
    assert html.count('data-testid="dossier-row"') == 1
    html = client.get(url, {"tab": "tat-ca", "q": several[2].code}).content.decode()
    assert html.count('data-testid="dossier-row"') == 1
    html = client.get(url, {"tab": "tat-ca", "channel": "2"}).content.decode()
    assert html.count('data-testid="dossier-row"') == 1
    today = timezone.localdate()
    html = client.get(
        url, {"tab": "tat-ca", "date_from": f"{today:%d/%m/%Y}", "date_to": f"{today:%d/%m/%Y}"}
    ).content.decode()
    assert html.count('data-testid="dossier-row"') == 7
    html = client.get(
        url, {"tab": "tat-ca", "date_from": "01/01/2020", "date_to": "31/12/2020"}
    ).content.decode()
    assert html.count('data-testid="dossier-row"') == 0
    bad = client.get(url, {"date_from": "32/13/2026"})
    assert bad.status_code == 200 and "dd/mm/yyyy" in bad.content.decode()


def test_list_pagination(
    as_user: Any, onestop: Any, ward_a: Any, procedure: Any, applicant: Any
) -> None:
    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))
    for i in range(27):
        services.dossier_receive_at_desk(
            unit=ward_a,
            procedure=procedure,
            applicant={**applicant, "name": f"P{i}"},
            papers_provided=required,
            officer=onestop,
        )
    client = as_user(onestop)
    first = client.get(reverse("procedures:dossier_list"), {"tab": "dang-xu-ly"}).content.decode()
    assert first.count('data-testid="dossier-row"') == 25 and "Trang 1/2" in first
    second = client.get(
        reverse("procedures:dossier_list"), {"tab": "dang-xu-ly", "page": 2}
    ).content.decode()
    assert second.count('data-testid="dossier-row"') == 2


def test_list_scoped_to_unit(
    as_user: Any, make_user: Any, ward_b: Any, several: list[Dossier]
) -> None:
    other = make_user(Role.ONESTOP_OFFICER, ward_b)
    html = as_user(other).get(reverse("procedures:dossier_list"), {"tab": "tat-ca"})
    assert html.content.decode().count('data-testid="dossier-row"') == 0


def test_list_refused_without_a_role(as_user: Any, make_user: Any, ward_a: Any) -> None:
    clerk = make_user(Role.CLERK, ward_a)
    assert as_user(clerk).get(reverse("procedures:dossier_list")).status_code == 403


def test_late_view_for_leaders(
    as_user: Any,
    leader: Any,
    specialist: Any,
    several: list[Dossier],
    django_assert_max_num_queries: Any,
) -> None:
    client = as_user(leader)
    url = reverse("procedures:late_list")
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    html = response.content.decode()
    assert several[0].code in html
    assert 'class="ds-overdue"' in html
    # A long horizon takes in the others too (3 working days away).
    html = client.get(url, {"gio": "40"}).content.decode()
    assert html.count('data-testid="dossier-row"') == 6
    assert html.count('class="ds-soon"') == 5 and html.count('class="ds-overdue"') == 1
    assert client.get(url, {"gio": "không phải số"}).status_code == 200
    assert as_user(specialist).get(url).status_code == 403


# --- detail and actions ----------------------------------------------------------------------


def test_detail_other_ward_gets_404(
    as_user: Any, make_user: Any, ward_b: Any, desk_dossier: Dossier
) -> None:
    other = make_user(Role.LEADER, ward_b)
    client = as_user(other)
    assert (
        client.get(reverse("procedures:dossier_detail", args=[desk_dossier.code])).status_code
        == 404
    )
    assert _act(client, desk_dossier, "stop", {"reason": "x"}).status_code == 404
    pdf_url = reverse("procedures:dossier_form_pdf", args=[desk_dossier.code, "giay-tiep-nhan"])
    assert client.get(pdf_url).status_code == 404


def test_detail_shows_timeline_and_actions(
    as_user: Any, onestop: Any, desk_dossier: Dossier
) -> None:
    html = (
        as_user(onestop)
        .get(reverse("procedures:dossier_detail", args=[desk_dossier.code]))
        .content.decode()
    )
    assert desk_dossier.code in html
    assert 'data-testid="event"' in html
    for action in services.allowed_actions(desk_dossier, onestop):
        assert f'data-testid="action-{action}"' in html
    # The hand-over suggests the procedure's next step and its department.
    assert "Bước tiếp theo theo quy trình: Thẩm định, trình ký (Văn phòng HĐND-UBND)" in html
    assert '<option value="' in html and " selected>Văn phòng HĐND-UBND</option>" in html
    assert 'data-testid="action-return"' not in html


def test_action_not_allowed_is_403_and_changes_nothing(
    as_user: Any, specialist: Any, onestop: Any, desk_dossier: Dossier
) -> None:
    events = DossierEvent.objects.count()
    response = _act(as_user(specialist), desk_dossier, "return")
    assert response.status_code == 403
    # Out of order: the officer cannot accept an already accepted dossier.
    response = _act(as_user(onestop), desk_dossier, "accept")
    assert response.status_code == 403
    assert _reload(desk_dossier).status == DossierStatus.ACCEPTED
    assert DossierEvent.objects.count() == events
    assert _act(as_user(onestop), desk_dossier, "fly").status_code == 404


def test_full_journey_through_the_screens(
    as_user: Any,
    onestop: Any,
    specialist: Any,
    leader: Any,
    desk_dossier: Dossier,
) -> None:
    officer, spec, boss = as_user(onestop), as_user(specialist), as_user(leader)
    d = desk_dossier
    # Hand over needs a target.
    response = _act(officer, d, "hand_over", {"to_user": "", "to_department": ""})
    assert response.status_code == 400
    assert "Hãy chọn cán bộ hoặc phòng, ban nhận hồ sơ." in response.content.decode()
    assert _act(officer, d, "hand_over", {"to_user": specialist.pk}).status_code == 302
    assert _reload(d).status == DossierStatus.IN_PROCESS
    # Supplement: items required, then paused, then resumed with an upload.
    assert _act(spec, d, "request_supplement", {"items": ""}).status_code == 400
    response = _act(
        spec, d, "request_supplement", {"items": "Bản sao CCCD\nGiấy chứng sinh bản chính"}
    )
    assert response.status_code == 302
    assert _reload(d).status == DossierStatus.SUPPLEMENT_REQUESTED
    upload = SimpleUploadedFile("bo-sung.pdf", PDF_BYTES, content_type="application/pdf")
    response = _act(officer, d, "supplement_received", {"scans": upload, "note": "Đã nộp"})
    assert response.status_code == 302
    d = _reload(d)
    assert d.status == DossierStatus.IN_PROCESS
    assert d.attachments.filter(kind="supplement").count() == 1
    # Fees: asked (amount typed with thousands dots), then paid.
    response = _act(spec, d, "request_fees", {"amount": "8.000"})
    assert response.status_code == 302, response.content.decode()[:3000]
    d = _reload(d)
    assert d.status == DossierStatus.FEES_DUE and d.fee_amount == Decimal("8000")
    assert _act(officer, d, "fees_paid", {"online": "on"}).status_code == 302
    d = _reload(d)
    assert d.fee_paid and d.paid_online and d.status == DossierStatus.IN_PROCESS
    # Extension: only leaders, once, with a reason.
    assert _act(spec, d, "extend", {}).status_code == 403
    new_day = timezone.localdate() + dt.timedelta(days=30)
    response = _act(
        boss,
        d,
        "extend",
        {"new_due_date": f"{new_day:%d/%m/%Y}", "new_due_time": "16:30", "reason": "Chờ xác minh"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert DossierExtension.objects.filter(dossier=d).exists()
    response = _act(
        boss,
        d,
        "extend",
        {"new_due_date": f"{new_day:%d/%m/%Y}", "new_due_time": "16:30", "reason": "Lần hai"},
    )
    assert response.status_code == 403
    # To the leader, who completes with a result file; then the officer returns it.
    assert _act(spec, d, "hand_over", {"to_user": leader.pk}).status_code == 302
    assert _act(boss, d, "complete", {}).status_code == 400
    result = SimpleUploadedFile("ket-qua.pdf", PDF_BYTES, content_type="application/pdf")
    response = _act(
        boss, d, "complete", {"result_file": result, "result_summary": "Giấy khai sinh số 12"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    d = _reload(d)
    assert d.status == DossierStatus.DONE and d.result_file is not None
    assert _act(officer, d, "return").status_code == 302
    d = _reload(d)
    assert d.status == DossierStatus.RETURNED and d.returned_at is not None
    html = officer.get(reverse("procedures:dossier_detail", args=[d.code])).content.decode()
    assert html.count('data-testid="step-row"') >= 2
    assert "Bạn không có thao tác nào" in html
    assert "ket-qua.pdf" in html


def test_online_dossier_accept_and_refuse(
    as_user: Any,
    onestop: Any,
    ward_a: Any,
    procedure: Any,
    applicant: Any,
    tiny_pdf: Any,
) -> None:
    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))

    def submit() -> Dossier:
        return services.dossier_submit_online(
            unit=ward_a,
            procedure=procedure,
            applicant=applicant,
            uploads=[(pid, tiny_pdf()) for pid in required],
        )

    client = as_user(onestop)
    first, second = submit(), submit()
    assert _act(client, first, "accept").status_code == 302
    first = _reload(first)
    assert first.status == DossierStatus.ACCEPTED and first.due_at is not None
    assert _act(client, second, "refuse", {"reason": ""}).status_code == 400
    assert _reload(second).status == DossierStatus.SUBMITTED
    response = _act(client, second, "refuse", {"reason": "Không thuộc thẩm quyền của phường."})
    assert response.status_code == 302
    second = _reload(second)
    assert second.status == DossierStatus.REFUSED
    html = client.get(reverse("procedures:dossier_detail", args=[second.code])).content.decode()
    assert "Phiếu từ chối tiếp nhận giải quyết hồ sơ" in html


def test_stop_and_withdraw(
    as_user: Any, onestop: Any, leader: Any, desk_dossier: Dossier, ward_a: Any, procedure: Any
) -> None:
    assert _act(as_user(onestop), desk_dossier, "stop", {"reason": "x"}).status_code == 403
    response = _act(
        as_user(leader), desk_dossier, "stop", {"reason": "Người nộp không bổ sung hồ sơ."}
    )
    assert response.status_code == 302
    assert _reload(desk_dossier).status == DossierStatus.STOPPED
    required = list(procedure.papers.filter(required=True).values_list("id", flat=True))
    other = services.dossier_receive_at_desk(
        unit=ward_a,
        procedure=procedure,
        applicant={"name": "Người rút"},
        papers_provided=required,
        officer=onestop,
    )
    assert _act(as_user(onestop), other, "withdraw", {"reason": "Đổi ý"}).status_code == 302
    assert _reload(other).status == DossierStatus.WITHDRAWN


def test_complete_with_lying_result_file(
    as_user: Any, onestop: Any, leader: Any, desk_dossier: Dossier
) -> None:
    services.dossier_hand_over(dossier=desk_dossier, actor=onestop, to_user=leader)
    fake = SimpleUploadedFile("ket-qua.pdf", PNG_BYTES)
    response = _act(as_user(leader), desk_dossier, "complete", {"result_file": fake})
    assert response.status_code == 400
    assert "không phải là tệp PDF" in response.content.decode()
    d = _reload(desk_dossier)
    assert d.status == DossierStatus.IN_PROCESS and d.result_file is None


def test_hand_over_to_someone_of_another_ward_is_refused(
    as_user: Any, onestop: Any, make_user: Any, ward_b: Any, desk_dossier: Dossier
) -> None:
    stranger = make_user(Role.SPECIALIST, ward_b)
    response = _act(as_user(onestop), desk_dossier, "hand_over", {"to_user": stranger.pk})
    assert response.status_code == 400
    assert "Cán bộ đã chọn không thuộc đơn vị." in response.content.decode()
    assert _reload(desk_dossier).handler_id != stranger.pk


def test_complete_and_sign_without_a_credential(
    as_user: Any, onestop: Any, leader: Any, desk_dossier: Dossier
) -> None:
    services.dossier_hand_over(dossier=desk_dossier, actor=onestop, to_user=leader)
    result = SimpleUploadedFile("ket-qua.pdf", PDF_BYTES, content_type="application/pdf")
    response = _act(
        as_user(leader), desk_dossier, "complete", {"result_file": result, "sign": "on"}
    )
    assert response.status_code == 400
    assert "chưa có chứng thư ký số" in response.content.decode()
    d = _reload(desk_dossier)
    assert d.status == DossierStatus.IN_PROCESS and d.result_file is None
    assert not StoredFile.objects.filter(original_name="ket-qua.pdf").exists()


def test_detail_query_count(
    as_user: Any,
    onestop: Any,
    specialist: Any,
    desk_dossier: Dossier,
    tiny_pdf: Any,
    django_assert_max_num_queries: Any,
) -> None:
    services.dossier_hand_over(dossier=desk_dossier, actor=onestop, to_user=specialist)
    services.dossier_request_supplement(dossier=desk_dossier, actor=specialist, items="A")
    services.dossier_supplement_received(
        dossier=_reload(desk_dossier), actor=onestop, uploads=[(None, tiny_pdf())]
    )
    client = as_user(onestop)
    url = reverse("procedures:dossier_detail", args=[desk_dossier.code])
    client.get(url)
    # The shell ~20, allowed_actions' rules ~10, the page's own reads ~12 (prefetched: the
    # number of papers, files, events and steps does not add queries).
    with django_assert_max_num_queries(50):
        response = client.get(url)
    assert response.status_code == 200


# --- home and menu ---------------------------------------------------------------------------


def test_home_work_items(
    onestop: Any, specialist: Any, leader: Any, several: list[Dossier]
) -> None:
    from congso.procedures import ui

    services.dossier_hand_over(dossier=several[1], actor=onestop, to_user=specialist)
    mine = ui.my_work(specialist, None)
    assert (mine.title, mine.count) == ("Hồ sơ chờ tôi xử lý", 1)
    waiting, to_return = ui.online_waiting(onestop, None)
    assert waiting.title == "Hồ sơ trực tuyến chờ tiếp nhận" and waiting.count == 1
    assert to_return.count == 0
    late = ui.late_or_soon(leader, None)
    assert late.title == "Hồ sơ sắp/quá hạn" and late.count >= 1 and late.overdue == 1
    assert late.url == reverse("procedures:late_list")


def test_menu_entries(as_user: Any, onestop: Any, leader: Any) -> None:
    html = as_user(onestop).get(reverse("procedures:dossier_list")).content.decode()
    assert reverse("procedures:intake") in html
    html = as_user(leader).get(reverse("procedures:dossier_list")).content.decode()
    assert reverse("procedures:late_list") in html


def test_home_page_shows_the_items(
    as_user: Any, onestop: Any, leader: Any, specialist: Any, several: list[Dossier]
) -> None:
    html = as_user(onestop).get("/viec-cua-toi/").content.decode()
    assert "Hồ sơ trực tuyến chờ tiếp nhận" in html and "Hồ sơ chờ tôi xử lý" in html
    html = as_user(leader).get("/viec-cua-toi/").content.decode()
    assert "Hồ sơ sắp/quá hạn" in html
    html = as_user(specialist).get("/viec-cua-toi/").content.decode()
    assert "Hồ sơ chờ tôi xử lý" in html and "Hồ sơ trực tuyến chờ tiếp nhận" not in html


def test_scans_download_through_tep_with_the_unit_rule(
    as_user: Any, onestop: Any, make_user: Any, ward_b: Any, procedure: Any
) -> None:
    papers = list(procedure.papers.order_by("position"))
    data = _intake_data(procedure, **_ticks(procedure))
    data[f"files_{papers[1].pk}"] = SimpleUploadedFile("chung-sinh.pdf", PDF_BYTES)
    client = as_user(onestop)
    assert client.post(reverse("procedures:intake"), data).status_code == 302
    stored = DossierAttachment.objects.get().stored_file
    url = reverse("files:download", args=[stored.public_id])
    detail = client.get(reverse("procedures:dossier_detail", args=[Dossier.objects.get().code]))
    assert url in detail.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    stranger = as_user(make_user(Role.ONESTOP_OFFICER, ward_b))
    assert stranger.get(url).status_code in (403, 404)
