from django.urls import path

from desk.views import programmes as views

app_name = "programmes"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
]
