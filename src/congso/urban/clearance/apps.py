from __future__ import annotations

from django.apps import AppConfig


class UrbanClearanceConfig(AppConfig):
    name = "congso.urban.clearance"
    label = "urban_clearance"
    verbose_name = "Giải phóng mặt bằng"

    def ready(self) -> None:
        from congso.kernel.core.navigation import NavItem, register_nav
        from congso.kernel.people.models import Role
        from congso.urban.clearance.search import register_search_sources

        register_search_sources()
        staff = frozenset({Role.ADMIN, Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK})
        register_nav(
            NavItem(
                key="urban.clearance",
                label="Giải phóng mặt bằng",
                url_name="urban_clearance:project_list",
                roles=staff,
                order=62,
                description="Dự án GPMB, hộ bị ảnh hưởng, tiến độ kiểm đếm, chi trả, bàn giao.",
            )
        )
        # The shared map and the per-ward dashboard (congso/urban/overview_*.py).
        register_nav(
            NavItem(
                key="urban.map",
                label="Bản đồ đô thị",
                url_name="urban:map",
                roles=staff | {Role.ONESTOP_OFFICER},
                order=64,
                description="Phản ánh, công trình và dự án GPMB trên bản đồ phường.",
            )
        )
        register_nav(
            NavItem(
                key="urban.dashboard",
                label="Tổng quan đô thị",
                url_name="urban:dashboard",
                roles=staff,
                order=65,
                description="Trật tự xây dựng, GPMB, phản ánh hiện trường: số liệu theo phường.",
            )
        )
