"""Measurements over time: one kind at a time (weight, blood pressure…), as a line chart
over a period (1 year, 5 years, all) or as a list. The choice lives in the route
(`/profile/measurements/<code>/<period>/<view>`), so a redraw after a sync keeps it."""
from __future__ import annotations

import flet as ft

from health.codes import MEASUREMENTS
from health.measurement_series import PERIODS
from health.profile_display import number_text
from screens.context import ScreenContext
from screens.profile_form import TOUCH
from screens.profile_section import EntryList, add_button, section_header

VIEWS = ("chart", "list")
SERIES_COLOURS = (ft.Colors.PRIMARY, ft.Colors.TERTIARY)
# The second line (diastolic) is dashed too: two lines are told apart without colours.
SERIES_DASHES = (None, [10, 6])


def measurements_screen(ctx: ScreenContext, param: str) -> ft.Control:
    parts = [part for part in param.split("/") if part]
    code = parts[0] if parts and parts[0] in MEASUREMENTS else None
    period = parts[1] if len(parts) > 1 and parts[1] in PERIODS else "5y"
    view = parts[2] if len(parts) > 2 and parts[2] in VIEWS else "chart"
    body = ft.Column([ft.ProgressRing(width=24, height=24)], spacing=12, expand=True)
    screen = ft.Container(key="profile-section-measurements", padding=16, expand=True, content=ft.Column(
        [section_header(ctx, ctx.t("profile.section.measurements"), ft.Icons.MONITOR_HEART),
         add_button(ctx, "measurements", _route(code, period, view) if code else "/profile/measurements"), body],
        spacing=12, expand=True))

    async def fill() -> None:
        attempt = await ctx.attempt(ctx.services.profile.measurement_counts)
        if not attempt.ok:
            return
        counts = attempt.value
        chosen = code if code in counts else next(iter(counts), None)
        if chosen is None:
            body.controls = [ft.Text(ctx.t("profile.measures.none"), key="profile-empty",
                                     color=ft.Colors.ON_SURFACE_VARIANT)]
        else:
            kinds = _kinds(ctx, counts, chosen, period, view)
            body.controls = [kinds, _choices(ctx, chosen, period, view)]
            body.controls.append(await _chart(ctx, chosen, period) if view == "chart" else
                                 EntryList(ctx, "measurements", _route(chosen, period, view), chosen).view)
        try:
            body.update()
            if chosen is not None and chosen != next(iter(counts)):  # the chosen kind in sight
                await kinds.scroll_to(scroll_key=f"measurements-kind-{chosen}")
        except (RuntimeError, TimeoutError):  # the user left this screen meanwhile
            pass

    ctx.page.run_task(fill)
    return screen


def _route(code: str | None, period: str, view: str) -> str:
    return f"/profile/measurements/{code}/{period}/{view}"


def _label(ctx: ScreenContext, code: str) -> str:
    return MEASUREMENTS[code][1 if ctx.services.translator.language == "en" else 0]


def _kinds(ctx: ScreenContext, counts: dict[str, int], chosen: str, period: str, view: str) -> ft.Control:
    return ft.Row([
        ft.Chip(label=ft.Text(f"{_label(ctx, code)} ({count})"), key=ft.ScrollKey(f"measurements-kind-{code}"),
                padding=ft.Padding.symmetric(horizontal=4, vertical=13), visual_density=ft.VisualDensity.STANDARD,
                selected=code == chosen, on_select=lambda _, code=code: ctx.go(_route(code, period, view)))
        for code, count in counts.items()], spacing=8, scroll=ft.ScrollMode.AUTO)  # one line, scrolled sideways


def _choices(ctx: ScreenContext, code: str, period: str, view: str) -> ft.Control:
    periods = ft.SegmentedButton(
        key="measurements-period", selected=[period], show_selected_icon=False, style=TOUCH,
        segments=[ft.Segment(value=p, label=ft.Text(ctx.t(f"profile.period.{p}"))) for p in PERIODS],
        on_change=lambda e: ctx.go(_route(code, e.control.selected[0], view)))
    views = ft.SegmentedButton(
        key="measurements-view", selected=[view], show_selected_icon=False, style=TOUCH,
        segments=[ft.Segment(value=v, label=ft.Text(ctx.t(f"profile.view.{v}"))) for v in VIEWS],
        on_change=lambda e: ctx.go(_route(code, period, e.control.selected[0])))
    return ft.Row([periods, views], wrap=True, spacing=12, run_spacing=8)


