"""What the reflection and stateful tests share: a Petstore-shaped contract as Python data, and
an in-process client for an app built from contracts."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import yaml

from mock_server.app import create_app
from mock_server.behaviours.registry import Registry
from mock_server.settings import ServeSettings

CREDENTIALS = {"Authorization": "Bearer any-token", "x-api-key": "any-key", "api_key": "any-key"}

PET = {
    "type": "object", "required": ["name", "photoUrls"],
    "properties": {
        "id": {"type": "integer", "format": "int64", "example": 10},
        "name": {"type": "string", "example": "doggie"},
        "category": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "photoUrls": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}}}},
        "status": {"type": "string", "enum": ["available", "pending", "sold"]},
    },
}
USER = {"type": "object", "properties": {
    "id": {"type": "integer", "format": "int64"}, "username": {"type": "string"},
    "firstName": {"type": "string"}, "lastName": {"type": "string"}, "email": {"type": "string"},
    "password": {"type": "string", "writeOnly": True}}}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _pet_id() -> dict[str, Any]:
    return {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer", "format": "int64"}}


# The shape of the Swagger Petstore (swagger-api/swagger-petstore), trimmed to what reflection reads.
PETS: dict[str, Any] = {
    "openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://petstore3.swagger.io/api/v3"}],
    "paths": {
        "/pet": {
            "put": {"operationId": "updatePet", "requestBody": {"required": True, "content": _json({"$ref": "#/components/schemas/Pet"})},
                    "responses": {"200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/Pet"})},
                                  "400": {"description": "bad"}, "404": {"description": "no pet"}}},
            "post": {"operationId": "addPet", "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                     "responses": {"200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/Pet"})},
                                   "400": {"description": "bad"}}},
        },
        "/pet/findByStatus": {"get": {
            "operationId": "findPetsByStatus",
            "parameters": [{"name": "status", "in": "query", "schema": {
                "type": "string", "default": "available", "enum": ["available", "pending", "sold"]}}],
            "responses": {"200": {"description": "ok", "content": _json({"type": "array", "items": {"$ref": "#/components/schemas/Pet"}})},
                          "400": {"description": "bad"}}}},
        "/pet/findByTags": {"get": {
            "operationId": "findPetsByTags",
            "parameters": [{"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}],
            "responses": {"200": {"description": "ok", "content": _json({"type": "array", "items": {"$ref": "#/components/schemas/Pet"}})},
                          "400": {"description": "bad"}}}},
        "/pet/{petId}": {
            "get": {"operationId": "getPetById", "parameters": [_pet_id()],
                    "responses": {"200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/Pet"})},
                                  "404": {"description": "no pet"}}},
            "post": {"operationId": "updatePetWithForm", "parameters": [
                _pet_id(), {"name": "name", "in": "query", "schema": {"type": "string"}},
                {"name": "status", "in": "query", "schema": {"type": "string"}}],
                     "responses": {"200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/Pet"})},
                                   "400": {"description": "bad"}}},
            "delete": {"operationId": "deletePet", "parameters": [_pet_id()],
                       "responses": {"200": {"description": "deleted"}, "400": {"description": "bad"}}},
        },
        "/store/inventory": {"get": {"operationId": "getInventory", "responses": {"200": {
            "description": "ok", "content": _json({"type": "object", "additionalProperties": {"type": "integer"}})}}}},
        "/user": {"post": {"operationId": "createUser", "requestBody": {"content": _json({"$ref": "#/components/schemas/User"})},
                           "responses": {"200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/User"})}}}},
        "/user/{username}": {
            "parameters": [{"name": "username", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "getUserByName",
                    "responses": {"200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/User"})},
                                  "404": {"description": "no user"}}},
            "put": {"operationId": "updateUser", "requestBody": {"content": _json({"$ref": "#/components/schemas/User"})},
                    "responses": {"200": {"description": "ok"}, "404": {"description": "no user"}}},
            "delete": {"operationId": "deleteUser", "responses": {"200": {"description": "ok"}, "404": {"description": "no user"}}},
        },
    },
    "components": {"schemas": {"Pet": PET, "User": USER}},
}


def write_contract(folder: Path, contract: dict[str, Any], name: str = "openapi.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(contract, sort_keys=False))
    return folder


class Client:
    """Requests to an app in this process: one event loop for the client's life, so a stateful
    app's store sees every request."""

    def __init__(self, *contracts: Path, behaviours: Registry | None = None, **settings: Any) -> None:
        self.app = create_app(ServeSettings(contracts=contracts, access_log=False, **settings), behaviours=behaviours)
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://mock")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**CREDENTIALS, **kwargs.pop("headers", {})}
        return self.loop.run_until_complete(self.client.request(method, url, headers=headers, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()
