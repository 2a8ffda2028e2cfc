"""A synthetic Vietnamese administrative corpus, deterministic from a seed (version 2).

Documents look like a ward's incoming and outgoing documents: a subject (trích yếu) built from
real administrative phrases, a notation (``15/QĐ-UBND``, ``123/UBND-VP``, ``30/2020/NĐ-CP``),
a 30–70-syllable body that cites legal documents by notation, names streets and places of Tây
Hồ, and mixes in words from a long tail of real syllables. Word choice is Zipf-distributed
(a few phrases are everywhere, most are rare), as in real registers.

No personal data: names are drawn from common family/middle/given names at random.

Used by ``bench_search.py`` (1,000,000 documents, three engines) and by the relevance set
(``relevance.py``) as background documents.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

VERSION = 2  # of the generator: a changed generator writes a new file

DOC_TYPES = [
    ("Quyết định", "QĐ"),
    ("Công văn", ""),
    ("Kế hoạch", "KH"),
    ("Báo cáo", "BC"),
    ("Thông báo", "TB"),
    ("Tờ trình", "TTr"),
    ("Giấy mời", "GM"),
    ("Nghị quyết", "NQ"),
    ("Chỉ thị", "CT"),
    ("Hướng dẫn", "HD"),
    ("Biên bản", "BB"),
    ("Công điện", "CĐ"),
    ("Chương trình", "CTr"),
    ("Phương án", "PA"),
    ("Giấy giới thiệu", "GGT"),
    ("Quy chế", "QC"),
    ("Đề án", "ĐA"),
    ("Hợp đồng", "HĐ"),
    ("Giấy ủy quyền", "GUQ"),
]
ISSUERS = [
    ("UBND", "Ủy ban nhân dân phường Tây Hồ"),
    ("UBND", "Ủy ban nhân dân thành phố Hà Nội"),
    ("SXD", "Sở Xây dựng"),
    ("SNV", "Sở Nội vụ"),
    ("STNMT", "Sở Tài nguyên và Môi trường"),
    ("SYT", "Sở Y tế"),
    ("SGDĐT", "Sở Giáo dục và Đào tạo"),
    ("STC", "Sở Tài chính"),
    ("CAP", "Công an phường"),
    ("HĐND", "Hội đồng nhân dân phường"),
    ("BCĐ", "Ban Chỉ đạo"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc phường"),
    ("SVHTT", "Sở Văn hóa và Thể thao"),
    ("SLĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("CCT", "Chi cục Thuế khu vực"),
    ("BHXH", "Bảo hiểm xã hội thành phố"),
]
DEPARTMENTS = ["VP", "KT", "VHXH", "TCKT", "ĐC", "TP", "QLĐT"]
LEGAL = [
    ("Nghị định", "30/2020/NĐ-CP", "về công tác văn thư"),
    ("Luật", "50/2014/QH13", "Xây dựng"),
    ("Luật", "62/2020/QH14", "sửa đổi, bổ sung một số điều của Luật Xây dựng"),
    (
        "Nghị định",
        "15/2021/NĐ-CP",
        "quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng",
    ),
    ("Nghị định", "16/2022/NĐ-CP", "quy định xử phạt vi phạm hành chính về xây dựng"),
    ("Luật", "31/2024/QH15", "Đất đai"),
    ("Nghị định", "61/2018/NĐ-CP", "về thực hiện cơ chế một cửa, một cửa liên thông"),
    ("Nghị định", "107/2021/NĐ-CP", "sửa đổi, bổ sung Nghị định 61/2018/NĐ-CP"),
    ("Nghị định", "45/2020/NĐ-CP", "về thực hiện thủ tục hành chính trên môi trường điện tử"),
    ("Luật", "29/2018/QH14", "Bảo vệ bí mật nhà nước"),
    ("Thông tư", "01/2011/TT-BNV", "hướng dẫn thể thức và kỹ thuật trình bày văn bản hành chính"),
    (
        "Nghị định",
        "100/2019/NĐ-CP",
        "quy định xử phạt vi phạm hành chính trong lĩnh vực giao thông",
    ),
    ("Luật", "65/2025/QH15", "Tổ chức chính quyền địa phương"),
    (
        "Nghị quyết",
        "190/2025/QH15",
        "về xử lý một số vấn đề liên quan đến sắp xếp tổ chức bộ máy nhà nước",
    ),
    ("Nghị định", "137/2024/NĐ-CP", "về giao dịch điện tử của cơ quan nhà nước"),
    ("Quyết định", "06/QĐ-TTg", "phê duyệt Đề án phát triển ứng dụng dữ liệu về dân cư"),
    (
        "Nghị định",
        "144/2021/NĐ-CP",
        "quy định xử phạt vi phạm hành chính trong lĩnh vực an ninh, trật tự",
    ),
    ("Luật", "55/2014/QH13", "Bảo vệ môi trường"),
]
ACTIONS = [
    "Về việc triển khai",
    "V/v tăng cường",
    "Về việc phê duyệt",
    "Báo cáo kết quả",
    "Về việc thực hiện",
    "V/v chấn chỉnh",
    "Về việc kiểm tra",
    "Về việc tổ chức",
    "V/v đôn đốc",
    "Về việc giao nhiệm vụ",
    "Về việc ban hành",
    "V/v hướng dẫn",
    "Về việc rà soát",
    "V/v báo cáo tình hình",
    "Về việc thành lập Tổ công tác",
    "Về việc cấp",
    "V/v xử lý",
    "Về việc công bố",
    "V/v góp ý dự thảo",
    "Về việc phối hợp",
]
TOPICS = [
    "công tác phòng cháy, chữa cháy",
    "giấy phép xây dựng nhà ở riêng lẻ",
    "trật tự xây dựng đô thị",
    "vệ sinh an toàn thực phẩm",
    "chuyển đổi số",
    "cải cách hành chính",
    "bồi thường, hỗ trợ, tái định cư",
    "giải phóng mặt bằng",
    "thu gom rác thải sinh hoạt",
    "phòng, chống dịch bệnh",
    "bầu cử đại biểu Quốc hội",
    "tuyển chọn và gọi công dân nhập ngũ",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "xử lý vi phạm hành chính",
    "lễ hội truyền thống",
    "an ninh trật tự",
    "quản lý vỉa hè, lòng đường",
    "phòng, chống lụt bão",
    "tiêm chủng mở rộng",
    "bảo hiểm y tế hộ gia đình",
    "bảo hiểm xã hội tự nguyện",
    "hỗ trợ hộ nghèo, cận nghèo",
    "chính sách người có công với cách mạng",
    "đăng ký, quản lý cư trú",
    "thủ tục hành chính một cửa",
    "dịch vụ công trực tuyến",
    "kiểm kê đất đai",
    "phát triển kinh tế tập thể",
    "quản lý hoạt động kinh doanh karaoke",
    "phòng chống ma túy",
    "chăm sóc sức khỏe người cao tuổi",
    "xây dựng nông thôn mới",
    "quy hoạch chi tiết tỷ lệ 1/500",
    "cải tạo, chỉnh trang hồ Tây",
    "xây dựng đời sống văn hóa ở khu dân cư",
    "đánh giá, xếp loại công chức",
    "thi đua, khen thưởng",
    "thu ngân sách nhà nước",
    "quản lý chợ dân sinh",
    "phòng, chống tham nhũng, lãng phí",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "hòa giải ở cơ sở",
    "chứng thực bản sao từ bản chính",
    "đăng ký khai sinh, khai tử",
    "kiểm tra công trình xây dựng không phép",
    "cưỡng chế phá dỡ công trình vi phạm",
    "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "cấp căn cước công dân",
    "quản lý thuế hộ kinh doanh",
    "ứng phó sự cố tràn dầu",
    "trồng cây xanh đường phố",
    # more subjects of a ward's year (corpus v2: a realistic spread of subjects)
    "sửa chữa nhà văn hóa tổ dân phố",
    "cấp phép đào đường lắp đặt cáp quang",
    "thu hồi đất thực hiện dự án đường vành đai",
    "hỗ trợ người lao động mất việc làm",
    "trợ cấp xã hội hằng tháng",
    "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "phổ cập giáo dục mầm non",
    "tuyển sinh vào lớp 1",
    "kiểm tra vệ sinh trường học",
    "phòng chống đuối nước cho trẻ em",
    "quản lý vật nuôi trong khu dân cư",
    "tiêm phòng dại cho chó, mèo",
    "diệt chuột, phun thuốc muỗi phòng sốt xuất huyết",
    "quản lý nhà trọ, cơ sở lưu trú",
    "đăng ký tạm trú cho người nước ngoài",
    "kiểm tra cơ sở kinh doanh dịch vụ cầm đồ",
    "xử lý xe ô tô đỗ trái phép",
    "lắp đặt biển báo giao thông",
    "cải tạo hệ thống thoát nước",
    "nạo vét cống rãnh trước mùa mưa",
    "chiếu sáng công cộng",
    "trồng và chăm sóc cây xanh",
    "quản lý bãi trông giữ xe",
    "tổ chức Tết Trung thu cho thiếu nhi",
    "tặng quà người có công dịp Tết Nguyên đán",
    "điều chỉnh quy hoạch sử dụng đất",
    "định giá đất cụ thể",
    "giải quyết tranh chấp đất đai",
    "hòa giải mâu thuẫn hàng xóm",
    "cấp bản sao trích lục hộ tịch",
    "đăng ký kết hôn có yếu tố nước ngoài",
    "xác nhận tình trạng hôn nhân",
    "thay đổi, cải chính hộ tịch",
    "đăng ký giám hộ",
    "tiếp nhận hồ sơ trực tuyến mức độ toàn trình",
    "thanh toán không dùng tiền mặt",
    "ứng dụng định danh điện tử VNeID",
    "làm sạch dữ liệu dân cư",
    "cập nhật dữ liệu đất đai",
    "kiểm kê tài sản công",
    "quyết toán ngân sách năm",
    "mua sắm trang thiết bị văn phòng",
    "sửa chữa trụ sở làm việc",
    "thi tuyển công chức",
    "nâng lương thường xuyên",
    "bổ nhiệm lại cán bộ lãnh đạo",
    "luân chuyển, điều động cán bộ",
    "đào tạo, bồi dưỡng cán bộ",
    "kỷ luật cán bộ vi phạm",
    "kê khai tài sản, thu nhập",
    "tiếp nhận phản ánh kiến nghị qua ứng dụng iHanoi",
    "giải quyết đơn thư khiếu nại",
    "hội nghị tiếp xúc cử tri",
    "kỳ họp Hội đồng nhân dân",
    "lấy ý kiến nhân dân về dự thảo luật",
    "diễn tập phòng thủ khu vực",
    "huấn luyện dân quân tự vệ",
    "đăng ký nghĩa vụ quân sự cho nam công dân đủ 17 tuổi",
    "phòng chống thiên tai và tìm kiếm cứu nạn",
    "ứng phó với bão số 3",
    "khắc phục hậu quả mưa lớn, ngập úng",
    "kiểm tra an toàn hồ đập",
    "quản lý lễ hội chùa Trấn Quốc",
    "bảo tồn di tích phủ Tây Hồ",
    "phát triển du lịch hồ Tây",
    "quản lý hoạt động đua thuyền trên hồ",
    "quản lý kinh doanh hoa đào dịp Tết",
    "hỗ trợ làng nghề truyền thống",
    "xây dựng tuyến phố văn minh đô thị",
    "thu phí vệ sinh môi trường",
    "phân loại rác thải tại nguồn",
    "xử lý ô nhiễm tiếng ồn",
    "quan trắc chất lượng không khí",
    "quản lý chất thải y tế",
    "phòng chống dịch tay chân miệng",
    "khám sức khỏe định kỳ cho người cao tuổi",
    "chăm sóc sức khỏe sinh sản",
    "dân số và kế hoạch hóa gia đình",
    "phòng chống bạo lực gia đình",
    "bình đẳng giới",
    "bảo vệ, chăm sóc trẻ em",
    "hỗ trợ người khuyết tật",
    "cai nghiện ma túy tại gia đình",
    "quản lý người sau cai nghiện",
    "phòng chống mua bán người",
    "phòng chống tội phạm công nghệ cao",
    "tuyên truyền phòng chống lừa đảo qua mạng",
    "bảo đảm an toàn thông tin mạng",
    "vận hành hệ thống quản lý văn bản",
    "chữ ký số cho cán bộ, công chức",
    "lưu trữ hồ sơ, tài liệu",
    "chỉnh lý tài liệu lưu trữ",
    "thống kê số liệu kinh tế - xã hội",
    "điều tra hộ nghèo cuối năm",
    "điều tra dân số giữa kỳ",
    "tổng điều tra kinh tế",
    "cấp mã số thuế cho hộ kinh doanh",
    "đôn đốc thu nợ thuế",
    "kiểm tra giá cả thị trường",
    "chống buôn lậu, gian lận thương mại",
]
PLACES = [
    "trên địa bàn phường Tây Hồ",
    "trên địa bàn phường Phú Thượng",
    "tại đường Âu Cơ",
    "tại đường Lạc Long Quân",
    "tại phố Xuân Diệu",
    "tại phố Đặng Thai Mai",
    "tại đường Nghi Tàm",
    "tại phố Quảng An",
    "tại đường Võ Chí Công",
    "tại phố Tô Ngọc Vân",
    "tại khu đô thị Ciputra",
    "tại khu dân cư Tứ Liên",
    "tại bãi giữa sông Hồng",
    "tại phố Trích Sài",
    "tại đường Thụy Khuê",
    "tại phố Yên Hoa",
    "tại làng hoa Nhật Tân",
    "tại phủ Tây Hồ",
    "tại chùa Trấn Quốc",
    "tại ngõ 52 Tô Ngọc Vân",
    "tại tổ dân phố số 7",
    "năm 2025",
    "năm 2026",
    "quý III năm 2025",
    "6 tháng đầu năm 2026",
    "giai đoạn 2026–2030",
]
SENTENCES = [
    "Căn cứ {legal};",
    "Thực hiện {doc} của {issuer} về {topic};",
    "Theo đề nghị của {dept_long},",
    "Ủy ban nhân dân phường yêu cầu các đơn vị, tổ dân phố nghiêm túc triển khai thực hiện.",
    "Giao {dept_long} chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện {topic}.",
    "Báo cáo kết quả về Ủy ban nhân dân phường trước ngày {date}.",
    "Trong quá trình thực hiện nếu có khó khăn, vướng "
    "mắc, kịp thời báo cáo để xem xét, giải quyết.",
    "Kiểm tra, xử lý nghiêm các trường hợp vi phạm {topic} {place}.",
    "Ông (bà) {name} được giao làm đầu mối liên hệ.",
    "Kinh phí thực hiện từ nguồn ngân sách phường năm {year}.",
    "Tổ chức tuyên truyền, phổ biến đến người dân về {topic}.",
    "Hộ gia đình, cá nhân có nhu cầu liên hệ bộ phận một cửa của phường để được hướng dẫn.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Chánh Văn phòng HĐND-UBND, Trưởng Công an phường và các "
    "đơn vị có liên quan chịu trách nhiệm thi hành.",
    "Đề nghị {issuer} quan tâm, phối hợp.",
    "Tổng hợp số liệu {topic} {place}.",
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuấn",
    "Uyên",
    "Vân",
    "Yến",
    "Đông",
]

ONSETS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
RHYMES = [
    "a",
    "ai",
    "ao",
    "an",
    "am",
    "ang",
    "anh",
    "ăn",
    "ăm",
    "ăng",
    "âm",
    "ân",
    "âu",
    "ây",
    "e",
    "em",
    "en",
    "eo",
    "ê",
    "êm",
    "ên",
    "ênh",
    "i",
    "im",
    "in",
    "inh",
    "iêu",
    "iên",
    "o",
    "oa",
    "oai",
    "oan",
    "oang",
    "oi",
    "om",
    "on",
    "ong",
    "ô",
    "ôi",
    "ôm",
    "ôn",
    "ông",
    "ơ",
    "ơi",
    "ơn",
    "u",
    "ua",
    "ui",
    "um",
    "un",
    "ung",
    "uôi",
    "uôn",
    "uông",
    "ư",
    "ưa",
    "ưng",
    "ươi",
    "ương",
    "ưu",
    "uy",
    "uyên",
    "uân",
    "at",
    "ac",
    "ach",
    "ap",
    "ôt",
    "uc",
    "ơt",
    "ưc",
    "iêt",
    "ươc",
    "oc",
    "ăt",
    "ât",
    "ut",
    "ip",
    "ep",
]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
STOPS = ("p", "t", "c", "ch")


def _syllable(onset: str, rhyme: str, tone: str) -> str | None:
    import unicodedata

    if rhyme.endswith(STOPS) and tone not in ("\u0301", "\u0323"):
        return None  # checked syllables take only sắc or nặng
    if onset in ("k",) and not rhyme.startswith(("i", "e", "ê")):
        return None
    if onset in ("c", "g", "ng") and rhyme.startswith(("i", "e", "ê")):
        return None
    if onset == "qu" and rhyme.startswith(("u", "o", "ô", "ơ")):
        return None
    vowels = "aăâeêioôơuưy"
    positions = [i for i, c in enumerate(rhyme) if c in vowels]
    if not positions:
        return None
    if len(positions) == 1:
        pos = positions[0]
    elif rhyme[positions[-1] + 1 :] or rhyme[-1] not in vowels:
        pos = positions[-1] if rhyme[-1] not in vowels else positions[-2]
    else:
        pos = positions[-2]
    for i in positions:  # a vowel with a modifier takes the tone
        if rhyme[i] in "ăâêôơư":
            pos = i
    word = onset + rhyme[: pos + 1] + tone + rhyme[pos + 1 :]
    return unicodedata.normalize("NFC", word)


def syllable_inventory() -> list[str]:
    out = []
    for onset, rhyme, tone in itertools.product(ONSETS, RHYMES, TONES):
        s = _syllable(onset, rhyme, tone)
        if s:
            out.append(s)
    return out


class Zipf:
    """Draws items with probability ∝ 1 / rank^s (a fixed shuffled ranking per seed)."""

    def __init__(self, items: list[str], rng: random.Random, s: float = 1.07):
        self.items = items[:]
        rng.shuffle(self.items)
        weights = [1 / (r + 1) ** s for r in range(len(self.items))]
        total = sum(weights)
        acc = 0.0
        self.cum = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def draw(self, rng: random.Random) -> str:
        i = bisect.bisect_left(self.cum, rng.random())
        return self.items[min(i, len(self.items) - 1)]


@dataclasses.dataclass
class CorpusDoc:
    id: int
    kind: str
    unit: int
    secrecy: int
    title: str
    notation: str
    body: str
    date: str  # ISO
    doctype: str
    status: str
    urgency: int
    sender: str

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)


KINDS = [("incoming", 0.55), ("outgoing", 0.3), ("dossier", 0.1), ("report", 0.05)]
STATUSES = {
    "incoming": ["registered", "assigned", "in_progress", "done"],
    "outgoing": ["draft", "issued", "issued", "issued"],
    "dossier": ["received", "processing", "returned"],
    "report": ["open", "closed"],
}


class Generator:
    def __init__(self, seed: int = 2026, units: int = 300):
        self.rng = random.Random(seed)
        self.units = units
        self.topics = Zipf(TOPICS, self.rng, 1.0)
        self.places = Zipf(PLACES, self.rng, 0.9)
        self.actions = Zipf(ACTIONS, self.rng, 0.9)
        self.sentences = Zipf(SENTENCES, self.rng, 0.6)
        self.tail = Zipf(syllable_inventory(), self.rng, 1.1)
        self.legal = Zipf([n for _t, n, _s in LEGAL], self.rng, 1.0)
        self.legal_by_notation = {n: (t, n, s) for t, n, s in LEGAL}
        self.types = Zipf([t for t, _a in DOC_TYPES], self.rng, 1.2)
        self.abbrev = dict(DOC_TYPES)
        self.issuers = Zipf([i for i, _n in ISSUERS], self.rng, 1.0)
        self.issuer_names = {a: n for a, n in ISSUERS}

    def name(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def notation(self, doctype: str, year: int, issuer: str) -> str:
        r = self.rng
        n = int(r.paretovariate(1.2) * 5) % 400 + 1
        num = f"{n:02d}"
        abbr = self.abbrev[doctype]
        if doctype == "Công văn":
            return f"{num}/{issuer}-{r.choice(DEPARTMENTS)}"
        if r.random() < 0.15:
            return f"{num}/{year}/{abbr}-{issuer}"
        return f"{num}/{abbr}-{issuer}"

    def legal_ref(self) -> str:
        t, n, s = self.legal_by_notation[self.legal.draw(self.rng)]
        return f"{t} số {n} {s}" if self.rng.random() < 0.7 else f"{t} {n}"

    def sentence(self, year: int) -> str:
        r = self.rng
        template = self.sentences.draw(r)
        issuer = self.issuers.draw(r)
        return template.format(
            legal=self.legal_ref(),
            doc=f"{self.types.draw(r)} số {self.notation(self.types.draw(r), year, issuer)}",
            issuer=self.issuer_names[issuer],
            topic=self.topics.draw(r),
            dept_long=r.choice(
                [
                    "Phòng Kinh tế",
                    "Phòng Văn hóa - Xã hội",
                    "Văn phòng HĐND-UBND",
                    "Công an phường",
                    "Trung tâm phục vụ hành chính công",
                ]
            ),
            date=f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{year}",
            name=self.name(),
            year=year,
            place=self.places.draw(r),
        )

    def body(self, year: int) -> str:
        r = self.rng
        target = r.randint(30, 70)
        parts: list[str] = []
        count = 0
        while count < target:
            if r.random() < 0.5:
                s = self.sentence(year)
            else:
                s = " ".join(self.tail.draw(r) for _ in range(r.randint(3, 8))) + "."
            parts.append(s)
            count += len(s.split())
        words = " ".join(parts).split()
        return " ".join(words[:target]) if len(words) > 70 else " ".join(words)

    def doc(self, i: int) -> CorpusDoc:
        r = self.rng
        x = r.random()
        acc = 0.0
        kind = KINDS[-1][0]
        for k, p in KINDS:
            acc += p
            if x < acc:
                kind = k
                break
        year = r.randint(2019, 2026)
        day = dt.date(year, 1, 1) + dt.timedelta(days=r.randint(0, 364))
        doctype = self.types.draw(r)
        issuer = self.issuers.draw(r)
        title = f"{self.actions.draw(r)} {self.topics.draw(r)} {self.places.draw(r)}"
        if r.random() < 0.2:
            title += f" theo {self.legal_ref()}"
        s = r.random()
        secrecy = 0 if s < 0.97 else 1 if s < 0.99 else 2 if s < 0.997 else 3
        return CorpusDoc(
            id=i,
            kind=kind,
            unit=int(r.paretovariate(0.8)) % self.units + 1,
            secrecy=secrecy,
            title=title,
            notation=self.notation(doctype, year, issuer),
            body=self.body(year),
            date=day.isoformat(),
            doctype=doctype,
            status=r.choice(STATUSES[kind]),
            urgency=0 if r.random() < 0.85 else r.randint(1, 3),
            sender=self.issuer_names[issuer],
        )


def generate(n: int, seed: int = 2026) -> Iterator[CorpusDoc]:
    gen = Generator(seed)
    for i in range(1, n + 1):
        yield gen.doc(i)


def corpus_file(n: int, directory: Path, seed: int = 2026) -> Path:
    """The corpus as JSON lines under ``directory`` (generated once, then reused)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"corpus-v{VERSION}-{n}-{seed}.jsonl"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with tmp.open("w") as out:
            for doc in generate(n, seed):
                out.write(doc.to_json() + "\n")
        tmp.replace(path)
    return path


def read_corpus(path: Path) -> Iterator[CorpusDoc]:
    with path.open() as handle:
        for line in handle:
            yield CorpusDoc(**json.loads(line))


if __name__ == "__main__":
    for d in generate(5, seed=1):
        print(d.title, "|", d.notation, "|", d.body[:300], "\n")
