"""Sittings: agendas, the commission's opinions and the Bureau's decisions within the credits."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from essaim.grants import rules
from essaim.grants.enums import (
    AccessAction,
    Actor,
    ApplicationState,
    DecisionOutcome,
    Opinion,
    SessionKind,
)
from essaim.grants.models import (
    BudgetEnvelope,
    CommissionOpinion,
    Decision,
    Scheme,
    Session,
    SessionItem,
)
from essaim.grants.services.common import _locked, _mail, absolute_url, access_log, check_dates, day
from essaim.grants.workflow import transition_fire


def session_create(*, scheme: Scheme, kind: str, date, place: str, members, by) -> Session:
    with transaction.atomic():
        session = Session.objects.create(scheme=scheme, kind=kind, date=date, place=place)
        session.members.set(members)
        return session


def session_set_agenda(*, session: Session, applications) -> Session:
    """The agenda: files ready for the commission, or reviewed by it for the Bureau."""
    with transaction.atomic():
        expected = (
            ApplicationState.READY_FOR_COMMISSION
            if session.kind == SessionKind.COMMISSION
            else ApplicationState.COMMISSION_REVIEWED
        )
        if session.recorded_at:
            raise ValidationError("Les avis ou décisions de cette séance sont enregistrés : l'ordre du jour est figé.")
        applications = list(applications)
        for application in applications:
            if application.scheme_id != session.scheme_id:
                raise ValidationError(f"{application.reference} relève d'un autre dispositif.")
            if application.state != expected and not session.items.filter(application=application).exists():
                raise ValidationError(
                    f"{application.reference} est à l'état « {application.get_state_display()} » : elle ne peut pas "
                    "être inscrite à cette séance."
                )
        session.items.exclude(application__in=applications).delete()
        for position, application in enumerate(applications, start=1):
            SessionItem.objects.update_or_create(
                session=session, application=application, defaults={"position": position}
            )
        return session


def _on_agenda(session, application):
    if not session.items.filter(application=application).exists():
        raise ValidationError(f"{application.reference} n'est pas à l'ordre du jour de cette séance.")


def session_record_opinions(*, session: Session, by, entries: list[dict]) -> list[CommissionOpinion]:
    """Records the commission's opinions for the whole sitting at once: all or nothing.

    Each entry: application, opinion, proposed_amount (favourable: required, never above the computed amount),
    comment. A postponed file stays ready for a later sitting.
    """
    with transaction.atomic():
        if session.kind != SessionKind.COMMISSION:
            raise ValidationError("Les avis se saisissent sur une séance de la commission.")
        if session.date > timezone.localdate():
            raise ValidationError(
                f"La commission siège le {day(session.date)} : ses avis s'enregistrent à partir de ce jour-là."
            )
        opinions = []
        for entry in entries:
            application = _locked(entry["application"])
            _on_agenda(session, application)
            opinion = entry["opinion"]
            proposed = entry.get("proposed_amount")
            if opinion == Opinion.FAVOURABLE and not proposed:
                raise ValidationError(f"{application.reference} : un avis favorable propose un montant.")
            if opinion != Opinion.FAVOURABLE:
                proposed = None
            if proposed is not None and proposed > application.computed_amount:
                raise ValidationError(
                    f"{application.reference} : le montant proposé ({rules.fr_amount(proposed)}) dépasse le montant "
                    f"calculé ({rules.fr_amount(application.computed_amount)})."
                )
            name = "postpone" if opinion == Opinion.POSTPONED else "give_opinion"
            transition_fire(
                application=application,
                name=name,
                actor=Actor.SESSION,
                by=by,
                comment=f"{session} : avis {Opinion(opinion).label}. {entry.get('comment', '')}".strip(),
            )
            opinions.append(
                CommissionOpinion.objects.create(
                    application=application,
                    session=session,
                    opinion=opinion,
                    computed_amount=application.computed_amount,
                    proposed_amount=proposed,
                    comment=entry.get("comment", ""),
                    given_on=session.date,
                    recorded_by=by,
                )
            )
            access_log(application=application, user=by, action=AccessAction.CHANGE, detail="avis de la commission")
        session.recorded_at = timezone.now()
        session.save(update_fields=["recorded_at", "updated_at"])
        return opinions


def _envelope_for(scheme, year, *, lock: bool):
    queryset = BudgetEnvelope.objects.filter(scheme=scheme, year=year)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    envelope = queryset.first()
    if envelope is None:
        raise ValidationError(f"Aucun crédit n'est voté pour {year} : créez l'enveloppe de l'année avant de décider.")
    return envelope


def session_record_decisions(*, session: Session, by, entries: list[dict]) -> list[Decision]:
    """Records the Bureau's deliberations for the whole sitting at once: all or nothing, within the credits.

    Locks the envelope row of each year concerned first (``select_for_update(of=("self",))``; on SQLite the
    IMMEDIATE transaction takes the write lock at its start), then reads what is already committed: two sittings
    recorded at the same moment are serialised and can never together exceed the credits voted.

    Each entry: application, outcome, amount (granted: required, never above the commission's proposal),
    deliberation_number, deliberation_date, comment.
    """
    with transaction.atomic():
        if session.kind != SessionKind.BUREAU:
            raise ValidationError("Les décisions se saisissent sur une séance du Bureau.")
        if session.date > timezone.localdate():
            raise ValidationError(
                f"Le Bureau siège le {day(session.date)} : ses décisions s'enregistrent à partir de ce jour-là."
            )
        years = sorted({entry["deliberation_date"].year for entry in entries})
        envelopes = {year: _envelope_for(session.scheme, year, lock=True) for year in years}
        remaining = {year: envelope.remaining() for year, envelope in envelopes.items()}
        decisions = []
        for entry in entries:
            application = _locked(entry["application"])
            _on_agenda(session, application)
            if Decision.objects.filter(application=application).exists():
                raise ValidationError(f"{application.reference} : une décision est déjà enregistrée.")
            opinion = application.latest_opinion
            proposed = (opinion.proposed_amount if opinion else None) or Decimal("0.00")
            opinion_on = (opinion.given_on or opinion.session.date) if opinion else None
            try:
                check_dates(
                    entry["deliberation_date"],
                    what="La date de la délibération",
                    after=opinion_on,
                    after_what="l'avis de la commission",
                )
            except ValidationError as exc:
                raise ValidationError(f"{application.reference} : {exc.messages[0]}") from exc
            outcome = entry["outcome"]
            amount = entry.get("amount") if outcome == DecisionOutcome.GRANTED else None
            year = entry["deliberation_date"].year
            if outcome == DecisionOutcome.GRANTED:
                if not amount or amount <= 0:
                    raise ValidationError(f"{application.reference} : indiquez le montant accordé.")
                if amount > proposed:
                    raise ValidationError(
                        f"{application.reference} : le montant accordé ({rules.fr_amount(amount)}) dépasse le montant "
                        f"proposé par la commission ({rules.fr_amount(proposed)})."
                    )
                if amount > remaining[year]:
                    raise ValidationError(
                        f"{application.reference} : crédits {year} insuffisants. Il reste "
                        f"{rules.fr_amount(remaining[year])} sur {rules.fr_amount(envelopes[year].credits)} votés ; "
                        f"{rules.fr_amount(amount)} ne peuvent pas être engagés."
                    )
                remaining[year] -= amount
            if not entry.get("deliberation_number"):
                raise ValidationError(f"{application.reference} : le numéro de délibération est obligatoire.")
            transition_fire(
                application=application,
                name="grant" if outcome == DecisionOutcome.GRANTED else "refuse",
                actor=Actor.SESSION,
                by=by,
                comment=f"Délibération {entry['deliberation_number']} du {day(entry['deliberation_date'])}. "
                f"{entry.get('comment', '')}".strip(),
            )
            decision = Decision.objects.create(
                application=application,
                session=session,
                envelope=envelopes[year],
                outcome=outcome,
                proposed_amount=proposed,
                amount=amount,
                deliberation_number=entry["deliberation_number"],
                deliberation_date=entry["deliberation_date"],
                opinion_on=opinion_on,
                comment=entry.get("comment", ""),
                recorded_by=by,
            )
            decisions.append(decision)
            access_log(application=application, user=by, action=AccessAction.CHANGE, detail="décision du Bureau")
            _mail(
                application,
                to_applicant=True,
                subject="Décision du Bureau communautaire sur votre demande",
                template="grants/mail/decision.txt",
                decision=decision,
                url=absolute_url(reverse("grants:application", args=[application.pk])),
                siret_missing=not application.beneficiary_siret,
            )
        session.recorded_at = timezone.now()
        session.save(update_fields=["recorded_at", "updated_at"])
        return decisions


def decision_record(*, session: Session, by, application, **entry) -> Decision:
    """One deliberation (the whole-sitting service with a single entry)."""
    return session_record_decisions(session=session, by=by, entries=[{"application": application, **entry}])[0]


# After the decision ----------------------------------------------------------------------------------------------
