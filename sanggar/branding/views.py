"""The admin's branding settings page, in tabs; each tab saves its own section through
`services.branding_update`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import selectors, services
from .colors import contrast_ratio, normalize_hex
from .constants import (
    ALL_COLOR_FIELDS,
    COLOR_FIELDS_BY_SECTION,
    CONTRAST_PAIRS,
    NUMBER_RANGES,
    SECTION_COLORS,
    SECTION_COMPONENTS,
    SECTION_IDENTITY,
    SECTION_TYPOGRAPHY,
    WCAG_AA_MIN_RATIO,
)
from .forms import ColorsForm, ComponentsForm, IdentityForm, TypographyForm

TAB_REALTIME = "realtime"
TABS = (
    (SECTION_IDENTITY, gettext_lazy("Logo & Identitas"), "branding:admin_settings"),
    (SECTION_COLORS, gettext_lazy("Warna & Tema"), "branding:admin_settings_colors"),
    (SECTION_TYPOGRAPHY, gettext_lazy("Typography & Teks"), "branding:admin_settings_typography"),
    (SECTION_COMPONENTS, gettext_lazy("Komponen UI"), "branding:admin_settings_components"),
    (TAB_REALTIME, gettext_lazy("Notifikasi Realtime"), "branding:admin_settings_realtime"),
)
TAB_URLS = {key: url_name for key, _label, url_name in TABS}
FORMS = {
    SECTION_IDENTITY: IdentityForm,
    SECTION_COLORS: ColorsForm,
    SECTION_TYPOGRAPHY: TypographyForm,
    SECTION_COMPONENTS: ComponentsForm,
}


def _tabs():
    return [{"key": key, "label": str(label), "url": reverse(url_name)} for key, label, url_name in TABS]


def _initial(section: str, data: selectors.BrandingData) -> dict:
    if section == SECTION_IDENTITY:
        return {"platform_name": data.platform_name, "short_name": data.short_name, "tagline": data.tagline}
    if section == SECTION_TYPOGRAPHY:
        return {"heading_size": data.heading_size, "body_size": data.body_size}
    initial = {name: getattr(data, name) for name in COLOR_FIELDS_BY_SECTION[section]}
    if section == SECTION_COMPONENTS:
        initial["border_radius"] = data.border_radius
    return initial


def _format_ratio(ratio: float) -> str:
    return f"{ratio:.2f}".replace(".", ",") + ":1"


def _theme_context(section: str, form, data: selectors.BrandingData) -> dict:
    """What the live preview needs: every colour (the form's typed values for this tab, the saved ones for
    the rest), the radius, and the contrast pairs this tab controls with their measured ratios."""
    saved = {name: getattr(data, name) for name in ALL_COLOR_FIELDS}
    typed = {name: str(form[name].value() or "") for name in COLOR_FIELDS_BY_SECTION[section]}
    colors = {**saved, **typed}
    effective = {name: normalize_hex(colors[name]) or saved[name] for name in ALL_COLOR_FIELDS}
    radius = data.border_radius
    if section == SECTION_COMPONENTS:
        typed_radius = str(form["border_radius"].value() or "").strip()
        low, high = NUMBER_RANGES["border_radius"]
        if typed_radius.isdigit() and low <= int(typed_radius) <= high:
            radius = int(typed_radius)
    section_fields = set(COLOR_FIELDS_BY_SECTION[section])
    pairs = []
    for text, background, label in CONTRAST_PAIRS:
        if text not in section_fields and background not in section_fields:
            continue
        foreground = text if text.startswith("#") else effective[text]
        ratio = contrast_ratio(foreground, effective[background])
        pairs.append(
            {
                "text": text,
                "background": background,
                "label": str(label),
                "ratio_text": _format_ratio(ratio),
                "passes": ratio >= WCAG_AA_MIN_RATIO,
            }
        )
    preview_vars = selectors.css_vars_for(effective, radius, data.heading_size, data.body_size)
    style = ";".join(f"--{name}:{value}" for name, value in preview_vars.items())
    return {
        "color_inputs": [{"name": name, "field": form[name]} for name in COLOR_FIELDS_BY_SECTION[section]],
        "pairs": pairs,
        "preview_style": style,
        "theme_config": {
            "colors": colors,
            "saved": saved,
            "radius": radius,
            "pairs": [{"text": p["text"], "background": p["background"]} for p in pairs],
            "minRatio": WCAG_AA_MIN_RATIO,
        },
    }


@role_required(Role.ADMIN)
def admin_settings(request, section: str = SECTION_IDENTITY):
    row = selectors.branding_row_get()
    data = selectors.branding_data_from(row)
    form_class = FORMS[section]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.branding_update(actor=request.user, section=section, **form.service_values())
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Pengaturan branding disimpan dan langsung dipakai di semua halaman."))
                return redirect(TAB_URLS[section])
    else:
        form = form_class(initial=_initial(section, data))
    context = {"tabs": _tabs(), "tab": section, "form": form, "row": row, "saved": data}
    if section in (SECTION_COLORS, SECTION_COMPONENTS):
        context.update(_theme_context(section, form, data))
    return render(request, f"branding/admin_{section}.html", context)


@role_required(Role.ADMIN)
def admin_settings_realtime(request):
    return render(
        request,
        "branding/admin_realtime.html",
        {
            "tabs": _tabs(),
            "tab": TAB_REALTIME,
            "row": selectors.branding_row_get(),
            "integrations": selectors.integration_status_list(),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def admin_reset_colors(request):
    services.branding_reset_colors(actor=request.user)
    messages.success(request, _("Semua warna dikembalikan ke bawaan."))
    back = request.POST.get("tab")
    return redirect(TAB_URLS[back] if back in (SECTION_COLORS, SECTION_COMPONENTS) else TAB_URLS[SECTION_COLORS])
