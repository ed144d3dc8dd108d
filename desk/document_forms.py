"""The form that uploads a document to a client file (or to one of its records)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Client
from core.periods import day_text
from desk.forms import BLANK_LABEL, DateInput
from desk.record_kinds import RecordKind
from documents.filetypes import FILE_TYPES, allowed_types_text, max_document_bytes, megabytes
from documents.models import LINK_FIELDS, DocumentKind

LINKABLE_MODELS = frozenset(LINK_FIELDS.values())


def linkable_kinds(kinds: list[RecordKind]) -> list[RecordKind]:
    """Of the kinds of record a user sees in a file, those a document may belong to."""
    return [kind for kind in kinds if kind.model._meta.label_lower in LINKABLE_MODELS]


def record_choice(kind: RecordKind, record: Any) -> str:
    """The value that names one record in the form (`slug:pk`), also a link's `?record=`."""
    return f"{kind.slug}:{record.pk}"


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("Bestand"))
    kind = forms.ChoiceField(label=_("Soort document"))
    date = forms.DateField(label=_("Datum van het document"), widget=DateInput())
    title = forms.CharField(label=_("Titel"), max_length=200)
    record = forms.ChoiceField(label=_("Hoort bij record"), required=False)

    def __init__(
        self, *args: Any, client: Client, kinds: list[RecordKind], health: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.kinds = {kind.slug: kind for kind in linkable_kinds(kinds)}
        extensions = sorted({f".{ext}" for t in FILE_TYPES for ext in t.extensions})
        self.fields["file"].widget.attrs["accept"] = ",".join(extensions)
        self.fields["file"].help_text = _("%(types)s, hoogstens %(limit)s MB.") % {
            "types": allowed_types_text(),
            "limit": megabytes(max_document_bytes()),
        }
        # A medical certificate is health data: only who may see it may add one.
        document_kinds: list[tuple[str, Any]] = [("", BLANK_LABEL)] + [
            (value, label)
            for value, label in DocumentKind.choices
            if health or value != DocumentKind.MEDICAL_CERTIFICATE
        ]
        self.fields["kind"].choices = document_kinds  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()
        choices: list[tuple[str, Any]] = [("", _("— geen (het dossier zelf) —"))]
        for kind in self.kinds.values():
            for record in kind.records(client):
                title, _details = kind.describe(record)
                label = f"{kind.label}: {title} ({day_text(kind.start(record))})"
                choices.append((record_choice(kind, record), label))
        self.fields["record"].choices = choices  # type: ignore[attr-defined]

    def clean_record(self) -> Any:
        value = self.cleaned_data.get("record") or ""
        if not value:
            return None
        slug, _sep, pk = value.partition(":")
        kind = self.kinds.get(slug)
        record = kind.records(self.client).filter(pk=pk).first() if kind and pk.isdigit() else None
        if record is None:
            raise forms.ValidationError(_("Kies een record van deze cliënt."))
        return record
