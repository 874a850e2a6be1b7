"""Every label of the dashboard, in Vietnamese (the default) and English: one table.

``t(key, lang, **fmt)`` looks a label up and fills ``{placeholders}``. A missing key is shown as
``⟨key⟩`` rather than crashing a page; tests check that every key used by the code exists and has
both languages.
"""

from __future__ import annotations

LANGS = {"vi": "Tiếng Việt", "en": "English"}

TEXT: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- navigation and sidebar
    "nav_overview": {"vi": "Tổng quan", "en": "Overview"},
    "nav_province": {"vi": "Tỉnh / thành phố", "en": "Province"},
    "nav_replies": {"vi": "Phản hồi", "en": "Replies"},
    "nav_trends": {"vi": "Xu hướng", "en": "Trends"},
    "nav_data": {"vi": "Dữ liệu", "en": "Data"},
    "nav_review": {"vi": "Rà soát", "en": "Review"},
    "round": {"vi": "Đợt khảo sát", "en": "Survey round"},
    "era_legacy": {"vi": "63 tỉnh (trước 1/7/2025)", "en": "63 provinces (before 2025-07-01)"},
    "era_current": {"vi": "34 tỉnh (từ 1/7/2025)", "en": "34 provinces (from 2025-07-01)"},
    "all_eras": {"vi": "Tất cả các thời kỳ", "en": "All eras"},
    "public_mode_note": {
        "vi": "Chế độ công khai: chỉ số liệu tổng hợp, điểm và bằng chứng từ cổng thông tin; "
        "không hiển thị nội dung thư hay dữ liệu cá nhân.",
        "en": "Public mode: aggregates, scores and portal evidence only; no e-mail contents or "
        "personal data.",
    },
    "researcher_mode_note": {
        "vi": "Chế độ nghiên cứu viên: có nội dung thư và trang Rà soát. Không chia sẻ công khai.",
        "en": "Researcher mode: e-mail contents and the Review page are shown. Do not publish.",
    },
    "no_store": {
        "vi": "Chưa có dữ liệu trong {home}. Chạy `pobi demo` hoặc `pobi crawl` trước.",
        "en": "No data in {home} yet. Run `pobi demo` or `pobi crawl` first.",
    },
    "no_rounds": {
        "vi": "Chưa có đợt khảo sát nào. Tạo một đợt: `pobi round create 2026`.",
        "en": "No survey round yet. Create one: `pobi round create 2026`.",
    },
    # ---------------------------------------------------------------- overview
    "overview_title": {
        "vi": "Mức độ phản hồi của chính quyền cấp tỉnh về ngân sách",
        "en": "How provinces answer citizens' budget questions",
    },
    "overview_caption": {
        "vi": "Đợt {round} · {era} · {n} đơn vị cấp tỉnh",
        "en": "Round {round} · {era} · {n} provincial units",
    },
    "any_reply_rate": {"vi": "Tỉnh có phản hồi", "en": "Provinces that replied"},
    "any_reply_help": {
        "vi": "Tỉnh có ít nhất một thư phản hồi (kể cả trả lời tự động) cho yêu cầu đã gửi.",
        "en": "Provinces with at least one reply (auto-replies included) to a request sent.",
    },
    "substantive_rate": {"vi": "Trả lời thực chất", "en": "Substantive answer"},
    "substantive_help": {
        "vi": "Tỉnh có thư trả lời của cán bộ được mã hóa là cung cấp thông tin thực chất.",
        "en": "Provinces with a human reply coded as a substantive answer.",
    },
    "rate_detail": {
        "vi": "{k}/{n} · khoảng tin cậy 95% (Wilson): {low:.0%}–{high:.0%}",
        "en": "{k}/{n} · 95% interval (Wilson): {low:.0%}–{high:.0%}",
    },
    "no_requests_sent": {"vi": "Chưa gửi yêu cầu nào.", "en": "No request sent yet."},
    "qa_provinces": {"vi": "Có mục Hỏi đáp", "en": "With a Q&A section"},
    "qa_provinces_help": {
        "vi": "Tỉnh có mục “Hỏi đáp” trên cổng hoặc trang Sở Tài chính (trừ phát hiện bị bác).",
        "en": "Provinces with a Q&A section on the portal or finance site (rejected findings "
        "excluded).",
    },
    "not_crawled_yet": {"vi": "Chưa thu thập trang web.", "en": "Not crawled yet."},
    "bounced_provinces": {"vi": "E-mail bị trả lại", "en": "E-mail bounced"},
    "bounced_help": {
        "vi": "Tỉnh có ít nhất một địa chỉ e-mail công bố nhưng thư gửi bị trả lại vĩnh viễn.",
        "en": "Provinces where a published e-mail address bounced permanently.",
    },
    "not_scored_yet": {
        "vi": "Đợt {round} chưa được chấm điểm (chạy `pobi score --round {round}`). "
        "Bản đồ tô màu theo tình trạng phản hồi.",
        "en": "Round {round} is not scored yet (run `pobi score --round {round}`). "
        "The map is coloured by reply status.",
    },
    "province_not_scored": {
        "vi": "Đợt {round} chưa được chấm điểm (chạy `pobi score --round {round}`); "
        "bằng chứng và phản hồi vẫn được hiển thị bên dưới.",
        "en": "Round {round} is not scored yet (run `pobi score --round {round}`); the evidence "
        "and replies are shown below.",
    },
    "map_title": {"vi": "Bản đồ", "en": "Map"},
    "map_caption": {
        "vi": "Mỗi ô là một tỉnh, đặt gần đúng vị trí địa lý (bản đồ ô lưới, không cần mạng).",
        "en": "One square per province, placed roughly where it lies (tile-grid map, offline).",
    },
    "ranking_title": {"vi": "Xếp hạng", "en": "Ranking"},
    "ranking_caption": {
        "vi": "{shown}/{total} tỉnh. Bấm tiêu đề cột để sắp xếp.",
        "en": "{shown} of {total} provinces. Click a column header to sort.",
    },
    "filter_region": {"vi": "Vùng", "en": "Region"},
    "all_regions": {"vi": "Tất cả các vùng", "en": "All regions"},
    "band_A": {"vi": "A · công khai đầy đủ", "en": "A · fully open"},
    "band_B": {"vi": "B · công khai tương đối", "en": "B · fairly open"},
    "band_C": {"vi": "C · công khai chưa đầy đủ", "en": "C · partly open"},
    "band_D": {"vi": "D · ít công khai", "en": "D · hardly open"},
    "band_none": {"vi": "chưa chấm", "en": "not scored"},
    "status_substantive": {"vi": "trả lời thực chất", "en": "substantive answer"},
    "status_human": {"vi": "cán bộ trả lời", "en": "human reply"},
    "status_auto": {"vi": "chỉ trả lời tự động", "en": "auto-reply only"},
    "status_bounced": {"vi": "thư bị trả lại", "en": "bounced"},
    "status_none": {"vi": "không phản hồi", "en": "no reply"},
    "status_not_asked": {"vi": "chưa gửi yêu cầu", "en": "not asked"},
    # ---------------------------------------------------------------- columns
    "col_rank": {"vi": "Hạng", "en": "Rank"},
    "col_code": {"vi": "Mã", "en": "Code"},
    "col_name": {"vi": "Tỉnh / thành phố", "en": "Province"},
    "col_region": {"vi": "Vùng", "en": "Region"},
    "col_index": {"vi": "Chỉ số", "en": "Index"},
    "col_band": {"vi": "Nhóm", "en": "Band"},
    "col_reply_status": {"vi": "Phản hồi", "en": "Reply"},
    "col_days_first_reply": {
        "vi": "Ngày làm việc đến phản hồi đầu",
        "en": "Working days to first reply",
    },
    "col_days_human_reply": {
        "vi": "Ngày làm việc đến thư cán bộ",
        "en": "Working days to human reply",
    },
    "col_qa": {"vi": "Hỏi đáp", "en": "Q&A"},
    "col_email": {"vi": "E-mail công bố", "en": "E-mail published"},
    "col_pillar": {"vi": "Trụ cột", "en": "Pillar"},
    "col_indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col_answer": {"vi": "Đáp án", "en": "Answer"},
    "col_computed_answer": {"vi": "Đáp án tự động", "en": "Computed answer"},
    "col_points": {"vi": "Điểm", "en": "Points"},
    "col_overridden": {"vi": "Đã điều chỉnh", "en": "Overridden"},
    "col_override_reason": {"vi": "Lý do điều chỉnh", "en": "Override reason"},
    "col_coder": {"vi": "Người mã hóa", "en": "Coder"},
    "col_explanation": {"vi": "Giải thích", "en": "Explanation"},
    "col_evidence": {"vi": "Bằng chứng (SHA-256)", "en": "Evidence (SHA-256)"},
    "col_site_kind": {"vi": "Loại trang", "en": "Site"},
    "col_final_url": {"vi": "URL sau chuyển hướng", "en": "Final URL"},
    "col_fetch_status": {"vi": "Trạng thái tải", "en": "Fetch status"},
    "col_pages": {"vi": "Số trang", "en": "Pages"},
    "col_under_reported": {"vi": "Cần JavaScript", "en": "Needed JavaScript"},
    "col_captured_at": {"vi": "Thời điểm lưu", "en": "Captured at"},
    "col_channel": {"vi": "Kênh", "en": "Channel"},
    "col_value": {"vi": "Giá trị", "en": "Value"},
    "col_found_on": {"vi": "Trang lưu trữ", "en": "Archived page"},
    "col_warc": {"vi": "WARC (SHA-256)", "en": "WARC (SHA-256)"},
    "col_screenshot": {"vi": "Ảnh chụp (SHA-256)", "en": "Screenshot (SHA-256)"},
    "col_review": {"vi": "Rà soát", "en": "Review"},
    "col_request": {"vi": "Yêu cầu", "en": "Request"},
    "col_recipient": {"vi": "Người nhận", "en": "Recipient"},
    "col_recipient_kind": {"vi": "Loại địa chỉ", "en": "Recipient kind"},
    "col_subject": {"vi": "Tiêu đề", "en": "Subject"},
    "col_state": {"vi": "Trạng thái", "en": "State"},
    "col_sent_at": {"vi": "Gửi lúc", "en": "Sent at"},
    "col_deadline": {"vi": "Hạn (3 ngày làm việc)", "en": "Deadline (3 working days)"},
    "col_deadline_status": {"vi": "Đúng hạn?", "en": "Deadline status"},
    "col_eml": {"vi": "Thư gửi (SHA-256)", "en": "Sent e-mail (SHA-256)"},
    "col_kind": {"vi": "Loại thư", "en": "Kind"},
    "col_bounce_type": {"vi": "Loại trả lại", "en": "Bounce type"},
    "col_coding": {"vi": "Mã hóa", "en": "Coding"},
    "col_received_at": {"vi": "Nhận lúc", "en": "Received at"},
    "col_working_days": {"vi": "Ngày làm việc", "en": "Working days"},
    "col_match": {"vi": "Cách đối chiếu", "en": "Matched by"},
    "col_from": {"vi": "Người gửi", "en": "From"},
    "col_raw": {"vi": "Thư gốc (SHA-256)", "en": "Raw e-mail (SHA-256)"},
    "col_event": {"vi": "Sự kiện", "en": "Event"},
    "col_measure": {"vi": "Thước đo", "en": "Measure"},
    "col_requests": {"vi": "Số yêu cầu", "en": "Requests"},
    "col_events": {"vi": "Số có phản hồi", "en": "With a reply"},
    "col_median_days": {"vi": "Trung vị (ngày làm việc)", "en": "Median (working days)"},
    "col_provinces_asked": {"vi": "Số tỉnh đã hỏi", "en": "Provinces asked"},
    "col_provinces": {"vi": "Số tỉnh", "en": "Provinces"},
    "col_era": {"vi": "Thời kỳ", "en": "Era"},
    "col_mean_index": {"vi": "Chỉ số trung bình", "en": "Mean index"},
    "col_qa_share": {"vi": "Tỷ lệ có Hỏi đáp", "en": "Share with Q&A"},
    "col_current_unit": {"vi": "Tỉnh hiện nay (34)", "en": "Current unit (34)"},
    "col_legacy_sources": {"vi": "Gồm các tỉnh cũ (63)", "en": "Formed from (63)"},
    "col_n_sources": {"vi": "Số tỉnh cũ", "en": "Legacy units"},
    # ---------------------------------------------------------------- province page
    "province_title": {"vi": "Hồ sơ tỉnh / thành phố", "en": "Province profile"},
    "choose_province": {"vi": "Chọn tỉnh / thành phố", "en": "Choose a province"},
    "related_legacy": {
        "vi": "Sau sáp nhập 2025 thuộc: {codes}",
        "en": "Since the 2025 merger part of: {codes}",
    },
    "related_current": {"vi": "Hợp nhất từ các tỉnh cũ: {codes}", "en": "Formed from: {codes}"},
    "indicators_title": {"vi": "Các chỉ tiêu", "en": "Indicators"},
    "overrides_note": {
        "vi": "{n} chỉ tiêu được nghiên cứu viên điều chỉnh (cột “Đã điều chỉnh”, kèm lý do).",
        "en": "{n} indicators were overridden by a researcher (see “Overridden” and the reason).",
    },
    "evidence_title": {"vi": "Bằng chứng trên trang web", "en": "Evidence on the web sites"},
    "findings_title": {"vi": "Kênh tìm thấy", "en": "Channels found"},
    "screenshots_title": {"vi": "Ảnh chụp trang", "en": "Screenshots"},
    "evidence_missing": {
        "vi": "Không có tệp bằng chứng {sha}… trong kho.",
        "en": "Evidence file {sha}… is not in the evidence store.",
    },
    "requests_title": {
        "vi": "Yêu cầu cung cấp thông tin và phản hồi",
        "en": "Requests and replies",
    },
    "no_requests_for_province": {
        "vi": "Chưa có yêu cầu nào gửi cho tỉnh này trong đợt.",
        "en": "No request to this province in this round.",
    },
    "timeline_title": {"vi": "Dòng thời gian", "en": "Timeline"},
    "time_axis": {"vi": "Thời gian", "en": "Time"},
    "event_sent": {"vi": "gửi yêu cầu", "en": "request sent"},
    "event_deadline": {"vi": "hạn 3 ngày làm việc", "en": "3-working-day deadline"},
    "no_replies_yet": {"vi": "Chưa có thư phản hồi.", "en": "No reply yet."},
    "replies_list_title": {"vi": "Các thư nhận được", "en": "Messages received"},
    "public_hidden_note": {
        "vi": "Chế độ công khai: không hiển thị nội dung thư, người gửi, tiêu đề và địa chỉ.",
        "en": "Public mode: e-mail contents, senders, subjects and addresses are not shown.",
    },
    "request_text_title": {"vi": "Nội dung yêu cầu {id}", "en": "Request {id} as sent"},
    "reply_text_title": {"vi": "Thư {kind} lúc {at}", "en": "{kind} message at {at}"},
    "kind_bounce": {"vi": "thư báo lỗi", "en": "bounce"},
    "kind_auto_reply": {"vi": "trả lời tự động", "en": "auto-reply"},
    "kind_human": {"vi": "cán bộ trả lời", "en": "human reply"},
    "coding_substantive": {"vi": "thực chất", "en": "substantive"},
    "coding_partial": {"vi": "một phần", "en": "partial"},
    "coding_acknowledgment": {"vi": "xác nhận đã nhận", "en": "acknowledgment"},
    "coding_referral": {"vi": "chuyển nơi khác", "en": "referral"},
    "coding_refusal": {"vi": "từ chối", "en": "refusal"},
    "coding_other": {"vi": "khác", "en": "other"},
    # ---------------------------------------------------------------- replies page
    "replies_title": {"vi": "Phản hồi và thời gian trả lời", "en": "Replies and reply times"},
    "replies_caption": {
        "vi": "Thời gian tính bằng ngày làm việc (trừ thứ Bảy, Chủ nhật, ngày lễ, Tết). "
        "Luật Tiếp cận thông tin: 3 ngày làm việc cho thông tin đơn giản.",
        "en": "Times in Vietnamese working days (weekends, public holidays and Tết excluded). "
        "The Access to Information law: 3 working days for simple information.",
    },
    "measure_any_reply": {"vi": "Có phản hồi bất kỳ", "en": "Any reply"},
    "measure_human_reply": {"vi": "Cán bộ trả lời", "en": "Human reply"},
    "measure_substantive": {"vi": "Trả lời thực chất", "en": "Substantive reply"},
    "km_title": {"vi": "Đường cong Kaplan–Meier", "en": "Kaplan–Meier curves"},
    "km_x": {"vi": "Ngày làm việc kể từ khi gửi", "en": "Working days since sent"},
    "km_y": {"vi": "Tỷ lệ chưa có phản hồi", "en": "Share still without a reply"},
    "km_caption": {
        "vi": "Mỗi yêu cầu đã gửi là một quan sát; yêu cầu chưa có phản hồi được kiểm duyệt "
        "(censored) tại số ngày đã trôi qua. Vùng mờ: khoảng tin cậy 95%.",
        "en": "One observation per request sent; requests without a reply are censored at the "
        "days elapsed. Shaded: 95% confidence band.",
    },
    "median_not_reached": {
        "vi": "chưa đạt (dưới một nửa có phản hồi)",
        "en": "not reached (under half replied)",
    },
    "by_region_title": {"vi": "Tỷ lệ theo vùng", "en": "Rates by region"},
    "by_region_caption": {
        "vi": "Tỷ lệ tỉnh có phản hồi, với khoảng tin cậy Wilson 95%.",
        "en": "Share of provinces that replied, with Wilson 95% intervals.",
    },
    "rate_axis": {"vi": "Tỷ lệ", "en": "Rate"},
    "deadline_title": {"vi": "Thời hạn trả lời", "en": "Deadlines"},
    "deadline_on_time": {"vi": "đúng hạn", "en": "on time"},
    "deadline_late": {"vi": "trễ hạn", "en": "late"},
    "deadline_overdue": {"vi": "quá hạn, chưa trả lời", "en": "overdue, no answer"},
    "deadline_pending": {"vi": "đang chờ", "en": "pending"},
    "deadline_bounced": {"vi": "thư bị trả lại", "en": "bounced"},
    "deadline_not_sent": {"vi": "chưa gửi", "en": "not sent"},
    # ---------------------------------------------------------------- trends page
    "trends_title": {"vi": "Xu hướng qua các đợt", "en": "Trends across rounds"},
    "trends_caption": {
        "vi": "Mỗi đợt được tính trên các đơn vị của thời kỳ đó (63 tỉnh trước 1/7/2025, "
        "34 tỉnh sau). Tỷ lệ theo tỉnh, kèm khoảng tin cậy 95%.",
        "en": "Each round counts the units of its own era (63 before 2025-07-01, 34 after). "
        "Province-level rates with 95% intervals.",
    },
    "unit_trends_title": {"vi": "Theo tỉnh (34 đơn vị hiện nay)", "en": "By province (current 34)"},
    "crosswalk_explained": {
        "vi": "Nghị quyết 202/2025/QH15 hợp nhất 63 tỉnh thành 34 từ 1/7/2025. Để so sánh qua "
        "các đợt, giá trị của một tỉnh hiện nay ở các đợt trước sáp nhập là **trung bình của "
        "các tỉnh cũ hợp thành** (xem bảng đối chiếu bên dưới). Đây là phép gần đúng: các tỉnh "
        "cũ được đánh giá riêng rẽ.",
        "en": "Resolution 202/2025/QH15 merged 63 provinces into 34 from 2025-07-01. To compare "
        "across rounds, a current unit's value in a pre-merger round is the **mean of the "
        "legacy units it was formed from** (crosswalk below). This is an approximation: the "
        "legacy units were assessed separately.",
    },
    "unit_trends_caption_index": {
        "vi": "Chỉ số theo đợt (trung bình các tỉnh cũ với đợt trước sáp nhập).",
        "en": "Index by round (mean of legacy units for pre-merger rounds).",
    },
    "unit_trends_caption_any_reply": {
        "vi": "Chưa có điểm: tỷ lệ tỉnh cũ có phản hồi (1 = có) theo đợt.",
        "en": "Not scored: share of (legacy) units that replied, by round (1 = replied).",
    },
    "crosswalk_title": {"vi": "Bảng đối chiếu 63 → 34", "en": "Crosswalk 63 → 34"},
    # ---------------------------------------------------------------- data page
    "data_title": {"vi": "Tải dữ liệu", "en": "Download the data"},
    "data_caption": {
        "vi": "Các bảng của đợt {round}, cùng cột với `pobi export` (CSV, UTF-8).",
        "en": "The tables of round {round}, with the same columns as `pobi export` (CSV, UTF-8).",
    },
    "data_public_note": {
        "vi": "Chế độ công khai: địa chỉ người nhận chỉ còn tên miền; nguồn thư, mã thư và mã "
        "băm thư gốc bị ẩn (cùng quy tắc với trang tĩnh).",
        "en": "Public mode: recipient addresses keep only their domain; mail sources, message ids "
        "and raw-mail hashes are hidden (the same rules as the static site).",
    },
    "table_sites": {"vi": "các trang đã thu thập", "en": "sites crawled"},
    "table_channels": {"vi": "các kênh tìm thấy", "en": "channels found"},
    "table_requests": {"vi": "các yêu cầu đã gửi", "en": "requests sent"},
    "table_replies": {"vi": "các thư nhận được", "en": "messages received"},
    "table_scores": {"vi": "điểm từng chỉ tiêu", "en": "indicator scores"},
    "table_rankings": {"vi": "chỉ số và xếp hạng", "en": "index and ranks"},
    "table_documents": {"vi": "các tài liệu ngân sách tìm thấy", "en": "budget documents found"},
    "table_finance_sites": {
        "vi": "trang Sở Tài chính dùng để chấm điểm và lý do",
        "en": "Department of Finance sites used for scores, and why",
    },
    "table_codings": {"vi": "mã hóa của từng người mã hóa", "en": "each coder's codes"},
    "table_agreement": {
        "vi": "mức độ thống nhất giữa người mã hóa (κ, α)",
        "en": "inter-coder agreement (κ, α)",
    },
    "table_disputes": {"vi": "khiếu nại, phản hồi của tỉnh", "en": "disputes (right of reply)"},
    "rows_columns": {"vi": "{rows} dòng · cột: {cols}", "en": "{rows} rows · columns: {cols}"},
    "download_csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "preview": {"vi": "Xem trước", "en": "Preview"},
    "codebook_title": {"vi": "Sổ tay mã hóa (codebook)", "en": "Codebook"},
    "no_codebook": {
        "vi": "Chưa có codebook: chạy `pobi export --round {round} --out THƯ_MỤC` trong POBI_HOME.",
        "en": "No codebook yet: run `pobi export --round {round} --out DIR` inside POBI_HOME.",
    },
    "download_codebook": {"vi": "Tải CODEBOOK.md", "en": "Download CODEBOOK.md"},
    # ---------------------------------------------------------------- review page
    "review_title": {"vi": "Rà soát và mã hóa", "en": "Review and coding"},
    "review_caption": {
        "vi": "Mỗi thay đổi được ghi thành một dòng mới kèm người mã hóa, thời điểm và lý do; "
        "không ghi đè lịch sử.",
        "en": "Every change is written as a new row with coder, time and reason; history is "
        "never overwritten.",
    },
    "review_public_refused": {
        "vi": "Trang Rà soát không có trong chế độ công khai.",
        "en": "The Review page is not available in public mode.",
    },
    "coder_name": {"vi": "Tên người mã hóa", "en": "Coder name"},
    "coder_help": {
        "vi": "Ghi vào mỗi thay đổi, bắt buộc.",
        "en": "Recorded with every change; required.",
    },
    "tab_findings": {"vi": "Phát hiện khi thu thập", "en": "Crawl findings"},
    "tab_coding": {"vi": "Mã hóa thư trả lời", "en": "Code replies"},
    "tab_holding": {"vi": "Thư chưa đối chiếu", "en": "Holding pen"},
    "no_findings": {"vi": "Không có phát hiện nào.", "en": "No findings."},
    "filter_status": {"vi": "Lọc theo trạng thái", "en": "Filter by status"},
    "review_all": {"vi": "tất cả", "en": "all"},
    "review_unreviewed": {"vi": "chưa rà soát", "en": "unreviewed"},
    "review_confirmed": {"vi": "xác nhận", "en": "confirmed"},
    "review_rejected": {"vi": "bác bỏ", "en": "rejected"},
    "finding": {"vi": "Phát hiện", "en": "Finding"},
    "decision": {"vi": "Quyết định", "en": "Decision"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "save": {"vi": "Lưu", "en": "Save"},
    "saved_review": {
        "vi": "Đã lưu rà soát phát hiện {id}.",
        "en": "Saved the review of finding {id}.",
    },
    "no_human_replies": {"vi": "Chưa có thư của cán bộ.", "en": "No human replies yet."},
    "only_uncoded": {"vi": "Chỉ thư chưa mã hóa", "en": "Only uncoded messages"},
    "message": {"vi": "Thư", "en": "Message"},
    "saved_coding": {"vi": "Đã lưu mã hóa thư {id}.", "en": "Saved the coding of message {id}."},
    "holding_empty": {
        "vi": "Không còn thư nào chưa đối chiếu.",
        "en": "The holding pen is empty.",
    },
    "assign_to": {"vi": "Gán cho yêu cầu", "en": "Assign to request"},
    "assign": {"vi": "Gán", "en": "Assign"},
    "saved_assignment": {
        "vi": "Đã gán thư {id} cho yêu cầu {request}.",
        "en": "Assigned message {id} to request {request}.",
    },
    # issue 18: the real map and the ranking as text
    "map_kind": {"vi": "Kiểu bản đồ", "en": "Map style"},
    "map_kind_map": {"vi": "Bản đồ Việt Nam", "en": "Map of Vietnam"},
    "map_kind_tiles": {"vi": "Lưới ô vuông", "en": "Tile grid"},
    "map_svg_title": {"vi": "Bản đồ các tỉnh, thành phố", "en": "Map of the provinces"},
    "ranking_text_title": {"vi": "Bảng xếp hạng dạng văn bản", "en": "Ranking as text"},
    "table_as_text": {"vi": "Bảng dạng văn bản", "en": "Table as text"},
    "map_attribution": {
        "vi": "Ranh giới: Natural Earth (phạm vi công cộng), đã giản lược.",
        "en": "Boundaries: Natural Earth (public domain), simplified.",
    },
    # budget documents and the transparency index
    "documents_title": {
        "vi": "Tài liệu ngân sách đã công khai",
        "en": "Budget documents published",
    },
    "documents_none": {
        "vi": "Chưa tìm thấy tài liệu ngân sách nào của tỉnh trong đợt này.",
        "en": "No budget document of this province was found in this round.",
    },
    "documents_caption": {
        "vi": "Hạn công khai theo Luật NSNN và Thông tư 343/2016/TT-BTC (cấu hình [documents]).",
        "en": "Deadlines from the State Budget Law and Circular 343/2016/TT-BTC ([documents] settings).",
    },
    "documents_archived": {"vi": "Bản lưu trữ", "en": "Archived copy"},
    "documents_download": {"vi": "Tải bản lưu trữ", "en": "Download the archived file"},
    "col_doc_type": {"vi": "Loại tài liệu", "en": "Document"},
    "col_fiscal_year": {"vi": "Năm NS", "en": "Fiscal year"},
    "col_period": {"vi": "Kỳ", "en": "Period"},
    "col_title": {"vi": "Tiêu đề", "en": "Title"},
    "col_published_on": {"vi": "Ngày công khai", "en": "Published"},
    "col_date_source": {"vi": "Nguồn ngày", "en": "Date from"},
    "col_doc_deadline": {"vi": "Hạn", "en": "Deadline"},
    "col_doc_deadline_status": {"vi": "Đúng hạn?", "en": "On time?"},
    "col_days_late": {"vi": "Số ngày chậm", "en": "Days late"},
    "col_format": {"vi": "Định dạng", "en": "Format"},
    "col_forms": {"vi": "Biểu mẫu", "en": "Forms"},
    "docstatus_on_time": {"vi": "Đúng hạn", "en": "On time"},
    "docstatus_late": {"vi": "Chậm", "en": "Late"},
    "docstatus_not_due": {"vi": "Chưa đến hạn", "en": "Not due"},
    "docstatus_missing": {"vi": "Không có", "en": "Missing"},
    "docstatus_unknown": {"vi": "Không rõ ngày", "en": "Date unknown"},
    "index_choice": {"vi": "Chỉ số", "en": "Index"},
    "index_participation": {"vi": "Tham gia và phản hồi", "en": "Participation and response"},
    "index_transparency": {"vi": "Công khai ngân sách", "en": "Budget transparency"},
    "col_transparency": {"vi": "Chỉ số công khai", "en": "Transparency index"},
}


