"""Second factor (TOTP) for staff: enrolment, verification and the QR code, drawn here."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Traject"


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image file, no external service, no inline style)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    return image.to_string(encoding="unicode")


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps accept it when typed in."""
    return b32encode(device.bin_key).decode("ascii")


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True))


@transaction.atomic
def enrolment_device(user: Any) -> TOTPDevice:
    """The unconfirmed device the user is enrolling (made once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def verify(device: TOTPDevice, token: str) -> TOTPDevice | None:
    """The device if `token` is valid for it (each token once; throttled after failures)."""
    token = (token or "").strip().replace(" ", "")
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if token.isdigit() and locked.verify_token(token):
        return locked
    return None


@transaction.atomic
def totp_device_ensure(user: Any, key_hex: str | None = None) -> TOTPDevice:
    """A confirmed device for `user` (e.g. the demo administrator), with `key_hex` if given.

    Returns the device; `device.config_url` is the otpauth:// URL and
    `secret_base32(device)` the key to type into an authenticator app.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True, name=DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True)
    if key_hex:
        device.key = key_hex
    device.full_clean()
    device.save()
    return device
