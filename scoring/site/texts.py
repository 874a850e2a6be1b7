"""Every word the static site shows, in Vietnamese and English.

Keys are ids; pages never show a key, only ``T[key][lang]``. Labels for the closed vocabularies
(channels, request states, deadline statuses, reply kinds, codings, regions, measures) are here
too, so a Vietnamese page has no English word or raw id in it (tests/scoring/test_site_vi.py walks
every page and checks).
"""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "site_title": {
        "vi": "Mức độ công khai và phản hồi về ngân sách cấp tỉnh",
        "en": "Budget transparency and responsiveness of Vietnam's provinces",
    },
    "round": {"vi": "Đợt khảo sát", "en": "Round"},
    "nav_overview": {"vi": "Tổng quan", "en": "Overview"},
    "nav_provinces": {"vi": "Các tỉnh", "en": "Provinces"},
    "nav_methodology": {"vi": "Phương pháp", "en": "Methodology"},
    "nav_downloads": {"vi": "Tải dữ liệu", "en": "Downloads"},
    "other_language": {"vi": "English", "en": "Tiếng Việt"},
    "era_legacy": {
        "vi": "63 tỉnh, thành phố (trước 1/7/2025)",
        "en": "63 provincial units (before 2025-07-01)",
    },
    "era_current": {
        "vi": "34 tỉnh, thành phố (từ 1/7/2025)",
        "en": "34 provincial units (from 2025-07-01)",
    },
    "as_of": {"vi": "Số liệu tính đến", "en": "Figures as of"},
    "rubric": {"vi": "Bộ tiêu chí", "en": "Rubric"},
    "headline": {"vi": "Kết quả chính", "en": "Headline figures"},
    "headline_note": {
        "vi": "Tỷ lệ trên các tỉnh đã được gửi yêu cầu, kèm khoảng tin cậy Wilson 95%.",
        "en": "Shares of the provinces that were sent a request, with Wilson 95% intervals.",
    },
    "ci": {"vi": "khoảng tin cậy 95%", "en": "95% interval"},
    "of": {"vi": "trên", "en": "of"},
    "map": {"vi": "Bản đồ chỉ số", "en": "Map of the index"},
    "map_note": {
        "vi": "Màu theo xếp loại; bấm vào một tỉnh để xem bằng chứng.",
        "en": "Coloured by band; click a province for its evidence.",
    },
    "legend": {"vi": "Chú giải", "en": "Legend"},
    "no_data": {"vi": "Chưa có số liệu", "en": "No data"},
    "ranking": {"vi": "Xếp hạng", "en": "Ranking"},
    "by_region": {"vi": "Theo vùng", "en": "By region"},
    "col_rank": {"vi": "Hạng", "en": "Rank"},
    "col_code": {"vi": "Mã", "en": "Code"},
    "col_province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "col_region": {"vi": "Vùng", "en": "Region"},
    "col_index": {"vi": "Chỉ số", "en": "Index"},
    "col_band": {"vi": "Xếp loại", "en": "Band"},
    "col_applicable": {"vi": "Số tiêu chí áp dụng", "en": "Indicators applicable"},
    "col_measure": {"vi": "Đại lượng", "en": "Measure"},
    "col_unit": {"vi": "Đơn vị tính", "en": "Counted per"},
    "col_value": {"vi": "Giá trị", "en": "Value"},
    "col_k_n": {"vi": "Số trường hợp", "en": "Cases"},
    "col_indicator": {"vi": "Tiêu chí", "en": "Indicator"},
    "col_pillar": {"vi": "Trụ cột", "en": "Pillar"},
    "col_weight": {"vi": "Trọng số", "en": "Weight"},
    "col_answer": {"vi": "Đáp án", "en": "Answer"},
    "col_points": {"vi": "Điểm", "en": "Points"},
    "col_explanation": {"vi": "Giải thích", "en": "Explanation"},
    "col_channel": {"vi": "Kênh", "en": "Channel"},
    "col_found": {"vi": "Nội dung tìm thấy", "en": "What was found"},
    "col_page": {"vi": "Trang", "en": "Page"},
    "col_archive": {"vi": "Bản lưu trữ", "en": "Archived copy"},
    "col_screenshot": {"vi": "Ảnh chụp", "en": "Screenshot"},
    "col_file": {"vi": "Tệp", "en": "File"},
    "col_content": {"vi": "Nội dung", "en": "Content"},
    "col_size": {"vi": "Dung lượng", "en": "Size"},
    "col_criteria": {"vi": "Tiêu chí chấm", "en": "Criteria"},
    "col_count": {"vi": "Số lượng", "en": "Count"},
    "col_status": {"vi": "Tình trạng", "en": "Status"},
    "col_doc": {"vi": "Tài liệu", "en": "Document"},
    "col_year": {"vi": "Năm ngân sách", "en": "Fiscal year"},
    "unit_request": {"vi": "theo yêu cầu", "en": "per request"},
    "unit_province": {"vi": "theo tỉnh", "en": "per province"},
    "overridden": {"vi": "đã điều chỉnh thủ công", "en": "set by a reviewer"},
    "indicators": {"vi": "Các tiêu chí", "en": "Indicators"},
    "evidence": {"vi": "Bằng chứng trên cổng thông tin", "en": "Evidence on the portals"},
    "evidence_note": {
        "vi": "Mỗi bản lưu trữ là một tệp WARC; mở gói WACZ của đợt trong ReplayWeb.page hoặc "
        "pywb để xem lại trang như lúc thu thập.",
        "en": "Each archived copy is a WARC file; open the round's WACZ package in "
        "ReplayWeb.page or pywb to replay the page as it was crawled.",
    },
    "download_warc": {"vi": "tệp WARC", "en": "WARC file"},
    "captured": {"vi": "lưu lúc", "en": "captured"},
    "replay": {"vi": "xem lại trang lưu trữ", "en": "replay the archived page"},
    "no_evidence": {"vi": "Không tìm thấy kênh nào.", "en": "No channel was found."},
    "replies": {"vi": "Yêu cầu thông tin và phản hồi", "en": "Information requests and replies"},
    "replies_note": {
        "vi": "Chỉ công bố số liệu tổng hợp: không công bố nội dung thư, người gửi hay địa chỉ.",
        "en": "Aggregates only: no message content, sender or address is published.",
    },
    "requests_sent": {"vi": "Số yêu cầu", "en": "Requests"},
    "documents": {"vi": "Tài liệu ngân sách tìm thấy", "en": "Budget documents found"},
    "methodology_intro": {
        "vi": "Cách chấm điểm, tạo từ bộ tiêu chí đã dùng cho đợt này.",
        "en": "How provinces are scored, generated from the rubric this round used.",
    },
    "scoring_rules": {
        "vi": "Đáp án a, b, c, d được 100, 67, 33, 0 điểm; đáp án e (không áp dụng) không tính. "
        "Điểm trụ cột là trung bình các tiêu chí áp dụng; chỉ số là trung bình có trọng số "
        "của các trụ cột.",
        "en": "Answers a, b, c, d score 100, 67, 33, 0; e (not applicable) is left out. A "
        "pillar's score is the mean of its applicable indicators; the index is the weighted "
        "mean of the pillars.",
    },
    "bands": {"vi": "Xếp loại", "en": "Bands"},
    "measures": {"vi": "Các đại lượng thống kê", "en": "Statistical measures"},
    "evidence_read": {"vi": "Bằng chứng sử dụng", "en": "Evidence read"},
    "downloads_intro": {
        "vi": "Dữ liệu của đợt (CSV UTF-8, Excel, gói dữ liệu Frictionless, sổ mã) và gói lưu "
        "trữ web WACZ. Địa chỉ thư của cán bộ chỉ giữ tên miền; nội dung thư không được công bố.",
        "en": "The round's data (UTF-8 CSV, Excel, Frictionless data package, codebook) and the "
        "WACZ web archive. Officials' addresses keep only their domain; no message content is "
        "published.",
    },
    "wacz": {
        "vi": "Gói lưu trữ web (WACZ) của mọi trang đã thu thập",
        "en": "Web archive (WACZ) of every page crawled",
    },
    "how_to_cite": {"vi": "Trích dẫn", "en": "How to cite"},
    "generated_by": {"vi": "Tạo bởi", "en": "Made with"},
    "map_attribution": {
        "vi": "Ranh giới: Natural Earth (phạm vi công cộng), đã giản lược.",
        "en": "Boundaries: Natural Earth (public domain), simplified.",
    },
    "rank_of": {"vi": "Hạng {rank} trên {n}", "en": "Rank {rank} of {n}"},
    "not_ranked": {"vi": "Không xếp hạng", "en": "Not ranked"},
    "province_list": {"vi": "Danh sách tỉnh, thành phố", "en": "All provinces"},
    "sha256": {"vi": "Mã băm SHA-256", "en": "SHA-256"},
}

