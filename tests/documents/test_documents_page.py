"""The documents page itself: its language, and what it costs."""

import pytest
from django.urls import reverse
from django.utils import translation

from documents.models import Upload
from documents.services import upload_document
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes
from tests.factories import DependantFactory

pytestmark = pytest.mark.django_db


def test_page_speaks_the_visitors_language(applicant_client, group):
    with translation.override("zh-hant"):
        url = reverse("documents:group", args=[group.public_id])
    assert url.startswith("/zh-hant/")
    page = applicant_client.get(url).content.decode()
    assert "未提交" in page and "旅行證件" in page and "上載" in page


def test_page_cost_does_not_grow_with_people_or_files(
    applicant_client, group, django_assert_max_num_queries
):
    for position in range(1, 9):
        DependantFactory(group=group, position=position)
    for application in group.applications.all():
        code = "A1" if application.is_principal else "C1"
        for _ in range(3):
            upload_document(
                group=group,
                application=application,
                requirement_code=code,
                file=uploaded(jpeg_bytes()),
            )
    assert Upload.objects.count() == 27
    with django_assert_max_num_queries(10):
        response = applicant_client.get(reverse("documents:group", args=[group.public_id]))
    assert response.status_code == 200
