from django import forms


class StyledFormMixin:
    """Gives every widget the design system's classes, so templates render fields uniformly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                # Their attrs also land on the wrapping <div>: a 1 rem wide class there stacks the labels letter by
                # letter. The choices keep the browser's own boxes.
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "h-4 w-4 rounded border-gray-300 text-primary")
                continue
            if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                widget.attrs.setdefault("class", "block w-full text-sm text-gray-700")
                continue
            css = widget.attrs.get("class", "")
            widget.attrs["class"] = f"input {css}".strip()


def add_service_errors(form, exc, *, rename=None) -> None:
    """A service's refusal on the page's form: each field error beside its field (a key the form has no field for, on
    top), or the message on top when the service named no field. `rename` maps the service's keys to the form's
    field names (a dict, or a function for key families such as "social_links.<network>")."""
    if callable(rename):
        to_field = rename
    else:
        mapping = rename or {}

        def to_field(key):
            return mapping.get(key, key)

    for key, errors in exc.errors.items():
        field = to_field(key)
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.errors:
        form.add_error(None, exc.message)
