"""Demo: the test CA, and a test credential for every leader and served committee."""

from __future__ import annotations

from congso.kernel.core.demo import DemoContext, register
from congso.kernel.signing.services import demo_credentials_ensure
from congso.kernel.signing.testca import CA_ORGANISATION


@register("signing", order=30)
def load(ctx: DemoContext) -> None:
    result = demo_credentials_ensure()
    ctx.log(
        f"{CA_ORGANISATION}: {len(result.issued)} chứng thư mới, "
        f"{len(result.kept)} chứng thư còn hiệu lực."
    )
