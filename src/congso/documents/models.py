"""Incoming and outgoing documents under Decree 30/2020 (shared/domain/vietnam-rules.md §1).

Data and constraints only: every write goes through ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from congso.kernel.people.models import Clearance


class Urgency(models.IntegerChoices):
    """Độ khẩn (Art. 4.2.c, App. I §III.2.b). Higher is more urgent."""

    NORMAL = 0, "Thường"
    URGENT = 1, "Khẩn"
    VERY_URGENT = 2, "Thượng khẩn"
    FLASH = 3, "Hỏa tốc"


# Độ mật uses the same scale as a user's clearance: 0 ordinary, 1 Mật, 2 Tối mật, 3 Tuyệt mật.
Secrecy = Clearance


class Channel(models.TextChoices):
    PAPER = "paper", "Văn bản giấy"
    ELECTRONIC = "electronic", "Văn bản điện tử"
    EDXML = "edxml", "Gói tin edXML"
    INTERNAL = "internal", "Chuyển trong hệ thống"


class DigitizationStatus(models.TextChoices):
    PENDING = "pending", "Chờ số hóa"
    PROCESSING = "processing", "Đang số hóa"
    DONE = "done", "Đã số hóa"
    FAILED = "failed", "Lỗi số hóa"
    NO_FILE = "no_file", "Chưa có bản điện tử"


class DocumentType(models.Model):
    """One of the 29 administrative document types (Art. 7, App. III §I) or a legal text type."""

    name = models.CharField("tên loại", max_length=100, unique=True)
    abbreviation = models.CharField(
        "viết tắt",
        max_length=10,
        blank=True,
        help_text="Để trống với Công văn: ký hiệu công văn không có tên loại.",
    )
    is_letter = models.BooleanField(
        "là công văn",
        default=False,
        help_text="Ký hiệu dạng <cơ quan>-<đơn vị soạn thảo>, ví dụ 123/UBND-VP.",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "loại văn bản"
        verbose_name_plural = "loại văn bản"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A directory of senders and recipients outside or inside the platform."""

    name = models.CharField("tên cơ quan", max_length=200)
    org_code = models.CharField("mã định danh", max_length=40, blank=True, db_index=True)
    abbreviation = models.CharField("viết tắt", max_length=30, blank=True)
    unit = models.OneToOneField(
        "orgunits.AdminUnit",
        verbose_name="đơn vị trong hệ thống",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
        help_text="Khi cơ quan cũng dùng Công sở số: văn bản gửi đến được chuyển thẳng.",
    )
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "cơ quan gửi, nhận"
        verbose_name_plural = "danh bạ cơ quan"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", "Đã vào sổ"
    PRESENTED = "presented", "Đã trình lãnh đạo"
    ASSIGNED = "assigned", "Đã phân công"
    IN_PROGRESS = "in_progress", "Đang giải quyết"
    DONE = "done", "Đã giải quyết"
    RECALLED = "recalled", "Bị thu hồi"


