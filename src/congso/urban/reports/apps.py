from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from congso.kernel.core.home import WorkItem
    from congso.kernel.people.models import Position, User


class UrbanReportsConfig(AppConfig):
    name = "congso.urban.reports"
    label = "urban_reports"
    verbose_name = "Phản ánh hiện trường"

    def ready(self) -> None:
        from congso.kernel.core.home import register_work_items
        from congso.kernel.core.navigation import NavItem, register_nav
        from congso.kernel.files.rules import register_access_rule
        from congso.kernel.people.models import Role
        from congso.urban.reports.models import FieldReport
        from congso.urban.reports.search import register_search_source

        register_nav(
            NavItem(
                key="urban.reports",
                label="Phản ánh hiện trường",
                url_name="urban_reports:list",
                roles=frozenset(
                    {
                        Role.ONESTOP_OFFICER,
                        Role.CLERK,
                        Role.LEADER,
                        Role.ADMIN,
                        Role.SPECIALIST,
                        Role.INSPECTOR,
                    }
                ),
                order=60,
                description="Tiếp nhận, phân loại, giao xử lý và trả lời phản ánh của người dân.",
            )
        )
        register_nav(
            NavItem(
                key="urban.reports.public",
                label="Gửi phản ánh",
                url_name="urban_reports_public:new",
                order=30,
                description="Phản ánh về môi trường, giao thông, chiếu sáng, trật tự xây dựng… "
                "kèm ảnh và vị trí; theo dõi kết quả bằng mã theo dõi.",
                menu="public",
            )
        )
        register_work_items(
            "urban.reports.receipt",
            reports_awaiting_receipt,
            roles={Role.ONESTOP_OFFICER, Role.CLERK, Role.LEADER, Role.ADMIN},
            order=60,
        )
        register_work_items(
            "urban.reports.mine",
            reports_assigned_to_me,
            roles={Role.SPECIALIST, Role.INSPECTOR, Role.LEADER, Role.ONESTOP_OFFICER},
            order=61,
        )
        register_access_rule(FieldReport, _can_download_photo)
        register_search_source()


def _can_download_photo(user: Any, owner: Any) -> bool:
    from congso.urban.reports.rules import can_download_photo

    return can_download_photo(user, owner)


def _url(name: str, query: str = "") -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"urban_reports:{name}") + query
    except NoReverseMatch:
        return ""


def reports_awaiting_receipt(user: User, position: Position | None) -> WorkItem:
    """Reports waiting for receipt in my wards; past the 8-working-hour limit count as overdue."""
    from django.utils import timezone

    from congso.kernel.core.home import WorkItem
    from congso.urban.reports.selectors import awaiting_receipt

    waiting = awaiting_receipt(user)
    return WorkItem(
        title="Phản ánh hiện trường chờ tiếp nhận",
        count=waiting.count(),
        overdue=waiting.filter(receipt_due_at__lt=timezone.now()).count(),
        url=_url("list", "?status=submitted"),
        empty_text="Không có phản ánh nào đang chờ tiếp nhận.",
    )


def reports_assigned_to_me(user: User, position: Position | None) -> WorkItem:
    from django.utils import timezone

    from congso.kernel.core.home import WorkItem
    from congso.urban.reports.selectors import assigned_to_me

    mine = assigned_to_me(user)
    return WorkItem(
        title="Phản ánh hiện trường giao cho tôi",
        count=mine.count(),
        overdue=mine.filter(handle_due_at__lt=timezone.now()).count(),
        url=_url("list", "?status=assigned&mine=1"),
        empty_text="Không có phản ánh nào đang chờ bạn xử lý.",
    )
