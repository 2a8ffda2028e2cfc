"""Character error rate (CER) of OCR output against a ground truth.

Both texts are NFC-normalised and their whitespace collapsed (a line break and a space are the
same to a reader; layout is not what we measure). The edit distance is Levenshtein's, computed
with Myers' bit-parallel algorithm (Hyyrö's formulation) on Python integers: a 3,000-character
page takes milliseconds, not the seconds of the textbook table.
"""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """NFC, every run of whitespace one space, no leading or trailing space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    """Insertions, deletions and substitutions needed to turn ``a`` into ``b``."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    # b is the pattern (bits), a is scanned character by character.
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


def cer(truth: str, hypothesis: str) -> float:
    """Edit distance ÷ the length of the (normalised) truth; 0.0 when both are empty."""
    t, h = normalise(truth), normalise(hypothesis)
    if not t:
        return 0.0 if not h else 1.0
    return levenshtein(t, h) / len(t)
