"""How long a 24-megapixel photo takes to accept and to make its renditions,
and the memory it needs.

    .venv/bin/python bench/photo_renditions.py

Generates a 6000×4000 camera-like JPEG (with EXIF and a GPS position) in a
temporary folder, then, in a fresh process so nothing else counts towards its
memory, times the two steps a photo goes through: the upload checks and cleaning
(``validate_picture`` + ``clean_picture``) and the full rendition set
(``render`` with the targets ``make_renditions`` plans: every configured width
as WebP and JPEG, plus the 1200×630 social crop). Storage writes and database
rows are left out: they are a handful of small files and inserts.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (6000, 4000)


def make_picture(path):
    from PIL import ExifTags, Image

    width, height = SIZE
    gradient = Image.linear_gradient("L").resize(SIZE)
    noise = Image.effect_noise(SIZE, 48)
    texture = Image.radial_gradient("L").resize(SIZE)
    picture = Image.merge("RGB", (gradient, noise, texture))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Benchcam"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (11.0, 33.0, 25.0)
    picture.save(path, "JPEG", quality=92, exif=exif)


def _status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def reset_peak():
    """Start counting peak memory from now: Linux lets us reset the high-water
    mark; elsewhere the peak includes start-up."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return _status_mb("VmRSS")
    except OSError:
        return 0.0


def peak_rss_mb():
    try:
        return _status_mb("VmHWM")
    except (OSError, LookupError):
        # ru_maxrss is in kilobytes on Linux, bytes on macOS.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def upload_step(path, cleaned_path):
    """Check and clean the camera file; write what would be stored."""
    setup()
    from django.core.files import File

    from media.images import clean_picture
    from media.validation import validate_picture

    baseline = reset_peak()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        validate_picture(File(handle, name=path.name))
        cleaned = clean_picture(handle, path.name)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    cleaned_path.write_bytes(cleaned.read())
    print(
        f"upload checks + cleaning (EXIF/GPS stripped, re-encoded): {seconds:.2f} s, "
        f"peak memory +{peak - baseline:.0f} MB resident above the "
        f"{baseline:.0f} MB of the started process"
    )


def rendition_step(path):
    """Make the full rendition set from the stored file."""
    setup()
    from media.images import render
    from media.models import Photo
    from media.renditions import plan

    photo = Photo(image=path.name, width=SIZE[0], height=SIZE[1])
    targets = [planned.target for planned in plan(photo)]
    baseline = reset_peak()
    tracemalloc.start()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        images = render(handle, targets)
    seconds = time.perf_counter() - started
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"full rendition set ({len(images)} files, "
        f"{sum(map(len, images)) / 1e6:.1f} MB): {seconds:.2f} s, "
        f"peak memory +{peak_rss_mb() - baseline:.0f} MB resident above the "
        f"{baseline:.0f} MB of the started process "
        f"(tracemalloc: {python_peak / 1e6:.1f} MB of Python objects)"
    )
    print(
        f"(a full decode of the original alone would need "
        f"{SIZE[0] * SIZE[1] * 3 / 1e6:.0f} MB)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--step", choices=["upload", "renditions"], help=argparse.SUPPRESS
    )
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "upload":
        upload_step(args.file, args.file.with_suffix(".stored.jpg"))
        return
    if args.step == "renditions":
        rendition_step(args.file)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-24mp.jpg"
        make_picture(path)
        print(f"original: {SIZE[0]}×{SIZE[1]} JPEG, {path.stat().st_size / 1e6:.1f} MB")
        # Each step in a fresh process, so its peak memory is its own.
        for step, file in (
            ("upload", path),
            ("renditions", path.with_suffix(".stored.jpg")),
        ):
            subprocess.run(
                [sys.executable, __file__, "--step", step, "--file", str(file)],
                check=True,
                cwd=ROOT,
            )


if __name__ == "__main__":
    main()
