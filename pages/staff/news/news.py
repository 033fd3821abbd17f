"""/staff/news: every post with its audience, when it shows, whether it is pinned and how many families read it
of those it reaches; /staff/news/new and /staff/news/{id}: the editor, with a tab per language, the audience,
the dates on the studio's clock, an image, and a preview of the text as families will read it."""

from __future__ import annotations

import contextlib
from typing import Any

from nicegui import ui
from nicegui.events import UploadEventArguments

from components.forms import confirm_dialog, save_button, saved, show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, moment, ngettext
from components.staff_frame import staff_frame
from components.uploads import pick_button
from domain.access.actors import StaffActor
from domain.classes import audiences
from domain.classes.audiences import Audience
from domain.errors import NotFound, ValidationFailed
from domain.family.versions import ChangedMeanwhile
from domain.files import inspection, links
from domain.i18n import LANGUAGE_NAMES, N_
from domain.models import AudienceKind
from domain.news import news
from domain.news.news import PostForm, PostSummary, Wording
from domain.studio import settings
from pages.portal.news.text import PostText, rendered

PAGE = '/staff/news'
GONE = N_('This post no longer exists')

EDIT_CELL = r"""
<q-td :props="props">
  <a class="kr-link" :href="props.row.edit_url">{{ props.row.edit_label }}</a>
</q-td>
"""


def audience_text(label: str, name: str) -> str:
    """ "Class: Ballet 2", or "Every family"."""
    return f'{_(label)}: {name}' if name else _(label)


def reads_text(summary: PostSummary) -> str:
    return ngettext('{read} of {reached} family', '{read} of {reached} families', summary.reaches).format(
        read=summary.read_by, reached=summary.reaches
    )


@staff_page(PAGE, title=N_('News'))
async def news_list_page(staff: StaffActor):
    listed = await news.post_list()
    with staff_frame(_('News'), staff):
        ui.button(_('Write a post'), icon='add', on_click=lambda: ui.navigate.to(f'{PAGE}/new')).props(
            'unelevated color=primary'
        )
        if not listed:
            ui.label(_('No posts yet'))
            return
        rows = [
            {
                'id': summary.post.id,
                'title': summary.post.title,
                'audience': audience_text(summary.audience_label, summary.audience_name),
                'appears': moment(summary.post.appears_at),
                'disappears': moment(summary.post.disappears_at) if summary.post.disappears_at else '—',
                'pinned': _('Pinned') if summary.post.pinned else '',
                'reads': reads_text(summary),
                'edit_url': f'{PAGE}/{summary.post.id}',
                'edit_label': _('Edit'),
            }
            for summary in listed
        ]
        columns = [
            {'name': name, 'label': label, 'field': name, 'align': 'left'}
            for name, label in (
                ('title', _('Title')),
                ('audience', _('Who sees it')),
                ('appears', _('Appears')),
                ('disappears', _('Disappears')),
                ('pinned', _('Pinned')),
                ('reads', _('Read by')),
                ('edit', ''),
            )
        ]
        table = (
            ui.table(columns=columns, rows=rows, row_key='id')
            .props('flat bordered dense wrap-cells')
            .classes('w-full')
            .mark('posts')
        )
        table.add_slot('body-cell-edit', EDIT_CELL)


@staff_page(PAGE + '/new', title=N_('Write a post'))
async def new_post_page(staff: StaffActor):
    choices = await audiences.choices(kinds=news.KINDS)
    with staff_frame(_('Write a post'), staff):
        back_to_news()
        NewsEditor(staff, None, PostForm(), choices, image_url='')


