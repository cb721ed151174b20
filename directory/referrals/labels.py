"""Translated names of a referral's statuses, reasons, channels and urgencies."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from directory.models import ContactChannel, DeclineReason, ReferralStatus, Urgency

STATUS_LABELS = {
    ReferralStatus.REQUESTED: _l("Sent, not yet acknowledged"),
    ReferralStatus.RECEIVED: _l("Acknowledged"),
    ReferralStatus.ACCEPTED: _l("Accepted"),
    ReferralStatus.DECLINED: _l("Declined"),
    ReferralStatus.IN_PROGRESS: _l("In progress"),
    ReferralStatus.COMPLETED: _l("Completed"),
    ReferralStatus.FAILED: _l("Ended without result"),
    ReferralStatus.CANCELLED: _l("Cancelled by the info point"),
    ReferralStatus.CONSENT_WITHDRAWN: _l("Consent withdrawn"),
}

# What the button that makes each step says.
STEP_LABELS = {
    ReferralStatus.RECEIVED: _l("Acknowledge receipt"),
    ReferralStatus.ACCEPTED: _l("Accept"),
    ReferralStatus.DECLINED: _l("Decline"),
    ReferralStatus.IN_PROGRESS: _l("Mark as in progress"),
    ReferralStatus.COMPLETED: _l("Close: help given"),
    ReferralStatus.FAILED: _l("Close: no result"),
    ReferralStatus.CANCELLED: _l("Cancel this referral"),
    ReferralStatus.CONSENT_WITHDRAWN: _l("The client withdrew consent"),
}

REASON_LABELS = {
    DeclineReason.NO_CAPACITY: _l("No capacity"),
    DeclineReason.NOT_ELIGIBLE: _l("Not eligible"),
    DeclineReason.LANGUAGE: _l("Language"),
    DeclineReason.COULD_NOT_CONTACT: _l("Could not contact the client"),
    DeclineReason.OTHER: _l("Other reason"),
}

CHANNEL_LABELS = {
    ContactChannel.PHONE: _l("By phone"),
    ContactChannel.EMAIL: _l("By email"),
    ContactChannel.THROUGH_REFERRER: _l("Only through the info point"),
}

URGENCY_LABELS = {
    Urgency.ROUTINE: _l("Not urgent"),
    Urgency.SOON: _l("This week"),
    Urgency.URGENT: _l("Urgent: today or tomorrow"),
}
