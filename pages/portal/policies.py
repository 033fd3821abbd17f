"""The studio's policies for a signed-in parent: agree to what is owed, see what was agreed and when."""

from __future__ import annotations

from nicegui import ui

from components import session
from components.consent import PolicyConsent, PolicyText
from components.forms import primary_button
from components.frame import portal_frame
from components.guards import parent_page
from components.i18n import _, moment
from domain.access.actors import Actor
from domain.errors import ValidationFailed
from domain.registration import policies
from domain.registration.policies import Acceptance, PolicyChanged


@parent_page('/portal/policies', agreeing=True)
async def policies_page(actor: Actor):
    owed = await policies.owed(actor.family_id)

    async def agree() -> None:
        acceptances = {
            version_id: Acceptance(bool(consent.given.get('accepted')), consent.given.get('typed_name', ''))
            for version_id, consent in consents.items()
        }
        try:
            await policies.agree(actor, acceptances, user_agent=session.user_agent())
        except PolicyChanged:
            ui.notify(_(PolicyChanged.MESSAGE), type='warning')
            ui.navigate.reload()
            return
        except ValidationFailed as failure:
            for version_id, consent in consents.items():
                box, name = failure.errors.get(f'policy.{version_id}'), failure.errors.get(f'name.{version_id}')
                consent.show_errors(_(box) if box else None, _(name) if name else None)
            return
        ui.navigate.to('/portal')

    with portal_frame(_('Our policies'), actor, back=None if owed else '/portal'):
        consents: dict[int, PolicyConsent] = {}
        if owed:
            ui.label(
                _(
                    'Before you continue, please read and agree to our policies. Tick each box and type your '
                    'full name ({name}) to sign.'
                ).format(name=actor.contact_name)
            ).classes('text-gray-700')
            for version in owed:
                consents[version.id] = PolicyConsent(version, {'accepted': False, 'typed_name': ''}, level=2)
            primary_button(_('I agree'), agree).mark('agree')
            return
        agreements = await policies.family_agreements(actor.family_id)
        if not agreements:
            ui.label(_('The studio has no policies for you to agree to.'))
        seen = set()
        for agreement in agreements:
            if agreement.policy_version_id in seen:  # type: ignore[attr-defined]
                continue
            seen.add(agreement.policy_version_id)  # type: ignore[attr-defined]
            with ui.expansion(agreement.title_shown).classes('w-full bg-white rounded'):
                ui.label(
                    _('Agreed by {name} on {when}').format(name=agreement.typed_name, when=moment(agreement.agreed_at))
                )
                PolicyText(agreement.text_shown)
