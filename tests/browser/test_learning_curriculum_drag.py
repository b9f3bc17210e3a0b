"""Materi Kelas: a mentor drags a lesson below another in the same module and drags a module above another; the
order is saved without a page reload (the reorder endpoint) and survives a reload; the keyboard buttons move a
lesson too."""

import pytest

from sanggar.core.roles import Role
from sanggar.learning.models import Lesson, Module
from sanggar.learning.tests.world import build_course


@pytest.mark.django_db(transaction=True)
def test_lessons_and_modules_reorder_by_drag_and_drop(page, live_server, make_user, login):
    mentor = make_user(Role.MENTOR, email="mentor-drag@uji.test", full_name="Mentor Drag")
    course = build_course(mentor, "Kursus Seret", modules=2, lessons=3, quiz=False)
    first_module = course.modules.order_by("position").first()
    lessons = list(first_module.lessons.values_list("pk", flat=True))
    login(page, mentor.email)
    page.goto(f"{live_server.url}/mentor/kursus/{course.slug}?tab=materi")
    page.locator(f"[data-lesson='{lessons[0]}']").drag_to(
        page.locator(f"[data-lesson='{lessons[2]}']"), target_position={"x": 10, "y": 30}
    )
    page.wait_for_function("document.getElementById('reorder-status').textContent.length > 0")
    assert "tersimpan" in page.text_content("#reorder-status")
    assert list(Lesson.objects.filter(module=first_module).values_list("pk", flat=True)) == [
        lessons[1],
        lessons[2],
        lessons[0],
    ]
    # keyboard fallback: move the (now) last lesson up
    page.evaluate("document.getElementById('reorder-status').textContent = ''")
    page.locator(f"[data-lesson='{lessons[0]}'] [data-move=up]").click()
    page.wait_for_function("document.getElementById('reorder-status').textContent.length > 0")
    assert list(Lesson.objects.filter(module=first_module).values_list("pk", flat=True)) == [
        lessons[1],
        lessons[0],
        lessons[2],
    ]
    modules = list(course.modules.values_list("pk", flat=True))
    page.evaluate("document.getElementById('reorder-status').textContent = ''")
    page.locator(f"[data-module='{modules[1]}'] p.cursor-move").drag_to(
        page.locator(f"[data-module='{modules[0]}']"), target_position={"x": 20, "y": 5}
    )
    page.wait_for_function("document.getElementById('reorder-status').textContent.length > 0")
    assert list(Module.objects.filter(course=course).values_list("pk", flat=True)) == [modules[1], modules[0]]
    page.reload()
    order = page.eval_on_selector_all("[data-module]", "els => els.map((e) => Number(e.dataset.module))")
    assert order == [modules[1], modules[0]]
