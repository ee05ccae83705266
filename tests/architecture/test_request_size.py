"""Every deployable answers a request too large to read with a page that says so, never a
500: a body over ``TAXGOV_MAX_REQUEST_BYTES`` is refused before it is read (413), and what
Django will not parse (too many fields or files, fields too large) gets the 400 page. Runs once per
deployable."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db
TOO_LARGE = "What you sent is too large"
UNREADABLE = "We could not read what you sent"


def test_a_body_over_the_cap_is_refused_before_it_is_read(client):
    response = client.post("/", {"file": b""}, CONTENT_LENGTH=str(10 * 1024**3))

    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()


def test_the_page_is_in_the_persons_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = client.post("/", {"file": b""}, CONTENT_LENGTH=str(settings.TAXGOV_MAX_REQUEST_BYTES + 1))

    assert "Lo que nos envió es demasiado grande" in response.content.decode()


@pytest.mark.parametrize(
    "form",
    [
        {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)},
        {"language": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
        {"file": [SimpleUploadedFile(f"{n}.jpg", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]},
    ],
    ids=["too many fields", "fields too large", "too many files"],
)
def test_a_form_django_will_not_parse_gets_the_400_page(client, form):
    response = client.post("/i18n/setlang/", form)

    assert response.status_code == 400
    assert UNREADABLE in response.content.decode()
