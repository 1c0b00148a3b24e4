"""Structured output read back (pure): the JSON value of a reply, validated like its schema."""

from __future__ import annotations

from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.output_parsers import BaseOutputParser
from langchain_core.outputs import Generation

from langchain_oneminai._chat._schema import validate
from langchain_oneminai._chat._tool_calls import JSONExtractionError, extract_json


class JsonReplyParser(BaseOutputParser[Any]):
    """Reads the JSON value of a structured-output reply, leniently, and validates it.

    Fences and prose around the JSON are tolerated; a pydantic model (v2 or v1) is built, a
    TypedDict / JSON schema is checked.

    It parses the whole reply once, so ``stream`` yields the final object only.
    """

    schema_type: Any = None
    """A pydantic class to build, or ``None`` for a plain dict."""
    json_schema: dict[str, Any] | None = None
    """The JSON schema to check a plain dict against."""

    @property
    def _type(self) -> str:
        return "oneminai_json_reply"

    def parse(self, text: str) -> Any:
        """Parse and validate one reply."""
        try:
            value = extract_json(text)
        except JSONExtractionError as error:
            message = f"The reply holds no JSON value: {error}"
            raise OutputParserException(message, llm_output=text) from None
        if self.schema_type is not None:
            try:
                if hasattr(self.schema_type, "model_validate"):
                    return self.schema_type.model_validate(value)
                return self.schema_type.parse_obj(value)  # pydantic.v1
            except Exception as error:  # pydantic v1 and v2 raise different types
                message = f"The JSON does not fit {self.schema_type.__name__}: {error}"
                raise OutputParserException(message, llm_output=text) from None
        if self.json_schema is not None:
            errors = validate(value, self.json_schema)
            if errors:
                message = "The JSON does not match the schema: " + "; ".join(errors[:5])
                raise OutputParserException(message, llm_output=text)
        return value

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:  # noqa: ARG002
        """Parse the first generation's text."""
        return self.parse(result[0].text)
