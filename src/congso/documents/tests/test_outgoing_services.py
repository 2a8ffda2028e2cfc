"""Outgoing documents through the real services: numbers and notations, review chain, who may
sign and issue, the signed PDF, bad inputs, dispatch inside the platform, recall."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from congso.documents.models import (
    AssignmentStatus,
    Channel,
    Dispatch,
    DispatchStatus,
    IncomingDocument,
    IncomingStatus,
    Organisation,
    OutgoingDocument,
    OutgoingNumbering,
    OutgoingSettings,
    OutgoingStatus,
    ReviewDecision,
)
from congso.documents.services import outgoing as svc
from congso.documents.tests.conftest import doc_type, upload
from congso.kernel.audit.models import AuditEvent
from congso.kernel.errors import DomainError, PermissionDenied
from congso.kernel.files.models import StoredFile
from congso.kernel.files.services import file_open
from congso.kernel.notifications.models import Notification
from congso.kernel.numbering.models import Sequence
from congso.kernel.orgunits.models import AdminUnit, Department
from congso.kernel.people.models import User
from congso.kernel.signing.models import SigningCredential
from congso.kernel.signing.services import verify_pdf

pytestmark = pytest.mark.django_db
MakeOutgoing = Callable[..., OutgoingDocument]


def _bytes(stored: StoredFile | None) -> bytes:
    assert stored is not None
    with file_open(stored) as handle:
        return bytes(handle.read())


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def encrypted_pdf(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- numbers and notations -------------------------------------------------------------------


def test_notation_formats_and_leading_zeros(
    ward_a: AdminUnit, departments: dict[str, Department], specialist: User
) -> None:
    typed = OutgoingDocument(
        unit=ward_a, department=departments["KT"], document_type=doc_type("Quyết định")
    )
    letter = OutgoingDocument(
        unit=ward_a, department=departments["KT"], document_type=doc_type("Công văn")
    )
    assert svc.outgoing_notation(number=5, document=typed) == "05/QĐ-UBND"
    assert svc.outgoing_notation(number=10, document=typed) == "10/QĐ-UBND"
    assert svc.outgoing_notation(number=123, document=letter) == "123/UBND-KT"
    assert svc.outgoing_notation(number=1, document=letter) == "01/UBND-KT"
    ward_a.abbreviation = "UBND"
    rule = OutgoingDocument(
        unit=ward_a, department=departments["VP"], document_type=doc_type("Quy định")
    )
    assert svc.outgoing_notation(number=7, document=rule) == "07/QyĐ-UBND"


def test_series_per_type_letters_and_secret_then_single_scheme(
    ward_a: AdminUnit, departments: dict[str, Department]
) -> None:
    def series(type_name: str, secrecy: int = 0) -> str:
        return svc.outgoing_series(
            OutgoingDocument(
                unit=ward_a,
                department=departments["KT"],
                document_type=doc_type(type_name),
                secrecy=secrecy,
            )
        )

    assert series("Quyết định") == "outgoing:QĐ"
    assert series("Thông báo") == "outgoing:TB"
    assert series("Công văn") == "outgoing:letter"
    assert series("Thư công") == "outgoing:letter"  # no abbreviation: the letter shape
    assert series("Quyết định", secrecy=1) == "outgoing-secret"
    OutgoingSettings.objects.create(unit=ward_a, numbering=OutgoingNumbering.SINGLE)
    assert series("Quyết định") == series("Công văn") == "outgoing"
    assert series("Công văn", secrecy=2) == "outgoing-secret"


def test_issue_numbers_each_series_from_01_without_gaps(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    specialist: User,
    head_kt: User,
    clerk: User,
) -> None:
    for person in (specialist, head_kt, clerk):  # cleared for "Mật" (the leader already is)
        person.clearance = 1
        person.save(update_fields=["clearance"])
    first = make_outgoing(type_name="Quyết định")
    letter = make_outgoing(type_name="Công văn")
    second = make_outgoing(type_name="Quyết định")
    notice = make_outgoing(type_name="Thông báo")
    secret = make_outgoing(type_name="Quyết định", secrecy=1)
    assert [first.notation, second.notation] == ["01/QĐ-UBND", "02/QĐ-UBND"]
    assert letter.notation == "01/UBND-KT" and notice.notation == "01/TB-UBND"
    assert (secret.series, secret.number, secret.notation) == ("outgoing-secret", 1, "01/QĐ-UBND")
    year = timezone.localdate().year
    assert all(d.year == year and d.issued_date == timezone.localdate() for d in (first, notice))
    assert (
        Sequence.objects.get(scope=f"unit:{first.unit_id}", series="outgoing:QĐ", year=year).last
        == 2
    )


def test_a_failed_issue_gives_its_number_back(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    clerk: User,
) -> None:
    signed = make_outgoing(until="signed")
    seal = signing_credentials["ward_a"]
    good_secret = seal.secret
    # The seal's passphrase no longer opens the key: the organisation's signature fails after
    # the number was taken, inside the transaction.
    from congso.kernel.signing.crypto import encrypt_secret

    SigningCredential.objects.filter(pk=seal.pk).update(secret=encrypt_secret("sai"))
    with pytest.raises(DomainError) as err:
        svc.outgoing_issue(document=signed, user=clerk)
    assert err.value.code == "credential_invalid"
    signed.refresh_from_db()
    assert (signed.status, signed.number, signed.notation) == (OutgoingStatus.SIGNED, None, "")
    assert not AuditEvent.objects.filter(action="documents.outgoing_issue").exists()
    SigningCredential.objects.filter(pk=seal.pk).update(secret=good_secret)
    issued = svc.outgoing_issue(document=signed, user=clerk)
    assert issued.number == 1 and issued.notation == "01/QĐ-UBND"


# --- the signed PDF --------------------------------------------------------------------------


def test_issued_files_validate_with_poppler_pdfsig(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    appendix_bytes: bytes,
    tmp_path: Any,
) -> None:
    """The independent check on what the workflow issued (not only on the kernel's signer):
    poppler's pdfsig finds the leader's and the committee's signatures valid, and the
    attachment's."""
    import shutil
    import subprocess

    exe = shutil.which("pdfsig")
    if exe is None:
        pytest.skip("pdfsig is missing: install Debian's poppler-utils (make sysdeps)")
    document = make_outgoing(attachments=[upload("phu-luc.pdf", appendix_bytes)])
    main, appendix = svc.outgoing_issued_files(document)
    outputs = []
    for stored in (main, appendix):
        path = tmp_path / f"{stored.pk}.pdf"
        path.write_bytes(_bytes(stored))
        run = subprocess.run([exe, str(path)], capture_output=True, text=True, check=False)
        outputs.append(run.stdout)
    assert outputs[0].count("Signature is Valid.") == 2, outputs[0]
    assert "Nguyễn Thị Thu Hằng" in outputs[0] and "Ủy ban nhân dân phường Tây Hồ" in outputs[0]
    assert "Total document signed" in outputs[0].split("Signature #2:")[1]
    assert outputs[1].count("Signature is Valid.") == 1, outputs[1]


def test_issued_pdf_has_both_signatures_number_and_signed_attachments(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    appendix_bytes: bytes,
) -> None:
    document = make_outgoing(attachments=[upload("phu-luc.pdf", appendix_bytes)])
    assert document.status == OutgoingStatus.ISSUED and document.signed_with_test_ca
    files = svc.outgoing_issued_files(document)
    assert files[0].pk == document.issued_file_id and len(files) == 2
    report = verify_pdf(_bytes(document.issued_file))
    assert report.ok and report.any_test
    leader_sig, seal_sig = report.signatures
    assert leader_sig.signer == "Nguyễn Thị Thu Hằng"
    assert seal_sig.signer == "Ủy ban nhân dân phường Tây Hồ" and seal_sig.covers_whole_file
    assert leader_sig.modification == "form_filling"
    # The number went into the blank before "/QĐ-UBND" of the draft.
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(_bytes(document.issued_file)), strict=False)
    values = {
        str(f.get_object()["/T"]): str(f.get_object().get("/V", ""))
        for f in reader.root["/AcroForm"]["/Fields"]
    }
    assert values["congso_so"] == "01"
    appendix = verify_pdf(_bytes(files[1]))
    assert appendix.ok and appendix.signatures[0].signer == "Ủy ban nhân dân phường Tây Hồ"
    # Files: versions and uploads belong to their rows, the issued ones to the document.
    owned = StoredFile.objects.filter(
        owner_id=str(document.pk), owner_type__model="outgoingdocument"
    )
    assert set(owned.values_list("pk", flat=True)) == {f.pk for f in files}


