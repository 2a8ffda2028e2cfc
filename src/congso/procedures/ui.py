"""The one-stop shop in the staff shell: menu entries and the home page's work items.

``register_ui()`` is called from ``ProceduresConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from congso.kernel.core.home import WorkItem
    from congso.kernel.people.models import Position, User


def _url(name: str, query: str = "") -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"procedures:{name}") + query
    except NoReverseMatch:
        return ""


def _soon_hours() -> int:
    return int(getattr(settings, "ONESTOP_DUE_SOON_HOURS", 8))


def my_work(user: User, position: Position | None) -> WorkItem:
    """Open dossiers whose current step is mine; late ones count as overdue."""
    from django.utils import timezone

    from congso.kernel.core.home import WorkItem
    from congso.procedures import selectors

    mine = selectors.my_dossiers(user).order_by()
    return WorkItem(
        title="Hồ sơ chờ tôi xử lý",
        count=mine.count(),
        overdue=mine.filter(due_at__lt=timezone.now()).count(),
        url=_url("dossier_list", "?tab=dang-xu-ly&mine=on"),
        empty_text="Không có hồ sơ thủ tục hành chính nào đang chờ bạn xử lý.",
    )


def online_waiting(user: User, position: Position | None) -> list[WorkItem]:
    """For one-stop officers: online dossiers to accept, and results to hand back."""
    from congso.kernel.core.home import WorkItem
    from congso.procedures import selectors

    waiting = selectors.awaiting_acceptance(user).order_by()
    to_return = selectors.awaiting_return(user).order_by()
    return [
        WorkItem(
            title="Hồ sơ trực tuyến chờ tiếp nhận",
            count=waiting.count(),
            url=_url("dossier_list", "?tab=cho-tiep-nhan"),
            empty_text="Không có hồ sơ trực tuyến nào chờ tiếp nhận.",
        ),
        WorkItem(
            title="Hồ sơ có kết quả, chờ trả",
            count=to_return.count(),
            url=_url("dossier_list", "?tab=cho-tra"),
            empty_text="Không có kết quả nào chờ trả cho người nộp.",
        ),
    ]


def late_or_soon(user: User, position: Position | None) -> WorkItem:
    from django.utils import timezone

    from congso.kernel.core.home import WorkItem
    from congso.procedures import selectors

    hours = _soon_hours()
    rows = selectors.late_or_due_soon(user, hours).order_by()
    return WorkItem(
        title="Hồ sơ sắp/quá hạn",
        count=rows.count(),
        overdue=rows.filter(due_at__lt=timezone.now()).count(),
        url=_url("late_list"),
        description=f"Quá hạn hoặc còn dưới {hours} giờ làm việc.",
        empty_text="Không có hồ sơ nào quá hạn hay sắp đến hạn.",
    )


def register_ui() -> None:
    from congso.kernel.core.home import register_work_items
    from congso.kernel.core.navigation import NavItem, register_nav
    from congso.kernel.people.models import Role

    register_nav(
        NavItem(
            key="procedures.dossiers",
            label="Hồ sơ một cửa",
            url_name="procedures:dossier_list",
            roles=frozenset({Role.ONESTOP_OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN}),
            order=30,
            description="Tiếp nhận, xử lý và trả kết quả hồ sơ thủ tục hành chính.",
        )
    )
    register_nav(
        NavItem(
            key="procedures.intake",
            label="Tiếp nhận hồ sơ",
            url_name="procedures:intake",
            roles=frozenset({Role.ONESTOP_OFFICER}),
            order=31,
            description="Tiếp nhận hồ sơ trực tiếp, in giấy tiếp nhận và hẹn trả kết quả.",
        )
    )
    register_nav(
        NavItem(
            key="procedures.late",
            label="Hồ sơ sắp/quá hạn",
            url_name="procedures:late_list",
            roles=frozenset({Role.LEADER, Role.ADMIN}),
            order=32,
            description="Mọi hồ sơ đã quá hạn hoặc sắp đến hạn giải quyết.",
        )
    )
    register_work_items(
        "procedures.mine",
        my_work,
        roles={Role.SPECIALIST, Role.LEADER, Role.ONESTOP_OFFICER},
        order=30,
    )
    register_work_items(
        "procedures.online_waiting", online_waiting, roles={Role.ONESTOP_OFFICER}, order=31
    )
    register_work_items("procedures.late", late_or_soon, roles={Role.LEADER}, order=32)


__all__ = ["late_or_soon", "my_work", "online_waiting", "register_ui"]
