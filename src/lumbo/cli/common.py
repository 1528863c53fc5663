"""Shared helpers for CLI commands: one clear line and exit code 2 for any bad input.

Reading: every JSON file goes through ``read_json`` (size-capped, then the strict reader of
``lumbo.domain.bounds``); every date option through ``parse_start`` and ``check_range``.
Writing: every ``-o FILE`` goes through ``write_output`` (see its docstring for the rules).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, get_args

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    pass

ModelT = TypeVar("ModelT", bound=BaseModel)

EXIT_BAD_INPUT = 2
#: The largest JSON file the CLI reads (an export of years of sessions is far smaller).
MAX_JSON_BYTES = 20 * 1024 * 1024
#: Longest message printed; longer ones (a huge value echoed back) are cut.
MAX_MESSAGE_CHARS = 1000
#: Longest piece of the person's input echoed in a message (a field name, a path part).
MAX_SHOWN_CHARS = 80
#: New files that hold personal health data are readable by their owner only.
PRIVATE_MODE = 0o600
#: New files without personal data (a figure) get what the umask allows, like `cp` or `>`.
PUBLIC_MODE = 0o666
STDOUT = "-"
#: Unicode categories escaped in messages: controls (a newline, an escape sequence), format
#: characters (bidirectional overrides), unassigned, private and line/paragraph separators.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class UserError(Exception):
    """Bad input from the person at the keyboard; its message is shown as one line."""


def one_line(message: str) -> str:
    """``message`` as one printable line: control characters escaped, length capped."""
    shown = "".join(
        ascii(char)[1:-1] if unicodedata.category(char) in _UNPRINTABLE else char for char in message
    )
    if len(shown) > MAX_MESSAGE_CHARS:
        shown = shown[: MAX_MESSAGE_CHARS - 3] + "..."
    return shown


def fail(message: str) -> NoReturn:
    """Print one line to stderr and exit with code 2."""
    print(f"lumbo: {one_line(message)}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def shown(text: str) -> str:
    """A piece of input quoted for a message, cut when it is very long."""
    if len(text) > MAX_SHOWN_CHARS:
        text = text[: MAX_SHOWN_CHARS - 3] + "..."
    return repr(text)


# --- validation errors --------------------------------------------------------------------


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a field's type (``list[HardActivity]`` -> HardActivity)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _field_names_at(model: type[BaseModel], path: tuple[int | str, ...]) -> list[str]:
    """The field names of the (nested) model that ``path`` leads to; [] when unknown."""
    current: type[BaseModel] | None = model
    for part in path:
        if isinstance(part, int):  # a list index: the model stays the item's model
            continue
        if current is None or part not in current.model_fields:
            return []
        current = _model_in(current.model_fields[part].annotation)
    return list(current.model_fields) if current is not None else []


def _closest_field(loc: tuple[int | str, ...], model: type[BaseModel] | None) -> str | None:
    """The known field at ``loc``'s level whose name is closest to ``loc``'s last part."""
    candidates = _field_names_at(model, loc[:-1]) if model is not None else []
    close = difflib.get_close_matches(str(loc[-1]), candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def describe_validation_error(
    error: ValidationError, what: str, model: type[BaseModel] | None = None
) -> str:
    """The first problem of a pydantic error as one line naming the field and what is allowed.

    An unknown field is named with the closest known one at that level, when ``model`` (the
    model that was validated) is given: ``unknown field 'pain_nwo'; did you mean 'pain_now'?``.
    """
    problems = error.errors()
    # A misspelt field shows up twice (unknown, and the real one missing): name the misspelling.
    first = next((item for item in problems if item["type"] == "extra_forbidden"), problems[0])
    loc = tuple(first["loc"])
    others = len(problems) - 1
    if first["type"] == "extra_forbidden" and loc:
        prefix = "".join(f"{part}." for part in loc[:-1])
        text = f"{what}: unknown field {shown(prefix + str(loc[-1]))}"
        closest = _closest_field(loc, model)
        if closest is not None:
            text += f"; did you mean {shown(prefix + closest)}?"
            meant = (*loc[:-1], closest)
            # "field required" for the meant field is the same mistake: do not count it again.
            others -= any(item["type"] == "missing" and tuple(item["loc"]) == meant for item in problems)
        elif what in ("profile", "history"):
            text += f" (`lumbo schema {what}` lists the fields)"
    else:
        location = ".".join(str(part) for part in loc) or what
        message = first["msg"].removeprefix("Value error, ")
        ctx = first.get("ctx") or {}
        if "expected" in ctx:
            message = f"must be one of {ctx['expected']}"
        text = f"{what}: field '{location}': {message}"
    return text + (f" (and {others} more problem(s))" if others else "")


# --- reading ------------------------------------------------------------------------------


def read_json(path: Path, what: str) -> object:
    """The JSON value in ``path``, refusing what lumbo never accepts (see domain/bounds.py)."""
    from lumbo.domain.bounds import StrictJsonError, loads_strict

    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_JSON_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise UserError(f"{what} path is a folder, not a file: {path}") from None
    except OSError as error:
        raise UserError(f"cannot read {what} file {path}: {error.strerror or error}") from None
    if len(raw) > MAX_JSON_BYTES:
        raise UserError(f"{what} file {path} is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (some Windows editors) is fine
    except UnicodeDecodeError as error:
        raise UserError(f"{what} file {path} is not UTF-8 text (byte {error.start})") from None
    try:
        return loads_strict(text)
    except StrictJsonError as error:
        raise UserError(f"{what} file {path} is refused: {error}") from None
    except ValueError as error:  # json.JSONDecodeError, or a number Python cannot hold
        line, column, problem = getattr(error, "lineno", None), getattr(error, "colno", None), error
        where = f"line {line}, column {column}: " if line is not None else ""
        reason = getattr(problem, "msg", None) or str(problem).splitlines()[0]
        raise UserError(f"{what} file {path} is not valid JSON ({where}{reason})") from None


def load_model(path: Path, model: type[ModelT], what: str) -> ModelT:
    """Read a JSON file into a model, turning every problem into a UserError."""
    data = read_json(path, what)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, what, model)) from None


def parse_start(value: str | None, option: str = "--start") -> dt.date:
    """A YYYY-MM-DD date from an option (1900-01-01 to 2200-12-31), or today when not given."""
    from lumbo.domain.bounds import OutOfRange, check_date

    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(
            f"{option} must be a date as YYYY-MM-DD, like 2026-01-31 (got {shown(value)})"
        ) from None
    try:
        return check_date(day, option)
    except OutOfRange as error:
        raise UserError(str(error)) from None


def check_days(days: int, maximum: int, option: str = "--days") -> int:
    if not 1 <= days <= maximum:
        raise UserError(f"{option} must be between 1 and {maximum} (got {days})")
    return days


def check_range(start: dt.date, days: int, maximum: int) -> None:
    """``days`` is allowed and the plan from ``start`` ends by the last date lumbo accepts."""
    from lumbo.domain.bounds import MAX_DATE, window_fits

    check_days(days, maximum)
    if not window_fits(start, days):
        last = start + dt.timedelta(days=days - 1)  # cannot overflow: start <= MAX_DATE, days <= 366
        raise UserError(
            f"--start {start.isoformat()} with --days {days} would plan up to {last.isoformat()}; "
            f"plans must end by {MAX_DATE.isoformat()}"
        )


# --- writing ------------------------------------------------------------------------------


def is_stdout(path: Path) -> bool:
    return str(path) == STDOUT


def _refuse_terminal(binary: bool) -> None:
    if binary and sys.stdout.isatty():
        raise UserError(
            "will not print a binary file to the terminal; redirect it (> file) or give -o FILE"
        )


def _write_stdout(data: bytes, binary: bool) -> None:
    _refuse_terminal(binary)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def already_exists(path: Path) -> str:
    return f"{path} already exists; add --force to replace it, or use -o - for standard output"


def _refuse_existing(path: Path, found: os.stat_result, force: bool, label: str) -> None:
    """Refuse what ``-o`` must not replace: anything but a regular file, or any file without --force."""
    if stat.S_ISLNK(found.st_mode):
        raise UserError(
            f"cannot write {label}: it is a symbolic link; lumbo writes only regular files "
            "(give the real path, or -o - for standard output)"
        )
    if stat.S_ISDIR(found.st_mode):
        raise UserError(f"cannot write {label}: it is a folder; give a file name")
    if not stat.S_ISREG(found.st_mode):
        raise UserError(
            f"cannot write {label}: it is not a regular file (a pipe, device or socket); "
            "use -o - to write to standard output"
        )
    if not force:
        raise UserError(already_exists(path))


def _inspect_target(path: Path, *, force: bool, what: str) -> os.stat_result | None:
    """The status of the existing ``path`` (None when there is none), after the refusals."""
    target = path.expanduser()
    label = f"{what} to {path}" if what else str(path)
    try:
        found: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        found = None
    except NotADirectoryError:  # a file where a folder on the way should be
        raise UserError(f"cannot write {label}: the folder {target.parent} does not exist") from None
    except OSError as error:  # a name too long, no permission
        raise UserError(f"cannot write {label}: {error.strerror or error}") from None
    if found is not None:
        _refuse_existing(path, found, force, label)
    if not target.parent.is_dir():
        raise UserError(f"cannot write {label}: the folder {target.parent} does not exist")
    return found


def check_target(path: Path, *, force: bool, what: str = "", binary: bool = False) -> None:
    """Refuse an output path early (before slow work) for the reasons ``write_output`` would."""
    if is_stdout(path):
        _refuse_terminal(binary)
    else:
        _inspect_target(path, force=force, what=what)


def write_output(
    path: Path,
    data: bytes,
    *,
    force: bool = False,
    private: bool = True,
    binary: bool = False,
    what: str = "",
) -> None:
    """Write ``data`` to ``path`` the way other Unix tools do, whole or not at all.

    - ``-`` writes to standard output (``binary`` data is refused on a terminal);
    - an existing file is replaced only with ``force``, and keeps its mode;
    - a symbolic link, folder, FIFO, device or socket is never replaced, even with ``force``;
    - a new file gets ``PRIVATE_MODE`` (personal data) or ``PUBLIC_MODE``, less the umask;
    - the data goes to a temporary file in the same folder, then takes the name in one step
      (a hard link for a new file, so a file created meanwhile is not overwritten; a rename
      to replace one), so readers never see half a file.
    """
    if is_stdout(path):
        _write_stdout(data, binary)
        return
    target = path.expanduser()
    label = f"{what} to {path}" if what else str(path)
    found = _inspect_target(path, force=force, what=what)
    folder = target.parent
    if found is not None:
        mode = stat.S_IMODE(found.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = (PRIVATE_MODE if private else PUBLIC_MODE) & ~umask
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise UserError(f"cannot write {label}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        if found is None:
            _link_new(temporary, target, path, force)
        else:
            os.replace(temporary, target)
    except OSError as error:
        raise UserError(f"cannot write {label}: {error.strerror or error}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def _link_new(temporary: str, target: Path, path: Path, force: bool) -> None:
    """Give the temporary file the target's name, unless a file of that name appeared."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        if not force:
            raise UserError(already_exists(path)) from None
        found = os.lstat(target)
        _refuse_existing(path, found, force, str(path))
        os.replace(temporary, target)
    except OSError:
        # No hard links on this file system (FAT, some network shares): rename instead.
        if os.path.lexists(target) and not force:
            raise UserError(already_exists(path)) from None
        os.replace(temporary, target)
