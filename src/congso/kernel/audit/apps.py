from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "congso.kernel.audit"
    label = "audit"
    verbose_name = "Nhật ký"