BANDS: dict[str, dict[str, str]] = {
    "A": {"vi": "A: công khai đầy đủ (75–100)", "en": "A: fully transparent (75–100)"},
    "B": {"vi": "B: công khai tương đối (50–<75)", "en": "B: fairly transparent (50–<75)"},
    "C": {"vi": "C: công khai chưa đầy đủ (25–<50)", "en": "C: not fully transparent (25–<50)"},
    "D": {"vi": "D: ít công khai (0–<25)", "en": "D: scarcely transparent (0–<25)"},
}
BAND_COLOURS = {"A": "#1a9850", "B": "#91cf60", "C": "#fc8d59", "D": "#d73027"}

CHANNELS: dict[str, dict[str, str]] = {
    "qa_section": {"vi": "Mục hỏi đáp", "en": "Q&A section"},
    "email": {"vi": "Thư điện tử liên hệ", "en": "Contact e-mail"},
    "phone": {"vi": "Điện thoại, đường dây nóng", "en": "Phone, hotline"},
    "feedback_form": {"vi": "Mẫu góp ý, phản ánh", "en": "Feedback form"},
    "info_access": {"vi": "Mục tiếp cận thông tin", "en": "Access-to-information section"},
    "facebook": {"vi": "Trang Facebook", "en": "Facebook page"},
    "zalo": {"vi": "Tài khoản Zalo", "en": "Zalo account"},
    "youtube": {"vi": "Kênh YouTube", "en": "YouTube channel"},
    "finance_site": {"vi": "Trang Sở Tài chính", "en": "Department of Finance site"},
}

