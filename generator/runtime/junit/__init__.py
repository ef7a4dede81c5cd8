"""JUnit XML: test runners' files read, and reports written as CI test views read them.

A package holds the modules its spec needs (a JUnit report, a submit, or both), and none when
it needs neither. :mod:`.records` holds the cases and suites, :mod:`.read` streams them out of
files, :mod:`.write` writes them, :mod:`.report` turns an API's final status into a report
(``x-polling`` ``junit``), and :mod:`.submit` reports JUnit files to a test-management API
(``x-junit-submit``): :mod:`.submit_types` holds what it is told and what it did,
:mod:`.submit_plan` its calls in order, :mod:`.templates` their arguments.
"""
