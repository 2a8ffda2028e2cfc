"""Demo field reports: ~300 reports around Hồ Tây in Phường Tây Hồ and Phường Phú Thượng,
from 01/07/2025 (the new wards) to today, every point inside the ward's (approximate, demo)
boundary set by the geography loader (order 25). Realistic categories and outcomes: most older
reports answered and closed, some refused or merged, a share rated; recent ones waiting, some
past their working-hour limit now. Fictional content, no personal data (contacts are invented
placeholders, most reports anonymous). Bulk-inserted (no audit events: demo history); the search
loader (order 990) indexes them. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from congso.kernel.core.demo import DemoContext, register

SEED = 2026

#: (category code, descriptions, answers) — what people around Hồ Tây write about.
TEXTS: dict[str, tuple[list[str], list[str]]] = {
    "moi-truong": (
        [
            "Rác thải sinh hoạt tập kết bừa bãi ở đầu ngõ {n} {street}, bốc mùi, ruồi nhặng nhiều.",
            "Phế thải xây dựng bị đổ trộm ban đêm trên vỉa hè {street}, gần số nhà {n}.",
            "Khói đốt rác ở bãi đất trống cạnh {street} gây ô nhiễm khu dân cư buổi tối.",
            "Xe chở vật liệu làm rơi vãi đất cát dọc {street}, bụi mù mịt.",
        ],
        [
            "UBND phường đã chỉ đạo đơn vị vệ sinh môi trường thu gom ngay trong ngày; tổ dân phố "
            "tăng cường giám sát, xử phạt hành vi đổ rác sai quy định.",
            "Đã thu gom toàn bộ phế thải; lập biên bản xử phạt chủ phương tiện đổ trộm.",
        ],
    ),
    "giao-thong": (
        [
            "Ổ gà lớn trên mặt đường {street} đoạn trước số {n}, xe máy dễ ngã khi trời mưa.",
            "Biển báo cấm đỗ xe trên {street} bị đổ, nằm ven đường nhiều ngày.",
            "Ô tô đỗ kín hai bên {street} giờ cao điểm gây ùn tắc kéo dài.",
            "Nắp cống trên lòng đường {street} bị lún, xe qua rất nguy hiểm.",
        ],
        [
            "Đã phối hợp đơn vị duy tu vá ổ gà, hoàn trả mặt đường; đoạn đường đã thông thoáng.",
            "Lực lượng trật tự đô thị đã xử lý các trường hợp đỗ xe sai quy định và lắp lại "
            "biển báo.",
        ],
    ),
    "chieu-sang": (
        [
            "Cụm đèn chiếu sáng trên {street} (khoảng số {n}) tắt nhiều đêm liền, đường rất tối.",
            "Đèn đường ven hồ đoạn {street} sáng cả ban ngày, lãng phí điện.",
            "Cột đèn trước số {n} {street} bị nghiêng, hở dây điện ở chân cột.",
        ],
        [
            "Đơn vị quản lý chiếu sáng đã thay bóng và sửa tủ điện; hệ thống đã hoạt động "
            "bình thường.",
            "Đã cô lập điện, dựng lại cột và bọc lại dây; cảm ơn người dân đã phản ánh.",
        ],
    ),
    "trat-tu-xay-dung": (
        [
            "Công trình tại số {n} {street} đang xây thêm tầng, không treo biển báo giấy phép.",
            "Nhà số {n} {street} cơi nới ban công lấn ra không gian vỉa hè.",
            "Xây dựng nhà tạm trên đất ven hồ gần {street}, nghi lấn chiếm đất công.",
        ],
        [
            "Đoàn kiểm tra đã lập biên bản vi phạm, yêu cầu dừng thi công và tự khắc phục; phường "
            "tiếp tục theo dõi việc chấp hành.",
            "Kiểm tra thực tế: công trình có giấy phép xây dựng, thi công đúng giấy phép.",
        ],
    ),
    "trat-tu-cong-cong": (
        [
            "Quán ăn trên {street} bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường.",
            "Biển quảng cáo dựng trái phép trên vỉa hè trước số {n} {street}.",
            "Hát karaoke ngoài trời khu vực ven hồ đầu {street} đến khuya, ồn ào.",
        ],
        [
            "Tổ trật tự đô thị đã kiểm tra, yêu cầu các hộ thu dọn, trả lại vỉa hè cho "
            "người đi bộ.",
            "Công an phường đã nhắc nhở, lập biên bản xử lý hành vi gây ồn ào sau 22 giờ.",
        ],
    ),
    "an-ninh-an-toan": (
        [
            "Hố đào đường trên {street} không có rào chắn, không có đèn cảnh báo ban đêm.",
            "Dây cáp viễn thông võng thấp qua {street}, xe tải dễ vướng.",
        ],
        [
            "Đã yêu cầu đơn vị thi công rào chắn, lắp đèn cảnh báo ngay trong buổi sáng.",
            "Đơn vị quản lý cáp đã căng lại, bó gọn dây; nguy cơ mất an toàn đã được khắc phục.",
        ],
    ),
    "cay-xanh": (
        [
            "Cây sấu trước số {n} {street} có cành khô lớn, có nguy cơ gãy khi mưa bão.",
            "Cây xanh bị đổ chắn một nửa lòng đường {street} sau cơn giông.",
            "Có người chặt hạ cây xanh trên vỉa hè {street}, nghi không có phép.",
        ],
        [
            "Công ty cây xanh đã cắt tỉa cành khô, khơi thông lối đi.",
            "Đã dọn cây đổ và trồng thay thế; vụ chặt cây đã được lập biên bản.",
        ],
    ),
    "thoat-nuoc": (
        [
            "Sau mưa, {street} ngập sâu khoảng 30 cm, nước rút rất chậm.",
            "Hố ga trước số {n} {street} mất nắp, rất nguy hiểm cho người đi đường.",
            "Cống thoát nước ngõ {n} {street} tắc, nước thải tràn ra đường.",
        ],
        [
            "Công ty thoát nước đã nạo vét cống, lắp lại nắp hố ga; đường không còn đọng nước.",
            "Đã khơi thông dòng chảy và đưa điểm ngập vào kế hoạch cải tạo năm nay.",
        ],
    ),
    "ho-tay-mat-nuoc": (
        [
            "Nhiều rác và bèo trôi dạt sát bờ kè Hồ Tây đoạn {street}, bốc mùi.",
            "Cá chết nổi rải rác ven hồ khu vực {street}.",
            "Bờ kè ven hồ đoạn {street} bị sạt, lan can gãy.",
        ],
        [
            "Đơn vị quản lý hồ đã vớt rác, bèo; tăng tần suất vệ sinh mặt nước khu vực này.",
            "Đã rào tạm đoạn kè sạt và đề nghị thành phố sửa chữa.",
        ],
    ),
    "khac": (
        [
            "Bảng tin tổ dân phố trên {street} hỏng kính, thông tin cũ chưa thay.",
            "Đề nghị lắp thêm ghế đá khu vực vườn hoa gần {street}.",
        ],
        ["UBND phường ghi nhận kiến nghị và đã giao tổ dân phố thực hiện."],
    ),
}

STREETS = {
    "tay_ho": [
        "Xuân Diệu",
        "Đặng Thai Mai",
        "Tô Ngọc Vân",
        "Quảng An",
        "Nhật Chiêu",
        "Âu Cơ",
        "Nghi Tàm",
        "Tứ Liên",
        "Yên Phụ",
        "Võ Chí Công",
    ],
    "phu_thuong": [
        "Phú Thượng",
        "An Dương Vương",
        "Phú Gia",
        "Lạc Long Quân",
        "Nhật Tân",
        "Võ Chí Công",
    ],
}
WEIGHTS = {
    "moi-truong": 22,
    "giao-thong": 14,
    "chieu-sang": 14,
    "trat-tu-xay-dung": 10,
    "trat-tu-cong-cong": 12,
    "an-ninh-an-toan": 4,
    "cay-xanh": 8,
    "thoat-nuoc": 9,
    "ho-tay-mat-nuoc": 5,
    "khac": 2,
}
REFUSALS = [
    "Nội dung thuộc thẩm quyền giải quyết khiếu nại, đề nghị gửi đơn theo quy định.",
    "Vị trí phản ánh không thuộc địa bàn phường; đã hướng dẫn gửi đến phường liên quan.",
    "Nội dung không rõ ràng, không xác định được vị trí sự việc.",
]


def _point_in(unit: Any, rng: random.Random) -> tuple[float, float]:
    from congso.urban.geo import point_in_geometry, unit_bbox

    min_lat, min_lon, max_lat, max_lon = unit_bbox(unit)
    for _ in range(500):
        lat = round(rng.uniform(min_lat, max_lat), 6)
        lon = round(rng.uniform(min_lon, max_lon), 6)
        if point_in_geometry(lat, lon, unit.boundary):
            return lat, lon
    raise RuntimeError(f"no point found inside {unit.name}")


def _working_moment(day: dt.date, rng: random.Random) -> dt.datetime:
    tz = timezone.get_current_timezone()
    hour = rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 18, 20])
    return dt.datetime.combine(day, dt.time(hour, rng.randrange(0, 60)), tzinfo=tz)


def build(ctx: DemoContext, unit: Any, key: str, count: int, rng: random.Random) -> list[Any]:
    from congso.kernel.calendar.services import add_working_hours, working_hours_between
    from congso.kernel.orgunits.models import Department
    from congso.kernel.people.models import Position, Role, User
    from congso.urban.reports import services
    from congso.urban.reports.models import (
        FieldReport,
        ReportCategory,
        ReportChannel,
        ReportLevel,
        ReportStatus,
    )

    categories = {c.code: c for c in ReportCategory.objects.filter(code__in=list(TEXTS))}
    codes = [c for c in WEIGHTS if c in categories]
    weights = [WEIGHTS[c] for c in codes]
    departments = {d.abbreviation: d for d in Department.objects.filter(unit=unit)}
    inspectors = list(
        User.objects.filter(
            pk__in=Position.objects.filter(unit=unit, role=Role.INSPECTOR).values("user_id")
        )
    )
    start = dt.date(2025, 7, 1)
    span = (ctx.today - start).days
    now = timezone.now()
    rows: list[FieldReport] = []
    for i in range(count):
        code = rng.choices(codes, weights)[0]
        category = categories[code]
        descriptions, answers = TEXTS[code]
        street = rng.choice(STREETS[key])
        text = rng.choice(descriptions).format(street=street, n=rng.randrange(2, 180))
        # Recent reports are denser (the service becomes known); the last ones are still open.
        age = int(span * (rng.random() ** 1.6)) if i >= 12 else rng.randrange(0, 6)
        received = _working_moment(ctx.today - dt.timedelta(days=age), rng)
        if received > now:
            received = now - dt.timedelta(minutes=rng.randrange(30, 240))
        lat, lon = _point_in(unit, rng)
        level = category.default_level
        if code in ("thoat-nuoc", "cay-xanh") and rng.random() < 0.2:
            level = ReportLevel.URGENT
        elif code == "trat-tu-xay-dung" and rng.random() < 0.5:
            level = ReportLevel.COMPLEX
        anonymous = category.allows_anonymous and rng.random() < 0.7
        report = FieldReport(
            unit=unit,
            category=category,
            tracking_code=services.new_tracking_code(),
            channel=ReportChannel.OPEN311 if rng.random() < 0.25 else ReportChannel.PORTAL,
            description=text,
            lat=lat,
            lon=lon,
            address=f"{street}, {unit.name}",
            reporter_name="" if anonymous else "Người dân (dữ liệu mẫu)",
            reporter_phone="" if anonymous else "0900000000",
            level=level,
            received_at=received,
            receipt_due_at=services.receipt_due(received),
            status=ReportStatus.SUBMITTED,
        )
        hours_old = working_hours_between(received, now)
        if i < 2:
            # Two reports nobody has received yet, past their limit whatever the time of day
            # the demo is loaded (the overdue lists and reminders always have something).
            back = 3
            while services.receipt_due(report.received_at) >= now - dt.timedelta(hours=1):
                report.received_at = _working_moment(ctx.today - dt.timedelta(days=back), rng)
                back += 1
            report.receipt_due_at = services.receipt_due(report.received_at)
            rows.append(report)
            continue
        if hours_old < 6 and rng.random() < 0.7:
            rows.append(report)  # just arrived, waiting
            continue
        if hours_old < 12 and rng.random() < 0.4:
            rows.append(report)  # waiting past its 8 working hours: overdue now
            continue
        roll = rng.random()
        if roll < 0.05:
            report.status = ReportStatus.REFUSED
            report.refuse_reason = rng.choice(REFUSALS)
            report.closed_at = add_working_hours(received, rng.uniform(1, 6))
            rows.append(report)
            continue
        accepted = add_working_hours(received, rng.uniform(0.5, 7.5 if rng.random() < 0.9 else 12))
        if accepted > now:
            rows.append(report)
            continue
        report.accepted_at = accepted
        report.handle_due_at = services.handle_due(accepted, level)
        report.status = ReportStatus.ASSIGNED
        abbreviation = category.default_department or "VP"
        report.department = departments.get(abbreviation) or departments.get("VP")
        if code == "trat-tu-xay-dung" and inspectors:
            report.assignee = rng.choice(inspectors)
        limit = services.handling_hours(level)
        spent = limit * (rng.uniform(0.2, 0.95) if rng.random() < 0.82 else rng.uniform(1.05, 1.8))
        answered = add_working_hours(accepted, spent)
        if answered > now:
            rows.append(report)  # in progress (some past the limit: overdue)
            continue
        report.status = ReportStatus.ANSWERED
        report.public_answer = rng.choice(answers)
        report.answered_at = answered
        report.answer_hours = round(working_hours_between(received, answered), 2)
        report.answered_on_time = answered <= report.handle_due_at
        if rng.random() < 0.85:
            report.status = ReportStatus.CLOSED
            report.closed_at = answered + dt.timedelta(hours=rng.randrange(1, 30))
        if rng.random() < 0.45:
            on_time = report.answered_on_time
            report.rating = rng.choice([5, 5, 4, 4, 3] if on_time else [4, 3, 2, 2, 1])
            report.rated_at = report.closed_at or answered + dt.timedelta(hours=3)
            if report.rating <= 2:
                report.rating_comment = "Xử lý chậm, cần theo dõi thêm."
        rows.append(report)
    return rows


@register("urban.reports", order=80)
def load(ctx: DemoContext) -> None:
    import time

    from congso.kernel.orgunits.demo import demo_units
    from congso.urban.reports.models import FieldReport, ReportStatus

    started = time.monotonic()
    units = demo_units()
    wards = [(units.tay_ho, "tay_ho", 200), (units.phu_thuong, "phu_thuong", 100)]
    missing = [u.name for u, _k, _n in wards if not u.boundary]
    if missing:
        ctx.log(f"Bỏ qua: chưa có ranh giới cho {', '.join(missing)} (chạy loader urban.geo).")
        return
    if FieldReport.objects.filter(unit__in=[u for u, _k, _n in wards]).exists():
        ctx.log("Phản ánh hiện trường mẫu đã có, không thêm.")
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    made = 0
    with transaction.atomic():
        for unit, key, count in wards:
            rows = build(ctx, unit, key, count, rng)
            FieldReport.objects.bulk_create(rows, batch_size=500)
            made += len(rows)
        # A few duplicates merged into an earlier report of the same category nearby.
        originals = list(
            FieldReport.objects.filter(
                unit=units.tay_ho, status=ReportStatus.CLOSED, category__code="moi-truong"
            ).order_by("received_at")[:4]
        )
        for original in originals:
            FieldReport.objects.create(
                unit=original.unit,
                category=original.category,
                tracking_code=_code(rng),
                channel=original.channel,
                description=original.description.replace("Rác", "Lại thấy rác", 1),
                lat=round((original.lat or 0) + 0.0002, 6),
                lon=original.lon,
                address=original.address,
                level=original.level,
                received_at=original.received_at + dt.timedelta(hours=2),
                receipt_due_at=original.receipt_due_at,
                status=ReportStatus.MERGED,
                merged_into=original,
                closed_at=original.received_at + dt.timedelta(hours=5),
            )
            made += 1
    ctx.log(
        f"{made} phản ánh hiện trường mẫu quanh Hồ Tây ({time.monotonic() - started:.1f} giây)."
    )


def _code(rng: random.Random) -> str:
    from congso.urban.reports.services import TRACKING_ALPHABET

    body = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(10))
    return f"PA-{body[:5]}-{body[5:]}"
