"""Extensions: reactor-lag measurement, final stats as a JSON file."""
