from __future__ import annotations

from typing import Any

import pytest

from congso.procedures import services
from congso.procedures.models import DossierStatus, Timeliness


@pytest.mark.django_db
def test_desk_to_return(desk_dossier: Any, onestop: Any, specialist: Any, leader: Any) -> None:
    d = desk_dossier
    assert d.status == DossierStatus.ACCEPTED
    assert d.code.startswith("H26.TEST.103-")
    assert d.due_at and d.received_at and len(d.lookup_secret) == 8
    d = services.dossier_hand_over(dossier=d, actor=onestop, to_user=specialist)
    assert d.status == DossierStatus.IN_PROCESS
    d = services.dossier_request_supplement(dossier=d, actor=specialist, items="Giấy chứng sinh")
    d = services.dossier_supplement_received(dossier=d, actor=onestop)
    assert d.status == DossierStatus.IN_PROCESS
    d = services.dossier_hand_over(dossier=d, actor=specialist, to_user=leader)
    assert "complete" in services.allowed_actions(d, leader)
    d = services.dossier_complete(dossier=d, actor=leader, result_summary="Giấy khai sinh")
    assert d.timeliness == Timeliness.EARLY
    d = services.dossier_return(dossier=d, actor=onestop)
    assert d.status == DossierStatus.RETURNED
    services.dossier_rate(dossier=d, score=3)
    assert d.events.count() == 8
