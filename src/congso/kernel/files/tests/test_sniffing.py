"""Types are sniffed from the bytes; the extension must agree; only allowed types are stored."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.kernel.errors import DomainError
from congso.kernel.files.services import file_store
from congso.kernel.files.sniffing import sniff
from congso.kernel.files.tests.conftest import (
    make_jpeg,
    make_ooxml,
    make_pdf,
    make_png,
    make_zip,
)

XML = '<?xml version="1.0" encoding="UTF-8"?>\n<Document><Title>Báo cáo</Title></Document>'
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (make_pdf(), "pdf"),
        (b"\xef\xbb\xbf  \n%PDF-1.7\n", "pdf"),
        (make_png(), "png"),
        (make_jpeg(), "jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (make_ooxml("word"), "docx"),
        (make_ooxml("xl"), "xlsx"),
        (make_zip(), "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "ole"),
        (XML.encode(), "xml"),
        ("Số đến;Ngày đến\n1;05/01/2026\n".encode(), "text"),
        (GIF, "gif"),  # puremagic names what the explicit checks do not know
    ],
)
def test_sniff_recognises_content(data: bytes, key: str) -> None:
    stream = io.BytesIO(data)
    kind = sniff(stream)
    assert kind is not None and kind.key == key
    assert stream.tell() == 0  # put back at the start


def test_sniff_gives_up_on_noise() -> None:
    assert sniff(io.BytesIO(b"\x00\x01\x02\x03\xfe\xfd" * 40)) is None
    assert sniff(io.BytesIO(b"")) is None


@pytest.mark.django_db
def test_a_pdf_that_is_not_a_pdf_is_refused_with_a_clear_message(
    upload: Any, clerk_a: Any, ward_a: Any
) -> None:
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("x.pdf", b"Day khong phai PDF"), unit=ward_a, user=clerk_a)
    assert err.value.code == "file_type_mismatch"
    assert err.value.message == "Tệp 'x.pdf' không phải là tệp PDF."
    assert err.value.status == 415


@pytest.mark.django_db
def test_an_html_page_renamed_pdf_is_refused(upload: Any, ward_a: Any) -> None:
    page = b"<html><script>alert(1)</script></html>"
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("Quyết định.pdf", page), unit=ward_a)
    assert err.value.message == "Tệp 'Quyết định.pdf' không phải là tệp PDF."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("quyet-dinh.pdf", make_pdf(), "pdf", "application/pdf"),
        ("anh.png", make_png(), "png", "image/png"),
        ("hien-truong.jpg", make_jpeg(), "jpeg", "image/jpeg"),
        ("hien-truong.JPEG", make_jpeg(), "jpeg", "image/jpeg"),
        ("scan.tif", b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64, "tiff", "image/tiff"),
        (
            "to-trinh.docx",
            make_ooxml("word"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-lieu.xlsx",
            make_ooxml("xl"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "cu.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
            "ole",
            "application/msword",
        ),
        ("du-lieu.xml", XML.encode(), "xml", "application/xml"),
        ("so-den.csv", "Số;Ngày\n1;05/01/2026\n".encode(), "text", "text/csv; charset=utf-8"),
    ],
)
def test_real_files_are_accepted(
    upload: Any, ward_a: Any, name: str, data: bytes, kind: str, content_type: str
) -> None:
    stored = file_store(upload=upload(name, data), unit=ward_a)
    assert (stored.kind, stored.content_type, stored.size) == (kind, content_type, len(data))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("so-lieu.xlsx", make_ooxml("word"), "Tệp 'so-lieu.xlsx' không phải là tệp Excel (XLSX)."),
        ("to-trinh.docx", make_zip(), "Tệp 'to-trinh.docx' không phải là tệp Word (DOCX)."),
        ("anh.jpg", make_png(), "Tệp 'anh.jpg' không phải là tệp JPEG."),
        ("anh.png", make_pdf(), "Tệp 'anh.png' không phải là tệp PNG."),
        ("du-lieu.xml", b"khong phai xml", "Tệp 'du-lieu.xml' không phải là tệp XML."),
    ],
)
def test_extension_must_agree_with_content(
    upload: Any, ward_a: Any, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(DomainError) as err:
        file_store(upload=upload(name, data), unit=ward_a)
    assert (err.value.code, err.value.message) == ("file_type_mismatch", message)


@pytest.mark.django_db
def test_a_pdf_without_the_pdf_extension_is_refused(upload: Any, ward_a: Any) -> None:
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("ban-scan", make_pdf()), unit=ward_a)
    assert err.value.code == "file_type_mismatch"
    assert ".pdf" in err.value.message


@pytest.mark.django_db
def test_types_outside_the_allowed_ones_are_refused(upload: Any, ward_a: Any) -> None:
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("anh.png", make_png()), unit=ward_a, allowed_types=["pdf"])
    assert err.value.code == "file_type_not_allowed"
    assert "PNG" in err.value.message and "PDF" in err.value.message
    # the same file is fine where images are allowed ("jpg" is a synonym of "jpeg")
    assert file_store(
        upload=upload("anh.png", make_png()), unit=ward_a, allowed_types=["png", "jpg"]
    )


@pytest.mark.django_db
def test_unknown_and_unlisted_types_are_refused(upload: Any, ward_a: Any, settings: Any) -> None:
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("hinh.gif", GIF), unit=ward_a)
    assert err.value.code == "file_type_not_allowed"
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("du-lieu.bin", b"\x00\x01\x02\x03\xfe" * 50), unit=ward_a)
    assert err.value.code == "file_type_not_allowed"
    assert "Không nhận dạng được" in err.value.message
    settings.FILE_ALLOWED_TYPES = ["pdf"]  # the deployment's own list wins over the default
    with pytest.raises(DomainError) as err:
        file_store(upload=upload("to-trinh.docx", make_ooxml("word")), unit=ward_a)
    assert err.value.code == "file_type_not_allowed"


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.sampled_from([make_pdf(), make_png(), make_jpeg(), make_zip()]).flatmap(
            lambda good: st.integers(0, len(good)).map(lambda cut: good[:cut])
        ),
    ),
    ext=st.sampled_from(["pdf", "png", "jpg", "docx", "xml", "txt", "bin", ""]),
)
def test_any_bytes_are_either_stored_or_refused_with_a_domain_error(
    ward_a: Any, upload: Any, data: bytes, ext: str
) -> None:
    name = f"tep.{ext}" if ext else "tep"
    try:
        stored = file_store(upload=upload(name, data), unit=ward_a)
    except DomainError as err:
        assert err.code in {"file_type_mismatch", "file_type_not_allowed", "file_empty"}
    else:
        assert stored.size == len(data) > 0
        kind = sniff(io.BytesIO(data))
        assert kind is not None and kind.key == stored.kind
        assert ext in kind.extensions
