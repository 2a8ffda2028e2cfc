# English UI keeps the Vietnamese day-first dates and dotted thousands: the documents are Vietnamese.
from congso.formats.vi.formats import *  # noqa: F403
