"""Links of the work queue: a form opened from the queue returns to it."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def with_next(url: str, next_url: str) -> str:
    """`url` with `next=<next_url>` added to its query string."""
    if not next_url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({'next': next_url})}"
