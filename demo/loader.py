"""Load the demo campaign into the database, idempotently.

Every row is found by its natural key (campaign name, batch ordinal, phase code,
unit code, document number or issuer and title, requirement title within its
directive, group name, username) and created only when missing, so running the
loader again changes nothing and edits made through the product survive it.
Requirements fan out on every run, which gives units added since their obligations
(DESIGN rule 2) and never duplicates one.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.actions import issue_initial_password
from campaign.actions import enrol, fan_out, save_requirement, upload_attachment_file
from campaign.docnumbers import parse_document_number
from campaign.models import Batch, Campaign, Directive, DirectiveAttachment, Participation, Phase, Requirement
from demo import accounts, campaign_data, directives, groups, motion, reference, samples, study, unit_tree
from demo.affiliations import load_party_affiliations
from rectification.models import LookBackCheckpoint, SpecialRectification
from supervision.models import GroupAssignment, GroupMember, SupervisionGroup
from units.models import Unit, UnitMembership
from units.signals import collect_new_units


@dataclass
class LoadResult:
    created: dict = field(default_factory=dict)
    obligations_created: int = 0
    participations_created: int = 0
    # Steps of demo.motion played (0 once the story has been played).
    motion_steps: int = 0
    # Production only (shared_password=False): {username: the initial password of each new login}.
    initial_passwords: dict = field(default_factory=dict)

    def add(self, label, was_created):
        self.created[label] = self.created.get(label, 0) + (1 if was_created else 0)


LOOKBACK_PLAN_DIRECTIVE = "浙整改办发〔2015〕2号"


@transaction.atomic
def load_demo(shared_password=True, story=True):
    """Create whatever of the demo campaign is missing; returns what was created.

    With `shared_password` (a development machine) every demo login gets DEMO_PASSWORD, the
    one `make run` prints. Without it (loaded into production on purpose) each new login gets
    its own initial password, returned once in `initial_passwords` and to be changed at first
    login: a published password must never open a production system.

    With `story` (the default) the campaign is shown in motion as of 8 January 2014 (demo.motion);
    without it, as it stood before anyone acted: every obligation pending, no reminder sent."""
    result = LoadResult()
    the_campaign = _load_campaign(result)
    batches = {b.ordinal: b for b in the_campaign.batches.all()}
    phases = {p.code: p for p in the_campaign.phases.all()}
    unit_by_code = _load_units(the_campaign, batches, result)
    load_party_affiliations(unit_by_code, result)
    directive_by_key = _load_directives(the_campaign, unit_by_code, result)
    _load_reference_data(result)
    users = _load_accounts(unit_by_code, result, shared_password)
    _load_groups(the_campaign, unit_by_code, users, result)
    _load_requirements(directive_by_key, unit_by_code, batches, phases, result)
    _load_liaisons_of_bound_units(result)
    if story:
        result.motion_steps = motion.play(unit_by_code)
    thresholds, opinions = study.load(the_campaign, unit_by_code, story=story)
    result.created["study thresholds"] = thresholds
    result.created["opinions"] = opinions
    return result


def _load_campaign(result):
    spec = dict(campaign_data.CAMPAIGN)
    the_campaign, created = Campaign.objects.get_or_create(name=spec.pop("name"), defaults=spec)
    result.add("campaign", created)
    for batch in campaign_data.BATCHES:
        batch = dict(batch)
        _obj, created = Batch.objects.get_or_create(campaign=the_campaign, ordinal=batch.pop("ordinal"), defaults=batch)
        result.add("batches", created)
    for ordinal, (code, name) in enumerate(campaign_data.PHASES, start=1):
        _obj, created = Phase.objects.get_or_create(campaign=the_campaign, code=code, defaults={"ordinal": ordinal, "name": name})
        result.add("phases", created)
    return the_campaign


def _load_units(the_campaign, batches, result):
    rows = unit_tree.unit_rows()
    existing = {u.code: u for u in Unit.objects.filter(code__in=[row.code for row in rows])}
    # New units join existing requirements in one pass at the end, not one unit at a time.
    with collect_new_units():
        _create_missing_units(rows, existing, result)
    taking_part = set(Participation.objects.filter(campaign=the_campaign).values_list("unit_id", flat=True))
    for ordinal, batch in batches.items():
        joining = [existing[row.code] for row in rows if row.batch == ordinal and existing[row.code].pk not in taking_part]
        result.participations_created += enrol(joining, campaign=the_campaign, batch=batch, joined_on=batch.starts_on, actor=None)
    return existing


def _create_missing_units(rows, existing, result):
    for row in rows:
        created = row.code not in existing
        if created:
            existing[row.code] = Unit.objects.create(
                code=row.code,
                name=row.name,
                parent=existing[row.parent_code] if row.parent_code else None,
                level=row.level,
                unit_type=row.unit_type,
                is_window_unit=row.is_window_unit,
                is_contact_point=row.is_contact_point,
            )
        result.add("units", created)


def _find_directive(spec, issuer):
    if spec.number:
        number = parse_document_number(spec.number)
        return Directive.objects.filter(agency_code=number.agency, year=number.year, serial=number.serial).first()
    return Directive.objects.filter(issuing_unit=issuer, title=spec.title).first()


def _load_directives(the_campaign, unit_by_code, result):
    by_key = {}
    for spec in directives.DIRECTIVES:
        issuer = unit_by_code[spec.issuer_code]
        directive = _find_directive(spec, issuer)
        created = directive is None
        if created:
            text = directives.extract(spec)
            directive = Directive(
                campaign=the_campaign,
                doc_type=spec.doc_type,
                issuing_unit=issuer,
                issuer_name=spec.issuer_name,
                title=spec.title,
                primary_recipients=text["primary_recipients"],
                copy_recipients=spec.copy_recipients,
                signed_on=spec.signed_on,
                printed_on=spec.printed_on,
                body=text["body"],
            )
            directive.set_number(spec.number)
            directive.save()
            for attachment in text["attachments"]:
                DirectiveAttachment.objects.create(directive=directive, **attachment)
        result.add("directives", created)
        by_key[spec.key] = directive
    for spec in directives.DIRECTIVES:
        if spec.forwards:
            by_key[spec.key].forwards.add(*(by_key[key] for key in spec.forwards))
    _attach_lookback_plan_file(result)
    return by_key


def _attach_lookback_plan_file(result):
    """The 实施方案 of 浙整改办发〔2015〕2号 as a file (a generated PDF), so that its preview works."""
    attachment = DirectiveAttachment.objects.filter(
        directive__number=LOOKBACK_PLAN_DIRECTIVE, ordinal=1, stored_name=""
    ).first()
    if attachment is not None:
        pdf = SimpleUploadedFile("开展教育实践活动整改落实情况“回头看”的实施方案.pdf", samples.pdf(samples.LOOKBACK_PLAN_LINES))
        upload_attachment_file(attachment, pdf, actor=None)
    result.add("attachment files", attachment is not None)


def _load_reference_data(result):
    for ordinal, name in enumerate(reference.SPECIAL_RECTIFICATIONS, start=1):
        _obj, created = SpecialRectification.objects.get_or_create(
            name=name, defaults={"ordinal": ordinal, "source": reference.SPECIAL_RECTIFICATION_SOURCE}
        )
        result.add("special rectifications", created)
    for ordinal, (area, question) in enumerate(reference.LOOKBACK_CHECKPOINTS, start=1):
        _obj, created = LookBackCheckpoint.objects.get_or_create(ordinal=ordinal, defaults={"area": area, "question": question})
        result.add("look-back checkpoints", created)


def get_or_create_user(username, display_name, password_hash=None, superuser=False):
    """A user created once; an existing user (and a password changed since) is left alone."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = user_model(
        username=username,
        full_name=display_name,
        email=f"{username}@demo.invalid",  # the demo's console email backend shows what they would receive
        is_staff=superuser,
        is_superuser=superuser,
    )
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.save()
    return user, True


