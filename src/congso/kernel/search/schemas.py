"""Schemas of ``GET /api/v1/search``."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class SearchHitOut(Schema):
    kind: str = Field(description="Loại đối tượng: incoming, outgoing, …")
    id: int
    title: str = Field(description="Trích yếu / tiêu đề, như trong văn bản.")
    notation: str = Field(description="Số, ký hiệu (nếu có).")
    date: dt.date | None
    unit_id: int | None
    secrecy: int = Field(description="Độ mật: 0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật.")
    score: float = Field(description="Điểm phù hợp (chỉ để so sánh trong cùng một truy vấn).")
    snippet: str = Field(
        description="Đoạn trích HTML: văn bản đã escape, từ khớp trong <mark>; rỗng nếu không "
        "được hiển thị (văn bản mật) hoặc không khớp trong nội dung."
    )
    url: str = Field(description="Đường dẫn trang chi tiết (rỗng nếu chưa có).")


class SearchPageOut(Schema):
    query: str = Field(description="Từ khóa sau khi chuẩn hóa (NFC, cắt nếu quá dài).")
    truncated: bool
    lenient: bool = Field(description="Không văn bản nào chứa đủ mọi từ: kết quả gần đúng.")
    total: int = Field(description="Số kết quả trong phạm vi được xem, theo loại và bộ lọc.")
    estimated: bool = Field(
        description="Rất nhiều kết quả: `total` và `facets` ước tính từ mẫu 1/64 "
        "(2 chữ số có nghĩa)."
    )
    took_ms: float
    hits: list[SearchHitOut]
    facets: dict[str, dict[str, int]] = Field(
        description="Số kết quả theo loại (`kind`) và, khi lọc một loại, theo `type`, `status`, "
        "`urgency`."
    )
    next_cursor: str | None
