"""The obligation page's part on more time (延期申请) and exemption (免报): the requests and their
decisions for everyone who sees the obligation; the request form for the unit's liaison; the
decision for whoever decides (campaign.rules "decide_extension"); 免报 / 撤销免报 for the office
(campaign.rules "exempt"). Three queries at most."""

from access.policy import can
from campaign import extensions
from campaign.forms_extensions import ExemptionForm, ExtensionDecisionForm, ExtensionRequestForm
from campaign.models import ExtensionRequest


def extension_context(user, obligation, actions, forms):
    """`actions`: the obligation's available transitions (campaign.workflow); `forms`: bound forms
    to show again with their errors."""
    requests = list(obligation.extension_requests.select_related("requested_by", "decided_by").order_by("-requested_at", "-pk"))
    pending = next((r for r in requests if r.status == ExtensionRequest.Status.PENDING), None)
    may_request = pending is None and extensions.may_request(obligation, user)
    may_decide = pending is not None and can(user, "decide", pending)
    return {
        "extension_requests": requests,
        "pending_extension": pending,
        "extension_form": forms.get("extension_form") or (ExtensionRequestForm() if may_request else None),
        "decision_form": forms.get("decision_form") or (ExtensionDecisionForm() if may_decide else None),
        "exempt_form": forms.get("exempt_form") or (ExemptionForm() if "exempt" in actions else None),
        "unexempt_form": forms.get("unexempt_form") or (ExemptionForm() if "unexempt" in actions else None),
    }
