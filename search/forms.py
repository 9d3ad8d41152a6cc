"""The search page's query string, read as the selectors take it."""

from __future__ import annotations

from django import forms

from search.query import KINDS
from search.selectors import SORTS, Filters


class SearchForm(forms.Form):
    """Unbound-tolerant: a value that makes no sense (an old or hand-edited
    link) is dropped, not reported, and the page still searches."""

    q = forms.CharField(required=False, strip=True)
    kind = forms.ChoiceField(choices=[("", ""), *KINDS.items()], required=False)
    department = forms.IntegerField(min_value=1, required=False)
    grade = forms.IntegerField(min_value=1, required=False)
    profession = forms.IntegerField(min_value=1, required=False)
    location = forms.IntegerField(min_value=1, required=False)
    sort = forms.ChoiceField(choices=SORTS.items(), required=False)
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.is_valid()

    def _value(self, name):
        return self.cleaned_data.get(name) or self.fields[name].initial

    @property
    def query(self) -> str:
        return self._value("q") or ""

    @property
    def filters(self) -> Filters:
        return Filters(
            kind=self._value("kind") or "",
            department=self._value("department"),
            grade=self._value("grade"),
            profession=self._value("profession"),
            location=self._value("location"),
        )

    @property
    def order(self) -> str:
        return self._value("sort") or "relevance"

    @property
    def page_number(self) -> int:
        return self._value("page") or 1
