"""Write a realistic N-row case file for Thái Nguyên to benchmark `manage.py import_cases`.

    python benchmarks/make_cases_file.py 100000 var/bench/cases-100k.csv [--seed 138] [--references 0.3]
    python benchmarks/make_cases_file.py 5000 var/bench/cases-5k.xlsx

Deterministic for a seed and a day; the rows come from cases/demo.py, as the demo data does.
"""

import argparse
import csv
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases.demo import HEADER, case_rows  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int)
    parser.add_argument("output", type=Path, help=".csv (UTF-8 with BOM) or .xlsx")
    parser.add_argument("--seed", type=int, default=138)
    parser.add_argument("--references", type=float, default=0.3, help="share of rows that carry a reference")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today() - timedelta(days=1))
    args = parser.parse_args()
    rows = case_rows(args.rows, seed=args.seed, today=args.today, references=args.references)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.output.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("cases")
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        workbook.save(args.output)
    else:
        with open(args.output, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows)
    print(f"{args.rows:,} rows written to {args.output}")


if __name__ == "__main__":
    main()
