from django.shortcuts import render


def directory(request):
    return render(request, "spaces/directory.html")
