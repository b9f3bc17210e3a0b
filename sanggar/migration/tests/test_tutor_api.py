"""The Tutor LMS REST API as a second source for lesson content, against a local HTTP server answering in Tutor's
shapes (envelope, meta as single-element arrays, attachments as URLs or objects, `not_found` with HTTP 200) and
failing for some topics (bad JSON, 401, a timeout): failures are listed per lesson, the import goes on, a later run
reads only what is missing, a further run reads nothing, a dry run writes nothing."""

import base64
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from sanggar.learning.models import Lesson
from sanggar.migration import tutor_api
from sanggar.migration.models import LegacyMap
from sanggar.migration.services import migration_execute
from sanggar.migration.source import Source, connect, source_parse
from sanggar.migration.tutor_api import api_base, lesson_parse

KEY, SECRET = "key_abc", "secret_def"
AUTH = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()


class FakeTutor:
    """Topic id → "ok" | "bad_json" | "unauthorized" | "slow" | "not_found"; the lessons of each topic."""

    def __init__(self, topics: dict[int, list[int]]):
        self.topics = topics
        self.modes = dict.fromkeys(topics, "ok")
        self.requests: list[int] = []

    def payload(self, topic: int) -> dict:
        data = []
        for lesson in self.topics[topic]:
            data.append({
                "ID": lesson, "post_title": f"Pelajaran {lesson}", "post_name": f"p-{lesson}",
                "post_content": f"<p>Isi API {lesson}</p><script>alert('api')</script><a href=\"javascript:x()\">j</a>",
                "course_id": 1, "thumbnail": False,
                "video": [{"source": "youtube", "source_youtube": f"https://www.youtube.com/watch?v=api{lesson}",
                           "runtime": {"hours": "0", "minutes": "12", "seconds": "0"}}],
                "attachments": [f"https://eksporyuk.example/wp-content/uploads/2021/05/modul-{lesson}.pdf",
                                {"title": "Daftar <b>buyer</b>", "url": "https://eksporyuk.example/f/buyer.xlsx"},
                                "javascript:alert(1)"],
            })  # fmt: skip
        return {"code": "success", "message": "Lesson retrieved successfully", "data": data}


def _handler(fake: FakeTutor):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            parsed = urlparse(self.path)
            if parsed.path != "/wp-json/tutor/v1/lessons":
                return self._send(404, b'{"code":"rest_no_route"}')
            topic = int(parse_qs(parsed.query).get("topic_id", ["0"])[0])
            fake.requests.append(topic)
            mode = fake.modes.get(topic, "not_found")
            if self.headers.get("Authorization") != AUTH or mode == "unauthorized":
                return self._send(401, b'{"code":"rest_forbidden","message":"Unauthorized"}')
            if mode == "slow":
                time.sleep(1.5)
            if mode == "bad_json":
                return self._send(200, b"<html>Fatal error</html>")
            if mode == "not_found":
                return self._send(200, b'{"code":"not_found","message":"Lesson not found","data":[]}')
            return self._send(200, json.dumps(fake.payload(topic)).encode())

    return Handler


@pytest.fixture
def tutor_topics(sejoli_source):
    url, _expected = sejoli_source
    src = Source(source_parse(url), "wp_")
    try:
        rows = src.rows("SELECT ID, post_parent FROM wp_posts WHERE post_type = 'lesson' ORDER BY ID")
    finally:
        src.close()
    topics: dict[int, list[int]] = {}
    for r in rows:
        topics.setdefault(int(r["post_parent"]), []).append(int(r["ID"]))
    return topics


@pytest.fixture
def fake_tutor(tutor_topics, monkeypatch):
    monkeypatch.setattr(tutor_api, "TIMEOUT_SECONDS", 0.5)
    fake = FakeTutor(tutor_topics)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


def _api(fake, **extra):
    return {"url": fake.url, "key": KEY, "secret": SECRET, **extra}


