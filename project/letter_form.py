"""The reader-letter form, built from the ``letter`` model's fields and validators.

The form is derived at run time from the schema the CMA client reads once per process
(``cma.get_client().schema()``: one ``GET /site?include=item_types,item_types.fields``), so
a validator an editor changes in DatoCMS applies to the form without a deploy, and the form
can never accept what the CMA would refuse for a rule it knows. Each string or text field of
the model becomes a form field (``link`` fields are filled by the view, not typed in):

=====================================  =================================================
DatoCMS                                Django
=====================================  =================================================
``string`` / ``text`` field            ``CharField``, ``TextInput`` / ``Textarea``
``required``                           ``required=True`` (else ``False``)
``length`` ``min``/``max``/``eq``      ``min_length``/``max_length`` (``eq``: both)
``format`` ``predefined_pattern``      ``email``: ``EmailField``; ``url``: ``URLField``
``format`` ``custom_pattern``          ``RegexValidator``
``label``                              the label, through the Italian catalogue
=====================================  =================================================

Django then renders ``required``, ``minlength``, ``maxlength`` and ``type="email"``, so the
browser checks the same rules before the server does. A validator this table does not name
is left to the CMA, whose refusal the view turns into an error on the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext

from datocms_app.cma import ItemTypeSchema

__all__ = ["TEXT_FIELD_TYPES", "letter_form_class"]

TEXT_FIELD_TYPES = ("string", "text")


def letter_form_class(model: ItemTypeSchema) -> type[forms.Form]:
    """A form class with one field per string/text field of ``model``, in order."""
    fields = {
        field.api_key: _form_field(field.field_type, field.validators, field.label)
        for field in model.fields
        if field.field_type in TEXT_FIELD_TYPES
    }
    return type(f"{model.api_key.title()}Form", (forms.Form,), fields)


def _form_field(field_type: str, validators: Mapping[str, Any], label: str) -> forms.Field:
    options: dict[str, Any] = {"label": gettext(label), "required": "required" in validators}
    length = validators.get("length") or {}
    if length.get("eq") is not None:
        options["min_length"] = options["max_length"] = length["eq"]
    if length.get("min") is not None:
        options["min_length"] = length["min"]
    if length.get("max") is not None:
        options["max_length"] = length["max"]
    pattern = validators.get("format") or {}
    if pattern.get("predefined_pattern") == "email":
        return forms.EmailField(**options)
    if pattern.get("predefined_pattern") == "url":
        return forms.URLField(**options)
    if pattern.get("custom_pattern"):
        options["validators"] = [RegexValidator(pattern["custom_pattern"])]
    widget = forms.Textarea(attrs={"rows": 8}) if field_type == "text" else forms.TextInput
    return forms.CharField(widget=widget, **options)
