"""Printed and exported papers of construction order: the violation record (biên bản vi phạm hành
chính), the stop-work order (quyết định đình chỉ thi công) as PDF, and the monthly
construction-order report (báo cáo tháng về trật tự xây dựng) as XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from congso.kernel.orgunits.models import AdminUnit
from congso.urban.construction import selectors
from congso.urban.construction.models import Violation
from congso.urban.construction.services import date_vn, money_vn, xlsx_bytes


def _place(unit: AdminUnit) -> str:
    name = unit.name
    for prefix in ("Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _paper_context(violation: Violation) -> dict[str, Any]:
    unit = violation.unit
    work = violation.work
    parent = unit.parent.display_committee if unit.parent_id and unit.parent else ""
    return {
        "violation": violation,
        "work": work,
        "unit": unit,
        "committee": unit.display_committee,
        "parent": parent,
        "place": _place(unit),
        "record_date": violation.record_date,
        "deadline": date_vn(violation.remedy_deadline),
        "recorder": violation.recorded_by.get_full_name() if violation.recorded_by else "",
    }


def record_pdf(violation: Violation) -> bytes:
    from congso.kernel.pdf.rendering import render_pdf

    return render_pdf("urban/construction/pdf/record.html", _paper_context(violation))


def stop_order_pdf(violation: Violation) -> bytes:
    from congso.kernel.pdf.rendering import render_pdf

    context = _paper_context(violation)
    context["stop_date"] = violation.stop_order_date
    return render_pdf("urban/construction/pdf/stop_order.html", context)


COLUMNS = (
    ("recorded", "Biên bản lập"),
    ("stop_orders", "QĐ đình chỉ"),
    ("sanctions", "QĐ xử phạt"),
    ("fines", "Tiền phạt (đồng)"),
    ("dismantled", "Đã tháo dỡ"),
    ("enforced", "Đã cưỡng chế"),
    ("closed", "Đã kết thúc"),
    ("outstanding", "Còn tồn"),
    ("overdue", "Quá hạn"),
)


def monthly_report_xlsx(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> bytes:
    """The §7 monthly report: works (under construction, licensed/exempt/without, inspected,
    controlled) and violations by category (records, orders, decisions, fines, dismantled,
    enforced, closed, outstanding, overdue)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ids = sorted(set(unit_ids))
    report = selectors.monthly_report(ids, start, end)
    names = list(
        AdminUnit.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Báo cáo TTXD"
    bold = Font(bold=True)
    sheet.append(["BÁO CÁO TÌNH HÌNH TRẬT TỰ XÂY DỰNG"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            f"Kỳ báo cáo: tháng {start.month:02d}/{start.year} "
            f"(từ {date_vn(start)} đến {date_vn(end)})"
        ]
    )
    sheet.append([f"Đơn vị: {', '.join(names)}"])
    sheet.append([])
    sheet.append(["I. CÔNG TRÌNH", "Số lượng"])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    rate = report["control_rate"]
    rows: list[tuple[str, Any]] = [
        ("Công trình theo dõi trong kỳ", report["works"]),
        ("Công trình đang thi công", report["active"]),
        ("- Có giấy phép xây dựng", report["licensed"]),
        ("- Miễn giấy phép", report["exempt"]),
        ("- Không có giấy phép", report["without_permit"]),
        ("- Chưa xác định", report["permit_unknown"]),
        ("Công trình đã kiểm tra trong kỳ", report["inspected"]),
        ("Công trình được kiểm soát", report["controlled"]),
        ("Tỷ lệ công trình được kiểm soát (%)", float(rate) if rate is not None else "—"),
    ]
    for label, value in rows:
        sheet.append([label, value])
    sheet.append([])
    sheet.append(["II. VI PHẠM THEO HÀNH VI", *[label for _k, label in COLUMNS]])
    header = sheet.max_row
    for col in range(1, len(COLUMNS) + 2):
        sheet.cell(row=header, column=col).font = bold
        sheet.cell(row=header, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    for entry in report["by_category"].values():
        sheet.append([entry["label"], *[_cell(entry[key]) for key, _l in COLUMNS]])
    sheet.append(["Tổng cộng", *[_cell(report["totals"][key]) for key, _l in COLUMNS]])
    for col in range(1, len(COLUMNS) + 2):
        sheet.cell(row=sheet.max_row, column=col).font = bold
    sheet.append([])
    sheet.append(["Tiền phạt đã nộp (đồng)", _cell(report["fines_paid"])])
    for row in sheet.iter_rows(min_row=header + 1, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "#,##0"
    sheet.column_dimensions["A"].width = 52
    for col in range(2, len(COLUMNS) + 2):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    return xlsx_bytes(book)


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    return value


__all__ = ["money_vn", "monthly_report_xlsx", "record_pdf", "stop_order_pdf"]
