"""The choices staff type for a question are cleaned like any typed text: composed, with hidden characters refused."""

import unicodedata

import pytest

from domain.errors import ValidationFailed
from domain.registration.questions import QuestionForm
from domain.validation import HIDDEN_CHARACTERS


def test_choices_are_composed_and_deduplicated():
    decomposed = unicodedata.normalize('NFD', 'Zoë')
    form = QuestionForm('Teacher?', 'single_choice', f'{decomposed}\nZoë\n  Ann  \n\n')
    assert form.cleaned()['choices'] == ['Zoë', 'Ann']


def test_a_choice_with_a_direction_override_is_refused_beside_the_choices():
    with pytest.raises(ValidationFailed) as refused:
        QuestionForm('Teacher?', 'single_choice', 'Ann\nLeo\u202eevil').cleaned()
    assert refused.value.errors == {'choices': HIDDEN_CHARACTERS}
