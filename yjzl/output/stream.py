"""Write `validate`'s report file by file, as each workbook is audited (table, csv, github, jsonl).

Nothing of a written file is kept but its counts (AuditTally), so a folder of
100 000 workbooks is audited in bounded memory. The JSON document is written
whole at the end instead (yjzl.output.formats.to_json). jsonl: one object per
line with a "record" key: "run" (tool, version, catalogue, lang), then "file"
per workbook (the objects of the JSON report's "files"), and "summary" last.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TextIO

from yjzl.output import csvtext, formats
from yjzl.report import AuditTally, FileReport, Report
from yjzl.text import json_safe, visible


def jsonl_record(out: TextIO, record: str, obj: dict) -> None:
    """One line of a JSON Lines output (validate's and compute's): the object with its kind in "record"."""
    out.write(json_safe(json.dumps({"record": record, **obj}, ensure_ascii=False)) + "\n")


class AuditWriter:
    def __init__(self, out: TextIO, fmt: str, head: Report, show_indicators: bool = False) -> None:
        self.out, self.fmt, self.head, self.show_indicators = out, fmt, head, show_indicators
        self.tally = AuditTally()
        self.rows = formats.CleanRows(head.lang)  # a table's clean rows: one line, not one block each
        self.csv = csvtext.Writer(out, lineterminator="\n") if fmt == "csv" else None
        if self.csv:
            self.csv.writerow(formats.CSV_HEADER)
        if fmt == "jsonl":
            self._line("run", {k: getattr(head, k) for k in ("tool", "version", "catalogue", "lang")})

    def _line(self, record: str, obj: dict) -> None:
        jsonl_record(self.out, record, obj)

    def file(self, f: FileReport) -> None:
        self.tally.add(f)
        if self.csv:
            self.csv.writerows(formats.csv_rows(f))
        elif self.fmt == "github":
            self.out.writelines(line + "\n" for line in formats.github_lines(f))
        elif self.fmt == "jsonl":
            self._line("file", asdict(f))
        else:
            lines = formats.table_file(f, self.head.lang, self.show_indicators, self.rows)
            if lines:  # a file name or a cell's text: its control characters shown, not acted on
                self.out.write(visible("\n".join(lines) + "\n"))

    def finish(self) -> dict[str, int]:
        s = self.tally.as_dict()
        if self.fmt == "table":
            self.out.write(visible("".join(line + "\n" for line in self.rows.flush())))
            self.out.write(formats.table_summary(s, self.head.lang) + "\n")
        elif self.fmt == "jsonl":
            self._line("summary", s)
        return s


STREAMED = ("table", "csv", "github", "jsonl")
