"""Configuration: keywords, then environment, then ~/.sem.yaml; clear errors."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from semaphore_async import AsyncClient, ConfigurationError
from semaphore_async._config import DEFAULT_TIMEOUT, Timeout, resolve_config

SEM_YAML = """\
active-context: acme_semaphoreci_com
contexts:
  acme_semaphoreci_com:
    auth:
      token: yaml-token-acme
    host: acme.semaphoreci.com
  other_semaphoreci_com:
    auth:
      token: yaml-token-other
    host: https://other.semaphoreci.com
"""


def write_sem(tmp_path: Path, text: str = SEM_YAML) -> Path:
    path = tmp_path / ".sem.yaml"
    path.write_text(text)
    return path


def test_keywords_win_over_environment_and_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Keywords take precedence over SEMAPHORE_* and ~/.sem.yaml."""
    write_sem(tmp_path)
    monkeypatch.setenv("SEMAPHORE_API_TOKEN", "env-token")
    monkeypatch.setenv("SEMAPHORE_HOST", "env.semaphoreci.com")
    config = resolve_config(org="kw", token="kw-token")
    assert config.base_url == "https://kw.semaphoreci.com"
    assert config.token == "kw-token"


def test_environment_wins_over_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SEMAPHORE_HOST (a bare host) and SEMAPHORE_API_TOKEN come before ~/.sem.yaml."""
    write_sem(tmp_path)
    monkeypatch.setenv("SEMAPHORE_API_TOKEN", "env-token")
    monkeypatch.setenv("SEMAPHORE_HOST", "env.semaphoreci.com")
    config = resolve_config()
    assert (config.base_url, config.token) == ("https://env.semaphoreci.com", "env-token")
    assert config.token_source == "SEMAPHORE_API_TOKEN"


def test_sem_yaml_active_context(tmp_path: Path) -> None:
    """With nothing else given, the active context of ~/.sem.yaml is used."""
    write_sem(tmp_path)
    config = resolve_config()
    assert (config.base_url, config.token) == ("https://acme.semaphoreci.com", "yaml-token-acme")


def test_sem_context_selects_another_context(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SEM_CONTEXT overrides active-context."""
    write_sem(tmp_path)
    monkeypatch.setenv("SEM_CONTEXT", "other_semaphoreci_com")
    config = resolve_config()
    assert (config.base_url, config.token) == ("https://other.semaphoreci.com", "yaml-token-other")


def test_token_from_env_host_from_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Token and host are resolved independently."""
    write_sem(tmp_path)
    monkeypatch.setenv("SEMAPHORE_API_TOKEN", "env-token")
    config = resolve_config()
    assert (config.base_url, config.token) == ("https://acme.semaphoreci.com", "env-token")


def test_missing_everything_names_every_place(tmp_path: Path) -> None:
    """The error lists keywords, environment variables and the file with its problem."""
    with pytest.raises(ConfigurationError) as info:
        AsyncClient()
    text = str(info.value)
    for place in (
        "token= keyword",
        "SEMAPHORE_API_TOKEN",
        "SEMAPHORE_HOST",
        "org= / base_url=",
        str(tmp_path / ".sem.yaml"),
        "file not found",
    ):
        assert place in text


def test_missing_context_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A SEM_CONTEXT that the file lacks is named in the error."""
    write_sem(tmp_path)
    monkeypatch.setenv("SEM_CONTEXT", "nope")
    with pytest.raises(ConfigurationError, match="context 'nope' not found"):
        resolve_config()


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    """A file that is not YAML is named as such, not a crash."""
    write_sem(tmp_path, "contexts: [unclosed\n")
    with pytest.raises(ConfigurationError, match="not valid YAML"):
        resolve_config()


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8000", "http://localhost:9", "http://[::1]:8080", "http://127.3.4.5"],
)
def test_http_allowed_on_loopback(base_url: str) -> None:
    """http:// works for 127.0.0.0/8, ::1 and localhost."""
    assert resolve_config(base_url=base_url, token="t").base_url == base_url


@pytest.mark.parametrize(
    "base_url", ["http://acme.semaphoreci.com", "http://10.0.0.5", "http://localhost.evil.com"]
)
def test_http_refused_elsewhere(base_url: str) -> None:
    """http:// to a non-loopback host is refused before any request."""
    with pytest.raises(ConfigurationError, match="unencrypted"):
        resolve_config(base_url=base_url, token="t")


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("acme.semaphoreci.com", "https://acme.semaphoreci.com"),
        ("https://acme.semaphoreci.com/", "https://acme.semaphoreci.com"),
        ("https://CI.Example.com:8443", "https://ci.example.com:8443"),
    ],
)
def test_origin_normalized(given: str, origin: str) -> None:
    """Bare hosts get https://; trailing slashes and case are normalized."""
    assert resolve_config(base_url=given, token="t").base_url == origin


