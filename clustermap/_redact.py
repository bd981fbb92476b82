"""What leaves in an export: chosen columns, and actors replaced by pseudonyms.

Every writer takes ``columns=`` (which columns are written) and
``anonymize=`` (``False``: as they are; ``True``: names replaced by ids; a
salt of at least 8 characters: ids *and* names replaced by stable salted
pseudonyms from :func:`clustermap._anonymize.pseudonyms`; the salt is never
written). The rules that say which cells hold actors:

- ids: an index level or a text column whose name, or its last word, is
  ``id``, ``source``, ``target``, ``actor``, ``buyer``, ``supplier``,
  ``customer``, ``client``, ``seller``, ``broker``, ``partner``, ``member``,
  ``node`` or ``neighbour`` (so ``largest_customer``, ``nearest_source``,
  ``firm_id``); an unnamed text index of a table that has a ``name`` column;
- chains of ids (``"a > b > c"``): columns ``path`` and ``intermediaries``;
- names: ``name`` (the row's actor), ``<x>_name`` where ``<x>`` is an id
  column (``source_name``, ``largest_supplier_name``), ``path_names``.
  ``sector_name``, ``region_name`` and other ``_name`` columns of things
  that are not actors are left alone;
- lists of names (``"A; B; C"``): ``top_members`` and ``institutions_present``
  of community profiles, each name replaced as its actor's row is (the
  name -> id pairs are learnt from the tables written together); a name no
  table pairs with an id gets a pseudonym of its own (salted) or is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from clustermap._anonymize import pseudonyms
from clustermap.errors import ConfigError

__all__ = ["Redactor", "check_anonymize", "select_columns"]

#: A column holds actor ids when its name, or the last word of it
#: (``largest_customer``, ``nearest_source``), is one of these.
ID_WORDS = frozenset(
    {
        "id",
        "source",
        "target",
        "actor",
        "buyer",
        "supplier",
        "customer",
        "client",
        "seller",
        "broker",
        "partner",
        "member",
        "node",
        "neighbour",
        "neighbor",
    }
)
CHAIN_COLUMNS = frozenset({"path", "intermediaries"})
#: Columns that list actor *names* separated by "; " (community profiles).
NAME_LIST_COLUMNS = frozenset({"top_members", "institutions_present", "members_named"})
_CHAIN = " > "
_LIST = "; "
_WITHHELD = "(withheld)"


def check_anonymize(anonymize: Any) -> bool | str:
    """Validate an ``anonymize=`` value: ``False``, ``True`` or a salt of 8+ characters."""
    if isinstance(anonymize, bool):
        return anonymize
    if isinstance(anonymize, str):
        pseudonyms([], anonymize)  # raises ConfigError for a short salt
        return anonymize
    msg = (
        "`anonymize` must be False, True (names replaced by ids) or a salt of at least 8 "
        f"characters (ids and names replaced by pseudonyms), not {type(anonymize).__name__}"
    )
    raise ConfigError(msg)


def select_columns(
    tables: Sequence[pd.DataFrame], columns: Sequence[str] | None
) -> list[pd.DataFrame]:
    """Keep only ``columns`` (in that order) of each table; every name must be in some table.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"name": ["A"], "kind": ["firm"], "score": [1.0]})
    >>> select_columns([t], ["score", "name"])[0].columns.tolist()
    ['score', 'name']
    """
    if columns is None:
        return list(tables)
    if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
        msg = "`columns` must be a list of column names, e.g. columns=['name', 'kind']"
        raise ConfigError(msg)
    found = {str(c) for t in tables for c in t.columns}
    unknown = [c for c in columns if c not in found]
    if unknown:
        msg = f"`columns` names {unknown} which the result does not have; it has {sorted(found)}"
        raise ConfigError(msg)
    out = []
    for table in tables:
        kept = [c for c in table.columns if str(c) in set(columns)]
        kept.sort(key=lambda c: list(columns).index(str(c)))
        frame = table[kept]
        frame.attrs = dict(table.attrs)
        out.append(frame)
    return out


def _is_text(values: pd.Series | pd.Index) -> bool:
    return pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _id_column(name: Any) -> bool:
    return isinstance(name, str) and name.rsplit("_", 1)[-1] in ID_WORDS


class Redactor:
    """Replace actors by ids or pseudonyms in tables, records and graphs written together.

    One redactor serves every table of one export, so an actor gets the same
    pseudonym on every sheet. ``known`` ids (the network's, when a command
    has it) make pseudonyms identical across files written from one network.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"name": ["Acme"]}, index=pd.Index(["F1"], name="id"))
    >>> r = Redactor("a long secret")
    >>> out = r.table(t)
    >>> out.index[0] == out["name"].iloc[0] != "F1"
    True
    >>> Redactor(True).table(t)["name"].tolist()
    ['F1']
    """

    def __init__(self, anonymize: bool | str, known: Iterable[object] | None = None) -> None:
        self.mode = check_anonymize(anonymize)
        self._map: pd.Series = pd.Series(dtype=object)
        self._lookup: dict[str, str] = {}
        self._name_ids: dict[str, str] = {}
        if isinstance(self.mode, str) and known is not None:
            self._add(pd.Index(pd.Series(list(known), dtype=object).astype(str)))

    @property
    def active(self) -> bool:
        """Whether anything is replaced."""
        return self.mode is not False

    @property
    def salted(self) -> bool:
        """Whether ids are replaced too (a salt was given)."""
        return isinstance(self.mode, str)

    def _add(self, ids: pd.Index) -> None:
        new = ids.difference(self._map.index)
        if len(new) and isinstance(self.mode, str):
            everyone = self._map.index.append(new)
            self._map = pseudonyms(everyone, self.mode)
            self._lookup = {str(k): str(v) for k, v in self._map.items()}

    def ids(self, values: Iterable[object]) -> list[Any]:
        """Map ids to pseudonyms (unchanged without a salt); missing values stay missing."""
        items = list(values)
        if not self.salted:
            return items
        given = [isinstance(v, str) or not _missing(v) for v in items]
        present = [str(v) for v, ok in zip(items, given, strict=True) if ok]
        self._add(pd.Index(pd.unique(pd.Series(present, dtype=object))))
        lookup = self._lookup
        return [lookup[str(v)] if ok else v for v, ok in zip(items, given, strict=True)]

    def learn(self, tables: Iterable[pd.DataFrame]) -> None:
        """Remember which id each actor name belongs to, from the tables about to be written.

        Lists of names (a community's ``top_members``) can then be replaced by
        the same pseudonyms (or ids) as the actors' own rows.
        """
        for table in tables:
            pairs: list[tuple[Any, Any]] = []
            if "name" in table.columns:
                if "id" in table.columns:
                    pairs += zip(table["id"], table["name"], strict=True)
                elif table.index.nlevels == 1 and _is_text(table.index):
                    pairs += zip(table.index, table["name"], strict=True)
            for col in table.columns:
                name_col = f"{col}_name"
                if _id_column(col) and name_col in table.columns:
                    pairs += zip(table[col], table[name_col], strict=True)
            for actor, name in pairs:
                if isinstance(name, str) and not _missing(actor):
                    self._name_ids.setdefault(name, str(actor))

    def _name_list(self, values: pd.Series) -> pd.Series:
        def one(name: str) -> str:
            actor = self._name_ids.get(name)
            if actor is None:
                return self.ids(["name:" + name])[0] if self.salted else _WITHHELD
            return self.ids([actor])[0]

        def cell(text: Any) -> Any:
            if not isinstance(text, str) or text == "":
                return text
            return _LIST.join(one(n) for n in text.split(_LIST))

        return values.map(cell, na_action="ignore")

    def _chain(self, values: pd.Series) -> pd.Series:
        def one(text: Any) -> Any:
            if not isinstance(text, str):
                return text
            if text == "":
                return text
            return _CHAIN.join(self.ids(text.split(_CHAIN)))

        return values.map(one, na_action="ignore") if self.salted else values

    def table(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with its actors replaced (``df`` itself when not anonymising)."""
        if not self.active:
            return df
        out = df.copy()
        index = out.index
        row_ids: list[Any] | None = None
        levels = [
            i
            for i, name in enumerate(index.names)
            if _is_text(index.get_level_values(i))
            and (_id_column(name) or (name is None and index.nlevels == 1 and "name" in out))
        ]
        if index.nlevels == 1 and levels:
            row_ids = list(index)
        if "id" in out.columns and _is_text(out["id"]):
            row_ids = out["id"].tolist()
        mapped_ids: dict[str, list[Any]] = {}
        for col in out.columns:
            if _id_column(col) and _is_text(out[col]):
                mapped_ids[str(col)] = out[col].tolist()
        # names first, from the ids as they are
        for col in list(out.columns):
            if col == "name":
                source = row_ids
            elif isinstance(col, str) and col.endswith("_name") and col[:-5] in mapped_ids:
                source = mapped_ids[col[:-5]]
            elif col == "path_names" and "path" in out.columns:
                out[col] = out["path"]
                continue
            else:
                continue
            if source is None:
                out[col] = self.ids(out[col].tolist()) if self.salted else None
            else:
                out[col] = pd.Series(self.ids(source), index=out.index, dtype=object)
        for col in mapped_ids:
            out[col] = pd.Series(self.ids(out[col].tolist()), index=out.index, dtype=object)
        for col in out.columns:
            if col in CHAIN_COLUMNS or col == "path_names":
                out[col] = self._chain(out[col])
            elif col in NAME_LIST_COLUMNS and _is_text(out[col]):
                if not self._name_ids:
                    self.learn([df])
                out[col] = self._name_list(out[col])
        if self.salted and levels:
            if isinstance(index, pd.MultiIndex):
                arrays = [
                    self.ids(index.get_level_values(i))
                    if i in levels
                    else index.get_level_values(i)
                    for i in range(index.nlevels)
                ]
                out.index = pd.MultiIndex.from_arrays(arrays, names=index.names)
            else:
                out.index = pd.Index(self.ids(index), name=index.name, dtype=object)
        out.attrs = dict(df.attrs)
        return out

    def record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """A provenance record saying the output is pseudonymised, ids in it replaced."""
        out = dict(record)
        if not self.active:
            return out
        if self.salted:
            lookup = self._lookup

            def walk(value: Any) -> Any:
                if isinstance(value, str):
                    return lookup.get(value, value)
                if isinstance(value, Mapping):
                    return {k: walk(v) for k, v in value.items()}
                if isinstance(value, list | tuple):
                    return [walk(v) for v in value]
                return value

            out = {k: (v if k == "inputs" else walk(v)) for k, v in out.items()}
            out["anonymized"] = (
                "actor ids and names replaced by salted pseudonyms (HMAC-SHA-256); "
                "the salt is not stored"
            )
        else:
            out["anonymized"] = "actor names replaced by ids"
        return out

    def json(self, value: Any) -> Any:
        """A JSON document (parsed) with its actors replaced, by the same column rules."""
        if not self.active:
            return value
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "meta" and isinstance(item, dict):
                out[key] = item
            elif (_id_column(key) or key == "members") and self.salted:
                if isinstance(item, list):
                    out[key] = self.ids(item)
                elif isinstance(item, str):
                    out[key] = self.ids([item])[0]
                else:
                    out[key] = item
            else:
                out[key] = self.json(item)
        if "name" in value and "id" in value:
            out["name"] = out["id"]
        return out
