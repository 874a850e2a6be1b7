"""Effective configuration: defaults < ``$POBI_HOME/pobi.toml`` < environment variables.

Every setting ``[section] key`` can be overridden by ``POBI_<SECTION>_<KEY>`` (upper case).
Secrets (passwords, the reply-token secret) are read **only** from the environment and never
written anywhere; :func:`Config.redacted` is what ``pobi config show`` prints.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from pobi.errors import ConfigError

SECRET_ENV = {
    "smtp_password": "POBI_SMTP_PASSWORD",
    "imap_password": "POBI_IMAP_PASSWORD",
    "token_secret": "POBI_TOKEN_SECRET",
}

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The bundled reference data (registry sites, rubrics, map outline)."""
    repo_data = REPO_ROOT / "data"
    if repo_data.is_dir():
        return repo_data
    installed = Path(__file__).resolve().parent.parent / "pobi_data"
    if installed.is_dir():
        return installed
    raise ConfigError("Cannot find pobi's data/ folder (registry, rubrics).")


def pobi_home() -> Path:
    return Path(os.environ.get("POBI_HOME", "pobi-data")).expanduser().resolve()


# Debian's chromium-headless-shell first: Chromium's lean headless build (no browser window, no
# preloaded WebUI renderer): ~160 MiB less than the full browser in headless mode, same Blink
HEADLESS_SHELLS = ("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium-headless-shell")
FULL_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def find_chromium() -> str | None:
    """A system Chromium, if there is one: Debian's headless shell, else Debian's full Chromium,
    else one on the PATH."""
    for candidate in (*HEADLESS_SHELLS, *FULL_BROWSERS):
        if Path(candidate).exists():
            return candidate
    for name in ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class CrawlSettings:
    user_agent: str = "pobi/{version} (+https://github.com/pobi-vn/pobi; budget-transparency research; contact: {contact})"
    contact: str = "pobi-research@example.org"
    max_pages: int = 60  # per site
    max_depth: int = 3
    download_delay: float = 0.5  # seconds between requests to one host
    concurrent_per_host: int = 2
    concurrent_total: int = 32
    timeout: float = 20.0
    max_page_bytes: int = 5_000_000
    obey_robots: bool = True
    browser_path: str = ""  # empty: Debian's chromium-headless-shell or chromium, else Playwright's
    allow_private_addresses: bool = False  # the sandbox and tests turn this on
    # the browser resolves no host name and so reaches loopback addresses only: the sandbox,
    # tests and benchmarks turn this on so that no page's widget (a Facebook iframe, say) leaves
    # the machine or holds a screenshot until a name lookup times out
    browser_loopback_only: bool = False


@dataclass
class RequesterSettings:
    """Who the information request comes from (Law 104/2016 Art. 24). All required to send."""

    full_name: str = ""
    address: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | tls | none (none only on loopback)
    username: str = ""
    from_address: str = ""
    rate_per_minute: float = 10.0
    max_retries: int = 4


@dataclass
class ImapSettings:
    host: str = ""
    port: int = 993
    security: str = "tls"  # tls | starttls | none (none only on loopback)
    username: str = ""
    folders: list[str] = field(default_factory=lambda: ["INBOX", "Junk", "Spam"])
    sent_folder: str = "Sent"


@dataclass
class ProbeSettings:
    reply_local: str = ""  # local part of the reply address: <local>+<token>@<domain>
    reply_domain: str = ""
    template: str = "lai-2026-v2"  # v2 cites the law in force on the letter's date
    subject_tag: str = "POBI"  # [<tag>-<round>-<n>] in subjects; e.g. "YC" so no tool is named


@dataclass
class DeadlineSettings:
    """Law on Access to Information 104/2016/QH13, in working days."""

    simple: int = 3  # simple, existing information sent electronically; also the notice period
    full: int = 15  # complex information
    extension: int = 15  # one extension allowed


@dataclass
class DocumentSettings:
    """Budget documents: download limits and publication deadlines (docs/documents.md cites
    each default; those marked UNVERIFIED there were not checked against the gazette text)."""

    max_document_bytes: int = 50_000_000  # larger files are recorded as too_large, not fetched
    max_pdf_pages: int = 400  # pages read for text (the file is archived whole)
    # Sources, per value, in docs/documents.md §4 ("Deadlines: what was checked"). Checked:
    # Decree 163/2016/NĐ-CP Art. 49 (timing of budget publication under Law 83/2015/QH13),
    # read through a secondary page quoting it (thuviennhadat.vn, 2024); the Circular
    # 343/2016/TT-BTC text itself was still not reachable. UNVERIFIED marks the rest.
    estimate_proposed_working_days: int = 5  # Decree 163 Art. 49: 5 working days after the
    # People's Committee sends the papers to the Council's delegates
    estimate_approved_days: int = 30  # Decree 163 Art. 49: 30 days after the decision is issued
    execution_period_days: int = 15  # Decree 163 Art. 49: 15 days after the quarter / 6 months
    # Decree 163 Art. 49: the annual execution report is published WHEN the People's Committee
    # submits it to the Council, i.e. with the next year's estimate papers (0 days after
    # papers_to_delegates of the following fiscal year; was 30 days after the session)
    execution_annual_days: int = 0
    final_accounts_approved_days: int = 30  # Decree 163 Art. 49: 30 days after approval issued
    final_accounts_proposed_working_days: int = 5  # UNVERIFIED (by analogy with the estimate)
    citizen_budget_days: int = 30  # UNVERIFIED: published with the decided estimate
    audit_report_days: int = 30  # UNVERIFIED (good practice, not a legal deadline found)
    medium_term_plan_days: int = 30  # UNVERIFIED (good practice, not a legal deadline found)
    # when a document's own date is unknown or it was never found, the rule is anchored on the
    # usual date of the event (MM-DD; 'prev' = the year before the fiscal year, 'next' = after)
    council_session: str = "prev-12-10"  # the council decides the estimate by 10 December
    papers_to_delegates: str = "prev-11-25"  # UNVERIFIED: estimate papers sent to delegates
    # the council approves final accounts before 31 Dec of the next year (Law 83/2015 Art. 69(5));
    final_accounts_session: str = "next-12-10"  # the usual date within that: UNVERIFIED
    # Circular 343/2016/TT-BTC forms ("Biểu số NN/CK-NSNN") each document should contain.
    # UNVERIFIED against the Circular's annex. Corroborated (not verified) for 46, 48, 62, 63,
    # 64 by the form codes the Ministry of Finance portal ckns.mof.gov.vn files provinces'
    # reports under (recorded by github.com/xuanhaihust/nsnn-budget-crawler: B46 "Cân đối ngân
    # sách địa phương" and B48/B49 are estimates, B62 balance, B63 revenue, B64/B65 spending are
    # final accounts). No evidence found for 15-17 (submitted estimate), 47 or 59-61.
    forms_estimate_proposed: list[str] = field(default_factory=lambda: ["15", "16", "17"])
    forms_estimate_approved: list[str] = field(default_factory=lambda: ["46", "47", "48"])
    forms_execution: list[str] = field(default_factory=lambda: ["59", "60", "61"])
    forms_final_accounts: list[str] = field(default_factory=lambda: ["62", "63", "64"])


