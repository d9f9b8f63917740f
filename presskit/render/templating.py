"""The one Jinja2 environment every kit is rendered with.

Templates are looked up in the project's `templates/` first, then in the built-in set, so a
project can replace a whole template or extend `builtin/<name>` and override one block. Every
template runs sandboxed with autoescaping on and undefined names as errors: question banks and
project templates come from many hands.

The sandbox keeps a template away from Python's internals but not from the machine's time and
memory, so every render also has a budget (`Budget`): a deadline, enforced by a watchdog that
interrupts the template wherever it is, and a cap on the output and on any one value a template
builds with `*`, `**`, `+` or `~`, checked before the value is made where its size is known in
advance.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from presskit.errors import RenderError
from presskit.kits.branding import subset_fonts
from presskit.project.loading import PROJECT_TEMPLATES, escapes
from presskit.render.context import Context, template_names
from presskit.render.csp import event_handlers, remote_loads, with_policy
from presskit.render.typography import typeset

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
REMOTE_OFF = (
    "remote files are off; set allow_remote_assets: true in presskit.yaml to allow http and https"
)


@dataclass(frozen=True)
class Budget:
    """What one document's render may spend: seconds of time, characters of output (and of any
    one value the template builds)."""

    seconds: float = 10.0
    max_chars: int = 20_000_000


class _OverBudget(Exception):
    """A template went over its budget; the message says how."""


class _Timeout(BaseException):
    """Raised inside the rendering thread by the watchdog (a BaseException, so a template's own
    error handling, or Jinja's, cannot swallow it)."""


class _Generator(CodeGenerator):
    """Jinja's code generator, with every `~` concatenation passed through the size check (the
    sandbox cannot intercept `~`, and doubling a string in a loop reaches gigabytes quickly)."""

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


_FORMAT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)\.?(\d*)")


