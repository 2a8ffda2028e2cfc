"""HTML pages of outgoing documents: the unit's list, my drafts, my work (reviews, signing,
issuing), new draft, the detail page with every workflow form, the signing page.

Thin: parse a form, call one service, show the result or the service's Vietnamese message.
``register_outgoing()`` (called from ``DocumentsConfig.ready``) adds the menu entries, the
home-page work items and the file access rules of this area.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.documents import rules, selectors
from congso.documents.forms import BootstrapForm, add_domain_error
from congso.documents.models import (
    DocumentType,
    Organisation,
    OutgoingDocument,
    OutgoingStatus,
    ReviewDecision,
    Secrecy,
    SigningAuthority,
    Urgency,
)
from congso.documents.services import outgoing as services
from congso.kernel.errors import DomainError, NotFound
from congso.kernel.errors import PermissionDenied as DomainPermissionDenied
from congso.kernel.orgunits.models import Department, DepartmentKind
from congso.kernel.people.models import Position, Role, User

TEMPLATES = "documents/outgoing"
PAGE_SIZE = 50


# --- forms -----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


def _radios(form: forms.Form, *names: str) -> None:
    """Radio buttons keep Bootstrap's check style (BootstrapForm gives inputs form-control)."""
    for name in names:
        form.fields[name].widget.attrs["class"] = "form-check-input"


def _choices(enum: Any) -> list[tuple[Any, str]]:
    return [(value, str(label)) for value, label in enum.choices]


