"""Pages of the casework app (a package: one module per screen)."""

from desk.views.agenda import (
    AgendaView,
    AppointmentStatusView,
    CalendarFeedSettingsView,
    calendar_feed,
)
from desk.views.caseload import CaseloadView
from desk.views.client_file import ClientFileView, RecordFormView
from desk.views.data_quality import DataQualityView
from desk.views.documents import (
    DocumentDeleteView,
    DocumentDownloadView,
    DocumentUploadView,
    GpmiContractView,
)
from desk.views.home import HomeView, WorkQueueView
from desk.views.team import TeamView, TransferDoneView, TransferView

__all__ = [
    "AgendaView",
    "AppointmentStatusView",
    "CalendarFeedSettingsView",
    "CaseloadView",
    "ClientFileView",
    "DataQualityView",
    "DocumentDeleteView",
    "DocumentDownloadView",
    "DocumentUploadView",
    "GpmiContractView",
    "HomeView",
    "RecordFormView",
    "TeamView",
    "TransferDoneView",
    "TransferView",
    "WorkQueueView",
    "calendar_feed",
]
