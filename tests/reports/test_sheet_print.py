"""How a workbook sheet prints (issue 22): the orientation and scale its widths need, never
text below 8 pt, wide sheets in column groups that keep their groups together."""

from __future__ import annotations

from htx_desktop.reports.sheet_print import (
    BODY_PT,
    MIN_PT,
    lines_of,
    plan,
    row_height,
)


def test_narrow_sheets_print_portrait_then_landscape_then_fitted() -> None:
    assert plan([10] * 9) == plan([10] * 9)  # deterministic
    assert not plan([10] * 9).landscape
    wide = plan([10] * 13)
    assert wide.landscape and not wide.fit_width
    fitted = plan([10] * 17)
    assert fitted.landscape and fitted.fit_width


def test_too_wide_to_fit_prints_in_groups_with_its_keys_repeated() -> None:
    widths = [6, 30] + [12] * 8 + [10] * 12 + [40]
    groups = ["k", "k"] + ["a"] * 8 + ["b"] * 12 + ["id"]
    layout = plan(widths, keys=2, internal=1, groups=groups)
    assert layout.landscape and not layout.fit_width
    assert layout.scale * BODY_PT / 100 >= MIN_PT
    assert layout.title_columns == 2 and layout.printed == len(widths) - 1
    assert layout.breaks == (10,)  # group "b" starts a page: after column 10 (1-based)


def test_row_height_follows_the_lines_of_its_text() -> None:
    assert lines_of("ngắn", 20) == 1 and row_height(1) is None
    assert lines_of("x" * 50, 20) == 3
    assert lines_of("một\nhai\nba", 20) == 3
    height = row_height(3)
    assert height is not None and height > 3 * 12
