from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from congso.kernel.core.home import WorkItem
    from congso.kernel.people.models import Position, User


class DocumentsConfig(AppConfig):
    name = "congso.documents"
    label = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        # Each area registers its menu entries, home-page work items and file access rules here.
        _register_incoming()
        _register_edxml()
        _register_outgoing()
        from congso.documents.services.digitization import register_digitization

        register_digitization()
        # Registers and files (hồ sơ): menu entries, the deposit item, printed registers' access.
        from congso.documents.views.filing import register_registers_and_files

        register_registers_and_files()
        # Incoming and outgoing documents in the search index (kernel/search).
        from congso.documents.search import register_search_sources

        register_search_sources()


# --- incoming documents ----------------------------------------------------------------------


def _incoming_url(name: str, query: str = "") -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"documents:{name}") + query
    except NoReverseMatch:
        return ""


def incoming_assigned_to_me(user: User, position: Position | None) -> WorkItem:
    """Open assignments waiting for me (lead, cooperating, my department), overdue among them."""
    from django.utils import timezone

    from congso.documents.selectors import my_work
    from congso.kernel.core.home import WorkItem

    today = timezone.localdate()
    work = my_work(user, today=today)
    return WorkItem(
        title="Văn bản đến giao cho tôi",
        count=work.count(),
        overdue=work.filter(deadline__lt=today).count(),
        url=_incoming_url("incoming_mine"),
        empty_text="Không có văn bản đến nào đang chờ bạn giải quyết.",
    )


def incoming_awaiting_my_assignment(user: User, position: Position | None) -> WorkItem:
    from congso.documents.selectors import awaiting_assignment
    from congso.kernel.core.home import WorkItem

    waiting = awaiting_assignment(user)
    urgent = waiting.filter(urgency__gte=1).count()
    return WorkItem(
        title="Văn bản đến chờ tôi phân công",
        count=waiting.count(),
        url=_incoming_url("incoming_list", "?status=presented"),
        description=f"{urgent} văn bản khẩn" if urgent else "",
        empty_text="Không có văn bản nào được trình chờ phân công.",
    )


def incoming_awaiting_presentation(user: User, position: Position | None) -> WorkItem:
    """Registered, not yet presented; late ones (Art. 23: the next working day at the latest)
    count as overdue."""
    from congso.documents.selectors import awaiting_presentation, presentation_late_before
    from congso.kernel.core.home import WorkItem

    waiting = awaiting_presentation(user)
    return WorkItem(
        title="Văn bản đến đã vào sổ, chờ trình",
        count=waiting.count(),
        overdue=waiting.filter(arrived_at__lt=presentation_late_before()).count(),
        url=_incoming_url("incoming_list", "?status=registered"),
        empty_text="Mọi văn bản đến đã được trình lãnh đạo.",
    )


def can_read_incoming_file(user: Any, owner: Any) -> bool:
    from congso.documents.rules import can_read_incoming_file as rule

    return rule(user, owner)


def _register_incoming() -> None:
    from congso.documents.models import IncomingDocument, ProgressNote
    from congso.kernel.core.home import register_work_items
    from congso.kernel.core.navigation import NavItem, register_nav
    from congso.kernel.files.rules import register_access_rule
    from congso.kernel.people.models import Role

    register_nav(
        NavItem(
            key="documents.incoming",
            label="Văn bản đến",
            url_name="documents:incoming_list",
            roles=frozenset({Role.CLERK, Role.LEADER, Role.ADMIN, Role.SPECIALIST, Role.INSPECTOR}),
            order=20,
            description="Vào sổ, trình, phân công và theo dõi giải quyết văn bản đến.",
        )
    )
    register_work_items(
        "documents.incoming.mine",
        incoming_assigned_to_me,
        roles={Role.SPECIALIST, Role.LEADER, Role.CLERK, Role.INSPECTOR, Role.ONESTOP_OFFICER},
        order=20,
    )
    register_work_items(
        "documents.incoming.to_assign",
        incoming_awaiting_my_assignment,
        roles={Role.LEADER},
        order=21,
    )
    register_work_items(
        "documents.incoming.to_present",
        incoming_awaiting_presentation,
        roles={Role.CLERK, Role.ADMIN},
        order=22,
    )
    register_access_rule(IncomingDocument, can_read_incoming_file)
    register_access_rule(ProgressNote, can_read_incoming_file)


# --- edXML exchange --------------------------------------------------------------------------


def _register_edxml() -> None:
    from congso.kernel.core.navigation import NavItem, register_nav
    from congso.kernel.people.models import Role

    register_nav(
        NavItem(
            key="documents.credentials",
            label="Chứng thư ký số",
            url_name="documents:credential_list",
            roles=frozenset({Role.ADMIN}),
            order=27,
            description="Tệp PKCS#12 (mật khẩu mã hóa), hình chữ ký và con dấu của cán bộ và "
            "của cơ quan.",
        )
    )
    register_nav(
        NavItem(
            key="documents.edxml",
            label="Nhập gói edXML",
            url_name="documents:edxml_import",
            roles=frozenset({Role.CLERK, Role.ADMIN}),
            order=24,
            description="Tiếp nhận gói tin văn bản điện tử (QCVN 102:2016) vào sổ văn bản đến.",
        )
    )
    # The demo corpus loader (``manage.py demo`` discovers only ``<app>.demo`` modules).
    from congso.documents import demo_corpus  # noqa: F401


# --- outgoing documents ----------------------------------------------------------------------


def _register_outgoing() -> None:
    from congso.documents.views.outgoing import register_outgoing

    register_outgoing()
