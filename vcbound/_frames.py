"""pandas exports of results and tables (internal; pandas is imported only here, on first use).

Every numeric column has a numeric dtype: exact integers that fit int64 stay ``int64``; big
numbers become a float column (rounded in their direction; NaN beyond the double range) with a
``log10`` column beside it (float, rounded in the same direction), so nothing astronomically large
is ever stored as an object. See the vcbound docs §pandas export.
"""

import math

__all__ = ["result_frame", "table_frame", "require_pandas"]


def require_pandas():
    """Import pandas or raise a VCBoundError saying how to install it."""
    try:
        import pandas
    except ImportError:
        from .errors import VCBoundError

        raise VCBoundError("to_pandas() needs pandas: pip install \"vcbound[pandas]\".") from None
    return pandas


def _is_big(v):
    from ._numbers import BigNumber

    return isinstance(v, BigNumber)


def number_of(v):
    """``(float or NaN, log10 float or NaN, bound or None)`` for one value."""
    from fractions import Fraction

    from ._numbers import BigNumber, Real, directed_float

    nan = math.nan
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return nan, nan, None
    if isinstance(v, BigNumber):
        try:
            f = float(v)
        except ValueError:
            f = nan
        lg = v.log10 if not (v.exact is not None and v.exact <= 0) else (
            -math.inf if v.exact == 0 else nan)
        if math.isinf(lg) and lg > 0 or abs(lg) >= 1.7e308:
            lg = nan
        return f, lg, v.bound or "exact"
    if isinstance(v, Real):
        f = float(v)
        return (f if math.isfinite(f) else nan), nan, v.bound
    if isinstance(v, (int, Fraction, float)) or type(v).__name__ == "mpf":
        try:
            f = directed_float(v, None)
        except (TypeError, ValueError):
            return nan, nan, None
        return (f if math.isfinite(f) else nan), nan, None
    return nan, nan, None


def result_frame(result):
    """Long form of one result: one row per quantity."""
    pd = require_pandas()
    from ._result import text_value

    records = []
    for key, label, value, meaning in result._rows4():
        f, lg, bound = number_of(value)
        records.append({"key": key, "quantity": label, "value": text_value(value),
                        "number": f, "log10": lg, "bound": bound, "meaning": meaning})
    frame = pd.DataFrame.from_records(
        records, columns=["key", "quantity", "value", "number", "log10", "bound", "meaning"])
    return frame.astype({"number": "float64", "log10": "float64"})


def table_frame(columns, rows, key_columns=()):
    """Wide form of a table: its columns, big-number columns as float plus ``log10 <col>``.

    Columns whose values are all exact ints fitting int64 are ``int64``; all-float/Fraction
    columns ``float64``; text columns ``object``."""
    pd = require_pandas()
    from fractions import Fraction

    data = {}
    for j, name in enumerate(columns):
        values = [row[j] for row in rows]
        if any(_is_big(v) for v in values):
            nums = [number_of(v) for v in values]
            ints = [v.exact if _is_big(v) and v.exact is not None and isinstance(v.exact, int)
                    and abs(v.exact) < 2**63 else None for v in values]
            if all(i is not None for i in ints):
                data[name] = pd.Series(ints, dtype="int64")
            else:
                data[name] = pd.Series([n[0] for n in nums], dtype="float64")
            data[f"log10 {name}"] = pd.Series([n[1] for n in nums], dtype="float64")
        elif all(isinstance(v, int) and not isinstance(v, bool) and abs(v) < 2**63
                 for v in values) and values:
            data[name] = pd.Series(values, dtype="int64")
        elif all(v is None or (isinstance(v, (int, float, Fraction)) and not isinstance(v, bool))
                 for v in values):
            data[name] = pd.Series([math.nan if v is None else float(v) for v in values],
                                   dtype="float64")
        else:
            data[name] = pd.Series([None if v is None else str(v) for v in values],
                                   dtype="object")
    return pd.DataFrame(data)
