"""The HTML report of one analysis: one self-contained page a person can send their physiotherapist.

The page is made only from the JSON report and the files written beside it (``<name>.frames.csv``
for the signal over time, and those its ``media`` record names: the annotated ``<name>.mp4`` and
``<name>.keyframe.jpg``), so `formcheck report OUT/clip.json` rebuilds it from a saved analysis.
Plots are inline SVG, the key frame an inline JPEG and the styles inline CSS: the page needs no
network. The video stays a file beside the page, played by relative link; with it comes the one
script, a few lines that seek it to a rep when the rep's time is clicked.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from formcheck.analysis.vocabulary import Status
from formcheck.errors import FormcheckError
from formcheck.io.atomic import write_text
from formcheck.render.frames_csv import FrameColumns, read_frames_csv
from formcheck.render.labels import verdict_word
from formcheck.render.plots import SIDE_STYLE, RepSpan, RulePoint, rule_plot, signal_plot

SIDES_ALIKE_POINTS = 5.0
"""A left/right gap in mean score below this many points is reported as the sides scoring alike:
one rule failing on one rep of five moves a side's mean by 4 points or more."""

SAFETY_NOTE = (
    "Stop if an exercise causes pain. formcheck judges what a camera can see; it is not a "
    "replacement for an individual assessment by a physiotherapist."
)

