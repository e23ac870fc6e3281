"""The code under test: a shop backend that asks the Emporix AI Service for product descriptions.

It gets a service token with its client credentials, asks for a description, retries once on a
server error, and shows a fallback text when the service stays down.
"""

from __future__ import annotations

import httpx

FALLBACK = "Description coming soon."


class DescriptionService:
    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=10)
        self.credentials = (client_id, client_secret)
        self.token: str | None = None

    def describe(self, tenant: str, product: str) -> str:
        for _ in range(2):  # one retry on a server error
            answer = self.client.post(f"/ai-service/{tenant}/texts", json={"prompt": f"Describe {product}"},
                                      headers={"Authorization": f"Bearer {self._token()}"})
            if answer.status_code == 200:
                return str(answer.json()["result"])
            if answer.status_code < 500:
                break
        return FALLBACK

    def close(self) -> None:
        self.client.close()

    def _token(self) -> str:
        if self.token is None:
            client_id, secret = self.credentials
            answer = self.client.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                            "client_secret": secret, "scope": "ai.text_manage"})
            answer.raise_for_status()
            self.token = answer.json()["access_token"]
        return self.token
