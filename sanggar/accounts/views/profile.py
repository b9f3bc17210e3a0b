"""The signed-in user's own profile, in tabs: profile, notification preferences, security, affiliate."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.permissions import login_required
from sanggar.core.roles import Role
from sanggar.notifications.constants import Channel
from sanggar.notifications.registry import group_choices

from .. import selectors, services
from ..forms import BIO_MAX, AffiliateApplicationForm, ProfileForm


def _profile_field(key: str) -> str:
    """The service keys social links by network ("social_links.instagram"); the form has one field per network."""
    return "social_" + key.split(".", 1)[1] if key.startswith("social_links.") else key


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_update_profile(
                    user=user,
                    actor=user,
                    full_name=data["full_name"],
                    whatsapp=data["whatsapp"],
                    province=data["province"],
                    city=data["city"],
                    bio=data["bio"],
                    social_links=form.social_links(),
                    avatar=data["avatar"] or None,
                    remove_avatar=data["remove_avatar"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc, rename=_profile_field)
            else:
                messages.success(request, _("Profil berhasil disimpan."))
                return redirect("accounts:profile")
    else:
        initial = {f: getattr(user, f) for f in ("full_name", "whatsapp", "province", "city", "bio")}
        initial.update({f"social_{n}": url for n, url in (user.social_links or {}).items()})
        form = ProfileForm(initial=initial)
    return render(request, "accounts/profile.html", {"form": form, "tab": "profile", "bio_max": BIO_MAX})


@login_required
def profile_notifications(request):
    user = request.user
    kinds = group_choices()
    channels = Channel.choices
    if request.method == "POST":
        prefs = {
            kind: {channel: f"{kind}:{channel}" in request.POST for channel, _label in channels}
            for kind, _label in kinds
        }
        services.user_set_notification_prefs(user=user, prefs=prefs)
        messages.success(request, _("Preferensi notifikasi disimpan."))
        return redirect("accounts:profile_notifications")
    rows = [
        {
            "kind": kind,
            "label": label,
            "channels": [
                {"channel": channel, "label": c_label, "checked": user.channel_enabled(kind, channel)}
                for channel, c_label in channels
            ],
        }
        for kind, label in kinds
    ]
    return render(
        request, "accounts/profile_notifications.html", {"rows": rows, "channels": channels, "tab": "notifications"}
    )


@login_required
def profile_security(request):
    return render(request, "accounts/profile_security.html", {"tab": "security"})


@login_required
def profile_affiliate(request):
    user = request.user
    applications = selectors.affiliate_applications_for_user(user=user)
    pending = next((a for a in applications if a.status == "pending"), None)
    is_affiliate = user.has_role(Role.AFFILIATE)
    form = AffiliateApplicationForm(request.POST or None)
    if request.method == "POST" and not is_affiliate and not pending and form.is_valid():
        try:
            services.affiliate_apply(
                user=user, motivation=form.cleaned_data["motivation"], channels=form.cleaned_data["channels"]
            )
        except ServiceError as exc:
            add_service_errors(form, exc, rename=_profile_field)
        else:
            messages.success(request, _("Pengajuan terkirim. Admin akan meninjau dan Anda akan diberi tahu."))
            return redirect("accounts:profile_affiliate")
    return render(
        request,
        "accounts/profile_affiliate.html",
        {
            "form": form,
            "tab": "affiliate",
            "applications": applications,
            "pending": pending,
            "is_affiliate": is_affiliate,
        },
    )
