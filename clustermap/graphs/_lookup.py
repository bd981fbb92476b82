"""Fast lookups of text ids, with Arrow's hash tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["positions"]


def positions(index: pd.Index, values: pd.Series | pd.Index) -> np.ndarray:
    """Position of each of ``values`` in ``index`` (-1 when absent), as int64.

    Arrow's hash lookup is two to three times faster than
    :meth:`pandas.Index.get_indexer` on millions of text ids.

    Examples
    --------
    >>> import pandas as pd
    >>> positions(pd.Index(["a", "b"]), pd.Series(["b", "z", "a"])).tolist()
    [1, -1, 0]
    """
    found = pc.index_in(_arrow_text(values), value_set=_arrow_text(index))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _arrow_text(values: pd.Series | pd.Index) -> pa.Array:
    """``values`` as an Arrow string array (zero-copy when already Arrow-backed)."""
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        return pa.array(array).cast(pa.string())
    return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
