"""The importer's field checks (records.instances.FieldChecks) say what Django's own
clean_fields() says, value for value, and an import refuses a hostile cell with the
message a form would give."""

import datetime
import functools
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from casework.models import Client, IncomeRight, Population, SocialWorker
from records.instances import FieldChecks, Shape, own_clean_fields
from records.spec import FILES, REF
from tests.records.bundles import base_files, import_problems, write_bundle

pytestmark = pytest.mark.django_db

TEXT_VALUES: list[Any] = ["", None, "gewoon", "zz-geen-code", 123, "x" * 300, "nul\x00"]
VALUES: dict[type, list[Any]] = {
    models.CharField: TEXT_VALUES,
    models.TextField: TEXT_VALUES,
    models.DateField: [None, "", datetime.date(1800, 1, 1), datetime.date(2024, 2, 29), "2024"],
    models.BooleanField: [None, True, False, "ja"],
    models.IntegerField: [None, "", -1, 0, 7, 10**12, "veel", True],
    models.DecimalField: [None, Decimal("0"), Decimal("0.8"), Decimal("1.5"), Decimal("NaN")],
}


def _values_for(field: models.Field) -> list[Any]:
    found = next((v for cls, v in VALUES.items() if isinstance(field, cls)), [None, ""])
    choices = [value for value, _label in field.flatchoices] if field.choices else []
    # Both sides of a maximum length (FieldChecks compares the length itself).
    limits = ["x" * field.max_length, "x" * (field.max_length + 1)] if field.max_length else []
    return [*found, *choices[:2], *limits]


def _django_errors(instance: models.Model, exclude: frozenset[str]) -> dict[str, list[str]]:
    try:
        instance.clean_fields(exclude=set(exclude))
    except ValidationError as exc:
        return {
            name: [str(m) for m in ValidationError(e).messages]
            for name, e in exc.error_dict.items()
        }
    return {}


def _our_errors(instance: models.Model, checks: FieldChecks) -> dict[str, list[str]]:
    if hasattr(instance, "prepare_fields"):
        instance.prepare_fields()
    found = checks.clean_fields(instance, set())
    return {name: [str(m) for m in ValidationError(e).messages] for name, e in found.items()}


def _outcome(check: Any) -> Any:
    try:
        return check()
    except Exception as exc:
        return type(exc)


CASES = [
    (spec, column.field_name)
    for spec in FILES[1:]
    if not own_clean_fields(spec.model)
    for column in spec.columns
    if column.kind != REF and not spec.model._meta.get_field(column.field_name).is_relation
]


@pytest.mark.parametrize(("spec", "field_name"), CASES, ids=[f"{s.name}:{n}" for s, n in CASES])
def test_field_checks_give_django_s_errors_and_values_for_every_hostile_value(spec, field_name):
    shape = Shape(spec, list(enumerate(spec.columns)))
    checks = FieldChecks(spec.model, shape.exclude)
    field = spec.model._meta.get_field(field_name)
    for value in _values_for(field):
        ours, django = shape.new(), shape.new()
        setattr(ours, field.attname, value)
        setattr(django, field.attname, value)
        # A value no cell gives (a number for a national number) may crash a model's
        # preparation: then both crash alike.
        assert _outcome(functools.partial(_our_errors, ours, checks)) == _outcome(
            functools.partial(_django_errors, django, shape.exclude)
        ), value
        # repr: Decimal('NaN') is not equal to itself
        assert repr(getattr(ours, field.attname)) == repr(getattr(django, field.attname))


def _message(model: type[models.Model], field_name: str, value: Any) -> str:
    """What a form (the model's own validation) says about this value."""
    field = model._meta.get_field(field_name)
    with pytest.raises(ValidationError) as refused:
        field.clean(value, model())
    return refused.value.messages[0]


def test_a_too_long_value_gets_the_form_s_message(tmp_path):
    files = base_files()
    files["clients.csv"][0]["first_name"] = "A" * 101
    problems = import_problems(write_bundle(tmp_path / "b", files))
    expected = _message(Client, "first_name", "A" * 101)
    assert f"clients.csv:2: first_name: {expected}" in problems


def test_a_code_that_is_not_a_choice_gets_the_form_s_message_and_the_allowed_codes(tmp_path):
    files = base_files()
    files["income_rights.csv"][0]["category"] = "alleen"
    problems = import_problems(write_bundle(tmp_path / "b", files))
    expected = _message(IncomeRight, "category", "alleen")
    [line] = [p for p in problems if p.startswith("income_rights.csv:2: category: ")]
    assert line.startswith(f"income_rights.csv:2: category: {expected} Toegelaten: ")


def test_a_value_a_validator_refuses_gets_the_validator_s_message(tmp_path):
    files = base_files()
    files["population.csv"][0]["inhabitants"] = "0"
    problems = import_problems(write_bundle(tmp_path / "b", files))
    expected = _message(Population, "inhabitants", 0)
    assert f"population.csv:2: inhabitants: {expected}" in problems


def test_a_bad_number_gets_the_cell_message_and_a_cross_field_rule_the_model_s(tmp_path):
    files = base_files()
    files["social_workers.csv"][0]["fte"] = "veel"
    right = files["income_rights.csv"][0]
    right["end_date"] = "2000-01-01"  # before its start
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert any(p.startswith("social_workers.csv:2: fte: ") for p in problems)
    stored = IncomeRight(
        start_date=datetime.date.fromisoformat(right["start_date"]),
        end_date=datetime.date(2000, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        stored.validate_constraints()
    [expected] = refused.value.messages
    assert f"income_rights.csv:2: end_date: {expected}" in problems
    assert SocialWorker.objects.count() == 0
