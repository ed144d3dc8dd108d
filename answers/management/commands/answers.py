"""manage.py answers publish|document|verify: written questions' answers (answers.md).

answers publish CODE --from YYYY-MM --to YYYY-MM --reference-month YYYY-MM
    --as-of YYYY-MM-DD --title TEXT [--statistics KEY,...] [--text-file FILE]
    [--user USERNAME]                 prints the new answer's id and its sha256
answers document ANSWER_ID --output FILE.docx [--user USERNAME]
answers verify ANSWER_ID [--user USERNAME]     exit 1 when a figure differs
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from answers.document import build_docx, published_document
from answers.models import PublishedAnswer
from answers.services import answer_publish, published_report, report_parameters
from answers.verify import Verification, verify
from audit.models import AuditAction
from audit.services import audit_log
from core.writes import writes_by
from reporting.management.commands.council_report import write_atomically
from reporting.statistics import REGISTRY, parse_day, scope_by_code


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Antwoorden op schriftelijke vragen: publiceren, als DOCX schrijven, nagaan."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="publish|document|verify")
        publish = sub.add_parser("publish", help="een antwoord publiceren")
        publish.add_argument(
            "scope", metavar="CODE", help="een organisatie, of een regio (al haar OCMW's)"
        )
        publish.add_argument("--from", dest="period_from", metavar="YYYY-MM")
        publish.add_argument("--to", dest="period_to", metavar="YYYY-MM")
        publish.add_argument("--reference-month", metavar="YYYY-MM")
        publish.add_argument("--as-of", metavar="YYYY-MM-DD")
        publish.add_argument("--title", metavar="TEXT")
        publish.add_argument("--statistics", metavar="KEY,KEY,...", default="")
        publish.add_argument("--text-file", metavar="FILE")
        publish.add_argument("--user", metavar="USERNAME")
        document = sub.add_parser("document", help="het antwoord als DOCX")
        document.add_argument("answer_id", metavar="ANSWER_ID")
        document.add_argument("--output", metavar="FILE.docx")
        document.add_argument("--user", metavar="USERNAME")
        check = sub.add_parser("verify", help="de cijfers opnieuw berekenen en vergelijken")
        check.add_argument("answer_id", metavar="ANSWER_ID")
        check.add_argument("--user", metavar="USERNAME")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action not in ("publish", "document", "verify"):
            raise CommandError(_("Kies publish, document of verify."))
        user = self._user(options.get("user"))
        with writes_by(user=user, source=f"command:answers {action}"):
            getattr(self, f"_{action}")(user, options)

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Onbekende gebruiker: %(name)s.") % {"name": repr(username)})
        return user

    def _answer(self, answer_id: str) -> PublishedAnswer:
        answer = (
            PublishedAnswer.objects.filter(pk=answer_id).first() if answer_id.isdigit() else None
        )
        if answer is None:
            raise CommandError(_("Onbekend antwoord: %(id)s.") % {"id": repr(answer_id)})
        return answer

    def _publish(self, user: Any, options: dict[str, Any]) -> None:
        missing = [
            option
            for option, key in (
                ("--from", "period_from"),
                ("--to", "period_to"),
                ("--reference-month", "reference_month"),
                ("--as-of", "as_of"),
                ("--title", "title"),
            )
            if not options.get(key)
        ]
        if missing:
            raise CommandError(_("Geef ook %(options)s op.") % {"options": ", ".join(missing)})
        scope = scope_by_code(options["scope"])
        if scope is None:
            raise CommandError(
                _("Onbekende organisatie of regio: %(code)s.") % {"code": repr(options["scope"])}
            )
        keys = [key.strip() for key in options["statistics"].split(",") if key.strip()]
        text = ""
        if options.get("text_file"):
            try:
                text = Path(options["text_file"]).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(
                    _("Kan %(path)s niet lezen: %(error)s")
                    % {"path": options["text_file"], "error": exc}
                ) from exc
        try:
            params = report_parameters(
                scope=scope,
                period_from=options["period_from"],
                period_to=options["period_to"],
                reference_month=options["reference_month"],
                as_of=parse_day(options["as_of"]),
            )
            published = answer_publish(
                params=params,
                statistics=keys,
                text=text,
                title=options["title"],
                user=user,
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from exc
        self.stdout.write(f"{published.pk} {published.sha256}")

    def _document(self, user: Any, options: dict[str, Any]) -> None:
        if not options.get("output"):
            raise CommandError(_("Geef --output BESTAND.docx op."))
        answer = self._answer(options["answer_id"])
        content = build_docx(published_document(answer, published_report(answer)))
        path = Path(options["output"])
        try:
            write_atomically(path, content)
        except OSError as exc:
            raise CommandError(
                _("Kan %(path)s niet schrijven: %(error)s")
                % {"path": path, "error": exc.strerror or exc}
            ) from exc
        audit_log(
            action=AuditAction.EXPORT,
            user=user,
            object_type=PublishedAnswer._meta.label_lower,
            object_id=answer.pk,
            reason="docx",
        )

    def _verify(self, user: Any, options: dict[str, Any]) -> None:
        answer = self._answer(options["answer_id"])
        result = verify(answer)
        audit_log(
            action=AuditAction.EXPORT,
            user=user,
            object_type=PublishedAnswer._meta.label_lower,
            object_id=answer.pk,
            reason="verify",
        )
        self.stdout.write(self._report(result))
        if not result.identical:
            raise SystemExit(1)

    @staticmethod
    def _report(result: Verification) -> str:
        answer = result.answer
        if result.identical:
            return _(
                "Elk cijfer is identiek aan het antwoord %(id)s van %(date)s (sha256 %(sha)s)."
            ) % {
                "id": answer.pk,
                "date": answer.published_at.strftime("%d/%m/%Y"),
                "sha": answer.sha256,
            }
        lines = [
            _("%(n)s cijfer(s) verschillen van het antwoord %(id)s van %(date)s:")
            % {
                "n": len(result.differences),
                "id": answer.pk,
                "date": answer.published_at.strftime("%d/%m/%Y"),
            }
        ]
        for difference in result.differences:
            lines.append(
                _("  %(path)s: gepubliceerd %(published)s, vandaag %(today)s")
                % {
                    "path": difference.path,
                    "published": json.dumps(difference.published),
                    "today": json.dumps(difference.today),
                }
            )
        for key, changes in result.explanations.items():
            registered = REGISTRY.get(key)
            kinds = ", ".join(registered.reads) if registered else ""
            lines.append(
                _("Gewijzigde records sinds de publicatie die %(key)s leest (%(kinds)s):")
                % {"key": key, "kinds": kinds}
            )
            if not changes:
                lines.append(_("  geen"))
            for change in changes:
                lines.append(
                    _("  %(kind)s %(id)s: %(action)s op %(at)s door %(by)s %(changes)s")
                    % {
                        "kind": change.kind,
                        "id": change.external_id,
                        "action": change.action,
                        "at": change.at.isoformat(timespec="seconds"),
                        "by": change.by or "-",
                        "changes": json.dumps(change.changes, ensure_ascii=False),
                    }
                )
        return "\n".join(lines)