def _size(value: Any) -> int | None:
    """How many items `value` holds if it is a sequence `*` would repeat, else None."""
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _too_big(operator: str, left: Any, right: Any, cap: int) -> str | None:
    """Why `left operator right` would be larger than `cap`, judged before computing it."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            size = _size(seq)
            if size is not None and isinstance(times, int) and size * times > cap:
                return f"a value longer than {cap} characters (a repetition)"
    elif operator == "**":
        big = isinstance(left, int) and isinstance(right, int) and abs(left) > 1
        if big and right * math.log2(abs(left)) > cap * 8:  # bits; float powers overflow
            return f"a number larger than {cap} bytes (a power)"
    elif operator == "%" and isinstance(left, str):  # '%0999999999d' % 1 pads to 1 GB
        widths = (int(n) for pair in _FORMAT_WIDTH.findall(left) for n in pair if n)
        if any(width > cap for width in widths):
            return f"a value longer than {cap} characters (a format width)"
    elif operator == "+":
        a, b = _size(left), _size(right)
        if a is not None and b is not None and a + b > cap:
            return f"a value longer than {cap} characters (a concatenation)"
    return None


class BudgetedEnvironment(SandboxedEnvironment):
    """The sandbox, refusing operators whose result would be larger than the budget allows
    before Python builds it (`'x' * 10**10` would ask for 10 GB at once)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _Generator

    def __init__(self, *args: Any, budget: Budget = Budget(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        plain_format = self.filters["format"]

        def format_filter(value: Any, *args: Any, **kwargs: Any) -> Any:
            problem = _too_big("%", str(value), args, budget.max_chars)
            if problem:
                raise _OverBudget(problem)
            return plain_format(value, *args, **kwargs)

        self.filters["format"] = format_filter
        plain_join, plain_center = self.filters["join"], self.filters["center"]

        def join_filter(ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
            if isinstance(value, list | tuple) and attribute is None:  # [s] * 1000, joined
                size = sum(len(v) for v in value if isinstance(v, str)) + len(d) * len(value)
                if size > budget.max_chars:
                    raise _OverBudget(f"a value longer than {budget.max_chars} characters (a join)")
            return plain_join(ctx, value, d, attribute)

        def center_filter(value: Any, width: int = 80) -> Any:
            if isinstance(width, int) and width > budget.max_chars:
                raise _OverBudget(f"a value longer than {budget.max_chars} characters (centred)")
            return plain_center(value, width)

        self.filters["join"] = jinja2.pass_eval_context(join_filter)
        self.filters["center"] = center_filter
        self.project_root: Path | None = None  # whose templates/ errors are named from

    def sized(self, value: Any) -> Any:
        """`value`, unless it is longer than the budget allows."""
        if isinstance(value, str) and len(value) > self.budget.max_chars:
            raise _OverBudget(f"a value longer than {self.budget.max_chars} characters")
        return value

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        problem = _too_big(operator, left, right, self.budget.max_chars)
        if problem:
            raise _OverBudget(problem)
        return super().call_binop(context, operator, left, right)


class ConfinedLoader(jinja2.FileSystemLoader):
    """A project's `templates/`, refusing any template that is a symbolic link out of it."""

    def __init__(self, folder: Path, project_root: Path) -> None:
        super().__init__(folder)
        self.folder = folder
        self.project_root = project_root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if path.exists() and escapes(self.project_root, path):
            raise RenderError(
                f"{PROJECT_TEMPLATES}/{template}: a symbolic link leading outside "
                "the project; refused"
            )
        return super().get_source(environment, template)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, so a process that builds
    again and again (`presskit serve`) compiles each template once, not on every build. Jinja2
    checks each template's source against its checksum before reusing it: an edited template is
    compiled again."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            if len(self._compiled) >= 512:  # many projects in one process (a test run)
                self._compiled.clear()
            self._compiled[bucket.key] = code


_COMPILED = _CompiledTemplates()


def make_environment(
    project_root: Path | None = None, *, budget: Budget = Budget()
) -> BudgetedEnvironment:
    """The environment every kit is rendered with; `budget` bounds each render."""
    loaders: list[jinja2.BaseLoader] = []
    if project_root is not None and (project_root / PROJECT_TEMPLATES).is_dir():
        folder = project_root / PROJECT_TEMPLATES
        if escapes(project_root, folder):
            raise RenderError(
                f"{PROJECT_TEMPLATES}/: a symbolic link leading outside the project; refused"
            )
        loaders.append(ConfinedLoader(folder, project_root))
    builtin = jinja2.FileSystemLoader(BUILTIN_TEMPLATES)
    loaders += [jinja2.PrefixLoader({"builtin": builtin}), builtin]
    env = BudgetedEnvironment(
        budget=budget,
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template is HTML; CSS is included as template source
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.project_root = project_root
    env.filters["tel"] = tel_href
    return env


def tel_href(phone: str) -> str:
    """A phone number as a `tel:` link's target: its digits and a leading `+`, nothing else
    ("+1 (310) 555-0100" -> "tel:+13105550100"); the page shows the number as written."""
    digits = "".join(c for c in phone if c.isascii() and c.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


class _OutOfMemory(BaseException):
    """Raised inside the rendering thread by the watchdog when the process grew too much."""


def _resident_bytes() -> int:
    """This process's resident memory, or 0 where /proc does not tell (no memory check)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Watchdog:
    """Interrupts the thread that enters it, wherever it is in Python code (a loop, a macro, a
    `{% set %}` block gathering text), with `_Timeout` once `budget.seconds` have passed, or
    `_OutOfMemory` once the process has grown by more than the budget's characters could take,
    unless it has left by then. It looks 100 times a second."""

    POLL_SECONDS = 0.01
    SLACK_BYTES = 64_000_000  # what a render may allocate besides its text

    def __init__(self, budget: Budget) -> None:
        self.target = threading.get_ident()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.fired = False
        self.deadline = time.monotonic() + budget.seconds
        start = _resident_bytes()
        # 4 bytes a character at worst, twice (the parts and their join)
        self.max_bytes = start + 8 * budget.max_chars + self.SLACK_BYTES if start else 0
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self.stopped.wait(self.POLL_SECONDS):
            if time.monotonic() > self.deadline:
                self._fire(_Timeout)
                return
            if self.max_bytes and _resident_bytes() > self.max_bytes:
                self._fire(_OutOfMemory)
                return

    def _fire(self, kind: type[BaseException]) -> None:
        with self.lock:
            if not self.stopped.is_set():
                self.fired = True
                _async_exc(ctypes.c_ulong(self.target), ctypes.py_object(kind))

    def __enter__(self) -> _Watchdog:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self.lock:
            self.stopped.set()
            if self.fired:  # not delivered yet: take it back
                _async_exc(ctypes.c_ulong(self.target), None)
        self.thread.join()


_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc

# Mistakes a template can make at run time (a division by zero, a bad filter argument, an
# index out of range); presskit's own bugs elsewhere still show a traceback.
_RUNTIME_ERRORS = (
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    RecursionError,
    jinja2.TemplateRuntimeError,
)


def _where(env: jinja2.Environment, exc: BaseException, name: str) -> str:
    """`templates/x.html.j2:12`: the innermost template line in `exc`'s traceback (Jinja
    rewrites tracebacks to point at template lines), or `name` when none is known."""
    roots = [(BUILTIN_TEMPLATES, "builtin/")]
    project_root = getattr(env, "project_root", None)
    if project_root is not None:
        roots.insert(0, (project_root / PROJECT_TEMPLATES, f"{PROJECT_TEMPLATES}/"))
    where = name
    tb = exc.__traceback__
    while tb is not None:
        file = Path(tb.tb_frame.f_code.co_filename)
        for folder, prefix in roots:
            if file.is_absolute() and file.is_relative_to(folder):
                where = f"{prefix}{file.relative_to(folder).as_posix()}:{tb.tb_lineno}"
                break
        tb = tb.tb_next
    return where


def render(env: jinja2.Environment, name: str, context: Context | Mapping[str, Any]) -> str:
    """Render one template within its budget; a template mistake, or a template over budget,
    becomes a `RenderError` naming the template (and the line, where known).

    A typed context (`KitContext`, `PortalContext`) reaches the template as its fields' names.
    The output is streamed so its size is counted as it grows, not once it is all in memory,
    and an HTML document is then typeset for its language (`presskit.render.typography`).
    """
    names = context if isinstance(context, Mapping) else template_names(context)
    budget = env.budget if isinstance(env, BudgetedEnvironment) else Budget()
    try:
        template = env.get_template(name)
        parts: list[str] = []
        total = 0
        with _Watchdog(budget):
            for chunk in template.generate(names):
                total += len(chunk)
                if total > budget.max_chars:
                    raise _OverBudget(f"output longer than {budget.max_chars} characters")
                parts.append(chunk)
        return typeset("".join(parts))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise RenderError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{_where(env, exc, name)}: {exc.message}") from None
    except SecurityError as exc:
        raise RenderError(
            f"{_where(env, exc, name)}: blocked by the template sandbox: {exc}"
        ) from None
    except _Timeout:
        raise RenderError(
            f"{name}: stopped after {budget.seconds:g} seconds; the template takes too long "
            "(a loop over too many items?)"
        ) from None
    except _OutOfMemory:
        raise RenderError(
            f"{name}: stopped: the template used too much memory for "
            f"{budget.max_chars} characters of output"
        ) from None
    except _OverBudget as exc:
        raise RenderError(f"{_where(env, exc, name)}: stopped: {exc}") from None
    except _RUNTIME_ERRORS as exc:
        raise RenderError(f"{_where(env, exc, name)}: {type(exc).__name__}: {exc}") from None


def render_page(
    env: jinja2.Environment,
    name: str,
    context: Context | Mapping[str, Any],
    *,
    allow_remote: bool = False,
) -> str:
    """Render an HTML page (a one-pager, the portal) as `render` does, refuse it if it would
    load anything from elsewhere (unless `allow_remote`) or run inline event handlers, and give
    it the Content-Security-Policy that allows only what it holds (see `presskit.render.csp`).
    Inlined fonts are cut down to the characters the page uses (`subset_fonts`).

    A refusal names the project template line that holds the URL, as PDF refusals do.
    """
    html = subset_fonts(render(env, name, context))
    refused = [
        (url, f"refused to load {url} in a page: {REMOTE_OFF}")
        for url in ([] if allow_remote else remote_loads(html))
    ]
    refused += [
        (
            handler,
            f"refused {handler}...: inline event handlers do not run under the page's "
            "Content-Security-Policy; use a <script> block",
        )
        for handler in event_handlers(html)
    ]
    if refused:
        project_root = getattr(env, "project_root", None)
        locate = template_locator(project_root) if project_root is not None else None
        needle, message = refused[0]
        where = (locate(needle) if locate else None) or name
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise RenderError(f"{where}: {message}{more}")
    return with_policy(html)


def template_locator(project_root: Path) -> Callable[[str], str | None]:
    """A function naming the project template (`templates/x.html.j2:12`) that mentions a URL,
    so an error about a refused URL can say where to fix it; None when no template does."""
    folder = project_root / PROJECT_TEMPLATES

    def locate(url: str) -> str | None:
        needles = [url]
        if url.startswith("file:") and (name := Path(unquote(urlsplit(url).path)).name):
            needles.append(name)
        for parent, _, files in sorted(os.walk(folder)):
            for file_name in sorted(files):
                file = Path(parent) / file_name
                # only regular files inside the project: a FIFO would hang the search
                if escapes(project_root, file) or not file.is_file():
                    continue
                try:
                    lines = file.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    continue
                for number, line in enumerate(lines, 1):
                    if any(needle in line for needle in needles):
                        rel = file.relative_to(folder).as_posix()
                        return f"{PROJECT_TEMPLATES}/{rel}:{number}"
        return None

    return locate
