"""A model's check constraints, evaluated in memory.

Django validates a CheckConstraint with a query per record (`Q.check`); for a
bundle of 100,000 rows that is 100,000 round trips. The conditions of
Traject's constraints are plain comparisons of a record's own fields, so they
are compiled once into Python functions evaluated on the instance with SQL's
rules (a comparison with NULL is unknown, and a check constraint only fails
when its condition is false). A condition this module does not understand
falls back to Django's own query.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

# A compiled condition: instance -> True, False or None (unknown).
Condition = Callable[[models.Model], bool | None]

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


def _attname(model: type[models.Model], name: str) -> str:
    return cast(models.Field, model._meta.get_field(name)).attname


def _operand(model: type[models.Model], operand: Any) -> Callable[[models.Model], Any]:
    if isinstance(operand, F):
        return operator.attrgetter(_attname(model, operand.name))  # type: ignore[attr-defined]
    if hasattr(operand, "resolve_expression"):
        raise Unsupported(operand)
    return lambda instance: operand


def compile_condition(model: type[models.Model], node: Any) -> Condition:
    """A Q (or one lookup of it) as a function of an instance; raise Unsupported."""
    if isinstance(node, Q):
        children = [compile_condition(model, child) for child in node.children]
        conjunction, negated = node.connector == Q.AND, node.negated

        def combined(instance: models.Model) -> bool | None:
            results = [child(instance) for child in children]
            if conjunction:
                result = False if False in results else (None if None in results else True)
            else:
                result = True if True in results else (None if None in results else False)
            return (not result) if negated and result is not None else result

        return combined
    if not isinstance(node, tuple):
        raise Unsupported(node)
    lookup, operand = node
    name, _sep, op = lookup.partition("__")
    left = _operand(model, F(name))
    if op == "isnull":
        wanted = bool(operand)
        return lambda instance: (left(instance) is None) == wanted
    if op and op not in _OPERATORS:
        raise Unsupported(lookup)
    compare = _OPERATORS[op or "exact"]
    right = _operand(model, operand)

    def comparison(instance: models.Model) -> bool | None:
        a, b = left(instance), right(instance)
        return None if a is None or b is None else compare(a, b)

    return comparison


def referenced_fields(node: Any) -> list[str]:
    """The fields a condition reads, in order of appearance."""
    names: list[str] = []
    children: list[Any] = list(node.children) if isinstance(node, Q) else [node]
    for child in children:
        if isinstance(child, Q):
            found = referenced_fields(child)
        else:
            lookup, operand = child
            found = [lookup.partition("__")[0]]
            if isinstance(operand, F):
                found.append(operand.name)  # type: ignore[attr-defined]
        names.extend(n for n in found if n not in names)
    return names


def _compiled(model: type[models.Model], constraint: models.BaseConstraint) -> Condition | None:
    try:
        return compile_condition(model, constraint.condition)  # type: ignore[attr-defined]
    except Unsupported:
        return None


@functools.cache
def _check_constraints(
    model: type[models.Model],
) -> list[tuple[models.CheckConstraint, list[str], Condition | None]]:
    return [
        (constraint, referenced_fields(constraint.condition), _compiled(model, constraint))
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
    for constraint, fields, condition in _check_constraints(model):
        if skip_fields and skip_fields.intersection(fields):
            continue
        if condition is not None:
            ok = condition(instance) is not False
        else:
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


@functools.cache
def _unique_condition(model: type[models.Model], name: str) -> Condition | None:
    constraint = next(c for c in model._meta.constraints if c.name == name)
    try:
        return compile_condition(model, constraint.condition)  # type: ignore[attr-defined]
    except Unsupported:
        return None


def unique_condition_holds(constraint: models.UniqueConstraint, instance: models.Model) -> bool:
    """Whether a (conditional) unique constraint applies to the instance."""
    if constraint.condition is None:
        return True
    condition = _unique_condition(type(instance), constraint.name)
    return True if condition is None else condition(instance) is True
