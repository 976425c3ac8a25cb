"""Client configuration, resolved once into a frozen :class:`Config`.

Resolution order, the same as Semaphore's own CLIs:

1. keywords given to the client (``org=`` / ``base_url=``, ``token=``);
2. the environment: ``SEMAPHORE_API_TOKEN`` and ``SEMAPHORE_HOST`` (a bare host such
   as ``acme.semaphoreci.com`` or an origin URL);
3. the ``sem`` CLI's ``~/.sem.yaml``: the context named by ``SEM_CONTEXT``, else its
   ``active-context``; ``contexts.<name>.host`` and ``contexts.<name>.auth.token``.

Token and host are resolved independently, so ``SEMAPHORE_API_TOKEN`` can be combined
with a host from ``~/.sem.yaml``.
"""

from __future__ import annotations

import ipaddress
import math
import os
import platform
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import attrs

from ._errors import ConfigurationError
from ._version import __version__

if TYPE_CHECKING:
    import aiohttp

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "Config",
    "NotGiven",
    "Timeout",
    "resolve_config",
]


class NotGiven:
    """Marks a keyword the caller did not pass (``None`` can be a meaningful value)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Final = NotGiven()


@attrs.frozen
class Timeout:
    """Per-attempt time limits in seconds, ``None`` for no limit; the fields of an
    ``aiohttp.ClientTimeout`` that the SDK passes on.

    * ``total``: the whole attempt, from sending to the last byte of the answer;
    * ``connect``: getting a connection, from the pool or a new socket;
    * ``sock_connect``: opening a new socket to the server;
    * ``sock_read``: the longest wait for the next piece of the answer.
    """

    total: float | None
    connect: float | None = None
    sock_read: float | None = None
    sock_connect: float | None = None


DEFAULT_TIMEOUT: Final = Timeout(total=60.0, connect=10.0)
"""60 s covers the ingress's own 30 s limit with room; 10 s to connect."""
DEFAULT_MAX_RETRIES: Final = 3
DEFAULT_MAX_CONNECTIONS: Final = 100
DEFAULT_CONCURRENCY: Final = 16

BASE_USER_AGENT: Final = (
    # The reference asks every client to identify as "SemaphoreCI v2.0 Client". Never start
    # with "SemaphoreCLI/": the auth layer rejects such agents it thinks are outdated.
    f"SemaphoreCI v2.0 Client semaphore-async/{__version__} python/{platform.python_version()}"
)


@attrs.frozen
class Config:
    """Everything a client needs, resolved and validated. The token is kept out of ``repr``."""

    base_url: str
    token: str = attrs.field(repr=False)
    timeout: Timeout = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    concurrency: int = DEFAULT_CONCURRENCY
    user_agent: str = BASE_USER_AGENT
    token_source: str = "token= keyword"  # noqa: S105 - names where the token came from


