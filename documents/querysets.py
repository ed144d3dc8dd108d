"""Reads of documents in domain words."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from access.rules import health_data_clients_filter, visible_records_filter
from casework.models import Client


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> DocumentQuerySet:
        """The documents `user` may see: of the client files they may open
        (`access.rules`), and health-data documents only of the clients whose health
        data they may see."""
        health = Client.objects.filter(health_data_clients_filter(user)).values("pk")
        return self.filter(visible_records_filter(self.model, user)).filter(
            Q(health_data=False) | Q(client__in=health)
        )

    def of_clients(self, client_ids: Any) -> DocumentQuerySet:
        return self.filter(client_id__in=client_ids)
