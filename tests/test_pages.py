"""The first pages: home, a page per organisation and per service, and the 404."""

from __future__ import annotations

import html
import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from directory.labels import KIND_LABELS
from directory.models import Contact, Organization, OrganizationKind, Phone
from directory.seeding.loader import seed_id
from tests import factories

BRUSSELS = ZoneInfo("Europe/Brussels")


def page_text(response) -> str:
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("fr-BE,fr;q=0.9,en;q=0.5", "/fr/"),
        ("nl-BE", "/nl/"),
        ("en-GB,en", "/en/"),
        ("de-DE", "/nl/"),
        ("", "/nl/"),
    ],
)
def test_the_root_picks_the_browser_language(client, accept, expected):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.location.endswith(expected)
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("nl", "Wie helpt?"),
        ("fr", "Qui aide ?"),
        ("en", "Who helps?"),
    ],
)
def test_home_is_in_the_language_of_the_url(client, lang, heading):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="ltr">' in body
    assert heading in page_text(response)
    for other, name in (("nl", "Nederlands"), ("fr", "Français"), ("en", "English")):
        assert f'href="/{other}/"' in body
        assert name in body


def test_home_lists_kinds_of_help_and_kinds_of_organisation(client):
    text = page_text(client.get("/fr/"))
    assert "Courses" in text
    assert "Soins" in text
    assert "Réseau social" in text
    assert "Service public" in text
    assert re.search(r"19\d* fiches?|\d+ fiches", text)


def test_the_language_switcher_keeps_the_page(client):
    accolage = seed_id("organization", "accolage")
    body = client.get(f"/nl/organizations/{accolage}").get_data(as_text=True)
    assert f'href="/fr/organizations/{accolage}"' in body
    body = client.get("/nl/kinds/association?page=1").get_data(as_text=True)
    assert 'href="/en/kinds/association?page=1"' in body


@pytest.mark.parametrize("kind", list(OrganizationKind))
def test_a_listing_page_for_every_kind_of_organisation(client, session, kind):
    organization = factories.organization(session, name=f"Test {kind.value}", kind=kind)
    factories.service(
        session, organization, name="Dienst", help_codes=("shopping",), neighbourhood=8
    )
    session.commit()
    response = client.get(f"/en/organizations/{organization.id}")
    assert response.status_code == 200
    text = page_text(response)
    assert f"Test {kind.value}" in text
    assert str(KIND_LABELS[kind]) in text
    assert "Shopping" in text
    assert "Marolles / Marollen" in text
    kind_page = page_text(client.get(f"/en/kinds/{kind.value}"))
    assert f"Test {kind.value}" in kind_page


def test_an_informal_listing_shows_its_relay_and_no_address(client, session):
    relay = factories.organization(session, name="Buurthuis De Relais")
    group = factories.organization(
        session,
        name="Burenhulp Kuregem",
        kind=OrganizationKind.NEIGHBOUR_HELP_NETWORK,
        relay_organization_id=relay.id,
    )
    person = Contact(name="Samira", title="buurtwerker", is_relay=True)
    person.phones.append(Phone(number="02 000 00 00"))
    group.contacts.append(person)
    factories.service(session, group, name="Boodschappen samen", help_codes=("shopping",))
    session.commit()
    text = page_text(client.get(f"/nl/organizations/{group.id}"))
    assert "Deze groep heeft zelf geen contactgegevens. Je bereikt ze via:" in text
    assert "Samira" in text
    assert "02 000 00 00" in text
    assert "Buurthuis De Relais" in text
    assert "Adres" not in text


def test_a_seed_listing_says_it_is_not_checked(client):
    accolage = seed_id("organization", "accolage")
    text = page_text(client.get(f"/fr/organizations/{accolage}"))
    assert "Pas encore vérifié" in text
    assert "Accolage" in text


def test_opening_hours_follow_the_locale_and_the_clock(app, client, session):
    organization = factories.organization(session)
    service = factories.service(
        session, organization, weekly=(("MO,TU", time(9), time(12, 30)), ("MO", time(14), time(17)))
    )
    session.commit()
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS)  # a Monday
    nl = page_text(client.get(f"/nl/services/{service.id}"))
    assert "maandag 23 november" in nl
    assert "09:00" in nl
    assert "14:00" in nl
    assert "Nu open" in nl
    en = page_text(client.get(f"/en/services/{service.id}"))
    # English as written in Brussels (en-GB): day before month, a 24-hour clock.
    assert "Monday 23 November" in en
    assert "14:00" in en
    assert "PM" not in en
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 13, 0, tzinfo=BRUSSELS)
    assert "Fermé maintenant" in page_text(client.get(f"/fr/services/{service.id}"))


