"""A local stand-in for Stripe's API, following its documented formats, for the adapter's tests.

Requests: form-encoded bodies, `Authorization: Bearer sk_…`, an optional `Idempotency-Key` header (a
replay returns the first response, status and body). Responses: JSON objects with `id` and `object`;
card errors answer 402 with `{"error": {"type": "card_error", "code", "decline_code", "message",
"payment_intent"}}`, requests Stripe refuses answer 400 with an `invalid_request_error`. Webhooks are signed
as Stripe signs them: `Stripe-Signature: t=…,v1=…`.

It refuses what Stripe refuses: a Checkout session without a currency, or with `payment_method_types`
(removed in the API version the library pins; `allowed_payment_method_types` replaced it), and a saved card
(a PaymentMethod attached to a customer) charged without that customer. And it plays an account that takes
one currency, the studio's: any other is refused, so a hard-coded currency cannot pass unnoticed.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from stripe import WebhookSignature

SECRET_KEY = 'sk_test_standin'
WEBHOOK_SECRET = 'whsec_standin'
# Stripe's documented test cards, by the outcome Stripe gives them
DECLINES = {
    '4000000000000002': ('card_declined', 'generic_decline'),
    '4000000000009995': ('card_declined', 'insufficient_funds'),
    '4000000000000069': ('expired_card', 'expired_card'),
}
SLOW_CARD = '4000000000000077'  # answers after the client has given up, the first time


def sign_webhook(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """What Stripe sends in Stripe-Signature, computed by Stripe's own library."""
    return WebhookSignature.generate_signature_header(payload.decode(), secret, timestamp)


def refused(param: str, message: str, code: str = 'parameter_invalid') -> JSONResponse:
    return JSONResponse(
        {'error': {'type': 'invalid_request_error', 'code': code, 'param': param, 'message': message}}, 400
    )


