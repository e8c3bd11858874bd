from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .. import services


@login_required
def index(request):
    """Inspectors land on their queue; everyone else on the ledger."""
    scope = request.scope
    if services.may_review_anything(scope) and not scope.full_write_org_ids:
        return redirect("rectification:review-queue")
    return redirect("rectification:measure-list")
