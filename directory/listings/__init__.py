"""Organisations keeping their own listing true: editing, moderation and the change log."""

from flask import Flask, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from directory.listings import blueprint, presenting
from directory.models import Account, ChangeRequest, RequestStatus, Role
from directory.rendering.navigation import WorkLink, add_work_links


def work_links(account: Account, session) -> list[WorkLink]:
    """A member's organisation (straight to it when there is one), the coordinators'
    queue of proposed changes with how many wait."""
    if account.role is Role.ORGANIZATION_MEMBER:
        ids = sorted(account.organization_ids)
        if len(ids) == 1:
            url = url_for("listings.edit_organization", organization_id=ids[0])
            return [WorkLink(_("Your organisation"), url, None, 20)]
        return [WorkLink(_("Your organisations"), url_for("listings.index"), None, 20)]
    if account.role is Role.COORDINATOR:
        waiting = session.scalar(
            select(func.count())
            .select_from(ChangeRequest)
            .where(ChangeRequest.status == RequestStatus.PENDING)
        )
        return [WorkLink(_("Proposed changes"), url_for("listings.queue"), waiting or 0, 20)]
    return []


def init_app(app: Flask) -> None:
    presenting.init_app(app)
    add_work_links(app, work_links)
    app.register_blueprint(blueprint.bp, url_prefix="/<lang_code>/manage")
