"""Translated names of what a report is about and of the states of reports and claims."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from directory.models import ReportStatus, RequestStatus

ERROR_KIND_LABELS = {
    "hours": _l("The opening hours"),
    "contact": _l("The phone number, email or website"),
    "address": _l("The address"),
    "closed": _l("It has closed or no longer exists"),
    "other": _l("Something else"),
}

REPORT_STATUS_LABELS = {
    ReportStatus.OPEN: _l("Open"),
    ReportStatus.RESOLVED: _l("Resolved: the listing was corrected"),
    ReportStatus.DISMISSED: _l("Dismissed"),
}

CLAIM_STATUS_LABELS = {
    RequestStatus.PENDING: _l("Waiting for a decision"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}
