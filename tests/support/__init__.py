"""What the tests and the benchmarks share: servers that misbehave on purpose
(``faultserver``, ``bombserver``), bad inputs (``bombs``, ``badcorpus``), the fixture pages'
expectations (``pagecases``), the crawl tests' environment without pytest (``crawlenv``,
``faultcrawl``), WARC files and their standard check (``warcfiles``) and where the fixtures
and the shared data are (``paths``).

Imported as ``tests.support.<module>`` by the tests and by ``python -m bench.<name>``."""
