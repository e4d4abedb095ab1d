"""The 双公示 tables (行政许可 / 行政处罚, generations 1.0 and 2.0) as a front end of the importer.

``upload.import_table`` reads a CSV or XLSX file and hands its rows to the exchange-format
runner; ``export`` writes a department's records back in the 2.0 template. docs/shuanggongshi.md.
"""
