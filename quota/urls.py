from django.urls import path

from . import views

app_name = "quota"

urlpatterns = [
    path("", views.status, name="status"),
]
