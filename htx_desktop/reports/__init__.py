"""Reports: the indicator figures of a unit, the package writer, reader and consolidation."""