def resolve_config(
    *,
    org: str | NotGiven | None = NOT_GIVEN,
    token: str | NotGiven | None = NOT_GIVEN,
    base_url: str | NotGiven | None = NOT_GIVEN,
    timeout: float | Timeout | aiohttp.ClientTimeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    max_connections: int | NotGiven = NOT_GIVEN,
    concurrency: int | NotGiven = NOT_GIVEN,
    user_agent: str | NotGiven | None = NOT_GIVEN,
    environ: Mapping[str, str] | None = None,
    sem_config_path: Path | None = None,
) -> Config:
    """Resolve keywords, environment and ``~/.sem.yaml`` into a :class:`Config`.

    Raises :class:`ConfigurationError` naming every place that was looked at when the
    token or host cannot be found, and for any invalid setting.
    """
    env = os.environ if environ is None else environ
    path = sem_config_path if sem_config_path is not None else Path.home() / ".sem.yaml"
    sem = _SemFile(path, env)

    if org and base_url:
        raise ConfigurationError("Pass either org= or base_url=, not both.")

    # ~/.sem.yaml is read only for a setting that neither keywords nor the environment
    # gave (_SemFile loads lazily).
    host: str | None = None
    host_source = "org= / base_url= keywords"
    if isinstance(base_url, str) and base_url:
        host = base_url
    elif isinstance(org, str) and org:
        if not _is_org_name(org):
            raise ConfigurationError(
                f"org={org!r} is not an organization name; pass the name only (as in "
                "https://NAME.semaphoreci.com), or a full origin as base_url="
            )
        host = f"https://{org}.semaphoreci.com"
    elif env.get("SEMAPHORE_HOST"):
        host, host_source = env["SEMAPHORE_HOST"], "SEMAPHORE_HOST"
    else:
        host, host_source = sem.get("host"), str(path)

    token_value: str | None
    token_source: str
    if isinstance(token, str) and token:
        token_value, token_source = token, "token= keyword"
    elif env.get("SEMAPHORE_API_TOKEN"):
        token_value, token_source = env["SEMAPHORE_API_TOKEN"], "SEMAPHORE_API_TOKEN"
    else:
        token_value, token_source = sem.get("auth.token"), str(path)

    looked_at = {
        "Semaphore host": (host, "org= / base_url= keywords", "SEMAPHORE_HOST", "host"),
        "API token": (token_value, "token= keyword", "SEMAPHORE_API_TOKEN", "auth.token"),
    }
    missing = [
        f"No {what} found. Looked at: {keyword}; {variable} environment variable; "
        f"{sem.describe(key)}."
        for what, (value, keyword, variable, key) in looked_at.items()
        if not value
    ]
    if missing:
        raise ConfigurationError(
            " ".join(missing) + " Pass org= (or base_url=) and token=, or set "
            "SEMAPHORE_HOST and SEMAPHORE_API_TOKEN, or run `sem connect`."
        )
    assert host is not None and token_value is not None
    if any(c.isspace() for c in token_value):
        raise ConfigurationError(
            f"The API token from {token_source} contains whitespace; copy it again without "
            "spaces or line breaks."
        )

    return Config(
        base_url=normalize_origin(host, source=host_source),
        token=token_value,
        timeout=_timeout(timeout),
        max_retries=_count("max_retries", max_retries, DEFAULT_MAX_RETRIES, minimum=0),
        max_connections=_count(
            "max_connections", max_connections, DEFAULT_MAX_CONNECTIONS, minimum=1
        ),
        concurrency=_count("concurrency", concurrency, DEFAULT_CONCURRENCY, minimum=1),
        user_agent=_user_agent(user_agent),
        token_source=token_source,
    )