@pytest.mark.parametrize(
    "bad",
    [
        "https://acme.semaphoreci.com/api/v1alpha",
        "ftp://acme",
        "https://user:pw@acme.com",
        "https://",
    ],
)
def test_bad_base_url(bad: str) -> None:
    """Paths, other schemes, credentials and empty hosts are refused with advice."""
    with pytest.raises(ConfigurationError):
        resolve_config(base_url=bad, token="t")


def test_org_and_base_url_conflict() -> None:
    """Both org= and base_url= is ambiguous."""
    with pytest.raises(ConfigurationError, match="either org= or base_url="):
        resolve_config(org="acme", base_url="https://x.example", token="t")


def test_org_must_be_a_name() -> None:
    """org= given a URL explains to use base_url=."""
    with pytest.raises(ConfigurationError, match="base_url="):
        resolve_config(org="https://acme.semaphoreci.com", token="t")


@pytest.mark.parametrize(
    ("name", "value"),
    [("max_retries", -1), ("max_connections", 0), ("concurrency", 0), ("concurrency", True)],
)
def test_invalid_counts(name: str, value: int) -> None:
    """Counts out of range raise ConfigurationError naming the keyword."""
    with pytest.raises(ConfigurationError, match=name):
        resolve_config(org="acme", token="t", **{name: value})  # type: ignore[arg-type]


def test_timeout_forms() -> None:
    """Seconds, ClientTimeout and None all become a Timeout; the default has connect."""
    assert resolve_config(org="a", token="t").timeout == DEFAULT_TIMEOUT
    assert resolve_config(org="a", token="t", timeout=5).timeout == Timeout(5.0, 5.0)
    assert resolve_config(org="a", token="t", timeout=30).timeout == Timeout(30.0, 10.0)
    client_timeout = aiohttp.ClientTimeout(total=12, connect=3)
    assert resolve_config(org="a", token="t", timeout=client_timeout).timeout == Timeout(12, 3)
    assert resolve_config(org="a", token="t", timeout=None).timeout == Timeout(None, None)
    with pytest.raises(ConfigurationError):
        resolve_config(org="a", token="t", timeout=-1)


def test_token_with_whitespace_refused() -> None:
    """A token pasted with a line break gets a clear error, without echoing the token."""
    with pytest.raises(ConfigurationError) as info:
        resolve_config(org="a", token="abc\n")
    assert "abc" not in str(info.value)


def test_token_not_in_repr() -> None:
    """Neither the config nor the client shows the token."""
    client = AsyncClient(org="acme", token="very-secret-token")
    assert "very-secret-token" not in repr(client.config)
    assert "very-secret-token" not in repr(client)


def test_user_agent() -> None:
    """The reference's required agent string comes first, the user's token last."""
    config = resolve_config(org="a", token="t", user_agent="deploy-bot/2.1")
    assert config.user_agent.startswith("SemaphoreCI v2.0 Client semaphore-async/")
    assert config.user_agent.endswith(" deploy-bot/2.1")
    assert not config.user_agent.startswith("SemaphoreCLI")


def test_broken_yaml_names_its_line(tmp_path: Path) -> None:
    """The line and column of the YAML error are in the message."""
    write_sem(tmp_path, "active-context: a\ncontexts:\n  a: {host: x\n")
    with pytest.raises(ConfigurationError, match=r"not valid YAML at line \d+, column \d+"):
        resolve_config()


@pytest.mark.parametrize("host", ["acme", "https://acme", "acme:443"])
def test_a_host_without_a_dot_is_refused_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    """SEMAPHORE_HOST=acme is an organization name, not a host: refused, with the host
    it probably means, instead of calling https://acme."""
    monkeypatch.setenv("SEMAPHORE_HOST", host)
    with pytest.raises(ConfigurationError, match=r"Did you mean acme\.semaphoreci\.com\?") as info:
        resolve_config(token="t")
    assert "SEMAPHORE_HOST" in str(info.value)
    assert resolve_config(token="t", base_url="http://localhost:8000").base_url == (
        "http://localhost:8000"
    )
