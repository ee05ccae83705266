"""Writes of the business tax account: registering and revalidating Designated Officials,
naming and removing the people who act for an entity, and switching accounts. Each is audited;
role changes for one entity run one at a time (under the entity's row lock), so two officials
removing each other at once can never leave the entity without one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.federal.accounts.models import User
from taxgov.federal.business import queries
from taxgov.federal.business.models import BusinessRole, RoleKind
from taxgov.federal.business.queries import Answers, Refusal
from taxgov.federal.business.tags import BusinessTag
from taxgov.ledger.models import Taxpayer


class BusinessRoleError(Exception):
    """The change cannot be made; the message says why and nothing was changed."""


def _lock(entity: Taxpayer) -> None:
    Taxpayer.objects.select_for_update().filter(pk=entity.pk).first()


def _signed(role: BusinessRole, answers: Answers, today: dt.date) -> None:
    role.title, role.validated_on, role.attested_at = answers.title, today, timezone.now()


def _refused(
    tag: BusinessTag, user: User, entity: Taxpayer | None, refusal: Refusal, request: HttpRequest | None
) -> None:
    record_event(
        tag,
        actor=f"user:{user.pk}",
        subject=f"taxpayer:{entity.pk}" if entity else f"user:{user.pk}",
        request=request,
        extra={"reason": str(refusal)},
    )


@transaction.atomic
def do_register_official(
    *, user: User, person: Taxpayer, ein: str, answers: Answers, today: dt.date, request: HttpRequest | None = None
) -> BusinessRole | None:
    """Make ``user`` a Designated Official of the entity with this EIN if ``person`` (their own
    taxpayer) is its responsible party and every answer matches; None (and an event saying
    why) otherwise. Registering again revalidates; a Designated User becomes an Official."""
    entity = queries.find_entity(ein)
    refusal = queries.registration_refusal(person, entity, answers)
    if entity is None or refusal is not None:
        _refused(BusinessTag.REGISTRATION_REFUSED, user, entity, refusal or Refusal.NOT_ON_FILE, request)
        return None
    _lock(entity)
    current = BusinessRole.objects.filter(user=user, entity=entity, revoked_at__isnull=True).first()
    if current is not None and current.is_official:
        _signed(current, answers, today)
        current.save(update_fields=["title", "validated_on", "attested_at"])
        record_event(
            BusinessTag.REVALIDATED,
            actor=f"user:{user.pk}",
            subject=f"taxpayer:{entity.pk}",
            request=request,
            extra={"role": current.pk, "title": answers.title, "attested": True},
        )
        return current
    if current is not None:
        current.revoked_at, current.revoked_by = timezone.now(), user
        current.save(update_fields=["revoked_at", "revoked_by"])
    role = BusinessRole(user=user, entity=entity, role=RoleKind.DESIGNATED_OFFICIAL)
    _signed(role, answers, today)
    role.save()
    record_event(
        BusinessTag.REGISTERED,
        actor=f"user:{user.pk}",
        subject=f"taxpayer:{entity.pk}",
        request=request,
        extra={
            "role": role.pk,
            "title": answers.title,
            "attested": True,
            "replaced_role": current.pk if current else None,
        },
    )
    return role


@transaction.atomic
def do_revalidate_official(
    role: BusinessRole, *, answers: Answers, today: dt.date, request: HttpRequest | None = None
) -> BusinessRole | None:
    """Sign again (or for the first time, when another official named this one): the same
    answers about the entity, the title and the attestation. None when an answer differs."""
    refusal = queries.answers_refusal(role.entity, answers)
    if refusal is not None:
        _refused(BusinessTag.REVALIDATION_REFUSED, role.user, role.entity, refusal, request)
        return None
    locked = BusinessRole.objects.select_for_update().filter(pk=role.pk, revoked_at__isnull=True).first()
    if locked is None or not locked.is_official:
        raise BusinessRoleError(_("You are no longer a Designated Official of this business."))
    _signed(locked, answers, today)
    locked.save(update_fields=["title", "validated_on", "attested_at"])
    record_event(
        BusinessTag.REVALIDATED,
        actor=f"user:{locked.user_id}",
        subject=f"taxpayer:{locked.entity_id}",
        request=request,
        extra={"role": locked.pk, "title": answers.title, "attested": True},
    )
    return locked


def do_refuse_attempt(user: User, *, request: HttpRequest | None = None) -> None:
    """Record an attempt refused by the rate limit (nothing was compared)."""
    record_event(BusinessTag.RATE_LIMITED, actor=f"user:{user.pk}", subject=f"user:{user.pk}", request=request)


def _official(actor: BusinessRole) -> BusinessRole:
    """The actor's role, still an active Designated Official's, read under the entity's lock."""
    _lock(actor.entity)
    found = BusinessRole.objects.filter(pk=actor.pk, revoked_at__isnull=True, role=RoleKind.DESIGNATED_OFFICIAL)
    current = found.first()
    if current is None:
        raise BusinessRoleError(_("You are no longer a Designated Official of this business."))
    return current