def normalize_origin(host: str, *, source: str = "base_url=") -> str:
    """Turn a bare host or an origin URL into ``scheme://host[:port]``.

    ``http://`` is accepted only for loopback hosts, so a token never crosses a
    network in clear text. A host without a dot (``acme``) is refused with a hint,
    unless it is a loopback name: it is almost always an organization name given where
    a host belongs.
    """
    raw = host.strip()
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"{host!r} is not a usable Semaphore host; use a host such as "
            "acme.semaphoreci.com or an origin such as https://acme.semaphoreci.com"
        )
    name = parts.hostname
    if "." not in name and ":" not in name and not is_loopback(name):
        raise ConfigurationError(
            f"{host!r} (from {source}) is not a host name: it has no dot. Did you mean "
            f"{name}.semaphoreci.com? Or pass org={name!r} instead of a host."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigurationError(
            f"{host!r} has a path or query; give the origin only "
            f"({parts.scheme}://{parts.netloc}), the SDK adds /api/v1alpha/... itself"
        )
    if parts.username or parts.password:
        raise ConfigurationError(
            "The host must not contain credentials; pass the token as token= instead"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"Refusing http:// for {parts.hostname}: the API token would travel unencrypted. "
            "Use https://, or http:// only for a loopback host (127.0.0.1, ::1, localhost)."
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def is_loopback(hostname: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``."""
    if hostname.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_org_name(org: str) -> bool:
    return all(c.isalnum() or c == "-" for c in org)


def _count(name: str, value: int | NotGiven, default: int, *, minimum: int) -> int:
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigurationError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


_TIMEOUT_FIELDS: Final = ("total", "connect", "sock_read", "sock_connect")
# ClientTimeout's other field: it rounds deadlines above this many seconds up to whole
# seconds. The SDK passes on only the limits above, so a changed one is refused.
_CEIL_THRESHOLD_DEFAULT: Final = 5


def _timeout(value: float | Timeout | aiohttp.ClientTimeout | NotGiven | None) -> Timeout:
    if isinstance(value, NotGiven):
        return DEFAULT_TIMEOUT
    if value is None:
        return Timeout(total=None, connect=None)
    if isinstance(value, bool):
        raise ConfigurationError(
            f"timeout must be seconds or an aiohttp.ClientTimeout, got {value!r}"
        )
    if isinstance(value, (int, float)):
        seconds = _seconds("timeout", value)
        connect = DEFAULT_TIMEOUT.connect or seconds
        return Timeout(total=seconds, connect=min(seconds, connect))
    if not all(hasattr(value, name) for name in _TIMEOUT_FIELDS):
        raise ConfigurationError(
            f"timeout must be seconds or an aiohttp.ClientTimeout, got {value!r}"
        )
    ceil = getattr(value, "ceil_threshold", _CEIL_THRESHOLD_DEFAULT)
    if ceil != _CEIL_THRESHOLD_DEFAULT:
        raise ConfigurationError(
            f"timeout={value!r}: the SDK passes on total, connect, sock_read and "
            f"sock_connect only, so ceil_threshold={ceil!r} would be dropped; leave it at "
            f"its default ({_CEIL_THRESHOLD_DEFAULT})"
        )
    limits = {
        name: None
        if getattr(value, name) is None
        else _seconds(f"timeout.{name}", getattr(value, name))
        for name in _TIMEOUT_FIELDS
    }
    return Timeout(**limits)


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{name} must be a number of seconds, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(
            f"{name} must be a finite number of seconds above zero, got {value!r} "
            "(pass timeout=None for no limit at all)"
        )
    return float(value)


def _user_agent(extra: str | NotGiven | None) -> str:
    if isinstance(extra, str) and extra.strip():
        if any(c in extra for c in "\r\n"):
            raise ConfigurationError("user_agent must be one line")
        return f"{BASE_USER_AGENT} {extra.strip()}"
    return BASE_USER_AGENT


class _SemFile:
    """The sem CLI's config file, read lazily and at most once."""

    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        self.path = path
        self.env = env
        self._context: Mapping[str, Any] | None = None
        self._problem: str | None = None
        self._name: str | None = None
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self._problem = "file not found"
            return
        except OSError as exc:
            self._problem = f"unreadable ({exc.strerror})"
            return
        import yaml  # only when the file exists: keeps client construction cheap

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None)
            self._problem = f"not valid YAML{where}" + (f": {problem}" if problem else "")
            return
        if not isinstance(data, dict):
            self._problem = "not a mapping"
            return
        name = self.env.get("SEM_CONTEXT") or data.get("active-context")
        self._name = str(name) if name else None
        if not name:
            self._problem = "no active-context and SEM_CONTEXT is not set"
            return
        contexts = data.get("contexts")
        context = contexts.get(name) if isinstance(contexts, dict) else None
        if not isinstance(context, dict):
            self._problem = f"context {name!r} not found"
            return
        self._context = context

    def get(self, dotted: str) -> str | None:
        self._load()
        node: Any = self._context
        for key in dotted.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        return str(node) if isinstance(node, (str, int)) and str(node) else None

    def describe(self, dotted: str) -> str:
        self._load()
        where = f"{self.path}"
        if self._problem:
            return f"{where} ({self._problem})"
        found = "set" if self.get(dotted) else "not set"
        return f"{where} (contexts.{self._name}.{dotted}: {found})"