async def _chart(ctx: ScreenContext, code: str, period: str) -> ft.Control:
    attempt = await ctx.attempt(lambda: ctx.services.profile.chart(code, period))
    if not attempt.ok:
        return ft.Container()
    chart = attempt.value
    # Imported here: flet_charts loads its matplotlib and plotly wrappers too (~0.1 s),
    # which the app's start-up (unlock, emergency card) must not wait for.
    import flet_charts as fch

    if chart.empty:
        return ft.Text(ctx.t("profile.chart.empty"), key="measurements-chart-empty", color=ft.Colors.ON_SURFACE_VARIANT)
    language = ctx.services.translator.language
    lines = [fch.LineChartData(
        points=[fch.LineChartDataPoint(point.x, point.y,
                                       tooltip=f"{point.day}\n{number_text(point.y, language)} {chart.unit}")
                for point in series.points],
        color=SERIES_COLOURS[index % 2], dash_pattern=SERIES_DASHES[index % 2], stroke_width=3,
        point=len(series.points) <= 60, curved=False)
        for index, series in enumerate(chart.series)]
    drawing = fch.LineChart(
        key="measurements-chart", data_series=lines, height=min(420, max(240, (ctx.page.height or 800) * 0.4)),
        min_x=chart.min_x, max_x=chart.max_x, min_y=chart.min_y, max_y=chart.max_y,
        # Value labels placed by the app, a round step apart: automatic ones overlap at 200 % text.
        left_axis=fch.ChartAxis(label_size=56, label_spacing=chart.y_step, show_min=False, show_max=False, labels=[
            fch.ChartAxisLabel(value=value, label=ft.Text(number_text(value, language), size=12))
            for value in _steps(chart.min_y, chart.max_y, chart.y_step)]),
        # Labels show where the axis ticks fall: every `tick_step` months, as the ticks are.
        bottom_axis=fch.ChartAxis(label_size=32, label_spacing=chart.tick_step, show_min=False, show_max=False,
                                  labels=[fch.ChartAxisLabel(value=tick.x, label=ft.Text(tick.label, size=12))
                                          for tick in chart.ticks]),
        right_axis=fch.ChartAxis(show_labels=False), top_axis=fch.ChartAxis(show_labels=False),
        horizontal_grid_lines=fch.ChartGridLines(color=ft.Colors.OUTLINE_VARIANT, width=1, interval=chart.y_step),
        vertical_grid_lines=fch.ChartGridLines(color=ft.Colors.OUTLINE_VARIANT, width=1, interval=chart.tick_step),
        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
        tooltip=fch.LineChartTooltip(bgcolor=ft.Colors.INVERSE_SURFACE, max_width=180, fit_inside_horizontally=True,
                                     fit_inside_vertically=True),
        animation=ft.Animation(duration=0))
    # Its title says what and in which unit (the axes carry numbers only); the summary below
    # says the values in words, for screen readers (a chart has no text of its own).
    title = ft.Text(ctx.t("profile.chart.label", name=_label(ctx, code), unit=chart.unit),
                    theme_style=ft.TextThemeStyle.TITLE_SMALL)
    return ft.Column([title, drawing, *_legend(ctx, chart), *_summary(ctx, chart)], spacing=8,
                     key="measurements-chart-box")


def _legend(ctx: ScreenContext, chart) -> list[ft.Control]:
    if len(chart.series) < 2:
        return []
    def sample(index: int) -> ft.Control:
        dashes = 1 if SERIES_DASHES[index % 2] is None else 2
        return ft.Row([ft.Container(width=24 if dashes == 1 else 10, height=4, border_radius=2,
                                    bgcolor=SERIES_COLOURS[index % 2]) for _ in range(dashes)], spacing=4, tight=True)

    return [ft.Row([ft.Row([sample(index), ft.Text(_label(ctx, series.code))], spacing=6, tight=True)
                    for index, series in enumerate(chart.series)], wrap=True, spacing=24)]


def _summary(ctx: ScreenContext, chart) -> list[ft.Control]:
    """The chart in words: for screen readers, and for anyone reading exact values."""
    language = ctx.services.translator.language
    last_points = [series.points[-1] for series in chart.series if series.points]
    last = "/".join(number_text(point.y, language) for point in last_points) + f" {chart.unit}"
    shown = max(len(series.points) for series in chart.series)
    lines = [ft.Text(ctx.t("profile.chart.summary", count=chart.readings, last=last, date=last_points[0].day),
                     key="measurements-summary")]
    if shown < chart.readings:
        lines.append(ft.Text(ctx.t("profile.chart.thinned", shown=shown), color=ft.Colors.ON_SURFACE_VARIANT))
    return lines


def _steps(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [low + index * step for index in range(count + 1)]
