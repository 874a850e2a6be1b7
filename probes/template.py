"""Request templates: versioned letters in the form the Law on Access to Information expects.

A template lives in ``probes/templates/<id>.toml`` (metadata, subject and addressee lines) with
its Vietnamese body ``<id>.vi.txt`` (what is sent) and an English reference translation
``<id>.en.txt`` (never sent; for readers of the method). Bodies use ``{name}`` placeholders.

The *ask* (the information requested and the purpose) is separate and configurable per round:
``probes/templates/default-ask.toml`` unless the researcher passes ``--ask FILE``.

Law 104/2016/QH13 Art. 24 and Decree 13/2018 (form 01) require the requester's full name,
address, ID number, phone and e-mail; :func:`require_requester` refuses to build a letter while
any of them is missing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pobi.clock import VN_TZ
from pobi.config import RequesterSettings
from pobi.errors import ConfigError, InputError

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_ASK = TEMPLATES / "default-ask.toml"
REQUESTER_FIELDS = {
    "full_name": ("full name", "họ và tên"),
    "address": ("address", "nơi cư trú"),
    "id_number": ("ID number", "số CCCD/hộ chiếu"),
    "phone": ("phone", "số điện thoại"),
    "email": ("e-mail", "thư điện tử"),
}
RECIPIENT_KINDS = ("finance", "portal", "override")


@dataclass(frozen=True)
class Template:
    id: str
    law: str
    subject_vi: str
    subject_en: str
    addressee_vi: dict[str, str]
    addressee_en: dict[str, str]
    body_vi: str
    body_en: str


@dataclass(frozen=True)
class AskItem:
    vi: str
    en: str


@dataclass(frozen=True)
class Ask:
    purpose_vi: str
    purpose_en: str
    items: tuple[AskItem, ...]
    source: str  # file it came from


@dataclass(frozen=True)
class Letter:
    subject: str  # Vietnamese, sent
    body: str  # Vietnamese, sent
    subject_en: str  # reference translation
    body_en: str


def available_templates() -> list[str]:
    return sorted(p.stem for p in TEMPLATES.glob("*.toml") if p.stem != "default-ask")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc


def load_template(template_id: str) -> Template:
    path = TEMPLATES / f"{template_id}.toml"
    if template_id == "default-ask" or not path.is_file():
        raise ConfigError(
            f"No request template {template_id!r}.",
            hint=f"Known templates: {', '.join(available_templates())} (setting probes.template).",
        )
    meta = _read_toml(path)
    try:
        return Template(
            id=meta["id"],
            law=meta.get("law", ""),
            subject_vi=meta["subject_vi"],
            subject_en=meta["subject_en"],
            addressee_vi=dict(meta["addressee_vi"]),
            addressee_en=dict(meta["addressee_en"]),
            body_vi=(TEMPLATES / meta["body_vi"]).read_text(encoding="utf-8"),
            body_en=(TEMPLATES / meta["body_en"]).read_text(encoding="utf-8"),
        )
    except KeyError as exc:
        raise ConfigError(f"{path}: missing key {exc.args[0]!r}") from exc


def load_ask(path: Path | None = None) -> Ask:
    """The information requested: ``purpose_vi``, ``purpose_en`` and ``[[item]]`` tables with
    ``vi`` and ``en`` strings. Errors name the file and what is wrong."""
    path = Path(path) if path else DEFAULT_ASK
    data = _read_toml(path)
    problems: list[str] = []
    for key in ("purpose_vi", "purpose_en"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"'{key}' must be a non-empty string")
    raw_items = data.get("item")
    items: list[AskItem] = []
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("at least one [[item]] with 'vi' and 'en' is required")
    else:
        for i, item in enumerate(raw_items, start=1):
            if not isinstance(item, dict):
                problems.append(f"item {i} must be a table")
                continue
            vi, en = item.get("vi"), item.get("en")
            if not isinstance(vi, str) or not vi.strip():
                problems.append(f"item {i}: 'vi' (the Vietnamese text that is sent) is missing")
            elif not isinstance(en, str) or not en.strip():
                problems.append(f"item {i}: 'en' (the English reference) is missing")
            else:
                items.append(AskItem(vi.strip(), en.strip()))
    unknown = set(data) - {"purpose_vi", "purpose_en", "item"}
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(unknown))}")
    if problems:
        raise InputError(f"{path}: " + "; ".join(problems))
    return Ask(data["purpose_vi"].strip(), data["purpose_en"].strip(), tuple(items), str(path))


def missing_requester_fields(requester: RequesterSettings) -> list[str]:
    return [name for name in REQUESTER_FIELDS if not str(getattr(requester, name, "")).strip()]


def require_requester(requester: RequesterSettings) -> None:
    """Refuse (ConfigError listing every missing field) unless the requester is complete."""
    missing = missing_requester_fields(requester)
    if missing:
        lines = "\n".join(
            f"  requester.{m}  ({REQUESTER_FIELDS[m][0]} / {REQUESTER_FIELDS[m][1]}; "
            f"or POBI_REQUESTER_{m.upper()})"
            for m in missing
        )
        raise ConfigError(
            "The Law on Access to Information (104/2016, Art. 24) requires the requester's "
            "full name, address, ID number, phone and e-mail. Missing / còn thiếu:\n" + lines,
            hint="Add them to $POBI_HOME/pobi.toml in the section requester.",
        )


def _unit(name: str) -> str:
    """'Tỉnh Lào Cai' -> 'tỉnh Lào Cai' (as it reads inside a sentence)."""
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


def latest_quarter(when: datetime) -> tuple[int, int]:
    """The last completed quarter before ``when``: (quarter, year)."""
    q = (when.month - 1) // 3
    return (4, when.year - 1) if q == 0 else (q, when.year)


def render(
    template: Template,
    ask: Ask,
    *,
    requester: RequesterSettings,
    province_name: str,
    recipient_kind: str,
    tag: str,
    reply_to: str,
    when: datetime,
    law_vi: str = "",
    law_en: str = "",
) -> Letter:
    require_requester(requester)
    if not law_vi:
        from probes.law import law_in_force

        law = law_in_force(when)
        law_vi, law_en = law.vi, law.en
    if recipient_kind not in RECIPIENT_KINDS:
        raise InputError(f"Unknown recipient kind {recipient_kind!r}")
    local = when.astimezone(VN_TZ)
    quarter, quarter_year = latest_quarter(local)
    province = _unit(province_name)
    values = {
        "unit": "thành phố" if province_name.startswith("Thành phố") else "tỉnh",
        "unit_en": "city" if province_name.startswith("Thành phố") else "province",
        "year": local.year,
        "province_name": province,
        "quarter": quarter,
        "quarter_year": quarter_year,
        "tag": tag,
    }

    def fill(text: str) -> str:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise InputError(f"{ask.source}: bad placeholder in {text!r}: {exc}") from exc

    common = {
        "full_name": requester.full_name.strip(),
        "address": requester.address.strip(),
        "id_number": requester.id_number.strip(),
        "phone": requester.phone.strip(),
        "email": requester.email.strip(),
        "reply_to": reply_to,
        "tag": tag,
    }
    body_vi = template.body_vi.format(
        **common,
        law_vi=law_vi,
        place_date=f"Ngày {local.day:02d} tháng {local.month:02d} năm {local.year}",
        addressee=fill(template.addressee_vi[recipient_kind]),
        items="\n".join(f"   6.{i}. {fill(it.vi)}" for i, it in enumerate(ask.items, start=1)),
        purpose=fill(ask.purpose_vi),
    )
    body_en = template.body_en.format(
        **common,
        law_en=law_en,
        place_date=local.strftime("%d %B %Y"),
        addressee=fill(template.addressee_en[recipient_kind]),
        items="\n".join(f"   6.{i}. {fill(it.en)}" for i, it in enumerate(ask.items, start=1)),
        purpose=fill(ask.purpose_en),
    )
    return Letter(
        subject=fill(template.subject_vi),
        body=body_vi,
        subject_en=fill(template.subject_en),
        body_en=body_en,
    )