def test_lesson_content_from_the_api_with_failures_listed_per_lesson(sejoli_source, plans, admin_user, fake_tutor):
    url, expected = sejoli_source
    topics = sorted(fake_tutor.topics)
    assert len(topics) >= 4
    ok, bad_json, unauthorized, slow = topics[:4]
    # the database copy has every lesson's body and video: without "prefer" the API is not asked
    report = migration_execute(source_url=url, actor=admin_user, expected=expected, tutor_api=_api(fake_tutor))
    assert fake_tutor.requests == []
    assert report["tables"]["lesson_api"] == {"read": 0, "imported": 0, "existing": 0, "skipped": {}}
    before = {lesson.pk: lesson.content for lesson in Lesson.objects.all()}
    maps = LegacyMap.objects.count()
    # a dry run reads the API and writes nothing
    report = migration_execute(
        source_url=url, actor=admin_user, expected=expected, tutor_api=_api(fake_tutor, prefer=True), dry_run=True
    )
    assert report["tables"]["lesson_api"]["imported"] == sum(len(v) for v in fake_tutor.topics.values())
    assert {lesson.pk: lesson.content for lesson in Lesson.objects.all()} == before
    assert LegacyMap.objects.count() == maps
    # some topics fail: their lessons are listed one by one with the reason, the others are updated
    fake_tutor.modes.update({bad_json: "bad_json", unauthorized: "unauthorized", slow: "slow"})
    report = migration_execute(
        source_url=url, actor=admin_user, expected=expected, tutor_api=_api(fake_tutor, prefer=True)
    )
    api = report["tables"]["lesson_api"]
    assert api["imported"] == len(fake_tutor.topics[ok]) + sum(
        len(fake_tutor.topics[t]) for t in topics[4:]
    )  # fmt: skip
    reasons = {
        **{f"pelajaran {i}: API Tutor: jawaban bukan JSON": 1 for i in fake_tutor.topics[bad_json]},
        **{f"pelajaran {i}: API Tutor: ditolak (HTTP 401), periksa API key dan secret": 1
           for i in fake_tutor.topics[unauthorized]},
        **{f"pelajaran {i}: API Tutor: waktu habis": 1 for i in fake_tutor.topics[slow]},
    }  # fmt: skip
    assert api["skipped"] == reasons
    assert report["differences"] == []
    lesson_map = dict(LegacyMap.objects.filter(table="lessons").values_list("legacy_id", "target_id"))
    lesson = Lesson.objects.get(pk=lesson_map[str(fake_tutor.topics[ok][0])])
    legacy = fake_tutor.topics[ok][0]
    assert f"Isi API {legacy}" in lesson.content
    assert "<script" not in lesson.content and "javascript:" not in lesson.content  # sanitised like the DB path
    assert f"modul-{legacy}.pdf" in lesson.content and "Daftar &lt;b&gt;buyer&lt;/b&gt;" in lesson.content
    assert lesson.kind == "video" and f"api{legacy}" in lesson.video_url and lesson.duration_minutes == 12
    failed = Lesson.objects.get(pk=lesson_map[str(fake_tutor.topics[bad_json][0])])
    assert failed.content == before[failed.pk]
    # the API is fixed: a later run reads only the topics that failed; a further run reads nothing
    fake_tutor.modes = dict.fromkeys(fake_tutor.topics, "ok")
    fake_tutor.requests.clear()
    report = migration_execute(
        source_url=url, actor=admin_user, expected=expected, tutor_api=_api(fake_tutor, prefer=True)
    )
    assert sorted(fake_tutor.requests) == sorted([bad_json, unauthorized, slow])
    assert report["tables"]["lesson_api"]["imported"] == len(reasons)
    assert report["tables"]["lesson_api"]["skipped"] == {}
    fake_tutor.requests.clear()
    contents, maps = dict(Lesson.objects.values_list("pk", "content")), LegacyMap.objects.count()
    report = migration_execute(
        source_url=url, actor=admin_user, expected=expected, tutor_api=_api(fake_tutor, prefer=True)
    )
    assert fake_tutor.requests == []
    assert report["tables"]["lesson_api"]["imported"] == 0
    assert report["tables"]["lesson_api"]["existing"] == report["tables"]["lesson_api"]["read"] > 0
    assert dict(Lesson.objects.values_list("pk", "content")) == contents and LegacyMap.objects.count() == maps


def test_lessons_missing_from_the_database_copy_are_read_from_the_api(sejoli_source, plans, admin_user, fake_tutor):
    url, expected = sejoli_source
    topic = sorted(fake_tutor.topics)[0]
    emptied = fake_tutor.topics[topic][0]
    conn = connect(source_parse(url))  # the test changes the shared source for a moment (the import only reads)
    with conn.cursor() as cur:
        cur.execute("SELECT post_content FROM wp_posts WHERE ID = %s", [emptied])
        old = cur.fetchone()["post_content"]
        cur.execute("UPDATE wp_posts SET post_content = '' WHERE ID = %s", [emptied])
    try:
        report = migration_execute(source_url=url, actor=admin_user, expected=expected, tutor_api=_api(fake_tutor))
    finally:
        with conn.cursor() as cur:
            cur.execute("UPDATE wp_posts SET post_content = %s WHERE ID = %s", [old, emptied])
        conn.close()
    assert fake_tutor.requests == [topic]
    assert report["tables"]["lesson_api"]["read"] == report["tables"]["lesson_api"]["imported"] == 1
    target = LegacyMap.objects.get(table="lessons", legacy_id=str(emptied)).target_id
    assert f"Isi API {emptied}" in Lesson.objects.get(pk=target).content
    others = Lesson.objects.exclude(pk=target)
    assert others.exists() and not others.filter(content__contains="Isi API").exists()


