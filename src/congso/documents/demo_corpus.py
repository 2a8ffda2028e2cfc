"""The demo corpus: a realistic, fictitious Tây Hồ document flow, 2021 to today.

Several thousand incoming and outgoing documents (``DEMO_DOCUMENTS``, default 3 000) from the
senders a Hà Nội ward really deals with (UBND Thành phố, the Sở, Công an, Ban Chỉ huy Quân sự,
Bảo hiểm xã hội, Điện lực, Mặt trận Tổ quốc, …), with subjects built from templates and the
administrative vocabulary of those bodies, notations of the right shape per type
(``1234/UBND-ĐT``, ``45/QĐ-SXD``, ``27/KH-UBND``), urgency and secrecy in realistic proportions,
leaders' assignments with working-day deadlines (some overdue), completions, and an electronic
copy of every ordinary document (a small PDF with a real Vietnamese text layer, see
``textpdf``). No real personal data: every person's name is drawn at random from common family,
middle and given names; organisation codes end in ``-DEMO``.

Honest history: documents dated before 01/07/2025 belong to the former Ủy ban nhân dân quận Tây
Hồ (valid to 30/06/2025, handled by its departments); later ones to Phường Tây Hồ and Phường Phú
Thượng. Plus a couple of dozen scanned pages (skewed, noisy images drawn by
``congso.kernel.ocr.testdata.scan``) registered through ``incoming_register`` as the most recent
paper arrivals, so the worker started by ``make run`` OCRs them.

Volume rows are written with ``bulk_create`` (fast: a few seconds for thousands). Numbers stay
lawful: arrival and outgoing numbers run from the sequence's current value in date order, and the
``numbering`` counters are set to the last number used, so the next registration continues
without a gap. Deterministic (seeded) and idempotent (a second run adds nothing).

``generate_incoming(n, unit=…)`` / ``generate_outgoing(n, unit=…)`` are the volume generators;
the benchmarks use them for 100 000 rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from congso.documents.models import (
    Assignment,
    AssignmentStatus,
    Channel,
    DigitizationStatus,
    DocumentType,
    EdxmlDirection,
    EdxmlKind,
    EdxmlMessage,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    Urgency,
)
from congso.documents.textpdf import Line, render
from congso.kernel.calendar.services import add_working_days, is_working_day
from congso.kernel.core.demo import DemoContext, register
from congso.kernel.errors import DomainError
from congso.kernel.files.models import StoredFile
from congso.kernel.numbering.models import Sequence as NumberSequence
from congso.kernel.orgunits.models import AdminUnit, Department

#: Marks every corpus row (shown on the document as its note): demo data says so.
CORPUS_NOTE = "Dữ liệu mẫu (bộ văn bản mẫu Tây Hồ)"
SEED = 2026
START = dt.date(2021, 1, 4)
NEW_WARDS_FROM = dt.date(2025, 7, 1)
DEFAULT_SIZE = 3000
SCANNED_DOCUMENTS = 12  # two pages each: two dozen scanned pages for OCR (DEMO_SCANNED_DOCUMENTS)
BATCH = 1000

SERIES_ARRIVAL = "arrival"
SERIES_ARRIVAL_SECRET = "arrival-secret"  # noqa: S105 - a series name

# --- vocabulary ------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Phan Trịnh Đinh Lương Tạ")
MIDDLE_M = _words("Văn Đức Minh Quang Hữu Xuân Thanh Mạnh Tiến Công")
MIDDLE_F = _words("Thị Thu Hồng Ngọc Thanh Minh Phương Thúy Kim")
GIVEN_M = _words("An Bình Cường Dũng Giang Hải Hùng Khánh Long Nam Phong Quân Sơn Thắng Tuấn Việt")
GIVEN_F = _words("Hà Hạnh Hòa Hương Lan Linh Mai Nga Phương Tâm Thảo Trang Yến Huyền Dung Loan")


def _rng(key: object) -> random.Random:
    """A seeded generator for demo data (reproducible by design, never for secrets)."""
    return random.Random(str(key))  # noqa: S311


STREETS = (
    "đường Lạc Long Quân",
    "phố Xuân Diệu",
    "đường Âu Cơ",
    "phố Quảng Khánh",
    "đường Nghi Tàm",
    "phố Tô Ngọc Vân",
    "đường Võ Chí Công",
    "phố Trích Sài",
    "phố Đặng Thai Mai",
    "phố Yên Hoa",
    "đường Thụy Khuê",
    "phố Nhật Chiêu",
    "phố Phú Gia",
    "đường An Dương Vương",
)
AREAS = (
    "khu vực ven Hồ Tây",
    "khu đô thị Tây Hồ Tây",
    "bãi giữa sông Hồng",
    "khu dân cư Phú Thượng",
    "làng hoa Nhật Tân",
    "khu vực Quảng An",
    "các tổ dân phố ven đê",
)
PROJECTS = (
    "đường Văn Cao – Hồ Tây",
    "mở rộng đường Âu Cơ",
    "cải tạo, chỉnh trang không gian ven Hồ Tây",
    "xây dựng Trường Trung học cơ sở Phú Thượng",
    "đường vành đai 2 đoạn Nhật Tân – Phú Thượng",
    "xây dựng công viên vui chơi giải trí phía Bắc Hồ Tây",
    "cải tạo hệ thống thoát nước phố Trích Sài",
)
EVENTS = (
    "Tết Nguyên đán",
    "Quốc khánh 2/9",
    "kỷ niệm Ngày Giải phóng Thủ đô 10/10",
    "Lễ hội Phủ Tây Hồ",
    "Ngày hội Đại đoàn kết toàn dân tộc",
    "Tháng hành động vì an toàn thực phẩm",
)

#: Subject templates by topic. Fields: {year} {next} {place} {street} {area} {project}
#: {event} {quarter} {period}.
TOPICS: dict[str, tuple[str, ...]] = {
    "xaydung": (
        "V/v triển khai kế hoạch kiểm tra trật tự xây dựng trên địa bàn {place} năm {year}",
        "V/v tăng cường công tác quản lý trật tự xây dựng tại {area}",
        "V/v xử lý công trình xây dựng không phép tại số {house} {street}",
        "V/v báo cáo kết quả kiểm tra, xử lý vi phạm trật tự xây dựng {period}",
        "V/v chấn chỉnh công tác cấp phép xây dựng nhà ở riêng lẻ trên địa bàn",
        "V/v rà soát các công trình có nguy cơ mất an toàn trong mùa mưa bão năm {year}",
    ),
    "gpmb": (
        "V/v đẩy nhanh tiến độ giải phóng mặt bằng dự án {project}",
        "V/v công khai phương án bồi thường, hỗ trợ dự án {project}",
        "V/v phối hợp kiểm đếm hiện trạng đất đai, tài sản phục vụ dự án {project}",
    ),
    "noivu": (
        "V/v báo cáo số lượng, chất lượng cán bộ, công chức {period}",
        "V/v đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {year}",
        "V/v triển khai công tác cải cách hành chính năm {year}",
        "V/v thực hiện chế độ báo cáo công tác thi đua, khen thưởng năm {year}",
        "V/v tổ chức sắp xếp đơn vị hành chính cấp xã và xây dựng chính quyền địa phương hai cấp",
    ),
    "tnmt": (
        "V/v tăng cường công tác bảo vệ môi trường, giữ gìn vệ sinh {area}",
        "V/v kiểm tra việc quản lý, sử dụng đất công tại {area}",
        "V/v thu gom, vận chuyển rác thải sinh hoạt trên địa bàn {place}",
        "V/v triển khai thu hồi đất thực hiện dự án {project}",
    ),
    "congan": (
        "V/v phối hợp bảo đảm an ninh, trật tự dịp {event} năm {year}",
        "V/v tổng kiểm tra công tác phòng cháy, chữa cháy tại khu dân cư và cơ sở kinh doanh",
        "V/v triển khai thu thập, cập nhật dữ liệu dân cư phục vụ Đề án 06",
        "V/v xử lý tình trạng lấn chiếm vỉa hè, lòng đường tại {street}",
    ),
    "quansu": (
        "V/v giao chỉ tiêu tuyển chọn và gọi công dân nhập ngũ năm {next}",
        "V/v tổ chức huấn luyện dân quân năm {year}",
        "V/v đăng ký nghĩa vụ quân sự cho công dân nam đủ 17 tuổi năm {year}",
    ),
    "bhxh": (
        "V/v đôn đốc thu bảo hiểm xã hội, bảo hiểm y tế {period}",
        "V/v phát triển người tham gia bảo hiểm xã hội tự nguyện năm {year}",
        "V/v rà soát cấp thẻ bảo hiểm y tế cho đối tượng do ngân sách nhà nước đóng",
    ),
    "dienluc": (
        "Thông báo tạm ngừng cung cấp điện để bảo dưỡng lưới điện tại {area}",
        "V/v bảo đảm an toàn hành lang bảo vệ lưới điện cao áp trên địa bàn",
        "V/v đảm bảo cấp điện phục vụ {event} năm {year}",
    ),
    "mttq": (
        "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm {year}",
        "V/v vận động ủng hộ Quỹ Vì người nghèo năm {year}",
        "V/v tổng hợp ý kiến, kiến nghị của cử tri {period}",
    ),
    "thanhpho": (
        "V/v triển khai thực hiện Chỉ thị của Ủy ban nhân dân Thành phố về công tác {task}",
        "V/v giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội và dự toán ngân sách năm {next}",
        "V/v tăng cường công tác quản lý nhà nước về trật tự đô thị năm {year}",
        "V/v chuẩn bị tổ chức {event} năm {year}",
        "V/v triển khai chuyển đổi số, xây dựng chính quyền số năm {year}",
    ),
    "vhxh": (
        "V/v tổ chức các hoạt động chào mừng {event} năm {year}",
        "V/v chi trả trợ cấp xã hội hằng tháng {period}",
        "V/v triển khai công tác phòng, chống dịch sốt xuất huyết năm {year}",
        "V/v tặng quà người có công với cách mạng nhân dịp {event}",
    ),
    "giaoduc": (
        "V/v tuyển sinh vào lớp 1, lớp 6 năm học {year}-{next}",
        "V/v bảo đảm an toàn trường học trên địa bàn năm học {year}-{next}",
    ),
    "taichinh": (
        "V/v xây dựng dự toán ngân sách năm {next}",
        "V/v công khai quyết toán ngân sách năm {prev}",
        "V/v thực hiện tiết kiệm chi thường xuyên năm {year}",
    ),
}
TASKS = (
    "phòng cháy, chữa cháy",
    "quản lý trật tự xây dựng",
    "cải cách hành chính",
    "bảo vệ môi trường",
    "bảo đảm an toàn giao thông",
)

#: Typed documents: subject templates ("Về việc" is implied by the type name).
TYPED: dict[str, tuple[str, ...]] = {
    "Quyết định": (
        "Quyết định về việc thành lập Tổ công tác giải phóng mặt bằng dự án {project}",
        "Quyết định về việc thành lập Đoàn kiểm tra trật tự xây dựng năm {year}",
        "Quyết định về việc giao chỉ tiêu kế hoạch năm {year}",
        "Quyết định về việc phê duyệt kế hoạch chỉnh trang đô thị {area}",
        "Quyết định về việc khen thưởng tập thể, cá nhân có thành tích trong {task}",
    ),
    "Kế hoạch": (
        "Kế hoạch kiểm tra trật tự xây dựng trên địa bàn {place} năm {year}",
        "Kế hoạch tổ chức {event} năm {year}",
        "Kế hoạch cải cách hành chính năm {year}",
        "Kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn năm {year}",
        "Kế hoạch chuyển đổi số năm {year}",
    ),
    "Thông báo": (
        "Thông báo kết luận của Chủ tịch tại cuộc họp giao ban {period}",
        "Thông báo lịch tiếp công dân {period}",
        "Thông báo thu hồi đất thực hiện dự án {project}",
    ),
    "Báo cáo": (
        "Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội {period}",
        "Báo cáo công tác quản lý trật tự xây dựng {period}",
        "Báo cáo kết quả giải quyết khiếu nại, tố cáo {period}",
    ),
    "Hướng dẫn": (
        "Hướng dẫn đánh giá, xếp loại chất lượng cán bộ, công chức năm {year}",
        "Hướng dẫn tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm {year}",
    ),
    "Giấy mời": (
        "Giấy mời dự hội nghị sơ kết công tác {task} {period}",
        "Giấy mời họp triển khai kế hoạch {event} năm {year}",
    ),
    "Chỉ thị": ("Chỉ thị về việc tăng cường công tác {task} năm {year}",),
    "Tờ trình": ("Tờ trình về việc phê duyệt dự toán kinh phí {task} năm {year}",),
}


@dataclass(frozen=True)
class Sender:
    key: str
    name: str
    abbr: str  # the issuer's abbreviation in notations
    org_code: str
    topics: tuple[str, ...]
    types: tuple[tuple[str, int], ...]  # (type name, weight)
    letter_units: tuple[str, ...]  # drafting-unit codes in công văn notations
    yearly: int  # how many numbers the issuer uses a year (notation numbers grow with the date)
    weight: int
    era: str = "all"  # "old" (to 30/06/2025), "new" (from 01/07/2025) or "all"
    positions: tuple[tuple[str, str], ...] = (("KT.", "Phó Giám đốc"), ("", "Giám đốc"))


_LETTER = (("Công văn", 70),)
SENDERS: tuple[Sender, ...] = (
    Sender(
        "ubndtp",
        "Ủy ban nhân dân thành phố Hà Nội",
        "UBND",
        "H26-DEMO",
        ("thanhpho", "xaydung", "noivu", "taichinh", "tnmt"),
        (*_LETTER, ("Quyết định", 12), ("Kế hoạch", 8), ("Chỉ thị", 2), ("Thông báo", 5)),
        ("ĐT", "KGVX", "NC", "KT", "TH"),
        5200,
        18,
        positions=(("KT.", "Phó Chủ tịch"), ("TM.", "Chủ tịch")),
    ),
    Sender(
        "sxd",
        "Sở Xây dựng Hà Nội",
        "SXD",
        "H26.SXD-DEMO",
        ("xaydung", "gpmb"),
        (*_LETTER, ("Hướng dẫn", 6), ("Quyết định", 6), ("Kế hoạch", 5)),
        ("TTr", "QLXD", "PTĐT"),
        3000,
        12,
    ),
    Sender(
        "snv",
        "Sở Nội vụ Hà Nội",
        "SNV",
        "H26.SNV-DEMO",
        ("noivu",),
        (*_LETTER, ("Hướng dẫn", 10), ("Kế hoạch", 5)),
        ("CCVC", "XDCQ", "CCHC"),
        2600,
        9,
    ),
    Sender(
        "stnmt",
        "Sở Tài nguyên và Môi trường Hà Nội",
        "STNMT",
        "H26.STNMT-DEMO",
        ("tnmt", "gpmb"),
        (*_LETTER, ("Hướng dẫn", 5), ("Thông báo", 5)),
        ("CCMT", "QLĐĐ", "TTr"),
        2400,
        7,
        era="old",
    ),
    Sender(
        "snnmt",
        "Sở Nông nghiệp và Môi trường Hà Nội",
        "SNNMT",
        "H26.SNNMT-DEMO",
        ("tnmt", "gpmb"),
        (*_LETTER, ("Hướng dẫn", 5), ("Thông báo", 5)),
        ("CCMT", "QLĐĐ", "TTr"),
        2400,
        7,
        era="new",
    ),
    Sender(
        "stc",
        "Sở Tài chính Hà Nội",
        "STC",
        "H26.STC-DEMO",
        ("taichinh",),
        (*_LETTER, ("Hướng dẫn", 8)),
        ("QLNS", "TCHCSN"),
        2000,
        5,
    ),
    Sender(
        "svhtt",
        "Sở Văn hóa và Thể thao Hà Nội",
        "SVHTT",
        "H26.SVHTT-DEMO",
        ("vhxh",),
        (*_LETTER, ("Kế hoạch", 8), ("Hướng dẫn", 5)),
        ("QLVH", "VP"),
        1500,
        4,
    ),
    Sender(
        "caq",
        "Công an quận Tây Hồ",
        "CAQ",
        "H26.CAQTH-DEMO",
        ("congan",),
        (*_LETTER, ("Kế hoạch", 8), ("Thông báo", 4)),
        ("CSQLHC", "ĐCSTT", "PCCC"),
        1200,
        7,
        era="old",
        positions=(("KT.", "Phó Trưởng Công an quận"), ("", "Trưởng Công an quận")),
    ),
    Sender(
        "cap",
        "Công an phường Tây Hồ",
        "CAP",
        "H26.CAPTH-DEMO",
        ("congan",),
        (*_LETTER, ("Kế hoạch", 8), ("Thông báo", 4), ("Giấy mời", 3)),
        ("CSKV", "CSTT"),
        600,
        8,
        era="new",
        positions=(("KT.", "Phó Trưởng Công an phường"), ("", "Trưởng Công an phường")),
    ),
    Sender(
        "bchqsq",
        "Ban Chỉ huy Quân sự quận Tây Hồ",
        "BCH",
        "H26.BCHQS-DEMO",
        ("quansu",),
        (*_LETTER, ("Kế hoạch", 10)),
        ("TM", "CT"),
        500,
        4,
        era="old",
        positions=(("", "Chỉ huy trưởng"), ("KT.", "Chỉ huy phó")),
    ),
    Sender(
        "bchqsp",
        "Ban Chỉ huy Quân sự phường Tây Hồ",
        "BCH",
        "H26.BCHQSP-DEMO",
        ("quansu",),
        (*_LETTER, ("Kế hoạch", 10)),
        ("QS",),
        200,
        3,
        era="new",
        positions=(("", "Chỉ huy trưởng"),),
    ),
    Sender(
        "bhxh",
        "Bảo hiểm xã hội khu vực Tây Hồ",
        "BHXH",
        "H26.BHXH-DEMO",
        ("bhxh",),
        _LETTER,
        ("QLT", "CĐ"),
        900,
        4,
        positions=(("KT.", "Phó Giám đốc"), ("", "Giám đốc")),
    ),
    Sender(
        "dienluc",
        "Công ty Điện lực Tây Hồ",
        "PCTH",
        "H26.PCTH-DEMO",
        ("dienluc",),
        (*_LETTER, ("Thông báo", 25)),
        ("KT", "KD"),
        1100,
        4,
        positions=(("KT.", "Phó Giám đốc"), ("", "Giám đốc")),
    ),
    Sender(
        "mttq",
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường Tây Hồ",
        "MTTQ",
        "H26.MTTQ-DEMO",
        ("mttq",),
        (*_LETTER, ("Kế hoạch", 10), ("Hướng dẫn", 4)),
        ("BTT",),
        150,
        3,
        era="new",
        positions=(("TM.", "Chủ tịch"),),
    ),
    Sender(
        "mttqq",
        "Ủy ban Mặt trận Tổ quốc Việt Nam quận Tây Hồ",
        "MTTQ",
        "H26.MTTQQ-DEMO",
        ("mttq",),
        (*_LETTER, ("Kế hoạch", 10)),
        ("BTT",),
        300,
        3,
        era="old",
        positions=(("TM.", "Chủ tịch"),),
    ),
    Sender(
        "phongGD",
        "Phòng Giáo dục và Đào tạo quận Tây Hồ",
        "PGDĐT",
        "H26.PGD-DEMO",
        ("giaoduc",),
        (*_LETTER, ("Kế hoạch", 6)),
        ("TH", "THCS"),
        700,
        3,
        era="old",
        positions=(("", "Trưởng phòng"),),
    ),
)

#: Topic → the ward department that handles it (former district: its own department).
WARD_DEPARTMENT = {
    "xaydung": "KT",
    "gpmb": "KT",
    "tnmt": "KT",
    "dienluc": "KT",
    "noivu": "VP",
    "taichinh": "VP",
    "thanhpho": "VP",
    "congan": "VP",
    "quansu": "VP",
    "vhxh": "VHXH",
    "giaoduc": "VHXH",
    "bhxh": "VHXH",
    "mttq": "VHXH",
}
DISTRICT_DEPARTMENT = {
    "xaydung": "QLĐT",
    "gpmb": "TNMT",
    "tnmt": "TNMT",
    "dienluc": "KT",
    "noivu": "NV",
    "taichinh": "TCKH",
    "thanhpho": "VP",
    "congan": "VP",
    "quansu": "VP",
    "vhxh": "VHTT",
    "giaoduc": "GDĐT",
    "bhxh": "LĐTBXH",
    "mttq": "VP",
}

OUTGOING_TYPES = (
    ("Công văn", 58),
    ("Quyết định", 14),
    ("Kế hoạch", 9),
    ("Thông báo", 7),
    ("Báo cáo", 8),
    ("Giấy mời", 3),
    ("Tờ trình", 1),
)
OUTGOING_TOPICS = tuple(TOPICS)
RESULTS = (
    "Đã triển khai thực hiện; báo cáo kết quả về cơ quan gửi.",
    "Đã giao các tổ dân phố thực hiện, tổng hợp báo cáo đúng hạn.",
    "Đã kiểm tra hiện trạng, lập biên bản và báo cáo lãnh đạo.",
    "Đã trả lời bằng văn bản.",
    "Đã phối hợp thực hiện, lưu hồ sơ.",
)
INSTRUCTIONS = (
    "Giao chủ trì tham mưu, báo cáo kết quả.",
    "Đề nghị khẩn trương thực hiện, báo cáo trước thời hạn.",
    "Chủ trì, phối hợp các đơn vị liên quan triển khai.",
    "Nghiên cứu, đề xuất phương án xử lý.",
)
BODY_OPENINGS = (
    "Thực hiện chỉ đạo của Ủy ban nhân dân Thành phố về {task},",
    "Căn cứ kế hoạch công tác năm {year},",
    "Để bảo đảm tiến độ và chất lượng thực hiện nhiệm vụ,",
    "Theo đề nghị của các đơn vị chuyên môn,",
)
BODY_SENTENCES = (
    "Đề nghị các đơn vị tổ chức triển khai thực hiện nghiêm túc, đúng quy định.",
    "Tăng cường kiểm tra, đôn đốc, kịp thời phát hiện và xử lý các trường hợp vi phạm.",
    "Tổng hợp kết quả thực hiện, báo cáo bằng văn bản trước thời hạn nêu trên.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc đề nghị phản ánh kịp thời.",
    "Phối hợp chặt chẽ với Mặt trận Tổ quốc và các đoàn thể để tuyên truyền đến nhân dân.",
    "Bố trí cán bộ theo dõi, cập nhật tiến độ thực hiện hằng tuần.",
    "Rà soát, thống kê đầy đủ các trường hợp trên địa bàn, lập danh sách cụ thể.",
)


# --- text ------------------------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def _period(rng: random.Random, day: dt.date) -> str:
    quarter = (day.month - 1) // 3 + 1
    return rng.choice(
        (
            f"quý {('I', 'II', 'III', 'IV')[quarter - 1]} năm {day.year}",
            f"tháng {day.month:02d}/{day.year}",
            f"6 tháng đầu năm {day.year}",
            f"năm {day.year}",
        )
    )


def _fill(template: str, rng: random.Random, day: dt.date, place: str) -> str:
    return template.format(
        year=day.year,
        next=day.year + 1,
        prev=day.year - 1,
        place=place,
        street=rng.choice(STREETS),
        house=rng.randint(2, 180),
        area=rng.choice(AREAS),
        project=rng.choice(PROJECTS),
        event=rng.choice(EVENTS),
        period=_period(rng, day),
        task=rng.choice(TASKS),
    )


def _weighted(rng: random.Random, items: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def subject_for(
    rng: random.Random, type_name: str, topic: str, day: dt.date, place: str
) -> tuple[str, str]:
    """(subject, type name actually used): a typed document's subject starts with its type name
    (as printed: "Quyết định về việc …"); a công văn's with "V/v"."""
    if type_name != "Công văn" and type_name in TYPED and rng.random() < 0.8:
        return _fill(rng.choice(TYPED[type_name]), rng, day, place), type_name
    subject = _fill(rng.choice(TOPICS[topic]), rng, day, place)
    if not subject.startswith("V/v "):  # a template that names its own type
        named = next((name for name in TYPED if subject.startswith(name + " ")), "Thông báo")
        return subject, named
    if type_name == "Công văn" or type_name not in TYPED:
        return subject, "Công văn"
    joiner = " về việc " if type_name in {"Quyết định", "Chỉ thị", "Tờ trình"} else " "
    return f"{type_name}{joiner}{subject[4:]}", type_name


