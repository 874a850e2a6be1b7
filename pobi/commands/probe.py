"""`pobi probe ...`: information requests by e-mail and their replies.

Two halves, each in its own module: sending (plan, send, collect) in ``probe_send`` and the
received-mail side (import, holding, assign, code, show) in ``probe_mail``.
"""

from __future__ import annotations

import typer

probe_app = typer.Typer(
    help="Send information requests by e-mail and collect, match, classify and code the replies.\n\n"
    "Gửi yêu cầu cung cấp thông tin qua e-mail; thu thập, đối chiếu, phân loại và mã hóa thư trả lời.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    for name in ("probe_send", "probe_mail", "probe_wave", "probe_survey"):
        try:
            module = __import__(f"pobi.commands.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"pobi.commands.{name}":
                raise
            continue
        module.register(probe_app)
    app.add_typer(probe_app, name="probe")
