"""Scottish STV: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Sch. 1.

- Quota (rule 46): valid ballot papers ÷ (seats + 1), ignoring decimals, plus one.
- Election (rule 47): a candidate whose votes equal or exceed the quota is elected.
- Surplus transfer (rules 48–49): the largest surplus first; every ballot paper the candidate
  holds passes on with transfer value ``surplus × value of the paper ÷ candidate's total``,
  "calculated to five decimal places (any remainder being ignored)". Equal surpluses: the
  candidate with more votes at the most recent stage at which they differed, then lot.
- Exclusion (rules 50–51): the candidate with the fewest votes; ties by the most recent stage
  at which the tied candidates differed, then lot. Papers pass on at their current value.
- Last vacancies (rule 52): when continuing candidates equal the vacancies they are elected.
"""

from __future__ import annotations

from mandate.counting.stv.arithmetic import FixedPoint, IntArray, muldiv_down
from mandate.counting.stv.gregory import GregoryRule

__all__ = ["SCOTTISH"]


def _quota(fixed: FixedPoint, valid: int, seats: int) -> int:
    return fixed.from_int(valid // (seats + 1) + 1)


def _new_weights(fixed: FixedPoint, weights: IntArray, surplus: int, total: int) -> IntArray:
    # surplus × value ÷ total in one step, remainder ignored (r. 48(3)).
    return muldiv_down(weights, surplus, total)


SCOTTISH = GregoryRule(
    name="scottish",
    places=5,
    quota=_quota,
    new_weights=_new_weights,
    look_back=True,
    zero_surplus_is_a_stage=False,
)