def body_for(rng: random.Random, subject: str, day: dt.date) -> list[str]:
    opening = _fill(rng.choice(BODY_OPENINGS), rng, day, "phường")
    sentences = rng.sample(BODY_SENTENCES, k=rng.randint(2, 4))
    deadline = day + dt.timedelta(days=rng.randint(7, 30))
    return [
        f"{opening} về nội dung: {subject[4:] if subject.startswith('V/v ') else subject}.",
        *sentences,
        f"Thời hạn báo cáo: trước ngày {deadline:%d/%m/%Y}.",
    ]


def document_pdf(
    *,
    issuer: str,
    parent: str,
    notation: str,
    place: str,
    day: dt.date,
    type_name: str,
    subject: str,
    body: list[str],
    competence: str,
    position: str,
    signer: str,
    recipients: Sequence[str],
) -> bytes:
    """A one- or two-page document laid out roughly as Decree 30 App. I (header, number,
    place and date, title, body, recipients, signature), with a real text layer."""
    col = 75 * 72 / 25.4
    right = 30 * 72 / 25.4 + col + 5
    lines = [
        Line(parent.upper(), 12, "center", width=col, keep_y=True),
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "center", x=right, width=95 * 72 / 25.4),
        Line(issuer.upper(), 12, "center", width=col, keep_y=True),
        Line("Độc lập - Tự do - Hạnh phúc", 13, "center", x=right, width=95 * 72 / 25.4),
        Line(f"Số: {notation}", 13, "center", width=col, keep_y=True),
        Line(
            f"{place}, ngày {day:%d} tháng {day:%m} năm {day.year}",
            13,
            "center",
            x=right,
            width=95 * 72 / 25.4,
            space_after=14,
        ),
    ]
    if type_name == "Công văn":
        lines.append(Line(subject, 12, "wrap", width=col, space_after=12))
    else:
        lines.append(Line(type_name.upper(), 14, "center"))
        title = subject[len(type_name) :].strip() if subject.startswith(type_name) else subject
        lines.append(Line(title[:1].upper() + title[1:], 14, "center", space_after=12))
    lines += [Line(p, 14, "wrap", indent=28, space_after=4) for p in body]
    lines.append(Line("Nơi nhận:", 12, space_after=0))
    lines += [Line(f"- {r};", 11) for r in recipients]
    lines.append(Line("- Lưu: VT.", 11, space_after=10))
    if competence:
        lines.append(Line(f"{competence} {issuer.upper()}", 13, "right"))
    lines += [Line(position.upper(), 13, "right", space_after=40), Line(signer, 13, "right")]
    return render(lines, title=subject[:120])