STATUS_WORDS = {status: verdict_word(status, borderline=False) for status in Status}

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; color: #222;
       margin: 0 auto; max-width: 1100px; padding: 1em 1.5em; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.rep-first td { border-top: 2px solid #999; }
.passed { color: #2e7d32; } .failed { color: #c62828; font-weight: 600; } .not_judged { color: #777; }
.borderline { background: #fff3cd; }
.gap { font-size: 1.1em; font-weight: 600; }
.pending { border: 2px dashed #bbb; padding: .8em; color: #666; }
.media { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.media video, .media img { max-width: 100%; } .media figure { margin: 0; flex: 1 1 480px; }
a.seek { white-space: nowrap; }
.plots { display: flex; flex-wrap: wrap; gap: 1em; } .plots figure { margin: 0; }
svg { max-width: 100%; height: auto; }
#safety { margin-top: 2em; padding: .8em 1em; background: #fff4e5; border-left: 4px solid #e8710a; }
"""


_SEEK_SCRIPT = """
document.querySelectorAll("a[data-seek]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    event.preventDefault();
    var video = document.getElementById("video");
    video.currentTime = parseFloat(link.dataset.seek);
    video.scrollIntoView({block: "center"});
    video.play();
  });
});
"""


@dataclass(frozen=True)
class PageMedia:
    """The Video section's content, found beside the JSON report.

    Attributes:
        video: the annotated mp4's address relative to the page, or None (not made, or missing).
        key_frame_jpeg: the key frame's JPEG bytes, or None.
        key_rep, key_t: the rep the key frame shows (its index) and the frame's time, seconds.
        notes: what is missing and why, one sentence each.
    """

    video: str | None = None
    key_frame_jpeg: bytes | None = None
    key_rep: int | None = None
    key_t: float | None = None
    notes: tuple[str, ...] = ()


def page_media(report: dict, json_path: Path) -> PageMedia:
    """What of the report's ``media`` record is beside ``json_path``, and why the rest is not."""
    record = report.get("media")
    if record is None:
        return PageMedia(
            notes=(
                "No video frames were saved with this analysis (the input was a pose track, or the "
                "report predates them): run formcheck analyze VIDEO --video for the annotated video "
                "and the worst rep's key frame.",
            )
        )
    notes = []
    video = record.get("video")
    if video is None:
        notes.append("Run formcheck analyze with --video to add the annotated video.")
    elif not (json_path.parent / video).is_file():
        notes.append(f"The annotated video {video} is not beside this page.")
        video = None
    key = record.get("key_frame")
    jpeg = None
    if key is None:
        notes.append("No complete rep was scored, so there is no worst rep to show.")
    elif (json_path.parent / key["file"]).is_file():
        jpeg = (json_path.parent / key["file"]).read_bytes()
    else:
        notes.append(f"The key frame {key['file']} is not beside this page.")
    return PageMedia(
        video=video,
        key_frame_jpeg=jpeg,
        key_rep=key["rep"] if jpeg else None,
        key_t=key["t_s"] if jpeg else None,
        notes=tuple(notes),
    )


def frames_csv_path(json_path: Path) -> Path:
    """Where the frames CSV of the report at ``json_path`` is written: ``<name>.frames.csv`` beside it."""
    return json_path.with_name(json_path.stem + ".frames.csv")


def page_path(json_path: Path) -> Path:
    return json_path.with_suffix(".html")


def write_report_page(json_path: Path) -> Path:
    """Read the JSON report at ``json_path`` (and its frames CSV, if beside it) and write ``<name>.html``."""
    try:
        report = json.loads(json_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FormcheckError(
            f"{json_path}: no such file; give the .json that `formcheck analyze` wrote"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FormcheckError(f"{json_path}: not a JSON report ({error})") from None
    missing = [key for key in ("exercise", "source", "reps", "summary") if key not in report]
    if not isinstance(report, dict) or missing:
        raise FormcheckError(f"{json_path}: not a formcheck report (no {', '.join(missing) or 'object'})")
    frames_path = frames_csv_path(json_path)
    frames = read_frames_csv(frames_path) if frames_path.exists() else None
    links = {"JSON report": json_path.name}
    if frames is not None:
        links["frames CSV"] = frames_path.name
    media = page_media(report, json_path)
    if media.video is not None:
        links["annotated video"] = media.video
    target = page_path(json_path)
    try:
        write_text(target, report_page(report, frames, links, media))
    except OSError as error:
        raise FormcheckError(f"{target}: cannot write ({error.strerror}); choose a writable --out") from error
    return target


def report_page(
    report: dict,
    frames: FrameColumns | None,
    links: dict[str, str] | None = None,
    media: PageMedia | None = None,
) -> str:
    """The page for ``report`` (a JSON report as a dict); ``frames`` gives the signal over time;
    ``links``: label -> relative address of the files beside the page; ``media``: the annotated
    video and key frame (`page_media`)."""
    media = media or PageMedia()
    # The report says how its reps were cut; one saved before it did falls back to the exercise id.
    counting = {"title": report["exercise"].replace("_", " "), "signal": None, "unit": "", "from_rest": False}
    counting.update(report.get("counting") or {})
    source = escape(Path(report["source"]).name)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>formcheck: {escape(counting['title'])} - {source}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(counting['title'])}</h1>",
        f'<p class="meta">{escape(report["source"])} · {report.get("frames", 0)} frames'
        + (f" at {report['fps']:g} frames/s" if report.get("fps") else "")
        + "".join(f' · <a href="{escape(href)}">{escape(label)}</a>' for label, href in (links or {}).items())
        + "</p>",
        _summary(report),
        _media_section(report, media),
        _rep_table(report, seek=media.video is not None),
        _signal_section(report, frames, counting),
        _rules_section(report),
        f'<footer id="safety"><strong>Safety.</strong> {escape(SAFETY_NOTE)}</footer>',
        f"<script>{_SEEK_SCRIPT}</script>" if media.video is not None else "",
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def side_gap_sentence(left_vs_right: dict) -> str | None:
    """The left/right comparison in words, for one-sided work; None for two-sided work (no sides)."""
    if not left_vs_right:
        return None
    left, right = left_vs_right["left"], left_vs_right["right"]
    for missing, other in (("left", "right"), ("right", "left")):
        if left_vs_right[missing]["reps"] == 0:
            return (
                f"Only your {other} side did complete reps here: film the {missing} side too to compare them."
            )
    gap = left_vs_right.get("score_gap")
    if gap is None:
        return "No rule could be judged on one of the sides, so they cannot be compared."
    if abs(gap) < SIDES_ALIKE_POINTS:
        return f"Your two sides scored alike (left {left['mean_score']:g}, right {right['mean_score']:g})."
    weaker = "left" if gap < 0 else "right"
    return f"Your {weaker} side scored {abs(gap):.0f} points lower: start sets with the {weaker}."


def _summary(report: dict) -> str:
    summary = report["summary"]
    reps = report["reps"]
    rows = []
    sides = list(dict.fromkeys(rep["side"] for rep in reps))
    for side in sides:
        mine = [rep for rep in reps if rep["side"] == side]
        complete = [rep for rep in mine if rep["complete"]]
        scores = [rep["score"] for rep in complete if rep["score"] is not None]
        mean = f"{sum(scores) / len(scores):.0f}" if scores else "-"
        rows.append(
            f"<tr><td>{escape(side)}</td><td class='num'>{len(complete)}</td>"
            f"<td class='num'>{len(mine) - len(complete)}</td><td class='num'>{mean}</td></tr>"
        )
    out = ['<section id="summary"><h2>Summary</h2>']
    if reps:
        overall = summary.get("mean_score")
        out.append(
            "<table><tr><th>side</th><th>complete reps</th><th>partial reps</th><th>mean score</th></tr>"
            + "".join(rows)
            + f"<tr><th>all</th><th class='num'>{summary['reps_total']}</th>"
            f"<th class='num'>{summary.get('reps_partial', 0)}</th>"
            f"<th class='num'>{'-' if overall is None else f'{overall:.0f}'}</th></tr></table>"
        )
        sentence = side_gap_sentence(summary.get("left_vs_right", {}))
        if sentence:
            out.append(f'<p class="gap" id="side-gap">{escape(sentence)}</p>')
        faults = {rule: n for rule, n in summary.get("faults", {}).items() if n}
        out.append(
            "<p>Faults over the complete reps: "
            + (", ".join(f"{escape(rule)} &times;{n}" for rule, n in faults.items()) if faults else "none")
            + ".</p>"
        )
    elif report.get("frame_verdicts"):
        out.append("<p>Independent poses (no reps): rows per rule.</p><table><tr><th>rule</th>")
        out.append("".join(f"<th>{STATUS_WORDS[s]}</th>" for s in STATUS_WORDS) + "</tr>")
        for rule, counts in report["frame_verdicts"].items():
            cells = "".join(f"<td class='num'>{counts.get(s, 0)}</td>" for s in STATUS_WORDS)
            out.append(f"<tr><td>{escape(rule)}</td>{cells}</tr>")
        out.append("</table>")
    else:
        out.append("<p>No reps were found.</p>")
    out.append("</section>")
    return "\n".join(out)


def _media_section(report: dict, media: PageMedia) -> str:
    """The annotated video (by relative link) and the worst rep's key frame (inlined), or why not."""
    out = ['<section id="media"><h2>Video</h2><div class="media">']
    if media.video is not None:
        out.append(
            f'<figure><video id="video" controls preload="metadata" src="{escape(media.video)}"></video>'
            "<figcaption>Every frame with the live overlay, as live mode would have shown it. "
            "Click a rep's time in the table to play it.</figcaption></figure>"
        )
    if media.key_frame_jpeg is not None:
        rep = next((r for r in report["reps"] if r["index"] == media.key_rep), None)
        about = (
            f"Rep {media.key_rep} ({escape(rep['side'])}) scored lowest ({rep['score']:.0f})"
            if rep is not None and rep.get("score") is not None
            else f"Rep {media.key_rep} scored lowest"
        )
        data = base64.b64encode(media.key_frame_jpeg).decode("ascii")
        out.append(
            f'<figure><img id="key-frame" alt="key frame of rep {media.key_rep}" '
            f'src="data:image/jpeg;base64,{data}"><figcaption>{about}: its deepest point, at '
            f"{media.key_t:.2f} s, with its own rules on the panel.</figcaption></figure>"
        )
    out.append("</div>")
    out += [f'<p class="pending">{escape(note)}</p>' for note in media.notes]
    out.append("</section>")
    return "\n".join(out)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    digits = 0 if unit == "deg" else 2
    return f"{value:.{digits}f}"


def _limit(rule: dict) -> str:
    sign = "≤" if rule.get("limit", "max") == "max" else "≥"
    return f"{sign} {_number(rule['threshold'], rule.get('unit', ''))}"


def _rep_table(report: dict, *, seek: bool = False) -> str:
    """Every rep's rules; with ``seek`` each rep's time is a link that plays the video from there."""
    if not report["reps"]:
        return ""
    out = [
        '<section id="reps"><h2>Rep by rep</h2><table>',
        "<tr><th>rep</th><th>side</th><th>time (s)</th><th>score</th><th>rule</th><th>measured</th>"
        "<th>limit</th><th>unit</th><th>verdict</th><th>cue / why not judged</th></tr>",
    ]
    for rep in report["reps"]:
        rules = rep["rules"] or [None]
        span = f' rowspan="{len(rules)}"'
        score = "-" if rep["score"] is None else f"{rep['score']:.0f}"
        colour = SIDE_STYLE.get(rep["side"], SIDE_STYLE["both"])[0]
        when = f"{rep['start_s']:.2f}&ndash;{rep['end_s']:.2f}"
        if seek:
            when = f'<a class="seek" href="#video" data-seek="{rep["start_s"]:.3f}">&#9654; {when}</a>'
        head = (
            f"<td{span}>{rep['index']}</td><td{span} style='color:{colour}'>{escape(rep['side'])}</td>"
            f"<td{span} class='num'>{when}</td>"
            + (
                f"<td{span} class='num'>{score}</td>"
                if rep["complete"]
                else f"<td{span} class='not_judged'>partial: {escape(rep.get('reason') or '')}</td>"
            )
        )
        for k, rule in enumerate(rules):
            cells = head if k == 0 else ""
            if rule is not None:
                status = rule["status"]
                # Reports saved before verdicts carried it have no borderline: read as clear.
                borderline = bool(rule.get("borderline"))
                why = rule["cue"] if status == "failed" else (rule.get("reason") or "")
                unit = rule.get("unit", "")
                cells += (
                    f"<td>{escape(rule['id'])}</td><td class='num'>{_number(rule['value'], unit)}</td>"
                    f"<td class='num'>{escape(_limit(rule))}</td><td>{escape(unit)}</td>"
                    f"<td class='{status}{' borderline' if borderline else ''}'>"
                    f"{verdict_word(status, borderline)}</td><td>{escape(why)}</td>"
                )
            out.append(f"<tr class='{'rep-first' if k == 0 else ''}'>{cells}</tr>")
    out.append("</table></section>")
    return "\n".join(out)


def _signal_section(report: dict, frames: FrameColumns | None, counting: dict) -> str:
    """The primary signal over time with the reps and counting thresholds; ``counting`` is the
    report's record of how reps were cut (`Report.counting`)."""
    if not report["reps"] and report.get("frame_verdicts"):
        return ""
    signal, unit = counting["signal"], counting["unit"]
    title = f"<h2>{escape(signal or 'primary signal')} over time</h2>"
    if frames is None or frames.t is None or signal not in frames.signals:
        return (
            f'<section id="signal">{title}<p class="pending">No frames CSV beside the report: '
            "run <code>formcheck analyze ... --html</code> to plot the signal over time.</p></section>"
        )
    thresholds = report.get("thresholds", {})
    # Counting from a rest level: the thresholds are heights above each rep's own rest, not levels.
    levels = (None, None) if counting["from_rest"] else (thresholds.get("start"), thresholds.get("end"))
    spans = [RepSpan(r["index"], r["side"], r["start_s"], r["end_s"], r["complete"]) for r in report["reps"]]
    svg = signal_plot(
        frames.t,
        frames.signals[signal],
        spans,
        name=signal,
        unit=unit,
        start=levels[0],
        end=levels[1],
    )
    note = (
        f"<p>Reps start {thresholds.get('start')} and are complete {thresholds.get('end')} "
        f"{escape(unit)} above the rest level before each rep.</p>"
        if counting["from_rest"]
        else ""
    )
    return f'<section id="signal">{title}<figure class="plot">{svg}</figure>{note}</section>'


def _rules_section(report: dict) -> str:
    rules: dict[str, dict] = {}
    points: dict[str, list[RulePoint]] = {}
    for rep in report["reps"]:
        for rule in rep["rules"]:
            rules.setdefault(rule["id"], rule)
            if rule["status"] != "not_judged" and rule["value"] is not None:
                points.setdefault(rule["id"], []).append(
                    RulePoint(rep["index"], rep["side"], rule["value"], rule["status"] == "failed")
                )
    if not rules:
        return ""
    figures = []
    for rule_id, rule in rules.items():
        if rule_id not in points:
            figures.append(
                f'<figure class="plot empty"><figcaption>{escape(rule_id)}: never judged'
                "</figcaption></figure>"
            )
            continue
        svg = rule_plot(
            points[rule_id],
            rule_id=rule_id,
            unit=rule.get("unit", ""),
            threshold=rule["threshold"],
            limit=rule.get("limit", "max"),
        )
        figures.append(f'<figure class="plot" data-rule="{escape(rule_id)}">{svg}</figure>')
    return (
        '<section id="rules"><h2>Each rule per rep</h2><div class="plots">'
        + "".join(figures)
        + "</div></section>"
    )
