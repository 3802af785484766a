from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest


class _Inbox:
    """What the local SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port; Django's mail goes to it."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def person(db, roles):
    """A user of a role (Analyst, Editor, Viewer, or None for no role) with an e-mail address."""
    from django.contrib.auth.models import Group, User

    def make(name: str, role: str | None = "Analyst", email: str | None = None):
        user = User.objects.create_user(
            name, email=f"{name}@desk.example" if email is None else email, password="x"
        )
        user.is_staff = True
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        return User.objects.get(pk=user.pk)  # a fresh permission cache

    return make


def body_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def body_html(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
