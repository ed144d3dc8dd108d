"""Rows as model instances, and the model's own validation of them.

Building and validating 100,000 instances must be cheap, so instances are
built positionally from a per-file template (no default is computed per row)
and the records rows refer to are *stand-ins*: instances holding only the
fields the model's clean() reads (a client's birth date, a trajectory's
start), cached per key.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any, cast

from django.core import validators as django_validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import signals
from django.db.models.base import DEFERRED, ModelState
from django.db.models.expressions import DatabaseDefault
from django.utils.translation import gettext as _

from records.checks import check_constraints
from records.spec import REF, Column, FileSpec


def bare(
    model: type[models.Model], values: dict[str, Any], *, stored: bool = False
) -> models.Model:
    """An instance holding exactly `values` (by attname), as Model.__init__ would leave it
    but without its per-field loop: the importer makes hundreds of thousands. Models
    with post_init receivers go through __init__ as usual. `stored`: as if read from
    the database (`_state.adding` is False)."""
    if signals.post_init.receivers and signals.post_init.has_listeners(model):
        fields = model._meta.concrete_fields
        instance = model(*[values.get(f.attname, DEFERRED) for f in fields])
    else:
        instance = model.__new__(model)
        instance._state = ModelState()
        instance.__dict__.update(values)
    instance._state.adding = not stored
    return instance


def stand_in(model: type[models.Model], **values: Any) -> models.Model:
    """An instance with only `values` loaded (by attname), as if fetched with .only()."""
    return bare(model, values, stored=True)


@functools.cache
def column_attnames(spec: FileSpec) -> tuple[str, ...]:
    """The attribute names of the fields a file's columns set, in the order of the spec."""
    meta = spec.model._meta
    return tuple(cast(models.Field, meta.get_field(c.field_name)).attname for c in spec.columns)


@functools.cache
def relations(model: type[models.Model]) -> frozenset[str]:
    """Relation fields: references are checked against the index, not in the database."""
    return frozenset(f.name for f in model._meta.concrete_fields if f.is_relation)


class Shape:
    """How rows of one file (with its header) become instances of its model."""

    def __init__(self, spec: FileSpec, columns: list[tuple[int, Column]]) -> None:
        self.spec = spec
        self.model = spec.model
        meta = self.model._meta
        self.columns = columns
        self.key_columns = [(i, c) for i, c in columns if c.name in spec.key]
        self.required = [c for _i, c in columns if c.required and c.kind != REF]
        self.complete_key = len(self.key_columns) == len(spec.key)
        self.fields: dict[str, models.Field] = {
            c.field_name: cast(models.Field, meta.get_field(c.field_name)) for _i, c in columns
        }
        present = set(self.fields)
        # Validation covers what the file sets; references go through the index.
        self.exclude = frozenset(
            f.name for f in meta.concrete_fields if f.name not in present
        ) | relations(self.model)
        self.attnames = column_attnames(spec)
        # A new record: every field at its default, computed once (a callable
        # default such as a generated external id only for a column absent here).
        self._template: dict[str, Any] = {}
        self._per_row: list[models.Field] = []
        for model_field in meta.concrete_fields:
            if model_field.primary_key or model_field.name in present:
                self._template[model_field.attname] = None
            elif model_field.has_default() and callable(model_field.default):
                self._template[model_field.attname] = None
                self._per_row.append(model_field)
            else:
                self._template[model_field.attname] = model_field.get_default()

    def new(self) -> models.Model:
        values = dict(self._template)
        for model_field in self._per_row:
            values[model_field.attname] = model_field.get_default()
        return bare(self.model, values)

    def snapshot(self, instance: models.Model) -> dict[str, Any]:
        """The values of the fields a file can set, by attname."""
        return {name: getattr(instance, name) for name in self.attnames}


class FieldChecks:
    """A model's per-field validation (`Model.clean_fields()`), derived once per file from
    the fields themselves: their type, null/blank, choices and validators (max_length is
    one of them).

    A value that plainly passes (already of the field's type, not empty, one of the
    choices, not longer than max_length, accepted by every other validator) is not
    cleaned again; any other value goes through the field's own `clean()`, so a refusal
    has exactly the form's message.
    Fields whose class or model changes that validation are always cleaned by Django.
    """

    def __init__(self, model: type[models.Model], exclude: frozenset[str]) -> None:
        # (field, attname, plain type, choices, max length, other validators); the plain
        # type as Any: a value compared with `type(value) is` it stays Any for mypy.
        self.checks: list[tuple[models.Field, str, Any, frozenset | None, int | None, tuple]] = []
        for field in model._meta.fields:
            if field.name in exclude or field.generated:
                continue
            plain_type = _plain_type(field)
            limit, validators = _text_limit(plain_type, field.validators)
            self.checks.append(
                (field, field.attname, plain_type, _choice_values(field), limit, validators)
            )

    def clean_fields(
        self, instance: models.Model, failed: set[str]
    ) -> dict[str, list[ValidationError]]:
        """As `instance.clean_fields(exclude | failed)`: errors by field name."""
        errors: dict[str, list[ValidationError]] = {}
        values = instance.__dict__
        for field, attname, plain_type, choices, limit, validators in self.checks:
            if failed and field.name in failed:
                continue
            value = values[attname]
            if type(value) is plain_type and value not in field.empty_values:
                if (choices is None or value in choices) and (limit is None or len(value) <= limit):
                    try:
                        for validator in validators:
                            validator(value)
                        continue
                    except ValidationError:
                        pass  # Django's own clean() below says it in the field's words
            elif (field.blank and value in field.empty_values) or isinstance(
                value, DatabaseDefault
            ):
                continue
            try:
                values[attname] = field.clean(value, instance)
            except ValidationError as exc:
                errors[field.name] = exc.error_list
        return errors


