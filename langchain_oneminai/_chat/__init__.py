"""The chat pipeline (pure): LangChain messages in, one 1min.ai prompt out, the reply read back.

``ChatOneMinAI``'s shells only move bytes; everything they decide comes from here::

    messages + kwargs ─▶ _plan.plan_call()          ChatPlan: model, options, stop, tools,
                         ├ _prompt.render_prompt()     the one prompt string (+ attachments
                         │   _attachments               found in the messages)
                         └ _tool_calls                 the <tools> / <response_format> blocks
    (shell: upload attachments, POST /api/chat-with-ai)
    record ─────────────▶ _repairs.next_repair()    the re-prompt, when the reply is unusable
                         _assemble.message_from_reply()   AIMessage (+ tool calls)
    stream events ──────▶ _assemble.StreamAssembler chunks, attempt by attempt
                         _output                     metadata, usage, stop sequences
                         _transcript                 replies cut at invented transcript markup
    structured output ──▶ _structured.JsonReplyParser the user's object

The tool-call protocol (``_tool_calls``) is one unit: what the model is told and how its reply
is parsed live together.
"""
