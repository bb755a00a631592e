#!/usr/bin/env python3
"""Peer verifiers for scripts/bench-peers, and the generator of the signed set.

  peers.py gen OUTDIR N        N signed Okta-style responses (base64 files, ~5 KB of XML
                               each, all different) + OUTDIR/tampered.b64 + OUTDIR/idp-cert.pem
  peers.py signxml CERT FILE...      verify each with signxml's XMLVerifier
  peers.py python3-saml CERT FILE... validate each with python3-saml (OneLogin_Saml2_Response
                                     .is_valid: signature, issuer, audience, destination, times)
  peers.py python3-saml-sig CERT FILE...  python3-saml's signature check alone
                                     (OneLogin_Saml2_Utils.validate_sign on the parsed document)

The verifiers read every file first, then time verification only, and print
`ok=N rejected=M seconds=S`. Keys are the throwaway test keys of
tests/fixtures/gen/keys/ (generate.py's builder and signer are reused).
"""

from __future__ import annotations

import base64
import datetime as dt
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "fixtures" / "gen"))

AWS_ACS = "https://signin.aws.amazon.com/saml"
AWS_AUDIENCE = "urn:amazon:webservices"


def gen(outdir: Path, n: int) -> None:
    import generate as g

    keys = g.ensure_keys()
    outdir.mkdir(parents=True, exist_ok=True)
    # Valid for a day from now, so validators that check times (python3-saml) accept them.
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    day = dt.timedelta(days=1)
    base = g.Resp(issue_instant=now, not_on_or_after=day, sc_not_on_or_after=day)
    width = len(str(n))
    sizes = []
    for i in range(n):
        user = f"user{i:05d}@example.com"
        p = base.replace(
            label=f"bench-{i}",
            nameid=user,
            session_name=user,
            extra_attributes=(
                ("https://aws.amazon.com/SAML/Attributes/PrincipalTag:Department", (f"dept-{i % 17}",)),
                ("https://aws.amazon.com/SAML/Attributes/PrincipalTag:CostCenter", (f"cc-{i % 101:04d}",)),
            ),
        )
        xml = g.sign(g.response_xml(p), p.aid, keys["idp"])
        sizes.append(len(xml))
        (outdir / f"r{i:0{width}d}.b64").write_text(base64.b64encode(xml).decode())
        if i == 0:
            # The same response with its first Role value changed after signing.
            bad = xml.replace(b"role/Admin<", b"role/Admim<", 1)
            assert bad != xml, "role to tamper with not found"
            (outdir / "tampered.b64").write_text(base64.b64encode(bad).decode())
    (outdir / "idp-cert.pem").write_bytes(keys["idp"].cert_pem)
    print(f"generated {n} responses, {min(sizes)}..{max(sizes)} bytes of XML", file=sys.stderr)


def load(files: list[str]) -> list[bytes]:
    return [base64.b64decode(Path(f).read_bytes()) for f in files]


def run_signxml(cert: str, files: list[str]) -> None:
    from signxml import XMLVerifier

    pem = Path(cert).read_text()
    docs = load(files)
    ok = rejected = 0
    start = time.perf_counter()
    for d in docs:
        try:
            XMLVerifier().verify(d, x509_cert=pem, expect_references=1)
            ok += 1
        except Exception:  # noqa: BLE001 - any failure is a rejection
            rejected += 1
    report(ok, rejected, time.perf_counter() - start)


def run_python3_saml(cert: str, files: list[str]) -> None:
    from onelogin.saml2.response import OneLogin_Saml2_Response
    from onelogin.saml2.settings import OneLogin_Saml2_Settings

    pem = Path(cert).read_text()
    body = "".join(l for l in pem.splitlines() if not l.startswith("-----"))
    settings = OneLogin_Saml2_Settings(
        {
            "strict": True,
            "sp": {
                "entityId": AWS_AUDIENCE,
                "assertionConsumerService": {"url": AWS_ACS},
            },
            "idp": {
                "entityId": "http://www.okta.com/exk1fxp0h4KeDbOKs5d7",
                "singleSignOnService": {"url": "https://dev-123.okta.com/app/amazon_aws/sso/saml"},
                "x509cert": body,
            },
            "security": {"wantAssertionsSigned": True},
        },
        sp_validation_only=True,
    )
    request = {"https": "on", "http_host": "signin.aws.amazon.com", "script_name": "/saml", "get_data": {}, "post_data": {}}
    raw = [Path(f).read_text().strip() for f in files]
    ok = rejected = 0
    first_error = None
    start = time.perf_counter()
    for r in raw:
        resp = OneLogin_Saml2_Response(settings, r)
        if resp.is_valid(request, raise_exceptions=False):
            ok += 1
        else:
            rejected += 1
            first_error = first_error or resp.get_error()
    report(ok, rejected, time.perf_counter() - start)
    if first_error:
        print(f"python3-saml: first rejection: {first_error}", file=sys.stderr)


def run_python3_saml_sig(cert: str, files: list[str]) -> None:
    from onelogin.saml2.utils import OneLogin_Saml2_Utils
    from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

    pem = Path(cert).read_text()
    docs = load(files)
    ok = rejected = 0
    start = time.perf_counter()
    for d in docs:
        dom = OneLogin_Saml2_XML.to_etree(d)
        if OneLogin_Saml2_Utils.validate_sign(dom, cert=pem, raise_exceptions=False):
            ok += 1
        else:
            rejected += 1
    report(ok, rejected, time.perf_counter() - start)


def report(ok: int, rejected: int, seconds: float) -> None:
    print(f"ok={ok} rejected={rejected} seconds={seconds:.4f}")


def main() -> int:
    cmd, *rest = sys.argv[1:]
    if cmd == "gen":
        gen(Path(rest[0]), int(rest[1]))
    elif cmd == "signxml":
        run_signxml(rest[0], rest[1:])
    elif cmd == "python3-saml":
        run_python3_saml(rest[0], rest[1:])
    elif cmd == "python3-saml-sig":
        run_python3_saml_sig(rest[0], rest[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
