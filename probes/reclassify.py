"""A researcher's correction of a message's kind (bounce / auto_reply / human).

The classifier is right almost always, but an agency's document system may send a real answer
from a no-reply address, or a gateway may dress a human reply as an auto-reply. The correction is
recorded, not hidden: the reasons list keeps the classifier's reasons and gains a line saying who
changed the kind, when and why, and the message is flagged ``reclassified``. A request's
``bounced`` state follows: a message made a permanent bounce moves its request to ``bounced``;
undoing the only permanent bounce of a request moves it back to ``sent``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.errors import InputError
from pobi.models import BounceType, ReplyKind, RequestState
from pobi.store.tables import Message, ProbeRequest, RequestEvent
from probes.ingest import mark_bounced
from probes.text import clean


def _other_permanent_bounces(session: Session, message: Message) -> int:
    return len(
        list(
            session.scalars(
                select(Message.id).where(
                    Message.request_id == message.request_id,
                    Message.id != message.id,
                    Message.kind == ReplyKind.BOUNCE.value,
                    Message.bounce_type == BounceType.PERMANENT.value,
                )
            )
        )
    )


def reclassify(
    session: Session,
    message: Message,
    kind: ReplyKind,
    *,
    reason: str,
    coder: str,
    bounce_type: BounceType | None = None,
) -> str | None:
    """Change the kind; returns a request id whose state changed, if any."""
    reason, coder = clean(reason), clean(coder)
    if not reason.strip():
        raise InputError("Say why (--reason): the correction is kept with the message.")
    if kind == ReplyKind.BOUNCE and bounce_type is None:
        raise InputError("A bounce needs --bounce-type permanent|temporary.")
    if kind != ReplyKind.BOUNCE and bounce_type is not None:
        raise InputError("--bounce-type only goes with --as bounce.")
    was_permanent = (
        message.kind == ReplyKind.BOUNCE.value and message.bounce_type == BounceType.PERMANENT.value
    )
    old = message.kind + (f" ({message.bounce_type})" if message.bounce_type else "")
    new = kind.value + (f" ({bounce_type.value})" if bounce_type else "")
    message.kind = kind.value
    message.bounce_type = bounce_type.value if bounce_type else ""
    recipients = list(message.bounced_recipients or [])
    req = session.get(ProbeRequest, message.request_id) if message.request_id else None
    if kind != ReplyKind.BOUNCE:
        recipients = []
    elif not recipients and req is not None:
        recipients = [req.recipient]  # the researcher says this request's recipient failed
    message.bounced_recipients = recipients
    stamp = now()
    message.kind_reasons = [
        *(message.kind_reasons or []),
        f"reclassified {old} -> {new} by {coder} on {stamp:%Y-%m-%d}: {reason.strip()}",
    ]
    if "reclassified" not in (message.flags or []):
        message.flags = [*(message.flags or []), "reclassified"]
    session.flush()

    if kind == ReplyKind.BOUNCE and bounce_type == BounceType.PERMANENT:
        return mark_bounced(session, message)
    if (
        was_permanent
        and req is not None
        and req.state == RequestState.BOUNCED.value
        and _other_permanent_bounces(session, message) == 0
    ):
        session.add(
            RequestEvent(
                request_id=req.id,
                from_state=req.state,
                to_state=RequestState.SENT.value,
                detail=f"message #{message.id} is no longer a permanent bounce ({coder}: {reason})",
                at=stamp,
            )
        )
        req.state = RequestState.SENT.value
        session.flush()
        return req.id
    return None