def test_text_missing_in_the_readers_language_falls_back_with_a_note(client, session):
    organization = factories.organization(session, texts={"fr": "Maison de quartier"})
    session.commit()
    text = page_text(client.get(f"/en/organizations/{organization.id}"))
    assert "Maison de quartier" in text
    assert "not available in your language" in text
    assert "not available in your language" not in page_text(
        client.get(f"/fr/organizations/{organization.id}")
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/nl/organizations/00000000-0000-4000-8000-000000000000", "Pagina niet gevonden"),
        ("/fr/services/00000000-0000-4000-8000-000000000000", "Page introuvable"),
        ("/en/organizations/not-a-uuid", "Page not found"),
        ("/fr/kinds/ministry", "Page introuvable"),
        ("/fr/no-such-page", "Page introuvable"),
    ],
)
def test_unknown_pages_give_a_404_in_the_page_language(client, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in page_text(response)
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_404_without_a_language_uses_the_browser_language(client):
    response = client.get("/xx/organizations/1", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert "Page introuvable" in page_text(response)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999999999999"])
def test_odd_page_numbers_give_a_normal_page(client, page):
    response = client.get(f"/nl/kinds/public_service?page={page}")
    assert response.status_code == 200


def test_every_seed_listing_renders(client, session):
    for organization in session.scalars(select(Organization)).all():
        assert client.get(f"/fr/organizations/{organization.id}").status_code == 200
        for service in organization.services:
            assert client.get(f"/nl/services/{service.id}").status_code == 200


def test_every_kind_of_help_has_a_pictogram_hidden_from_screen_readers(client, session):
    from directory.models import TaxonomyTerm

    assert all(term.icon for term in session.scalars(select(TaxonomyTerm)))
    body = client.get("/nl/").get_data(as_text=True)
    assert '<span class="icon" aria-hidden="true">🛒</span> Boodschappen' in body


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "ar", "tr", "es", "pt", "pl", "ro"])
def test_every_language_has_its_pages_and_its_own_name_in_the_switcher(client, lang):
    body = client.get(f"/{lang}/").get_data(as_text=True)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in body
    for code, name in (
        ("ar", "العربية"),
        ("tr", "Türkçe"),
        ("pl", "Polski"),
        ("ro", "Română"),
        ("es", "Español"),
        ("pt", "Português"),
    ):
        assert f'lang="{code}" hreflang="{code}"' in body
        assert name in body
    assert client.get(f"/{lang}/search?q=x").status_code == 200


def test_arabic_is_chosen_from_the_browser(client):
    response = client.get("/", headers={"Accept-Language": "ar-MA,ar;q=0.9,fr;q=0.5"})
    assert response.location.endswith("/ar/")


def test_bidirectional_controls_in_listing_text_are_neutralised(client, session):
    spoof = "Buurthuis \u202egnitsil\u202c echt"
    organization = factories.organization(session, texts={"nl": spoof})
    session.commit()
    body = client.get(f"/nl/organizations/{organization.id}").get_data(as_text=True)
    assert "\u202e" not in body
    assert "\u202c" not in body
    assert "Buurthuis gnitsil echt" in body
    assert "<bdi>Buurthuis gnitsil echt</bdi>" in body


def test_machine_translated_text_is_labelled(client, session):
    organization = factories.organization(session, texts={"nl": "Buurthuis", "fr": "Maison"})
    organization.texts["fr"].is_machine_translated = True
    session.commit()
    assert "translated by a computer" not in page_text(
        client.get(f"/en/organizations/{organization.id}")
    )
    assert "traduit par un ordinateur" in page_text(
        client.get(f"/fr/organizations/{organization.id}")
    )


def test_user_text_is_escaped(client, session):
    organization = factories.organization(session, texts={"nl": "<script>alert(1)</script>"})
    session.commit()
    body = client.get(f"/nl/organizations/{organization.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_one_process_serves_each_language_its_own_words(client):
    # Templates are compiled once per language with their sentences translated: a copy
    # compiled for one language must never serve another.
    for lang, heading in [("nl", "Wie helpt?"), ("fr", "Qui aide ?"), ("nl", "Wie helpt?")]:
        assert heading in page_text(client.get(f"/{lang}/"))
    assert "Recherche" in page_text(client.get("/fr/search?q=soupe"))
    assert "Zoeken" in page_text(client.get("/nl/search?q=soupe"))


def test_words_put_into_a_translated_sentence_are_escaped(client):
    body = client.get("/fr/search?q=<i>soupe</i>").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", body, flags=re.S).group(1)
    assert "&lt;i&gt;soupe&lt;/i&gt;" in title
    assert "<i>" not in body


def test_a_template_translated_when_compiled_prints_what_gettext_gives(app):
    from flask_babel import gettext, ngettext

    source = (
        '{{ _("Search") }}|{{ _("Page %(number)d of %(count)d", number=2, count=5) }}'
        '|{{ _(word) }}|{{ ngettext("%(num)d result", "%(num)d results", n) }}'
    )
    # Every plural form: Arabic has six, Polish three, French counts 0 as singular.
    for lang in ("fr", "ar", "nl", "pl"):
        for n in (0, 1, 2, 3, 5, 11, 22, 100, 101):
            with app.test_request_context(f"/{lang}/"):
                app.preprocess_request()
                expected = "|".join(
                    [
                        gettext("Search"),
                        gettext("Page %(number)d of %(count)d", number=2, count=5),
                        gettext("Remove"),
                        ngettext("%(num)d result", "%(num)d results", n),
                    ]
                )
                assert app.jinja_env.from_string(source).render(word="Remove", n=n) == expected


def test_a_query_parameter_named_like_a_route_value_is_no_error(client):
    # The language switcher rebuilds this page's address: the route's own values win.
    response = client.get("/nl/search?q=soep&lang_code=fr&page=1")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'href="/fr/search?q=soep&amp;page=1" lang="fr"' in body
    assert client.get("/fr/?lang_code=nl").status_code == 200
