"""Every other feature (``POST /api/features``, wire.md#features-envelope): images, speech..."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_oneminai._transport import TimeoutSpec
from langchain_oneminai._wire import AIRecord, build_feature_payload, parse_record
from langchain_oneminai.client._base import ClientBase, _Call
from langchain_oneminai.client._chat import successful_record


class FeaturesResource(ClientBase):
    """Run any non-chat feature with its ``promptObject``."""

    def run_feature(
        self,
        feature_type: str,
        model: str,
        prompt_object: Mapping[str, Any],
        *,
        conversation_id: str | None = None,
        timeout: TimeoutSpec = None,
    ) -> AIRecord:
        """Run a non-chat feature (``POST /api/features``): images, speech, code, writing...

        Args:
            feature_type: The feature, e.g. ``IMAGE_GENERATOR``, ``TEXT_TO_SPEECH``.
            model: A model id of that feature's catalog.
            prompt_object: The feature's fields (they differ per feature and model family).
            conversation_id: Optional top-level ``conversationId`` some feature pages show.
            timeout: Timeouts for this call (image generation can take tens of seconds).

        Raises:
            GenerationFailedError: the API answered 200 but reported a failed generation.
        """
        return self._run(
            self._feature_call(feature_type, model, prompt_object, conversation_id, timeout)
        )

    async def arun_feature(
        self,
        feature_type: str,
        model: str,
        prompt_object: Mapping[str, Any],
        *,
        conversation_id: str | None = None,
        timeout: TimeoutSpec = None,
    ) -> AIRecord:
        """Async :meth:`run_feature`."""
        return await self._arun(
            self._feature_call(feature_type, model, prompt_object, conversation_id, timeout)
        )

    def _feature_call(
        self,
        feature_type: str,
        model: str,
        prompt_object: Mapping[str, Any],
        conversation_id: str | None,
        timeout: TimeoutSpec,
    ) -> _Call[AIRecord]:
        payload = build_feature_payload(
            feature_type, model, prompt_object, conversation_id=conversation_id
        )
        request = self._request(
            "features", json_body=payload, timeout=timeout, model=model, feature=feature_type
        )
        self._budget.check(f"the {feature_type} call to {model}")

        def parse(body: Any) -> AIRecord:
            record = self._account(feature_type, model, parse_record(body))
            return successful_record(record, request)

        return _Call(request, parse)
