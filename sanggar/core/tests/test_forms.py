"""add_service_errors: a service's refusal lands on the page's form, never lost."""

from django import forms

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors


class _Form(forms.Form):
    name = forms.CharField(required=False)
    social_instagram = forms.CharField(required=False)
    ends_on = forms.DateField(required=False)


def _bound():
    form = _Form(data={})
    assert form.is_valid()
    return form


def test_field_errors_go_beside_their_fields():
    form = _bound()
    add_service_errors(form, ServiceError("Gagal.", errors={"name": ["Nama sudah dipakai."]}))
    assert form.errors["name"] == ["Nama sudah dipakai."]
    assert form.non_field_errors() == []


def test_unknown_keys_go_on_top_and_a_bare_message_too():
    form = _bound()
    add_service_errors(form, ServiceError("Gagal.", errors={"price": ["Harga tidak valid."]}))
    assert form.non_field_errors() == ["Harga tidak valid."]
    form = _bound()
    add_service_errors(form, ServiceError("Stok habis."))
    assert form.non_field_errors() == ["Stok habis."]


def test_rename_by_mapping_or_function():
    form = _bound()
    add_service_errors(form, ServiceError("x", errors={"ends_at": ["Tanggal salah."]}), rename={"ends_at": "ends_on"})
    assert form.errors["ends_on"] == ["Tanggal salah."]
    form = _bound()
    add_service_errors(
        form,
        ServiceError("x", errors={"social_links.instagram": ["Tautan salah."]}),
        rename=lambda key: key.replace("social_links.", "social_"),
    )
    assert form.errors["social_instagram"] == ["Tautan salah."]
