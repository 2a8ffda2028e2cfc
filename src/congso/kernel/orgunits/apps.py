from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "congso.kernel.orgunits"
    label = "orgunits"
    verbose_name = "Đơn vị hành chính"
