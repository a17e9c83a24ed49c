"""``make run``'s ``serve``: the server and the worker start together and
stop together, leaving nothing running (reloaders' children included)."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A stand-in for runserver or db_worker under Django's reloader: a process
# that starts a child of its own, writes both ids down, and waits.
WITH_CHILD = textwrap.dedent(
    """
    import subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    with open(sys.argv[1], "a") as ids:
        ids.write(f"{child.pid}\\n")
    time.sleep(300)
    """
)

ENDS = textwrap.dedent(
    """
    import sys, time
    while len(open(sys.argv[1]).read().split()) < 2:
        time.sleep(0.05)
    sys.exit(3)
    """
)

SUPERVISOR = textwrap.dedent(
    """
    import sys
    from newsroom.management.commands.serve import supervise
    with_child, ids, ends, ENDS = sys.argv[1:]
    commands = [
        [sys.executable, "-c", with_child, ids],
        [sys.executable, "-c", with_child, ids],
    ]
    if ends == "yes":  # once the other two have started their children
        commands.append([sys.executable, "-c", ENDS, ids])
    print("status", supervise(commands, stop_wait=5), flush=True)
    """
)


def running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def start(tmp_path, ends):
    ids = tmp_path / "ids"
    ids.touch()
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, WITH_CHILD, str(ids), ends, ENDS],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    return supervisor, ids


def grandchildren(ids, count):
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = [int(line) for line in ids.read_text().split()]
        if len(pids) >= count:
            return pids
        time.sleep(0.05)
    pytest.fail("the commands did not start")


def test_ctrl_c_stops_both_commands_and_their_children(tmp_path):
    supervisor, ids = start(tmp_path, ends="no")
    pids = grandchildren(ids, 2)
    assert all(running(pid) for pid in pids)
    os.kill(supervisor.pid, signal.SIGINT)
    output, _ = supervisor.communicate(timeout=30)
    assert output.strip() == "status None"
    assert not any(running(pid) for pid in pids)


def test_when_one_command_ends_the_others_are_stopped(tmp_path):
    supervisor, ids = start(tmp_path, ends="yes")
    output, _ = supervisor.communicate(timeout=30)
    assert output.strip() == "status 3"
    pids = [int(line) for line in ids.read_text().split()]
    assert len(pids) == 2
    assert not any(running(pid) for pid in pids)
