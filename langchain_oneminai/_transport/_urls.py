"""Where requests may go (pure): base URLs, the key's host, fetched URLs and redirects.

The API key opens the whole 1min.ai account and every call is billed, so the transport never
lets a URL decide more than the user granted:

* ``check_base_url``: a base URL is ``http(s)://host[:port][/prefix]``, nothing else, and not
  the ``/api`` path itself (the client adds ``/api/...``; a doubled prefix only 404s).
* ``display_url``: credentials in a URL (``user:pass@``) never reach a repr or a log.
* ``address_refusal``: a URL the client fetches on the user's behalf (an image URL in a
  message, a media tool's input chosen by a model, a redirect) must not reach loopback,
  private or link-local addresses (a cloud metadata endpoint), unless its host is one the
  user configured (``base_url``, ``asset_base_url``) or ``allow_private_urls`` is set.
* ``redirect_target``: where a download's redirect leads, checked like any fetched URL.

Only downloads follow redirects; API calls never do (``errors.UnexpectedRedirectError``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from langchain_oneminai.errors import InvalidInputError, URLNotAllowedError

MAX_REDIRECTS = 5
"""Hops a download follows (pre-signed URLs redirect once or twice)."""

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
"""Host names that always mean this machine."""


def check_base_url(url: str, *, what: str = "base_url", api: bool = True) -> str:
    """``url`` without its trailing slash, once it is a usable API or asset base URL.

    Raises:
        InvalidInputError: another scheme (``file://``, ``ftp://``), no scheme or host, a
            query or fragment, or a path ending in ``/api`` (the client adds it).
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidInputError(f"{what} must be a URL such as https://api.1min.ai; got {url!r}.")
    parts = urlsplit(url.strip())
    shown = display_url(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        hint = f" Did you mean https://{url.strip()}?" if "://" not in url else ""
        raise InvalidInputError(
            f"{what} must start with https:// (or http://) and name a host; got {shown!r}.{hint}"
        )
    if not parts.hostname:
        raise InvalidInputError(f"{what} has no host name: {shown!r}.")
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise InvalidInputError(f"{what} has an invalid port: {shown!r}.") from None
    if parts.query or parts.fragment:
        raise InvalidInputError(
            f"{what} must not carry a query or fragment (the client adds paths and queries); "
            f"got {shown!r}."
        )
    path = parts.path.rstrip("/")
    if api and (path == "/api" or path.endswith("/api")):
        raise InvalidInputError(
            f"{what} must be the host of the API, without /api (the client adds /api/... "
            f"itself, so this would request /api/api/...): use "
            f"{display_url(urlunsplit((parts.scheme, parts.netloc, path[:-4], '', '')))!r}."
        )
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def display_url(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@``, for reprs, logs and errors."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def host_of(url: str) -> str:
    """The lower-case host name of ``url`` (``""`` when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def is_local_host(host: str) -> bool:
    """Whether a host name or literal address is this machine (cleartext is fine there)."""
    host = host.lower().strip("[]")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return bool(_effective(ipaddress.ip_address(host)).is_loopback)
    except ValueError:
        return False


def is_cleartext_to_remote(url: str) -> bool:
    """Whether a key sent to ``url`` would cross the network unencrypted."""
    return urlsplit(url).scheme == "http" and not is_local_host(host_of(url))


_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _effective(address: _Address) -> _Address:
    # ::ffff:127.0.0.1 and 64:ff9b::/96-style wrappings reach the IPv4 address inside.
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return mapped
    return address


def is_internal_address(address: str) -> bool:
    """Whether an IP address is loopback, private, link-local or otherwise not public."""
    try:
        ip = _effective(ipaddress.ip_address(address.split("%", 1)[0]))
    except ValueError:
        return True  # not an address we can judge: refuse rather than guess
    return bool(
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def address_refusal(
    url: str,
    addresses: Iterable[str],
    *,
    granted_hosts: Iterable[str],
    allow_private: bool,
) -> str | None:
    """Why fetching ``url`` is refused, or ``None`` when it may be fetched (pure).

    Args:
        url: The URL about to be fetched.
        addresses: The IP addresses its host resolved to.
        granted_hosts: Hosts the user configured (API and asset hosts): always allowed.
        allow_private: The user's opt-in to internal addresses.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"only http(s) URLs are fetched, not {parts.scheme or 'scheme-less'} ones"
    host = (parts.hostname or "").lower()
    if not host:
        return "the URL names no host"
    if allow_private or host in {h.lower() for h in granted_hosts}:
        return None
    internal = sorted({a for a in addresses if is_internal_address(a)})
    if internal:
        return (
            f"its host {host!r} resolves to {', '.join(internal[:3])}, an address on this "
            "machine or a private network (such URLs can reach internal services, e.g. a "
            "cloud metadata endpoint)"
        )
    return None


def refuse(url: str, reason: str) -> URLNotAllowedError:
    """The error for a refused fetch; says what to do."""
    return URLNotAllowedError(
        f"Refusing to fetch {_short(display_url(url))}: {reason}. Nothing was fetched or sent. "
        "If you trust this address, pass allow_private_urls=True (on the model, tool or "
        "client)."
    )


def redirect_target(url: str, location: str | None, hops: int) -> str:
    """The absolute URL a download's redirect leads to (pure).

    Raises:
        URLNotAllowedError: no ``Location``, a scheme other than http(s), or more than
            ``MAX_REDIRECTS`` hops.
    """
    if hops >= MAX_REDIRECTS:
        raise URLNotAllowedError(
            f"Refusing to follow more than {MAX_REDIRECTS} redirects while downloading "
            f"{_short(display_url(url))}; nothing more was fetched."
        )
    if not location or not location.strip():
        raise URLNotAllowedError(
            f"The download of {_short(display_url(url))} was redirected without a Location."
        )
    target = urljoin(url, location.strip())
    if urlsplit(target).scheme not in ("http", "https"):
        raise URLNotAllowedError(
            f"The download of {_short(display_url(url))} was redirected to a "
            f"{urlsplit(target).scheme or 'scheme-less'} URL; only http(s) is followed."
        )
    return target


def _short(url: str) -> str:
    return repr(url if len(url) <= 120 else url[:119] + "…")
