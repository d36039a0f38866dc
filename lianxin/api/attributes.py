"""Answers to a category's questions (Open311 service attributes), checked against the
questions: required ones answered, numbers numeric, choices among the listed codes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from lianxin.cases.models import Category, QuestionType

MAX_STRING = 500
MAX_TEXT = 4000


def clean_attributes(category: Category | None, answers: dict) -> dict:
    """Return the answers as stored on the case (by question code). Empty answers count as
    not given. Raises ValidationError keyed by question code."""
    if category is None:
        questions = {}
    else:
        listed = getattr(category, "question_list", None)
        questions = {
            q.code: q for q in (listed if listed is not None else category.questions.all())
        }
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for code, raw in answers.items():
        values = [v for v in (raw if isinstance(raw, list | tuple) else [raw]) if str(v).strip()]
        if not values:
            continue
        question = questions.get(code)
        if question is None:
            errors[code] = [_("“%(code)s” is not a question of this category.") % {"code": code}]
            continue
        try:
            cleaned[code] = _clean_one(question, [str(v).strip() for v in values])
        except ValidationError as exc:
            errors[code] = exc.messages
    for code, question in questions.items():
        if question.required and code not in cleaned and code not in errors:
            errors[code] = [_("Please answer: %(question)s") % {"question": question.description}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_one(question, values: list[str]):
    kind = question.datatype
    if kind != QuestionType.MULTIPLE and len(values) > 1:
        raise ValidationError(_("Give one answer only."))
    value = values[0]
    if kind == QuestionType.STRING:
        value = " ".join(value.split())
        if len(value) > MAX_STRING:
            raise ValidationError(_("The answer is too long."))
        return value
    if kind == QuestionType.TEXT:
        if len(value) > MAX_TEXT:
            raise ValidationError(_("The answer is too long."))
        return value
    if kind == QuestionType.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(_("Give a number.")) from None
        if not number.is_finite():
            raise ValidationError(_("Give a number."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == QuestionType.DATETIME:
        try:
            moment = parse_datetime(value)
            day = parse_date(value) if moment is None else None
        except ValueError:
            moment = day = None
        if moment is None:
            if day is None:
                raise ValidationError(_("Give a date and time such as 2026-05-04T08:30:00+08:00."))
            return day.isoformat()
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    keys = [key for key, _name in question.value_list]
    unknown = [v for v in values if v not in keys]
    if unknown:
        raise ValidationError(_("Choose among: %(choices)s.") % {"choices": ", ".join(keys)})
    return value if kind == QuestionType.SINGLE else list(dict.fromkeys(values))