class OutgoingDraftForm(BootstrapForm):
    document_type = forms.ModelChoiceField(
        label="Tên loại văn bản", queryset=DocumentType.objects.filter(is_active=True)
    )
    department = forms.ModelChoiceField(
        label="Đơn vị soạn thảo", queryset=Department.objects.none()
    )
    subject = forms.CharField(
        label="Trích yếu nội dung", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.TypedChoiceField(
        label="Độ khẩn", choices=_choices(Urgency), coerce=int, initial=0
    )
    secrecy = forms.TypedChoiceField(
        label="Độ mật", choices=_choices(Secrecy), coerce=int, initial=0
    )
    recipients = forms.ModelMultipleChoiceField(
        label="Nơi nhận (gửi điện tử)",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text="Cơ quan dùng Công sở số nhận văn bản ngay trong hệ thống; cơ quan khác nhận "
        "gói tin edXML.",
    )
    recipients_text = forms.CharField(
        label="Nơi nhận (ghi trên văn bản)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng một nơi nhận.",
    )
    reply_by = forms.DateField(
        label="Hạn trả lời",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    copies = forms.IntegerField(label="Số lượng bản", min_value=1, max_value=999, initial=1)
    file = forms.FileField(
        label="Dự thảo (DOCX hoặc PDF)",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
        help_text="Chỉ ký số được tệp PDF: trước khi trình ký, hãy tải lên bản PDF.",
    )
    attachments = MultipleFileField(
        label="Phụ lục, tài liệu kèm theo (PDF, mỗi tài liệu một tệp)", required=False
    )
    comment = forms.CharField(label="Ghi chú", required=False, max_length=4000)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.filter(unit_id=unit_id, is_active=True)


class VersionForm(BootstrapForm):
    file = forms.FileField(label="Tệp (DOCX hoặc PDF)")
    comment = forms.CharField(label="Ghi chú", required=False, max_length=4000)


class AttachmentForm(BootstrapForm):
    file = forms.FileField(
        label="Tệp PDF", widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )
    title = forms.CharField(label="Tên tài liệu", required=False, max_length=200)


class SubmitForm(BootstrapForm):
    reviewer_1 = _UserChoice(label="Người duyệt 1", queryset=User.objects.none())
    reviewer_2 = _UserChoice(label="Người duyệt 2", queryset=User.objects.none(), required=False)
    reviewer_3 = _UserChoice(label="Người duyệt 3", queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, document: OutgoingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in services.possible_reviewers(document.unit_id)]
        people = User.objects.filter(pk__in=ids).exclude(pk=document.created_by_id)
        for name in ("reviewer_1", "reviewer_2", "reviewer_3"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people.order_by("full_name")
        self.fields["reviewer_1"].help_text = (
            "Theo thứ tự: chuyên viên, lãnh đạo phòng, lãnh đạo ký. Người cuối cùng thường là "
            "lãnh đạo sẽ ký văn bản."
        )

    def reviewers(self) -> list[User]:
        return [
            self.cleaned_data[name]
            for name in ("reviewer_1", "reviewer_2", "reviewer_3")
            if self.cleaned_data.get(name)
        ]


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(
        label="Ý kiến",
        choices=[
            (ReviewDecision.APPROVED, "Đồng ý"),
            (ReviewDecision.RETURNED, "Trả lại để sửa"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Góp ý", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label="Bản đã sửa (không bắt buộc)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "decision")


class SignForm(BootstrapForm):
    signing_authority = forms.ChoiceField(
        label="Thẩm quyền ký", choices=_choices(SigningAuthority), required=False
    )
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=120, required=False)
    placement = forms.ChoiceField(
        label="Vị trí chữ ký",
        choices=[
            ("auto", "Tự động: giữa dòng chức vụ và dòng họ tên người ký"),
            ("custom", "Tự chọn trang và khung"),
        ],
        initial="auto",
        widget=forms.RadioSelect,
    )
    page = forms.IntegerField(label="Trang", min_value=1, required=False)
    left_mm = forms.FloatField(label="Cách mép trái (mm)", min_value=0, required=False)
    top_mm = forms.FloatField(label="Cách mép trên (mm)", min_value=0, required=False)
    width_mm = forms.FloatField(label="Rộng (mm)", min_value=10, max_value=150, required=False)
    height_mm = forms.FloatField(label="Cao (mm)", min_value=8, max_value=80, required=False)
    pin = forms.CharField(
        label="Mã PIN của token (nếu được hỏi)",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "placement")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("placement") == "custom":
            for name in ("page", "left_mm", "top_mm", "width_mm", "height_mm"):
                if data.get(name) in (None, ""):
                    self.add_error(name, "Hãy nhập đủ trang và khung chữ ký.")
        return data


class DispatchForm(BootstrapForm):
    recipients = forms.ModelMultipleChoiceField(
        label="Nơi nhận",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )


class RecallForm(BootstrapForm):
    reason = forms.CharField(
        label="Lý do thu hồi", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(BootstrapForm):
    q = forms.CharField(label="Tìm", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *_choices(OutgoingStatus)]
    )
    year = forms.IntegerField(label="Năm", required=False, min_value=1990, max_value=2100)


# --- helpers ---------------------------------------------------------------------------------


def _document(request: HttpRequest, pk: int) -> OutgoingDocument:
    try:
        return selectors.outgoing_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _detail_url(document: OutgoingDocument) -> str:
    return reverse("documents:outgoing_detail", args=[document.pk])


def _position(request: HttpRequest) -> Position | None:
    return getattr(request, "position", None)


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


def _verification(stored: Any) -> Any:
    if stored is None:
        return None
    from congso.kernel.files.services import file_open
    from congso.kernel.signing.services import verify_pdf

    try:
        with file_open(stored) as handle:
            data = handle.read()
    except DomainError:
        return None
    return verify_pdf(bytes(data))


# --- lists -----------------------------------------------------------------------------------


@require_GET
@login_required
def outgoing_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = selectors.OutgoingFilters.from_mapping(form.data if form.is_bound else {})
    paginator = Paginator(selectors.outgoing_list(request.user, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    position = _position(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        f"{TEMPLATES}/list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "can_draft": position is not None
            and rules.can_draft_outgoing(request.user, position.unit_id),
            "title": "Văn bản đi",
        },
    )


@require_GET
@login_required
def outgoing_work(request: HttpRequest) -> HttpResponse:
    """My outgoing work: drafts to review, documents to sign or to issue, my own drafts."""
    return render(
        request,
        f"{TEMPLATES}/work.html",
        {
            "reviews": list(selectors.outgoing_my_reviews(request.user)[:200]),
            "to_sign": list(selectors.outgoing_to_sign(request.user)[:200]),
            "to_issue": list(selectors.outgoing_to_issue(request.user)[:200]),
            "drafts": list(selectors.outgoing_my_drafts(request.user)[:200]),
        },
    )


# --- draft -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def outgoing_create(request: HttpRequest) -> HttpResponse:
    position = _position(request)
    if position is None or not rules.can_draft_outgoing(request.user, position.unit_id):
        raise DjangoPermissionDenied("Bạn không có quyền soạn văn bản đi của đơn vị này.")
    initial = {"department": position.department_id, "copies": 1}
    if request.method == "POST":
        form = OutgoingDraftForm(
            request.POST, request.FILES, unit_id=position.unit_id, initial=initial
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.outgoing_draft_create(
                    unit=position.unit,
                    department=data["department"],
                    user=request.user,
                    document_type=data["document_type"],
                    subject=data["subject"],
                    file=data["file"],
                    urgency=data["urgency"],
                    secrecy=data["secrecy"],
                    recipients=list(data["recipients"]),
                    recipients_text=data["recipients_text"],
                    reply_by=data["reply_by"],
                    copies=data["copies"],
                    attachments=data["attachments"],
                    comment=data["comment"],
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                add_domain_error(form, exc, {"attachments": "attachments", "file": "file"})
            else:
                messages.success(request, "Đã tạo dự thảo. Hãy kiểm tra rồi trình duyệt.")
                return HttpResponseRedirect(_detail_url(document))
    else:
        form = OutgoingDraftForm(unit_id=position.unit_id, initial=initial)
    return render(request, f"{TEMPLATES}/create.html", {"form": form, "unit": position.unit})


# --- detail ----------------------------------------------------------------------------------


@require_GET
@login_required
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user = request.user
    if document.secrecy > 0:
        services.outgoing_secret_read(document=document, user=user, what="xem")
    step = rules.outgoing_current_step(document)
    context: dict[str, Any] = {
        "document": document,
        "versions": list(document.versions.select_related("file", "uploaded_by")),
        "steps": list(document.review_steps.all()),
        "attachments": list(document.attachments.all()),
        "dispatches": list(document.dispatches.all()),
        "current_step": step,
        "issued_files": (
            services.outgoing_issued_files(document) if document.status in services.FINAL else []
        ),
    }
    if rules.can_add_version(user, document):
        context["version_form"] = VersionForm()
        if document.status in services.EDITABLE:
            context["attachment_form"] = AttachmentForm()
    if rules.can_submit_outgoing(user, document):
        context["submit_form"] = SubmitForm(document=document)
    if step is not None and rules.can_decide_review(user, step):
        context["review_form"] = ReviewForm()
    context["can_sign"] = rules.can_sign_outgoing(user, document)
    context["can_issue"] = rules.can_issue_outgoing(user, document)
    if rules.can_dispatch_outgoing(user, document):
        form = DispatchForm(initial={"recipients": list(document.external_recipients.all())})
        context["dispatch_form"] = form
    if rules.can_recall_outgoing(user, document):
        context["recall_form"] = RecallForm()
    shown = document.issued_file if document.issued_file_id else document.signed_file
    if shown is None and context["issued_files"] and context["issued_files"][0].kind == "pdf":
        shown = context["issued_files"][0]  # issued outside the workflow (legacy, demo)
    context["verification"] = _verification(shown)
    return render(request, f"{TEMPLATES}/detail.html", context)


def _post_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    document = _document(request, pk)
    try:
        action(document)
    except DomainPermissionDenied as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(_detail_url(document))


@require_POST
@login_required
def outgoing_version(request: HttpRequest, pk: int) -> HttpResponse:
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp dự thảo (DOCX hoặc PDF).")
        return HttpResponseRedirect(reverse("documents:outgoing_detail", args=[pk]))
    return _post_action(
        request,
        pk,
        lambda d: services.outgoing_version_add(
            document=d,
            user=request.user,
            file=form.cleaned_data["file"],
            comment=form.cleaned_data["comment"],
        ),
        "Đã thêm phiên bản mới.",
    )


@require_POST
@login_required
def outgoing_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp PDF của tài liệu kèm theo.")
        return HttpResponseRedirect(reverse("documents:outgoing_detail", args=[pk]))
    return _post_action(
        request,
        pk,
        lambda d: services.outgoing_attachment_add(
            document=d,
            user=request.user,
            file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        ),
        "Đã thêm tài liệu kèm theo.",
    )


@require_POST
@login_required
def outgoing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = SubmitForm(request.POST, document=document)
    if not form.is_valid():
        messages.error(request, "Hãy chọn người duyệt.")
        return HttpResponseRedirect(_detail_url(document))
    return _post_action(
        request,
        pk,
        lambda d: services.outgoing_review_submit(
            document=d, user=request.user, reviewers=form.reviewers()
        ),
        "Đã trình duyệt dự thảo.",
    )


@require_POST
@login_required
def outgoing_review(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = ReviewForm(request.POST, request.FILES)
    step = rules.outgoing_current_step(document)
    if step is None:
        messages.error(request, "Văn bản không còn chờ ý kiến.")
        return HttpResponseRedirect(_detail_url(document))
    if not form.is_valid():
        messages.error(request, "Hãy chọn Đồng ý hoặc Trả lại.")
        return HttpResponseRedirect(_detail_url(document))
    data = form.cleaned_data
    done = "Đã gửi ý kiến đồng ý." if data["decision"] == "approved" else "Đã trả lại dự thảo."
    return _post_action(
        request,
        pk,
        lambda d: services.outgoing_review_decide(
            step=step,
            user=request.user,
            decision=data["decision"],
            comment=data["comment"],
            file=data.get("file"),
        ),
        done,
    )


@require_http_methods(["GET", "POST"])
@login_required
def outgoing_sign(request: HttpRequest, pk: int) -> HttpResponse:
    from congso.kernel.signing.placement import MM
    from congso.kernel.signing.selectors import credential_for_user

    document = _document(request, pk)
    if not rules.can_sign_outgoing(request.user, document):
        raise DjangoPermissionDenied("Chỉ lãnh đạo của cơ quan được ký văn bản đã được duyệt.")
    credential = credential_for_user(request.user)
    position = (
        Position.objects.active()
        .filter(user_id=int(request.user.pk or 0), unit_id=document.unit_id, role=Role.LEADER)
        .order_by("-is_primary")
        .first()
    )
    version = services.latest_version(document)
    if request.method == "POST":
        form = SignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            page = box = None
            if data["placement"] == "custom":
                from congso.kernel.files.services import file_open
                from congso.kernel.signing.pdf import page_size

                page = int(data["page"]) - 1
                try:
                    assert version is not None
                    with file_open(version.file) as handle:
                        _w, height = page_size(bytes(handle.read()), page)
                except (IndexError, AssertionError):
                    form.add_error("page", "Văn bản không có trang này.")
                    height = 0
                x0 = data["left_mm"] * MM
                y1 = height - data["top_mm"] * MM
                box = (x0, y1 - data["height_mm"] * MM, x0 + data["width_mm"] * MM, y1)
            if not form.errors:
                try:
                    services.outgoing_sign(
                        document=document,
                        user=request.user,
                        signing_authority=data["signing_authority"] or "",
                        signer_title=data["signer_title"],
                        page=page,
                        box=box,
                        pin=data["pin"] or None,
                    )
                except DomainPermissionDenied as exc:
                    raise DjangoPermissionDenied(exc.message) from exc
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, "Đã ký số văn bản. Văn thư sẽ cấp số và ban hành.")
                    return HttpResponseRedirect(_detail_url(document))
    else:
        leadership = position is not None and (
            position.department is None or position.department.kind == DepartmentKind.LEADERSHIP
        )
        form = SignForm(
            initial={
                # The committee's leaders sign on its behalf (TM.); heads of departments by
                # order (TL.). The leader changes it when needed (KT., Q., TUQ.).
                "signing_authority": "TM." if leadership else "TL.",
                "signer_title": position.title if position else "",
                "placement": "auto",
            }
        )
    return render(
        request,
        f"{TEMPLATES}/sign.html",
        {"document": document, "form": form, "credential": credential, "version": version},
    )


@require_POST
@login_required
def outgoing_issue(request: HttpRequest, pk: int) -> HttpResponse:
    def issue(document: OutgoingDocument) -> None:
        issued = services.outgoing_issue(document=document, user=request.user)
        messages.success(request, f"Đã cấp số và ban hành văn bản {issued.notation}.")

    document = _document(request, pk)
    try:
        issue(document)
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(_detail_url(document))


@require_POST
@login_required
def outgoing_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy chọn nơi nhận.")
        return HttpResponseRedirect(_detail_url(document))
    try:
        result = services.outgoing_dispatch(
            document=document, user=request.user, recipients=list(form.cleaned_data["recipients"])
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result.internal:
            names = ", ".join(d.recipient.name for d in result.internal)
            messages.success(request, f"Đã gửi trong hệ thống đến: {names}.")
        if result.external:
            names = ", ".join(d.recipient.name for d in result.external)
            messages.info(request, f"Chờ gửi gói edXML đến: {names}.")
        if result.skipped:
            names = ", ".join(o.name for o in result.skipped)
            messages.info(request, f"Đã gửi trước đó: {names}.")
        for org, message in result.failed:
            messages.error(request, f"Không gửi được đến {org.name}: {message}")
    return HttpResponseRedirect(_detail_url(document))


@require_POST
@login_required
def outgoing_recall(request: HttpRequest, pk: int) -> HttpResponse:
    form = RecallForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy ghi lý do thu hồi.")
        return HttpResponseRedirect(reverse("documents:outgoing_detail", args=[pk]))
    return _post_action(
        request,
        pk,
        lambda d: services.outgoing_recall(
            document=d, user=request.user, reason=form.cleaned_data["reason"]
        ),
        "Đã thu hồi văn bản; nơi nhận đã được thông báo.",
    )


# --- registration (menus, home page, file access) --------------------------------------------


def _url(name: str) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse(f"documents:{name}")
    except NoReverseMatch:
        return ""


def _work_reviews(user: User, position: Position | None) -> Any:
    from congso.kernel.core.home import WorkItem

    items = selectors.outgoing_my_reviews(user)
    return WorkItem(
        title="Dự thảo văn bản đi chờ tôi cho ý kiến",
        count=items.count(),
        url=_url("outgoing_work"),
        empty_text="Không có dự thảo nào chờ bạn cho ý kiến.",
    )


def _work_sign(user: User, position: Position | None) -> Any:
    from congso.kernel.core.home import WorkItem

    items = selectors.outgoing_to_sign(user)
    return WorkItem(
        title="Văn bản đi chờ tôi ký",
        count=items.count(),
        url=_url("outgoing_work"),
        empty_text="Không có văn bản nào chờ bạn ký.",
    )


def _work_issue(user: User, position: Position | None) -> Any:
    from congso.kernel.core.home import WorkItem

    items = selectors.outgoing_to_issue(user)
    return WorkItem(
        title="Văn bản đã ký chờ cấp số, ban hành",
        count=items.count(),
        overdue=items.filter(urgency__gte=1).count(),
        url=_url("outgoing_work"),
        empty_text="Không có văn bản nào chờ cấp số.",
    )


def _read_file(user: Any, owner: Any) -> bool:
    return bool(rules.can_read_outgoing_file(user, owner))


def register_outgoing() -> None:
    from congso.documents.models import DraftVersion, OutgoingAttachment
    from congso.kernel.core.home import register_work_items
    from congso.kernel.core.navigation import NavItem, register_nav
    from congso.kernel.files.rules import register_access_rule

    staff = frozenset({Role.CLERK, Role.LEADER, Role.ADMIN, Role.SPECIALIST})
    register_nav(
        NavItem(
            key="documents.outgoing",
            label="Văn bản đi",
            url_name="documents:outgoing_list",
            roles=staff,
            order=22,
            description="Soạn thảo, trình duyệt, ký số, cấp số, ban hành và gửi văn bản đi.",
        )
    )
    register_nav(
        NavItem(
            key="documents.outgoing_work",
            label="Xử lý văn bản đi",
            url_name="documents:outgoing_work",
            roles=staff,
            order=23,
            description="Dự thảo chờ cho ý kiến, văn bản chờ ký, chờ cấp số.",
        )
    )
    register_work_items(
        "documents.outgoing.reviews",
        _work_reviews,
        roles={Role.SPECIALIST, Role.LEADER, Role.CLERK},
        order=25,
    )
    register_work_items("documents.outgoing.sign", _work_sign, roles={Role.LEADER}, order=26)
    register_work_items("documents.outgoing.issue", _work_issue, roles={Role.CLERK}, order=27)
    for model in (OutgoingDocument, DraftVersion, OutgoingAttachment):
        register_access_rule(model, _read_file)
    # The demo's outgoing documents (``manage.py demo`` discovers only ``<app>.demo`` modules).
    from congso.documents import demo_outgoing  # noqa: F401
