"""The tests of `broadsheet serve` (tools/serve/). A package, so that its conftest.py is imported as
serve.conftest and leaves the suite's own conftest (imported by name: `from conftest import …`)
in place."""