# --- people and units ------------------------------------------------------------------------


@dataclass
class UnitStaff:
    """Who registers, assigns and handles in a unit (demo accounts; None in benchmarks)."""

    clerk: Any = None
    leaders: list[Any] = field(default_factory=list)
    specialists: dict[str, list[Any]] = field(default_factory=dict)  # department abbr → users
    departments: dict[str, Department] = field(default_factory=dict)


def unit_staff(unit: AdminUnit, on: dt.date) -> UnitStaff:
    """The unit's clerk, leaders and specialists by department on ``on`` (from positions)."""
    from congso.kernel.people.models import Position, Role

    positions = (
        Position.objects.filter(unit=unit)
        .filter(models_q_valid(on))
        .select_related("user", "department")
        .order_by("pk")
    )
    staff = UnitStaff(departments={d.abbreviation: d for d in Department.objects.filter(unit=unit)})
    for position in positions:
        user = position.user
        if position.role == Role.CLERK and staff.clerk is None:
            staff.clerk = user
        elif position.role == Role.LEADER and (
            position.department is None or position.department.abbreviation == "LĐ"
        ):
            staff.leaders.append(user)
        elif position.role in {Role.SPECIALIST, Role.INSPECTOR, Role.LEADER}:
            abbr = position.department.abbreviation if position.department else "VP"
            staff.specialists.setdefault(abbr, []).append(user)
    return staff


