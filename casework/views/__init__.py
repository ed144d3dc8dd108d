"""Pages of the casework app (a package: one module per screen)."""

from casework.views.caseload import CaseloadView
from casework.views.client_file import ClientFileView, RecordFormView
from casework.views.home import HomeView, WorkQueueView
from casework.views.team import TeamView, TransferDoneView, TransferView

__all__ = [
    "CaseloadView",
    "ClientFileView",
    "HomeView",
    "RecordFormView",
    "TeamView",
    "TransferDoneView",
    "TransferView",
    "WorkQueueView",
]
