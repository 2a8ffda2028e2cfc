"""Every user can download the source of the running program (AGPL-3.0 §13)."""

import io
import tarfile

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_source_archive_is_offered_and_complete(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("core:source") in page
    response = client.get(reverse("core:source"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        names = set(tar.getnames())
    assert "congso/LICENSE" in names
    assert "congso/pyproject.toml" in names
    assert "congso/src/congso/kernel/core/source.py" in names
    assert not any("__pycache__" in name for name in names)


@pytest.mark.django_db
def test_source_archive_is_cached_until_a_file_changes(client):
    from congso.kernel.core.source import source_archive

    first = source_archive()
    assert source_archive() == first
