"""Export documents start from an approved supplier's company profile (directory's exporter-profile registry)."""

import pytest

from sanggar.api.testing import call
from sanggar.directory.document_services import document_defaults
from sanggar.directory.models import ExportDocument

pytestmark = pytest.mark.django_db


def test_export_document_is_filled_from_the_approved_supplier_profile(make_supplier, make_user, client):
    waiting_user, _waiting = make_supplier("waiting_review", name="CV Belum Disetujui")
    assert "Jl. Perintis" not in document_defaults(user=waiting_user)["exporter_address"]  # not approved: the account
    user, supplier = make_supplier("verified", name="CV Rempah Uji")
    defaults = document_defaults(user=user)
    assert defaults["exporter_name"] == "CV Rempah Uji"
    assert defaults["exporter_address"] == "Jl. Perintis No. 1, Makassar, Sulawesi Selatan, Indonesia"
    assert defaults["exporter_contact"] == "Andi · andi@rempah.co.id · 081234567890"
    created = call(client, "post", "/export-documents", {"kind": "packing_list", "consignee_name": "Tokyo Spice Co.",
                                                          "items": [
        {"description": "Cengkeh kering", "hs_code": "090710", "quantity": "100", "unit": "bag",
         "net_weight": "5000", "gross_weight": "5100"}]}, user=user)  # fmt: skip
    assert created.status_code == 201, created.content
    document = ExportDocument.objects.get(pk=created.json()["id"])
    assert document.exporter_name == "CV Rempah Uji" and "Makassar" in document.exporter_address
    assert "Jl. Perintis" not in document_defaults(user=make_user())["exporter_address"]