def t(key: str, lang: str = "vi", **fmt: object) -> str:
    entry = TEXT.get(key)
    if entry is None:
        return f"⟨{key}⟩"
    text = entry.get(lang) or entry["vi"]
    return text.format(**fmt) if fmt else text


# ---------------------------------------------------------------- survey (issue 17)
TEXT.update(
    {
        "disagreements_title": {
            "vi": "Bất đồng giữa người mã hóa (người phân xử quyết định)",
            "en": "Coder disagreements (for the adjudicator)",
        },
        "no_disagreements": {
            "vi": "Không có bất đồng nào chờ phân xử.",
            "en": "No disagreement is waiting for the adjudicator.",
        },
        "col_codes": {"vi": "Mã của từng người", "en": "Each coder's code"},
        "adjudicate": {"vi": "Phân xử (mã này được dùng)", "en": "Adjudicate (this code wins)"},
        "saved_adjudication": {
            "vi": "Đã lưu phân xử thư {id}.",
            "en": "Saved the adjudication of message {id}.",
        },
        "blind_mode": {
            "vi": "Mã hóa độc lập (không xem mã của người khác)",
            "en": "Blind coding (no one else's codes shown)",
        },
        "blind_help": {
            "vi": "Cho người mã hóa đã đăng ký (pobi probe coders add): chỉ hiện thư chưa mã hóa.",
            "en": "For registered coders (pobi probe coders add): only the replies you have not "
            "coded yet.",
        },
        "blind_title": {"vi": "Mã hóa độc lập", "en": "Blind coding"},
        "blind_need_name": {
            "vi": "Nhập tên người mã hóa đã đăng ký ở trên.",
            "en": "Enter your registered coder name above.",
        },
        "blind_left": {"vi": "Còn {n} thư chưa mã hóa.", "en": "{n} replies left to code."},
        "disputes_title": {
            "vi": "Khiếu nại và phản hồi của tỉnh",
            "en": "Disputes (right of reply)",
        },
        "no_disputes": {
            "vi": "Chưa có khiếu nại nào về kết quả của tỉnh này.",
            "en": "Nobody has disputed this province's results.",
        },
        "col_dispute": {"vi": "Khiếu nại số", "en": "Dispute"},
        "col_target": {"vi": "Nội dung khiếu nại", "en": "Disputed"},
        "col_filed_by": {"vi": "Người khiếu nại", "en": "Filed by"},
        "col_filed_at": {"vi": "Ngày khiếu nại", "en": "Filed on"},
        "col_claim": {"vi": "Ý kiến của tỉnh", "en": "Claim"},
        "col_evidence_files": {"vi": "Số tệp bằng chứng", "en": "Evidence files"},
        "col_change": {"vi": "Thay đổi đã thực hiện", "en": "Change made"},
        "target_finding": {"vi": "phát hiện số {id}", "en": "finding #{id}"},
        "outcome_upheld": {"vi": "chấp nhận", "en": "upheld"},
        "outcome_rejected": {"vi": "bác bỏ", "en": "rejected"},
        "change_score": {
            "vi": "điều chỉnh điểm {where}: {old} → {new} (áp dụng ở lần chấm điểm tiếp theo)",
            "en": "score override {where}: {old} -> {new} (applied by the next pobi score)",
        },
        "change_finding": {
            "vi": "phát hiện số {id} bị đánh dấu bác bỏ (không còn được tính)",
            "en": "finding #{id} marked rejected (no longer counts)",
        },
    }
)

