"""Text on the drawing: every name whole, every edge label clear of the boxes, marks and other text.

Read back from the drawing itself (tests/drawing_geometry.py): the texts of the
SVG, and each text's and shape's box from Graphviz's JSON output of the same
picture. Checked on every example model and on generated models with long
names, labelled branches, forks and joins, links and fail-point jumps.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import blueprint
from blueprint.render import NAME_LIMIT, GraphvizWarning, LongNameWarning
from blueprint.render.labels import display_width
from tests.drawing_geometry import drawn, label_collisions

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
CLEARANCE = 1.0  # points between an edge label and anything else, at the least


def ellipsised(texts: list[str]) -> list[str]:
    return [t for t in texts if t.rstrip().endswith("…")]


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_no_text_of_an_example_is_cut_short(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", GraphvizWarning)
        warnings.simplefilter("error", LongNameWarning)
        d = drawn(blueprint.load(path))
    assert ellipsised(d.svg_texts) == []


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_no_edge_label_of_an_example_touches_a_step_a_mark_or_other_text(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", GraphvizWarning)
        d = drawn(blueprint.load(path))
    assert d.edge_labels, "every example has labelled edges"
    assert label_collisions(d, CLEARANCE) == []


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_line_of_text_lies_inside_its_box(path):
    # steps, evidence cards, phase headers, F and W badges, and the legend ("Legend" included)
    d = drawn(blueprint.load(path))
    framed = [t for t in d.texts if t.owner in d.shapes]
    assert {t.owner for t in framed} >= {"legend", *(f"step-{s.id}" for s in blueprint.load(path).steps)}
    for text in framed:
        box = d.shapes[text.owner]
        assert box[0] <= text.box[0] and text.box[2] <= box[2], text
        assert box[1] <= text.box[1] and text.box[3] <= box[3], text


def test_the_old_collisions_of_the_bank_parcel_and_hotel_are_gone():
    # the issue: "loan applicati" hidden under "credit score", "by air express 60%" running
    # into "by road express 40% · standard 100%", "orders dinner in the room 25%" printed
    # over the "Settle in the room" box
    for name in ("bank_branch", "parcel_delivery", "hotel_stay"):
        d = drawn(blueprint.load(ROOT / "models" / f"{name}.yaml"))
        words = " ".join(d.svg_texts)
        assert label_collisions(d, CLEARANCE) == [], name
        for expected in {"bank_branch": ["loan application 40%", "credit score"],
                         "parcel_delivery": ["by air express 60%"],
                         "hotel_stay": ["25%"]}[name]:
            assert expected in words, expected


# --- generated models: long names, labelled branches, forks, links ------------------------------

WORDS = ["check", "the", "customer's", "booking", "against", "list", "and", "print", "a", "receipt",
         "for", "counter", "(with", "stamp)", "supervisor-approved", "withdrawal", "over", "limit",
         "Überweisung", "café", "排队取号", "确认订单并打印小票", "ラーメン", "💳", "&", "<b>", '"x"']
ZONES = ("customer", "frontstage", "backstage", "support")
ACTORS = {"frontstage": ["Host", "A counter clerk with a rather long job title indeed"],
          "backstage": ["Kitchen"], "support": ["IT system"]}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def names(draw: st.DrawFn, most: int = 24) -> str:
    """Text of 1 to `most` words, never past the drawing's limit."""
    text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=most)))
    while display_width(text) > NAME_LIMIT:
        text = text.rsplit(" ", 1)[0]
    return text


@st.composite
def labelled_models(draw: st.DrawFn) -> str:
    """Valid models made of runs of steps, labelled branches that meet again, and forks with
    their joins; long names, actors, links with labels, fail points that jump back."""
    steps: list[dict] = []

    def step(**extra) -> dict:
        zone = draw(st.sampled_from(ZONES))
        made = {"id": f"s{len(steps)}", "zone": zone, "name": draw(names()), **extra}
        if zone in ACTORS and draw(st.booleans()):
            made["actor"] = draw(st.sampled_from(ACTORS[zone]))
        if zone == "customer":
            made["evidence"] = [draw(names(8)) for _ in range(draw(st.integers(1, 2)))]
        if draw(st.integers(0, 3)) == 0:
            made["wait_point"] = True
            made["tolerance"] = 5
        steps.append(made)
        return made

    last = step()
    for shape in draw(st.lists(st.sampled_from(["run", "branch", "fork"]), min_size=1, max_size=6)):
        if shape == "run":
            nxt = step()
            last["next"] = nxt["id"]
            last = nxt
        elif shape == "branch":
            ways = [step() for _ in range(draw(st.integers(2, 3)))]
            share = round(1 / len(ways), 2)
            last["next"] = [{"to": w["id"], "label": draw(names(6))} | ({"p": share} if k else {})
                            for k, w in enumerate(ways)]
            meet = step()
            for w in ways:
                w["next"] = meet["id"]
            last = meet
        else:
            ways = [step() for _ in range(draw(st.integers(2, 3)))]
            last["next"] = {"all": [w["id"] for w in ways]}
            meet = step(join="all")
            for w in ways:
                w["next"] = meet["id"]
            last = meet
    last["next"] = "end"
    plain = [s for s in steps if "join" not in s and not isinstance(s.get("next"), dict)]
    if len(plain) > 2 and draw(st.booleans()):
        late = plain[-1]
        late["fail_points"] = [{"id": "slip", "name": draw(names(10)), "p": 0.1, "effect": "goto",
                                "goto": steps[0]["id"]}]
    links = []
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.sampled_from(steps)), draw(st.sampled_from(steps))
        if a is not b:
            links.append({"from": a["id"], "to": b["id"], "label": draw(names(8))})
    return _yaml(steps, links)