def _load_accounts(unit_by_code, result, shared_password):
    users = {}
    password_hash = None
    for spec in accounts.DEMO_ACCOUNTS:
        if shared_password and password_hash is None and not get_user_model().objects.filter(username=spec.username).exists():
            # One slow hash for all new demo accounts, not one per account.
            password_hash = make_password(accounts.DEMO_PASSWORD)
        user, created = get_or_create_user(spec.username, spec.display_name, password_hash, spec.superuser)
        if created and not shared_password:
            result.initial_passwords[spec.username] = issue_initial_password(user)
        result.add("accounts", created)
        if spec.unit_code:
            _obj, created = UnitMembership.objects.get_or_create(user=user, unit=unit_by_code[spec.unit_code], role=spec.role)
            result.add("unit memberships", created)
        users[spec.username] = user
    return users


def _load_groups(the_campaign, unit_by_code, users, result):
    province = unit_by_code[unit_tree.ZHEJIANG_CODE]
    for spec in groups.GROUPS:
        group, created = SupervisionGroup.objects.get_or_create(
            campaign=the_campaign, office=province, name=spec.name, defaults={"kind": spec.kind}
        )
        result.add("supervision groups", created)
        people = [(spec.leader, True, f"{spec.name}组长")] + [(m, False, f"{spec.name}成员") for m in spec.members]
        for username, is_leader, display_name in people:
            user = users.get(username)
            if user is None:
                user, created = get_or_create_user(username, display_name)
                result.add("accounts", created)
            _obj, created = GroupMember.objects.get_or_create(group=group, user=user, defaults={"is_leader": is_leader})
            result.add("group members", created)
        for code, include_subtree, starts_on in spec.assignments:
            _obj, created = GroupAssignment.objects.get_or_create(
                group=group, unit=unit_by_code[code], starts_on=starts_on, defaults={"include_subtree": include_subtree}
            )
            result.add("group assignments", created)


