"""The one-stop shop's data: the procedure catalogue and the dossiers (no workflow here).

Rules live in ``services.py``. Sources: shared/domain/vietnam-rules.md §2 (Decree 118/2025,
Circular 03/2025/TT-VPCP: forms, dossier code, the national portal's statuses, counting time) and
§3 (Decision 766 indicators: the per-dossier inputs are kept as columns so statistics are plain
aggregates over indexed fields).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class ProcedureLevel(models.TextChoices):
    COMMUNE = "commune", "Cấp xã"
    PROVINCE = "province", "Cấp tỉnh"
    MULTI = "multi", "Liên thông nhiều cấp"


class OnlineLevel(models.TextChoices):
    NONE = "none", "Không trực tuyến"
    PARTIAL = "partial", "Trực tuyến một phần"
    FULL = "full", "Trực tuyến toàn trình"


class DurationUnit(models.TextChoices):
    WORKING_DAYS = "days", "ngày làm việc"
    WORKING_HOURS = "hours", "giờ làm việc"


class CopyType(models.TextChoices):
    ORIGINAL = "original", "Bản chính"
    CERTIFIED_COPY = "certified_copy", "Bản sao có chứng thực"
    COPY = "copy", "Bản sao"
    ORIGINAL_OR_COPY = "original_or_copy", "Bản chính hoặc bản sao có chứng thực"
    ELECTRONIC = "electronic", "Bản điện tử"


class ProcedureField(models.Model):
    """Lĩnh vực (e.g. Hộ tịch, Chứng thực, Xây dựng)."""

    code = models.CharField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure of the catalogue (thủ tục hành chính), with its national code."""

    code = models.CharField("mã thủ tục (CSDL quốc gia)", max_length=40, unique=True)
    name = models.CharField("tên thủ tục", max_length=500)
    field = models.ForeignKey(
        ProcedureField, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(
        "cấp thực hiện",
        max_length=20,
        choices=ProcedureLevel.choices,
        default=ProcedureLevel.COMMUNE,
    )
    # Legal time: a number of working days or working hours (8 working hours = 1 working day).
    duration_value = models.DecimalField(
        "thời hạn giải quyết", max_digits=7, decimal_places=2, default=Decimal("0")
    )
    duration_unit = models.CharField(
        "đơn vị thời hạn",
        max_length=10,
        choices=DurationUnit.choices,
        default=DurationUnit.WORKING_DAYS,
    )
    # Receipt cut-off (e.g. 15:00 for certified copies, Decree 23/2015 Art. 21): a dossier
    # received after it counts from the next working day. Null: no cut-off for this procedure.
    cutoff_time = models.TimeField("giờ chốt tiếp nhận", null=True, blank=True)
    online_level = models.CharField(
        "mức trực tuyến", max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    result_description = models.CharField("kết quả thực hiện", max_length=500, blank=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    applicant_description = models.CharField("đối tượng thực hiện", max_length=500, blank=True)
    fee_description = models.CharField("phí, lệ phí (mô tả)", max_length=500, blank=True)
    return_place = models.CharField("nơi trả kết quả", max_length=255, blank=True)
    notes = models.TextField("ghi chú, yêu cầu điều kiện", blank=True)
    is_active = models.BooleanField("đang áp dụng", default=True)
    is_demo = models.BooleanField("dữ liệu mẫu", default=False)
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["field__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_value__gte=0), name="procedure_duration_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def duration_hours(self) -> Decimal:
        """The legal time in working hours (a working day counts 8 hours)."""
        per_day = Decimal(getattr(settings, "ONESTOP_HOURS_PER_DAY", 8))
        if self.duration_unit == DurationUnit.WORKING_DAYS:
            return self.duration_value * per_day
        return self.duration_value


class ProcedurePaper(models.Model):
    """A paper the applicant must bring (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="papers")
    position = models.PositiveSmallIntegerField("thứ tự", default=1)
    name = models.CharField("tên giấy tờ", max_length=500)
    copy_type = models.CharField(
        "hình thức", max_length=20, choices=CopyType.choices, default=CopyType.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField("số lượng", default=1)
    required = models.BooleanField("bắt buộc", default=True)
    form_file = models.ForeignKey(
        "files.StoredFile",
        verbose_name="mẫu đơn, tờ khai",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    form_name = models.CharField("tên mẫu đơn, tờ khai", max_length=255, blank=True)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["procedure", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """A processing step with its allotted working hours (quy trình nội bộ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("thứ tự", default=1)
    name = models.CharField("tên bước", max_length=255)
    # Who does it by default: a role, and optionally a kind of department (see orgunits).
    role = models.CharField("vai trò thực hiện", max_length=30, blank=True)
    department_abbreviation = models.CharField(
        "phòng, ban thực hiện (viết tắt)", max_length=20, blank=True
    )
    allotted_hours = models.DecimalField("thời gian (giờ làm việc)", max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "bước xử lý"
        ordering = ["procedure", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProcedureFee(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField("tên phí, lệ phí", max_length=255)
    amount = models.DecimalField("mức thu (đồng)", max_digits=14, decimal_places=0)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return self.name


class DossierStatus(models.IntegerChoices):
    """The national public service portal's (DVCQG) ten status codes (§2.3)."""

    SUBMITTED = 1, "Mới đăng ký"
    ACCEPTED = 2, "Được tiếp nhận"
    REFUSED = 3, "Không được tiếp nhận"
    IN_PROCESS = 4, "Đang xử lý"
    SUPPLEMENT_REQUESTED = 5, "Yêu cầu bổ sung giấy tờ"
    FEES_DUE = 6, "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = 7, "Công dân yêu cầu rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    DONE = 9, "Đã xử lý xong"
    RETURNED = 10, "Đã trả kết quả"


# Statuses in which the clock is paused (§2.3: 5, 6 and 8 count as "tạm dừng").
PAUSED_STATUSES = frozenset({DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.FEES_DUE})
# Statuses in which nothing more happens.
FINAL_STATUSES = frozenset(
    {DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RETURNED}
)


class Channel(models.IntegerChoices):
    DESK = 1, "Trực tiếp"
    ONLINE = 2, "Trực tuyến"
    POST = 3, "Qua bưu chính công ích"


class ApplicantType(models.IntegerChoices):
    CITIZEN = 0, "Công dân"
    ENTERPRISE = 1, "Doanh nghiệp, tổ chức"
    HOUSEHOLD_BUSINESS = 2, "Hộ kinh doanh"


class Timeliness(models.TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"


class Dossier(models.Model):
    """One application (hồ sơ TTHC). ``code`` is agency code-yymmdd-NNNN, the day's counter
    gap-free; ``lookup_secret`` is the second factor printed on the receipt."""

    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="cơ quan tiếp nhận",
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="dossiers"
    )
    field = models.ForeignKey(
        ProcedureField, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="+"
    )  # copied from the procedure at intake: statistics group by it without a join
    code = models.CharField("mã hồ sơ", max_length=64, unique=True)
    lookup_secret = models.CharField("mã tra cứu", max_length=16)
    register_year = models.PositiveSmallIntegerField("năm sổ theo dõi")
    register_number = models.PositiveIntegerField("số thứ tự trong sổ theo dõi")
    channel = models.PositiveSmallIntegerField("hình thức nộp", choices=Channel.choices)
    status = models.PositiveSmallIntegerField(
        "trạng thái", choices=DossierStatus.choices, default=DossierStatus.SUBMITTED
    )
    # Applicant (người nộp / chủ hồ sơ).
    applicant_type = models.PositiveSmallIntegerField(
        "loại đối tượng", choices=ApplicantType.choices, default=ApplicantType.CITIZEN
    )
    applicant_name = models.CharField("họ tên người nộp / tên tổ chức", max_length=255)
    applicant_id_number = models.CharField(
        "số định danh / mã số doanh nghiệp", max_length=20, blank=True
    )
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    applicant_phone = models.CharField("điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    representative = models.CharField("người đại diện (tổ chức)", max_length=255, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản người nộp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content = models.TextField("nội dung yêu cầu", blank=True)
    sets_count = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1)
    # Time. ``submitted_at``: filed (online) or handed in (desk). ``received_at``: accepted, the
    # moment the clock starts (after cut-off / outside hours: the next working moment).
    submitted_at = models.DateTimeField("thời điểm nộp")
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True)
    due_at = models.DateTimeField("ngày hẹn trả", null=True, blank=True)
    original_due_at = models.DateTimeField("ngày hẹn trả ban đầu", null=True, blank=True)
    paused_hours = models.DecimalField(
        "thời gian tạm dừng (giờ làm việc)", max_digits=9, decimal_places=2, default=Decimal("0")
    )
    paused_since = models.DateTimeField("tạm dừng từ", null=True, blank=True)
    completed_at = models.DateTimeField("thời điểm có kết quả", null=True, blank=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    closed_at = models.DateTimeField(
        "thời điểm kết thúc (từ chối, rút, dừng)", null=True, blank=True
    )
    timeliness = models.CharField(
        "kết quả đúng hạn", max_length=10, choices=Timeliness.choices, blank=True
    )
    spent_hours = models.DecimalField(
        "thời gian giải quyết (giờ làm việc)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    # People.
    receiving_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tiếp nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đang xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_step = models.ForeignKey(
        "DossierStep",
        verbose_name="bước hiện tại",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Result and the Decision 766 inputs (§3).
    result_file = models.ForeignKey(
        "files.StoredFile",
        verbose_name="kết quả giải quyết",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_summary = models.CharField(
        "kết quả (số, ký hiệu, trích yếu)", max_length=500, blank=True
    )
    result_electronic = models.BooleanField("có kết quả điện tử", default=False)
    digitised = models.BooleanField("đã số hóa thành phần hồ sơ", default=False)
    reused_data = models.BooleanField("tái sử dụng dữ liệu số hóa", default=False)
    fee_amount = models.DecimalField(
        "phí, lệ phí (đồng)", max_digits=14, decimal_places=0, default=0
    )
    fee_paid = models.BooleanField("đã nộp phí", default=False)
    paid_online = models.BooleanField("thanh toán trực tuyến", default=False)
    refusal_reason = models.TextField("lý do từ chối / dừng", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    class Meta:
        verbose_name = "hồ sơ thủ tục hành chính"
        verbose_name_plural = "hồ sơ thủ tục hành chính"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "register_year", "register_number"], name="dossier_register_line"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "submitted_at"], name="dossier_unit_submitted"),
            models.Index(fields=["unit", "status", "due_at"], name="dossier_unit_status_due"),
            models.Index(fields=["unit", "completed_at"], name="dossier_unit_completed"),
            models.Index(fields=["procedure", "submitted_at"], name="dossier_proc_submitted"),
            models.Index(fields=["handler", "status"], name="dossier_handler_status"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class DossierPaper(models.Model):
    """A paper of this dossier: what the procedure asks for, and whether it was handed in."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    procedure_paper = models.ForeignKey(
        ProcedurePaper, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("tên giấy tờ", max_length=500)
    copy_type = models.CharField("hình thức", max_length=20, choices=CopyType.choices)
    quantity = models.PositiveSmallIntegerField("số lượng", default=1)
    provided = models.BooleanField("đã nộp", default=False)

    class Meta:
        verbose_name = "giấy tờ trong hồ sơ"
        verbose_name_plural = "giấy tờ trong hồ sơ"
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class AttachmentKind(models.TextChoices):
    PAPER = "paper", "Thành phần hồ sơ"
    SUPPLEMENT = "supplement", "Giấy tờ bổ sung"
    WORKING = "working", "Tài liệu xử lý"
    RESULT = "result", "Kết quả"


class DossierAttachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    paper = models.ForeignKey(
        DossierPaper, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    kind = models.CharField(
        "loại", max_length=12, choices=AttachmentKind.choices, default=AttachmentKind.PAPER
    )
    stored_file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("thêm lúc", auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "tệp của hồ sơ"
        verbose_name_plural = "tệp của hồ sơ"
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_kind_display()}"


class DossierStep(models.Model):
    """One row of the control sheet (phiếu kiểm soát): handed over to a unit/person with its
    allotted time; ``timeliness`` is written when the step is finished."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên bước", max_length=255)
    procedure_step = models.ForeignKey(
        ProcedureStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "orgunits.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    allotted_hours = models.DecimalField(
        "thời gian được giao (giờ làm việc)", max_digits=7, decimal_places=2
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField("giao nhận lúc")
    due_at = models.DateTimeField("hạn bước")
    finished_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    spent_hours = models.DecimalField(
        "thời gian thực tế (giờ làm việc)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    timeliness = models.CharField("kết quả", max_length=10, choices=Timeliness.choices, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "bước giải quyết"
        verbose_name_plural = "bước giải quyết"
        ordering = ["dossier", "position", "id"]
        indexes = [
            models.Index(fields=["assignee", "finished_at"], name="dossierstep_assignee_open")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class DossierEvent(models.Model):
    """The dossier's timeline: every transition, with a note; ``public`` ones show on /tra-cuu."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("thời điểm")
    action = models.CharField("thao tác", max_length=40)
    status_from = models.PositiveSmallIntegerField(
        choices=DossierStatus.choices, null=True, blank=True
    )
    status_to = models.PositiveSmallIntegerField(
        choices=DossierStatus.choices, null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("ghi chú", blank=True)
    public = models.BooleanField("công khai cho người nộp", default=True)

    class Meta:
        verbose_name = "diễn biến hồ sơ"
        verbose_name_plural = "diễn biến hồ sơ"
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class PauseReason(models.TextChoices):
    SUPPLEMENT = "supplement", "Chờ bổ sung, hoàn thiện hồ sơ"
    FEES = "fees", "Chờ thực hiện nghĩa vụ tài chính"
    ASSESSMENT = "assessment", "Chờ thẩm định, giám định"


class DossierPause(models.Model):
    """Time that does not count (§2.4): from a supplement request or a fee notice to its end."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("lý do", max_length=12, choices=PauseReason.choices)
    started_at = models.DateTimeField("từ")
    ended_at = models.DateTimeField("đến", null=True, blank=True)
    hours = models.DecimalField(
        "giờ làm việc", max_digits=9, decimal_places=2, null=True, blank=True
    )
    items = models.TextField("nội dung cần bổ sung, hoàn thiện", blank=True)
    note = models.TextField("lý do, hướng dẫn", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "thời gian tạm dừng"
        verbose_name_plural = "thời gian tạm dừng"
        ordering = ["dossier", "started_at", "id"]

    def __str__(self) -> str:
        return self.get_reason_display()


class DossierExtension(models.Model):
    """The apology and extension (Văn bản xin lỗi và đề nghị gia hạn): once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="extension")
    old_due_at = models.DateTimeField("ngày hẹn cũ")
    new_due_at = models.DateTimeField("ngày hẹn mới")
    reason = models.TextField("lý do")
    created_at = models.DateTimeField("lập lúc")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "văn bản xin lỗi và gia hạn"
        verbose_name_plural = "văn bản xin lỗi và gia hạn"

    def __str__(self) -> str:
        return f"{self.old_due_at:%d/%m/%Y} → {self.new_due_at:%d/%m/%Y}"


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 3, "Rất hài lòng"
    SATISFIED = 2, "Hài lòng"
    DISSATISFIED = 1, "Không hài lòng"


class DossierRating(models.Model):
    """The applicant's rating after the result (feeds Decision 766, criterion 5.4)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    unit = models.ForeignKey("orgunits.AdminUnit", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("mức độ hài lòng", choices=Satisfaction.choices)
    comment = models.TextField("ý kiến", blank=True)
    created_at = models.DateTimeField("đánh giá lúc")

    class Meta:
        verbose_name = "đánh giá hài lòng"
        verbose_name_plural = "đánh giá hài lòng"
        indexes = [models.Index(fields=["unit", "created_at"], name="dossierrating_unit_created")]

    def __str__(self) -> str:
        return self.get_score_display()


class ReminderKind(models.TextChoices):
    STEP_DUE_SOON = "step_due_soon", "Bước sắp đến hạn"
    STEP_OVERDUE = "step_overdue", "Bước quá hạn"
    DUE_SOON = "due_soon", "Hồ sơ sắp đến hạn"
    OVERDUE = "overdue", "Hồ sơ quá hạn"


class DossierReminder(models.Model):
    """A reminder sent (once per dossier, step, kind and due time: when a pause or an extension
    moves the due time, the new one is reminded again). ``step_position`` 0 = the dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders")
    step_position = models.PositiveSmallIntegerField("bước", default=0)
    kind = models.CharField("loại nhắc", max_length=20, choices=ReminderKind.choices)
    due_at = models.DateTimeField("hạn được nhắc")
    sent_at = models.DateTimeField("gửi lúc")

    class Meta:
        verbose_name = "nhắc hạn hồ sơ"
        verbose_name_plural = "nhắc hạn hồ sơ"
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "step_position", "kind", "due_at"], name="dossier_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}"
