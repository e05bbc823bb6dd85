from django.urls import include, path

from project import views

urlpatterns = [
    path("datocms/", include("datocms_app.urls")),
    path("", views.home, name="home"),
]
