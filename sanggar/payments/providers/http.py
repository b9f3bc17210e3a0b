"""Small helpers the provider clients share (they stay the only modules that send requests)."""

import httpx


def answer_json(response: httpx.Response) -> dict:
    """The provider's answer as a dict (a non-JSON answer is kept as a short text)."""
    try:
        data = response.json()
    except ValueError:
        return {"text": response.text[:500]}
    return data if isinstance(data, dict) else {"data": data}
