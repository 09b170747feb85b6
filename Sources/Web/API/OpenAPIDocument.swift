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
          "Problem": {"description": "Error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
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
            "summary": "Sign in an official; returns a bearer token",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
            "responses": {
              "200": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "properties": {"access_token": {"type": "string"}, "token_type": {"type": "string", "const": "Bearer"}, "expires_in": {"type": "integer"}}}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/me": {
          "get": {
            "summary": "The caller", "security": [{"bearer": []}],
            "responses": {"200": {"description": "Caller", "content": {"application/json": {"schema": {"type": "object", "properties": {"username": {"type": "string"}, "fullName": {"type": "string"}, "roles": {"type": "array", "items": {"type": "string"}}, "unit": {"type": ["string", "null"]}}}}}}, "401": {"$ref": "#/components/responses/Problem"}}
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
