"""Mainland China mobile phone numbers (手机号码): 11 digits starting with 13-19."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")
# What people type around the number: spaces, hyphens, a +86 / 0086 country prefix.
_SEPARATORS = re.compile(r"[\s\-()（）]")
_COUNTRY_PREFIX = re.compile(r"^(\+86|0086|86)(?=1\d{10}$)")


def normalize_mobile(value):
    """The 11 digits of a number as typed (138 1234 5678, +86-138-1234-5678); other text unchanged."""
    text = _SEPARATORS.sub("", str(value or "")).strip()
    return _COUNTRY_PREFIX.sub("", text)


def validate_mobile(value):
    if value and not MOBILE_PATTERN.fullmatch(value):
        raise ValidationError(_("手机号码应为11位中国大陆手机号，例如 13812345678。"), code="invalid_mobile")
