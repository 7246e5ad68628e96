"""The nightly recomputation of the sentence dates: set-based, only changed rows written (a
second run writes nothing), open écrous only, per time zone, the engine's errors stored."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from parcours.detention import selectors, situations
from parcours.detention.models import Ecrou, ReductionDecision, SentenceLine, SentenceSituation
from parcours.rules import sentences

from ..factories import PersonFactory
from .factories import first_ecrou, prison

NUMBERS = itertools.count(1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]


def detainees(cast, count: int, spip=None) -> list[Ecrou]:
    spip = spip or cast.spip
    antenna = cast.antenna if spip == cast.spip else cast.other_antenna
    found = []
    for i in range(count):
        person = PersonFactory(spip=spip, antenna=antenna, referent=None)
        ecrou = Ecrou.objects.create(
            person=person,
            establishment=prison(spip),
            number=f"N{next(NUMBERS)}",
            start=date(2026, 1, 1 + i),
        )
        SentenceLine.objects.create(ecrou=ecrou, rank=1, years=1 + i % 3)
        found.append(ecrou)
    return found


def test_a_second_run_writes_nothing_and_a_change_rewrites_one_row(cast, monkeypatch):
    monkeypatch.setattr(situations, "CHUNK_ECROUS", 2)  # several chunks
    ecrous = detainees(cast, 5)
    assert situations.refresh() == 5
    assert situations.refresh() == 0
    ReductionDecision.objects.create(ecrou=ecrous[3], granted_on=date(2027, 2, 1), days=7)
    assert situations.refresh() == 1
    row = SentenceSituation.objects.get(ecrou=ecrous[3])
    assert row.as_of == date(2027, 3, 16)
    assert row.release_date == date(2026, 12, 27)  # 1 year from 04/01/2026, minus 7 days, - 1
    # A reduction decided after the day of the computation does not count yet (as_of).
    ReductionDecision.objects.create(ecrou=ecrous[0], granted_on=date(2027, 6, 1), days=7)
    assert situations.refresh(today=date(2027, 3, 16)) == 0
    assert situations.refresh(today=date(2027, 6, 1)) == 1


def test_released_ecrous_are_left_to_rest_but_a_named_one_is_computed(cast):
    _open, released = detainees(cast, 2)
    Ecrou.objects.filter(pk=released.pk).update(released_on=date(2027, 1, 1))
    assert situations.refresh() == 1
    assert not SentenceSituation.objects.filter(ecrou=released).exists()
    assert situations.refresh([released.pk]) == 1


def test_a_new_engine_recomputes_every_row_once(cast, monkeypatch):
    detainees(cast, 3)
    situations.refresh()
    monkeypatch.setattr(situations, "ENGINE_DIGEST", "a newer engine")
    assert situations.refresh() == 3
    assert situations.refresh() == 0


def test_engine_errors_are_stored_never_raised(cast, monkeypatch):
    (ecrou,) = detainees(cast, 1)

    def missing(case):
        raise NotImplementedError

    monkeypatch.setattr(sentences, "compute", missing)
    assert situations.refresh() == 1
    row = SentenceSituation.objects.get(ecrou=ecrou)
    assert row.error == situations.ENGINE_MISSING and row.release_date is None

    def refuses(case):
        raise sentences.InputError("sentences[0].definitive_on", "date manquante")

    monkeypatch.setattr(sentences, "compute", refuses)
    monkeypatch.setattr(situations, "ENGINE_DIGEST", "another")
    assert situations.refresh() == 1
    row.refresh_from_db()
    assert row.error == ("Peine 1, date à laquelle la condamnation est définitive : date manquante")


FINGERPRINT_SCRIPT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from datetime import date
from parcours.detention.situations import fingerprint
from parcours.rules.sentences import Duration, Sentence, SentenceCase
flags = frozenset({"violences_conjugales", "terrorisme", "ssj_encouru", "victime_pdap"})
case = SentenceCase(
    birth_date=date(1990, 1, 1),
    ecrou_date=date(2026, 9, 1),
    sentences=(Sentence(length=Duration(years=2), flags=flags),),
    as_of=date(2027, 3, 16),
)
print(fingerprint(case))
"""


def test_the_fingerprint_does_not_depend_on_the_process(cast):
    ecrou = first_ecrou(cast.person)
    SentenceLine.objects.filter(ecrou=ecrou).update(
        flags=["violences_conjugales", "terrorisme", "ssj_encouru"]
    )
    case = situations.case_for(Ecrou.objects.get(pk=ecrou.pk), as_of=date(2027, 3, 16))
    later = situations.case_for(Ecrou.objects.get(pk=ecrou.pk), as_of=date(2027, 3, 17))
    # Another day with nothing new: the same fingerprint.
    assert situations.fingerprint(case) == situations.fingerprint(later)
    # Two processes with other string hashes (frozensets iterate in another order): the same.
    prints = {
        subprocess.run(
            [sys.executable, "-c", FINGERPRINT_SCRIPT],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(prints) == 1 and len(next(iter(prints))) == 64


def test_command_per_zone_and_schedule(cast):
    detainees(cast, 2)
    (reunion,) = detainees(cast, 1, spip=cast.other_spip)
    out = StringIO()
    call_command("recompute_sentence_dates", "--zone", "Indian/Reunion", stdout=out)
    assert "1 créée(s)" in out.getvalue()
    assert list(SentenceSituation.objects.values_list("ecrou_id", flat=True)) == [reunion.pk]
    out = StringIO()
    call_command("recompute_sentence_dates", stdout=out)
    assert "3 écrou(s) en cours lu(s), 2 créée(s), 0 modifiée(s)" in out.getvalue()
    entry = next(
        e for e in settings.PARCOURS_SCHEDULE if e["command"] == "recompute_sentence_dates"
    )
    assert entry["per_zone"] and entry["at"] == "02:25"


def test_refresh_reads_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    detainees(cast, 3)
    with django_assert_max_num_queries(10) as few:
        situations.refresh()
    SentenceSituation.objects.all().delete()
    detainees(cast, 12)  # more écrous, more sentences: the same queries
    with django_assert_max_num_queries(len(few.captured_queries)):
        situations.refresh()


def test_selectors_scope_and_situations(cast):
    ecrou = first_ecrou(cast.person)
    other = first_ecrou(cast.other_person)
    situations.refresh()
    assert selectors.open_ecrou(cast.person) == ecrou
    assert list(selectors.detainees(cast.cpip)) == [cast.person]
    assert list(selectors.detainees(cast.cpip_autre)) == [cast.other_person]
    assert list(selectors.detainees(cast.partenaire)) == []
    found = selectors.situations_for([cast.person.pk, cast.other_person.pk])
    assert found[cast.person.pk].ecrou_id == ecrou.pk
    assert found[cast.other_person.pk].ecrou_id == other.pk
    Ecrou.objects.filter(pk=ecrou.pk).update(released_on=date(2027, 3, 1))
    assert selectors.open_ecrou(cast.person) is None
    assert list(selectors.detainees(cast.cpip)) == []
    assert cast.person.pk not in selectors.situations_for([cast.person.pk])
    assert selectors.latest_ecrou(cast.person) == ecrou