def models_q_valid(on: dt.date) -> Any:
    from django.db.models import Q

    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


# --- numbering -------------------------------------------------------------------------------


def _sequence_last(scope: str, series: str, year: int) -> int:
    row = NumberSequence.objects.filter(scope=scope, series=series, year=year).first()
    return row.last if row else 0


def _sequence_set(scope: str, series: str, year: int, last: int) -> None:
    """Move the counter to ``last`` (never back): the next ``number_next`` gives last + 1."""
    row, _ = NumberSequence.objects.get_or_create(scope=scope, series=series, year=year)
    if row.last < last:
        NumberSequence.objects.filter(pk=row.pk).update(last=last, updated_at=timezone.now())


def outgoing_series(unit: AdminUnit, document_type: DocumentType, secrecy: int = 0) -> str:
    """The series of an outgoing number: the outgoing area's ``outgoing_series`` (per-committee
    scheme) when it is installed, else its default scheme: "outgoing:<abbreviation>" for a typed
    document, "outgoing:letter" for a công văn, "outgoing-secret" for secret ones."""
    import importlib

    try:
        outgoing_services: Any = importlib.import_module("congso.documents.services.outgoing")
    except ModuleNotFoundError:
        outgoing_services = None
    scheme = getattr(outgoing_services, "outgoing_series", None)
    if callable(scheme):
        probe = OutgoingDocument(unit=unit, document_type=document_type, secrecy=secrecy)
        return str(scheme(probe))
    if secrecy:
        return "outgoing-secret"
    if document_type.is_letter or not document_type.abbreviation:
        return "outgoing:letter"
    return f"outgoing:{document_type.abbreviation}"


