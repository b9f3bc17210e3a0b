"""One member directory: members who opted in to the community's directory (Profile.show_in_directory) get a listed
card in the directory app's member directory (MemberProfile), unless they already have a card there (their choice
there stands). Nothing is deleted."""

from django.db import migrations


def forwards(apps, schema_editor):
    Profile = apps.get_model("community", "Profile")
    MemberProfile = apps.get_model("directory", "MemberProfile")
    have = set(MemberProfile.objects.values_list("user_id", flat=True))
    rows = [
        MemberProfile(user_id=p.user_id, is_listed=True, headline=(p.headline or p.user.full_name)[:200])
        for p in Profile.objects.filter(show_in_directory=True).select_related("user").iterator()
        if p.user_id not in have
    ]
    MemberProfile.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0011_profile_cover_revisions_point_rules"),
        ("directory", "0004_directory_rating"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
