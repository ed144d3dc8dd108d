"""The upload form of a record bundle."""

import zipfile

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What browsers send for a .zip (Windows sends x-zip-compressed; some send octet-stream).
ZIP_CONTENT_TYPES = {
    "application/zip",
    "application/x-zip-compressed",
    "application/x-zip",
    "multipart/x-zip",
    "application/octet-stream",
}


def max_upload_bytes() -> int:
    return getattr(settings, "RECORDS_UPLOAD_MAX_BYTES", 100 * 1024 * 1024)


def max_unpacked_bytes() -> int:
    return getattr(settings, "RECORDS_UNPACKED_MAX_BYTES", 2 * 1024 * 1024 * 1024)


class BundleUploadForm(forms.Form):
    bundle = forms.FileField(
        label=gettext_lazy("Recordbundel (.zip)"),
        help_text=gettext_lazy(
            "Een zip-bestand met organisation.csv en de andere CSV-bestanden van de bundel."
        ),
    )

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is te groot (%(size)s MB; hoogstens %(limit)s MB).")
                % {"size": round(upload.size / 2**20, 1), "limit": round(limit / 2**20)}
            )
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Kies een .zip-bestand."))
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type and content_type not in ZIP_CONTENT_TYPES:
            raise forms.ValidationError(
                _("Dit is geen zip-bestand (het type is %(type)s).") % {"type": content_type}
            )
        try:
            with zipfile.ZipFile(upload) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, EOFError):
            raise forms.ValidationError(_("Dit bestand is geen geldig zip-bestand.")) from None
        finally:
            upload.seek(0)
        if unpacked > max_unpacked_bytes():
            raise forms.ValidationError(_("Uitgepakt is deze bundel te groot."))
        return upload
