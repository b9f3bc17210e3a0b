import json

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from sanggar.core.storage import is_remote, public_read_policy


class Command(BaseCommand):
    help = "Cetak (atau pasang dengan --apply) kebijakan bucket S3: hanya media publik yang boleh dibaca siapa saja."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="pasang kebijakan ini di bucket S3_BUCKET")

    def handle(self, *args, **options):
        if not settings.S3_BUCKET:
            raise CommandError("S3_BUCKET belum diisi: berkas disimpan di disk lokal.")
        storage = storages["default"]
        if not is_remote(storage):
            raise CommandError("Penyimpanan bawaan bukan S3.")
        policy = public_read_policy(settings.S3_BUCKET, storage.location)
        if options["apply"]:
            storage.connection.meta.client.put_bucket_policy(Bucket=settings.S3_BUCKET, Policy=json.dumps(policy))
            self.stdout.write(f"Kebijakan baca publik dipasang di bucket {settings.S3_BUCKET}.")
        else:
            self.stdout.write(json.dumps(policy, indent=2))
