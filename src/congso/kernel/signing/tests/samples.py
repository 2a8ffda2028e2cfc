"""Sample PDFs laid out like Decree 30 documents (App. III templates), made with WeasyPrint."""

from __future__ import annotations

from congso.kernel.pdf import render_pdf_string

DECISION = """{% extends "pdf/base.html" %}
{% block page_style %}
table.head td { vertical-align: top; text-align: center; padding: 0; }
.sign { margin-left: 50%; text-align: center; margin-top: 8mm; page-break-inside: avoid; }
{% endblock %}
{% block content %}
<table class="head"><tr>
<td style="width: 42%">ỦY BAN NHÂN DÂN<br><b>PHƯỜNG TÂY HỒ</b><br><br>Số: {{ blank }}/QĐ-UBND</td>
<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br><br>
<i>Tây Hồ, ngày {{ blank }} tháng {{ blank }} năm 2026</i></td>
</tr></table>
<p class="center bold" style="margin-top: 8mm">QUYẾT ĐỊNH</p>
<p class="center bold">{{ subject }}</p>
{% for i in paragraphs %}<p>Điều {{ i }}. Nội dung quy định tại điều này áp dụng cho các tổ dân phố
trên địa bàn phường; trách nhiệm thi hành thuộc các phòng, ban chuyên môn.</p>{% endfor %}
<div class="sign"><b>TM. ỦY BAN NHÂN DÂN<br>{{ title }}</b><br><br><br><br><br><br>
<b>{{ signer }}</b></div>
{% endblock %}"""

ATTACHMENT = """{% extends "pdf/base.html" %}
{% block content %}
<p class="center bold" style="margin-top: 20mm">PHỤ LỤC</p>
<p class="center italic">(Kèm theo Quyết định của Ủy ban nhân dân phường Tây Hồ)</p>
<p>Danh sách thành viên Tổ công tác chuyển đổi số phường.</p>
{% endblock %}"""

NO_BLANKS = """{% extends "pdf/base.html" %}
{% block content %}<p>Một văn bản không có chỗ trống cho số và ngày.</p>{% endblock %}"""


def decision_pdf(
    *,
    signer: str = "Nguyễn Thị Thu Hằng",
    title: str = "CHỦ TỊCH",
    paragraphs: int = 14,
    subject: str = "Về việc thành lập Tổ công tác chuyển đổi số phường",
) -> bytes:
    blank = "\u00a0" * 8
    return render_pdf_string(
        DECISION,
        {
            "blank": blank,
            "subject": subject,
            "signer": signer,
            "title": title,
            "paragraphs": range(1, paragraphs + 1),
        },
    )


def attachment_pdf() -> bytes:
    return render_pdf_string(ATTACHMENT, {})


def plain_pdf() -> bytes:
    return render_pdf_string(NO_BLANKS, {})
