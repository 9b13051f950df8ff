"""Copy a selection of the end-to-end test's screenshots into docs/screenshots/, smaller.

Run the browser test first (it writes test-artifacts/screenshots/), then this script:
``PYTHONPATH=src .venv/bin/python -m pytest tests/integration/web/test_end_to_end.py`` and
``.venv/bin/python scripts/docs-screenshots.py``. Images are reduced to 64 colours when Pillow
is installed (it is not a dependency of mandate), else copied as they are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "test-artifacts" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"
CHOSEN = {
    "02-official-dashboard.png": "official-dashboard.png",
    "03-official-nominations.png": "official-nominations.png",
    "04-official-roll-report.png": "official-roll-report.png",
    "12-official-turnout.png": "official-turnout.png",
    "05-voter-start.png": "voter-start.png",
    "07-voter-ballot-dragged.png": "voter-ballot.png",
    "10-voter-review-warning.png": "voter-review-warning.png",
    "08-voter-review.png": "voter-review.png",
    "09-voter-receipt.png": "voter-receipt.png",
    "11-voter-already-voted.png": "voter-already-voted.png",
    "13-public-result.png": "public-result.png",
}


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:
        Image = None  # noqa: N806
    for source, target in CHOSEN.items():
        if Image is None:
            shutil.copyfile(SOURCE / source, TARGET / target)
        else:
            image = Image.open(SOURCE / source).convert("RGB")
            image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
                TARGET / target, optimize=True
            )
        print(f"{target}: {(TARGET / target).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
