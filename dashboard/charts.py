"""Figure builders: pure DataFrame -> plotly Figure functions, one per chart the pages show.

They take the frames dashboard/queries.py returns and never query or read widgets, so they are tested
without Streamlit and the same figure goes to the screen and to PNG/SVG/HTML exports.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

KIND_LABELS = {
    "meeting": "Meeting",
    "phone_call": "Phone call",
    "video_conference": "Video conference",
    "visit": "Visit",
    "summit": "Summit",
    "credentials": "Credentials",
    "correspondence": "Correspondence",
}
# A qualitative palette that stays readable in print and for the common colour-vision deficiencies.
PALETTE = px.colors.qualitative.Safe + px.colors.qualitative.Vivid
_LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 10, "r": 10, "t": 90, "b": 10},
    "font": {"family": "sans-serif", "size": 13},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": ""}},
    "title": {"y": 0.98, "yanchor": "top"},
}


# Ticks that name whole periods, also when a drill-down leaves a single bar.
_DATE_TICKS: dict[str, dict[str, object]] = {
    "day": {"tickformat": "%Y-%m-%d"},
    "week": {"tickformat": "%Y-%m-%d"},
    "month": {"tickformat": "%b %Y", "dtick": "M1"},
    "quarter": {"tickformat": "%b %Y", "dtick": "M3"},
    "year": {"tickformat": "%Y", "dtick": "M12"},
}


def _empty(title: str, message: str = "No engagements match the filters") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=message, showarrow=False, font={"size": 15}, x=0.5, y=0.5, xref="paper", yref="paper"
    )
    fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, **_LAYOUT)
    fig.update_layout(title_text=title)
    return fig


def timeline(frame: pd.DataFrame, grain: str = "month", stack: str = "kind") -> go.Figure:
    """Stacked bars of engagements per period; `frame` has period, group, engagements.

    Each bar carries its (period, group) in customdata so a click can narrow the filters to it.
    """
    title = f"Engagements per {grain}, by {stack}"
    if frame.empty:
        return _empty(title)
    data = frame.copy()
    data["label"] = data["group"].map(KIND_LABELS).fillna(data["group"]) if stack == "kind" else data["group"]
    fig = px.bar(
        data,
        x="period",
        y="engagements",
        color="label",
        custom_data=["group", "period"],
        color_discrete_sequence=PALETTE,
        labels={"period": "", "engagements": "Engagements", "label": stack.capitalize()},
    )
    fig.update_traces(hovertemplate="%{x|%Y-%m-%d}<br>%{fullData.name}: %{y}<extra></extra>")
    ticks = dict(_DATE_TICKS.get(grain, {}))
    if data["period"].nunique() > 24:
        ticks.pop("dtick", None)  # a long range: let plotly space the labels
    fig.update_xaxes(**ticks)
    fig.update_layout(**_LAYOUT)
    fig.update_layout(title_text=title, barmode="stack", bargap=0.15)
    return fig


def _ranked_bars(frame: pd.DataFrame, label: str, key: str, title: str, color: str) -> go.Figure:
    """Horizontal bars of engagements, largest on top; each bar carries `key` in customdata for drill-down."""
    if frame.empty:
        return _empty(title)
    data = frame.sort_values("engagements")
    fig = go.Figure(
        go.Bar(
            x=data["engagements"],
            y=data[label],
            orientation="h",
            marker_color=color,
            customdata=data[[key]].to_numpy(),
            hovertemplate="%{y}: %{x} engagements<extra></extra>",
        )
    )
    fig.update_layout(**_LAYOUT)
    fig.update_layout(title_text=title, xaxis_title="Engagements", height=max(300, 28 * len(data) + 80))
    return fig


def top_counterparts(frame: pd.DataFrame, kind: str = "country") -> go.Figure:
    """Horizontal bars of the counterparts met most; `frame` has name, engagements (and country_iso3)."""
    title = {"country": "Top counterpart countries", "person": "Top counterpart persons"}.get(
        kind, "Top counterpart organizations"
    )
    return _ranked_bars(frame, "name", "name", title, PALETTE[0])


def topic_mix(frame: pd.DataFrame) -> go.Figure:
    """Share of engagements per topic; `frame` has topic_id, label, engagements."""
    return _ranked_bars(frame, "label", "topic_id", "Topic mix", PALETTE[1])


def topic_trends(frame: pd.DataFrame, grain: str = "month", share: bool = False) -> go.Figure:
    """Lines of engagements per topic over time (or each topic's share of the period's topic mentions)."""
    title = f"Topics per {grain}" + (" (share)" if share else "")
    if frame.empty:
        return _empty(title)
    data = frame.copy()
    if share:
        totals = data.groupby("period")["engagements"].transform("sum")
        data["engagements"] = (data["engagements"] / totals).round(4)
    fig = px.line(
        data,
        x="period",
        y="engagements",
        color="group",
        markers=True,
        custom_data=["group", "period"],
        color_discrete_sequence=PALETTE,
        labels={"period": "", "engagements": "Share" if share else "Engagements", "group": "Topic"},
    )
    if share:
        fig.update_yaxes(tickformat=".0%")
    fig.update_layout(**_LAYOUT)
    fig.update_layout(title_text=title)
    return fig


def world_map(frame: pd.DataFrame) -> go.Figure:
    """Choropleth of engagements by counterpart country; `frame` has iso3, country, engagements.

    The outlines come from the app's own static folder (st.plotly_chart config topojsonURL), never a CDN.
    """
    title = "Engagements by counterpart country"
    if frame.empty:
        return _empty(title)
    fig = go.Figure(
        go.Choropleth(
            locations=frame["iso3"],
            z=frame["engagements"],
            text=frame["country"],
            locationmode="ISO-3",
            colorscale="Blues",
            marker_line_color="#888",
            marker_line_width=0.4,
            colorbar_title="Engagements",
            customdata=frame[["iso3"]].to_numpy(),
            hovertemplate="%{text}: %{z}<extra></extra>",
        )
    )
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        showland=True,
        landcolor="#eeeeee",
        showcountries=True,
        countrycolor="#bbbbbb",
        projection_type="natural earth",
        resolution=50,
        fitbounds=False,
    )
    fig.update_layout(**_LAYOUT)
    fig.update_layout(title_text=title, height=520)
    return fig


def network(frame: pd.DataFrame) -> go.Figure:
    """Principals (left) and counterparts (right) joined by edges as wide as their engagements.

    A two-column layout keeps a bipartite graph readable without a layout library; node order follows
    total engagements. Each node marker carries (role, name) in customdata for click-to-filter.
    """
    title = "Who meets whom"
    if frame.empty:
        return _empty(title)
    principals = frame.groupby("principal")["engagements"].sum().sort_values(ascending=False)
    counterparts = frame.groupby("counterpart")["engagements"].sum().sort_values(ascending=False)

    def positions(names: pd.Index, span: float) -> dict[str, float]:
        """Evenly spaced from the top, centred, over `span` of the height."""
        n = len(names)
        top = 0.5 + span / 2
        return {name: (top - span * i / (n - 1)) if n > 1 else 0.5 for i, name in enumerate(names)}

    right = positions(counterparts.index, 1.0)
    # principals are few: keep them close together in the middle, in proportion to their number
    left = positions(principals.index, min(1.0, len(principals) / max(1, len(counterparts)) * 2))
    widest = float(frame["engagements"].max())
    fig = go.Figure()
    for row in frame.itertuples(index=False):
        fig.add_trace(
            go.Scatter(
                x=[0, 1],
                y=[left[row.principal], right[row.counterpart]],
                mode="lines",
                line={"width": 1 + 7 * float(row.engagements) / widest, "color": "rgba(60,90,150,0.35)"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for side, totals, pos, role in (
        (0, principals, left, "principal"),
        (1, counterparts, right, "counterpart"),
    ):
        names = list(totals.index)
        fig.add_trace(
            go.Scatter(
                x=[side] * len(names),
                y=[pos[n] for n in names],
                mode="markers+text",
                text=names,
                textposition="middle left" if side == 0 else "middle right",
                marker={
                    "size": [8 + 10 * math.sqrt(float(totals[n]) / widest) for n in names],
                    "color": PALETTE[side],
                },
                customdata=[[role, n] for n in names],
                hovertemplate="%{text}: %{marker.size:.0f}<extra></extra>",
                name="Principals" if side == 0 else "Counterparts",
            )
        )
    fig.update_traces(selector={"mode": "markers+text"}, hovertemplate="%{text}<extra></extra>")
    fig.update_layout(**_LAYOUT)
    fig.update_layout(
        title_text=title,
        xaxis={"visible": False, "range": [-0.9, 1.9]},
        yaxis={"visible": False, "range": [-0.08, 1.08]},
        height=max(420, 22 * max(len(principals), len(counterparts)) + 100),
    )
    return fig


def counterpart_timeline(frame: pd.DataFrame, name: str) -> go.Figure:
    """Engagements with one counterpart per month, by kind; `frame` has meeting_date and kind."""
    title = f"Engagements with {name}"
    if frame.empty:
        return _empty(title, "No engagements with this counterpart match the filters")
    data = frame.assign(period=pd.to_datetime(frame["meeting_date"]).dt.to_period("M").dt.to_timestamp())
    data = data.groupby(["period", "kind"]).size().reset_index(name="engagements")
    data["label"] = data["kind"].map(KIND_LABELS).fillna(data["kind"])
    fig = px.bar(
        data,
        x="period",
        y="engagements",
        color="label",
        color_discrete_sequence=PALETTE,
        labels={"period": "", "engagements": "Engagements", "label": "Kind"},
    )
    fig.update_layout(**_LAYOUT)
    fig.update_layout(title_text=title, barmode="stack")
    return fig


def compare_counterparts(left: pd.DataFrame, right: pd.DataFrame, names: tuple[str, str]) -> go.Figure:
    """Two counterparts' engagements per quarter side by side."""
    title = f"{names[0]} and {names[1]}"
    frames = []
    for frame, name in ((left, names[0]), (right, names[1])):
        if frame.empty:
            continue
        period = pd.to_datetime(frame["meeting_date"]).dt.to_period("Q").dt.to_timestamp()
        frames.append(
            period.value_counts().rename_axis("period").reset_index(name="engagements").assign(who=name)
        )
    if not frames:
        return _empty(title)
    data = pd.concat(frames).sort_values("period")
    fig = px.bar(
        data,
        x="period",
        y="engagements",
        color="who",
        barmode="group",
        color_discrete_sequence=PALETTE,
        labels={"period": "", "engagements": "Engagements", "who": ""},
    )
    fig.update_layout(**_LAYOUT)
    fig.update_layout(title_text=title)
    return fig
