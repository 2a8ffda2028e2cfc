from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "congso.kernel.audit"
    label = "audit"
    verbose_name = "Nhật ký"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth_signals
        from django.db.backends.signals import connection_created

        from congso.kernel.audit import signals

        auth_signals.user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="audit_login")
        auth_signals.user_logged_out.connect(
            signals.on_user_logged_out, dispatch_uid="audit_logout"
        )
        auth_signals.user_login_failed.connect(
            signals.on_user_login_failed, dispatch_uid="audit_login_failed"
        )
        connection_created.connect(signals.on_connection_created, dispatch_uid="audit_sqlite")
