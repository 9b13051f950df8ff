"""``mandate keys``: the returning officer's key file and the server secret.

The passphrase of a key file comes from ``--passphrase-file`` (its first line), else from
``$MANDATE_KEY_PASSPHRASE`` (for scripts), else from a prompt that does not echo.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from mandate.cli.options import PassphraseFile
from mandate.config import KEY_PASSPHRASE_ENV
from mandate.errors import InputError, SigningKeyError

if TYPE_CHECKING:
    from mandate.crypto import SeedSigner

__all__ = ["keys_app", "open_signer", "passphrase"]

console = Console(stderr=True)
keys_app = typer.Typer(
    help="Make the returning officer's key file and the server secret.", no_args_is_help=True
)


def passphrase(passphrase_file: Path | None, *, new: bool = False) -> str:
    """The key file's passphrase: from the file given, the environment, or a prompt."""
    if passphrase_file is not None:
        try:
            lines = passphrase_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{passphrase_file}: cannot read the passphrase ({error})") from None
        if not lines or not lines[0]:
            raise InputError(f"{passphrase_file}: the first line (the passphrase) is empty")
        return lines[0]
    from_env = os.environ.get(KEY_PASSPHRASE_ENV)
    if from_env:
        return from_env
    text: str = typer.prompt(
        "Passphrase for the new key file" if new else "Key file passphrase",
        hide_input=True,
        confirmation_prompt=new,
        err=True,
    )
    return text


def open_signer(key_file: Path | None, passphrase_file: Path | None) -> SeedSigner:
    """Open the returning officer's key file for a step that signs.

    Raises:
        SigningKeyError: no key file given, or it does not open.
    """
    from mandate.service.keys import load_signer

    if key_file is None:
        raise SigningKeyError(
            "this step is signed with the returning officer's key: give --key-file FILE "
            "(or set MANDATE_KEY_FILE); make one with `mandate keys create FILE`"
        )
    return load_signer(key_file, passphrase(passphrase_file))


def open_or_create_signer(key_file: Path | None, passphrase_file: Path | None) -> SeedSigner:
    """The key file's signer, making the key file first if it does not exist."""
    if key_file is not None and not key_file.exists():
        return create(key_file, passphrase_file)
    return open_signer(key_file, passphrase_file)


def create(key_file: Path, passphrase_file: Path | None) -> SeedSigner:
    """Make a new key file and say where it is and what its public key is."""
    from mandate.crypto import key_fingerprint
    from mandate.service.keys import create_key_file

    signer = create_key_file(key_file, passphrase(passphrase_file, new=True))
    console.print(
        f"made the key file {key_file} (mode 0600): keep it, and its passphrase, off the "
        f"server; public key {signer.public_key}, fingerprint {key_fingerprint(signer.public_key)}"
    )
    return signer


@keys_app.command("create")
def keys_create(
    key_file: Annotated[Path, typer.Argument(help="The key file to make (never overwritten).")],
    passphrase_file: PassphraseFile = None,
) -> None:
    """Make a returning officer's signing key in a new passphrase-protected key file."""
    signer = create(key_file, passphrase_file)
    typer.echo(signer.public_key)


@keys_app.command("show")
def keys_show(
    key_file: Annotated[Path, typer.Argument(help="A key file.")],
    check: Annotated[
        bool, typer.Option("--check", help="Also open it with its passphrase.")
    ] = False,
    passphrase_file: PassphraseFile = None,
) -> None:
    """Print a key file's public key and fingerprint (with --check, open it to prove both)."""
    from mandate.crypto import key_fingerprint
    from mandate.service.keys import key_file_public_key

    public_key = (
        open_signer(key_file, passphrase_file).public_key
        if check
        else (key_file_public_key(key_file))
    )
    typer.echo(f"public key:  {public_key}\nfingerprint: {key_fingerprint(public_key)}")


@keys_app.command("secret")
def keys_secret(
    secret_file: Annotated[
        Path, typer.Argument(help="The file to make, outside the data folder (never overwritten).")
    ],
) -> None:
    """Make the server secret from which voting credentials' keys are derived (mode 0600)."""
    from mandate.service.keys import create_server_secret

    create_server_secret(secret_file)
    console.print(
        f"made the server secret {secret_file} (mode 0600); give it to every mandate command "
        "and server with --secret-file or MANDATE_SECRET_FILE, and back it up: without it, "
        "issued voting codes cannot be checked"
    )
