"""Demo catalogue of the one-stop shop: about 25 common ward-level procedures (order 50).

**Demo data** (``is_demo=True``, flagged "DỮ LIỆU MẪU" in the admin and the UI): the codes
follow the national database's pattern (``1.00xxxx``, ``2.00xxxx``) and the durations, cut-offs,
fees and papers are plausible for a Hà Nội ward after the two-tier reform of 01/07/2025, but they
must be checked against the Cơ sở dữ liệu quốc gia về TTHC (csdl.dichvucong.gov.vn) and the
province's decisions before real use. Building permits for individual houses are shown at ward
level: after the 2025 reform the commune-level committee issues them in Hà Nội (marked in the
notes as to be verified). Household businesses are registered at commune level since 2025.

Idempotent: procedures are found by code; existing ones are left as they are (an administrator
may have edited them). Fast: a handful of bulk inserts (well under a second).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from congso.kernel.core.demo import DemoContext, register
from congso.kernel.people.models import Role

from .models import (
    CopyType,
    DurationUnit,
    OnlineLevel,
    Procedure,
    ProcedureFee,
    ProcedureField,
    ProcedureLevel,
    ProcedurePaper,
    ProcedureStep,
)

DEMO_NOTE = (
    "DỮ LIỆU MẪU (demo): mã, thời hạn, phí và thành phần hồ sơ chỉ để minh họa; đối chiếu Cơ sở "
    "dữ liệu quốc gia về thủ tục hành chính trước khi sử dụng."
)
FIFTEEN = dt.time(15, 0)

FIELDS = (
    ("HT", "Hộ tịch"),
    ("CT", "Chứng thực"),
    ("HKD", "Thành lập và hoạt động của hộ kinh doanh"),
    ("XD", "Hoạt động xây dựng"),
    ("DD", "Đất đai"),
    ("BTXH", "Bảo trợ xã hội"),
    ("NCC", "Người có công"),
)

# Papers: (name, copy type, quantity, required, form name)
Paper = tuple[str, str, int, bool, str]
ORIG, C, OC = CopyType.ORIGINAL, CopyType.CERTIFIED_COPY, CopyType.ORIGINAL_OR_COPY


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    field: str
    days: str  # legal time; "0" = within the day
    department: str  # who examines it (ward department abbreviation)
    papers: tuple[Paper, ...]
    fees: tuple[tuple[str, int, str], ...] = ()
    online: str = OnlineLevel.PARTIAL
    cutoff: dt.time | None = None
    unit: str = DurationUnit.WORKING_DAYS
    result: str = ""
    legal: str = ""
    applicant: str = "Công dân Việt Nam"
    extra_note: str = ""
    fee_text: str = ""


ID_CARD: Paper = ("Căn cước/Căn cước công dân của người yêu cầu (xuất trình)", ORIG, 1, True, "")
AUTH: Paper = ("Văn bản ủy quyền (nếu nộp thay)", C, 1, False, "")

SPECS: tuple[Spec, ...] = (
    # --- Hộ tịch ---------------------------------------------------------------------------
    Spec(
        "1.001193",
        "Đăng ký khai sinh",
        "HT",
        "0",
        "VP",
        (
            ("Tờ khai đăng ký khai sinh", ORIG, 1, True, "Tờ khai đăng ký khai sinh (mẫu)"),
            ("Giấy chứng sinh hoặc văn bản thay thế", ORIG, 1, True, ""),
            ID_CARD,
            AUTH,
        ),
        fees=(("Lệ phí đăng ký khai sinh đúng hạn", 0, "Miễn lệ phí"),),
        online=OnlineLevel.FULL,
        cutoff=FIFTEEN,
        result="Giấy khai sinh (bản chính), bản sao Giấy khai sinh nếu có yêu cầu",
        legal="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP",
        fee_text="Miễn lệ phí",
    ),
    Spec(
        "1.000894",
        "Đăng ký kết hôn",
        "HT",
        "0",
        "VP",
        (
            ("Tờ khai đăng ký kết hôn", ORIG, 1, True, "Tờ khai đăng ký kết hôn (mẫu)"),
            (
                "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký tại nơi khác nơi cư trú)",
                ORIG,
                1,
                False,
                "",
            ),
            ID_CARD,
        ),
        fees=(("Lệ phí đăng ký kết hôn", 0, "Miễn lệ phí"),),
        cutoff=FIFTEEN,
        result="Giấy chứng nhận kết hôn",
        legal="Luật Hôn nhân và gia đình 2014; Luật Hộ tịch 2014",
        applicant="Nam, nữ đủ điều kiện kết hôn",
        fee_text="Miễn lệ phí",
        extra_note="Trường hợp cần xác minh: không quá 05 ngày làm việc.",
    ),
    Spec(
        "1.000656",
        "Đăng ký khai tử",
        "HT",
        "0",
        "VP",
        (
            ("Tờ khai đăng ký khai tử", ORIG, 1, True, "Tờ khai đăng ký khai tử (mẫu)"),
            ("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử", ORIG, 1, True, ""),
            ID_CARD,
        ),
        fees=(("Lệ phí đăng ký khai tử đúng hạn", 0, "Miễn lệ phí"),),
        online=OnlineLevel.FULL,
        cutoff=FIFTEEN,
        result="Trích lục khai tử",
        legal="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        applicant="Người thân thích của người chết",
        fee_text="Miễn lệ phí",
    ),
    Spec(
        "1.004884",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "HT",
        "3",
        "VP",
        (
            (
                "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                ORIG,
                1,
                True,
                "Tờ khai xác nhận tình trạng hôn nhân (mẫu)",
            ),
            ("Bản án, quyết định ly hôn hoặc giấy chứng tử của vợ/chồng (nếu có)", C, 1, False, ""),
            ID_CARD,
        ),
        fees=(("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 0, "Miễn lệ phí tại Hà Nội"),),
        online=OnlineLevel.FULL,
        result="Giấy xác nhận tình trạng hôn nhân",
        legal="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        fee_text="Miễn lệ phí",
    ),
    Spec(
        "1.004746",
        "Cấp bản sao trích lục hộ tịch",
        "HT",
        "0",
        "VP",
        (
            ("Tờ khai cấp bản sao trích lục hộ tịch", ORIG, 1, True, "Tờ khai (mẫu)"),
            ID_CARD,
            AUTH,
        ),
        fees=(("Phí cấp bản sao trích lục", 8000, "8.000 đồng/bản"),),
        online=OnlineLevel.FULL,
        cutoff=FIFTEEN,
        result="Bản sao trích lục hộ tịch",
        legal="Luật Hộ tịch 2014; Thông tư 281/2016/TT-BTC",
        fee_text="8.000 đồng/bản sao",
    ),
    Spec(
        "1.000689",
        "Đăng ký nhận cha, mẹ, con",
        "HT",
        "3",
        "VP",
        (
            ("Tờ khai đăng ký nhận cha, mẹ, con", ORIG, 1, True, "Tờ khai (mẫu)"),
            ("Chứng cứ chứng minh quan hệ cha, mẹ, con (văn bản giám định ADN…)", OC, 1, True, ""),
            ID_CARD,
        ),
        fees=(("Lệ phí đăng ký nhận cha, mẹ, con", 0, "Miễn lệ phí tại Hà Nội"),),
        result="Trích lục đăng ký nhận cha, mẹ, con",
        legal="Luật Hộ tịch 2014, Điều 24–25",
        extra_note="Trường hợp cần xác minh: thêm không quá 05 ngày làm việc.",
    ),
    Spec(
        "1.004859",
        "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "HT",
        "3",
        "VP",
        (
            (
                "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
                ORIG,
                1,
                True,
                "Tờ khai (mẫu)",
            ),
            ("Giấy tờ làm căn cứ cải chính, bổ sung", C, 1, True, ""),
            ID_CARD,
        ),
        fees=(("Lệ phí thay đổi, cải chính hộ tịch", 15000, ""),),
        result="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
        legal="Luật Hộ tịch 2014, Điều 27–29",
        fee_text="15.000 đồng",
    ),
    Spec(
        "1.001022",
        "Đăng ký giám hộ",
        "HT",
        "3",
        "VP",
        (
            ("Tờ khai đăng ký giám hộ", ORIG, 1, True, "Tờ khai (mẫu)"),
            ("Văn bản cử người giám hộ", ORIG, 1, True, ""),
            ID_CARD,
        ),
        result="Trích lục đăng ký giám hộ",
        legal="Bộ luật Dân sự 2015; Luật Hộ tịch 2014",
    ),
    Spec(
        "1.000593",
        "Đăng ký lại khai sinh",
        "HT",
        "5",
        "VP",
        (
            ("Tờ khai đăng ký lại khai sinh", ORIG, 1, True, "Tờ khai (mẫu)"),
            ("Bản sao giấy tờ có thông tin khai sinh (nếu có)", C, 1, False, ""),
            ID_CARD,
        ),
        result="Giấy khai sinh",
        legal="Nghị định 123/2015/NĐ-CP, Điều 26",
    ),
    # --- Chứng thực -------------------------------------------------------------------------
    Spec(
        "2.000908",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "CT",
        "0",
        "VP",
        (
            (
                "Bản chính giấy tờ, văn bản cần chứng thực và bản sao cần chứng thực",
                ORIG,
                1,
                True,
                "",
            ),
        ),
        fees=(
            (
                "Phí chứng thực bản sao từ bản chính",
                2000,
                "2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang",
            ),
        ),
        online=OnlineLevel.PARTIAL,
        cutoff=FIFTEEN,
        result="Bản sao được chứng thực từ bản chính",
        legal="Nghị định 23/2015/NĐ-CP, Điều 21 (sau 15 giờ: trả trong ngày làm việc tiếp theo)",
        fee_text="2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang, tối đa 200.000 đồng/bản",
    ),
    Spec(
        "2.000884",
        "Chứng thực chữ ký trong giấy tờ, văn bản",
        "CT",
        "0",
        "VP",
        (("Giấy tờ, văn bản cần chứng thực chữ ký", ORIG, 1, True, ""), ID_CARD),
        fees=(("Phí chứng thực chữ ký", 10000, "10.000 đồng/trường hợp"),),
        cutoff=FIFTEEN,
        result="Giấy tờ, văn bản được chứng thực chữ ký",
        legal="Nghị định 23/2015/NĐ-CP, Điều 21, 24",
        fee_text="10.000 đồng/trường hợp",
    ),
    Spec(
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "CT",
        "16",
        "VP",
        (
            ("Dự thảo hợp đồng, giao dịch", ORIG, 1, True, ""),
            ("Bản sao giấy tờ chứng minh quyền sở hữu tài sản", C, 1, True, ""),
            ID_CARD,
        ),
        fees=(("Phí chứng thực hợp đồng", 50000, "50.000 đồng/hợp đồng"),),
        unit=DurationUnit.WORKING_HOURS,
        result="Hợp đồng, giao dịch được chứng thực",
        legal="Nghị định 23/2015/NĐ-CP, Điều 36",
        fee_text="50.000 đồng/hợp đồng, giao dịch",
    ),
    Spec(
        "2.000815",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "CT",
        "2",
        "VP",
        (("Văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng", ORIG, 1, True, ""), ID_CARD),
        fees=(("Phí chứng thực sửa đổi, bổ sung hợp đồng", 30000, ""),),
        result="Văn bản sửa đổi, bổ sung, hủy bỏ được chứng thực",
        legal="Nghị định 23/2015/NĐ-CP, Điều 39",
        fee_text="30.000 đồng",
    ),
    # --- Hộ kinh doanh (cấp xã từ 2025) ---------------------------------------------------
    Spec(
        "2.000575",
        "Đăng ký thành lập hộ kinh doanh",
        "HKD",
        "3",
        "KT",
        (
            ("Giấy đề nghị đăng ký hộ kinh doanh", ORIG, 1, True, "Giấy đề nghị (mẫu)"),
            (
                "Biên bản họp thành viên hộ gia đình (nếu các thành viên cùng đăng ký)",
                ORIG,
                1,
                False,
                "",
            ),
            ("Hợp đồng thuê, mượn địa điểm kinh doanh (nếu có)", C, 1, False, ""),
        ),
        fees=(("Lệ phí đăng ký hộ kinh doanh", 100000, ""),),
        online=OnlineLevel.FULL,
        result="Giấy chứng nhận đăng ký hộ kinh doanh",
        legal="Nghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp (đăng ký hộ kinh doanh tại cấp xã)",
        applicant="Cá nhân, thành viên hộ gia đình",
        fee_text="100.000 đồng/lần (Hà Nội)",
    ),
    Spec(
        "2.000720",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "HKD",
        "3",
        "KT",
        (
            ("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", ORIG, 1, True, "Thông báo (mẫu)"),
            ("Giấy chứng nhận đăng ký hộ kinh doanh đã cấp", ORIG, 1, True, ""),
        ),
        fees=(("Lệ phí thay đổi nội dung đăng ký", 50000, ""),),
        online=OnlineLevel.FULL,
        result="Giấy chứng nhận đăng ký hộ kinh doanh (thay đổi)",
        legal="Nghị định 168/2025/NĐ-CP",
        fee_text="50.000 đồng/lần",
    ),
    Spec(
        "2.000644",
        "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn của hộ kinh doanh",
        "HKD",
        "3",
        "KT",
        (("Thông báo tạm ngừng/tiếp tục kinh doanh", ORIG, 1, True, "Thông báo (mẫu)"),),
        online=OnlineLevel.FULL,
        result="Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh",
        legal="Nghị định 168/2025/NĐ-CP",
        fee_text="Không thu",
    ),
    Spec(
        "2.000631",
        "Chấm dứt hoạt động hộ kinh doanh",
        "HKD",
        "3",
        "KT",
        (
            ("Thông báo chấm dứt hoạt động hộ kinh doanh", ORIG, 1, True, "Thông báo (mẫu)"),
            ("Giấy chứng nhận đăng ký hộ kinh doanh (bản gốc)", ORIG, 1, True, ""),
        ),
        online=OnlineLevel.FULL,
        result="Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
        legal="Nghị định 168/2025/NĐ-CP",
        fee_text="Không thu",
    ),
    # --- Xây dựng ---------------------------------------------------------------------------
    Spec(
        "1.009994",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "XD",
        "15",
        "KT",
        (
            ("Đơn đề nghị cấp giấy phép xây dựng", ORIG, 1, True, "Đơn đề nghị (Mẫu số 01)"),
            ("Giấy tờ chứng minh quyền sử dụng đất", C, 1, True, ""),
            ("02 bộ bản vẽ thiết kế xây dựng", ORIG, 2, True, ""),
            ("Bản kê khai kinh nghiệm của tổ chức, cá nhân thiết kế (nếu có)", ORIG, 1, False, ""),
        ),
        fees=(("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75000, ""),),
        result="Giấy phép xây dựng",
        legal=(
            "Luật Xây dựng 2014 (sửa đổi 2020); Nghị định 175/2024/NĐ-CP; phân cấp cho UBND "
            "cấp xã theo Nghị định 140/2025/NĐ-CP [cần đối chiếu]"
        ),
        applicant="Chủ đầu tư nhà ở riêng lẻ",
        fee_text="75.000 đồng/giấy phép (Hà Nội)",
        extra_note=(
            "Sau sắp xếp 01/07/2025, UBND phường cấp giấy phép cho nhà ở riêng lẻ [cần đối chiếu]."
        ),
    ),
    Spec(
        "1.009995",
        "Cấp giấy phép sửa chữa, cải tạo đối với nhà ở riêng lẻ",
        "XD",
        "15",
        "KT",
        (
            ("Đơn đề nghị cấp giấy phép sửa chữa, cải tạo", ORIG, 1, True, "Đơn đề nghị (mẫu)"),
            ("Giấy tờ chứng minh quyền sở hữu, quản lý, sử dụng công trình", C, 1, True, ""),
            ("Bản vẽ hiện trạng và bản vẽ thiết kế sửa chữa, cải tạo", ORIG, 2, True, ""),
        ),
        fees=(("Lệ phí cấp giấy phép", 75000, ""),),
        result="Giấy phép sửa chữa, cải tạo",
        legal="Luật Xây dựng 2014 (sửa đổi 2020); Nghị định 175/2024/NĐ-CP",
        fee_text="75.000 đồng/giấy phép",
    ),
    Spec(
        "1.009997",
        "Gia hạn giấy phép xây dựng đối với nhà ở riêng lẻ",
        "XD",
        "5",
        "KT",
        (
            ("Đơn đề nghị gia hạn giấy phép xây dựng", ORIG, 1, True, "Đơn đề nghị (mẫu)"),
            ("Bản chính giấy phép xây dựng đã được cấp", ORIG, 1, True, ""),
        ),
        fees=(("Lệ phí gia hạn giấy phép", 15000, ""),),
        result="Giấy phép xây dựng được gia hạn",
        legal="Luật Xây dựng 2014 (sửa đổi 2020), Điều 99",
        fee_text="15.000 đồng",
    ),
    # --- Đất đai ----------------------------------------------------------------------------
    Spec(
        "1.004227",
        "Hòa giải tranh chấp đất đai",
        "DD",
        "30",
        "KT",
        (
            ("Đơn yêu cầu hòa giải tranh chấp đất đai", ORIG, 1, True, "Đơn (mẫu)"),
            ("Giấy tờ liên quan đến thửa đất tranh chấp (nếu có)", C, 1, False, ""),
        ),
        online=OnlineLevel.NONE,
        result="Biên bản hòa giải thành hoặc không thành",
        legal="Luật Đất đai 2024, Điều 235",
        applicant="Các bên tranh chấp đất đai",
        fee_text="Không thu",
    ),
    Spec(
        "1.012345",
        "Xác nhận hiện trạng, nguồn gốc và thời điểm sử dụng đất",
        "DD",
        "10",
        "KT",
        (
            ("Đơn đề nghị xác nhận", ORIG, 1, True, "Đơn (mẫu)"),
            ("Giấy tờ về quyền sử dụng đất (nếu có)", C, 1, False, ""),
        ),
        online=OnlineLevel.PARTIAL,
        result="Văn bản xác nhận của UBND phường",
        legal="Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP",
        fee_text="Không thu",
    ),
    # --- Bảo trợ xã hội ---------------------------------------------------------------------
    Spec(
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        "BTXH",
        "10",
        "VHXH",
        (
            ("Tờ khai đề nghị trợ giúp xã hội", ORIG, 1, True, "Tờ khai (Mẫu số 1a–1d)"),
            ("Giấy xác nhận khuyết tật (đối với người khuyết tật)", C, 1, False, ""),
        ),
        online=OnlineLevel.FULL,
        result="Quyết định trợ cấp xã hội hằng tháng",
        legal="Nghị định 20/2021/NĐ-CP; Nghị định 76/2024/NĐ-CP",
        applicant="Đối tượng bảo trợ xã hội",
        fee_text="Không thu",
    ),
    Spec(
        "1.001758",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "BTXH",
        "5",
        "VHXH",
        (
            ("Tờ khai đề nghị hỗ trợ chi phí mai táng", ORIG, 1, True, "Tờ khai (Mẫu số 4)"),
            ("Giấy báo tử hoặc trích lục khai tử", C, 1, True, ""),
        ),
        result="Quyết định hỗ trợ chi phí mai táng",
        legal="Nghị định 20/2021/NĐ-CP, Điều 11",
        applicant="Cơ quan, tổ chức, cá nhân tổ chức mai táng",
        fee_text="Không thu",
    ),
    Spec(
        "1.001699",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "BTXH",
        "25",
        "VHXH",
        (
            ("Đơn đề nghị xác định mức độ khuyết tật", ORIG, 1, True, "Đơn (Mẫu số 01)"),
            ("Bản sao hồ sơ, giấy tờ khám bệnh, chữa bệnh (nếu có)", C, 1, False, ""),
        ),
        online=OnlineLevel.FULL,
        result="Giấy xác nhận khuyết tật",
        legal="Luật Người khuyết tật 2010; Thông tư 01/2019/TT-BLĐTBXH",
        fee_text="Không thu",
    ),
    # --- Người có công ----------------------------------------------------------------------
    Spec(
        "1.002440",
        "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
        "NCC",
        "10",
        "VHXH",
        (
            ("Đơn đề nghị hưởng trợ cấp thờ cúng liệt sĩ", ORIG, 1, True, "Đơn (Mẫu số 13)"),
            ("Văn bản ủy quyền của gia đình (nếu có)", ORIG, 1, False, ""),
        ),
        result="Quyết định trợ cấp thờ cúng liệt sĩ",
        legal="Pháp lệnh Ưu đãi người có công 2020; Nghị định 131/2021/NĐ-CP",
        applicant="Người thờ cúng liệt sĩ",
        fee_text="Không thu",
    ),
    Spec(
        "1.010821",
        "Xác nhận thân nhân của người có công",
        "NCC",
        "5",
        "VHXH",
        (
            ("Đơn đề nghị xác nhận thân nhân của người có công", ORIG, 1, True, "Đơn (mẫu)"),
            ("Giấy tờ chứng minh quan hệ thân nhân", C, 1, True, ""),
        ),
        result="Giấy xác nhận thân nhân của người có công",
        legal="Nghị định 131/2021/NĐ-CP",
        fee_text="Không thu",
    ),
)


def steps_for(spec: Spec) -> list[tuple[str, str, str, Decimal]]:
    """The internal process: receive (one-stop centre), examine (the department), approve
    (a leader), return (one-stop centre), sharing the legal working hours ~10/60/20/10 %."""
    if spec.unit == DurationUnit.WORKING_HOURS:
        total = Decimal(spec.days)
    else:
        total = Decimal(spec.days) * 8 or Decimal(8)  # "trong ngày": one working day
    receive = max(Decimal(1), (total * Decimal("0.1")).quantize(Decimal("0.5")))
    approve = max(Decimal(1), (total * Decimal("0.2")).quantize(Decimal("0.5")))
    give = max(Decimal("0.5"), (total * Decimal("0.1")).quantize(Decimal("0.5")))
    examine = total - receive - approve - give
    return [
        ("Tiếp nhận, kiểm tra và chuyển hồ sơ", Role.ONESTOP_OFFICER, "TTPVHCC", receive),
        ("Thẩm định, xử lý hồ sơ, trình ký", Role.SPECIALIST, spec.department, examine),
        ("Xem xét, phê duyệt kết quả", Role.LEADER, "LĐ", approve),
        ("Trả kết quả cho tổ chức, cá nhân", Role.ONESTOP_OFFICER, "TTPVHCC", give),
    ]


def load_catalogue() -> int:
    """Create the demo fields and procedures that do not exist yet; returns how many."""
    fields = {}
    for code, name in FIELDS:
        fields[code] = ProcedureField.objects.get_or_create(code=code, defaults={"name": name})[0]
    existing = set(
        Procedure.objects.filter(code__in=[s.code for s in SPECS]).values_list("code", flat=True)
    )
    todo = [s for s in SPECS if s.code not in existing]
    if not todo:
        return 0
    created = Procedure.objects.bulk_create(
        [
            Procedure(
                code=s.code,
                name=s.name,
                field=fields[s.field],
                level=ProcedureLevel.COMMUNE,
                duration_value=Decimal(s.days),
                duration_unit=s.unit,
                cutoff_time=s.cutoff,
                online_level=s.online,
                result_description=s.result,
                legal_basis=s.legal,
                applicant_description=s.applicant,
                fee_description=s.fee_text,
                return_place="Trung tâm Phục vụ hành chính công phường",
                notes=f"{DEMO_NOTE} {s.extra_note}".strip(),
                is_demo=True,
            )
            for s in todo
        ]
    )
    by_code = {p.code: p for p in created}
    if any(p.pk is None for p in created):  # databases without RETURNING on bulk insert
        by_code = {p.code: p for p in Procedure.objects.filter(code__in=[s.code for s in todo])}
    papers, steps, fees = [], [], []
    for spec in todo:
        proc = by_code[spec.code]
        for i, (name, copy, qty, required, form_name) in enumerate(spec.papers, start=1):
            papers.append(
                ProcedurePaper(
                    procedure=proc,
                    position=i,
                    name=name,
                    copy_type=copy,
                    quantity=qty,
                    required=required,
                    form_name=form_name,
                )
            )
        for i, (name, role, dept, hours) in enumerate(steps_for(spec), start=1):
            steps.append(
                ProcedureStep(
                    procedure=proc,
                    position=i,
                    name=name,
                    role=role,
                    department_abbreviation=dept,
                    allotted_hours=hours,
                )
            )
        for name, amount, note in spec.fees:
            fees.append(ProcedureFee(procedure=proc, name=name, amount=Decimal(amount), note=note))
    ProcedurePaper.objects.bulk_create(papers)
    ProcedureStep.objects.bulk_create(steps)
    ProcedureFee.objects.bulk_create(fees)
    return len(todo)


@register("procedures", order=50)
def load(ctx: DemoContext) -> None:
    count = load_catalogue()
    ctx.log(
        f"{count} thủ tục hành chính mẫu mới (danh mục có {len(SPECS)} thủ tục, "
        "đánh dấu DỮ LIỆU MẪU)"
    )
