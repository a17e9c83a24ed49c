"""``make run``'s one command: the development server and the task worker."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_WAIT_SECONDS = 10


def _signal_group(process, signum):
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        return False
    return True


def _group_alive(process):
    process.poll()  # reap the leader, so a finished one is not counted
    return _signal_group(process, 0)


def supervise(commands, *, stop_wait=STOP_WAIT_SECONDS):
    """Start each command in a process group of its own and wait; when one
    ends, or this process is told to stop (Ctrl-C, SIGTERM), stop every group
    (SIGTERM, then SIGKILL after ``stop_wait`` seconds): the reloaders'
    children go with them, so nothing is left running. Returns the exit
    status of the command that ended first (None: told to stop)."""
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, stop) for signum in signals}
    processes = []
    first_status = None
    try:
        for command in commands:
            processes.append(subprocess.Popen(command, start_new_session=True))
        while not stopping:
            ended = [process for process in processes if process.poll() is not None]
            if ended:
                first_status = ended[0].returncode
                break
            time.sleep(0.2)
    finally:
        for process in processes:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + stop_wait
        while any(_group_alive(p) for p in processes) and time.monotonic() < deadline:
            time.sleep(0.1)
        for process in processes:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return first_status


class Command(BaseCommand):
    help = (
        "Serve the site (runserver) with the task worker (db_worker) beside it; "
        "Ctrl-C stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="Address and port to serve on (default: 127.0.0.1:8000).",
        )

    def handle(self, *, addrport, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = [[*manage, "runserver", addrport]]
        if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
            commands.append([*manage, "db_worker", "--queue-name", "*"])
        elif options["verbosity"]:
            self.stdout.write(
                "TASKS_BACKEND is not the database: start its own worker if it "
                "needs one."
            )
        status = supervise(commands)
        if status:
            raise CommandError(f"A process stopped with status {status}; stopped all.")