def test_the_api_needs_credentials_and_a_web_address(sejoli_source, admin_user):
    from sanggar.core.exceptions import ServiceError

    url, _expected = sejoli_source
    with pytest.raises(ServiceError, match="API key dan secret"):
        migration_execute(source_url=url, actor=admin_user, tutor_api={"url": "https://situs.id", "key": KEY})
    with pytest.raises(ServiceError, match="http"):
        api_base("ftp://situs.id")
    assert api_base("https://situs.id/wp-json/tutor/v1/") == "https://situs.id/wp-json/tutor/v1/"
    assert api_base("https://situs.id/blog") == "https://situs.id/blog/wp-json/tutor/v1/"


def test_lesson_parse_accepts_both_shapes():
    old = lesson_parse({"ID": "7", "post_content": "<p>a</p>", "video": [{"source": "vimeo"}], "attachments": ["x"]})
    assert old.lesson_id == 7 and old.video == {"source": "vimeo"} and old.attachments == []
    new = lesson_parse({"id": 8, "content": {"rendered": "<p>b</p>"}, "video": {"source": "youtube"},
                        "attachments": [{"name": "a.pdf", "url": "https://s.id/a.pdf"}]})  # fmt: skip
    assert new.content == "<p>b</p>" and new.attachments == [("a.pdf", "https://s.id/a.pdf")]
    assert lesson_parse({"ID": "x"}) is None and lesson_parse("nope") is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"tutor_api": "https://situs.id", "tutor_api_key": KEY}, "API key dan secret"),
     ({"tutor_api": "file:///etc/passwd", "tutor_api_key": KEY, "tutor_api_secret": SECRET}, "http(s)")],
)  # fmt: skip
def test_the_page_refuses_an_incomplete_api(admin_client, fields, message):
    from sanggar.migration.models import MigrationRun

    response = admin_client.post(
        "/admin/migrasi", {"source": "mysql://root@127.0.0.1:3306/db", "prefix": "wp_", **fields}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not MigrationRun.objects.exists()


def test_the_page_reads_lessons_from_the_api_and_keeps_no_secret(sejoli_source, plans, admin_client, fake_tutor):
    from sanggar.migration.models import MigrationRun

    url, _expected = sejoli_source
    assert "API Tutor LMS" in admin_client.get("/admin/migrasi").content.decode()
    response = admin_client.post("/admin/migrasi", {
        "source": url, "prefix": "wp_", "tutor_api": fake_tutor.url, "tutor_api_key": KEY,
        "tutor_api_secret": SECRET, "tutor_api_prefer": "on",
    })  # fmt: skip
    run = MigrationRun.objects.get()
    assert response.status_code == 302 and run.status == "done", run.error
    assert run.report["tables"]["lesson_api"]["imported"] == sum(len(v) for v in fake_tutor.topics.values())
    assert SECRET not in json.dumps(list(MigrationRun.objects.values()), default=str)
    assert Lesson.objects.filter(content__contains="Isi API").count() == Lesson.objects.count()


def test_the_command_takes_the_api_options(sejoli_source, plans, admin_user, fake_tutor, tmp_path):
    from django.core.management import call_command

    url, _expected = sejoli_source
    fake_tutor.modes[sorted(fake_tutor.topics)[0]] = "unauthorized"
    out = tmp_path / "laporan.json"
    call_command(
        "migrate_sejoli", "--source", url, "--dry-run", "--report-json", str(out), "--tutor-api", fake_tutor.url,
        "--tutor-api-key", KEY, "--tutor-api-secret", SECRET, "--tutor-api-prefer", verbosity=0, stdout=io.StringIO(),
        stderr=io.StringIO(),
    )  # fmt: skip
    api = json.loads(out.read_text())["tables"]["lesson_api"]
    failed = fake_tutor.topics[sorted(fake_tutor.topics)[0]]
    assert api["imported"] == sum(len(v) for v in fake_tutor.topics.values()) - len(failed)
    assert len(api["skipped"]) == len(failed)
    assert not Lesson.objects.exists()
