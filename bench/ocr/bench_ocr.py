"""Benchmark: our OCR pipeline against `ocrmypdf -l vie` run with its defaults, on the same
generated scanned pages, in the same run.

    .venv/bin/python bench/ocr/bench_ocr.py [--quick] [--rounds N] [--dpi 300] [--no-ablation]

The pages are Vietnamese ward decisions drawn by ``congso.kernel.ocr.testdata.scan`` (Liberation
Serif 2, slight skew, grain and specks of dust, JPEG in PDF), so the ground truth is known. They
come as documents of 1 to 3 pages, the way a ward's incoming mail arrives (16 pages: 4 × 1,
3 × 2, 2 × 3), and each document is digitised on its own, one after the other, the way a
document system's worker takes them:

- **peer**: the command line `ocrmypdf -l vie in.pdf out.pdf` with its defaults (Tesseract's
  default OpenMP threads for short files, default jobs, PDF/A output, optimisation level 1):
  "the way common document systems run it";
- **ours**: ``congso.kernel.ocr.engine.ocr_pdf`` as the worker calls it (in-process OCRmyPDF
  API, ``OMP_THREAD_LIMIT=1``, pages in parallel with one job per CPU, no optimisation pass,
  the speck/grain conditioning plugin, ``vie+eng``);
- **ablation** (unless ``--no-ablation``): ours without the conditioning plugin, to show what
  each part contributes.

Throughput is pages per minute of wall time; CER is the character error rate of the output
PDF's text layer (read back with pypdf the same way for all) against the drawn text: edit
distance over all pages ÷ characters, NFC, whitespace collapsed. Rounds alternate the order of
the variants so that a busy neighbour on the machine hurts all alike. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from congso.kernel.ocr.engine import default_jobs, extract_page_texts, ocr_pdf  # noqa: E402
from congso.kernel.ocr.metrics import levenshtein, normalise  # noqa: E402
from congso.kernel.ocr.testdata.scan import ScannedDocument, make_scanned_pdf  # noqa: E402

OCRMYPDF = str(Path(sys.executable).with_name("ocrmypdf"))
SIZES = (1, 2, 1, 3, 2, 1, 3, 2, 1)  # 16 pages
QUICK_SIZES = (1, 2, 1)  # 4 pages


@dataclass
class Run:
    seconds: float = 0.0
    pages: int = 0
    edits: int = 0
    chars: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def pages_per_minute(self) -> float:
        return 60.0 * self.pages / self.seconds if self.seconds else 0.0

    @property
    def cer(self) -> float:
        return self.edits / self.chars if self.chars else 0.0


def peer(source: Path, target: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    subprocess.run(
        [OCRMYPDF, "-q", "-l", "vie", str(source), str(target)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ours(source: Path, target: Path) -> None:
    ocr_pdf(source, target)


def ours_plain(source: Path, target: Path) -> None:
    ocr_pdf(source, target, condition_images=False)


def measure(
    fn: Callable[[Path, Path], None], docs: list[tuple[Path, ScannedDocument]], out: Path
) -> Run:
    run = Run()
    for n, (source, scan) in enumerate(docs):
        target = out / f"{fn.__name__}-{n}.pdf"
        start = time.perf_counter()
        fn(source, target)
        elapsed = time.perf_counter() - start
        run.seconds += elapsed
        run.times.append(elapsed)
        run.pages += scan.pages
        got = "\n\n".join(extract_page_texts(target.read_bytes()))
        truth = normalise(scan.text)
        run.edits += levenshtein(truth, normalise(got))
        run.chars += len(truth)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 pages at 200 dpi, one round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--no-ablation", action="store_true")
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    dpi = 200 if args.quick else args.dpi
    rounds = 1 if args.quick else max(1, args.rounds)
    variants: list[tuple[str, Callable[[Path, Path], None]]] = [
        ("ocrmypdf -l vie (defaults, CLI)", peer),
        ("ours (ocr_pdf)", ours),
    ]
    if not args.no_ablation:
        variants.append(("ours without conditioning", ours_plain))

    with tempfile.TemporaryDirectory(prefix="congso-bench-ocr-") as tmp:
        folder = Path(tmp)
        docs = []
        for n, pages in enumerate(sizes):
            scan = make_scanned_pdf(pages=pages, seed=100 + n, dpi=dpi)
            path = folder / f"doc-{n}.pdf"
            path.write_bytes(scan.pdf)
            docs.append((path, scan))
        total_pages = sum(s.pages for _, s in docs)
        print(
            f"{len(docs)} documents, {total_pages} pages at {dpi} dpi; {default_jobs()} CPUs; "
            f"{rounds} round(s), variants alternating"
        )
        ocr_pdf(docs[0][0], folder / "warm.pdf")  # imports and plugin set-up, not measured
        results: dict[str, list[Run]] = {name: [] for name, _ in variants}
        for r in range(rounds):
            order = variants if r % 2 == 0 else list(reversed(variants))
            for name, fn in order:
                run = measure(fn, docs, folder)
                results[name].append(run)
                print(
                    f"  round {r + 1}: {name:34s} {run.seconds:7.1f} s  "
                    f"{run.pages_per_minute:6.1f} pages/min  CER {run.cer:.2%}",
                    flush=True,
                )

    def best(name: str) -> Run:
        return max(results[name], key=lambda run: run.pages_per_minute)

    print()
    print(f"| variant | pages/min (best of {rounds}) | median | CER |")
    print("|---|---:|---:|---:|")
    for name, _ in variants:
        runs = results[name]
        median = statistics.median(run.pages_per_minute for run in runs)
        top = best(name)
        print(f"| {name} | {top.pages_per_minute:.1f} | {median:.1f} | {top.cer:.2%} |")
    base, mine = best(variants[0][0]), best(variants[1][0])
    print()
    print(
        f"ratio ours ÷ peer: {mine.pages_per_minute / base.pages_per_minute:.2f}× the pages per "
        f"minute (target ≥ 2×); CER {mine.cer:.2%} vs {base.cer:.2%} (target: equal or lower)"
    )


if __name__ == "__main__":
    main()
