from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from intranet import health
        from search.health import index_state

        health.register("search_index", index_state)
