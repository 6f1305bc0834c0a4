"""帳票's SVG charts (web/reports/charts.py): widths across in percent (the chart fills any
width with text at its own size), figures in text beside every bar, names escaped, and a
monthly chart that folds the smaller series into その他."""

from gateway.web.reports import charts


def test_bars_scale_to_the_largest_and_say_every_figure() -> None:
    svg = charts.bars([("東京都", [3000, 700]), ("<佐賀県>", [1500, 500])],
                      series=["売上", "送料"], unit="円", title="地区別")  # fmt: skip
    assert svg.startswith('<svg class="chart" role="img" aria-label="地区別" width="100%"')
    assert 'width="100.00%"' in svg and 'width="50.00%"' in svg
    assert "3,000円 / 700円" in svg and "1,500円 / 500円" in svg
    assert "&lt;佐賀県&gt;" in svg and "<佐賀県>" not in svg


def test_a_monthly_chart_keeps_the_largest_series_and_folds_the_rest() -> None:
    months = ["2026-11", "2026-12", "2027-01"]
    values = {f"広告{i}": {"2026-12": 100 * (i + 1)} for i in range(10)}
    svg, legend = charts.monthly(months, values, unit="円", title="広告月別", keep=3)
    assert [s.label for s in legend] == ["広告9", "広告8", "広告7", "その他"]
    assert svg.count("<rect") == 4  # one month with sales: four segments
    assert ">26年11月<" in svg and ">27年1月<" in svg and ">12月<" in svg
    _, two = charts.monthly(months, {"A": {}, "B": {}}, unit="円", title="t", keep=1)
    assert [s.label for s in two] == ["A", "B"]  # one left over is shown, not その他
