from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "congso.kernel.notifications"
    label = "notifications"
    verbose_name = "Thông báo"
