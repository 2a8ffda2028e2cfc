from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "congso.kernel.calendar"
    label = "calendar"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from congso.kernel.core.navigation import PUBLIC_MENU, NavItem, register_nav

        register_nav(
            NavItem(
                key="calendar",
                label=_("Lịch làm việc"),
                url_name="calendar:index",
                menu=PUBLIC_MENU,
                order=80,
                description=_("Ngày nghỉ lễ, Tết, ngày làm bù và giờ làm việc"),
            )
        )
