from django.urls import include, path

from tests.caching import views

urlpatterns = [
    path("datocms/", include("datocms_app.urls")),
    path("article/<slug:slug>/", views.article),
    path("async/<slug:slug>/", views.article_async),
    path("lazy/", views.lazy),
    path("cookie/", views.with_cookie),
    path("csrf/", views.with_csrf),
    path("private/", views.private),
    path("own-max-age/", views.own_max_age),
    path("themed/", views.themed),
    path("vary-star/", views.vary_star),
    path("static/", views.static),
    path("missing/", views.missing),
    path("streaming/", views.streaming),
    path("draft/<slug:slug>/", views.draft),
    path("draft-query/", views.draft_query),
    path("plain/<slug:slug>/", views.plain),
    path("hooked/", views.hooked),
]
