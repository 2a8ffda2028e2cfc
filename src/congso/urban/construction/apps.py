from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from congso.kernel.core.home import WorkItem
    from congso.kernel.people.models import Position, User


class UrbanConstructionConfig(AppConfig):
    name = "congso.urban.construction"
    label = "urban_construction"
    verbose_name = "Trật tự xây dựng"

    def ready(self) -> None:
        from congso.kernel.core.home import register_work_items
        from congso.kernel.core.navigation import NavItem, register_nav
        from congso.kernel.files.rules import register_access_rule
        from congso.kernel.people.models import Role
        from congso.urban.construction import rules
        from congso.urban.construction.models import InspectionPhoto
        from congso.urban.construction.search import register_search_source

        staff = frozenset({Role.INSPECTOR, Role.LEADER, Role.SPECIALIST, Role.ADMIN})
        register_nav(
            NavItem(
                key="urban.construction",
                label="Trật tự xây dựng",
                url_name="urban_construction:work_list",
                roles=staff,
                order=60,
                description="Sổ theo dõi công trình, kiểm tra, xử lý vi phạm trật tự xây dựng.",
            )
        )
        register_nav(
            NavItem(
                key="urban.construction.control",
                label="Tỷ lệ kiểm soát công trình",
                url_name="urban_construction:control",
                roles=staff,
                order=61,
                description="Tỷ lệ công trình được kiểm soát theo phường và kỳ; báo cáo tháng.",
            )
        )
        register_work_items(
            "urban.construction.overdue",
            overdue_violations_item,
            roles={Role.INSPECTOR, Role.LEADER},
            order=60,
        )
        register_access_rule(InspectionPhoto, rules.can_read_photo)
        register_search_source()


def overdue_violations_item(user: User, position: Position | None) -> WorkItem:
    from django.urls import reverse
    from django.utils import timezone

    from congso.kernel.core.home import WorkItem
    from congso.urban.construction import rules, selectors

    units = rules.construction_unit_ids(user)
    today = timezone.localdate()
    open_rows = selectors.open_violations(units)
    overdue = open_rows.filter(remedy_deadline__lt=today).count()
    return WorkItem(
        title="Vi phạm TTXD quá hạn",
        count=open_rows.count(),
        overdue=overdue,
        url=reverse("urban_construction:violation_list") + "?overdue=on",
        description=f"{overdue} vi phạm đã quá hạn khắc phục" if overdue else "",
        empty_text="Không có vi phạm trật tự xây dựng nào đang xử lý.",
    )
