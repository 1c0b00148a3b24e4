"""Metering 1min.ai calls: ``get_oneminai_callback()``, like LangChain's ``get_openai_callback``.

.. code-block:: python

    from langchain_oneminai import ChatOneMinAI, get_oneminai_callback

    with get_oneminai_callback() as meter:
        ChatOneMinAI(model="gpt-4o-mini").invoke("Hello")
    print(meter)  # requests, credits 1min.ai reported, tokens, per (feature, model)

A client's own ``max_credits`` budget refuses calls once the credits 1min.ai reported for it
reach the limit (``CreditBudgetExceededError``, before anything is sent).
"""

from __future__ import annotations

from langchain_oneminai.client._usage import CreditMeter, Usage, get_oneminai_callback

__all__ = ["CreditMeter", "Usage", "get_oneminai_callback"]
