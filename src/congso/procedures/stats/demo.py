"""Demo dossiers (``manage.py demo``, order 55, after the catalogue at 50): tens of thousands of
dossiers over 2021–2026 in the two demo wards, across the demo procedures.

Realistic mix: channels (online share growing from ~10 % in 2021 to ~55 % in 2026, a few by
post), early/on time/late outcomes (late share falling over the years), refusals, withdrawals,
supplement requests (paused time), ratings (~35 % of returned dossiers), digitisation and
electronic results growing over time, and the recent weeks still open: some submitted online
and waiting, some in process, some paused for supplements, some overdue now.

Fields are consistent with the services: codes ``<agency>-yymmdd-NNNN`` with the day's counter
and yearly register lines continuing what exists, then ``number_raise_to`` so that the next
``number_next`` follows on; received moments, due times and timeliness from
``congso.procedures.timing``; a public timeline (events) per dossier; the statistics summary
rebuilt at the end. Fake names and phone numbers only. Idempotent: skipped when the demo
dossiers are there (content starts with ``DEMO_MARK``).

Simplifications (stated): the dossiers' papers and control-sheet steps are not generated (the
register's "chuyển hồ sơ" column is empty for them); history before 07/2025 is put in the
current wards (as if migrated from the former wards).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.kernel.calendar.services import VN_TZ, is_working_day
from congso.kernel.core.demo import DemoContext, register
from congso.procedures import timing
from congso.procedures.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierPause,
    DossierRating,
    DossierStatus,
    OnlineLevel,
    PauseReason,
    Procedure,
)

S = DossierStatus
DEMO_MARK = "[Dữ liệu mẫu] "
#: Day counters raised after the load: the last RAISE_DAYS days (a desk intake may be recorded
#: a little late with ``at=``). An older back-dated intake would reuse a demo code and be refused
#: by the unique constraint on ``code`` — never a silent duplicate. Yearly register lines: all.
RAISE_DAYS = 90
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Trịnh",
    "Đinh",
    "Lương",
    "Mai",
    "Tạ",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Minh",
    "Thu",
    "Quang",
    "Ngọc",
    "Đức",
    "Thanh",
    "Hồng",
    "Xuân",
    "Bảo",
    "Gia",
    "Hải",
    "Kim",
    "Phương",
]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngọc",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tuấn",
    "Vy",
    "Yến",
]
STREETS = [
    "Xuân Diệu",
    "Đặng Thai Mai",
    "Tô Ngọc Vân",
    "Quảng An",
    "Nghi Tàm",
    "Yên Phụ",
    "Lạc Long Quân",
    "Âu Cơ",
    "Phú Thượng",
    "Võng Thị",
    "Thụy Khuê",
    "An Dương Vương",
]
SUPPLEMENT_ITEMS = [
    "Bản sao giấy chứng nhận kết hôn của cha mẹ",
    "Văn bản ủy quyền có chứng thực",
    "Bản chụp căn cước của người được ủy quyền",
    "Tờ khai ghi thiếu nơi cư trú; đề nghị khai bổ sung",
    "Bản vẽ hiện trạng có chữ ký của chủ hộ",
]


@dataclass
class Plan:
    start: dt.date
    end: dt.date  # last day filed (inclusive), usually yesterday
    per_day: float = 10.0  # mean dossiers per working day and ward (2026 level)
    seed: int = 766


@dataclass
class Result:
    dossiers: int = 0
    events: int = 0
    ratings: int = 0
    pauses: int = 0
    seconds: float = 0.0
    by_status: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _year_factor(year: int, lo: float, hi: float) -> float:
    t = min(max((year - 2021) / 5.0, 0.0), 1.0)
    return lo + (hi - lo) * t


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _secret(rng: random.Random) -> str:
    return "".join(rng.choice(SECRET_ALPHABET) for _ in range(8))


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _desk_time(rng: random.Random, day: dt.date) -> dt.datetime:
    minute = rng.choice(
        [rng.randint(8 * 60, 11 * 60 + 20), rng.randint(13 * 60 + 30, 16 * 60 + 50)]
    )
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=VN_TZ)


def _online_time(rng: random.Random, day: dt.date) -> dt.datetime:
    minute = rng.randint(6 * 60, 23 * 60 + 30)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=VN_TZ)


def _existing_counters(
    units: list[Any],
) -> tuple[dict[tuple[int, str], int], dict[tuple[int, int], int]]:
    per_day: dict[tuple[int, str], int] = {}
    per_year: dict[tuple[int, int], int] = {}
    for unit_id, code, year, line in Dossier.objects.filter(unit__in=units).values_list(
        "unit_id", "code", "register_year", "register_number"
    ):
        parts = code.rsplit("-", 2)
        if len(parts) == 3 and parts[2].isdigit():
            key = (unit_id, parts[1])
            per_day[key] = max(per_day.get(key, 0), int(parts[2]))
        per_year[(unit_id, year)] = max(per_year.get((unit_id, year), 0), line)
    return per_day, per_year


def generate(
    units: list[Any], procedures: list[Procedure], plan: Plan, *, now: dt.datetime | None = None
) -> Result:
    """Insert the demo dossiers (inside the caller's transaction)."""
    from congso.kernel.numbering.services import number_raise_to
    from congso.procedures.services import unit_code
    from congso.procedures.stats.bulk import insert_rows, next_id

    t0 = time.perf_counter()
    now = now or timezone.now()
    rng = random.Random(plan.seed)  # noqa: S311 - demo data, reproducible
    result = Result()
    if not units or not procedures:
        return result
    weights = [5 if p.online_level != OnlineLevel.NONE else 3 for p in procedures]
    days = _working_days(plan.start, plan.end)
    per_day_seen, per_year_seen = _existing_counters(units)
    day_counter: dict[tuple[int, str], int] = dict(per_day_seen)
    year_counter: dict[tuple[int, int], int] = dict(per_year_seen)
    due_cache: dict[tuple[int, dt.datetime], dt.datetime] = {}
    codes = {u.pk: unit_code(u) for u in units}
    dossier_id = next_id(Dossier)
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    pauses: list[dict[str, Any]] = []

    def event(
        d: dict[str, Any], action: str, at: dt.datetime, s_from: Any, s_to: Any, note: str = ""
    ) -> None:
        events.append(
            {
                "dossier_id": d["id"],
                "at": at,
                "action": action,
                "status_from": s_from,
                "status_to": s_to,
                "note": note,
                "public": True,
            }
        )

    for day in days:
        age_days = (now.date() - day).days
        for index, unit in enumerate(units):
            volume = plan.per_day * _year_factor(day.year, 0.55, 1.0) * (1.0 - 0.3 * min(index, 1))
            n = max(0, int(rng.gauss(volume, volume**0.5)))
            arrivals = []
            for _ in range(n):
                procedure = rng.choices(procedures, weights)[0]
                online_ok = procedure.online_level != OnlineLevel.NONE
                r = rng.random()
                if online_ok and r < _year_factor(day.year, 0.12, 0.6):
                    channel = Channel.ONLINE
                elif r > 0.97:
                    channel = Channel.POST
                else:
                    channel = Channel.DESK
                submitted = (
                    _online_time(rng, day) if channel == Channel.ONLINE else _desk_time(rng, day)
                )
                arrivals.append((submitted, procedure.pk, procedure, channel))
            arrivals.sort(key=lambda a: (a[0], a[1]))
            for submitted, _pk, procedure, channel in arrivals:
                if submitted > now:
                    continue
                yymmdd = day.strftime("%y%m%d")
                key = (unit.pk, yymmdd)
                day_counter[key] = day_counter.get(key, 0) + 1
                ykey = (unit.pk, day.year)
                year_counter[ykey] = year_counter.get(ykey, 0) + 1
                d: dict[str, Any] = {
                    "id": dossier_id,
                    "unit_id": unit.pk,
                    "procedure_id": procedure.pk,
                    "field_id": procedure.field_id,
                    "code": f"{codes[unit.pk]}-{yymmdd}-{day_counter[key]:04d}",
                    "lookup_secret": _secret(rng),
                    "register_year": day.year,
                    "register_number": year_counter[ykey],
                    "channel": int(channel),
                    "applicant_type": 0,
                    "applicant_name": _name(rng),
                    "applicant_phone": "09" + "".join(rng.choices("0123456789", k=8)),
                    "applicant_address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}, Hà Nội",
                    "applicant_id_number": "0010" + "".join(rng.choices("0123456789", k=8)),
                    "content": DEMO_MARK + procedure.name,
                    "sets_count": 1,
                    "submitted_at": submitted,
                    "paused_hours": Decimal(0),
                    "fee_amount": Decimal(0),
                    "digitised": rng.random() < _year_factor(day.year, 0.35, 0.95),
                    "reused_data": rng.random() < _year_factor(day.year, 0.05, 0.5),
                    "created_at": submitted,
                    "updated_at": now,
                }
                dossier_id += 1
                rows.append(d)
                status_before = None
                if channel == Channel.ONLINE:
                    event(d, "submit", submitted, None, S.SUBMITTED)
                    status_before = S.SUBMITTED
                    if age_days <= 1 and rng.random() < 0.7:
                        d["status"] = S.SUBMITTED
                        continue
                    if rng.random() < 0.04:
                        d["status"] = S.REFUSED
                        d["closed_at"] = submitted + dt.timedelta(hours=rng.randint(2, 30))
                        d["refusal_reason"] = "Hồ sơ không thuộc thẩm quyền giải quyết của phường."
                        event(
                            d, "refuse", d["closed_at"], S.SUBMITTED, S.REFUSED, d["refusal_reason"]
                        )
                        continue
                    accepted_at = submitted + dt.timedelta(hours=rng.uniform(0.5, 20))
                else:
                    accepted_at = submitted
                received = timing.reception_moment(procedure, accepted_at)
                ck = (procedure.pk, received)
                due = due_cache.get(ck)
                if due is None:
                    due = due_cache[ck] = timing.due_for(procedure, received)
                d["received_at"] = received
                d["due_at"] = d["original_due_at"] = due
                event(
                    d,
                    "accept" if channel == Channel.ONLINE else "receive",
                    accepted_at,
                    status_before,
                    S.ACCEPTED,
                    "Hồ sơ được tiếp nhận; hẹn trả kết quả "
                    f"{timezone.localtime(due):%H giờ %M phút, ngày %d/%m/%Y}.",
                )
                span = due - received
                stuck = age_days <= 30 and rng.random() < 0.06  # waiting for a supplement
                forgotten = not stuck and age_days <= 20 and rng.random() < 0.05  # overdue now
                late_share = _year_factor(day.year, 0.12, 0.03)
                finish: dt.datetime | None
                if not (stuck or forgotten) and rng.random() < 0.01:
                    d["status"] = S.WITHDRAWN
                    d["closed_at"] = received + span * rng.uniform(0.1, 0.5)
                    event(
                        d,
                        "withdraw",
                        d["closed_at"],
                        S.ACCEPTED,
                        S.WITHDRAWN,
                        "Người nộp xin rút hồ sơ.",
                    )
                    continue
                r2 = rng.random()
                if stuck or forgotten:
                    finish = None
                elif r2 < late_share:
                    finish = due + dt.timedelta(hours=rng.uniform(4, 24 * 6))
                elif r2 < late_share + 0.22:
                    finish = due - dt.timedelta(minutes=rng.randint(5, 180))
                else:
                    finish = received + span * rng.uniform(0.25, 0.8)
                if finish is not None and rng.random() < 0.08:  # a supplement paused the clock
                    paused = rng.randint(4, 40)
                    d["paused_hours"] = Decimal(paused)
                    d["due_at"] = timing.shift_due(due, dt.timedelta(hours=paused))
                    finish = finish + dt.timedelta(hours=paused * 3)
                    at = received + span * 0.2
                    event(
                        d,
                        "request_supplement",
                        at,
                        S.ACCEPTED,
                        S.SUPPLEMENT_REQUESTED,
                        rng.choice(SUPPLEMENT_ITEMS),
                    )
                    event(
                        d,
                        "supplement_received",
                        at + dt.timedelta(hours=paused * 3),
                        S.SUPPLEMENT_REQUESTED,
                        S.IN_PROCESS,
                    )
                if finish is not None and finish <= now:
                    d["completed_at"] = finish
                    d["timeliness"] = str(timing.classify(d["due_at"], finish))
                    spent = timing.to_decimal_hours(timing.working_delta(received, finish))
                    d["spent_hours"] = max(Decimal("0.5"), spent - d["paused_hours"])
                    d["result_electronic"] = rng.random() < _year_factor(day.year, 0.15, 0.8)
                    d["result_summary"] = procedure.result_description or "Kết quả giải quyết"
                    event(d, "complete", finish, S.IN_PROCESS, S.DONE)
                    returned = finish + dt.timedelta(hours=rng.uniform(1, 72))
                    if returned <= now:
                        d["status"] = S.RETURNED
                        d["returned_at"] = returned
                        event(
                            d,
                            "return",
                            returned,
                            S.DONE,
                            S.RETURNED,
                            "Đã trả kết quả cho người nộp",
                        )
                    else:
                        d["status"] = S.DONE
                    if rng.random() < 0.35:
                        rated = (d.get("returned_at") or finish) + dt.timedelta(
                            hours=rng.uniform(1, 48)
                        )
                        ratings.append(
                            {
                                "dossier_id": d["id"],
                                "unit_id": unit.pk,
                                "score": rng.choices([3, 2, 1], [60, 33, 7])[0],
                                "comment": "",
                                "created_at": min(now, rated),
                            }
                        )
                    continue
                # Still open now: in process (some overdue) or waiting for a supplement.
                if stuck or (not forgotten and rng.random() < 0.12):
                    d["status"] = S.SUPPLEMENT_REQUESTED
                    since = received + (now - received) * 0.5
                    d["paused_since"] = since
                    items = rng.choice(SUPPLEMENT_ITEMS)
                    event(
                        d, "request_supplement", since, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, items
                    )
                    pauses.append(
                        {
                            "dossier_id": d["id"],
                            "reason": PauseReason.SUPPLEMENT,
                            "started_at": since,
                            "items": items,
                            "note": "Nộp bổ sung tại bộ phận một cửa hoặc trên cổng dịch vụ công.",
                        }
                    )
                    continue
                d["status"] = S.IN_PROCESS
                event(d, "hand_over", received + dt.timedelta(hours=1), S.ACCEPTED, S.IN_PROCESS)
    insert_rows(Dossier, rows)
    event_id = next_id(DossierEvent)
    for i, e in enumerate(events):
        e["id"] = event_id + i
    insert_rows(DossierEvent, events)
    rating_id = next_id(DossierRating)
    for i, rating in enumerate(ratings):
        rating["id"] = rating_id + i
    insert_rows(DossierRating, ratings)
    pause_id = next_id(DossierPause)
    for i, pause in enumerate(pauses):
        pause["id"] = pause_id + i
    insert_rows(DossierPause, pauses)
    for d in rows:
        result.by_status[int(d["status"])] += 1
    # The counters continue after the bulk load (numbering: gap-free from here on).
    recent = (now.date() - dt.timedelta(days=RAISE_DAYS)).strftime("%y%m%d")
    for (unit_id, yymmdd), last in day_counter.items():
        if yymmdd >= recent and last > per_day_seen.get((unit_id, yymmdd), 0):
            number_raise_to(
                scope=f"procedures:{unit_id}",
                series=f"dossier-{yymmdd}",
                year=2000 + int(yymmdd[:2]),
                at_least=last,
            )
    for (unit_id, year), last in year_counter.items():
        if last > per_year_seen.get((unit_id, year), 0):
            number_raise_to(
                scope=f"procedures:{unit_id}", series="register", year=year, at_least=last
            )
    result.dossiers = len(rows)
    result.events = len(events)
    result.ratings = len(ratings)
    result.pauses = len(pauses)
    result.seconds = time.perf_counter() - t0
    return result


@register("procedures-dossiers", order=55)
def load(ctx: DemoContext) -> None:
    from congso.kernel.orgunits.demo import demo_units
    from congso.procedures.stats import summary

    if Dossier.objects.filter(content__startswith=DEMO_MARK).exists():
        ctx.log("hồ sơ mẫu đã có, bỏ qua")
        return
    procedures = list(Procedure.objects.filter(is_active=True, is_demo=True).order_by("code"))
    if not procedures:
        procedures = list(Procedure.objects.filter(is_active=True).order_by("code"))
    if not procedures:
        ctx.log("chưa có danh mục thủ tục (procedures demo, order 50): bỏ qua hồ sơ mẫu")
        return
    units = demo_units().served
    # Mean dossiers per working day and ward (environment or settings; the tests use a few).
    setting: object = getattr(settings, "DEMO_DOSSIERS_PER_DAY", 12.0)
    per_day = float(os.environ.get("DEMO_DOSSIERS_PER_DAY") or str(setting))
    t0 = time.perf_counter()
    with transaction.atomic():
        result = generate(
            units,
            procedures,
            Plan(start=dt.date(2021, 1, 4), end=ctx.today - dt.timedelta(days=1), per_day=per_day),
        )
    rows = summary.rebuild()

    def n(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    ctx.log(
        f"{n(result.dossiers)} hồ sơ mẫu 2021–{ctx.today.year} ({n(result.events)} diễn biến, "
        f"{n(result.ratings)} đánh giá), tổng hợp thống kê {n(rows)} dòng, "
        f"{time.perf_counter() - t0:.1f} giây"
    )
