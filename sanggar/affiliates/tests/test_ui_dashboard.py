"""Dashboard cards of the affiliate programme."""

import pytest
from django.urls import reverse

from sanggar.affiliates.dashboard import TemplateCard
from sanggar.core.roles import Role

from .ui_world import ui_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _cards(response):
    return {card.title: card for card in response.context["cards"]}


def test_affiliate_dashboard_cards(client, ui_world, django_assert_max_num_queries):
    ui_world.click(ip="10.0.0.1")
    ui_world.click(ip="10.0.0.2")
    ui_world.sale(buyer=ui_world.buyer("Sinta Dewi"))
    client.force_login(ui_world.user)
    session = client.session
    session["active_role"] = Role.AFFILIATE
    session.save()
    response = client.get(reverse("dashboard:home"))
    assert response.context["role"] == Role.AFFILIATE
    cards = _cards(response)
    performance = {s.label: s.value for s in cards["Performa Affiliate"].stats}
    assert performance == {"Klik": "2 (2 unik)", "Konversi": "1", "Tingkat konversi": "50,0%"}
    assert {s.label: s.value for s in cards["Komisi"].stats} == {
        "Tertahan": "Rp 300.000",
        "Tersedia": "Rp 0",
        "Sudah ditarik": "Rp 0",
    }
    chart = cards["Klik & Komisi 30 Hari"]
    assert isinstance(chart, TemplateCard)
    assert chart.template == "affiliates/dashboard_card_chart.html"
    assert chart.context["chart"]["commission"][-1] == 300_000
    assert [s.label.split(" · ")[1] for s in cards["Penjualan Terbaru"].stats] == ["Si*** D***"]  # after the date
    assert cards["Penarikan"].hint == "Belum ada penarikan."
    with django_assert_max_num_queries(30):
        client.get(reverse("dashboard:home"))


def test_member_sees_no_affiliate_cards_and_admin_sees_the_programme(client, ui_world):
    ui_world.sale()
    client.force_login(ui_world.buyer())
    titles = set(_cards(client.get(reverse("dashboard:home"))))
    assert not titles & {"Performa Affiliate", "Komisi", "Penjualan Terbaru"}
    client.force_login(ui_world.admin)
    card = _cards(client.get(reverse("dashboard:home")))["Program affiliate"]
    assert {s.label: s.value for s in card.stats} == {"Affiliate aktif": "1", "Penjualan affiliate bulan ini": "1"}


def test_chart_card_template_renders_the_chart():
    from django.template.loader import render_to_string

    chart = {"labels": ["20/11"], "clicks": [3], "conversions": [1], "commission": [250_000]}
    card = TemplateCard(title="Grafik", template="affiliates/dashboard_card_chart.html", context={"chart": chart})
    html = render_to_string(card.template, {"card": card})
    assert 'id="affiliate-dashboard-chart-canvas"' in html
    assert '{"labels": ["20/11"], "clicks": [3], "conversions": [1], "commission": [250000]}' in html
    assert "/static/build/vendor/chart.umd.min.js" in html
