"""Public pages: the bio page, its button redirect, the opt-in form (embeddable in an iframe: this route only),
the open pixel, the signed click redirect, unsubscribe, and the credit package checkout."""

import base64

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from sanggar.core.exceptions import RateLimited, ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.middleware import content_security_policy
from sanggar.core.permissions import role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.orders.views.checkout import checkout_page, request_buyer, summary_data

from . import selectors
from .constants import THEME_CLASSES
from .forms import OptinSubmitForm
from .models import BioButton, BroadcastRecipient, CreditPackage, Lead
from .services import broadcasts, pages
from .services.mail import token_read

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
def bio(request, username):
    page = selectors.bio_page_public(username)
    if page is None:
        raise Http404
    pages.bio_view_count(page)
    code = page.affiliate.code
    buttons = [(b, pages.button_url(b, code=code, page=page)) for b in page.buttons.all()]
    return render(request, "booster/public/bio.html", {
        "page": page, "buttons": [(b, url) for b, url in buttons if url], "socials": pages.social_links(page),
        "theme": THEME_CLASSES.get(page.theme, THEME_CLASSES["modern"]), "code": code,
    })  # fmt: skip


@require_GET
def bio_go(request, username, pk):
    page = selectors.bio_page_public(username)
    button = BioButton.objects.filter(pk=pk, page=page).first() if page else None
    if button is None:
        raise Http404
    url = pages.button_url(button, code=page.affiliate.code, page=page)
    if not url:
        raise Http404
    pages.bio_click(button)
    return redirect(url)


def _embeddable(response, request):
    """This route only: any site may frame it (X-Frame-Options off, CSP frame-ancestors *)."""
    policy = content_security_policy(request.csp_nonce).replace("frame-ancestors 'none'", "frame-ancestors *")
    response["Content-Security-Policy"] = policy
    return response


@csrf_exempt  # a cross-site iframe has no CSRF cookie: a signed form token (and a rate limit) stands in for it
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def optin(request, slug):
    form_obj = selectors.optin_public(slug)
    if form_obj is None:
        raise Http404
    done = None
    status = 200
    if request.method == "POST":
        form = OptinSubmitForm(request.POST)
        if form.is_valid() and pages.form_token_ok(form_obj, form.cleaned_data["token"]):
            d = form.cleaned_data
            try:
                lead, wa_url = pages.optin_submit(
                    form=form_obj, name=d["name"], email=d["email"], whatsapp=d["whatsapp"], ip=client_ip(request),
                    honeypot=d["website"],
                )  # fmt: skip
            except RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                if wa_url:
                    return _embeddable(redirect(wa_url), request)
                done = lead or True
        elif form.is_valid():
            form.add_error(None, _("Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi."))
            status = 400
        else:
            status = 400
    else:
        form = OptinSubmitForm()
    response = render(request, "booster/public/optin.html", {
        "f": form_obj, "form": form, "done": done, "token": pages.form_token(form_obj),
        "benefits": [b for b in form_obj.benefits.splitlines() if b.strip()],
        "faq": [line.split("|", 1) for line in form_obj.faq.splitlines() if "|" in line],
        "embed": request.GET.get("embed") == "1",
        "countdown": form_obj.countdown_end
        if form_obj.countdown_end and form_obj.countdown_end > timezone.now() else None,
    }, status=status)  # fmt: skip
    return _embeddable(response, request)


@require_GET
def optin_magnet(request, slug):
    """The lead magnet file (served to anyone holding the link shown after opting in)."""
    form_obj = selectors.optin_public(slug)
    if form_obj is None or not form_obj.magnet_file:
        raise Http404
    return FileResponse(
        form_obj.magnet_file.open("rb"), as_attachment=True, filename=form_obj.magnet_file.name.rsplit("/", 1)[-1]
    )


@require_GET
def track_open(request, token):
    data = token_read(token)
    if data is not None:
        kind, pk, _url = data
        if kind == "b":  # automation emails ("s") carry the reminder engine's pixel now
            broadcasts.mark_open(recipient_id=pk)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def track_click(request, token):
    data = token_read(token)
    if data is None or not data[2].startswith(("https://", "http://")):
        return HttpResponseBadRequest(_("Tautan tidak valid."))
    kind, pk, url = data
    if kind == "b" and BroadcastRecipient.objects.filter(pk=pk).exists():
        broadcasts.mark_click(recipient_id=pk)
    return redirect(url)  # only an address this platform signed


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    data = token_read(token)
    lead = (
        Lead.objects.select_related("affiliate__user").filter(pk=data[1]).first() if data and data[0] == "l" else None
    )
    if lead is None:
        return render(request, "booster/public/unsubscribe.html", {"lead": None}, status=404)
    if request.method == "POST":
        pages.unsubscribe(lead=lead, everywhere=request.POST.get("everywhere") == "1")
        lead.refresh_from_db()
    return render(request, "booster/public/unsubscribe.html", {"lead": lead})


@role_required(Role.AFFILIATE)
def credit_checkout(request, slug):
    package = get_object_or_404(CreditPackage, slug=slug, is_active=True)
    value = f"kredit:{package.slug}"
    summary = summary_data(request_buyer(request), value, "")
    purchasable = summary["preview"] is not None
    if not purchasable and summary["error"]:
        messages.error(request, summary["error"])
    return checkout_page(
        request, mode="kredit", items=[value] if purchasable else [], selected=value, item_error=summary["error"],
        template="booster/checkout.html",
        context={"package": package, "purchasable": purchasable, "error": summary["error"], "needs_provider": True},
    )  # fmt: skip
