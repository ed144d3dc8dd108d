"""The one definition of a valid Belgian national number (rijksregisternummer / INSZ).

python-stdnum checks the format and both checksum rules (born before 2000 and
born 2000 or later) for national numbers and bis numbers; this module adds the
rule stdnum cannot know: the number must agree with the client's birth date.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import nn, ssn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as StdnumValidationError


def normalise_national_number(value: str) -> str:
    """Strip spaces, dots and dashes: the stored form is 11 digits."""
    return ssn.compact(value or "")


def format_national_number(value: str) -> str:
    """The usual presentation: YY.MM.DD-SSS.CC."""
    return ssn.format(value) if value else ""


def validate_national_number(value: str, birth_date: datetime.date | None = None) -> str:
    """Return the normalised number, or raise ValidationError with a Dutch message.

    When `birth_date` is given, the first six digits must agree with it: the
    year, the month (bis numbers add 20 or 40 to it; 00 means unknown) and the
    day (00 means unknown), and the century that the checksum reveals.
    """
    number = normalise_national_number(value)
    try:
        ssn.validate(number)
    except InvalidLength as exc:
        raise ValidationError(
            _("Een rijksregisternummer telt 11 cijfers."), code="national_number_length"
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("Het controlegetal van het rijksregisternummer klopt niet."),
            code="national_number_checksum",
        ) from exc
    except InvalidComponent as exc:
        raise ValidationError(
            _("Het rijksregisternummer bevat geen geldige geboortedatum."),
            code="national_number_component",
        ) from exc
    except StdnumValidationError as exc:
        raise ValidationError(
            _("Een rijksregisternummer bestaat uit 11 cijfers (punten en streepjes mogen)."),
            code="national_number_format",
        ) from exc
    if birth_date is not None and not _agrees_with_birth_date(number, birth_date):
        raise ValidationError(
            _("Het rijksregisternummer komt niet overeen met de geboortedatum."),
            code="national_number_birth_date",
        )
    return number


def _agrees_with_birth_date(number: str, birth_date: datetime.date) -> bool:
    year = nn.get_birth_year(number)  # century from the checksum rule that matched
    if year is not None and year != birth_date.year:
        return False
    month = int(number[2:4]) % 20  # bis numbers add 20 or 40 to the month
    day = int(number[4:6])
    if month and month != birth_date.month:
        return False
    return not (month and day and day != birth_date.day)
