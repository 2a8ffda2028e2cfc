"""edXML (QCVN 102:2016/BTTTT) packages: typed data, a builder and a safe parser.

Pure functions over bytes and dataclasses, no database: the services that export an outgoing
document and import a package into the incoming register are in
``congso.documents.services.edxml``. Format and choices: docs/edxml.md.
"""

from congso.documents.edxml.builder import build_package, build_status
from congso.documents.edxml.codes import (
    NS,
    NS_LEGACY,
    BusinessDocType,
    Priority,
    StatusCode,
    SteeringType,
)
from congso.documents.edxml.package import (
    Attachment,
    EdxmlPackage,
    Organ,
    ParsedPackage,
    ResponseFor,
    StatusMessage,
    TraceEntry,
    make_document_id,
)
from congso.documents.edxml.parser import parse_package, parse_status

__all__ = [
    "NS",
    "NS_LEGACY",
    "Attachment",
    "BusinessDocType",
    "EdxmlPackage",
    "Organ",
    "ParsedPackage",
    "Priority",
    "ResponseFor",
    "StatusCode",
    "StatusMessage",
    "SteeringType",
    "TraceEntry",
    "build_package",
    "build_status",
    "make_document_id",
    "parse_package",
    "parse_status",
]
