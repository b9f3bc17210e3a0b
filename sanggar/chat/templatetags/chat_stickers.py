"""`{% sticker_picker "send" %}` (each sticker a submit button: tapping sends it, as in WhatsApp) or
`{% sticker_picker "pick" %}` (radio choices: the sticker goes with the form, e.g. a post's attachment). The
packs come from a cached list, so a page with many comment boxes asks the database nothing for them."""

from django import template

from sanggar.chat.stickers import picker_packs

register = template.Library()


@register.inclusion_tag("chat/_sticker_picker.html")
def sticker_picker(mode: str = "send", label: str = ""):
    return {"packs": picker_packs(), "mode": mode, "label": label}
