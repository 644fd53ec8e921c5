"""Likely duplicate parts across sites that no equivalence links yet.

Each part id is described by one text, its manufacturer, MPN and description,
lower-cased. Parts are *blocked* by the first word of three or more letters of
their description (of the text, without one), so only parts of one kind are
compared, and each block is scored at once with rapidfuzz's token-set ratio
(0-100). Where both parts have an MPN the score is capped by the similarity of the
normalised MPNs, and where both descriptions hold digits by the similarity of
their digits, so "bearing 6205" and "bearing 6206" do not pass as one part.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from spareplan.multisite.decisions import Decisions, pair_key
from spareplan.multisite.equivalence import Equivalence

__all__ = ["DUPLICATE_COLUMNS", "likely_duplicates"]

DUPLICATE_COLUMNS = (
    "part_id_a",
    "part_id_b",
    "score",
    "decision",
    "sites_a",
    "sites_b",
    "manufacturer_a",
    "manufacturer_b",
    "manufacturer_part_number_a",
    "manufacturer_part_number_b",
    "description_a",
    "description_b",
    "group_id_a",
    "group_id_b",
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_DIGITS = re.compile(r"\d+")
# Rows of a block scored at once: bounds the score matrix at this x block size.
_ROWS_PER_BATCH = 2048


def likely_duplicates(
    attributes: pl.DataFrame,
    equivalence: Equivalence,
    decisions: Decisions | None = None,
    *,
    score_cutoff: float = 85.0,
) -> pl.DataFrame:
    """Pairs of part ids in different groups whose texts nearly match.

    Parameters
    ----------
    attributes : polars.DataFrame
        From :func:`~spareplan.multisite.equivalence.read_part_attributes`.
    equivalence : Equivalence
        Current groups (with confirmed decisions already applied); pairs in one
        group are not proposed.
    decisions : Decisions, optional
        Rejected pairs are never proposed again.
    score_cutoff : float, default 85
        Lowest score (0-100) reported.

    Returns
    -------
    polars.DataFrame
        ``DUPLICATE_COLUMNS``, best score first, with an empty ``decision`` for the
        planner to fill.
    """
    parts = _one_row_per_part(attributes, equivalence)
    rejected = (decisions or Decisions.none()).rejected_keys()
    found: list[tuple[int, int, float]] = []
    for block in parts.partition_by("block", include_key=False):
        found += _score_block(block, score_cutoff)
    if not found:
        return pl.DataFrame(schema=dict.fromkeys(DUPLICATE_COLUMNS, pl.String)).cast(
            {"score": pl.Float64}
        )
    index_a, index_b, score = (np.array(column) for column in zip(*found, strict=True))
    left = parts[index_a].select(pl.all().name.suffix("_a"))
    right = parts[index_b].select(pl.all().name.suffix("_b"))
    pairs = pl.concat([left, right], how="horizontal").with_columns(
        score=pl.Series(score).round(1), decision=pl.lit("", dtype=pl.String)
    )
    keys = [pair_key(a, b) for a, b in pairs.select("part_id_a", "part_id_b").rows()]
    pairs = pairs.filter(
        (pl.col("group_id_a") != pl.col("group_id_b"))
        & ~pl.Series(keys).is_in(sorted(rejected))
    )
    return pairs.select(DUPLICATE_COLUMNS).sort(
        ["score", "part_id_a", "part_id_b"], descending=[True, False, False]
    )


def _one_row_per_part(
    attributes: pl.DataFrame, equivalence: Equivalence
) -> pl.DataFrame:
    """First non-empty attribute of each part id, its sites, text and block."""
    texts = ("manufacturer", "manufacturer_part_number", "description")
    parts = (
        attributes.group_by("part_id", maintain_order=True)
        .agg(
            *(pl.col(c).drop_nulls().first() for c in (*texts, "mpn_normalised")),
            sites=pl.col("site_id").drop_nulls().unique().sort().str.join(" "),
        )
        .join(
            equivalence.groups.select("part_id", "group_id"), on="part_id", how="left"
        )
        .with_columns(group_id=pl.col("group_id").fill_null(pl.col("part_id")))
    )
    text = pl.concat_str(
        [pl.col(c).fill_null("") for c in texts], separator=" "
    ).str.to_lowercase()
    parts = parts.with_columns(text=text.str.strip_chars())
    first_words = [
        _block_key(description, full)
        for description, full in parts.select("description", "text").rows()
    ]
    return parts.with_columns(
        block=pl.Series(first_words, dtype=pl.String)
    ).with_row_index("position")


def _block_key(description: str | None, text: str) -> str:
    for source in (description or "", text):
        match = _WORD.search(source.lower())
        if match:
            return match.group(0)
    return ""


def _score_block(block: pl.DataFrame, cutoff: float) -> list[tuple[int, int, float]]:
    """(row a, row b, score) of every pair in the block at or above ``cutoff``."""
    if block.height < 2:
        return []
    texts = block["text"].to_list()
    mpns = block["mpn_normalised"].to_list()
    positions = block["position"].to_numpy()
    digits = [
        "".join(_DIGITS.findall(description or ""))
        for description in block["description"].to_list()
    ]
    found = []
    for start in range(0, len(texts), _ROWS_PER_BATCH):
        scores = process.cdist(
            texts[start : start + _ROWS_PER_BATCH],
            texts,
            scorer=fuzz.token_set_ratio,
            score_cutoff=cutoff,
            workers=-1,
        )
        rows, columns = np.nonzero(scores)
        rows = rows + start
        keep = columns > rows
        for a, b in zip(rows[keep], columns[keep], strict=True):
            score = float(scores[a - start, b])
            if mpns[a] and mpns[b]:
                score = min(score, fuzz.ratio(mpns[a], mpns[b]))
            if digits[a] and digits[b]:
                score = min(score, fuzz.ratio(digits[a], digits[b]))
            if score >= cutoff:
                found.append((int(positions[a]), int(positions[b]), score))
    return found
