"""Data: the leefloon amounts from 1 May 2024 (indexed amounts are added as new rows)."""

import datetime
from decimal import Decimal

from django.db import migrations

AMOUNTS_2024_05 = {"cohabiting": "858.97", "single": "1288.46", "family": "1741.29"}


def add_amounts(apps, schema_editor):
    LeefloonAmount = apps.get_model("casework", "LeefloonAmount")
    for category, amount in AMOUNTS_2024_05.items():
        LeefloonAmount.objects.get_or_create(
            category=category,
            valid_from=datetime.date(2024, 5, 1),
            defaults={"monthly_amount": Decimal(amount)},
        )


def remove_amounts(apps, schema_editor):
    apps.get_model("casework", "LeefloonAmount").objects.filter(
        valid_from=datetime.date(2024, 5, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(add_amounts, remove_amounts)]
