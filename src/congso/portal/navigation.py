"""The public menu, also shown as the portal's service tiles.

Each entry names the URL that a later module provides; until that URL exists the entry is not
shown (no dead links). A module that names its page differently re-registers the same ``key``
with ``menu=PUBLIC_MENU`` from its own ``AppConfig.ready()`` (the working calendar registers its
own entry, ``calendar``, in ``kernel/calendar/apps.py``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congso.kernel.core.navigation import PUBLIC_MENU, NavItem, register_nav

PUBLIC_ITEMS = [
    NavItem(
        key="lookup",
        label=_("Tra cứu hồ sơ"),
        url_name="procedures_lookup:lookup",
        description=_("Xem hồ sơ thủ tục hành chính của bạn đang ở bước nào, bằng mã hồ sơ."),
        order=10,
        menu=PUBLIC_MENU,
    ),
    NavItem(
        key="report",
        label=_("Gửi phản ánh"),
        url_name="urban_reports_public:new",
        description=_("Báo vi phạm trật tự đô thị, hư hỏng hạ tầng, rác thải… kèm ảnh và vị trí."),
        order=20,
        menu=PUBLIC_MENU,
    ),
    NavItem(
        key="procedures",
        label=_("Thủ tục hành chính"),
        url_name="procedures_public:catalogue",
        description=_("Danh mục thủ tục: hồ sơ cần nộp, thời hạn giải quyết, lệ phí."),
        order=30,
        menu=PUBLIC_MENU,
    ),
]


def register_public_menu() -> None:
    for item in PUBLIC_ITEMS:
        register_nav(item)
