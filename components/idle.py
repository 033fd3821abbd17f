"""The idle warning: after a while without a tap or a key, a countdown, then the page signs itself out.

It runs in the browser, so an idle parent costs the server nothing; activity reaches the server at most
once a minute, to keep the server-side session alive while the parent is really there. The tabs of one browser
share the moment of the last activity (localStorage), so a tab left in the background never counts down while
another is in use; and as they share one session, signing out in one closes them all.

When the countdown ends, the page asks the server over its own websocket to end the session, and the server
then sends it to /signed-out, which only shows the message: a link to it from anywhere ends nothing. A page
whose websocket is gone (a phone that slept) goes there by itself a few seconds later; the server ends that
session on its own shortly after (sessions.SESSION_IDLE).
"""

from __future__ import annotations

import json

from nicegui import context, ui

from components import open_pages, session
from components.i18n import _
from domain.access import sessions

SCRIPT = """
<script>
(function () {
  const WARN_AFTER = %(warn_after)d * 1000, COUNTDOWN = %(countdown)d * 1000, TEXT = %(text)s;
  const SHARED = 'kr_last_active';
  let last = Date.now(), pinged = Date.now(), box = null, leaving = false;
  function ping() { pinged = Date.now(); emitEvent('kr_active'); }
  function share() { try { localStorage.setItem(SHARED, String(last)); } catch (e) { /* private mode */ } }
  function lastInAnyTab() {
    let shared = 0;
    try { shared = Number(localStorage.getItem(SHARED)) || 0; } catch (e) { /* private mode */ }
    return Math.max(last, shared);
  }
  function hide() { if (box) { box.remove(); box = null; } }
  function activity() {
    last = Date.now();
    share();
    if (box) { hide(); ping(); }
    else if (Date.now() - pinged > 60000) { ping(); }
  }
  share();
  ['pointerdown', 'keydown', 'touchstart', 'scroll'].forEach(
    (name) => document.addEventListener(name, activity, {passive: true, capture: true}));
  window.addEventListener('storage', (event) => { if (event.key === SHARED) hide(); });
  setInterval(function () {
    const idle = Date.now() - lastInAnyTab();
    if (idle >= WARN_AFTER + COUNTDOWN) {
      if (!leaving) {
        leaving = true;
        emitEvent('kr_idle_out');
        setTimeout(() => { window.location.href = '/signed-out'; }, 5000);
      }
      return;
    }
    if (idle < WARN_AFTER) return;
    if (!box) {
      box = document.createElement('div');
      box.id = 'kr-idle-warning';
      box.setAttribute('role', 'alertdialog');
      box.setAttribute('aria-labelledby', 'kr-idle-text');
      box.style.cssText = 'position:fixed;left:12px;right:12px;bottom:12px;z-index:9999;background:#fff;' +
        'border:2px solid #0b5cad;border-radius:12px;padding:16px;box-shadow:0 4px 16px rgba(0,0,0,.25);' +
        'max-width:560px;margin:0 auto;font-size:16px;color:#1a1a1a';
      const text = document.createElement('p');
      text.id = 'kr-idle-text';
      text.style.margin = '0 0 12px';
      const stay = document.createElement('button');
      stay.textContent = TEXT.stay;
      stay.style.cssText = 'min-height:48px;width:100%%;background:#0b5cad;color:#fff;border:0;border-radius:8px;' +
        'font-size:16px';
      box.append(text, stay);
      document.body.append(box);
      stay.focus();
    }
    const left = Math.max(0, Math.ceil((WARN_AFTER + COUNTDOWN - idle) / 1000));
    box.querySelector('#kr-idle-text').textContent = TEXT.message.replace('{seconds}', left);
  }, 1000);
})();
</script>
"""


def idle_guard() -> None:
    """Add the warning to this page of a signed-in parent."""

    async def still_here() -> None:
        await session.current_parent()  # resolving the session records that the parent is active

    async def sign_out_idle() -> None:
        actor = await session.current_parent()
        if actor:
            open_pages.leave(context.client)
            await sessions.sign_out_parent(session.parent_token(), actor, idle=True)
        session.leave('parent', then='signed-out')

    ui.on('kr_active', still_here)
    ui.on('kr_idle_out', sign_out_idle)
    text = {
        'message': _(
            'You have been inactive for a while. To keep your account safe, you will be signed out '
            'in {seconds} seconds.'
        ),
        'stay': _('Stay signed in'),
    }
    ui.add_body_html(
        SCRIPT
        % {
            'warn_after': sessions.IDLE_WARNING_AFTER.total_seconds(),
            'countdown': sessions.IDLE_COUNTDOWN.total_seconds(),
            'text': json.dumps(text).replace('</', '<\\/'),
        }
    )
