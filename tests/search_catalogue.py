"""A small fixed catalogue whose search results and counts are known by heart."""

from __future__ import annotations

from datetime import time

from directory.models import Language, Line, OrganizationKind, Schedule, ServiceArea
from tests import factories

WEEKDAYS_9_TO_17 = (("MO,TU,WE,TH,FR", time(9), time(17)),)


def build(session) -> dict[str, str]:
    """Six services; returns their ids by letter."""
    made = {}

    def add(
        letter,
        org_name,
        kind,
        service_name,
        help_codes,
        languages,
        free,
        line=Line.ZERO,
        neighbourhood=None,
        municipality=None,
        region=False,
        weekly=(),
        texts=None,
    ):
        org = factories.organization(session, name=org_name, kind=kind, line=line)
        svc = factories.service(
            session,
            org,
            name=service_name,
            help_codes=help_codes,
            neighbourhood=neighbourhood,
            weekly=weekly,
            is_free=free,
            texts=texts,
        )
        if municipality:
            svc.areas.append(
                ServiceArea(municipality=factories.municipality(session, municipality))
            )
        if region:
            svc.areas.append(ServiceArea(name="Brussels-Capital Region"))
        svc.languages = [Language(code=code) for code in languages]
        session.flush()
        made[letter] = str(svc.id)
        return svc

    add(
        "A",
        "Buurtwinkel De Zonnebloem",
        OrganizationKind.ASSOCIATION,
        "Samen naar de markt",
        ("shopping",),
        ("nl", "fr"),
        True,
        neighbourhood=8,
        weekly=WEEKDAYS_9_TO_17,
        texts={"nl": "Samen naar de markt"},
    )
    add(
        "B",
        "Buren van de Marollen",
        OrganizationKind.NEIGHBOUR_HELP_NETWORK,
        "Koffie en babbel",
        ("company-visits", "listening-ear"),
        ("nl", "ar"),
        True,
        neighbourhood=8,
    )
    add(
        "C",
        "Service social de la Ville",
        OrganizationKind.PUBLIC_SERVICE,
        "Aide à domicile",
        ("shopping",),
        ("fr",),
        False,
        line=Line.FIRST,
        municipality="21004",
        texts={"fr": "Aide à domicile"},
    )
    add(
        "D",
        "Shopping buddies",
        OrganizationKind.ONLINE_GROUP,
        "Errands together",
        ("shopping",),
        ("en",),
        None,
        region=True,
        texts={"en": "Errands together"},
    )
    add(
        "E",
        "Taalcafé Stalingrad",
        OrganizationKind.ASSOCIATION,
        "Nederlands oefenen",
        ("language-classes",),
        ("nl",),
        True,
        neighbourhood=9,
    )
    f = add(
        "F",
        "Alpha Molenbeek",
        OrganizationKind.RECOGNISED_SERVICE,
        "Cours de français",
        ("language-classes",),
        ("fr",),
        False,
        line=Line.FIRST,
        municipality="21012",
        texts={"fr": "Cours de français"},
    )
    f.schedules.append(Schedule(freq="MONTHLY", byday="1SA", opens_at=time(10), closes_at=time(12)))
    session.commit()
    return made
