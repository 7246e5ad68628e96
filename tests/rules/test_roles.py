"""R-HEALTH-PROOFS: who may read the details and proofs of a care obligation (pure)."""

from __future__ import annotations

from parcours.rules.roles import HEALTH_READER_ROLES, may_read_obligation_details
from parcours.rules.vocabulary import Role


def test_cp_132_45_3_care_details_are_not_for_the_surveillant_nor_the_secretariat():
    assert not may_read_obligation_details(Role.SURVEILLANT, "cp_132_45_3")
    assert not may_read_obligation_details(Role.SECRETARIAT, "cp_132_45_3")
    assert not may_read_obligation_details(Role.SURVEILLANT, "cp_132_45_22")  # injonction
    assert may_read_obligation_details(Role.CPIP, "cp_132_45_3")
    assert may_read_obligation_details(Role.PSYCHOLOGUE, "cp_132_45_3", break_glass=True)


def test_cp_132_45_3_care_details_not_for_a_cpip_colleague_with_a_motif_nor_the_court():
    assert not may_read_obligation_details(Role.CPIP, "cp_132_45_3", break_glass=True)
    assert not may_read_obligation_details(Role.JAP, "cp_132_45_3")
    assert not may_read_obligation_details(Role.GREFFE_SAP, "cp_132_45_20")


def test_other_obligations_are_not_restricted_by_this_rule():
    for role in Role.values:
        assert may_read_obligation_details(role, "cp_132_45_1")
    assert Role.SURVEILLANT not in HEALTH_READER_ROLES
