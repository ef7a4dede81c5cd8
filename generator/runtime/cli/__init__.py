"""The command line of a generated client: ``python -m <package> RESOURCE COMMAND ...``.

Every call goes through the client, so the command line is a thin layer over it.
:mod:`.commands` holds the commands as data (``__main__.py`` lists them from the spec),
:mod:`.argv` turns them into parsers, :mod:`.run` runs one and exits with a code that says
what happened, :mod:`.output` writes what it prints, :mod:`.wait` and :mod:`.submit` run the
commands that poll and that report JUnit files.
"""
