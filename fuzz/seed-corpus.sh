#!/usr/bin/env bash
# Seeds each target's corpus from the bundled samples and test fixtures.
set -euo pipefail
cd "$(dirname "$0")"
for t in decode xml_parse saml_model pipeline har; do mkdir -p "corpus/$t"; done
cp ../samples/*.b64 ../samples/*.txt ../samples/broken/*.b64 ../samples/broken/*.txt ../tests/fixtures/decode/* corpus/decode/
cp ../samples/*.xml ../samples/broken/*.xml ../tests/fixtures/signature/*.xml corpus/xml_parse/
cp ../samples/*.xml ../tests/fixtures/signature/*.xml corpus/saml_model/
cp ../samples/*.b64 ../samples/*.xml ../tests/fixtures/signature/*.xml corpus/pipeline/
cp ../samples/*.har ../samples/*.json ../tests/fixtures/har/*.har ../tests/fixtures/tracer/*.json corpus/har/
