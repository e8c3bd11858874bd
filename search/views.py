from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import MAX_QUERY_CHARS, MAX_TERMS, Query, search


@require_GET
@login_required
def results(request):
    query = Query.parse(request.GET.get("q", ""))
    return render(
        request,
        "search/results.html",
        {
            "q": " ".join(query.terms),
            "search_q": " ".join(query.terms),
            "query": query,
            "results": search(request.scope, query),
            "max_chars": MAX_QUERY_CHARS,
            "max_terms": MAX_TERMS,
        },
    )
