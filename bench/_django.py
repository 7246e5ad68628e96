"""Imported first by the bench scripts (`import _django`), before anything of Django or Parcours:
puts the project on the path, chooses the settings (demo mode: the bench databases hold demo or
generated accounts) and runs `django.setup()`, so that the scripts import the models at module
level."""

import os
import sys
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PARCOURS_DEMO", "1")
django.setup()
