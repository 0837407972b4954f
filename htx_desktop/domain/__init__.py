"""Qt-free domain: catalogues, records, validation, periods and indicators."""
