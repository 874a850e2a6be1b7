"""The baseline: a naive sequential crawler (requests + BeautifulSoup), as many people write it.

Same politeness delay before every request, same page budget and depth limit, same-host links
only, breadth first. No robots.txt, no rendering, no evidence: it does strictly less work than
pobi's crawl, so the comparison flatters it.
"""

from __future__ import annotations

import time
from collections import deque
from urllib.parse import urljoin, urlsplit

import requests
from bs4 import BeautifulSoup


def crawl(start_urls: list[str], *, delay: float, max_pages: int, max_depth: int) -> dict[str, int]:
    session = requests.Session()
    session.headers["User-Agent"] = "naive-baseline/1.0"
    fetched: dict[str, int] = {}
    for start in start_urls:
        host = urlsplit(start).netloc
        seen = {start}
        queue = deque([(start, 0)])
        pages = 0
        while queue and pages < max_pages:
            url, depth = queue.popleft()
            time.sleep(delay)
            try:
                r = session.get(url, timeout=10)
            except requests.RequestException:
                continue
            pages += 1
            host = urlsplit(r.url).netloc if depth == 0 else host
            if depth >= max_depth or "html" not in r.headers.get("Content-Type", ""):
                continue
            soup = BeautifulSoup(r.text, "html.parser")
            for a in soup.find_all("a", href=True):
                link = urljoin(r.url, a["href"]).split("#", 1)[0]
                if urlsplit(link).netloc == host and link not in seen:
                    seen.add(link)
                    queue.append((link, depth + 1))
        fetched[start] = pages
    return fetched
