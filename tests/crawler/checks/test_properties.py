"""Property tests: whatever the address, number or account, each check reads it back exactly."""

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.checks import email, facebook, phone, youtube, zalo
from pobi.sandbox.world import cf_encode
from tests.crawler.checks.helpers import values, view

label = st.from_regex(r"[a-z0-9]([a-z0-9\-]{0,10}[a-z0-9])?", fullmatch=True)
local = st.from_regex(r"[a-z0-9]([a-z0-9._\-]{0,15}[a-z0-9])?", fullmatch=True).filter(
    lambda s: ".." not in s
)
address = st.builds(
    lambda lo, labels, tld: f"{lo}@{'.'.join(labels)}.{tld}",
    local,
    st.lists(label, min_size=1, max_size=3),
    st.sampled_from(["vn", "test", "com", "org", "net"]),
).filter(email.valid)


@settings(max_examples=30, deadline=None)
@given(
    a=address,
    key=st.integers(1, 255),
    how=st.sampled_from(["mailto", "text", "cf", "cf_link", "obf"]),
)
def test_every_address_is_read_back(a: str, key: int, how: str) -> None:
    local_part, domain = a.split("@")
    html = {
        "mailto": f'<a href="mailto:{a.upper()}?subject=x">Gửi thư</a>',
        "text": f"<p>Email: {a}</p>",
        "cf": f'<span class="__cf_email__" data-cfemail="{cf_encode(a, key)}">[email protected]</span>',
        "cf_link": f'<a href="/cdn-cgi/l/email-protection#{cf_encode(a, key)}">x</a>',
        "obf": f"<p>Email: {local_part}(at){domain.replace('.', '(dot)')}</p>",
    }[how]
    assert values(email.check(view(html))) == {a}


phone_digits = st.builds(
    lambda first, rest: "0" + first + rest,
    st.sampled_from("23456789"),
    st.from_regex(r"[0-9]{8,9}", fullmatch=True),
)


@settings(max_examples=30, deadline=None)
@given(
    digits=phone_digits,
    label_text=st.sampled_from(["Điện thoại", "ĐT", "Tel", "Hotline", "Đường dây nóng", "SĐT"]),
    style=st.sampled_from(["dots", "spaces", "plus84", "plain", "paren"]),
)
def test_every_phone_is_read_back(digits: str, label_text: str, style: str) -> None:
    a, b = digits[:4], digits[4:]
    shown = {
        "dots": f"{a}.{b[:3]}.{b[3:]}",
        "spaces": f"{a} {b[:3]} {b[3:]}",
        "plus84": f"+84 {a[1:]} {b}",
        "plain": digits,
        "paren": f"({a}) {b}",
    }[style]
    html = f"<p>{label_text}: {shown} - Fax: 0000.000.000</p><p>Ngày 01/02/2025</p>"
    assert values(phone.check(view(html))) == {digits}


slug = st.from_regex(r"[A-Za-z][A-Za-z0-9.]{2,30}", fullmatch=True).filter(
    lambda s: s.lower() not in facebook.NOT_ACCOUNTS and not s.lower().endswith(".php")
)


@settings(max_examples=20, deadline=None)
@given(name=slug, host=st.sampled_from(["www.facebook.com", "m.facebook.com", "facebook.com"]))
def test_every_facebook_page_is_read_back(name: str, host: str) -> None:
    html = f'<a href="https://{host}/{name}/?ref=page_internal">f</a>'
    assert values(facebook.check(view(html))) == {f"https://www.facebook.com/{name.lower()}"}


@settings(max_examples=20, deadline=None)
@given(n=st.integers(10**9, 10**19), oa=st.booleans())
def test_every_zalo_account_is_read_back(n: int, oa: bool) -> None:
    host = "oa.zalo.me" if oa else "zalo.me"
    assert values(zalo.check(view(f'<a href="https://{host}/{n}">z</a>'))) == {
        f"https://{host}/{n}"
    }


@settings(max_examples=20, deadline=None)
@given(
    handle=st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9._\-]{2,20}", fullmatch=True),
    tab=st.sampled_from(["", "/videos", "/featured"]),
)
def test_every_youtube_handle_is_read_back(handle: str, tab: str) -> None:
    html = f'<a href="https://youtube.com/@{handle}{tab}">y</a>'
    assert values(youtube.check(view(html))) == {f"https://www.youtube.com/@{handle}"}


# Whatever the layout around a value (same line, next table cell, <label>, a line break in the
# source, a number in the next block or cell), it is read back exactly: block boundaries separate,
# nothing runs into the value (page text read like a browser's innerText, crawler.checks.dom).
LAYOUTS = [
    "<p>{label}: {value}</p><p>{n} ngày trước</p>",
    "<table><tr><td>{label}:</td><td>{value}</td><td>{n}</td></tr></table>",
    "<div><label>{label}:</label> {value}</div><div>{n}</div>",
    "<p>{label}:\n      {value}\n</p>",
    "<p>{label}: {value}<br>{n} ngày trước</p>",
    "<div>{label}: {value}<hr>{n}</div>",
    "<center>{label}: {value}</center>{n}",
    "<div>{label}: <span>{value}</span><span style='display:block'>{n}</span></div>",
]


@settings(max_examples=40, deadline=None)
@given(
    digits=phone_digits,
    layout=st.sampled_from(LAYOUTS),
    n=st.integers(0, 99),
    dotted=st.booleans(),
)
def test_every_phone_is_read_back_whatever_the_layout(
    digits: str, layout: str, n: int, dotted: bool
) -> None:
    sep = "." if dotted else " "
    shown = f"{digits[:4]}{sep}{digits[4:7]}{sep}{digits[7:]}"
    html = layout.format(label="Điện thoại", value=shown, n=n)
    assert values(phone.check(view(html))) == {digits}


@settings(max_examples=40, deadline=None)
@given(a=address, layout=st.sampled_from(LAYOUTS), n=st.integers(0, 99))
def test_every_address_is_read_back_whatever_the_layout(a: str, layout: str, n: int) -> None:
    html = layout.format(label="Email", value=a, n=n)
    assert values(email.check(view(html))) == {a}


@settings(max_examples=40, deadline=None)
@given(
    title_number=st.integers(1, 99),
    age=st.integers(1, 30),
    between=st.sampled_from(
        ["<br>", "<hr>", "</li><li>", "</td><td>", "</p><p>", "<center>", "<div>", "<dt>"]
    ),
)
def test_a_relative_date_is_never_run_into_the_text_before_it(
    title_number: int, age: int, between: str
) -> None:
    from crawler.checks import qa_section
    from tests.crawler.checks.helpers import BASE

    wrap = "<table><tr><td>{}</td></tr></table>" if "td" in between else "<ul><li>{}</li></ul>"
    item = f"<a href='/hoi-dap/1'>Hỏi về Nghị định {title_number}</a>{between}{age} ngày trước"
    page = view("<h1>Hỏi đáp</h1>" + wrap.format(item), url=BASE + "hoi-dap")
    found = {d.value: d.details for d in qa_section.check(page)}
    assert found[BASE + "hoi-dap"]["newest_age_days"] == age
