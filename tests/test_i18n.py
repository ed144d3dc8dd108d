"""Dutch by default, English switchable; the English catalogue is complete and compiled.

The source strings are Dutch (LANGUAGE_CODE nl-be); locale/en holds the English
catalogue, filled by locale/translate_en.py from locale/en_translations.json and
refreshed with `make messages`.
"""

import gettext
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from casework.models import Client, Exemption, IncomeRight, SocialWorker, Trajectory
from partners.models import Article60Placement, Referral, VdabRegistration

LOCALE = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
HOME = reverse("desk:home")
LOGIN = reverse("login")


def load_tool():
    spec = importlib.util.spec_from_file_location("translate_en", LOCALE / "translate_en.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tool = load_tool()


def catalogue():
    """The entries of the committed English catalogue, the header left out."""
    entries = tool.parse(PO_PATH.read_text(encoding="utf-8"))
    return [entry for entry in entries if entry.fields["msgid"] or "msgctxt" in entry.fields]


def identity(entry):
    return (entry.fields.get("msgctxt"), entry.fields["msgid"], entry.fields.get("msgid_plural"))


# --- The pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_is_dutch_by_default(client):
    html = client.get(LOGIN).content.decode()
    assert '<html lang="nl-be">' in html
    assert "<h1>Aanmelden bij Traject</h1>" in html
    assert "Log in to Traject" not in html
    assert ">Afmelden<" not in html  # nobody is logged in
    assert "Naar de inhoud" in html


@pytest.mark.django_db
def test_the_language_switch_turns_the_login_page_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Log in to Traject</h1>" in html
    assert "<title>Log in · Traject</title>" in html
    assert "Skip to content" in html
    assert "Aanmelden" not in html
    # Django's own strings follow too: the form labels of the login form.
    assert "Username" in html
    assert "Gebruikersnaam" not in html

    client.post(reverse("set_language"), {"language": "nl-be", "next": LOGIN})
    html = client.get(LOGIN).content.decode()
    assert "<h1>Aanmelden bij Traject</h1>" in html
    assert "Gebruikersnaam" in html


@pytest.mark.django_db
def test_the_browser_language_and_the_language_cookie_choose_english(client):
    html = client.get(LOGIN, headers={"accept-language": "en"}).content.decode()
    assert "<h1>Log in to Traject</h1>" in html
    html = client.get(LOGIN, headers={"accept-language": "nl-BE,nl;q=0.9"}).content.decode()
    assert "<h1>Aanmelden bij Traject</h1>" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The chosen language wins over the browser's.
    html = client.get(LOGIN, headers={"accept-language": "nl-BE"}).content.decode()
    assert "<h1>Log in to Traject</h1>" in html


@pytest.mark.django_db
def test_a_logged_in_page_in_english(client, staff):
    client.force_login(staff.users["sa"])
    dutch = client.get(HOME).content.decode()
    assert "Mijn caseload" in dutch
    assert "Werkbak" in dutch

    client.post(reverse("set_language"), {"language": "en", "next": HOME})
    html = client.get(HOME).content.decode()
    assert "Welcome, Sa" in html
    assert "My caseload" in html
    assert "Work queue" in html
    assert ">Log out" in html
    for word in ("Mijn caseload", "Werkbak", "Afmelden", "Welkom"):
        assert word not in html


def test_model_names_in_english_and_in_dutch():
    with translation.override("en"):
        assert str(Client._meta.verbose_name) == "client"
        assert str(Client._meta.verbose_name_plural) == "clients"
        assert str(SocialWorker._meta.verbose_name) == "social worker"
        assert str(IncomeRight._meta.verbose_name) == "right to social integration"
        assert str(Trajectory._meta.verbose_name_plural) == "trajectories"
        assert str(Exemption._meta.verbose_name) == "exemption"
        assert str(Article60Placement._meta.verbose_name) == "article 60 employment"
        assert str(Referral._meta.verbose_name) == "referral"
        assert str(VdabRegistration._meta.verbose_name) == "VDAB registration"
        assert str(Client._meta.get_field("national_number").verbose_name) == "national number"
    with translation.override("nl-be"):
        assert str(Client._meta.verbose_name) == "cliënt"
        assert str(SocialWorker._meta.verbose_name) == "maatschappelijk assistent"


def test_plural_forms_in_english():
    with translation.override("en"):
        one = translation.ngettext("%(n)s taak is te laat.", "%(n)s taken zijn te laat.", 1)
        many = translation.ngettext("%(n)s taak is te laat.", "%(n)s taken zijn te laat.", 3)
    assert one % {"n": 1} == "1 task is overdue."
    assert many % {"n": 3} == "3 tasks are overdue."


# --- The catalogue ------------------------------------------------------------------------


def test_every_string_of_the_english_catalogue_is_translated_and_not_fuzzy():
    entries = catalogue()
    assert len(entries) > 500
    untranslated = [e.key for e in entries if not all(v.strip() for v in e.translations())]
    fuzzy = [e.key for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], "untranslated: run `make messages` and fill en_translations.json"
    assert fuzzy == []
    header = tool.parse(PO_PATH.read_text(encoding="utf-8"))[0]
    assert header.fields["msgid"] == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.fields["msgstr"]


def test_every_translation_keeps_the_placeholders_and_tags_of_its_source():
    broken = {}
    for entry in catalogue():
        problems = tool.problems(entry, entry.translations())
        if problems:
            broken[entry.key] = problems
    assert broken == {}


def test_the_checker_notices_a_lost_placeholder_or_tag():
    entry = tool.parse('msgid "Van <strong>%(source)s</strong> tot %(day)s"\nmsgstr ""\n')[0]
    assert tool.problems(entry, ["From <strong>%(source)s</strong> to %(day)s"]) == []
    assert tool.problems(entry, ["From <strong>%(source)s</strong> to today"])
    assert tool.problems(entry, ["From %(source)s to %(day)s"])
    assert tool.problems(entry, [""]) == ["empty translation"]


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (no gettext tools at run time) and must not lag behind."""
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue():
        msgid = entry.fields["msgid"]
        if "msgctxt" in entry.fields:
            found = compiled.pgettext(entry.fields["msgctxt"], msgid)
            expected = entry.translations()[0]
        elif entry.is_plural:
            found = [compiled.ngettext(msgid, entry.fields["msgid_plural"], n) for n in (1, 2)]
            expected = entry.translations()
        else:
            found, expected = compiled.gettext(msgid), entry.translations()[0]
        if found != expected:
            stale.append(msgid)
    assert stale == [], "run `make messages` (compilemessages) and commit django.mo"


def test_the_dictionary_fills_the_catalogue_exactly():
    """en_translations.json is the only source of the English text: the .po says the same."""
    translations = tool.json.loads(tool.DICT_PATH.read_text(encoding="utf-8"))
    differ = []
    for entry in catalogue():
        value = translations.get(entry.key)
        values = [value] if isinstance(value, str) else value
        if entry.is_plural and values and len(values) == 1:
            values = values * 2
        if values != entry.translations():
            differ.append(entry.key)
    assert differ == [], "run `.venv/bin/python locale/translate_en.py` (or `make messages`)"


def test_the_catalogue_holds_every_dutch_string_of_the_code(tmp_path, settings):
    """A new Dutch string without an English translation fails here.

    makemessages (with the ignores of `make messages`) runs on a copy of the sources, so
    the committed catalogue is never touched; each string it finds must be in that one.
    """
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    base = Path(settings.BASE_DIR)
    command = next(
        line
        for line in (base / "Makefile").read_text("utf-8").splitlines()
        if "makemessages" in line
    )
    ignores = re.findall(r"--ignore=(\S+)", command)
    assert ".venv" in ignores
    skipped = {"locale", "__pycache__", *ignores}
    skipped |= {Path(root).name for root in (settings.STATIC_ROOT, settings.MEDIA_ROOT) if root}

    def ignore(folder, names):
        return [
            name
            for name in names
            if name.startswith(".")
            or name in skipped
            or (Path(folder, name).is_file() and Path(name).suffix not in {".py", ".html", ".txt"})
        ]

    sources = tmp_path / "sources"
    shutil.copytree(base, sources, ignore=ignore)
    settings.LOCALE_PATHS = [tmp_path / "out"]
    cwd = os.getcwd()
    os.chdir(sources)
    try:
        call_command(
            "makemessages", locale=["en"], ignore_patterns=ignores, no_obsolete=True, verbosity=0
        )
    finally:
        os.chdir(cwd)
    fresh = tool.parse((tmp_path / "out" / "en" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    fresh_ids = {identity(entry) for entry in fresh if entry.fields["msgid"]}
    committed = {identity(entry) for entry in catalogue()}
    assert len(fresh_ids) > 500
    missing = sorted(msgid for _, msgid, _ in fresh_ids - committed)
    assert missing == [], "new strings: run `make messages` and translate them"