class StripeStandIn:
    def __init__(self) -> None:
        self.app = FastAPI()
        self.customers: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.methods: dict[str, dict] = {}
        self.intents: dict[str, dict] = {}
        self.replies: dict[str, tuple[int, dict]] = {}  # idempotency key -> first reply
        self.charges = 0
        self.slow_seconds = 2.0
        self.currency = 'usd'  # the account's, as the studio configures it (PORTAL_CURRENCY)
        self._routes()

    def _routes(self) -> None:
        app = self.app

        def unauthorized(request: Request) -> JSONResponse | None:
            if request.headers.get('authorization') != f'Bearer {SECRET_KEY}':
                return JSONResponse({'error': {'type': 'invalid_request_error', 'message': 'Invalid API Key'}}, 401)
            return None

        def wrong_currency(data: dict) -> JSONResponse | None:
            if not data.get('currency'):
                return refused('currency', 'Missing required param: currency.', 'parameter_missing')
            if data['currency'] != self.currency:
                return refused('currency', f'This account takes {self.currency}, not {data["currency"]}.')
            return None

        async def form(request: Request) -> dict | JSONResponse:
            if denied := unauthorized(request):
                return denied
            if not request.headers.get('content-type', '').startswith('application/x-www-form-urlencoded'):
                return JSONResponse(
                    {'error': {'type': 'invalid_request_error', 'message': 'Stripe takes form-encoded bodies'}}, 400
                )
            return dict((await request.form()).multi_items())

        def replayed(request: Request) -> JSONResponse | None:
            key = request.headers.get('idempotency-key')
            if key and key in self.replies:
                status, body = self.replies[key]
                return JSONResponse(body, status, headers={'Idempotent-Replayed': 'true'})
            return None

        def remember(request: Request, status: int, body: dict) -> JSONResponse:
            if key := request.headers.get('idempotency-key'):
                self.replies[key] = (status, body)
            return JSONResponse(body, status)

        @app.post('/v1/customers')
        async def customers(request: Request):
            data = await form(request)
            if isinstance(data, JSONResponse):
                return data
            if reply := replayed(request):
                return reply
            customer = {
                'id': 'cus_' + secrets.token_hex(7),
                'object': 'customer',
                'name': data.get('name'),
                'email': data.get('email'),
            }
            self.customers[customer['id']] = customer
            return remember(request, 200, customer)

        @app.post('/v1/checkout/sessions')
        async def create_session(request: Request):
            data = await form(request)
            if isinstance(data, JSONResponse):
                return data
            if reply := replayed(request):
                return reply
            if any(key.startswith('payment_method_types') for key in data):
                return refused(
                    'payment_method_types', 'Received unknown parameter: payment_method_types', 'parameter_unknown'
                )
            if refusal := wrong_currency(data):
                return refusal
            session_id = 'cs_test_' + secrets.token_hex(12)
            session = {
                'id': session_id,
                'object': 'checkout.session',
                'mode': data['mode'],
                'currency': data['currency'],
                'customer': data.get('customer'),
                'client_reference_id': data.get('client_reference_id'),
                'success_url': data['success_url'],
                'status': 'open',
                'url': f'{self.base_url}/c/pay/{session_id}',
                'setup_intent': None,
            }
            self.sessions[session_id] = session
            return remember(request, 200, session)

        @app.get('/v1/checkout/sessions/{session_id}')
        async def get_session(session_id: str, request: Request):
            if denied := unauthorized(request):
                return denied
            session = dict(self.sessions[session_id])
            expand = [value for key, value in request.query_params.multi_items() if key.startswith('expand[')]
            if 'setup_intent.payment_method' in expand and session['setup_intent']:
                intent = dict(session['setup_intent'])
                intent['payment_method'] = public(self.methods[intent['payment_method']])
                session['setup_intent'] = intent
            return session

        @app.post('/v1/payment_intents')
        async def create_intent(request: Request):
            data = await form(request)
            if isinstance(data, JSONResponse):
                return data
            if reply := replayed(request):
                return reply
            method = self.methods.get(data.get('payment_method', ''))
            if method is None:
                return JSONResponse(
                    {
                        'error': {
                            'type': 'invalid_request_error',
                            'code': 'resource_missing',
                            'message': 'No such PaymentMethod',
                        }
                    },
                    400,
                )
            if refusal := wrong_currency(data):
                return refusal
            if method['customer'] and data.get('customer') != method['customer']:
                return refused(
                    'customer',
                    'The provided PaymentMethod is attached to a Customer: include that Customer in the '
                    '`customer` parameter on the PaymentIntent.',
                )
            number = method['_number']
            intent = {
                'id': 'pi_' + secrets.token_hex(12),
                'object': 'payment_intent',
                'amount': int(data['amount']),
                'currency': data['currency'],
                'customer': data.get('customer'),
                'metadata': {'idempotency_key': data.get('metadata[idempotency_key]')},
            }
            self.charges += 1
            if number in DECLINES:
                code, decline = DECLINES[number]
                intent['status'] = 'requires_payment_method'
                body = {
                    'error': {
                        'type': 'card_error',
                        'code': code,
                        'decline_code': decline,
                        'message': 'Your card was declined.',
                        'payment_intent': intent,
                    }
                }
                if code == 'expired_card':
                    body['error'].pop('decline_code')
                return remember(request, 402, body)
            intent['status'] = 'succeeded'
            self.intents[intent['id']] = intent
            response = remember(request, 200, intent)
            if number == SLOW_CARD and not method.get('_answered_slowly'):
                method['_answered_slowly'] = True
                await asyncio.sleep(self.slow_seconds)  # charged, but the answer comes too late
            return response

    def complete_setup(
        self, session_id: str, number: str, exp_month: int = 12, exp_year: int = 2030
    ) -> tuple[bytes, str]:
        """What happens on Stripe's hosted page: the card is saved, and the signed webhook event to deliver."""
        session = self.sessions[session_id]
        method_id = 'pm_' + secrets.token_hex(12)
        brand = 'visa' if number.startswith('4') else 'mastercard'
        self.methods[method_id] = {
            'id': method_id,
            'object': 'payment_method',
            '_number': number,
            'customer': session['customer'],  # a card saved through a customer's session is attached to them
            'card': {'brand': brand, 'last4': number[-4:], 'exp_month': exp_month, 'exp_year': exp_year},
        }
        session['status'] = 'complete'
        session['setup_intent'] = {
            'id': 'seti_' + secrets.token_hex(8),
            'object': 'setup_intent',
            'payment_method': method_id,
            'status': 'succeeded',
        }
        event = {
            'id': 'evt_' + secrets.token_hex(8),
            'object': 'event',
            'type': 'checkout.session.completed',
            'created': int(time.time()),
            'data': {
                'object': {k: v for k, v in session.items() if k != 'setup_intent'}
                | {'setup_intent': session['setup_intent']['id']}
            },
        }
        payload = json.dumps(event).encode()
        return payload, sign_webhook(payload, WEBHOOK_SECRET)

    def serve(self) -> None:
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        self.base_url = f'http://127.0.0.1:{port}'
        self.server = uvicorn.Server(uvicorn.Config(self.app, host='127.0.0.1', port=port, log_level='warning'))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


def public(method: dict) -> dict:
    """A PaymentMethod as Stripe shows it: without what only the stand-in knows (the test card's number)."""
    return {key: value for key, value in method.items() if not key.startswith('_')}
