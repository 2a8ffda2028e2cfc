from django.apps import AppConfig


class OcrConfig(AppConfig):
    name = "congso.kernel.ocr"
    label = "ocr"
    verbose_name = "Số hóa (OCR)"