@transaction.atomic
def do_grant_role(
    actor: BusinessRole, *, ssn: str, last_name: str, kind: RoleKind, request: HttpRequest | None = None
) -> None:
    """Let the person with this SSN and last name act for the actor's entity, if they have an
    online account; nothing happens (but an event) otherwise. Returns nothing on purpose: the
    caller answers the same either way. Someone who already acts for the entity in the other
    role is moved to this one."""
    official = _official(actor)
    grantee = queries.person_with_account(ssn, last_name)
    if grantee is None or grantee.pk == official.user_id:
        record_event(
            BusinessTag.GRANT_UNMATCHED,
            actor=f"user:{official.user_id}",
            subject=f"taxpayer:{official.entity_id}",
            request=request,
        )
        return
    current = BusinessRole.objects.filter(user=grantee, entity_id=official.entity_id, revoked_at__isnull=True).first()
    if current is not None and current.role == kind:
        return
    if current is not None:
        current.revoked_at, current.revoked_by_id = timezone.now(), official.user_id
        current.save(update_fields=["revoked_at", "revoked_by"])
    role = BusinessRole.objects.create(
        user=grantee, entity_id=official.entity_id, role=kind, granted_by_id=official.user_id
    )
    record_event(
        BusinessTag.ROLE_GRANTED,
        actor=f"user:{official.user_id}",
        subject=f"taxpayer:{official.entity_id}",
        request=request,
        extra={
            "role": role.pk,
            "kind": str(kind),
            "grantee": f"user:{grantee.pk}",
            "replaced_role": current.pk if current else None,
        },
    )


@transaction.atomic
def do_remove_role(actor: BusinessRole, target: BusinessRole, *, request: HttpRequest | None = None) -> None:
    """End ``target``'s role (an official may also leave); never the entity's last official."""
    official = _official(actor)
    current = BusinessRole.objects.filter(pk=target.pk, entity_id=official.entity_id, revoked_at__isnull=True).first()
    if current is None:
        raise BusinessRoleError(_("This person no longer acts for the business."))
    if current.is_official and queries.officials_of(official.entity_id) <= 1:
        raise BusinessRoleError(
            _("A business must keep at least one Designated Official. Add another one before removing this one.")
        )
    current.revoked_at, current.revoked_by_id = timezone.now(), official.user_id
    current.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        BusinessTag.ROLE_REMOVED,
        actor=f"user:{official.user_id}",
        subject=f"taxpayer:{official.entity_id}",
        request=request,
        extra={"role": current.pk, "kind": current.role, "removed": f"user:{current.user_id}"},
    )


def do_switch(user: User, entity: Taxpayer | None, *, request: HttpRequest | None = None) -> None:
    """Record that ``user`` now acts for ``entity`` (None: their individual account)."""
    record_event(
        BusinessTag.SWITCHED,
        actor=f"user:{user.pk}",
        subject=f"taxpayer:{entity.pk}" if entity else f"user:{user.pk}",
        request=request,
        extra={"to": "entity" if entity else "individual"},
    )
