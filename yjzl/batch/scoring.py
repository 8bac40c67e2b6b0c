"""A province's scoring: weights and bands applied to the indicators, a composite score per submission.

The documents let each province weight and score the indicators (国卫医发〔2018〕26号:
各地可结合实际细化考核指标和评分标准). A scoring file names, per indicator, its
weight and how the value earns a share of it: the first matching band, a
straight line between two values, or the target of a target set met or not.
The format is in docs/scoring.md; examples/scoring-sample.yaml is a sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from yjzl.batch.worker import Submission
from yjzl.catalogue.compiled import Compiled
from yjzl.errors import UsageProblem
from yjzl.report import ScoreItem, ScoreResult
from yjzl.rules.indicators import OPS

_STRICT = {"extra": "forbid"}


@dataclass(frozen=True)
class Band:
    __pydantic_config__ = _STRICT
    op: Literal[">=", ">", "<=", "<", "=="]
    value: float
    share: float  # of the weight, 0–1


@dataclass(frozen=True)
class Linear:
    __pydantic_config__ = _STRICT
    zero: float  # the value that earns nothing
    full: float  # the value that earns the whole weight (below `zero` for "lower is better")


@dataclass(frozen=True)
class Item:
    __pydantic_config__ = _STRICT
    indicator: str
    weight: float
    bands: list[Band] = field(default_factory=list)
    linear: Linear | None = None
    target: str | None = None  # a target set: the whole weight when its target is met


@dataclass(frozen=True)
class Meta:
    __pydantic_config__ = _STRICT
    id: str
    name: str
    source: str | None = None
    missing: Literal["zero", "exclude"] = "zero"  # an indicator with no value: 0 points, or out of the maximum


@dataclass(frozen=True)
class Scheme:
    __pydantic_config__ = _STRICT
    scoring: Meta
    items: list[Item]


def load(path: Path, cat: Compiled) -> Scheme:
    import yaml
    from pydantic import TypeAdapter, ValidationError

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageProblem(f"{path}: 无法读取评分文件 / cannot read the scoring file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UsageProblem(f"{path}: 评分文件应为 UTF-8 编码的 YAML / the scoring file must be YAML in UTF-8") from exc
    except yaml.YAMLError as exc:
        raise UsageProblem(f"{path}: YAML 语法错误 / YAML syntax error: {exc}") from exc
    try:
        scheme = TypeAdapter(Scheme).validate_python(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise UsageProblem(f"{path}: {where}: {first['msg']}（评分文件格式见 docs/scoring.md / see docs/scoring.md）") from exc
    for n, item in enumerate(scheme.items):
        where = f"{path}: items[{n}] {item.indicator}"
        if item.indicator not in cat.indicators:
            raise UsageProblem(f"{where}: 目录中没有这个指标 / no such indicator (yjzl catalogue list --kind indicator)")
        if sum((bool(item.bands), item.linear is not None, item.target is not None)) != 1:
            raise UsageProblem(f"{where}: 须且只能给出 bands、linear、target 之一 / give exactly one of bands, linear, target")
        if item.weight < 0 or any(not 0 <= b.share <= 1 for b in item.bands):
            raise UsageProblem(f"{where}: 权重不能为负，share 应在 0–1 / weight ≥ 0 and share within 0–1")
        if item.linear and item.linear.zero == item.linear.full:
            raise UsageProblem(f"{where}: linear 的 zero 与 full 不能相同 / linear zero and full must differ")
    return scheme


def _share(item: Item, value: float, targets_met: dict[str, bool | None], lang: str) -> tuple[float, str]:
    if item.bands:
        for b in item.bands:
            if OPS[b.op](value, b.value):
                return b.share, f"{b.op} {b.value:g}"
        return 0.0, "—"
    if item.linear:
        z, f = item.linear.zero, item.linear.full
        share = min(1.0, max(0.0, (value - z) / (f - z)))
        return share, f"{z:g}→{f:g}"
    met = targets_met.get(item.target or "")
    word = ("达标" if met else "未达标") if lang == "zh" else ("met" if met else "not met")
    return (1.0 if met else 0.0), f"{item.target}: {word}"


def score(scheme: Scheme, subs: list[Submission], cat: Compiled, lang: str) -> list[ScoreResult]:
    out = []
    for s in subs:
        by_id = {r.id: r for r in s.indicators}
        items, total, maximum = [], 0.0, 0.0
        for item in scheme.items:
            r = by_id.get(item.indicator)
            if r is None:
                continue  # not an indicator of this form
            name = r.name
            if r.value is None:
                if scheme.scoring.missing == "zero":
                    maximum += item.weight
                    items.append(ScoreItem(item.indicator, name, item.weight, None, 0.0, r.status))
                continue
            share, band = _share(item, r.value, {t.set: t.met for t in r.targets}, lang)
            points = round(item.weight * share, 4)
            total += points
            maximum += item.weight
            items.append(ScoreItem(item.indicator, name, item.weight, r.value, points, band))
        if items:
            out.append(ScoreResult(s.file, s.found.sheet, s.found.code, s.found.name, scheme.scoring.id,
                                   round(total, 4), round(maximum, 4), items))
    return out
