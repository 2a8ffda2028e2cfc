"""Signing PDFs per Decree 30 App. I, checked with pyHanko's validator."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from congso.kernel.errors import DomainError
from congso.kernel.signing import pdf as pdfops
from congso.kernel.signing import placement
from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.services import (
    ATTACHMENT_FIELD,
    LEADER_FIELD,
    ORGANISATION_FIELD,
    sign_attachment,
    sign_document_main,
    sign_main_leader,
    sign_main_organisation,
    sign_pdf,
    verify_pdf,
)
from congso.kernel.signing.tests.conftest import words

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def _fields(pdf: bytes) -> dict[str, object]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    out = {}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        obj = ref.get_object()
        out[str(obj["/T"])] = obj
    return out


def test_leader_then_organisation_both_valid_and_second_covers_first(
    decision_bytes: bytes,
    leader_credential: SigningCredential,
    unit_credential: SigningCredential,
) -> None:
    leader = sign_main_leader(
        pdf_bytes=decision_bytes, credential=leader_credential, signer_name="Nguyễn Thị Thu Hằng"
    )
    assert leader.placed_by_name
    final = sign_main_organisation(
        pdf_bytes=leader.pdf,
        credential=unit_credential,
        leader_page=leader.page,
        leader_box=leader.box,
        number="05",
        notation="05/QĐ-UBND",
        issued=dt.date(2026, 3, 5),
    )
    report = verify_pdf(final)
    assert report.ok, [s.summary for s in report.signatures]
    first, second = report.signatures
    assert (first.field_name, second.field_name) == (LEADER_FIELD, ORGANISATION_FIELD)
    assert first.signer == "Nguyễn Thị Thu Hằng"
    assert second.signer == "Ủy ban nhân dân phường Tây Hồ"
    assert all(s.intact and s.valid and s.trusted and s.is_test for s in report.signatures)
    # The organisation signed last, over the whole file; the leader's revision is covered and
    # only form filling (the number and the date) happened after it.
    assert second.covers_whole_file and second.revision > first.revision
    assert not first.covers_whole_file and first.modification == "form_filling"
    assert second.modification == "none"
    # The number and the date went into the blanks the drafter left.
    values = {name: str(obj.get("/V", "")) for name, obj in _fields(final).items()}
    assert values[pdfops.NUMBER_FIELD] == "05"
    assert values[pdfops.DAY_FIELD] == "05"
    assert values[pdfops.MONTH_FIELD] == "3"
    assert pdfops.LINE_FIELD not in values


def test_seal_covers_left_third_of_leader_image(
    decision_bytes: bytes,
    leader_credential: SigningCredential,
    unit_credential: SigningCredential,
) -> None:
    final = sign_document_main(
        pdf_bytes=decision_bytes,
        leader_credential=leader_credential,
        organisation_credential=unit_credential,
        signer_name="Nguyễn Thị Thu Hằng",
        number="12",
        issued=dt.date(2026, 11, 20),
    )
    fields = _fields(final)
    lx0, ly0, lx1, ly1 = (float(v) for v in fields[LEADER_FIELD]["/Rect"])
    sx0, sy0, sx1, sy1 = (float(v) for v in fields[ORGANISATION_FIELD]["/Rect"])
    assert sx1 == pytest.approx(lx0 + (lx1 - lx0) / 3, abs=0.1)
    assert sx0 < lx0  # sticks out to the left
    assert (sy0 + sy1) / 2 == pytest.approx((ly0 + ly1) / 2, abs=0.1)
    assert sx1 - sx0 == pytest.approx(placement.SEAL_DIAMETER_MM * placement.MM, abs=0.1)
    # Both on the last page, where the signer's name is.
    reader = PdfFileReader(io.BytesIO(final), strict=False)
    kids = reader.root["/Pages"]["/Kids"]
    last = kids.raw_get(len(kids) - 1)
    assert fields[LEADER_FIELD].raw_get("/P").idnum == last.idnum


def test_leader_image_sits_between_title_and_name(
    decision_bytes: bytes, leader_credential: SigningCredential
) -> None:
    leader = sign_main_leader(
        pdf_bytes=decision_bytes, credential=leader_credential, signer_name="Nguyễn Thị Thu Hằng"
    )
    page = words(decision_bytes, leader.page)
    name = [w for w in page.words if w.text in {"Nguyễn", "Hằng"}]
    title = [w for w in page.words if w.text == "TỊCH"]
    x0, y0, x1, y1 = leader.box
    assert y0 >= max(w.y1 for w in name) - 0.5  # above the name
    assert y1 <= min(w.y0 for w in title) + 0.5  # below the title
    centre = (min(w.x0 for w in name) + max(w.x1 for w in name)) / 2
    assert (x0 + x1) / 2 == pytest.approx(centre, abs=0.5)


def test_name_not_found_goes_bottom_right_of_last_page(
    plain_bytes: bytes, leader_credential: SigningCredential
) -> None:
    leader = sign_main_leader(
        pdf_bytes=plain_bytes, credential=leader_credential, signer_name="Người Không Có Tên"
    )
    assert not leader.placed_by_name
    width, height = pdfops.page_size(plain_bytes, -1)
    x0, _y0, _x1, y1 = leader.box
    assert x0 > width / 2 and y1 < height / 3
    # No blanks for the number: one line field in the top margin instead, filled at issue.
    assert leader.number_fields == (pdfops.LINE_FIELD,)
    filled = sign_main_organisation(
        pdf_bytes=leader.pdf,
        credential=SigningCredential.objects.get(unit__isnull=False)
        if SigningCredential.objects.filter(unit__isnull=False).exists()
        else leader_credential,
        leader_page=leader.page,
        leader_box=leader.box,
        number="07",
        notation="07/UBND-VP",
        issued=dt.date(2026, 1, 9),
    )
    value = str(_fields(filled)[pdfops.LINE_FIELD]["/V"])
    assert value == "Số: 07/UBND-VP, ngày 09/01/2026"
    assert verify_pdf(filled).ok


def test_given_box_and_page_are_used(
    decision_bytes: bytes, leader_credential: SigningCredential
) -> None:
    box = (100.0, 100.0, 250.0, 160.0)
    leader = sign_main_leader(
        pdf_bytes=decision_bytes,
        credential=leader_credential,
        signer_name="Nguyễn Thị Thu Hằng",
        page=0,
        box=box,
    )
    assert leader.page == 0 and leader.box == box and not leader.placed_by_name
    rect = [float(v) for v in _fields(leader.pdf)[LEADER_FIELD]["/Rect"]]
    assert rect == pytest.approx(list(box))


def test_attachment_text_top_right_with_iso_time(
    attachment_bytes: bytes, unit_credential: SigningCredential
) -> None:
    moment = dt.datetime(2026, 3, 5, 9, 15, 2, tzinfo=VN)
    signed = sign_attachment(
        pdf_bytes=attachment_bytes,
        credential=unit_credential,
        notation="05/QĐ-UBND",
        timestamp=moment,
    )
    report = verify_pdf(signed)
    assert report.ok
    (check,) = report.signatures
    assert check.field_name == ATTACHMENT_FIELD
    assert check.signing_time == moment
    field = _fields(signed)[ATTACHMENT_FIELD]
    x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
    width, height = pdfops.page_size(attachment_bytes, 0)
    assert x1 == pytest.approx(width - 15 * placement.MM, abs=0.5)
    assert y1 == pytest.approx(height - 8 * placement.MM, abs=0.5)
    assert x0 > width / 2
    # What a reader sees there (poppler reads the stamp's appearance): the notation and the
    # signing time in ISO 8601 with the Vietnam offset, and no image.
    page = words(signed, 0)
    stamp = [w for w in page.words if w.x0 >= x0 - 1 and (w.y0 + w.y1) / 2 >= y0]
    text = " ".join(w.text for w in stamp)
    assert "Số, ký hiệu: 05/QĐ-UBND" in text
    assert "Thời gian ký: 2026-03-05T09:15:02+07:00" in text
    assert 9 < max(w.height for w in stamp) < 13  # 10 pt
    assert x1 - 12 < max(w.x1 for w in stamp) <= x1  # flush right (text box padding)
    assert not _has_image(field["/AP"]["/N"])


def _has_image(xobject: object) -> bool:
    from pyhanko.pdf_utils import generic

    obj = xobject.get_object() if hasattr(xobject, "get_object") else xobject
    if not isinstance(obj, generic.StreamObject):
        return False
    if obj.get("/Subtype") == "/Image":
        return True
    resources = obj.get("/Resources", generic.DictionaryObject())
    return any(
        _has_image(x) for x in resources.get("/XObject", generic.DictionaryObject()).values()
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "pdf_invalid"),
        (b"PK\x03\x04 this is a docx, not a pdf", "pdf_invalid"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "pdf_invalid"),
    ],
)
def test_bad_files_refused(content: bytes, code: str, leader_credential: SigningCredential) -> None:
    with pytest.raises(DomainError) as err:
        sign_pdf(
            pdf_bytes=content,
            credential=leader_credential,
            field_name="X",
            box=(10, 10, 100, 60),
        )
    assert err.value.code == code


def test_encrypted_pdf_refused(decision_bytes: bytes, leader_credential: SigningCredential) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(decision_bytes)))
    writer.encrypt(user_password="", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(DomainError) as err:
        sign_main_leader(pdf_bytes=out.getvalue(), credential=leader_credential, signer_name="X")
    assert err.value.code == "pdf_encrypted"
    assert verify_pdf(out.getvalue()).error


def test_inactive_and_expired_credentials_refused(
    decision_bytes: bytes, leader_credential: SigningCredential
) -> None:
    SigningCredential.objects.filter(pk=leader_credential.pk).update(is_active=False)
    leader_credential.refresh_from_db()
    with pytest.raises(DomainError) as err:
        sign_pdf(
            pdf_bytes=decision_bytes,
            credential=leader_credential,
            field_name="X",
            box=(10, 10, 100, 60),
        )
    assert err.value.code == "credential_inactive"
    SigningCredential.objects.filter(pk=leader_credential.pk).update(
        is_active=True, not_after=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    leader_credential.refresh_from_db()
    with pytest.raises(DomainError) as err:
        sign_pdf(
            pdf_bytes=decision_bytes,
            credential=leader_credential,
            field_name="X",
            box=(10, 10, 100, 60),
        )
    assert err.value.code == "credential_expired"


def test_test_credentials_refused_when_test_ca_disabled(
    decision_bytes: bytes, leader_credential: SigningCredential, settings: object
) -> None:
    settings.SIGNING_TEST_CA_ENABLED = False  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as err:
        sign_pdf(
            pdf_bytes=decision_bytes,
            credential=leader_credential,
            field_name="X",
            box=(10, 10, 100, 60),
        )
    assert err.value.code == "credential_test_disabled"


def test_untrusted_when_test_ca_not_trusted(
    decision_bytes: bytes, leader_credential: SigningCredential, settings: object
) -> None:
    signed = sign_pdf(
        pdf_bytes=decision_bytes,
        credential=leader_credential,
        field_name="X",
        box=(10, 10, 100, 60),
        text="Ký thử",
    )
    assert verify_pdf(signed).ok
    settings.SIGNING_TEST_CA_ENABLED = False  # type: ignore[attr-defined]
    report = verify_pdf(signed)
    (check,) = report.signatures
    assert check.intact and check.valid and not check.trusted and not report.ok


def test_tampered_file_is_reported_invalid(
    decision_bytes: bytes, leader_credential: SigningCredential
) -> None:
    signed = sign_pdf(
        pdf_bytes=decision_bytes,
        credential=leader_credential,
        field_name="X",
        box=(10, 10, 100, 60),
        text="Ký thử",
    )
    # Change one byte inside the signed range (in the first page's content).
    index = signed.index(b"stream", 2000) + 40
    tampered = signed[:index] + bytes([signed[index] ^ 0x01]) + signed[index + 1 :]
    report = verify_pdf(tampered)
    assert not report.ok
    assert not report.signatures or not report.signatures[0].intact
