// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The OpenAPI 3.1 description of `/api/v1`. Tests check it is valid and lists exactly the routes served.
enum OpenAPIDocument {
    static let json: [UInt8] = Array(text.utf8)

    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "MotCua API",
        "version": "1.0.0",
        "description": "Provincial system for administrative procedures (thủ tục hành chính). Instants are ISO 8601 with an offset; the API answers in Vietnam time (+07:00). Errors are application/problem+json.",
        "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
      },
      "servers": [{"url": "/"}],
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
          "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
              "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
              "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
              "currentStatus": {"type": "integer"}, "allowedActions": {"type": "array", "items": {"type": "string"}}, "currentVersion": {"type": "integer"}
            }
          },
          "Petition": {
            "type": "object",
            "required": ["code", "unit", "class", "content", "status", "receivedAt", "deadlines", "onTime", "version", "allowedActions"],
            "properties": {
              "code": {"type": "string", "description": "PAKN-{unit}-{yyMMdd}-{NNNN}"}, "unit": {"type": "string"},
              "class": {"type": "string", "enum": ["procedure", "conduct"]}, "dossierCode": {"type": ["string", "null"]}, "official": {"type": ["string", "null"]},
              "petitioner": {"type": ["object", "null"], "description": "Only for the unit's officials and the petitioner", "properties": {"fullName": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": ["string", "null"]}}},
              "content": {"type": "string"}, "status": {"type": "string", "enum": ["received", "awaiting-supplement", "rejected", "answered", "published"]},
              "statusText": {"type": "string"}, "receivedAt": {"type": "string", "format": "date-time"}, "answer": {"type": ["string", "null"]},
              "answeredAt": {"type": ["string", "null"]}, "publishedAt": {"type": ["string", "null"]}, "likes": {"type": "integer"}, "dislikes": {"type": "integer"},
              "recomplaintOf": {"type": ["string", "null"]}, "recomplained": {"type": "boolean"},
              "deadlines": {"type": "object", "properties": {"rejectBy": {"type": "string"}, "requestSupplementBy": {"type": "string"}, "handleBy": {"type": "string"}, "publishBy": {"type": ["string", "null"]}, "pending": {"type": ["string", "null"]}}},
              "onTime": {"type": "boolean"}, "version": {"type": "integer"},
              "allowedActions": {"type": "array", "items": {"type": "string", "enum": ["reject", "request-supplement", "supplement", "answer", "publish"]}},
              "events": {"type": ["array", "null"], "items": {"type": "object", "properties": {"at": {"type": "string"}, "actor": {"type": "string"}, "action": {"type": "string"}, "text": {"type": ["string", "null"]}}}}
            }
          },
          "Applicant": {
            "type": "object",
            "required": ["idNumber", "fullName"],
            "properties": {
              "idNumber": {"type": "string", "description": "12-digit personal ID (CCCD); masked in lists"},
              "fullName": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": "string"}, "address": {"type": "string"},
              "kind": {"type": "string", "enum": ["citizen", "enterprise", "organization"]}
            }
          },
          "Event": {
            "type": "object",
            "properties": {
              "seq": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"}, "actorUnit": {"type": ["string", "null"]},
              "action": {"type": "string"}, "fromStatus": {"type": ["integer", "null"]}, "toStatus": {"type": "integer"}, "note": {"type": ["string", "null"]},
              "data": {"type": "object", "additionalProperties": {"type": "string"}}, "hash": {"type": "string"}
            }
          },
          "Dossier": {
            "type": "object",
            "required": ["code", "status", "version", "allowedActions"],
            "properties": {
              "id": {"type": "string"}, "code": {"type": "string", "description": "{agency code}-{yyMMdd}-{NNNN}"},
              "procedureCode": {"type": "string"}, "procedureName": {"type": "string"}, "procedureVersion": {"type": "integer"},
              "channel": {"type": "string", "enum": ["window", "post", "online"]},
              "status": {"type": "integer", "minimum": 1, "maximum": 10, "description": "DVCQG TrangThaiHoSo"},
              "statusName": {"type": "string"}, "stage": {"type": "string"},
              "receivingUnit": {"type": "string"}, "competentUnit": {"type": "string"}, "handlingUnit": {"type": "string"}, "assignee": {"type": ["string", "null"]},
              "applicant": {"$ref": "#/components/schemas/Applicant"}, "subject": {"type": "string"},
              "submittedAt": {"type": "string", "format": "date-time"}, "receivedAt": {"type": ["string", "null"], "format": "date-time"},
              "dueAt": {"type": ["string", "null"], "format": "date-time"}, "finishedAt": {"type": ["string", "null"], "format": "date-time"},
              "returnedAt": {"type": ["string", "null"], "format": "date-time"}, "clockStopped": {"type": "boolean"}, "pauseKind": {"type": ["string", "null"]},
              "supplementCount": {"type": "integer"}, "extensionCount": {"type": "integer"}, "fee": {"type": "integer", "description": "VND"},
              "paidAt": {"type": ["string", "null"], "format": "date-time"}, "overdue": {"type": "boolean"}, "version": {"type": "integer"},
              "allowedActions": {"type": "array", "items": {"type": "string"}},
              "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}
            }
          },
          "Procedure": {
            "type": "object",
            "properties": {
              "code": {"type": "string"}, "name": {"type": "string"},
              "field": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
              "level": {"type": "string", "enum": ["province", "commune"]}, "authority": {"type": "string"},
              "subjects": {"type": "array", "items": {"type": "string"}}, "nonTerritorial": {"type": "boolean"},
              "current": {"type": ["object", "null"]}, "versions": {"type": "array", "items": {"type": "object"}}
            }
          },
          "Component": {
            "type": "object",
            "properties": {
              "id": {"type": "string"}, "componentCode": {"type": "string"}, "version": {"type": "integer"}, "kind": {"type": "string", "enum": ["component", "result"]},
              "sha256": {"type": "string"}, "size": {"type": "integer"}, "mediaType": {"type": "string"}, "originalName": {"type": ["string", "null"]},
              "uploadedAt": {"type": "string", "format": "date-time"}, "uploadedBy": {"type": "string"}, "pages": {"type": ["integer", "null"]}, "searchable": {"type": "boolean"},
              "qc": {"type": "object", "properties": {"status": {"type": "string", "enum": ["pending", "passed", "failed"]}, "reasons": {"type": "array", "items": {"type": "object"}}}},
              "ocr": {"type": "object", "properties": {"status": {"type": "string", "enum": ["pending", "running", "done", "failed", "unavailable", "reused", "generated"]}, "attempts": {"type": "integer"}, "error": {"type": ["string", "null"]}, "suggestions": {"type": "array", "items": {"type": "object"}}}},
              "reused": {"type": "boolean"}, "fromWarehouse": {"type": "boolean"}, "reusedFrom": {"type": ["string", "null"]}
            }
          },
          "WarehouseDocument": {
            "type": "object",
            "properties": {
              "id": {"type": "string"}, "ownerIdNumber": {"type": "string"}, "documentType": {"type": "string"}, "title": {"type": "string"},
              "number": {"type": ["string", "null"]}, "issuer": {"type": ["string", "null"]}, "issuedOn": {"type": ["string", "null"]},
              "validUntil": {"type": ["string", "null"]}, "sha256": {"type": "string"}, "filedAt": {"type": "string", "format": "date-time"}
            }
          },
          "Unit": {
            "type": "object",
            "properties": {
              "code": {"type": "string"}, "adminCode": {"type": ["string", "null"]}, "name": {"type": "string"},
              "kind": {"type": "string", "enum": ["province", "department", "commune", "centre", "branch"]},
              "sector": {"type": ["string", "null"]}, "parentCode": {"type": ["string", "null"]}, "address": {"type": ["string", "null"]}
            }
          }
        },
        "responses": {
          "Problem": {"description": "Error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "OAuthError": {"description": "Refused (RFC 6749 §5.2)", "content": {"application/json": {"schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string", "enum": ["invalid_request", "invalid_client", "invalid_scope", "unsupported_grant_type"]}, "error_description": {"type": "string"}}}}}}
        },
        "parameters": {
          "code": {"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}
        }
      },
      "paths": {
        "/healthz": {
          "get": {"summary": "Liveness and database check", "responses": {"200": {"description": "OK"}, "503": {"$ref": "#/components/responses/Problem"}}}
        },
        "/api/v1/openapi.json": {
          "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1 document"}}}
        },
        "/api/v1/auth/token": {
          "post": {
            "summary": "Sign in; returns a bearer token. With otp (the authenticator's code or a recovery code) for an account with a second factor, the token has assurance 2. Wrong passwords in a row lock the account (429 with Retry-After)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}, "otp": {"type": "string"}}}}}},
            "responses": {
              "200": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "properties": {"access_token": {"type": "string"}, "token_type": {"type": "string", "const": "Bearer"}, "expires_in": {"type": "integer"}, "assurance": {"type": "integer", "enum": [1, 2]}}}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "429": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/oauth/token": {
          "post": {
            "summary": "A token for an API client (client credentials, RFC 6749 §4.4): the client's id and secret in HTTP Basic or the body; scope (space-separated: dossiers:read, dossiers:file, index:read) narrows what was granted. Clients are registered with `motcua client add`. Errors as RFC 6749 §5.2",
            "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["grant_type"], "properties": {"grant_type": {"type": "string", "enum": ["client_credentials"]}, "scope": {"type": "string"}, "client_id": {"type": "string"}, "client_secret": {"type": "string"}}}}}},
            "responses": {
              "200": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "required": ["access_token", "token_type", "expires_in", "scope"], "properties": {"access_token": {"type": "string"}, "token_type": {"type": "string", "const": "Bearer"}, "expires_in": {"type": "integer"}, "scope": {"type": "string"}}}}}},
              "400": {"$ref": "#/components/responses/OAuthError"}, "401": {"$ref": "#/components/responses/OAuthError"}, "429": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/me": {
          "get": {
            "summary": "The caller", "security": [{"bearer": []}],
            "responses": {"200": {"description": "Caller", "content": {"application/json": {"schema": {"type": "object", "properties": {"username": {"type": "string"}, "fullName": {"type": "string"}, "roles": {"type": "array", "items": {"type": "string"}}, "unit": {"type": ["string", "null"]}, "assurance": {"type": "integer", "enum": [1, 2]}, "secondFactor": {"type": "boolean"}}}}}}, "401": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/me/second-factor": {
          "post": {
            "summary": "Start setting up a second factor (TOTP, RFC 6238): a new secret and its otpauth:// address for an authenticator app; not in force until confirmed",
            "security": [{"bearer": []}],
            "responses": {"201": {"description": "Enrolment", "content": {"application/json": {"schema": {"type": "object", "properties": {"secret": {"type": "string"}, "otpauthUri": {"type": "string"}}}}}}, "401": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/me/second-factor/confirm": {
          "post": {
            "summary": "Confirm the second factor with the app's current code; returns ten recovery codes, shown once",
            "security": [{"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}}}},
            "responses": {"200": {"description": "Recovery codes", "content": {"application/json": {"schema": {"type": "object", "properties": {"recoveryCodes": {"type": "array", "items": {"type": "string"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/admin/users/{username}/second-factor": {
          "delete": {
            "summary": "Remove an account's second factor (a lost phone); administrators only, recorded in the audit ledger",
            "security": [{"bearer": []}],
            "parameters": [{"name": "username", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "Removed"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/admin/users/{username}/sso": {
          "delete": {
            "summary": "Unbind an account from its single sign-on identity (its owner's portal account was replaced); the next single sign-on binds it again. Administrators only, recorded in the audit ledger",
            "security": [{"bearer": []}],
            "parameters": [{"name": "username", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "Unbound"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/procedures": {
          "get": {
            "summary": "Procedure catalog (public)",
            "parameters": [
              {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "words of the name or code, diacritics-insensitive"},
              {"name": "field", "in": "query", "schema": {"type": "string"}},
              {"name": "level", "in": "query", "schema": {"type": "string", "enum": ["province", "commune"]}}
            ],
            "responses": {"200": {"description": "Procedures", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Procedure"}}, "nextCursor": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/procedures/{code}": {
          "get": {
            "summary": "One procedure with all its versions (public)",
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "Procedure", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Procedure"}}}}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/units": {
          "get": {"summary": "Administrative units (public)", "responses": {"200": {"description": "Units", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}}}}}}}}
        },
        "/api/v1/dossiers": {
          "post": {
            "summary": "Open a dossier: online submission (citizen) or reception at the window or by post (one-stop officer)",
            "security": [{"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["procedureCode", "channel", "receivingUnit", "applicant"], "properties": {
              "procedureCode": {"type": "string"}, "channel": {"type": "string", "enum": ["window", "post", "online"]},
              "receivingUnit": {"type": "string"}, "competentUnit": {"type": "string"}, "subject": {"type": "string"},
              "populationLookupId": {"type": "string", "description": "lookupId of GET /api/v1/population/{idNumber} that pre-filled the applicant (the dossier then records it was verified)"},
              "applicant": {"$ref": "#/components/schemas/Applicant"}}}}}},
            "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dossier"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          },
          "get": {
            "summary": "Dossiers the caller may see, by due date, with keyset pagination",
            "security": [{"bearer": []}],
            "parameters": [
              {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "comma-separated status numbers"},
              {"name": "unit", "in": "query", "schema": {"type": "string"}},
              {"name": "procedure", "in": "query", "schema": {"type": "string"}},
              {"name": "applicant", "in": "query", "schema": {"type": "string"}},
              {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
              {"name": "receivedFrom", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "receivedTo", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "cursor", "in": "query", "schema": {"type": "string"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}
            ],
            "responses": {"200": {"description": "A page", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Dossier"}}, "nextCursor": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}": {
          "get": {
            "summary": "One dossier with its events (the look-up is logged)",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "Dossier", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dossier"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/actions/{action}": {
          "post": {
            "summary": "Take an action on a dossier read at `version`",
            "security": [{"bearer": []}],
            "parameters": [
              {"$ref": "#/components/parameters/code"},
              {"name": "action", "in": "path", "required": true, "schema": {"type": "string", "enum": ["receive", "refuse", "request-supplement", "supplement", "assign", "transfer", "request-payment", "record-payment", "approve", "finish", "return-result", "withdraw", "stop", "extend"]}}
            ],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["version"], "properties": {
              "version": {"type": "integer"}, "note": {"type": "string"}, "reason": {"type": "string"}, "assignee": {"type": "string"},
              "toUnit": {"type": "string"}, "newDueAt": {"type": "string", "format": "date-time"}, "amount": {"type": "integer"}}}}}},
            "responses": {"200": {"description": "The new dossier", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dossier"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/components": {
          "post": {
            "summary": "Upload a digitized component (or the result, componentCode KQ) as the next version; checked by content; OCR and quality control follow in the background",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file", "componentCode"], "properties": {"file": {"type": "string", "format": "binary"}, "componentCode": {"type": "string"}}}}}},
            "responses": {"201": {"description": "Stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Component"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          },
          "get": {
            "summary": "Every version of every component of a dossier",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "Components and the digitization state", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Component"}}, "fullyDigitized": {"type": "boolean"}, "missing": {"type": "array", "items": {"type": "string"}}, "notPassed": {"type": "array", "items": {"type": "string"}}}}}}}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/reusable": {
          "get": {
            "summary": "For each reusable component, the valid documents of that type in the applicant's data warehouse (the look-up is logged)",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "Offers", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"componentCode": {"type": "string"}, "componentName": {"type": "string"}, "documentType": {"type": "string"}, "documents": {"type": "array", "items": {"$ref": "#/components/schemas/WarehouseDocument"}}}}}}}}}}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/components/reuse": {
          "post": {
            "summary": "Reuse a warehouse document as a component instead of asking for paper again",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["componentCode", "documentId"], "properties": {"componentCode": {"type": "string"}, "documentId": {"type": "string"}}}}}},
            "responses": {"201": {"description": "The new component version", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Component"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/warehouse": {
          "get": {
            "summary": "An owner's data warehouse: citizens their own; officials any, logged with its purpose",
            "security": [{"bearer": []}],
            "parameters": [{"name": "owner", "in": "query", "schema": {"type": "string"}}, {"name": "purpose", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Documents", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/WarehouseDocument"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/forms/{form}": {
          "get": {
            "summary": "A form of Circular 03/2025 generated from the dossier and its events, signed: mau-01 receipt, 02 supplement request, 03 refusal, 04 apology and new appointment, 05 notice of stopping (by the official who decided), 06 process control sheet, 07 tracking book of the receiving unit for the month of reception (unit seal). 409 when the dossier has no such decision.",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}, {"name": "form", "in": "path", "required": true, "schema": {"type": "string", "enum": ["mau-01", "mau-02", "mau-03", "mau-04", "mau-05", "mau-06", "mau-07"]}}],
            "responses": {"200": {"description": "The form", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/units/{unit}/tracking-book": {
          "get": {
            "summary": "Mẫu 07, the tracking book of a unit for a period (days inclusive, at most a year), signed with the unit's seal; for the unit's officials and administrators",
            "security": [{"bearer": []}],
            "parameters": [{"name": "unit", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "from", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}, {"name": "to", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}],
            "responses": {"200": {"description": "The tracking book", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/components/{id}/file": {
          "get": {
            "summary": "The bytes of a component version: best (signed copy, else searchable PDF, else the upload), original, searchable or signed",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}, {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "copy", "in": "query", "schema": {"type": "string", "enum": ["best", "original", "searchable", "signed"]}}],
            "responses": {"200": {"description": "The file", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}, "image/jpeg": {"schema": {"type": "string", "format": "binary"}}, "image/png": {"schema": {"type": "string", "format": "binary"}}, "image/tiff": {"schema": {"type": "string", "format": "binary"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/result": {
          "get": {
            "summary": "The signed electronic result (PAdES, specialist then leader) once a leader approved it",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "The result PDF; ETag is its SHA-256, X-Result-Id its public id", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/results": {
          "get": {
            "summary": "Every result issued for the dossier (valid, superseded, revoked), newest first",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "Results", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "required": ["id", "status", "sha256"], "properties": {"id": {"type": "string"}, "dossierCode": {"type": ["string", "null"]}, "title": {"type": "string"}, "issuer": {"type": "string"}, "signers": {"type": "array", "items": {"type": "string"}}, "status": {"type": "string", "enum": ["valid", "revoked", "superseded"]}, "sha256": {"type": "string"}, "issuedAt": {"type": "string", "format": "date-time"}, "statusChangedAt": {"type": ["string", "null"]}, "statusReason": {"type": ["string", "null"]}, "supersededBy": {"type": ["string", "null"]}, "url": {"type": "string"}}}}}}}}}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/result/draft": {
          "get": {
            "summary": "The result template's inputs and the specialist's values so far; approval is refused while a required input is missing",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "Draft", "content": {"application/json": {"schema": {"type": "object", "properties": {"template": {"type": "string"}, "inputs": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "label": {"type": "string"}, "required": {"type": "boolean"}}}}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}, "missing": {"type": "array", "items": {"type": "string"}}, "updatedAt": {"type": ["string", "null"]}, "updatedBy": {"type": ["string", "null"]}}}}}}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          },
          "put": {
            "summary": "Fill the result's inputs (handling unit's specialists and leaders, before approval); an empty value clears a field",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["fields"], "properties": {"fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}}},
            "responses": {"200": {"description": "Draft", "content": {"application/json": {"schema": {"type": "object", "properties": {"template": {"type": "string"}, "inputs": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "label": {"type": "string"}, "required": {"type": "boolean"}}}}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}, "missing": {"type": "array", "items": {"type": "string"}}, "updatedAt": {"type": ["string", "null"]}, "updatedBy": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/results/{id}/revoke": {
          "post": {
            "summary": "Revoke a valid result (a leader of the handling unit); the public page then shows it revoked with the reason",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}, {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}}}},
            "responses": {"200": {"description": "The revoked result", "content": {"application/json": {"schema": {"type": "object", "required": ["id", "status", "sha256"], "properties": {"id": {"type": "string"}, "dossierCode": {"type": ["string", "null"]}, "title": {"type": "string"}, "issuer": {"type": "string"}, "signers": {"type": "array", "items": {"type": "string"}}, "status": {"type": "string", "enum": ["valid", "revoked", "superseded"]}, "sha256": {"type": "string"}, "issuedAt": {"type": "string", "format": "date-time"}, "statusChangedAt": {"type": ["string", "null"]}, "statusReason": {"type": ["string", "null"]}, "supersededBy": {"type": ["string", "null"]}, "url": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/results/{id}": {
          "get": {
            "summary": "A result's public status (valid, revoked, superseded) and registered SHA-256, by the id in its QR code (public, no personal data)",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Result", "content": {"application/json": {"schema": {"type": "object", "required": ["id", "status", "sha256"], "properties": {"id": {"type": "string"}, "dossierCode": {"type": ["string", "null"]}, "title": {"type": "string"}, "issuer": {"type": "string"}, "signers": {"type": "array", "items": {"type": "string"}}, "status": {"type": "string", "enum": ["valid", "revoked", "superseded"]}, "sha256": {"type": "string"}, "issuedAt": {"type": "string", "format": "date-time"}, "statusChangedAt": {"type": ["string", "null"]}, "statusReason": {"type": ["string", "null"]}, "supersededBy": {"type": ["string", "null"]}, "url": {"type": "string"}}}}}}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/admin/sync": {
          "get": {
            "summary": "Portal (DVCQG) sync for administrators: enabled, backlog, lag (oldest change not yet on the portal), deliveries in the last hour, failures by kind, and the share of this month's dossiers the portal confirmed (indicator 1.4)",
            "security": [{"bearer": []}],
            "responses": {"200": {"description": "Status", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/admin/sync/parked": {
          "get": {
            "summary": "Dossiers parked after the portal rejected them repeatedly, with its message",
            "security": [{"bearer": []}],
            "responses": {"200": {"description": "Parked dossiers", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"dossierCode": {"type": "string"}, "state": {"type": "string", "enum": ["pending", "in-sync", "dead", "skipped"]}, "wantedVersion": {"type": "integer"}, "ackedVersion": {"type": "integer"}, "onPortal": {"type": "boolean"}, "attempts": {"type": "integer"}, "nextAttemptAt": {"type": "string"}, "lastError": {"type": ["string", "null"]}, "lastErrorKind": {"type": ["string", "null"]}, "updatedAt": {"type": "string"}}}}}}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/admin/sync/dossiers/{code}/retry": {
          "post": {
            "summary": "Send a dossier to the portal again now (one-click retry of a parked dossier)",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "Its sync state", "content": {"application/json": {"schema": {"type": "object", "properties": {"dossierCode": {"type": "string"}, "state": {"type": "string", "enum": ["pending", "in-sync", "dead", "skipped"]}, "wantedVersion": {"type": "integer"}, "ackedVersion": {"type": "integer"}, "onPortal": {"type": "boolean"}, "attempts": {"type": "integer"}, "nextAttemptAt": {"type": "string"}, "lastError": {"type": ["string", "null"]}, "lastErrorKind": {"type": ["string", "null"]}, "updatedAt": {"type": "string"}}}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/admin/sync/reconcile": {
          "post": {
            "summary": "Compare MotCua with the portal (TraCuuHoSo) dossier by dossier and re-queue what differs or is missing",
            "security": [{"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"since": {"type": "string", "format": "date"}}}}}},
            "responses": {"200": {"description": "Counts", "content": {"application/json": {"schema": {"type": "object", "properties": {"checked": {"type": "integer"}, "inSync": {"type": "integer"}, "repaired": {"type": "integer"}, "missing": {"type": "integer"}, "failing": {"type": "integer"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/dossiers/{code}/rating": {
          "get": {
            "summary": "The applicant's rating of how the dossier was handled (owner and officials who may read the dossier)",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "responses": {"200": {"description": "The rating", "content": {"application/json": {"schema": {"type": "object", "required": ["timeOk", "attitudeOk", "resultOk"], "properties": {"timeOk": {"type": "boolean"}, "attitudeOk": {"type": "boolean"}, "resultOk": {"type": "boolean"}, "comment": {"type": ["string", "null"], "maxLength": 1000}, "satisfied": {"type": ["boolean", "null"]}, "ratedAt": {"type": ["string", "null"]}}}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          },
          "put": {
            "summary": "Rate the handling once the result is ready (the applicant's account; rating again replaces it). Counts in indicator 5.4",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/code"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["timeOk", "attitudeOk", "resultOk"], "properties": {"timeOk": {"type": "boolean"}, "attitudeOk": {"type": "boolean"}, "resultOk": {"type": "boolean"}, "comment": {"type": ["string", "null"], "maxLength": 1000}, "satisfied": {"type": ["boolean", "null"]}, "ratedAt": {"type": ["string", "null"]}}}}}},
            "responses": {"200": {"description": "Stored", "content": {"application/json": {"schema": {"type": "object", "required": ["timeOk", "attitudeOk", "resultOk"], "properties": {"timeOk": {"type": "boolean"}, "attitudeOk": {"type": "boolean"}, "resultOk": {"type": "boolean"}, "comment": {"type": ["string", "null"], "maxLength": 1000}, "satisfied": {"type": ["boolean", "null"]}, "ratedAt": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/petitions": {
          "post": {
            "summary": "File a petition or feedback (phản ánh, kiến nghị) about a dossier, a procedure or an official; no account needed (the phone number is the proof; about a dossier it must be the one given at filing)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["class", "petitioner", "content"], "properties": {"class": {"type": "string", "enum": ["procedure", "conduct"]}, "dossierCode": {"type": ["string", "null"]}, "official": {"type": ["string", "null"], "description": "Username of the official it is about"}, "unit": {"type": ["string", "null"], "description": "Agency code, when neither a dossier nor an official names the unit"}, "petitioner": {"type": "object", "required": ["fullName", "phone"], "properties": {"fullName": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": ["string", "null"]}}}, "content": {"type": "string", "maxLength": 4000}, "recomplaintOf": {"type": ["string", "null"], "description": "Code of an answered petition complained about again"}}}}}},
            "responses": {"201": {"description": "Filed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Petition"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          },
          "get": {
            "summary": "The petitions of a unit and the units under it, oldest first (its officials and those above it)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "unit", "in": "query", "schema": {"type": "string"}}, {"name": "open", "in": "query", "schema": {"type": "boolean"}, "description": "Only those awaiting the unit"}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}],
            "responses": {"200": {"description": "Petitions", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Petition"}}, "nextCursor": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/petitions/published": {
          "get": {
            "summary": "Published answers, newest first (public, without the petitioners)",
            "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
            "responses": {"200": {"description": "Petitions", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Petition"}}, "nextCursor": {"type": ["string", "null"]}}}}}}}
          }
        },
        "/api/v1/petitions/{code}": {
          "get": {
            "summary": "One petition: whole for its unit's officials and for the petitioner (header X-Petitioner-Phone); published ones for anyone, without the petitioner",
            "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "X-Petitioner-Phone", "in": "header", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Petition", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Petition"}}}}, "404": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/petitions/{code}/actions": {
          "post": {
            "summary": "A step: reject, request-supplement, answer (the unit's officials), publish (its leaders), supplement (the petitioner, with the phone number)",
            "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["reject", "request-supplement", "supplement", "answer", "publish"]}, "text": {"type": ["string", "null"]}, "expectedVersion": {"type": ["integer", "null"]}, "phone": {"type": ["string", "null"]}}}}}},
            "responses": {"200": {"description": "Petition", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Petition"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/petitions/{code}/votes": {
          "post": {
            "summary": "Like or dislike a published answer: the petitioner (phone) or a signed-in citizen, one vote each; voting again replaces it (indicator 5.3)",
            "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["vote"], "properties": {"vote": {"type": "string", "enum": ["like", "dislike"]}, "phone": {"type": ["string", "null"]}}}}}},
            "responses": {"200": {"description": "Petition", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Petition"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/index": {
          "get": {
            "summary": "The service-quality index (Decision 766) of a unit for a period, live: total and groups with their indicators (null score = no data)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "unit", "in": "query", "required": true, "schema": {"type": "string"}, "description": "Agency code; the units under it are included"}, {"name": "period", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"}, "description": "YYYY-MM, YYYY-Qn or YYYY (Vietnam time)"}],
            "responses": {"200": {"description": "Scores", "content": {"application/json": {"schema": {"type": "object", "properties": {"unit": {"type": "string"}, "unitName": {"type": "string"}, "period": {"type": "string"}, "methodology": {"type": "string"}, "total": {"type": "number"}, "ceiling": {"type": "number"}, "ceilingWithData": {"type": "number"}, "band": {"type": ["string", "null"]}, "target": {"type": ["number", "null"]}, "received": {"type": "integer"}, "groups": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "score": {"type": "number"}, "ceiling": {"type": "number"}, "ceilingWithData": {"type": "number"}, "target": {"type": ["number", "null"]}, "indicators": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "numerator": {"type": ["integer", "null"]}, "denominator": {"type": ["integer", "null"]}, "ratio": {"type": ["number", "null"]}, "score": {"type": ["number", "null"], "description": "null = no data"}, "ceiling": {"type": "number"}, "uncertain": {"type": "boolean"}}}}}}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/index/ranking": {
          "get": {
            "summary": "Every competent unit (department, commune) under a unit, each scored on its own, best first",
            "security": [{"bearer": []}],
            "parameters": [{"name": "unit", "in": "query", "required": true, "schema": {"type": "string"}, "description": "Agency code; the units under it are included"}, {"name": "period", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"}, "description": "YYYY-MM, YYYY-Qn or YYYY (Vietnam time)"}],
            "responses": {"200": {"description": "Units", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"unit": {"type": "string"}, "unitName": {"type": "string"}, "period": {"type": "string"}, "methodology": {"type": "string"}, "total": {"type": "number"}, "ceiling": {"type": "number"}, "ceilingWithData": {"type": "number"}, "band": {"type": ["string", "null"]}, "target": {"type": ["number", "null"]}, "received": {"type": "integer"}, "groups": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "score": {"type": "number"}, "ceiling": {"type": "number"}, "ceilingWithData": {"type": "number"}, "target": {"type": ["number", "null"]}, "indicators": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "numerator": {"type": ["integer", "null"]}, "denominator": {"type": ["integer", "null"]}, "ratio": {"type": ["number", "null"]}, "score": {"type": ["number", "null"], "description": "null = no data"}, "ceiling": {"type": "number"}, "uncertain": {"type": "boolean"}}}}}}}}}}, "nextCursor": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/index/officials": {
          "get": {
            "summary": "Per official, over the dossiers received in the period: received and fully digitized, finished and on time, against the yearly norm",
            "security": [{"bearer": []}],
            "parameters": [{"name": "unit", "in": "query", "required": true, "schema": {"type": "string"}, "description": "Agency code; the units under it are included"}, {"name": "period", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"}, "description": "YYYY-MM, YYYY-Qn or YYYY (Vietnam time)"}],
            "responses": {"200": {"description": "Officials", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"username": {"type": "string"}, "fullName": {"type": "string"}, "unit": {"type": ["string", "null"]}, "received": {"type": "integer"}, "digitized": {"type": "integer"}, "digitizationRate": {"type": ["number", "null"]}, "handled": {"type": "integer"}, "handledOnTime": {"type": "integer"}, "onTimeRate": {"type": ["number", "null"]}, "norm": {"type": "number"}, "normShare": {"type": "number"}}}}, "nextCursor": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/index/losses": {
          "get": {
            "summary": "The dossiers that lose points on an indicator, with the reason and who holds each one now (keyset pages by dossier code); on 5.2 and 5.3 the petitions (kind = petition)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "unit", "in": "query", "required": true, "schema": {"type": "string"}, "description": "Agency code; the units under it are included"}, {"name": "period", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"}, "description": "YYYY-MM, YYYY-Qn or YYYY (Vietnam time)"}, {"name": "indicator", "in": "query", "required": true, "schema": {"type": "string"}, "description": "e.g. 2.1"}, {"name": "after", "in": "query", "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
            "responses": {"200": {"description": "Dossiers", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "reason": {"type": "string"}, "reasonText": {"type": "string"}, "kind": {"type": "string", "enum": ["dossier", "petition"]}, "unit": {"type": "string"}, "procedureCode": {"type": "string"}, "status": {"type": "integer"}, "handlingUnit": {"type": "string"}, "assignee": {"type": ["string", "null"]}, "receivedAt": {"type": ["string", "null"]}, "dueAt": {"type": ["string", "null"]}}}}, "nextCursor": {"type": ["string", "null"]}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/population/{idNumber}": {
          "get": {
            "summary": "Look a person up in the national population database (officials; purpose, officer and dossier are sent and logged). Pass lookupId as populationLookupId when creating the dossier; 503 when the database cannot answer (type the data instead)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "idNumber", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{12}$"}}, {"name": "dossier", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The person", "content": {"application/json": {"schema": {"type": "object", "properties": {"lookupId": {"type": "string"}, "idNumber": {"type": "string"}, "fullName": {"type": "string"}, "birthDate": {"type": "string", "format": "date"}, "sex": {"type": "string"}, "nationality": {"type": "string"}, "ethnicity": {"type": "string"}, "permanentAddress": {"type": "object"}, "currentAddress": {"type": "object"}, "isHouseholdHead": {"type": "boolean"}}}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/verify": {
          "post": {
            "summary": "Verify the signatures of a PDF (public): signer, chain to a trust anchor, intact bytes, changes after signing",
            "requestBody": {"required": true, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"200": {"description": "Report", "content": {"application/json": {"schema": {"type": "object", "required": ["valid", "signatures"], "properties": {"valid": {"type": "boolean"}, "signatures": {"type": "array", "items": {"type": "object"}}, "reasons": {"type": "array", "items": {"type": "string"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/pki/trust-anchors": {
          "get": {
            "summary": "The agency root certificates MotCua trusts, as PEM (public)",
            "responses": {"200": {"description": "PEM certificates", "content": {"application/x-pem-file": {"schema": {"type": "string"}}}}}
          }
        },
        "/api/v1/search": {
          "get": {
            "summary": "Officers' search over code, applicant, ID number, phone, procedure and OCR text; diacritics- and case-insensitive; limited to what the caller may see",
            "security": [{"bearer": []}],
            "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
            "responses": {"200": {"description": "Dossiers, best first", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Dossier"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/calendar/due-date": {
          "get": {
            "summary": "Due date of a time limit, with its explanation (public)",
            "parameters": [
              {"name": "from", "in": "query", "required": true, "schema": {"type": "string", "format": "date-time"}},
              {"name": "amount", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1}},
              {"name": "unit", "in": "query", "required": true, "schema": {"type": "string", "enum": ["working-days", "working-hours", "calendar-days"]}},
              {"name": "cutoff", "in": "query", "schema": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}}
            ],
            "responses": {"200": {"description": "Due date", "content": {"application/json": {"schema": {"type": "object", "properties": {"dueAt": {"type": "string", "format": "date-time"}, "countingStartsAt": {"type": "string", "format": "date-time"}, "explanation": {"type": "array", "items": {"type": "object"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/calendar/holidays": {
          "get": {
            "summary": "Holidays and working weekend days of a year (public)",
            "parameters": [{"name": "year", "in": "query", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "Holidays", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": {"$ref": "#/components/responses/Problem"}}
          }
        }
      }
    }
    """#
}
