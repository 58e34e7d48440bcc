"""Command line: `shop place ORDER.json`, `shop report`, `shop export`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence, TextIO

from shop.application.export_orders import ExportFailed, ExportPaidOrders
from shop.application.place_order import PlaceOrder
from shop.application.reports import ReportRepository, report_title
from shop.domain.errors import DomainError
from shop.entrypoints.schemas import InvalidRequest, PlaceOrderRequest
from shop.infrastructure.http_payment_adapter import PaymentUnavailable


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shop", description="Orders and payments.")
    commands = parser.add_subparsers(dest="command", required=True)
    place = commands.add_parser("place", help="place an order described by a JSON file ('-' for stdin)")
    place.add_argument("order_file")
    commands.add_parser("report", help="revenue of paid orders per currency")
    commands.add_parser("export", help="upload paid orders to the accounting system")
    return parser


def run(
    argv: Optional[Sequence[str]],
    *,
    place_order: PlaceOrder,
    reports: ReportRepository,
    export: Optional[ExportPaidOrders],
    stdout: Optional[TextIO] = None,
) -> int:
    out = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    if args.command == "place":
        try:
            payload = _read_json(args.order_file)
            result = place_order(PlaceOrderRequest.from_json(payload))
        except (InvalidRequest, DomainError, PaymentUnavailable, json.JSONDecodeError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"order {result.order_id} paid: {result.total} (payment {result.payment_reference})", file=out)
    elif args.command == "report":
        print(report_title(), file=out)
        for line in reports.sales_by_currency():
            print(f"{line.currency}  {line.orders:>5} orders  {line.revenue:>12}", file=out)
    elif export is None:
        print("error: EXPORT_URL is not configured", file=sys.stderr)
        return 2
    else:
        try:
            status = export()
        except ExportFailed as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"exported (HTTP {status})", file=out)
    return 0


def _read_json(path: str) -> object:
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
