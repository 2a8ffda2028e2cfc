"""number_next / number_peek / format_number in one process, with hypothesis properties."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congso.kernel.errors import DomainError
from congso.kernel.numbering.models import Sequence
from congso.kernel.numbering.services import format_number, number_next, number_peek

KEYS = [
    ("unit:1:arrival", "arrival", 2025),
    ("unit:1:arrival", "arrival", 2026),
    ("unit:1", "outgoing:QĐ", 2026),
    ("unit:1", "outgoing:CV", 2026),
    ("unit:2", "outgoing:QĐ", 2026),
    ("unit:2", "dossier:260521", 2026),
]
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class _Rollback(Exception):
    pass


@contextmanager
def _undone() -> Iterator[None]:
    """Runs a hypothesis example in a savepoint that is rolled back, so examples are separate."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def _key(k: tuple[str, str, int]) -> dict[str, object]:
    return {"scope": k[0], "series": k[1], "year": k[2]}


def _next(k: tuple[str, str, int]) -> int:
    return number_next(scope=k[0], series=k[1], year=k[2])


@pytest.mark.django_db
def test_numbers_start_at_one_and_follow_each_other() -> None:
    key = KEYS[0]
    with transaction.atomic():
        assert [_next(key) for _ in range(3)] == [1, 2, 3]
    assert Sequence.objects.get(scope=key[0], series=key[1], year=key[2]).last == 3


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_again() -> None:
    key = KEYS[2]
    with transaction.atomic():
        assert _next(key) == 1
    with pytest.raises(_Rollback), transaction.atomic():
        assert _next(key) == 2
        raise _Rollback
    with transaction.atomic():
        assert _next(key) == 2


@pytest.mark.django_db
def test_new_year_restarts_at_one() -> None:
    with transaction.atomic():
        for _ in range(5):
            number_next(scope="unit:7:arrival", series="arrival", year=2025)
        assert number_next(scope="unit:7:arrival", series="arrival", year=2026) == 1
        assert number_next(scope="unit:7:arrival", series="arrival", year=2025) == 6


@pytest.mark.django_db
def test_peek_shows_the_next_number_without_taking_it() -> None:
    key = KEYS[3]
    assert number_peek(**_key(key)) == 1  # type: ignore[arg-type]
    with transaction.atomic():
        _next(key)
        _next(key)
    assert number_peek(**_key(key)) == 3  # type: ignore[arg-type]
    assert number_peek(**_key(key)) == 3  # type: ignore[arg-type]
    with transaction.atomic():
        assert _next(key) == 3


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused() -> None:
    with pytest.raises(TransactionManagementError):
        number_next(scope="unit:1", series="outgoing:QĐ", year=2026)
    assert not Sequence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "series", "year"),
    [
        ("", "arrival", 2026),
        ("unit:1", " ", 2026),
        ("unit:1", "arrival", 26),
        ("x" * 101, "a", 2026),
        ("unit:\x00", "arrival", 2026),
        ("unit:1", "arrival\n", 2026),
    ],
)
def test_bad_keys_are_refused(scope: str, series: str, year: int) -> None:
    with pytest.raises(DomainError) as err, transaction.atomic():
        number_next(scope=scope, series=series, year=year)
    assert err.value.code == "invalid_sequence"


@pytest.mark.django_db
def test_decomposed_series_name_is_the_same_series() -> None:
    nfc, nfd = "outgoing:QĐ-UBND Hòa", unicodedata.normalize("NFD", "outgoing:QĐ-UBND Hòa")
    assert nfc != nfd
    with transaction.atomic():
        assert number_next(scope="unit:1", series=nfc, year=2026) == 1
        assert number_next(scope="unit:1", series=nfd, year=2026) == 2
    assert Sequence.objects.get().series == nfc


@pytest.mark.parametrize(
    ("n", "width", "text"),
    [(1, 2, "01"), (5, 2, "05"), (10, 2, "10"), (123, 2, "123"), (7, 3, "007")],
)
def test_format_number(n: int, width: int, text: str) -> None:
    assert format_number(n, width) == text


def test_format_number_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        format_number(-1)


@pytest.mark.django_db
@HYPOTHESIS
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(KEYS), st.sampled_from(["commit", "rollback", "nested"])),
        max_size=40,
    )
)
def test_any_mix_of_commits_and_rollbacks_leaves_contiguous_independent_sequences(
    steps: list[tuple[tuple[str, str, int], str]],
) -> None:
    with _undone():
        committed: Counter[tuple[str, str, int]] = Counter()
        for key, outcome in steps:
            if outcome == "commit":
                with transaction.atomic():
                    n = _next(key)
                committed[key] += 1
            elif outcome == "rollback":
                with pytest.raises(_Rollback), transaction.atomic():
                    n = _next(key)
                    raise _Rollback
            else:  # a savepoint takes a number and rolls back; the outer block then commits one
                with transaction.atomic():
                    with pytest.raises(_Rollback), transaction.atomic():
                        assert _next(key) == committed[key] + 1
                        raise _Rollback
                    n = _next(key)
                committed[key] += 1
            # Every number taken is the one after the last committed number of *its* sequence.
            assert n == committed[key] + (0 if outcome != "rollback" else 1)
        rows = {(s.scope, s.series, s.year): s.last for s in Sequence.objects.all()}
        for key in KEYS:
            assert rows.get(key, 0) == committed[key]
            assert number_peek(**_key(key)) == committed[key] + 1  # type: ignore[arg-type]


@pytest.mark.django_db
@HYPOTHESIS
@given(
    year=st.integers(min_value=2000, max_value=2100),
    taken=st.integers(min_value=1, max_value=12),
    scopes=st.lists(
        st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=20)
        .map(lambda s: unicodedata.normalize("NFC", s))
        .filter(str.strip),
        min_size=2,
        max_size=4,
        unique=True,
    ),
)
def test_each_scope_and_year_counts_on_its_own(year: int, taken: int, scopes: list[str]) -> None:
    with _undone(), transaction.atomic():
        for i, scope in enumerate(scopes):
            got = [number_next(scope=scope, series="arrival", year=year) for _ in range(taken + i)]
            assert got == list(range(1, taken + i + 1))
        for i, scope in enumerate(scopes):
            assert number_next(scope=scope, series="arrival", year=year + 1) == 1
            assert number_next(scope=scope, series="arrival", year=year) == taken + i + 1
