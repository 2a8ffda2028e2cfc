"""The official civil-servant calendar decisions of 2024, 2025 and 2026 as OfficialDay rows.

Only per-year decisions are stored (which weekdays the Tết break covers, the day next to 2/9,
swapped days and make-up Saturdays, the new 24/11 holiday), and of those only the ones that differ
from the ``holidays`` library or that still need checking against the original notice: such rows
say "[chưa xác minh]" in ``legal_basis``. Fixed-date holidays of Labour Code Art. 112(1) (1/1,
30/4, 1/5, 2/9, Giỗ Tổ 10/3 lunar) and compensatory days under Art. 111(3) are the library's.
Tết 2026 (16–20/02, 9441/TB-BNV, checked) matches the library and is not stored.
The comparison is written out in docs/decisions/0002-working-day-calendar.md.
"""

import datetime as dt

from django.db import migrations

U = "[chưa xác minh]"
OFF = "day_off"
WORK = "working_day"

N2024 = f"Thông báo 5015/TB-LĐTBXH (nghỉ Tết và Quốc khánh 2024) {U}"
S2024 = f"Công văn 2450/VPCP-KGVX; Thông báo 1570/TB-LĐTBXH (hoán đổi dịp 30/4–1/5/2024) {U}"
N2025 = f"Thông báo 6150/TB-LĐTBXH (nghỉ Tết, 30/4–1/5 và Quốc khánh 2025) {U}"
N2026_NY = f"Công văn 12729/VPCP-KGVX (hoán đổi dịp Tết Dương lịch 2026) {U}"
N2026 = f"Thông báo 9441/TB-BNV (Quốc khánh 2026; mới thấy bản đề xuất) {U}"
VH2026 = (
    "Nghị quyết 80-NQ/TW; Nghị quyết 30/NQ-CP; nghỉ hưởng lương từ 01/07/2026 "
    f"(baochinhphu.vn 24/04/2026); văn bản sửa Điều 112 Bộ luật Lao động {U}"
)

ROWS = [
    # 2024 — Tết Giáp Thìn: Thu 08/02 → Wed 14/02 (7 days, no swap).
    (dt.date(2024, 2, 8), OFF, "Nghỉ Tết Nguyên Đán Giáp Thìn", N2024),
    (dt.date(2024, 2, 9), OFF, "Nghỉ Tết Nguyên Đán Giáp Thìn", N2024),
    (dt.date(2024, 2, 12), OFF, "Nghỉ Tết Nguyên Đán Giáp Thìn", N2024),
    (dt.date(2024, 2, 13), OFF, "Nghỉ Tết Nguyên Đán Giáp Thìn (nghỉ bù thứ Bảy)", N2024),
    (dt.date(2024, 2, 14), OFF, "Nghỉ Tết Nguyên Đán Giáp Thìn (nghỉ bù Chủ nhật)", N2024),
    # 2024 — 30/4–1/5: Sat 27/04 → Wed 01/05; Mon 29/04 swapped, made up Sat 04/05.
    (dt.date(2024, 4, 29), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)", S2024),
    (dt.date(2024, 5, 4), WORK, "Làm bù cho thứ Hai 29/04/2024", S2024),
    # 2024 — 2/9: Sat 31/08 → Tue 03/09; the adjacent day is 03/09.
    (dt.date(2024, 9, 3), OFF, "Nghỉ Quốc khánh (ngày liền kề 2/9)", N2024),
    # 2025 — Tết Ất Tỵ: Sat 25/01 → Sun 02/02; the five Tết days are Mon 27/01 – Fri 31/01.
    (dt.date(2025, 1, 27), OFF, "Nghỉ Tết Nguyên Đán Ất Tỵ", N2025),
    (dt.date(2025, 1, 28), OFF, "Nghỉ Tết Nguyên Đán Ất Tỵ", N2025),
    (dt.date(2025, 1, 29), OFF, "Nghỉ Tết Nguyên Đán Ất Tỵ", N2025),
    (dt.date(2025, 1, 30), OFF, "Nghỉ Tết Nguyên Đán Ất Tỵ", N2025),
    (dt.date(2025, 1, 31), OFF, "Nghỉ Tết Nguyên Đán Ất Tỵ", N2025),
    # 2025 — 30/4–1/5: Wed 30/04 → Sun 04/05; Fri 02/05 swapped, made up Sat 26/04.
    (dt.date(2025, 4, 26), WORK, "Làm bù cho thứ Sáu 02/05/2025", N2025),
    (dt.date(2025, 5, 2), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)", N2025),
    # 2025 — 2/9: Sat 30/08 → Tue 02/09; the adjacent day is 01/09.
    (dt.date(2025, 9, 1), OFF, "Nghỉ Quốc khánh (ngày liền kề 2/9)", N2025),
    # 2026 — Tết Dương lịch: Fri 02/01 swapped, made up Sat 10/01 (not in the library).
    (dt.date(2026, 1, 2), OFF, "Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/01/2026)", N2026_NY),
    (dt.date(2026, 1, 10), WORK, "Làm bù cho thứ Sáu 02/01/2026", N2026_NY),
    # 2026 — 2/9: Sat 29/08 → Wed 02/09 (5 days); Mon 31/08 swapped, made up Sat 22/08.
    (dt.date(2026, 8, 22), WORK, "Làm bù cho thứ Hai 31/08/2026", N2026),
    (dt.date(2026, 8, 31), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)", N2026),
    (dt.date(2026, 9, 1), OFF, "Nghỉ Quốc khánh (ngày liền kề 2/9)", N2026),
    # 2026 — Ngày Văn hóa Việt Nam, Tue 24/11, a paid day off from 2026.
    (dt.date(2026, 11, 24), OFF, "Ngày Văn hóa Việt Nam", VH2026),
]


def load(apps, schema_editor):
    OfficialDay = apps.get_model("calendar", "OfficialDay")
    for day, kind, name, basis in ROWS:
        OfficialDay.objects.get_or_create(
            date=day,
            defaults={"kind": kind, "name": name, "legal_basis": basis, "year": day.year},
        )


def unload(apps, schema_editor):
    OfficialDay = apps.get_model("calendar", "OfficialDay")
    for day, kind, name, basis in ROWS:
        OfficialDay.objects.filter(date=day, kind=kind, name=name, legal_basis=basis).delete()


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
