"""bench/import_accuracy.py: it scores what the importer stored against a key."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import shared_file

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "import_accuracy.py"

STORY = """\
Ferry timetable changes after harbour survey

Two evening crossings are cut while the pier is repaired.

Lena Ortiz

The Riverton Courier

March 25, 2024

KESTREL BAY – The harbour board cut two evening ferry crossings on Monday.

Mara Ellis, a hydrologist at Tamsin University, said the pier had settled.

“The piles have moved more than we expected this winter,” Ellis said.

Repairs are due to finish before the summer timetable starts.
"""

KEY = {
    "headline": "Ferry timetable changes after harbour survey",
    "standfirst": "Two evening crossings are cut while the pier is repaired.",
    "bylines": ["Lena Ortiz"],
    "publication": "The Riverton Courier",
    "dateline": "KESTREL BAY",
    "date": "2024-03-25",
    "lead_caption": None,
    "lead_credit": None,
    "body_paragraphs": 4,
    "quotes": [{"starts": "The piles have moved", "speaker": "Dr. Mara Ellis"}],
}


def run_bench(*args):
    done = subprocess.run(
        [sys.executable, str(BENCH), *map(str, args), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def write_corpus(folder, answers, files):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "ANSWERS.json").write_text(json.dumps(answers), encoding="utf-8")


def test_bench_counts_right_and_wrong_fields_and_speakers(tmp_path):
    wrong_key = {
        **KEY,
        "headline": "Another headline",
        "bylines": ["Jonah Pike"],
        "date": "2023-01-02",
        "quotes": [
            {"starts": "The piles have moved", "speaker": "Owen Hart"},
            {"starts": "A quote the story never had", "speaker": None},
        ],
    }
    write_corpus(
        tmp_path,
        {"_about": {}, "text/right.txt": KEY, "text/wrong.txt": wrong_key},
        {"text/right.txt": STORY, "text/wrong.txt": STORY.replace("Ferry", "Boat")},
    )
    report = run_bench(tmp_path)
    right, wrong = report["files"]
    assert (right["fields_right"], right["fields_checked"]) == (9, 9)
    assert right["quotes"] == {
        "right": 1, "wrong": 0, "unattributed": 0, "missed": 0, "extra": 0
    }  # fmt: skip
    assert set(wrong["wrong_fields"]) == {"headline", "bylines", "date"}
    assert wrong["quotes"]["wrong"] == 1 and wrong["quotes"]["missed"] == 1
    assert report["total"]["fields_right"] == 15
    assert report["total"]["fields_checked"] == 18


def test_a_refused_file_counts_every_field_wrong_and_still_prints(tmp_path):
    key = {"text/refused.txt": KEY, "text/absent.txt": KEY}
    write_corpus(tmp_path, key, {"text/refused.txt": "\n\n"})
    done = subprocess.run(
        [sys.executable, str(BENCH), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if "refused.txt" in x)
    assert " 0/9 " in line and "REFUSED" in line
    assert "(not found)" in done.stdout
    assert "TOTAL 1 files (1 refused): fields 0/9 right" in done.stdout
    assert "1 missed" in done.stdout


def test_bench_runs_on_the_shared_corpus_and_every_structured_file_imports():
    corpus = shared_file("samples/copy")
    answers = json.loads((corpus / "ANSWERS.json").read_text(encoding="utf-8"))
    report = run_bench(corpus)
    named = [name for name in answers if not name.startswith("_")]
    assert [r["file"] for r in report["files"]] == named
    assert report["total"]["fields_checked"] >= 8 * len(named)
    ours = [
        r for r in report["files"] if r["file"].startswith(("structured/", "html/"))
    ]
    assert ours
    assert [r["file"] for r in ours if r["error"]] == []


def test_the_shared_corpus_meets_the_issues_floor():
    """Issue 11's goal on the development corpus: at least 95 % of fields right
    and no quote credited to the wrong person."""
    report = run_bench(shared_file("samples/copy"))
    total = report["total"]
    assert total["fields_right"] >= 0.95 * total["fields_checked"], total
    assert total["quotes"]["wrong"] == 0, [
        (r["file"], r["quotes"]) for r in report["files"] if r["quotes"]["wrong"]
    ]


def test_speaker_names_match_without_titles_ranks_or_given_names():
    sys.path.insert(0, str(BENCH.parent))
    try:
        import import_accuracy as bench
    finally:
        sys.path.remove(str(BENCH.parent))
    assert bench.same_speaker("Hun Sen", "Prime Minister Hun Sen")
    assert bench.same_speaker("Asbjørn Dyrendal", "Professor Asbjørn Dyrendal")
    assert bench.same_speaker("Walid Abu Hatab", "Dr. Abu Hatab")
    assert bench.same_speaker("Anna Kubišta", "anna kubista")
    assert not bench.same_speaker("Walid Abu Hatab", "Hatab")
    assert not bench.same_speaker("Atef Al-Kahlout", "Atef Al-Kahlot")
    assert not bench.same_speaker("Tim Lee", "Lee Jae-myung")
