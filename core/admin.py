"""The admin's base: every write made in the Django admin goes through the write services.

`ServiceAdmin` and `ServiceInline` save, change and delete through
`record_create`, `record_update` and `record_delete` inside
`writes_by(source="admin")`, so the admin is held to the same rules (the model's
validation, the version check against lost updates) and leaves the same audit
trail as the pages and the importer. A refusal of a service rolls the request
back and shows the form again with the Dutch message. Who may see which rows is
not decided here but by the admins built on these (`backoffice`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.writes import current_write_source, record_create, record_delete, record_update, writes_by

# Fields the services and the database maintain; the admin shows them, never edits them.
MAINTAINED_FIELDS = ("organisation", "external_id", "version", "created_at", "updated_at")


def is_maintained_record(model: type[models.Model]) -> bool:
    """A record of an organisation with the fields the services maintain (MAINTAINED_FIELDS)."""
    names = {field.name for field in model._meta.get_fields()}
    return set(MAINTAINED_FIELDS) <= names


# --- Service refusals become form errors ------------------------------------------------


@dataclass
class Refusal:
    """A write the services refused; `model` is the model of the inline that caused it."""

    error: ValidationError
    model: type[models.Model] | None = None


class ServiceRefused(Exception):
    """Raised inside the admin's transaction so that it rolls back everything."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.error)
        self.refusal = refusal


def _as_validation_error(exc: Exception) -> ValidationError:
    if isinstance(exc, ValidationError):
        return exc
    return ValidationError(
        gettext("De database weigerde deze wijziging: %(reason)s") % {"reason": exc}
    )


@contextmanager
def refusals_as(model: type[models.Model] | None = None) -> Iterator[None]:
    """Turn a ValidationError (or IntegrityError) of a service into ServiceRefused."""
    try:
        yield
    except (ValidationError, IntegrityError) as exc:
        raise ServiceRefused(Refusal(_as_validation_error(exc), model)) from exc


def add_errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Field errors on their field when the form has it, everything else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Choices that belong to one organisation: limited to the record's own when it has one.
ORGANISATION_SCOPED_FIELDS = ("social_worker", "programme", "session", "team")


def limit_to_organisation(form_class, obj) -> None:
    organisation_id = getattr(obj, "organisation_id", None)
    if not organisation_id:
        return
    for name in ORGANISATION_SCOPED_FIELDS:
        field = form_class.base_fields.get(name)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = field.queryset.filter(organisation_id=organisation_id)


def _refusal(request) -> Refusal | None:
    return getattr(request, "_traject_refusal", None)


@contextmanager
def admin_writes(request) -> Iterator[None]:
    """Attribute the writes of this admin request to its user with source "admin"; the
    address stays the one the request middleware determined (proxy-aware)."""
    address = current_write_source().address
    with writes_by(user=request.user, source="admin", address=address):
        yield


# --- Forms ---------------------------------------------------------------------------------


class RecordAdminForm(forms.ModelForm):
    """Carries the version the editor read, so that a stale edit is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = getattr(self.instance, "version", None)

    def clean(self) -> dict[str, Any]:
        """A change of a versioned record must say which version it read: without it the
        save would overwrite whatever somebody else saved meanwhile (a lost update). The
        error is on the form, not on the hidden field, so that it is shown."""
        cleaned = super().clean() or {}
        versioned = any(f.name == "version" for f in self._meta.model._meta.concrete_fields)
        if (
            versioned
            and self.instance.pk is not None
            and cleaned.get("expected_version") is None
            and "expected_version" not in self.errors
        ):
            self.add_error(
                None,
                ValidationError(
                    gettext(
                        "De versie van het record ontbreekt: laad de pagina opnieuw en "
                        "breng je wijziging opnieuw aan."
                    ),
                    code="missing_version",
                ),
            )
        return cleaned


def with_expected_version(fieldsets):
    """Render the hidden version field with the form, whatever its fieldsets say."""
    if "expected_version" in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    fields = [*options["fields"], "expected_version"]
    return [(name, {**options, "fields": fields}), *rest]


def model_values(form: forms.ModelForm) -> dict[str, Any]:
    """The model fields the form edits, with their cleaned values."""
    opts = form._meta.model._meta
    names = {f.name for f in opts.concrete_fields if f.editable and not f.primary_key}
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def instance_values(instance: models.Model) -> dict[str, Any]:
    """Everything a new (unsaved) instance holds, to create it through the services."""
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.editable and not f.primary_key
    }


def adopt(target: models.Model, source: models.Model) -> None:
    """Make the admin's instance the record the service saved (pk, defaults, version)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


def create_through_services(instance: models.Model) -> None:
    created = record_create(model=type(instance), **instance_values(instance))
    adopt(instance, created)


def update_through_services(instance: models.Model, form: forms.ModelForm) -> None:
    expected = form.cleaned_data.get("expected_version")
    record_update(instance=instance, expected_version=expected, **model_values(form))


# --- Base classes -------------------------------------------------------------------------


