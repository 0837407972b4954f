"""Reports: the indicator figures of a unit, the package writer, the workbook and the PDF.
Receiving packages lives beside it, in `receiving/`."""
