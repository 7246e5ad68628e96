"""Adjustment opportunities, the CAP and release preparation (milieu fermé)."""
