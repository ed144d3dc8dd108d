"""A model's check constraints, evaluated in memory.

Django validates a CheckConstraint with a query per record (`Q.check`); for a
bundle of 100,000 rows that is 100,000 round trips. The conditions of
Traject's constraints are plain comparisons of a record's own fields, so they
are evaluated here on the instance with SQL's rules (a comparison with NULL is
unknown, and a check constraint only fails when its condition is false).
Anything this module does not understand falls back to Django's own query.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, choices: value in choices,
}


class Unsupported(Exception):
    pass


def _value(instance: models.Model, operand: Any) -> Any:
    if isinstance(operand, F):
        return getattr(instance, instance._meta.get_field(operand.name).attname)
    if hasattr(operand, "resolve_expression"):
        raise Unsupported(operand)
    return operand


def evaluate(node: Any, instance: models.Model) -> bool | None:
    """True, False or None (unknown) for a Q (or one lookup of it) on an instance."""
    if isinstance(node, Q):
        results = [evaluate(child, instance) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        if node.negated and result is not None:
            result = not result
        return result
    if not isinstance(node, tuple):
        raise Unsupported(node)
    lookup, operand = node
    name, _sep, op = lookup.partition("__")
    left = _value(instance, F(name))
    right = _value(instance, operand)
    if op == "isnull":
        return (left is None) == bool(right)
    if op == "" or op in _OPERATORS:
        if left is None or right is None:
            return None
        return _OPERATORS[op or "exact"](left, right)
    raise Unsupported(lookup)


def referenced_fields(node: Any) -> list[str]:
    """The fields a condition reads, in order of appearance."""
    names: list[str] = []
    children = node.children if isinstance(node, Q) else [node]
    for child in children:
        if isinstance(child, Q):
            found = referenced_fields(child)
        else:
            lookup, operand = child
            found = [lookup.partition("__")[0]]
            if isinstance(operand, F):
                found.append(operand.name)
        names.extend(n for n in found if n not in names)
    return names


@functools.cache
def _check_constraints(model: type[models.Model]) -> list[tuple[models.CheckConstraint, list[str]]]:
    return [
        (constraint, referenced_fields(constraint.condition))
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    ]


def check_constraints(
    instance: models.Model, skip_fields: set[str]
) -> list[tuple[str, ValidationError]]:
    """The violated check constraints of an instance, each with the field it is about
    (the first field its condition reads: the end date for "end not before start").

    Constraints reading a field in `skip_fields` (one that already failed) are
    skipped, as Django's full_clean() does.
    """
    failed = []
    model = type(instance)
    for constraint, fields in _check_constraints(model):
        if skip_fields.intersection(fields):
            continue
        try:
            ok = evaluate(constraint.condition, instance) is not False
        except Unsupported:
            try:
                constraint.validate(model, instance)
                ok = True
            except ValidationError:
                ok = False
        if not ok:
            error = ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
            failed.append((fields[0] if fields else "", error))
    return failed


def unique_condition_holds(constraint: models.UniqueConstraint, instance: models.Model) -> bool:
    """Whether a (conditional) unique constraint applies to the instance."""
    if constraint.condition is None:
        return True
    try:
        return evaluate(constraint.condition, instance) is True
    except Unsupported:
        return True
