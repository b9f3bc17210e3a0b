"""Self-hosted Tutor lesson videos are copied from a local copy of wp-content/uploads into the lessons' private video
storage (once); YouTube / Vimeo lessons stay links."""

from pathlib import Path

import pytest

from sanggar.learning.models import Lesson
from sanggar.migration.models import LegacyMap
from sanggar.migration.services import migration_execute
from sanggar.migration.synthetic import VIDEO_FILES
from sanggar.migration.videos import uploads_file, video_reference

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _uploads(tmp_path: Path, contents: dict[str, bytes]) -> Path:
    root = tmp_path / "uploads"
    for relative, data in contents.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    root.mkdir(exist_ok=True)
    return root


def _stored(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def test_self_hosted_videos_are_copied_once_and_links_stay_links(sejoli_source, plans, admin_user, media, tmp_path):
    url, expected = sejoli_source
    # first run without the uploads folder: the lessons import as text, their videos listed as not copied yet
    report = migration_execute(source_url=url, actor=admin_user, expected=expected)
    waiting = report["tables"]["lesson_videos"]
    assert waiting["read"] > 0 and waiting["imported"] == 0
    assert list(waiting["skipped"]) == ["belum disalin: jalankan dengan --uploads-dir (salinan wp-content/uploads)"]
    assert not Lesson.objects.exclude(video_file="").exists()
    # the folder arrives with one real video and one file that is not a video: one copied, one refused
    root = _uploads(tmp_path, {VIDEO_FILES[0]: MP4, VIDEO_FILES[1]: b"<html>not a video</html>"})
    report = migration_execute(source_url=url, actor=admin_user, expected=expected, uploads_dir=str(root))
    videos = report["tables"]["lesson_videos"]
    copied = Lesson.objects.exclude(video_file="")
    assert videos["imported"] == copied.count() > 0
    assert any(reason.startswith("berkas video ditolak") for reason in videos["skipped"])
    lesson = copied.first()
    assert lesson.kind == "video" and lesson.video_type == "video/mp4" and lesson.video_size == len(MP4)
    assert lesson.video_file.name.startswith("private/courses/videos/")
    assert report["differences"] == []
    # the refused file is fixed: only those lessons are copied now; a further run copies nothing
    (root / VIDEO_FILES[1]).write_bytes(MP4)
    report = migration_execute(source_url=url, actor=admin_user, expected=expected, uploads_dir=str(root))
    assert report["tables"]["lesson_videos"]["skipped"] == {}
    total = Lesson.objects.exclude(video_file="").count()
    assert total == report["tables"]["lesson_videos"]["read"]
    assert report["tables"]["lesson_videos"]["imported"] == total - videos["imported"]
    files, maps = _stored(media), LegacyMap.objects.count()
    report = migration_execute(source_url=url, actor=admin_user, expected=expected, uploads_dir=str(root))
    assert report["tables"]["lesson_videos"]["imported"] == 0
    assert report["tables"]["lesson_videos"]["existing"] == total
    assert _stored(media) == files and LegacyMap.objects.count() == maps
    # YouTube and Vimeo lessons keep their links and get no file
    linked = Lesson.objects.exclude(video_url="")
    assert linked.exists() and not linked.exclude(video_file="").exists()
    assert {("youtube" in u or "vimeo" in u) for u in linked.values_list("video_url", flat=True)} == {True}


def test_a_dry_run_copies_no_file(sejoli_source, plans, admin_user, media, tmp_path):
    url, expected = sejoli_source
    root = _uploads(tmp_path, {VIDEO_FILES[0]: MP4, VIDEO_FILES[1]: MP4})
    report = migration_execute(source_url=url, actor=admin_user, expected=expected, uploads_dir=str(root), dry_run=True)
    assert report["tables"]["lesson_videos"]["imported"] > 0
    assert _stored(media) == []
    assert not Lesson.objects.exists()


def test_a_missing_uploads_folder_is_refused(sejoli_source, plans, admin_user, tmp_path):
    from sanggar.core.exceptions import ServiceError

    url, expected = sejoli_source
    with pytest.raises(ServiceError, match="Folder uploads tidak ditemukan"):
        migration_execute(source_url=url, actor=admin_user, uploads_dir=str(tmp_path / "tidak-ada"))


def test_video_reference_and_paths_that_leave_the_folder(tmp_path):
    assert video_reference({"source": "youtube", "source_youtube": "https://youtu.be/x"}) is None
    assert video_reference({"source": "html5", "source_video_id": "991"}) == ("attachment", "991")
    assert video_reference({"source": "html5", "source_video_id": "0"}) is None
    assert video_reference(
        {"source": "external_url", "source_external_url": "https://situs.id/wp-content/uploads/2021/06/a%20b.mp4"}
    ) == ("path", "2021/06/a b.mp4")
    assert video_reference("a:0:{}") is None
    root = _uploads(tmp_path, {"2021/05/a.mp4": MP4})
    (tmp_path / "secret.mp4").write_bytes(MP4)
    assert uploads_file(root, "2021/05/a.mp4") == (root / "2021/05/a.mp4").resolve()
    assert uploads_file(root, "/2021/05/a.mp4") == (root / "2021/05/a.mp4").resolve()
    for bad in ("../secret.mp4", "2021/../../secret.mp4", "2021/05/missing.mp4", "", "a\x00b", "2021"):
        assert uploads_file(root, bad) is None
    (root / "link.mp4").symlink_to(tmp_path / "secret.mp4")
    assert uploads_file(root, "link.mp4") is None
