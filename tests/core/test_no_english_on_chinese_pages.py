"""Chinese pages say nothing in English: each role's pages (home, every navigation entry, the
forms) are read as text and searched for English words an interface string would leave."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from haihe.accounts.roles import Role
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    worker,
)

pytestmark = pytest.mark.django_db

# Words that are not interface strings: formats, protocols, the product's proper names.
ALLOWED = {
    "CSV",
    "xlsx",
    "csv",
    "xAPI",
    "API",
    "HTTP",
    "Basic",
    "JSON",
    "OpenAPI",
    "English",
    "Excel",
}
ALLOWED |= {"Authorization", "Bearer"}  # an HTTP header, named in the tokens page's help
WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")


class _Text(HTMLParser):
    """The visible text of a page: no script, style, code or attribute."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._tags = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "template") or ("lang", "en") in attrs:
            self._skip += 1
            self._tags.append(tag)
        for name, value in attrs:  # what a person reads in attributes
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if self._tags and tag == self._tags[-1]:
            self._tags.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str, allowed: set[str]) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return {w for w in WORD.findall(" ".join(parser.parts)) if w not in allowed}


def test_the_detector_finds_english_in_text_not_in_code_or_urls():
    html = (
        '<p>您好</p><select><option value="">- Select an option -</option></select>'
        '<code>training_class.submit</code><a href="/training/">培训班</a>'
        '<input placeholder="Search here"><td lang="en">Welder</td>'
    )
    assert english_words(html, set()) == {"Select", "option", "Search", "here"}


def test_a_select_with_a_blank_choice_reads_in_chinese(client, districts):
    client.force_login(org_admin(OrganisationFactory(kinds=["training_institution"])))
    page = client.get(reverse("training:class_new")).content.decode()
    assert "Select an option" not in page and "- 请选择 -" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("training:class_new"), headers={"accept-language": "en"})
    assert "- Select an option -" in page.content.decode()


@pytest.mark.parametrize(
    "role",
    ["bureau_admin", "municipal_reviewer", "district_reviewer", "org_admin", "expert", "worker"],
)
def test_no_english_on_the_chinese_pages_of_each_role(client, districts, role):
    organisation = OrganisationFactory(
        kinds=["training_institution", "online_training_platform"], district=districts["120101"]
    )
    user = {
        "bureau_admin": lambda: bureau_admin(),
        "municipal_reviewer": lambda: municipal_reviewer(),
        "district_reviewer": lambda: district_reviewer(districts["120101"]),
        "org_admin": lambda: org_admin(organisation),
        "expert": lambda: UserFactory(role=Role.EXPERT, person=PersonFactory()),
        "worker": lambda: worker(PersonFactory(district=districts["120101"])),
    }[role]()
    client.force_login(user)
    home = client.get("/")
    urls = ["/", *[item["url"] for item in home.context["nav_items"]]]
    if role == "org_admin":
        urls += [reverse("training:class_new")]
    allowed = ALLOWED | set(WORD.findall(user.username))
    found = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        words = english_words(response.content.decode(), allowed)
        if words:
            found[url] = sorted(words)
    assert found == {}
