from django.core.management.base import BaseCommand

from sanggar.community.media import move_photos_private
from sanggar.community.models import LinkPreview, Post


class Command(BaseCommand):
    help = (
        "Memindahkan foto postingan dan gambar pratinjau tautan yang masih tersimpan di nama publik lama "
        "(community/posts/…, community/previews/…) ke penyimpanan privat (private/community/…). Migrasi 0009 sudah "
        "menjalankannya; perintah ini untuk berkas yang tiba kemudian (misalnya dari cadangan). Aman diulang."
    )

    def handle(self, *args, **options):
        moved = move_photos_private(Post, LinkPreview, log=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS(f"{moved} berkas dipindahkan ke penyimpanan privat."))
