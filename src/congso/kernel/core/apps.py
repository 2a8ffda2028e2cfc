from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "congso.kernel.core"
    label = "core"
    verbose_name = "Lõi hệ thống"