def _load_requirements(directive_by_key, unit_by_code, batches, phases, result):
    for spec in campaign_data.REQUIREMENTS:
        directive = directive_by_key[spec.directive]
        requirement = Requirement.objects.filter(directive=directive, title=spec.title).first()
        created = requirement is None
        if created:
            requirement = Requirement(
                directive=directive,
                title=spec.title,
                description=spec.description,
                phase=phases[spec.phase],
                scope_unit=unit_by_code[spec.scope_code],
                submit_to=unit_by_code[spec.submit_to_code],
                target_batch=batches[spec.target_batch] if spec.target_batch else None,
                target_levels=list(spec.target_levels),
                target_unit_types=list(spec.target_unit_types),
                deadline_text=spec.deadline_text,
                route=spec.route,
            )
            _requirement, added, _removed = save_requirement(requirement, actor=None)
            result.obligations_created += added
        else:
            result.obligations_created += fan_out(requirement, actor=None)
        result.add("requirements", created)


def _load_liaisons_of_bound_units(result):
    """Every unit that owes a report gets a liaison, so that reminders reach someone (DESIGN rule 5).

    The named demo accounts cover one unit per role; the other units' liaisons are
    accounts that cannot log in, with a mailbox for the console email backend.
    """
    bound = Unit.objects.filter(obligations__isnull=False).distinct()
    without_liaison = bound.exclude(memberships__role=UnitMembership.Role.LIAISON).order_by("code")
    for unit in without_liaison:
        user, created = get_or_create_user(f"liaison_{unit.code}", f"{unit.name}联络员")
        result.add("accounts", created)
        _obj, created = UnitMembership.objects.get_or_create(user=user, unit=unit, role=UnitMembership.Role.LIAISON)
        result.add("unit memberships", created)
