from __future__ import annotations

import argparse
import os
import shlex

AUTO_CAST = ("none", "matmult", "all")


def build_parser() -> argparse.ArgumentParser:
    """The compiler's command line: its flags are APIs, each with a level and a contract."""
    parser = argparse.ArgumentParser(prog="neuron-cc")
    parser.add_argument("--auto-cast", choices=AUTO_CAST, default="none", help="cast operators to lower precision")
    parser.add_argument("-O", "--optlevel", type=int, choices=(1, 2, 3), default=2)
    parser.add_argument("--target", choices=("trn1", "inf2"), default="trn1")
    return parser


def parse_compiler_flags(text: str) -> dict[str, str]:
    """Parse a compiler command line such as ``--auto-cast=matmult -O2``."""
    flags: dict[str, str] = {}
    for token in shlex.split(text):
        if token.startswith("--"):
            name, _, value = token[2:].partition("=")
            flags[name] = value or "true"
        elif token.startswith("-O"):
            flags["optlevel"] = token[2:] or "1"
        else:
            raise ValueError(f"unexpected compiler argument {token!r}")
    if flags.get("auto-cast", "none") not in AUTO_CAST:
        raise ValueError(f"--auto-cast must be one of {AUTO_CAST}")
    return flags


def visible_cores(environ: dict[str, str] | None = None) -> list[int]:
    """Cores from NEURON_RT_VISIBLE_CORES: ``"0-3"``, ``"1,3"`` or unset (core 0)."""
    value = (os.environ if environ is None else environ).get("NEURON_RT_VISIBLE_CORES", "0")
    cores: list[int] = []
    for part in value.split(","):
        first, _, last = part.partition("-")
        cores.extend(range(int(first), int(last or first) + 1))
    return cores