def test_docx_final_version_cannot_be_signed(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    specialist: User,
    head_kt: User,
    leader: User,
) -> None:
    document = make_outgoing(until="draft", file=SimpleUploadedFile("du-thao.docx", docx_bytes()))
    assert document.page_count is None
    svc.outgoing_review_submit(document=document, user=specialist, reviewers=[leader])
    with pytest.raises(DomainError) as err:
        svc.outgoing_sign(document=document, user=leader)
    assert err.value.code == "sign_needs_pdf"
    document.refresh_from_db()
    assert document.status == OutgoingStatus.IN_REVIEW and document.signed_file is None


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("du-thao.pdf", "encrypted", "pdf_encrypted"),
        ("du-thao.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> broken", "pdf_invalid"),
        ("du-thao.pdf", docx_bytes(), "file_type_mismatch"),
        ("du-thao.pdf", b"", "file_empty"),
    ],
)
def test_bad_drafts_are_refused_and_leave_nothing(
    make_outgoing: MakeOutgoing,
    decision_bytes: bytes,
    name: str,
    content: bytes | str,
    code: str,
) -> None:
    data = encrypted_pdf(decision_bytes) if content == "encrypted" else content
    assert isinstance(data, bytes)
    with pytest.raises(DomainError) as err:
        make_outgoing(until="draft", file=SimpleUploadedFile(name, data))
    assert err.value.code == code
    assert not OutgoingDocument.objects.exists()
    assert not StoredFile.objects.exists()


