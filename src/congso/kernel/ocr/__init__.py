"""Text extraction and OCR (số hóa): the text layer of a PDF when it has one, OCRmyPDF with
Tesseract ``vie+eng`` (one OpenMP thread per page, pages in parallel) when it does not.

The functions live in ``engine.py``; ``services.py`` makes and records searchable copies of
stored files; ``testdata/scan.py`` draws "scanned" Vietnamese pages for tests and the demo.
"""