class IncomingDocument(models.Model):
    """Văn bản đến: registered once, numbered by arrival in the year (Art. 22; App. VI §II)."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="cơ quan nhận",
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    arrival_year = models.PositiveSmallIntegerField("năm")
    arrival_number = models.PositiveIntegerField("số đến")
    arrival_series = models.CharField(
        "sổ",
        max_length=20,
        default="arrival",
        help_text="arrival (thường) hoặc arrival-secret (văn bản mật, dãy số riêng).",
    )
    arrived_at = models.DateTimeField("ngày đến", default=timezone.now)
    channel = models.CharField("hình thức nhận", max_length=12, choices=Channel.choices)
    sender = models.ForeignKey(
        Organisation,
        verbose_name="cơ quan ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents_sent",
    )
    sender_name = models.CharField("tác giả (cơ quan ban hành)", max_length=200)
    document_type = models.ForeignKey(
        DocumentType, verbose_name="tên loại", on_delete=models.PROTECT, related_name="+"
    )
    notation = models.CharField(
        "số, ký hiệu", max_length=60, blank=True, help_text="Như in trên văn bản, ví dụ 15/QĐ-UBND."
    )
    code_number = models.CharField("số", max_length=11, blank=True)
    code_notation = models.CharField("ký hiệu", max_length=40, blank=True)
    issued_date = models.DateField("ngày văn bản", null=True, blank=True)
    subject = models.TextField("trích yếu", max_length=500)
    signer_name = models.CharField("người ký", max_length=100, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    page_count = models.PositiveSmallIntegerField("số trang", null=True, blank=True)
    urgency = models.PositiveSmallIntegerField("độ khẩn", choices=Urgency.choices, default=0)
    secrecy = models.PositiveSmallIntegerField("độ mật", choices=Secrecy.choices, default=0)
    reply_by = models.DateField("hạn trả lời", null=True, blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=12,
        choices=IncomingStatus.choices,
        default=IncomingStatus.REGISTERED,
    )
    digitization_status = models.CharField(
        "số hóa",
        max_length=12,
        choices=DigitizationStatus.choices,
        default=DigitizationStatus.NO_FILE,
    )
    digitization_error = models.TextField("lỗi số hóa", blank=True)
    text = models.TextField("nội dung văn bản (trích từ tệp hoặc OCR)", blank=True)
    duplicate_reason = models.CharField(
        "lý do vào sổ khi trùng",
        max_length=255,
        blank=True,
        help_text="Văn thư vẫn vào sổ khi hệ thống cảnh báo trùng.",
    )
    source_dispatch = models.OneToOneField(
        "documents.Dispatch",
        verbose_name="gửi từ văn bản đi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming",
    )
    note = models.CharField("ghi chú", max_length=500, blank=True)
    presented_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="trình lãnh đạo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_presented",
    )
    presented_at = models.DateTimeField("trình lúc", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người vào sổ",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("vào sổ lúc", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "văn bản đến"
        verbose_name_plural = "văn bản đến"
        ordering = ["-arrival_year", "-arrival_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "arrival_year", "arrival_series", "arrival_number"],
                name="incoming_arrival_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-arrived_at"], name="incoming_unit_arrived_idx"),
            models.Index(fields=["unit", "status"], name="incoming_unit_status_idx"),
            models.Index(fields=["notation", "issued_date"], name="incoming_notation_idx"),
            # The duplicate check at registration (same issuer's notation on the same date).
            models.Index(fields=["unit", "issued_date"], name="incoming_unit_issued_idx"),
        ]
        # The list's text filter has its own index, made by migration 0008 (not expressible
        # here): an FTS5 trigram table on SQLite, pg_trgm GIN indexes on PostgreSQL.

    def __str__(self) -> str:
        return f"Số đến {self.arrival_number:02d}/{self.arrival_year}: {self.subject[:60]}"


class AssignmentStatus(models.TextChoices):
    OPEN = "open", "Đang giải quyết"
    DONE = "done", "Đã xong"
    CANCELLED = "cancelled", "Đã hủy"


class Assignment(models.Model):
    """A leader's instruction on an incoming document: who leads, who cooperates, by when."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phân công",
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_assignments",
    )
    lead_department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="đơn vị chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_assignments",
    )
    cooperating_departments = models.ManyToManyField(
        "orgunits.Department", verbose_name="đơn vị phối hợp", blank=True, related_name="+"
    )
    cooperating_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="người phối hợp", blank=True, related_name="+"
    )
    instruction = models.TextField("ý kiến chỉ đạo (bút phê)", blank=True)
    deadline = models.DateField("thời hạn giải quyết", null=True, blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OPEN,
    )
    assigned_at = models.DateTimeField("phân công lúc", default=timezone.now)
    completed_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_note = models.TextField("kết quả giải quyết", blank=True)
    answer = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name="văn bản trả lời",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers_to",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "phân công xử lý"
        verbose_name_plural = "phân công xử lý"
        ordering = ["-assigned_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lead_user__isnull=False) | Q(lead_department__isnull=False),
                name="assignment_has_lead",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="assignment_due_idx")]

    def __str__(self) -> str:
        return f"Phân công {self.document_id}"


