from django.apps import AppConfig


class NumberingConfig(AppConfig):
    name = "congso.kernel.numbering"
    label = "numbering"
    verbose_name = "Đánh số"