# ---------------------------------------------------------------- trends' rubric guard
TEXT.update(
    {
        "trend_base": {
            "vi": "Xu hướng đọc theo bộ tiêu chí **{rubric}** (của đợt {round}). Các đợt chấm "
            "theo bộ tiêu chí khác chỉ được ghép khi có ánh xạ đã khai báo.",
            "en": "Trends read on rubric **{rubric}** (round {round}'s). Rounds scored with "
            "another rubric join only through a declared mapping.",
        },
        "trend_mapped": {
            "vi": "Đợt {round}: chỉ số theo {source} được quy đổi sang {target} bằng ánh xạ đã "
            "khai báo (×{scale} + {offset}; lý do: {why}).",
            "en": "Round {round}: its {source} index is read on {target} by the declared mapping "
            "(×{scale} + {offset}; why: {why}).",
        },
        "trend_apart_title": {
            "vi": "Các đợt chấm theo bộ tiêu chí khác (không ghép vào xu hướng)",
            "en": "Rounds scored with another rubric (not joined to the trend)",
        },
        "trend_apart": {
            "vi": "Không ghép vào xu hướng: {rounds}. Các chỉ số này không so sánh được với bộ "
            "tiêu chí {rubric} nếu không khai báo cách quy đổi trong {file} (xem "
            "docs/earlier-rounds.md). Số liệu của chúng được trình bày riêng dưới đây.",
            "en": "Not joined to the trend: {rounds}. Their indices are not comparable with "
            "rubric {rubric} unless {file} declares how the scales compare (see "
            "docs/earlier-rounds.md). Their own figures are shown apart below.",
        },
        "trend_mapping_error": {
            "vi": "Không đọc được tệp ánh xạ bộ tiêu chí, nên không quy đổi đợt nào: {error}",
            "en": "The rubric mapping file cannot be read, so no round is mapped: {error}",
        },
        "col_rubric": {"vi": "Bộ tiêu chí", "en": "Rubric"},
    }
)
