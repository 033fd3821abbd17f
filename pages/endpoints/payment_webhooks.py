"""Where the payment processor tells Kinroll what happened on its own pages (Stripe's signed webhooks)."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import app

from domain.adapters.gateways import WebhookRejected
from domain.billing import payments

log = logging.getLogger('kinroll.webhooks')


@app.post('/webhooks/stripe')
async def stripe_webhook(request: Request) -> JSONResponse:
    try:
        outcome = await payments.handle_webhook(await request.body(), request.headers.get('stripe-signature', ''))
    except WebhookRejected as rejected:
        log.warning('Stripe webhook rejected: %s', rejected)
        return JSONResponse({'error': 'invalid signature'}, status_code=400)
    return JSONResponse({'received': True, 'outcome': outcome})
