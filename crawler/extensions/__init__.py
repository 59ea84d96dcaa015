"""Extensions: reactor-lag measurement (``reactor_lag``), garbage-collector tuning and its
cost (``gc_stats``), the crawl's run summary with its health flags in the runs collection
(``runs``), final stats as a JSON file (``stats_file``)."""
