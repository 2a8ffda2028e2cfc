"""``python -m congso.documents.edxml.samples.write``: rewrite the sample packages."""

import django

django.setup()

from congso.documents.edxml.samples import write_samples  # noqa: E402

for path in write_samples():
    print(path)
