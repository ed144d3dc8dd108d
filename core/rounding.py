"""Rounding as the council report's conventions say: half up, exactly.

The quotient is computed exactly (as a Fraction) and then rounded half up;
this is `Decimal(quotient).quantize(..., ROUND_HALF_UP)` without the rounding
a Decimal division would first do at its context precision.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


def round_half_up(value: Number, places: int) -> Decimal:
    """`value` rounded half up (away from zero on a tie) to `places` decimals."""
    exact = Fraction(value)
    scaled = abs(exact) * 10**places
    units = math.floor(scaled + Fraction(1, 2))
    result = Decimal(units).scaleb(-places)
    if exact < 0:
        result = -result
    return result.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(numerator: Number, denominator: Number | None) -> int | None:
    """An integer percent rounded half up (35.5 -> 36); None when the denominator is 0."""
    if not denominator:
        return None
    return int(round_half_up(Fraction(numerator) * 100 / Fraction(denominator), 0))


def ratio(
    numerator: Number | None, denominator: Number | None, *, per: int = 1, places: int = 2
) -> float | None:
    """numerator / denominator (times `per`), rounded half up to `places` decimals.

    None when the denominator is 0 or missing. Returned as a float for JSON:
    a value with two decimals survives the round trip exactly (16.73 -> 16.73).
    """
    if numerator is None or not denominator:
        return None
    return float(round_half_up(Fraction(numerator) * per / Fraction(denominator), places))


def json_amount(amount: Decimal | None) -> int | float | None:
    """An amount in euro for JSON: 70000 when whole, 37500.5 otherwise."""
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)
