"""For the tests of what happens at go-live: a local HTTP receiver, and the
task worker run in this process."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock
from urllib.parse import parse_qs

from django.db import transaction
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from articles.events import emit


class Received:
    def __init__(self, path, headers, body):
        self.path = path
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def form(self):
        return parse_qs(self.body.decode())


class Receiver:
    """An HTTP server on 127.0.0.1 (a free port) that records each POST and
    answers with the next of ``answers`` (then 200)."""

    def __init__(self):
        self.received = []
        self.answers = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                receiver.received.append(Received(self.path, dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                reply = b"thanks" if status < 300 else b"Something broke here"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Tasks:
    """Events sent and due tasks run as in production: each event is sent
    when its change commits (captured here, in the test's transaction), and
    ``run()`` is the database worker (``manage.py db_worker --batch``) until
    no task is due at the (test's) current time."""

    def __init__(self, capture):
        self.capture = capture

    def emit(self, kind, article, **details):
        with self.capture(execute=True), transaction.atomic():
            emit(kind, article, **details)

    def run(self):
        for _ in range(50):
            if not DBTaskResult.objects.ready().exists():
                break
            # The worker closes connections it thinks stale between tasks; here
            # the connection holds the test's transaction, so it stays open.
            with (
                self.capture(execute=True),
                mock.patch.object(db_worker, "close_old_connections", lambda: None),
            ):
                Worker(
                    queue_names=["*"],
                    interval=0,
                    batch=True,
                    backend_name="default",
                    startup_delay=False,
                    max_tasks=None,
                    worker_id="test-worker",
                    excluded_queue_names=[],
                ).run()
        failed = DBTaskResult.objects.failed()
        assert not failed.exists(), [
            (result.task_path, result.traceback) for result in failed
        ]

    def waiting(self):
        """Tasks enqueued for a later time."""
        return DBTaskResult.objects.filter(status="READY").exclude(
            pk__in=DBTaskResult.objects.ready().values("pk")
        )