@dataclass
class CalendarSettings:
    extra_days_off: str = ""  # path to a file with one YYYY-MM-DD per line


@dataclass
class Config:
    home: Path
    database_url: str
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    requester: RequesterSettings = field(default_factory=RequesterSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    imap: ImapSettings = field(default_factory=ImapSettings)
    probes: ProbeSettings = field(default_factory=ProbeSettings)
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    documents: DocumentSettings = field(default_factory=DocumentSettings)

    @property
    def evidence_dir(self) -> Path:
        return self.home / "evidence"

    def secret(self, name: str) -> str:
        """A secret from the environment ('' when unset). Never stored."""
        return os.environ.get(SECRET_ENV[name], "")

    def browser(self) -> str | None:
        if self.crawl.browser_path:
            return self.crawl.browser_path
        return find_chromium()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"home": str(self.home), "database_url": self.database_url}
        for f in fields(self):
            value = getattr(self, f.name)
            if hasattr(value, "__dataclass_fields__"):
                out[f.name] = {g.name: getattr(value, g.name) for g in fields(value)}
        return out

    def redacted(self) -> dict[str, Any]:
        """Settings safe to print: passwords in URLs masked, secrets shown only as set/unset."""
        out = self.as_dict()
        out["database_url"] = redact_url(self.database_url)
        out["secrets"] = {
            env: ("set (hidden)" if os.environ.get(env) else "not set")
            for env in SECRET_ENV.values()
        }
        return out


def redact_url(url: str) -> str:
    """postgresql://user:pw@host/db -> postgresql://user:***@host/db"""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    if ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}://{creds}@{host}"


def _coerce(raw: str, like: Any, where: str) -> Any:
    if isinstance(like, bool):
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{where}: expected true/false, got {raw!r}")
    if isinstance(like, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"{where}: expected an integer, got {raw!r}") from exc
    if isinstance(like, float):
        try:
            return float(raw)
        except ValueError as exc:
            raise ConfigError(f"{where}: expected a number, got {raw!r}") from exc
    if isinstance(like, list):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _apply(section_obj: Any, section: str, values: dict[str, Any], origin: str) -> None:
    known = {f.name for f in fields(section_obj)}
    for key, value in values.items():
        if key in {"password", "smtp_password", "imap_password", "token_secret", "secret"}:
            raise ConfigError(
                f"{origin}: [{section}] {key}: secrets are read only from the environment "
                f"({', '.join(SECRET_ENV.values())}); remove it from the file."
            )
        if key not in known:
            raise ConfigError(f"{origin}: unknown setting [{section}] {key}")
        current = getattr(section_obj, key)
        where = f"{origin}: [{section}] {key}"
        if isinstance(value, str) and not isinstance(current, str):
            value = _coerce(value, current, where)
        setattr(section_obj, key, _checked(value, current, where))


def _checked(value: Any, like: Any, where: str) -> Any:
    """The value if it has the setting's type (ints accepted for floats), else a ConfigError."""
    if isinstance(like, bool):
        ok = isinstance(value, bool)
    elif isinstance(like, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(like, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(like, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(f"{where}: expected {type(like).__name__}, got {value!r}")
    return value


def load_config(home: Path | None = None) -> Config:
    home = (home or pobi_home()).resolve()
    url = os.environ.get("POBI_DATABASE_URL") or f"sqlite:///{home / 'pobi.sqlite'}"
    cfg = Config(home=home, database_url=url)
    path = home / "pobi.toml"
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        for section, values in data.items():
            target = getattr(cfg, section, None)
            if target is None or not hasattr(target, "__dataclass_fields__"):
                raise ConfigError(f"{path}: unknown section [{section}]")
            if not isinstance(values, dict):
                raise ConfigError(f"{path}: [{section}] must be a table")
            _apply(target, section, values, str(path))
    for f in fields(cfg):
        target = getattr(cfg, f.name)
        if not hasattr(target, "__dataclass_fields__"):
            continue
        for g in fields(target):
            env = f"POBI_{f.name.upper()}_{g.name.upper()}"
            if env in os.environ:
                _apply(target, f.name, {g.name: os.environ[env]}, env)
    return cfg
