# The English UI keeps Vietnamese dates and numbers: the documents are Vietnamese.
from congso.formats.vi.formats import *  # noqa: F403
