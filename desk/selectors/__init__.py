"""Reads that join several models for the desk's pages (HackSoft's selectors): views call
these, never build them."""

from desk.selectors.clients import clients_with_status, running_counts

__all__ = ["clients_with_status", "running_counts"]
