"""A ledger line the portal wrote reads in the reader's language; one staff typed stays as typed."""

from domain.billing import ledger


def test_a_card_payment_line_reads_in_the_readers_language():
    stored = ledger.card_payment('Visa', '4242')
    assert stored == 'Card payment — Visa 4242'  # kept in English, as staff read it
    assert ledger.described(stored, 'es') == 'Pago con tarjeta — Visa 4242'
    assert ledger.described(stored, 'zh_Hans') == '银行卡付款 — Visa 4242'
    assert ledger.described('Costume fee, spring show', 'es') == 'Costume fee, spring show'
