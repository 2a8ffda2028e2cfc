from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "congso.kernel.people"
    label = "people"
    verbose_name = "Cán bộ và phân quyền"