SITE_KINDS: dict[str, dict[str, str]] = {
    "portal": {"vi": "cổng thông tin tỉnh", "en": "provincial portal"},
    "finance": {"vi": "trang Sở Tài chính", "en": "Department of Finance site"},
    "other": {"vi": "trang khác", "en": "other site"},
}

DEADLINES: dict[str, dict[str, str]] = {
    "on_time": {"vi": "trả lời đúng hạn", "en": "answered on time"},
    "late": {"vi": "trả lời quá hạn", "en": "answered late"},
    "overdue": {"vi": "quá hạn, chưa trả lời", "en": "overdue, no answer"},
    "pending": {"vi": "đang chờ (chưa đến hạn)", "en": "pending (not yet due)"},
    "bounced": {"vi": "thư bị trả lại", "en": "bounced"},
    "not_sent": {"vi": "chưa gửi được", "en": "not sent"},
}

REPLY_KINDS: dict[str, dict[str, str]] = {
    "bounce": {"vi": "thư báo lỗi", "en": "bounce"},
    "auto_reply": {"vi": "trả lời tự động", "en": "auto-reply"},
    "human": {"vi": "thư của cán bộ", "en": "written by a person"},
}

CODINGS: dict[str, dict[str, str]] = {
    "substantive": {"vi": "trả lời đầy đủ", "en": "substantive"},
    "partial": {"vi": "trả lời một phần", "en": "partial"},
    "acknowledgment": {"vi": "xác nhận đã nhận", "en": "acknowledgment"},
    "referral": {"vi": "chuyển nơi khác", "en": "referral"},
    "refusal": {"vi": "từ chối", "en": "refusal"},
    "other": {"vi": "khác", "en": "other"},
    "": {"vi": "chưa mã hóa", "en": "not coded"},
}

MEASURES: dict[str, dict[str, str]] = {
    "any_reply_rate": {"vi": "Có phản hồi bất kỳ", "en": "Any reply"},
    "human_reply_rate": {"vi": "Có thư trả lời của cán bộ", "en": "Reply written by a person"},
    "substantive_reply_rate": {"vi": "Trả lời đầy đủ", "en": "Substantive reply"},
    "on_time_rate": {"vi": "Trả lời đúng hạn", "en": "Answered on time"},
}


def label(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """The label of ``key`` in ``lang``; an unknown key (a value another version added) is shown
    as itself rather than crashing the build."""
    entry = table.get(key)
    return entry[lang] if entry else key
