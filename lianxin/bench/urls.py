"""The real URLs plus `/bench/insert/`: the smallest useful Django write (one row inserted),
the baseline the Open311 benchmark compares filing a request with."""

import uuid

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lianxin.cases.models import SweepMark


@csrf_exempt
@require_POST
def insert_one(request):
    SweepMark.objects.create(key=f"bench:{uuid.uuid4().hex}")
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/insert/", insert_one),
    path("", include("lianxin.urls")),
]
