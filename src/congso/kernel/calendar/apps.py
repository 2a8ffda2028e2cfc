from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "congso.kernel.calendar"
    label = "calendar"
    verbose_name = "Lịch làm việc"