def test_bad_attachment_refused(make_outgoing: MakeOutgoing, decision_bytes: bytes) -> None:
    with pytest.raises(DomainError) as err:
        make_outgoing(
            until="draft",
            attachments=[SimpleUploadedFile("phu-luc.pdf", encrypted_pdf(decision_bytes))],
        )
    assert err.value.code == "pdf_encrypted" and "phu-luc.pdf" in err.value.message
    assert not OutgoingDocument.objects.exists()


# --- review chain and roles ------------------------------------------------------------------


def test_review_chain_only_current_reviewer_decides(
    make_outgoing: MakeOutgoing,
    specialist: User,
    head_kt: User,
    leader: User,
    colleague: User,
    decision_bytes: bytes,
) -> None:
    document = make_outgoing(until="in_review")
    step1 = svc.current_step(document)
    assert step1 is not None and step1.reviewer == head_kt
    assert Notification.objects.filter(recipient=head_kt, kind="documents.outgoing_review").exists()
    step2 = document.review_steps.get(reviewer=leader)
    # Not their turn, or not theirs at all.
    for user, step in ((leader, step2), (leader, step1), (colleague, step1), (specialist, step1)):
        with pytest.raises(PermissionDenied):
            svc.outgoing_review_decide(step=step, user=user, decision="approved")
    with pytest.raises(DomainError) as err:
        svc.outgoing_review_decide(step=step1, user=head_kt, decision="returned")
    assert err.value.code == "comment_required"
    # The head returns it with a comment and a corrected version.
    svc.outgoing_review_decide(
        step=step1,
        user=head_kt,
        decision="returned",
        comment="Sửa lại căn cứ pháp lý.",
        file=upload("du-thao-v2.pdf", decision_bytes),
    )
    document.refresh_from_db()
    assert document.status == OutgoingStatus.RETURNED
    step2.refresh_from_db()
    assert step2.decision == ReviewDecision.SKIPPED
    assert document.versions.count() == 2
    returned = Notification.objects.get(recipient=specialist, kind="documents.outgoing_returned")
    assert "Sửa lại căn cứ pháp lý." in returned.body
    with pytest.raises(PermissionDenied):
        svc.outgoing_review_decide(step=step1, user=head_kt, decision="approved")
    # Resubmitted: a new round; approvals in turn; the drafter is told when it is approved.
    svc.outgoing_version_add(
        document=document, user=specialist, file=upload("v3.pdf", decision_bytes), comment="Đã sửa"
    )
    steps = svc.outgoing_review_submit(
        document=document, user=specialist, reviewers=[head_kt, leader]
    )
    assert [s.order for s in steps] == [3, 4]
    svc.outgoing_review_decide(step=steps[0], user=head_kt, decision="approved")
    document.refresh_from_db()
    assert svc.current_step(document).reviewer == leader  # type: ignore[union-attr]
    svc.outgoing_review_decide(step=steps[1], user=leader, decision="approved", comment="Đồng ý")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED
    assert Notification.objects.filter(
        recipient=specialist, kind="documents.outgoing_approved"
    ).exists()
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(document.pk), action__startswith="documents.outgoing"
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions.count("documents.outgoing_review_decide") == 3
    assert actions[0] == "documents.outgoing_draft_create"