class ProgressNote(models.Model):
    """Tiến độ giải quyết: a handler's note on the work (with attachments as StoredFiles)."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="progress_notes"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("nội dung")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ghi nhận tiến độ"
        verbose_name_plural = "ghi nhận tiến độ"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    IN_REVIEW = "in_review", "Đang trình duyệt"
    RETURNED = "returned", "Trả lại để sửa"
    APPROVED = "approved", "Đã duyệt, chờ ký"
    SIGNED = "signed", "Đã ký số"
    ISSUED = "issued", "Đã ban hành"
    RECALLED = "recalled", "Đã thu hồi"


class SigningAuthority(models.TextChoices):
    """App. I §II.7: how the signer signs."""

    DIRECT = "", "Ký trực tiếp"
    ON_BEHALF = "TM.", "TM. (thay mặt tập thể)"
    DEPUTY = "KT.", "KT. (ký thay người đứng đầu)"
    ACTING = "Q.", "Q. (quyền)"
    BY_ORDER = "TL.", "TL. (thừa lệnh)"
    AUTHORISED = "TUQ.", "TUQ. (thừa ủy quyền)"


class OutgoingDocument(models.Model):
    """Văn bản đi: drafted, reviewed, signed, numbered and issued (Art. 14–19; App. VI §I)."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="cơ quan ban hành",
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    department = models.ForeignKey(
        "orgunits.Department",
        verbose_name="đơn vị soạn thảo",
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name="tên loại", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.TextField("trích yếu", max_length=500)
    urgency = models.PositiveSmallIntegerField("độ khẩn", choices=Urgency.choices, default=0)
    secrecy = models.PositiveSmallIntegerField("độ mật", choices=Secrecy.choices, default=0)
    status = models.CharField(
        "trạng thái", max_length=12, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    # Number and notation: set once, at issue, gap-free per committee, year and series.
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    series = models.CharField("dãy số", max_length=40, blank=True)
    number = models.PositiveIntegerField("số", null=True, blank=True)
    notation = models.CharField("số, ký hiệu", max_length=60, blank=True, db_index=True)
    issued_date = models.DateField("ngày ban hành", null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="văn thư ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_signed",
    )
    signer_title = models.CharField("chức vụ người ký", max_length=120, blank=True)
    signing_authority = models.CharField(
        "thẩm quyền ký", max_length=5, choices=SigningAuthority.choices, blank=True, default=""
    )
    signed_at = models.DateTimeField("ký lúc", null=True, blank=True)
    page_count = models.PositiveSmallIntegerField("số trang", null=True, blank=True)
    copies = models.PositiveSmallIntegerField("số lượng bản", default=1)
    reply_by = models.DateField("hạn trả lời", null=True, blank=True)
    external_recipients = models.ManyToManyField(
        Organisation, verbose_name="nơi nhận", blank=True, related_name="+"
    )
    recipients_text = models.TextField(
        "nơi nhận (ghi trên văn bản)", blank=True, help_text="Mỗi dòng một nơi nhận."
    )
    archive_copy_to = models.CharField("đơn vị, người nhận bản lưu", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người soạn thảo",
        on_delete=models.PROTECT,
        related_name="outgoing_drafted",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    recalled_at = models.DateTimeField(null=True, blank=True)
    recall_reason = models.CharField("lý do thu hồi", max_length=500, blank=True)
    digitization_status = models.CharField(
        "số hóa",
        max_length=12,
        choices=DigitizationStatus.choices,
        default=DigitizationStatus.NO_FILE,
    )
    text = models.TextField("nội dung văn bản", blank=True)
    # Signing (congso.kernel.signing): the leader's signed PDF, then the issued original
    # (number filled in, organisation's signature over everything). See docs/signing.md.
    signed_file = models.ForeignKey(
        "files.StoredFile",
        verbose_name="bản đã ký (lãnh đạo)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_file = models.ForeignKey(
        "files.StoredFile",
        verbose_name="bản gốc điện tử (đã ban hành)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signature_page = models.PositiveSmallIntegerField(
        "trang chữ ký", null=True, blank=True, help_text="Tính từ 0."
    )
    signature_box = models.JSONField(
        "khung chữ ký", null=True, blank=True, help_text="[x0, y0, x1, y1] theo điểm PDF."
    )
    signed_with_test_ca = models.BooleanField("ký bằng CA thử nghiệm", default=False)

    class Meta:
        verbose_name = "văn bản đi"
        verbose_name_plural = "văn bản đi"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "series", "number"],
                condition=Q(number__isnull=False),
                name="outgoing_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="outgoing_unit_status_idx"),
            models.Index(fields=["unit", "-issued_date"], name="outgoing_unit_issued_idx"),
        ]

    def __str__(self) -> str:
        return self.notation or f"Dự thảo: {self.subject[:60]}"


class DraftVersion(models.Model):
    """One uploaded version of an outgoing draft (DOCX or PDF), with the uploader's comment."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("phiên bản")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    comment = models.TextField("ghi chú", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phiên bản dự thảo"
        verbose_name_plural = "phiên bản dự thảo"
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="draftversion_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class OutgoingAttachment(models.Model):
    """A phụ lục or enclosed document in a file of its own (App. I §II.8.b): uploaded as a PDF,
    signed by the organisation at issue (top right of its first page, text only)."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="attachments"
    )
    order = models.PositiveSmallIntegerField("thứ tự")
    title = models.CharField("tên tài liệu", max_length=200, blank=True)
    file = models.ForeignKey(
        "files.StoredFile", verbose_name="tệp", on_delete=models.PROTECT, related_name="+"
    )
    signed_file = models.ForeignKey(
        "files.StoredFile",
        verbose_name="tệp đã ký số",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu kèm theo"
        verbose_name_plural = "tài liệu kèm theo"
        ordering = ["document", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="outgoingattachment_unique"),
        ]

    def __str__(self) -> str:
        return self.title or f"Tài liệu kèm theo {self.order}"


