from django.apps import AppConfig


class PdfConfig(AppConfig):
    name = "congso.kernel.pdf"
    label = "pdf"
    verbose_name = "In PDF"
