"""The Tantivy backend: matching, ranking, notations, snippets, filters and permissions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from congso.kernel.search.backends.base import Scope
from congso.kernel.search.registry import Grant, IndexDocument
from congso.kernel.search.tests.fixtures import build, day, doc, ids, search

FILLER = "Ủy ban nhân dân phường yêu cầu các đơn vị triển khai thực hiện nghiêm túc."


def test_accent_insensitive_matching_with_d_and_case(tmp_path: Path) -> None:
    d1 = doc("Về việc cấp giấy phép xây dựng nhà ở riêng lẻ")
    d2 = doc("Đường Âu Cơ", "Sửa chữa ĐƯỜNG ống nước")
    d3 = doc("Kế hoạch tuyển quân")
    b = build(tmp_path, [d1, d2, d3])
    assert ids(search(b, "giay phep xay dung")) == [d1.id]
    assert ids(search(b, "GIẤY PHÉP")) == [d1.id]
    assert ids(search(b, "duong")) == [d2.id]
    assert ids(search(b, "đường ống")) == [d2.id]
    assert ids(search(b, unicodedata.normalize("NFD", "Đường Âu Cơ"))) == [d2.id]
    assert search(b, "dương").total == 1  # the folded form matches; exact ones rank first


def test_both_tone_placements_match_each_other(tmp_path: Path) -> None:
    new = doc("Hội nghị hoà giải ở cơ sở", "Văn bản của Uỷ ban, thuỷ lợi")
    old = doc("Hòa giải thành", "Ủy ban, công tác thủy lợi")
    b = build(tmp_path, [new, old])
    for q in ["hoà giải", "hòa giải", "uỷ ban", "ủy ban", "thủy lợi", "thuỷ lợi"]:
        result = search(b, q)
        assert set(ids(result)) == {new.id, old.id}, q
        # Either placement counts as the exact spelling: both get the exact-accent boost.
        assert abs(result.hits[0].score - result.hits[1].score) < 1.0, q


def test_nfd_documents_are_indexed_as_nfc(tmp_path: Path) -> None:
    d = doc(
        unicodedata.normalize("NFD", "Quyết định khen thưởng"),
        unicodedata.normalize("NFD", "Tặng giấy khen cho tập thể"),
    )
    b = build(tmp_path, [d])
    assert ids(search(b, "quyết định")) == [d.id]
    assert ids(search(b, "giay khen")) == [d.id]
    assert "<mark>giấy</mark>" in search(b, "giấy khen").hits[0].snippet


def test_exact_accent_ranks_first_folded_all_match(tmp_path: Path) -> None:
    # The exact word is rare in its document, the others repeat theirs: still first.
    ma_acute = doc("Ghi chép", f"{FILLER} Bệnh viện má {FILLER}")
    others = [
        doc("Ghi chép", f"mà mà mà {FILLER}"),
        doc("Ghi chép", f"mả mả {FILLER}"),
        doc("Ghi chép", f"mạ mạ mạ mạ {FILLER}"),
        doc("Ghi chép", f"ma ma ma {FILLER}"),
    ]
    b = build(tmp_path, [ma_acute, *others])
    result = search(b, "má")
    assert result.total == 5
    assert ids(result)[0] == ma_acute.id
    # Without accents every form is a match (and the unaccented word has no advantage).
    assert set(ids(search(b, "ma"))) == {ma_acute.id, *[o.id for o in others]}
    assert ids(search(b, "mạ"))[0] == others[2].id


def test_partly_accented_query_prefers_the_accented_word(tmp_path: Path) -> None:
    right = doc("Thông báo", "cấp giấy phép kinh doanh")
    wrong = doc("Thông báo", "cấp giây phép kinh doanh giây phép")  # "giây" (second)
    b = build(tmp_path, [right, wrong])
    assert ids(search(b, "giấy phep")) == [right.id, wrong.id]


def test_phrase_and_close_syllables_rank_above_scattered(tmp_path: Path) -> None:
    phrase = doc("Báo cáo", f"{FILLER} Cấp giấy phép xây dựng cho hộ gia đình. {FILLER}")
    near = doc("Báo cáo", f"{FILLER} giấy phép sửa chữa, xây dựng lại nhà. {FILLER}")
    scattered = doc(
        "Báo cáo",
        "Xây nhà mới. Giấy tờ đất đai. Dựng rạp cưới. Phép năm của cán bộ. "
        "Giấy mời họp. Xây dựng đảng. Phép thử.",
    )
    b = build(tmp_path, [scattered, near, phrase])
    result = search(b, "giấy phép xây dựng")
    assert ids(result) == [phrase.id, near.id, scattered.id]
    assert ids(search(b, "giay phep xay dung")) == [phrase.id, near.id, scattered.id]
    # Quoted: only the phrase.
    assert ids(search(b, '"giấy phép xây dựng"')) == [phrase.id]


def test_title_words_rank_above_body_words(tmp_path: Path) -> None:
    body = doc("Thông báo lịch họp", f"{FILLER} về phòng cháy chữa cháy")
    title = doc("Kế hoạch phòng cháy chữa cháy năm 2026", FILLER)
    b = build(tmp_path, [body, title])
    assert ids(search(b, "phòng cháy chữa cháy")) == [title.id, body.id]


def test_notations_found_as_typed(tmp_path: Path) -> None:
    qd15 = doc("Quyết định thành lập tổ công tác", notation="15/QĐ-UBND")
    qd115 = doc("Quyết định khác", notation="115/QĐ-UBND")
    cv15 = doc("Công văn", notation="15/UBND-VP")
    cites = doc(
        "Kế hoạch văn thư", "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ"
    )
    nd30 = doc("Nghị định về công tác văn thư", notation="30/2020/NĐ-CP")
    other = doc("Thông tư", "số 30 năm 2020 của Bộ", notation="01/2020/TT-BNV")
    b = build(tmp_path, [qd15, qd115, cv15, cites, nd30, other])
    assert ids(search(b, "15/QĐ-UBND")) == [qd15.id]
    assert ids(search(b, "15/qd-ubnd")) == [qd15.id]
    assert ids(search(b, "30/2020/NĐ-CP")) == [nd30.id, cites.id]
    assert ids(search(b, "30/2020/nd-cp")) == [nd30.id, cites.id]
    # The way people say it: "NĐ 30" finds the decree first, not "số 30 năm 2020".
    result = search(b, "NĐ 30")
    assert ids(result)[0] == nd30.id
    assert other.id not in ids(result)


def test_snippets_highlight_the_text_as_written(tmp_path: Path) -> None:
    ocr = (
        "UY BAN NHAN DAN PHUONG TAY HO (bản quét). Về việc tổ chức lễ hội truyền thống "
        "tại phủ Tây Hồ. " + FILLER * 5 + " Thành phần: đại diện các tổ dân phố."
    )
    d = doc("Giấy mời", ocr)
    b = build(tmp_path, [d])
    hit = search(b, "le hoi truyen thong").hits[0]
    assert "<mark>lễ</mark> <mark>hội</mark> <mark>truyền</mark> <mark>thống</mark>" in hit.snippet
    assert hit.snippet.endswith("…")
    # The OCR text without accents is highlighted as it is in the text.
    assert "<mark>TAY</mark> <mark>HO</mark>" in search(b, "Tây Hồ").hits[0].snippet
    assert "<mark>Giấy</mark>" in search(b, "giay moi").hits[0].title_html


def test_snippets_escape_html(tmp_path: Path) -> None:
    d = doc("<b>Tiêu đề</b>", "Nội dung <script>alert(1)</script> cần tìm & kiểm tra")
    b = build(tmp_path, [d])
    hit = search(b, "cần tìm").hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    assert hit.title_html == "&lt;b&gt;Tiêu đề&lt;/b&gt;"


def test_filters_dates_units_attributes_and_kinds(tmp_path: Path) -> None:
    a = doc(
        "Báo cáo tháng",
        kind="incoming",
        unit_id=1,
        date=day("2026-01-15"),
        attrs=(("status", "done"), ("type", "3")),
    )
    b_ = doc(
        "Báo cáo quý",
        kind="incoming",
        unit_id=2,
        date=day("2026-04-01"),
        attrs=(("status", "registered"), ("type", "3")),
    )
    c = doc(
        "Báo cáo năm",
        kind="outgoing",
        unit_id=1,
        date=day("2025-12-31"),
        attrs=(("status", "issued"),),
    )
    b = build(tmp_path, [a, b_, c])
    assert set(ids(search(b, "báo cáo"))) == {a.id, b_.id, c.id}
    assert ids(search(b, "báo cáo", date_from=day("2026-01-01"), date_to=day("2026-03-31"))) == [
        a.id
    ]
    assert set(ids(search(b, "báo cáo", unit_ids=frozenset({1})))) == {a.id, c.id}
    result = search(b, "báo cáo", kinds=("incoming",))
    assert set(ids(result)) == {a.id, b_.id}
    assert result.kind_counts == {"incoming": 2, "outgoing": 1}
    assert result.attr_counts["status"] == {"done": 1, "registered": 1}
    assert result.total == 2
    only_done = search(b, "báo cáo", kinds=("incoming",), attrs=(("status", "done"),))
    assert ids(only_done) == [a.id] and only_done.total == 1
    # Browsing by filters alone: newest first.
    assert ids(search(b, "", kinds=("incoming",))) == [b_.id, a.id]


def test_paging_with_offset(tmp_path: Path) -> None:
    docs = [doc(f"Biên bản họp số {i}", FILLER) for i in range(30)]
    b = build(tmp_path, docs)
    first = search(b, "biên bản", limit=20)
    second = search(b, "biên bản", limit=20, offset=20)
    assert first.total == second.total == 30
    assert len(first.hits) == 20 and len(second.hits) == 10
    assert not set(ids(first)) & set(ids(second))


def test_lenient_when_no_document_has_every_word(tmp_path: Path) -> None:
    # OCR broke one word ("quyết" read as "quyct"): the strict query finds nothing.
    d = doc("Bản quét", "Quyct định về việc phê duyệt kế hoạch chuyển đổi số năm 2026")
    b = build(tmp_path, [d])
    result = search(b, "quyết định phê duyệt kế hoạch chuyển đổi số")
    assert result.lenient and ids(result) == [d.id]
    assert not search(b, "phê duyệt kế hoạch").lenient


# --- permissions inside the engine ---------------------------------------------------------------

SECRET_TEXT = "Phương án bảo vệ mục tiêu trọng điểm, kho vũ khí số 7"


def _permission_corpus(tmp_path: Path) -> tuple:
    mine = doc("Kế hoạch bảo vệ mục tiêu", "Nội dung thường", unit_id=1, kind="incoming")
    other_unit = doc(
        "Kế hoạch bảo vệ mục tiêu phường khác", SECRET_TEXT, unit_id=2, kind="incoming"
    )
    secret = doc(
        "Kế hoạch bảo vệ mục tiêu mật",
        SECRET_TEXT,
        unit_id=1,
        secrecy=2,
        kind="outgoing",
        snippet=False,
    )
    restricted = doc(
        "Kế hoạch bảo vệ mục tiêu giao riêng",
        "việc được giao",
        unit_id=1,
        kind="incoming",
        acl=("user:7", "dept:3"),
    )
    backend = build(tmp_path, [mine, other_unit, secret, restricted])
    return backend, mine, other_unit, secret, restricted


def test_out_of_scope_and_secret_never_in_hits_counts_facets_or_snippets(tmp_path: Path) -> None:
    b, mine, _other_unit, _secret, restricted = _permission_corpus(tmp_path)
    clerk = Scope(clearance=0, default=(Grant(units=frozenset({1})),))
    visible = {mine.id, restricted.id}  # both incoming, in unit 1, not secret
    for q, expected in [
        ("kế hoạch bảo vệ mục tiêu", visible),
        ("ke hoach", visible),
        ("kho vũ khí", set()),
        ("vu khi", set()),
        ("", visible),  # browsing with a filter
    ]:
        for kinds in [(), ("incoming",), ("outgoing",)]:
            result = search(b, q, clerk, kinds=kinds, unit_ids=None if q else frozenset({1, 2}))
            wanted = expected if kinds != ("outgoing",) else set()
            assert set(ids(result)) == wanted, (q, kinds)
            assert result.total == len(wanted)
            assert result.kind_counts == ({"incoming": len(expected)} if expected else {})
            assert "vũ khí" not in " ".join(h.snippet + h.title_html for h in result.hits)


def test_clearance_admits_secret_hits_but_not_their_snippets(tmp_path: Path) -> None:
    b, _mine, _other_unit, secret, _restricted = _permission_corpus(tmp_path)
    cleared = Scope(clearance=2, default=(Grant(units=frozenset({1})),))
    result = search(b, "kho vũ khí", cleared)
    assert ids(result) == [secret.id]
    assert result.hits[0].secrecy == 2 and result.hits[0].snippet == ""
    assert (
        search(b, "kho vũ khí", Scope(clearance=1, default=(Grant(units=frozenset({1})),))).total
        == 0
    )


def test_restricted_grants_see_only_what_names_them(tmp_path: Path) -> None:
    b, mine, _other_unit, _secret, restricted = _permission_corpus(tmp_path)
    specialist = Scope(
        clearance=0,
        default=(),
        grants={
            "incoming": (Grant(units=frozenset({1}), principals=frozenset({"user:7"})),),
            "outgoing": (Grant(units=frozenset({1}), principals=frozenset({"user:7"})),),
        },
    )
    result = search(b, "kế hoạch bảo vệ", specialist)
    # "mine" is open to the unit ("*"), "restricted" names user 7.
    assert set(ids(result)) == {mine.id, restricted.id}
    stranger = Scope(
        clearance=3,
        default=(),
        grants={"incoming": (Grant(units=frozenset({1}), principals=frozenset({"user:8"})),)},
    )
    assert set(ids(search(b, "kế hoạch bảo vệ", stranger))) == {mine.id}
    nobody = Scope(clearance=3, default=())
    assert search(b, "kế hoạch", nobody).total == 0


def test_per_kind_grants_equal_to_the_default_narrower_or_none(tmp_path: Path) -> None:
    """The permission clause is simplified (kinds with the default's grants need no branch,
    kinds with none are only excluded, kinds sharing grants share a branch): the same answers
    as the rule, checked against every document of a mixed corpus."""
    docs = [
        doc("Kế hoạch bảo vệ", "nội dung", unit_id=unit, kind=kind, secrecy=secrecy, acl=acl)
        for kind in ("incoming", "outgoing", "dossier", "report", "work")
        for unit in (1, 2, 3)
        for secrecy in (0, 1)
        for acl in ((), ("user:7",))
    ]
    b = build(tmp_path, docs)
    wards = (Grant(units=frozenset({1, 2})),)
    own = (Grant(units=frozenset({1}), principals=frozenset({"user:7"})),)
    scope = Scope(
        clearance=0,
        default=wards,
        grants={"incoming": wards, "outgoing": wards, "dossier": own, "report": own, "work": ()},
    )

    def allowed(d: IndexDocument) -> bool:
        if d.secrecy > 0 or d.kind == "work":
            return False
        if d.kind in ("dossier", "report"):
            return d.unit_id == 1 and (not d.acl or "user:7" in d.acl)
        return d.unit_id in (1, 2)

    expected = {d.id for d in docs if allowed(d)}
    result = search(b, "kế hoạch", scope, limit=200)
    assert set(ids(result)) == expected
    assert result.total == len(expected)
    assert result.kind_counts == {
        k: n
        for k in ("incoming", "outgoing", "dossier", "report")
        if (n := sum(1 for d in docs if d.kind == k and d.id in expected))
    }
    # Asking for one kind: only that kind's rule.
    only = search(b, "kế hoạch", scope, kinds=("report",), limit=200)
    assert set(ids(only)) == {d.id for d in docs if d.kind == "report" and d.id in expected}
    assert search(b, "kế hoạch", scope, kinds=("work",)).total == 0


def test_very_many_matches_are_counted_on_a_sample(tmp_path: Path) -> None:
    docs = [
        doc(
            f"Báo cáo tuần {i}", FILLER, unit_id=1 + i % 2, kind="incoming" if i % 4 else "outgoing"
        )
        for i in range(12_800)
    ]
    b = build(tmp_path, docs)
    result = search(b, "báo cáo tuần")
    assert result.estimated
    assert 11_000 <= result.total <= 14_500  # 12,800 ± sampling error, two digits
    assert str(result.total).endswith("00")
    assert 8_000 <= result.kind_counts["incoming"] <= 11_500
    assert len(result.hits) == 20
    # In a narrower scope the sample is too small: exact counts.
    one_unit = Scope(clearance=0, default=(Grant(units=frozenset({1}), subtrees=frozenset()),))
    narrow = search(b, "báo cáo tuần", one_unit, date_from=None, kinds=("outgoing",))
    assert not narrow.estimated and narrow.total == 3_200  # i % 4 == 0: even, unit 1
    exact = search(b, "báo cáo tuần 17")
    assert not exact.estimated and exact.total == 1 and exact.hits[0].title == "Báo cáo tuần 17"
