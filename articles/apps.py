from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from newsroom.page_cache import watch_all_connections

        watch_all_connections()