def _yaml(steps: list[dict], links: list[dict]) -> str:
    out = ["blueprint: 1", f"name: {_quote('Generated — ' + 'a long service name ' * 3)}",
           'horizon: {open: "08:00", close: "18:00"}', "actors:",
           *(f"  {zone}: [{', '.join(_quote(a) for a in actors)}]" for zone, actors in ACTORS.items()),
           "resources: {desk: {capacity: 2}}", "demand: {arrivals_per_hour: 12}", "steps:"]
    for s in steps:
        out.append(f"  - id: {s['id']}")
        for key in ("zone", "actor", "name", "join"):
            if key in s:
                out.append(f"    {key}: {_quote(s[key]) if key in ('name', 'actor') else s[key]}")
        if "evidence" in s:
            out.append(f"    evidence: [{', '.join(_quote(e) for e in s['evidence'])}]")
        if s.get("wait_point"):
            out += ["    resource: desk", "    duration: 2", "    wait_point: true",
                    f"    tolerance: {s['tolerance']}"]
        for fail in s.get("fail_points", []):
            out += ["    fail_points:", f"      - {{id: {fail['id']}, name: {_quote(fail['name'])}, "
                    f"p: {fail['p']}, effect: goto, goto: {fail['goto']}}}"]
        nxt = s["next"]
        if isinstance(nxt, str):
            out.append(f"    next: {nxt}")
        elif isinstance(nxt, dict):
            out.append(f"    next: {{all: [{', '.join(nxt['all'])}]}}")
        else:
            out.append("    next:")
            for branch in nxt:
                p = f", p: {branch['p']}" if "p" in branch else ""
                out.append(f"      - {{to: {branch['to']}{p}, label: {_quote(branch['label'])}}}")
    if links:
        out.append("links:")
        out += [f"  - {{from: {a['from']}, to: {a['to']}, label: {_quote(a['label'])}}}" for a in links]
    return "\n".join(out) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labelled_models())
def test_generated_blueprints_show_every_name_whole_and_every_label_in_the_clear(text):
    bp = blueprint.loads(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GraphvizWarning)
        warnings.simplefilter("error", LongNameWarning)
        d = drawn(bp)
    assert ellipsised(d.svg_texts) == []
    assert label_collisions(d, CLEARANCE) == []
    forks = {s.id for s in bp.steps if isinstance(s.next, blueprint.model.Fork)}
    joins = {s.id for s in bp.steps if s.join == "all"}
    assert {f"fork-{x}" for x in forks} | {f"join-{x}" for x in joins} <= set(d.shapes)
    words = " ".join(d.svg_texts)
    for s in bp.steps:  # each name is drawn whole, line after line
        assert _squeezed(s.label) in _squeezed(words)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_name_past_the_limit_is_cut_with_an_ellipsis_and_a_warning():
    name = "Reconcile the overnight settlement file " * 8
    assert display_width(name.strip()) > NAME_LIMIT
    text = COFFEE.replace("name: Pull the shot", f"name: {name.strip()}")
    with pytest.warns(LongNameWarning, match=r"step 'brew' is 319 characters long; the drawing "
                                             r"shows its first 200"):
        d = drawn(blueprint.loads(text))
    assert len(ellipsised(d.svg_texts)) == 1


def test_a_name_at_the_limit_is_drawn_whole():
    name = ("Reconcile the overnight settlement file " * 8)[:NAME_LIMIT].strip()
    text = COFFEE.replace("name: Pull the shot", f"name: {name}")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LongNameWarning)
        d = drawn(blueprint.loads(text))
    assert ellipsised(d.svg_texts) == []
    assert _squeezed(name) in _squeezed(" ".join(d.svg_texts))


def test_a_long_name_makes_its_lane_taller_not_every_box():
    long_name = "Pull the shot, steam and texture the milk, pour the latte art, " * 2
    d = drawn(blueprint.loads(COFFEE.replace("name: Pull the shot", f"name: {long_name.strip()}")))
    plain = drawn(blueprint.loads(COFFEE))
    height = {k: v[3] - v[1] for k, v in d.shapes.items()}
    before = {k: v[3] - v[1] for k, v in plain.shapes.items()}
    assert height["step-brew"] > before["step-brew"] + 20  # two more lines, at least
    assert height["step-take_order"] == before["step-take_order"]


COFFEE = """\
blueprint: 1
name: Coffee bar
horizon: {open: "07:00", close: "11:00"}
resources: {barista: {capacity: 2}}
demand: {arrivals_per_hour: 30}
steps:
  - {id: queue, zone: customer, name: Queue and order, evidence: [Menu board]}
  - {id: take_order, zone: frontstage, name: Take order, resource: barista, duration: 1,
     tolerance: 5, wait_point: true}
  - id: brew
    zone: backstage
    name: Pull the shot
    duration: 1.5
  - {id: pickup, zone: customer, name: Collect the drink, next: end}
"""
