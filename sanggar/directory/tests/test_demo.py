import pytest

from sanggar.core.roles import Role
from sanggar.directory import demo
from sanggar.directory.constants import KIND_FORWARDER
from sanggar.directory.models import Buyer, DirectoryRating, Forwarder

pytestmark = pytest.mark.django_db


def test_demo_directory_idempotent_with_a_rating(make_user):
    make_user(Role.ADMIN, email="admin@sanggar.test", full_name="Admin Demo")
    make_user(Role.MENTOR, email="mentor@sanggar.test", full_name="Mentor Demo")
    member = make_user(email="member@sanggar.test", full_name="Member Demo")
    lines = []
    demo.seed(log=lines.append)
    buyers = Buyer.objects.count()
    demo.seed(log=lines.append)
    assert buyers > 0 and Buyer.objects.count() == buyers and lines[-1] == "directory demo already there"
    rating = DirectoryRating.objects.get()
    assert rating.user == member and rating.kind == KIND_FORWARDER and rating.stars == 5
    assert Forwarder.objects.filter(pk=rating.object_id).exists()
