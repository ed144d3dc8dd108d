"""Who is asking: the client's IP address, one definition for the audit trail and django-axes."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: Any) -> str | None:
    """The address of the browser, or None when it cannot be known.

    Behind `TRAJECT_PROXY_COUNT` trusted reverse proxies, the address is the
    one the outermost trusted proxy saw (counted from the right of
    X-Forwarded-For: values further left are set by the client and can be
    forged). Without proxies it is REMOTE_ADDR.
    """
    if request is None:
        return None
    meta = getattr(request, "META", {})
    proxies = settings.TRAJECT_PROXY_COUNT
    if proxies > 0:
        forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies])
    return _valid_ip(meta.get("REMOTE_ADDR", "") or "")
