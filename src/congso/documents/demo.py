"""Demo data of the documents domain (``manage.py demo``; no real personal data).

- The directory of organisations: a handful of real senders of a Hà Nội ward committee, with
  organisation codes that are clearly fake (suffix ``-DEMO``; the real ones come from the
  province's official list), and one entry for each committee served by the platform, linked to
  its unit, so that documents sent between them travel inside the platform.
- A few dozen incoming documents of Phường Tây Hồ over the last weeks, registered through the
  real service by the clerk (each with a generated PDF letter that has a Vietnamese text layer):
  presented, assigned with deadlines, some in progress, some done, some overdue, a few urgent.

Extending it: the corpus generator (thousands of documents over 2021–2026) builds
``IncomingSpec`` rows and calls ``register_demo_incoming(spec, ...)`` for each, which is
idempotent (a document is found again by unit, sender and notation) and goes through
``incoming_register`` / ``incoming_present`` / ``incoming_assign`` / ``incoming_complete``.
Areas add their own loaders below their heading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congso.documents.models import DocumentType, IncomingDocument, Organisation
from congso.kernel.calendar.services import add_working_days
from congso.kernel.core.demo import DemoContext, register
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User

# --- the directory of organisations ----------------------------------------------------------

#: (name, organisation code — fake, abbreviation used in their notations)
DEMO_SENDERS: tuple[tuple[str, str, str], ...] = (
    ("Ủy ban nhân dân thành phố Hà Nội", "H26-DEMO", "UBND"),
    ("Văn phòng Ủy ban nhân dân thành phố Hà Nội", "H26.VP-DEMO", "VP"),
    ("Sở Xây dựng thành phố Hà Nội", "H26.SXD-DEMO", "SXD"),
    ("Sở Nội vụ thành phố Hà Nội", "H26.SNV-DEMO", "SNV"),
    ("Sở Tài chính thành phố Hà Nội", "H26.STC-DEMO", "STC"),
    ("Sở Nông nghiệp và Môi trường thành phố Hà Nội", "H26.SNNMT-DEMO", "SNNMT"),
    ("Sở Văn hóa và Thể thao thành phố Hà Nội", "H26.SVHTT-DEMO", "SVHTT"),
    ("Sở Y tế thành phố Hà Nội", "H26.SYT-DEMO", "SYT"),
    ("Thanh tra thành phố Hà Nội", "H26.TTr-DEMO", "TTr"),
    ("Bảo hiểm xã hội thành phố Hà Nội", "H26.BHXH-DEMO", "BHXH"),
    ("Công an phường Tây Hồ", "H26.CA.103-DEMO", "CAP"),
    ("Đảng ủy phường Tây Hồ", "H26.ĐU.103-DEMO", "ĐU"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam phường Tây Hồ", "H26.MTTQ.103-DEMO", "MTTQ"),
)


def seed_organisations(units: Iterable[AdminUnit] = ()) -> tuple[int, int]:
    """The demo senders and one directory entry per served committee; (created, linked)."""
    from congso.documents.services.incoming import organisation_ensure_for_unit

    created = 0
    for name, code, abbreviation in DEMO_SENDERS:
        _org, made = Organisation.objects.get_or_create(
            name=name, defaults={"org_code": code, "abbreviation": abbreviation}
        )
        created += made
    linked = 0
    for unit in units:
        before = Organisation.objects.filter(unit=unit).exists()
        organisation_ensure_for_unit(unit=unit)
        linked += not before
    return created, linked


# --- incoming documents ----------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingSpec:
    """One demo incoming document and how far it went.

    ``state``: "registered", "presented", "assigned", "in_progress", "done". ``lead`` is a
    username or a department abbreviation; ``deadline_days`` working days after assignment
    (a document assigned long enough ago with a short deadline ends up overdue).
    """

    days_ago: int
    sender: str
    type_name: str
    notation: str
    subject: str
    body: str = ""
    urgency: int = 0
    state: str = "assigned"
    lead: str = "chuyenvien.kt.tayho"
    cooperating: tuple[str, ...] = ()
    instruction: str = ""
    deadline_days: int | None = 5
    signer: tuple[str, str] = ("", "")
    progress: tuple[str, ...] = field(default_factory=tuple)
    result: str = ""


def _letter(spec: IncomingSpec, issued: dt.date) -> bytes:
    from congso.documents.textpdf import Line, render

    lines = [
        Line(spec.sender.upper(), align="center"),
        Line(f"Số: {spec.notation}", align="center", space_after=6),
        Line(
            f"Hà Nội, ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}",
            align="right",
            space_after=12,
        ),
        Line(spec.type_name.upper(), align="center"),
        Line(spec.subject, align="center", space_after=12),
        Line(
            spec.body
            or (
                "Căn cứ chức năng, nhiệm vụ được giao, đề nghị Ủy ban nhân dân phường Tây Hồ "
                "triển khai thực hiện nội dung nêu trên, báo cáo kết quả theo thời hạn quy định."
            ),
            align="wrap",
            indent=28,
            space_after=24,
        ),
        Line(spec.signer[1] or "TL. GIÁM ĐỐC", align="right"),
        Line(spec.signer[0] or "(đã ký)", align="right"),
    ]
    return render(lines, title=f"{spec.type_name} {spec.notation}")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


def register_demo_incoming(
    spec: IncomingSpec,
    *,
    unit: AdminUnit,
    clerk: User,
    leader: User,
    people: dict[str, User],
    today: dt.date,
) -> IncomingDocument | None:
    """Register one demo document and take it as far as ``spec.state`` says, through the
    services. Returns None when it is already there (the demo runs again)."""
    from congso.documents.services.incoming import (
        incoming_assign,
        incoming_complete,
        incoming_present,
        incoming_progress_add,
        incoming_register,
    )

    if IncomingDocument.objects.filter(
        unit=unit, sender_name=spec.sender, notation=spec.notation
    ).exists():
        return None
    arrived_day = today - dt.timedelta(days=spec.days_ago)
    issued = arrived_day - dt.timedelta(days=2 if spec.days_ago % 3 else 1)
    sender = Organisation.objects.filter(name=spec.sender).first()
    document = incoming_register(
        unit=unit,
        user=clerk,
        files=[SimpleUploadedFile(f"{spec.notation.replace('/', '-')}.pdf", _letter(spec, issued))],
        channel="electronic" if spec.days_ago % 2 else "paper",
        sender=sender,
        sender_name=spec.sender,
        document_type=DocumentType.objects.get(name=spec.type_name),
        notation=spec.notation,
        issued_date=issued,
        subject=spec.subject,
        signer_name=spec.signer[0],
        signer_position=spec.signer[1],
        urgency=spec.urgency,
        arrived_at=min(_at(arrived_day, 8 + spec.days_ago % 8), timezone.now()),
    )
    if spec.state == "registered":
        return document
    incoming_present(document=document, user=clerk, leader=leader)
    if spec.state == "presented":
        return document
    lead_user = people.get(spec.lead)
    lead_department = (
        None if lead_user else Department.objects.filter(unit=unit, abbreviation=spec.lead).first()
    )
    assigned_at = min(_at(min(arrived_day + dt.timedelta(days=1), today), 10), timezone.now())
    deadline = (
        add_working_days(timezone.localtime(assigned_at).date(), spec.deadline_days)
        if spec.deadline_days
        else None
    )
    assignment = incoming_assign(
        document=document,
        user=leader,
        lead_user=lead_user,
        lead_department=lead_department,
        cooperating_departments=list(
            Department.objects.filter(unit=unit, abbreviation__in=spec.cooperating)
        ),
        instruction=spec.instruction,
        deadline=deadline,
        assigned_at=assigned_at,
    )
    handler = lead_user or next(
        (u for u in people.values() if u.positions.filter(department=lead_department).exists()),
        leader,
    )
    for text in spec.progress:
        incoming_progress_add(assignment=assignment, user=handler, text=text)
    if spec.state == "done":
        incoming_complete(
            assignment=assignment,
            user=handler,
            result_note=spec.result or "Đã giải quyết, báo cáo lãnh đạo UBND phường.",
        )
    return document


#: The demo's Phường Tây Hồ documents, oldest first (they are registered in this order, so the
#: arrival numbers follow the arrival dates).
TAY_HO_INCOMING: tuple[IncomingSpec, ...] = (
    IncomingSpec(
        58,
        "Ủy ban nhân dân thành phố Hà Nội",
        "Kế hoạch",
        "212/KH-UBND",
        "Kế hoạch thực hiện chuyển đổi số năm 2026 trên địa bàn thành phố Hà Nội",
        state="done",
        lead="chuyenvien.vp.tayho",
        cooperating=("KT",),
        instruction="Văn phòng chủ trì xây dựng kế hoạch của phường.",
        deadline_days=10,
        result="Đã ban hành Kế hoạch của UBND phường.",
        signer=("Nguyễn Mạnh Quyền", "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH"),
    ),
    IncomingSpec(
        55,
        "Sở Xây dựng thành phố Hà Nội",
        "Công văn",
        "1487/SXD-TTr",
        "V/v tăng cường kiểm tra, xử lý vi phạm trật tự xây dựng quý I năm 2026",
        state="done",
        lead="KT",
        deadline_days=7,
        progress=("Đã lập kế hoạch kiểm tra 12 công trình.",),
        result="Đã kiểm tra 12 công trình, lập biên bản 2 trường hợp vi phạm.",
    ),
    IncomingSpec(
        52,
        "Sở Nội vụ thành phố Hà Nội",
        "Công văn",
        "655/SNV-CCVC",
        "V/v báo cáo số lượng, chất lượng cán bộ, công chức cấp xã năm 2025",
        state="done",
        lead="chuyenvien.vp.tayho",
        deadline_days=5,
        result="Đã gửi báo cáo bằng văn bản điện tử.",
    ),
    IncomingSpec(
        49,
        "Công an phường Tây Hồ",
        "Công văn",
        "118/CAP-ĐTTH",
        "V/v phối hợp bảo đảm an ninh trật tự dịp Tết Nguyên đán",
        urgency=1,
        state="done",
        lead="chuyenvien.vhxh.tayho",
        deadline_days=3,
        result="Đã phối hợp tuần tra, không phát sinh vụ việc.",
    ),
    IncomingSpec(
        46,
        "Sở Tài chính thành phố Hà Nội",
        "Hướng dẫn",
        "34/HD-STC",
        "Hướng dẫn quyết toán kinh phí ngân sách cấp xã năm 2025",
        state="done",
        lead="chuyenvien.vp.tayho",
        deadline_days=10,
    ),
    IncomingSpec(
        43,
        "Văn phòng Ủy ban nhân dân thành phố Hà Nội",
        "Thông báo",
        "97/TB-VP",
        "Thông báo kết luận của Chủ tịch UBND Thành phố tại buổi làm việc với các phường",
        state="done",
        lead="chuyenvien.vp.tayho",
        deadline_days=5,
    ),
    IncomingSpec(
        40,
        "Sở Nông nghiệp và Môi trường thành phố Hà Nội",
        "Công văn",
        "2210/SNNMT-QLĐĐ",
        "V/v rà soát hiện trạng sử dụng đất ven hồ Tây",
        state="in_progress",
        lead="chuyenvien.kt.tayho",
        deadline_days=15,
        progress=("Đã rà soát 40% diện tích, đang đối chiếu bản đồ địa chính.",),
    ),
    IncomingSpec(
        37,
        "Sở Văn hóa và Thể thao thành phố Hà Nội",
        "Kế hoạch",
        "45/KH-SVHTT",
        "Kế hoạch tổ chức Lễ hội hoa đào Nhật Tân năm 2026",
        state="done",
        lead="chuyenvien.vhxh.tayho",
        deadline_days=8,
    ),
    IncomingSpec(
        34,
        "Thanh tra thành phố Hà Nội",
        "Công văn",
        "310/TTr-P3",
        "V/v cung cấp hồ sơ giải quyết đơn thư khiếu nại của công dân",
        state="in_progress",
        lead="chuyenvien.vp.tayho",
        deadline_days=5,
        instruction="Khẩn trương tập hợp hồ sơ, báo cáo trước ngày họp.",
        progress=("Đã tập hợp 3/5 bộ hồ sơ.",),
    ),
    IncomingSpec(
        31,
        "Sở Y tế thành phố Hà Nội",
        "Công văn",
        "1822/SYT-NVY",
        "V/v triển khai chiến dịch tiêm chủng bổ sung vắc xin sởi",
        urgency=2,
        state="done",
        lead="chuyenvien.vhxh.tayho",
        deadline_days=4,
    ),
    IncomingSpec(
        28,
        "Ủy ban nhân dân thành phố Hà Nội",
        "Quyết định",
        "06/2026/QĐ-UBND",
        "Quyết định ban hành Quy định phân cấp quản lý trật tự xây dựng trên địa bàn "
        "thành phố Hà Nội",
        state="assigned",
        lead="KT",
        cooperating=("VP",),
        deadline_days=10,
        instruction="Phòng KT nghiên cứu, tham mưu triển khai trên địa bàn phường.",
    ),
    IncomingSpec(
        26,
        "Bảo hiểm xã hội thành phố Hà Nội",
        "Công văn",
        "402/BHXH-QLT",
        "V/v đôn đốc phát triển người tham gia bảo hiểm xã hội tự nguyện",
        state="assigned",
        lead="chuyenvien.vhxh.tayho",
        deadline_days=6,
    ),
    IncomingSpec(
        24,
        "Đảng ủy phường Tây Hồ",
        "Kế hoạch",
        "15-KH/ĐU",
        "Kế hoạch kiểm tra, giám sát năm 2026",
        state="done",
        lead="chuyenvien.vp.tayho",
        deadline_days=10,
    ),
    IncomingSpec(
        21,
        "Sở Xây dựng thành phố Hà Nội",
        "Công văn",
        "2034/SXD-QLCL",
        "V/v kiểm tra an toàn công trình nhà ở riêng lẻ cao tầng",
        urgency=1,
        state="in_progress",
        lead="chuyenvien.kt.tayho",
        deadline_days=5,
        progress=("Đã kiểm tra 6 công trình trên đường Lạc Long Quân.",),
    ),
    IncomingSpec(
        19,
        "Sở Nội vụ thành phố Hà Nội",
        "Công văn",
        "822/SNV-TCBC",
        "V/v rà soát vị trí việc làm sau sắp xếp đơn vị hành chính",
        state="assigned",
        lead="chuyenvien.vp.tayho",
        deadline_days=4,
        instruction="Báo cáo đúng hạn, không để chậm.",
    ),
    IncomingSpec(
        17,
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường Tây Hồ",
        "Công văn",
        "27/MTTQ-BTT",
        "V/v phối hợp tổ chức Ngày hội Đại đoàn kết toàn dân tộc",
        state="done",
        lead="chuyenvien.vhxh.tayho",
        deadline_days=10,
    ),
    IncomingSpec(
        14,
        "Sở Nông nghiệp và Môi trường thành phố Hà Nội",
        "Công văn",
        "2561/SNNMT-MT",
        "V/v thu gom, xử lý rác thải sinh hoạt ven hồ Tây",
        state="assigned",
        lead="KT",
        deadline_days=7,
    ),
    IncomingSpec(
        12,
        "Công an phường Tây Hồ",
        "Công văn",
        "141/CAP-QLHC",
        "V/v phối hợp rà soát cư trú trên địa bàn phường",
        state="assigned",
        lead="chuyenvien.vhxh.tayho",
        deadline_days=5,
    ),
    IncomingSpec(
        10,
        "Văn phòng Ủy ban nhân dân thành phố Hà Nội",
        "Giấy mời",
        "311/GM-VP",
        "Giấy mời dự hội nghị trực tuyến về cải cách hành chính",
        urgency=1,
        state="done",
        lead="chuyenvien.vp.tayho",
        deadline_days=1,
        result="Lãnh đạo UBND phường đã dự hội nghị.",
    ),
    IncomingSpec(
        9,
        "Sở Tài chính thành phố Hà Nội",
        "Công văn",
        "1290/STC-QLNS",
        "V/v lập dự toán ngân sách năm 2027",
        state="in_progress",
        lead="chuyenvien.vp.tayho",
        deadline_days=12,
        progress=("Đã gửi biểu mẫu cho các bộ phận.",),
    ),
    IncomingSpec(
        7,
        "Sở Xây dựng thành phố Hà Nội",
        "Công văn",
        "2398/SXD-TTr",
        "V/v báo cáo kết quả xử lý vi phạm trật tự xây dựng tháng trước",
        state="assigned",
        lead="chuyenvien.kt.tayho",
        deadline_days=3,
    ),
    IncomingSpec(
        6,
        "Ủy ban nhân dân thành phố Hà Nội",
        "Chỉ thị",
        "04/CT-UBND",
        "Chỉ thị về tăng cường công tác phòng cháy, chữa cháy nhà ở kết hợp kinh doanh",
        urgency=2,
        state="assigned",
        lead="KT",
        cooperating=("VHXH",),
        deadline_days=8,
        instruction="Triển khai ngay, báo cáo hằng tuần.",
    ),
    IncomingSpec(
        5,
        "Sở Y tế thành phố Hà Nội",
        "Công văn",
        "2040/SYT-NVD",
        "V/v kiểm tra an toàn thực phẩm tại các cơ sở kinh doanh ăn uống",
        state="assigned",
        lead="chuyenvien.vhxh.tayho",
        deadline_days=6,
    ),
    IncomingSpec(
        4,
        "Sở Văn hóa và Thể thao thành phố Hà Nội",
        "Công văn",
        "612/SVHTT-QLVH",
        "V/v quản lý hoạt động quảng cáo ngoài trời trên địa bàn",
        state="presented",
    ),
    IncomingSpec(
        3,
        "Thanh tra thành phố Hà Nội",
        "Giấy mời",
        "88/GM-TTr",
        "Giấy mời dự buổi công bố kết luận thanh tra",
        urgency=1,
        state="presented",
    ),
    IncomingSpec(
        2,
        "Sở Nội vụ thành phố Hà Nội",
        "Công văn",
        "901/SNV-CQĐP",
        "V/v đánh giá kết quả vận hành chính quyền địa phương hai cấp",
        state="assigned",
        lead="chuyenvien.vp.tayho",
        deadline_days=5,
    ),
    IncomingSpec(
        2,
        "Bảo hiểm xã hội thành phố Hà Nội",
        "Thông báo",
        "77/TB-BHXH",
        "Thông báo kết quả đối chiếu dữ liệu người tham gia bảo hiểm y tế",
        state="registered",
    ),
    IncomingSpec(
        1,
        "Ủy ban nhân dân thành phố Hà Nội",
        "Công điện",
        "09/CĐ-UBND",
        "Công điện về việc chủ động ứng phó với mưa lớn, ngập úng",
        urgency=3,
        state="assigned",
        lead="KT",
        cooperating=("VP", "VHXH"),
        deadline_days=1,
        instruction="Triển khai ngay trong ngày, trực 24/24.",
    ),
    IncomingSpec(
        1,
        "Sở Xây dựng thành phố Hà Nội",
        "Công văn",
        "2477/SXD-QLN",
        "V/v khảo sát nhà chung cư cũ cần cải tạo",
        state="registered",
    ),
    IncomingSpec(
        0,
        "Đảng ủy phường Tây Hồ",
        "Thông báo",
        "42-TB/ĐU",
        "Thông báo ý kiến chỉ đạo của Thường trực Đảng ủy về công tác cán bộ",
        state="registered",
    ),
    IncomingSpec(
        0,
        "Sở Tài chính thành phố Hà Nội",
        "Công văn",
        "1402/STC-TCĐN",
        "V/v rà soát, sắp xếp lại nhà, đất công sau sắp xếp đơn vị hành chính",
        urgency=1,
        state="registered",
    ),
)

DEMO_PEOPLE = (
    "vanthu.tayho",
    "chutich.tayho",
    "phochutich.tayho",
    "chuyenvien.vp.tayho",
    "chuyenvien.kt.tayho",
    "chuyenvien.vhxh.tayho",
)


def load_incoming(
    ctx: DemoContext, specs: Sequence[IncomingSpec] = TAY_HO_INCOMING, *, unit: AdminUnit
) -> int:
    """Register ``specs`` in ``unit`` (idempotent); returns how many were new."""
    people = {u.username: u for u in User.objects.filter(username__in=DEMO_PEOPLE)}
    missing = set(DEMO_PEOPLE) - set(people)
    if missing:
        raise LookupError(f"demo staff missing ({', '.join(sorted(missing))}): run the staff demo")
    made = 0
    for spec in sorted(specs, key=lambda s: -s.days_ago):
        leader = people["phochutich.tayho"] if spec.days_ago % 2 else people["chutich.tayho"]
        made += (
            register_demo_incoming(
                spec,
                unit=unit,
                clerk=people["vanthu.tayho"],
                leader=leader,
                people=people,
                today=ctx.today,
            )
            is not None
        )
    return made


@register("documents.incoming", order=40)
def load(ctx: DemoContext) -> None:
    from congso.kernel.orgunits.demo import demo_units

    units = demo_units()
    created, linked = seed_organisations(units.served)
    made = load_incoming(ctx, unit=units.tay_ho)
    ctx.log(
        f"Danh bạ cơ quan: {created} mục mới, {linked} phường nối vào hệ thống; "
        f"{made} văn bản đến mẫu mới ở {units.tay_ho.name}."
    )


# Files (hồ sơ): the file lists of Phường Tây Hồ, loaded after the corpus (order 70).
from congso.documents import demo_filing  # noqa: E402, F401
