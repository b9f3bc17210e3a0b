"""Group challenges and quizzes in a real browser at 390 px: the group's "Tantangan" tab, a running challenge that
a member joins, and a quiz taken once (the explanations appear only after submitting); no page is wider than the
phone."""

import pytest
from django.core.management import call_command

from sanggar.community.models import Challenge, GroupQuiz, QuizAttempt

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def _login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "sanggar-demo")
    page.click("#auth-card button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


@pytest.mark.django_db(transaction=True)
def test_member_joins_a_challenge_and_takes_a_quiz_on_a_phone(browser, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    challenge = Challenge.objects.get(title="Tantangan 7 Hari Posting Produk Ekspor")
    quiz = GroupQuiz.objects.get(title="Kuis Dasar Dokumen Ekspor")
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    _login(page, live_server.url, "member@sanggar.test")
    base = live_server.url
    page.goto(f"{base}/komunitas/grup/{challenge.group.slug}?tab=tantangan")
    assert page.locator(f'[data-challenge="{challenge.pk}"]').is_visible()
    assert page.locator(f'[data-quiz="{quiz.pk}"]').is_visible()
    assert page.evaluate(WIDTH) <= PHONE["width"]
    page.click(f'[data-challenge="{challenge.pk}"]')
    assert page.locator("#challenge-ranking li").count() >= 3
    assert page.evaluate(WIDTH) <= PHONE["width"]
    if page.locator("#challenge-join").count():
        page.click("#challenge-join")
    assert page.locator("#my-progress").is_visible()

    page.goto(f"{base}/komunitas/kuis/{quiz.pk}")
    assert page.locator("[data-explanation]").count() == 0
    assert page.evaluate(WIDTH) <= PHONE["width"]
    for fieldset in page.locator("fieldset[data-question]").all():
        fieldset.locator("input[type=radio]").nth(1).check()
    page.click("#quiz-submit")
    page.wait_for_selector("#quiz-result")
    assert page.locator("[data-explanation]").count() == 4
    assert page.locator("#quiz-submit").count() == 0
    assert page.evaluate(WIDTH) <= PHONE["width"]
    assert QuizAttempt.objects.filter(quiz=quiz, user__email="member@sanggar.test").count() == 1
    context.close()
