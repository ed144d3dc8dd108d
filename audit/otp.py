"""Second factor: who needs one (`TRAJECT_OTP_REQUIRED`), enrolment of an authenticator
app (TOTP, the QR code drawn here), verification once per session, and recovery codes
for a lost phone (django-otp's static devices: ten codes, shown once, each usable once)."""

from __future__ import annotations

import re
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Traject"
RECOVERY_DEVICE_NAME = "Herstelcodes"
RECOVERY_CODE_COUNT = 10
# A recovery code as StaticToken.random_token() makes it: 8 characters of base32.
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")

# TRAJECT_OTP_REQUIRED: who passes a second factor once per session before any page.
OTP_ALL, OTP_STAFF, OTP_OFF = "all", "staff", "off"
OTP_MODES = (OTP_ALL, OTP_STAFF, OTP_OFF)


def otp_required_for(user: Any) -> bool:
    """Whether `user` must pass a second factor (TRAJECT_OTP_REQUIRED): everybody with
    `all` (the default when DEBUG is off), staff and superusers with `staff`, nobody
    with `off`."""
    if not getattr(user, "is_authenticated", False):
        return False
    mode = settings.TRAJECT_OTP_REQUIRED
    if mode == OTP_ALL:
        return True
    if mode == OTP_STAFF:
        return bool(user.is_staff or user.is_superuser)
    return False


def otp_verified(user: Any) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def has_second_factor(user: Any) -> bool:
    """Whether `user` has enrolled an authenticator app (else they enrol one first)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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


# --- Recovery codes -------------------------------------------------------------------


@transaction.atomic
def recovery_codes_create(user: Any) -> list[str]:
    """Ten new recovery codes for `user` (the old ones stop working): shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def verify_recovery_code(user: Any, code: str) -> StaticDevice | None:
    """The recovery device if `code` is one of the user's unused codes (it is used up)."""
    code = (code or "").strip().replace(" ", "").replace("-", "").lower()
    if not RECOVERY_CODE.match(code):
        return None
    for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None
