from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "congso.kernel.files"
    label = "files"
    verbose_name = "Tệp"
