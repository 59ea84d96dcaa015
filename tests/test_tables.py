"""Tables: a statistics table reads as one line per row; a layout table does not glue the
navigation cell to the article cell."""
from pathlib import Path

from cleaners import clean

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"


def test_statistics_table_rows_are_lines_with_their_numbers():
    record = clean((PAGES / "stats_table.html").read_bytes())
    lines = record["text"].split("\n")
    assert record["status"] == "ok"
    assert "甘州区 56 120 35210" in lines
    assert "合计 133 281 61400" in lines
    assert lines[0] == "现将2023年1-6月全市科技型企业情况公布如下："
    assert "2022年统计表" not in record["text"]      # the sidebar list of other years
    assert "ICP备" not in record["text"]


def test_layout_table_keeps_navigation_out_of_the_article():
    article = "".join(f"<p>第{i}段：全市科技系统围绕创新驱动发展战略，推动科技成果转化，取得明显成效。</p>" for i in range(6))
    page = ("<html><body><table><tr><td class='menu'><a href='/1'>首页</a><br><a href='/2'>科技动态</a><br>"
            "<a href='/3'>通知公告</a></td><td>" + article + "</td></tr></table></body></html>").encode()
    record = clean(page)
    assert record["text"].split("\n")[0].startswith("第0段：")
    assert "首页" not in record["text"] and "通知公告" not in record["text"]
    assert len(record["text"].split("\n")) == 6
