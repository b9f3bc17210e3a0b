"""Materi Kelas: a mentor drags a lesson below another in the same module and drags a module above another; the
order is saved without a page reload (the reorder endpoint) and survives a reload; the keyboard buttons move a
lesson too. A lesson dragged onto a lesson of another module moves into that module (the move endpoint), and one
dropped on a module goes last in it; both survive a reload."""

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


@pytest.mark.django_db(transaction=True)
def test_a_lesson_drags_into_another_module(page, live_server, make_user, login):
    mentor = make_user(Role.MENTOR, email="mentor-pindah@uji.test", full_name="Mentor Pindah")
    course = build_course(mentor, "Kursus Pindah", modules=2, lessons=2, quiz=False)
    first, second = course.modules.order_by("position")
    a1, a2 = first.lessons.order_by("position").values_list("pk", flat=True)
    b1, b2 = second.lessons.order_by("position").values_list("pk", flat=True)
    login(page, mentor.email)
    page.goto(f"{live_server.url}/mentor/kursus/{course.slug}?tab=materi")
    # onto the upper half of the second module's first lesson: it goes before it
    page.locator(f"[data-lesson='{a1}']").drag_to(
        page.locator(f"[data-lesson='{b1}']"), target_position={"x": 10, "y": 3}
    )
    page.wait_for_function("document.getElementById('reorder-status').textContent.length > 0")
    assert "dipindahkan" in page.text_content("#reorder-status")
    assert page.locator(f"[data-module='{second.pk}'] [data-lesson='{a1}']").count() == 1
    assert list(Lesson.objects.filter(module=second).values_list("pk", flat=True)) == [a1, b1, b2]
    assert list(Lesson.objects.filter(module=first).values_list("pk", flat=True)) == [a2]
    # onto the first module's card (below its title): last in that module
    page.evaluate("document.getElementById('reorder-status').textContent = ''")
    page.locator(f"[data-lesson='{b2}']").drag_to(
        page.locator(f"[data-module='{first.pk}'] form").first, target_position={"x": 5, "y": 5}
    )
    page.wait_for_function("document.getElementById('reorder-status').textContent.length > 0")
    assert list(Lesson.objects.filter(module=first).values_list("pk", flat=True)) == [a2, b2]
    page.reload()
    in_first = page.eval_on_selector_all(
        f"[data-module='{first.pk}'] [data-lesson]", "els => els.map((e) => Number(e.dataset.lesson))"
    )
    in_second = page.eval_on_selector_all(
        f"[data-module='{second.pk}'] [data-lesson]", "els => els.map((e) => Number(e.dataset.lesson))"
    )
    assert in_first == [a2, b2] and in_second == [a1, b1]
