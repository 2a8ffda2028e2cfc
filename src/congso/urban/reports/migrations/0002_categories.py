"""The default categories of field reports (admin-editable afterwards).

Names follow iHanoi's on-site report fields (vietnam-rules §8: traffic, environment, safety and
security, construction…); ``default_department`` is the abbreviation of the ward department
that usually handles them ([M]: each ward adjusts in the admin).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "moi-truong",
        "name": "Vệ sinh môi trường",
        "description": "Rác thải, phế thải xây dựng đổ trộm, ô nhiễm mùi, khói bụi.",
        "group": "Môi trường",
        "keywords": "rác, phế thải, ô nhiễm, mùi",
        "default_department": "KT",
        "order": 10,
    },
    {
        "code": "giao-thong",
        "name": "Giao thông",
        "description": "Hư hỏng mặt đường, ổ gà, biển báo, đèn tín hiệu, ùn tắc, đỗ xe sai quy định.",
        "group": "Hạ tầng",
        "keywords": "ổ gà, đường, biển báo, đèn tín hiệu",
        "default_department": "KT",
        "order": 20,
    },
    {
        "code": "chieu-sang",
        "name": "Chiếu sáng công cộng",
        "description": "Đèn đường hỏng, tắt, sáng ban ngày; cột đèn nghiêng, hở điện.",
        "group": "Hạ tầng",
        "keywords": "đèn đường, chiếu sáng",
        "default_department": "KT",
        "order": 30,
    },
    {
        "code": "trat-tu-xay-dung",
        "name": "Trật tự xây dựng",
        "description": "Xây dựng không phép, sai phép, lấn chiếm đất công, vi phạm hành lang bảo vệ.",
        "group": "Đô thị",
        "keywords": "xây dựng, không phép, sai phép, lấn chiếm",
        "default_department": "KT",
        "is_construction": True,
        "allows_anonymous": False,
        "attributes": [
            {
                "code": "giai_doan",
                "description": "Giai đoạn thi công",
                "datatype": "singlevaluelist",
                "required": False,
                "values": [
                    {"key": "mong", "name": "Đang làm móng"},
                    {"key": "than", "name": "Đang xây thân"},
                    {"key": "hoan_thien", "name": "Đang hoàn thiện"},
                ],
            },
            {
                "code": "so_tang",
                "description": "Số tầng đang xây",
                "datatype": "number",
                "required": False,
            },
        ],
        "order": 40,
    },
    {
        "code": "trat-tu-cong-cong",
        "name": "Trật tự công cộng, lòng đường vỉa hè",
        "description": "Lấn chiếm vỉa hè, lòng đường; buôn bán, quảng cáo sai quy định; gây mất trật tự.",
        "group": "Đô thị",
        "keywords": "vỉa hè, lấn chiếm, quảng cáo",
        "default_department": "KT",
        "order": 50,
    },
    {
        "code": "an-ninh-an-toan",
        "name": "An ninh, an toàn",
        "description": "Nguy cơ mất an toàn: cây đổ, hố sâu không che chắn, dây điện võng, cháy nổ.",
        "group": "An toàn",
        "keywords": "nguy hiểm, an toàn, cháy",
        "default_department": "VP",
        "default_level": "urgent",
        "order": 60,
    },
    {
        "code": "cay-xanh",
        "name": "Cây xanh",
        "description": "Cây gãy, đổ, sâu mục, cần cắt tỉa; chặt cây trái phép.",
        "group": "Môi trường",
        "keywords": "cây, cành gãy, cắt tỉa",
        "default_department": "KT",
        "order": 70,
    },
    {
        "code": "thoat-nuoc",
        "name": "Thoát nước, úng ngập",
        "description": "Ngập úng, tắc cống, hố ga mất nắp, nước thải tràn ra đường.",
        "group": "Hạ tầng",
        "keywords": "ngập, cống, hố ga",
        "default_department": "KT",
        "attributes": [
            {
                "code": "do_sau_cm",
                "description": "Độ sâu ngập ước tính (cm)",
                "datatype": "number",
                "required": False,
            }
        ],
        "order": 80,
    },
    {
        "code": "ho-tay-mat-nuoc",
        "name": "Mặt nước hồ, ao",
        "description": "Rác, cá chết, lấn chiếm mặt nước, bờ kè hư hỏng quanh hồ.",
        "group": "Môi trường",
        "keywords": "hồ tây, mặt nước, bờ kè, cá chết",
        "default_department": "KT",
        "order": 90,
    },
    {
        "code": "khac",
        "name": "Vấn đề khác",
        "description": "Các vấn đề đô thị khác (không phải khiếu nại, tố cáo).",
        "group": "Khác",
        "keywords": "",
        "default_department": "VP",
        "order": 200,
    },
]


def load(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("urban_reports", "ReportCategory")
    for row in CATEGORIES:
        Category.objects.update_or_create(code=row["code"], defaults=row)


def unload(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("urban_reports", "ReportCategory")
    Category.objects.filter(code__in=[r["code"] for r in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("urban_reports", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
