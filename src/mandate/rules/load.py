"""Loading a rulebook: TOML text → validated :class:`~mandate.rules.model.Rulebook`.

The loader reads each table key by key (:class:`~mandate.rules.toml_reader.Node`), refuses
unknown keys, then checks the references between tables (a threshold's body, a combined
body's parts, a gate's thresholds, a param's kind) and refuses cycles. The first problem
found is raised as a :class:`~mandate.errors.RulebookError` naming the file, the line and the
key, and saying what was expected. Shipped rulebooks are package data in
``mandate/rules/shipped/`` and are loaded by name (``labour-2016``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from mandate.errors import NotFoundError, RulebookError
from mandate.ids import BodyId, RulebookId
from mandate.rules.model import (
    FORMAT_VERSION,
    Ballot,
    BallotMethod,
    Body,
    Clause,
    Consequence,
    Effect,
    Electorate,
    IncumbentEntry,
    Motion,
    MotionQuestion,
    Param,
    ParamKind,
    ParamRef,
    Process,
    ProcessKind,
    Rounding,
    Rulebook,
    StvRules,
    Threshold,
    ThresholdKind,
    TieBreak,
    VoterClass,
)
from mandate.rules.toml_reader import KeyLines, Node, parse_toml

__all__ = ["load_rulebook", "parse_rulebook", "shipped_rulebooks"]

_SHIPPED_PACKAGE = "mandate.rules.shipped"


def shipped_rulebooks() -> tuple[str, ...]:
    """Names of the rulebooks shipped with mandate, e.g. ``labour-2016``."""
    folder = resources.files(_SHIPPED_PACKAGE)
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def load_rulebook(ref: str | Path) -> Rulebook:
    """Load a rulebook by shipped name (``labour-2016``) or from a TOML file.

    Raises:
        NotFoundError: no shipped rulebook of that name and no such file.
        RulebookError: the rulebook is not valid (names the file, line and key).
    """
    if isinstance(ref, str) and ref in shipped_rulebooks():
        resource = resources.files(_SHIPPED_PACKAGE) / f"{ref}.toml"
        return parse_rulebook(resource.read_text(encoding="utf-8"), source=str(resource))
    path = Path(ref)
    if not path.is_file():
        names = ", ".join(shipped_rulebooks())
        raise NotFoundError(f"no rulebook {str(ref)!r}: not a file, nor a shipped name ({names})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RulebookError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    return parse_rulebook(text, source=str(path))


def parse_rulebook(text: str, *, source: str) -> Rulebook:
    """Validate rulebook TOML text; ``source`` names it in errors."""
    data = parse_toml(text, source=source, error=RulebookError)
    root = Node(data, path=(), lines=KeyLines(text), source=source, error=RulebookError)
    return _Loader(root).rulebook()


_TOP = (
    "format_version",
    "id",
    "title",
    "organisation",
    "sources",
    "note",
    "principal_ballot",
    "params",
    "bodies",
    "thresholds",
    "motions",
    "processes",
    "voter_classes",
    "electorate",
    "ballots",
)
_CLAUSE = ("clause", "text", "source")
_THRESHOLD_KEYS = (
    "title",
    "share",
    "count",
    "all_of",
    "any_of",
    "of",
    "rounding",
    "as_of",
    "note",
    *_CLAUSE,
)
_VOTER_CLASS_KEYS = (
    "title",
    "joined_on_or_before",
    "joined_on_or_after",
    "minimum_membership_months",
    "dues_paid",
    "minimum_age",
    "note",
    *_CLAUSE,
)
_PARAM_KEYS = ("title", "kind", "default", "alternatives", "note", *_CLAUSE)
_BODY_KEYS = ("title", "unit", "parts", *_CLAUSE)
_MOTION_KEYS = (
    "title",
    "body",
    "question",
    "binding",
    "majority",
    "if_carried",
    "if_lost",
    *_CLAUSE,
)
_CONSEQUENCE_KEYS = ("effect", "says", *_CLAUSE)
_ELECTORATE_KEYS = ("precedence", *_CLAUSE)
_PROCESS_KEYS = (
    "title",
    "kind",
    "stages",
    "nomination_threshold",
    "incumbent_on_ballot",
    "trigger",
    "motion",
    "ballot",
    "note",
    *_CLAUSE,
)
_BALLOT_KEYS = (
    "title",
    "method",
    "seats",
    "tiebreak",
    "tiebreak_forwards",
    "stv_rules",
    "sections",
    "district_points",
    "full_points_minimum",
    "voters",
    "first_round_minimum",
    "until",
    "note",
    *_CLAUSE,
)


def _clause(node: Node) -> Clause:
    return Clause(
        ref=node.string("clause"),
        text=node.string("text", default="") if node.has("text") else "",
        source=node.string("source", default="") if node.has("source") else "",
    )


def _optional_text(node: Node, key: str) -> str:
    return node.string(key) if node.has(key) else ""


def _enum(node: Node, key: str, enum: Any, default: Any = None) -> Any:
    if default is not None and not node.has(key):
        return default
    value = node.string(key)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum)
        node.fail(key, f"expected one of {allowed}, got {value!r}")


class _Loader:
    """Reads one rulebook document; keeps what it needs to check references afterwards."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.params: dict[str, Param] = {}
        self.param_nodes: dict[str, Node] = {}

    def rulebook(self) -> Rulebook:
        root = self.root
        root.only(_TOP)
        version = root.integer("format_version", minimum=1)
        if version > FORMAT_VERSION:
            root.fail(
                "format_version",
                f"format_version {version} is newer than this version of mandate reads "
                f"(up to {FORMAT_VERSION}); upgrade mandate to read this rulebook",
            )
        for name, node in root.tables("params"):
            self.params[name] = self._param(name, node)
            self.param_nodes[name] = node
        body_nodes = dict(root.tables("bodies"))
        bodies = {name: self._body(name, node) for name, node in body_nodes.items()}
        if not bodies:
            root.fail(None, "a rulebook needs at least one [bodies.<id>] table")
        self._check_body_parts(bodies, body_nodes)
        threshold_nodes = dict(root.tables("thresholds"))
        thresholds = {
            name: self._threshold(name, node, bodies) for name, node in threshold_nodes.items()
        }
        self._check_threshold_parts(thresholds, threshold_nodes)
        motions = {name: self._motion(name, node, bodies) for name, node in root.tables("motions")}
        ballot_nodes = dict(root.tables("ballots"))
        voter_nodes = dict(root.tables("voter_classes"))
        voter_classes = {name: self._voter_class(name, node) for name, node in voter_nodes.items()}
        if not voter_classes:
            root.fail(None, "a rulebook needs at least one [voter_classes.<id>] table")
        ballots = {
            name: self._ballot(name, node, bodies, voter_classes)
            for name, node in ballot_nodes.items()
        }
        if not ballots:
            root.fail(None, "a rulebook needs at least one [ballots.<id>] table")
        processes = {
            name: self._process(name, node, thresholds, motions, ballots)
            for name, node in root.tables("processes")
        }
        electorate = self._electorate(root.table("electorate"), voter_classes)
        if root.has("principal_ballot"):
            principal = root.string("principal_ballot")
            if principal not in ballots:
                root.fail(
                    "principal_ballot",
                    f"no ballot {principal!r} (declared: {', '.join(ballots)})",
                )
        elif len(ballots) == 1:
            principal = next(iter(ballots))
        else:
            root.fail(
                None,
                f"missing key 'principal_ballot': with several ballots ({', '.join(ballots)}) "
                "say which one decides the office",
            )
        rulebook = Rulebook(
            format_version=version,
            id=RulebookId(root.string("id")),
            title=root.string("title"),
            organisation=root.string("organisation"),
            path=root.source,
            sources=root.strings("sources", default=()),
            note=_optional_text(root, "note"),
            params=tuple(self.params.values()),
            bodies=tuple(bodies.values()),
            thresholds=tuple(thresholds.values()),
            motions=tuple(motions.values()),
            processes=tuple(processes.values()),
            voter_classes=tuple(voter_classes.values()),
            electorate=electorate,
            ballots=tuple(ballots.values()),
            principal_ballot=principal,
        )
        root.finish(_TOP)
        return rulebook

    # -- params ---------------------------------------------------------------------------
    def _param(self, name: str, node: Node) -> Param:
        node.only(_PARAM_KEYS)
        kind: ParamKind = _enum(node, "kind", ParamKind)
        alternatives_node = node.table("alternatives")
        alternatives: list[tuple[str, str]] = []
        for value in alternatives_node.data:
            note = alternatives_node.string(value)
            self._check_param_value(alternatives_node, value, kind)
            alternatives.append((value, note))
        alternatives_node.finish()
        if len(alternatives) < 2:
            node.fail("alternatives", "a disputed clause needs at least two readings")
        default = node.string("default")
        if default not in dict(alternatives):
            node.fail(
                "default",
                f"expected one of the alternatives ({', '.join(v for v, _ in alternatives)}), "
                f"got {default!r}",
            )
        param = Param(
            id=name,
            title=node.string("title"),
            kind=kind,
            default=default,
            alternatives=tuple(alternatives),
            clause=_clause(node),
            note=_optional_text(node, "note"),
        )
        node.finish(_PARAM_KEYS)
        return param

    @staticmethod
    def _check_param_value(node: Node, value: str, kind: ParamKind) -> None:
        enums: dict[ParamKind, Any] = {
            ParamKind.ROUNDING: Rounding,
            ParamKind.INCUMBENT: IncumbentEntry,
        }
        if kind in enums:
            allowed = [member.value for member in enums[kind]]
            if value not in allowed:
                node.fail(value, f"a {kind.value} reading must be one of {', '.join(allowed)}")
        elif kind is ParamKind.DATE and value != "none":
            try:
                date.fromisoformat(value)
            except ValueError:
                node.fail(value, f"a date reading must be an ISO date or 'none', got {value!r}")

    def _ref_or(self, node: Node, key: str, kind: ParamKind) -> ParamRef | None:
        """A ``{ param = "name" }`` reference, checked against the param's kind."""
        value = node.data.get(key)
        if not isinstance(value, dict):
            return None
        inner = node.table(key)
        name = inner.string("param")
        inner.finish(("param",))
        if name not in self.params:
            known = ", ".join(self.params) or "none"
            node.fail(key, f"refers to param {name!r}, which is not declared (params: {known})")
        if self.params[name].kind is not kind:
            node.fail(
                key,
                f"param {name!r} is a {self.params[name].kind.value} param; "
                f"expected a {kind.value} param here",
            )
        return ParamRef(param=name)

    # -- bodies and thresholds ------------------------------------------------------------
    def _body(self, name: str, node: Node) -> Body:
        node.only(_BODY_KEYS)
        body = Body(
            id=BodyId(name),
            title=node.string("title"),
            unit=node.string("unit"),
            clause=_clause(node),
            parts=tuple(BodyId(p) for p in node.strings("parts", default=())),
        )
        node.finish(_BODY_KEYS)
        return body

    @staticmethod
    def _check_body_parts(bodies: Mapping[str, Body], nodes: Mapping[str, Node]) -> None:
        for name, body in bodies.items():
            for part in body.parts:
                if part not in bodies:
                    nodes[name].fail(
                        "parts",
                        f"body {part!r} is not declared (bodies: {', '.join(bodies)})",
                    )
        _refuse_cycles({name: body.parts for name, body in bodies.items()}, nodes, "parts", "body")

    def _threshold(self, name: str, node: Node, bodies: Mapping[str, Body]) -> Threshold:
        node.only(_THRESHOLD_KEYS)
        kinds = [k for k in ("share", "count", "all_of", "any_of") if node.has(k)]
        if len(kinds) != 1:
            node.fail(
                None,
                "a threshold needs exactly one of 'share', 'count', 'all_of', 'any_of' "
                f"(found: {', '.join(kinds) or 'none'})",
            )
        kind = ThresholdKind(kinds[0])
        share = count = None
        of: BodyId | None = None
        parts: tuple[str, ...] = ()
        rounding: Rounding | ParamRef = Rounding.CEIL
        as_of: str | ParamRef | None = None
        if kind in (ThresholdKind.SHARE, ThresholdKind.COUNT):
            of_name = node.string("of")
            if of_name not in bodies:
                node.fail("of", f"body {of_name!r} is not declared (bodies: {', '.join(bodies)})")
            of = BodyId(of_name)
            if kind is ThresholdKind.SHARE:
                share = node.fraction("share")
                if share <= 0:
                    node.fail("share", f"a share must be above 0%, got {_percent(share)}")
                if share > 1:
                    node.fail("share", f"a share cannot be over 100%, got {_percent(share)}")
                ref = self._ref_or(node, "rounding", ParamKind.ROUNDING)
                rounding = ref if ref is not None else _enum(node, "rounding", Rounding)
            else:
                count = node.integer("count", minimum=1)
            if node.has("as_of"):
                ref = self._ref_or(node, "as_of", ParamKind.EVENT_DATE)
                as_of = ref if ref is not None else node.string("as_of")
        else:
            parts = node.strings(kind.value)
            if not parts:
                node.fail(kind.value, "expected at least one threshold id")
        threshold = Threshold(
            id=name,
            title=node.string("title"),
            kind=kind,
            clause=_clause(node),
            of=of,
            share=share,
            count=count,
            rounding=rounding,
            as_of=as_of,
            parts=parts,
            note=_optional_text(node, "note"),
        )
        node.finish(_THRESHOLD_KEYS)
        return threshold

    @staticmethod
    def _check_threshold_parts(
        thresholds: Mapping[str, Threshold], nodes: Mapping[str, Node]
    ) -> None:
        for name, threshold in thresholds.items():
            for part in threshold.parts:
                if part not in thresholds:
                    nodes[name].fail(
                        threshold.kind.value,
                        f"threshold {part!r} is not declared (thresholds: {', '.join(thresholds)})",
                    )
        graph = {name: t.parts for name, t in thresholds.items()}
        keys = {name: t.kind.value for name, t in thresholds.items()}
        _refuse_cycles(graph, nodes, keys, "threshold")

    # -- motions and processes ------------------------------------------------------------
    def _motion(self, name: str, node: Node, bodies: Mapping[str, Body]) -> Motion:
        node.only(_MOTION_KEYS)
        body = node.string("body")
        if body not in bodies:
            node.fail("body", f"body {body!r} is not declared (bodies: {', '.join(bodies)})")
        majority = node.fraction("majority") if node.has("majority") else None
        if majority is not None and not 0 < majority < 1:
            node.fail("majority", f"expected a share between 0% and 100%, got {_percent(majority)}")
        motion = Motion(
            id=name,
            title=node.string("title"),
            body=BodyId(body),
            question=_enum(node, "question", MotionQuestion),
            binding=node.boolean("binding", default=False),
            clause=_clause(node),
            on_carried=self._consequence(node.table("if_carried")),
            on_lost=self._consequence(node.table("if_lost")),
            **({"majority": majority} if majority is not None else {}),
        )
        node.finish(_MOTION_KEYS)
        return motion

    @staticmethod
    def _consequence(node: Node) -> Consequence:
        node.only(_CONSEQUENCE_KEYS)
        consequence = Consequence(
            effect=_enum(node, "effect", Effect),
            text=node.string("says"),
            clause=_clause(node),
        )
        node.finish(_CONSEQUENCE_KEYS)
        return consequence

    def _process(
        self,
        name: str,
        node: Node,
        thresholds: Mapping[str, Threshold],
        motions: Mapping[str, Motion],
        ballots: Mapping[str, Ballot],
    ) -> Process:
        node.only(_PROCESS_KEYS)
        kind: ProcessKind = _enum(node, "kind", ProcessKind)
        declared = {"nomination_threshold": thresholds, "trigger": thresholds}
        refs: dict[str, str | None] = {}
        for key, table in (*declared.items(), ("motion", motions), ("ballot", ballots)):
            if node.has(key):
                value = node.string(key)
                if value not in table:
                    node.fail(
                        key, f"{value!r} is not declared (declared: {', '.join(table) or 'none'})"
                    )
                refs[key] = value
            else:
                refs[key] = None
        incumbent: IncumbentEntry | ParamRef | None = None
        if node.has("incumbent_on_ballot"):
            if kind is not ProcessKind.CHALLENGE:
                node.fail("incumbent_on_ballot", "only a challenge process has an incumbent")
            ref = self._ref_or(node, "incumbent_on_ballot", ParamKind.INCUMBENT)
            incumbent = (
                ref if ref is not None else _enum(node, "incumbent_on_ballot", IncumbentEntry)
            )
        if kind is ProcessKind.CONFIDENCE_VOTE and refs["motion"] is None:
            node.fail(None, "a confidence_vote process needs a 'motion'")
        if kind is not ProcessKind.CONFIDENCE_VOTE and refs["nomination_threshold"] is None:
            node.fail(None, f"a {kind.value} process needs a 'nomination_threshold'")
        stages = node.strings("stages", default=())
        if len(set(stages)) != len(stages):
            node.fail("stages", "a stage is listed twice")
        process = Process(
            id=name,
            title=node.string("title"),
            kind=kind,
            clause=_clause(node),
            stages=stages,
            nomination_threshold=refs["nomination_threshold"],
            incumbent_on_ballot=incumbent,
            trigger=refs["trigger"],
            motion=refs["motion"],
            ballot=refs["ballot"],
            note=_optional_text(node, "note"),
        )
        node.finish(_PROCESS_KEYS)
        return process

    # -- voters and ballots ---------------------------------------------------------------
    def _voter_class(self, name: str, node: Node) -> VoterClass:
        node.only(_VOTER_CLASS_KEYS)
        joined_before: Any = None
        if node.has("joined_on_or_before"):
            ref = self._ref_or(node, "joined_on_or_before", ParamKind.DATE)
            joined_before = ref if ref is not None else node.day("joined_on_or_before")
        voter_class = VoterClass(
            id=name,
            title=node.string("title"),
            clause=_clause(node),
            joined_on_or_before=joined_before,
            joined_on_or_after=node.opt_day("joined_on_or_after"),
            minimum_membership_months=node.opt_integer("minimum_membership_months", minimum=1),
            dues_paid=node.boolean("dues_paid", default=False),
            minimum_age=node.opt_integer("minimum_age", minimum=1),
            note=_optional_text(node, "note"),
        )
        if (
            isinstance(voter_class.joined_on_or_before, date)
            and voter_class.joined_on_or_after is not None
            and voter_class.joined_on_or_after > voter_class.joined_on_or_before
        ):
            node.fail("joined_on_or_after", "the window opens after it closes")
        node.finish(_VOTER_CLASS_KEYS)
        return voter_class

    @staticmethod
    def _electorate(node: Node, voter_classes: Mapping[str, VoterClass]) -> Electorate:
        node.only(_ELECTORATE_KEYS)
        precedence = node.strings("precedence")
        for class_id in precedence:
            if class_id not in voter_classes:
                node.fail(
                    "precedence",
                    f"voter class {class_id!r} is not declared "
                    f"(voter classes: {', '.join(voter_classes)})",
                )
        missing = [c for c in voter_classes if c not in precedence]
        if missing or len(set(precedence)) != len(precedence):
            node.fail(
                "precedence",
                "expected every voter class exactly once, in the order that wins when a person "
                f"is listed in several (missing: {', '.join(missing) or 'none'})",
            )
        electorate = Electorate(precedence=precedence, clause=_clause(node))
        node.finish(_ELECTORATE_KEYS)
        return electorate

    def _ballot(
        self,
        name: str,
        node: Node,
        bodies: Mapping[str, Body],
        voter_classes: Mapping[str, VoterClass],
    ) -> Ballot:
        node.only(_BALLOT_KEYS)
        method: BallotMethod = _enum(node, "method", BallotMethod)
        stv_rules: StvRules | None = None
        if method is BallotMethod.STV:
            stv_rules = _enum(node, "stv_rules", StvRules)
        elif node.has("stv_rules"):
            node.fail("stv_rules", f"only an stv ballot has stv_rules (method is {method.value})")
        sections: tuple[tuple[str, Fraction], ...] = ()
        points: int | None = None
        minimum: int | None = None
        if method is BallotMethod.COLLEGE:
            if node.has("district_points"):
                points, minimum = self._district_points(node)
            else:
                sections = self._sections(node, bodies, voter_classes)
        else:
            for key in ("sections", "district_points", "full_points_minimum"):
                if node.has(key):
                    node.fail(key, f"only a college ballot has {key} (method is {method.value})")
        voters = node.string("voters", default="electorate")
        if voters != "electorate" and voters not in voter_classes and voters not in bodies:
            node.fail("voters", f"{voters!r} is neither 'electorate', a voter class, nor a body")
        seats = node.integer("seats", minimum=1)
        tiebreak: TieBreak = _enum(node, "tiebreak", TieBreak)
        forwards = node.boolean("tiebreak_forwards", default=False)
        if forwards and tiebreak is not TieBreak.PREVIOUS_ROUND:
            node.fail(
                "tiebreak_forwards",
                f"only a previous-round tie-break has a direction (tiebreak is {tiebreak.value})",
            )
        if method is not BallotMethod.STV and seats != 1 and method is not BallotMethod.PLURALITY:
            node.fail("seats", f"a {method.value} ballot fills one seat, got {seats}")
        ballot = Ballot(
            id=name,
            title=node.string("title"),
            method=method,
            seats=seats,
            tiebreak=tiebreak,
            clause=_clause(node),
            stv_rules=stv_rules,
            sections=sections,
            district_points=points,
            full_points_minimum=minimum,
            voters=voters,
            tiebreak_forwards=forwards,
            first_round_minimum=node.opt_integer("first_round_minimum", minimum=1),
            until=node.opt_integer("until", minimum=1),
            note=_optional_text(node, "note"),
        )
        node.finish(_BALLOT_KEYS)
        return ballot

    @staticmethod
    def _sections(
        node: Node, bodies: Mapping[str, Body], voter_classes: Mapping[str, VoterClass]
    ) -> tuple[tuple[str, Fraction], ...]:
        """A college's ``[sections]``: voter class or body → weight, summing to 1."""
        if node.has("full_points_minimum"):
            node.fail(
                "full_points_minimum",
                "a full-points minimum belongs to points per district (district_points), "
                "not to a college of [sections] weights",
            )
        sections_node = node.opt_table("sections")
        if sections_node is None:
            node.fail(
                None,
                "a college ballot needs a [sections] table of weights, or district_points "
                "for points per district",
            )
        sections: list[tuple[str, Fraction]] = []
        for section in sections_node.data:
            if section not in voter_classes and section not in bodies:
                sections_node.fail(section, f"{section!r} is neither a voter class nor a body")
            weight = sections_node.fraction(section)
            if not 0 < weight <= 1:
                sections_node.fail(section, "a weight must be above 0 and at most 1")
            sections.append((section, weight))
        sections_node.finish()
        total = sum(w for _, w in sections)
        if total != 1:
            node.fail("sections", f"section weights must add up to 1, they add up to {total}")
        return tuple(sections)

    @staticmethod
    def _district_points(node: Node) -> tuple[int, int | None]:
        """A college by points per district: what every district is worth, and the marked
        ballots it needs to be worth all of them (optional)."""
        if node.has("sections"):
            node.fail(
                "district_points",
                "a college ballot has either [sections] weights or district_points (every "
                "district worth the same points), not both",
            )
        points = node.raw("district_points")
        if isinstance(points, bool) or not isinstance(points, int):
            node.fail("district_points", f"expected a whole number of points, got {points!r}")
        if points < 1:
            node.fail("district_points", f"a district must be worth at least 1 point, got {points}")
        minimum: int | None = None
        if node.has("full_points_minimum"):
            minimum = node.raw("full_points_minimum")
            if isinstance(minimum, bool) or not isinstance(minimum, int):
                node.fail(
                    "full_points_minimum", f"expected a whole number of ballots, got {minimum!r}"
                )
            if minimum < 1:
                node.fail(
                    "full_points_minimum",
                    f"the full-points minimum must be at least 1 ballot, got {minimum}",
                )
        return points, minimum


def _percent(share: Any) -> str:
    value = share * 100
    return f"{value.numerator}%" if value.denominator == 1 else f"{float(value):g}%"


def _refuse_cycles(
    graph: Mapping[str, tuple[str, ...]],
    nodes: Mapping[str, Node],
    key: str | Mapping[str, str],
    what: str,
) -> None:
    """Refuse a cycle of references, naming every step of it."""
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycle = [*trail[trail.index(name) :], name]
            start = cycle[0]
            start_key = key if isinstance(key, str) else key[start]
            nodes[start].fail(start_key, f"a cycle of {what} references: {' → '.join(cycle)}")
        if name in done:
            return
        for child in graph.get(name, ()):
            visit(child, [*trail, name])
        done.add(name)

    for name in graph:
        visit(name, [])
