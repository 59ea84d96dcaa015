"""Extensions: reactor-lag measurement (``reactor_lag``), garbage-collector tuning and its
cost (``gc_stats``), final stats as a JSON file (``stats_file``)."""