class OutgoingNumbering(models.TextChoices):
    """How a committee numbers its outgoing documents (Art. 15: the head decides) [M]."""

    PER_TYPE = "per_type", "Mỗi loại văn bản một dãy số, công văn một dãy riêng"
    SINGLE = "single", "Một dãy số chung cho mọi loại văn bản"


class OutgoingSettings(models.Model):
    """A committee's settings for outgoing documents. Without a row: the defaults."""

    unit = models.OneToOneField(
        "orgunits.AdminUnit",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="outgoing_settings",
    )
    numbering = models.CharField(
        "cách đánh số",
        max_length=10,
        choices=OutgoingNumbering.choices,
        default=OutgoingNumbering.PER_TYPE,
        help_text="Văn bản mật luôn có dãy số riêng.",
    )
    number_line_left_mm = models.PositiveSmallIntegerField(
        "vị trí dòng số, ngày: cách mép trái (mm)",
        default=30,
        help_text="Khi dự thảo không để chỗ trống cho số và ngày (trang đầu).",
    )
    number_line_top_mm = models.PositiveSmallIntegerField(
        "vị trí dòng số, ngày: cách mép trên (mm)", default=8
    )
    location = models.CharField(
        "địa danh", max_length=100, blank=True, help_text="Ghi trong chữ ký số, ví dụ Tây Hồ."
    )

    class Meta:
        verbose_name = "cấu hình văn bản đi"
        verbose_name_plural = "cấu hình văn bản đi"

    def __str__(self) -> str:
        return f"Cấu hình văn bản đi: {self.unit}"


class ReviewDecision(models.TextChoices):
    PENDING = "pending", "Chờ ý kiến"
    APPROVED = "approved", "Đồng ý"
    RETURNED = "returned", "Trả lại"
    SKIPPED = "skipped", "Bỏ qua"