@staff_page(PAGE + '/{post_id}', title=N_('Edit post'))
async def edit_post_page(staff: StaffActor, post_id: str):
    try:
        stored = await news.post_for_editing(staff, post_id)
    except NotFound:
        with staff_frame(_('Not found'), staff):
            ui.label(_('We could not find that page. It may have been removed, or the link may be wrong.'))
            back_to_news()
        return
    choices = await audiences.choices(kinds=news.KINDS)
    image_url = links.link(stored.post.image_id) if stored.post.image_id else ''  # staff see every post's image
    with staff_frame(_('Edit post'), staff):
        back_to_news()
        NewsEditor(staff, stored.post.id, stored.form, choices, image_url=image_url)


def back_to_news() -> ui.link:
    return ui.link(_('Back to news'), PAGE).classes('kr-link')


def audience_key(audience: Audience) -> str:
    return f'{audience.kind.value}:{audience.id or ""}'


def audience_of(key: str | None) -> Audience:
    kind, _sep, target = (key or '').partition(':')
    try:
        return Audience(AudienceKind(kind), int(target) if target else None)
    except ValueError:
        return Audience(AudienceKind.FAMILY)  # no news audience: refused beside the field


class NewsEditor:
    """A post's fields; a new post, once published, opens in the list."""

    def __init__(
        self,
        staff: StaffActor,
        post_id: int | None,
        loaded: PostForm,
        choices: list[audiences.Choice],
        *,
        image_url: str,
    ) -> None:
        self.staff, self.post_id, self.version = staff, post_id, loaded.version
        self.image: bytes | None = None
        self.image_name = ''
        self.fields: dict[str, Any] = {}
        own = settings.current().default_language
        languages = [own, *news.other_languages()]
        with ui.column().classes('w-full max-w-3xl gap-3'):
            self.conflict = ui.label(_(ChangedMeanwhile.MESSAGE)).classes('text-negative').mark('changed-meanwhile')
            self.conflict.visible = False
            with ui.tabs().classes('w-full') as tabs:
                tab_of = {}
                for language in languages:
                    name = LANGUAGE_NAMES[language]
                    label = _('{language} (the studio’s)').format(language=name) if language == own else name
                    tab_of[language] = ui.tab(language, label=label).props('no-caps')
            with ui.tab_panels(tabs, value=tab_of[own]).classes('w-full'):
                for language in languages:
                    with ui.tab_panel(tab_of[language]).classes('gap-2'):
                        self._language_fields(language, own, loaded)
            audience_options = {
                audience_key(choice.audience): audience_text(choice.kind_label, choice.name) for choice in choices
            }
            self.fields['audience'] = (
                ui.select(audience_options, label=_('Who sees it'), value=audience_key(loaded.audience))
                .props('outlined stack-label use-input input-debounce=0')
                .classes('w-full')
                .mark('audience')
            )
            hint = _('On the studio’s clock ({zone})').format(zone=settings.current().timezone)
            with ui.row().classes('w-full gap-2 wrap'):
                for name, label in (
                    ('appears_at', _('Appears (empty: now)')),
                    ('disappears_at', _('Disappears (optional)')),
                ):
                    field = text_field(label, kind='datetime-local').classes(remove='w-full', add='w-64 max-w-full')
                    field.value = str(getattr(loaded, name) or '')
                    field.props['hint'] = hint
                    self.fields[name] = field.mark(name)
            self.pinned = ui.switch(_('Pinned: shown before the other posts'), value=loaded.pinned).mark('pinned')
            self.send_email = ui.switch(_('Also send it by email when it appears'), value=loaded.send_email)
            self.send_email.mark('send_email')
            self.send_text = ui.switch(_('Also send it by text when it appears'), value=loaded.send_text)
            self.send_text.mark('send_text')
            heading(_('Image (optional)'), 2)
            self.remove_image = None
            if image_url:
                image = ui.image(image_url).classes('w-64 max-w-full rounded').mark('current-image')
                image.props['alt'] = _('The post’s image')
                self.remove_image = ui.checkbox(_('Remove the image')).mark('remove-image')
            self.fields['image'] = (
                ui.upload(on_upload=self.uploaded, auto_upload=True, max_files=1, label=_('Choose an image'))
                .props('accept=image/*')
                .mark('image')
            )
            pick_button(self.fields['image'], _('Choose an image'), icon='image')
            self.image_error = ui.label('').classes('text-negative text-sm').props('role=alert').mark('image-error')
            save_button(self.save, _('Publish') if post_id is None else _('Save'))
            if post_id is not None:
                dialog = confirm_dialog(
                    _('Remove this post? Families will no longer see it.'),
                    _('Remove'),
                    self.remove,
                    danger=True,
                    marker='remove-dialog',
                )
                ui.button(_('Remove the post'), on_click=dialog.open).props('flat color=negative').mark('remove')

    def _language_fields(self, language: str, own: str, loaded: PostForm) -> None:
        words = Wording(loaded.title, loaded.body) if language == own else loaded.translations.get(language, Wording())
        suffix = '' if language == own else f'.{language}'
        if language != own:
            ui.label(_('Optional: families who read this language see it; leave both empty to show the studio’s.'))
        title = text_field(_('Title'), words.title).mark(f'title{suffix}')
        body = (
            ui.textarea(_('Text (Markdown)'), value=words.body)
            .props('outlined stack-label autogrow')
            .classes('w-full')
            .mark(f'body{suffix}')
        )
        ui.label(_('Preview')).classes('text-sm text-gray-700')
        preview = PostText(words.body).classes('border rounded p-2')
        preview.mark(f'preview{suffix}')
        body.on_value_change(lambda event: preview.set_content(rendered(event.value or '')))
        self.fields[f'title{suffix}'] = title
        self.fields[f'body{suffix}'] = body

    async def uploaded(self, event: UploadEventArguments) -> None:
        try:
            self.image = await inspection.read_within('image', event.file, 10 * inspection.MB)
        except ValidationFailed as failure:
            self.image = None
            self.image_error.text = _(failure.errors['image'])
            return
        self.image_error.text = ''
        self.image_name = event.file.name
        ui.notify(_('Image chosen: {name}').format(name=event.file.name))

    def read(self) -> PostForm:
        values = {name: field.value or '' for name, field in self.fields.items() if name != 'image'}
        translations = {
            language: Wording(values.get(f'title.{language}', ''), values.get(f'body.{language}', ''))
            for language in news.other_languages()
        }
        return PostForm(
            title=values['title'],
            body=values['body'],
            translations=translations,
            audience=audience_of(values['audience']),
            appears_at=values['appears_at'],
            disappears_at=values['disappears_at'],
            pinned=bool(self.pinned.value),
            send_email=bool(self.send_email.value),
            send_text=bool(self.send_text.value),
            image=self.image,
            image_name=self.image_name,
            remove_image=bool(self.remove_image and self.remove_image.value),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        shown = {name: field for name, field in self.fields.items() if name != 'image'}
        show_errors(shown, errors)
        self.image_error.text = _(errors['image']) if 'image' in errors else ''

    async def save(self) -> None:
        typed = self.read()
        try:
            if self.post_id is None:
                await news.publish(self.staff, typed)
            else:
                post = await news.update(self.staff, self.post_id, typed, self.version)
                self.version = post.version
        except ValidationFailed as failure:
            self.show_errors(failure.errors)
            return
        except ChangedMeanwhile:
            self.conflict.visible = True  # reloading shows what they saved; nothing of this was written
            self.show_errors({'title': ChangedMeanwhile.MESSAGE})
            return
        except NotFound:
            self.show_errors({'title': GONE})
            return
        self.show_errors({})
        if self.post_id is None:
            ui.navigate.to(PAGE)
            return
        self.image = None
        saved()

    async def remove(self) -> None:
        assert self.post_id is not None
        with contextlib.suppress(NotFound):  # removed already: the list says so
            await news.remove(self.staff, self.post_id)
        ui.navigate.to(PAGE)
