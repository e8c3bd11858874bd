from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..home import cards_for
from ..todo import todo_for


@login_required
def home(request):
    return render(
        request, "reports/home.html", {"cards": cards_for(request), "todo": todo_for(request)}
    )


@login_required
def index(request):
    return redirect("reports:dashboard")