_PLAIN_TYPES: tuple[tuple[type[models.Field], type], ...] = (
    # Field classes whose to_python() returns a value of exactly this type unchanged
    # (not decimals: to_python() also refuses NaN and infinity).
    (models.DateTimeField, datetime.datetime),
    (models.DateField, datetime.date),
    (models.CharField, str),
    (models.TextField, str),
    (models.BooleanField, bool),
    (models.IntegerField, int),
)


def _plain_type(field: models.Field) -> type | None:
    """The type in which a value of this field needs no conversion, or None: always
    cleaned by Django (its class has its own validation, or converts)."""
    cls = type(field)
    if (
        cls.clean is not models.Field.clean
        or cls.validate is not models.Field.validate
        or cls.run_validators is not models.Field.run_validators
    ):
        return None
    return next((plain for base, plain in _PLAIN_TYPES if isinstance(field, base)), None)


def _text_limit(plain_type: type | None, field_validators: list) -> tuple[int | None, tuple]:
    """A text field's MaxLengthValidator as a length comparison (its limit), instead of a
    call of the validator per value; the other validators are called. (None, validators)
    for a field without exactly one, with a fixed limit."""
    validators = tuple(field_validators)
    if plain_type is not str:
        return None, validators
    lengths = [v for v in validators if type(v) is django_validators.MaxLengthValidator]
    if len(lengths) != 1 or type(lengths[0].limit_value) is not int:
        return None, validators
    return lengths[0].limit_value, tuple(v for v in validators if v is not lengths[0])


def _choice_values(field: models.Field) -> frozenset | None:
    if field.choices is None or not field.editable:
        return None
    return frozenset(value for value, _label in field.flatchoices)


@functools.cache
def field_checks(model: type[models.Model], exclude: frozenset[str]) -> FieldChecks:
    return FieldChecks(model, exclude)


@functools.cache
def own_clean_fields(model: type[models.Model]) -> bool:
    """Whether a model's clean_fields() is its own: then it is called as it is. A model
    whose clean_fields() only prepares values (`prepare_fields()`, e.g. a client's
    national number normalised) and then calls Django's is checked by FieldChecks
    after that preparation."""
    if model.clean_fields is models.Model.clean_fields:
        return False
    return not hasattr(model, "prepare_fields")


def clean(
    instance: models.Model, exclude: frozenset[str], failed: set[str]
) -> dict[str, list[ValidationError]]:
    """The model's full_clean() without the parts that query the database per record:
    references (the importer looks them up in its index), uniqueness (checked
    set-based) and check constraints (evaluated in memory). The fields are checked
    by `FieldChecks`, then the model's own clean() (its rules across fields) runs.

    `exclude`: fields the row does not set; `failed`: fields whose cell could not be read.
    """
    model = type(instance)
    if own_clean_fields(model):
        # The model changes how its fields are checked: its own clean_fields().
        errors: dict[str, list[ValidationError]] = {}
        try:
            instance.clean_fields(exclude=exclude | failed)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    else:
        if hasattr(model, "prepare_fields"):
            instance.prepare_fields()  # type: ignore[attr-defined]
        errors = field_checks(model, exclude).clean_fields(instance, failed)
    # As full_clean(): the model's clean() runs even when a field failed.
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for field_name, error in check_constraints(instance, set(errors) | failed):
        errors.setdefault(field_name or NON_FIELD_ERRORS, []).append(error)
    return errors


def column_for(spec: FileSpec, field_name: str) -> str:
    """The column an error of a field is reported in (else the key column)."""
    column = spec.column_for_field(field_name)
    return column.name if column is not None else spec.key[0]


def messages(
    spec: FileSpec, instance: models.Model, errors: dict[str, list[ValidationError]]
) -> list[tuple[str, str]]:
    """Django's errors as (column, message); a code that is not allowed lists those that are."""
    found = []
    for field_name, field_errors in errors.items():
        column = column_for(spec, field_name)
        for error in field_errors:
            for message in error.messages:
                if getattr(error, "code", None) == "invalid_choice":
                    allowed = ", ".join(
                        str(value)
                        for value, _label in cast(
                            models.Field, instance._meta.get_field(field_name)
                        ).flatchoices
                    )
                    message = _("%(message)s Toegelaten: %(allowed)s.") % {
                        "message": message,
                        "allowed": allowed,
                    }
                found.append((column, message))
    return found
