"""Namespaces and code lists of QCVN 102:2016/BTTTT (edXML), vietnam-rules.md §4.1–4.2."""

from __future__ import annotations

from enum import IntEnum, StrEnum

#: The namespace of QCVN 102:2016; every envelope element carries the ``edXML:`` prefix.
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
#: The namespace of older eDoc systems, still accepted on import.
NS_LEGACY = "http://www.go.vn/eDoc"
ACCEPTED_NAMESPACES = frozenset({NS, NS_LEGACY})

XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_ACTOR = "http://schemas.xmlsoap.org/soap/actor/next"

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"


class Priority(IntEnum):
    """OtherInfo/Priority (§4.2). 4 "Hỏa tốc hẹn giờ" exists only in edXML, not in Decree 30."""

    NORMAL = 0
    URGENT = 1
    VERY_URGENT = 2
    FLASH = 3
    FLASH_TIMED = 4


PRIORITY_LABELS = {
    Priority.NORMAL: "Thường",
    Priority.URGENT: "Khẩn",
    Priority.VERY_URGENT: "Thượng khẩn",
    Priority.FLASH: "Hỏa tốc",
    Priority.FLASH_TIMED: "Hỏa tốc hẹn giờ",
}


def priority_to_urgency(priority: int) -> int:
    """edXML priority → our ``Urgency`` (0–3): "Hỏa tốc hẹn giờ" is registered as Hỏa tốc."""
    return min(int(priority), int(Priority.FLASH))


def urgency_to_priority(urgency: int) -> int:
    return int(Priority(min(max(int(urgency), 0), int(Priority.FLASH))))


class SteeringType(IntEnum):
    NONE = 0  # not a directive
    DIRECTIVE = 1  # văn bản chỉ đạo
    REPORT = 2  # report on a directive


class BusinessDocType(IntEnum):
    """TraceHeaderList/Bussiness/BussinessDocType (the standard's spelling)."""

    NEW = 0
    RECALL = 1
    UPDATE = 2
    REPLACE = 3


BUSINESS_LABELS = {
    BusinessDocType.NEW: "Văn bản mới",
    BusinessDocType.RECALL: "Thu hồi",
    BusinessDocType.UPDATE: "Cập nhật",
    BusinessDocType.REPLACE: "Thay thế",
}


class StatusCode(StrEnum):
    """StatusCode of a status message (gói tin trạng thái, ``edXML:Status``)."""

    ARRIVED = "01"
    REFUSED = "02"
    ACCEPTED = "03"
    ASSIGNED = "04"
    IN_PROGRESS = "05"
    DONE = "06"
    TAKEN_BACK = "13"
    AGREE_CHANGE = "15"
    REFUSE_CHANGE = "16"


STATUS_LABELS = {
    StatusCode.ARRIVED: "Đã đến",
    StatusCode.REFUSED: "Từ chối tiếp nhận",
    StatusCode.ACCEPTED: "Đã tiếp nhận, vào sổ",
    StatusCode.ASSIGNED: "Đã phân công",
    StatusCode.IN_PROGRESS: "Đang xử lý",
    StatusCode.DONE: "Hoàn thành",
    StatusCode.TAKEN_BACK: "Lấy lại",
    StatusCode.AGREE_CHANGE: "Đồng ý cập nhật, lấy lại, thu hồi",
    StatusCode.REFUSE_CHANGE: "Từ chối cập nhật, thu hồi",
}
