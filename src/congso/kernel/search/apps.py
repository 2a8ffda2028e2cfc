from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "congso.kernel.search"
    label = "search"
    verbose_name = "Tìm kiếm"

    def ready(self) -> None:
        from congso.kernel.search.units import connect_signals

        connect_signals()
