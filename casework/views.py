"""Pages of the casework app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from casework.access import get_client_or_404


@login_required
def home(request):
    return render(request, "casework/home.html")


@login_required
def client_detail(request, pk: int):
    client = get_client_or_404(request, pk)
    return render(request, "casework/client_detail.html", {"client": client})