class ReviewStep(models.Model):
    """One step of the review chain: specialist → head of department → leader."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="review_steps"
    )
    order = models.PositiveSmallIntegerField("thứ tự")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        on_delete=models.PROTECT,
        related_name="review_steps",
    )
    decision = models.CharField(
        "ý kiến", max_length=10, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    comment = models.TextField("góp ý", blank=True)
    version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bước duyệt"
        verbose_name_plural = "bước duyệt"
        ordering = ["document", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.reviewer}"


class DispatchStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"  # an outside recipient: waits for the edXML package
    SENT = "sent", "Đã gửi"
    RECEIVED = "received", "Đã tiếp nhận"
    ASSIGNED = "assigned", "Đã phân công"
    DONE = "done", "Đã giải quyết"
    RETURNED = "returned", "Bị trả lại"
    RECALLED = "recalled", "Đã thu hồi"


class Dispatch(models.Model):
    """Sending an issued document to one recipient, and the status that comes back."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="dispatches"
    )
    recipient = models.ForeignKey(
        Organisation, verbose_name="nơi nhận", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField("hình thức gửi", max_length=12, choices=Channel.choices)
    status = models.CharField(
        "trạng thái", max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.SENT
    )
    sent_at = models.DateTimeField("gửi lúc", default=timezone.now)
    status_at = models.DateTimeField("cập nhật lúc", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "lượt gửi"
        verbose_name_plural = "lượt gửi"
        ordering = ["document", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "recipient"], name="dispatch_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.recipient}"


# --- Files (hồ sơ) and the yearly file list (danh mục hồ sơ): Art. 28–31, App. V, App. VI §III --


class FileNumbering(models.TextChoices):
    """Art. 28 / App. V: file numbers run across the whole list or within each top heading."""

    LIST = "list", "Liên tục trong toàn danh mục"
    HEADING = "heading", "Liên tục trong từng đề mục lớn"


class FileList(models.Model):
    """Danh mục hồ sơ: a committee's yearly list of the files it will keep, approved by its head
    and issued at the start of the year (Art. 28)."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="cơ quan",
        on_delete=models.PROTECT,
        related_name="file_lists",
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên danh mục", max_length=255, blank=True)
    numbering = models.CharField(
        "cách đánh số hồ sơ",
        max_length=10,
        choices=FileNumbering.choices,
        default=FileNumbering.LIST,
    )
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phê duyệt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("phê duyệt lúc", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("ban hành lúc", null=True, blank=True)
    decision_notation = models.CharField(
        "số, ký hiệu quyết định ban hành", max_length=60, blank=True
    )

    class Meta:
        verbose_name = "danh mục hồ sơ"
        verbose_name_plural = "danh mục hồ sơ"
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="filelist_unit_year"),
        ]

    def __str__(self) -> str:
        return self.title or f"Danh mục hồ sơ năm {self.year}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


def roman_numeral(n: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV" (top headings of a file list are numbered in Roman)."""
    if n <= 0:
        return str(n)
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


class FileHeading(models.Model):
    """A heading of the file list: top level (Roman numeral, with the abbreviation that goes into
    the file numbers, e.g. "TCCB") or a sub-heading (Arabic numeral)."""

    file_list = models.ForeignKey(FileList, on_delete=models.CASCADE, related_name="headings")
    parent = models.ForeignKey(
        "self",
        verbose_name="đề mục lớn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField("thứ tự")
    title = models.CharField("tên đề mục", max_length=300)
    abbreviation = models.CharField(
        "chữ viết tắt",
        max_length=20,
        blank=True,
        help_text="Của đề mục lớn; dùng trong số, ký hiệu hồ sơ, ví dụ 01.TCCB.",
    )

    class Meta:
        verbose_name = "đề mục"
        verbose_name_plural = "đề mục"
        ordering = ["file_list", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_top(self) -> bool:
        return self.parent_id is None

    @property
    def number(self) -> str:
        return roman_numeral(self.order) if self.parent_id is None else str(self.order)


class AccessRegime(models.TextChoices):
    """Chế độ sử dụng (App. VI §III "Rights")."""

    PUBLIC = "public", "Sử dụng rộng rãi"
    RESTRICTED = "restricted", "Hạn chế sử dụng"
    SECRET = "secret", "Mật"


class FileStatus(models.TextChoices):
    OPEN = "open", "Đang lập"
    CLOSED = "closed", "Đã kết thúc"


class File(models.Model):
    """Hồ sơ: the documents of one piece of work, kept together (Art. 29), numbered in the file
    list as ``<number>.<abbreviation of the top heading>`` (e.g. "01.TCCB")."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    file_list = models.ForeignKey(FileList, on_delete=models.PROTECT, related_name="files")
    heading = models.ForeignKey(
        FileHeading, verbose_name="đề mục", on_delete=models.PROTECT, related_name="files"
    )
    number = models.PositiveSmallIntegerField("số")
    notation = models.CharField("số và ký hiệu hồ sơ", max_length=30)
    title = models.CharField("tiêu đề hồ sơ", max_length=500)
    retention_years = models.PositiveSmallIntegerField(
        "thời hạn bảo quản (năm)", null=True, blank=True, help_text="Để trống: vĩnh viễn."
    )
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập hồ sơ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kept_files",
    )
    access = models.CharField(
        "chế độ sử dụng", max_length=12, choices=AccessRegime.choices, default=AccessRegime.PUBLIC
    )
    language = models.CharField("ngôn ngữ", max_length=30, default="Tiếng Việt")
    note = models.CharField("ghi chú", max_length=500, blank=True)
    status = models.CharField(
        "trạng thái", max_length=8, choices=FileStatus.choices, default=FileStatus.OPEN
    )
    opened_at = models.DateTimeField("mở hồ sơ lúc", null=True, blank=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField("chứng từ kết thúc", blank=True)
    start_date = models.DateField("thời gian tài liệu từ", null=True, blank=True)
    end_date = models.DateField("thời gian tài liệu đến", null=True, blank=True)
    page_total = models.PositiveIntegerField("tổng số tờ, trang", default=0)
    deposit_reminded_at = models.DateTimeField(null=True, blank=True)
    deposited_at = models.DateTimeField("nộp lưu lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["file_list", "heading__order", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["file_list", "notation"], name="file_list_notation"),
            models.CheckConstraint(
                condition=Q(retention_years__isnull=True) | Q(retention_years__gte=1),
                name="file_retention_positive",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="file_unit_status_idx")]

    def __str__(self) -> str:
        return f"{self.notation} {self.title[:60]}"

    @property
    def is_permanent(self) -> bool:
        return self.retention_years is None

    @property
    def retention_label(self) -> str:
        return "Vĩnh viễn" if self.retention_years is None else f"{self.retention_years} năm"


class FileEntry(models.Model):
    """One document in a file (App. V §IV: the list of documents in a file)."""

    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="entries")
    incoming = models.ForeignKey(
        IncomingDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="file_entries",
    )
    outgoing = models.ForeignKey(
        OutgoingDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="file_entries",
    )
    ordinal = models.PositiveSmallIntegerField("số thứ tự trong hồ sơ")
    pages = models.PositiveSmallIntegerField("số trang", default=0)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "văn bản trong hồ sơ"
        verbose_name_plural = "văn bản trong hồ sơ"
        ordering = ["file", "ordinal"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(incoming__isnull=False) & Q(outgoing__isnull=True))
                | (Q(incoming__isnull=True) & Q(outgoing__isnull=False)),
                name="fileentry_one_document",
            ),
            models.UniqueConstraint(fields=["file", "ordinal"], name="fileentry_ordinal"),
            models.UniqueConstraint(
                fields=["file", "incoming"],
                condition=Q(incoming__isnull=False),
                name="fileentry_incoming_once",
            ),
            models.UniqueConstraint(
                fields=["file", "outgoing"],
                condition=Q(outgoing__isnull=False),
                name="fileentry_outgoing_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file.notation} #{self.ordinal}"

    @property
    def document(self) -> IncomingDocument | OutgoingDocument | None:
        return self.incoming if self.incoming_id is not None else self.outgoing


class RegisterImportKind(models.TextChoices):
    INCOMING = "incoming", "Sổ đăng ký văn bản đến"
    OUTGOING = "outgoing", "Sổ đăng ký văn bản đi"


class RegisterImport(models.Model):
    """One import of a legacy register from Excel (all rows or none; docs/decisions/0007)."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("sổ", max_length=10, choices=RegisterImportKind.choices)
    source = models.ForeignKey(
        "files.StoredFile",
        verbose_name="tệp Excel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mapping = models.JSONField("ghép cột", default=dict, blank=True)
    years = models.JSONField("các năm", default=list, blank=True)
    row_count = models.PositiveIntegerField("số dòng đã nhập", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("nhập lúc", default=timezone.now)

    class Meta:
        verbose_name = "lần nhập sổ cũ"
        verbose_name_plural = "lần nhập sổ cũ"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.row_count} dòng)"


# --- edXML exchange (QCVN 102:2016) ----------------------------------------------------------


class EdxmlDirection(models.TextChoices):
    RECEIVED = "in", "Nhận"
    SENT = "out", "Gửi"


class EdxmlKind(models.TextChoices):
    PACKAGE = "package", "Gói tin văn bản"
    STATUS = "status", "Gói tin trạng thái"


class EdxmlMessage(models.Model):
    """The exchange trail: one edXML package or status message a committee received or produced.

    ``document_id`` is the edXML DocumentId (``<OrganId>,<yyyy/MM/dd>,<số/ký hiệu>``): a recall
    package finds the document it recalls by it, and status messages answer it.
    """

    unit = models.ForeignKey(
        "orgunits.AdminUnit", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField("chiều", max_length=3, choices=EdxmlDirection.choices)
    kind = models.CharField("loại gói tin", max_length=8, choices=EdxmlKind.choices)
    document_id = models.CharField("mã định danh văn bản (DocumentId)", max_length=255)
    business_doc_type = models.PositiveSmallIntegerField(
        "nghiệp vụ (BussinessDocType)", null=True, blank=True
    )
    status_code = models.CharField("mã trạng thái", max_length=2, blank=True)
    peer_org_id = models.CharField("mã định danh cơ quan bên kia", max_length=40, blank=True)
    peer_name = models.CharField("cơ quan bên kia", max_length=200, blank=True)
    incoming = models.ForeignKey(
        IncomingDocument,
        verbose_name="văn bản đến",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="edxml_messages",
    )
    outgoing = models.ForeignKey(
        OutgoingDocument,
        verbose_name="văn bản đi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="edxml_messages",
    )
    sha256 = models.CharField("SHA-256 của gói tin", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("dung lượng (byte)", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "gói tin edXML"
        verbose_name_plural = "gói tin edXML"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "document_id"], name="edxml_unit_docid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_kind_display()}: {self.document_id}"


class RegisterExportStatus(models.TextChoices):
    PENDING = "pending", "Đang in"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Lỗi"


class RegisterExport(models.Model):
    """A register printed to PDF in the background (a year's register is too long to lay out
    within a web request). The PDF is a StoredFile owned by this row, downloadable by readers
    of the committee's registers."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("sổ", max_length=10)
    params = models.JSONField("kỳ", default=dict, blank=True)
    title = models.CharField("tên", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        "trạng thái",
        max_length=8,
        choices=RegisterExportStatus.choices,
        default=RegisterExportStatus.PENDING,
    )
    rows = models.PositiveIntegerField("số văn bản", default=0)
    file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "bản in sổ"
        verbose_name_plural = "bản in sổ"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or f"Bản in sổ {self.pk}"
