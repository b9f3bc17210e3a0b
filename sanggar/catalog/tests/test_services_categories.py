import pytest

from sanggar.access.models import Resource
from sanggar.audit.models import ActivityLog
from sanggar.catalog import services
from sanggar.catalog.models import ProductCategory
from sanggar.core.exceptions import NotAllowed, ServiceError

pytestmark = pytest.mark.django_db


def test_categories_create_rename_delete(admin_user, make_product):
    webinar = services.category_create(actor=admin_user, name="Webinar Ekspor")
    assert webinar.slug == "webinar-ekspor"
    with pytest.raises(ServiceError) as exc:
        services.category_create(actor=admin_user, name="webinar ekspor")
    assert exc.value.errors == {"name": ["Kategori “webinar ekspor” sudah ada."]}
    services.category_update(category=webinar, actor=admin_user, name="Webinar")
    webinar.refresh_from_db()
    assert (webinar.name, webinar.slug) == ("Webinar", "webinar-ekspor")
    product = make_product("Webinar VIP", category_ids=[webinar.pk])
    services.category_delete(category=webinar, actor=admin_user)
    assert not ProductCategory.objects.exists()
    assert list(product.categories.all()) == []
    assert ActivityLog.objects.filter(data__what="category.deleted").get().data == {
        "what": "category.deleted",
        "products": 1,
    }


def test_members_cannot_touch_categories(make_user):
    with pytest.raises(NotAllowed):
        services.category_create(actor=make_user(), name="Ebook")
    assert not ProductCategory.objects.exists()


def test_placeholder_resources(admin_user):
    group = services.resource_placeholder_create(actor=admin_user, kind="group", title="Komunitas Pemula")
    again = services.resource_placeholder_create(actor=admin_user, kind="group", title="Komunitas Pemula")
    assert group.pk == again.pk
    assert (group.kind, group.key, group.title) == ("group", "komunitas-pemula", "Komunitas Pemula")
    with pytest.raises(ServiceError) as exc:
        services.resource_placeholder_create(actor=admin_user, kind="product", title="!!!")
    assert exc.value.errors == {
        "kind": ["Pilihan jenis tidak valid."],
        "title": ["Nama harus mengandung huruf atau angka."],
    }
    assert Resource.objects.exclude(kind="feature").count() == 1  # the directories' features come by migration
