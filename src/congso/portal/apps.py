from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "congso.portal"
    label = "portal"
    verbose_name = "Cổng công khai"

    def ready(self) -> None:
        from congso.portal.navigation import register_public_menu

        register_public_menu()
