"""Validates the OpenAPI document served by MotCua against the OpenAPI 3.1 schema."""
import json
import pathlib
import re
import sys

from openapi_spec_validator import validate

src = pathlib.Path(__file__).resolve().parent.parent / "Sources/Web/API/OpenAPIDocument.swift"
text = src.read_text(encoding="utf-8")
m = re.search(r'static let text = #"""\n(.*?)\n\s*"""#', text, re.S)
if not m:
    sys.exit("OpenAPI text block not found in " + str(src))
doc = json.loads(m.group(1))
validate(doc)
print(f"OpenAPI {doc['openapi']} document is valid: {len(doc['paths'])} paths")
