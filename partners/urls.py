from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
]
