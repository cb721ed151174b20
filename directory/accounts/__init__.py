"""Accounts: sign-in, server-side sessions, single-use links, roles, second factor.

Nobody signs up: a coordinator invites (`flask accounts invite` for the first one). Other
features use `sessions` (who is there, the view decorators), `tokens` (single-use links) and
nothing else from here.
"""
