"""Issue 11 §7: organisation-code check digits, twins named by their places, clean labels, twins' units."""

from __future__ import annotations

import pytest

from tests.issue11 import audit, by_check
from yjzl.rules.orgcode import org_check_digit, wrong_check_digit


@pytest.mark.parametrize(("code", "expected"), [
    ("91350100M000100Y43", None),  # a valid 统一社会信用代码 (GB 32100; python-stdnum's example)
    ("91350100M000100Y44", ("3", "GB 32100")),  # last character changed
    ("D2143569-X", None),  # GB 11714's own example 组织机构代码
    ("D2143569-1", ("X", "GB 11714")),
    ("12345678-9", ("8", "GB 11714")),  # 3·1+7·2+9·3+10·4+5·5+8·6+4·7+2·8 = 201; 201 mod 11 = 3; 11 − 3 = 8
    ("某某医院", None), ("1234", None),  # not shaped like either code: not judged
])
def test_check_digits(code: str, expected) -> None:
    assert wrong_check_digit(code) == expected


def test_gb11714_special_values() -> None:
    # 11 − (Σ mod 11): 10 is written X, 11 is written 0
    assert org_check_digit("00000000") == "0"  # Σ = 0 → 11 → 0
    assert org_check_digit("D2143569") == "X"


def test_a_wrong_check_digit_is_a_warning_at_its_cell(cat, tmp_path) -> None:
    # S004 表3 基本信息 "医院组织机构代码"
    found, cells = audit(tmp_path, cat, "T3", {"hospital_name": "某市第一人民医院", "org_code": "12440700456789012X"})
    hit = [f for f in found if f.code == "YJ014"]
    expected = wrong_check_digit("12440700456789012X")[0]
    assert len(hit) == 1 and hit[0].severity == "warning" and hit[0].cells == [cells["org_code"]]
    assert hit[0].message == f"「医院组织机构代码」“12440700456789012X”的校验位不对：按 GB 32100 最后一位应为 {expected}，请核对代码"
    found, _ = audit(tmp_path, cat, "T4M", {"org_code": "91350100M000100Y43"}, name="ok.xlsx")
    assert [f for f in found if f.code == "YJ014"] == []
    assert by_check(found, "org-code-check-digit") == []
