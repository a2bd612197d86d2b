"""Passwords chosen by someone other than their owner: an office creating an account, an
import, the demo loaded in production. Each is random, shown once to whoever made it, and
must be replaced at first login (User.must_change_password, accounts.middleware)."""

import secrets

from django.contrib.auth.hashers import get_hasher, make_password

# No 0/O, 1/l/I: the password is read off a screen or a printed list and typed by hand.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
LENGTH = 12
# 12 symbols of 55 carry 69 bits of chance. Key stretching protects passwords people choose
# (guessable ones); a secret this random needs none, so it is hashed with far fewer rounds
# and an import of hundreds of accounts takes seconds, not minutes. Django re-hashes it with
# the full rounds at its first successful use (the hasher's must_update), and it must be
# replaced at that first login anyway.
INITIAL_ITERATIONS = 10_000


def generate():
    """A random password that passes AUTH_PASSWORD_VALIDATORS (long, not numeric, not common)."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))
        if any(ch.isdigit() for ch in password) and any(ch.isalpha() for ch in password):
            return password


def initial_hash(password):
    """The stored form of a generated password (see INITIAL_ITERATIONS)."""
    hasher = get_hasher()
    if getattr(hasher, "iterations", None) and hasher.iterations > INITIAL_ITERATIONS:
        return hasher.encode(password, hasher.salt(), iterations=INITIAL_ITERATIONS)
    return make_password(password)
