"""What only a real browser shows: a failed save scrolling to its field, a code sent by its sixth keystroke."""

from playwright.async_api import Page, expect

from tests.e2e.test_phone_journeys import code_sent_to, sign_in_with_password


async def test_a_failed_save_scrolls_to_and_focuses_the_first_wrong_field(phone: Page, server: str):
    await sign_in_with_password(phone, server)
    await phone.set_viewport_size({'width': 360, 'height': 640})
    await phone.goto(server + '/portal/you')
    first_name = phone.get_by_label('First name')
    await first_name.fill('')
    save = phone.get_by_role('button', name='Save', exact=True)
    await save.scroll_into_view_if_needed()
    await expect(first_name).not_to_be_in_viewport()  # the mistake is far above the thumb
    await save.click()
    await expect(first_name).to_be_focused()
    await expect(first_name).to_be_in_viewport()
    await expect(phone.get_by_role('status').filter(has_text='Not saved')).to_have_text(
        'Not saved: This field is required'
    )


async def test_the_sixth_digit_typed_sends_the_code(phone: Page, server: str):
    await phone.goto(server + '/')
    await phone.get_by_label('Mobile number or email').fill('(312) 555-0141')
    await phone.get_by_role('button', name='Send me a code').click()
    await expect(phone.get_by_text('We sent a 6-digit code to (312) 555-0141.')).to_be_visible()
    code = await code_sent_to(server, '+13125550141')
    await phone.get_by_label('Code').press_sequentially(code)  # one key at a time, as a thumb types; no tap after
    await expect(phone.get_by_text('Hello, Holly')).to_be_visible()
