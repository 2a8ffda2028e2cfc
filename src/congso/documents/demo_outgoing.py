"""Demo: outgoing documents of Phường Tây Hồ at each step of the real workflow, signed with the
test CA, so that every demo login finds something to do (after the corpus: order 65).

- a công văn in review at the head of the Economic division (chuyenvien.kt.tayho drafted it);
- a decision approved, waiting for the chairwoman's signature (chutich.tayho);
- a plan signed, waiting for the clerk's number (vanthu.tayho);
- a notice issued and sent to Phường Phú Thượng, which received it in its incoming register.

Idempotent: a document is looked up by its subject before it is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile

from congso.documents.models import DocumentType, OutgoingDocument
from congso.kernel.core.demo import DemoContext, register
from congso.kernel.people.models import User

PEOPLE = (
    "chuyenvien.kt.tayho",
    "truongphong.kt.tayho",
    "chutich.tayho",
    "vanthu.tayho",
)


@dataclass(frozen=True)
class DemoDraft:
    type_name: str
    subject: str
    paragraphs: tuple[str, ...]
    until: str  # in_review, approved, signed, dispatched
    urgency: int = 0


DRAFTS = (
    DemoDraft(
        "Công văn",
        "Đề nghị các tổ dân phố rà soát công trình xây dựng không phép quý IV",
        (
            "Thực hiện chỉ đạo của Ủy ban nhân dân Thành phố về tăng cường quản lý trật tự xây "
            "dựng, Ủy ban nhân dân phường Tây Hồ đề nghị các tổ dân phố rà soát, lập danh sách "
            "công trình xây dựng không phép, sai phép trên địa bàn.",
            "Báo cáo gửi về Phòng Kinh tế, Hạ tầng và Đô thị trước ngày 25 của tháng cuối quý.",
        ),
        "in_review",
    ),
    DemoDraft(
        "Quyết định",
        "Về việc thành lập Tổ công tác chuyển đổi số phường Tây Hồ",
        (
            "Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Nghị định số 30/2020/NĐ-CP ngày "
            "05/3/2020 của Chính phủ về công tác văn thư;",
            "Điều 1. Thành lập Tổ công tác chuyển đổi số phường Tây Hồ gồm các thành viên có tên "
            "tại Phụ lục kèm theo.",
            "Điều 2. Tổ công tác có nhiệm vụ tham mưu, đôn đốc việc số hóa văn bản, hồ sơ và "
            "triển khai dịch vụ công trực tuyến trên địa bàn phường.",
            "Điều 3. Chánh Văn phòng HĐND-UBND, Trưởng các phòng, ban và các thành viên có tên "
            "tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
        "approved",
    ),
    DemoDraft(
        "Kế hoạch",
        "Tổ chức ra quân tổng vệ sinh môi trường hưởng ứng Ngày Môi trường thế giới",
        (
            "Nhằm nâng cao ý thức bảo vệ môi trường của Nhân dân, Ủy ban nhân dân phường ban hành "
            "Kế hoạch tổ chức ra quân tổng vệ sinh môi trường trên địa bàn phường.",
            "Các tổ dân phố huy động Nhân dân tham gia; lực lượng đoàn viên thanh niên làm nòng "
            "cốt; Phòng Kinh tế, Hạ tầng và Đô thị chủ trì kiểm tra, tổng hợp kết quả.",
        ),
        "signed",
        urgency=1,
    ),
    DemoDraft(
        "Thông báo",
        "Lịch tiếp công dân của Chủ tịch Ủy ban nhân dân phường tháng tới",
        (
            "Ủy ban nhân dân phường Tây Hồ thông báo lịch tiếp công dân định kỳ của Chủ tịch Ủy "
            "ban nhân dân phường vào sáng thứ Năm hằng tuần tại Trụ sở Ủy ban nhân dân phường.",
            "Đề nghị Ủy ban nhân dân phường Phú Thượng phối hợp thông báo tới công dân có nhu cầu "
            "liên hệ các nội dung liên quan đến địa bàn giáp ranh.",
        ),
        "dispatched",
    ),
)


def _draft_pdf(draft: DemoDraft, *, unit: object, recipients: list[str]) -> bytes:
    from django.utils import timezone

    from congso.kernel.pdf import render_pdf

    doc_type = DocumentType.objects.get(name=draft.type_name)
    abbr = getattr(unit, "abbreviation", "") or "UBND"
    symbol = (
        f"{abbr}-KT"
        if doc_type.is_letter or not doc_type.abbreviation
        else f"{doc_type.abbreviation}-{abbr}"
    )
    return render_pdf(
        "documents/outgoing/pdf/draft.html",
        {
            "parent": "Ủy ban nhân dân thành phố Hà Nội",
            "committee": "Ủy ban nhân dân phường Tây Hồ",
            "symbol": symbol,
            "place": "Tây Hồ",
            "year": timezone.localdate().year,
            "type_upper": "" if doc_type.is_letter else doc_type.name.upper(),
            "subject": draft.subject,
            "paragraphs": draft.paragraphs,
            "recipients": recipients,
            "authority": "TM. ỦY BAN NHÂN DÂN",
            "title": "CHỦ TỊCH",
            "signer": "Nguyễn Thị Thu Hằng",
        },
    )


def load_outgoing(ctx: DemoContext) -> int:
    from congso.documents.services import outgoing as svc
    from congso.kernel.orgunits.demo import demo_units
    from congso.kernel.orgunits.models import Department

    people = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    if set(PEOPLE) - set(people):
        raise LookupError("demo staff missing: run the staff demo first")
    units = demo_units()
    unit = units.tay_ho
    department = Department.objects.get(unit=unit, abbreviation="KT")
    other = svc.organisation_for_unit(units.phu_thuong)
    drafter, head = people["chuyenvien.kt.tayho"], people["truongphong.kt.tayho"]
    leader, clerk = people["chutich.tayho"], people["vanthu.tayho"]
    made = 0
    for draft in DRAFTS:
        if OutgoingDocument.objects.filter(unit=unit, subject=draft.subject).exists():
            continue
        recipients = (
            [other.name, "Các tổ dân phố"] if draft.until == "dispatched" else ["Các tổ dân phố"]
        )
        pdf = _draft_pdf(draft, unit=unit, recipients=recipients)
        document = svc.outgoing_draft_create(
            unit=unit,
            department=department,
            user=drafter,
            document_type=DocumentType.objects.get(name=draft.type_name),
            subject=draft.subject,
            file=ContentFile(pdf, name="du-thao.pdf"),
            urgency=draft.urgency,
            recipients=[other] if draft.until == "dispatched" else [],
            recipients_text="\n".join(recipients),
        )
        svc.outgoing_review_submit(document=document, user=drafter, reviewers=[head, leader])
        if draft.until != "in_review":
            for reviewer in (head, leader):
                document.refresh_from_db()
                step = svc.current_step(document)
                assert step is not None
                svc.outgoing_review_decide(
                    step=step, user=reviewer, decision="approved", comment="Đồng ý."
                )
        if draft.until in {"signed", "dispatched"}:
            svc.outgoing_sign(
                document=document, user=leader, signing_authority="TM.", signer_title="Chủ tịch"
            )
        if draft.until == "dispatched":
            issued = svc.outgoing_issue(document=document, user=clerk)
            svc.outgoing_dispatch(document=issued, user=clerk)
        made += 1
    return made


@register("documents.outgoing", order=65)
def load(ctx: DemoContext) -> None:
    made = load_outgoing(ctx)
    ctx.log(
        f"{made} văn bản đi mẫu mới (dự thảo, chờ ký, chờ cấp số, đã gửi), ký bằng CA thử nghiệm."
    )
