"""Fixtures of the documents tests: Silver (rank 1) < Gold (2) < Platinum (3), a category, members of each plan."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from sanggar.access.tests.factories import make_plan
from sanggar.documents.models import DocumentCategory
from sanggar.documents.services import document_create
from sanggar.memberships.models import UserMembership


def pdf_bytes(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name="panduan.pdf", pages=2):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def join(user, plan, *, ends_in_days=30, status="active"):
    now = timezone.now()
    return UserMembership.objects.create(
        user=user, plan=plan, duration="1m", status=status, starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=ends_in_days),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plans(db):
    return {
        "silver": make_plan("silver", rank=1, title="Silver"),
        "gold": make_plan("gold", rank=2, title="Gold"),
        "platinum": make_plan("platinum", rank=3, title="Platinum"),
    }


@pytest.fixture
def category(db):
    return DocumentCategory.objects.create(name="Panduan")


@pytest.fixture
def make_document(admin_user, category, plans):
    def make(title="Panduan Ekspor ke Timur Tengah", *, min_rank=2, file=None, is_active=True):
        return document_create(
            actor=admin_user, title=title, description="Langkah demi langkah.", category=category,
            min_rank=min_rank, file=file or pdf_upload(), is_active=is_active,
        )  # fmt: skip

    return make


@pytest.fixture
def gold_member(make_user, plans):
    user = make_user(full_name="Budi Santoso", email="budi@example.com")
    join(user, plans["gold"])
    return user


@pytest.fixture
def silver_member(make_user, plans):
    user = make_user(full_name="Sari Dewi", email="sari@example.com")
    join(user, plans["silver"])
    return user
