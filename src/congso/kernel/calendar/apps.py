from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "congso.kernel.calendar"
    label = "calendar"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from congso.kernel.core.navigation import PUBLIC_MENU, NavItem, register_nav

        register_nav(
            NavItem(
                key="calendar",
                label="Lịch làm việc",
                url_name="calendar:index",
                menu=PUBLIC_MENU,
                order=80,
                description="Ngày nghỉ lễ, Tết, ngày làm bù và giờ làm việc",
            )
        )
