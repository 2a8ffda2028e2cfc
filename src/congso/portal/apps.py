from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "congso.portal"
    label = "portal"
    verbose_name = "Cổng công khai"
