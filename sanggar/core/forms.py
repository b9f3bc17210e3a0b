from django import forms


class StyledFormMixin:
    """Gives every widget the design system's classes, so templates render fields uniformly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                widget.attrs.setdefault("class", "h-4 w-4 rounded border-gray-300 text-primary")
                continue
            if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                widget.attrs.setdefault("class", "block w-full text-sm text-gray-700")
                continue
            css = widget.attrs.get("class", "")
            widget.attrs["class"] = f"input {css}".strip()
