"""Generated "scanned" Vietnamese administrative pages with their ground-truth text, for the
OCR tests, the OCR benchmark and the demo corpus (``scan.py``)."""
