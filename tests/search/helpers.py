"""Reading the Whoosh index straight from its files, around haystack and our
backend, so that a test sees what is really stored."""

from whoosh.index import exists_in, open_dir


def stored_documents(path) -> list[dict]:
    if not exists_in(str(path)):
        return []
    with open_dir(str(path)).searcher() as searcher:
        return list(searcher.documents())


def indexed_pks(path, model_ct: str = "profiles.profile") -> set[int]:
    """The primary keys of the objects of `model_ct` that have a document."""
    return {
        int(document["django_id"])
        for document in stored_documents(path)
        if document["django_ct"] == model_ct
    }


def stored_document(path, obj) -> dict:
    (document,) = (
        document
        for document in stored_documents(path)
        if document["django_id"] == str(obj.pk)
        and document["django_ct"] == f"{obj._meta.app_label}.{obj._meta.model_name}"
    )
    return document


def generation(path) -> int:
    """Whoosh's commit counter: one more for every commit."""
    return open_dir(str(path)).latest_generation()