def test_submit_checks(
    make_outgoing: MakeOutgoing, specialist: User, colleague: User, clerk_b: User, leader: User
) -> None:
    document = make_outgoing(until="draft")
    with pytest.raises(PermissionDenied):
        svc.outgoing_review_submit(document=document, user=colleague, reviewers=[leader])
    for reviewers, code in (
        ([], "reviewers_required"),
        ([specialist], "reviewer_is_drafter"),
        ([clerk_b], "reviewer_invalid"),
        ([leader, leader], "reviewers_repeated"),
    ):
        with pytest.raises(DomainError) as err:
            svc.outgoing_review_submit(document=document, user=specialist, reviewers=reviewers)
        assert err.value.code == code


def test_only_leaders_sign_and_only_clerks_issue(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    specialist: User,
    head_kt: User,
    leader: User,
    clerk: User,
    clerk_b: User,
    leader_b: User,
) -> None:
    approved = make_outgoing(until="approved")
    for user in (specialist, clerk, clerk_b, leader_b):
        with pytest.raises(PermissionDenied):
            svc.outgoing_sign(document=approved, user=user)
    # A head of department holds the leader role but has no personal certificate here.
    with pytest.raises(DomainError) as err:
        svc.outgoing_sign(document=approved, user=head_kt)
    assert err.value.code == "sign_no_credential"
    signed = svc.outgoing_sign(document=approved, user=leader, signer_title="Chủ tịch")
    assert signed.status == OutgoingStatus.SIGNED and signed.signer == leader
    assert Notification.objects.filter(recipient=clerk, kind="documents.outgoing_signed").exists()
    for user in (specialist, leader, head_kt, clerk_b):
        with pytest.raises(PermissionDenied):
            svc.outgoing_issue(document=signed, user=user)
    issued = svc.outgoing_issue(document=signed, user=clerk)
    assert issued.issued_by == clerk and issued.status == OutgoingStatus.ISSUED
    with pytest.raises(PermissionDenied):
        svc.outgoing_issue(document=issued, user=clerk)  # issued once only


def test_leader_as_last_reviewer_signs_directly(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    specialist: User,
    leader: User,
) -> None:
    document = make_outgoing(until="draft")
    svc.outgoing_review_submit(document=document, user=specialist, reviewers=[leader])
    signed = svc.outgoing_sign(document=document, user=leader)
    assert signed.status == OutgoingStatus.SIGNED
    step = signed.review_steps.get()
    assert step.decision == ReviewDecision.APPROVED and step.decided_at is not None


def test_no_organisation_credential_no_issue(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    clerk: User,
) -> None:
    signed = make_outgoing(until="signed")
    SigningCredential.objects.filter(unit=signed.unit).update(is_active=False)
    with pytest.raises(DomainError) as err:
        svc.outgoing_issue(document=signed, user=clerk)
    assert err.value.code == "issue_no_organisation_credential"
    assert not Sequence.objects.filter(series="outgoing:QĐ").exists()


# --- dispatch and recall ---------------------------------------------------------------------