# --- dates -----------------------------------------------------------------------------------


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    naive = dt.datetime(day.year, day.month, day.day, rng.randint(7, 16), rng.randint(0, 59))
    return timezone.make_aware(naive)


def _dates(rng: random.Random, n: int, start: dt.date, end: dt.date) -> list[dt.date]:
    days = _working_days(start, end)
    if not days:
        return []
    return sorted(rng.choice(days) for _ in range(n))


# --- files -----------------------------------------------------------------------------------


@dataclass
class _PendingFile:
    owner_id: int
    name: str
    data: bytes
    created: dt.datetime


def _store_files(
    pending: list[_PendingFile], *, model: type[Any], unit_id: int, user: Any, rng: random.Random
) -> int:
    """Write the bytes and the rows (bulk); the names follow ``kernel.files``'s scheme."""
    if not pending:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    rows = []
    for item in pending:
        public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        storage_name = f"files/{timezone.localtime(item.created):%Y/%m/%d}/{public_id.hex}.pdf"
        saved = default_storage.save(storage_name, ContentFile(item.data))
        rows.append(
            StoredFile(
                public_id=public_id,
                storage_name=saved,
                original_name=item.name,
                kind="pdf",
                content_type="application/pdf",
                size=len(item.data),
                sha256=hashlib.sha256(item.data).hexdigest(),
                uploaded_by=user,
                unit_id=unit_id,
                owner_type=content_type,
                owner_id=str(item.owner_id),
                created_at=item.created,
            )
        )
    StoredFile.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _file_name(notation: str) -> str:
    folded = unicodedata.normalize("NFD", notation.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-") + ".pdf"


# --- incoming --------------------------------------------------------------------------------


@dataclass
class CorpusStats:
    incoming: int = 0
    outgoing: int = 0
    files: int = 0
    assignments: int = 0
    overdue: int = 0
    by_year: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: CorpusStats) -> None:
        self.incoming += other.incoming
        self.outgoing += other.outgoing
        self.files += other.files
        self.assignments += other.assignments
        self.overdue += other.overdue
        for year, count in other.by_year.items():
            self.by_year[year] += count


def _types() -> dict[str, DocumentType]:
    return {t.name: t for t in DocumentType.objects.all()}


def _senders(era: str) -> list[Sender]:
    return [s for s in SENDERS if s.era in {"all", era}]


