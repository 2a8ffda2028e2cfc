from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "congso.kernel.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from congso.kernel.core.registrations import register_kernel_items

        register_kernel_items()
