"""`{% emoji_picker %}`: the built-in emoji set (Unicode, no CDN) as a disclosure of buttons, shared by the chat
composer and community's composers. `{% emoji_picker "chat-body" %}` names the textarea it writes into: the static
`chat/emoji-picker.js` then inserts at its caret (no inline handlers); without a target the page's own script
handles the picker (community's rich editor)."""

from django import template

from sanggar.chat.constants import EMOJI_SET

register = template.Library()


@register.inclusion_tag("chat/_emoji_picker.html")
def emoji_picker(target: str = ""):
    return {"emoji_set": EMOJI_SET, "target": target}
