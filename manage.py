#!/usr/bin/env python
"""Django's command-line utility. Name the deployable: --settings=config.settings.state, or
set DJANGO_SETTINGS_MODULE (the Makefile does this for you)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.identity")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
