from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
]
