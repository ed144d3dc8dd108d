"""Registers the Django admin of the domain's models (discovered by `django.contrib.admin`).

The admins live here, above the access rules, and not in the domain apps: they
scope every list and choice to what the user may see (`access.rules`), which the
domain apps below the access layer may not import. User accounts too
(`users_admin`, instead of Django's own)."""

from backoffice import (  # noqa: F401 (registration)
    casework_admin,
    documents_admin,
    partners_admin,
    users_admin,
)
