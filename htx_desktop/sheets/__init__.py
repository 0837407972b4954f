"""Spreadsheets in and out: templates for offices without the program, and the import of
their lists (Qt-free; openpyxl is imported only when a workbook is read or written)."""