def test_dispatch_inside_the_platform_and_status_back(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    ward_b: AdminUnit,
    clerk: User,
    clerk_b: User,
    leader_b: User,
) -> None:
    ward_b_org = svc.organisation_for_unit(ward_b)
    outside = Organisation.objects.create(name="Sở Nội vụ thành phố Hà Nội", org_code="H26.SNV")
    document = make_outgoing(recipients=[ward_b_org, outside], urgency=1)
    result = svc.outgoing_dispatch(document=document, user=clerk)
    assert [d.recipient for d in result.internal] == [ward_b_org]
    assert [d.recipient for d in result.external] == [outside]
    external = result.external[0]
    assert (external.channel, external.status) == (Channel.EDXML, DispatchStatus.PENDING)

    incoming = IncomingDocument.objects.get(unit=ward_b)
    assert incoming.arrival_number == 1 and incoming.channel == Channel.INTERNAL
    assert incoming.notation == "01/QĐ-UBND" and incoming.code_number == "01"
    assert incoming.sender_name == "Ủy ban nhân dân phường Tây Hồ"
    assert incoming.signer_name == "Nguyễn Thị Thu Hằng" and incoming.urgency == 1
    assert incoming.source_dispatch == result.internal[0]
    copied = StoredFile.objects.filter(
        owner_type__model="incomingdocument", owner_id=str(incoming.pk)
    ).order_by("pk")
    assert copied[0].sha256 == document.issued_file.sha256  # type: ignore[union-attr]
    assert Notification.objects.filter(
        recipient=clerk_b, kind="documents.incoming_internal"
    ).exists()
    dispatch = Dispatch.objects.get(pk=result.internal[0].pk)
    assert dispatch.status == DispatchStatus.RECEIVED

    # The receiving committee handles it: the status flows back to the sender.
    from congso.documents.services.incoming import incoming_assign, incoming_complete

    incoming_assign(
        document=incoming, user=leader_b, lead_user=clerk_b, instruction="Xử lý", deadline=None
    )
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.ASSIGNED
    assignment = incoming.assignments.get()
    incoming_complete(assignment=assignment, user=clerk_b, result_note="Đã xong")
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE

    # Sending again skips who already got it.
    again = svc.outgoing_dispatch(document=document, user=clerk)
    assert set(again.skipped) == {ward_b_org, outside} and not again.internal
    assert IncomingDocument.objects.filter(unit=ward_b).count() == 1


def test_dispatch_permissions_and_status(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    ward_b: AdminUnit,
    leader: User,
    clerk: User,
) -> None:
    signed = make_outgoing(until="signed", recipients=[svc.organisation_for_unit(ward_b)])
    with pytest.raises(PermissionDenied):
        svc.outgoing_dispatch(document=signed, user=clerk)  # not issued yet
    issued = svc.outgoing_issue(document=signed, user=clerk)
    with pytest.raises(PermissionDenied):
        svc.outgoing_dispatch(document=issued, user=leader)
    with pytest.raises(DomainError) as err:
        svc.outgoing_dispatch(document=issued, user=clerk, recipients=[999999])
    assert err.value.code == "recipient_invalid"


def test_recall_freezes_and_recalls_the_copies(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    ward_b: AdminUnit,
    clerk: User,
    clerk_b: User,
    leader_b: User,
    specialist: User,
) -> None:
    from congso.documents.services.incoming import incoming_assign

    document = make_outgoing(recipients=[svc.organisation_for_unit(ward_b)])
    svc.outgoing_dispatch(document=document, user=clerk)
    incoming = IncomingDocument.objects.get(unit=ward_b)
    incoming_assign(document=incoming, user=leader_b, lead_user=clerk_b, instruction="Xử lý")
    with pytest.raises(PermissionDenied):
        svc.outgoing_recall(document=document, user=specialist, reason="Sai sót")
    with pytest.raises(DomainError) as err:
        svc.outgoing_recall(document=document, user=clerk, reason="  ")
    assert err.value.code == "reason_required"
    recalled = svc.outgoing_recall(
        document=document, user=clerk, reason="Sai căn cứ pháp lý, sẽ ban hành văn bản thay thế."
    )
    assert recalled.status == OutgoingStatus.RECALLED and recalled.recalled_at is not None
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.RECALLED
    assert incoming.assignments.get().status == AssignmentStatus.CANCELLED
    dispatch = recalled.dispatches.get()
    assert dispatch.status == DispatchStatus.RECALLED
    told = Notification.objects.filter(kind="documents.incoming_recalled")
    assert {n.recipient for n in told} >= {clerk_b, leader_b}
    assert "Sai căn cứ pháp lý" in told.first().body  # type: ignore[union-attr]
    # Frozen: nothing more happens to it, and the copy no longer changes its sender's status.
    with pytest.raises(PermissionDenied):
        svc.outgoing_recall(document=recalled, user=clerk, reason="Lần nữa")
    with pytest.raises(PermissionDenied):
        svc.outgoing_dispatch(document=recalled, user=clerk)
    assert AuditEvent.objects.filter(action="documents.incoming_recalled").count() == 1


