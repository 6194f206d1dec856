"""``flowdesk store import | export | list | drop``: fill, dump, query and prune the object store from the
command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from runtime.store import FieldDef, ObjectStore, ObjectType


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "store",
        help="import, export and list the object store (WoW Tables)",
        description=(
            "Work with the object store, the SQLite file behind the ObjectInstance* activities. Every action "
            "takes --store DB (default: store.sqlite3 in the user data directory)."
        ),
    )
    actions = parser.add_subparsers(dest="store_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        metavar="DB",
        type=Path,
        help="the store file (default: store.sqlite3 in the user data directory)",
    )

    importer = actions.add_parser(
        "import",
        parents=[common],
        help="import a seed file",
        description=(
            "Import a seed file in one transaction: missing types are created, new fields added, instances "
            "with an existing ObjectId updated and the others inserted. A bad seed changes nothing. "
            "Prints a one-line summary on stderr."
        ),
    )
    importer.add_argument("seed", metavar="SEED.json", help='{"types": [...], "instances": {"Type": [...]}}')
    importer.set_defaults(handler=import_command)

    exporter = actions.add_parser(
        "export",
        parents=[common],
        help="print every type and instance as a seed",
        description="Write the whole store as seed JSON to stdout, or to FILE with -o (replaced atomically).",
    )
    exporter.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE instead of stdout")
    exporter.set_defaults(handler=export_command)

    lister = actions.add_parser(
        "list",
        parents=[common],
        help="print the instances of a type as a JSON array",
        description=(
            "Print the records {ObjectId, Title, <fields>} of TYPE as a JSON array, as ObjectInstanceList "
            "returns them. Example: flowdesk store list Settings --filter \"Key eq 'AccessToken'\""
        ),
    )
    lister.add_argument("type", metavar="TYPE", help="the object type, e.g. Settings")
    lister.add_argument("--filter", metavar="ODATA", help="OData filter: eq ne gt ge lt le and or not ( )")
    lister.add_argument("--order-by", metavar="X", help="OData order: Field [asc|desc], Field2 desc")
    lister.add_argument("--skip", metavar="N", type=_count, help="skip N records (after filter and order)")
    lister.add_argument("--limit", metavar="N", type=_count, help="return at most N records")
    lister.set_defaults(handler=list_command)

    dropper = actions.add_parser(
        "drop",
        parents=[common],
        help="delete a type and its instances, or one field of a type (needs --yes)",
        description=(
            "Delete the object type TYPE with every instance of it, or with --field NAME only that field "
            "(from the type and from every instance), in one transaction. Without --yes nothing changes: "
            "it says what would go. ObjectIds of deleted instances are never reused."
        ),
    )
    dropper.add_argument("type", metavar="TYPE", help="the object type, e.g. Settings")
    dropper.add_argument("--field", metavar="NAME", help="drop only this field of TYPE")
    dropper.add_argument("--yes", action="store_true", help="really drop it (there is no undo)")
    dropper.set_defaults(handler=drop_command)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {text!r}")
    return int(text)


def _store_path(args: argparse.Namespace) -> Path:
    from runtime.store import default_store_path

    return args.store if args.store is not None else default_store_path()


def _existing_store(args: argparse.Namespace) -> ObjectStore:
    """Reading commands never create a store where there was none (a mistyped --store says so)."""
    from runtime.store import ObjectStore, StoreError

    path = _store_path(args)
    if not path.is_file():
        raise StoreError(
            f"{path}: no store here (flowdesk store import SEED.json --store {path} creates one)"
        )
    return ObjectStore(path)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def import_command(args: argparse.Namespace) -> int:
    from runtime.store import ObjectStore

    with ObjectStore(_store_path(args)) as store:
        summary = store.import_seed(args.seed)
    print(summary, file=sys.stderr)
    return 0


def export_command(args: argparse.Namespace) -> int:
    with _existing_store(args) as store:
        text = _json(store.export_seed())
    if args.output is None:
        sys.stdout.write(text)
    else:
        from runtime.files import write_text_atomically

        write_text_atomically(args.output, text)
    return 0


def list_command(args: argparse.Namespace) -> int:
    with _existing_store(args) as store:
        records = store.list_instances(
            args.type, filter=args.filter, order_by=args.order_by, skip=args.skip, limit=args.limit
        )
    sys.stdout.write(_json(records))
    return 0


def drop_command(args: argparse.Namespace) -> int:
    """Exit 0 dropped, 1 not confirmed (nothing changed), 2 no such store, type or field."""
    from runtime.store import ObjectTypeNotFound, StoreError

    with _existing_store(args) as store:
        object_type = store.get_type(args.type)
        if object_type is None:
            raise ObjectTypeNotFound(args.type, str(store.path))
        if args.field is None:
            what = f'type "{object_type.name}"'
            count = store.count_instances(object_type.name)
            detail = f"and its {_instances(count)}"
        else:
            field_def = _field_of(object_type, args.field)
            if field_def is None:
                known = ", ".join(object_type.field_names) or "none"
                raise StoreError(f'type {object_type.name} has no field "{args.field}" (fields: {known})')
            what = f'field "{field_def.name}" of type "{object_type.name}"'
            detail = "from the type and every instance"
        if not args.yes:
            print(
                f"flowdesk store drop: would drop {what} {detail} in {store.path}; add --yes to drop it",
                file=sys.stderr,
            )
            return 1
        if args.field is None:
            count = store.drop_type(object_type.name)
            print(f"dropped {what} and {_instances(count)}", file=sys.stderr)
        else:
            count = store.drop_field(object_type.name, args.field)
            print(f"dropped {what} ({_instances(count)} had a value)", file=sys.stderr)
    return 0


def _instances(count: int) -> str:
    return f"{count} instance{'s' * (count != 1)}"


def _field_of(object_type: ObjectType, name: str) -> FieldDef | None:
    """The type's field called ``name``, ignoring case (as the store matches it), or None."""
    return next((item for item in object_type.fields if item.name.lower() == name.lower()), None)
