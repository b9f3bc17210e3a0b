"""The default sequence of the trigger `supplier_unread_chat` (checklist §4.3, Starsender "Reminder chat"): a
Premium supplier is reminded on WhatsApp and in the app of a member's inquiry it has not read for 4 hours (the step's
delay), once a local day for up to 7 more days while unread (`days`), never at night (quiet hours 21:00-08:00), and
not once it read or replied (stop `replied`). Transactional, switched on. `forwards` is idempotent (per `origin`)."""

import datetime

from django.db import migrations, models

ORIGIN = "supplier_chat:unread"
TITLE = "Ada chat calon pembeli yang belum dibalas"
BODY = (
    "Halo {name}, ada calon pembeli yang menanyakan produk {company} dan chatnya belum dibalas. Balas sekarang "
    "sebelum mereka beralih ke supplier lain: {chat_link}"
)


def forwards(apps, schema_editor):
    Sequence = apps.get_model("reminders", "ReminderSequence")
    Step = apps.get_model("reminders", "ReminderStep")
    if Sequence.objects.filter(origin=ORIGIN).exists():
        return
    seq = Sequence.objects.create(
        name="Chat calon pembeli belum dibalas", trigger="supplier_unread_chat", days=7, stop_on="replied",
        kind="transactional", is_active=True, target_type="supplier", target_id=None, origin=ORIGIN,
        quiet_start=datetime.time(21, 0), quiet_end=datetime.time(8, 0),
    )  # fmt: skip
    Step.objects.create(
        sequence=seq, delay_hours=4, delay_amount=4, delay_unit="hours", sort_order=0,
        channels=["whatsapp", "in_app"], subject=TITLE, body=BODY,
        content={"in_app": {"title": TITLE, "body": BODY}, "whatsapp": {"text": BODY}},
    )  # fmt: skip


class Migration(migrations.Migration):

    dependencies = [
        ('reminders', '0016_merge_realms_follow_ups'),
    ]

    operations = [
        migrations.AlterField(
            model_name='remindersequence',
            name='stop_on',
            field=models.CharField(choices=[('none', 'Tidak ada (kirim semua langkah)'), ('renewed', 'Berhenti bila keanggotaan diperpanjang / aktif lagi'), ('paid', 'Berhenti bila pesanan sudah dibayar / tidak menunggu lagi'), ('completed', 'Berhenti bila kelas sudah diselesaikan'), ('upgraded', 'Berhenti bila supplier sudah Premium'), ('replied', 'Berhenti bila supplier sudah membaca / membalas chat')], default='none', max_length=10),
        ),
        migrations.AlterField(
            model_name='remindersequence',
            name='trigger',
            field=models.CharField(choices=[('membership_started', 'Keanggotaan dimulai'), ('membership_expiring', 'Keanggotaan berakhir dalam N hari'), ('membership_expired', 'Keanggotaan sudah berakhir'), ('order_pending', 'Pesanan menunggu pembayaran'), ('order_paid', 'Pesanan lunas'), ('after_purchase', 'Setelah pembelian (pesanan lunas)'), ('before_expiry', 'Sebelum masa aktif berakhir'), ('after_expiry', 'Setelah masa aktif berakhir'), ('inactivity', 'Tidak aktif selama N hari'), ('on_date', 'Pada tanggal tertentu'), ('before_event', 'Sebelum event dimulai'), ('after_event', 'Setelah event selesai (mis. kirim tautan rekaman)'), ('weekly_digest', 'Ringkasan mingguan (periode mulai Senin 00:00 WIB)'), ('monthly_digest', 'Laporan bulanan (periode mulai tanggal 1, 00:00 WIB)'), ('supplier_approved', 'Supplier Free disetujui admin (langkah 1/7/14/30 hari)'), ('supplier_first_product', 'Supplier Free mengunggah produk pertama'), ('supplier_refused_chat', 'Member mencoba menghubungi supplier Free (dilihat tanpa bisa membalas; jeda N hari, 0 = sekali)'), ('supplier_premium_ending', 'Sebelum Supplier Premium berakhir'), ('supplier_premium_ended', 'Setelah Supplier Premium berakhir'), ('supplier_unread_chat', 'Chat calon pembeli belum dibalas')], max_length=30),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