def test_secret_reads_are_audited(
    make_outgoing: MakeOutgoing, signing_credentials: dict[str, SigningCredential], leader: User
) -> None:
    from congso.documents.rules import can_read_outgoing_file

    document = make_outgoing(until="draft", secrecy=1, user=leader)
    version = document.versions.get()
    assert can_read_outgoing_file(leader, version)
    event = AuditEvent.objects.get(action="documents.secret_read")
    assert event.actor == leader and event.object_id == str(document.pk)


def test_visibility(
    make_outgoing: MakeOutgoing,
    specialist: User,
    colleague: User,
    outsider: User,
    clerk: User,
    clerk_b: User,
    head_kt: User,
) -> None:
    from congso.documents.rules import can_view_outgoing
    from congso.documents.selectors import outgoing_list, outgoing_my_reviews

    document = make_outgoing(until="in_review")
    assert can_view_outgoing(specialist, document) and can_view_outgoing(clerk, document)
    assert can_view_outgoing(colleague, document)  # same department
    assert can_view_outgoing(head_kt, document)
    assert not can_view_outgoing(outsider, document)  # another department, not involved
    assert not can_view_outgoing(clerk_b, document)  # another committee
    assert list(outgoing_list(outsider)) == [] and list(outgoing_list(clerk_b)) == []
    assert list(outgoing_my_reviews(head_kt)) == [document]
    assert list(outgoing_my_reviews(specialist)) == []


def test_draft_input_checks(
    ward_a: AdminUnit,
    ward_b: AdminUnit,
    departments: dict[str, Department],
    specialist: User,
    clerk_b: User,
    decision_bytes: bytes,
) -> None:
    base: dict[str, Any] = {
        "unit": ward_a,
        "department": departments["KT"],
        "user": specialist,
        "document_type": doc_type("Quyết định"),
        "subject": "Trích yếu",
    }
    cases = [
        ({"subject": "  "}, "subject_required"),
        ({"subject": "x" * 501}, "subject_too_long"),
        ({"secrecy": 1}, "secrecy_not_cleared"),
        ({"urgency": 9}, "urgency_invalid"),
        ({"file": None}, "file_required"),
        ({"recipients": [123456]}, "recipient_invalid"),
    ]
    for change, code in cases:
        kwargs = {**base, "file": upload("a.pdf", decision_bytes), **change}
        with pytest.raises(DomainError) as err:
            svc.outgoing_draft_create(**kwargs)
        assert err.value.code == code, change
    other_department = Department.objects.create(
        unit=ward_b, name="VP", abbreviation="VP", kind="office"
    )
    with pytest.raises(DomainError) as err:
        svc.outgoing_draft_create(
            **{**base, "department": other_department, "file": upload("a.pdf", decision_bytes)}
        )
    assert err.value.code == "department_invalid"
    with pytest.raises(PermissionDenied):
        svc.outgoing_draft_create(
            **{**base, "user": clerk_b, "file": upload("a.pdf", decision_bytes)}
        )
    assert not OutgoingDocument.objects.exists()


def test_numbering_scheme_is_configurable_until_the_first_number(
    make_outgoing: MakeOutgoing,
    signing_credentials: dict[str, SigningCredential],
    ward_a: AdminUnit,
    clerk: User,
) -> None:
    settings_row = OutgoingSettings(unit=ward_a, numbering=OutgoingNumbering.SINGLE)
    svc.outgoing_settings_save(obj=settings_row, user=clerk)
    assert AuditEvent.objects.filter(action="documents.outgoing_settings_save").exists()
    letter = make_outgoing(type_name="Công văn")
    decision = make_outgoing(type_name="Quyết định")
    # One series for every type: the numbers follow each other across types.
    assert (letter.series, letter.notation) == ("outgoing", "01/UBND-KT")
    assert (decision.series, decision.notation) == ("outgoing", "02/QĐ-UBND")
    settings_row.numbering = OutgoingNumbering.PER_TYPE
    with pytest.raises(DomainError) as err:
        svc.outgoing_settings_save(obj=settings_row, user=clerk)
    assert err.value.code == "numbering_in_use"
