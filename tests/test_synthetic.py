"""`flask seed --synthetic N`: a catalogue for scale work that never mixes with the real one."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import (
    Attribute,
    Language,
    Organization,
    Provenance,
    Service,
    ServiceArea,
    ServiceText,
)


def count(session, model, provenance) -> int:
    return session.scalar(
        select(func.count()).select_from(model).where(model.provenance == provenance)
    )


def test_synthetic_catalogue_has_a_realistic_spread_and_stays_apart(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["seed", "--synthetic", "600"])
    assert result.exit_code == 0, result.output
    assert "600 services" in result.output
    with empty_app.app_context():
        session = db.session()
        real = count(session, Service, Provenance.SOURCE_DOCUMENTS)
        assert count(session, Service, Provenance.SYNTHETIC) == 600
        kinds = Counter(
            session.scalars(
                select(Organization.kind).where(Organization.provenance == Provenance.SYNTHETIC)
            )
        )
        assert len(kinds) == 7
        synthetic = select(Service.id).where(Service.provenance == Provenance.SYNTHETIC)
        help_terms = session.scalar(
            select(func.count(func.distinct(Attribute.taxonomy_term_id))).where(
                Attribute.link_id.in_(synthetic)
            )
        )
        assert help_terms >= 25
        places = session.scalar(
            select(func.count(func.distinct(ServiceArea.neighbourhood_id))).where(
                ServiceArea.service_id.in_(synthetic)
            )
        )
        assert places >= 100
        languages = session.scalar(
            select(func.count(func.distinct(Language.code))).where(
                Language.service_id.in_(synthetic)
            )
        )
        assert languages >= 8
        text_locales = Counter(
            session.scalars(select(ServiceText.locale).where(ServiceText.service_id.in_(synthetic)))
        )
        assert {"nl", "fr", "en"} <= set(text_locales)

    # A second run replaces the synthetic catalogue and leaves the real seed alone.
    assert runner.invoke(args=["seed", "--synthetic", "50"]).exit_code == 0
    with empty_app.app_context():
        session = db.session()
        assert count(session, Service, Provenance.SYNTHETIC) == 50
        assert count(session, Service, Provenance.SOURCE_DOCUMENTS) == real
    assert runner.invoke(args=["seed", "--synthetic", "0"]).exit_code == 0
    with empty_app.app_context():
        assert count(db.session(), Organization, Provenance.SYNTHETIC) == 0


def test_synthetic_listings_say_they_are_not_real(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["seed", "--synthetic", "5"]).exit_code == 0
    with empty_app.app_context():
        service_id = db.session().scalar(
            select(Service.id).where(Service.provenance == Provenance.SYNTHETIC)
        )
    text = empty_app.test_client().get(f"/en/services/{service_id}").get_data(as_text=True)
    assert "Test data: this listing does not exist." in text
