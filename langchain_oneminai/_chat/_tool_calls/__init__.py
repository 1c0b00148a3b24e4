"""The tool-call protocol, one unit: tools described in the prompt, calls read from the reply.

1min.ai's chat endpoint takes one prompt string and returns text: no native tools, no JSON
mode (wire.md#no-native-tool-calling). ``ChatOneMinAI`` therefore describes the tools in the
prompt and reads the calls back out of the reply. This package is that protocol, and it is
pure: no I/O, no clock, randomness only through the injectable ``id_factory``. It follows the
best prior art among the peers (kc9wwh/1min-gateway): an instruction header, a JSON reply
format, a balanced-brace parser that respects JSON strings, a persistence reminder and one
corrective re-prompt.

Its modules: ``_tools`` (the bound tools indexed and checked, ``tool_choice``), ``_render``
(what the model is told), ``_parse`` (the incremental reply parser) and ``_judge`` (what a
JSON value in a reply is). Prompt out (``_render``, placed into the prompt by the chat plan)::

    render_tool_instructions()               <tools> ... </tools>: tools, reply format, choice
    format_tool_calls()                      an earlier AIMessage's calls, in the reply format
    format_tool_result()                     a ToolMessage: <tool_result call_id=.. ...> ...
    render_repair_prompt()                   the corrective re-prompt (when needs_repair() asks)
    render_structured_output_instructions()  <response_format> ... </response_format>
    render_structured_repair_prompt()        the corrective re-prompt for structured output

Reply in (``_parse``)::

    parse_tool_reply(text, tools)    -> ParsedReply(content, tool_calls, invalid_tool_calls, ...)
    ToolStreamParser(tools).feed(d)  -> [TextPiece | ToolCallStart | ToolCallArgs], then finish()
    extract_json(text)               -> the JSON value of a structured-output reply

The model is asked to reply, when it calls tools, with exactly (``REPLY_FORMAT``)::

    {"tool_calls": [{"name": "<tool name>", "arguments": {<arguments as a JSON object>}}]}

The parser also accepts what models write instead: the object bare or in a code fence (three
backticks, with or without a language), with prose before or after; ``{"tool_call": {...}}``; a
bare ``{"name": ..., "arguments"|"args"|"parameters"|"input": ...}``; OpenAI's ``{"type":
"function", "function": {"name": ..., "arguments": "<JSON string>"}}``; a list of call objects;
several call objects one after another. Arguments given as a JSON string are decoded, missing
ones are ``{}``, and arguments flattened into the call (``{"name": "f", "input": 3}`` for a tool
whose parameter is ``input``) are gathered up. JSON that is not a call (the user asked for data)
stays in the text. Every call gets a fresh id (ids the model wrote are ignored: models copy them
from the history); calls to unknown tools and arguments that fail the tool's schema (its JSON
schema, or its own pydantic model) become ``invalid_tool_calls``. Malformed JSON is not
repaired: when it starts like a call it becomes an invalid call, and ``needs_repair`` asks the
model again.

The parser is one incremental state machine (``ToolStreamParser``); ``parse_tool_reply`` feeds it
the whole text at once, so streaming and non-streaming results are equal by construction, for
every way of splitting the text. Whitespace rule: the content is the prose with its ends stripped,
and the whitespace runs on both sides of a removed call (or fence) merged into the one with the
most newlines. The stream applies that rule as it goes, so the concatenated ``TextPiece``s equal
``ParsedReply.content`` exactly (and ``tidy`` of it is itself).
"""

from langchain_oneminai._chat._tool_calls._parse import (
    JSONExtractionError,
    ParsedReply,
    StreamPiece,
    TextPiece,
    ToolCallArgs,
    ToolCallStart,
    ToolStreamParser,
    extract_json,
    parse_tool_reply,
    tidy,
)
from langchain_oneminai._chat._tool_calls._render import (
    REPLY_FORMAT,
    format_tool_calls,
    format_tool_result,
    needs_repair,
    render_repair_prompt,
    render_structured_output_instructions,
    render_structured_repair_prompt,
    render_tool_instructions,
)
from langchain_oneminai._chat._tool_calls._replay import AnsweredCall, answered_calls, args_key
from langchain_oneminai._chat._tool_calls._tools import (
    IdFactory,
    ToolChoice,
    check_tools,
    new_call_id,
    normalize_tool_choice,
)

__all__ = [
    "REPLY_FORMAT",
    "AnsweredCall",
    "IdFactory",
    "JSONExtractionError",
    "ParsedReply",
    "StreamPiece",
    "TextPiece",
    "ToolCallArgs",
    "ToolCallStart",
    "ToolChoice",
    "ToolStreamParser",
    "answered_calls",
    "args_key",
    "check_tools",
    "extract_json",
    "format_tool_calls",
    "format_tool_result",
    "needs_repair",
    "new_call_id",
    "normalize_tool_choice",
    "parse_tool_reply",
    "render_repair_prompt",
    "render_structured_output_instructions",
    "render_structured_repair_prompt",
    "render_tool_instructions",
    "tidy",
]
