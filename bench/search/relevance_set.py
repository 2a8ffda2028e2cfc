"""The labelled relevance set: 72 Vietnamese queries in six classes, and the documents they need.

Each query states what the person means (``intent``: the words with their accents, or a
notation). Relevance is graded by one rule for every document of the collection (the
documents written for these queries and the background documents of the synthetic corpus):

- 3: the intent is in the title (or, for a notation, it is the document's own notation),
  or the document is the scanned copy written for that query (class ``ocr``);
- 2: the intent is in the text (a notation: cited in the text);
- 1: (notations only) the same number and type from another issuer, e.g. ``15/QĐ-SXD`` for
  ``15/QĐ-UBND``, or the decree cited with its full name for ``NĐ 30``;
- 0: anything else, including documents that contain every syllable but not as the phrase,
  and documents with the same letters but other accents (``báo`` for ``bão``).

"Contains" compares word sequences with their accents (either tone placement) — so the grades
follow the issue's requirements (exact accents first, multi-syllable words as units, notations
as typed) and not any engine's output.

For each query the set adds documents that make it hard: a title and a text with the intent,
"scattered" documents with every syllable apart (more often than the target has them), and
for the ``exact`` class documents full of the words that fold the same.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import unicodedata

from congso.kernel.search.analysis import canonical_tone, exact, fold, words


@dataclasses.dataclass
class Spec:
    q: str
    cls: str  # accentless | partial | exact | phrase | notation | ocr
    intent: str = ""  # what is meant, with accents (default: the query itself)
    confusers: tuple[str, ...] = ()  # words that fold like the intent, for hard negatives
    notation: str = ""  # notation queries: the notation meant
    notation_aliases: tuple[str, ...] = ()  # grade 1: same number and type, other issuer

    @property
    def meant(self) -> str:
        return self.intent or self.q.strip('"')


SPECS: list[Spec] = [
    # --- typed without accents (on a phone) -----------------------------------------------------
    Spec("giay phep xay dung", "accentless", "giấy phép xây dựng"),
    Spec("an toan thuc pham", "accentless", "an toàn thực phẩm"),
    Spec("phong chay chua chay", "accentless", "phòng cháy chữa cháy"),
    Spec("trat tu do thi", "accentless", "trật tự đô thị"),
    Spec("bao hiem y te", "accentless", "bảo hiểm y tế"),
    Spec("cai cach hanh chinh", "accentless", "cải cách hành chính"),
    Spec("ho ngheo", "accentless", "hộ nghèo"),
    Spec("tiem chung", "accentless", "tiêm chủng"),
    Spec("dang ky khai sinh", "accentless", "đăng ký khai sinh"),
    Spec("giai phong mat bang", "accentless", "giải phóng mặt bằng"),
    Spec("dang ky tam tru", "accentless", "đăng ký tạm trú"),
    Spec("ve sinh moi truong", "accentless", "vệ sinh môi trường"),
    # --- partly accented --------------------------------------------------------------------------
    Spec("giấy phep xây dung", "partial", "giấy phép xây dựng"),
    Spec("an toàn thuc phẩm", "partial", "an toàn thực phẩm"),
    Spec("bảo hiem xã hội", "partial", "bảo hiểm xã hội"),
    Spec("hộ ngheo", "partial", "hộ nghèo", confusers=("hồ", "họ", "hổ")),
    Spec("thuế dat", "partial", "thuế đất", confusers=("thuê",)),
    Spec("chợ dan sinh", "partial", "chợ dân sinh", confusers=("chờ",)),
    Spec("tiêm chung", "partial", "tiêm chủng", confusers=("tiềm",)),
    Spec("đăng ky kết hôn", "partial", "đăng ký kết hôn"),
    Spec("bão lu", "partial", "bão lũ", confusers=("báo", "bảo")),
    Spec("xử phat hành chính", "partial", "xử phạt hành chính", confusers=("phát",)),
    Spec("điện chiếu sang", "partial", "điện chiếu sáng", confusers=("diện",)),
    Spec("quỹ dat", "partial", "quỹ đất", confusers=("quy",)),
    # --- typed with accents: the exact word, not the ones that fold the same ---------------------
    Spec("bão", "exact", confusers=("báo", "bảo", "bao")),
    Spec("thuế đất", "exact", confusers=("thuê",)),
    Spec("thuê đất", "exact", confusers=("thuế",)),
    Spec("chợ", "exact", confusers=("chờ", "chở")),
    Spec("điện", "exact", confusers=("diện", "diễn")),
    Spec("quỹ đất", "exact", confusers=("quy",)),
    Spec("hộ nghèo", "exact", confusers=("hồ", "họ")),
    Spec("đường", "exact", confusers=("dương", "đương")),
    Spec("mức phạt", "exact", confusers=("mực", "phát")),
    Spec("dương tính", "exact", confusers=("đường", "tình")),
    Spec("biển cấm", "exact", confusers=("cầm", "cam")),
    Spec("tiềm năng", "exact", confusers=("tiêm", "nắng")),
    # --- multi-syllable words and quoted phrases ----------------------------------------------
    Spec('"giấy phép xây dựng"', "phrase"),
    Spec("cấp giấy chứng nhận quyền sử dụng đất", "phrase"),
    Spec("xử lý vi phạm hành chính", "phrase"),
    Spec('"trật tự xây dựng"', "phrase"),
    Spec("người có công với cách mạng", "phrase"),
    Spec("chứng thực bản sao", "phrase"),
    Spec("phòng chống tham nhũng", "phrase"),
    Spec("bồi thường hỗ trợ tái định cư", "phrase"),
    Spec("lễ hội truyền thống", "phrase"),
    Spec('"dịch vụ công trực tuyến"', "phrase"),
    Spec("kiểm tra công trình xây dựng", "phrase"),
    Spec("chăm sóc sức khỏe người cao tuổi", "phrase"),
    # --- notations and legal references as typed ------------------------------------------------
    Spec("15/QĐ-UBND", "notation", notation="15/QĐ-UBND", notation_aliases=("15/QĐ-SXD",)),
    Spec("30/2020/NĐ-CP", "notation", notation="30/2020/NĐ-CP"),
    Spec("NĐ 30", "notation", notation="30/2020/NĐ-CP"),
    Spec("123/UBND-VP", "notation", notation="123/UBND-VP", notation_aliases=("123/UBND-KT",)),
    Spec("16/2022/NĐ-CP", "notation", notation="16/2022/NĐ-CP"),
    Spec("NĐ 16", "notation", notation="16/2022/NĐ-CP"),
    Spec("QĐ 15 UBND", "notation", notation="15/QĐ-UBND", notation_aliases=("15/QĐ-SXD",)),
    Spec("05/KH-UBND", "notation", notation="05/KH-UBND", notation_aliases=("05/KH-SYT",)),
    Spec("01/2011/TT-BNV", "notation", notation="01/2011/TT-BNV"),
    Spec("50/2014/QH13", "notation", notation="50/2014/QH13"),
    Spec("nd 61", "notation", notation="61/2018/NĐ-CP"),
    Spec("221/SXD-QLXD", "notation", notation="221/SXD-QLXD", notation_aliases=("221/SXD-TTr",)),
    # --- scanned pages: OCR text with errors --------------------------------------------------
    Spec("lễ hội truyền thống làng hoa Nhật Tân", "ocr"),
    Spec("quyết định phê duyệt kế hoạch chuyển đổi số", "ocr"),
    Spec("thông báo tuyển dụng công chức", "ocr"),
    Spec("biên bản kiểm tra hiện trường", "ocr"),
    Spec("giấy mời họp tổ dân phố", "ocr"),
    Spec("kế hoạch phòng chống lụt bão", "ocr"),
    Spec("đơn đề nghị cấp giấy phép kinh doanh", "ocr"),
    Spec("báo cáo tổng kết công tác thi đua khen thưởng", "ocr"),
    Spec("danh sách hộ gia đình được hỗ trợ", "ocr"),
    Spec("quyết định xử phạt vi phạm trật tự xây dựng", "ocr"),
    Spec("công văn đôn đốc thu nộp thuế", "ocr"),
    Spec("tờ trình đề nghị phê duyệt dự toán", "ocr"),
]

FILLER = [
    "Ủy ban nhân dân phường yêu cầu các đơn vị, tổ dân phố nghiêm túc triển khai thực hiện.",
    "Trong quá trình thực hiện nếu có khó khăn, vướng mắc, kịp thời báo cáo để xem xét.",
    "Kinh phí thực hiện từ nguồn ngân sách phường năm 2026.",
    "Giao Văn phòng HĐND-UBND phường theo dõi, tổng hợp kết quả.",
    "Văn bản này có hiệu lực kể từ ngày ký.",
    "Đề nghị các cơ quan, đơn vị liên quan quan tâm, phối hợp.",
    "Thời gian: 8 giờ 00 sáng thứ Hai, tại hội trường tầng 2.",
]
TITLES = ["Về việc", "Kế hoạch", "Thông báo", "Báo cáo", "Công văn", "Quyết định"]


def _seq(text: str) -> list[str]:
    return [canonical_tone(exact(w)) for w in words(text)]


@functools.lru_cache(maxsize=200_000)
def _exact_seq(text: str) -> tuple[str, ...]:
    return tuple(_seq(text))


@functools.lru_cache(maxsize=200_000)
def _fold_seq(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words(text))


def _has(hay: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    if not n:
        return False
    first = needle[0]
    return any(hay[i] == first and hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def contains(text: str, phrase: str) -> bool:
    """Whether ``text`` has the words of ``phrase`` in order, with their accents (either tone
    placement), ignoring case and punctuation."""
    return _has(_exact_seq(text), _exact_seq(phrase))


def _fold_contains(text: str, phrase: str) -> bool:
    return _has(_fold_seq(text), _fold_seq(phrase))


@dataclasses.dataclass
class RelDoc:
    key: str
    title: str
    body: str
    notation: str = ""
    ocr_for: str = ""  # the query whose scanned copy this is (grade 3 by construction)


def _filler(rng: random.Random, n: int = 2) -> str:
    return " ".join(rng.sample(FILLER, n))


_MISREAD = {"\u0301": "\u0300", "\u0323": "\u0303", "\u0309": "\u0303"}


def _misread_tone(char: str) -> str:
    """A tone read as a similar one (sắc as huyền, nặng or hỏi as ngã), the letter kept."""
    marks = unicodedata.normalize("NFD", char)
    tone = next((m for m in marks if m in _MISREAD), None)
    if tone is None:
        return char
    base = unicodedata.normalize("NFC", marks.replace(tone, ""))
    return unicodedata.normalize("NFC", base + _MISREAD[tone])


def _ocr_noise(text: str, rng: random.Random) -> str:
    """What a poor scan does to Vietnamese: dropped or wrong tone marks, đ read as d,
    "rn" and "m" confused, a letter lost."""
    out = []
    for word in text.split(" "):
        r = rng.random()
        if r < 0.35:
            word = fold(word) if word.islower() else fold(word).capitalize()
        elif r < 0.5:
            word = "".join(_misread_tone(c) for c in word)
        elif r < 0.55:
            word = word.replace("m", "rn")
        elif r < 0.58 and len(word) > 3:
            i = rng.randrange(1, len(word) - 1)
            word = word[:i] + word[i + 1 :]
        out.append(word)
    return " ".join(out)


def documents(seed: int = 4) -> list[RelDoc]:
    rng = random.Random(seed)
    docs: list[RelDoc] = []
    for i, spec in enumerate(SPECS):
        meant = spec.meant
        key = f"q{i:02d}"
        if spec.cls == "notation":
            docs.extend(_notation_docs(spec, key, rng))
            continue
        parts = meant.split()
        if spec.cls == "ocr":
            clean = f"{meant.capitalize()} trên địa bàn phường. {_filler(rng)}"
            noisy = _ocr_noise(clean, rng)
            if spec.q.startswith("quyết định phê duyệt"):  # one word unreadable
                noisy = noisy.replace("quyet", "quyct").replace("quyết", "quyct")
                noisy = noisy.replace("Quyet", "Quyct").replace("Quyết", "Quyct")
            docs.append(RelDoc(f"{key}-scan", "Bản quét văn bản đến", noisy, ocr_for=spec.q))
        else:
            docs.append(
                RelDoc(f"{key}-title", f"{rng.choice(TITLES)} {meant} năm 2026", _filler(rng, 3))
            )
            docs.append(
                RelDoc(
                    f"{key}-body",
                    f"{rng.choice(TITLES)} triển khai nhiệm vụ quý II",
                    f"{_filler(rng)} Nội dung: {meant} trên địa bàn. {_filler(rng)}",
                )
            )
        # every syllable, apart and more often than in the targets
        if len(parts) > 1:
            scattered = []
            for word in parts * 2:
                scattered.append(f"{word.capitalize()} {rng.choice(FILLER).lower()}")
            docs.append(
                RelDoc(
                    f"{key}-scattered",
                    f"{rng.choice(TITLES)} {parts[-1]} {parts[0]}",
                    " ".join(scattered),
                )
            )
        # the same letters, other accents
        for j, confuser in enumerate(spec.confusers):
            swapped = [confuser if fold(w) == fold(confuser) else w for w in parts]
            text = " ".join(swapped)
            if text == meant:  # the confuser folds like another word of the phrase
                text = " ".join([confuser, *parts[1:]])
            docs.append(
                RelDoc(
                    f"{key}-confuser{j}",
                    f"{rng.choice(TITLES)} {text} {text}",
                    f"{text}, {text}. {_filler(rng)} {text}.",
                )
            )
    return docs


def _notation_docs(spec: Spec, key: str, rng: random.Random) -> list[RelDoc]:
    number, _, rest = spec.notation.partition("/")
    out = [
        RelDoc(
            f"{key}-own",
            f"{rng.choice(TITLES)} thực hiện nhiệm vụ năm 2026",
            _filler(rng),
            notation=spec.notation,
        ),
        RelDoc(
            f"{key}-cites",
            "Kế hoạch triển khai",
            f"Căn cứ văn bản số {spec.notation} của cấp trên; {_filler(rng)}",
            notation=f"{int(number) + 7:02d}/KH-UBND",
        ),
        # the number and the letters, apart
        RelDoc(
            f"{key}-apart",
            f"Báo cáo số liệu {number} hộ",
            f"Có {number} trường hợp; {' '.join(w for w in words(rest))} {_filler(rng)}",
            notation="77/BC-UBND",
        ),
        # a longer number with the same tail
        RelDoc(f"{key}-longer", "Quyết định khác", _filler(rng), notation=f"1{spec.notation}"),
    ]
    for j, alias in enumerate(spec.notation_aliases):
        out.append(
            RelDoc(f"{key}-alias{j}", "Văn bản cùng số khác cơ quan", _filler(rng), notation=alias)
        )
    return out


def grade(spec: Spec, doc: RelDoc) -> int:
    if spec.cls == "notation":
        if doc.notation and fold(doc.notation) == fold(spec.notation):
            return 3
        if doc.notation and any(fold(doc.notation) == fold(a) for a in spec.notation_aliases):
            return 1
        if _fold_contains(doc.body, spec.notation) or _fold_contains(doc.title, spec.notation):
            return 2
        return 0
    if spec.cls == "ocr" and doc.ocr_for == spec.q:
        return 3
    meant = spec.meant
    if contains(doc.title, meant):
        return 3
    if contains(doc.body, meant):
        return 2
    return 0
