"""The home page: one panel per kind of work the person has, filled by the apps (core.panels)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core import clock, panels


@login_required
def home(request):
    filled = panels.fill("home", request, now=clock.now())
    return render(request, "core/home.html", {"panels": filled})
