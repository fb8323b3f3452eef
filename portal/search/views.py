"""The search results page (/search/?q=…): the header box's answer, grouped by kind."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from .selectors import GROUP_LIMIT, MIN_LENGTH, search, search_query


class SearchView(LoginRequiredMixin, View):
    def get(self, request):
        text = request.GET.get("q", "")
        query = search_query(text)
        groups = search(user=request.user, query=query) if query else []
        return render(
            request,
            "search/results.html",
            {
                "q": " ".join(text.split())[:100],
                "too_short": query is None,
                "min_length": MIN_LENGTH,
                "limit": GROUP_LIMIT,
                "groups": groups,
                "total": sum(g.count for g in groups),
            },
        )
