"""REST API of the documents domain at /api/v1/documents/, one router per area."""

from ninja import Router

from congso.documents.api_edxml import router as edxml_router
from congso.documents.api_incoming import router as incoming_router
from congso.documents.api_outgoing import router as outgoing_router
from congso.documents.api_registers import router as registers_router

router = Router(tags=["documents"])
router.add_router("/incoming", incoming_router)
router.add_router("/outgoing", outgoing_router)
router.add_router("", registers_router)
router.add_router("/edxml", edxml_router)
