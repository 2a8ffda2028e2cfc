"""Demo files (hồ sơ) for Phường Tây Hồ: the file lists of last year and this year, approved
and issued, with the corpus's documents filed by subject; some of last year's files closed, so
the deposit list and its reminder have something to show. Idempotent: a year whose list
exists is left as it is. Loaded by ``manage.py demo`` (imported from ``documents/demo.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from congso.documents.models import (
    AccessRegime,
    File,
    FileList,
    IncomingDocument,
    OutgoingDocument,
)
from congso.kernel.core.demo import DemoContext, register
from congso.kernel.people.models import User

# (abbreviation, title, ((sub-heading or "", ((file title, retention years or None, keeper,
# subject keywords), …)), …))
STRUCTURE: tuple[Any, ...] = (
    (
        "TH",
        "Tổng hợp, hành chính",
        (
            ("Chỉ đạo, điều hành", (
                ("Tập văn bản chỉ đạo, hướng dẫn của cấp trên về công tác chung năm {year}",
                 10, "chuyenvien.vp.tayho", ("chỉ thị", "triển khai thực hiện")),
                ("Hồ sơ cải cách hành chính, chuyển đổi số năm {year}", 20,
                 "chuyenvien.vp.tayho", ("cải cách hành chính", "chuyển đổi số", "Đề án 06")),
            )),
            ("Hội nghị, báo cáo", (
                ("Hồ sơ tổng hợp ý kiến, kiến nghị của cử tri năm {year}", None,
                 "chuyenvien.vp.tayho", ("cử tri",)),
                ("Hồ sơ kế hoạch phát triển kinh tế - xã hội năm {next}", None,
                 "chuyenvien.vp.tayho", ("kinh tế - xã hội",)),
            )),
        ),
    ),
    (
        "TCCB",
        "Tổ chức, cán bộ",
        (
            ("", (
                ("Hồ sơ đánh giá, xếp loại cán bộ, công chức năm {year}", 70,
                 "chuyenvien.vp.tayho", ("cán bộ, công chức",)),
                ("Hồ sơ thi đua, khen thưởng năm {year}", 20, "chuyenvien.vp.tayho",
                 ("thi đua",)),
            )),
        ),
    ),
    (
        "KT",
        "Kinh tế, hạ tầng và đô thị",
        (
            ("Trật tự xây dựng", (
                ("Hồ sơ kiểm tra, xử lý vi phạm trật tự xây dựng năm {year}", 10,
                 "chuyenvien.kt.tayho", ("trật tự xây dựng", "không phép", "cấp phép xây dựng")),
            )),
            ("Giải phóng mặt bằng, đất đai", (
                ("Hồ sơ giải phóng mặt bằng các dự án trên địa bàn năm {year}", None,
                 "chuyenvien.kt.tayho", ("giải phóng mặt bằng", "bồi thường", "kiểm đếm",
                                         "thu hồi đất")),
                ("Hồ sơ quản lý đất công, trật tự đô thị năm {year}", 20,
                 "chuyenvien.kt.tayho", ("đất công", "vỉa hè", "trật tự đô thị")),
            )),
        ),
    ),
    (
        "VHXH",
        "Văn hóa - xã hội",
        (
            ("", (
                ("Hồ sơ tổ chức các ngày lễ, sự kiện năm {year}", 10, "chuyenvien.vhxh.tayho",
                 ("chào mừng", "chuẩn bị tổ chức", "Ngày hội")),
                ("Hồ sơ bảo hiểm xã hội, trợ cấp xã hội năm {year}", 10,
                 "chuyenvien.vhxh.tayho", ("bảo hiểm", "trợ cấp")),
            )),
        ),
    ),
    (
        "QSAN",
        "Quân sự, an ninh, trật tự",
        (
            ("", (
                ("Hồ sơ tuyển chọn và gọi công dân nhập ngũ năm {next}", 10,
                 "chuyenvien.vp.tayho", ("nhập ngũ", "nghĩa vụ quân sự", "dân quân")),
                ("Hồ sơ bảo đảm an ninh, trật tự, phòng cháy chữa cháy năm {year}", 10,
                 "chuyenvien.vp.tayho", ("an ninh", "phòng cháy")),
            )),
        ),
    ),
)  # fmt: skip

PER_FILE = 12


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _documents_for(
    unit_id: int, year: int, keywords: tuple[str, ...]
) -> list[IncomingDocument | OutgoingDocument]:
    match = Q()
    for word in keywords:
        match |= Q(subject__icontains=word)
    incoming = list(
        IncomingDocument.objects.filter(match, unit_id=unit_id, arrival_year=year, secrecy=0)
        .exclude(status="recalled")
        .order_by("arrived_at", "pk")[:PER_FILE]
    )
    outgoing = list(
        OutgoingDocument.objects.filter(
            match, unit_id=unit_id, year=year, secrecy=0, status="issued", number__isnull=False
        ).order_by("issued_date", "pk")[: PER_FILE // 2]
    )
    return [*incoming, *outgoing]


def _build(ctx: DemoContext, year: int, clerk: User, leader: User) -> tuple[int, int]:
    from congso.documents.services import filing
    from congso.kernel.orgunits.demo import demo_units

    unit = demo_units().tay_ho
    file_list = filing.file_list_create(user=clerk, unit=unit, year=year)
    files: list[tuple[File, tuple[str, ...]]] = []
    for abbreviation, title, subs in STRUCTURE:
        top = filing.heading_create(
            user=clerk, file_list=file_list, title=title, abbreviation=abbreviation
        )
        for sub_title, rows in subs:
            heading = (
                filing.heading_create(user=clerk, file_list=file_list, title=sub_title, parent=top)
                if sub_title
                else top
            )
            for file_title, retention, keeper, keywords in rows:
                file = filing.file_create(
                    user=clerk,
                    heading=heading,
                    title=file_title.format(year=year, next=year + 1),
                    retention_years=retention,
                    keeper=_user(keeper),
                    access=AccessRegime.PUBLIC,
                )
                files.append((file, keywords))
    filing.file_list_approve(
        user=leader, file_list=file_list, decision_notation=f"01/QĐ-UBND ngày 05/01/{year}"
    )
    filing.file_list_issue(user=clerk, file_list=file_list)
    issued = timezone.make_aware(dt.datetime(year, 1, 5, 9, 0))
    FileList.objects.filter(pk=file_list.pk).update(approved_at=issued, issued_at=issued)
    File.objects.filter(file_list=file_list).update(opened_at=issued)
    filed = 0
    seen: set[tuple[str, int]] = set()
    for file, keywords in files:
        for document in _documents_for(unit.pk, year, keywords):
            key = (type(document).__name__, document.pk)
            if key in seen:
                continue
            seen.add(key)
            filing.file_add_document(user=clerk, file=file, document=document)
            filed += 1
    closed = 0
    if year < ctx.today.year:
        # Last year's finished work: closed about eleven months ago, so the files kept five
        # years or more are due for deposit within the next month.
        when = timezone.make_aware(
            dt.datetime.combine(ctx.today - dt.timedelta(days=340), dt.time(16, 0))
        )
        for file, _keywords in files:
            if not file.entries.exists():
                continue
            filing.file_close(
                user=clerk,
                file=file,
                closing_note=f"Hồ sơ gồm {file.entries.count()} văn bản; văn bản đầy đủ, "
                "tình trạng tốt.",
            )
            File.objects.filter(pk=file.pk).update(closed_at=when)
            closed += 1
    return filed, closed


@register("documents.files", order=70)
def load(ctx: DemoContext) -> None:
    from congso.kernel.orgunits.demo import demo_units

    unit = demo_units().tay_ho
    clerk = _user("vanthu.tayho")
    leader = _user("chutich.tayho")
    if clerk is None or leader is None:
        ctx.log("Bỏ qua hồ sơ mẫu: thiếu tài khoản văn thư hoặc chủ tịch phường Tây Hồ.")
        return
    for year in (ctx.today.year - 1, ctx.today.year):
        if FileList.objects.filter(unit=unit, year=year).exists():
            ctx.log(f"Danh mục hồ sơ năm {year} đã có.")
            continue
        filed, closed = _build(ctx, year, clerk, leader)
        ctx.log(
            f"Danh mục hồ sơ năm {year} của {unit.name}: đã ban hành, {filed} văn bản được "
            f"đưa vào hồ sơ, {closed} hồ sơ đã kết thúc."
        )