def labelled(formset: Any) -> Any:
    """A formset whose row inputs carry their column's label (`aria-label`): a tabular
    inline shows the label once, as a column header, which a screen reader does not
    tie to the inputs of each row (axe `label`, `select-name`)."""

    class LabelledFormSet(formset):  # type: ignore[valid-type,misc]
        def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
            super().add_fields(form, index)
            row = gettext("nieuw") if index is None or index >= self.initial_form_count() else ""
            for field in form.fields.values():
                if field.widget.is_hidden:
                    continue
                label = str(field.label or "")
                if index is not None:
                    label = gettext("%(label)s, rij %(row)s%(new)s") % {
                        "label": label,
                        "row": index + 1,
                        "new": f" ({row})" if row else "",
                    }
                # A relation's select sits inside the admin's wrapper (add/change links).
                widget: Any = getattr(field.widget, "widget", None) or field.widget
                widget.attrs.setdefault("aria-label", label)

    LabelledFormSet.__name__ = formset.__name__
    return LabelledFormSet


class ServiceInline(admin.TabularInline):
    """An inline whose rows are written through the services by ServiceAdmin.save_formset."""

    form = RecordAdminForm
    extra = 0
    show_change_link = True

    def get_fieldsets(self, request, obj=None):
        return with_expected_version(super().get_fieldsets(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = labelled(super().get_formset(request, obj, **kwargs))
        limit_to_organisation(formset.form, obj)
        refusal = _refusal(request)
        if refusal is None or refusal.model is not self.model:
            return formset

        class RefusedFormSet(formset):  # type: ignore[valid-type,misc]
            def clean(self) -> None:
                super().clean()
                raise ValidationError(refusal.error.messages)

        return RefusedFormSet


class ServiceAdmin(admin.ModelAdmin):
    """The base of every Traject admin: all writes through the write services.

    A service that refuses a write (a ValidationError, e.g. an overlapping
    income right, or a conflicting version) rolls the whole request back and
    the form is shown again with the Dutch error, never a server error.
    """

    form = RecordAdminForm
    list_per_page = 50

    # Reads ---------------------------------------------------------------------------------

    # Maintained fields (see MAINTAINED_FIELDS) that this admin lets people choose.
    editable_maintained_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        maintained = []
        if is_maintained_record(self.model):
            maintained = [n for n in MAINTAINED_FIELDS if n not in self.editable_maintained_fields]
        return [*super().get_readonly_fields(request, obj), *maintained]

    def get_fieldsets(self, request, obj=None):
        return with_expected_version(super().get_fieldsets(request, obj))

    # Writes --------------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        limit_to_organisation(form_class, obj)
        refusal = _refusal(request)
        if refusal is None or refusal.model is not None:
            return form_class

        class RefusedForm(form_class):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                add_errors_to_form(self, refusal.error)

        return RefusedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with admin_writes(request):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ServiceRefused as refused:
                # The transaction of the first attempt is rolled back; show the form
                # again with the service's error attached to the form or inline.
                request._traject_refusal = refused.refusal  # type: ignore[attr-defined]
                return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Bulk actions (delete selected) write through delete_queryset.
        with admin_writes(request):
            try:
                return super().changelist_view(request, extra_context)
            except ServiceRefused as refused:
                return self.refused_redirect(request, refused)

    def delete_view(self, request, object_id, extra_context=None):
        with admin_writes(request):
            try:
                return super().delete_view(request, object_id, extra_context)
            except ServiceRefused as refused:
                return self.refused_redirect(request, refused)

    def refused_redirect(self, request, refused: ServiceRefused) -> HttpResponseRedirect:
        self.message_user(request, " ".join(refused.refusal.error.messages), messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )

    def save_model(self, request, obj, form, change):
        with refusals_as():
            if change:
                update_through_services(obj, form)
            else:
                create_through_services(obj)

    def save_formset(self, request, form, formset, change):
        model = formset.model
        with refusals_as(model):
            instances = formset.save(commit=False)
            for instance in formset.deleted_objects:
                record_delete(instance=instance)
            changed = {id(obj) for obj, _fields in formset.changed_objects}
            forms_by_instance = {id(f.instance): f for f in formset.forms}
            for instance in instances:
                if id(instance) in changed and instance.pk is not None:
                    update_through_services(instance, forms_by_instance[id(instance)])
                else:
                    self.prepare_inline_instance(request, instance)
                    create_through_services(instance)

    def prepare_inline_instance(self, request, instance) -> None:
        """Hook: fill what an inline row cannot (e.g. the author of a note)."""

    def delete_model(self, request, obj):
        with refusals_as():
            record_delete(instance=obj)

    def delete_queryset(self, request, queryset):
        # All or nothing: the changelist's bulk delete runs outside the admin's transaction.
        with transaction.atomic(), refusals_as():
            for obj in queryset:
                record_delete(instance=obj)


class PeriodStatusFilter(admin.SimpleListFilter):
    """Running today, ended, or not yet started (PeriodQuerySet.active_on)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("running", _("loopt vandaag")),
            ("ended", _("afgelopen")),
            ("future", _("nog niet gestart")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        start = queryset.start_field
        end = queryset.end_field
        if self.value() == "running":
            return queryset.active_on(today)
        if self.value() == "ended":
            return queryset.filter(**{f"{end}__lt": today})
        if self.value() == "future":
            return queryset.filter(**{f"{start}__gt": today})
        return queryset
