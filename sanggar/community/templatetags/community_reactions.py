"""`{% reaction_buttons target %}`: the six reaction buttons of a post card, a comment or a reply (inside the one form
that sends the clicked button's `type`). A feed page draws 120 of them and a post with 60 comments and replies 360:
as template loops they were most of the page's CPU (a nested loop over the counts and the lazy labels resolved on every
button). The fixed parts of the buttons are escaped and joined once per process and language; each target then only
adds whether it is the viewer's reaction and its count. The markup is the one the templates drew."""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..constants import REACTION_EMOJI, ReactionType

register = template.Library()

ACTIVE = "border-primary bg-primary/10"
IDLE = "border-gray-200"
SIZES = {"post": "px-2 py-1", "comment": "px-1.5 py-0.5"}


@lru_cache(maxsize=32)
def _parts(language: str | None, size: str) -> tuple[tuple[str, str, str], ...]:
    """(value, the button up to its state class, from the class to the count) for each type, in the shown order."""
    parts = []
    for kind in ReactionType:
        value, label = escape(kind.value), escape(str(kind.label))
        head = (
            f'<button type="submit" name="type" value="{value}" title="{label}" aria-label="{label}" '
            f'class="rounded-full border {SIZES[size]} '
        )
        parts.append((kind.value, head, f'">{escape(REACTION_EMOJI[kind.value])}<span data-reaction-count="{value}">'))
    return tuple(parts)


@register.simple_tag
def reaction_buttons(target, size: str = "post"):
    """`target` is a post or comment with `reaction_counts` ({type: n}) and `my_reaction` (a type or "") set by
    `selectors.annotate_viewer` / the post page; missing ones draw no count and no chosen button."""
    counts = getattr(target, "reaction_counts", None) or {}
    mine = getattr(target, "my_reaction", "")
    html = []
    for value, head, middle in _parts(get_language(), size):
        count = f" {int(counts[value])}" if value in counts else ""
        html.append(f"{head}{ACTIVE if value == mine else IDLE}{middle}{count}</span></button>")
    return mark_safe("".join(html))  # the fixed parts escaped in _parts, the counts integers