def _notation(sender: Sender, type_obj: DocumentType, day: dt.date, rng: random.Random) -> str:
    progress = (day.timetuple().tm_yday - 1) / 366
    number = max(1, int(sender.yearly * progress) + rng.randint(1, max(2, sender.yearly // 60)))
    if type_obj.is_letter or not type_obj.abbreviation:
        return f"{number:02d}/{sender.abbr}-{rng.choice(sender.letter_units)}"
    typed = max(1, number * 12 // 100 + rng.randint(0, 3))  # typed series are shorter
    return f"{typed:02d}/{type_obj.abbreviation}-{sender.abbr}"


def _urgency(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.86:
        return int(Urgency.NORMAL)
    if roll < 0.955:
        return int(Urgency.URGENT)
    if roll < 0.99:
        return int(Urgency.VERY_URGENT)
    return int(Urgency.FLASH)


def _secrecy(rng: random.Random) -> int:
    roll = rng.random()
    return 2 if roll < 0.002 else 1 if roll < 0.015 else 0


def _channel(rng: random.Random, day: dt.date) -> str:
    roll = rng.random()
    if day < dt.date(2023, 1, 1):
        return (
            Channel.PAPER if roll < 0.55 else Channel.ELECTRONIC if roll < 0.95 else Channel.EDXML
        )
    if day < NEW_WARDS_FROM:
        return Channel.PAPER if roll < 0.3 else Channel.ELECTRONIC if roll < 0.8 else Channel.EDXML
    return Channel.PAPER if roll < 0.15 else Channel.ELECTRONIC if roll < 0.6 else Channel.EDXML


def generate_incoming(
    n: int,
    *,
    unit: AdminUnit,
    start: dt.date,
    end: dt.date,
    seed: int = SEED,
    staff: UnitStaff | None = None,
    today: dt.date | None = None,
    with_files: bool = True,
    district: bool = False,
    note: str = CORPUS_NOTE,
) -> CorpusStats:
    """``n`` incoming documents of ``unit`` arrived between ``start`` and ``end`` (working days),
    numbered from the unit's current arrival counters in date order; the counters are moved to
    the last number used. With ``staff``: registered by its clerk, assigned by its leaders to its
    specialists or departments, older ones completed, some overdue. ``with_files``: a generated
    PDF for each ordinary document (secret ones are registered without one)."""
    today = today or timezone.localdate()
    end = min(end, today - dt.timedelta(days=1))
    rng = _rng(f"{seed}:in:{unit.dataset}:{unit.code}:{start}:{end}:{n}")
    types = _types()
    era = "old" if district else "new"
    senders = _senders(era)
    sender_weights = [s.weight for s in senders]
    place = "quận" if district else "phường"
    staff = staff or UnitStaff()
    scope = f"unit:{unit.pk}"
    counters: dict[tuple[str, int], int] = {}
    stats = CorpusStats()
    documents: list[IncomingDocument] = []
    texts: list[tuple[str, list[str], str, str, str, str]] = []
    topics: list[str] = []
    signers: dict[str, list[str]] = {}
    moments = sorted(_moment(rng, day) for day in _dates(rng, n, start, end))
    for arrived in moments:
        day = timezone.localtime(arrived).date()
        sender = rng.choices(senders, weights=sender_weights)[0]
        names = signers.setdefault(sender.key, [_person(rng) for _ in sender.positions])
        type_name = _weighted(rng, sender.types)
        topic = rng.choice(sender.topics)
        issued = day - dt.timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 5, 7)))
        subject, type_name = subject_for(rng, type_name, topic, issued, place)
        type_obj = types[type_name]
        secrecy = _secrecy(rng)
        series = SERIES_ARRIVAL_SECRET if secrecy else SERIES_ARRIVAL
        key = (series, day.year)
        if key not in counters:
            counters[key] = _sequence_last(scope, series, day.year)
        counters[key] += 1
        notation = _notation(sender, type_obj, issued, rng)
        number, _, code_notation = notation.partition("/")
        signer_index = rng.randrange(len(sender.positions))
        competence, position = sender.positions[signer_index]
        reply_by = (
            add_working_days(day, rng.choice((5, 7, 10, 15))) if rng.random() < 0.35 else None
        )
        document = IncomingDocument(
            unit=unit,
            arrival_year=day.year,
            arrival_number=counters[key],
            arrival_series=series,
            arrived_at=arrived,
            channel=_channel(rng, day),
            sender_name=sender.name,
            document_type=type_obj,
            notation=notation,
            code_number=number,
            code_notation=code_notation,
            issued_date=issued,
            subject=subject,
            signer_name=names[signer_index],
            signer_position=f"{competence} {position}".strip(),
            page_count=rng.choice((1, 1, 2, 2, 3, 4)),
            urgency=_urgency(rng),
            secrecy=secrecy,
            reply_by=reply_by,
            status=IncomingStatus.REGISTERED,
            digitization_status=DigitizationStatus.NO_FILE,
            note=note,
            registered_by=staff.clerk,
        )
        topics.append(topic)
        documents.append(document)
        body = body_for(rng, subject, issued)
        texts.append((subject, body, competence, position, sender.name, type_name))
        stats.by_year[day.year] += 1

    # Workflow: who handled what, and how far it got (decided before the rows are written).
    assignments: list[tuple[int, Assignment]] = []
    departments = staff.departments
    now = timezone.now()
    for index, (document, topic) in enumerate(zip(documents, topics, strict=True)):
        arrived_day = timezone.localtime(document.arrived_at).date()
        age = (today - arrived_day).days
        dept_abbr = (DISTRICT_DEPARTMENT if district else WARD_DEPARTMENT).get(topic, "VP")
        department = departments.get(dept_abbr)
        people = staff.specialists.get(dept_abbr, [])
        if not staff.leaders or (department is None and not people):
            continue
        roll = rng.random()
        if age > 45:
            state = "done" if roll < 0.975 else "overdue"
        elif age > 7:
            state = "done" if roll < 0.55 else "in_progress" if roll < 0.8 else "assigned"
        else:
            state = (
                "registered"
                if roll < 0.3
                else "presented"
                if roll < 0.5
                else "assigned"
                if roll < 0.85
                else "in_progress"
            )
        leader = rng.choice(staff.leaders)
        if state == "registered":
            continue
        document.presented_to = leader
        presented_day = arrived_day if document.urgency else add_working_days(arrived_day, 1)
        document.presented_at = min(
            max(
                _moment(rng, min(presented_day, today)), document.arrived_at + dt.timedelta(hours=1)
            ),
            now,
        )
        if state == "presented":
            document.status = IncomingStatus.PRESENTED
            continue
        assigned_at = max(document.presented_at, document.arrived_at) + dt.timedelta(hours=2)
        assigned_day = timezone.localtime(assigned_at).date()
        days = 3 if document.urgency else rng.choice((5, 7, 10, 10, 15))
        deadline = add_working_days(assigned_day, days)
        if state == "overdue":
            deadline = min(deadline, today - dt.timedelta(days=rng.randint(3, 40)))
        lead_user = rng.choice(people) if people and rng.random() < 0.7 else None
        assignment = Assignment(
            assigned_by=leader,
            lead_user=lead_user,
            lead_department=department if lead_user is None or rng.random() < 0.5 else None,
            instruction=rng.choice(INSTRUCTIONS),
            deadline=deadline,
            status=AssignmentStatus.OPEN,
            assigned_at=assigned_at,
        )
        if assignment.lead_user is None and assignment.lead_department is None:
            assignment.lead_department = department
        if state == "done":
            finished = min(add_working_days(assigned_day, rng.randint(1, days)), today)
            assignment.status = AssignmentStatus.DONE
            assignment.completed_at = _moment(rng, finished)
            if assignment.completed_at < assigned_at:
                assignment.completed_at = assigned_at + dt.timedelta(hours=3)
            assignment.completed_at = min(assignment.completed_at, now)
            assignment.completed_by = lead_user or leader
            assignment.result_note = rng.choice(RESULTS)
            document.status = IncomingStatus.DONE
        elif state == "in_progress":
            document.status = IncomingStatus.IN_PROGRESS
        else:
            document.status = IncomingStatus.ASSIGNED
        if assignment.status == AssignmentStatus.OPEN and deadline < today:
            stats.overdue += 1
        assignments.append((index, assignment))

    pending: list[_PendingFile] = []
    if with_files:
        for document, (subject, body, *_, sender_name, _type) in zip(documents, texts, strict=True):
            if document.secrecy:
                continue
            document.digitization_status = DigitizationStatus.DONE
            document.text = "\n".join([sender_name, document.notation, subject, *body])
    with transaction.atomic():
        IncomingDocument.objects.bulk_create(documents, batch_size=BATCH)
        for index, assignment in assignments:
            assignment.document = documents[index]
        Assignment.objects.bulk_create([a for _, a in assignments], batch_size=BATCH)
        for (series, year), last in counters.items():
            _sequence_set(scope, series, year, last)
        EdxmlMessage.objects.bulk_create(
            [
                EdxmlMessage(
                    unit=unit,
                    direction=EdxmlDirection.RECEIVED,
                    kind=EdxmlKind.PACKAGE,
                    document_id=f"{_org_code(d.sender_name)},{d.issued_date:%Y/%m/%d},{d.notation}",
                    business_doc_type=0,
                    peer_org_id=_org_code(d.sender_name),
                    peer_name=d.sender_name,
                    incoming=d,
                    created_by=staff.clerk,
                    created_at=d.arrived_at,
                )
                for d in documents
                if d.channel == Channel.EDXML
            ],
            batch_size=BATCH,
        )
        if with_files:
            for document, (subject, body, competence, position, sender_name, type_name) in zip(
                documents, texts, strict=True
            ):
                if document.secrecy:
                    continue
                pdf = document_pdf(
                    issuer=sender_name,
                    parent=_parent(sender_name),
                    notation=document.notation,
                    place="Hà Nội",
                    day=document.issued_date or document.arrived_at.date(),
                    type_name=type_name,
                    subject=subject,
                    body=body,
                    competence=competence,
                    position=position,
                    signer=document.signer_name,
                    recipients=[unit.display_committee],
                )
                pending.append(
                    _PendingFile(
                        document.pk, _file_name(document.notation), pdf, document.arrived_at
                    )
                )
            stats.files += _store_files(
                pending, model=IncomingDocument, unit_id=unit.pk, user=staff.clerk, rng=rng
            )
    stats.incoming = len(documents)
    stats.assignments = len(assignments)
    return stats


def _org_code(sender_name: str) -> str:
    for sender in SENDERS:
        if sender.name == sender_name:
            return sender.org_code
    return ""


def _parent(sender_name: str) -> str:
    if sender_name.startswith("Sở "):
        return "Ủy ban nhân dân thành phố Hà Nội"
    if sender_name.startswith("Ủy ban nhân dân thành phố"):
        return ""
    if "quận" in sender_name:
        return "Ủy ban nhân dân quận Tây Hồ"
    if sender_name.startswith(("Công an", "Ban Chỉ huy")):
        return "Thành phố Hà Nội"
    return ""


# --- outgoing --------------------------------------------------------------------------------


def generate_outgoing(
    n: int,
    *,
    unit: AdminUnit,
    start: dt.date,
    end: dt.date,
    seed: int = SEED,
    staff: UnitStaff | None = None,
    today: dt.date | None = None,
    with_files: bool = True,
    district: bool = False,
    author: Any = None,
) -> CorpusStats:
    """``n`` issued outgoing documents of ``unit``, numbered gap-free per year and series from
    the unit's current counters in date order (the counters are moved to the last number)."""
    today = today or timezone.localdate()
    end = min(end, today - dt.timedelta(days=1))
    rng = _rng(f"{seed}:out:{unit.dataset}:{unit.code}:{start}:{end}:{n}")
    types = _types()
    staff = staff or UnitStaff()
    departments = [d for d in staff.departments.values() if d.abbreviation != "LĐ"]
    if not departments:
        departments = list(Department.objects.filter(unit=unit).exclude(abbreviation="LĐ"))
    if not departments:
        return CorpusStats()
    creator = author or staff.clerk
    if creator is None:
        return CorpusStats()
    counters: dict[tuple[str, str, int], int] = {}
    documents: list[OutgoingDocument] = []
    bodies: list[list[str]] = []
    place = "quận" if district else "phường"
    leaders = staff.leaders or [None]
    positions = (("TM.", "Chủ tịch"), ("KT.", "Phó Chủ tịch"))
    recipients = [s for s in SENDERS if s.era in {"all", "old" if district else "new"}]
    stats = CorpusStats()
    for day in _dates(rng, n, start, end):
        type_name = _weighted(rng, OUTGOING_TYPES)
        topic = rng.choice(OUTGOING_TOPICS)
        subject, type_name = subject_for(rng, type_name, topic, day, place)
        type_obj = types[type_name]
        secrecy = 1 if rng.random() < 0.01 else 0
        series = outgoing_series(unit, type_obj, secrecy)
        scope = f"unit:{unit.pk}"
        key = (scope, series, day.year)
        if key not in counters:
            counters[key] = _sequence_last(scope, series, day.year)
        counters[key] += 1
        number = counters[key]
        department = rng.choice(departments)
        if type_obj.is_letter or not type_obj.abbreviation:
            notation = f"{number:02d}/{unit.abbreviation or 'UBND'}-{department.abbreviation}"
        else:
            notation = f"{number:02d}/{type_obj.abbreviation}-{unit.abbreviation or 'UBND'}"
        competence, title = rng.choice(positions)
        leader = rng.choice(leaders)
        sent_to = rng.sample(recipients, k=min(len(recipients), rng.randint(1, 3)))
        issued_at = _moment(rng, day)
        document = OutgoingDocument(
            unit=unit,
            department=department,
            document_type=type_obj,
            subject=subject,
            urgency=_urgency(rng),
            secrecy=secrecy,
            status=OutgoingStatus.ISSUED,
            year=day.year,
            series=series,
            number=number,
            notation=notation,
            issued_date=day,
            issued_at=issued_at,
            issued_by=staff.clerk,
            signer=leader,
            signer_title=title,
            signing_authority=competence,
            signed_at=issued_at - dt.timedelta(hours=1),
            page_count=rng.choice((1, 1, 2, 3)),
            copies=rng.randint(2, 8),
            recipients_text="\n".join([*(s.name for s in sent_to), "Lưu: VT."]),
            archive_copy_to=f"VT, {department.abbreviation}",
            created_by=creator,
            digitization_status=DigitizationStatus.NO_FILE,
        )
        body = body_for(rng, subject, day)
        if with_files and not secrecy:
            document.digitization_status = DigitizationStatus.DONE
            document.text = "\n".join([unit.display_committee, notation, subject, *body])
        documents.append(document)
        bodies.append(body)
        stats.by_year[day.year] += 1
    with transaction.atomic():
        OutgoingDocument.objects.bulk_create(documents, batch_size=BATCH)
        for (scope, series, year), last in counters.items():
            _sequence_set(scope, series, year, last)
        if with_files:
            pending = []
            for document, body in zip(documents, bodies, strict=True):
                if document.secrecy:
                    continue
                signer = document.signer
                pdf = document_pdf(
                    issuer=unit.display_committee,
                    parent=unit.parent.display_committee if unit.parent else "",
                    notation=document.notation,
                    place="Tây Hồ" if not district else "Hà Nội",
                    day=document.issued_date or today,
                    type_name=document.document_type.name,
                    subject=document.subject,
                    body=body,
                    competence=document.signing_authority,
                    position=document.signer_title,
                    signer=str(getattr(signer, "full_name", "") or ""),
                    recipients=document.recipients_text.splitlines()[:-1],
                )
                assert document.issued_at is not None
                pending.append(
                    _PendingFile(
                        document.pk, _file_name(document.notation), pdf, document.issued_at
                    )
                )
            stats.files += _store_files(
                pending, model=OutgoingDocument, unit_id=unit.pk, user=staff.clerk, rng=rng
            )
    stats.outgoing = len(documents)
    return stats


# --- scanned paper arrivals ------------------------------------------------------------------

_SCAN_DATE = re.compile(r"ngày (\d{2}) tháng (\d{2}) năm (\d{4})")


def _scanned_documents(
    *, unit: AdminUnit, other_ward: str, clerk: Any, count: int, seed: int, today: dt.date
) -> int:
    """The most recent paper arrivals: decisions of the neighbouring ward, printed and scanned
    (skewed, noisy JPEG pages, no text layer), registered through ``incoming_register`` so that
    the digitisation worker OCRs them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congso.documents.services.incoming import incoming_register
    from congso.kernel.ocr.testdata.scan import decision_lines, pdf_from_images, render_pages

    decision = DocumentType.objects.get(name="Quyết định")
    registered = 0
    attempt = 0
    while registered < count and attempt < count * 20:
        attempt += 1
        scan_seed = seed * 1000 + attempt
        rng = _rng(scan_seed)
        number = rng.randint(12, 240)
        lines = decision_lines(
            None, seed=scan_seed, ward=other_ward, number=number, year=today.year
        )
        match = _SCAN_DATE.search(lines[5].text)
        if match is None:
            continue
        issued = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        arrived = min(timezone.now(), timezone.make_aware(dt.datetime.combine(today, dt.time(16))))
        arrived -= dt.timedelta(minutes=41 * (count - registered))
        if issued > timezone.localtime(arrived).date() - dt.timedelta(days=2):
            continue
        pages = render_pages(lines, dpi=200, seed=scan_seed)[:2]
        pdf = pdf_from_images([p.image for p in pages], dpi=200)
        notation = f"{number:02d}/QĐ-UBND"
        try:
            incoming_register(
                unit=unit,
                user=clerk,
                files=[
                    SimpleUploadedFile(f"scan-{number:02d}-QD-UBND.pdf", pdf, "application/pdf")
                ],
                channel=Channel.PAPER,
                document_type=decision,
                subject=lines[7].text,
                sender_name=f"Ủy ban nhân dân phường {other_ward.title()}",
                notation=notation,
                issued_date=issued,
                signer_name=lines[-1].text,
                signer_position="TM. Chủ tịch",
                arrived_at=arrived,
                note=f"{CORPUS_NOTE}: bản giấy được quét",
            )
        except DomainError as exc:
            if exc.code == "duplicate_suspected":
                continue
            raise
        registered += 1
    return registered


# --- the demo loader -------------------------------------------------------------------------


def _setting_int(name: str, default: int) -> int:
    value: Any = os.environ.get(name) or getattr(settings, name, None)
    if value is None:
        return default
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


def demo_size() -> int:
    """``DEMO_DOCUMENTS`` (environment or settings): incoming + outgoing documents to generate."""
    return _setting_int("DEMO_DOCUMENTS", DEFAULT_SIZE)


def _user(username: str) -> Any:
    from congso.kernel.people.models import User

    return User.objects.filter(username=username).first()


def _eras(today: dt.date) -> Iterator[tuple[str, dt.date, dt.date]]:
    yield "old", START, NEW_WARDS_FROM - dt.timedelta(days=1)
    yield "new", NEW_WARDS_FROM, today - dt.timedelta(days=4)


def corpus_present(units: Sequence[AdminUnit]) -> bool:
    return IncomingDocument.objects.filter(unit__in=list(units), note=CORPUS_NOTE).exists()


@register("documents-corpus", order=60)
def load(ctx: DemoContext) -> None:
    from congso.kernel.audit.services import audit_record
    from congso.kernel.orgunits.demo import demo_units

    size = demo_size()
    if size == 0:
        ctx.log("DEMO_DOCUMENTS=0: bỏ qua bộ văn bản mẫu.")
        return
    units = demo_units()
    targets = [units.former_district, units.tay_ho, units.phu_thuong]
    if corpus_present(targets):
        ctx.log("Bộ văn bản mẫu đã có, không tạo thêm.")
        return
    today = ctx.today
    total_days = (today - START).days or 1
    old_days = (NEW_WARDS_FROM - START).days
    n_in, n_out = size * 2 // 3, size - size * 2 // 3
    stats = CorpusStats()
    old_share = old_days / total_days

    former = unit_staff(units.former_district, NEW_WARDS_FROM - dt.timedelta(days=1))
    former.clerk = former.clerk or _user("vanthu.tayho")
    stats.add(
        generate_incoming(
            round(n_in * old_share),
            unit=units.former_district,
            start=START,
            end=NEW_WARDS_FROM - dt.timedelta(days=1),
            staff=former,
            today=today,
            district=True,
        )
    )
    stats.add(
        generate_outgoing(
            round(n_out * old_share),
            unit=units.former_district,
            start=START,
            end=NEW_WARDS_FROM - dt.timedelta(days=1),
            staff=former,
            today=today,
            district=True,
        )
    )
    new_in = n_in - round(n_in * old_share)
    new_out = n_out - round(n_out * old_share)
    for unit, share in ((units.tay_ho, 0.65), (units.phu_thuong, 0.35)):
        staff = unit_staff(unit, today)
        stats.add(
            generate_incoming(
                round(new_in * share),
                unit=unit,
                start=NEW_WARDS_FROM,
                end=today - dt.timedelta(days=4),
                staff=staff,
                today=today,
            )
        )
        stats.add(
            generate_outgoing(
                round(new_out * share),
                unit=unit,
                start=NEW_WARDS_FROM,
                end=today - dt.timedelta(days=1),
                staff=staff,
                today=today,
            )
        )
    scanned = 0
    clerk = _user("vanthu.tayho")
    scanned_wanted = _setting_int("DEMO_SCANNED_DOCUMENTS", SCANNED_DOCUMENTS)
    if clerk is not None and scanned_wanted:
        scanned = _scanned_documents(
            unit=units.tay_ho,
            other_ward="PHÚ THƯỢNG",
            clerk=clerk,
            count=scanned_wanted,
            seed=SEED,
            today=today,
        )
    audit_record(
        action="documents.demo_corpus",
        actor=None,
        unit=units.tay_ho,
        changes={
            "incoming": [None, stats.incoming],
            "outgoing": [None, stats.outgoing],
            "files": [None, stats.files],
            "scanned": [None, scanned],
        },
        summary=(
            f"Nạp bộ văn bản mẫu: {stats.incoming} văn bản đến, {stats.outgoing} văn bản đi, "
            f"{stats.files} tệp, {scanned} văn bản giấy quét chờ OCR."
        ),
    )
    years = ", ".join(f"{y}: {c}" for y, c in sorted(stats.by_year.items()))
    ctx.log(
        f"{stats.incoming} văn bản đến, {stats.outgoing} văn bản đi ({years}); "
        f"{stats.assignments} phân công ({stats.overdue} quá hạn); {stats.files} tệp PDF; "
        f"{scanned} văn bản giấy quét ({scanned * 2} trang) chờ OCR."
    )
