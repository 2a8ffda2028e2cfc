"""Signing credentials: whose certificate, where its private key lives, which image it shows.

Data and constraints only: every write goes through ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CredentialKind(models.TextChoices):
    PKCS12 = "pkcs12", "Tệp PKCS#12 (.p12, .pfx)"
    PKCS11 = "pkcs11", "Thiết bị PKCS#11 (USB token, HSM)"


class SigningCredential(models.Model):
    """A signing certificate with its private key, owned by a person or by an organisation.

    Exactly one owner: ``user`` (a personal certificate: the leader's signature) or ``unit``
    (the committee's organisation certificate: the seal). The private key is either a PKCS#12
    archive kept in ``pkcs12_data`` (the archive is itself encrypted with its passphrase; the
    passphrase is kept in ``secret``, encrypted with a key derived from SECRET_KEY, see
    ``crypto.py``) or on a PKCS#11 token (``pkcs11_*``; ``secret`` then holds the user PIN,
    encrypted the same way, or is empty when the PIN is typed at signing time).

    The certificate's facts are copied at registration (subject, issuer, validity, fingerprint)
    so that lists and checks do not need the key or the token.
    """

    label = models.CharField("tên gọi", max_length=200)
    kind = models.CharField("loại", max_length=10, choices=CredentialKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ký (chứng thư cá nhân)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_credentials",
    )
    unit = models.ForeignKey(
        "orgunits.AdminUnit",
        verbose_name="cơ quan (chứng thư tổ chức)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_credentials",
    )
    pkcs12_data = models.BinaryField("tệp PKCS#12", null=True, blank=True, editable=False)
    secret = models.TextField(
        "mật khẩu/PIN (đã mã hóa)",
        blank=True,
        editable=False,
        help_text="Mã hóa bằng khóa dẫn xuất từ SECRET_KEY; không bao giờ hiển thị.",
    )
    pkcs11_module = models.CharField("thư viện PKCS#11", max_length=500, blank=True)
    pkcs11_token_label = models.CharField("nhãn token", max_length=200, blank=True)
    pkcs11_key_label = models.CharField("nhãn khóa", max_length=200, blank=True)
    pkcs11_cert_label = models.CharField("nhãn chứng thư", max_length=200, blank=True)
    certificate_der = models.BinaryField("chứng thư (DER)", editable=False)
    subject = models.CharField("chủ thể", max_length=500)
    issuer = models.CharField("tổ chức cấp", max_length=500)
    serial = models.CharField("số hiệu", max_length=100)
    fingerprint_sha256 = models.CharField("dấu vân tay SHA-256", max_length=64, db_index=True)
    not_before = models.DateTimeField("hiệu lực từ")
    not_after = models.DateTimeField("hiệu lực đến")
    image = models.ForeignKey(
        "files.StoredFile",
        verbose_name="hình ảnh chữ ký/con dấu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="PNG nền trong suốt: chữ ký màu xanh (cá nhân), con dấu màu đỏ (tổ chức).",
    )
    is_test = models.BooleanField(
        "thử nghiệm",
        default=False,
        help_text="Chứng thư do CA thử nghiệm cấp: chữ ký KHÔNG có giá trị pháp lý.",
    )
    is_active = models.BooleanField("đang dùng", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("đăng ký lúc", default=timezone.now)

    class Meta:
        verbose_name = "chứng thư ký số"
        verbose_name_plural = "chứng thư ký số"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(unit__isnull=True))
                | (Q(user__isnull=True) & Q(unit__isnull=False)),
                name="signingcredential_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind="pkcs11") | Q(pkcs12_data__isnull=False),
                name="signingcredential_pkcs12_has_data",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "is_active"], name="signingcred_user_idx"),
            models.Index(fields=["unit", "is_active"], name="signingcred_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_personal(self) -> bool:
        return self.user_id is not None

    def is_valid_at(self, when: object | None = None) -> bool:
        moment = when or timezone.now()
        return bool(self.not_before <= moment <= self.not_after)  # type: ignore[operator]
